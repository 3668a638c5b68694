//! Issue 4 acceptance through `verdict verify`: the signed clean report passes with the test
//! keyring, and every tampered variant fails with exactly its rules at the right lines.

mod common;
use common::*;

fn run(report: &str, keyring: Option<&str>) -> (i32, Vec<(String, String, Option<u64>)>) {
    let report = fixture(&format!("reports/signed/{report}"));
    let keyring = keyring.map(|k| fixture(&format!("keys/{k}.yaml")));
    let extra: Vec<&str> = match &keyring {
        Some(k) => vec!["--keyring", k],
        None => vec![],
    };
    let (code, doc) = verify_json(&report, &extra);
    (code, findings(&doc))
}

fn deny(rule: &str, line: u64) -> (String, String, Option<u64>) {
    (rule.to_string(), "deny".to_string(), Some(line))
}

#[test]
fn signed_clean_report_passes() {
    assert_eq!(run("clean.md", Some("keyring")), (0, vec![]));
    assert_eq!(run("detached.md", Some("keyring")), (0, vec![]));
}

#[test]
fn variants_fail_with_exactly_their_rules() {
    let claim = deny("signatures.claim", 179);
    let cases = [
        (
            "unsigned.md",
            "keyring",
            vec![deny("signatures.missing", 179), claim.clone()],
        ),
        (
            "four-signatures.md",
            "keyring",
            vec![deny("signatures.threshold", 179), claim.clone()],
        ),
        (
            "duplicate-signature.md",
            "keyring",
            vec![deny("signatures.duplicate", 186)],
        ),
        (
            "outsider-signature.md",
            "keyring",
            vec![deny("signatures.unknown-key", 186)],
        ),
        (
            "revoked-signer.md",
            "keyring-revoked",
            vec![deny("keys.revoked", 186)],
        ),
        (
            "revoked-signer.md",
            "keyring-expired",
            vec![deny("keys.expired", 186)],
        ),
        // Six distinct valid signers, but the report claims five.
        ("revoked-signer.md", "keyring", vec![claim.clone()]),
    ];
    for (report, keyring, expected) in cases {
        assert_eq!(
            run(report, Some(keyring)),
            (1, expected),
            "{report} with {keyring}"
        );
    }
}

#[test]
fn edited_report_breaks_the_hash_and_all_five_signatures() {
    let (code, found) = run("edited-after-signing.md", Some("keyring"));
    assert_eq!(code, 1);
    let mut expected = vec![
        deny("hash.mismatch", 178),
        deny("signatures.threshold", 179),
        deny("signatures.claim", 179),
    ];
    expected.extend((181..=185).map(|l| deny("signatures.invalid", l)));
    assert_eq!(found, expected);
}

#[test]
fn without_a_keyring_nothing_verifies_and_the_verdict_fails_closed() {
    let (code, found) = run("clean.md", None);
    assert_eq!(code, 1);
    let mut expected = vec![
        deny("signatures.threshold", 179),
        deny("signatures.claim", 179),
    ];
    expected.extend((181..=185).map(|l| deny("signatures.unknown-key", l)));
    assert_eq!(found, expected);
}

#[test]
fn fail_on_warn_fails_a_report_whose_only_findings_are_warnings() {
    // revoked-signer.md with the normal keyring has six valid signers against a claim of five:
    // its only finding is signatures.claim, which this policy lowers to a warning.
    let dir = tempfile::tempdir().unwrap();
    let policy = policy_extending_production(
        dir.path(),
        "warn-claims",
        "rules:\n  signatures.claim: warn\n",
    );
    let report = fixture("reports/signed/revoked-signer.md");
    let keyring = fixture("keys/keyring.yaml");
    let (code, doc) = verify_json(&report, &["--keyring", &keyring, "--policy", &policy]);
    assert_eq!((code, doc["verdict"].as_str()), (0, Some("pass")));
    assert_eq!(doc["summary"]["warn"], 1);
    let (code, doc) = verify_json(
        &report,
        &[
            "--keyring",
            &keyring,
            "--policy",
            &policy,
            "--fail-on",
            "warn",
        ],
    );
    assert_eq!((code, doc["verdict"].as_str()), (1, Some("fail")));
}
