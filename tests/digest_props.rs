//! Properties of the canonical digest over the signed clean report: any single-byte change
//! outside the attestation lines changes it; line endings and attestation lines do not.

use proptest::prelude::*;
use std::sync::OnceLock;
use verdict::attest::{Digest, digest};
use verdict::limits::Limits;
use verdict::report::attestation::is_attestation_line;
use verdict::text::decode;

fn clean() -> &'static [u8] {
    static C: OnceLock<Vec<u8>> = OnceLock::new();
    C.get_or_init(|| {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/reports/signed/clean.md"),
        )
        .unwrap()
    })
}

fn digest_of(bytes: &[u8]) -> Option<Digest> {
    decode(bytes, &Limits::default()).ok().map(|t| digest(&t))
}

/// (start, end) byte ranges of the attestation lines of an LF file, terminator excluded.
fn attestation_ranges(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in bytes.split_inclusive(|b| *b == b'\n') {
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        if is_attestation_line(std::str::from_utf8(content).unwrap()) {
            out.push((start, start + content.len()));
        }
        start += line.len();
    }
    out
}

#[test]
fn fixture_has_the_expected_attestation_lines() {
    // The hash line and five signature lines: the properties below really exercise them.
    assert_eq!(attestation_ranges(clean()).len(), 6);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, .. ProptestConfig::default() })]

    #[test]
    fn any_content_byte_change_changes_the_digest(pos in 0usize..100_000, byte in any::<u8>()) {
        let orig = clean();
        let pos = pos % orig.len();
        let in_attestation = attestation_ranges(orig).iter().any(|&(s, e)| pos >= s && pos < e);
        prop_assume!(!in_attestation);
        // Keep UTF-8 valid (a report must be): ASCII stays ASCII, a continuation byte of a
        // multi-byte character becomes another continuation byte; lead bytes are skipped.
        let byte = match orig[pos] {
            0x00..=0x7F => byte & 0x7F,
            0x80..=0xBF => 0x80 | (byte & 0x3F),
            _ => orig[pos],
        };
        // Line terminators are the other property.
        prop_assume!(!matches!(orig[pos], b'\r' | b'\n') && !matches!(byte, b'\r' | b'\n'));
        prop_assume!(orig[pos] != byte);
        let mut m = orig.to_vec();
        m[pos] = byte;
        let changed = digest_of(&m);
        prop_assume!(changed.is_some());
        prop_assert_ne!(changed, digest_of(orig));
    }

    #[test]
    fn line_endings_do_not_change_the_digest(endings in proptest::collection::vec(0u8..3, 200), final_eol in any::<bool>()) {
        let orig = std::str::from_utf8(clean()).unwrap();
        let lines: Vec<&str> = orig.lines().collect();
        let mut out = String::new();
        for (i, l) in lines.iter().enumerate() {
            out.push_str(l);
            if i + 1 < lines.len() || final_eol {
                let mut e = ["\n", "\r\n", "\r"][usize::from(endings[i % endings.len()])];
                // A lone CR then an empty line ended by LF would read as one CRLF.
                if e == "\n" && l.is_empty() && out.ends_with('\r') {
                    e = "\r\n";
                }
                out.push_str(e);
            }
        }
        prop_assert_eq!(digest_of(out.as_bytes()), digest_of(clean()));
        // A BOM does not either.
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(out.as_bytes());
        prop_assert_eq!(digest_of(&bom), digest_of(clean()));
    }

    #[test]
    fn attestation_lines_do_not_change_the_digest(
        which in 0usize..6,
        offset in 0usize..400,
        ch in "[ -~]",
        drop in any::<bool>(),
    ) {
        let orig = clean();
        let ranges = attestation_ranges(orig);
        let (s, e) = ranges[which];
        let mut m = orig.to_vec();
        if drop {
            // Remove the whole line with its LF.
            m.drain(s..=e);
        } else {
            // Rewrite a byte after the recognised prefix, keeping it an attestation line.
            let line = std::str::from_utf8(&orig[s..e]).unwrap();
            let keep = if line.starts_with("<!--") { "<!-- verdict-signature".len() } else { "**Report Hash**:".len() };
            let pos = s + keep + offset % (e - s - keep);
            m[pos] = ch.as_bytes()[0];
        }
        prop_assert_eq!(digest_of(&m), digest_of(orig));
        // Adding another signature line anywhere does not either.
        let mut added = orig.to_vec();
        let at = orig.iter().position(|b| *b == b'\n').unwrap() + 1;
        added.splice(at..at, b"<!-- verdict-signature/v1 forged -->\n".iter().copied());
        prop_assert_eq!(digest_of(&added), digest_of(orig));
    }
}

proptest! {
    /// The recogniser never panics, and the digest's test agrees with the parser's.
    #[test]
    fn classify_total_and_consistent(
        prefix in "[ \t]{0,2}(- |\\* )?[*_]{0,2}",
        word in "(|[A-Za-z]{1,6} )",
        key in "(report hash|Report  Hash|REPORT\tHASH|report|<!-- verdict-signature|<!--verdict-signature/v1)",
        rest in "\\PC{0,80}",
    ) {
        let line = format!("{prefix}{word}{key}{rest}");
        let c = verdict::report::attestation::classify(&line);
        prop_assert_eq!(c.is_some(), is_attestation_line(&line));
        let _ = verdict::report::attestation::classify(&rest);
    }

    /// attest() is total over arbitrary text with attestation-looking lines mixed in.
    #[test]
    fn attest_never_panics(lines in proptest::collection::vec(
        "(\\PC{0,40}|\\*\\*Report Hash\\*\\*: `\\PC{0,70}`|<!-- verdict-signature/v1 \\PC{0,200} -->)", 0..20)
    ) {
        let text = lines.join("\n");
        let t = decode(text.as_bytes(), &Limits::default()).unwrap();
        let e = verdict::attest::attest(&t, None, Some(&text), None, 8);
        prop_assert!(e.distinct_valid_signers == 0);
    }
}
