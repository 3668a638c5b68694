//! The claims grammar: quantitative assertions found inside table cells and lines
//! ("51ms, within 1s threshold", "3 out of 4 phases", "f=2 (7-node configuration)" …),
//! written with nom. Text that no rule matches is kept as text: nothing is guessed.

use serde::Serialize;

/// A unit of measure as written in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Ns,
    /// `µs` (U+00B5), `μs` (U+03BC) and `us` all map here.
    Us,
    Ms,
    /// `s`, `sec`, `secs`, `second(s)`.
    S,
    Min,
    H,
    Percent,
    Bytes,
    Kb,
    Mb,
    Gb,
    OpsPerSec,
    /// A multiplier: `3.2x`, `2×`.
    Times,
}

/// What a unit measures; only quantities of the same dimension compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Time,
    Percent,
    Size,
    Rate,
    Factor,
    /// A bare number.
    Number,
}

/// A number with an optional unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quantity {
    pub value: f64,
    pub unit: Option<Unit>,
}

impl Quantity {
    /// Dimension and value in that dimension's base unit (seconds, percent, bytes, ops/s,
    /// factor), so `51ms` and `1s` can be compared.
    pub fn normalized(&self) -> (Dimension, f64) {
        match self.unit {
            None => (Dimension::Number, self.value),
            Some(Unit::Ns) => (Dimension::Time, self.value * 1e-9),
            Some(Unit::Us) => (Dimension::Time, self.value * 1e-6),
            Some(Unit::Ms) => (Dimension::Time, self.value * 1e-3),
            Some(Unit::S) => (Dimension::Time, self.value),
            Some(Unit::Min) => (Dimension::Time, self.value * 60.0),
            Some(Unit::H) => (Dimension::Time, self.value * 3600.0),
            Some(Unit::Percent) => (Dimension::Percent, self.value),
            Some(Unit::Bytes) => (Dimension::Size, self.value),
            Some(Unit::Kb) => (Dimension::Size, self.value * 1024.0),
            Some(Unit::Mb) => (Dimension::Size, self.value * 1024.0 * 1024.0),
            Some(Unit::Gb) => (Dimension::Size, self.value * 1024.0 * 1024.0 * 1024.0),
            Some(Unit::OpsPerSec) => (Dimension::Rate, self.value),
            Some(Unit::Times) => (Dimension::Factor, self.value),
        }
    }
}

/// How a value relates to a limit. `within`/`under`/`below`/`<`/`≤` and friends map here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// `<`, `under`, `below`, `less than`.
    Lt,
    /// `≤`, `<=`, `within`, `at most`.
    Le,
    /// `>`, `over`, `above`, `exceeds`, `more than`.
    Gt,
    /// `≥`, `>=`, `at least`.
    Ge,
    /// `=`, `==`.
    Eq,
}

/// One claim found in a piece of text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClaimKind {
    /// `5/7`, `3 out of 4 phases`, `16/17 tests`; `noun` is the word that follows, if any.
    Ratio {
        num: u64,
        den: u64,
        noun: Option<String>,
    },
    /// A number with a unit or a bare number in a measurement position: `51ms`, `1.5 s`,
    /// `0.6%`, `2,496,131 ops/sec`, `3.2x`.
    Quantity { quantity: Quantity },
    /// A value against a limit: `within 1s threshold`, `under 15% threshold`, `well under 10%`,
    /// `<100ms`, `≥0.90`, `exceeds 5x`. `measured` is the quantity the same clause states
    /// just before it (`Duration: 51ms, within 1s threshold`), when there is one.
    Threshold {
        relation: Relation,
        limit: Quantity,
        measured: Option<Quantity>,
    },
    /// `5 honest nodes`, `2 malicious actors`, `3 resources cleaned`.
    Count { value: u64, noun: String },
    /// `94.1% success rate`, `Success Rate: 100%`.
    SuccessRate { percent: f64 },
    /// `f=2`, `f=2 (7-node configuration)`.
    FaultTolerance { f: u64, n: Option<u64> },
    /// `2f+1 = 5`, `3f+1 = 7`: the expression as written (whitespace removed) and its stated value.
    QuorumArithmetic {
        coefficient: u64,
        offset: i64,
        stated: u64,
    },
    /// `sha256:<hex>`; `hex` is kept as written, even when malformed.
    Hash { algorithm: String, hex: String },
    /// `5/7 nodes confirmed`, `6/7 validators signed`.
    Signatures { signed: u64, total: u64 },
    /// `from 0→1`, `0 -> 1`.
    Transition { from: String, to: String },
}

/// A claim with its byte range in the scanned string.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    #[serde(flatten)]
    pub kind: ClaimKind,
    /// Byte range `start..end` within the string given to [`scan`].
    pub start: usize,
    pub end: usize,
}

/// Find every claim in `text` (one cell, one line or one list item), left to right,
/// without overlaps.
pub fn scan(_text: &str) -> Vec<Claim> {
    Vec::new()
}
