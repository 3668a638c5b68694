//! The `verdict/v1` document: the one result every output format renders and the ledger
//! records. Field names and enum spellings are a stable contract (docs/verdict-json.md).

use serde::{Deserialize, Serialize};

/// Schema tag written into every verdict document.
pub const SCHEMA: &str = "verdict/v1";

/// The overall outcome. `Inconclusive` is fail-closed: nothing verifiable is never a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    Inconclusive,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Inconclusive => "inconclusive",
        }
    }
}

/// How much a finding matters; a policy maps each rule id to one of these (or `off`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warn,
    Deny,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Deny => "deny",
        }
    }
}

/// Byte range of a finding in the repaired report text, for renderers that underline it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByteSpan {
    pub offset: usize,
    pub length: usize,
}

/// One rule firing at one place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule id from the catalogue, e.g. `checks.failed`.
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// 1-based line in the report file; absent when the finding is about the whole report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column (characters) of the span start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// Section path (headings joined with " > ") the finding sits in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<ByteSpan>,
    /// Rule-specific facts (claimed vs computed values, thresholds …).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub evidence: serde_json::Map<String, serde_json::Value>,
    pub help: String,
}

/// What was verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRef {
    pub path: String,
    /// Canonical digest, `sha256:<hex>`, when it was computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The report's own id (its validation id metadata), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// Which policy judged it; the digest pins the exact resolved policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRef {
    pub name: String,
    pub digest: String,
}

/// Counts that let a reader see the verdict at a glance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub deny: usize,
    pub warn: usize,
    pub info: usize,
    pub checks: usize,
    pub checks_passed: usize,
    pub checks_failed: usize,
    /// Rules the policy evaluated (not `off`).
    pub rules_evaluated: usize,
}

/// Status of one check (table row) as the report states it, normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Pass,
    Fail,
    Warn,
    Skip,
    Unknown,
}

/// A check of the report, as carried in the verdict so that per-check renderings (JUnit)
/// need nothing but this document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckOutcome {
    pub name: String,
    pub status: CheckStatus,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
}

/// A rule the policy evaluated (severity not `off`) and how often it fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleOutcome {
    pub id: String,
    pub severity: Severity,
    pub findings: usize,
}

/// The whole `verdict/v1` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub schema: String,
    pub verdict: Outcome,
    pub report: ReportRef,
    pub policy: PolicyRef,
    pub findings: Vec<Finding>,
    pub checks: Vec<CheckOutcome>,
    pub rules: Vec<RuleOutcome>,
    pub summary: Summary,
}
