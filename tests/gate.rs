//! `verify --record` and `verdict gate` end to end through the real binary: the gate opens
//! only for a recorded, trusted, signed pass of exactly this report under exactly this policy.

mod common;
#[path = "ledger_support/mod.rs"]
mod ledger_support;
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

/// (report, trusted key file, extra arguments, exit code, verdict, the one finding's rule).
type Case<'a> = (&'a str, &'a str, &'a [&'a str], i32, &'a str, &'a str);

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

    // Each case: the exit code, and the one finding of the `verdict/v1` document naming the
    // gate rule that decided it.
    let staging = root()
        .join("policies/bft-staging.yaml")
        .display()
        .to_string();
    let edited = fixture("reports/signed/edited-after-signing.md");
    let cases: [Case; 5] = [
        (&clean, "verifier.pub", &[], 0, "pass", "gate.open"),
        (&seed, "verifier.pub", &[], 1, "fail", "gate.not-pass"),
        (
            &clean,
            "verifier.pub",
            &["--policy", &staging],
            1,
            "fail",
            "gate.unrecorded",
        ),
        (&clean, "stranger.pub", &[], 1, "fail", "gate.untrusted"),
        (&edited, "verifier.pub", &[], 1, "fail", "gate.unrecorded"),
    ];
    for (report, trust, extra, code, verdict, rule) in cases {
        let mut args = extra.to_vec();
        args.extend(["--format", "json"]);
        let (got, out) = s.gate(report, trust, &args);
        assert_eq!(got, code, "{rule}: {out}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(doc["schema"], "verdict/v1");
        assert_eq!(doc["verdict"], verdict, "{rule}");
        let severity = if code == 0 { "info" } else { "deny" };
        assert_eq!(findings(&doc), [(rule.into(), severity.into(), None)]);
    }
    // The reasons, as the findings' messages and evidence say them.
    let (_, out) = s.gate(&seed, "verifier.pub", &["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        doc["findings"][0]["message"],
        "the latest verdict for this report and policy (entry 1) is fail, not pass"
    );
    assert_eq!(
        doc["findings"][0]["evidence"],
        serde_json::json!({"seq": 1, "verdict": "fail"})
    );
    let (_, out) = s.gate(&clean, "stranger.pub", &["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let verifier = doc["findings"][0]["evidence"]["verifier"].as_str().unwrap();
    assert_eq!(
        doc["findings"][0]["message"],
        format!("entry 0 is signed by {verifier}, which is not a trusted verifier key")
    );
    let (_, out) = s.gate(&clean, "verifier.pub", &["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        doc["findings"][0]["message"],
        format!("ledger entry 0 is a pass signed by {verifier}, included in checkpoint 2")
    );
    // Human output is the same document: the reason, then the summary line.
    // The human view wraps at 100 columns and the message starts with the report's absolute
    // path, so where it wraps depends on the checkout's location: compare it unwrapped.
    let (code, out) = s.gate(&seed, "verifier.pub", &[]);
    assert_eq!(code, 1);
    let unwrapped = out
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ");
    assert!(unwrapped.contains("(entry 1) is fail, not pass"), "{out}");
    assert!(
        out.ends_with("verdict: FAIL — 1 deny, 0 warn (0 checks, 0 passed)\n"),
        "{out}"
    );
}

/// The two conditions a normal history never breaks: an entry that fails its integrity checks
/// (`gate.corrupt`) and one no trusted checkpoint covers (`gate.unanchored`), as an attacker
/// with write access to the file (triggers dropped) leaves them.
#[test]
fn a_tampered_or_unanchored_entry_keeps_the_gate_closed() {
    let s = Setup::new();
    let clean = fixture("reports/signed/clean.md");
    assert_eq!(s.record(&clean, &["--keyring", &keyring()]).0, 0);
    let rule_of = |s: &Setup| {
        let (code, out) = s.gate(&clean, "verifier.pub", &["--format", "json"]);
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        (
            code,
            findings(&doc)[0].0.clone(),
            doc["findings"][0]["message"].clone(),
        )
    };
    assert_eq!(rule_of(&s).1, "gate.open");

    let db = ledger_support::attacker(Path::new(&s.path("verdicts.db")));
    let signature: Vec<u8> = db
        .query_row("SELECT signature FROM entries WHERE seq = 0", [], |r| {
            r.get(0)
        })
        .unwrap();
    db.execute(
        "UPDATE entries SET signature = zeroblob(64) WHERE seq = 0",
        [],
    )
    .unwrap();
    assert_eq!(
        rule_of(&s),
        (
            1,
            "gate.corrupt".into(),
            "entry 0: the entry signature does not verify".into()
        )
    );
    db.execute(
        "UPDATE entries SET signature = ?1 WHERE seq = 0",
        [&signature],
    )
    .unwrap();
    db.execute("DELETE FROM checkpoints", []).unwrap();
    assert_eq!(
        rule_of(&s),
        (
            1,
            "gate.unanchored".into(),
            "entry 0 is not included in a valid checkpoint: the ledger has no checkpoint".into()
        )
    );
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
