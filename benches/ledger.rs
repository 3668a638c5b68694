//! Ledger benches, each a ratio against a baseline measured in the same run:
//! 1. durable single append vs a raw rusqlite insert of the same bytes, same pragmas (goal ≥ 0.5);
//! 2. `ledger verify` throughput on 100 000 entries vs one core's single ed25519 verify rate
//!    (goal ≥ 2.0);
//! 3. inclusion proof on a 1 000 000-leaf ledger (goal < 5 ms, O(log n) reads).
//!
//! The 100 000-entry and 1 000 000-leaf ledgers are built once into target/ledger-bench/ and
//! reused. Run: `cargo bench --bench ledger -- --warm-up-time 1 --measurement-time 3`.

use criterion::{Criterion, black_box};
use ed25519_dalek::{Signer as _, SigningKey};
use rusqlite::{Connection, params};
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use verdict::ledger::record::{Record, RecordInput};
use verdict::ledger::tree::{self, MemHashes};
use verdict::ledger::{AuditOptions, Ledger, checkpoint};
use verdict::verdict::{Finding, Outcome, Severity};

fn key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

fn input(i: u64) -> RecordInput {
    RecordInput {
        report_digest: format!("sha256:{:064x}", i),
        report_id: Some(format!("VAL-{i:06}")),
        policy_name: "bft-production".into(),
        policy_digest: format!("sha256:{:064x}", 42),
        keyring_digest: Some(format!("sha256:{:064x}", 99)),
        verdict: if i % 4 == 0 {
            Outcome::Fail
        } else {
            Outcome::Pass
        },
        findings: if i % 4 == 0 {
            vec![Finding {
                rule: "checks.failed".into(),
                severity: Severity::Deny,
                message: "Resource Bounds Enforcement failed".into(),
                line: Some(42),
                column: Some(1),
                section: Some("Phase 3".into()),
                span: None,
                evidence: serde_json::Map::new(),
                help: "fix the check".into(),
            }]
        } else {
            vec![]
        },
        tool_version: "verdict 0.1.0".into(),
        time: jiff::Timestamp::from_second(1_795_000_000 + i as i64).unwrap(),
    }
}

fn bench_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ledger-bench");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Sums what criterion measured, so a ratio can be computed from the same samples.
#[derive(Default)]
struct Acc {
    total: Cell<Duration>,
    iters: Cell<u64>,
}

impl Acc {
    fn add(&self, d: Duration, n: u64) {
        self.total.set(self.total.get() + d);
        self.iters.set(self.iters.get() + n);
    }
    fn mean(&self) -> f64 {
        self.total.get().as_secs_f64() / self.iters.get().max(1) as f64
    }
}

fn append_vs_raw(c: &mut Criterion) {
    let dir = tempfile::tempdir_in(bench_dir()).unwrap();
    let mut ledger = Ledger::open_or_create(&dir.path().join("append.db")).unwrap();
    let key = key();
    let raw = Connection::open(dir.path().join("raw.db")).unwrap();
    raw.busy_timeout(Duration::from_secs(60)).unwrap();
    raw.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
        .unwrap();
    raw.pragma_update(None, "synchronous", "FULL").unwrap();
    raw.execute_batch(
        "CREATE TABLE raw (seq INTEGER PRIMARY KEY, record BLOB NOT NULL, leaf_hash BLOB NOT NULL,
         signature BLOB NOT NULL, report_digest TEXT NOT NULL, policy_digest TEXT NOT NULL)",
    )
    .unwrap();
    let sample = Record::new(&input(1), 1, &key.verifying_key());
    let bytes = sample.canonical_bytes();
    let leaf = tree::leaf_hash(&bytes);
    let sig = key.sign(&tree::entry_message(&leaf)).to_bytes();

    let (a, r) = (Acc::default(), Acc::default());
    let mut g = c.benchmark_group("ledger_append");
    let mut i = 0u64;
    g.bench_function("durable_append", |b| {
        b.iter_custom(|n| {
            let t = Instant::now();
            for _ in 0..n {
                i += 1;
                black_box(ledger.append(&input(i), &key).unwrap());
            }
            let d = t.elapsed();
            a.add(d, n);
            d
        })
    });
    let mut seq = 0i64;
    g.bench_function("raw_rusqlite_insert", |b| {
        b.iter_custom(|n| {
            let t = Instant::now();
            for _ in 0..n {
                seq += 1;
                let tx = raw.unchecked_transaction().unwrap();
                tx.execute_batch("").unwrap();
                tx.execute(
                    "INSERT INTO raw VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        seq,
                        bytes,
                        &leaf.0[..],
                        &sig[..],
                        sample.report.digest,
                        sample.policy.digest
                    ],
                )
                .unwrap();
                tx.commit().unwrap();
            }
            let d = t.elapsed();
            r.add(d, n);
            d
        })
    });
    g.finish();
    println!(
        "RATIO append: raw insert {:.1} µs / durable append {:.1} µs = {:.2} (goal >= 0.5)",
        r.mean() * 1e6,
        a.mean() * 1e6,
        r.mean() / a.mean()
    );
}

fn ledger_100k() -> PathBuf {
    const N: u64 = 100_000;
    let path = bench_dir().join("verify-100k.db");
    if let Ok(l) = Ledger::open(&path) {
        if l.size().unwrap_or(0) == N {
            return path;
        }
    }
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(path.with_extension("db-wal"));
    let _ = std::fs::remove_file(path.with_extension("db-shm"));
    let t = Instant::now();
    let mut l = Ledger::open_or_create(&path).unwrap();
    let key = key();
    for chunk in 0..(N / 10_000) {
        let inputs: Vec<_> = (chunk * 10_000..(chunk + 1) * 10_000).map(input).collect();
        l.append_many(&inputs, &key).unwrap();
    }
    eprintln!(
        "built 100 000-entry ledger in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    path
}

fn verify_throughput(c: &mut Criterion) {
    let path = ledger_100k();
    let key = key();
    let vk = key.verifying_key();
    let msg = tree::entry_message(&tree::leaf_hash(b"bench"));
    let sig = key.sign(&msg);
    let single = Acc::default();
    let mut g = c.benchmark_group("ledger_verify");
    g.bench_function("single_ed25519_verify_strict_one_core", |b| {
        b.iter_custom(|n| {
            let t = Instant::now();
            for _ in 0..n {
                black_box(vk.verify_strict(black_box(&msg), black_box(&sig))).unwrap();
            }
            let d = t.elapsed();
            single.add(d, n);
            d
        })
    });
    g.finish();
    // The audit takes seconds; criterion's 10-sample minimum would take too long on a shared
    // machine, so it is timed directly: best of 3 runs.
    let ledger = Ledger::open(&path).unwrap();
    let opts = AuditOptions {
        trusted: vec![vk],
        ..Default::default()
    };
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let ok = ledger.audit(&opts).unwrap();
        best = best.min(t.elapsed().as_secs_f64());
        assert_eq!(ok.entries, 100_000);
    }
    let entries_per_s = 100_000.0 / best;
    let verifies_per_s = 1.0 / single.mean();
    println!(
        "RATIO verify: audit {:.2} s = {:.0} entries/s; single verify_strict {:.1} µs = {:.0}/s on one core; ratio {:.2} (goal >= 2.0)",
        best,
        entries_per_s,
        single.mean() * 1e6,
        verifies_per_s,
        entries_per_s / verifies_per_s
    );
}

/// A ledger whose tree has 1 000 000 leaves, built through the bulk path: leaf and stored
/// hashes computed in memory and inserted in one transaction; entry rows only for the
/// leaves the bench proves (their records are real; the other leaves are synthetic hashes),
/// and one signed checkpoint for the full tree.
fn ledger_1m(proven: &[u64]) -> PathBuf {
    const N: u64 = 1_000_000;
    let path = bench_dir().join("proof-1m.db");
    if let Ok(l) = Ledger::open(&path) {
        if l.latest_checkpoint()
            .ok()
            .flatten()
            .is_some_and(|c| c.contains("\n1000000\n"))
        {
            return path;
        }
    }
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(path.with_extension("db-wal"));
    let _ = std::fs::remove_file(path.with_extension("db-shm"));
    let t = Instant::now();
    let key = key();
    let l = Ledger::open_or_create(&path).unwrap();
    let conn = l.connection();
    conn.execute_batch("DROP TRIGGER entries_append_only; DROP TRIGGER checkpoints_append_only;")
        .unwrap();
    let tx = conn.unchecked_transaction().unwrap();
    let mut mem = MemHashes::default();
    let mut records = std::collections::HashMap::new();
    for n in 0..N {
        let leaf = if proven.contains(&n) {
            let rec = Record::new(&input(n), n, &key.verifying_key());
            let bytes = rec.canonical_bytes();
            let leaf = tree::leaf_hash(&bytes);
            records.insert(n, (rec, bytes, leaf));
            leaf
        } else {
            tree::leaf_hash(&n.to_be_bytes())
        };
        mem.push_leaf(n, leaf).unwrap();
    }
    {
        let mut ins = tx
            .prepare("INSERT INTO hashes (idx, hash) VALUES (?1, ?2)")
            .unwrap();
        for (i, h) in mem.0.iter().enumerate() {
            ins.execute(params![i as i64, &h.0[..]]).unwrap();
        }
        let mut ins = tx
            .prepare("INSERT INTO entries VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .unwrap();
        let mut seqs: Vec<_> = records.keys().copied().collect();
        seqs.sort();
        for n in seqs {
            let (rec, bytes, leaf) = &records[&n];
            let sig = key.sign(&tree::entry_message(leaf)).to_bytes();
            ins.execute(params![
                n as i64,
                bytes,
                &leaf.0[..],
                &sig[..],
                rec.report.digest,
                rec.policy.digest
            ])
            .unwrap();
        }
    }
    let root = tree::tree_hash(N, &mem).unwrap();
    let note = checkpoint::sign(l.origin(), N, root, &key).unwrap();
    tx.execute(
        "INSERT INTO checkpoints (size, note) VALUES (?1, ?2)",
        params![N as i64, note],
    )
    .unwrap();
    tx.commit().unwrap();
    eprintln!(
        "built 1 000 000-leaf ledger in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    path
}

fn inclusion_proof(c: &mut Criterion) {
    let proven = [0u64, 1, 123_457, 500_000, 777_777, 999_998, 999_999];
    let path = ledger_1m(&proven);
    let ledger = Ledger::open(&path).unwrap();
    let acc = Acc::default();
    let mut k = 0usize;
    c.bench_function("ledger_inclusion_proof_1m", |b| {
        b.iter_custom(|n| {
            let t = Instant::now();
            for _ in 0..n {
                k = (k + 1) % proven.len();
                black_box(ledger.prove_inclusion(proven[k]).unwrap());
            }
            let d = t.elapsed();
            acc.add(d, n);
            d
        })
    });
    let p = ledger.prove_inclusion(500_000).unwrap();
    let vk = key().verifying_key();
    p.verify(p.checkpoint.as_bytes(), &[vk]).unwrap();
    println!(
        "RATIO proof: inclusion proof on 1 000 000 leaves {:.3} ms (goal < 5 ms); {} proof hashes read",
        acc.mean() * 1e3,
        p.proof.len()
    );
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    append_vs_raw(&mut c);
    verify_throughput(&mut c);
    inclusion_proof(&mut c);
    c.final_summary();
}
