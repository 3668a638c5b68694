//! Canonical JSON: object keys sorted by their bytes, no whitespace, scalars as serde_json
//! writes them. Digests and signatures cover these bytes (the policy digest, ledger records),
//! so one writer serves every place that hashes JSON.

use serde_json::Value;

/// The canonical text of a JSON value.
pub fn to_string(value: &Value) -> String {
    let mut out = String::with_capacity(256);
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(v, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sorted_by_bytes_no_whitespace() {
        let v = serde_json::json!({"b": [1, {"z": null, "a": "é\n"}], "B": 1.5, "a": true});
        assert_eq!(
            to_string(&v),
            r#"{"B":1.5,"a":true,"b":[1,{"a":"é\n","z":null}]}"#
        );
    }
}
