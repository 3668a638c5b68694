//! `consistency.*`: does the report agree with itself? Every rule here compares two things the
//! report states; none needs the policy's numbers.

use super::{At, Findings, num};
use crate::report::claims::ClaimKind;
use crate::report::model::Report;
use crate::verdict::CheckStatus;
use serde_json::json;

pub(super) fn evaluate(report: &Report, out: &mut Findings) {
    section_count(report, out);
    section_status(report, out);
    summary(report, out);
    success_rate(report, out);
    threshold(report, out);
    node_count(report, out);
    arithmetic(report, out);
}

/// Whether a heading's `k/m` counts checks (`5/5 tests`) rather than scoring something else
/// (`Score: 10/10`): only then can the rows under it confirm or refute it.
fn counts_checks(noun: Option<&str>) -> bool {
    let Some(noun) = noun else { return false };
    let noun = noun.to_lowercase();
    ["test", "check", "case", "scenario", "assertion", "spec"]
        .iter()
        .any(|w| noun.starts_with(w))
}

/// A heading's `(k/m tests)` against the rows under it. Sections without rows say nothing.
fn section_count(report: &Report, out: &mut Findings) {
    for (i, s) in report.sections.iter().enumerate() {
        let Some(count) = s
            .count
            .as_ref()
            .filter(|c| counts_checks(c.noun.as_deref()))
        else {
            continue;
        };
        let t = s.tally;
        if t.total == 0 || (count.total as usize == t.total && count.passed as usize == t.pass) {
            continue;
        }
        out.push(
            "consistency.section-count",
            At::span(count.span, Some(i)),
            format!(
                "heading says {}/{} but its table has {} of {} checks passing",
                count.passed, count.total, t.pass, t.total
            ),
            vec![
                ("stated", json!(format!("{}/{}", count.passed, count.total))),
                ("computed", json!(format!("{}/{}", t.pass, t.total))),
            ],
        );
    }
}

/// A heading marked passed over a failed check, or marked failed over none.
fn section_status(report: &Report, out: &mut Findings) {
    for (i, s) in report.sections.iter().enumerate() {
        let Some(status) = &s.status else { continue };
        let t = s.tally;
        let message = match status.status {
            CheckStatus::Pass if t.fail > 0 => format!(
                "section is marked `{}` but {} of its {} checks failed",
                status.raw, t.fail, t.total
            ),
            CheckStatus::Fail if t.total > 0 && t.fail == 0 => format!(
                "section is marked `{}` but none of its {} checks failed",
                status.raw, t.total
            ),
            _ => continue,
        };
        out.push(
            "consistency.section-status",
            At::span(s.span, Some(i)),
            message,
            vec![("stated", json!(status.raw)), ("failed", json!(t.fail))],
        );
    }
}

/// `N out of M phases passed` against the sections that are phases.
fn summary(report: &Report, out: &mut Findings) {
    let Some(phases) = &report.summary.phases else {
        return;
    };
    let noun = phases.noun.as_deref().unwrap_or("phase").to_lowercase();
    let stem = noun.trim_end_matches('s');
    let mut total = 0u64;
    let mut passed = 0u64;
    for s in &report.sections {
        let Some(status) = &s.status else { continue };
        if !s.name.to_lowercase().contains(stem) {
            continue;
        }
        total += 1;
        passed += u64::from(status.status == CheckStatus::Pass);
    }
    if total == 0 || (total == phases.total && passed == phases.passed) {
        return;
    }
    out.push(
        "consistency.summary",
        At::span(phases.span, None),
        format!(
            "summary says {} out of {} {noun} passed, the sections show {passed} out of {total}",
            phases.passed, phases.total
        ),
        vec![
            (
                "stated",
                json!(format!("{}/{}", phases.passed, phases.total)),
            ),
            ("computed", json!(format!("{passed}/{total}"))),
        ],
    );
}

/// A stated success rate against the checks, within the rounding its own precision allows.
fn success_rate(report: &Report, out: &mut Findings) {
    let Some(rate) = &report.summary.success_rate else {
        return;
    };
    let t = report.tally;
    if t.total == 0 {
        return;
    }
    let computed = 100.0 * t.pass as f64 / t.total as f64;
    let decimals = decimals_in(&rate.text);
    let tolerance = 0.5 * 10f64.powi(-(decimals as i32)) + 1e-9;
    if (computed - rate.value).abs() <= tolerance {
        return;
    }
    out.push(
        "consistency.success-rate",
        At::span(rate.span, None),
        format!(
            "stated success rate {}% but {} of {} checks passed ({computed:.1}%)",
            rate.value, t.pass, t.total
        ),
        vec![
            ("stated", num(rate.value)),
            ("computed", num(computed)),
            ("passed", json!(t.pass)),
            ("total", json!(t.total)),
        ],
    );
}

/// Digits after the decimal point of the first number in `text` (`94.1%` → 1).
fn decimals_in(text: &str) -> usize {
    let start = text
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(text.len());
    let number: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    number.split_once('.').map_or(0, |(_, d)| d.len())
}

/// `51ms, within 1s threshold`: the stated relation must hold for the stated numbers.
fn threshold(report: &Report, out: &mut Findings) {
    for c in &report.claims {
        let ClaimKind::Threshold {
            relation,
            limit,
            measured: Some(measured),
        } = &c.kind
        else {
            continue;
        };
        let (dm, vm) = measured.normalized();
        let (dl, vl) = limit.normalized();
        if dm != dl || relation.holds(vm, vl) {
            continue;
        }
        out.push(
            "consistency.threshold",
            At::span(c.span, c.section),
            format!(
                "`{}` does not hold: {measured} is not {} {limit}",
                c.text,
                relation_word(*relation)
            ),
            vec![
                ("measured", json!(measured.to_string())),
                ("limit", json!(limit.to_string())),
                ("relation", json!(relation)),
            ],
        );
    }
}

fn relation_word(r: crate::report::claims::Relation) -> &'static str {
    use crate::report::claims::Relation::*;
    match r {
        Lt => "under",
        Le => "within",
        Gt => "over",
        Ge => "at least",
        Eq => "equal to",
    }
}

/// Every node total the text states must be the configured n.
fn node_count(report: &Report, out: &mut Findings) {
    let Some(n) = &report.consensus.n else { return };
    for total in &report.consensus.node_totals {
        if total.value == n.value {
            continue;
        }
        out.push(
            "consistency.node-count",
            At::span(total.span, None),
            format!(
                "`{}` speaks of {} nodes, but the configuration has n = {} (line {})",
                total.text, total.value, n.value, n.line
            ),
            vec![
                ("stated", json!(total.value)),
                ("n", json!(n.value)),
                ("n_line", json!(n.line)),
            ],
        );
    }
}

/// `2f+1 = 5` must be right for the report's own f.
fn arithmetic(report: &Report, out: &mut Findings) {
    let Some(f) = &report.consensus.f else { return };
    for q in &report.consensus.quorum {
        let computed = (q.coefficient as i128) * (f.value as i128) + q.offset as i128;
        if computed == q.stated as i128 {
            continue;
        }
        out.push(
            "consistency.arithmetic",
            At::span(q.span, None),
            format!(
                "`{}` is wrong for f = {}: it is {computed}",
                q.text, f.value
            ),
            vec![
                ("stated", json!(q.stated)),
                ("computed", json!(computed as i64)),
                ("f", json!(f.value)),
            ],
        );
    }
}
