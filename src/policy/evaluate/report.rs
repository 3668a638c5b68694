//! Rules about the report as a whole: its encoding, its date, its own recommendation, whether
//! it was judged before, and whether it holds anything verifiable at all.

use super::{At, Findings};
use crate::attest::Evidence;
use crate::policy::Policy;
use crate::report::model::{RecommendationKind, Report};
use serde_json::json;

pub(super) fn encoding(report: &Report, out: &mut Findings) {
    let e = &report.encoding;
    if e.repairs == 0 {
        return;
    }
    let at = e.first_repair.map_or(At::nowhere(), At::line);
    out.push(
        "report.encoding",
        at,
        format!(
            "{} mojibake sequence{} (UTF-8 read as Mac Roman or cp1252) repaired before parsing",
            e.repairs,
            if e.repairs == 1 { "" } else { "s" }
        ),
        vec![("repairs", json!(e.repairs))],
    );
}

pub(super) fn freshness(
    policy: &Policy,
    report: &Report,
    now: jiff::Timestamp,
    out: &mut Findings,
) {
    let max_age = policy.max_age();
    let Some(date) = &report.date else {
        if max_age.is_some() {
            out.push(
                "freshness.stale",
                At::nowhere(),
                "the report states no date, so its freshness cannot be established".to_string(),
                vec![],
            );
        }
        return;
    };
    let at = At::span(date.span, None);
    let age = now.duration_since(date.instant);
    if let Some(max) = max_age
        && age > max
    {
        out.push(
            "freshness.stale",
            at,
            format!(
                "report dated {} is {} old at {now}; the policy allows {}",
                date.instant,
                days(age),
                policy
                    .freshness
                    .max_age
                    .map(|a| a.to_string())
                    .unwrap_or_default()
            ),
            vec![
                ("date", json!(date.instant.to_string())),
                ("now", json!(now.to_string())),
            ],
        );
    }
    if -age > policy.clock_skew() {
        out.push(
            "freshness.future",
            at,
            format!(
                "report dated {} is {} in the future at {now} (clock skew allowed: {})",
                date.instant,
                days(-age),
                policy.freshness.clock_skew
            ),
            vec![
                ("date", json!(date.instant.to_string())),
                ("now", json!(now.to_string())),
            ],
        );
    }
}

fn days(d: jiff::SignedDuration) -> String {
    let secs = d.as_secs();
    if secs >= 86_400 {
        format!("{} days", secs / 86_400)
    } else {
        format!("{} hours", secs / 3600)
    }
}

pub(super) fn recommendation(report: &Report, out: &mut Findings) {
    let Some(r) = &report.summary.recommendation else {
        return;
    };
    let what = match r.normalized {
        RecommendationKind::Conditional => "only conditional deployment",
        RecommendationKind::NoGo => "against deployment",
        RecommendationKind::Go | RecommendationKind::Unknown => return,
    };
    out.push(
        "deployment.recommendation",
        At::span(r.span, None),
        format!("the report itself recommends {what}: `{}`", r.value),
        vec![("recommendation", json!(r.normalized.to_string()))],
    );
}

pub(super) fn replay(replay_of: Option<u64>, out: &mut Findings) {
    if let Some(seq) = replay_of {
        out.push(
            "ledger.replay",
            At::nowhere(),
            format!(
                "this report digest already has a verdict under this policy (ledger entry {seq})"
            ),
            vec![("seq", json!(seq))],
        );
    }
}

/// Fail closed: a report with no checks, claims, consensus or attestation facts cannot pass.
pub(super) fn empty(report: &Report, evidence: &Evidence, out: &mut Findings) -> bool {
    let c = &report.consensus;
    let nothing = report.checks.is_empty()
        && report.assertions.is_empty()
        && report.claims.is_empty()
        && report
            .sections
            .iter()
            .all(|s| s.status.is_none() && s.count.is_none())
        && c.f.is_none()
        && c.n.is_none()
        && evidence.hash_claims.is_empty()
        && evidence.signatures.is_empty();
    if nothing {
        out.push(
            "report.empty",
            At::nowhere(),
            "nothing verifiable was found: no checks, statuses, claims, consensus facts, hash or signatures".to_string(),
            vec![],
        );
    }
    nothing
}
