//! Checkpoints: C2SP tlog-checkpoint bodies (`tlog_tiles::checkpoint`) signed as C2SP signed
//! notes (`signed_note`) by the verifier key that made the append.
//!
//! A signed checkpoint is, byte for byte:
//! `<origin>\n<size>\n<base64 root>\n\n— <origin> <base64(key id (4 bytes BE) || ed25519 sig)>\n`
//! where the key id is `SHA-256(origin || "\n" || 0x01 || public key)[0..4]` and the
//! signature covers the three body lines (with their newlines).

use super::tree::Hash;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use signed_note::{Note, VerifierList};
use tlog_tiles::checkpoint::Checkpoint;

/// Origin line used when the ledger was created without another one.
pub const DEFAULT_ORIGIN: &str = "verdict.local/ledger";

/// Largest checkpoint file we read (a note is a few hundred bytes).
pub const MAX_CHECKPOINT_BYTES: usize = 64 * 1024;

/// Why a checkpoint is not acceptable.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CheckpointError {
    #[error("not a signed note")]
    MalformedNote,
    #[error("not a tlog checkpoint (origin, size, base64 root hash)")]
    MalformedBody,
    #[error("origin is {found:?}, expected {expected:?}")]
    Origin { found: String, expected: String },
    #[error("not signed by any of the expected keys")]
    Unsigned,
    #[error("a signature from an expected key does not verify")]
    BadSignature,
    #[error("the file is larger than {MAX_CHECKPOINT_BYTES} bytes")]
    TooLarge,
}

/// A checkpoint whose signature has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCheckpoint {
    pub origin: String,
    pub size: u64,
    pub root: [u8; 32],
    /// The public key whose signature verified.
    pub signer: [u8; 32],
    /// The whole note as text.
    pub text: String,
}

impl SignedCheckpoint {
    pub fn root_hash(&self) -> Hash {
        Hash(self.root)
    }
}

struct NoteSigner<'k> {
    name: &'k str,
    id: u32,
    key: &'k SigningKey,
}

impl signed_note::Signer for NoteSigner<'_> {
    fn name(&self) -> &str {
        self.name
    }
    fn key_id(&self) -> u32 {
        self.id
    }
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, ed25519_dalek::SignatureError> {
        Ok(self.key.sign(msg).to_vec())
    }
}

/// Key id of an ed25519 key under a note name, as C2SP signed-note recommends.
pub fn key_id(name: &str, key: &VerifyingKey) -> u32 {
    let mut encoded = Vec::with_capacity(33);
    encoded.push(1u8); // algorithm byte: ed25519
    encoded.extend_from_slice(key.as_bytes());
    signed_note::key_id(name, &encoded)
}

/// The C2SP verifier key string (`<name>+<id>+<base64>`) others can use to check our notes.
pub fn verifier_key_string(name: &str, key: &VerifyingKey) -> String {
    signed_note::new_ed25519_verifier_key(name, key)
}

/// Builds and signs the checkpoint for a tree of `size` leaves with `root`.
pub fn sign(
    origin: &str,
    size: u64,
    root: Hash,
    key: &SigningKey,
) -> Result<String, CheckpointError> {
    let body =
        Checkpoint::new(origin, size, root, "").map_err(|_| CheckpointError::MalformedBody)?;
    let mut note = Note::new(&body.to_bytes(), &[]).map_err(|_| CheckpointError::MalformedNote)?;
    let vk = key.verifying_key();
    let signer = NoteSigner {
        name: origin,
        id: key_id(origin, &vk),
        key,
    };
    note.add_sigs(&[&signer])
        .map_err(|_| CheckpointError::MalformedNote)?;
    String::from_utf8(note.to_bytes()).map_err(|_| CheckpointError::MalformedNote)
}

/// The parts needed to verify a note's signature without verifying it yet (batch audits).
pub struct Unverified {
    pub body: Checkpoint,
    /// The signed text (the checkpoint body).
    pub text: Vec<u8>,
    /// Signatures whose name and key id match `key` under `origin`.
    pub signatures: Vec<Signature>,
}

/// The note and its checkpoint body, bounded in size and checked to be of `origin`'s log:
/// the common first half of [`parse`] and [`verify`].
fn open_note(text: &[u8], origin: &str) -> Result<(Note, Checkpoint), CheckpointError> {
    if text.len() > MAX_CHECKPOINT_BYTES {
        return Err(CheckpointError::TooLarge);
    }
    let note = Note::from_bytes(text).map_err(|_| CheckpointError::MalformedNote)?;
    let body = Checkpoint::from_bytes(note.text()).map_err(|_| CheckpointError::MalformedBody)?;
    if body.origin() != origin {
        return Err(CheckpointError::Origin {
            found: body.origin().to_string(),
            expected: origin.to_string(),
        });
    }
    Ok((note, body))
}

/// Parses a note and picks out the signatures that claim to come from `key` under `origin`.
pub fn parse(text: &[u8], origin: &str, key: &VerifyingKey) -> Result<Unverified, CheckpointError> {
    let (note, body) = open_note(text, origin)?;
    // signed_note does not hand out a parsed note's signatures, so the signature lines
    // (after the last blank line, which Note::from_bytes has just validated) are re-read.
    let id = key_id(origin, key);
    let mut signatures = Vec::new();
    let sigs_text = std::str::from_utf8(text).map_err(|_| CheckpointError::MalformedNote)?;
    for line in sigs_text.lines().rev() {
        if line.is_empty() {
            break;
        }
        let sig = signed_note::Signature::from_bytes(line.as_bytes())
            .map_err(|_| CheckpointError::MalformedNote)?;
        if sig.name() == origin && sig.id() == id {
            let bytes: [u8; 64] = sig
                .signature()
                .try_into()
                .map_err(|_| CheckpointError::BadSignature)?;
            signatures.push(Signature::from_bytes(&bytes));
        }
    }
    if signatures.is_empty() {
        return Err(CheckpointError::Unsigned);
    }
    Ok(Unverified {
        body,
        text: note.text().to_vec(),
        signatures,
    })
}

/// Parses a note and verifies it is signed by one of `keys` (C2SP signed-note rules, as
/// implemented by `signed_note::Note::verify`).
pub fn verify(
    text: &[u8],
    origin: &str,
    keys: &[VerifyingKey],
) -> Result<SignedCheckpoint, CheckpointError> {
    let (note, body) = open_note(text, origin)?;
    let mut list: Vec<Box<dyn signed_note::Verifier>> = Vec::new();
    for k in keys {
        if let Ok(v) = signed_note::StandardVerifier::new(&verifier_key_string(origin, k)) {
            list.push(Box::new(v));
        }
    }
    let verifiers = VerifierList::new(list);
    let (verified, _) = note.verify(&verifiers).map_err(|e| match e {
        signed_note::NoteError::UnverifiedNote => CheckpointError::Unsigned,
        signed_note::NoteError::MalformedNote => CheckpointError::MalformedNote,
        _ => CheckpointError::BadSignature,
    })?;
    let first = verified.first().ok_or(CheckpointError::Unsigned)?;
    let signer = keys
        .iter()
        .find(|k| key_id(origin, k) == first.id())
        .ok_or(CheckpointError::Unsigned)?;
    // verify_strict on top of the note library's check: no malleable or small-order keys.
    let sig_bytes: [u8; 64] = first
        .signature()
        .try_into()
        .map_err(|_| CheckpointError::BadSignature)?;
    signer
        .verify_strict(note.text(), &Signature::from_bytes(&sig_bytes))
        .map_err(|_| CheckpointError::BadSignature)?;
    Ok(SignedCheckpoint {
        origin: body.origin().to_string(),
        size: body.size(),
        root: body.hash().0,
        signer: signer.to_bytes(),
        text: String::from_utf8_lossy(text).into_owned(),
    })
}

/// Reads the origin out of a checkpoint without checking anything (to pick the origin of
/// an offline proof check from the checkpoint itself).
pub fn origin_of(text: &[u8]) -> Option<String> {
    let note = Note::from_bytes(text).ok()?;
    Some(
        Checkpoint::from_bytes(note.text())
            .ok()?
            .origin()
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_checkpoint_bytes_and_verification() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let root = tlog_tiles::tlog::record_hash(b"x");
        let text = sign("example.org/log", 5, root, &key).unwrap();
        let (body, sig) = text.split_once("\n\n").unwrap();
        assert_eq!(body, format!("example.org/log\n5\n{root}"));
        assert!(sig.starts_with("— example.org/log "));
        assert!(sig.ends_with('\n'));
        let ok = verify(text.as_bytes(), "example.org/log", &[key.verifying_key()]).unwrap();
        assert_eq!((ok.size, ok.root), (5, root.0));
        let other = SigningKey::from_bytes(&[2; 32]).verifying_key();
        assert_eq!(
            verify(text.as_bytes(), "example.org/log", &[other]),
            Err(CheckpointError::Unsigned)
        );
        assert!(matches!(
            verify(text.as_bytes(), "other/log", &[key.verifying_key()]),
            Err(CheckpointError::Origin { .. })
        ));
        let tampered = text.replacen("\n5\n", "\n6\n", 1);
        assert_eq!(
            verify(
                tampered.as_bytes(),
                "example.org/log",
                &[key.verifying_key()]
            ),
            Err(CheckpointError::BadSignature)
        );
    }
}
