//! `verdict ledger verify`: recompute everything the ledger stores and check every signature.
//!
//! One thread reads the three tables in log order ([`read`]) and cuts them into chunks of raw
//! rows; every core checks whole chunks ([`check`]): each record, leaf hash, stored tree hash
//! and checkpoint root, then one batch verification of the chunk's signatures (entry and
//! checkpoint), re-checked one signature at a time only when the batch fails.
//!
//! Chunks are independent because each starts from the frontier of the *stored* tree (the
//! stored hashes of its maximal complete subtrees). That proves as much as one sequential
//! replay: if the replay's first problem is at entry `s`, every stored hash before `s` is
//! right, so the chunk holding `s` starts from the replay's own frontier and finds the same
//! problem; chunks before it find none, and whatever chunks after it find comes later in the
//! log. The earliest failure in log order is reported, as one pass would have found it: entry
//! `n`, then the checkpoint of size `n + 1`.

mod check;
mod read;

use super::LedgerError;
use super::checkpoint;
use super::tree::{self, MemHashes};
use check::{Checker, ChunkOutcome};
use ed25519_dalek::VerifyingKey;
use read::{Chunk, ReadEnd};
use rusqlite::Connection;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

/// Entries per chunk at most: 2 048 signatures per batch verification, past the point where
/// its cost per signature stops falling, while the last chunk still ends soon after the others.
const MAX_CHUNK: usize = 1024;

/// Entries per chunk at least, so that short ledgers still spread over the cores.
const MIN_CHUNK: usize = 16;

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

/// Audits the ledger on `conn`: every check in the module comment, on every entry; `Ok` only
/// when all of them pass (and the saved checkpoint, if any, is consistent with the ledger).
pub fn run(
    conn: &Connection,
    origin: &str,
    opts: &AuditOptions,
) -> Result<super::AuditOk, AuditFailure> {
    let total: i64 = conn
        .query_row("SELECT COUNT(*) FROM entries", [], |r| r.get(0))
        .map_err(sql)?;
    let total = u64::try_from(total).unwrap_or(0);
    let bar = progress_bar(opts.progress, total);
    let threads = opts
        .threads
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1)
        .max(1);
    let (read, mut outcomes) =
        read_and_check(conn, origin, opts, threads, chunk_len(total, threads), &bar);
    bar.finish_and_clear();
    let read = read?;
    outcomes.sort_by_key(|o| o.index);
    first_failure(&mut outcomes, read.tail)?;
    // No failure: then every chunk was read and checked (a defence against losing one).
    if read.stopped || outcomes.len() != read.chunks || outcomes.iter().any(|o| !o.checked) {
        return Err(AuditFailure::Structure {
            what: "internal error: the audit ended without checking every entry".into(),
        });
    }
    let n = read.entries;
    let mut signers: Vec<VerifyingKey> = Vec::new();
    for key in outcomes.iter().flat_map(|o| &o.signers) {
        if !signers.contains(key) {
            signers.push(*key);
        }
    }
    let root = tree::tree_hash(n, &read.mem).map_err(LedgerError::from)?;
    let mut saved_checkpoint_size = None;
    if let Some(text) = &opts.saved_checkpoint {
        saved_checkpoint_size = Some(check_saved(
            text, origin, opts, &signers, &read.mem, n, root,
        )?);
    }
    Ok(AuditOk {
        entries: n,
        checkpoints: n,
        root: root.to_string(),
        saved_checkpoint_size,
    })
}

fn progress_bar(show: bool, total: u64) -> indicatif::ProgressBar {
    let bar = if show {
        indicatif::ProgressBar::new(total)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("verifying");
    bar
}

/// Entries per chunk: a few chunks per core on short ledgers, [`MAX_CHUNK`] on long ones.
fn chunk_len(total: u64, threads: usize) -> usize {
    let per_core = total / (threads as u64 * 4);
    usize::try_from(per_core)
        .unwrap_or(MAX_CHUNK)
        .clamp(MIN_CHUNK, MAX_CHUNK)
}

/// Reads on this thread while `threads` workers check the chunks as they come. Once a
/// failure is known, chunks that start after it are neither read nor checked: nothing in
/// them could be reported instead.
fn read_and_check(
    conn: &Connection,
    origin: &str,
    opts: &AuditOptions,
    threads: usize,
    chunk_len: usize,
    bar: &indicatif::ProgressBar,
) -> (Result<ReadEnd, AuditFailure>, Vec<ChunkOutcome>) {
    let earliest = AtomicU64::new(u64::MAX);
    let known_before = |seq: u64| earliest.load(Ordering::Relaxed) < seq.saturating_mul(2);
    // Bounded, so the reader runs at most two chunks per worker ahead.
    let (tx, rx) = mpsc::sync_channel::<Chunk>(threads * 2);
    // Shared by the workers only: if they all end early (a panic), the channel closes and the
    // reader stops instead of waiting forever for room in it.
    let rx = Arc::new(Mutex::new(rx));
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (rx, earliest, known_before) = (Arc::clone(&rx), &earliest, &known_before);
                s.spawn(move || {
                    let checker = Checker::new(origin, &opts.trusted);
                    work(checker, &rx, earliest, known_before, bar)
                })
            })
            .collect();
        drop(rx);
        let read = read::read(conn, chunk_len, |c| tx.send(c).is_ok(), known_before);
        drop(tx);
        let outcomes = workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect();
        (read, outcomes)
    })
}

/// One worker: checks chunks until the reader is done, publishing where it found a failure
/// so that chunks after it are skipped.
fn work(
    mut checker: Checker<'_>,
    rx: &Mutex<mpsc::Receiver<Chunk>>,
    earliest: &AtomicU64,
    known_before: impl Fn(u64) -> bool,
    bar: &indicatif::ProgressBar,
) -> Vec<ChunkOutcome> {
    let mut outcomes = Vec::new();
    while let Some(chunk) = next_chunk(rx) {
        let entries = chunk.entries.len() as u64;
        let outcome = if known_before(chunk.first) {
            ChunkOutcome::skipped(chunk.index)
        } else {
            checker.check(chunk)
        };
        let found = [
            outcome.structural.as_ref().map(AuditFailure::position),
            outcome.bad_signature,
        ];
        for pos in found.into_iter().flatten() {
            earliest.fetch_min(pos, Ordering::Relaxed);
        }
        outcomes.push(outcome);
        bar.inc(entries);
    }
    outcomes
}

fn next_chunk(rx: &Mutex<mpsc::Receiver<Chunk>>) -> Option<Chunk> {
    rx.lock().ok()?.recv().ok()
}

/// The audit's answer from the chunks' outcomes (in log order) and the rows after the last
/// entry: the earliest problem in log order, where a structural problem wins over a bad
/// signature at the same place (the one pass checked the entry before its signature).
fn first_failure(
    outcomes: &mut [ChunkOutcome],
    tail: Option<AuditFailure>,
) -> Result<(), AuditFailure> {
    let structural = outcomes
        .iter_mut()
        .find_map(|o| o.structural.take())
        .or(tail);
    let bad_sig = outcomes
        .iter()
        .filter_map(|o| o.bad_signature)
        .min()
        .map(failure_at);
    match (structural, bad_sig) {
        (Some(s), Some(b)) => Err(if b.position() < s.position() { b } else { s }),
        (Some(s), None) | (None, Some(s)) => Err(s),
        (None, None) => Ok(()),
    }
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
