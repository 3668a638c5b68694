//! The policy format: what a file may say ([`PolicyFile`], strict: every struct denies unknown
//! keys) and what a loaded, `extends`-resolved policy means ([`Policy`], every value parsed and
//! every default filled in). Values with their own small grammars (expressions, durations,
//! quantities, percentages) are read from YAML as text and parsed afterwards, so an error can
//! point at the column inside the value (see `load.rs`).

use crate::policy::expr::Expr;
use crate::report::claims::{Dimension, Quantity, Unit, parse_quantity};
use crate::rules;
use crate::verdict::Severity;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// The file format
// ---------------------------------------------------------------------------------------------

/// One policy file as written. Every section and key is optional except `policy:` (the name),
/// so a file that `extends:` another states only what it changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    /// The policy's name, recorded in every verdict.
    pub policy: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// One other policy file, relative to this one's directory, or `builtin:<name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consensus: Option<ConsensusFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signatures: Option<SignaturesFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<HashFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checks: Option<ChecksFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freshness: Option<FreshnessFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<RuleMap>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsensusFile {
    /// Require n ≥ 3f+1 (`bft.resilience`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resilience: Option<bool>,
    /// Most faulty/malicious nodes tolerated (`bft.faults`), an expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_faulty: Option<String>,
    /// Fewest honest nodes / quorum size (`bft.quorum`), an expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quorum: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignaturesFile {
    /// Distinct valid signers required, an expression; `0` means signatures are not required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<String>,
    /// Keyring file, relative to the policy file that names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyring: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithms: Option<Vec<SignatureAlgorithm>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HashFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithms: Option<Vec<HashAlgorithm>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecksFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_must_pass: Option<bool>,
    /// Percent, `95` or `95%`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_success_rate: Option<String>,
    /// Glob patterns (case-insensitive) over section headings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_sections: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Vec<ThresholdFile>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdFile {
    /// Check name or glob (case-insensitive).
    pub check: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreshnessFile {
    /// `30d`, `12h`, `90m`, `1d12h`, or `off`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_skew: Option<String>,
}

/// Allowed signature schemes. Only what verdict can verify strictly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureAlgorithm {
    Ed25519,
}

/// Accepted report-hash algorithms. Only what the canonical digest uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HashAlgorithm {
    Sha256,
}

/// What a policy sets a rule to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSetting {
    Deny,
    Warn,
    Info,
    Off,
}

impl RuleSetting {
    /// `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleSetting::Deny => Some(Severity::Deny),
            RuleSetting::Warn => Some(Severity::Warn),
            RuleSetting::Info => Some(Severity::Info),
            RuleSetting::Off => None,
        }
    }

    pub fn from_severity(s: Severity) -> Self {
        match s {
            Severity::Deny => RuleSetting::Deny,
            Severity::Warn => RuleSetting::Warn,
            Severity::Info => RuleSetting::Info,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RuleSetting::Deny => "deny",
            RuleSetting::Warn => "warn",
            RuleSetting::Info => "info",
            RuleSetting::Off => "off",
        }
    }
}

/// Most entries a `rules:` mapping may hold (the catalogue has a few dozen ids).
pub const MAX_RULE_ENTRIES: usize = 1000;

/// The `rules:` mapping, in file order and with duplicates kept, so that the loader can report
/// a repeated id at the line of its second occurrence (a `BTreeMap` would silently keep the last).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleMap(pub Vec<(String, RuleSetting)>);

impl Serialize for RuleMap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl<'de> Deserialize<'de> for RuleMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RuleMap;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of rule ids to deny | warn | info | off")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RuleMap, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, RuleSetting>()? {
                    if out.len() >= MAX_RULE_ENTRIES {
                        return Err(serde::de::Error::custom(format!(
                            "more than {MAX_RULE_ENTRIES} entries in `rules`"
                        )));
                    }
                    out.push((k, v));
                }
                Ok(RuleMap(out))
            }
        }
        d.deserialize_map(V)
    }
}

// ---------------------------------------------------------------------------------------------
// Value grammars
// ---------------------------------------------------------------------------------------------

/// A length of time in whole seconds, written `30d`, `12h`, `5m`, `90s`, `1w` or combined
/// (`1d12h`). A day is 86 400 s and a week 7 days: freshness is about elapsed time, not calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Age {
    pub seconds: u64,
}

impl Age {
    pub fn as_duration(self) -> std::time::Duration {
        std::time::Duration::from_secs(self.seconds)
    }

    /// For comparisons with jiff timestamps.
    pub fn as_signed_duration(self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_secs(i64::try_from(self.seconds).unwrap_or(i64::MAX))
    }

    /// Parse `30d`, `1d12h`, `5m`; the error carries the byte offset of the problem.
    pub fn parse(text: &str) -> Result<Age, ValueError> {
        let bytes = text.as_bytes();
        if bytes.is_empty() {
            return Err(ValueError::at(
                0,
                "empty duration; write e.g. `30d`, `12h`, `5m`",
            ));
        }
        let mut i = 0;
        let mut total: u64 = 0;
        let mut last_rank = usize::MAX;
        while i < bytes.len() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return Err(ValueError::at(
                    i,
                    "expected a number; durations look like `30d`, `12h`, `5m`, `90s`",
                ));
            }
            let number: u64 = text[start..i]
                .parse()
                .map_err(|_| ValueError::at(start, "number too large"))?;
            let ustart = i;
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            let (rank, secs) = match &text[ustart..i] {
                "w" => (0, 7 * 86_400),
                "d" => (1, 86_400),
                "h" => (2, 3_600),
                "m" => (3, 60),
                "s" => (4, 1),
                "" => {
                    return Err(ValueError::at(
                        ustart,
                        "missing unit; use w, d, h, m or s (e.g. `30d`)",
                    ));
                }
                other => {
                    return Err(ValueError::at(
                        ustart,
                        format!("unknown unit `{other}`; use w, d, h, m or s"),
                    ));
                }
            };
            if last_rank != usize::MAX && rank <= last_rank {
                return Err(ValueError::at(
                    ustart,
                    "units must go from largest to smallest, each once (e.g. `1d12h`)",
                ));
            }
            last_rank = rank;
            total = number
                .checked_mul(secs)
                .and_then(|v| total.checked_add(v))
                .filter(|v| *v <= i64::MAX as u64)
                .ok_or_else(|| ValueError::at(start, "duration too large"))?;
        }
        Ok(Age { seconds: total })
    }
}

/// Canonical spelling, largest units first: `30d`, `1d12h`, `0s`.
impl fmt::Display for Age {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seconds == 0 {
            return f.write_str("0s");
        }
        let mut rest = self.seconds;
        for (unit, secs) in [("d", 86_400u64), ("h", 3_600), ("m", 60), ("s", 1)] {
            if rest >= secs {
                write!(f, "{}{unit}", rest / secs)?;
                rest %= secs;
            }
        }
        Ok(())
    }
}

impl Serialize for Age {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A problem inside one value's text, with the byte offset in that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    pub offset: usize,
    pub message: String,
}

impl ValueError {
    fn at(offset: usize, message: impl Into<String>) -> Self {
        ValueError {
            offset,
            message: message.into(),
        }
    }
}

/// A threshold limit: a quantity with its unit, compared in the unit's base dimension.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    pub quantity: Quantity,
}

impl Limit {
    pub fn parse(text: &str) -> Result<Limit, ValueError> {
        match parse_quantity(text.trim()).filter(|q| q.value.is_finite() && q.value >= 0.0) {
            Some(quantity) => Ok(Limit { quantity }),
            None => Err(ValueError::at(
                0,
                format!("`{text}` is not a quantity; write e.g. `100ms`, `1.5s`, `5%`, `64MB`"),
            )),
        }
    }

    /// Dimension and value in the dimension's base unit (s, %, bytes …).
    pub fn normalized(&self) -> (Dimension, f64) {
        self.quantity.normalized()
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let suffix = match self.quantity.unit {
            None => "",
            Some(Unit::Ns) => "ns",
            Some(Unit::Us) => "us",
            Some(Unit::Ms) => "ms",
            Some(Unit::S) => "s",
            Some(Unit::Min) => "min",
            Some(Unit::H) => "h",
            Some(Unit::Percent) => "%",
            Some(Unit::Bytes) => "B",
            Some(Unit::Kb) => "KB",
            Some(Unit::Mb) => "MB",
            Some(Unit::Gb) => "GB",
            Some(Unit::OpsPerSec) => " ops/s",
            Some(Unit::Times) => "x",
        };
        write!(f, "{}{suffix}", self.quantity.value)
    }
}

impl Serialize for Limit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `95`, `95%`, `99.5 %`: a percentage between 0 and 100.
pub fn parse_percent(text: &str) -> Result<f64, ValueError> {
    let t = text.trim();
    let num = t.strip_suffix('%').unwrap_or(t).trim_end();
    let value: f64 = num
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| {
            ValueError::at(0, format!("`{text}` is not a percentage; write e.g. `95%`"))
        })?;
    if !(0.0..=100.0).contains(&value) {
        return Err(ValueError::at(0, format!("{value}% is outside 0%..100%")));
    }
    Ok(value)
}

/// A case-insensitive glob over names; `*` also matches `/` and ` > ` (names are not paths).
pub fn compile_glob(pattern: &str) -> Result<globset::GlobMatcher, ValueError> {
    globset::GlobBuilder::new(pattern)
        .case_insensitive(true)
        .literal_separator(false)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| ValueError::at(0, format!("bad glob pattern: {}", e.kind())))
}

// ---------------------------------------------------------------------------------------------
// The resolved policy
// ---------------------------------------------------------------------------------------------

/// A loaded policy: `extends` resolved, every value parsed, every default filled in. Serialises
/// (YAML or JSON) to the same key layout as a policy file, which is what `verdict policy check`
/// prints and what the digest covers.
#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    pub policy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub consensus: Consensus,
    pub signatures: Signatures,
    pub hash: HashPolicy,
    pub checks: Checks,
    pub freshness: Freshness,
    /// Every rule of the catalogue with its effective setting.
    pub rules: BTreeMap<String, RuleSetting>,
    /// The files the policy was built from, most derived first (for `policy check`).
    #[serde(skip)]
    pub sources: Vec<String>,
    /// `sha256:<hex>` over [`Policy::canonical_json`].
    #[serde(skip)]
    pub digest: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Consensus {
    pub resilience: bool,
    #[serde(serialize_with = "ser_display")]
    pub max_faulty: Expr,
    #[serde(serialize_with = "ser_display")]
    pub quorum: Expr,
}

#[derive(Debug, Clone, Serialize)]
pub struct Signatures {
    #[serde(serialize_with = "ser_display")]
    pub threshold: Expr,
    /// The keyring as written in the policy that names it (portable, so the digest is too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyring: Option<String>,
    /// Where that keyring is on this machine (relative to the declaring policy file).
    #[serde(skip)]
    pub keyring_path: Option<PathBuf>,
    pub algorithms: Vec<SignatureAlgorithm>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HashPolicy {
    pub required: bool,
    pub algorithms: Vec<HashAlgorithm>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Checks {
    pub all_must_pass: bool,
    /// Percent (0–100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_success_rate: Option<f64>,
    pub required_sections: Vec<NamePattern>,
    pub thresholds: Vec<Threshold>,
}

/// A glob over section or check names, kept with its text.
#[derive(Debug, Clone)]
pub struct NamePattern {
    pub pattern: String,
    pub matcher: globset::GlobMatcher,
}

impl NamePattern {
    pub fn new(pattern: &str) -> Result<Self, ValueError> {
        Ok(NamePattern {
            pattern: pattern.to_string(),
            matcher: compile_glob(pattern)?,
        })
    }

    /// Case-insensitive match of a whole name (surrounding whitespace ignored).
    pub fn is_match(&self, name: &str) -> bool {
        self.matcher.is_match(name.trim())
    }
}

impl Serialize for NamePattern {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.pattern)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Threshold {
    pub check: NamePattern,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<Limit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<Limit>,
}

impl Threshold {
    /// Whether a measured value (any unit of the same dimension) breaks this threshold.
    /// `None` when the dimensions differ (e.g. a time measured against a percent limit):
    /// nothing can be said, and the evaluator must not guess.
    pub fn breaks(&self, measured: &Quantity) -> Option<bool> {
        let (dim, value) = measured.normalized();
        let mut broken = false;
        for (limit, is_max) in [(self.max, true), (self.min, false)] {
            let Some(limit) = limit else { continue };
            let (ldim, lvalue) = limit.normalized();
            if ldim != dim {
                return None;
            }
            // Unit conversion is inexact in binary (51000µs vs 51ms): values within a relative
            // 1e-9 of the limit are at the limit, not beyond it.
            let slack = 1e-9 * lvalue.abs().max(value.abs());
            broken |= if is_max {
                value > lvalue + slack
            } else {
                value < lvalue - slack
            };
        }
        Some(broken)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Freshness {
    /// `None`: no staleness limit.
    #[serde(serialize_with = "ser_opt_age")]
    pub max_age: Option<Age>,
    pub clock_skew: Age,
}

fn ser_display<T: fmt::Display, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

fn ser_opt_age<S: Serializer>(v: &Option<Age>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(a) => s.collect_str(a),
        None => s.serialize_str("off"),
    }
}

/// Evaluated consensus and signature bounds for one report's f and n.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub max_faulty: u64,
    pub quorum: u64,
    pub signature_threshold: u64,
}

impl Policy {
    /// Effective severity of a rule; `None` when it must not fire: the id is unknown, `rules:`
    /// sets it `off`, or a section switches its check off (`hash.required: false` silences
    /// `hash.missing`, `consensus.resilience: false` silences `bft.resilience`,
    /// `checks.all_must_pass: false` silences `checks.failed`, a signature threshold of `0`
    /// silences `signatures.missing` and `signatures.threshold`, `max_age: off` silences
    /// `freshness.stale`, no `min_success_rate` silences `checks.success-rate`). The evaluator
    /// asks only this, so a rule is never half-disabled.
    pub fn severity(&self, rule_id: &str) -> Option<Severity> {
        let enabled = match rule_id {
            "hash.missing" => self.hash.required,
            "bft.resilience" => self.consensus.resilience,
            "checks.failed" => self.checks.all_must_pass,
            "signatures.missing" | "signatures.threshold" => self.signatures_required(),
            "freshness.stale" => self.freshness.max_age.is_some(),
            "checks.success-rate" => self.checks.min_success_rate.is_some(),
            _ => true,
        };
        if !enabled {
            return None;
        }
        self.setting(rule_id).and_then(RuleSetting::severity)
    }

    /// What `rules:` (or the catalogue default) says for a rule, before sections are considered.
    pub fn setting(&self, rule_id: &str) -> Option<RuleSetting> {
        self.rules.get(rule_id).copied()
    }

    /// The keyring the policy names, resolved on this machine, if any.
    pub fn keyring_path(&self) -> Option<&Path> {
        self.signatures.keyring_path.as_deref()
    }

    /// Consensus and signature expressions evaluated for a report's f and n.
    pub fn bounds(&self, f: u64, n: u64) -> Result<Bounds, crate::policy::expr::EvalError> {
        Ok(Bounds {
            max_faulty: self.consensus.max_faulty.eval(f, n)?,
            quorum: self.consensus.quorum.eval(f, n)?,
            signature_threshold: self.signatures.threshold.eval(f, n)?,
        })
    }

    /// Whether any signature is wanted (threshold not identically 0).
    pub fn signatures_required(&self) -> bool {
        self.signatures.threshold != Expr::Int(0)
    }

    /// Thresholds whose pattern matches a check name.
    pub fn thresholds_for<'a>(&'a self, check: &'a str) -> impl Iterator<Item = &'a Threshold> {
        self.checks
            .thresholds
            .iter()
            .filter(move |t| t.check.is_match(check))
    }

    pub fn max_age(&self) -> Option<jiff::SignedDuration> {
        self.freshness.max_age.map(Age::as_signed_duration)
    }

    pub fn clock_skew(&self) -> jiff::SignedDuration {
        self.freshness.clock_skew.as_signed_duration()
    }

    /// The canonical JSON the digest covers: the resolved policy as serialised here, object
    /// keys sorted by byte order, no whitespace, numbers as serde_json writes them (integers
    /// plainly, floats in shortest round-trip form), strings with serde_json's escaping.
    /// `extends` is not part of it: two policies that resolve to the same rules are the same.
    pub fn canonical_json(&self) -> String {
        let value = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        crate::canonical::to_string(&value)
    }
}

/// Every configurable rule id with the catalogue default, the base every policy starts from.
/// The gate's rules are not in it, so they never change a policy's digest.
pub(crate) fn default_rules() -> BTreeMap<String, RuleSetting> {
    rules::policy_rules()
        .map(|r| (r.id.to_string(), RuleSetting::from_severity(r.default)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let p = |s: &str| Age::parse(s).map(|a| a.seconds);
        assert_eq!(p("30d"), Ok(2_592_000));
        assert_eq!(p("12h"), Ok(43_200));
        assert_eq!(p("5m"), Ok(300));
        assert_eq!(p("90s"), Ok(90));
        assert_eq!(p("1w"), Ok(604_800));
        assert_eq!(p("1d12h"), Ok(129_600));
        assert_eq!(p("30").map_err(|e| e.offset), Err(2));
        assert_eq!(p("30x").map_err(|e| e.offset), Err(2));
        assert_eq!(p("1h1d").map_err(|e| e.offset), Err(3));
        assert_eq!(p("d").map_err(|e| e.offset), Err(0));
        assert_eq!(
            p("99999999999999999999d")
                .map(|_| ())
                .map_err(|e| e.message),
            Err("number too large".into())
        );
        assert_eq!(
            p("9999999999999999w").map_err(|e| e.message),
            Err("duration too large".into())
        );
        assert_eq!(Age { seconds: 129_600 }.to_string(), "1d12h");
        assert_eq!(Age { seconds: 2_592_000 }.to_string(), "30d");
        assert_eq!(Age { seconds: 0 }.to_string(), "0s");
    }

    #[test]
    fn percents() {
        assert_eq!(parse_percent("95"), Ok(95.0));
        assert_eq!(parse_percent("99.5 %"), Ok(99.5));
        assert!(parse_percent("101%").is_err());
        assert!(parse_percent("lots").is_err());
        assert!(parse_percent("NaN").is_err());
    }

    #[test]
    fn threshold_units_convert() {
        let t = Threshold {
            check: match NamePattern::new("Graceful*") {
                Ok(p) => p,
                Err(e) => panic!("{e:?}"),
            },
            max: Limit::parse("100ms").ok(),
            min: None,
        };
        let q = |v, u| Quantity {
            value: v,
            unit: Some(u),
        };
        assert_eq!(t.breaks(&q(51.0, Unit::Ms)), Some(false));
        assert_eq!(t.breaks(&q(0.2, Unit::S)), Some(true));
        assert_eq!(t.breaks(&q(5.0, Unit::Percent)), None);
        assert!(t.check.is_match("graceful process termination"));
        assert!(!t.check.is_match("Process Graceful"));
    }
}
