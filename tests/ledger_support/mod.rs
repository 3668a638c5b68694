//! Shared helpers for the ledger tests: deterministic keys and records, ledgers built through
//! the library, and the attacker's tools (dropping triggers, raw edits).
#![allow(dead_code)]

use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::EncodePublicKey;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use verdict::ledger::Ledger;
use verdict::ledger::record::RecordInput;
use verdict::verdict::{Finding, Outcome, Severity};

pub fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

/// Record input number `i` of a history; `variant` changes the content (forks).
pub fn input(i: u64, variant: u8) -> RecordInput {
    let verdict = match i % 3 {
        0 => Outcome::Pass,
        1 => Outcome::Fail,
        _ => Outcome::Inconclusive,
    };
    let findings = if verdict == Outcome::Pass {
        vec![]
    } else {
        vec![Finding {
            rule: "checks.failed".into(),
            severity: Severity::Deny,
            message: format!("check {i} failed: “Resource Bounds” ✗"),
            line: Some(10 + i as u32),
            column: Some(1),
            section: Some("Phase 3 > Security".into()),
            span: None,
            evidence: serde_json::Map::new(),
            help: "fix the check".into(),
        }]
    };
    RecordInput {
        report_digest: format!("sha256:{:064x}", i as u128 * 7919 + variant as u128),
        report_id: Some(format!("VAL-{i:04}")),
        policy_name: "bft-production".into(),
        policy_digest: format!("sha256:{:064x}", 42 + variant as u128),
        keyring_digest: if i % 2 == 0 {
            Some(format!("sha256:{:064x}", 99))
        } else {
            None
        },
        verdict,
        findings,
        tool_version: "verdict 0.1.0".into(),
        time: jiff::Timestamp::from_second(1_795_000_000 + i as i64 * 60).unwrap(),
    }
}

/// Builds a ledger of `n` entries signed by `key` through the library.
pub fn build(path: &Path, n: u64, key: &SigningKey, variant: u8) -> Vec<String> {
    let mut l = Ledger::open_or_create(path).unwrap();
    let inputs: Vec<RecordInput> = (0..n).map(|i| input(i, variant)).collect();
    l.append_many(&inputs, key)
        .unwrap()
        .into_iter()
        .map(|a| a.checkpoint_text)
        .collect()
}

pub fn write_pub(dir: &Path, name: &str, key: &SigningKey) -> PathBuf {
    let p = dir.join(name);
    let pem = key
        .verifying_key()
        .to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .unwrap();
    std::fs::write(&p, pem).unwrap();
    p
}

/// What an attacker with write access to the file does first.
pub fn drop_triggers(conn: &Connection) {
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(names.len(), 9);
    for n in names {
        conn.execute_batch(&format!("DROP TRIGGER {n}")).unwrap();
    }
}

pub fn attacker(path: &Path) -> Connection {
    let c = Connection::open(path).unwrap();
    drop_triggers(&c);
    c
}

/// Runs `verdict ledger ARGS… --ledger PATH` and returns (exit code, stdout).
pub fn ledger_cmd(path: &Path, args: &[&str]) -> (i32, String) {
    let out = assert_cmd::Command::cargo_bin("verdict")
        .unwrap()
        .arg("ledger")
        .args(args)
        .arg("--ledger")
        .arg(path)
        .env_remove("VERDICT_LEDGER")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// Deterministic xorshift64*, so every run tampers the same rows and bytes.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
