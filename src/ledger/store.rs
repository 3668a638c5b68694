//! SQLite storage: connection settings, the schema and its migrations.
//!
//! Durability settings are part of the format's promise: WAL so readers never block the
//! appender, `synchronous=FULL` so an append that returned survives power loss, a busy
//! timeout so concurrent `verdict verify --record` processes queue instead of failing, and
//! `BEGIN IMMEDIATE` (in `Ledger::append`) so two appenders never compute the same sequence
//! number.

use super::LedgerError;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::Path;
use std::time::Duration;

/// Schema version this build writes and understands.
pub const SCHEMA_VERSION: u32 = 1;

/// How long a writer waits for another writer's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// Migration `i` takes a database from version `i` to `i + 1`; version 0 is an empty file.
/// A future change appends its SQL here; old ledgers are upgraded on open, in one transaction.
pub const MIGRATIONS: &[&str] = &[include_str!("../../ledger/schema.sql")];

/// Runs `f` again while SQLite reports the database busy or locked. The busy timeout covers
/// most waits, but SQLite returns SQLITE_BUSY without waiting where waiting could deadlock
/// (e.g. two processes creating the same new database and switching it to WAL, or WAL
/// recovery after a crash). Every operation retried here is a whole transaction or a read, so
/// running it again is safe: nothing of a failed attempt was committed.
pub fn retry_busy<T>(mut f: impl FnMut() -> Result<T, LedgerError>) -> Result<T, LedgerError> {
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(2);
    loop {
        match f() {
            Err(LedgerError::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(100));
            }
            other => return other,
        }
    }
}

fn configure(conn: &Connection) -> Result<(), LedgerError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(LedgerError::Sqlite(rusqlite::Error::InvalidParameterName(
            format!("journal_mode is {mode}, WAL could not be enabled"),
        )));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

/// Opens an existing ledger (never creates one).
pub fn open_existing(path: &Path) -> Result<Connection, LedgerError> {
    if !path.exists() {
        return Err(LedgerError::NotFound(path.to_path_buf()));
    }
    retry_busy(|| open_existing_once(path))
}

fn open_existing_once(path: &Path) -> Result<Connection, LedgerError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn)?;
    migrate(&conn, None)?;
    Ok(conn)
}

/// Opens a ledger, creating the file, its parent directory and the schema when missing.
pub fn open_or_create(path: &Path, origin: &str) -> Result<Connection, LedgerError> {
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|source| LedgerError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
    }
    retry_busy(|| {
        let conn = Connection::open(path)?;
        configure(&conn)?;
        migrate(&conn, Some(origin))?;
        Ok(conn)
    })
}

/// The schema version recorded in the database (0 when it has no `meta` table yet).
pub fn schema_version(conn: &Connection) -> Result<u32, LedgerError> {
    let has_meta: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta')",
        [],
        |r| r.get(0),
    )?;
    if !has_meta {
        return Ok(0);
    }
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let v = v.ok_or_else(|| LedgerError::Corrupt("meta has no schema_version row".into()))?;
    v.parse()
        .map_err(|_| LedgerError::Corrupt(format!("meta schema_version {v:?} is not a number")))
}

/// Brings the schema to [`SCHEMA_VERSION`]. `origin` is `Some` when an empty database may be
/// initialised (it becomes the checkpoint origin); a newer schema is always an error.
fn migrate(conn: &Connection, origin: Option<&str>) -> Result<(), LedgerError> {
    let current = schema_version(conn)?;
    if current > SCHEMA_VERSION {
        return Err(LedgerError::NewerSchema {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    if current == SCHEMA_VERSION {
        return Ok(());
    }
    if current == 0 && origin.is_none() {
        return Err(LedgerError::Corrupt(
            "the database holds no ledger schema".into(),
        ));
    }
    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
    // Another process may have initialised or upgraded it while we waited for the lock.
    let current = schema_version(&tx)?;
    if current > SCHEMA_VERSION {
        return Err(LedgerError::NewerSchema {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    for (from, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.execute_batch(sql)?;
        if from == 0 {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('origin', ?1)",
                [origin.unwrap_or(super::checkpoint::DEFAULT_ORIGIN)],
            )?;
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [(from as u32 + 1).to_string()],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// The checkpoint origin stored at creation.
pub fn origin(conn: &Connection) -> Result<String, LedgerError> {
    conn.query_row("SELECT value FROM meta WHERE key = 'origin'", [], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| LedgerError::Corrupt("meta has no origin row".into()))
}
