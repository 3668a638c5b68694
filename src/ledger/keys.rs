//! Reading ed25519 keys from files: PKCS#8 PEM private keys (as `openssl genpkey -algorithm
//! ed25519` writes them) and SPKI PEM public keys. Kept to one small place so it can be
//! merged with the attest stage's key handling later.

use super::LedgerError;
use base64::Engine as _;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey};
use ed25519_dalek::{SigningKey, VerifyingKey};
use std::path::Path;

/// Key files are tiny; anything bigger is not a key.
const MAX_KEY_FILE_BYTES: u64 = 16 * 1024;

fn read_small(path: &Path) -> Result<String, LedgerError> {
    let key_err = |reason: String| LedgerError::Key {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = crate::limits::read_capped(path, MAX_KEY_FILE_BYTES)
        .map_err(|e| key_err(e.to_string()))?
        .ok_or_else(|| key_err(format!("larger than {MAX_KEY_FILE_BYTES} bytes")))?;
    String::from_utf8(bytes).map_err(|e| key_err(e.to_string()))
}

/// Loads a PKCS#8 PEM ed25519 private key.
pub fn load_signing_key(path: &Path) -> Result<SigningKey, LedgerError> {
    let pem = read_small(path)?;
    SigningKey::from_pkcs8_pem(&pem).map_err(|e| LedgerError::Key {
        path: path.to_path_buf(),
        reason: format!("not an ed25519 PKCS#8 PEM private key ({e})"),
    })
}

/// Loads a public key: an SPKI PEM file, or inline `ed25519:<base64>` (the spelling records use).
pub fn load_verifying_key(spec: &str) -> Result<VerifyingKey, LedgerError> {
    if let Some(b64) = spec.strip_prefix("ed25519:") {
        let bytes: Option<[u8; 32]> = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .ok()
            .and_then(|b| b.try_into().ok());
        return bytes
            .and_then(|b| VerifyingKey::from_bytes(&b).ok())
            .ok_or_else(|| LedgerError::Key {
                path: spec.into(),
                reason: "not a 32-byte base64 ed25519 public key".into(),
            });
    }
    let path = Path::new(spec);
    let pem = read_small(path)?;
    VerifyingKey::from_public_key_pem(&pem).map_err(|e| LedgerError::Key {
        path: path.to_path_buf(),
        reason: format!("not an ed25519 SPKI PEM public key ({e})"),
    })
}
