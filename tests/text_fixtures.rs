//! The text stage on the real fixtures: the seed (Mac Roman mojibake), its clean CRLF original
//! and the LF copy, and two lossy mojibake excerpts from a search index.

use verdict::limits::Limits;
use verdict::text::{Text, decode};

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn text(path: &str) -> Text {
    decode(&fixture(path), &Limits::default()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn seed_repairs_to_the_clean_original_exactly() {
    let seed = text("reports/seed.txt");
    let clean = String::from_utf8(fixture("reports/seed-clean-lf.md")).unwrap();
    assert_eq!(seed.repaired, clean);
    // 28 ✅, 3 ❌, 2 🟡, 1 →, 1 🚨, 1 🔧.
    assert_eq!(seed.repairs, 36);
    assert_eq!(seed.repair_sites.len(), 36);
    // `### Overall Assessment: <U+F8FF>üü° PARTIAL…`: 🟡 is the 25th character of line 14.
    assert_eq!(seed.repair_sites[0], (14, 25));
    assert_eq!(
        seed.canonical.lines().count(),
        seed.repaired.lines().count()
    );
    assert!(!seed.bom);
}

#[test]
fn three_seed_variants_give_the_same_repaired_text() {
    let seed = text("reports/seed.txt");
    let crlf = text("reports/seed-clean-crlf.md");
    let lf = text("reports/seed-clean-lf.md");
    assert_eq!(seed.repaired, lf.repaired);
    assert_eq!(crlf.repaired, lf.repaired);
    assert_eq!(crlf.canonical, lf.canonical);
    assert_eq!((crlf.repairs, lf.repairs), (0, 0));
    assert_eq!(lf.repaired.lines().count(), 200);
}

#[test]
fn repaired_headings_read_as_the_original() {
    let seed = text("reports/seed.txt");
    let lines: Vec<&str> = seed.repaired.as_str().lines().collect();
    assert_eq!(
        lines[13],
        "### Overall Assessment: 🟡 PARTIAL VALIDATION (94.1% success rate)"
    );
    let failed = lines.iter().filter(|l| l.contains("❌")).count();
    assert_eq!(failed, 3);
}

fn changed_lines(t: &Text) -> Vec<(String, String)> {
    t.canonical
        .lines()
        .zip(t.repaired.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn lossy_dr_summary_repairs_what_survived() {
    let t = text(
        "text/unattributed__search-index-id-66477279306__DR-implementation-summary.EXCERPT.md",
    );
    assert_eq!(t.repairs, 14);
    assert_eq!(t.repair_sites[0], (5, 13));
    assert_eq!(t.canonical.lines().count(), t.repaired.lines().count());
    let changed = changed_lines(&t);
    assert_eq!(changed.len(), 14);
    assert_eq!(changed[0].1, "**Status**: ✅ **COMPLETE**");
    assert!(
        changed
            .iter()
            .any(|(_, b)| b == "- **Target**: ≤ 5 minutes")
    );
    // Emoji whose U+F8FF (byte F0) the index dropped stay as they are: `🎯` lost its lead.
    assert!(t.repaired.contains("## üéØ Mission Accomplished"));
    // Garbled Cyrillic (lead bytes lost) stays.
    assert!(t.repaired.contains(" † µ   ª ñ ∑ æ ≤"));
}

#[test]
fn lossy_gate_summary_repairs_what_survived() {
    let t = text("text/unattributed__search-index-id-66675453281__P1-gate-summary.EXCERPT.md");
    assert_eq!(t.repairs, 39);
    assert_eq!(t.canonical.lines().count(), t.repaired.lines().count());
    let lines: Vec<&str> = t.repaired.as_str().lines().collect();
    assert_eq!(lines[0], "# P1 Gate Summary ‚ î PASS (WVR-01)");
    assert_eq!(
        lines[16],
        "| **Coverage** | ≥90% | 89% (88.77%) | ⚠\u{FE0F} WVR-01 |"
    );
    assert!(
        t.repaired
            .contains("- ✅ Exchange events ⇄ Message contracts")
    );
}

#[test]
fn corpus_mojibake_files_decode_without_panic_when_present() {
    let dir = format!(
        "{}/../shared/corpus/_unattributed_mojibake",
        env!("CARGO_MANIFEST_DIR")
    );
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {dir} not present");
        return;
    };
    let mut n = 0;
    for e in entries {
        let path = e.unwrap().path();
        let t = decode(&std::fs::read(&path).unwrap(), &Limits::default()).unwrap();
        assert!(t.repairs > 0, "{}", path.display());
        assert_eq!(t.canonical.lines().count(), t.repaired.lines().count());
        n += 1;
    }
    assert_eq!(n, 2);
}

#[test]
fn bom_and_cr_only_variants_of_the_clean_original_decode_alike() {
    let lf = text("reports/seed-clean-lf.md");
    let mut cr_bom = b"\xEF\xBB\xBF".to_vec();
    cr_bom.extend(
        fixture("reports/seed-clean-lf.md")
            .iter()
            .map(|&b| if b == b'\n' { b'\r' } else { b }),
    );
    let t = decode(&cr_bom, &Limits::default()).unwrap();
    assert!(t.bom);
    assert_eq!(t.canonical, lf.canonical);
    assert_eq!(t.repaired, lf.repaired);
}

/// Line and byte offset of an invalid byte put at the start of `line` (1-based) of `bytes`.
fn corrupt_line(bytes: &[u8], line: usize) -> (Vec<u8>, usize) {
    let mut at = 0;
    for _ in 1..line {
        at += bytes[at..].iter().position(|&b| b == b'\n').unwrap() + 1;
    }
    let mut v = bytes.to_vec();
    v.insert(at, 0xFF);
    (v, at)
}

fn invalid_at(bytes: &[u8]) -> (usize, usize) {
    match decode(bytes, &Limits::default()) {
        Err(verdict::text::TextError::InvalidUtf8 { offset, line }) => (offset, line),
        other => panic!("expected InvalidUtf8, got {other:?}"),
    }
}

#[test]
fn invalid_utf8_in_real_files_is_located_at_start_middle_and_end() {
    for name in [
        "reports/seed.txt",
        "reports/seed-clean-crlf.md",
        "reports/seed-clean-lf.md",
    ] {
        let mut bytes = fixture(name);
        for line in [1, 100, 200] {
            let (bad, at) = corrupt_line(&bytes, line);
            assert_eq!(invalid_at(&bad), (at, line), "{name} line {line}");
        }
        // The very last byte.
        bytes.push(0xC3);
        assert_eq!(invalid_at(&bytes), (bytes.len() - 1, 200), "{name} end");
        // With a BOM in front, offsets count the BOM's three bytes; lines do not change.
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend(&bytes);
        assert_eq!(
            invalid_at(&with_bom),
            (with_bom.len() - 1, 200),
            "{name} BOM"
        );
    }
}
