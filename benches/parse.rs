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
//! then shows both functions' totals (`benches/parse_instructions.sh` runs this for both
//! inputs and prints the ratio):
//!
//! PARSE_PROFILE=seed:20 valgrind --tool=callgrind --toggle-collect='parse::baseline' \
//!   --toggle-collect='parse::verdict_parse' target/release/deps/parse-<hash>
//!
//! With `PARSE_PAIRED=ROUNDS` it prints the time ratio from paired rounds instead (see
//! [`paired`]), which a drifting machine load disturbs much less than two criterion runs
//! one after the other, and each side's median time per call, which tells whether a ratio
//! moved because verdict's side did or the baseline's (a change to verdict also moves
//! where pulldown-cmark's code lands in the binary). Each side runs in a process of its
//! own, started from this binary with `PARSE_SIDE=SIDE:INPUT` ([`side_worker`]):
//!
//! PARSE_PAIRED=40 cargo bench --bench parse

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

/// The input called `name` (`seed` or `corpus-1MiB`), built alone: a side worker or a
/// profile run needs only its own.
fn input(name: &str) -> Option<Text> {
    match name {
        "seed" => Some(seed()),
        "corpus-1MiB" => corpus_mib(),
        _ => None,
    }
}

fn inputs() -> Vec<(&'static str, Text)> {
    let names = ["seed", "corpus-1MiB"];
    let found: Vec<_> = names
        .into_iter()
        .filter_map(|name| input(name).map(|t| (name, t)))
        .collect();
    if found.len() < names.len() {
        eprintln!("corpus not found beside the repository: 1 MiB case skipped");
    }
    found
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
        if let Some(text) = input(only) {
            let events: usize = (0..n).map(|_| baseline(&text)).sum();
            let checks: usize = (0..n).filter_map(|_| verdict_parse(&text)).sum();
            println!("{only}: {n} runs, {events} events, {checks} checks");
        }
        return;
    }
    if let Ok(spec) = std::env::var("PARSE_SIDE") {
        side_worker(&spec);
        return;
    }
    if let Ok(rounds) = std::env::var("PARSE_PAIRED") {
        let rounds: usize = rounds.parse().expect("PARSE_PAIRED=ROUNDS");
        for (name, _) in inputs() {
            paired(name, rounds);
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}

/// The time ratio from paired rounds: each round times a batch of the baseline and a batch of
/// `report::parse` back to back (in alternating order), so both sides of one ratio see the
/// same machine load. Prints the median ratio over the rounds and its 10th–90th percentiles.
/// On a shared machine whose speed drifts during a criterion run (each side is measured for
/// seconds, one after the other) this spread is much narrower.
///
/// Each side runs in a process of its own ([`Side`]), as each does in criterion's run and as
/// `verdict` does on the command line: with both in one process, what one side left in the
/// heap moved the other's time by 5 % (a change to the order of verdict's allocations made
/// the *baseline* faster; docs/performance.md, eighth and ninth passes).
fn paired(name: &str, rounds: usize) {
    use std::time::Duration;
    let (mut base, mut parse) = (Side::spawn(name, "baseline"), Side::spawn(name, "verdict"));
    // Batches of about 10 ms of baseline work, after a warm-up of both sides.
    base.time(1);
    let mut n = 1;
    while base.time(n) < Duration::from_millis(10) {
        n *= 2;
    }
    parse.time(n);
    let (mut ratios, mut bases, mut parses) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (b, p) = if round % 2 == 0 {
            let b = base.time(n);
            (b, parse.time(n))
        } else {
            let p = parse.time(n);
            (base.time(n), p)
        };
        ratios.push(p.as_secs_f64() / b.as_secs_f64());
        // Per call, in µs: a ratio can move because either side did.
        bases.push(b.as_secs_f64() * 1e6 / n as f64);
        parses.push(p.as_secs_f64() * 1e6 / n as f64);
    }
    let at = |v: &mut Vec<f64>, q: f64| {
        v.sort_by(f64::total_cmp);
        v[((v.len() - 1) as f64 * q).round() as usize]
    };
    println!(
        "{name}: report::parse / baseline over {rounds} paired rounds of {n} runs: median {:.2}x (p10 {:.2}x, p90 {:.2}x); per call {:.1} µs / {:.1} µs",
        at(&mut ratios, 0.5),
        at(&mut ratios, 0.1),
        at(&mut ratios, 0.9),
        at(&mut parses, 0.5),
        at(&mut bases, 0.5),
    );
}

/// One side of [`paired`]: this bench binary again, started with `PARSE_SIDE=SIDE:INPUT`
/// ([`side_worker`]), which runs the side as many times as it is asked on its stdin and
/// answers how long that took, in nanoseconds, on its stdout.
struct Side {
    child: std::process::Child,
    answers: std::io::BufReader<std::process::ChildStdout>,
}

impl Side {
    fn spawn(input: &str, side: &str) -> Side {
        use std::process::{Command, Stdio};
        let exe = std::env::current_exe().expect("the bench binary's path");
        let mut child = Command::new(exe)
            .env("PARSE_SIDE", format!("{side}:{input}"))
            .env_remove("PARSE_PAIRED")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start a side of the paired rounds");
        let answers = std::io::BufReader::new(child.stdout.take().expect("piped stdout"));
        Side { child, answers }
    }

    fn time(&mut self, n: usize) -> std::time::Duration {
        use std::io::{BufRead, Write};
        let stdin = self.child.stdin.as_mut().expect("piped stdin");
        writeln!(stdin, "{n}").expect("side process alive");
        let mut line = String::new();
        self.answers
            .read_line(&mut line)
            .expect("side process answers");
        let nanos = line
            .trim()
            .parse()
            .expect("nanoseconds from the side process");
        std::time::Duration::from_nanos(nanos)
    }
}

impl Drop for Side {
    fn drop(&mut self) {
        // Its stdin closed, the worker's loop ends.
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// The worker of a [`Side`]: `spec` is `baseline:INPUT` or `verdict:INPUT`.
fn side_worker(spec: &str) {
    use std::io::{BufRead, Write};
    let (side, name) = spec.split_once(':').expect("PARSE_SIDE=SIDE:INPUT");
    let text = input(name).expect("PARSE_SIDE names an input");
    let run: &dyn Fn() -> usize = match side {
        "baseline" => &|| baseline(&text),
        "verdict" => &|| verdict_parse(&text).unwrap_or(0),
        other => panic!("PARSE_SIDE: the side is baseline or verdict, not {other}"),
    };
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let n: usize = line
            .expect("a request")
            .trim()
            .parse()
            .expect("a run count");
        let start = std::time::Instant::now();
        for _ in 0..n {
            black_box(run());
        }
        writeln!(out, "{}", start.elapsed().as_nanos()).expect("answer the coordinator");
        out.flush().expect("answer the coordinator");
    }
}
