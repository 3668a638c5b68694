//! The keyring: who may sign, with which public key, during which window.
//!
//! ```yaml
//! signers:
//!   - id: node1
//!     public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=   # or an SPKI PEM block
//!     not_before: 2026-01-01T00:00:00Z                           # optional, RFC 3339
//!     not_after: 2027-12-31T23:59:59Z                            # optional, RFC 3339
//!     revoked: false                                             # optional, default false
//! ```
//!
//! Strict: unknown keys, duplicate ids, duplicate public keys, weak keys, bad timestamps and
//! an empty list are errors pointing at the line. A keyring decides trust, so a typo in it
//! must never silently widen or narrow who counts.

use crate::attest::keys::parse_public_key;
use crate::report::attestation::valid_signer_id;
use ed25519_dalek::VerifyingKey;
use jiff::Timestamp;
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use sha2::{Digest as _, Sha256};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// One trusted signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub id: String,
    pub public_key: VerifyingKey,
    pub not_before: Option<Timestamp>,
    pub not_after: Option<Timestamp>,
    pub revoked: bool,
    /// 1-based line of the entry's `id` in the keyring file.
    pub line: u32,
}

impl Signer {
    /// Whether `at` lies inside the validity window (both ends inclusive).
    pub fn valid_at(&self, at: Timestamp) -> bool {
        self.not_before.is_none_or(|nb| at >= nb) && self.not_after.is_none_or(|na| at <= na)
    }
}

/// A parsed, checked keyring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyring {
    pub signers: Vec<Signer>,
    /// SHA-256 of the keyring file's bytes, so a ledger entry can say which keyring judged.
    pub digest: [u8; 32],
    /// Where it came from (file path or a name), for messages.
    pub name: String,
}

impl Keyring {
    /// The signer holding exactly these public-key bytes.
    pub fn find(&self, public_key: &[u8; 32]) -> Option<&Signer> {
        self.signers
            .iter()
            .find(|s| s.public_key.as_bytes() == public_key)
    }

    /// Lowercase hex of [`Keyring::digest`].
    pub fn digest_hex(&self) -> String {
        hex::encode(self.digest)
    }

    /// Read and check a keyring file (at most `max_bytes`, default entry limit).
    pub fn load(path: &Path, max_bytes: u64) -> Result<Keyring, KeyringError> {
        Keyring::load_limited(
            path,
            &crate::limits::Limits {
                max_keyring_bytes: max_bytes,
                ..crate::limits::Limits::default()
            },
        )
    }

    /// Read and check a keyring file within [`crate::limits::Limits::max_keyring_bytes`]
    /// (never reading more than one byte past it) and `max_keyring_entries`.
    pub fn load_limited(
        path: &Path,
        limits: &crate::limits::Limits,
    ) -> Result<Keyring, KeyringError> {
        use std::io::Read as _;
        let io = |source| KeyringError::Io {
            path: path.into(),
            source,
        };
        let max_bytes = limits.max_keyring_bytes;
        let too_large = || KeyringError::TooLarge {
            path: path.into(),
            limit: max_bytes,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        if file.metadata().map_err(io)?.len() > max_bytes {
            return Err(too_large());
        }
        // The metadata check spares reading a huge file; `take` is what enforces the bound
        // (the file may grow, or be a pipe).
        let mut bytes = Vec::new();
        file.take(max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > max_bytes {
            return Err(too_large());
        }
        let src = String::from_utf8(bytes).map_err(|e| KeyringError::NotUtf8 {
            path: path.into(),
            offset: e.utf8_error().valid_up_to(),
        })?;
        Keyring::parse_limited(
            &src,
            &path.display().to_string(),
            limits.max_keyring_entries,
        )
    }

    /// Parse and check keyring YAML; `name` labels diagnostics. Default entry limit.
    pub fn parse(src: &str, name: &str) -> Result<Keyring, KeyringError> {
        Keyring::parse_limited(
            src,
            name,
            crate::limits::Limits::default().max_keyring_entries,
        )
    }

    /// [`Keyring::parse`] with at most `max_entries` signers, checked before any key is decoded.
    pub fn parse_limited(
        src: &str,
        name: &str,
        max_entries: usize,
    ) -> Result<Keyring, KeyringError> {
        let invalid = |message: String, help: String, offset: usize, len: usize| {
            let (line, column) = line_col(src, offset);
            KeyringError::Invalid(Box::new(InvalidKeyring {
                message,
                help,
                line,
                column,
                src: NamedSource::new(name, src.to_string()),
                span: (offset, len).into(),
            }))
        };
        let raw: RawKeyring = serde_yaml::from_str(src).map_err(|e| {
            // serde_norway locates syntax and schema errors; line/column are derived again
            // from the byte index so every diagnostic counts the same way.
            let offset = e.location().map_or(0, |l| l.index()).min(src.len());
            invalid(
                e.to_string(),
                "a keyring is `signers:` followed by entries with id, public_key and optionally \
                 not_before, not_after (RFC 3339) and revoked (true/false)"
                    .into(),
                offset,
                0,
            )
        })?;
        if raw.signers.len() > max_entries {
            return Err(KeyringError::TooManyEntries {
                name: name.to_string(),
                found: raw.signers.len(),
                limit: max_entries,
            });
        }
        if raw.signers.is_empty() {
            return Err(invalid(
                "the keyring lists no signers".into(),
                "add at least one signer; an empty keyring can never verify anything".into(),
                0,
                src.len().min(8),
            ));
        }
        let mut signers: Vec<Signer> = Vec::with_capacity(raw.signers.len());
        let mut cursor = 0; // entries appear in file order: search forward from the last one
        for r in raw.signers {
            let id_at = find_key_value(src, cursor, "id", &r.id).unwrap_or(cursor);
            cursor = id_at + r.id.len().max(1);
            let here = |value: &str| find_value(src, id_at, value).unwrap_or(id_at);
            if !valid_signer_id(&r.id) {
                return Err(invalid(
                    format!("invalid signer id `{}`", r.id),
                    "use 1-64 of A-Z a-z 0-9 . _ - (not starting with .)".into(),
                    id_at,
                    r.id.len(),
                ));
            }
            let key_probe = r
                .public_key
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            let key_at = here(key_probe.trim());
            let public_key = parse_public_key(&r.public_key).map_err(|e| {
                invalid(
                    format!("signer `{}`: {e}", r.id),
                    "give an SPKI PEM block or base64 of the 32 raw key bytes".into(),
                    key_at,
                    key_probe.trim().len(),
                )
            })?;
            let stamp =
                |v: &Option<String>, field: &str| -> Result<Option<Timestamp>, KeyringError> {
                    match v {
                        None => Ok(None),
                        Some(s) => s.parse::<Timestamp>().map(Some).map_err(|e| {
                            invalid(
                                format!(
                                    "signer `{}`: {field} `{s}` is not an RFC 3339 instant: {e}",
                                    r.id
                                ),
                                "write e.g. 2026-01-01T00:00:00Z (a time zone offset is required)"
                                    .into(),
                                find_key_value(src, id_at, field, s).unwrap_or(id_at),
                                s.len(),
                            )
                        }),
                    }
                };
            let not_before = stamp(&r.not_before, "not_before")?;
            let not_after = stamp(&r.not_after, "not_after")?;
            if let (Some(nb), Some(na)) = (not_before, not_after) {
                if na < nb {
                    let s = r.not_after.as_deref().unwrap_or("");
                    return Err(invalid(
                        format!("signer `{}`: not_after is before not_before", r.id),
                        "swap or fix the two instants".into(),
                        find_key_value(src, id_at, "not_after", s).unwrap_or(id_at),
                        s.len(),
                    ));
                }
            }
            if let Some(prev) = signers.iter().find(|s| s.id == r.id) {
                return Err(invalid(
                    format!(
                        "signer id `{}` appears twice (first on line {})",
                        r.id, prev.line
                    ),
                    "each signer needs its own id".into(),
                    id_at,
                    r.id.len(),
                ));
            }
            if let Some(prev) = signers.iter().find(|s| s.public_key == public_key) {
                return Err(invalid(
                    format!(
                        "signer `{}` has the same public key as `{}` (line {})",
                        r.id, prev.id, prev.line
                    ),
                    "signatures are counted by public key: one key must belong to one signer"
                        .into(),
                    key_at,
                    key_probe.trim().len(),
                ));
            }
            signers.push(Signer {
                line: line_col(src, id_at).0 as u32,
                id: r.id,
                public_key,
                not_before,
                not_after,
                revoked: r.revoked,
            });
        }
        Ok(Keyring {
            signers,
            digest: Sha256::digest(src.as_bytes()).into(),
            name: name.to_string(),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeyring {
    signers: Vec<RawSigner>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSigner {
    id: String,
    public_key: String,
    #[serde(default)]
    not_before: Option<String>,
    #[serde(default)]
    not_after: Option<String>,
    #[serde(default)]
    revoked: bool,
}

/// Byte offset of the first occurrence of `value` at or after `from` (serde gives values,
/// not positions, so semantic errors are located by searching the source).
fn find_value(src: &str, from: usize, value: &str) -> Option<usize> {
    if value.is_empty() {
        return None;
    }
    src.get(from..)?.find(value).map(|p| p + from)
}

/// Byte offset of `value` on the first line at or after `from` that reads
/// `[- ]key: value` (optionally quoted), so `id: b` is not found inside `not_before`.
fn find_key_value(src: &str, from: usize, key: &str, value: &str) -> Option<usize> {
    let mut offset = src.get(..from)?.rfind('\n').map_or(0, |p| p + 1);
    for line in src.get(offset..)?.split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '\t']);
        let body = body
            .strip_prefix('-')
            .map_or(body, |b| b.trim_start_matches([' ', '\t']));
        if let Some(rest) = body
            .strip_prefix(key)
            .and_then(|r| r.trim_start().strip_prefix(':'))
        {
            let v = rest.trim().trim_matches(['"', '\'']);
            if v == value {
                let at = offset + line.len() - body.len() + key.len();
                if at >= from {
                    return find_value(src, at, value);
                }
            }
        }
        offset += line.len();
    }
    None
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = src.get(..offset).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Why a keyring cannot be used. Exit 2.
#[derive(Debug, Error, Diagnostic)]
pub enum KeyringError {
    #[error("cannot read keyring {path}: {source}")]
    #[diagnostic(
        code(keyring::io),
        help("check the --keyring path (or signatures.keyring in the policy)")
    )]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("keyring {path} is larger than the limit of {limit} bytes")]
    #[diagnostic(
        code(keyring::too_large),
        help(
            "a keyring lists public keys only (about 100 bytes each); raise the limit with \
             --max-keyring-bytes if this one really is larger"
        )
    )]
    TooLarge { path: PathBuf, limit: u64 },
    #[error(
        "keyring {name} lists {found} signers, more than the limit of {limit} (max_keyring_entries)"
    )]
    #[diagnostic(
        code(keyring::too_many_entries),
        help("raise the limit with --max-keyring-entries if the keyring really is this large")
    )]
    TooManyEntries {
        name: String,
        found: usize,
        limit: usize,
    },
    #[error("keyring {path} is not valid UTF-8 (invalid byte at offset {offset})")]
    #[diagnostic(code(keyring::encoding), help("save the keyring as UTF-8"))]
    NotUtf8 { path: PathBuf, offset: usize },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidKeyring>),
}

/// A keyring that parsed badly or broke a rule, located in its source.
#[derive(Debug, Error, Diagnostic)]
#[error("bad keyring (line {line}, column {column}): {message}")]
#[diagnostic(code(keyring::invalid), help("{help}"))]
pub struct InvalidKeyring {
    pub message: String,
    pub help: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("here")]
    pub span: SourceSpan,
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    const K2: &str = "PUAXw+hDiVqStwqnTRt+vJyYLM8uxJaMwM1V8Sr0Zgw=";

    fn err(src: &str) -> (String, usize, usize) {
        match Keyring::parse(src, "k.yaml") {
            Err(KeyringError::Invalid(b)) => (b.message, b.line, b.column),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn parses_entries() {
        let src = format!(
            "signers:\n  - id: a\n    public_key: {K1}\n    not_before: 2026-01-01T00:00:00Z\n    not_after: 2027-01-01T00:00:00Z\n  - id: b\n    public_key: {K2}\n    revoked: true\n"
        );
        let k = Keyring::parse(&src, "k.yaml").unwrap();
        assert_eq!(k.signers.len(), 2);
        assert_eq!((k.signers[0].id.as_str(), k.signers[0].line), ("a", 2));
        assert_eq!(
            (
                k.signers[1].id.as_str(),
                k.signers[1].line,
                k.signers[1].revoked
            ),
            ("b", 6, true)
        );
        let a = &k.signers[0];
        assert!(a.valid_at("2026-06-01T00:00:00Z".parse().unwrap()));
        assert!(a.valid_at("2027-01-01T00:00:00Z".parse().unwrap()));
        assert!(!a.valid_at("2027-01-01T00:00:01Z".parse().unwrap()));
        assert!(!a.valid_at("2025-12-31T23:59:59Z".parse().unwrap()));
        let raw: [u8; 32] = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, K2)
            .unwrap()
            .try_into()
            .unwrap();
        assert_eq!(k.find(&raw).map(|s| s.id.as_str()), Some("b"));
    }

    #[test]
    fn errors_point_at_the_line() {
        let (m, l, c) = err(&format!(
            "signers:\n  - id: a\n    public_key: {K1}\n    colour: red\n"
        ));
        assert!(m.contains("unknown field `colour`"), "{m}");
        assert_eq!((l, c), (4, 5));
        let (m, l, _) = err(&format!(
            "signers:\n  - id: a\n    public_key: {K1}\n  - id: a\n    public_key: {K2}\n"
        ));
        assert_eq!(
            (m.as_str(), l),
            ("signer id `a` appears twice (first on line 2)", 4)
        );
        let (m, l, c) = err(&format!(
            "signers:\n  - id: a\n    public_key: {K1}\n  - id: b\n    public_key: {K1}\n"
        ));
        assert_eq!(
            (m.as_str(), l, c),
            ("signer `b` has the same public key as `a` (line 2)", 5, 17)
        );
        let (m, l, _) = err(&format!(
            "signers:\n  - id: a\n    public_key: {K1}\n    not_after: yesterday\n"
        ));
        assert!(
            m.starts_with("signer `a`: not_after `yesterday` is not an RFC 3339 instant"),
            "{m}"
        );
        assert_eq!(l, 4);
        let (m, l, _) = err("signers:\n  - id: a\n    public_key: AAAA\n");
        assert_eq!(
            (m.as_str(), l),
            (
                "signer `a`: not an ed25519 public key: 3 bytes, expected 32",
                3
            )
        );
        let (m, _, _) = err("signers: []\n");
        assert_eq!(m, "the keyring lists no signers");
        let (m, l, _) = err(&format!("signers:\n  - id: a/b\n    public_key: {K1}\n"));
        assert_eq!((m.as_str(), l), ("invalid signer id `a/b`", 2));
        let (m, l, _) = err(&format!(
            "signers:\n  - id: a\n    public_key: {K1}\n    not_before: 2027-01-01T00:00:00Z\n    not_after: 2026-01-01T00:00:00Z\n"
        ));
        assert_eq!(
            (m.as_str(), l),
            ("signer `a`: not_after is before not_before", 5)
        );
    }
}
