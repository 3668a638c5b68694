//! Validating SARIF against the official 2.1.0 schema (fixtures/vectors/sarif), shared by the
//! end-to-end tests of every command that renders SARIF.
#![allow(dead_code)]

/// The official SARIF 2.1.0 JSON Schema, compiled.
pub fn sarif_validator() -> jsonschema::Validator {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/vectors/sarif/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(path).expect("schema");
    jsonschema::validator_for(&serde_json::from_str(&text).expect("json")).expect("compiles")
}

/// Every schema violation of the SARIF text `sarif`, with where it is; empty when valid.
pub fn sarif_errors(schema: &jsonschema::Validator, sarif: &str) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_str(sarif).expect("json");
    schema
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect()
}
