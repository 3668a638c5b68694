//! `verdict verify`: the main job. Report → policy → evidence → verdict, rendered in the
//! requested formats, with the exit code CI branches on.

use crate::attest::{self, keyring::Keyring};
use crate::cli::input::{self, Loaded};
use crate::exit::Exit;
use crate::limits::Limits;
use crate::output::{self, OutputArgs, RenderContext};
use crate::policy::{self, Policy, evaluate};
use crate::verdict::{Outcome, Severity, Verdict};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

/// Which findings make the verdict fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only deny findings fail (the default).
    Deny,
    /// Warnings fail too.
    Warn,
}

/// Verify a report against a policy and print the verdict.
#[derive(Debug, Args)]
#[command(after_help = "Exit codes: 0 pass, 1 fail, 2 error, 3 inconclusive.

Examples:
  verdict verify fixtures/reports/seed.txt --now 2026-11-25T00:00:00Z
  verdict verify report.md --policy policies/bft-staging.yaml --keyring keys.yaml --format json
  verdict verify report.md --keyring keys.yaml --output sarif=verdict.sarif --fail-on warn")]
pub struct VerifyArgs {
    /// Report file (Markdown), or `-` for standard input.
    pub report: String,
    /// Policy file; the built-in bft-production policy when absent.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Keyring of signers; defaults to the policy's `signatures.keyring`.
    #[arg(long, value_name = "FILE")]
    pub keyring: Option<PathBuf>,
    /// Judge as of this RFC 3339 instant instead of the system clock.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Lowest severity that fails the verdict.
    #[arg(long, value_enum, default_value_t = FailOn::Deny)]
    pub fail_on: FailOn,
    /// Refuse reports larger than this many bytes.
    #[arg(long, default_value_t = Limits::default().max_bytes)]
    pub max_bytes: u64,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Everything `verify` computes before rendering; `gate` and the ledger reuse it.
pub struct Judged {
    pub loaded: Loaded,
    pub policy: Policy,
    pub verdict: Verdict,
    pub keyring_digest: Option<String>,
}

/// Run the pipeline up to the verdict.
pub fn judge(args: &VerifyArgs, replay_of: Option<u64>) -> miette::Result<Judged> {
    let limits = Limits {
        max_bytes: args.max_bytes,
        ..Limits::default()
    };
    let now = input::now(args.now.as_deref())?;
    let policy = match &args.policy {
        Some(path) => policy::load(path, &limits)?,
        None => policy::default_policy()?,
    };
    let loaded = input::load_report(&args.report, &limits)?;
    let keyring = match args.keyring.as_deref().or(policy.keyring_path()) {
        Some(path) => Some(Keyring::load(path, limits.max_keyring_bytes)?),
        None => None,
    };
    let detached = if args.report == "-" {
        None
    } else {
        attest::read_detached(Path::new(&args.report), &limits)?
    };
    let evidence = attest::attest(
        &loaded.text,
        keyring.as_ref(),
        detached.as_deref(),
        loaded.report.date.as_ref().map(|d| d.instant),
        limits.max_signatures,
    );
    let ctx = evaluate::Context {
        now,
        report_path: &loaded.name,
        replay_of,
        fail_on: match args.fail_on {
            FailOn::Deny => Severity::Deny,
            FailOn::Warn => Severity::Warn,
        },
    };
    let verdict = evaluate::evaluate(&policy, &loaded.report, &evidence, &ctx);
    Ok(Judged {
        keyring_digest: keyring.as_ref().map(Keyring::digest_hex),
        loaded,
        policy,
        verdict,
    })
}

/// Render to stdout and the `--output` files.
pub fn emit(output: &OutputArgs, judged: &Judged) -> miette::Result<()> {
    let step = output::step_summary_from_env();
    let ctx = RenderContext::new(&judged.loaded.name)
        .with_source(&judged.loaded.text.repaired)
        .with_color(output::stdout_color())
        .with_step_summary(step.as_deref());
    output.emit(&judged.verdict, &ctx, &mut std::io::stdout().lock())
}

pub fn exit_code(outcome: Outcome) -> Exit {
    match outcome {
        Outcome::Pass => Exit::Pass,
        Outcome::Fail => Exit::Fail,
        Outcome::Inconclusive => Exit::Inconclusive,
    }
}

pub fn run(args: VerifyArgs) -> miette::Result<Exit> {
    let judged = judge(&args, None)?;
    emit(&args.output, &judged)?;
    Ok(exit_code(judged.verdict.verdict))
}
