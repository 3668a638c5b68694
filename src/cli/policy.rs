//! `verdict policy check`: validate a policy and print it resolved (extends followed, defaults
//! filled in) with its digest, the identity verdicts and the ledger record.

use crate::exit::Exit;
use crate::limits::Limits;
use crate::policy::{self, Policy};
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Work with policy files.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  verdict policy check policies/bft-production.yaml
  verdict policy check --format json policies/bft-staging.yaml
  verdict policy check   # the built-in default policy")]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub command: PolicyCommand,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    Check(CheckArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Yaml,
    Json,
}

/// Validate a policy file and print the resolved policy with its digest (exit 2 if invalid).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  verdict policy check policies/bft-staging.yaml
  verdict policy check --format json my-policy.yaml | jq -r .digest
  verdict policy check --builtin bft-production   # the default policy compiled into verdict")]
pub struct CheckArgs {
    /// Policy file. Without it, --builtin names the policy (default: bft-production).
    #[arg(conflicts_with = "builtin")]
    pub file: Option<PathBuf>,
    /// Check a built-in policy (bft-production, bft-staging).
    #[arg(long)]
    pub builtin: Option<String>,
    /// Output format of the resolved policy.
    #[arg(long, value_enum, default_value_t = Format::Yaml)]
    pub format: Format,
    /// Largest policy file read, in bytes.
    #[arg(long, default_value_t = Limits::default().max_policy_bytes)]
    pub max_policy_bytes: u64,
}

pub fn run(args: PolicyArgs) -> miette::Result<Exit> {
    match args.command {
        PolicyCommand::Check(a) => check(a),
    }
}

fn check(args: CheckArgs) -> miette::Result<Exit> {
    let limits = Limits {
        max_policy_bytes: args.max_policy_bytes,
        ..Limits::default()
    };
    let loaded: Policy = match (&args.file, &args.builtin) {
        (Some(path), _) => policy::load(path, &limits)?,
        (None, Some(name)) => policy::load_builtin(name)?,
        (None, None) => policy::default_policy()?,
    };
    match args.format {
        Format::Json => {
            let doc = serde_json::json!({
                "policy": loaded.policy,
                "digest": loaded.digest,
                "sources": loaded.sources,
                "resolved": loaded,
            });
            let text = serde_json::to_string_pretty(&doc)
                .map_err(|e| miette::miette!("cannot render the policy as JSON: {e}"))?;
            println!("{text}");
        }
        Format::Yaml => {
            let text = serde_yaml::to_string(&loaded)
                .map_err(|e| miette::miette!("cannot render the policy as YAML: {e}"))?;
            println!("# resolved policy: {}", loaded.policy);
            println!("# digest: {}", loaded.digest);
            println!("# from: {}", loaded.sources.join(" <- "));
            print!("{text}");
        }
    }
    Ok(Exit::Pass)
}
