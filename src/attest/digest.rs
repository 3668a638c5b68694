//! The canonical digest: what a report's hash and signatures cover (specified byte for byte
//! in docs/digest.md so other tools can recompute it).
//!
//! Input is [`Text::canonical`] (BOM dropped, CRLF and lone CR turned into LF, mojibake left
//! as it is). Every attestation line ([`crate::report::attestation::is_attestation_line`]) is
//! removed together with its LF; every kept line is terminated by exactly one LF, so a file
//! that lacks a final newline hashes like the same file with one (this is what lets
//! `sign --embed` append a trailer to such a file without changing the digest). Nothing else
//! is touched: blank lines, trailing spaces and blank lines left behind by a removal stay.

use crate::report::attestation::{SIGNATURE_TAG, is_attestation_line};
use crate::text::Text;
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use std::fmt;

/// A SHA-256 canonical digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest(pub [u8; 32]);

impl Digest {
    /// Lowercase hex, 64 characters.
    pub fn hex(&self) -> String {
        hex::encode(self.0)
    }
}

/// `sha256:<hex>`, the form `verdict hash` prints and reports claim.
impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sha256:{}", self.hex())
    }
}

impl Serialize for Digest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The exact bytes the digest is computed over.
pub fn digest_input(canonical: &str) -> String {
    let mut out = String::with_capacity(canonical.len() + 1);
    for line in canonical.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        if !is_attestation_line(content) {
            out.push_str(content);
            out.push('\n');
        }
    }
    out
}

/// Canonical digest of LF-normalised, BOM-free text.
pub fn digest_canonical(canonical: &str) -> Digest {
    let mut h = Sha256::new();
    for line in canonical.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        if !is_attestation_line(content) {
            h.update(content.as_bytes());
            h.update(b"\n");
        }
    }
    Digest(h.finalize().into())
}

/// Canonical digest of a decoded report.
pub fn digest(text: &Text) -> Digest {
    digest_canonical(&text.canonical)
}

/// The message an ed25519 signature covers: `verdict-signature/v1\nsha256:<hex>\n` (ASCII),
/// domain-separated so a verdict signature cannot be replayed as a signature over anything
/// else, and text so `printf` can rebuild it (docs/digest.md).
pub fn signing_message(d: &Digest) -> Vec<u8> {
    format!("{SIGNATURE_TAG}\n{d}\n").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_rules() {
        assert_eq!(digest_input(""), "");
        assert_eq!(digest_input("a"), "a\n");
        assert_eq!(digest_input("a\n"), "a\n");
        assert_eq!(digest_input("a\n\n"), "a\n\n");
        assert_eq!(digest_input("a\nReport Hash: x\nb"), "a\nb\n");
        assert_eq!(digest_input("a\n\nReport Hash: x"), "a\n\n");
        assert_eq!(digest_input("Report Hash: x\n"), "");
        assert_eq!(
            digest_input("a  \n<!-- verdict-signature/v1 junk -->\n\tb\n"),
            "a  \n\tb\n"
        );
    }

    #[test]
    fn known_answers() {
        // printf '' | sha256sum
        assert_eq!(
            digest_canonical("Report Hash: x").hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // printf 'a\n' | sha256sum
        assert_eq!(
            digest_canonical("a").to_string(),
            "sha256:87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7"
        );
        assert_eq!(
            digest_canonical("a\nReport Hash: x\n"),
            digest_canonical("a")
        );
    }

    #[test]
    fn message_bytes() {
        let d = digest_canonical("a");
        assert_eq!(
            signing_message(&d),
            b"verdict-signature/v1\nsha256:87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7\n"
        );
    }
}
