//! `verdict parse` (text → Report) against pulldown-cmark's plain event pass over the same
//! text, in the same run: the ratio is what matters (goal ≤ 3×). Inputs: the seed, and a
//! 1 MiB concatenation of the corpus reports (skipped when ../shared/corpus is absent).
//!
//! cargo bench --bench parse -- --warm-up-time 1 --measurement-time 3
//!
//! With `PARSE_PROFILE=INPUT:N` set (INPUT `seed` or `corpus-1MiB`), the bench skips
//! criterion and runs each side N times on that input through the `#[inline(never)]`
//! functions `baseline` and `verdict_parse`, so that callgrind can count instructions per
//! call (repeatable on a loaded machine, unlike time); `callgrind_annotate --inclusive=yes`
//! then shows both functions' totals:
//!
//! PARSE_PROFILE=seed:20 valgrind --tool=callgrind --toggle-collect='parse::baseline' \
//!   --toggle-collect='parse::verdict_parse' target/release/deps/parse-<hash>

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group};
use pulldown_cmark::Parser;
use verdict::limits::Limits;
use verdict::report::{self, markdown};
use verdict::text::{Text, decode};

fn seed() -> Text {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reports/seed.txt");
    decode(&std::fs::read(path).unwrap(), &Limits::default()).unwrap()
}

fn corpus_dir() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        root.join("../shared/corpus"),
        root.join("../../shared/corpus"),
    ]
    .into_iter()
    .find(|d| d.join("INDEX.tsv").is_file())
}

/// The corpus reports concatenated (blank line between) until 1 MiB.
fn corpus_mib() -> Option<Text> {
    let dir = corpus_dir()?;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let docs: Vec<Vec<u8>> = files.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let mut all = Vec::with_capacity(1 << 20);
    'fill: loop {
        for d in &docs {
            if all.len() + d.len() + 2 > 1 << 20 {
                break 'fill;
            }
            all.extend_from_slice(d);
            all.extend_from_slice(b"\n\n");
        }
    }
    decode(&all, &Limits::default()).ok()
}

fn inputs() -> Vec<(&'static str, Text)> {
    let mut inputs = vec![("seed", seed())];
    match corpus_mib() {
        Some(t) => inputs.push(("corpus-1MiB", t)),
        None => eprintln!("corpus not found beside the repository: 1 MiB case skipped"),
    }
    inputs
}

/// The baseline: pulldown-cmark's event pass with offsets, nothing kept.
#[inline(never)]
fn baseline(text: &Text) -> usize {
    Parser::new_ext(black_box(&text.repaired), markdown::options())
        .into_offset_iter()
        .count()
}

#[inline(never)]
fn verdict_parse(text: &Text) -> Option<usize> {
    report::parse(black_box(text), &Limits::default())
        .ok()
        .map(|r| r.checks.len())
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    for (name, text) in &inputs {
        let mut g = c.benchmark_group(*name);
        g.throughput(Throughput::Bytes(text.repaired.len() as u64));
        g.bench_function("pulldown-cmark events (baseline)", |b| {
            b.iter(|| baseline(text))
        });
        g.bench_function("verdict report::parse", |b| b.iter(|| verdict_parse(text)));
        g.finish();
    }
}

criterion_group!(benches, bench);

fn main() {
    let profile = std::env::var("PARSE_PROFILE").ok();
    if let Some((only, n)) = profile.as_deref().and_then(|v| v.split_once(':')) {
        let n: usize = n.parse().expect("PARSE_PROFILE=INPUT:N");
        for (name, text) in inputs().into_iter().filter(|(name, _)| *name == only) {
            let events: usize = (0..n).map(|_| baseline(&text)).sum();
            let checks: usize = (0..n).filter_map(|_| verdict_parse(&text)).sum();
            println!("{name}: {n} runs, {events} events, {checks} checks");
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
