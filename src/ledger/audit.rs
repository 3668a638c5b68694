//! `verdict ledger verify`: recompute everything the ledger stores and check every signature.
//!
//! One sequential pass over the three tables (in sequence order) recomputes each leaf hash,
//! each stored tree hash and each checkpoint's root, and collects every signature check.
//! The signatures (one per entry, one per checkpoint) are then batch-verified on all cores;
//! a failed batch is re-checked one signature at a time to name the first bad one.
//! Failures are ordered the way the log is: entry `n`, then the checkpoint of size `n + 1`.

use super::checkpoint;
use super::record::Record;
use super::tree::{self, MemHashes};
use super::{LedgerError, bytes_of};
use ed25519_dalek::{Signature, VerifyingKey};
use rusqlite::Connection;

/// Signatures verified per `verify_batch` call: large enough to amortise, small enough that
/// locating a bad one by single verification stays cheap.
const BATCH: usize = 1024;

/// What to check besides the ledger's own consistency.
#[derive(Debug, Clone, Default)]
pub struct AuditOptions {
    /// When non-empty, every entry and checkpoint must be signed by one of these keys.
    pub trusted: Vec<VerifyingKey>,
    /// A checkpoint saved earlier: the ledger must still contain the tree it commits to.
    pub saved_checkpoint: Option<Vec<u8>>,
    /// Draw a progress bar (the CLI sets this only when stderr is a terminal).
    pub progress: bool,
    /// Verification threads; `None` uses every available core.
    pub threads: Option<usize>,
}

/// An intact ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditOk {
    pub entries: u64,
    pub checkpoints: u64,
    /// base64 root hash of the whole tree.
    pub root: String,
    /// Size of the saved checkpoint that was proven consistent, if one was given.
    pub saved_checkpoint_size: Option<u64>,
}

/// The first thing found wrong.
#[derive(Debug, thiserror::Error)]
pub enum AuditFailure {
    #[error("entry {seq}: {what}")]
    Entry { seq: u64, what: String },
    #[error("checkpoint at tree size {size} (written with entry {}): {what}", size.saturating_sub(1))]
    Checkpoint { size: u64, what: String },
    #[error("saved checkpoint: {what}")]
    SavedCheckpoint { what: String },
    #[error("ledger: {what}")]
    Structure { what: String },
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

impl AuditFailure {
    /// Position in log order, so the earliest of several problems is the one reported.
    fn position(&self) -> u64 {
        match self {
            AuditFailure::Entry { seq, .. } => seq.saturating_mul(2),
            AuditFailure::Checkpoint { size, .. } => size.saturating_sub(1).saturating_mul(2) + 1,
            _ => u64::MAX,
        }
    }
}

struct SigCheck {
    /// Log position (see [`AuditFailure::position`]).
    pos: u64,
    msg: Vec<u8>,
    sig: Signature,
    key: VerifyingKey,
}

fn failure_at(pos: u64) -> AuditFailure {
    if pos % 2 == 0 {
        AuditFailure::Entry {
            seq: pos / 2,
            what: "the entry signature does not verify".into(),
        }
    } else {
        AuditFailure::Checkpoint {
            size: pos / 2 + 1,
            what: "the checkpoint signature does not verify".into(),
        }
    }
}

fn sql(e: rusqlite::Error) -> AuditFailure {
    AuditFailure::Ledger(LedgerError::Sqlite(e))
}

pub fn run(
    conn: &Connection,
    origin: &str,
    opts: &AuditOptions,
) -> Result<super::AuditOk, AuditFailure> {
    let total: i64 = conn
        .query_row("SELECT COUNT(*) FROM entries", [], |r| r.get(0))
        .map_err(sql)?;
    let bar = if opts.progress {
        indicatif::ProgressBar::new(u64::try_from(total).unwrap_or(0) * 3)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("verifying");

    let threads = opts
        .threads
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1)
        .max(1);
    let mut mem = MemHashes::default();
    let mut signers: Vec<VerifyingKey> = Vec::new();
    // The scan runs on this thread and hands full batches of signature checks to `threads`
    // verifier threads as it goes, so recomputation and verification overlap.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<SigCheck>>(threads * 4);
    let rx = std::sync::Mutex::new(rx);
    let (structural, bad_sig) = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let rx = &rx;
                let bar = &bar;
                s.spawn(move || {
                    let mut first: Option<u64> = None;
                    loop {
                        let batch = match rx.lock() {
                            Ok(guard) => guard.recv(),
                            Err(_) => break,
                        };
                        let Ok(batch) = batch else { break };
                        if let Some(pos) = first_bad_in(&batch) {
                            first = Some(first.map_or(pos, |f| f.min(pos)));
                        }
                        bar.inc(batch.len() as u64);
                    }
                    first
                })
            })
            .collect();
        let mut pending: Vec<SigCheck> = Vec::with_capacity(BATCH);
        let mut sink = |c: SigCheck| {
            pending.push(c);
            if pending.len() == BATCH {
                let _ = tx.send(std::mem::replace(&mut pending, Vec::with_capacity(BATCH)));
            }
        };
        let structural = scan(conn, origin, opts, &mut mem, &mut sink, &mut signers, &bar);
        if !pending.is_empty() {
            let _ = tx.send(pending);
        }
        drop(tx);
        let bad = workers
            .into_iter()
            .filter_map(|w| w.join().ok().flatten())
            .min();
        (structural, bad)
    });
    bar.finish_and_clear();
    // The scan stops at its first problem and sends no later signatures: the earlier wins.
    let n = match (structural, bad_sig.map(failure_at)) {
        (Err(s), Some(b)) => return Err(if b.position() < s.position() { b } else { s }),
        (Err(s), None) => return Err(s),
        (Ok(_), Some(b)) => return Err(b),
        (Ok(n), None) => n,
    };
    let root = tree::tree_hash(n, &mem).map_err(LedgerError::from)?;
    let mut saved_checkpoint_size = None;
    if let Some(text) = &opts.saved_checkpoint {
        saved_checkpoint_size = Some(check_saved(text, origin, opts, &signers, &mem, n, root)?);
    }
    Ok(AuditOk {
        entries: n,
        checkpoints: n,
        root: root.to_string(),
        saved_checkpoint_size,
    })
}

/// The sequential pass. Returns the number of entries, or the first structural failure.
fn scan(
    conn: &Connection,
    origin: &str,
    opts: &AuditOptions,
    mem: &mut MemHashes,
    sink: &mut impl FnMut(SigCheck),
    signers: &mut Vec<VerifyingKey>,
    bar: &indicatif::ProgressBar,
) -> Result<u64, AuditFailure> {
    let mut entries = conn
        .prepare(
            "SELECT seq, record, leaf_hash, signature, report_digest, policy_digest
             FROM entries ORDER BY seq",
        )
        .map_err(sql)?;
    let mut hashes = conn
        .prepare("SELECT idx, hash FROM hashes ORDER BY idx")
        .map_err(sql)?;
    let mut cps = conn
        .prepare("SELECT size, note FROM checkpoints ORDER BY size")
        .map_err(sql)?;
    let mut entry_rows = entries.query([]).map_err(sql)?;
    let mut hash_rows = hashes.query([]).map_err(sql)?;
    let mut cp_rows = cps.query([]).map_err(sql)?;

    let mut keys: Vec<(String, VerifyingKey)> = Vec::new();
    let mut seq: u64 = 0;
    while let Some(row) = entry_rows.next().map_err(sql)? {
        let entry_fail = |what: String| AuditFailure::Entry { seq, what };
        let row_seq: i64 = row.get(0).map_err(sql)?;
        if row_seq != seq as i64 {
            return Err(entry_fail(format!(
                "missing (the next stored entry has sequence number {row_seq})"
            )));
        }
        let record_bytes = bytes_of(row, 1).map_err(sql)?;
        let record =
            Record::parse(&record_bytes).map_err(|e| entry_fail(format!("record: {e}")))?;
        if record.seq != seq {
            return Err(entry_fail(format!(
                "the record says it is entry {} (moved or swapped)",
                record.seq
            )));
        }
        let leaf = tree::leaf_hash(&record_bytes);
        if bytes_of(row, 2).map_err(sql)? != leaf.0 {
            return Err(entry_fail(
                "stored leaf hash does not match the record".into(),
            ));
        }
        if bytes_of(row, 4).map_err(sql)? != record.report.digest.as_bytes() {
            return Err(entry_fail(
                "report_digest column does not match the record".into(),
            ));
        }
        if bytes_of(row, 5).map_err(sql)? != record.policy.digest.as_bytes() {
            return Err(entry_fail(
                "policy_digest column does not match the record".into(),
            ));
        }
        let sig: [u8; 64] = bytes_of(row, 3)
            .map_err(sql)?
            .try_into()
            .map_err(|_| entry_fail("signature is not 64 bytes".into()))?;
        // Decompressing a key costs about as much as a signature check: once per distinct key.
        let key = match keys.iter().find(|(s, _)| *s == record.verifier) {
            Some((_, k)) => *k,
            None => {
                let k = record
                    .verifier_key()
                    .map_err(|e| entry_fail(format!("record: {e}")))?;
                if k.is_weak() {
                    return Err(entry_fail(
                        "the verifier key is a weak (small-order) key".into(),
                    ));
                }
                keys.push((record.verifier.clone(), k));
                k
            }
        };
        if !opts.trusted.is_empty() && !opts.trusted.contains(&key) {
            return Err(entry_fail(format!(
                "signed by {}, which is not a trusted key",
                record.verifier
            )));
        }
        if !signers.contains(&key) {
            signers.push(key);
        }
        sink(SigCheck {
            pos: seq * 2,
            msg: tree::entry_message(&leaf).to_vec(),
            sig: Signature::from_bytes(&sig),
            key,
        });

        // Stored hashes written by this append.
        let first = tree::stored_hash_index(seq);
        let new = mem
            .push_leaf(seq, leaf)
            .map_err(|e| entry_fail(format!("tree: {e}")))?;
        for (i, h) in new.iter().enumerate() {
            let idx = first + i as u64;
            let Some(hrow) = hash_rows.next().map_err(sql)? else {
                return Err(entry_fail(format!("stored tree hash {idx} is missing")));
            };
            let got_idx: i64 = hrow.get(0).map_err(sql)?;
            if got_idx != idx as i64 {
                return Err(entry_fail(format!(
                    "stored tree hash {idx} is missing (next stored index is {got_idx})"
                )));
            }
            if bytes_of(hrow, 1).map_err(sql)? != h.0 {
                return Err(entry_fail(format!(
                    "stored tree hash {idx} does not match the recomputed tree"
                )));
            }
        }

        // The checkpoint this append wrote.
        let size = seq + 1;
        let cp_fail = |what: String| AuditFailure::Checkpoint { size, what };
        let Some(crow) = cp_rows.next().map_err(sql)? else {
            return Err(cp_fail("missing".into()));
        };
        let got_size: i64 = crow.get(0).map_err(sql)?;
        if got_size != size as i64 {
            return Err(cp_fail(format!(
                "missing (next stored checkpoint has size {got_size})"
            )));
        }
        let note = bytes_of(crow, 1).map_err(sql)?;
        let parsed = checkpoint::parse(&note, origin, &key).map_err(|e| cp_fail(e.to_string()))?;
        if parsed.body.size() != size {
            return Err(cp_fail(format!("it says tree size {}", parsed.body.size())));
        }
        let root = tree::tree_hash(size, mem).map_err(|e| cp_fail(format!("tree: {e}")))?;
        if *parsed.body.hash() != root {
            return Err(cp_fail("its root hash does not match the entries".into()));
        }
        if !parsed.body.extension().is_empty() {
            return Err(cp_fail("unexpected extension lines".into()));
        }
        if let Some(sig) = parsed.signatures.first() {
            sink(SigCheck {
                pos: seq * 2 + 1,
                msg: parsed.text,
                sig: *sig,
                key,
            });
        }
        bar.inc(1);
        seq += 1;
    }
    if let Some(hrow) = hash_rows.next().map_err(sql)? {
        let idx: i64 = hrow.get(0).map_err(sql)?;
        return Err(AuditFailure::Structure {
            what: format!(
                "stored tree hash {idx} belongs to no entry (entries after {seq} removed?)"
            ),
        });
    }
    if let Some(crow) = cp_rows.next().map_err(sql)? {
        let size: i64 = crow.get(0).map_err(sql)?;
        return Err(AuditFailure::Checkpoint {
            size: u64::try_from(size).unwrap_or(0),
            what: format!("the ledger has only {seq} entries"),
        });
    }
    Ok(seq)
}

/// Log position of the first bad signature in a batch, if any: one batch verification, and
/// single `verify_strict` checks only when the batch fails.
fn first_bad_in(batch: &[SigCheck]) -> Option<u64> {
    let msgs: Vec<&[u8]> = batch.iter().map(|c| c.msg.as_slice()).collect();
    let sigs: Vec<Signature> = batch.iter().map(|c| c.sig).collect();
    let keys: Vec<VerifyingKey> = batch.iter().map(|c| c.key).collect();
    if ed25519_dalek::verify_batch(&msgs, &sigs, &keys).is_ok() {
        return None;
    }
    batch
        .iter()
        .find(|c| c.key.verify_strict(&c.msg, &c.sig).is_err())
        .map(|c| c.pos)
}

fn check_saved(
    text: &[u8],
    origin: &str,
    opts: &AuditOptions,
    signers: &[VerifyingKey],
    mem: &MemHashes,
    n: u64,
    root: tree::Hash,
) -> Result<u64, AuditFailure> {
    let fail = |what: String| AuditFailure::SavedCheckpoint { what };
    let keys = if opts.trusted.is_empty() {
        signers
    } else {
        &opts.trusted[..]
    };
    let cp = checkpoint::verify(text, origin, keys).map_err(|e| {
        fail(format!(
            "{e} ({})",
            if opts.trusted.is_empty() {
                "checked against the ledger's verifier keys"
            } else {
                "checked against the --trust keys"
            }
        ))
    })?;
    if cp.size > n {
        return Err(fail(format!(
            "it commits to {} entries but the ledger has {n}: entries {n}..{} were removed (truncated)",
            cp.size,
            cp.size - 1
        )));
    }
    let proof = tree::prove_consistency(n, cp.size, mem).map_err(|e| fail(format!("tree: {e}")))?;
    tree::check_consistency(&proof, cp.size, cp.root_hash(), n, root).map_err(|_| {
        fail(format!(
            "the ledger's first {} entries are not the ones it commits to (history rewritten or forked)",
            cp.size
        ))
    })?;
    Ok(cp.size)
}
