//! The policy loader through its library API: shipped policies, `extends` merging, located
//! errors, hostile YAML, the digest.

use std::path::PathBuf;
use std::time::{Duration, Instant};
use verdict::limits::Limits;
use verdict::policy::model::{Age, Limit};
use verdict::policy::{self, ErrorKind, Policy, PolicyError, RuleSetting};
use verdict::report::claims::{Quantity, Unit};
use verdict::rules::{gate_rules, policy_rules};
use verdict::verdict::Severity;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(rel: &str) -> Result<Policy, PolicyError> {
    policy::load(&root().join(rel), &Limits::default())
}

fn ok(rel: &str) -> Policy {
    match load(rel) {
        Ok(p) => p,
        Err(e) => panic!("{rel}: {e:?}"),
    }
}

fn err(rel: &str) -> PolicyError {
    match load(rel) {
        Ok(p) => panic!("{rel} loaded: {}", p.policy),
        Err(e) => e,
    }
}

fn err_str(text: &str) -> PolicyError {
    match policy::load_str("inline.yaml", text, &Limits::default()) {
        Ok(p) => panic!("loaded: {}", p.policy),
        Err(e) => e,
    }
}

fn ok_str(text: &str) -> Policy {
    match policy::load_str("inline.yaml", text, &Limits::default()) {
        Ok(p) => p,
        Err(e) => panic!("{e:?}"),
    }
}

fn where_(e: &PolicyError) -> (ErrorKind, Option<usize>, Option<usize>) {
    (e.kind, e.line, e.column)
}

#[test]
fn production_policy_has_the_severities_design_expects() {
    let p = ok("policies/bft-production.yaml");
    assert_eq!(p.policy, "bft-production");
    let warn = [
        "report.encoding",
        "hash.implausible",
        "signatures.algorithm",
        "deployment.recommendation",
        "ledger.replay",
    ];
    for rule in policy_rules() {
        let expected = if warn.contains(&rule.id) {
            Severity::Warn
        } else {
            Severity::Deny
        };
        assert_eq!(
            p.setting(rule.id).and_then(|s| s.severity()),
            Some(expected),
            "{}",
            rule.id
        );
        // No minimum success rate in production (the seed's 16/17 must not fail on it).
        let effective = (rule.id != "checks.success-rate").then_some(expected);
        assert_eq!(p.severity(rule.id), effective, "{}", rule.id);
    }
    assert_eq!(p.severity("no.such-rule"), None);
    // The gate's rules are not the policy's: no setting, never a severity from it.
    for rule in gate_rules() {
        assert_eq!((p.setting(rule.id), p.severity(rule.id)), (None, None));
    }
    let b = match p.bounds(2, 7) {
        Ok(b) => b,
        Err(e) => panic!("{e}"),
    };
    assert_eq!((b.max_faulty, b.quorum, b.signature_threshold), (2, 5, 5));
    assert!(p.signatures_required());
    assert_eq!(p.keyring_path(), None);
    assert_eq!(p.max_age(), Some(jiff::SignedDuration::from_hours(30 * 24)));
    assert_eq!(p.clock_skew(), jiff::SignedDuration::from_mins(5));
    assert!(p.consensus.resilience);
    assert!(p.checks.all_must_pass);
    assert!(p.hash.required);
    assert_eq!(p.digest.len(), "sha256:".len() + 64);
    assert!(p.digest.starts_with("sha256:"));
}

#[test]
fn the_embedded_default_is_the_shipped_file() {
    let embedded = match policy::default_policy() {
        Ok(p) => p,
        Err(e) => panic!("{e:?}"),
    };
    assert_eq!(embedded.digest, ok("policies/bft-production.yaml").digest);
    assert_eq!(embedded.sources, vec!["builtin:bft-production".to_string()]);
}

#[test]
fn staging_extends_production_and_relaxes_it() {
    let p = ok("policies/bft-staging.yaml");
    assert_eq!(p.policy, "bft-staging");
    assert_eq!(p.sources.len(), 2);
    assert!(p.sources[1].ends_with("bft-production.yaml"));
    assert_eq!(p.severity("freshness.stale"), Some(Severity::Warn));
    assert_eq!(p.severity("signatures.missing"), Some(Severity::Warn));
    assert_eq!(
        p.severity("deployment.recommendation"),
        Some(Severity::Info)
    );
    // Still denied: evidence of a wrong or forged report.
    for id in [
        "checks.failed",
        "consistency.node-count",
        "bft.quorum",
        "hash.mismatch",
        "signatures.invalid",
        "keys.revoked",
        "freshness.future",
    ] {
        assert_eq!(p.severity(id), Some(Severity::Deny), "{id}");
    }
    let b = match p.bounds(2, 7) {
        Ok(b) => b,
        Err(e) => panic!("{e}"),
    };
    assert_eq!((b.max_faulty, b.quorum, b.signature_threshold), (2, 5, 3));
    assert_eq!(
        p.freshness.max_age,
        Some(Age {
            seconds: 90 * 86_400
        })
    );
    assert_eq!(p.freshness.clock_skew, Age { seconds: 300 });
    let builtin = match policy::load_builtin("bft-staging") {
        Ok(p) => p,
        Err(e) => panic!("{e:?}"),
    };
    assert_eq!(builtin.digest, p.digest);
}

#[test]
fn extends_merges_key_by_key() {
    let p = ok("fixtures/policies/extends/child/child.yaml");
    assert_eq!(p.policy, "child");
    assert_eq!(p.description.as_deref(), Some("parent of the merge test"));
    // consensus: quorum overridden, max_faulty inherited.
    assert_eq!(p.consensus.quorum.to_string(), "n-f");
    assert_eq!(p.consensus.max_faulty.to_string(), "f");
    // checks: scalar overridden, scalar inherited, list replaced whole, list inherited.
    assert_eq!(p.checks.min_success_rate, Some(95.0));
    assert!(!p.checks.all_must_pass);
    let sections: Vec<_> = p
        .checks
        .required_sections
        .iter()
        .map(|s| s.pattern.as_str())
        .collect();
    assert_eq!(sections, ["Network Partition*"]);
    let thresholds: Vec<_> = p
        .checks
        .thresholds
        .iter()
        .map(|t| (t.check.pattern.clone(), t.max.map(|m| m.to_string())))
        .collect();
    assert_eq!(
        thresholds,
        [
            (
                "Graceful Process Termination".to_string(),
                Some("100ms".to_string())
            ),
            ("*Overhead*".to_string(), Some("5%".to_string())),
        ]
    );
    // freshness: one key each.
    assert_eq!(
        p.freshness.max_age,
        Some(Age {
            seconds: 30 * 86_400
        })
    );
    assert_eq!(p.freshness.clock_skew, Age { seconds: 60 });
    // rules: merged per id, child wins, catalogue defaults beneath.
    assert_eq!(p.setting("checks.failed"), Some(RuleSetting::Deny));
    assert_eq!(p.severity("checks.failed"), None, "all_must_pass: false");
    assert_eq!(p.severity("report.encoding"), Some(Severity::Info));
    assert_eq!(p.severity("ledger.replay"), None);
    assert_eq!(p.severity("hash.implausible"), Some(Severity::Warn));
    // The keyring is relative to the file that names it (the parent), not the child.
    assert_eq!(p.signatures.keyring.as_deref(), Some("keys/ring.yaml"));
    let expected = root().join("fixtures/policies/extends/child/../keys/ring.yaml");
    assert_eq!(p.keyring_path(), Some(expected.as_path()));
}

#[test]
fn extends_cycles_and_missing_parents_are_errors() {
    let e = err("fixtures/policies/bad/extends-self.yaml");
    assert_eq!(where_(&e), (ErrorKind::ExtendsCycle, Some(2), Some(10)));
    let e = err("fixtures/policies/extends/cycle-a.yaml");
    assert_eq!(where_(&e), (ErrorKind::ExtendsCycle, Some(2), Some(10)));
    let dir = root().join("fixtures/policies/extends");
    let (a, b) = (dir.join("cycle-a.yaml"), dir.join("cycle-b.yaml"));
    assert_eq!(
        e.message,
        format!(
            "`extends` forms a cycle: {} -> {} -> {}",
            a.display(),
            b.display(),
            a.display()
        )
    );
    let e = err("fixtures/policies/extends/missing-parent.yaml");
    assert_eq!(where_(&e), (ErrorKind::Io, Some(2), Some(10)));
}

#[test]
fn bad_policies_point_at_the_line_and_column() {
    let cases = [
        ("unknown-key", ErrorKind::UnknownKey, 4, 3),
        ("wrong-type", ErrorKind::WrongType, 3, 13),
        ("bad-expression", ErrorKind::BadExpression, 3, 17),
        ("yaml-syntax", ErrorKind::Syntax, 4, 1),
        ("unknown-rule", ErrorKind::UnknownRule, 4, 3),
        ("bad-duration", ErrorKind::BadDuration, 2, 25),
        ("bad-quantity", ErrorKind::BadQuantity, 5, 12),
    ];
    for (name, kind, line, column) in cases {
        let e = err(&format!("fixtures/policies/bad/{name}.yaml"));
        assert_eq!(where_(&e), (kind, Some(line), Some(column)), "{name}: {e}");
    }
}

#[test]
fn value_errors_are_located_in_any_yaml_style() {
    // Plain scalar: the `*` is 3 bytes into `2f+*1`, which starts at column 11.
    let e = err_str("policy: x\nconsensus:\n  quorum: 2f+*1\n");
    assert_eq!(where_(&e), (ErrorKind::BadExpression, Some(3), Some(14)));
    // Flow mapping, single-quoted.
    let e = err_str("policy: x\nsignatures: {threshold: '2f+1)'}\n");
    assert_eq!(where_(&e), (ErrorKind::BadExpression, Some(2), Some(30)));
    // Inside a list of thresholds.
    let e = err_str(
        "policy: x\nchecks:\n  thresholds:\n    - {check: a, max: 1ms}\n    - {check: b}\n",
    );
    assert_eq!(where_(&e), (ErrorKind::BadValue, Some(5), Some(7)));
    assert_eq!(e.message, "threshold for `b` has neither `max` nor `min`");
    // A percent out of range.
    let e = err_str("policy: x\nchecks:\n  min_success_rate: 120%\n");
    assert_eq!(where_(&e), (ErrorKind::BadValue, Some(3), Some(21)));
    // min above max, and mixed dimensions.
    let e = err_str("policy: x\nchecks:\n  thresholds: [{check: a, max: 1ms, min: 2ms}]\n");
    assert_eq!(e.message, "`min` (2ms) is greater than `max` (1ms)");
    let e = err_str("policy: x\nchecks:\n  thresholds: [{check: a, max: 1ms, min: 2%}]\n");
    assert_eq!(e.kind, ErrorKind::BadQuantity);
    // A rule set twice: the second occurrence.
    let e = err_str("policy: x\nrules:\n  checks.failed: warn\n  checks.failed: deny\n");
    assert_eq!(where_(&e), (ErrorKind::DuplicateKey, Some(4), Some(3)));
    // An unknown severity.
    let e = err_str("policy: x\nrules:\n  checks.failed: block\n");
    assert_eq!(where_(&e), (ErrorKind::BadValue, Some(3), Some(18)));
    // A missing name.
    let e = err_str("consensus: {quorum: 2f+1}\n");
    assert_eq!(e.kind, ErrorKind::MissingKey);
    // An unknown algorithm.
    let e = err_str("policy: x\nsignatures: {algorithms: [rsa]}\n");
    assert_eq!(where_(&e), (ErrorKind::BadValue, Some(2), Some(27)));
    let e = err_str("# nothing\n\n");
    assert_eq!(e.kind, ErrorKind::Empty);
}

#[test]
fn a_policy_cannot_set_a_gate_rule() {
    let e = err_str("policy: x\nrules:\n  gate.untrusted: off\n");
    assert_eq!(where_(&e), (ErrorKind::UnknownRule, Some(3), Some(3)));
    assert_eq!(e.message, "rule `gate.untrusted` cannot be set by a policy");
    assert_eq!(
        e.help.as_deref(),
        Some("`verdict gate` decides its rules at a fixed severity; remove this line")
    );
    // A typo is still suggested a policy rule, never a gate rule.
    let e = err_str("policy: x\nrules:\n  gate.untrustd: warn\n");
    assert_eq!(e.message, "unknown rule id `gate.untrustd`");
    assert_eq!(
        e.help.as_deref(),
        Some("`verdict rules` lists every rule id")
    );
}

#[test]
fn unknown_keys_are_refused_in_every_section() {
    for section in ["consensus", "signatures", "hash", "checks", "freshness"] {
        let e = err_str(&format!("policy: x\n{section}:\n  bogus: 1\n"));
        assert_eq!(
            where_(&e),
            (ErrorKind::UnknownKey, Some(3), Some(3)),
            "{section}"
        );
    }
    let e = err_str(
        "policy: x\nchecks:\n  thresholds:\n    - check: a\n      max: 1ms\n      maxx: 2ms\n",
    );
    assert_eq!(where_(&e), (ErrorKind::UnknownKey, Some(6), Some(7)));
    assert_eq!(
        e.help.as_deref(),
        Some("did you mean `max`? Allowed here: check, max, min")
    );
    let e = err_str("policy: x\nlimits: {}\n");
    assert_eq!(where_(&e), (ErrorKind::UnknownKey, Some(2), Some(1)));
}

#[test]
fn thresholds_compare_in_base_units() {
    let p = ok_str(
        "policy: t\nchecks:\n  thresholds:\n    - {check: graceful process termination, max: 50ms}\n    - {check: \"*overhead*\", max: 5%}\n",
    );
    let q = |value, unit| Quantity {
        value,
        unit: Some(unit),
    };
    let breaks = |name: &str, m: Quantity| -> Vec<Option<bool>> {
        p.thresholds_for(name).map(|t| t.breaks(&m)).collect()
    };
    assert_eq!(
        breaks("Graceful Process Termination", q(51.0, Unit::Ms)),
        [Some(true)]
    );
    assert_eq!(
        breaks("Graceful Process Termination", q(0.05, Unit::S)),
        [Some(false)]
    );
    assert_eq!(
        breaks("Graceful Process Termination", q(1.0, Unit::S)),
        [Some(true)]
    );
    assert_eq!(
        breaks("Memory Overhead Check", q(0.6, Unit::Percent)),
        [Some(false)]
    );
    assert_eq!(
        breaks("Memory Overhead Check", q(6.0, Unit::Percent)),
        [Some(true)]
    );
    assert_eq!(breaks("Memory Overhead Check", q(6.0, Unit::Ms)), [None]);
    assert!(breaks("Something else", q(1.0, Unit::S)).is_empty());
    let p100 = ok_str("policy: t\nchecks: {thresholds: [{check: G, max: 100ms}]}\n");
    let t = &p100.checks.thresholds[0];
    assert_eq!(t.breaks(&q(51.0, Unit::Ms)), Some(false));
    assert_eq!(
        t.max.map(|l: Limit| l.normalized().1),
        Some(0.1),
        "100ms normalises to 0.1 s"
    );
}

#[test]
fn digest_is_sha256_of_the_canonical_json() {
    use sha2::{Digest, Sha256};
    let p = ok_str("policy: tiny\n");
    let rules: Vec<String> = {
        let mut ids: Vec<_> = policy_rules().collect();
        ids.sort_by_key(|r| r.id);
        ids.iter()
            .map(|r| format!("\"{}\":\"{}\"", r.id, r.default.as_str()))
            .collect()
    };
    let expected = format!(
        concat!(
            "{{\"checks\":{{\"all_must_pass\":true,\"required_sections\":[],\"thresholds\":[]}},",
            "\"consensus\":{{\"max_faulty\":\"f\",\"quorum\":\"2f+1\",\"resilience\":true}},",
            "\"freshness\":{{\"clock_skew\":\"5m\",\"max_age\":\"off\"}},",
            "\"hash\":{{\"algorithms\":[\"sha256\"],\"required\":true}},",
            "\"policy\":\"tiny\",\"rules\":{{{}}},",
            "\"signatures\":{{\"algorithms\":[\"ed25519\"],\"threshold\":\"0\"}}}}"
        ),
        rules.join(",")
    );
    assert_eq!(p.canonical_json(), expected);
    assert_eq!(
        p.digest,
        format!(
            "sha256:{}",
            hex::encode(Sha256::digest(expected.as_bytes()))
        )
    );
    assert!(!p.signatures_required());
    // Spelling does not change the policy: `2 * f + 1` is `2f+1`, `720h` is `30d`.
    let a = ok_str("policy: s\nconsensus: {quorum: 2f+1}\nfreshness: {max_age: 720h}\n");
    let b = ok_str("policy: s\nconsensus: {quorum: \"2 * f + 1\"}\nfreshness: {max_age: 30d}\n");
    assert_eq!(a.digest, b.digest);
    let c = ok_str("policy: s\nconsensus: {quorum: 2f+2}\nfreshness: {max_age: 30d}\n");
    assert_ne!(a.digest, c.digest);
}

#[test]
fn the_printed_resolved_policy_loads_back_to_the_same_digest() {
    for rel in ["policies/bft-production.yaml", "policies/bft-staging.yaml"] {
        let p = ok(rel);
        let yaml = match serde_yaml::to_string(&p) {
            Ok(y) => y,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(ok_str(&yaml).digest, p.digest, "{rel}");
    }
}

#[test]
fn oversized_policies_are_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("big.yaml");
    let limits = Limits::default();
    let body = format!(
        "policy: big\ndescription: \"{}\"\n",
        "x".repeat(limits.max_policy_bytes as usize)
    );
    std::fs::write(&path, body).unwrap_or_else(|e| panic!("{e}"));
    match policy::load(&path, &limits) {
        Err(e) => assert_eq!(e.kind, ErrorKind::TooLarge),
        Ok(_) => panic!("loaded"),
    }
}

/// The classic "billion laughs": nine levels of nine aliases (~387 million `lol`s).
pub fn billion_laughs(prefix: &str) -> String {
    let mut s = String::from(prefix);
    s.push_str("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        s.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], refs));
    }
    s
}

#[test]
fn billion_laughs_is_refused_fast() {
    let start = Instant::now();
    let e = err_str(&billion_laughs("policy: lol\n"));
    assert_eq!(e.kind, ErrorKind::UnknownKey);
    // Inside the format: the only list fields hold strings, so the first alias to a list fails.
    let nested = "policy: lol\ndescription: &a [lol, lol, lol]\nchecks:\n  required_sections: [*a, *a, *a]\n";
    let e = err_str(nested);
    assert_eq!(e.kind, ErrorKind::WrongType);
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn serde_norway_backstops_hold() {
    // Beneath the format's own bounds: serde_norway refuses alias expansion past 100 jumps per
    // event and nesting past 128 levels, even into an untyped value.
    let start = Instant::now();
    let r: Result<serde_yaml::Value, _> = serde_yaml::from_str(&billion_laughs(""));
    match r {
        Err(e) => assert!(e.to_string().contains("repetition limit exceeded"), "{e}"),
        Ok(_) => panic!("expanded a billion laughs"),
    }
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let r: Result<serde_yaml::Value, _> = serde_yaml::from_str(&deep);
    match r {
        Err(e) => assert!(e.to_string().contains("recursion limit exceeded"), "{e}"),
        Ok(_) => panic!("accepted 200 levels"),
    }
    let ok_depth = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let r: Result<serde_yaml::Value, _> = serde_yaml::from_str(&ok_depth);
    assert!(r.is_ok());
}

#[test]
fn deep_nesting_is_refused_fast() {
    let start = Instant::now();
    let deep = format!(
        "policy: deep\nchecks:\n  required_sections: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let e = err_str(&deep);
    assert_eq!(
        where_(&e),
        (ErrorKind::TooComplex, Some(3), Some(22 + 1024))
    );
    let e = err_str(&format!(
        "policy: {}{}\n",
        "{a: ".repeat(10_000),
        "}".repeat(10_000)
    ));
    assert_eq!(e.kind, ErrorKind::TooComplex);
    // Quotes cannot hide nesting from the bound.
    let e = err_str(&format!(
        "policy: x\ndescription: {}\n",
        "[ \"]\" ".repeat(2000)
    ));
    assert_eq!(e.kind, ErrorKind::TooComplex);
    // Under the bound, the format's shape refuses nesting at its first level.
    let e = err_str(&format!(
        "policy: deep\nchecks:\n  required_sections: {}{}\n",
        "[".repeat(1000),
        "]".repeat(1000)
    ));
    assert_eq!(where_(&e), (ErrorKind::WrongType, Some(3), Some(23)));
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn pattern_lists_are_bounded() {
    let many = format!(
        "policy: x\nchecks:\n  required_sections:\n{}",
        "  - a\n".repeat(policy::load::MAX_PATTERNS + 1)
    );
    let e = err_str(&many);
    assert_eq!(where_(&e), (ErrorKind::TooComplex, Some(4), Some(3)));
    assert_eq!(
        e.message,
        format!(
            "`checks.required_sections` has {} entries; at most {} are allowed",
            policy::load::MAX_PATTERNS + 1,
            policy::load::MAX_PATTERNS
        )
    );
    let long = format!(
        "policy: x\nchecks:\n  thresholds:\n    - {{check: {}, max: 1s}}\n",
        "a".repeat(policy::load::MAX_PATTERN_LEN + 1)
    );
    let e = err_str(&long);
    assert_eq!(where_(&e), (ErrorKind::TooComplex, Some(4), Some(15)));
    let rules = format!(
        "policy: x\nrules:\n{}",
        (0..1001)
            .map(|i| format!("  r{i}: deny\n"))
            .collect::<String>()
    );
    assert_eq!(err_str(&rules).kind, ErrorKind::TooComplex);
}

#[test]
fn extends_chains_are_bounded() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, body: String| {
        std::fs::write(dir.path().join(name), body).unwrap_or_else(|e| panic!("{e}"))
    };
    // p0 extends p1 … extends p8: nine files, one more than allowed.
    for i in 0..=policy::load::MAX_EXTENDS {
        let ext = if i < policy::load::MAX_EXTENDS {
            format!("extends: p{}.yaml\n", i + 1)
        } else {
            String::new()
        };
        write(&format!("p{i}.yaml"), format!("policy: p{i}\n{ext}"));
    }
    let e = match policy::load(&dir.path().join("p0.yaml"), &Limits::default()) {
        Err(e) => e,
        Ok(_) => panic!("loaded a chain of 9"),
    };
    assert_eq!(where_(&e), (ErrorKind::ExtendsTooDeep, Some(2), Some(10)));
    // Eight files load, and the most derived name wins.
    match policy::load(&dir.path().join("p1.yaml"), &Limits::default()) {
        Ok(p) => {
            assert_eq!(p.policy, "p1");
            assert_eq!(p.sources.len(), policy::load::MAX_EXTENDS);
        }
        Err(e) => panic!("{e:?}"),
    }
    // A child may extend a built-in policy.
    write(
        "mine.yaml",
        "policy: mine\nextends: builtin:bft-production\nfreshness: {max_age: 7d}\n".into(),
    );
    match policy::load(&dir.path().join("mine.yaml"), &Limits::default()) {
        Ok(p) => {
            assert_eq!(
                p.freshness.max_age,
                Some(Age {
                    seconds: 7 * 86_400
                })
            );
            assert_eq!(p.severity("hash.implausible"), Some(Severity::Warn));
            assert_eq!(p.sources[1], "builtin:bft-production");
        }
        Err(e) => panic!("{e:?}"),
    }
    write("bad.yaml", "policy: b\nextends: builtin:nope\n".into());
    match policy::load(&dir.path().join("bad.yaml"), &Limits::default()) {
        Err(e) => assert_eq!(where_(&e), (ErrorKind::BadValue, Some(2), Some(10))),
        Ok(_) => panic!("loaded"),
    }
}

#[test]
fn sections_switch_their_rules_off() {
    let p = ok_str(
        "policy: x\nhash: {required: false}\nconsensus: {resilience: false}\nchecks: {all_must_pass: false}\n",
    );
    for id in [
        "hash.missing",
        "bft.resilience",
        "checks.failed",
        "signatures.missing",
        "signatures.threshold",
        "freshness.stale",
        "checks.success-rate",
    ] {
        assert_eq!(p.severity(id), None, "{id}");
        assert_eq!(
            p.setting(id).map(|s| s.as_str()),
            verdict::rules::find(id).map(|r| r.default.as_str()),
            "{id}"
        );
    }
    assert_eq!(p.severity("hash.mismatch"), Some(Severity::Deny));
    assert_eq!(p.severity("bft.quorum"), Some(Severity::Deny));
    let q = ok_str(
        "policy: y\nsignatures: {threshold: 2f+1}\nfreshness: {max_age: 1d}\nchecks: {min_success_rate: 90}\nrules: {signatures.missing: off}\n",
    );
    assert_eq!(q.severity("signatures.missing"), None);
    assert_eq!(q.severity("signatures.threshold"), Some(Severity::Deny));
    assert_eq!(q.severity("freshness.stale"), Some(Severity::Deny));
    assert_eq!(q.severity("checks.success-rate"), Some(Severity::Deny));
}

mod never_panics {
    use proptest::prelude::*;
    use verdict::limits::Limits;

    const PRODUCTION: &str = include_str!("../policies/bft-production.yaml");

    proptest! {
        #[test]
        fn on_arbitrary_text(text in "\\PC{0,300}") {
            let _ = verdict::policy::load_str("fuzz.yaml", &text, &Limits::default());
        }

        #[test]
        fn on_edited_production_policy(
            at in 0usize..PRODUCTION.len(),
            cut in 0usize..40,
            insert in "[\\[\\]{}:,&*!|>'\"#\\- \\n\\tfn0-9a-z.%]{0,12}",
        ) {
            let mut text = PRODUCTION.to_string();
            let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            let end = (at + cut).min(text.len());
            let end = (end..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
            text.replace_range(at..end, &insert);
            if let Err(e) = verdict::policy::load_str("fuzz.yaml", &text, &Limits::default()) {
                // Every error renders, with its label inside the source.
                let rendered = format!("{:?}", miette::Report::new(e));
                prop_assert!(!rendered.is_empty());
            }
        }
    }
}
