//! The append-only ledger of signed verdicts.
//!
//! Every verdict becomes one entry: a canonical-JSON [`record::Record`], its RFC 6962 leaf
//! hash in a Merkle tree whose hashes are stored in Go tlog's layout, the verifier's ed25519
//! signature over the leaf, and a C2SP checkpoint signed as a note for the new tree size.
//! `ledger/README.md` documents every byte; [`audit`] re-checks all of it.
//!
//! Modules follow the format's concepts: [`record`] (what an entry says), [`tree`] (leaf and
//! node hashing, proofs), [`checkpoint`] (signed tree heads), [`store`] (SQLite), [`proof`]
//! (exported inclusion proofs), [`audit`] (end-to-end verification). Key files are read by
//! [`crate::attest::keys`], the one loader for every command.

pub mod audit;
pub mod checkpoint;
pub mod proof;
pub mod record;
pub mod store;
pub mod tree;

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use record::{Record, RecordError, RecordInput};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use tree::{Hash, SqlHashes};

pub use audit::{AuditFailure, AuditOk, AuditOptions};
pub use checkpoint::CheckpointError;
pub use proof::InclusionProof;

/// Environment variable naming the ledger file when `--ledger` is not given.
pub const LEDGER_ENV: &str = "VERDICT_LEDGER";

/// Default ledger location, relative to the working directory.
pub const DEFAULT_PATH: &str = "ledger/verdicts.db";

/// Everything that can go wrong opening or using a ledger (as opposed to what an audit finds).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LedgerError {
    #[error("ledger database error: {0}")]
    #[diagnostic(
        code(ledger::sqlite),
        help("check the path and that the file is a verdict ledger")
    )]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot access {path}: {source}")]
    #[diagnostic(code(ledger::io), help("check the path and its permissions"))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no ledger at {0}")]
    #[diagnostic(
        code(ledger::not_found),
        help("pass --ledger PATH or set VERDICT_LEDGER; `verdict verify --record` creates one")
    )]
    NotFound(PathBuf),
    #[error("ledger schema version {found} is newer than this verdict supports ({supported})")]
    #[diagnostic(
        code(ledger::newer_schema),
        help("upgrade verdict; an older build must not write to a newer ledger")
    )]
    NewerSchema { found: u32, supported: u32 },
    #[error("ledger is corrupt: {0}")]
    #[diagnostic(
        code(ledger::corrupt),
        help("run `verdict ledger verify` for a full audit")
    )]
    Corrupt(String),
    #[error("Merkle tree error: {0}")]
    #[diagnostic(
        code(ledger::tree),
        help("run `verdict ledger verify` for a full audit")
    )]
    Tree(String),
    #[error("checkpoint: {0}")]
    #[diagnostic(
        code(ledger::checkpoint),
        help("a checkpoint is the signed note `verdict ledger checkpoint` prints")
    )]
    Checkpoint(#[from] CheckpointError),
    #[error("record: {0}")]
    #[diagnostic(
        code(ledger::record),
        help("run `verdict ledger verify` for a full audit")
    )]
    Record(#[from] RecordError),
    #[error("the ledger has no entry {0}")]
    #[diagnostic(
        code(ledger::no_entry),
        help("`verdict ledger log` lists the sequence numbers")
    )]
    NoSuchEntry(u64),
    #[error("invalid proof file: {0}")]
    #[diagnostic(
        code(ledger::proof_file),
        help("a proof file is what `verdict ledger proof SEQ` prints")
    )]
    ProofFile(String),
}

impl From<tlog_tiles::tlog::Error> for LedgerError {
    fn from(e: tlog_tiles::tlog::Error) -> Self {
        LedgerError::Tree(e.to_string())
    }
}

/// Where the ledger lives when no `--ledger` was given: `$VERDICT_LEDGER`, else
/// `ledger/verdicts.db` under the working directory.
pub fn default_path() -> PathBuf {
    match std::env::var_os(LEDGER_ENV) {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(DEFAULT_PATH),
    }
}

/// What an append produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    /// Sequence number (0-based leaf index) of the new entry.
    pub seq: u64,
    /// The signed checkpoint for the tree that now ends with this entry.
    pub checkpoint_text: String,
}

/// One stored entry, as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub seq: u64,
    /// The canonical record bytes (the leaf data).
    pub record_bytes: Vec<u8>,
    pub record: Record,
    pub leaf_hash: [u8; 32],
    pub signature: [u8; 64],
}

impl Entry {
    /// The entry as one JSON object (for `ledger show`, `log --format json`, `export`).
    pub fn to_json(&self) -> serde_json::Value {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD;
        serde_json::json!({
            "seq": self.seq,
            "leaf_hash": b64.encode(self.leaf_hash),
            "signature": b64.encode(self.signature),
            "record": serde_json::to_value(&self.record).unwrap_or(serde_json::Value::Null),
        })
    }
}

/// A gate decision that lets the deployment through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateOk {
    pub seq: u64,
    /// The checkpoint the entry was proven included in.
    pub checkpoint_size: u64,
    /// `ed25519:<base64>` of the verifier that signed the pass.
    pub verifier: String,
}

/// Why the gate stays closed; each says which of the gate's conditions is missing.
#[derive(Debug, thiserror::Error)]
pub enum GateFailure {
    #[error("the ledger holds no verdict for report {report_digest} under policy {policy_digest}")]
    NoRecord {
        report_digest: String,
        policy_digest: String,
    },
    #[error("the latest verdict for this report and policy (entry {seq}) is {verdict}, not pass")]
    NotPass { seq: u64, verdict: String },
    #[error("entry {seq} is signed by {verifier}, which is not a trusted verifier key")]
    Untrusted { seq: u64, verifier: String },
    #[error("entry {seq}: {what}")]
    BadEntry { seq: u64, what: String },
    #[error("entry {seq} is not included in a valid checkpoint: {what}")]
    NotIncluded { seq: u64, what: String },
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

impl GateFailure {
    /// Exit code: 1 for a closed gate, 2 when the ledger could not be read at all.
    pub fn exit(&self) -> crate::exit::Exit {
        match self {
            GateFailure::Ledger(_) => crate::exit::Exit::Error,
            _ => crate::exit::Exit::Fail,
        }
    }
}

/// An open ledger database.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
    origin: String,
}

impl Ledger {
    /// Opens an existing ledger; never creates one (reading commands, gate, audit).
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        let conn = store::open_existing(path)?;
        let origin = store::origin(&conn)?;
        Ok(Ledger {
            conn,
            path: path.to_path_buf(),
            origin,
        })
    }

    /// Opens a ledger, creating it (and its parent directory) with the default origin.
    pub fn open_or_create(path: &Path) -> Result<Ledger, LedgerError> {
        Self::open_or_create_with_origin(path, checkpoint::DEFAULT_ORIGIN)
    }

    /// As [`Ledger::open_or_create`]; `origin` names the log in its checkpoints when the
    /// ledger is created (an existing ledger keeps its own).
    pub fn open_or_create_with_origin(path: &Path, origin: &str) -> Result<Ledger, LedgerError> {
        if !signed_note::is_key_name_valid(origin) {
            return Err(LedgerError::Checkpoint(CheckpointError::Origin {
                found: origin.to_string(),
                expected: "a non-empty name without spaces or '+'".to_string(),
            }));
        }
        let conn = store::open_or_create(path, origin)?;
        let origin = store::origin(&conn)?;
        Ok(Ledger {
            conn,
            path: path.to_path_buf(),
            origin,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The checkpoint origin line of this log.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Direct access for tests and benches that need to play the attacker.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Number of entries.
    pub fn size(&self) -> Result<u64, LedgerError> {
        size_of(&self.conn)
    }

    /// Appends one signed verdict record, its tree hashes and a new signed checkpoint in one
    /// `BEGIN IMMEDIATE` transaction: all of it is durable when this returns, or none of it.
    pub fn append(
        &mut self,
        input: &RecordInput,
        key: &SigningKey,
    ) -> Result<Appended, LedgerError> {
        let (conn, origin) = (&mut self.conn, &self.origin);
        store::retry_busy(|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let appended = append_in(&tx, origin, input, key)?;
            tx.commit()?;
            Ok(appended)
        })
    }

    /// Appends many records in one transaction (bulk loads: imports, benches). Each entry is
    /// exactly what [`Ledger::append`] would have written, checkpoints included.
    pub fn append_many(
        &mut self,
        inputs: &[RecordInput],
        key: &SigningKey,
    ) -> Result<Vec<Appended>, LedgerError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out = Vec::with_capacity(inputs.len());
        for input in inputs {
            out.push(append_in(&tx, &self.origin, input, key)?);
        }
        tx.commit()?;
        Ok(out)
    }

    /// The entry at `seq`, parsed (fails if its record is not a valid canonical record).
    pub fn entry(&self, seq: u64) -> Result<Option<Entry>, LedgerError> {
        let Ok(s) = i64::try_from(seq) else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, record, leaf_hash, signature FROM entries WHERE seq = ?1",
        )?;
        let row = stmt.query_row([s], raw_entry).optional()?;
        row.map(parse_entry).transpose()
    }

    /// Calls `f` for every entry in sequence order, from `from` on (log, export).
    pub fn for_each_entry(
        &self,
        from: u64,
        mut f: impl FnMut(Entry) -> Result<(), LedgerError>,
    ) -> Result<(), LedgerError> {
        let from = i64::try_from(from).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare(
            "SELECT seq, record, leaf_hash, signature FROM entries WHERE seq >= ?1 ORDER BY seq",
        )?;
        let mut rows = stmt.query([from])?;
        while let Some(row) = rows.next()? {
            f(parse_entry(raw_entry(row)?)?)?;
        }
        Ok(())
    }

    /// The latest entry recorded for this report digest under this policy digest: what the
    /// `ledger.replay` rule names. One index lookup, without reading any record, so `verify
    /// --record` stays constant-time however often the same report was recorded before.
    pub fn latest_verdict_seq(
        &self,
        report_digest: &str,
        policy_digest: &str,
    ) -> Result<Option<u64>, LedgerError> {
        let seq: Option<i64> = store::retry_busy(|| {
            Ok(self.conn.query_row(
                "SELECT MAX(seq) FROM entries WHERE report_digest = ?1 AND policy_digest = ?2",
                [report_digest, policy_digest],
                |r| r.get(0),
            )?)
        })?;
        seq.map(|s| u64::try_from(s).map_err(|_| LedgerError::Corrupt(format!("negative seq {s}"))))
            .transpose()
    }

    /// All verdicts recorded for this report digest under this policy digest, oldest first.
    pub fn find_verdicts(
        &self,
        report_digest: &str,
        policy_digest: &str,
    ) -> Result<Vec<Entry>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, record, leaf_hash, signature FROM entries
             WHERE report_digest = ?1 AND policy_digest = ?2 ORDER BY seq",
        )?;
        let rows = stmt
            .query_map([report_digest, policy_digest], raw_entry)?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(parse_entry).collect()
    }

    /// The latest signed checkpoint (what to save, e.g. commit to git), if any entry exists.
    pub fn latest_checkpoint(&self) -> Result<Option<String>, LedgerError> {
        let note: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT CAST(note AS BLOB) FROM checkpoints ORDER BY size DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        note.map(|n| {
            String::from_utf8(n).map_err(|_| LedgerError::Corrupt("checkpoint is not UTF-8".into()))
        })
        .transpose()
    }

    /// Root hash of the tree of the first `size` entries, from the stored hashes.
    pub fn root_at(&self, size: u64) -> Result<Hash, LedgerError> {
        Ok(tree::tree_hash(size, &SqlHashes(&self.conn))?)
    }

    /// Inclusion proof of entry `seq` against the latest checkpoint; reads O(log n) hashes.
    pub fn prove_inclusion(&self, seq: u64) -> Result<InclusionProof, LedgerError> {
        let entry = self.entry(seq)?.ok_or(LedgerError::NoSuchEntry(seq))?;
        let checkpoint = self
            .latest_checkpoint()?
            .ok_or(LedgerError::NoSuchEntry(seq))?;
        let body = checkpoint_size(&checkpoint)?;
        let hashes = tree::prove_inclusion(body, seq, &SqlHashes(&self.conn))?;
        Ok(InclusionProof::new(&entry, body, &hashes, checkpoint))
    }

    /// Consistency proof from the tree of `old_size` entries to the current tree.
    pub fn prove_consistency(&self, old_size: u64) -> Result<Vec<Hash>, LedgerError> {
        let size = self.size()?;
        Ok(tree::prove_consistency(
            size,
            old_size,
            &SqlHashes(&self.conn),
        )?)
    }

    /// The deployment gate: Ok only if the latest verdict for exactly this report digest and
    /// policy digest is a pass, its entry is intact and signed by a `trusted` key, and it is
    /// provably included in the latest checkpoint, itself signed by a `trusted` key.
    pub fn gate(
        &self,
        report_digest: &str,
        policy_digest: &str,
        trusted: &[VerifyingKey],
    ) -> Result<GateOk, GateFailure> {
        let latest = self
            .conn
            .query_row(
                "SELECT seq, record, leaf_hash, signature FROM entries
                 WHERE report_digest = ?1 AND policy_digest = ?2 ORDER BY seq DESC LIMIT 1",
                [report_digest, policy_digest],
                raw_entry,
            )
            .optional()
            .map_err(LedgerError::from)?;
        let Some(raw) = latest else {
            return Err(GateFailure::NoRecord {
                report_digest: report_digest.to_string(),
                policy_digest: policy_digest.to_string(),
            });
        };
        let seq = raw.seq;
        let entry = parse_entry(raw).map_err(|e| GateFailure::BadEntry {
            seq,
            what: e.to_string(),
        })?;
        let bad = |what: &str| GateFailure::BadEntry {
            seq,
            what: what.to_string(),
        };
        if entry.record.report.digest != report_digest
            || entry.record.policy.digest != policy_digest
        {
            return Err(bad(
                "its record names another report or policy than its index columns",
            ));
        }
        if entry.record.verdict != crate::verdict::Outcome::Pass {
            return Err(GateFailure::NotPass {
                seq,
                verdict: entry.record.verdict.as_str().to_string(),
            });
        }
        let leaf = tree::leaf_hash(&entry.record_bytes);
        if leaf.0 != entry.leaf_hash {
            return Err(bad("stored leaf hash does not match the record"));
        }
        let verifier = entry
            .record
            .verifier_key()
            .map_err(|e| bad(&e.to_string()))?;
        if !trusted.contains(&verifier) {
            return Err(GateFailure::Untrusted {
                seq,
                verifier: entry.record.verifier.clone(),
            });
        }
        verifier
            .verify_strict(
                &tree::entry_message(&leaf),
                &Signature::from_bytes(&entry.signature),
            )
            .map_err(|_| bad("the entry signature does not verify"))?;
        let not_included = |what: String| GateFailure::NotIncluded { seq, what };
        let note = self
            .latest_checkpoint()?
            .ok_or_else(|| not_included("the ledger has no checkpoint".into()))?;
        let cp = checkpoint::verify(note.as_bytes(), &self.origin, trusted)
            .map_err(|e| not_included(format!("latest checkpoint: {e}")))?;
        let proof = tree::prove_inclusion(cp.size, seq, &SqlHashes(&self.conn))
            .map_err(|e| not_included(format!("no inclusion proof: {e}")))?;
        tree::check_inclusion(&proof, cp.size, cp.root_hash(), seq, leaf).map_err(|e| {
            not_included(format!(
                "inclusion proof against checkpoint {}: {e}",
                cp.size
            ))
        })?;
        Ok(GateOk {
            seq,
            checkpoint_size: cp.size,
            verifier: entry.record.verifier.clone(),
        })
    }

    /// Full audit; see [`audit`].
    pub fn audit(&self, options: &AuditOptions) -> Result<AuditOk, AuditFailure> {
        audit::run(&self.conn, &self.origin, options)
    }
}

fn size_of(conn: &Connection) -> Result<u64, LedgerError> {
    let next: i64 = conn.query_row("SELECT COALESCE(MAX(seq) + 1, 0) FROM entries", [], |r| {
        r.get(0)
    })?;
    u64::try_from(next).map_err(|_| LedgerError::Corrupt("negative sequence number".into()))
}

fn append_in(
    conn: &Connection,
    origin: &str,
    input: &RecordInput,
    key: &SigningKey,
) -> Result<Appended, LedgerError> {
    let seq = size_of(conn)?;
    let record = Record::new(input, seq, &key.verifying_key());
    let bytes = record.canonical_bytes();
    if bytes.len() > record::MAX_RECORD_BYTES {
        return Err(RecordError::TooLarge(bytes.len()).into());
    }
    let leaf = tree::leaf_hash(&bytes);
    let signature = key.sign(&tree::entry_message(&leaf));
    let reader = SqlHashes(conn);
    let stored = tlog_tiles::tlog::stored_hashes_for_record_hash(seq, leaf, &reader)?;
    let first = tree::stored_hash_index(seq);
    {
        let mut ins = conn.prepare_cached("INSERT INTO hashes (idx, hash) VALUES (?1, ?2)")?;
        for (i, h) in stored.iter().enumerate() {
            let idx = i64::try_from(first + i as u64)
                .map_err(|_| LedgerError::Corrupt("tree too large".into()))?;
            ins.execute(params![idx, &h.0[..]])?;
        }
    }
    let root = tree::tree_hash(seq + 1, &reader)?;
    let note = checkpoint::sign(origin, seq + 1, root, key)?;
    let s = i64::try_from(seq).map_err(|_| LedgerError::Corrupt("tree too large".into()))?;
    conn.prepare_cached(
        "INSERT INTO entries (seq, record, leaf_hash, signature, report_digest, policy_digest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        s,
        bytes,
        &leaf.0[..],
        &signature.to_bytes()[..],
        record.report.digest,
        record.policy.digest
    ])?;
    conn.prepare_cached("INSERT INTO checkpoints (size, note) VALUES (?1, ?2)")?
        .execute(params![s + 1, note])?;
    Ok(Appended {
        seq,
        checkpoint_text: note,
    })
}

/// Columns of an entry row, unparsed.
struct RawEntry {
    seq: u64,
    record: Vec<u8>,
    leaf_hash: Vec<u8>,
    signature: Vec<u8>,
}

fn raw_entry(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawEntry> {
    let seq: i64 = row.get(0)?;
    Ok(RawEntry {
        seq: u64::try_from(seq).unwrap_or(u64::MAX),
        record: bytes_of(row, 1)?,
        leaf_hash: bytes_of(row, 2)?,
        signature: bytes_of(row, 3)?,
    })
}

/// Column bytes whatever their storage class, so a tampered column is reported, not a type error.
pub(crate) fn bytes_of(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Vec<u8>> {
    Ok(column_bytes(row, i)?.into_owned())
}

/// [`bytes_of`] without the copy when the column is text or a blob (audits read every row).
pub(crate) fn column_bytes<'r>(
    row: &'r rusqlite::Row<'_>,
    i: usize,
) -> rusqlite::Result<std::borrow::Cow<'r, [u8]>> {
    use rusqlite::types::ValueRef;
    use std::borrow::Cow;
    Ok(match row.get_ref(i)? {
        ValueRef::Blob(b) | ValueRef::Text(b) => Cow::Borrowed(b),
        ValueRef::Integer(n) => Cow::Owned(n.to_string().into_bytes()),
        ValueRef::Real(f) => Cow::Owned(f.to_string().into_bytes()),
        ValueRef::Null => Cow::Borrowed(&[]),
    })
}

fn parse_entry(raw: RawEntry) -> Result<Entry, LedgerError> {
    let record = Record::parse(&raw.record)?;
    let leaf_hash: [u8; 32] = raw.leaf_hash.as_slice().try_into().map_err(|_| {
        LedgerError::Corrupt(format!("entry {}: leaf hash is not 32 bytes", raw.seq))
    })?;
    let signature: [u8; 64] = raw.signature.as_slice().try_into().map_err(|_| {
        LedgerError::Corrupt(format!("entry {}: signature is not 64 bytes", raw.seq))
    })?;
    Ok(Entry {
        seq: raw.seq,
        record_bytes: raw.record,
        record,
        leaf_hash,
        signature,
    })
}

fn checkpoint_size(note: &str) -> Result<u64, LedgerError> {
    let parsed = signed_note::Note::from_bytes(note.as_bytes())
        .map_err(|_| LedgerError::Checkpoint(CheckpointError::MalformedNote))?;
    let body = tlog_tiles::checkpoint::Checkpoint::from_bytes(parsed.text())
        .map_err(|_| LedgerError::Checkpoint(CheckpointError::MalformedBody))?;
    Ok(body.size())
}
