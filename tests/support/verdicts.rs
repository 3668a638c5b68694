//! Hand-built verdicts for the renderers' tests, mirroring what `verdict verify` is expected to
//! produce on the seed (DESIGN.md) and on a signed passing report. Lines and spans are taken from
//! the clean seed text itself, so a label that points at the wrong place shows in the snapshots.

#![allow(dead_code)]

use serde_json::json;
use verdict::rules::policy_rules;
use verdict::verdict::{
    ByteSpan, CheckOutcome, CheckStatus, Finding, Outcome, PolicyRef, ReportRef, RuleOutcome,
    SCHEMA, Severity, Summary, Verdict,
};

pub const SEED_PATH: &str = "fixtures/reports/seed.txt";
pub const PASS_PATH: &str = "fixtures/reports/seed-signed.md";
pub const POLICY_DIGEST: &str =
    "sha256:5d2c0f7a1e9b84c36f0d2a7e5b1c9f8e3a6d4b2c7e1f0a9d8c5b3e2f1a0d9c8b";
pub const REPORT_DIGEST: &str =
    "sha256:0b9e1f5c3a7d2e8f4c6a1b9d3e5f7a2c8b4d6e1f3a5c7b9d2e4f6a8c1b3d5e7f";

/// The repaired seed text (what the text stage yields for seed.txt).
pub fn seed_source() -> &'static str {
    include_str!("../../fixtures/reports/seed-clean-lf.md")
}

/// Span, line and column of the first `needle` on 1-based `line` of `source`.
fn locate(source: &str, line: u32, needle: &str) -> (ByteSpan, u32, u32) {
    let mut offset = 0;
    for (i, l) in source.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            let at = l
                .find(needle)
                .unwrap_or_else(|| panic!("{needle:?} not on line {line}: {l:?}"));
            let column = l[..at].chars().count() as u32 + 1;
            return (
                ByteSpan {
                    offset: offset + at,
                    length: needle.len(),
                },
                line,
                column,
            );
        }
        offset += l.len();
    }
    panic!("no line {line}");
}

fn finding(
    rule: &str,
    severity: Severity,
    message: &str,
    at: Option<(u32, &str)>,
    section: Option<&str>,
    evidence: serde_json::Value,
    help: &str,
) -> Finding {
    let (span, line, column) = match at {
        Some((line, needle)) => {
            let (s, l, c) = locate(seed_source(), line, needle);
            (Some(s), Some(l), Some(c))
        }
        None => (None, None, None),
    };
    Finding {
        rule: rule.into(),
        severity,
        message: message.into(),
        line,
        column,
        section: section.map(Into::into),
        span,
        evidence: evidence.as_object().cloned().unwrap_or_default(),
        help: help.into(),
    }
}

/// The 17 checks of the seed's four phase tables.
fn seed_checks(all_pass: bool) -> Vec<CheckOutcome> {
    let phases = [
        (
            31..=35,
            "Phase-by-Phase Validation Results > Phase 1: Resource Management Shutdown Validation ✅ PASSED (5/5 tests)",
        ),
        (
            45..=48,
            "Phase-by-Phase Validation Results > Phase 2: Agent Lifecycle Persistence Validation ✅ PASSED (4/4 tests)",
        ),
        (
            58..=61,
            "Phase-by-Phase Validation Results > Phase 3: Memory Leak Prevention Validation ❌ FAILED (3/4 tests)",
        ),
        (
            73..=76,
            "Phase-by-Phase Validation Results > Phase 4: Byzantine Agreement Coordination ✅ PASSED (4/4 tests)",
        ),
    ];
    let lines: Vec<&str> = seed_source().lines().collect();
    let mut checks = Vec::new();
    for (range, section) in phases {
        for n in range {
            let cells: Vec<&str> = lines[n - 1].split('|').map(str::trim).collect();
            let status = if cells[2].contains("FAILED") && !all_pass {
                CheckStatus::Fail
            } else {
                CheckStatus::Pass
            };
            checks.push(CheckOutcome {
                name: cells[1].trim_matches('*').to_string(),
                status,
                line: n as u32,
                section: Some(section.to_string()),
            });
        }
    }
    assert_eq!(checks.len(), 17);
    checks
}

/// Every policy rule at its default severity except `ledger.replay` (no ledger given).
fn rules(findings: &[Finding]) -> Vec<RuleOutcome> {
    policy_rules()
        .filter(|r| r.id != "ledger.replay")
        .map(|r| RuleOutcome {
            id: r.id.to_string(),
            severity: r.default,
            findings: findings.iter().filter(|f| f.rule == r.id).count(),
        })
        .collect()
}

fn summary(findings: &[Finding], checks: &[CheckOutcome], rules: &[RuleOutcome]) -> Summary {
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    Summary {
        deny: count(Severity::Deny),
        warn: count(Severity::Warn),
        info: count(Severity::Info),
        checks: checks.len(),
        checks_passed: checks
            .iter()
            .filter(|c| c.status == CheckStatus::Pass)
            .count(),
        checks_failed: checks
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
            .count(),
        rules_evaluated: rules.len(),
    }
}

/// The seed under the default production policy at 2026-11-25: six deny, four warn findings,
/// in the order an evaluator produces them (catalogue order), not grouped by severity.
pub fn seed_like() -> Verdict {
    let phase3 = "Phase-by-Phase Validation Results > Phase 3: Memory Leak Prevention Validation ❌ FAILED (3/4 tests)";
    let hash = "sha256:a8f7e2b9c4d6f1a5e3c8b2a9f7e4d1c6b9a2f5e8c1d4a7b3f9e2c5a8d1b4f7e0";
    let findings = vec![
        finding(
            "report.encoding",
            Severity::Warn,
            "repaired 36 mojibake sequences (UTF-8 read as Mac Roman)",
            None,
            None,
            json!({"repaired": 36, "encoding": "macintosh"}),
            "save the report as UTF-8; the verdict covers the repaired text",
        ),
        finding(
            "consistency.node-count",
            Severity::Deny,
            "the text counts 4 nodes, the configuration has n = 7",
            Some((74, "out of 4 nodes")),
            Some(
                "Phase-by-Phase Validation Results > Phase 4: Byzantine Agreement Coordination ✅ PASSED (4/4 tests)",
            ),
            json!({"stated": 4, "configured": 7}),
            "correct the node count or the configuration line (f=2, 7-node configuration)",
        ),
        finding(
            "checks.failed",
            Severity::Deny,
            "check `Resource Bounds Enforcement` failed: Resource bounds not properly enforced",
            Some((60, "**Resource Bounds Enforcement**")),
            Some(phase3),
            json!({"check": "Resource Bounds Enforcement", "status": "fail"}),
            "fix the failing check and re-run the validation; a failed check blocks deployment",
        ),
        finding(
            "hash.mismatch",
            Severity::Deny,
            "the report hash differs from the recomputed canonical digest",
            Some((198, hash)),
            Some("Conclusion"),
            json!({"claimed": hash, "computed": REPORT_DIGEST}),
            "recompute the digest with `verdict hash REPORT` and sign that",
        ),
        finding(
            "hash.implausible",
            Severity::Warn,
            "no digest function produces this hash: every byte is a hex letter then a digit (p < 1e-9)",
            Some((198, hash)),
            Some("Conclusion"),
            json!({"pattern": "letter-digit pairs"}),
            "the hash looks typed by hand; compute it with `verdict hash REPORT`",
        ),
        finding(
            "signatures.missing",
            Severity::Deny,
            "the policy requires 5 signatures (2f+1) and the report carries none",
            None,
            None,
            json!({"required": 5, "present": 0}),
            "sign the report with `verdict sign` using keys from the keyring",
        ),
        finding(
            "signatures.claim",
            Severity::Deny,
            "the report claims 5 signatures, 0 verify",
            Some((199, "5/7 nodes confirmed")),
            Some("Conclusion"),
            json!({"claimed": 5, "verified": 0}),
            "claim only the signatures the report carries",
        ),
        finding(
            "signatures.algorithm",
            Severity::Warn,
            "`SHA-256 with node-specific keys` is a digest, not a signature scheme; allowed: ed25519",
            Some((97, "SHA-256 with node-specific keys")),
            Some("Byzantine Fault Tolerance Analysis > Message Authentication"),
            json!({"declared": "SHA-256 with node-specific keys", "allowed": ["ed25519"]}),
            "sign with ed25519 and name it",
        ),
        finding(
            "freshness.stale",
            Severity::Deny,
            "the report is 426 days old; the policy allows 30 days",
            Some((5, "2025-09-24T20:59:48.000Z")),
            None,
            json!({"date": "2025-09-24T20:59:48.000Z", "now": "2026-11-25T00:00:00Z", "max_age": "30d"}),
            "re-run the validation and submit a fresh report",
        ),
        finding(
            "deployment.recommendation",
            Severity::Warn,
            "the report recommends only conditional deployment",
            Some((160, "CONDITIONAL DEPLOYMENT")),
            Some("Validation Confidence and Recommendations > Production Deployment Readiness"),
            json!({"recommendation": "conditional"}),
            "meet the report's prerequisites and re-validate before deploying",
        ),
    ];
    let checks = seed_checks(false);
    let rules = rules(&findings);
    let summary = summary(&findings, &checks, &rules);
    Verdict {
        schema: SCHEMA.into(),
        verdict: Outcome::Fail,
        report: ReportRef {
            path: SEED_PATH.into(),
            digest: Some(REPORT_DIGEST.into()),
            id: Some("byzantine-validator-primary-20250924-135948".into()),
        },
        policy: PolicyRef {
            name: "bft-production".into(),
            digest: POLICY_DIGEST.into(),
        },
        findings,
        checks,
        rules,
        summary,
    }
}

/// A signed report that passes the same policy: 17 of 17 checks, no findings.
pub fn passing() -> Verdict {
    let checks = seed_checks(true);
    let rules = rules(&[]);
    let summary = summary(&[], &checks, &rules);
    Verdict {
        schema: SCHEMA.into(),
        verdict: Outcome::Pass,
        report: ReportRef {
            path: PASS_PATH.into(),
            digest: Some(
                "sha256:7c4e1a9f2b8d3c6e5f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60".into(),
            ),
            id: Some("byzantine-validator-primary-20261120-101500".into()),
        },
        policy: PolicyRef {
            name: "bft-production".into(),
            digest: POLICY_DIGEST.into(),
        },
        findings: vec![],
        checks,
        rules,
        summary,
    }
}
