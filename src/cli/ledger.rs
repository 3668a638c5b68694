//! `verdict ledger …`: audit and read the signed ledger of verdicts.

use crate::exit::Exit;
use crate::ledger::{self, AuditFailure, AuditOptions, InclusionProof, Ledger, LedgerError};
use clap::{Args, Subcommand, ValueEnum};
use ed25519_dalek::VerifyingKey;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  verdict ledger verify --trust verifier.pub --checkpoint ledger/checkpoint.txt
  verdict ledger log --since 2026-11-01T00:00:00Z --format json
  verdict ledger proof 41 > entry41.proof.json")]
pub struct LedgerArgs {
    /// Ledger database [default: $VERDICT_LEDGER, else ledger/verdicts.db]
    #[arg(long, global = true, value_name = "PATH")]
    pub ledger: Option<PathBuf>,
    #[command(subcommand)]
    pub command: LedgerCommand,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Recompute every leaf, tree hash, signature and checkpoint; exit 1 at the first bad one.
    #[command(after_help = "Examples:
  verdict ledger verify
  verdict ledger verify --trust verifier.pub
  verdict ledger verify --trust verifier.pub --checkpoint ledger/checkpoint.txt")]
    Verify {
        /// Public key (SPKI PEM file or ed25519:<base64>) every entry must be signed by; repeatable.
        #[arg(long, value_name = "PUBKEY")]
        trust: Vec<String>,
        /// A checkpoint saved earlier: prove the ledger still extends it (catches truncation, forks).
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
    },
    /// List entries.
    #[command(after_help = "Examples:
  verdict ledger log
  verdict ledger log --format json --since 2026-11-01T00:00:00Z
  verdict ledger log --report VAL-2026-001")]
    Log {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Only entries recorded at or after this RFC 3339 instant.
        #[arg(long, value_name = "RFC3339")]
        since: Option<String>,
        /// Only entries for this report id (or report digest).
        #[arg(long, value_name = "ID")]
        report: Option<String>,
    },
    /// Print one entry as JSON.
    #[command(after_help = "Examples:
  verdict ledger show 0
  verdict ledger show 41 --ledger /srv/verdicts.db")]
    Show { seq: u64 },
    /// Print the latest signed checkpoint (save it, e.g. commit it to git).
    #[command(after_help = "Examples:
  verdict ledger checkpoint > ledger/checkpoint.txt
  verdict ledger checkpoint --ledger /srv/verdicts.db")]
    Checkpoint,
    /// Print an inclusion proof of entry SEQ against the latest checkpoint (JSON).
    #[command(after_help = "Examples:
  verdict ledger proof 41 > entry41.proof.json
  verdict ledger proof 0 --ledger /srv/verdicts.db")]
    Proof { seq: u64 },
    /// Check an inclusion proof offline against a checkpoint (no database needed).
    #[command(after_help = "Examples:
  verdict ledger verify-proof entry41.proof.json --checkpoint checkpoint.txt --trust verifier.pub
  verdict ledger verify-proof p.json --checkpoint c.txt --trust ed25519:Base64Key=")]
    VerifyProof {
        proof: PathBuf,
        #[arg(long, value_name = "FILE")]
        checkpoint: PathBuf,
        /// Trusted verifier public key(s) (SPKI PEM file or ed25519:<base64>).
        #[arg(long, value_name = "PUBKEY", required = true)]
        trust: Vec<String>,
    },
    /// Print every entry as one JSON object per line.
    #[command(after_help = "Examples:
  verdict ledger export > ledger.jsonl
  verdict ledger export --ledger /srv/verdicts.db | jq .record.verdict")]
    Export,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

pub fn run(args: LedgerArgs) -> miette::Result<Exit> {
    let path = args.ledger.clone().unwrap_or_else(ledger::default_path);
    match args.command {
        LedgerCommand::Verify { trust, checkpoint } => verify(&path, &trust, checkpoint.as_deref()),
        LedgerCommand::Log {
            format,
            since,
            report,
        } => log(&path, format, since.as_deref(), report.as_deref()),
        LedgerCommand::Show { seq } => {
            let l = Ledger::open(&path)?;
            let entry = l.entry(seq)?.ok_or(LedgerError::NoSuchEntry(seq))?;
            print_json_pretty(&entry.to_json())?;
            Ok(Exit::Pass)
        }
        LedgerCommand::Checkpoint => {
            let l = Ledger::open(&path)?;
            let note = l
                .latest_checkpoint()?
                .ok_or_else(|| miette::miette!("the ledger is empty: no checkpoint yet"))?;
            out(note.as_bytes())?;
            Ok(Exit::Pass)
        }
        LedgerCommand::Proof { seq } => {
            let l = Ledger::open(&path)?;
            let proof = l.prove_inclusion(seq)?;
            print_json_pretty(&serde_json::to_value(&proof).map_err(|e| miette::miette!("{e}"))?)?;
            Ok(Exit::Pass)
        }
        LedgerCommand::VerifyProof {
            proof,
            checkpoint,
            trust,
        } => verify_proof(&proof, &checkpoint, &trust),
        LedgerCommand::Export => {
            let l = Ledger::open(&path)?;
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            l.for_each_entry(0, |e| {
                let line = serde_json::to_string(&e.to_json()).unwrap_or_default();
                writeln!(w, "{line}").map_err(|source| LedgerError::Io {
                    path: "<stdout>".into(),
                    source,
                })
            })?;
            w.flush().map_err(|e| miette::miette!("{e}"))?;
            Ok(Exit::Pass)
        }
    }
}

pub(crate) fn trusted_keys(
    specs: &[String],
) -> Result<Vec<VerifyingKey>, crate::attest::keys::KeyError> {
    specs
        .iter()
        .map(|s| crate::attest::keys::load_verifying_key(s))
        .collect()
}

fn read_bounded(path: &Path, max: usize) -> miette::Result<Vec<u8>> {
    crate::limits::read_capped(path, max as u64)
        .map_err(|source| LedgerError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .ok_or_else(|| {
            miette::miette!(
                code = "ledger::file_too_large",
                help = "checkpoints are a few hundred bytes and proofs a few KiB; this file is not one (the bound is fixed: docs/limits.md)",
                "{} is larger than the limit of {max} bytes",
                path.display()
            )
        })
}

fn verify(path: &Path, trust: &[String], checkpoint: Option<&Path>) -> miette::Result<Exit> {
    let trusted = trusted_keys(trust)?;
    let saved = checkpoint
        .map(|p| read_bounded(p, ledger::checkpoint::MAX_CHECKPOINT_BYTES))
        .transpose()?;
    let l = Ledger::open(path)?;
    let opts = AuditOptions {
        trusted,
        saved_checkpoint: saved,
        progress: std::io::stderr().is_terminal(),
        threads: None,
    };
    match l.audit(&opts) {
        Ok(ok) => {
            let mut msg = format!(
                "ledger intact: {} entries, {} checkpoints, root {}",
                ok.entries, ok.checkpoints, ok.root
            );
            if let Some(size) = ok.saved_checkpoint_size {
                msg.push_str(&format!(
                    "; consistent with the saved checkpoint (size {size})"
                ));
            }
            println!("{msg}");
            Ok(Exit::Pass)
        }
        Err(AuditFailure::Ledger(e)) => Err(e.into()),
        Err(f) => {
            println!("ledger verification FAILED: {f}");
            Ok(Exit::Fail)
        }
    }
}

fn log(
    path: &Path,
    format: Format,
    since: Option<&str>,
    report: Option<&str>,
) -> miette::Result<Exit> {
    let since: Option<jiff::Timestamp> = since
        .map(|s| {
            s.parse().map_err(|e| {
                miette::miette!(
                    code = "ledger::since",
                    "--since {s:?} is not an RFC 3339 instant: {e}"
                )
            })
        })
        .transpose()?;
    let l = Ledger::open(path)?;
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let io = |source| LedgerError::Io {
        path: "<stdout>".into(),
        source,
    };
    l.for_each_entry(0, |e| {
        if let Some(since) = since {
            if e.record.timestamp()? < since {
                return Ok(());
            }
        }
        if let Some(r) = report {
            if e.record.report.id.as_deref() != Some(r) && e.record.report.digest != r {
                return Ok(());
            }
        }
        match format {
            Format::Json => writeln!(
                w,
                "{}",
                serde_json::to_string(&e.to_json()).unwrap_or_default()
            )
            .map_err(io),
            Format::Human => writeln!(
                w,
                "{:>6}  {}  {:<12}  {}  {}  {}",
                e.seq,
                e.record.time,
                e.record.verdict.as_str(),
                e.record.report.id.as_deref().unwrap_or("-"),
                e.record.policy.name,
                e.record.report.digest
            )
            .map_err(io),
        }
    })?;
    w.flush().map_err(|e| miette::miette!("{e}"))?;
    Ok(Exit::Pass)
}

fn verify_proof(proof: &Path, checkpoint: &Path, trust: &[String]) -> miette::Result<Exit> {
    let trusted = trusted_keys(trust)?;
    let proof =
        InclusionProof::from_json(&read_bounded(proof, ledger::proof::MAX_PROOF_FILE_BYTES)?)?;
    let cp = read_bounded(checkpoint, ledger::checkpoint::MAX_CHECKPOINT_BYTES)?;
    match proof.verify(&cp, &trusted) {
        Ok(ok) => {
            println!(
                "proof valid: entry {} ({} for {}) is in the tree of size {} the checkpoint commits to",
                ok.seq, ok.verdict, ok.report_digest, ok.tree_size
            );
            Ok(Exit::Pass)
        }
        Err(why) => {
            println!("proof INVALID: {why}");
            Ok(Exit::Fail)
        }
    }
}

fn out(bytes: &[u8]) -> miette::Result<()> {
    let mut s = std::io::stdout().lock();
    s.write_all(bytes)
        .and_then(|_| s.flush())
        .map_err(|e| miette::miette!("{e}"))
}

fn print_json_pretty(v: &serde_json::Value) -> miette::Result<()> {
    let mut text = serde_json::to_string_pretty(v).map_err(|e| miette::miette!("{e}"))?;
    text.push('\n');
    out(text.as_bytes())
}
