//! `verdict gate`: the deploy step. Open (exit 0) only when the ledger holds a pass verdict
//! for exactly this report's digest under exactly this policy, signed by a trusted verifier
//! and included in a trusted checkpoint; closed (exit 1) saying which of those is missing.

use crate::attest;
use crate::cli::ledger::trusted_keys;
use crate::exit::Exit;
use crate::ledger::{self, Ledger};
use crate::limits::Limits;
use crate::output::escape_property;
use crate::policy;
use crate::text;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GateFormat {
    /// One line saying open or closed, and why.
    Human,
    /// A `verdict-gate/v1` JSON document.
    Json,
    /// A GitHub workflow command (`::notice` when open, `::error` when closed).
    Github,
}

/// Let a deployment through only if the ledger holds a signed PASS for this exact report.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 open, 1 closed, 2 error (unreadable report, policy, key or ledger).

Examples:
  verdict gate report.md --policy policies/bft-production.yaml --trust verifier.pub
  verdict gate report.md --policy policy.yaml --trust verifier.pub --ledger ledger/verdicts.db --format github
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
    #[arg(long, value_enum, default_value_t = GateFormat::Human)]
    pub format: GateFormat,
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
    let digest = attest::digest(&text::decode(&bytes, &limits)?).to_string();
    let path = args.ledger.clone().unwrap_or_else(ledger::default_path);
    let ledger = Ledger::open(&path)?;
    let decision = ledger.gate(&digest, &policy.digest, &trusted);
    let (exit, open, reason, seq) = match &decision {
        Ok(ok) => (
            Exit::Pass,
            true,
            format!(
                "ledger entry {} is a pass signed by {}, included in checkpoint {}",
                ok.seq, ok.verifier, ok.checkpoint_size
            ),
            Some(ok.seq),
        ),
        Err(e) => (e.exit(), false, e.to_string(), None),
    };
    if let Err(ledger::GateFailure::Ledger(e)) = decision {
        return Err(e.into());
    }
    match args.format {
        GateFormat::Human => println!(
            "gate {}: {} — {reason}",
            if open { "open" } else { "closed" },
            args.report
        ),
        GateFormat::Json => println!(
            "{}",
            serde_json::json!({
                "schema": "verdict-gate/v1",
                "gate": if open { "open" } else { "closed" },
                "report": { "path": args.report, "digest": digest },
                "policy": { "name": policy.policy, "digest": policy.digest },
                "seq": seq,
                "reason": reason,
            })
        ),
        GateFormat::Github => println!(
            "::{} file={},title=verdict gate::gate {}: {}",
            if open { "notice" } else { "error" },
            escape_property(&args.report),
            if open { "open" } else { "closed" },
            crate::output::escape_data(&reason)
        ),
    }
    Ok(exit)
}
