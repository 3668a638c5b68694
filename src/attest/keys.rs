//! ed25519 keys as files: private keys in PKCS#8 PEM (byte for byte what
//! `openssl genpkey -algorithm ed25519` writes), public keys as SPKI PEM or base64 of the raw
//! 32 bytes (what keyrings and signature lines carry).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{SigningKey, VerifyingKey};
use miette::Diagnostic;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Largest key file read; real ones are under 200 bytes.
const MAX_KEY_FILE: u64 = 64 * 1024;

/// Why a key could not be read or written. Exit 2.
#[derive(Debug, Error, Diagnostic)]
pub enum KeyError {
    #[error("cannot read key file {path}: {source}")]
    #[diagnostic(code(keys::io), help("check the path and its permissions"))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is larger than {MAX_KEY_FILE} bytes: not a key file")]
    #[diagnostic(
        code(keys::too_large),
        help(
            "pass the .key file written by `verdict keygen` or `openssl genpkey -algorithm ed25519`"
        )
    )]
    TooLarge { path: PathBuf },
    #[error("{path} is not an ed25519 private key in PKCS#8 PEM: {reason}")]
    #[diagnostic(
        code(keys::bad_private_key),
        help(
            "expected `-----BEGIN PRIVATE KEY-----` as written by `verdict keygen` or `openssl genpkey -algorithm ed25519`"
        )
    )]
    BadPrivateKey { path: PathBuf, reason: String },
    #[error("not an ed25519 public key: {reason}")]
    #[diagnostic(
        code(keys::bad_public_key),
        help(
            "give an SPKI PEM block (`-----BEGIN PUBLIC KEY-----`) or base64 of the 32 raw key bytes"
        )
    )]
    BadPublicKey { reason: String },
    #[error("invalid signer id `{id}`")]
    #[diagnostic(
        code(keys::bad_id),
        help("use 1-64 of A-Z a-z 0-9 . _ - (not starting with .)")
    )]
    BadId { id: String },
    #[error("{path} already exists; refusing to overwrite a key")]
    #[diagnostic(
        code(keys::exists),
        help("choose another --id or --out, or remove the old key deliberately")
    )]
    Exists { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    #[diagnostic(
        code(keys::write),
        help("check that the directory can be created and is writable")
    )]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn read_small(path: &Path) -> Result<String, KeyError> {
    let read = |source| KeyError::Read {
        path: path.into(),
        source,
    };
    let bytes = crate::limits::read_capped(path, MAX_KEY_FILE)
        .map_err(read)?
        .ok_or_else(|| KeyError::TooLarge { path: path.into() })?;
    String::from_utf8(bytes)
        .map_err(|e| read(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

/// Read a PKCS#8 PEM private key file (v1 as openssl writes it, or v2 with the public key).
/// Blank lines around the PEM block are ignored (keys copied through CI secrets gain them).
pub fn load_signing_key(path: &Path) -> Result<SigningKey, KeyError> {
    let pem = read_small(path)?;
    SigningKey::from_pkcs8_pem(pem.trim()).map_err(|e| KeyError::BadPrivateKey {
        path: path.into(),
        reason: e.to_string(),
    })
}

/// PKCS#8 v1 PEM without the optional public key: the 48-byte DER openssl writes.
pub fn signing_key_pem(key: &SigningKey) -> String {
    let bytes = ed25519_dalek::pkcs8::KeypairBytes {
        secret_key: key.to_bytes(),
        public_key: None,
    };
    // Encoding 32 bytes into a fixed structure cannot fail; fall back to an empty string
    // rather than panic so the caller's write shows an unreadable key instead.
    bytes
        .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .map(|z| z.to_string())
        .unwrap_or_default()
}

/// SPKI PEM (`-----BEGIN PUBLIC KEY-----`), as `openssl pkey -pubout` writes it.
pub fn public_key_pem(key: &VerifyingKey) -> String {
    key.to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .unwrap_or_default()
}

/// Base64 of the 32 raw bytes.
pub fn public_key_b64(key: &VerifyingKey) -> String {
    B64.encode(key.as_bytes())
}

/// A public key given on the command line (`--trust`): inline `ed25519:<base64>` (the
/// spelling ledger records use), or a file holding SPKI PEM or base64.
pub fn load_verifying_key(spec: &str) -> Result<VerifyingKey, KeyError> {
    match spec.strip_prefix("ed25519:") {
        Some(b64) => parse_public_key(b64),
        None => parse_public_key(&read_small(Path::new(spec))?),
    }
}

/// Parse a public key given as SPKI PEM or as base64 of the 32 raw bytes. Keys of small
/// order are refused: no signature made with one means anything.
pub fn parse_public_key(s: &str) -> Result<VerifyingKey, KeyError> {
    let t = s.trim();
    let key = if t.starts_with("-----BEGIN") {
        VerifyingKey::from_public_key_pem(t).map_err(|e| KeyError::BadPublicKey {
            reason: format!("bad PEM: {e}"),
        })?
    } else {
        let raw = B64.decode(t).map_err(|e| KeyError::BadPublicKey {
            reason: format!("bad base64: {e}"),
        })?;
        let raw: [u8; 32] = raw
            .try_into()
            .map_err(|v: Vec<u8>| KeyError::BadPublicKey {
                reason: format!("{} bytes, expected 32", v.len()),
            })?;
        VerifyingKey::from_bytes(&raw).map_err(|_| KeyError::BadPublicKey {
            reason: "not a point on the curve".into(),
        })?
    };
    if key.is_weak() {
        return Err(KeyError::BadPublicKey {
            reason: "a small-order (weak) key".into(),
        });
    }
    Ok(key)
}

/// What `keygen` wrote.
#[derive(Debug, Clone)]
pub struct Generated {
    pub private_path: PathBuf,
    pub public_path: PathBuf,
    pub public_key: VerifyingKey,
    /// The keyring YAML entry (a `signers:` list item) for the new key.
    pub keyring_entry: String,
}

/// The keyring YAML list item for a key.
pub fn keyring_entry(id: &str, key: &VerifyingKey) -> String {
    format!("  - id: {id}\n    public_key: {}\n", public_key_b64(key))
}

/// Write `DIR/ID.key` (PKCS#8 PEM, created with mode 0600, never overwritten) and
/// `DIR/ID.pub` (SPKI PEM) for `key`. DIR and missing parents are created with mode 0700
/// (a directory made to hold a private key should not be listable by others); an existing
/// directory keeps its mode.
pub fn write_key_pair(dir: &Path, id: &str, key: &SigningKey) -> Result<Generated, KeyError> {
    if !crate::report::attestation::valid_signer_id(id) {
        return Err(KeyError::BadId { id: id.into() });
    }
    create_key_dir(dir)?;
    let private_path = dir.join(format!("{id}.key"));
    let public_path = dir.join(format!("{id}.pub"));
    for p in [&private_path, &public_path] {
        if p.exists() {
            return Err(KeyError::Exists { path: p.clone() });
        }
    }
    let write = |path: &Path, contents: &str, private: bool| -> Result<(), KeyError> {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        if private {
            use std::os::unix::fs::OpenOptionsExt as _;
            opts.mode(0o600);
        }
        #[cfg(not(unix))]
        let _ = private;
        let mut f = opts.open(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => KeyError::Exists { path: path.into() },
            _ => KeyError::Write {
                path: path.into(),
                source,
            },
        })?;
        f.write_all(contents.as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(|source| KeyError::Write {
                path: path.into(),
                source,
            })
    };
    let public_key = key.verifying_key();
    write(&private_path, &signing_key_pem(key), true)?;
    write(&public_path, &public_key_pem(&public_key), false)?;
    Ok(Generated {
        private_path,
        public_path,
        keyring_entry: keyring_entry(id, &public_key),
        public_key,
    })
}

fn create_key_dir(dir: &Path) -> Result<(), KeyError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|source| KeyError::Write {
        path: dir.into(),
        source,
    })
}

/// Generate a fresh key from the OS's randomness and write it (see [`write_key_pair`]).
pub fn keygen(dir: &Path, id: &str) -> Result<Generated, KeyError> {
    let key = SigningKey::generate(&mut rand_core::OsRng);
    write_key_pair(dir, id, &key)
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 8032 section 7.1 TEST 1.
    const SEED: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    const PUB: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    fn key() -> SigningKey {
        let seed: [u8; 32] = hex::decode(SEED).unwrap().try_into().unwrap();
        SigningKey::from_bytes(&seed)
    }

    #[test]
    fn private_pem_is_openssl_shape() {
        let pem = signing_key_pem(&key());
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = B64.decode(body).unwrap();
        assert_eq!(
            hex::encode(&der),
            format!("302e020100300506032b657004220420{SEED}")
        );
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert_eq!(
            SigningKey::from_pkcs8_pem(&pem).unwrap().to_bytes(),
            key().to_bytes()
        );
    }

    #[test]
    fn public_forms() {
        let vk = key().verifying_key();
        let pem = public_key_pem(&vk);
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        assert_eq!(
            hex::encode(B64.decode(body).unwrap()),
            format!("302a300506032b6570032100{PUB}")
        );
        assert_eq!(parse_public_key(&pem).unwrap(), vk);
        assert_eq!(parse_public_key(&public_key_b64(&vk)).unwrap(), vk);
        assert_eq!(
            public_key_b64(&vk),
            "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
        );
    }

    #[test]
    fn bad_public_keys() {
        let e = |s: &str| match parse_public_key(s) {
            Err(KeyError::BadPublicKey { reason }) => reason,
            other => panic!("{other:?}"),
        };
        assert!(e("not base64!").starts_with("bad base64"));
        assert_eq!(e("AAAA"), "3 bytes, expected 32");
        // The identity point (y = 1) has order 1.
        let mut ident = [0u8; 32];
        ident[0] = 1;
        assert_eq!(e(&B64.encode(ident)), "a small-order (weak) key");
        assert!(
            e("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----").starts_with("bad PEM")
        );
    }
}
