//! Unit tests for the claims grammar: one group per claim form, then negatives (text that
//! must yield nothing), then robustness (proptest, long hostile lines).

use super::*;

/// Each claim as (kind, the exact text it covers).
fn claims(text: &str) -> Vec<(ClaimKind, &str)> {
    scan(text)
        .into_iter()
        .map(|c| {
            let covered = &text[c.start..c.end];
            (c.kind, covered)
        })
        .collect()
}

fn q(value: f64, unit: Unit) -> Quantity {
    Quantity {
        value,
        unit: Some(unit),
    }
}

fn bare(value: f64) -> Quantity {
    Quantity { value, unit: None }
}

fn quantity(value: f64, unit: Unit) -> ClaimKind {
    ClaimKind::Quantity {
        quantity: q(value, unit),
    }
}

fn ratio(num: u64, den: u64, noun: Option<&str>) -> ClaimKind {
    ClaimKind::Ratio {
        num,
        den,
        noun: noun.map(Into::into),
    }
}

fn count(value: u64, noun: &str) -> ClaimKind {
    ClaimKind::Count {
        value,
        noun: noun.into(),
    }
}

fn threshold(relation: Relation, limit: Quantity, measured: Option<Quantity>) -> ClaimKind {
    ClaimKind::Threshold {
        relation,
        limit,
        measured,
    }
}

/// A single quantity claim covering exactly `text`.
fn only_quantity(text: &str) -> Quantity {
    let found = scan(text);
    assert_eq!(found.len(), 1, "{text:?} gave {found:?}");
    assert_eq!((found[0].start, found[0].end), (0, text.len()), "{text:?}");
    match found[0].kind {
        ClaimKind::Quantity { quantity } => quantity,
        ref other => panic!("{text:?} gave {other:?}"),
    }
}

// ---- ratios -------------------------------------------------------------------------------

#[test]
fn ratio_forms() {
    assert_eq!(claims("5/5"), vec![(ratio(5, 5, None), "5/5")]);
    assert_eq!(
        claims("✅ PASSED (16/17 tests)"),
        vec![(ratio(16, 17, Some("tests")), "16/17 tests")]
    );
    assert_eq!(
        claims("**3 out of 4 phases passed validation**"),
        vec![(ratio(3, 4, Some("phases")), "3 out of 4 phases")]
    );
    assert_eq!(
        claims("at least 12 of 24 tests"),
        vec![(ratio(12, 24, Some("tests")), "12 of 24 tests")]
    );
    // A noun in capitals is a status, not what was counted.
    assert_eq!(claims("4/4 PASS"), vec![(ratio(4, 4, None), "4/4")]);
    assert_eq!(claims("0/9 → 9/9 passing").len(), 2);
    assert_eq!(
        claims("Score: 98/100"),
        vec![(ratio(98, 100, None), "98/100")]
    );
}

#[test]
fn ratio_rejects_dates_and_decimals() {
    assert_eq!(claims("on 9/24/2025 at noon"), vec![]);
    assert_eq!(claims("1/1/1/1/1"), vec![]);
    assert_eq!(claims("64.1/100 score"), vec![]);
    assert_eq!(claims("src/2/3"), vec![]);
}

// ---- percentages and quantities -----------------------------------------------------------

#[test]
fn percentages() {
    assert_eq!(only_quantity("94.1%"), q(94.1, Unit::Percent));
    assert_eq!(only_quantity("0.6%"), q(0.6, Unit::Percent));
    assert_eq!(only_quantity("100%"), q(100.0, Unit::Percent));
    assert_eq!(only_quantity("100 %"), q(100.0, Unit::Percent));
    assert_eq!(
        claims("(-42.5%)"),
        vec![(quantity(-42.5, Unit::Percent), "-42.5%")]
    );
}

#[test]
fn time_units() {
    assert_eq!(only_quantity("5ns"), q(5.0, Unit::Ns));
    assert_eq!(only_quantity("0.3µs"), q(0.3, Unit::Us)); // U+00B5
    assert_eq!(only_quantity("0.3μs"), q(0.3, Unit::Us)); // U+03BC
    assert_eq!(only_quantity("300us"), q(300.0, Unit::Us));
    assert_eq!(only_quantity("51ms"), q(51.0, Unit::Ms));
    assert_eq!(only_quantity("0.000ms"), q(0.0, Unit::Ms));
    assert_eq!(only_quantity("1.5 s"), q(1.5, Unit::S));
    assert_eq!(only_quantity("1s"), q(1.0, Unit::S));
    assert_eq!(only_quantity("30 sec"), q(30.0, Unit::S));
    assert_eq!(only_quantity("30 seconds"), q(30.0, Unit::S));
    assert_eq!(only_quantity("5min"), q(5.0, Unit::Min));
    assert_eq!(only_quantity("30 Minutes"), q(30.0, Unit::Min));
    assert_eq!(only_quantity("24h"), q(24.0, Unit::H));
    assert_eq!(only_quantity("1.75 hours"), q(1.75, Unit::H));
    assert_eq!(only_quantity("2 microseconds"), q(2.0, Unit::Us));
}

#[test]
fn size_rate_and_factor_units() {
    assert_eq!(only_quantity("512B"), q(512.0, Unit::Bytes));
    assert_eq!(only_quantity("800 bytes"), q(800.0, Unit::Bytes));
    assert_eq!(only_quantity("210.9KB"), q(210.9, Unit::Kb));
    assert_eq!(only_quantity("5.32 KB"), q(5.32, Unit::Kb));
    assert_eq!(only_quantity("48MB"), q(48.0, Unit::Mb));
    assert_eq!(only_quantity("4.9GB"), q(4.9, Unit::Gb));
    assert_eq!(
        only_quantity("2,496,131 ops/sec"),
        q(2_496_131.0, Unit::OpsPerSec)
    );
    assert_eq!(only_quantity("840 ops/s"), q(840.0, Unit::OpsPerSec));
    assert_eq!(only_quantity("170ops/sec"), q(170.0, Unit::OpsPerSec));
    assert_eq!(only_quantity("3.2x"), q(3.2, Unit::Times));
    assert_eq!(only_quantity("2×"), q(2.0, Unit::Times));
    assert_eq!(only_quantity("10,000x"), q(10_000.0, Unit::Times));
    assert_eq!(
        claims("**200x faster**"),
        vec![(quantity(200.0, Unit::Times), "200x")]
    );
}

#[test]
fn units_end_at_a_word_boundary() {
    // `h` of `hex`, `s` of `sessions`, `ms` of `msgs`, `B` of `Bytes`? no: not a unit word.
    assert_eq!(
        claims("16 hex chars"),
        vec![(count(16, "hex chars"), "16 hex chars")]
    );
    assert_eq!(
        claims("5 sessions"),
        vec![(count(5, "sessions"), "5 sessions")]
    );
    assert_eq!(claims("version2s"), vec![]);
    assert_eq!(claims("24th"), vec![]);
    assert_eq!(claims("8.5k/sec"), vec![]);
    // `x` only directly on the number and not followed by a letter.
    assert_eq!(claims("0x1f"), vec![]);
    assert_eq!(claims("5 x 3"), vec![]);
    assert_eq!(claims("3xl"), vec![]);
    // `5ms.` at a sentence end, `(51ms)` in parentheses, `**5ms**` in bold.
    assert_eq!(claims("took 5ms."), vec![(quantity(5.0, Unit::Ms), "5ms")]);
    assert_eq!(claims("(51ms)"), vec![(quantity(51.0, Unit::Ms), "51ms")]);
    assert_eq!(claims("**5ms**"), vec![(quantity(5.0, Unit::Ms), "5ms")]);
    // Bits and lower-case size units are not bytes.
    assert_eq!(claims("2b"), vec![]);
}

#[test]
fn parse_quantity_whole_string() {
    assert_eq!(parse_quantity("100ms"), Some(q(100.0, Unit::Ms)));
    assert_eq!(parse_quantity("5%"), Some(q(5.0, Unit::Percent)));
    assert_eq!(parse_quantity("1.5 s"), Some(q(1.5, Unit::S)));
    assert_eq!(parse_quantity("2GB"), Some(q(2.0, Unit::Gb)));
    assert_eq!(parse_quantity("  30s "), Some(q(30.0, Unit::S)));
    assert_eq!(parse_quantity("0.90"), Some(bare(0.9)));
    assert_eq!(parse_quantity("3.2x"), Some(q(3.2, Unit::Times)));
    assert_eq!(parse_quantity("μs"), None);
    assert_eq!(parse_quantity("100ms!"), None);
    assert_eq!(parse_quantity("100 ms later"), None);
    assert_eq!(parse_quantity("1.2.3"), None);
    assert_eq!(parse_quantity("2025-09-24"), None);
    assert_eq!(parse_quantity("100mss"), None);
    assert_eq!(parse_quantity(""), None);
}

#[test]
fn display_reads_like_the_report() {
    assert_eq!(q(51.0, Unit::Ms).to_string(), "51ms");
    assert_eq!(q(1.0, Unit::S).to_string(), "1s");
    assert_eq!(q(0.6, Unit::Percent).to_string(), "0.6%");
    assert_eq!(q(0.3, Unit::Us).to_string(), "0.3µs");
    assert_eq!(
        q(2_496_131.0, Unit::OpsPerSec).to_string(),
        "2496131 ops/sec"
    );
    assert_eq!(q(3.2, Unit::Times).to_string(), "3.2x");
    assert_eq!(q(2.0, Unit::Gb).to_string(), "2GB");
    assert_eq!(bare(0.9).to_string(), "0.9");
    assert_eq!(q(-42.5, Unit::Percent).to_string(), "-42.5%");
    // Display and parse_quantity round-trip.
    for s in [
        "51ms",
        "1s",
        "0.6%",
        "0.3µs",
        "2496131 ops/sec",
        "3.2x",
        "2GB",
        "5min",
        "24h",
    ] {
        assert_eq!(parse_quantity(s).map(|q| q.to_string()).as_deref(), Some(s));
    }
}

#[test]
fn normalized_compares_across_units() {
    let (dim, secs) = q(51.0, Unit::Ms).normalized();
    assert_eq!(dim, Dimension::Time);
    assert!((secs - 0.051).abs() < 1e-12, "{secs}");
    assert_eq!(q(2.0, Unit::Min).normalized(), (Dimension::Time, 120.0));
    assert_eq!(q(1.0, Unit::Kb).normalized(), (Dimension::Size, 1024.0));
    assert_eq!(bare(0.9).normalized(), (Dimension::Number, 0.9));
    assert!(Relation::Le.holds(0.051, 1.0));
    assert!(!Relation::Lt.holds(15.0, 15.0));
}

// ---- thresholds -------------------------------------------------------------------------

#[test]
fn threshold_with_measured_value() {
    assert_eq!(
        claims("Duration: 51ms, within 1s threshold"),
        vec![
            (quantity(51.0, Unit::Ms), "51ms"),
            (
                threshold(Relation::Le, q(1.0, Unit::S), Some(q(51.0, Unit::Ms))),
                "within 1s threshold"
            ),
        ]
    );
    assert_eq!(
        claims("Growth: 0.6%, under 15% threshold"),
        vec![
            (quantity(0.6, Unit::Percent), "0.6%"),
            (
                threshold(
                    Relation::Lt,
                    q(15.0, Unit::Percent),
                    Some(q(0.6, Unit::Percent))
                ),
                "under 15% threshold"
            ),
        ]
    );
    assert_eq!(
        claims("Memory growth: 0.1%, well under 10% threshold"),
        vec![
            (quantity(0.1, Unit::Percent), "0.1%"),
            (
                threshold(
                    Relation::Lt,
                    q(10.0, Unit::Percent),
                    Some(q(0.1, Unit::Percent))
                ),
                "well under 10% threshold"
            ),
        ]
    );
    // `(Target: ≥90%)` after the measured rate, and `exceeds <30s` (comparator after a word).
    assert_eq!(
        claims("Resolution Rate: 100% (Target: ≥90%)")[1],
        (
            threshold(
                Relation::Ge,
                q(90.0, Unit::Percent),
                Some(q(100.0, Unit::Percent))
            ),
            "≥90%"
        )
    );
    assert_eq!(
        claims("Average 0.14ms per conflict (exceeds <30s target)")[1],
        (
            threshold(Relation::Lt, q(30.0, Unit::S), Some(q(0.14, Unit::Ms))),
            "<30s target"
        )
    );
    // A bare measured value for a bare limit.
    assert_eq!(
        claims("agreement 0.95 (≥0.90)"),
        vec![(
            threshold(Relation::Ge, bare(0.9), Some(bare(0.95))),
            "≥0.90"
        )]
    );
}

#[test]
fn measured_only_within_the_clause_and_dimension() {
    // Different dimension: 51ms is not measured against 15%.
    assert_eq!(
        claims("51ms, under 15% threshold")[1].0,
        threshold(Relation::Lt, q(15.0, Unit::Percent), None)
    );
    // A clause break (`;`, `|`, sentence end) separates them.
    for text in [
        "took 51ms; within 1s threshold",
        "51ms | within 1s threshold",
        "It took 51ms. Within 1s threshold",
    ] {
        assert_eq!(
            claims(text)[1].0,
            threshold(Relation::Le, q(1.0, Unit::S), None),
            "{text}"
        );
    }
    // A bare number with words before the limit, or after a label, is not its value.
    assert_eq!(
        claims("Phase 2: agreement ≥0.90"),
        vec![(threshold(Relation::Ge, bare(0.9), None), "≥0.90")]
    );
    assert_eq!(
        claims("Round 3 (≥0.90)"),
        vec![(threshold(Relation::Ge, bare(0.9), None), "≥0.90")]
    );
    // Another claim in between breaks the link.
    assert_eq!(
        claims("51ms, 3 retries, within 1s")[2].0,
        threshold(Relation::Le, q(1.0, Unit::S), None)
    );
}

#[test]
fn comparator_symbols() {
    let lt = |v, u| threshold(Relation::Lt, q(v, u), None);
    assert_eq!(claims("<100ms"), vec![(lt(100.0, Unit::Ms), "<100ms")]);
    assert_eq!(claims("< 100ms"), vec![(lt(100.0, Unit::Ms), "< 100ms")]);
    assert_eq!(
        claims("<=5s"),
        vec![(threshold(Relation::Le, q(5.0, Unit::S), None), "<=5s")]
    );
    assert_eq!(
        claims("≤ 5s"),
        vec![(threshold(Relation::Le, q(5.0, Unit::S), None), "≤ 5s")]
    );
    assert_eq!(
        claims(">95%"),
        vec![(
            threshold(Relation::Gt, q(95.0, Unit::Percent), None),
            ">95%"
        )]
    );
    assert_eq!(
        claims("≥0.90"),
        vec![(threshold(Relation::Ge, bare(0.9), None), "≥0.90")]
    );
    assert_eq!(
        claims(">= 3"),
        vec![(threshold(Relation::Ge, bare(3.0), None), ">= 3")]
    );
    assert_eq!(
        claims(">85% required"),
        vec![(
            threshold(Relation::Gt, q(85.0, Unit::Percent), None),
            ">85% required"
        )]
    );
    assert_eq!(
        claims(">100 ops/sec"),
        vec![(
            threshold(Relation::Gt, q(100.0, Unit::OpsPerSec), None),
            ">100 ops/sec"
        )]
    );
    // Arrows and tags are not comparators.
    assert_eq!(
        claims("a -> 5 things"),
        vec![(count(5, "things"), "5 things")]
    );
    assert_eq!(claims("x => 5"), vec![]);
    assert_eq!(claims("<br>"), vec![]);
    assert_eq!(claims("≥95/100"), vec![(ratio(95, 100, None), "95/100")]);
}

#[test]
fn relation_words() {
    let t = |r, l| threshold(r, l, None);
    assert_eq!(
        claims("exceeds 5x"),
        vec![(t(Relation::Gt, q(5.0, Unit::Times)), "exceeds 5x")]
    );
    assert_eq!(
        claims("below 20ms"),
        vec![(t(Relation::Lt, q(20.0, Unit::Ms)), "below 20ms")]
    );
    assert_eq!(
        claims("above 80%"),
        vec![(t(Relation::Gt, q(80.0, Unit::Percent)), "above 80%")]
    );
    assert_eq!(
        claims("at least 2"),
        vec![(t(Relation::Ge, bare(2.0)), "at least 2")]
    );
    assert_eq!(
        claims("at most 100MB"),
        vec![(t(Relation::Le, q(100.0, Unit::Mb)), "at most 100MB")]
    );
    assert_eq!(
        claims("falls below the required 75% quorum threshold"),
        vec![(
            t(Relation::Lt, q(75.0, Unit::Percent)),
            "below the required 75%"
        )]
    );
    assert_eq!(
        claims("BELOW 90% threshold"),
        vec![(
            t(Relation::Lt, q(90.0, Unit::Percent)),
            "BELOW 90% threshold"
        )]
    );
    assert_eq!(
        claims("less than 1 second"),
        vec![(t(Relation::Lt, q(1.0, Unit::S)), "less than 1 second")]
    );
    // Relation words without a measurable limit say nothing.
    assert_eq!(claims("stable under load"), vec![]);
    assert_eq!(claims("well-understood"), vec![]);
    assert_eq!(claims("within 2-4 weeks"), vec![]);
    assert_eq!(
        claims("exceeds 64 advertised"),
        vec![(count(64, "advertised"), "64 advertised")]
    );
    assert_eq!(
        claims("thunder 5ms"),
        vec![(quantity(5.0, Unit::Ms), "5ms")]
    );
}

// ---- counts -------------------------------------------------------------------------------

#[test]
fn counts_with_nouns() {
    assert_eq!(
        claims("5 honest nodes"),
        vec![(count(5, "honest nodes"), "5 honest nodes")]
    );
    assert_eq!(
        claims("3 resources cleaned, 0 remaining"),
        vec![
            (count(3, "resources"), "3 resources"),
            (count(0, "remaining"), "0 remaining")
        ]
    );
    assert_eq!(
        claims("5 honest nodes, 2 detected malicious actors"),
        vec![
            (count(5, "honest nodes"), "5 honest nodes"),
            (
                count(2, "detected malicious actors"),
                "2 detected malicious actors"
            ),
        ]
    );
    assert_eq!(
        claims("24ms for 2,431 memories"),
        vec![
            (quantity(24.0, Unit::Ms), "24ms"),
            (count(2431, "memories"), "2,431 memories"),
        ]
    );
}

#[test]
fn detached_total_is_a_ratio_with_the_count_before_it() {
    assert_eq!(
        claims("2 malicious actors detected out of 4 nodes"),
        vec![
            (count(2, "malicious actors"), "2 malicious actors"),
            (ratio(2, 4, Some("nodes")), "out of 4 nodes"),
        ]
    );
    // Without a count before it in the clause nothing is guessed.
    assert_eq!(claims("consensus out of 4 nodes"), vec![]);
    assert_eq!(
        claims("2 actors; out of 4 nodes"),
        vec![(count(2, "actors"), "2 actors")]
    );
}

#[test]
fn counts_that_are_not_counts() {
    // Ordinal labels, months, times, status words, function words.
    assert_eq!(claims("Phase 2 validation"), vec![]);
    assert_eq!(claims("Round 4 results"), vec![]);
    assert_eq!(claims("September 24, 2025 at 13:59"), vec![]);
    assert_eq!(claims("4096 Nov 24 12:00 dist"), vec![]);
    assert_eq!(claims("2 PASS"), vec![]);
    assert_eq!(claims("1 of the"), vec![]);
    assert_eq!(claims("up to 2 malicious/failed nodes"), vec![]);
    assert_eq!(claims("151+ command templates"), vec![]);
}

// ---- success rates ------------------------------------------------------------------------

#[test]
fn success_rates() {
    let sr = |p| ClaimKind::SuccessRate { percent: p };
    assert_eq!(
        claims("94.1% success rate"),
        vec![(sr(94.1), "94.1% success rate")]
    );
    assert_eq!(
        claims("(94.1% success rate)"),
        vec![(sr(94.1), "94.1% success rate")]
    );
    assert_eq!(
        claims("Success Rate: 100%"),
        vec![(sr(100.0), "Success Rate: 100%")]
    );
    assert_eq!(
        claims("**Success Rate**: 94.1% (16/17)"),
        vec![
            (sr(94.1), "Success Rate**: 94.1%"),
            (ratio(16, 17, None), "16/17")
        ]
    );
    assert_eq!(
        claims("success rate of 88.9%"),
        vec![(sr(88.9), "success rate of 88.9%")]
    );
    // A success rate stated as a requirement is a threshold, not a rate.
    assert_eq!(
        claims("Success Rate: ≥90%"),
        vec![(
            threshold(Relation::Ge, q(90.0, Unit::Percent), None),
            "≥90%"
        )]
    );
    assert_eq!(
        claims("success rate: 5ms"),
        vec![(quantity(5.0, Unit::Ms), "5ms")]
    );
}

// ---- fault tolerance and quorum arithmetic ------------------------------------------------

#[test]
fn fault_tolerance() {
    let ft = |f, n| ClaimKind::FaultTolerance { f, n };
    assert_eq!(claims("f=2"), vec![(ft(2, None), "f=2")]);
    assert_eq!(claims("f = 2"), vec![(ft(2, None), "f = 2")]);
    assert_eq!(
        claims("f=2 (7-node configuration)"),
        vec![(ft(2, Some(7)), "f=2 (7-node")]
    );
    assert_eq!(
        claims("f=2 (can tolerate up to 2 malicious/failed nodes)"),
        vec![(ft(2, None), "f=2")]
    );
    assert_eq!(
        claims("f=2 of 7 nodes maintained"),
        vec![(ft(2, Some(7)), "f=2 of 7 nodes")]
    );
    assert_eq!(claims("f=2, n=7"), vec![(ft(2, Some(7)), "f=2, n=7")]);
    assert_eq!(claims("(n=7, f=2)"), vec![(ft(2, Some(7)), "n=7, f=2")]);
    assert_eq!(claims("f=2 (n = 7)"), vec![(ft(2, Some(7)), "f=2 (n = 7")]);
    // Not a standalone f.
    assert_eq!(claims("diff=2"), vec![]);
    assert_eq!(claims("f=2.5"), vec![]);
    assert_eq!(claims("f=node2"), vec![]);
}

#[test]
fn quorum_arithmetic() {
    let qa = |coefficient, offset, stated| ClaimKind::QuorumArithmetic {
        coefficient,
        offset,
        stated,
    };
    assert_eq!(claims("2f+1 = 5"), vec![(qa(2, 1, 5), "2f+1 = 5")]);
    assert_eq!(claims("2f + 1 = 5"), vec![(qa(2, 1, 5), "2f + 1 = 5")]);
    assert_eq!(claims("3f+1=7"), vec![(qa(3, 1, 7), "3f+1=7")]);
    assert_eq!(claims("f+1 = 3"), vec![(qa(1, 1, 3), "f+1 = 3")]);
    assert_eq!(claims("2f-1 = 3"), vec![(qa(2, -1, 3), "2f-1 = 3")]);
    assert_eq!(
        claims("(requires 2f+1 = 5 honest nodes)"),
        vec![(qa(2, 1, 5), "2f+1 = 5")]
    );
    // The expression alone states nothing.
    assert_eq!(claims("quorum: 2f+1"), vec![]);
    assert_eq!(claims("2f+1 = 5.5"), vec![]);
    assert_eq!(
        claims("2f+1 = 5x"),
        vec![(quantity(5.0, Unit::Times), "5x")]
    );
    assert_eq!(claims("n = 3f+1 = 7")[0].1, "3f+1 = 7");
}

// ---- hashes, signatures, transitions ------------------------------------------------------

#[test]
fn hashes_kept_as_written() {
    let h = |a: &str, x: &str| ClaimKind::Hash {
        algorithm: a.into(),
        hex: x.into(),
    };
    let digest = "a8f7e2b9c4d6f1a5e3c8b2a9f7e4d1c6b9a2f5e8c1d4a7b3f9e2c5a8d1b4f7e0";
    let line = format!("**Report Hash**: `sha256:{digest}`");
    assert_eq!(
        claims(&line),
        vec![(h("sha256", digest), &line[18..18 + 7 + 64])]
    );
    // Malformed: short, not hex, upper case.
    assert_eq!(
        claims("sha256:abc"),
        vec![(h("sha256", "abc"), "sha256:abc")]
    );
    assert_eq!(
        claims("sha256:xyz123"),
        vec![(h("sha256", "xyz123"), "sha256:xyz123")]
    );
    assert_eq!(
        claims("SHA256:ABCDEF"),
        vec![(h("sha256", "ABCDEF"), "SHA256:ABCDEF")]
    );
    assert_eq!(
        claims("SHA-256: 7f9e2b4a"),
        vec![(h("sha256", "7f9e2b4a"), "SHA-256: 7f9e2b4a")]
    );
    assert_eq!(
        claims("sha512:00ff"),
        vec![(h("sha512", "00ff"), "sha512:00ff")]
    );
    // Prose after the colon, or no colon: no digest.
    assert_eq!(claims("SHA-256: pending"), vec![]);
    assert_eq!(claims("SHA-256 with node-specific keys"), vec![]);
    assert_eq!(claims("SHA256-HMAC signatures"), vec![]);
    assert_eq!(claims("mysha256:abc"), vec![]);
}

#[test]
fn signature_counts() {
    let sig = |signed, total| ClaimKind::Signatures { signed, total };
    assert_eq!(
        claims("**Consensus Signatures**: 5/7 nodes confirmed"),
        vec![(sig(5, 7), "5/7 nodes confirmed")]
    );
    assert_eq!(
        claims("6/7 validators signed"),
        vec![(sig(6, 7), "6/7 validators signed")]
    );
    assert_eq!(
        claims("7/7 signatures"),
        vec![(sig(7, 7), "7/7 signatures")]
    );
    assert_eq!(
        claims("5 of 7 signatures"),
        vec![(sig(5, 7), "5 of 7 signatures")]
    );
    // Nodes without a signing verb are a plain ratio (a node total).
    assert_eq!(
        claims("quorum formation (5/7 nodes)"),
        vec![(ratio(5, 7, Some("nodes")), "5/7 nodes")]
    );
    assert_eq!(
        claims("3/3 messages verified"),
        vec![(ratio(3, 3, Some("messages")), "3/3 messages")]
    );
}

#[test]
fn transitions() {
    let tr = |f: &str, t: &str| ClaimKind::Transition {
        from: f.into(),
        to: t.into(),
    };
    assert_eq!(
        claims("View change from 0→1 successful"),
        vec![(tr("0", "1"), "from 0→1")]
    );
    assert_eq!(claims("0 -> 1"), vec![(tr("0", "1"), "0 -> 1")]);
    assert_eq!(
        claims("0% → 87.5%"),
        vec![(tr("0%", "87.5%"), "0% → 87.5%")]
    );
    assert_eq!(
        claims("15min → <5min"),
        vec![(tr("15min", "<5min"), "15min → <5min")]
    );
    assert_eq!(claims("(-4 → 0 → +2)")[0], (tr("-4", "0"), "-4 → 0"));
    assert_eq!(
        claims("Reduce latency from 269ms to <50ms"),
        vec![(tr("269ms", "<50ms"), "from 269ms to <50ms")]
    );
    assert_eq!(
        claims("from 80% to >95%"),
        vec![(tr("80%", ">95%"), "from 80% to >95%")]
    );
    assert_eq!(claims("from 2 to"), vec![]);
    // Version upgrades are not transitions of quantities.
    assert_eq!(claims("npm 10.8.2 -> 11.6.2"), vec![]);
    assert_eq!(claims("FAIL → PASS"), vec![]);
}

// ---- negatives: dates, times, versions, addresses, ids -------------------------------------

#[test]
fn no_bogus_quantities() {
    for text in [
        "2025-09-24T20:59:48.000Z",
        "2025-09-24",
        "**Execution Date**: 2025-09-24T20:59:48.000Z",
        "13:59:48",
        "at 10:30 UTC",
        "v2.7.35",
        "version 2.7.35",
        "2.0.0-alpha.117",
        "claude-flow@2.0.0-alpha.117",
        "192.168.1.1",
        "127.0.0.1:8080",
        "node2",
        "node-2",
        "agent_3",
        "byzantine-validator-primary-20250924-135948",
        "7f9e2b4a8c3d1f6e5b9a2c7d4f1e8b5a",
        "a8f7e2b9c4d6f1a5",
        "0x1f3a",
        "(0-1 weeks)",
        "2.8-4.4x",
        "5-8ms",
        "1,2,3",
        "Node.js 18",
        "ES2022",
        "P95",
        "#125",
        "issue-125",
        "1.",
        "3e5",
    ] {
        assert_eq!(claims(text), vec![], "{text}");
    }
}

#[test]
fn offsets_are_byte_ranges_in_unicode_text() {
    let text = "🟡 µ — 51μs ✅, within 1s";
    let found = scan(text);
    assert_eq!(found.len(), 2);
    assert_eq!(&text[found[0].start..found[0].end], "51μs");
    assert_eq!(&text[found[1].start..found[1].end], "within 1s");
    assert!(found[0].end <= found[1].start);
}

#[test]
fn cap_on_claims() {
    let text = "1ms ".repeat(100);
    let s = scan_bounded(&text, 10);
    assert_eq!(s.claims.len(), 10);
    assert!(s.truncated);
    let s = scan_bounded(&text, 100);
    assert_eq!(s.claims.len(), 100);
    assert!(!s.truncated);
    assert_eq!(scan(&"1ms ".repeat(MAX_CLAIMS + 5)).len(), MAX_CLAIMS);
}

#[test]
fn serializes_with_kind_tag() {
    let found = scan("5/7 nodes confirmed");
    let json = serde_json::to_string(&found).unwrap();
    assert_eq!(
        json,
        r#"[{"kind":"signatures","signed":5,"total":7,"start":0,"end":19}]"#
    );
    let json = serde_json::to_string(&scan("51ms")).unwrap();
    assert_eq!(
        json,
        r#"[{"kind":"quantity","quantity":{"value":51.0,"unit":"ms"},"start":0,"end":4}]"#
    );
}

// ---- robustness -----------------------------------------------------------------------------

/// Claims are in order, inside the text, on char boundaries, do not overlap, and each
/// covers an ASCII digit; and scanning to the end finds the same claims as stopping after
/// the last digit, as [`scan_into`] does.
fn well_formed(text: &str) {
    let found = scan(text);
    let whole = scan_until(text, MAX_CLAIMS, Vec::new(), text.len());
    assert_eq!(whole.claims, found, "{text:?}");
    let mut last = 0;
    for c in &found {
        assert!(
            c.start >= last && c.start < c.end && c.end <= text.len(),
            "{c:?}"
        );
        assert!(text.is_char_boundary(c.start) && text.is_char_boundary(c.end));
        assert!(
            text[c.start..c.end].bytes().any(|b| b.is_ascii_digit()),
            "{c:?} in {text:?}"
        );
        last = c.end;
    }
}

#[test]
fn long_hostile_lines_scan_in_linear_time() {
    const MIB: usize = 1 << 20;
    const QUARTER: usize = MIB / 4;
    let started = std::time::Instant::now();
    // The three shapes the grammar is most exposed to at full size, the rest at 256 KiB to
    // keep the debug test quick; a quadratic scan of any of them would take minutes.
    let inputs = [
        "1".repeat(MIB),
        "%".repeat(MIB),
        "1/".repeat(MIB / 2),
        "1.".repeat(QUARTER / 2),
        "1,".repeat(QUARTER / 2),
        "1-".repeat(QUARTER / 2),
        " ".repeat(QUARTER),
        "a".repeat(QUARTER),
        "1 ".repeat(QUARTER / 2),
        "f=".repeat(QUARTER / 2),
        "<".repeat(QUARTER),
        "2f+".repeat(QUARTER / 3),
        "sha256:".repeat(QUARTER / 7),
        "1 out of ".repeat(QUARTER / 9),
        "µ".repeat(QUARTER / 2),
        "1ms, within ".repeat(QUARTER / 12),
        format!("sha256:{}", "a".repeat(MIB)),
        format!("5 {}", "a".repeat(MIB)),
        format!("5{}ms", " ".repeat(MIB)),
    ];
    for text in &inputs {
        well_formed(text);
    }
    let took = started.elapsed();
    assert!(took.as_secs() < 30, "took {took:?}");
}

proptest::proptest! {
    #[test]
    fn never_panics_on_any_string(text in "\\PC*") {
        well_formed(&text);
        let _ = parse_quantity(&text);
    }

    #[test]
    fn never_panics_on_claim_like_text(
        text in "([0-9]{1,4}|[0-9]\\.[0-9]|f|n|=|\\+|-|/|%|ms|µs|μs|x|×|→|->|<|≥|≤|>|:|,|\\.| |out of |of |sha256:|nodes|confirmed|within |success rate|[a-z]{1,5}|\\(|\\)){0,40}"
    ) {
        well_formed(&text);
        let _ = parse_quantity(&text);
    }

    #[test]
    fn quantities_round_trip(value in 0u32..1_000_000, frac in 0u32..1000,
                             unit in proptest::sample::select(vec!["ms", "s", "%", "µs", "ns", "min", "h", "KB", "MB", "GB", "x"])) {
        let text = format!("{value}.{frac:03}{unit}");
        let parsed = parse_quantity(&text);
        proptest::prop_assert!(parsed.is_some(), "{}", text);
        let parsed = parsed.unwrap();
        let expected: f64 = format!("{value}.{frac:03}").parse().unwrap();
        proptest::prop_assert_eq!(parsed.value, expected);
        proptest::prop_assert_eq!(parse_quantity(&parsed.to_string()), Some(parsed));
    }
}

#[test]
#[ignore = "manual: EXPLORE=path prints every claim of a file"]
fn explore() {
    let Ok(path) = std::env::var("EXPLORE") else {
        return;
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    for line in text.lines() {
        let found = scan(line);
        if !found.is_empty() {
            println!("== {line}");
            for c in found {
                println!("   {:?}  [{}]", c.kind, &line[c.start..c.end]);
            }
        }
    }
}

/// The real reports, when present beside the repository (`../shared/corpus`, or the
/// directory in `VERDICT_CORPUS`): every line scans well-formed, no claim that starts with
/// a digit or letter is glued to the word before it, and none stops in the middle of a number.
#[test]
fn corpus_lines_scan_cleanly() {
    let dir = std::env::var_os("VERDICT_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
        });
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: no corpus at {}", dir.display());
        return;
    };
    let mut files = 0;
    let mut total = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        files += 1;
        for line in text.lines() {
            well_formed(line);
            for c in scan(line) {
                total += 1;
                let before = line[..c.start].chars().next_back();
                let after = line[c.end..].chars().next();
                // Comparators may sit on a word (`p<0.001`); numbers and words may not.
                let starts_word = line[c.start..].starts_with(is_word_char);
                assert!(
                    !(starts_word && before.is_some_and(|p| is_word_char(p) || p == '.')),
                    "{}: {line:?} {c:?}",
                    path.display()
                );
                assert!(
                    !after.is_some_and(|n| n.is_ascii_digit()),
                    "{}: {line:?} {c:?}",
                    path.display()
                );
            }
        }
    }
    println!("scanned {files} corpus files, {total} claims");
    assert!(files > 0 && total > 0);
}

#[test]
fn seed_table_rows() {
    assert_eq!(
        claims(
            "| Malicious Actor Detection | ✅ PASSED | 2 malicious actors detected out of 4 nodes |"
        ),
        vec![
            (count(2, "malicious actors"), "2 malicious actors"),
            (ratio(2, 4, Some("nodes")), "out of 4 nodes"),
        ]
    );
    assert_eq!(
        claims("**Fault Tolerance Level**: f=2 (7-node configuration)"),
        vec![(
            ClaimKind::FaultTolerance { f: 2, n: Some(7) },
            "f=2 (7-node"
        )]
    );
    assert_eq!(
        claims("### Phase 3: Memory Leak Prevention Validation ❌ FAILED (3/4 tests)"),
        vec![(ratio(3, 4, Some("tests")), "3/4 tests")]
    );
    assert_eq!(
        claims("- **Current Health**: 5 honest nodes, 2 detected malicious actors"),
        vec![
            (count(5, "honest nodes"), "5 honest nodes"),
            (
                count(2, "detected malicious actors"),
                "2 detected malicious actors"
            ),
        ]
    );
    assert_eq!(
        claims("**Execution Date**: 2025-09-24T20:59:48.000Z"),
        vec![]
    );
    assert_eq!(
        claims("**Validation ID**: `byzantine-validator-primary-20250924-135948`"),
        vec![]
    );
}

/// The word dispatch in `word_forms` must know every word a threshold can begin with.
#[test]
fn threshold_first_words_cover_the_relations() {
    for (phrase, _) in RELATION_WORDS {
        let first = phrase.split(' ').next().unwrap_or_default();
        assert!(THRESHOLD_FIRST_WORDS.contains(&first), "{phrase}");
    }
    for adverb in THRESHOLD_ADVERBS {
        assert!(THRESHOLD_FIRST_WORDS.contains(adverb), "{adverb}");
    }
}

#[test]
fn arrows_are_found_by_their_bytes() {
    for (text, arrow) in [
        ("from 0→1", true),
        ("0 ⟶ 1", true),
        ("0 -> 1", true),
        ("->", true),
        ("a > b", false),
        ("—>", false),
        ("€ ← ✅ ⟵", false),
        ("", false),
        ("→", true),
    ] {
        assert_eq!(super::has_arrow(text), arrow, "{text:?}");
    }
}

#[test]
fn plain_digit_runs_read_as_the_general_number_reads_them() {
    for s in [
        "0",
        "007",
        "51ms",
        "5/7",
        "9007199254740993",
        "9999999999999999999",
        "12345678901234567890",
        "1,234",
        "1.5",
        "123abc",
        "2025-09-24",
        "18446744073709551615",
    ] {
        assert_eq!(number(s), number_general(s), "{s}");
    }
}

proptest::proptest! {
    #[test]
    fn any_digit_run_reads_as_the_general_number_reads_it(
        digits in "[0-9]{1,25}",
        tail in "(|[,.][0-9]{0,4}|[a-z%/ ]{0,3})",
    ) {
        let s = format!("{digits}{tail}");
        proptest::prop_assert_eq!(number(&s), number_general(&s));
    }
}

#[test]
fn keywords_compare_ascii_case_only() {
    assert_eq!(kw("of")("OF 7"), Ok((" 7", "OF")));
    assert!(kw("of")("often").is_err());
    assert!(kw("of")("o").is_err());
    assert!(
        tag_i("kb")("\u{212A}b").is_err(),
        "the Kelvin sign is not a k"
    );
    assert!(boundary("é").is_err() && boundary("_").is_err() && boundary(" x").is_ok());
    for w in ["the", "THE", "September", "x", "vs"] {
        assert!(is_stopword(w), "{w}");
    }
    for w in ["nodes", "tests", "septembers", "", "thé"] {
        assert!(!is_stopword(w), "{w}");
    }
}
