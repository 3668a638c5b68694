//! What each audit worker does with a chunk: every check of every entry, in the order a
//! single pass over the log makes them, then one batch verification of the chunk's signatures.

use super::AuditFailure;
use super::read::{Chunk, RawEntry, Stop};
use crate::ledger::checkpoint::{self, ExactNote};
use crate::ledger::record::Record;
use crate::ledger::tree::{self, Frontier, Hash};
use ed25519_dalek::{Signature, VerifyingKey};
use std::ops::Range;

/// What one chunk showed.
pub(super) struct ChunkOutcome {
    pub index: usize,
    /// False when the chunk was skipped because an earlier failure was already known.
    pub checked: bool,
    /// The first problem other than a bad signature, in log order within the chunk.
    pub structural: Option<AuditFailure>,
    /// Log position (see [`AuditFailure::position`]) of the chunk's first bad signature.
    pub bad_signature: Option<u64>,
    /// Keys that signed the chunk's entries, in order of first use.
    pub signers: Vec<VerifyingKey>,
}

impl ChunkOutcome {
    /// The outcome of a chunk not checked: it starts after a failure already found.
    pub fn skipped(index: usize) -> Self {
        ChunkOutcome {
            index,
            checked: false,
            structural: None,
            bad_signature: None,
            signers: Vec::new(),
        }
    }
}

/// A verifier key seen in the log, decoded once per worker (decompressing a key costs about
/// as much as verifying a signature).
struct KnownKey {
    /// `ed25519:<base64>` as records spell it.
    verifier: String,
    key: VerifyingKey,
    /// Fast recognition of this key's checkpoints; `None` if the origin does not allow it.
    exact: Option<ExactNote>,
}

/// The bytes a signature covers.
enum Message {
    /// An entry's: the domain and its leaf hash.
    Entry([u8; 24 + tree::HASH_SIZE]),
    /// A checkpoint's body, in the chunk's bytes.
    InChunk(Range<usize>),
    /// A checkpoint's body as the general note parser returned it.
    Owned(Vec<u8>),
}

struct SigCheck {
    /// Log position (see [`AuditFailure::position`]).
    pos: u64,
    msg: Message,
    sig: Signature,
    /// Index into [`Checker::keys`].
    key: usize,
}

/// One worker's state, reused from chunk to chunk.
pub(super) struct Checker<'a> {
    origin: &'a str,
    trusted: &'a [VerifyingKey],
    keys: Vec<KnownKey>,
    sigs: Vec<SigCheck>,
    /// Scratch: the stored hashes one append writes.
    stored: Vec<Hash>,
}

impl<'a> Checker<'a> {
    pub fn new(origin: &'a str, trusted: &'a [VerifyingKey]) -> Self {
        Checker {
            origin,
            trusted,
            keys: Vec::new(),
            sigs: Vec::new(),
            stored: Vec::new(),
        }
    }

    /// Checks every entry of `chunk` up to its first structural problem, then the signatures
    /// of everything checked before that problem.
    pub fn check(&mut self, mut chunk: Chunk) -> ChunkOutcome {
        self.sigs.clear();
        let mut frontier = chunk.frontier.clone();
        let mut signers = Vec::new();
        let mut structural = None;
        for i in 0..chunk.entries.len() {
            let seq = chunk.first + i as u64;
            let stop = chunk.entries[i].stop.take();
            let entry = &chunk.entries[i];
            if let Err(f) = self.check_entry(&chunk, seq, entry, stop, &mut frontier, &mut signers)
            {
                structural = Some(f);
                break;
            }
        }
        ChunkOutcome {
            index: chunk.index,
            checked: true,
            structural,
            bad_signature: self.first_bad_signature(&chunk),
            signers,
        }
    }

    /// One entry: its record and columns, its signature's key, the stored hashes its append
    /// wrote, and the checkpoint it wrote. `stop` is what the reader found wrong with its rows.
    fn check_entry(
        &mut self,
        chunk: &Chunk,
        seq: u64,
        e: &RawEntry,
        stop: Option<Stop>,
        frontier: &mut Frontier,
        signers: &mut Vec<VerifyingKey>,
    ) -> Result<(), AuditFailure> {
        let mut stop = stop;
        if let Some(Stop::Entry(f)) = stop {
            return Err(f);
        }
        let bytes = &chunk.bytes[..];
        let (leaf, key) = self.check_record(bytes, seq, e, signers)?;
        self.check_stored_hashes(chunk, seq, e, leaf, &mut stop, frontier)?;
        if let Some(Stop::Checkpoint(f)) = stop {
            return Err(f);
        }
        self.check_checkpoint(bytes, seq, e, key, frontier)
    }

    /// The record and the entry row's other columns; queues the entry signature. Returns the
    /// leaf hash and the signer's index in [`Checker::keys`].
    fn check_record(
        &mut self,
        bytes: &[u8],
        seq: u64,
        e: &RawEntry,
        signers: &mut Vec<VerifyingKey>,
    ) -> Result<(Hash, usize), AuditFailure> {
        let fail = |what: String| AuditFailure::Entry { seq, what };
        let record_bytes = &bytes[e.record.clone()];
        let record = Record::parse(record_bytes).map_err(|e| fail(format!("record: {e}")))?;
        if record.seq != seq {
            return Err(fail(format!(
                "the record says it is entry {} (moved or swapped)",
                record.seq
            )));
        }
        let leaf = tree::leaf_hash(record_bytes);
        if bytes[e.leaf_hash.clone()] != leaf.0 {
            return Err(fail("stored leaf hash does not match the record".into()));
        }
        if bytes[e.report_digest.clone()] != *record.report.digest.as_bytes() {
            return Err(fail(
                "report_digest column does not match the record".into(),
            ));
        }
        if bytes[e.policy_digest.clone()] != *record.policy.digest.as_bytes() {
            return Err(fail(
                "policy_digest column does not match the record".into(),
            ));
        }
        let sig = Signature::from_slice(&bytes[e.signature.clone()])
            .map_err(|_| fail("signature is not 64 bytes".into()))?;
        let k = self.key_of(&record, &fail)?;
        let key = self.keys[k].key;
        if !self.trusted.is_empty() && !self.trusted.contains(&key) {
            return Err(fail(format!(
                "signed by {}, which is not a trusted key",
                record.verifier
            )));
        }
        if !signers.contains(&key) {
            signers.push(key);
        }
        self.sigs.push(SigCheck {
            pos: seq * 2,
            msg: Message::Entry(tree::entry_message(&leaf)),
            sig,
            key: k,
        });
        Ok((leaf, k))
    }

    /// Index in [`Checker::keys`] of the record's verifier key, decoding it on first sight.
    fn key_of(
        &mut self,
        record: &Record,
        fail: &impl Fn(String) -> AuditFailure,
    ) -> Result<usize, AuditFailure> {
        if let Some(k) = self.keys.iter().position(|k| k.verifier == record.verifier) {
            return Ok(k);
        }
        let key = record
            .verifier_key()
            .map_err(|e| fail(format!("record: {e}")))?;
        if key.is_weak() {
            return Err(fail("the verifier key is a weak (small-order) key".into()));
        }
        self.keys.push(KnownKey {
            verifier: record.verifier.clone(),
            key,
            exact: ExactNote::new(self.origin, &key),
        });
        Ok(self.keys.len() - 1)
    }

    /// The stored hashes entry `seq`'s append wrote, against the tree recomputed from the
    /// frontier and the entry's leaf; a missing row (from `stop`) fails where it falls.
    fn check_stored_hashes(
        &mut self,
        chunk: &Chunk,
        seq: u64,
        e: &RawEntry,
        leaf: Hash,
        stop: &mut Option<Stop>,
        frontier: &mut Frontier,
    ) -> Result<(), AuditFailure> {
        frontier.push(leaf, &mut self.stored);
        let rows = &chunk.hashes[e.hashes.clone()];
        let first = tree::stored_hash_index(seq);
        for (i, h) in self.stored.iter().enumerate() {
            let Some(row) = rows.get(i) else {
                break;
            };
            if chunk.bytes[row.clone()] != h.0 {
                return Err(AuditFailure::Entry {
                    seq,
                    what: format!(
                        "stored tree hash {} does not match the recomputed tree",
                        first + i as u64
                    ),
                });
            }
        }
        if let Some(Stop::Hash(failure)) = stop.take_if(|s| matches!(s, Stop::Hash(_))) {
            return Err(failure);
        }
        Ok(())
    }

    /// The checkpoint entry `seq` wrote: its tree size and root, and its signature by the
    /// entry's key (queued). Notes in exactly the form the ledger writes are recognised
    /// directly; any other goes through the general parser, for the same verdict or the
    /// precise error.
    fn check_checkpoint(
        &mut self,
        bytes: &[u8],
        seq: u64,
        e: &RawEntry,
        k: usize,
        frontier: &Frontier,
    ) -> Result<(), AuditFailure> {
        let size = seq + 1;
        let fail = |what: String| AuditFailure::Checkpoint { size, what };
        let root = frontier
            .root()
            .ok_or_else(|| fail("tree: the tree is empty".into()))?;
        let note = &bytes[e.note.clone()];
        let known = &mut self.keys[k];
        if let Some((body_len, sig)) = known
            .exact
            .as_mut()
            .and_then(|x| x.matches(note, size, &root))
        {
            self.sigs.push(SigCheck {
                pos: seq * 2 + 1,
                msg: Message::InChunk(e.note.start..e.note.start + body_len),
                sig,
                key: k,
            });
            return Ok(());
        }
        let parsed =
            checkpoint::parse(note, self.origin, &known.key).map_err(|e| fail(e.to_string()))?;
        if parsed.body.size() != size {
            return Err(fail(format!("it says tree size {}", parsed.body.size())));
        }
        if *parsed.body.hash() != root {
            return Err(fail("its root hash does not match the entries".into()));
        }
        if !parsed.body.extension().is_empty() {
            return Err(fail("unexpected extension lines".into()));
        }
        if let Some(sig) = parsed.signatures.first() {
            self.sigs.push(SigCheck {
                pos: seq * 2 + 1,
                msg: Message::Owned(parsed.text),
                sig: *sig,
                key: k,
            });
        }
        Ok(())
    }

    /// Log position of the first bad signature queued for `chunk`, if any: one batch
    /// verification, and single `verify_strict` checks, in log order, only when it fails.
    fn first_bad_signature(&self, chunk: &Chunk) -> Option<u64> {
        if self.sigs.is_empty() {
            return None;
        }
        let msgs: Vec<&[u8]> = self.sigs.iter().map(|c| c.msg.bytes(chunk)).collect();
        let sigs: Vec<Signature> = self.sigs.iter().map(|c| c.sig).collect();
        let keys: Vec<VerifyingKey> = self.sigs.iter().map(|c| self.keys[c.key].key).collect();
        if ed25519_dalek::verify_batch(&msgs, &sigs, &keys).is_ok() {
            return None;
        }
        self.sigs
            .iter()
            .find(|c| {
                let key = &self.keys[c.key].key;
                key.verify_strict(c.msg.bytes(chunk), &c.sig).is_err()
            })
            .map(|c| c.pos)
    }
}

impl Message {
    fn bytes<'c>(&'c self, chunk: &'c Chunk) -> &'c [u8] {
        match self {
            Message::Entry(m) => m,
            Message::InChunk(r) => &chunk.bytes[r.clone()],
            Message::Owned(m) => m,
        }
    }
}
