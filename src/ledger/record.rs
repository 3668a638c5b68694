//! The verdict record: what one ledger entry says, and its canonical JSON bytes (the leaf).
//!
//! Canonical JSON is what makes a record re-hashable by another tool: objects with keys
//! sorted by their UTF-8 bytes, no insignificant whitespace, strings and numbers written
//! the way `serde_json` writes them. The encoder below does the sorting itself, so the bytes
//! do not depend on whether some crate in the build enabled `serde_json/preserve_order`.

use crate::verdict::{Finding, Outcome};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Format tag of every record; a new layout gets a new tag, never a silent change.
pub const RECORD_FORMAT: &str = "verdict/ledger-record/v1";

/// Largest record accepted, in bytes: a verdict with thousands of findings still fits,
/// and a hostile database cannot make an audit allocate without bound per row.
pub const MAX_RECORD_BYTES: usize = 4 * 1024 * 1024;

/// What the caller knows about a verdict when it asks for it to be recorded; the ledger
/// adds the sequence number and the verifier's public key.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordInput {
    /// Canonical report digest, `sha256:<hex>`.
    pub report_digest: String,
    /// The report's own id, when it states one.
    pub report_id: Option<String>,
    pub policy_name: String,
    /// Digest of the resolved policy, `sha256:<hex>`.
    pub policy_digest: String,
    /// Digest of the keyring used, when there was one.
    pub keyring_digest: Option<String>,
    pub verdict: Outcome,
    pub findings: Vec<Finding>,
    /// e.g. `verdict 0.1.0`.
    pub tool_version: String,
    pub time: jiff::Timestamp,
}

impl RecordInput {
    /// The record input for a verdict document; `None` when the verdict has no report digest
    /// (an unreadable report is not history and is never recorded).
    pub fn from_verdict(
        v: &crate::verdict::Verdict,
        keyring_digest: Option<String>,
        time: jiff::Timestamp,
    ) -> Option<RecordInput> {
        Some(RecordInput {
            report_digest: v.report.digest.clone()?,
            report_id: v.report.id.clone(),
            policy_name: v.policy.name.clone(),
            policy_digest: v.policy.digest.clone(),
            keyring_digest,
            verdict: v.verdict,
            findings: v.findings.clone(),
            tool_version: format!("verdict {}", env!("CARGO_PKG_VERSION")),
            time,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordReport {
    pub digest: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordPolicy {
    pub name: String,
    pub digest: String,
}

/// A record as stored: the exact fields of the canonical JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Always [`RECORD_FORMAT`].
    pub format: String,
    /// 0-based position in the log; binds the signature to its place.
    pub seq: u64,
    pub report: RecordReport,
    pub policy: RecordPolicy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyring_digest: Option<String>,
    pub verdict: Outcome,
    pub findings: Vec<Finding>,
    pub tool: String,
    /// RFC 3339, UTC (`Z`), as jiff prints a timestamp.
    pub time: String,
    /// `ed25519:<base64 of the 32-byte public key>` of the verifier that signed the entry.
    pub verifier: String,
}

/// Why stored record bytes are not a valid record.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("record is {0} bytes, more than the {MAX_RECORD_BYTES}-byte limit")]
    TooLarge(usize),
    #[error("record is not valid JSON for {RECORD_FORMAT}: {0}")]
    Json(#[from] serde_json::Error),
    #[error("record format is {0:?}, expected {RECORD_FORMAT:?}")]
    Format(String),
    #[error("record bytes are not in canonical form")]
    NotCanonical,
    #[error("record verifier {0:?} is not an ed25519 public key")]
    Verifier(String),
    #[error("record time {0:?} is not an RFC 3339 timestamp")]
    Time(String),
}

impl Record {
    pub fn new(input: &RecordInput, seq: u64, verifier: &VerifyingKey) -> Record {
        Record {
            format: RECORD_FORMAT.to_string(),
            seq,
            report: RecordReport {
                digest: input.report_digest.clone(),
                id: input.report_id.clone(),
            },
            policy: RecordPolicy {
                name: input.policy_name.clone(),
                digest: input.policy_digest.clone(),
            },
            keyring_digest: input.keyring_digest.clone(),
            verdict: input.verdict,
            findings: input.findings.clone(),
            tool: input.tool_version.clone(),
            time: input.time.to_string(),
            verifier: verifier_string(verifier),
        }
    }

    /// The canonical JSON bytes: the leaf data of the Merkle tree.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        // Serialising our own types into a Value cannot fail (no non-string map keys).
        let value = serde_json::to_value(self).unwrap_or(Value::Null);
        canonical_json(&value)
    }

    /// Parses stored bytes and insists they are exactly the canonical encoding, so that two
    /// different byte strings can never stand for the same record.
    pub fn parse(bytes: &[u8]) -> Result<Record, RecordError> {
        if bytes.len() > MAX_RECORD_BYTES {
            return Err(RecordError::TooLarge(bytes.len()));
        }
        let record: Record = serde_json::from_slice(bytes)?;
        if record.format != RECORD_FORMAT {
            return Err(RecordError::Format(record.format));
        }
        if !record.is_canonical_encoding(bytes) {
            return Err(RecordError::NotCanonical);
        }
        // The key's format is checked here; decompressing it (costly) is left to
        // `verifier_key`, which callers use, and which audits cache per distinct key.
        verifier_bytes(&record.verifier)
            .ok_or_else(|| RecordError::Verifier(record.verifier.clone()))?;
        record.timestamp()?;
        Ok(record)
    }

    /// Whether `bytes` are exactly [`Record::canonical_bytes`]. Audits check this for every
    /// entry, so the common case writes the canonical form straight from the record
    /// ([`canonical_view`]) instead of through a `serde_json::Value` tree; only when that
    /// differs is the reference encoding compared, so a record is never wrongly refused.
    pub fn is_canonical_encoding(&self, bytes: &[u8]) -> bool {
        let mut fast = Vec::with_capacity(bytes.len());
        if serde_json::to_writer(&mut fast, &canonical_view::CanonicalRecord::from(self)).is_ok()
            && fast == bytes
        {
            return true;
        }
        self.canonical_bytes() == bytes
    }

    pub fn verifier_key(&self) -> Result<VerifyingKey, RecordError> {
        parse_verifier(&self.verifier).ok_or_else(|| RecordError::Verifier(self.verifier.clone()))
    }

    pub fn timestamp(&self) -> Result<jiff::Timestamp, RecordError> {
        self.time
            .parse()
            .map_err(|_| RecordError::Time(self.time.clone()))
    }
}

/// `ed25519:<base64>`: the spelling of a verifier key inside records.
pub fn verifier_string(key: &VerifyingKey) -> String {
    format!("ed25519:{}", B64.encode(key.as_bytes()))
}

fn verifier_bytes(s: &str) -> Option<[u8; 32]> {
    let b64 = s.strip_prefix("ed25519:")?;
    B64.decode(b64).ok()?.try_into().ok()
}

fn parse_verifier(s: &str) -> Option<VerifyingKey> {
    VerifyingKey::from_bytes(&verifier_bytes(s)?).ok()
}

/// Canonical JSON of any value (see [`crate::canonical`]).
pub fn canonical_json(value: &Value) -> Vec<u8> {
    crate::canonical::to_string(value).into_bytes()
}

/// Borrowed views of a record whose fields are declared in canonical (byte-sorted) key order,
/// with the same omission rules as the record's own types: serde_json writes them as the
/// canonical bytes directly. The `canonical_view_writes_the_reference_bytes` test pins them
/// to [`Record::canonical_bytes`]; a field added to [`Record`] or [`Finding`] must be added
/// here too, in key order.
mod canonical_view {
    use super::{Finding, Outcome, Record};
    use crate::verdict::{ByteSpan, Severity};
    use serde::Serialize;
    use serde::ser::{SerializeMap, Serializer};
    use serde_json::{Map, Value};

    #[derive(Serialize)]
    pub(super) struct CanonicalRecord<'a> {
        #[serde(serialize_with = "findings")]
        findings: &'a [Finding],
        format: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        keyring_digest: Option<&'a str>,
        policy: Policy<'a>,
        report: Report<'a>,
        seq: u64,
        time: &'a str,
        tool: &'a str,
        verdict: Outcome,
        verifier: &'a str,
    }

    #[derive(Serialize)]
    struct Policy<'a> {
        digest: &'a str,
        name: &'a str,
    }

    #[derive(Serialize)]
    struct Report<'a> {
        digest: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<&'a str>,
    }

    #[derive(Serialize)]
    struct CanonicalFinding<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        column: Option<u32>,
        #[serde(skip_serializing_if = "Map::is_empty", serialize_with = "sorted_map")]
        evidence: &'a Map<String, Value>,
        help: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<u32>,
        message: &'a str,
        rule: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        section: Option<&'a str>,
        severity: Severity,
        #[serde(skip_serializing_if = "Option::is_none")]
        span: Option<Span>,
    }

    #[derive(Serialize)]
    struct Span {
        length: usize,
        offset: usize,
    }

    impl<'a> From<&'a Record> for CanonicalRecord<'a> {
        fn from(r: &'a Record) -> Self {
            CanonicalRecord {
                findings: &r.findings,
                format: &r.format,
                keyring_digest: r.keyring_digest.as_deref(),
                policy: Policy {
                    digest: &r.policy.digest,
                    name: &r.policy.name,
                },
                report: Report {
                    digest: &r.report.digest,
                    id: r.report.id.as_deref(),
                },
                seq: r.seq,
                time: &r.time,
                tool: &r.tool,
                verdict: r.verdict,
                verifier: &r.verifier,
            }
        }
    }

    impl<'a> From<&'a Finding> for CanonicalFinding<'a> {
        fn from(f: &'a Finding) -> Self {
            CanonicalFinding {
                column: f.column,
                evidence: &f.evidence,
                help: &f.help,
                line: f.line,
                message: &f.message,
                rule: &f.rule,
                section: f.section.as_deref(),
                severity: f.severity,
                span: f
                    .span
                    .map(|ByteSpan { offset, length }| Span { length, offset }),
            }
        }
    }

    fn findings<S: Serializer>(findings: &&[Finding], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(findings.iter().map(CanonicalFinding::from))
    }

    /// A JSON value with every object's keys in byte order, whatever order the map keeps
    /// (serde_json's `preserve_order` feature would keep insertion order).
    struct Sorted<'a>(&'a Value);

    impl Serialize for Sorted<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self.0 {
                Value::Object(map) => sorted_map(&map, s),
                Value::Array(items) => s.collect_seq(items.iter().map(Sorted)),
                scalar => scalar.serialize(s),
            }
        }
    }

    fn sorted_map<S: Serializer>(map: &&Map<String, Value>, s: S) -> Result<S::Ok, S::Error> {
        let mut entries: Vec<_> = map.iter().collect();
        entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let mut m = s.serialize_map(Some(entries.len()))?;
        for (k, v) in entries {
            m.serialize_entry(k, &Sorted(v))?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_and_drops_whitespace() {
        let v: Value =
            serde_json::from_str(r#"{ "b": [1, {"z": null, "a": "é\n"}], "a": true }"#).unwrap();
        assert_eq!(
            String::from_utf8(canonical_json(&v)).unwrap(),
            r#"{"a":true,"b":[1,{"a":"é\n","z":null}]}"#
        );
    }

    fn sample() -> Record {
        let key = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
        let input = RecordInput {
            report_digest: "sha256:ab".into(),
            report_id: None,
            policy_name: "p".into(),
            policy_digest: "sha256:cd".into(),
            keyring_digest: None,
            verdict: Outcome::Fail,
            findings: vec![],
            tool_version: "verdict 0.1.0".into(),
            time: jiff::Timestamp::from_second(0).unwrap(),
        };
        Record::new(&input, 3, &key.verifying_key())
    }

    #[test]
    fn canonical_bytes_round_trip_and_omit_absent_fields() {
        let r = sample();
        let b = r.canonical_bytes();
        assert_eq!(
            String::from_utf8(b.clone()).unwrap(),
            format!(
                r#"{{"findings":[],"format":"verdict/ledger-record/v1","policy":{{"digest":"sha256:cd","name":"p"}},"report":{{"digest":"sha256:ab"}},"seq":3,"time":"1970-01-01T00:00:00Z","tool":"verdict 0.1.0","verdict":"fail","verifier":"{}"}}"#,
                r.verifier
            )
        );
        assert_eq!(Record::parse(&b).unwrap(), r);
    }

    /// Every field of a record and of a finding set (the struct literals stop compiling when a
    /// field is added, which must then be added to `canonical_view` too), with evidence whose
    /// keys and strings need sorting and escaping.
    fn full_records() -> Vec<Record> {
        let evidence: serde_json::Map<String, Value> = serde_json::from_str(
            r#"{"zeta": 1, "Alpha": [3, {"b": null, "a": -7, "é": "x"}], "_": true,
                "esc": "quote \" backslash \\ nl \n tab \t ctl \u0001 del \u007f é 😀",
                "floats": [1.5, 0.1, 1e300, -2.25e-7, 100.0], "big": 18446744073709551615,
                "neg": -9223372036854775808, "empty": {}, "nested": {"y": {"b": 1, "a": 2}}}"#,
        )
        .unwrap();
        let full = Finding {
            rule: "checks.failed".into(),
            severity: crate::verdict::Severity::Warn,
            message: "\"Resource\" bounds\n\u{1}failed".into(),
            line: Some(42),
            column: Some(7),
            section: Some("Phase 3 > Résumé".into()),
            span: Some(crate::verdict::ByteSpan {
                offset: 120,
                length: 9,
            }),
            evidence,
            help: "fix the check".into(),
        };
        let bare = Finding {
            rule: "report.encoding".into(),
            severity: crate::verdict::Severity::Info,
            message: String::new(),
            line: None,
            column: None,
            section: None,
            span: None,
            evidence: serde_json::Map::new(),
            help: String::new(),
        };
        let mut with_all = sample();
        with_all.report.id = Some("VAL-\u{7f}-é".into());
        with_all.keyring_digest = Some("sha256:ef".into());
        with_all.verdict = Outcome::Inconclusive;
        with_all.findings = vec![full, bare.clone()];
        with_all.seq = u64::MAX;
        let mut bare_only = sample();
        bare_only.findings = vec![bare];
        bare_only.verdict = Outcome::Pass;
        vec![sample(), with_all, bare_only]
    }

    #[test]
    fn canonical_view_writes_the_reference_bytes() {
        for r in full_records() {
            let reference = r.canonical_bytes();
            let fast = serde_json::to_vec(&canonical_view::CanonicalRecord::from(&r)).unwrap();
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                String::from_utf8(reference.clone()).unwrap()
            );
            assert!(r.is_canonical_encoding(&reference));
            assert_eq!(Record::parse(&reference).unwrap(), r);
        }
    }

    #[test]
    fn non_canonical_spellings_of_the_same_record_are_rejected() {
        let b = String::from_utf8(sample().canonical_bytes()).unwrap();
        let spaced = b.replacen(":", ": ", 1);
        assert!(matches!(
            Record::parse(spaced.as_bytes()),
            Err(RecordError::NotCanonical)
        ));
        let escaped = b.replacen("fail", "f\\u0061il", 1);
        assert!(matches!(
            Record::parse(escaped.as_bytes()),
            Err(RecordError::NotCanonical)
        ));
        let extra = b.replacen("{", r#"{"extra":1,"#, 1);
        assert!(matches!(
            Record::parse(extra.as_bytes()),
            Err(RecordError::Json(_))
        ));
        let bad_key = b.replacen("ed25519:", "ed25519:AA", 1);
        assert!(matches!(
            Record::parse(bad_key.as_bytes()),
            Err(RecordError::Verifier(_))
        ));
    }
}
