//! Evidence: the computed digest, the report's hash claims and every signature with its
//! status. This stage judges nothing by policy; the policy engine turns [`Evidence`] into
//! `hash.*`, `signatures.*` and `keys.*` findings.

use crate::attest::digest::{Digest, digest, signing_message};
use crate::attest::keyring::Keyring;
use crate::report::attestation::{AttestationLine, SignatureLine, SignatureRecord, classify};
use crate::span::Span;
use crate::text::Text;
use ed25519_dalek::{Signature, VerifyingKey};
use jiff::Timestamp;
use serde::Serialize;

/// Where a signature line was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureSource {
    /// A line of the report itself (its attestation trailer).
    Embedded,
    /// A line of the detached `REPORT.sig` file.
    Detached,
}

/// What became of one signature line. Decided in this order: malformed, invalid, duplicate,
/// unknown-key, revoked, expired, valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureStatus {
    /// Verifies strictly, key in the keyring, not revoked, valid at the report's date: counts.
    Valid,
    /// Fails `verify_strict` over this report's digest (edited report, forged or stale line).
    Invalid,
    /// Verifies, but its public key is not in the keyring (or no keyring was given).
    UnknownKey,
    /// Verifies, but an earlier line already carries a verifying signature by the same key.
    Duplicate,
    /// Verifies with a keyring key whose window (not_before..=not_after) excludes the report date.
    Expired,
    /// Verifies with a keyring key marked revoked.
    Revoked,
    /// Starts like a signature line but cannot be parsed, or is over the signature limit.
    Malformed,
}

/// One signature line and its verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureEvidence {
    pub source: SignatureSource,
    /// 1-based line in the report (embedded) or in the `.sig` file (detached).
    pub line: u32,
    /// The whole line in [`Text::repaired`] (embedded only; detached lines are in another file).
    pub span: Option<Span>,
    pub status: SignatureStatus,
    /// Whether the signature verifies strictly over this report's digest, whatever the keyring says.
    pub crypto_valid: bool,
    /// The id written in the line (unauthenticated).
    pub claimed_id: Option<String>,
    /// The keyring's id for this public key.
    pub signer_id: Option<String>,
    /// Base64 of the public key bytes (what signers are counted by).
    pub public_key: Option<String>,
    /// Human explanation: the parse error, the validity window, the earlier line, …
    pub detail: String,
}

/// A report-hash claim compared with the computed digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HashEvidence {
    /// 1-based line in the report.
    pub line: u32,
    /// The whole line in [`Text::repaired`].
    pub span: Span,
    /// The claimed value as written (`sha256:…`).
    pub claimed: String,
    /// Algorithm as written; `None` for bare hex.
    pub algorithm: Option<String>,
    /// Canonical algorithm id (`sha256`).
    pub algorithm_id: String,
    /// The claimed hex as written.
    pub claimed_hex: String,
    /// The computed digest's hex (what `hash.mismatch` shows next to `claimed_hex`).
    pub computed_hex: String,
    /// Non-empty hex of the right length for the algorithm.
    pub well_formed: bool,
    /// Well formed, algorithm sha256 and equal (case-insensitively) to the computed digest.
    pub matches: bool,
    /// Well formed and [`hash_is_implausible`].
    pub implausible: bool,
}

/// Everything the attest stage established about a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The canonical digest (docs/digest.md).
    pub digest: Digest,
    /// Every report-hash line, in line order (normally zero or one).
    pub hash_claims: Vec<HashEvidence>,
    /// Every signature line: embedded in line order, then detached in line order.
    pub signatures: Vec<SignatureEvidence>,
    /// Distinct public keys with a [`SignatureStatus::Valid`] signature.
    pub distinct_valid_signers: usize,
    /// Keyring ids of those signers, in first-signature order.
    pub valid_signer_ids: Vec<String>,
    /// Whether a keyring was given (without one no signature can be valid).
    pub keyring: bool,
    /// The date validity windows were checked at; `None` means windows were not checked.
    #[serde(serialize_with = "ser_ts")]
    pub report_date: Option<Timestamp>,
}

fn ser_ts<S: serde::Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.collect_str(t),
        None => s.serialize_none(),
    }
}

impl Evidence {
    /// The first report-hash claim, if any.
    pub fn hash_claim(&self) -> Option<&HashEvidence> {
        self.hash_claims.first()
    }

    /// Signatures with the given status.
    pub fn with_status(&self, status: SignatureStatus) -> impl Iterator<Item = &SignatureEvidence> {
        self.signatures.iter().filter(move |s| s.status == status)
    }
}

/// Strict ed25519 verification as verdict does it everywhere: `verify_strict` (canonical S,
/// R and A not of small order, R compared byte for byte, cofactorless equation). The exact
/// acceptance rules are in docs/signatures.md.
pub fn verify_ed25519(public_key: &[u8; 32], message: &[u8], signature: &[u8]) -> bool {
    let Ok(sig) = Signature::from_slice(signature) else {
        return false;
    };
    match VerifyingKey::from_bytes(public_key) {
        Ok(vk) => vk.verify_strict(message, &sig).is_ok(),
        Err(_) => false,
    }
}

/// Build the evidence. `detached` is the contents of `REPORT.sig` if there is one;
/// `report_date` is when validity windows are checked (`None`: not checked); at most
/// `max_signatures` lines are verified, later ones are `malformed` (bounded work).
pub fn attest(
    text: &Text,
    keyring: Option<&Keyring>,
    detached: Option<&str>,
    report_date: Option<Timestamp>,
    max_signatures: usize,
) -> Evidence {
    let digest = digest(text);
    let message = signing_message(&digest);
    let computed_hex = digest.hex();
    let repaired_lines = line_spans(&text.repaired);

    let mut hash_claims = Vec::new();
    let mut found: Vec<(SignatureSource, u32, Option<Span>, SignatureLine)> = Vec::new();
    for (i, line) in text.canonical.lines().enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let Some(att) = classify(line) else { continue };
        let span = repaired_lines.get(i).map(|&(offset, len)| Span {
            offset,
            len,
            line: line_no,
            column: 1,
        });
        match att {
            AttestationLine::ReportHash(h) => {
                let algorithm_id = h.algorithm_id();
                let matches = h.well_formed
                    && algorithm_id == "sha256"
                    && h.hex.eq_ignore_ascii_case(&computed_hex);
                hash_claims.push(HashEvidence {
                    line: line_no,
                    span: span.unwrap_or_default(),
                    implausible: h.well_formed && hash_is_implausible(&h.hex),
                    claimed: h.value,
                    algorithm: h.algorithm,
                    algorithm_id,
                    claimed_hex: h.hex,
                    computed_hex: computed_hex.clone(),
                    well_formed: h.well_formed,
                    matches,
                });
            }
            AttestationLine::Signature(s) => {
                found.push((SignatureSource::Embedded, line_no, span, s))
            }
        }
    }
    if let Some(sig_file) = detached {
        for (i, line) in sig_file.lines().enumerate() {
            let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                continue;
            }
            let s = match classify(line) {
                Some(AttestationLine::Signature(s)) => s,
                _ => SignatureLine::Malformed {
                    reason: "not a verdict signature line".into(),
                },
            };
            found.push((SignatureSource::Detached, line_no, None, s));
        }
    }

    let mut signatures = Vec::with_capacity(found.len());
    // Public keys that already have a verifying signature, with the line that had it.
    let mut seen: Vec<([u8; 32], SignatureSource, u32)> = Vec::new();
    let mut valid_signer_ids = Vec::new();
    for (n, (source, line, span, sig)) in found.into_iter().enumerate() {
        let mut ev = SignatureEvidence {
            source,
            line,
            span,
            status: SignatureStatus::Malformed,
            crypto_valid: false,
            claimed_id: None,
            signer_id: None,
            public_key: None,
            detail: String::new(),
        };
        let rec: SignatureRecord = match sig {
            SignatureLine::Malformed { reason } => {
                ev.detail = reason;
                signatures.push(ev);
                continue;
            }
            SignatureLine::Parsed(r) => r,
        };
        ev.claimed_id = Some(rec.id.clone());
        ev.public_key = Some(rec.public_key_b64());
        if n >= max_signatures {
            ev.detail = format!("more than {max_signatures} signature lines; not verified");
            signatures.push(ev);
            continue;
        }
        ev.crypto_valid = verify_ed25519(&rec.public_key, &message, &rec.signature);
        let signer = keyring.and_then(|k| k.find(&rec.public_key));
        ev.signer_id = signer.map(|s| s.id.clone());
        (ev.status, ev.detail) = if !ev.crypto_valid {
            (
                SignatureStatus::Invalid,
                format!("does not verify over {digest}"),
            )
        } else if let Some((_, src, l)) = seen.iter().find(|(k, _, _)| *k == rec.public_key) {
            let place = match src {
                SignatureSource::Embedded => "report",
                SignatureSource::Detached => "signature file",
            };
            (
                SignatureStatus::Duplicate,
                format!("same public key as the signature on line {l} of the {place}"),
            )
        } else {
            seen.push((rec.public_key, source, line));
            match signer {
                None if keyring.is_none() => (
                    SignatureStatus::UnknownKey,
                    "no keyring given: the signature verifies but nobody vouches for its key"
                        .into(),
                ),
                None => (
                    SignatureStatus::UnknownKey,
                    "public key is not in the keyring".into(),
                ),
                Some(s) if s.revoked => (
                    SignatureStatus::Revoked,
                    format!("key of `{}` is revoked in the keyring", s.id),
                ),
                Some(s) if report_date.is_some_and(|d| !s.valid_at(d)) => (
                    SignatureStatus::Expired,
                    format!(
                        "key of `{}` is valid {} to {}, the report is dated {}",
                        s.id,
                        s.not_before.map_or("(open)".to_string(), |t| t.to_string()),
                        s.not_after.map_or("(open)".to_string(), |t| t.to_string()),
                        report_date.map_or(String::new(), |t| t.to_string()),
                    ),
                ),
                Some(s) => {
                    valid_signer_ids.push(s.id.clone());
                    (SignatureStatus::Valid, format!("signed by `{}`", s.id))
                }
            }
        };
        signatures.push(ev);
    }
    Evidence {
        digest,
        hash_claims,
        distinct_valid_signers: valid_signer_ids.len(),
        valid_signer_ids,
        signatures,
        keyring: keyring.is_some(),
        report_date,
    }
}

/// (offset, len) of each line of `s`, without terminators.
fn line_spans(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in s.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        out.push((offset, content.len()));
        offset += line.len();
    }
    out
}

/// Whether a well-formed hex digest (at least 64 hex digits) is one no digest function
/// would plausibly produce. Three tests, each with a bound on how often 64 random hex digits
/// pass it (docs/digest.md derives them); together < 1e-11, far under the 1e-9 budget:
///
/// 1. periodic: the string repeats with a period of at most 16 characters
///    (`000…`, `1234567890abcdef…`, `deadbeef…`): p ≤ Σ_{k≤16} 16^k / 16^64 < 1e-57;
/// 2. a run of 16 or more identical characters: p ≤ 49 · 16^-15 < 1e-16;
/// 3. the digit/letter shape repeats with a period of at most 8 (all digits, all letters,
///    the seed's "letter then digit" in every byte): p < 1e-12 (exact sum in the docs);
/// 4. it is SHA-256 of nothing (`e3b0c442…`), the value hashing tools print when handed an
///    empty input: p = 2^-256.
pub fn hash_is_implausible(hex: &str) -> bool {
    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    let b = hex.as_bytes();
    if b.len() < 64 || !b.iter().all(u8::is_ascii_hexdigit) {
        return false;
    }
    if hex.eq_ignore_ascii_case(EMPTY_SHA256) {
        return true;
    }
    let lower: Vec<u8> = b.iter().map(u8::to_ascii_lowercase).collect();
    let periodic =
        |xs: &[u8], max: usize| (1..=max).any(|k| xs.iter().skip(k).zip(xs).all(|(a, b)| a == b));
    if periodic(&lower, 16) {
        return true;
    }
    let mut run = 1;
    for w in lower.windows(2) {
        run = if w[0] == w[1] { run + 1 } else { 1 };
        if run >= 16 {
            return true;
        }
    }
    let shape: Vec<u8> = lower.iter().map(|c| u8::from(c.is_ascii_digit())).collect();
    periodic(&shape, 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implausible_hashes() {
        let seed = "a8f7e2b9c4d6f1a5e3c8b2a9f7e4d1c6b9a2f5e8c1d4a7b3f9e2c5a8d1b4f7e0";
        assert!(hash_is_implausible(seed));
        assert!(hash_is_implausible(&"0".repeat(64)));
        assert!(hash_is_implausible(&"1234567890abcdef".repeat(4)));
        assert!(hash_is_implausible(&"deadbeef".repeat(8)));
        assert!(hash_is_implausible(&format!(
            "{}{}",
            "f".repeat(16),
            &seed[16..]
        )));
        assert!(hash_is_implausible(&"0123456789".repeat(7)[..64]));
        // SHA-256 of the empty input (a corpus report claims it).
        assert!(hash_is_implausible(
            "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"
        ));
        // Real SHA-256 outputs are not flagged.
        for real in [
            "87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7",
            "f9ce51c8c0240339f21e6ec665177ce03872c1983b5edc234db28e3e41061839",
        ] {
            assert!(!hash_is_implausible(real), "{real}");
        }
        // Not applicable to malformed input.
        assert!(!hash_is_implausible("0000"));
        assert!(!hash_is_implausible(&"g".repeat(64)));
    }

    #[test]
    fn implausible_false_positive_rate_on_digests() {
        // SHA-256 of 0..20000: none may be flagged (expected count ~2e-8).
        use sha2::{Digest as _, Sha256};
        for i in 0u32..20000 {
            let h = hex::encode(Sha256::digest(i.to_le_bytes()));
            assert!(!hash_is_implausible(&h), "{i}: {h}");
        }
    }

    /// The bound stated in docs/digest.md for test 3, computed exactly per period.
    #[test]
    fn shape_test_probability_bound() {
        let (pd, pl) = (10.0f64 / 16.0, 6.0f64 / 16.0);
        let mut total = 0.0;
        for k in 1..=8usize {
            let mut p = 1.0;
            for j in 0..k {
                let n = (64 - j).div_ceil(k) as i32;
                p *= pd.powi(n) + pl.powi(n);
            }
            total += p;
        }
        assert!(total < 1e-12, "{total}");
        assert!(total > 6e-13, "{total}");
    }
}
