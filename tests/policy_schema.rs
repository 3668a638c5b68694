//! policies/schema.json and the Rust policy types agree: the same keys at the same places,
//! the same rule ids and enum values; shipped policies validate; unknown keys fail both.

use serde_json::Value;
use std::collections::BTreeSet;
use verdict::limits::Limits;
use verdict::policy::model::*;
use verdict::rules::policy_rules;

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    let text = match std::fs::read_to_string(root().join("policies/schema.json")) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    }
}

fn validator() -> jsonschema::Validator {
    match jsonschema::validator_for(&schema()) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    }
}

fn yaml_to_json(text: &str) -> Value {
    match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    }
}

/// A file with every key set. The struct literals name every field (no `..Default`), so a
/// field added to the Rust types does not compile here until it is added — and then this
/// test demands it in the schema too.
fn every_key() -> PolicyFile {
    PolicyFile {
        policy: "p".into(),
        description: Some("d".into()),
        extends: Some("x.yaml".into()),
        consensus: Some(ConsensusFile {
            resilience: Some(true),
            max_faulty: Some("f".into()),
            quorum: Some("2f+1".into()),
        }),
        signatures: Some(SignaturesFile {
            threshold: Some("2f+1".into()),
            keyring: Some("k.yaml".into()),
            algorithms: Some(vec![SignatureAlgorithm::Ed25519]),
        }),
        hash: Some(HashFile {
            required: Some(true),
            algorithms: Some(vec![HashAlgorithm::Sha256]),
        }),
        checks: Some(ChecksFile {
            all_must_pass: Some(true),
            min_success_rate: Some("95%".into()),
            required_sections: Some(vec!["A*".into()]),
            thresholds: Some(vec![ThresholdFile {
                check: "c".into(),
                max: Some("100ms".into()),
                min: Some("1ms".into()),
            }]),
        }),
        freshness: Some(FreshnessFile {
            max_age: Some("30d".into()),
            clock_skew: Some("5m".into()),
        }),
        rules: Some(RuleMap(vec![("checks.failed".into(), RuleSetting::Deny)])),
    }
}

/// Key paths of an instance (`checks.thresholds[].max`); `rules` is a map, not a struct.
fn instance_paths(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let path = format!("{prefix}{k}");
                out.insert(path.clone());
                if path != "rules" {
                    instance_paths(v, &format!("{path}."), out);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                instance_paths(item, &format!("{}[].", prefix.trim_end_matches('.')), out);
            }
        }
        _ => {}
    }
}

/// Key paths the schema declares, following `properties` and `items` (no `$ref` into objects).
fn schema_paths(s: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    if let Some(props) = s.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            let path = format!("{prefix}{k}");
            out.insert(path.clone());
            if path != "rules" {
                schema_paths(v, &format!("{path}."), out);
            }
        }
    }
    if let Some(items) = s.get("items") {
        schema_paths(items, &format!("{}[].", prefix.trim_end_matches('.')), out);
    }
}

#[test]
fn schema_and_types_have_the_same_keys() {
    let instance = match serde_json::to_value(every_key()) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    };
    let mut from_rust = BTreeSet::new();
    instance_paths(&instance, "", &mut from_rust);
    let mut from_schema = BTreeSet::new();
    schema_paths(&schema(), "", &mut from_schema);
    assert_eq!(from_rust, from_schema);
    // The all-keys file is valid to the schema and round-trips through the Rust types.
    assert!(validator().is_valid(&instance), "{instance}");
    let back: PolicyFile = match serde_json::from_value(instance) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(back, every_key());
}

#[test]
fn schema_enumerates_the_catalogue_and_the_enums() {
    let s = schema();
    let ids: Vec<&str> = s["properties"]["rules"]["propertyNames"]["enum"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    // The rules a policy may set: the catalogue without the gate's, which are fixed.
    let catalogue: Vec<&str> = policy_rules().map(|r| r.id).collect();
    assert_eq!(ids, catalogue);
    let severities = &s["$defs"]["severity"]["enum"];
    let rust: Vec<Value> = [
        RuleSetting::Deny,
        RuleSetting::Warn,
        RuleSetting::Info,
        RuleSetting::Off,
    ]
    .iter()
    .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
    .collect();
    assert_eq!(severities, &Value::Array(rust));
    assert_eq!(
        s["properties"]["signatures"]["properties"]["algorithms"]["items"]["enum"],
        serde_json::json!(["ed25519"])
    );
    assert_eq!(
        s["properties"]["hash"]["properties"]["algorithms"]["items"]["enum"],
        serde_json::json!(["sha256"])
    );
}

#[test]
fn shipped_and_fixture_policies_validate() {
    let v = validator();
    for rel in [
        "policies/bft-production.yaml",
        "policies/bft-staging.yaml",
        "fixtures/policies/extends/base.yaml",
        "fixtures/policies/extends/child/child.yaml",
    ] {
        let text = match std::fs::read_to_string(root().join(rel)) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        let doc = yaml_to_json(&text);
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{rel}: {errors:?}");
    }
}

#[test]
fn both_refuse_what_the_format_does_not_allow() {
    let v = validator();
    let cases = [
        "policy: x\nconsensus:\n  quorom: 2f+1\n",
        "policy: x\nsurprise: 1\n",
        "policy: x\nchecks:\n  thresholds: [{check: a, maxx: 1ms}]\n",
        "policy: x\nrules: {checks.faild: deny}\n",
        "policy: x\nrules: {gate.untrusted: off}\n",
        "policy: x\nrules: {checks.failed: block}\n",
        "policy: x\nhash: {required: [yes]}\n",
        "policy: x\nsignatures: {algorithms: [rsa]}\n",
        "policy: x\nfreshness: {max_age: 30x}\n",
        "policy: x\nchecks: {thresholds: [{check: a}]}\n",
        "description: no name\n",
    ];
    for text in cases {
        assert!(!v.is_valid(&yaml_to_json(text)), "schema accepted {text:?}");
        assert!(
            verdict::policy::load_str("t.yaml", text, &Limits::default()).is_err(),
            "loader accepted {text:?}"
        );
    }
}
