//! `verdict verify`: the main job. Report → policy → evidence → verdict, rendered in the
//! requested formats, with the exit code CI branches on.

use crate::attest::{self, keyring::Keyring};
use crate::cli::input::{self, Loaded};
use crate::exit::Exit;
use crate::ledger::{self, Ledger, record::RecordInput};
use crate::limits::Limits;
use crate::output::OutputArgs;
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
  verdict verify report.md --keyring keys.yaml --output sarif=verdict.sarif --fail-on warn
  verdict verify report.md --keyring keys.yaml --record --signer verifier.key")]
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
    pub limits: crate::cli::limits::LimitArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Append the verdict, signed, to the ledger (pass or fail: both are history).
    #[arg(long, requires = "signer")]
    pub record: bool,
    /// Ledger database [default: $VERDICT_LEDGER, else ledger/verdicts.db]. Given (or with
    /// --record), an earlier verdict for the same report and policy fires `ledger.replay`.
    #[arg(long, value_name = "PATH")]
    pub ledger: Option<PathBuf>,
    /// The verifier's ed25519 private key (PKCS#8 PEM) that signs ledger entries.
    #[arg(long, value_name = "KEY", requires = "record")]
    pub signer: Option<PathBuf>,
}

/// Everything `verify` computes before rendering; `--record` turns it into a ledger entry.
pub struct Judged {
    pub loaded: Loaded,
    pub policy: Policy,
    pub verdict: Verdict,
    pub keyring_digest: Option<String>,
}

/// Run the pipeline up to the verdict; `ledger`, when given, is asked for earlier verdicts.
pub fn judge(args: &VerifyArgs, ledger: Option<&Ledger>) -> miette::Result<Judged> {
    let limits = args.limits.limits(args.max_bytes);
    let now = input::now(args.now.as_deref())?;
    let policy = match &args.policy {
        Some(path) => policy::load(path, &limits)?,
        None => policy::default_policy()?,
    };
    let loaded = input::load_report(&args.report, &limits)?;
    let keyring = match args.keyring.as_deref().or(policy.keyring_path()) {
        Some(path) => Some(Keyring::load_limited(path, &limits)?),
        None => None,
    };
    let detached = if args.report == "-" {
        None
    } else {
        attest::read_detached(Path::new(&args.report), &limits)?
    };
    attest::check_signature_count(&loaded.text, detached.as_deref(), &limits)?;
    let evidence = attest::attest(
        &loaded.text,
        keyring.as_ref(),
        detached.as_deref(),
        loaded.report.date.as_ref().map(|d| d.instant),
        limits.max_signatures,
    );
    let replay_of = match ledger {
        Some(l) => l.latest_verdict_seq(&evidence.digest.to_string(), &policy.digest)?,
        None => None,
    };
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
    output.emit_to_stdout(
        &judged.verdict,
        &judged.loaded.name,
        &judged.loaded.text.repaired,
    )
}

pub fn exit_code(outcome: Outcome) -> Exit {
    match outcome {
        Outcome::Pass => Exit::Pass,
        Outcome::Fail => Exit::Fail,
        Outcome::Inconclusive => Exit::Inconclusive,
    }
}

pub fn run(args: VerifyArgs) -> miette::Result<Exit> {
    // Everything that can fail for want of a usable key or ledger fails before judging, so a
    // bad invocation never leaves half a record behind.
    let signer = match &args.signer {
        Some(path) => Some(crate::attest::keys::load_signing_key(path)?),
        None => None,
    };
    let path = args.ledger.clone().unwrap_or_else(ledger::default_path);
    let mut ledger = if args.record {
        Some(Ledger::open_or_create(&path)?)
    } else if args.ledger.is_some() {
        Some(Ledger::open(&path)?)
    } else {
        None
    };
    let judged = judge(&args, ledger.as_ref())?;
    emit(&args.output, &judged)?;
    if let (Some(ledger), Some(signer)) = (&mut ledger, &signer) {
        let input = RecordInput::from_verdict(
            &judged.verdict,
            judged.keyring_digest.clone(),
            jiff::Timestamp::now(),
        )
        .ok_or_else(|| {
            miette::miette!(
                code = "ledger::no_digest",
                "the verdict has no report digest; nothing recorded"
            )
        })?;
        let appended = ledger.append(&input, signer)?;
        eprintln!(
            "recorded: {} entry {} ({})\n{}",
            ledger.path().display(),
            appended.seq,
            judged.verdict.verdict.as_str(),
            appended.checkpoint_text.trim_end()
        );
    }
    Ok(exit_code(judged.verdict.verdict))
}
