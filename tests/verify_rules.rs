//! One fixture per consistency, checks, bft and freshness rule (fixtures/reports/rules/): each
//! fires exactly the expected set, and the unedited reports do not fire it.

mod common;
use common::*;

/// What `base.md` fires by itself: the attestation and recommendation of the seed, which the
/// rule fixtures leave alone.
const BASE: &[&str] = &[
    "deployment.recommendation",
    "hash.implausible",
    "hash.mismatch",
    "signatures.algorithm",
    "signatures.claim",
    "signatures.missing",
];

fn fired(fixture_name: &str, extra: &[&str]) -> (i32, Vec<String>) {
    let (code, doc) = verify_json(&fixture(&format!("reports/rules/{fixture_name}.md")), extra);
    (code, rules_fired(&doc))
}

fn with_base(extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = BASE.iter().chain(extra).map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn base_fires_only_its_attestation_findings() {
    assert_eq!(fired("base", &[]).1, with_base(&[]));
}

#[test]
fn each_fixture_fires_exactly_its_rules() {
    let cases: &[(&str, &[&str])] = &[
        ("section-count", &["consistency.section-count"]),
        (
            "section-status",
            &[
                "checks.failed",
                "consistency.section-count",
                "consistency.section-status",
                "consistency.success-rate",
            ],
        ),
        ("summary", &["consistency.summary"]),
        ("success-rate", &["consistency.success-rate"]),
        ("threshold", &["consistency.threshold"]),
        ("node-count", &["consistency.node-count"]),
        ("arithmetic", &["consistency.arithmetic"]),
        ("resilience", &["bft.resilience", "consistency.node-count"]),
        ("faults", &["bft.faults", "bft.quorum"]),
        ("quorum", &["bft.quorum"]),
        (
            "checks-failed",
            &[
                "checks.failed",
                "consistency.section-count",
                "consistency.section-status",
                "consistency.success-rate",
            ],
        ),
        ("stale", &["freshness.stale"]),
        ("future", &["freshness.future"]),
    ];
    for (name, rules) in cases {
        let (code, got) = fired(name, &[]);
        assert_eq!(got, with_base(rules), "{name}");
        assert_eq!(code, 1, "{name}");
    }
}

#[test]
fn required_section_missing_fires_checks_missing() {
    let policy = fixture("policies/require-byzantine-agreement.yaml");
    assert_eq!(
        fired("checks-missing", &["--policy", &policy]).1,
        with_base(&["checks.missing"])
    );
    assert_eq!(fired("base", &["--policy", &policy]).1, with_base(&[]));
}

/// Rules the clean seed must not fire: every rule of the fixtures except the three that
/// DESIGN.md expects on it (checks.failed, consistency.node-count, freshness.stale).
#[test]
fn clean_seed_fires_none_of_the_other_rules() {
    let (_, doc) = verify_json(&fixture("reports/seed-clean-lf.md"), &[]);
    let got = rules_fired(&doc);
    for rule in [
        "consistency.section-count",
        "consistency.section-status",
        "consistency.summary",
        "consistency.success-rate",
        "consistency.threshold",
        "consistency.arithmetic",
        "checks.missing",
        "checks.threshold",
        "checks.success-rate",
        "bft.resilience",
        "bft.faults",
        "bft.quorum",
        "freshness.future",
    ] {
        assert!(!got.contains(&rule.to_string()), "clean seed fired {rule}");
    }
}

fn threshold_policy(dir: &std::path::Path, check: &str, max: &str) -> String {
    policy_extending_production(
        dir,
        &format!("t-{}", max.replace('.', "_")),
        &format!("checks:\n  thresholds: [{{ check: \"{check}\", max: {max} }}]\n"),
    )
}

#[test]
fn policy_thresholds_convert_units() {
    let dir = tempfile::tempdir().unwrap();
    let check = "Graceful Process Termination"; // measured 51ms
    for (max, fires) in [
        ("50ms", true),
        ("100ms", false),
        ("1s", false),
        ("0.05s", true),
        ("51000us", false),
    ] {
        let p = threshold_policy(dir.path(), check, max);
        let got = fired("base", &["--policy", &p]).1;
        assert_eq!(
            got.contains(&"checks.threshold".to_string()),
            fires,
            "max {max}"
        );
    }
    let check = "Memory Deallocation"; // measured 0.1%
    for (max, fires) in [("0.05%", true), ("5%", false)] {
        let p = threshold_policy(dir.path(), check, max);
        let got = fired("base", &["--policy", &p]).1;
        assert_eq!(
            got.contains(&"checks.threshold".to_string()),
            fires,
            "max {max}"
        );
    }
}

#[test]
fn threshold_finding_points_at_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let p = threshold_policy(dir.path(), "Graceful Process Termination", "50ms");
    let (_, doc) = verify_json(&fixture("reports/rules/base.md"), &["--policy", &p]);
    let f = findings(&doc);
    assert!(
        f.contains(&("checks.threshold".into(), "deny".into(), Some(31))),
        "{f:?}"
    );
}

#[test]
fn corpus_verifies_without_errors() {
    let Some(dir) = corpus_dir() else {
        println!("skipped: ../shared/corpus not present");
        return;
    };
    for file in corpus_files(&dir) {
        let out = verdict()
            .args([
                "verify",
                file.to_str().unwrap(),
                "--now",
                NOW,
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        let code = out.status.code();
        assert!(
            matches!(code, Some(0 | 1 | 3)),
            "{}: exit {code:?}\n{}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["schema"], "verdict/v1");
    }
}

#[test]
fn nothing_verifiable_is_inconclusive_never_a_pass() {
    let dir = tempfile::tempdir().unwrap();
    let prose = dir.path().join("prose.md");
    std::fs::write(
        &prose,
        "# Notes\n\nThe swarm ran and everyone was happy with it.\n",
    )
    .unwrap();
    // Even a policy that asks for nothing else cannot turn an empty report into a pass.
    let policy = policy_extending_production(
        dir.path(),
        "lenient",
        "hash: { required: false }\nsignatures: { threshold: 0 }\nfreshness: { max_age: off }\n",
    );
    let (code, doc) = verify_json(prose.to_str().unwrap(), &["--policy", &policy]);
    assert_eq!(code, 3);
    assert_eq!(doc["verdict"], "inconclusive");
    assert_eq!(rules_fired(&doc), ["report.empty"]);
}

#[test]
fn a_score_in_a_heading_is_not_a_test_count() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("scores.md");
    let rows = "| Check | Status |\n|---|---|\n| a | ✅ PASS |\n| b | ✅ PASS |\n";
    std::fs::write(
        &report,
        format!("# R\n\n### Environment (Score: 10/10)\n\n{rows}\n### Build ✅ PASSED (3/3 tests)\n\n{rows}"),
    )
    .unwrap();
    let (_, doc) = verify_json(report.to_str().unwrap(), &[]);
    let counts: Vec<_> = findings(&doc)
        .into_iter()
        .filter(|f| f.0 == "consistency.section-count")
        .collect();
    // Only the `(3/3 tests)` heading is a count of its rows (2 of them).
    assert_eq!(
        counts,
        [("consistency.section-count".into(), "deny".into(), Some(10))]
    );
}

#[test]
fn success_rate_below_the_policy_minimum_fires_checks_success_rate() {
    let dir = tempfile::tempdir().unwrap();
    let policy = policy_extending_production(
        dir.path(),
        "min-rate",
        "checks: { min_success_rate: 95% }\n",
    );
    // checks-failed.md: 16 of 17 checks pass (94.1 %), below 95 %.
    let (_, doc) = verify_json(
        &fixture("reports/rules/checks-failed.md"),
        &["--policy", &policy],
    );
    assert!(rules_fired(&doc).contains(&"checks.success-rate".to_string()));
    // base.md: 17 of 17.
    assert_eq!(fired("base", &["--policy", &policy]).1, with_base(&[]));
    // The unedited clean seed (16/17) under the production policy: no minimum, no finding.
    let (_, doc) = verify_json(&fixture("reports/seed-clean-lf.md"), &[]);
    assert!(!rules_fired(&doc).contains(&"checks.success-rate".to_string()));
}
