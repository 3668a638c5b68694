//! The audit checks the log in chunks on several threads, each chunk starting from the stored
//! tree's frontier; whatever the number of threads (hence of chunks), it must name exactly
//! the problem one pass in log order would name first.

#[path = "ledger_support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use support::*;
use verdict::ledger::tree::stored_hash_index;
use verdict::ledger::{AuditOptions, Ledger};

const N: u64 = 300;

fn pristine(dir: &Path) -> PathBuf {
    let p = dir.join("pristine.db");
    build(&p, N, &key(1), 0);
    p
}

fn copy(from: &Path, dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::copy(from, &p).unwrap();
    p
}

/// The audit's answer with 1 to 4 threads (300 entries make 4, 8, 12 and 16 chunks); they
/// must all agree, and the common answer is returned.
fn audit_all_ways(path: &Path) -> Result<String, String> {
    let l = Ledger::open(path).unwrap();
    let answers: Vec<Result<String, String>> = (1..=4)
        .map(|threads| {
            l.audit(&AuditOptions {
                trusted: vec![key(1).verifying_key()],
                threads: Some(threads),
                ..Default::default()
            })
            .map(|ok| format!("{} entries, root {}", ok.entries, ok.root))
            .map_err(|e| e.to_string())
        })
        .collect();
    for a in &answers[1..] {
        assert_eq!(a, &answers[0], "1 thread vs more");
    }
    answers.into_iter().next().unwrap()
}

#[test]
fn intact_ledger_gives_the_same_root_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let p = pristine(dir.path());
    let root = Ledger::open(&p).unwrap().root_at(N).unwrap();
    assert_eq!(audit_all_ways(&p), Ok(format!("300 entries, root {root}")));
}

/// The hash of the complete subtree of the first 256 leaves (level 8, written by entry 255)
/// is part of the frontier every later chunk starts from: a wrong value there makes later
/// roots disagree too, but the entry that wrote it is the one named.
#[test]
fn a_bad_stored_hash_is_blamed_on_its_entry_not_on_later_chunks_that_build_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let pristine = pristine(dir.path());
    for (entry, level) in [(255u64, 8u64), (127, 7), (63, 3)] {
        let p = copy(&pristine, dir.path(), &format!("h{entry}.db"));
        let idx = stored_hash_index(entry) + level;
        attacker(&p)
            .execute(
                "UPDATE hashes SET hash = zeroblob(32) WHERE idx = ?1",
                [idx as i64],
            )
            .unwrap();
        assert_eq!(
            audit_all_ways(&p),
            Err(format!(
                "entry {entry}: stored tree hash {idx} does not match the recomputed tree"
            ))
        );
    }
}

#[test]
fn the_earliest_problem_wins_whichever_chunk_finds_it_first() {
    let dir = tempfile::tempdir().unwrap();
    let pristine = pristine(dir.path());
    // A bad signature early and a bad record late; a bad column early and a moved checkpoint
    // and a bad signature late; stored hashes cut off from the middle on.
    let cases: [(&[&str], &str); 3] = [
        (
            &[
                "UPDATE entries SET signature = zeroblob(64) WHERE seq = 20",
                "UPDATE entries SET record = CAST('{}' AS BLOB) WHERE seq = 280",
            ],
            "entry 20: the entry signature does not verify",
        ),
        (
            &[
                "UPDATE entries SET report_digest = 'sha256:00' WHERE seq = 31",
                "UPDATE checkpoints SET note = (SELECT note FROM checkpoints WHERE size = 289)
                 WHERE size = 290",
                "UPDATE entries SET signature = zeroblob(64) WHERE seq = 290",
            ],
            "entry 31: report_digest column does not match the record",
        ),
        (
            &["DELETE FROM hashes WHERE idx >= 400"],
            "entry 202: stored tree hash 400 is missing",
        ),
    ];
    for (i, (edits, want)) in cases.iter().enumerate() {
        let p = copy(&pristine, dir.path(), &format!("c{i}.db"));
        let c = attacker(&p);
        for e in *edits {
            c.execute_batch(e).unwrap();
        }
        drop(c);
        assert_eq!(audit_all_ways(&p), Err(want.to_string()), "case {i}");
    }
}

/// Rows of 600 kB each: chunks end on their byte bound (8 MiB), not their entry count, and
/// the audit still checks everything and names the right entry.
#[test]
fn chunks_of_huge_rows_end_on_their_byte_bound() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.db");
    let mut l = Ledger::open_or_create(&p).unwrap();
    let inputs: Vec<_> = (0..30)
        .map(|i| {
            let mut input = input(i, 0);
            input.policy_name = format!("{i}-{}", "x".repeat(600_000));
            input
        })
        .collect();
    l.append_many(&inputs, &key(1)).unwrap();
    drop(l);
    let root = Ledger::open(&p).unwrap().root_at(30).unwrap();
    assert_eq!(audit_all_ways(&p), Ok(format!("30 entries, root {root}")));
    attacker(&p)
        .execute(
            "UPDATE entries SET signature = zeroblob(64) WHERE seq = 27",
            [],
        )
        .unwrap();
    assert_eq!(
        audit_all_ways(&p),
        Err("entry 27: the entry signature does not verify".into())
    );
}
