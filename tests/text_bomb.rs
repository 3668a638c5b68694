//! Hostile input for the text stage (issue 7): a "mojibake bomb", text in which every
//! character belongs to a repairable sequence, must repair in linear time and bounded memory.

use std::time::{Duration, Instant};
use verdict::limits::Limits;
use verdict::text::decode;
use verdict::text::mojibake::MAX_SITES;

/// Debug builds are ~10-30× slower than release; the bound is about catching quadratic
/// behaviour (which at these sizes takes minutes), not about the release-mode figure recorded
/// in docs/performance.md.
const BOUND: Duration = Duration::from_secs(20);

/// The default line-length limit would refuse the one-line bombs before repair; these tests
/// are about the repair itself, so the limit is lifted (tests/hostile.rs covers the limit).
fn limits() -> Limits {
    Limits {
        max_line_bytes: usize::MAX,
        ..Limits::default()
    }
}

fn bomb(unit: &str, bytes: usize, newline_every: Option<usize>) -> (String, usize) {
    let mut s = String::with_capacity(bytes + unit.len());
    let mut n = 0;
    while s.len() < bytes {
        s.push_str(unit);
        n += 1;
        if newline_every.is_some_and(|k| n % k == 0) {
            s.push('\n');
        }
    }
    (s, n)
}

fn check(unit: &str, per_unit: usize, repaired_unit: &str, newline_every: Option<usize>) {
    let (s, n) = bomb(unit, 4 << 20, newline_every);
    let start = Instant::now();
    let t = decode(s.as_bytes(), &limits()).unwrap();
    let took = start.elapsed();
    eprintln!("{unit:?} × {n} ({} bytes): {took:?}", s.len());
    assert!(took < BOUND, "{unit:?}: {took:?}");
    assert_eq!(t.repairs, n * per_unit);
    assert_eq!(t.repair_sites.len(), MAX_SITES);
    assert_eq!(t.repaired.matches(repaired_unit).count(), n);
    assert_eq!(t.repaired.lines().count(), t.canonical.lines().count());
}

#[test]
fn mac_roman_bomb_one_line() {
    check("‚úÖ", 1, "✅", None);
}

#[test]
fn mac_roman_bomb_short_lines() {
    check("\u{F8FF}üü°", 1, "🟡", Some(40));
}

#[test]
fn cp1252_bomb() {
    check("âœ…", 1, "✅", None);
}

#[test]
fn weak_cyrillic_bomb() {
    // Every sequence is weak and needs its neighbour looked up.
    check("–ü", 1, "П", None);
}

#[test]
fn mixed_encodings_glued_into_one_run() {
    // Mac Roman and cp1252 alternate in one run: one table wins the run, the rest stays.
    let (s, n) = bomb("‚úÖâœ…", 4 << 20, None);
    let start = Instant::now();
    let t = decode(s.as_bytes(), &limits()).unwrap();
    assert!(start.elapsed() < BOUND);
    assert_eq!(t.repairs, n);
    assert!(t.repaired.starts_with("✅âœ…✅"), "{}", &t.repaired[..20]);
}
