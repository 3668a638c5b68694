//! Status words → [`CheckStatus`]. Reports spell the same verdict many ways (`✅ PASSED`,
//! `**PASS**`, `❌ NOT VERIFIED`, `⚠️ Partial`); policies must see one value, while the raw text
//! is kept beside it for display.
//!
//! Marks recognised (case-insensitive, bold or not, with or without U+FE0F):
//! - pass: PASS, PASSED, PASSING, ✅, ✔, ☑, 🟢, OK, VERIFIED, COMPLETE, COMPLETED
//! - fail: FAIL, FAILED, FAILING, ❌, ✖, ✗, 🔴, NOT VERIFIED, BLOCKED, NO-GO (NO GO)
//! - warn: ⚠, 🟡, 🔶, PARTIAL, WARN, WARNING, CONDITIONAL
//! - skip: N/A, SKIP, SKIPPED, ⏳, PENDING
//!
//! 🟢/🔴/🟡/🔶 are not in the design's list; they are the traffic-light marks the corpus uses
//! next to the listed words (`🟡 PARTIAL`), so they agree with them.

use super::swar;
pub use crate::verdict::CheckStatus;

/// A status found in a piece of text: the normalised value and the byte range of the mark
/// that decided it (within the string that was classified).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusMark {
    pub status: CheckStatus,
    pub start: usize,
    pub end: usize,
}

/// Emoji marks; matched before words because they are unambiguous.
const EMOJI: &[(char, CheckStatus)] = &[
    ('✅', CheckStatus::Pass),
    ('✔', CheckStatus::Pass),
    ('☑', CheckStatus::Pass),
    ('🟢', CheckStatus::Pass),
    ('❌', CheckStatus::Fail),
    ('✖', CheckStatus::Fail),
    ('✗', CheckStatus::Fail),
    ('🔴', CheckStatus::Fail),
    ('⚠', CheckStatus::Warn),
    ('🟡', CheckStatus::Warn),
    ('🔶', CheckStatus::Warn),
    ('⏳', CheckStatus::Skip),
];

/// Single words, any case. Multi-word marks (NOT VERIFIED, NO GO) are handled in
/// [`two_word_fail`] because they must win over their last word. One `match` on the word
/// upper-cased: the compiler dispatches on its length and bytes, where a table would be
/// compared entry by entry for every capitalised word of a title (`Phase`, `Consensus`).
fn word_status(word: &str) -> Option<CheckStatus> {
    let b = word.as_bytes();
    let mut upper = [0u8; 11];
    let upper = upper.get_mut(..b.len())?;
    upper.copy_from_slice(b);
    upper.make_ascii_uppercase();
    Some(match &*upper {
        b"PASS" | b"PASSED" | b"PASSING" | b"OK" | b"VERIFIED" | b"COMPLETE" | b"COMPLETED" => {
            CheckStatus::Pass
        }
        b"FAIL" | b"FAILED" | b"FAILING" | b"BLOCKED" | b"NO-GO" => CheckStatus::Fail,
        b"PARTIAL" | b"WARN" | b"WARNING" | b"CONDITIONAL" => CheckStatus::Warn,
        b"N/A" | b"SKIP" | b"SKIPPED" | b"PENDING" => CheckStatus::Skip,
        _ => return None,
    })
}

/// Characters that belong to a status word (`NO-GO`, `N/A`).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '/' || c == '_'
}

/// Markup and punctuation that may sit between the words of a mark or around it.
fn is_filler(c: char) -> bool {
    c.is_whitespace() || matches!(c, '*' | '_' | '`' | '\u{FE0F}' | '~')
}

/// A word token: byte range within `s`, trailing `-`/`/` trimmed so `PASS/` or `FAIL-` match.
struct Word<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

/// The first offset at or after `from` where `is_word_char` is `want`, or `s.len()`.
fn skip_while_word(s: &str, from: usize, want: bool) -> usize {
    let byte = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'/' | b'_');
    super::scan::next_in_class(s, from, want, byte, is_word_char)
}

fn words(s: &str) -> impl Iterator<Item = Word<'_>> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        loop {
            let start = skip_while_word(s, pos, true);
            if start >= s.len() {
                return None;
            }
            let end = skip_while_word(s, start, false);
            pos = end;
            let raw = &s[start..end];
            let trimmed = raw.trim_start_matches(['-', '/', '_']);
            let text = trimmed.trim_end_matches(['-', '/', '_']);
            if text.is_empty() {
                continue;
            }
            let start = start + (raw.len() - trimmed.len());
            return Some(Word {
                text,
                start,
                end: start + text.len(),
            });
        }
    })
}

/// Which words a mark may be made of, and whether `strict` mode (headings, free text) accepts
/// a word: there only upper-case words count, since "Pending work" or "Complete guide" in a
/// title is prose, not a status.
fn accept(word: &str, strict: bool) -> bool {
    !strict || !word.chars().any(|c| c.is_lowercase())
}

/// The status `word` is, if it is one and [`accept`] takes it. Case first: in strict mode it
/// rejects most words of a title without a lookup.
fn accepted_status(word: &str, strict: bool) -> Option<CheckStatus> {
    Some(word)
        .filter(|w| accept(w, strict))
        .and_then(word_status)
}

/// Status decided by the first mark in `s`, or `None` when it holds none. Used for a table's
/// status cell, where any case is accepted.
pub fn classify(s: &str) -> Option<StatusMark> {
    find(s, false)
}

/// Like [`classify`] for headings and free text: emoji always count, words only in upper case.
pub fn classify_strict(s: &str) -> Option<StatusMark> {
    find(s, true)
}

/// A mark at the very start of `s` (after whitespace and emphasis markers), as in a status
/// cell `✅ **PASS**` or an item `**❌ NOT VERIFIED**: …`. Looks only at the first few words,
/// so it costs the same on a long cell as on a short one.
pub fn leading(s: &str, strict: bool) -> Option<StatusMark> {
    let mut cut = s.len().min(48);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &s[..cut];
    // Only a mark right after the leading fillers counts, so only the first character, or
    // the first word (two for NOT VERIFIED), is looked at: the same answer as taking the
    // first mark of `head` and requiring fillers before it, without scanning the rest.
    let at = head.len() - head.trim_start_matches(is_filler).len();
    let rest = &head[at..];
    let shift = |status, start: usize, end: usize| StatusMark {
        status,
        start: at + start,
        end: at + end,
    };
    let c = rest.chars().next()?;
    if let Some(&(_, status)) = EMOJI.iter().find(|(e, _)| *e == c) {
        return Some(shift(status, 0, c.len_utf8()));
    }
    // A word that starts later (after `-`, `(` …) has a non-filler before it.
    if !c.is_alphanumeric() {
        return None;
    }
    // In strict mode a lower-case letter in the first two rules out the first word, and
    // with it NOT/NO (`Validation ID`, `Not yet`): no word is split.
    if strict && rest.bytes().take(2).any(|b| b.is_ascii_lowercase()) {
        return None;
    }
    // The first word must be a status word or NOT/NO: all start with one of these letters,
    // so most cells and items are answered without splitting words.
    if !matches!(
        c.to_ascii_uppercase(),
        'P' | 'O' | 'V' | 'C' | 'F' | 'B' | 'N' | 'W' | 'S'
    ) {
        return None;
    }
    let mut ws = words(rest);
    let first = ws.next().filter(|w| w.start == 0)?;
    if let Some(status) = accepted_status(first.text, strict) {
        return Some(shift(status, first.start, first.end));
    }
    if !(first.text.eq_ignore_ascii_case("NOT") || first.text.eq_ignore_ascii_case("NO")) {
        return None;
    }
    let second = ws.next()?;
    two_word_fail(rest, &first, &second, strict).then(|| shift(CheckStatus::Fail, 0, second.end))
}

/// NOT VERIFIED / NOT PASSED / NO GO: two words, only fillers between, that make one fail
/// mark (the second word alone would read as a pass or nothing).
fn two_word_fail(s: &str, p: &Word<'_>, w: &Word<'_>, strict: bool) -> bool {
    let is = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    ((is(p.text, "NOT") && (is(w.text, "VERIFIED") || is(w.text, "PASSED")))
        || (is(p.text, "NO") && is(w.text, "GO")))
        && s[p.end..w.start].chars().all(is_filler)
        && accept(p.text, strict)
        && accept(w.text, strict)
}

/// The first mark in `s`, emoji and words in reading order.
pub fn find(s: &str, strict: bool) -> Option<StatusMark> {
    // Only emoji are left to find when strict mode rules out every word; in ASCII text,
    // nothing is.
    let words_possible = !strict || could_hold_upper_mark(s.as_bytes());
    if !words_possible && s.is_ascii() {
        return None;
    }
    let emoji = s
        .char_indices()
        .filter(|(_, c)| !c.is_ascii())
        .find_map(|(i, c)| {
            EMOJI
                .iter()
                .find(|(e, _)| *e == c)
                .map(|&(_, status)| StatusMark {
                    status,
                    start: i,
                    end: i + c.len_utf8(),
                })
        });
    let word = words_possible
        .then(|| first_word(s, strict, emoji.map_or(s.len(), |e| e.start)))
        .flatten();
    match (emoji, word) {
        (Some(e), Some(w)) if w.start < e.start => Some(w),
        (Some(e), _) => Some(e),
        (None, w) => w,
    }
}

/// Whether text can hold a word mark in strict mode, where only upper-case words count:
/// every such mark has two ASCII upper-case letters in a row (`OK`, `PASS`, `NOT VERIFIED`,
/// `NO-GO`) except `N/A`. Most headings have neither, and skip the word scan. The bytes of
/// a character that is not ASCII are all ≥ 0x80, so they never pass for such letters.
fn could_hold_upper_mark(b: &[u8]) -> bool {
    // Eight bytes at a time; bit 7 set when the byte before the chunk is upper case.
    let mut upper_before = 0;
    let mut k = 0;
    while k < b.len() {
        let upper = swar::within(swar::word_from(b, k), b'A', b'Z');
        if upper & (upper << 8 | upper_before) != 0 {
            return true;
        }
        upper_before = upper >> 56;
        k += 8;
    }
    // `| 0x20` maps only `N` and `A` onto `n` and `a`.
    memchr::memchr_iter(b'/', b).any(|i| {
        i > 0 && b[i - 1] | 0x20 == b'n' && b.get(i + 1).is_some_and(|&a| a | 0x20 == b'a')
    })
}

/// The first status word starting before `limit`.
fn first_word(s: &str, strict: bool, limit: usize) -> Option<StatusMark> {
    let mut prev: Option<Word<'_>> = None;
    for w in words(s) {
        if w.start >= limit {
            return None;
        }
        // NOT VERIFIED / NO GO: the second word decides, the first extends the mark.
        if let Some(p) = &prev {
            if two_word_fail(s, p, &w, strict) {
                return Some(StatusMark {
                    status: CheckStatus::Fail,
                    start: p.start,
                    end: w.end,
                });
            }
        }
        if let Some(status) = accepted_status(w.text, strict) {
            return Some(StatusMark {
                status,
                start: w.start,
                end: w.end,
            });
        }
        prev = Some(w);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use CheckStatus::*;

    fn st(s: &str) -> Option<CheckStatus> {
        classify(s).map(|m| m.status)
    }

    #[test]
    fn every_emoji_mark_is_found_in_text() {
        for (e, status) in EMOJI {
            let s = format!("text {e} more");
            assert_eq!(
                classify_strict(&s).map(|m| (m.status, m.start)),
                Some((*status, 5))
            );
        }
    }

    #[test]
    fn design_words() {
        for s in [
            "PASS",
            "passed",
            "✅",
            "OK",
            "Verified",
            "**COMPLETE**",
            "✅ PASSED",
            "PASSING",
            "Completed",
        ] {
            assert_eq!(st(s), Some(Pass), "{s}");
        }
        for s in [
            "FAIL",
            "failed",
            "❌",
            "NOT VERIFIED",
            "**not verified**",
            "BLOCKED",
            "NO-GO",
            "No Go",
            "FAILING",
        ] {
            assert_eq!(st(s), Some(Fail), "{s}");
        }
        for s in [
            "⚠️",
            "⚠",
            "PARTIAL",
            "warn",
            "WARNING",
            "Conditional",
            "🟡 PARTIAL",
        ] {
            assert_eq!(st(s), Some(Warn), "{s}");
        }
        for s in [
            "N/A",
            "n/a",
            "SKIPPED",
            "skip",
            "⏳",
            "Pending",
            "⏳\u{FE0F} PENDING",
        ] {
            assert_eq!(st(s), Some(Skip), "{s}");
        }
        // Near misses of the words above are not marks.
        for s in [
            "PASSES",
            "FAILS",
            "WARNED",
            "SKIPPING",
            "COMPLETION",
            "PEND",
        ] {
            assert_eq!(st(s), None, "{s}");
        }
    }

    #[test]
    fn first_mark_wins_and_spans_are_exact() {
        let s = "❌ **FAILED**";
        let m = classify(s).unwrap();
        assert_eq!((m.status, &s[m.start..m.end]), (Fail, "❌"));
        let s = "**❌ NOT VERIFIED**: memory";
        assert_eq!(classify(s).unwrap().status, Fail);
        let s = "NOT VERIFIED";
        let m = classify(s).unwrap();
        assert_eq!(&s[m.start..m.end], "NOT VERIFIED");
        assert_eq!(st("✅ Working"), Some(Pass));
        assert_eq!(st("❌ **CRITICAL FAILURE**"), Some(Fail));
    }

    #[test]
    fn leading_marks_only() {
        assert_eq!(
            leading("**❌ NOT VERIFIED**: memory", true).map(|m| m.status),
            Some(Fail)
        );
        assert_eq!(leading("  ✅ Working", false).map(|m| m.status), Some(Pass));
        assert_eq!(leading("Memory check PASSED", false), None);
        let long = format!("{} PASS", "x".repeat(100));
        assert_eq!(leading(&long, false), None);
    }

    /// [`leading`] is the first mark of the first 48 bytes when only fillers come before it.
    #[test]
    fn leading_is_the_first_mark_after_fillers() {
        let parts = [
            "NOT",
            "Not",
            "not",
            "NO",
            "No",
            "GO",
            "VERIFIED",
            "Verified",
            "PASS",
            "Pass",
            "pass",
            "OK",
            "Ok",
            "N/A",
            "n/a",
            "Validation",
            "ID",
            "✅",
            "**",
            " ",
            "-",
            "x",
        ];
        for a in parts {
            for b in parts {
                for c in parts {
                    let s = format!("{a}{b} {c}");
                    for strict in [true, false] {
                        let by_find =
                            find(&s, strict).filter(|m| s[..m.start].chars().all(is_filler));
                        assert_eq!(leading(&s, strict), by_find, "{s:?} strict {strict}");
                    }
                }
            }
        }
    }

    #[test]
    fn no_status() {
        for s in [
            "",
            "-",
            "Working",
            "High",
            "passport",
            "OKAY",
            "NO QUORUM",
            "12/12",
        ] {
            assert_eq!(st(s), None, "{s}");
        }
    }

    #[test]
    fn upper_case_pairs_and_n_a_found_anywhere() {
        // Every position, so that pairs straddling the eight-byte chunks are covered.
        for len in 2..20 {
            for at in 0..len - 1 {
                let mut b = vec![b'x'; len];
                b[at..at + 2].copy_from_slice(b"OK");
                assert!(could_hold_upper_mark(&b), "{len} {at}");
                b[at + 1] = b'k';
                assert!(!could_hold_upper_mark(&b), "{len} {at}");
                if at + 2 < len {
                    b[at..at + 3].copy_from_slice(b"N/a");
                    assert!(could_hold_upper_mark(&b), "{len} {at}");
                    b[at + 2] = b'b';
                    assert!(!could_hold_upper_mark(&b), "{len} {at}");
                }
            }
        }
        assert!(!could_hold_upper_mark(b"A B C D E F G H I J"));
        assert!(!could_hold_upper_mark(b"n/") && !could_hold_upper_mark(b"/a"));
    }

    #[test]
    fn strict_wants_upper_case_words() {
        assert_eq!(classify_strict("Pending Work"), None);
        assert_eq!(classify_strict("Complete guide"), None);
        assert_eq!(
            classify_strict("Phase 1: Shutdown ✅ PASSED (5/5 tests)").map(|m| m.status),
            Some(Pass)
        );
        assert_eq!(
            classify_strict("Test 1: Agent Listing - FAIL").map(|m| m.status),
            Some(Fail)
        );
        // ASCII text is pre-filtered on an upper-case pair or `N/A`: both still found.
        assert_eq!(classify_strict("Result: N/A").map(|m| m.status), Some(Skip));
        assert_eq!(classify_strict("Gate: OK").map(|m| m.status), Some(Pass));
        assert_eq!(classify_strict("Gate: Ok"), None);
        // Text that is not ASCII goes through the same pre-filter: words after an accented
        // letter or an emoji are still found, and the emoji alone when no word can be a mark.
        let at = |s| classify_strict(s).map(|m| (m.status, m.start));
        assert_eq!(at("Résumé: N/A"), Some((Skip, 10)));
        assert_eq!(at("Café — PASSED"), Some((Pass, 10)));
        assert_eq!(at("Pending ✅ Work"), Some((Pass, 8)));
        assert_eq!(at("Pending ⏳ Complete"), Some((Skip, 8)));
        assert_eq!(at("Déploiement terminé"), None);
    }
}
