//! Property tests: the report stage never panics, on arbitrary bytes or on Markdown-ish
//! text built from the constructs reports use (tables, headings, fences, lists, emoji,
//! metadata, claims), and over-limit input is refused before any parsing.

use proptest::prelude::*;
use verdict::limits::Limits;
use verdict::report::{self, ReportError};
use verdict::text::{Text, TextError, decode};

fn parse_bytes(bytes: &[u8]) {
    if let Ok(text) = decode(bytes, &Limits::default()) {
        if let Ok(r) = report::parse(&text, &Limits::default()) {
            // Every span must lie inside the text and on its stated line.
            for c in &r.checks {
                assert!(c.span.offset + c.span.len <= text.repaired.len());
                let line = text.repaired[..c.span.offset].matches('\n').count() + 1;
                assert_eq!(line as u32, c.line);
            }
            // In document order, as the model promises: the extraction walks the document
            // once from the top and does not sort.
            assert!(
                r.claims
                    .windows(2)
                    .all(|w| w[0].span.offset < w[1].span.offset),
                "claims out of document order"
            );
            for c in &r.claims {
                assert_eq!(
                    text.repaired.get(c.span.offset..c.span.offset + c.span.len),
                    Some(c.text.as_str())
                );
            }
            serde_json::to_string(&r).unwrap();
        }
    }
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# ".to_string()),
        Just("### Phase 1 ✅ PASSED (5/5 tests)\n".to_string()),
        Just("| Test | Status | Result |\n".to_string()),
        Just("|---|---|---|\n".to_string()),
        Just("| a | ❌ **FAILED** | 51ms, within 1s threshold |\n".to_string()),
        Just("| **Core Features** |\n".to_string()),
        Just("| x<br>y | ⚠️ | 0.6%, under 15% |".to_string()),
        Just("```\n".to_string()),
        Just("- **✅ VERIFIED**: ".to_string()),
        Just("1. [x] ".to_string()),
        Just("**Report Hash**: `sha256:".to_string()),
        Just("**Fault Tolerance Level**: f=2 (7-node configuration)\n".to_string()),
        Just("2f+1 = 5 honest nodes, 2 malicious actors detected out of 4 nodes\n".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("  ".to_string()),
        Just("‚úÖ ".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just("**".to_string()),
        Just("`".to_string()),
        Just("|".to_string()),
        "[a-zA-Z0-9 :/%.=+*#|>-]{0,12}",
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        parse_bytes(&bytes);
    }

    #[test]
    fn markdownish_text_never_panics(pieces in proptest::collection::vec(piece(), 0..80)) {
        parse_bytes(pieces.concat().as_bytes());
    }

    #[test]
    fn over_limit_input_is_refused_early(extra in 1usize..4096, limit in 0u64..4096) {
        let bytes = vec![b'a'; usize::try_from(limit).unwrap() + extra];
        let limits = Limits { max_bytes: limit, ..Limits::default() };
        let refused = matches!(decode(&bytes, &limits), Err(TextError::TooLarge { limit: l }) if l == limit);
        prop_assert!(refused);
        // The parser enforces the same bound on text built by other means.
        let s = String::from_utf8(bytes).unwrap();
        let text = Text { canonical: s.clone(), repaired: s.into(), repairs: 0, repair_sites: Vec::new(), bom: false };
        let refused = matches!(report::parse(&text, &limits), Err(ReportError::TooLarge { .. }));
        prop_assert!(refused);
    }
}

#[test]
fn pipe_bound_refuses_one_past_the_limit_at_its_line() {
    // Two pipes a line make no table (no elements at all): only the count of pipes, taken
    // before Markdown parsing, can refuse it, at the first pipe past the bound.
    let pairs = Limits::MAX_ELEMENTS / 2;
    let text = |extra: &str| {
        let s = "||\n".repeat(pairs) + extra;
        decode(s.as_bytes(), &Limits::default()).unwrap()
    };
    assert!(report::parse(&text(""), &Limits::default()).is_ok());
    match report::parse(&text("x|"), &Limits::default()) {
        Err(ReportError::TooManyElements { limit, line, at }) => {
            assert_eq!((limit, line), (Limits::MAX_ELEMENTS, pairs as u32 + 1));
            assert_eq!(at.offset(), 3 * pairs + 1);
        }
        other => panic!("expected TooManyElements, got {other:?}"),
    }
}

#[test]
fn element_limit_bounds_huge_tables() {
    let mut s = String::from("| a | Status |\n|---|---|\n");
    for i in 0..2000 {
        s.push_str(&format!("| t{i} | PASS |\n"));
    }
    let text = decode(s.as_bytes(), &Limits::default()).unwrap();
    match report::parse_bounded(&text, &Limits::default(), 1000) {
        Err(ReportError::TooManyElements {
            limit: 1000, line, ..
        }) => assert_eq!(line, 502),
        other => panic!("expected TooManyElements, got {other:?}"),
    }
    let r = report::parse(&text, &Limits::default()).unwrap();
    assert_eq!((r.tally.total, r.tally.pass), (2000, 2000));
}

#[test]
fn deep_nesting_is_fine() {
    let s = format!("{}x\n\n{}y\n", "> ".repeat(5000), "- ".repeat(3000));
    let text = decode(s.as_bytes(), &Limits::default()).unwrap();
    report::parse(&text, &Limits::default()).unwrap();
}

#[test]
fn huge_lines_of_claims_are_bounded() {
    // 500 KiB on one line: every token a node total and a quantity. Per line at most 4096 of
    // each are kept, and columns stay exact without quadratic counting.
    let s = "7-node 5% ".repeat(50_000);
    let text = decode(s.as_bytes(), &Limits::default()).unwrap();
    let t = std::time::Instant::now();
    let r = report::parse(&text, &Limits::default()).unwrap();
    assert_eq!(
        (r.consensus.node_totals.len(), r.claims.len()),
        (4096, 4096)
    );
    assert_eq!(r.consensus.node_totals[4095].span.column, 1 + 10 * 4095);
    assert!(t.elapsed().as_secs() < 20, "took {:?}", t.elapsed());
    // Many such lines: refused once the total passes the bound, naming the line.
    let s = "7-node 5% ".repeat(1000) + "\n\n";
    let s = s.repeat(200);
    let text = decode(s.as_bytes(), &Limits::default()).unwrap();
    match report::parse(&text, &Limits::default()) {
        Err(ReportError::TooManyClaims { line, .. }) => assert_eq!(line, 203),
        other => panic!(
            "expected TooManyClaims, got {:?}",
            other.map(|r| r.claims.len())
        ),
    }
}
