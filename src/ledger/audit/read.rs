//! The audit's one sequential part: stepping through the three tables in log order on one
//! connection (one consistent snapshot) and cutting them into chunks of raw rows.
//!
//! The reader checks only what needs the rows' order — that every entry, stored hash and
//! checkpoint is present at its place — and decodes nothing; the workers in [`super::check`]
//! do the rest. It also follows the stored tree's frontier, so that each chunk carries the
//! frontier it starts from and can be checked without the chunks before it.

use super::AuditFailure;
use crate::ledger::column_bytes;
use crate::ledger::tree::{self, Frontier, Hash, MemHashes};
use rusqlite::{Connection, Row, Rows};
use std::ops::Range;

/// Bytes of rows per chunk at most (a chunk ends early when it reaches this): with a few
/// chunks per core in flight, it bounds the audit's memory on ledgers with huge rows.
pub(super) const MAX_CHUNK_BYTES: usize = 8 << 20;

/// Consecutive entries as stored, undecoded: all a worker needs to check them.
pub(super) struct Chunk {
    /// Place of the chunk in the log (0, 1, 2, …): outcomes are combined in this order.
    pub index: usize,
    /// Sequence number of the first entry.
    pub first: u64,
    /// The stored tree's frontier before `first`, built from stored hashes; the chunks that
    /// wrote those hashes check them, so trusting them here proves nothing false (see
    /// [`super::run`]).
    pub frontier: Frontier,
    pub entries: Vec<RawEntry>,
    /// Byte ranges of the chunk's stored hash rows, in index order.
    pub hashes: Vec<Range<usize>>,
    /// Every column's bytes back to back: one buffer per chunk rather than one per column.
    pub bytes: Vec<u8>,
}

/// One entry's rows, as byte ranges into [`Chunk::bytes`].
#[derive(Default)]
pub(super) struct RawEntry {
    pub record: Range<usize>,
    pub leaf_hash: Range<usize>,
    pub signature: Range<usize>,
    pub report_digest: Range<usize>,
    pub policy_digest: Range<usize>,
    /// This entry's stored hash rows, as indexes into [`Chunk::hashes`].
    pub hashes: Range<usize>,
    pub note: Range<usize>,
    /// What is wrong with the rows themselves; the reader stops after this entry.
    pub stop: Option<Stop>,
}

/// A row missing, out of place or unreadable, and where it falls among the entry's checks
/// (which run in a fixed order), so that the entry's earlier checks are still made first.
pub(super) enum Stop {
    /// Before anything else of the entry: its own row.
    Entry(AuditFailure),
    /// After the stored hashes that are present ([`RawEntry::hashes`]).
    Hash(AuditFailure),
    /// After all of its hashes: its checkpoint row.
    Checkpoint(AuditFailure),
}

/// How the read ended.
pub(super) struct ReadEnd {
    /// Entries read without a [`Stop`].
    pub entries: u64,
    pub chunks: usize,
    /// Every stored hash read, in index order (the final root, the saved-checkpoint proof).
    pub mem: MemHashes,
    /// Rows left over after the last entry (only looked for when every entry was read).
    pub tail: Option<AuditFailure>,
    /// Whether the read stopped early, at a [`Stop`] or because a failure was already known.
    pub stopped: bool,
}

fn sql(e: rusqlite::Error) -> AuditFailure {
    AuditFailure::Ledger(e.into())
}

/// The three tables' row streams, stepped together.
struct Tables<'s> {
    entries: Rows<'s>,
    hashes: Rows<'s>,
    checkpoints: Rows<'s>,
}

/// Reads the whole log in chunks of `chunk_len` entries (fewer when their rows reach
/// [`MAX_CHUNK_BYTES`]), handing each to `send` (false: no
/// one is listening any more). Before each chunk, `known_failure_before(seq)` says whether a
/// failure earlier than entry `seq` is already known, in which case nothing later can change
/// the audit's answer and reading stops.
pub(super) fn read(
    conn: &Connection,
    chunk_len: usize,
    mut send: impl FnMut(Chunk) -> bool,
    known_failure_before: impl Fn(u64) -> bool,
) -> Result<ReadEnd, AuditFailure> {
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
    let mut tables = Tables {
        entries: entries.query([]).map_err(sql)?,
        hashes: hashes.query([]).map_err(sql)?,
        checkpoints: cps.query([]).map_err(sql)?,
    };

    let mut end = ReadEnd {
        entries: 0,
        chunks: 0,
        mem: MemHashes::default(),
        tail: None,
        stopped: false,
    };
    let mut frontier = Frontier::default();
    let mut last_len = 0;
    loop {
        if known_failure_before(end.entries) {
            end.stopped = true;
            break;
        }
        let mut chunk = Chunk {
            index: end.chunks,
            first: end.entries,
            frontier: frontier.clone(),
            entries: Vec::with_capacity(chunk_len),
            hashes: Vec::with_capacity(chunk_len * 2),
            // Sized like the previous chunk, which the next one usually resembles.
            bytes: Vec::with_capacity(last_len.min(MAX_CHUNK_BYTES)),
        };
        let filled = fill(&mut tables, &mut chunk, chunk_len, &mut frontier, &mut end);
        last_len = chunk.bytes.len();
        if chunk.entries.is_empty() {
            break;
        }
        end.chunks += 1;
        if !send(chunk) {
            end.stopped = true;
        }
        if filled != Filled::Full || end.stopped {
            break;
        }
    }
    if !end.stopped {
        end.tail = leftover_rows(&mut tables, end.entries).err();
    }
    Ok(end)
}

/// Why [`fill`] ended a chunk.
#[derive(PartialEq, Eq)]
enum Filled {
    /// It is full: more may follow.
    Full,
    /// The log has no more entries.
    LogEnd,
    /// Its last entry has a [`Stop`]: nothing more is read.
    Stop,
}

/// Reads entries into `chunk` until it is full, following the stored frontier and collecting
/// the stored hashes of every entry read whole.
fn fill(
    t: &mut Tables<'_>,
    chunk: &mut Chunk,
    chunk_len: usize,
    frontier: &mut Frontier,
    end: &mut ReadEnd,
) -> Filled {
    let mut stored = Vec::new();
    while chunk.entries.len() < chunk_len && chunk.bytes.len() < MAX_CHUNK_BYTES {
        let Some(entry) = read_entry(t, end.entries, chunk, &mut stored) else {
            return Filled::LogEnd;
        };
        let stop = entry.stop.is_some();
        chunk.entries.push(entry);
        if stop {
            end.stopped = true;
            return Filled::Stop;
        }
        frontier.push_stored(&stored);
        end.mem.0.extend_from_slice(&stored);
        end.entries += 1;
    }
    Filled::Full
}

/// Reads entry `seq`'s row, stored hashes and checkpoint, appending their bytes to `chunk`
/// and the stored hashes (as hashes) to `stored`. `None` when there are no more entries.
fn read_entry(
    t: &mut Tables<'_>,
    seq: u64,
    chunk: &mut Chunk,
    stored: &mut Vec<Hash>,
) -> Option<RawEntry> {
    let mut e = RawEntry::default();
    stored.clear();
    let row = match t.entries.next() {
        Ok(None) => return None,
        Ok(Some(row)) => row,
        Err(err) => {
            e.stop = Some(Stop::Entry(sql(err)));
            return Some(e);
        }
    };
    if let Err(failure) = entry_columns(row, seq, &mut e, &mut chunk.bytes) {
        e.stop = Some(Stop::Entry(failure));
        return Some(e);
    }

    let first_idx = tree::stored_hash_index(seq);
    let count = tree::stored_hash_index(seq + 1) - first_idx;
    let start = chunk.hashes.len();
    for idx in first_idx..first_idx + count {
        match hash_row(t, seq, idx, &mut chunk.bytes) {
            Ok(range) => {
                let hash = tree::hash_from_slice(&chunk.bytes[range.clone()]);
                // A malformed stored hash stands in as zeros: the chunk owning it fails first.
                stored.push(hash.unwrap_or(Hash([0; tree::HASH_SIZE])));
                chunk.hashes.push(range);
            }
            Err(failure) => {
                e.hashes = start..chunk.hashes.len();
                e.stop = Some(Stop::Hash(failure));
                return Some(e);
            }
        }
    }
    e.hashes = start..chunk.hashes.len();

    match checkpoint_row(t, seq + 1, &mut chunk.bytes) {
        Ok(range) => e.note = range,
        Err(failure) => e.stop = Some(Stop::Checkpoint(failure)),
    }
    Some(e)
}

fn entry_columns(
    row: &Row<'_>,
    seq: u64,
    e: &mut RawEntry,
    bytes: &mut Vec<u8>,
) -> Result<(), AuditFailure> {
    let row_seq: i64 = row.get(0).map_err(sql)?;
    if row_seq != seq as i64 {
        return Err(AuditFailure::Entry {
            seq,
            what: format!("missing (the next stored entry has sequence number {row_seq})"),
        });
    }
    e.record = push_column(row, 1, bytes)?;
    e.leaf_hash = push_column(row, 2, bytes)?;
    e.signature = push_column(row, 3, bytes)?;
    e.report_digest = push_column(row, 4, bytes)?;
    e.policy_digest = push_column(row, 5, bytes)?;
    Ok(())
}

/// The stored hash row `idx`, which entry `seq` wrote.
fn hash_row(
    t: &mut Tables<'_>,
    seq: u64,
    idx: u64,
    bytes: &mut Vec<u8>,
) -> Result<Range<usize>, AuditFailure> {
    let missing = |what: String| AuditFailure::Entry { seq, what };
    let Some(row) = t.hashes.next().map_err(sql)? else {
        return Err(missing(format!("stored tree hash {idx} is missing")));
    };
    let got: i64 = row.get(0).map_err(sql)?;
    if got != idx as i64 {
        return Err(missing(format!(
            "stored tree hash {idx} is missing (next stored index is {got})"
        )));
    }
    push_column(row, 1, bytes)
}

/// The checkpoint row of tree size `size`.
fn checkpoint_row(
    t: &mut Tables<'_>,
    size: u64,
    bytes: &mut Vec<u8>,
) -> Result<Range<usize>, AuditFailure> {
    let missing = |what: String| AuditFailure::Checkpoint { size, what };
    let Some(row) = t.checkpoints.next().map_err(sql)? else {
        return Err(missing("missing".into()));
    };
    let got: i64 = row.get(0).map_err(sql)?;
    if got != size as i64 {
        return Err(missing(format!(
            "missing (next stored checkpoint has size {got})"
        )));
    }
    push_column(row, 1, bytes)
}

/// Appends column `i`'s bytes to `bytes` and returns where they are.
fn push_column(row: &Row<'_>, i: usize, bytes: &mut Vec<u8>) -> Result<Range<usize>, AuditFailure> {
    let start = bytes.len();
    bytes.extend_from_slice(&column_bytes(row, i).map_err(sql)?);
    Ok(start..bytes.len())
}

/// Stored hashes or checkpoints beyond the last of `n` entries: what a truncation that kept
/// the other tables would leave.
fn leftover_rows(t: &mut Tables<'_>, n: u64) -> Result<(), AuditFailure> {
    if let Some(row) = t.hashes.next().map_err(sql)? {
        let idx: i64 = row.get(0).map_err(sql)?;
        return Err(AuditFailure::Structure {
            what: format!(
                "stored tree hash {idx} belongs to no entry (entries after {n} removed?)"
            ),
        });
    }
    if let Some(row) = t.checkpoints.next().map_err(sql)? {
        let size: i64 = row.get(0).map_err(sql)?;
        return Err(AuditFailure::Checkpoint {
            size: u64::try_from(size).unwrap_or(0),
            what: format!("the ledger has only {n} entries"),
        });
    }
    Ok(())
}
