//! Signing: one ed25519 signature line over the canonical digest, appended to `REPORT.sig`
//! or to the report's own attestation trailer. Idempotent per key: a key that already has a
//! verifying line in the target adds nothing, and a stale line of that key (the report
//! changed since) is replaced in place, so one key never leaves two lines behind.

use crate::attest::digest::{Digest, digest, signing_message};
use crate::attest::verify::verify_ed25519;
use crate::limits::Limits;
use crate::report::attestation::{
    AttestationLine, SignatureLine, SignatureRecord, classify, valid_signer_id,
};
use crate::text::{TextError, decode};
use ed25519_dalek::{Signer as _, SigningKey};
use miette::Diagnostic;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why a report could not be signed. Exit 2.
#[derive(Debug, Error, Diagnostic)]
pub enum SignError {
    #[error("cannot read {path}: {source}")]
    #[diagnostic(code(sign::read), help("check the path and its permissions"))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    #[diagnostic(
        code(sign::write),
        help("check that the file and its directory are writable")
    )]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is larger than the limit of {limit} bytes")]
    #[diagnostic(
        code(sign::too_large),
        help("raise the limit with --max-bytes if this is legitimate")
    )]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("invalid signer id `{id}`")]
    #[diagnostic(
        code(sign::bad_id),
        help("use 1-64 of A-Z a-z 0-9 . _ - (not starting with .)")
    )]
    BadId { id: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Text(#[from] TextError),
}

/// What signing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignAction {
    /// A new line was appended.
    Appended,
    /// The key already had a verifying line: nothing written.
    AlreadySigned,
    /// The key's old line no longer verified and was replaced in place.
    Replaced,
}

/// The result of [`sign_file`].
#[derive(Debug, Clone)]
pub struct SignOutcome {
    pub action: SignAction,
    /// The file that holds the signature (the report or `REPORT.sig`).
    pub path: PathBuf,
    /// 1-based line of the signature in that file.
    pub line: usize,
    /// The signature line (no terminator).
    pub signature_line: String,
    pub digest: Digest,
    /// The report's first report-hash claim that does not match the digest, as (1-based line,
    /// claimed value): signing still happens, but the signer should know.
    pub stale_hash_claim: Option<(usize, String)>,
}

/// The signature record for a digest.
pub fn sign_digest(key: &SigningKey, id: &str, digest: &Digest) -> SignatureRecord {
    SignatureRecord {
        scheme: "ed25519".into(),
        id: id.into(),
        public_key: key.verifying_key().to_bytes(),
        signature: key.sign(&signing_message(digest)).to_bytes().to_vec(),
    }
}

/// `REPORT.sig`: the report's path with `.sig` appended (`a.md` → `a.md.sig`).
pub fn detached_path(report: &Path) -> PathBuf {
    let mut s = report.as_os_str().to_owned();
    s.push(".sig");
    PathBuf::from(s)
}

fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, SignError> {
    crate::limits::read_capped(path, limit)
        .map_err(|source| SignError::Read {
            path: path.into(),
            source,
        })?
        .ok_or_else(|| SignError::TooLarge {
            path: path.into(),
            limit,
        })
}

/// Byte ranges of each line's content (terminator excluded) and its terminator length;
/// CRLF, CR and LF each end a line, as in [`crate::text::decode`].
fn raw_lines(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push((start, i));
                i += 1;
                start = i;
            }
            b'\r' => {
                out.push((start, i));
                i += if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < bytes.len() {
        out.push((start, bytes.len()));
    }
    out
}

/// Sign `report` with `key` under `id`: into `REPORT.sig`, or into the report if `embed`.
pub fn sign_file(
    report: &Path,
    key: &SigningKey,
    id: &str,
    embed: bool,
    limits: &Limits,
) -> Result<SignOutcome, SignError> {
    if !valid_signer_id(id) {
        return Err(SignError::BadId { id: id.into() });
    }
    let report_bytes = read_bounded(report, limits.max_bytes)?;
    let text = decode(&report_bytes, limits)?;
    let digest = digest(&text);
    let stale_hash_claim =
        text.canonical
            .lines()
            .enumerate()
            .find_map(|(i, l)| match classify(l) {
                Some(AttestationLine::ReportHash(h)) => {
                    let ok = h.well_formed
                        && h.algorithm_id() == "sha256"
                        && h.hex.eq_ignore_ascii_case(&digest.hex());
                    (!ok).then(|| (i + 1, h.value))
                }
                _ => None,
            });
    let record = sign_digest(key, id, &digest);
    let new_line = record.to_line();
    let message = signing_message(&digest);

    let target = if embed {
        report.to_path_buf()
    } else {
        detached_path(report)
    };
    let existing: Vec<u8> = if embed {
        report_bytes
    } else {
        match std::fs::metadata(&target) {
            Ok(_) => read_bounded(&target, limits.max_bytes)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => {
                return Err(SignError::Read {
                    path: target,
                    source,
                });
            }
        }
    };
    let lines = raw_lines(&existing);
    let outcome = |action, line| SignOutcome {
        action,
        path: target.clone(),
        line,
        signature_line: new_line.clone(),
        digest,
        stale_hash_claim: stale_hash_claim.clone(),
    };
    // The key's existing line, if any (lossy decoding is fine: signature lines are ASCII).
    for (i, &(s, e)) in lines.iter().enumerate() {
        let content = String::from_utf8_lossy(&existing[s..e]);
        let content = content.trim_start_matches('\u{feff}');
        let Some(AttestationLine::Signature(SignatureLine::Parsed(old))) = classify(content) else {
            continue;
        };
        if old.public_key != record.public_key {
            continue;
        }
        if verify_ed25519(&old.public_key, &message, &old.signature) {
            return Ok(outcome(SignAction::AlreadySigned, i + 1));
        }
        let start = if i == 0 && existing.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            s
        };
        let mut out = Vec::with_capacity(existing.len());
        out.extend_from_slice(&existing[..start]);
        out.extend_from_slice(new_line.as_bytes());
        out.extend_from_slice(&existing[e..]);
        std::fs::write(&target, out).map_err(|source| SignError::Write {
            path: target.clone(),
            source,
        })?;
        return Ok(outcome(SignAction::Replaced, i + 1));
    }
    // Keep the file's own line ending; a missing final newline is added first, which the
    // digest ignores (docs/digest.md).
    let eol: &[u8] = if existing.windows(2).any(|w| w == b"\r\n") {
        b"\r\n"
    } else if existing.contains(&b'\r') {
        b"\r"
    } else {
        b"\n"
    };
    let mut add = Vec::new();
    if existing.last().is_some_and(|b| *b != b'\n' && *b != b'\r') {
        add.extend_from_slice(eol);
    }
    add.extend_from_slice(new_line.as_bytes());
    add.extend_from_slice(eol);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&target)
        .map_err(|source| SignError::Write {
            path: target.clone(),
            source,
        })?;
    f.write_all(&add)
        .and_then(|_| f.sync_all())
        .map_err(|source| SignError::Write {
            path: target.clone(),
            source,
        })?;
    Ok(outcome(SignAction::Appended, lines.len() + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_line_ranges() {
        assert_eq!(raw_lines(b""), vec![]);
        assert_eq!(raw_lines(b"a"), vec![(0, 1)]);
        assert_eq!(raw_lines(b"a\r\nb\rc\n"), vec![(0, 1), (3, 4), (5, 6)]);
        assert_eq!(raw_lines(b"\n\n"), vec![(0, 0), (1, 1)]);
    }

    #[test]
    fn detached_path_appends() {
        assert_eq!(
            detached_path(Path::new("d/r.md")),
            PathBuf::from("d/r.md.sig")
        );
    }
}
