//! The seed report with the default policy gives exactly DESIGN.md's findings, each at its
//! line, and every variant of it agrees (the clean original only lacks `report.encoding`).

mod common;
use common::*;

fn expected(with_encoding: bool) -> Vec<(String, String, Option<u64>)> {
    let mut e = vec![
        ("freshness.stale", "deny", Some(5)),
        ("report.encoding", "warn", Some(14)),
        ("checks.failed", "deny", Some(60)),
        ("consistency.node-count", "deny", Some(74)),
        ("signatures.algorithm", "warn", Some(97)),
        ("deployment.recommendation", "warn", Some(160)),
        ("hash.mismatch", "deny", Some(198)),
        ("hash.implausible", "warn", Some(198)),
        ("signatures.missing", "deny", Some(199)),
        ("signatures.claim", "deny", Some(199)),
    ];
    if !with_encoding {
        e.retain(|f| f.0 != "report.encoding");
    }
    e.into_iter()
        .map(|(r, s, l)| (r.to_string(), s.to_string(), l))
        .collect()
}

#[test]
fn seed_yields_exactly_the_design_findings() {
    let (code, doc) = verify_json(&fixture("reports/seed.txt"), &[]);
    assert_eq!(code, 1);
    assert_eq!(doc["verdict"], "fail");
    assert_eq!(findings(&doc), expected(true));
    assert_eq!(doc["summary"]["deny"], 6);
    assert_eq!(doc["summary"]["warn"], 4);
    assert_eq!(
        doc["report"]["id"],
        "byzantine-validator-primary-20250924-135948"
    );
    assert_eq!(doc["policy"]["name"], "bft-production");
}

#[test]
fn clean_originals_differ_only_by_the_encoding_note() {
    for f in ["reports/seed-clean-lf.md", "reports/seed-clean-crlf.md"] {
        let (code, doc) = verify_json(&fixture(f), &[]);
        assert_eq!(code, 1, "{f}");
        assert_eq!(findings(&doc), expected(false), "{f}");
    }
}

#[test]
fn messages_carry_the_numbers() {
    let (_, doc) = verify_json(&fixture("reports/seed.txt"), &[]);
    let msg = |rule: &str| -> String {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule)
            .map(|f| f["message"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert!(msg("report.encoding").starts_with("36 mojibake sequences"));
    assert!(msg("checks.failed").contains("Resource Bounds Enforcement"));
    assert!(msg("consistency.node-count").contains("n = 7"));
    let mismatch = msg("hash.mismatch");
    assert!(mismatch.contains("a8f7e2b9c4d6f1a5e3c8b2a9f7e4d1c6b9a2f5e8c1d4a7b3f9e2c5a8d1b4f7e0"));
    let computed = doc["report"]["digest"]
        .as_str()
        .unwrap()
        .trim_start_matches("sha256:");
    assert!(mismatch.contains(computed), "{mismatch} vs {computed}");
    assert!(msg("signatures.missing").contains("2f+1 = 5"));
    assert!(msg("signatures.claim").contains("claims 5/7"));
}

#[test]
fn staging_policy_keeps_only_integrity_and_consistency_denials() {
    let staging = root()
        .join("policies/bft-staging.yaml")
        .display()
        .to_string();
    let (code, doc) = verify_json(&fixture("reports/seed.txt"), &["--policy", &staging]);
    assert_eq!(code, 1);
    let denies: Vec<String> = findings(&doc)
        .into_iter()
        .filter(|f| f.1 == "deny")
        .map(|f| f.0)
        .collect();
    assert_eq!(
        denies,
        ["checks.failed", "consistency.node-count", "hash.mismatch"]
    );
    assert_eq!(doc["policy"]["name"], "bft-staging");
}

#[test]
fn real_verdicts_validate_against_the_published_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/verdict.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let keyring = fixture("keys/keyring.yaml");
    for (report, extra) in [
        ("reports/seed.txt", vec![]),
        (
            "reports/signed/clean.md",
            vec!["--keyring", keyring.as_str()],
        ),
        ("reports/rules/faults.md", vec![]),
    ] {
        let (_, doc) = verify_json(&fixture(report), &extra);
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{report}: {errors:#?}");
    }
}
