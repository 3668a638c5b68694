//! `verify --record` and `verdict gate` end to end through the real binary: the gate opens
//! only for a recorded, trusted, signed pass of exactly this report under exactly this policy.

mod common;
use common::*;
use std::path::Path;

struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        for id in ["verifier", "stranger"] {
            verdict()
                .args(["keygen", "--id", id, "--out"])
                .arg(dir.path())
                .assert()
                .success();
        }
        Setup { dir }
    }
    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }
    fn record(&self, report: &str, extra: &[&str]) -> (i32, serde_json::Value) {
        let ledger = self.path("verdicts.db");
        let signer = self.path("verifier.key");
        let mut args = vec!["--record", "--ledger", &ledger, "--signer", &signer];
        args.extend_from_slice(extra);
        verify_json(report, &args)
    }
    fn gate(&self, report: &str, trust: &str, extra: &[&str]) -> (i32, String) {
        let out = verdict()
            .args(["gate", report, "--trust", &self.path(trust), "--ledger"])
            .arg(self.path("verdicts.db"))
            .args(extra)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    }
    fn ledger_size(&self) -> usize {
        if !Path::new(&self.path("verdicts.db")).exists() {
            return 0;
        }
        let out = verdict()
            .args(["ledger", "export", "--ledger", &self.path("verdicts.db")])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).lines().count()
    }
}

fn keyring() -> String {
    fixture("keys/keyring.yaml")
}

#[test]
fn gate_opens_only_for_a_trusted_recorded_pass_of_this_exact_report_and_policy() {
    let s = Setup::new();
    let clean = fixture("reports/signed/clean.md");
    let seed = fixture("reports/seed.txt");
    assert_eq!(s.record(&clean, &["--keyring", &keyring()]).0, 0);
    assert_eq!(
        s.record(&seed, &[]).0,
        1,
        "failed verdicts are recorded too"
    );
    assert_eq!(s.ledger_size(), 2);

    // Pass recorded → open.
    let (code, out) = s.gate(&clean, "verifier.pub", &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("gate open"), "{out}");
    // Fail recorded → closed, saying so.
    let (code, out) = s.gate(&seed, "verifier.pub", &[]);
    assert_eq!(code, 1);
    assert!(out.contains("is fail, not pass"), "{out}");
    // Another policy digest → closed.
    let staging = root()
        .join("policies/bft-staging.yaml")
        .display()
        .to_string();
    let (code, out) = s.gate(&clean, "verifier.pub", &["--policy", &staging]);
    assert_eq!(code, 1);
    assert!(out.contains("holds no verdict"), "{out}");
    // Untrusted verifier key → closed.
    let (code, out) = s.gate(&clean, "stranger.pub", &[]);
    assert_eq!(code, 1);
    assert!(out.contains("not a trusted verifier key"), "{out}");
    // Report edited after recording → its digest has no verdict → closed.
    let edited = fixture("reports/signed/edited-after-signing.md");
    let (code, out) = s.gate(&edited, "verifier.pub", &["--format", "json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["gate"], "closed");
}

#[test]
fn a_second_verdict_for_the_same_digest_and_policy_is_a_replay() {
    let s = Setup::new();
    let clean = fixture("reports/signed/clean.md");
    let (_, first) = s.record(&clean, &["--keyring", &keyring()]);
    assert!(rules_fired(&first).is_empty());
    let (code, second) = s.record(&clean, &["--keyring", &keyring()]);
    assert_eq!(code, 0, "replay is a warning in production");
    assert_eq!(
        findings(&second),
        [("ledger.replay".into(), "warn".into(), None)]
    );
    assert_eq!(s.ledger_size(), 2);
}

#[test]
fn unreadable_report_or_bad_key_records_nothing() {
    let s = Setup::new();
    let ledger = s.path("verdicts.db");
    let signer = s.path("verifier.key");
    verdict()
        .args([
            "verify",
            "/nonexistent/report.md",
            "--record",
            "--ledger",
            &ledger,
            "--signer",
            &signer,
        ])
        .assert()
        .code(2);
    assert_eq!(s.ledger_size(), 0);
    verdict()
        .args([
            "verify",
            &fixture("reports/seed.txt"),
            "--record",
            "--ledger",
            &ledger,
            "--signer",
        ])
        .arg(s.path("verifier.pub"))
        .assert()
        .code(2);
    assert_eq!(s.ledger_size(), 0);
    verdict()
        .args(["verify", &fixture("reports/seed.txt"), "--record"])
        .assert()
        .code(2);
}
