//! The Report model (`verdict-report/v1`): every fact verdict extracts from a report, each
//! with the line it sits on, so that policy rules read facts instead of re-reading text.
//! Generic for the genre (validation reports with status tables, consensus facts and
//! attestation lines), not for one file. Documented in docs/report-model.md.

use serde::{Serialize, Serializer};
use std::sync::Arc;

/// The model's strings (see [`crate::text::Str`]): most are a few bytes (a claim's text, a key,
/// a status as written) and are kept inline; longer ones are mostly verbatim report text and
/// share its buffer instead of a heap allocation each. Serialised as a plain string.
pub use crate::text::Str;

use crate::report::claims::ClaimKind;
use crate::span::Span;
use crate::verdict::CheckStatus;

/// Schema name written into every serialised report.
pub const SCHEMA: &str = "verdict-report/v1";

/// A value found in the report: the source text it came from and where.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact<T> {
    pub value: T,
    /// The source text the value was read from (markup kept).
    pub text: Str,
    pub line: u32,
    pub span: Span,
}

/// Everything extracted from one report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub schema: &'static str,
    /// The first level-1 heading (or the first heading when there is no level 1).
    pub title: Option<Fact<Str>>,
    /// Metadata whose key names an id (`Validation ID`, `Report ID`, `ID` …), markup removed.
    pub id: Option<Fact<Str>>,
    /// The first metadata date (`Execution Date`, `Date`, `Generated` …) that parses.
    pub date: Option<ReportDate>,
    pub encoding: Encoding,
    pub metadata: Vec<Metadata>,
    pub sections: Vec<Section>,
    pub checks: Vec<Check>,
    /// Counts over `checks`.
    pub tally: Tally,
    pub assertions: Vec<Assertion>,
    /// Every claim found outside code blocks, in document order.
    pub claims: Vec<LocatedClaim>,
    pub consensus: Consensus,
    pub attestation: Attestation,
    pub summary: SummaryClaims,
}

/// What the text stage changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Encoding {
    /// Mojibake sequences repaired (0 for clean UTF-8).
    pub repairs: usize,
    /// Line of the first repaired sequence, so `report.encoding` can point at it.
    pub first_repair: Option<u32>,
    pub bom: bool,
}

/// The report's date as an instant. A date without a zone is taken as UTC; a bare date as
/// midnight UTC.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportDate {
    pub key: Str,
    /// RFC 3339, e.g. `2025-09-24T20:59:48Z`.
    #[serde(serialize_with = "rfc3339")]
    pub instant: jiff::Timestamp,
    pub text: Str,
    pub line: u32,
    pub span: Span,
}

fn rfc3339<S: Serializer>(t: &jiff::Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(t)
}

/// A `**Key**: value` / `**Key:** value` line (also inside list items and blockquotes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metadata {
    pub key: Str,
    /// The value with `*`, `_` emphasis markers and backticks removed.
    pub value: Str,
    pub line: u32,
    /// Span of the raw value.
    pub span: Span,
    /// Index into [`Report::sections`] of the section holding the line.
    pub section: Option<usize>,
}

/// A status as written and normalised.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    pub status: CheckStatus,
    /// The marks as written (`✅ PASSED`, `❌ **FAILED**`).
    pub raw: Str,
}

/// `(k/m tests)` in a heading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionCount {
    pub passed: u64,
    pub total: u64,
    pub noun: Option<Str>,
    pub span: Span,
}

/// A heading and what it states about itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub level: u8,
    /// Heading text, inline markup removed.
    pub title: Str,
    /// `title` without its status marks and count (`Phase 1: Resource Management Shutdown
    /// Validation`).
    pub name: Str,
    /// Titles from the outermost enclosing heading down to this one; shared with the
    /// checks and assertions under it, which would otherwise each copy it.
    pub path: Arc<[Str]>,
    pub parent: Option<usize>,
    pub line: u32,
    pub span: Span,
    pub status: Option<Status>,
    pub count: Option<SectionCount>,
    /// Checks in this section and its subsections.
    pub tally: Tally,
}

/// Check counts by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Tally {
    pub total: usize,
    pub pass: usize,
    pub fail: usize,
    pub warn: usize,
    pub skip: usize,
    pub unknown: usize,
}

impl Tally {
    pub fn add(&mut self, s: CheckStatus) {
        self.total += 1;
        match s {
            CheckStatus::Pass => self.pass += 1,
            CheckStatus::Fail => self.fail += 1,
            CheckStatus::Warn => self.warn += 1,
            CheckStatus::Skip => self.skip += 1,
            CheckStatus::Unknown => self.unknown += 1,
        }
    }
}

/// A table row with a name and a status column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// The name cell, markup removed.
    pub name: Str,
    pub status: CheckStatus,
    /// The status cell as written (markup removed); `status` is `unknown` when it holds no
    /// recognised mark.
    pub raw_status: Str,
    pub section: Option<usize>,
    pub section_path: Arc<[Str]>,
    pub line: u32,
    /// Span of the whole row.
    pub span: Span,
    /// The other cells, with their column headers and claims.
    pub cells: Vec<CheckCell>,
}

/// A non-name, non-status cell of a check row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckCell {
    /// Shared with the other cells of its column.
    pub header: Str,
    pub text: Str,
    pub span: Span,
    pub claims: Vec<LocatedClaim>,
}

/// A status-bearing list item (`- **✅ VERIFIED**: …`, `1. ✅ Fix …`, `- [x] …`); kept
/// apart from checks because it is prose, not a tabulated result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assertion {
    /// The item's first line, markup removed.
    pub text: Str,
    pub status: CheckStatus,
    pub raw_status: Str,
    pub section: Option<usize>,
    pub section_path: Arc<[Str]>,
    pub line: u32,
    pub span: Span,
}

/// Where a claim sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    Heading,
    Metadata,
    Cell,
    ListItem,
    Paragraph,
}

/// A claim from the claims grammar, placed in the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocatedClaim {
    #[serde(flatten)]
    pub kind: ClaimKind,
    /// The matched source text.
    pub text: Str,
    pub line: u32,
    pub span: Span,
    pub place: Place,
    pub section: Option<usize>,
    /// For claims in a check row: index into [`Report::checks`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<usize>,
    /// For claims in a metadata value: its key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Str>,
}

/// Stated quorum arithmetic (`2f+1 = 5`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuorumFact {
    pub coefficient: u64,
    pub offset: i64,
    pub stated: u64,
    pub text: Str,
    pub line: u32,
    pub span: Span,
}

/// A row of the malicious-actors table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Actor {
    pub name: Str,
    /// The other cells as (header, text).
    pub details: Vec<(Str, Str)>,
    pub line: u32,
    pub span: Span,
}

/// Consensus facts. Lists keep every statement (with its line) so rules can compare them.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Consensus {
    /// Tolerated faults: the first `f=N`.
    pub f: Option<Fact<u64>>,
    /// Configured nodes: the `n` of `f=2 (7-node configuration)`, else a metadata node count.
    pub n: Option<Fact<u64>>,
    /// Stated quorum arithmetic.
    pub quorum: Vec<QuorumFact>,
    /// Quorum ratios stated in quorum context (`quorum formation (5/7 nodes)`): value = k.
    pub quorum_ratios: Vec<Fact<(u64, u64)>>,
    /// `5 honest nodes`.
    pub honest: Vec<Fact<u64>>,
    /// `2 malicious actors detected`, `1 faulty node` (not `up to 2 malicious nodes`).
    pub faulty: Vec<Fact<u64>>,
    /// Every node total the text states: `7-node`, `with 7 nodes`, `out of 4 nodes`,
    /// the `7` of `5/7 nodes`.
    pub node_totals: Vec<Fact<u64>>,
    /// Rows of a malicious/faulty actors table.
    pub malicious_actors: Vec<Actor>,
}

/// A `sha256:<hex>` report-hash claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HashClaim {
    pub key: Str,
    /// `sha256`, as written (lower-cased); `None` when the value has no `alg:` prefix.
    pub algorithm: Option<Str>,
    /// The digest as written, even when malformed.
    pub digest: Str,
    pub text: Str,
    pub line: u32,
    pub span: Span,
}

/// `5/7 nodes confirmed`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignatureClaim {
    pub key: Str,
    pub signed: u64,
    pub total: Option<u64>,
    pub text: Str,
    pub line: u32,
    pub span: Span,
}

/// What the report says about its own integrity.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Attestation {
    pub hash: Option<HashClaim>,
    pub signatures: Option<SignatureClaim>,
    /// Declared signature scheme as written (`SHA-256 with node-specific keys`).
    pub algorithm: Option<Fact<Str>>,
}

/// A ratio statement such as `3 out of 4 phases passed`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatioFact {
    pub passed: u64,
    pub total: u64,
    pub noun: Option<Str>,
    pub text: Str,
    pub line: u32,
    pub span: Span,
}

/// The report's own recommendation, normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RecommendationKind {
    Go,
    Conditional,
    NoGo,
    Unknown,
}

impl std::fmt::Display for RecommendationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RecommendationKind::Go => "GO",
            RecommendationKind::Conditional => "CONDITIONAL",
            RecommendationKind::NoGo => "NO_GO",
            RecommendationKind::Unknown => "UNKNOWN",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub key: Str,
    /// The value, markup removed (`🟡 CONDITIONAL DEPLOYMENT`).
    pub value: Str,
    pub normalized: RecommendationKind,
    pub line: u32,
    pub span: Span,
}

/// What the report claims about itself overall.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SummaryClaims {
    /// The first `N out of M phases` (or `N/M phases`).
    pub phases: Option<RatioFact>,
    /// The first stated overall success rate, in percent.
    pub success_rate: Option<Fact<f64>>,
    /// Stated confidence, in percent (`0.75 / 1.0` becomes 75).
    pub confidence: Option<Fact<f64>>,
    pub recommendation: Option<Recommendation>,
}
