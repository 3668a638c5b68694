//! `verdict sign REPORT --key KEY`: add an ed25519 signature line over the canonical digest.

use crate::attest::keyring::Keyring;
use crate::attest::keys::load_signing_key;
use crate::attest::sign::{SignAction, sign_file};
use crate::exit::Exit;
use crate::limits::Limits;
use miette::Diagnostic;
use std::path::PathBuf;
use thiserror::Error;

/// Sign a report: append one signature line to REPORT.sig (default) or to the report itself
/// (--embed). Signing again with the same key changes nothing.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  verdict sign report.md --key keys/node1.key                  # appends to report.md.sig
  verdict sign report.md --key keys/node1.key --embed          # appends to report.md itself
  verdict sign report.md --key node.key --keyring keyring.yaml # id taken from the keyring")]
pub struct SignArgs {
    /// The report to sign.
    pub report: PathBuf,
    /// ed25519 private key, PKCS#8 PEM (`verdict keygen` or `openssl genpkey -algorithm ed25519`).
    #[arg(long)]
    pub key: PathBuf,
    /// Signer id written in the line; default: the keyring's id for this key, else the key file's name.
    #[arg(long)]
    pub id: Option<String>,
    /// Append the signature to the report's attestation trailer instead of REPORT.sig.
    #[arg(long)]
    pub embed: bool,
    /// Check that the key is in this keyring (and take the signer id from it).
    #[arg(long)]
    pub keyring: Option<PathBuf>,
    /// Largest report accepted, in bytes.
    #[arg(long, default_value_t = Limits::default().max_bytes)]
    pub max_bytes: u64,
    #[command(flatten)]
    pub limits: crate::cli::limits::LimitArgs,
}

#[derive(Debug, Error, Diagnostic)]
pub enum SignCliError {
    #[error("the key in {key} is not in keyring {keyring}")]
    #[diagnostic(
        code(sign::not_in_keyring),
        help("add the key's entry to the keyring (see `verdict keygen`), or drop --keyring")
    )]
    NotInKeyring { key: PathBuf, keyring: String },
    #[error("--id {given} disagrees with the keyring, which names this key `{keyring_id}`")]
    #[diagnostic(code(sign::id_mismatch), help("drop --id to use the keyring's id"))]
    IdMismatch { given: String, keyring_id: String },
}

pub fn run(args: SignArgs) -> miette::Result<Exit> {
    let limits = args.limits.limits(args.max_bytes);
    let key = load_signing_key(&args.key)?;
    let keyring_id = match &args.keyring {
        None => None,
        Some(path) => {
            let ring = Keyring::load_limited(path, &limits)?;
            let signer = ring.find(key.verifying_key().as_bytes()).ok_or_else(|| {
                SignCliError::NotInKeyring {
                    key: args.key.clone(),
                    keyring: ring.name.clone(),
                }
            })?;
            Some(signer.id.clone())
        }
    };
    let id = match (args.id, keyring_id) {
        (Some(given), Some(k)) if given != k => {
            return Err(SignCliError::IdMismatch {
                given,
                keyring_id: k,
            }
            .into());
        }
        (Some(given), _) => given,
        (None, Some(k)) => k,
        (None, None) => args
            .key
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let out = sign_file(&args.report, &key, &id, args.embed, &limits)?;
    let verb = match out.action {
        SignAction::Appended => "signed",
        SignAction::AlreadySigned => "already signed (nothing written)",
        SignAction::Replaced => "re-signed (replaced this key's stale line)",
    };
    eprintln!(
        "{verb}: {} as `{id}`, {}:{}",
        out.digest,
        out.path.display(),
        out.line
    );
    if let Some((line, claimed)) = &out.stale_hash_claim {
        eprintln!(
            "warning: {}:{line}: the report's hash line claims `{claimed}` but its digest is {}; \
             fix that line (it is not covered by the digest, so the signature stays valid)",
            args.report.display(),
            out.digest
        );
    }
    println!("{}", out.signature_line);
    Ok(Exit::Pass)
}
