//! Stage 4: Policy + Report + Evidence → [`Verdict`]. Each rule family lives in its own
//! file and reads only the parsed [`Report`] and the attest stage's [`Evidence`]; none of
//! them looks at text again. A rule the policy sets to `off` is never run.

mod attestation;
mod bft;
mod checks;
mod consistency;
mod report;

use crate::attest::Evidence;
use crate::policy::Policy;
use crate::report::model::Report;
use crate::rules;
use crate::span::Span;
use crate::verdict::{
    ByteSpan, CheckOutcome, Finding, Outcome, PolicyRef, ReportRef, RuleOutcome, SCHEMA, Severity,
    Summary, Verdict,
};
use serde_json::Value;

/// What the evaluation knows besides the report: the clock and the ledger's memory.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// "Now" for freshness (`--now`, so audits of the past are reproducible).
    pub now: jiff::Timestamp,
    /// Path shown in the verdict.
    pub report_path: &'a str,
    /// Sequence number of an earlier ledger verdict for this digest under this policy.
    pub replay_of: Option<u64>,
    /// Lowest severity that makes the verdict fail (`--fail-on warn` lowers it to warn).
    pub fail_on: Severity,
}

/// Judge a report. Never fails: every problem becomes a finding.
pub fn evaluate(policy: &Policy, report: &Report, evidence: &Evidence, ctx: &Context) -> Verdict {
    let mut out = Findings::new(policy, report);
    report::encoding(report, &mut out);
    consistency::evaluate(report, &mut out);
    checks::evaluate(policy, report, &mut out);
    bft::evaluate(policy, report, &mut out);
    attestation::evaluate(policy, report, evidence, &mut out);
    report::freshness(policy, report, ctx.now, &mut out);
    report::recommendation(report, &mut out);
    report::replay(ctx.replay_of, &mut out);
    let empty = report::empty(report, evidence, &mut out);
    out.finish(policy, report, evidence, ctx, empty)
}

/// Where a finding points.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct At {
    span: Option<Span>,
    line: Option<u32>,
    section: Option<usize>,
}

impl At {
    pub(crate) fn span(span: Span, section: Option<usize>) -> At {
        At {
            span: Some(span),
            line: Some(span.line),
            section,
        }
    }
    pub(crate) fn line(line: u32) -> At {
        At {
            line: Some(line),
            ..At::default()
        }
    }
    pub(crate) fn nowhere() -> At {
        At::default()
    }
}

/// Collects findings, applying the policy's severities (rules set to `off` are dropped).
pub(crate) struct Findings<'a> {
    policy: &'a Policy,
    report: &'a Report,
    list: Vec<Finding>,
}

impl<'a> Findings<'a> {
    fn new(policy: &'a Policy, report: &'a Report) -> Self {
        Findings {
            policy,
            report,
            list: Vec::new(),
        }
    }

    /// Record one finding of `rule` at `at`, with evidence as (key, value) pairs.
    pub(crate) fn push(
        &mut self,
        rule: &str,
        at: At,
        message: String,
        evidence: Vec<(&str, Value)>,
    ) {
        let Some(severity) = self.policy.severity(rule) else {
            return;
        };
        let section = at
            .section
            .and_then(|i| self.report.sections.get(i))
            .map(|s| s.path.join(" > "));
        self.list.push(Finding {
            line: at.line,
            column: at.span.map(|s| s.column),
            section,
            span: at.span.map(|s| ByteSpan {
                offset: s.offset,
                length: s.len,
            }),
            ..rules::finding(rule, severity, message, evidence)
        });
    }

    fn finish(
        mut self,
        policy: &Policy,
        report: &Report,
        evidence: &Evidence,
        ctx: &Context,
        empty: bool,
    ) -> Verdict {
        // Stable order: by line (whole-report findings first), then catalogue order.
        let rank = |id: &str| rules::CATALOGUE.iter().position(|r| r.id == id);
        self.list
            .sort_by_key(|f| (f.line.unwrap_or(0), rank(&f.rule), f.column.unwrap_or(0)));
        let count = |s: Severity| self.list.iter().filter(|f| f.severity == s).count();
        let summary = Summary {
            deny: count(Severity::Deny),
            warn: count(Severity::Warn),
            info: count(Severity::Info),
            checks: report.tally.total,
            checks_passed: report.tally.pass,
            checks_failed: report.tally.fail,
            rules_evaluated: rules::CATALOGUE
                .iter()
                .filter(|r| policy.severity(r.id).is_some())
                .count(),
        };
        // `report.empty` decides inconclusive, whatever its severity and whatever else denies:
        // an empty report is neither a pass nor a failure of something it claimed. The absence
        // findings that come with it under most policies (no hash, no signatures, no date) say
        // the same thing again, and exit 3 lets CI tell "nothing to judge" from a report that
        // was judged and failed.
        let failing = self.list.iter().any(|f| f.severity >= ctx.fail_on);
        let verdict = if empty {
            Outcome::Inconclusive
        } else if failing {
            Outcome::Fail
        } else {
            Outcome::Pass
        };
        let rules = rules::CATALOGUE
            .iter()
            .filter_map(|r| {
                let severity = policy.severity(r.id)?;
                Some(RuleOutcome {
                    id: r.id.to_string(),
                    severity,
                    findings: self.list.iter().filter(|f| f.rule == r.id).count(),
                })
            })
            .collect();
        let checks = report
            .checks
            .iter()
            .map(|c| CheckOutcome {
                name: c.name.to_string(),
                status: c.status,
                line: c.line,
                section: (!c.section_path.is_empty()).then(|| c.section_path.join(" > ")),
            })
            .collect();
        Verdict {
            schema: SCHEMA.to_string(),
            verdict,
            report: ReportRef {
                path: ctx.report_path.to_string(),
                digest: Some(evidence.digest.to_string()),
                id: report.id.as_ref().map(|f| f.value.to_string()),
            },
            policy: PolicyRef {
                name: policy.policy.clone(),
                digest: policy.digest.clone(),
            },
            findings: self.list,
            checks,
            rules,
            summary,
        }
    }
}

/// A JSON number from a float, falling back to null for NaN/inf (which JSON cannot hold).
pub(crate) fn num(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}
