//! The tamper suite: a 200-entry ledger built through the library, attacked with the triggers
//! dropped; `verdict ledger verify` must exit 1 and name the right entry or checkpoint.

#[path = "ledger_support/mod.rs"]
mod support;

use rusqlite::params;
use std::path::{Path, PathBuf};
use support::*;
use verdict::ledger::Ledger;
use verdict::ledger::tree::stored_hash_index;

const N: u64 = 200;

struct Fixture {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    pristine: PathBuf,
    checkpoint: PathBuf,
    trust: PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    let pristine = d.join("pristine.db");
    let cps = build(&pristine, N, &key(1), 0);
    let checkpoint = d.join("checkpoint.txt");
    std::fs::write(&checkpoint, cps.last().unwrap()).unwrap();
    let trust = write_pub(&d, "verifier.pub", &key(1));
    Fixture {
        _dir: dir,
        dir: d,
        pristine,
        checkpoint,
        trust,
    }
}

impl Fixture {
    fn copy(&self, name: &str) -> PathBuf {
        let p = self.dir.join(name);
        std::fs::copy(&self.pristine, &p).unwrap();
        p
    }
}

fn verify(path: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["verify"];
    args.extend_from_slice(extra);
    ledger_cmd(path, &args)
}

fn assert_fails(path: &Path, extra: &[&str], needle: &str) {
    let (code, out) = verify(path, extra);
    assert_eq!(
        code, 1,
        "expected exit 1 naming {needle:?}, got {code}: {out}"
    );
    assert!(out.contains(needle), "expected {needle:?} in: {out}");
}

/// The seq whose append wrote stored hash `idx`.
fn owner_of_hash(idx: u64) -> u64 {
    (0..N).rev().find(|&n| stored_hash_index(n) <= idx).unwrap()
}

fn flip_int(v: i64, rng: &mut Rng) -> i64 {
    // Flip a bit in bytes 2..=6: the new value is never an existing key and stays positive.
    let byte = 2 + rng.below(5);
    v ^ (1i64 << (byte * 8 + rng.below(8)))
}

fn flip_bytes(mut b: Vec<u8>, rng: &mut Rng) -> Vec<u8> {
    let i = rng.below(b.len() as u64) as usize;
    b[i] ^= 1 + rng.below(255) as u8;
    b
}

#[test]
fn untouched_ledger_verifies() {
    let f = fixture();
    let p = f.copy("intact.db");
    let (code, out) = verify(&p, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("ledger intact: 200 entries, 200 checkpoints"),
        "{out}"
    );
    let trust = f.trust.to_str().unwrap();
    let cp = f.checkpoint.to_str().unwrap();
    let (code, out) = verify(&p, &["--trust", trust, "--checkpoint", cp]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("consistent with the saved checkpoint (size 200)"),
        "{out}"
    );
    // An earlier checkpoint is consistent too.
    let l = Ledger::open(&p).unwrap();
    let early: String = l
        .connection()
        .query_row("SELECT note FROM checkpoints WHERE size = 37", [], |r| {
            r.get(0)
        })
        .unwrap();
    drop(l);
    let early_path = f.dir.join("early.txt");
    std::fs::write(&early_path, early).unwrap();
    let (code, out) = verify(&p, &["--checkpoint", early_path.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("(size 37)"), "{out}");
}

#[test]
fn wrong_trust_key_names_entry_0() {
    let f = fixture();
    let p = f.copy("t.db");
    let other = write_pub(&f.dir, "other.pub", &key(2));
    assert_fails(
        &p,
        &["--trust", other.to_str().unwrap()],
        "entry 0: signed by ed25519:",
    );
}

#[test]
fn any_byte_of_any_column_of_random_rows() {
    let f = fixture();
    let mut rng = Rng(0x5eed_1ed6_e700_0001);
    let columns: &[(&str, &str, &str, bool)] = &[
        // table, key column, column, is_text
        ("entries", "seq", "seq", false),
        ("entries", "seq", "record", false),
        ("entries", "seq", "leaf_hash", false),
        ("entries", "seq", "signature", false),
        ("entries", "seq", "report_digest", true),
        ("entries", "seq", "policy_digest", true),
        ("hashes", "idx", "idx", false),
        ("hashes", "idx", "hash", false),
        ("checkpoints", "size", "size", false),
        ("checkpoints", "size", "note", true),
    ];
    let total_hashes = verdict::ledger::tree::stored_hash_count(N);
    let mut cases = 0;
    for round in 0..10 {
        for &(table, keycol, col, is_text) in columns {
            let p = f.copy(&format!("r{round}-{table}-{col}.db"));
            let c = attacker(&p);
            let row: i64 = match table {
                "entries" => rng.below(N) as i64,
                "hashes" => rng.below(total_hashes) as i64,
                _ => 1 + rng.below(N) as i64,
            };
            if col == keycol {
                let new = flip_int(row, &mut rng);
                c.execute(
                    &format!("UPDATE {table} SET {col} = ?1 WHERE {col} = ?2"),
                    params![new, row],
                )
                .unwrap();
            } else {
                let old: Vec<u8> = c
                    .query_row(
                        &format!("SELECT CAST({col} AS BLOB) FROM {table} WHERE {keycol} = ?1"),
                        [row],
                        |r| r.get(0),
                    )
                    .unwrap();
                let new = flip_bytes(old.clone(), &mut rng);
                assert_ne!(old, new);
                let set = if is_text { "CAST(?1 AS TEXT)" } else { "?1" };
                let changed = c
                    .execute(
                        &format!("UPDATE {table} SET {col} = {set} WHERE {keycol} = ?2"),
                        params![new, row],
                    )
                    .unwrap();
                assert_eq!(changed, 1);
            }
            drop(c);
            let needle = match table {
                "entries" => format!("entry {row}:"),
                "hashes" => format!("entry {}:", owner_of_hash(row as u64)),
                _ => format!("checkpoint at tree size {row} "),
            };
            assert_fails(&p, &[], &needle);
            std::fs::remove_file(&p).unwrap();
            cases += 1;
        }
    }
    assert_eq!(cases, 100);
}

#[test]
fn deleted_row_is_named() {
    let f = fixture();
    let p = f.copy("del.db");
    attacker(&p)
        .execute("DELETE FROM entries WHERE seq = 57", [])
        .unwrap();
    assert_fails(&p, &[], "entry 57: missing");
}

#[test]
fn swapped_rows_are_named() {
    let f = fixture();
    let p = f.copy("swap.db");
    let c = attacker(&p);
    c.execute_batch(
        "UPDATE entries SET seq = 1000000 WHERE seq = 10;
         UPDATE entries SET seq = 10 WHERE seq = 20;
         UPDATE entries SET seq = 20 WHERE seq = 1000000;",
    )
    .unwrap();
    drop(c);
    assert_fails(&p, &[], "entry 10: the record says it is entry 20");
}

#[test]
fn replaced_signature_is_named() {
    let f = fixture();
    let p = f.copy("sig.db");
    let c = attacker(&p);
    // A perfectly valid signature over the same message, by another key.
    let leaf: Vec<u8> = c
        .query_row("SELECT leaf_hash FROM entries WHERE seq = 123", [], |r| {
            r.get(0)
        })
        .unwrap();
    let leaf = verdict::ledger::tree::hash_from_slice(&leaf).unwrap();
    use ed25519_dalek::Signer;
    let sig = key(9).sign(&verdict::ledger::tree::entry_message(&leaf));
    c.execute(
        "UPDATE entries SET signature = ?1 WHERE seq = 123",
        [&sig.to_bytes()[..]],
    )
    .unwrap();
    drop(c);
    assert_fails(&p, &[], "entry 123: the entry signature does not verify");
}

#[test]
fn forged_append_without_the_key_is_named() {
    let f = fixture();
    let p = f.copy("forged.db");
    // The attacker appends through the library with their own key: internally consistent.
    Ledger::open(&p)
        .unwrap()
        .append(&input(7, 3), &key(66))
        .unwrap();
    let (code, out) = verify(&p, &[]);
    assert_eq!(code, 0, "self-consistent without a trust anchor: {out}");
    assert_fails(
        &p,
        &["--trust", f.trust.to_str().unwrap()],
        "entry 200: signed by ed25519:",
    );
}

#[test]
fn truncated_tail_is_caught_with_a_saved_checkpoint() {
    let f = fixture();
    let p = f.copy("trunc.db");
    let c = attacker(&p);
    let first_gone = stored_hash_index(150) as i64;
    c.execute_batch(&format!(
        "DELETE FROM entries WHERE seq >= 150;
         DELETE FROM hashes WHERE idx >= {first_gone};
         DELETE FROM checkpoints WHERE size > 150;"
    ))
    .unwrap();
    drop(c);
    let (code, out) = verify(&p, &[]);
    assert_eq!(
        code, 0,
        "a clean truncation is invisible without a checkpoint: {out}"
    );
    assert_fails(
        &p,
        &["--checkpoint", f.checkpoint.to_str().unwrap()],
        "saved checkpoint: it commits to 200 entries but the ledger has 150: entries 150..199 were removed",
    );
}

#[test]
fn fork_of_the_same_size_is_caught_with_a_saved_checkpoint() {
    let f = fixture();
    // Same key, same size, a different history from entry 150 on.
    let p = f.dir.join("fork.db");
    {
        let mut l = Ledger::open_or_create(&p).unwrap();
        let inputs: Vec<_> = (0..N)
            .map(|i| input(i, if i < 150 { 0 } else { 5 }))
            .collect();
        l.append_many(&inputs, &key(1)).unwrap();
    }
    let (code, out) = verify(&p, &["--trust", f.trust.to_str().unwrap()]);
    assert_eq!(code, 0, "the fork is internally valid: {out}");
    assert_fails(
        &p,
        &["--checkpoint", f.checkpoint.to_str().unwrap()],
        "saved checkpoint: the ledger's first 200 entries are not the ones it commits to",
    );
    // A checkpoint from before the fork point is still consistent with it.
    let l = Ledger::open(&f.pristine).unwrap();
    let early: String = l
        .connection()
        .query_row("SELECT note FROM checkpoints WHERE size = 150", [], |r| {
            r.get(0)
        })
        .unwrap();
    drop(l);
    let early_path = f.dir.join("cp150.txt");
    std::fs::write(&early_path, early).unwrap();
    let (code, out) = verify(&p, &["--checkpoint", early_path.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn checkpoint_signed_by_an_untrusted_key_is_rejected() {
    let f = fixture();
    let p = f.copy("cp.db");
    let other = verdict::ledger::checkpoint::sign(
        "verdict.local/ledger",
        200,
        Ledger::open(&p).unwrap().root_at(200).unwrap(),
        &key(5),
    )
    .unwrap();
    let cp = f.dir.join("other-cp.txt");
    std::fs::write(&cp, other).unwrap();
    assert_fails(
        &p,
        &[
            "--trust",
            f.trust.to_str().unwrap(),
            "--checkpoint",
            cp.to_str().unwrap(),
        ],
        "saved checkpoint: not signed by any of the expected keys",
    );
}

#[test]
fn of_two_problems_the_earliest_is_named() {
    let f = fixture();
    let p = f.copy("two.db");
    let c = attacker(&p);
    // A bad signature at entry 5 (found by the batch verifier) and a gap at entry 100 (found
    // by the scan): the report names entry 5. Then the other way round.
    c.execute(
        "UPDATE entries SET signature = zeroblob(64) WHERE seq = 5",
        [],
    )
    .unwrap();
    c.execute("DELETE FROM entries WHERE seq = 100", [])
        .unwrap();
    drop(c);
    assert_fails(&p, &[], "entry 5: the entry signature does not verify");
    let p = f.copy("two-b.db");
    let c = attacker(&p);
    c.execute(
        "UPDATE entries SET signature = zeroblob(64) WHERE seq = 150",
        [],
    )
    .unwrap();
    c.execute("DELETE FROM checkpoints WHERE size = 43", [])
        .unwrap();
    drop(c);
    assert_fails(
        &p,
        &[],
        "checkpoint at tree size 43 (written with entry 42): missing",
    );
}
