//! `verdict hash REPORT`: print the canonical digest (docs/digest.md).

use crate::attest::digest;
use crate::exit::Exit;
use crate::limits::Limits;
use crate::text::decode;
use miette::Diagnostic;
use std::path::PathBuf;
use thiserror::Error;

/// Print a report's canonical digest as `sha256:<hex>`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  verdict hash report.md
  verdict hash fixtures/reports/signed/clean.md      # sha256:… (attestation lines excluded)
  sed -i \"s/^\\*\\*Report Hash\\*\\*:.*/**Report Hash**: \\`$(verdict hash report.md)\\`/\" report.md")]
pub struct HashArgs {
    /// The report (Markdown or text, UTF-8).
    pub report: PathBuf,
    /// Largest report accepted, in bytes.
    #[arg(long, default_value_t = Limits::default().max_bytes)]
    pub max_bytes: u64,
    #[command(flatten)]
    pub limits: crate::cli::limits::LimitArgs,
}

#[derive(Debug, Error, Diagnostic)]
#[error("cannot read report {path}: {source}")]
#[diagnostic(code(hash::read), help("check the path and its permissions"))]
pub struct ReadError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// Read a report within the size limit (checked before reading).
pub(crate) fn read_report(path: &std::path::Path, limits: &Limits) -> miette::Result<Vec<u8>> {
    let err = |source| ReadError {
        path: path.into(),
        source,
    };
    crate::limits::read_capped(path, limits.max_bytes)
        .map_err(err)?
        .ok_or_else(|| {
            crate::text::TextError::TooLarge {
                limit: limits.max_bytes,
            }
            .into()
        })
}

pub fn run(args: HashArgs) -> miette::Result<Exit> {
    let limits = args.limits.limits(args.max_bytes);
    let bytes = read_report(&args.report, &limits)?;
    let text = decode(&bytes, &limits)?;
    println!("{}", digest(&text));
    Ok(Exit::Pass)
}
