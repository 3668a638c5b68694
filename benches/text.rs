//! The text stage against its floor: std's UTF-8 validation plus a copy of the same bytes
//! (what any decoder must do), on the seed and on a 4 MiB "mojibake bomb".

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use verdict::limits::Limits;
use verdict::text::decode;

fn inputs() -> Vec<(&'static str, Vec<u8>)> {
    let seed = include_bytes!("../fixtures/reports/seed.txt").to_vec();
    let mut bomb = String::new();
    while bomb.len() < 4 << 20 {
        bomb.push_str("‚úÖ");
    }
    let mut cp_bomb = String::new();
    while cp_bomb.len() < 4 << 20 {
        cp_bomb.push_str("âœ…");
    }
    vec![
        ("seed", seed),
        ("bomb-mac-roman-4MiB", bomb.into_bytes()),
        ("bomb-cp1252-4MiB", cp_bomb.into_bytes()),
    ]
}

fn bench(c: &mut Criterion) {
    let limits = Limits::default();
    for (name, bytes) in inputs() {
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function("baseline: from_utf8 + copy", |b| {
            b.iter(|| black_box(std::str::from_utf8(black_box(&bytes)).map(str::to_owned)))
        });
        g.bench_function("text::decode", |b| {
            b.iter(|| black_box(decode(black_box(&bytes), &limits)))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
