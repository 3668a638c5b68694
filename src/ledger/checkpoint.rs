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

/// Recognises a checkpoint byte for byte as [`sign`] writes it for one origin and key, so an
/// audit can check 100 000 of them without a general note parser per checkpoint: the note must
/// be exactly `<origin>\n<size>\n<root>\n\n— <origin> <base64(key id || signature)>\n`. Anything
/// else is left to [`parse`], which gives the same answer on such notes (checked once, in
/// [`ExactNote::new`]) and the precise error on others.
pub struct ExactNote {
    origin: String,
    key_id: [u8; 4],
    /// Reused: the expected note up to the signature's base64.
    expected: String,
}

/// Bytes behind a note signature line's base64: the 4-byte key id, then the signature.
const NOTE_SIG_BYTES: usize = 4 + 64;

/// Length of that base64 (padded) and the final newline.
const SIG_LINE_END: usize = NOTE_SIG_BYTES.div_ceil(3) * 4 + 1;

impl ExactNote {
    /// `None` when `origin` is one whose notes [`parse`] would not read back as written (the
    /// general path then decides, as for any note that is not in exact form).
    pub fn new(origin: &str, key: &VerifyingKey) -> Option<ExactNote> {
        let mut exact = ExactNote {
            origin: origin.to_string(),
            key_id: key_id(origin, key).to_be_bytes(),
            expected: String::new(),
        };
        // A note in exact form differs from this probe only in digits and base64 text, which
        // no rule of the parsers treats specially: if the probe reads back, every such note does.
        let root = Hash([0xa5; 32]);
        let sig = Signature::from_bytes(&[0x5a; 64]);
        exact.write_prefix(u64::MAX, &root);
        let mut probe = exact.expected.clone().into_bytes();
        let (line, len) = exact.signature_line_end(&sig);
        probe.extend_from_slice(&line[..len]);
        let parsed = parse(&probe, origin, key).ok()?;
        let round_trip = parsed.body.size() == u64::MAX
            && *parsed.body.hash() == root
            && parsed.body.extension().is_empty()
            && parsed.signatures == [sig]
            && exact.matches(&probe, u64::MAX, &root) == Some((parsed.text.len(), sig));
        round_trip.then_some(exact)
    }

    /// Writes the expected note up to the signature's base64 into `self.expected`.
    fn write_prefix(&mut self, size: u64, root: &Hash) {
        use std::fmt::Write as _;
        self.expected.clear();
        // Writing to a String cannot fail.
        let _ = write!(
            self.expected,
            "{}\n{size}\n{root}\n\n— {} ",
            self.origin, self.origin
        );
    }

    /// The base64 of the key id and `sig`, then the newline that ends the note.
    fn signature_line_end(&self, sig: &Signature) -> ([u8; SIG_LINE_END], usize) {
        use base64::Engine as _;
        let mut bytes = [0u8; NOTE_SIG_BYTES];
        bytes[..4].copy_from_slice(&self.key_id);
        bytes[4..].copy_from_slice(&sig.to_bytes());
        let mut line = [0u8; SIG_LINE_END];
        let n = base64::engine::general_purpose::STANDARD
            .encode_slice(bytes, &mut line)
            .unwrap_or(0);
        line[n] = b'\n';
        (line, n + 1)
    }

    /// If `note` is in exact form for a tree of `size` leaves with `root`: the length of its
    /// signed body (the message of its signature) and the signature.
    pub fn matches(&mut self, note: &[u8], size: u64, root: &Hash) -> Option<(usize, Signature)> {
        use base64::Engine as _;
        self.write_prefix(size, root);
        let prefix = self.expected.as_bytes();
        let rest = note.strip_prefix(prefix)?;
        let b64 = rest.strip_suffix(b"\n")?;
        let mut bytes = [0u8; NOTE_SIG_BYTES + 2];
        let n = base64::engine::general_purpose::STANDARD
            .decode_slice(b64, &mut bytes)
            .ok()?;
        if n != NOTE_SIG_BYTES || bytes[..4] != self.key_id {
            return None;
        }
        let sig = Signature::from_slice(&bytes[4..NOTE_SIG_BYTES]).ok()?;
        // Only the canonical base64 spelling is the exact form.
        let (line, len) = self.signature_line_end(&sig);
        if line[..len] != *rest {
            return None;
        }
        // The signed body is the origin, size and root lines with their newlines.
        let body_len = prefix.len() - ("\n— ".len() + self.origin.len() + 1);
        Some((body_len, sig))
    }
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
    fn exact_note_agrees_with_parse_on_signed_checkpoints_and_refuses_other_forms() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let vk = key.verifying_key();
        let origin = "example.org/log";
        let mut exact = ExactNote::new(origin, &vk).unwrap();
        for size in [1u64, 9, 10, 123_456_789] {
            let root = tlog_tiles::tlog::record_hash(&size.to_be_bytes());
            let note = sign(origin, size, root, &key).unwrap();
            let slow = parse(note.as_bytes(), origin, &vk).unwrap();
            let (body_len, sig) = exact.matches(note.as_bytes(), size, &root).unwrap();
            assert_eq!(&note.as_bytes()[..body_len], &slow.text[..]);
            assert_eq!(slow.signatures, [sig]);
            assert!(vk.verify_strict(&slow.text, &sig).is_ok());
            // Another size or root, a second signature line, a spelling of the same
            // signature with non-zero trailing base64 bits: not the exact form.
            assert_eq!(exact.matches(note.as_bytes(), size + 1, &root), None);
            assert_eq!(exact.matches(note.as_bytes(), size, &Hash([0; 32])), None);
            let twice = format!("{note}{}", note.split_once("\n\n").unwrap().1);
            assert_eq!(exact.matches(twice.as_bytes(), size, &root), None);
            const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let mut loose = note.clone().into_bytes();
            let last = loose.len() - 3; // the character before "=\n"
            let value = B64.iter().position(|&c| c == loose[last]).unwrap();
            loose[last] = B64[value | 1];
            assert_ne!(loose, note.as_bytes());
            assert_eq!(exact.matches(&loose, size, &root), None);
        }
        let other = SigningKey::from_bytes(&[2; 32]);
        let root = tlog_tiles::tlog::record_hash(b"x");
        let foreign = sign(origin, 5, root, &other).unwrap();
        assert_eq!(exact.matches(foreign.as_bytes(), 5, &root), None);
        // Origins whose notes the parser would refuse get no fast path at all.
        assert!(ExactNote::new("bad\u{1}origin", &vk).is_none());
        assert!(ExactNote::new("", &vk).is_none());
    }

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
