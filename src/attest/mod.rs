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
    let meta = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(sign::SignError::Read { path, source }),
    };
    if meta.len() > limits.max_bytes {
        return Err(sign::SignError::TooLarge {
            path,
            limit: limits.max_bytes,
        });
    }
    let bytes = std::fs::read(&path).map_err(|source| sign::SignError::Read {
        path: path.clone(),
        source,
    })?;
    // Signature lines are ASCII; anything else just becomes a malformed line.
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}
