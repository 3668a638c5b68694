//! `verdict gate`: the deploy step. Open (exit 0) only when the ledger holds a pass verdict
//! for exactly this report's digest under exactly this policy, signed by a trusted verifier
//! and included in a trusted checkpoint; closed (exit 1) saying which of those is missing.
//!
//! The decision is a `verdict/v1` document like `verify`'s, so it renders in every format
//! `verify` has (`--format`, `--output`) through the same code. Each way the gate can close is
//! a `gate.*` rule of the catalogue at deny; an open gate carries one `gate.open` notice naming
//! the entry that opened it. The gate judges no report content, so the document has no checks.

use crate::attest;
use crate::cli::ledger::trusted_keys;
use crate::cli::verify::exit_code;
use crate::exit::Exit;
use crate::ledger::{self, GateFailure, GateOk, Ledger, LedgerError};
use crate::limits::Limits;
use crate::output::OutputArgs;
use crate::policy;
use crate::rules;
use crate::text;
use crate::verdict::{
    Outcome, PolicyRef, ReportRef, RuleOutcome, SCHEMA, Severity, Summary, Verdict,
};
use clap::Args;
use serde_json::Value;
use std::path::PathBuf;

/// Let a deployment through only if the ledger holds a signed PASS for this exact report.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 open (verdict pass), 1 closed (verdict fail, one gate.* finding \
saying why), 2 error (unreadable report, policy, key or ledger).

Examples:
  verdict gate report.md --policy policies/bft-production.yaml --trust verifier.pub
  verdict gate report.md --trust verifier.pub --ledger ledger/verdicts.db --format github --output junit=gate.xml
  verdict gate report.md --trust ed25519:6dL7Vstppgp+HC5JLfXFQeqXBc6SRzn2iHcbOIxVnaA= --format json"
)]
pub struct GateArgs {
    /// Report file (Markdown), or `-` for standard input.
    pub report: String,
    /// Policy the pass must have been given under; the built-in bft-production when absent.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Trusted verifier public key(s): SPKI PEM file or ed25519:<base64>.
    #[arg(long, value_name = "PUBKEY", required = true)]
    pub trust: Vec<String>,
    /// Ledger database [default: $VERDICT_LEDGER, else ledger/verdicts.db].
    #[arg(long, value_name = "PATH")]
    pub ledger: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Refuse reports larger than this many bytes.
    #[arg(long, default_value_t = Limits::default().max_bytes)]
    pub max_bytes: u64,
    #[command(flatten)]
    pub limits: crate::cli::limits::LimitArgs,
}

pub fn run(args: GateArgs) -> miette::Result<Exit> {
    let limits = args.limits.limits(args.max_bytes);
    let trusted = trusted_keys(&args.trust)?;
    let policy = match &args.policy {
        Some(path) => policy::load(path, &limits)?,
        None => policy::default_policy()?,
    };
    let bytes = text::read_input(&args.report, &limits)?;
    let text = text::decode(&bytes, &limits)?;
    drop(bytes);
    let digest = attest::digest(&text).to_string();
    let path = args.ledger.clone().unwrap_or_else(ledger::default_path);
    let ledger = Ledger::open(&path)?;
    let decision = ledger.gate(&digest, &policy.digest, &trusted);
    let verdict = gate_verdict(
        decision,
        ReportRef {
            path: args.report.clone(),
            digest: Some(digest),
            id: None,
        },
        PolicyRef {
            name: policy.policy.clone(),
            digest: policy.digest.clone(),
        },
    )?;
    args.output
        .emit_to_stdout(&verdict, &args.report, &text.repaired)?;
    Ok(exit_code(verdict.verdict))
}

/// The gate's decision as a `verdict/v1` document: `pass` with a `gate.open` notice when open,
/// `fail` with the one deny finding of the rule that closed it otherwise. A ledger that cannot
/// be read is not a decision; it comes back as the error (exit 2).
///
/// `rules` lists what was decided: all gate rules when open; only the closing rule when
/// closed, since the gate stops at the first condition that fails and the later ones were
/// never checked.
pub fn gate_verdict(
    decision: Result<GateOk, GateFailure>,
    report: ReportRef,
    policy: PolicyRef,
) -> Result<Verdict, LedgerError> {
    let finding = match decision {
        Ok(ok) => rules::finding(
            "gate.open",
            Severity::Info,
            format!(
                "ledger entry {} is a pass signed by {}, included in checkpoint {}",
                ok.seq, ok.verifier, ok.checkpoint_size
            ),
            [
                ("seq", ok.seq.into()),
                ("verifier", ok.verifier.into()),
                ("checkpoint_size", ok.checkpoint_size.into()),
            ],
        ),
        Err(failure) => {
            let message = failure.to_string();
            let (rule, evidence): (&str, Vec<(&str, Value)>) = match failure {
                GateFailure::NoRecord {
                    report_digest,
                    policy_digest,
                } => (
                    "gate.unrecorded",
                    vec![
                        ("report_digest", report_digest.into()),
                        ("policy_digest", policy_digest.into()),
                    ],
                ),
                GateFailure::NotPass { seq, verdict } => (
                    "gate.not-pass",
                    vec![("seq", seq.into()), ("verdict", verdict.into())],
                ),
                GateFailure::Untrusted { seq, verifier } => (
                    "gate.untrusted",
                    vec![("seq", seq.into()), ("verifier", verifier.into())],
                ),
                GateFailure::BadEntry { seq, what } => (
                    "gate.corrupt",
                    vec![("seq", seq.into()), ("problem", what.into())],
                ),
                GateFailure::NotIncluded { seq, what } => (
                    "gate.unanchored",
                    vec![("seq", seq.into()), ("problem", what.into())],
                ),
                GateFailure::Ledger(e) => return Err(e),
            };
            rules::finding(rule, Severity::Deny, message, evidence)
        }
    };
    let open = finding.severity < Severity::Deny;
    let rules: Vec<RuleOutcome> = if open {
        rules::gate_rules()
            .map(|r| RuleOutcome {
                id: r.id.to_string(),
                severity: r.default,
                findings: usize::from(r.id == finding.rule),
            })
            .collect()
    } else {
        vec![RuleOutcome {
            id: finding.rule.clone(),
            severity: finding.severity,
            findings: 1,
        }]
    };
    let count = |s: Severity| usize::from(finding.severity == s);
    let summary = Summary {
        deny: count(Severity::Deny),
        warn: count(Severity::Warn),
        info: count(Severity::Info),
        checks: 0,
        checks_passed: 0,
        checks_failed: 0,
        rules_evaluated: rules.len(),
    };
    Ok(Verdict {
        schema: SCHEMA.to_string(),
        verdict: if open { Outcome::Pass } else { Outcome::Fail },
        report,
        policy,
        findings: vec![finding],
        checks: vec![],
        rules,
        summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs() -> (ReportRef, PolicyRef) {
        (
            ReportRef {
                path: "r.md".into(),
                digest: Some(format!("sha256:{}", "a".repeat(64))),
                id: None,
            },
            PolicyRef {
                name: "p".into(),
                digest: format!("sha256:{}", "b".repeat(64)),
            },
        )
    }

    fn closed(failure: GateFailure) -> (String, String, Value) {
        let (r, p) = refs();
        let v = match gate_verdict(Err(failure), r, p) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(v.verdict, Outcome::Fail);
        assert_eq!(v.findings.len(), 1);
        assert_eq!(v.rules.len(), 1);
        assert_eq!(v.rules[0].id, v.findings[0].rule);
        assert_eq!((v.summary.deny, v.summary.rules_evaluated), (1, 1));
        let f = &v.findings[0];
        assert_eq!(f.severity, Severity::Deny);
        assert_eq!((f.line, f.column, f.span), (None, None, None));
        let info = rules::find(&f.rule).unwrap_or_else(|| panic!("{} not catalogued", f.rule));
        assert_eq!(f.help, info.help);
        assert_eq!(info.default, Severity::Deny);
        (
            f.rule.clone(),
            f.message.clone(),
            Value::Object(f.evidence.clone()),
        )
    }

    #[test]
    fn each_way_to_close_is_its_own_deny_rule() {
        assert_eq!(
            closed(GateFailure::NoRecord {
                report_digest: "sha256:r".into(),
                policy_digest: "sha256:p".into()
            }),
            (
                "gate.unrecorded".into(),
                "the ledger holds no verdict for report sha256:r under policy sha256:p".into(),
                serde_json::json!({"report_digest": "sha256:r", "policy_digest": "sha256:p"})
            )
        );
        assert_eq!(
            closed(GateFailure::NotPass {
                seq: 3,
                verdict: "inconclusive".into()
            }),
            (
                "gate.not-pass".into(),
                "the latest verdict for this report and policy (entry 3) is inconclusive, not pass"
                    .into(),
                serde_json::json!({"seq": 3, "verdict": "inconclusive"})
            )
        );
        assert_eq!(
            closed(GateFailure::Untrusted {
                seq: 0,
                verifier: "ed25519:AAAA".into()
            }),
            (
                "gate.untrusted".into(),
                "entry 0 is signed by ed25519:AAAA, which is not a trusted verifier key".into(),
                serde_json::json!({"seq": 0, "verifier": "ed25519:AAAA"})
            )
        );
        assert_eq!(
            closed(GateFailure::BadEntry {
                seq: 7,
                what: "stored leaf hash does not match the record".into()
            }),
            (
                "gate.corrupt".into(),
                "entry 7: stored leaf hash does not match the record".into(),
                serde_json::json!({"seq": 7, "problem": "stored leaf hash does not match the record"})
            )
        );
        assert_eq!(
            closed(GateFailure::NotIncluded {
                seq: 2,
                what: "the ledger has no checkpoint".into()
            }),
            (
                "gate.unanchored".into(),
                "entry 2 is not included in a valid checkpoint: the ledger has no checkpoint"
                    .into(),
                serde_json::json!({"seq": 2, "problem": "the ledger has no checkpoint"})
            )
        );
    }

    #[test]
    fn an_open_gate_passes_with_a_notice_and_every_gate_rule_decided() {
        let (r, p) = refs();
        let v = match gate_verdict(
            Ok(GateOk {
                seq: 4,
                checkpoint_size: 9,
                verifier: "ed25519:BBBB".into(),
            }),
            r.clone(),
            p.clone(),
        ) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(v.verdict, Outcome::Pass);
        assert_eq!((v.report, v.policy), (r, p));
        assert_eq!(v.findings.len(), 1);
        let f = &v.findings[0];
        assert_eq!((f.rule.as_str(), f.severity), ("gate.open", Severity::Info));
        assert_eq!(
            f.message,
            "ledger entry 4 is a pass signed by ed25519:BBBB, included in checkpoint 9"
        );
        assert_eq!(
            Value::Object(f.evidence.clone()),
            serde_json::json!({"seq": 4, "verifier": "ed25519:BBBB", "checkpoint_size": 9})
        );
        let rules: Vec<(&str, Severity, usize)> = v
            .rules
            .iter()
            .map(|r| (r.id.as_str(), r.severity, r.findings))
            .collect();
        assert_eq!(
            rules,
            [
                ("gate.unrecorded", Severity::Deny, 0),
                ("gate.not-pass", Severity::Deny, 0),
                ("gate.untrusted", Severity::Deny, 0),
                ("gate.corrupt", Severity::Deny, 0),
                ("gate.unanchored", Severity::Deny, 0),
                ("gate.open", Severity::Info, 1),
            ]
        );
        assert_eq!(
            v.summary,
            Summary {
                deny: 0,
                warn: 0,
                info: 1,
                checks: 0,
                checks_passed: 0,
                checks_failed: 0,
                rules_evaluated: 6
            }
        );
    }

    #[test]
    fn an_unreadable_ledger_is_an_error_not_a_decision() {
        let (r, p) = refs();
        let e = gate_verdict(
            Err(GateFailure::Ledger(LedgerError::Corrupt("x".into()))),
            r,
            p,
        );
        assert!(matches!(e, Err(LedgerError::Corrupt(_))));
    }
}
