//! `verify` = parse + attest + evaluate on the seed, against `parse` alone in the same run.
//! Goal (issue 3): evaluation adds no more than parsing costs, i.e. verify ≤ 2 × parse.
//!
//! cargo bench --bench verify -- --warm-up-time 1 --measurement-time 3

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use verdict::limits::Limits;
use verdict::policy::{default_policy, evaluate};
use verdict::verdict::Severity;
use verdict::{attest, report, text};

fn bench(c: &mut Criterion) {
    let bytes = include_bytes!("../fixtures/reports/seed.txt");
    let limits = Limits::default();
    let policy = default_policy().expect("built-in policy loads");
    let now: jiff::Timestamp = "2026-11-25T00:00:00Z".parse().expect("instant");
    let mut g = c.benchmark_group("verify-seed");
    g.bench_function("parse (baseline)", |b| {
        b.iter(|| {
            let t = text::decode(black_box(bytes), &limits).expect("decodes");
            report::parse(&t, &limits).expect("parses")
        })
    });
    g.bench_function("verify (parse + attest + evaluate)", |b| {
        b.iter(|| {
            let t = text::decode(black_box(bytes), &limits).expect("decodes");
            let r = report::parse(&t, &limits).expect("parses");
            let ev = attest::attest(&t, None, None, r.date.as_ref().map(|d| d.instant), 1024);
            let ctx = evaluate::Context {
                now,
                report_path: "seed.txt",
                replay_of: None,
                fail_on: Severity::Deny,
            };
            evaluate::evaluate(&policy, &r, &ev, &ctx)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
