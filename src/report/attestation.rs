//! Attestation lines: the report-hash claim and verdict's own signature lines.
//!
//! One recogniser serves two users: the parser records what these lines claim, and the
//! canonical digest ([`crate::attest::digest`]) drops exactly these lines, so a report can
//! carry its own hash and signatures without changing what they cover. Recognition looks at
//! one line (without its line terminator) and never at context, so another tool can
//! reproduce it with a regular expression (docs/digest.md gives the exact expressions).
//!
//! # Report-hash line
//! A line is a report-hash line when it matches (ASCII case-insensitive on the key)
//! `^[ \t]*([-*+][ \t]+)?[*_]{0,2}([a-z]+[ \t]+)?report[ \t]+hash[*_]{0,2}[ \t]*:`, e.g.
//! `**Report Hash**: \`sha256:ab…\``, `Report Hash: sha256:ab…`, `- **Report Hash:** ab…`,
//! `**Verification Report Hash**: ab…` (one qualifying word is allowed before the key).
//! Whatever follows the colon is the claimed value; a malformed value is kept as written.
//!
//! # Signature line
//! A line is a signature line when it matches `^[ \t]*<!--[ \t]*verdict-signature`
//! (case-sensitive). verdict writes exactly one form, an HTML comment so Markdown renders
//! nothing:
//!
//! ```text
//! <!-- verdict-signature/v1 scheme=ed25519 id=node1 key=<base64, 32 bytes> sig=<base64, 64 bytes> -->
//! ```
//!
//! Fields are separated by spaces and may come in any order; each of `scheme`, `id`, `key`,
//! `sig` must appear exactly once and nothing else may. Base64 is the standard alphabet with
//! padding. A line that starts like a signature line but breaks any of these rules is still a
//! signature line (it is dropped from the digest), classified as [`SignatureLine::Malformed`].
//! The `id` is a hint for humans: identity comes from the keyring, by public-key bytes.

use super::scan::strip_prefix_ci;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Serialize;

/// The tag that starts every signature line and the signed message (docs/digest.md).
pub const SIGNATURE_TAG: &str = "verdict-signature/v1";

/// Longest signer id accepted in a signature line or keyring; ids name files in `keygen`.
pub const MAX_ID_LEN: usize = 64;

/// What an attestation line says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum AttestationLine {
    ReportHash(HashClaim),
    Signature(SignatureLine),
}

/// The value of a report-hash line, kept as written so a malformed claim can be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HashClaim {
    /// The claimed value without surrounding backticks or emphasis (`sha256:ab…`), as written.
    pub value: String,
    /// The algorithm before the first `:` of the value (`sha256`, `SHA-256`), as written;
    /// `None` for a bare hex value.
    pub algorithm: Option<String>,
    /// The digest part of the value (after the algorithm), as written.
    pub hex: String,
    /// Byte offset of `value` in the line, for labels.
    pub value_offset: usize,
    /// Non-empty hex of the length the algorithm produces (bare hex: SHA-256's 64).
    pub well_formed: bool,
}

impl HashClaim {
    /// The algorithm in canonical spelling (`SHA-256`, `sha_256` → `sha256`); bare hex is
    /// taken as `sha256`, the only digest verdict computes.
    pub fn algorithm_id(&self) -> String {
        match &self.algorithm {
            None => "sha256".to_string(),
            Some(a) => a
                .chars()
                .filter(|c| !matches!(c, '-' | '_'))
                .collect::<String>()
                .to_ascii_lowercase(),
        }
    }
}

/// Hex length of the digests an algorithm produces; `None` when verdict does not know it.
pub fn digest_hex_len(algorithm_id: &str) -> Option<usize> {
    match algorithm_id {
        "sha256" | "sha3256" | "blake2s256" | "blake3" => Some(64),
        "sha384" | "sha3384" => Some(96),
        "sha512" | "sha3512" | "blake2b512" => Some(128),
        "sha1" => Some(40),
        "md5" => Some(32),
        _ => None,
    }
}

/// A signature line: parsed, or why it could not be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "form", rename_all = "kebab-case")]
pub enum SignatureLine {
    Parsed(SignatureRecord),
    Malformed { reason: String },
}

/// The fields of a well-formed signature line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureRecord {
    /// Always `ed25519` (other schemes make the line malformed).
    pub scheme: String,
    /// The signer id written by the signer: not authenticated.
    pub id: String,
    /// The raw ed25519 public key.
    #[serde(serialize_with = "ser_b64")]
    pub public_key: [u8; 32],
    /// The raw ed25519 signature (R ‖ S).
    #[serde(serialize_with = "ser_b64")]
    pub signature: Vec<u8>,
}

fn ser_b64<S: serde::Serializer, T: AsRef<[u8]>>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&B64.encode(v.as_ref()))
}

impl SignatureRecord {
    /// The one line verdict writes for this record (no line terminator).
    pub fn to_line(&self) -> String {
        format!(
            "<!-- {SIGNATURE_TAG} scheme={} id={} key={} sig={} -->",
            self.scheme,
            self.id,
            B64.encode(self.public_key),
            B64.encode(&self.signature)
        )
    }

    /// The public key in base64, as keyrings and findings show it.
    pub fn public_key_b64(&self) -> String {
        B64.encode(self.public_key)
    }
}

/// Whether `id` may name a signer: 1..=64 of `A-Z a-z 0-9 . _ -`, not starting with `.`
/// (so it is safe as a file name and needs no quoting in a signature line).
pub fn valid_signer_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Recognise an attestation line. `line` is one line without its terminator.
pub fn classify(line: &str) -> Option<AttestationLine> {
    if let Some(rest) = signature_prefix(line) {
        return Some(AttestationLine::Signature(parse_signature(rest)));
    }
    hash_value_start(line).map(|start| AttestationLine::ReportHash(parse_hash_value(line, start)))
}

/// Whether the line is an attestation line (what the digest drops).
pub fn is_attestation_line(line: &str) -> bool {
    signature_prefix(line).is_some() || hash_value_start(line).is_some()
}

fn skip_blanks(s: &str) -> &str {
    s.trim_start_matches([' ', '\t'])
}

/// `^[ \t]*<!--[ \t]*verdict-signature`; returns what follows `verdict-signature`.
fn signature_prefix(line: &str) -> Option<&str> {
    let rest = skip_blanks(line).strip_prefix("<!--")?;
    skip_blanks(rest).strip_prefix("verdict-signature")
}

/// Strip up to two of `*`/`_`.
fn skip_emphasis(s: &str) -> &str {
    let mut s = s;
    for _ in 0..2 {
        match s.strip_prefix(['*', '_']) {
            Some(r) => s = r,
            None => break,
        }
    }
    s
}

/// `report[ \t]+hash` (ASCII case-insensitive); returns the rest.
fn report_hash_key(s: &str) -> Option<&str> {
    let s = strip_prefix_ci(s, "report")?;
    let after = skip_blanks(s);
    if after.len() == s.len() {
        return None; // at least one blank between the words
    }
    strip_prefix_ci(after, "hash")
}

/// `^[ \t]*([-*+][ \t]+)?[*_]{0,2}([a-z]+[ \t]+)?report[ \t]+hash[*_]{0,2}[ \t]*:` (ASCII
/// case-insensitive);
/// returns the byte offset just after the colon.
fn hash_value_start(line: &str) -> Option<usize> {
    let mut s = skip_blanks(line);
    // A list marker needs a blank after it; otherwise `*` is emphasis, handled next.
    if let Some(r) = s.strip_prefix(['-', '*', '+']) {
        if r.starts_with([' ', '\t']) {
            s = skip_blanks(r);
        }
    }
    let s = skip_emphasis(s);
    let s = match report_hash_key(s) {
        Some(rest) => rest,
        None => {
            // One qualifying word first: `Verification Report Hash`.
            let word = s.trim_start_matches(|c: char| c.is_ascii_alphabetic());
            if word.len() == s.len() {
                return None;
            }
            let blanks = skip_blanks(word);
            if blanks.len() == word.len() {
                return None;
            }
            report_hash_key(blanks)?
        }
    };
    let s = skip_blanks(skip_emphasis(s));
    let s = s.strip_prefix(':')?;
    Some(line.len() - s.len())
}

fn parse_hash_value(line: &str, start: usize) -> HashClaim {
    let rest = &line[start..];
    let after_emph = skip_emphasis(rest);
    let trimmed = skip_blanks(after_emph);
    let mut offset = line.len() - trimmed.len();
    let value: &str = if let Some(inner) = trimmed.strip_prefix('`') {
        offset += 1;
        match inner.find('`') {
            Some(end) => inner[..end].trim(),
            None => inner.trim_end(),
        }
    } else {
        let token = trimmed.split([' ', '\t']).next().unwrap_or("");
        token.trim_end_matches(['*', '_'])
    };
    // `trim` inside backticks may have moved the start.
    if let Some(pos) = line[offset..].find(value) {
        offset += pos;
    }
    let (algorithm, hex) = match value.split_once(':') {
        Some((a, h)) => (Some(a.to_string()), h.to_string()),
        None => (None, value.to_string()),
    };
    let mut claim = HashClaim {
        value: value.to_string(),
        algorithm,
        hex,
        value_offset: offset,
        well_formed: false,
    };
    let is_hex = !claim.hex.is_empty() && claim.hex.bytes().all(|b| b.is_ascii_hexdigit());
    claim.well_formed = is_hex
        && match digest_hex_len(&claim.algorithm_id()) {
            Some(n) => claim.hex.len() == n,
            // An algorithm verdict does not know: hex of a plausible digest size.
            None => claim.hex.len() % 2 == 0 && claim.hex.len() >= 32,
        };
    claim
}

/// `rest` follows `verdict-signature` in the line.
fn parse_signature(rest: &str) -> SignatureLine {
    let malformed = |reason: &str| SignatureLine::Malformed {
        reason: reason.to_string(),
    };
    let Some(rest) = rest.strip_prefix("/v1") else {
        return malformed("expected `verdict-signature/v1` (unknown or missing format version)");
    };
    if !rest.starts_with([' ', '\t']) {
        return malformed("expected a blank after `verdict-signature/v1`");
    }
    let Some(body) = rest.trim_end_matches([' ', '\t']).strip_suffix("-->") else {
        return malformed("signature line does not end with `-->`");
    };
    let (mut scheme, mut id, mut key, mut sig) = (None, None, None, None);
    for field in body.split([' ', '\t']).filter(|f| !f.is_empty()) {
        let Some((name, value)) = field.split_once('=') else {
            return malformed(&format!("field `{field}` is not name=value"));
        };
        let slot = match name {
            "scheme" => &mut scheme,
            "id" => &mut id,
            "key" => &mut key,
            "sig" => &mut sig,
            _ => return malformed(&format!("unknown field `{name}`")),
        };
        if slot.replace(value).is_some() {
            return malformed(&format!("field `{name}` appears twice"));
        }
    }
    let (Some(scheme), Some(id), Some(key), Some(sig)) = (scheme, id, key, sig) else {
        return malformed("a signature line needs scheme=, id=, key= and sig=");
    };
    if scheme != "ed25519" {
        return malformed(&format!(
            "scheme `{scheme}` is not supported (only ed25519)"
        ));
    }
    if !valid_signer_id(id) {
        return malformed("id must be 1-64 of A-Z a-z 0-9 . _ - (not starting with .)");
    }
    let public_key: [u8; 32] = match B64.decode(key).ok().map(<[u8; 32]>::try_from) {
        Some(Ok(k)) => k,
        _ => return malformed("key= is not base64 of 32 bytes"),
    };
    let signature = match B64.decode(sig) {
        Ok(s) if s.len() == 64 => s,
        _ => return malformed("sig= is not base64 of 64 bytes"),
    };
    SignatureLine::Parsed(SignatureRecord {
        scheme: scheme.to_string(),
        id: id.to_string(),
        public_key,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(line: &str) -> HashClaim {
        match classify(line) {
            Some(AttestationLine::ReportHash(h)) => h,
            other => panic!("{line:?} → {other:?}"),
        }
    }

    const HEX: &str = "a8f7e2b9c4d6f1a5e3c8b2a9f7e4d1c6b9a2f5e8c1d4a7b3f9e2c5a8d1b4f7e0";

    #[test]
    fn seed_hash_line() {
        let line = format!("**Report Hash**: `sha256:{HEX}`");
        let h = hash(&line);
        assert_eq!(h.value, format!("sha256:{HEX}"));
        assert_eq!(h.algorithm.as_deref(), Some("sha256"));
        assert_eq!(h.hex, HEX);
        assert_eq!(h.value_offset, 18);
        assert_eq!(&line[h.value_offset..h.value_offset + 7], "sha256:");
        assert!(h.well_formed);
    }

    #[test]
    fn hash_line_forms() {
        let plain = hash(&format!("Report Hash: sha256:{HEX}"));
        assert_eq!((plain.hex.as_str(), plain.well_formed), (HEX, true));
        let list = hash(&format!("- **Report Hash:** {HEX}"));
        assert_eq!(list.algorithm, None);
        assert_eq!((list.hex.as_str(), list.well_formed), (HEX, true));
        let caps = hash(&format!(
            "  * REPORT   HASH : SHA-256:{}",
            HEX.to_uppercase()
        ));
        assert_eq!(caps.algorithm.as_deref(), Some("SHA-256"));
        assert_eq!(caps.algorithm_id(), "sha256");
        assert!(caps.well_formed);
        let qualified = hash(
            "**Verification Report Hash**: `e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`",
        );
        assert_eq!(
            (qualified.algorithm.as_deref(), qualified.well_formed),
            (None, true)
        );
        assert!(hash("The Report Hash: x").hex == "x");
        assert!(hash("report REPORT hash: x").hex == "x");
        let trailing = hash(&format!("**Report Hash**: sha256:{HEX}** (over the body)"));
        assert_eq!(trailing.hex, HEX);
    }

    #[test]
    fn malformed_hash_kept_as_written() {
        let short = hash("**Report Hash**: `sha256:abc123`");
        assert_eq!((short.hex.as_str(), short.well_formed), ("abc123", false));
        let nothex = hash(&format!("Report Hash: sha256:{}", HEX.replace('a', "g")));
        assert!(!nothex.well_formed);
        assert_eq!(nothex.hex, HEX.replace('a', "g"));
        let empty = hash("Report Hash:");
        assert_eq!((empty.value.as_str(), empty.well_formed), ("", false));
        let md5 = hash("Report Hash: md5:d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(
            (md5.algorithm_id().as_str(), md5.well_formed),
            ("md5", true)
        );
    }

    #[test]
    fn not_hash_lines() {
        for line in [
            "Report Hashes: x",
            "ReportHash: x",
            "The final Report Hash: x",
            "Verification-Report Hash: x",
            "Report1 Report Hash: x",
            "| Report Hash | sha256:x |",
            "**Report** Hash: x",
            "-**Report Hash**: x",
            "Report Hash sha256:x",
            "# Report Hash: x",
            "**Consensus Signatures**: 5/7 nodes confirmed",
        ] {
            assert_eq!(classify(line), None, "{line:?}");
        }
    }

    fn record() -> SignatureRecord {
        SignatureRecord {
            scheme: "ed25519".into(),
            id: "node1".into(),
            public_key: [7; 32],
            signature: vec![9; 64],
        }
    }

    #[test]
    fn signature_line_round_trip() {
        let line = record().to_line();
        assert_eq!(
            line,
            format!(
                "<!-- verdict-signature/v1 scheme=ed25519 id=node1 key={} sig={} -->",
                B64.encode([7u8; 32]),
                B64.encode([9u8; 64])
            )
        );
        assert!(line.contains(" key=BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc= "));
        assert_eq!(
            classify(&line),
            Some(AttestationLine::Signature(SignatureLine::Parsed(record())))
        );
        // Field order and extra blanks do not matter.
        let reordered = format!(
            "\t<!--verdict-signature/v1  sig={} id=node1 key={} scheme=ed25519-->  ",
            B64.encode([9u8; 64]),
            B64.encode([7u8; 32])
        );
        assert_eq!(
            classify(&reordered),
            Some(AttestationLine::Signature(SignatureLine::Parsed(record())))
        );
    }

    fn malformed(line: &str) -> String {
        match classify(line) {
            Some(AttestationLine::Signature(SignatureLine::Malformed { reason })) => reason,
            other => panic!("{line:?} → {other:?}"),
        }
    }

    #[test]
    fn malformed_signature_lines_are_still_attestation_lines() {
        let good = record().to_line();
        assert!(malformed("<!-- verdict-signature/v2 scheme=ed25519 -->").contains("version"));
        assert!(malformed(&good.replace(" -->", "")).contains("-->"));
        assert!(malformed(&good.replace("ed25519", "rsa")).contains("not supported"));
        assert!(malformed(&good.replace("id=node1", "id=node1 id=node2")).contains("twice"));
        assert!(malformed(&good.replace("id=node1", "who=node1")).contains("unknown field"));
        assert!(malformed(&good.replace("id=node1 ", "")).contains("needs"));
        assert!(malformed(&good.replace("id=node1", "id=../x")).contains("id must"));
        assert!(malformed(&good.replace("key=Bw", "key=B")).contains("key="));
        assert!(malformed(&good.replace("sig=CQ", "sig=")).contains("sig="));
        assert!(malformed("<!-- verdict-signature -->").contains("version"));
        assert!(is_attestation_line("<!-- verdict-signatures are cool -->"));
    }

    #[test]
    fn not_signature_lines() {
        for line in [
            "<!-- a comment -->",
            "text <!-- verdict-signature/v1 -->",
            "<!-- Verdict-Signature/v1 -->",
        ] {
            assert_eq!(classify(line), None, "{line:?}");
        }
    }

    #[test]
    fn signer_ids() {
        assert!(valid_signer_id("node-1.a_b"));
        assert!(!valid_signer_id(""));
        assert!(!valid_signer_id(".hidden"));
        assert!(!valid_signer_id("a/b"));
        assert!(!valid_signer_id("a b"));
        assert!(!valid_signer_id(&"x".repeat(65)));
    }
}
