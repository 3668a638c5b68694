//! Mojibake repair: UTF-8 that was decoded as Mac Roman or as windows-1252 (cp1252) and
//! re-encoded as UTF-8, e.g. `✅` (E2 9C 85) read as Mac Roman becomes `‚úÖ`, read as
//! cp1252 becomes `âœ…`.
//!
//! # How a sequence is recognised
//! The legacy tables are encoding_rs's [`MACINTOSH`] and [`WINDOWS_1252`]; the char → byte
//! lookup is built once from encoding_rs's own decoder over bytes 0x80..=0xFF, so nothing here
//! is a hand-written byte map (a unit test checks encoding_rs's encoder agrees with it).
//! A candidate is a character whose legacy byte is a UTF-8 lead byte (C2–DF, E0–EF, F0–F4)
//! followed by exactly as many characters whose legacy bytes are continuation bytes (80–BF);
//! the bytes must then form one valid UTF-8 scalar (std's validator: no overlongs, no
//! surrogates) and the scalar must be *plausible* (below). The sequence is replaced by that
//! one character. ASCII is never part of a candidate, so ASCII (and with it every line break)
//! is never touched and the number of lines cannot change.
//!
//! # Which encoding
//! Text is scanned in runs of consecutive non-ASCII characters. Each run is scanned greedily
//! with the table that won the previous run (Mac Roman at first); unless every character of
//! the run was consumed by repairs, it is scanned with the other table too, and the table whose
//! plausible sequences consume more of the run's characters wins (the first on a tie). Only the
//! winner is applied to the run. This keeps `Â°â†’` (cp1252 for `°→`) from being half-read as
//! a Mac Roman CJK character. Two mojibakes glued into one run without an ASCII character
//! between them are repaired only as far as the winning table goes.
//!
//! # Plausibility (what keeps ordinary text unchanged)
//! The decoded scalar must be something a report plausibly contains:
//! - 2-byte results: Latin-1 Supplement from U+00A0 and Latin Extended-A (U+00A0–U+017F),
//!   Romanian comma-below letters (U+0218–U+021B), modern Greek (U+0386–U+03CE) and basic
//!   Cyrillic (U+0400–U+045F). Everything else is refused: C1 controls (U+0080–U+009F), the
//!   rest of Latin Extended-B (Mac Roman `«é` would otherwise become `ǎ` in `«école»`), IPA
//!   and spacing modifiers, combining marks (U+0300–U+036F), extended and combining Cyrillic
//!   (U+0460–U+04FF: Mac Roman `“é` in `“été”` would become `Ҏ`, `“£` would become `ң`),
//!   Armenian, Hebrew, Arabic, Syriac, Thaana, NKo. So mojibake of Hebrew or Arabic text is
//!   deliberately left alone: in cp1252 those results are exactly what an uppercase accented
//!   letter followed by `Ž`, `’` or `»` produces (`ÚŽINA` → U+068E).
//! - Cyrillic results are *weak*: accepted only when the sequence directly follows or precedes
//!   another repair in the same run (a word of two or more letters). A lone one is what
//!   ordinary punctuation before an accented letter looks like: Mac Roman `—É` (Spanish
//!   dialogue `—Él dijo`) is the mojibake of `у`, `—é` that of `ю`; cp1252 `Ñ”` (`AÑO”`) that
//!   of `є`. The cost: one-letter Cyrillic words (`и`, `в`) standing alone are not repaired.
//!   Greek needs no such rule: its leads are `Œ œ` (Mac Roman) and `Î Ï` (cp1252), which
//!   ordinary text does not put before a continuation character, and a lone `μ` in `μs` must
//!   be repaired.
//! - 3-byte results: anything except Samaritan, Mandaic and Arabic Extended-A
//!   (U+0800–08FF, the 3-byte counterpart of the refused right-to-left scripts), combining
//!   blocks (U+1AB0–1AFF, U+1DC0–1DFF, U+20D0–20FF apart from the keycap U+20E3, U+FE20–FE2F),
//!   invisible or bidirectional format characters (U+200B, U+200C, U+200E, U+200F,
//!   U+2028–U+202E, U+2060–U+206F; a repair must never inject a Trojan-Source control or a
//!   line separator), private use (U+E000–F8FF), noncharacters (U+FDD0–FDEF), U+FEFF and
//!   specials (U+FFF0–FFFF). ZWJ (U+200D) and the variation selectors (U+FE00–FE0F) are
//!   allowed: they are part of emoji sequences (`⚠️`).
//! - cp1252 3-byte results outside U+2000–U+2BFF (i.e. not punctuation, arrows or symbols)
//!   with a punctuation character (U+2010–U+205E, `« » ¡ ¿ ·`) among their continuation
//!   characters are *weak* too: an accented letter followed by punctuation is ordinary text
//!   (`perché…”` would otherwise become `perch酔`, `résumé—Škoda` `résum闊koda`). The cost: a
//!   lone CJK character whose cp1252 mojibake has that shape (`文` = `æ–‡`, `日` = `æ—¥`) is
//!   not repaired unless a neighbour in the same run is; CJK text comes in runs.
//! - 4-byte results: planes 1–3 (emoji, symbols, historic scripts, CJK extensions) except
//!   noncharacters, plus tags (U+E0001–E007F) and variation selectors supplement
//!   (U+E0100–E01EF). Planes 4–16 (unassigned, private use) are refused.
//!
//! Why ordinary text survives: a candidate needs a legacy *lead* character directly followed
//! by legacy *continuation* characters. In Mac Roman the leads are symbols (`¬ √ ≈ « » – —`,
//! quotes, `‚ „ ‰`) and uppercase accented letters (`À Ã Õ Â Ê Á Ë È Í Î Ï Ì Ó Ô Ò Ú Û Ù`, plus
//! `ƒ Œ œ ÿ Ÿ`); the continuations are lowercase accented letters and symbols. In cp1252 the
//! leads are accented letters (`Â`–`ô`), the continuations punctuation, symbols and
//! `ƒ Š Œ Ž š œ ž Ÿ ª µ º`. Real words do not put an uppercase accented letter directly before
//! a lowercase accented one, and every letter+letter pair that passes the plausibility ranges
//! (`ƒÖ`, `Œë`, `Ãº`, `Ðµ`, …; enumerated when this was written) is not text in any language.
//! Arrows, CJK, emoji and Cyrillic are not in either table at all, so they are never candidates.
//!
//! Known, accepted ambiguities (genuine text that *is* byte-for-byte a plausible mojibake
//! sequence): Mac Roman `√π` (read as `ù`) in a formula such as `Γ(1/2) = √π`; cp1252
//! accented lowercase letter + `Œ Š Ž š ž œ Ÿ ƒ ª µ º`/symbol pairs glued together (`éŠª`),
//! which no language writes. Any repair is reported (rule `report.encoding`), so none is
//! silent.
//!
//! # cp1252's holes
//! Windows-1252 assigns no character to the bytes **0x81, 0x8D, 0x8F, 0x90 and 0x9D**. A
//! real cp1252 decoder drops those bytes or replaces them (`?`, U+FFFD), so the mojibake of
//! any character whose UTF-8 contains one of them (U+00C1 `Á` = C3 81, U+00CD `Í`, U+00CF `Ï`,
//! U+00D0 `Ð`, U+00DD `Ý`, U+FE0F = EF B8 8F, many emoji such as `😁` = F0 9F 98 81) has lost
//! information and cannot be recovered. encoding_rs follows the WHATWG index, which maps those
//! bytes to the C1 controls U+0081… instead; when such a C1 control survived, the sequence is
//! repaired like any other.
//!
//! Lossy mojibake (a byte that was dropped, e.g. `üö` for 🚀 without its U+F8FF and final
//! byte) is left as it is. Restoring a dropped U+F8FF (Mac Roman 0xF0, which some text
//! pipelines strip as private use: `üéØ` for 🎯) is deliberately not attempted: `üçü` in
//! Turkish `küçük` would become 🍟.
//!
//! # Cost
//! Linear: each run is scanned at most three times, a fully repairable run (the usual case
//! and a "mojibake bomb") once; each step is a lookup in a 64 KiB array built from the table.
//! [`MAX_SITES`] bounds the memory spent on positions however many repairs an input carries.

use encoding_rs::{Encoding, MACINTOSH, WINDOWS_1252};
use std::sync::OnceLock;

/// How many repair positions are kept (the count is always exact). A finding needs the first
/// one; a "mojibake bomb" would otherwise cost 8 bytes per repaired character.
pub const MAX_SITES: usize = 1024;

/// A legacy single-byte encoding that UTF-8 is commonly misread as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    MacRoman,
    Windows1252,
}

impl Legacy {
    /// The encoding_rs encoding behind this table.
    pub fn encoding(self) -> &'static Encoding {
        match self {
            Legacy::MacRoman => MACINTOSH,
            Legacy::Windows1252 => WINDOWS_1252,
        }
    }

    fn table(self) -> &'static Table {
        static MAC: OnceLock<Table> = OnceLock::new();
        static WIN: OnceLock<Table> = OnceLock::new();
        match self {
            Legacy::MacRoman => MAC.get_or_init(|| Table::build(MACINTOSH)),
            Legacy::Windows1252 => WIN.get_or_init(|| Table::build(WINDOWS_1252)),
        }
    }

    /// The legacy byte that decodes to `c`, if `c` is one of the encoding's 128 high
    /// characters (ASCII is never reported).
    pub fn byte_of(self, c: char) -> Option<u8> {
        self.table().byte(c)
    }
}

/// The high half (0x80..=0xFF) of a single-byte encoding, keyed by character.
struct Table {
    /// The byte for each BMP code point, for O(1) lookups (0 = not in the table; every
    /// character of both tables is in the BMP). 64 KiB per encoding.
    bmp: Box<[u8]>,
}

impl Table {
    fn build(encoding: &'static Encoding) -> Table {
        let mut bmp = vec![0u8; 0x1_0000].into_boxed_slice();
        for b in 0x80u8..=0xFF {
            let byte = [b];
            let (s, had_errors) = encoding.decode_without_bom_handling(&byte);
            let mut chars = s.chars();
            if let (false, Some(c), None) = (had_errors, chars.next(), chars.next()) {
                if let Some(slot) = bmp.get_mut(c as usize) {
                    *slot = b;
                }
            }
        }
        Table { bmp }
    }

    fn byte(&self, c: char) -> Option<u8> {
        self.bmp.get(c as usize).copied().filter(|&b| b != 0)
    }
}

/// The outcome of [`repair`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Repaired {
    /// The text with every plausible sequence replaced by the character it stood for.
    pub text: String,
    /// How many sequences were replaced (one per repaired character).
    pub repairs: usize,
    /// 1-based (line, column) in `text` of the first [`MAX_SITES`] repaired characters;
    /// columns count characters.
    pub sites: Vec<(u32, u32)>,
}

/// Whether `c`, decoded from a UTF-8 sequence of `c.len_utf8()` bytes, is something a report
/// plausibly contains (see the module docs for the ranges and why).
fn plausible(c: char) -> bool {
    let cp = c as u32;
    match c.len_utf8() {
        2 => matches!(
            cp,
            0xA0..=0x17F | 0x218..=0x21B | 0x386..=0x3CE | 0x400..=0x45F
        ),
        3 => !matches!(
            cp,
            0x0800..=0x08FF
                | 0x1AB0..=0x1AFF
                | 0x1DC0..=0x1DFF
                | 0x20D0..=0x20E2
                | 0x20E4..=0x20FF
                | 0x200B
                | 0x200C
                | 0x200E
                | 0x200F
                | 0x2028..=0x202E
                | 0x2060..=0x206F
                | 0xE000..=0xF8FF
                | 0xFDD0..=0xFDEF
                | 0xFE20..=0xFE2F
                | 0xFEFF
                | 0xFFF0..=0xFFFF
        ),
        4 => {
            (matches!(cp, 0x1_0000..=0x3_FFFF) && cp & 0xFFFE != 0xFFFE)
                || matches!(cp, 0xE_0001..=0xE_007F | 0xE_0100..=0xE_01EF)
        }
        _ => false,
    }
}

/// A plausible mojibake sequence at the start of some text.
#[derive(Debug, Clone, Copy)]
struct Sequence {
    /// The character it stands for.
    c: char,
    /// Bytes of the text it spans.
    used: usize,
    /// Characters of the text it spans (the UTF-8 length of `c`).
    n: usize,
    /// Only accepted next to another repair (see the module docs).
    weak: bool,
}

/// Punctuation that ordinary text puts right after a letter.
fn is_punctuation(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{205E}' | '«' | '»' | '¡' | '¿' | '·')
}

/// If `rest` starts with a plausible mojibake sequence under `legacy`, that sequence.
fn sequence_at(rest: &str, legacy: Legacy) -> Option<Sequence> {
    let mut it = rest.char_indices();
    let (_, first) = it.next()?;
    let lead = legacy.byte_of(first)?;
    let n = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut buf = [lead, 0, 0, 0];
    let mut any_punctuation = false;
    for slot in buf.iter_mut().take(n).skip(1) {
        let (_, c) = it.next()?;
        let b = legacy.byte_of(c)?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        any_punctuation |= is_punctuation(c);
        *slot = b;
    }
    let used = it.next().map_or(rest.len(), |(i, _)| i);
    let decoded = std::str::from_utf8(buf.get(..n)?).ok()?;
    let c = decoded.chars().next()?;
    if !plausible(c) {
        return None;
    }
    let cp = c as u32;
    let weak = match n {
        2 => matches!(cp, 0x400..=0x45F),
        3 => legacy == Legacy::Windows1252 && any_punctuation && !(0x2000..=0x2BFF).contains(&cp),
        _ => false,
    };
    Some(Sequence { c, used, n, weak })
}

/// Walk `run` greedily under `legacy`, calling `emit(char, repaired)` for every output
/// character; returns how many input characters repairs consumed and how many characters
/// the run has.
fn scan_run(run: &str, legacy: Legacy, mut emit: impl FnMut(char, bool)) -> (usize, usize) {
    let mut covered = 0;
    let mut total = 0;
    let mut rest = run;
    let mut after_repair = false;
    while let Some(ch) = rest.chars().next() {
        let found = sequence_at(rest, legacy).filter(|seq| {
            !seq.weak
                || after_repair
                || sequence_at(rest.get(seq.used..).unwrap_or(""), legacy).is_some()
        });
        match found {
            Some(seq) => {
                emit(seq.c, true);
                covered += seq.n;
                total += seq.n;
                rest = rest.get(seq.used..).unwrap_or("");
                after_repair = true;
            }
            None => {
                emit(ch, false);
                total += 1;
                rest = rest.get(ch.len_utf8()..).unwrap_or("");
                after_repair = false;
            }
        }
    }
    (covered, total)
}

/// Output under construction, with the position of the next character.
struct Sink {
    out: String,
    repairs: usize,
    sites: Vec<(u32, u32)>,
    line: u32,
    col: u32,
}

impl Sink {
    fn emit(&mut self, c: char, fixed: bool) {
        if fixed {
            self.repairs += 1;
            if self.sites.len() < MAX_SITES {
                self.sites.push((self.line, self.col));
            }
        }
        self.out.push(c);
        self.col = self.col.saturating_add(1);
    }
}

/// Repair Mac Roman and cp1252 mojibake in `s` (which must already have LF line endings for
/// the reported line numbers to be the file's). Never touches ASCII.
pub fn repair(s: &str) -> Repaired {
    let bytes = s.as_bytes();
    let mut sink = Sink {
        out: String::with_capacity(s.len()),
        repairs: 0,
        sites: Vec::new(),
        line: 1,
        col: 1,
    };
    // Documents are damaged one way throughout: try last run's winner first, so a typical
    // run takes a single pass.
    let mut preferred = Legacy::MacRoman;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while let Some(&b) = bytes.get(i) {
            if !b.is_ascii() {
                break;
            }
            if b == b'\n' {
                sink.line = sink.line.saturating_add(1);
                sink.col = 1;
            } else {
                sink.col = sink.col.saturating_add(1);
            }
            i += 1;
        }
        sink.out.push_str(s.get(start..i).unwrap_or(""));
        let start = i;
        while bytes.get(i).is_some_and(|b| !b.is_ascii()) {
            i += 1;
        }
        if start == i {
            continue;
        }
        // Both ends are ASCII bytes or the string's ends, hence char boundaries.
        let run = s.get(start..i).unwrap_or("");
        let mark = (sink.out.len(), sink.repairs, sink.sites.len(), sink.col);
        let (covered, total) = scan_run(run, preferred, |c, fixed| sink.emit(c, fixed));
        if covered == total {
            continue;
        }
        let other = match preferred {
            Legacy::MacRoman => Legacy::Windows1252,
            Legacy::Windows1252 => Legacy::MacRoman,
        };
        let (other_covered, _) = scan_run(run, other, |_, _| {});
        if other_covered > covered {
            sink.out.truncate(mark.0);
            sink.repairs = mark.1;
            sink.sites.truncate(mark.2);
            sink.col = mark.3;
            scan_run(run, other, |c, fixed| sink.emit(c, fixed));
            preferred = other;
        }
    }
    Repaired {
        text: sink.out,
        repairs: sink.repairs,
        sites: sink.sites,
    }
}

/// `text` as it looks after its UTF-8 bytes were decoded with `legacy` (the damage this
/// module undoes), or `None` if a byte has no character in `legacy` (see the module docs on
/// cp1252's holes). encoding_rs's WHATWG tables do give those bytes C1 controls; that form is
/// deliberately refused here because real cp1252 decoders do not produce it.
pub fn mojibake(text: &str, legacy: Legacy) -> Option<String> {
    const CP1252_HOLES: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];
    if legacy == Legacy::Windows1252 && text.bytes().any(|b| CP1252_HOLES.contains(&b)) {
        return None;
    }
    let (s, had_errors) = legacy
        .encoding()
        .decode_without_bom_handling(text.as_bytes());
    (!had_errors).then(|| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(s: &str) -> (String, usize) {
        let r = repair(s);
        (r.text, r.repairs)
    }

    #[test]
    fn seed_sequences() {
        assert_eq!(fixed("‚úÖ"), ("✅".into(), 1));
        assert_eq!(fixed("‚ùå"), ("❌".into(), 1));
        assert_eq!(fixed("\u{F8FF}üü°"), ("🟡".into(), 1));
        assert_eq!(fixed("‚Üí"), ("→".into(), 1));
        assert_eq!(fixed("‚ö†Ô∏è"), ("⚠\u{FE0F}".into(), 2));
        assert_eq!(fixed("\u{F8FF}üö®"), ("🚨".into(), 1));
        assert_eq!(fixed("\u{F8FF}üîß"), ("🔧".into(), 1));
    }

    #[test]
    fn cp1252_sequences() {
        assert_eq!(fixed("âœ…"), ("✅".into(), 1));
        assert_eq!(fixed("cafÃ©"), ("café".into(), 1));
        assert_eq!(fixed("â†’"), ("→".into(), 1));
        assert_eq!(fixed("Â°â†’"), ("°→".into(), 2));
        assert_eq!(fixed("ðŸŸ¡"), ("🟡".into(), 1));
        // WHATWG form of a cp1252 hole: U+008F stands for byte 0x8F.
        assert_eq!(fixed("âš\u{A0}ï¸\u{8F}"), ("⚠\u{FE0F}".into(), 2));
    }

    #[test]
    fn mac_roman_accented_latin_and_cjk() {
        assert_eq!(fixed("caf√©"), ("café".into(), 1));
        assert_eq!(fixed("Espa√±a"), ("España".into(), 1));
        assert_eq!(fixed("Êó•Êú¨"), ("日本".into(), 2));
    }

    #[test]
    fn refuses_implausible_results() {
        // C1 control (C2 85), combining mark (CC 81), private use (EE 80 80), Latin Ext-B.
        for s in [
            "¬Ö",
            "Ãå",
            "ÓÄÄ",
            "«école»",
            "“été”",
            "‘à’",
            "“£100”",
            "—Él dijo",
            "—Ñu",
            "l’année—été",
            "ÚŽINA",
            "Ãé",
            "Ôªø",
        ] {
            assert_eq!(fixed(s), (s.to_string(), 0), "{s}");
        }
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        for s in [
            "Ærøskøbing façade naïve Straße Œuvre cœur Łódź Dvořák",
            "ÉTÉ NOËL ÇA AÑO ÜBER CRÈME BRÛLÉE crème brûlée où déjà",
            "← → ↑ ↓ ↔ ⇒ ⇄ ≥ ≤ ± µs 0.6% 1.5 s",
            "日本語 中文 한국어 Привет, мир! Ελληνικά",
            "✅ ❌ ⚠️ ⚠ 🟡 🚨 🔧 👍🏽 👨‍👩‍👧 1️⃣ 🇩🇪",
            "«Ça» — “quote” ‘single’ … • © ® ™ € £ ¥",
        ] {
            assert_eq!(fixed(s), (s.to_string(), 0), "{s}");
        }
    }

    #[test]
    fn cp1252_punctuation_pairs_need_a_neighbour() {
        for s in ["perché…”", "café—“no”", "déjà’’", "résumé—Škoda", "æ—¥"]
        {
            assert_eq!(fixed(s), (s.to_string(), 0), "{s}");
        }
        assert_eq!(fixed("æ—¥æœ¬"), ("日本".into(), 2));
        assert_eq!(fixed("æ–‡"), ("æ–‡".into(), 0));
        assert_eq!(fixed("æ–‡å\u{AD}—"), ("文字".into(), 2));
        assert_eq!(fixed("â€”"), ("—".into(), 1));
    }

    #[test]
    fn cyrillic_needs_a_neighbour() {
        // Mac Roman and cp1252 mojibake of Cyrillic and Greek words.
        assert_eq!(fixed("–ü—Ä–∏–≤–µ—Ç"), ("Привет".into(), 6));
        assert_eq!(fixed("ÐŸÑ€Ð¸Ð²ÐµÑ‚"), ("Привет".into(), 6));
        assert_eq!(fixed("Œ±Œª"), ("αλ".into(), 2));
        assert_eq!(fixed("51 Œºs"), ("51 μs".into(), 1));
        assert_eq!(fixed("51 Î¼s"), ("51 μs".into(), 1));
        assert_eq!(fixed("AÑO”"), ("AÑO”".into(), 0));
        // A lone one-letter word is ambiguous with punctuation + accented letter: kept.
        assert_eq!(fixed("a –∏ b"), ("a –∏ b".into(), 0));
    }

    #[test]
    fn sites_are_line_and_character_column() {
        let r = repair("ok\nx ‚úÖ and ‚ùå\n\n√©");
        assert_eq!(r.text, "ok\nx ✅ and ❌\n\né");
        assert_eq!(r.sites, vec![(2, 3), (2, 9), (4, 1)]);
    }

    #[test]
    fn dropped_apple_logo_is_not_guessed() {
        assert_eq!(fixed("küçük üéØ"), ("küçük üéØ".into(), 0));
    }

    #[test]
    fn lossy_mojibake_stays() {
        // 🚀 = F0 9F 9A 80: U+F8FF and the final byte were lost.
        assert_eq!(fixed("üö "), ("üö ".into(), 0));
        // — = E2 80 94 with the middle byte lost.
        assert_eq!(fixed("‚ î"), ("‚ î".into(), 0));
    }

    #[test]
    fn table_agrees_with_encoding_rs_encoder() {
        for legacy in [Legacy::MacRoman, Legacy::Windows1252] {
            let t = legacy.table();
            let pairs: Vec<(char, u8)> = (0u32..0x1_0000)
                .filter_map(|cp| Some((char::from_u32(cp)?, *t.bmp.get(cp as usize)?)))
                .filter(|&(_, b)| b != 0)
                .collect();
            assert_eq!(pairs.len(), 128, "{legacy:?}");
            for &(c, b) in &pairs {
                let s = c.to_string();
                let (bytes, _, had_errors) = legacy.encoding().encode(&s);
                assert!(!had_errors, "{legacy:?} {c:?}");
                assert_eq!(&*bytes, &[b], "{legacy:?} {c:?}");
            }
        }
        assert_eq!(Legacy::MacRoman.byte_of('\u{F8FF}'), Some(0xF0));
        assert_eq!(Legacy::Windows1252.byte_of('\u{8F}'), Some(0x8F));
        assert_eq!(Legacy::MacRoman.byte_of('a'), None);
    }

    #[test]
    fn mojibake_refuses_cp1252_holes() {
        assert_eq!(mojibake("Á", Legacy::Windows1252), None);
        assert_eq!(mojibake("⚠️", Legacy::Windows1252), None);
        assert_eq!(
            mojibake("⚠", Legacy::Windows1252).as_deref(),
            Some("âš\u{A0}")
        );
        assert_eq!(mojibake("⚠️", Legacy::MacRoman).as_deref(), Some("‚ö†Ô∏è"));
    }
}
