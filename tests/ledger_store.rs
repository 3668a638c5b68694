//! Storage guarantees: append-only triggers (through the sqlite3 CLI), pragmas, schema
//! versions and migrations, default path.

#[path = "ledger_support/mod.rs"]
mod support;

use std::process::Command;
use support::*;
use verdict::ledger::{Ledger, LedgerError, store};

fn sqlite3_available() -> bool {
    Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn update_and_delete_through_sqlite3_fail_with_the_trigger_message() {
    if !sqlite3_available() {
        eprintln!("skipped: no sqlite3 CLI on PATH");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("l.db");
    build(&p, 5, &key(1), 0);
    let cases = [
        (
            "UPDATE entries SET record = x'00' WHERE seq = 2;",
            "UPDATE on entries is forbidden",
        ),
        (
            "DELETE FROM entries WHERE seq = 4;",
            "DELETE on entries is forbidden",
        ),
        (
            "UPDATE hashes SET hash = x'00' WHERE idx = 0;",
            "UPDATE on hashes is forbidden",
        ),
        ("DELETE FROM hashes;", "DELETE on hashes is forbidden"),
        (
            "UPDATE checkpoints SET note = 'x' WHERE size = 1;",
            "UPDATE on checkpoints is forbidden",
        ),
        (
            "DELETE FROM checkpoints WHERE size = 5;",
            "DELETE on checkpoints is forbidden",
        ),
        (
            "INSERT OR REPLACE INTO entries SELECT * FROM entries WHERE seq = 1;",
            "entries must be inserted at the next sequence number",
        ),
        (
            "INSERT INTO entries SELECT 9, record, leaf_hash, signature, report_digest, policy_digest FROM entries WHERE seq = 1;",
            "entries must be inserted at the next sequence number",
        ),
    ];
    for (sql, message) in cases {
        let out = Command::new("sqlite3").arg(&p).arg(sql).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{sql} succeeded");
        assert!(
            stderr.contains(&format!("verdict ledger is append-only: {message}")),
            "{sql}: {stderr}"
        );
    }
    let (code, out) = ledger_cmd(&p, &["verify"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ledger intact: 5 entries"), "{out}");
}

#[test]
fn connection_is_wal_with_full_sync_and_a_busy_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a/b/verdicts.db");
    let l = Ledger::open_or_create(&p).unwrap();
    assert!(
        p.exists(),
        "parent directories and file are created on first use"
    );
    let c = l.connection();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let sync: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    let busy: i64 = c
        .query_row("PRAGMA busy_timeout", [], |r| r.get(0))
        .unwrap();
    assert_eq!((mode.as_str(), sync, busy), ("wal", 2, 60_000));
    assert_eq!(store::schema_version(c).unwrap(), 1);
    assert_eq!(l.origin(), "verdict.local/ledger");
}

#[test]
fn a_newer_schema_version_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("l.db");
    build(&p, 1, &key(1), 0);
    rusqlite::Connection::open(&p)
        .unwrap()
        .execute(
            "UPDATE meta SET value = '2' WHERE key = 'schema_version'",
            [],
        )
        .unwrap();
    match Ledger::open(&p) {
        Err(LedgerError::NewerSchema {
            found: 2,
            supported: 1,
        }) => {}
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("opened a newer ledger"),
    }
    assert!(matches!(
        Ledger::open_or_create(&p),
        Err(LedgerError::NewerSchema {
            found: 2,
            supported: 1
        })
    ));
    let (code, out) = ledger_cmd(&p, &["verify"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("ledger schema version 2 is newer than this verdict supports (1)"),
        "{out}"
    );
}

#[test]
fn an_empty_database_is_migrated_from_version_0_and_reopened_idempotently() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("empty.db");
    rusqlite::Connection::open(&p)
        .unwrap()
        .execute_batch("CREATE TABLE unrelated (x INTEGER); DROP TABLE unrelated;")
        .unwrap();
    // Opening (not creating) refuses a file with no ledger schema.
    assert!(matches!(Ledger::open(&p), Err(LedgerError::Corrupt(_))));
    let l = Ledger::open_or_create_with_origin(&p, "example.org/verdicts").unwrap();
    assert_eq!(store::schema_version(l.connection()).unwrap(), 1);
    drop(l);
    let l = Ledger::open_or_create(&p).unwrap();
    assert_eq!(
        l.origin(),
        "example.org/verdicts",
        "an existing ledger keeps its origin"
    );
    assert_eq!(store::MIGRATIONS.len(), store::SCHEMA_VERSION as usize);
}

#[test]
fn missing_ledger_is_exit_2_and_not_created_by_readers() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nope/verdicts.db");
    let (code, out) = ledger_cmd(&p, &["log"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("no ledger at"), "{out}");
    assert!(!p.exists());
}

#[test]
fn verdict_ledger_env_names_the_default_path() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("env.db");
    let cps = build(&p, 3, &key(1), 0);
    let out = assert_cmd::Command::cargo_bin("verdict")
        .unwrap()
        .args(["ledger", "checkpoint"])
        .env("VERDICT_LEDGER", &p)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), cps[2]);
    // Without the variable: ledger/verdicts.db under the working directory.
    let out = assert_cmd::Command::cargo_bin("verdict")
        .unwrap()
        .args(["ledger", "checkpoint"])
        .env_remove("VERDICT_LEDGER")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ledger/verdicts.db"));
}

#[test]
fn openssl_keys_load_and_sign_entries_the_cli_trusts() {
    let dir = tempfile::tempdir().unwrap();
    let sk = dir.path().join("verifier.pem");
    let pk = dir.path().join("verifier.pub");
    let gen_ok = Command::new("openssl")
        .args(["genpkey", "-algorithm", "ed25519", "-out"])
        .arg(&sk)
        .status()
        .is_ok_and(|s| s.success());
    if !gen_ok {
        eprintln!("skipped: no openssl CLI on PATH");
        return;
    }
    assert!(
        Command::new("openssl")
            .args(["pkey", "-pubout", "-in"])
            .arg(&sk)
            .arg("-out")
            .arg(&pk)
            .status()
            .unwrap()
            .success()
    );
    let signing = verdict::attest::keys::load_signing_key(&sk).unwrap();
    let verifying = verdict::attest::keys::load_verifying_key(pk.to_str().unwrap()).unwrap();
    assert_eq!(signing.verifying_key(), verifying);
    let p = dir.path().join("l.db");
    build(&p, 3, &signing, 0);
    let (code, out) = ledger_cmd(&p, &["verify", "--trust", pk.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    // A private key is not a public key, and garbage is a clear error (exit 2).
    let (code, out) = ledger_cmd(&p, &["verify", "--trust", sk.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("not an ed25519 public key"), "{out}");
}
