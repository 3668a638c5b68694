-- verdict ledger, schema version 1. Loaded by src/ledger/store.rs with include_str!.
-- Formats of every column are documented byte for byte in ledger/README.md.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- One row per appended verdict; seq is the 0-based leaf index in the Merkle tree.
CREATE TABLE entries (
    seq           INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 0),
    record        BLOB NOT NULL,   -- canonical JSON of the record (UTF-8)
    leaf_hash     BLOB NOT NULL,   -- SHA-256(0x00 || record), 32 bytes
    signature     BLOB NOT NULL,   -- ed25519 over "verdict/ledger/entry/v1\n" || leaf_hash, 64 bytes
    report_digest TEXT NOT NULL,   -- copy of record.report.digest, for lookups
    policy_digest TEXT NOT NULL    -- copy of record.policy.digest, for lookups
) STRICT;
CREATE INDEX entries_by_digest ON entries (report_digest, policy_digest, seq);

-- Merkle tree hashes in Go tlog's stored-hash order (tlog_tiles::tlog::stored_hash_index).
CREATE TABLE hashes (
    idx  INTEGER PRIMARY KEY NOT NULL CHECK (idx >= 0),
    hash BLOB NOT NULL             -- 32 bytes
) STRICT;

-- The signed C2SP tlog-checkpoint written by the append that made the tree `size` leaves big.
CREATE TABLE checkpoints (
    size INTEGER PRIMARY KEY NOT NULL CHECK (size > 0),
    note TEXT NOT NULL             -- signed note: checkpoint body, blank line, signature lines
) STRICT;

-- Append-only: every UPDATE and DELETE aborts, and an INSERT may only extend the log
-- (which also stops INSERT OR REPLACE from deleting a row behind the triggers' back).
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'verdict ledger is append-only: UPDATE on entries is forbidden'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'verdict ledger is append-only: DELETE on entries is forbidden'); END;
CREATE TRIGGER entries_append_only BEFORE INSERT ON entries
WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq) + 1, 0) FROM entries)
BEGIN SELECT RAISE(ABORT, 'verdict ledger is append-only: entries must be inserted at the next sequence number'); END;

CREATE TRIGGER hashes_no_update BEFORE UPDATE ON hashes
BEGIN SELECT RAISE(ABORT, 'verdict ledger is append-only: UPDATE on hashes is forbidden'); END;
CREATE TRIGGER hashes_no_delete BEFORE DELETE ON hashes
BEGIN SELECT RAISE(ABORT, 'verdict ledger is append-only: DELETE on hashes is forbidden'); END;
CREATE TRIGGER hashes_append_only BEFORE INSERT ON hashes
WHEN NEW.idx IS NOT (SELECT COALESCE(MAX(idx) + 1, 0) FROM hashes)
BEGIN SELECT RAISE(ABORT, 'verdict ledger is append-only: hashes must be inserted at the next index'); END;

CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'verdict ledger is append-only: UPDATE on checkpoints is forbidden'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'verdict ledger is append-only: DELETE on checkpoints is forbidden'); END;
CREATE TRIGGER checkpoints_append_only BEFORE INSERT ON checkpoints
WHEN NEW.size IS NOT (SELECT COALESCE(MAX(size) + 1, 1) FROM checkpoints)
BEGIN SELECT RAISE(ABORT, 'verdict ledger is append-only: checkpoints must be inserted at the next size'); END;
