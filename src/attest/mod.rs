//! Stage 3: the report's cryptographic claims, proven or refuted.
//!
//! [`digest`] computes the canonical digest (docs/digest.md), [`keys`] and [`keyring`] read
//! and write ed25519 keys and the trusted-signer list, [`sign`] adds signature lines, and
//! [`verify::attest`] builds the [`verify::Evidence`] the policy engine judges.

pub mod digest;
pub mod keyring;
pub mod keys;
pub mod sign;
pub mod verify;

pub use digest::{Digest, digest, digest_canonical, signing_message};
pub use keyring::{Keyring, KeyringError, Signer};
pub use verify::{
    Evidence, HashEvidence, SignatureEvidence, SignatureSource, SignatureStatus, attest,
    hash_is_implausible, verify_ed25519,
};

use crate::limits::Limits;
use std::path::Path;

/// Read the detached signature file `REPORT.sig` beside a report, if there is one.
pub fn read_detached(report: &Path, limits: &Limits) -> Result<Option<String>, sign::SignError> {
    let path = sign::detached_path(report);
    let bytes = match crate::limits::read_capped(&path, limits.max_bytes) {
        Ok(Some(b)) => b,
        Ok(None) => {
            return Err(sign::SignError::TooLarge {
                path,
                limit: limits.max_bytes,
            });
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(sign::SignError::Read { path, source }),
    };
    // Signature lines are ASCII; anything else just becomes a malformed line.
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// A report carrying more signature lines than [`Limits::max_signatures`]. Exit 2.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "the report carries {found} signature lines (embedded + detached), more than the limit of {limit} (max_signatures)"
)]
#[diagnostic(
    code(attest::too_many_signatures),
    help("raise the limit with --max-signatures if the report really has this many signers")
)]
pub struct TooManySignatures {
    pub found: usize,
    pub limit: usize,
}

/// Counts signature lines (embedded in `text` and in `detached`) and refuses more than
/// [`Limits::max_signatures`], before any of them is decoded or verified.
pub fn check_signature_count(
    text: &crate::text::Text,
    detached: Option<&str>,
    limits: &Limits,
) -> Result<(), TooManySignatures> {
    use crate::report::attestation::{AttestationLine, classify};
    let found = text
        .canonical
        .lines()
        .chain(detached.unwrap_or("").lines())
        .filter(|l| matches!(classify(l), Some(AttestationLine::Signature(_))))
        .count();
    if found > limits.max_signatures {
        return Err(TooManySignatures {
            found,
            limit: limits.max_signatures,
        });
    }
    Ok(())
}
