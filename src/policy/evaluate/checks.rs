//! `checks.*`: the report's checks against what the policy demands of them.

use super::{At, Findings, num};
use crate::policy::Policy;
use crate::report::claims::{ClaimKind, Quantity};
use crate::report::model::{Check, Report};
use crate::verdict::CheckStatus;
use serde_json::json;

pub(super) fn evaluate(policy: &Policy, report: &Report, out: &mut Findings) {
    if policy.checks.all_must_pass {
        failed(report, out);
    }
    missing(policy, report, out);
    thresholds(policy, report, out);
    success_rate(policy, report, out);
}

fn failed(report: &Report, out: &mut Findings) {
    for c in report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
    {
        out.push(
            "checks.failed",
            At::span(c.span, c.section),
            format!("check `{}` failed (`{}`)", c.name, c.raw_status),
            vec![("check", json!(c.name)), ("status", json!(c.raw_status))],
        );
    }
}

/// Required sections must exist (by heading or check name); every policy threshold must find
/// a check to judge, or it silently judges nothing.
fn missing(policy: &Policy, report: &Report, out: &mut Findings) {
    for p in &policy.checks.required_sections {
        let found = report
            .sections
            .iter()
            .any(|s| p.is_match(&s.name) || p.is_match(&s.title))
            || report.checks.iter().any(|c| p.is_match(&c.name));
        if !found {
            out.push(
                "checks.missing",
                At::nowhere(),
                format!(
                    "the policy requires a section matching `{}`; the report has none",
                    p.pattern
                ),
                vec![("pattern", json!(p.pattern))],
            );
        }
    }
    for t in &policy.checks.thresholds {
        if !report.checks.iter().any(|c| t.check.is_match(&c.name)) {
            out.push(
                "checks.missing",
                At::nowhere(),
                format!(
                    "the policy sets a threshold for checks matching `{}`; the report has no such check",
                    t.check.pattern
                ),
                vec![("pattern", json!(t.check.pattern))],
            );
        }
    }
}

/// Values a check row states as measured: a threshold claim's measured side, or a plain
/// quantity. A threshold's limit is the report's own target, never a measurement.
fn measurements(check: &Check) -> impl Iterator<Item = Quantity> + '_ {
    check
        .cells
        .iter()
        .flat_map(|cell| &cell.claims)
        .filter_map(|c| match &c.kind {
            ClaimKind::Threshold { measured, .. } => *measured,
            ClaimKind::Quantity { quantity } => Some(*quantity),
            _ => None,
        })
}

fn thresholds(policy: &Policy, report: &Report, out: &mut Findings) {
    for c in &report.checks {
        for t in policy.thresholds_for(&c.name) {
            // The first measurement of a comparable dimension is the one judged.
            let Some((q, true)) = measurements(c).find_map(|q| t.breaks(&q).map(|b| (q, b))) else {
                continue;
            };
            let limit = match (t.max, t.min) {
                (Some(max), _) if q.normalized().1 > max.normalized().1 => {
                    format!("max {}", max.quantity)
                }
                (_, Some(min)) => format!("min {}", min.quantity),
                (Some(max), None) => format!("max {}", max.quantity),
                (None, None) => continue,
            };
            out.push(
                "checks.threshold",
                At::span(c.span, c.section),
                format!(
                    "check `{}` measured {q}, beyond the policy's {limit}",
                    c.name
                ),
                vec![
                    ("check", json!(c.name)),
                    ("measured", json!(q.to_string())),
                    ("limit", json!(limit)),
                ],
            );
        }
    }
}

fn success_rate(policy: &Policy, report: &Report, out: &mut Findings) {
    let Some(min) = policy.checks.min_success_rate else {
        return;
    };
    let t = report.tally;
    if t.total == 0 {
        return;
    }
    let rate = 100.0 * t.pass as f64 / t.total as f64;
    if rate >= min {
        return;
    }
    out.push(
        "checks.success-rate",
        At::nowhere(),
        format!(
            "{} of {} checks passed ({rate:.1}%), below the policy's minimum of {min}%",
            t.pass, t.total
        ),
        vec![("computed", num(rate)), ("minimum", num(min))],
    );
}
