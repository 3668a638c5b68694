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
//! once per table, counting the characters that plausible sequences would consume; the table
//! that explains more of the run wins (Mac Roman on a tie), and only that one is applied to the
//! run. This keeps `Â°â†’` (cp1252 for `°→`) from being half-read as a Mac Roman CJK
//! character. Two mojibakes glued into one run without an ASCII character between them are
//! repaired only as far as the winning table goes.
//!
//! # Plausibility (what keeps ordinary text unchanged)
//! The decoded scalar must be something a report plausibly contains:
//! - 2-byte results: Latin-1 Supplement from U+00A0 and Latin Extended-A (U+00A0–U+017F),
//!   Romanian comma-below letters (U+0218–U+021B), Greek (U+0384–U+03CE) and Cyrillic
//!   (U+0400–U+04FF). Everything else is refused: C1 controls (U+0080–U+009F), Latin
//!   Extended-B (MR `«é` would otherwise become `ǎ` in `«école»`), IPA and spacing modifiers,
//!   combining marks (U+0300–U+036F), Armenian, Hebrew, Arabic, Syriac, Thaana, NKo. So
//!   mojibake of Hebrew or Arabic text is deliberately left alone: in cp1252 those results are
//!   exactly what an uppercase accented letter followed by `Ž`, `’` or `»` would produce
//!   (`ÚŽINA` → U+068E).
//! - 3-byte results: anything except combining blocks (U+1AB0–1AFF, U+1DC0–1DFF,
//!   U+20D0–20FF apart from the keycap U+20E3, U+FE20–FE2F), invisible or bidirectional format
//!   characters (U+200B, U+200C, U+200E, U+200F, U+2028–U+202E, U+2060–U+206F; a repair must
//!   never inject a Trojan-Source control or a line separator), private use (U+E000–F8FF),
//!   noncharacters (U+FDD0–FDEF), U+FEFF and specials (U+FFF0–FFFF). ZWJ (U+200D) and the
//!   variation selectors (U+FE00–FE0F) are allowed: they are part of emoji sequences (`⚠️`).
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
//! Known, accepted ambiguities (genuine text that *is* byte-for-byte a mojibake sequence):
//! Mac Roman `√π` (read as `ù`) in a formula such as `Γ(1/2) = √π`, and cp1252 `é…”` (read as
//! a CJK character) in Italian `perché…”`. The repair is reported (rule `report.encoding`),
//! so it is never silent.
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
//! byte) is left as it is.
//!
//! # Cost
//! Linear: each run is scanned three times (two counting passes, one emitting pass), each
//! step a binary search in a 128-entry table. [`MAX_SITES`] bounds the memory spent on
//! positions however many repairs a hostile input carries.

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
    by_char: Vec<(char, u8)>,
}

impl Table {
    fn build(encoding: &'static Encoding) -> Table {
        let mut by_char = Vec::with_capacity(128);
        for b in 0x80u8..=0xFF {
            let byte = [b];
            let (s, had_errors) = encoding.decode_without_bom_handling(&byte);
            let mut chars = s.chars();
            if let (false, Some(c), None) = (had_errors, chars.next(), chars.next()) {
                by_char.push((c, b));
            }
        }
        by_char.sort_unstable();
        Table { by_char }
    }

    fn byte(&self, c: char) -> Option<u8> {
        self.by_char
            .binary_search_by_key(&c, |&(k, _)| k)
            .ok()
            .and_then(|i| self.by_char.get(i))
            .map(|&(_, b)| b)
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
            0xA0..=0x17F | 0x218..=0x21B | 0x384..=0x3CE | 0x400..=0x4FF
        ),
        3 => !matches!(
            cp,
            0x1AB0..=0x1AFF
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

/// If `rest` starts with a plausible mojibake sequence under `legacy`, the character it stands
/// for, how many bytes of `rest` it spans and how many characters.
fn sequence_at(rest: &str, legacy: Legacy) -> Option<(char, usize, usize)> {
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
    for slot in buf.iter_mut().take(n).skip(1) {
        let (_, c) = it.next()?;
        let b = legacy.byte_of(c)?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        *slot = b;
    }
    let used = it.next().map_or(rest.len(), |(i, _)| i);
    let decoded = std::str::from_utf8(buf.get(..n)?).ok()?;
    let c = decoded.chars().next()?;
    plausible(c).then_some((c, used, n))
}

/// Walk `run` greedily under `legacy`, calling `emit(char, repaired)` for every output
/// character; returns how many input characters repairs consumed.
fn scan_run(run: &str, legacy: Legacy, mut emit: impl FnMut(char, bool)) -> usize {
    let mut covered = 0;
    let mut rest = run;
    while let Some(ch) = rest.chars().next() {
        match sequence_at(rest, legacy) {
            Some((c, used, n)) => {
                emit(c, true);
                covered += n;
                rest = rest.get(used..).unwrap_or("");
            }
            None => {
                emit(ch, false);
                rest = rest.get(ch.len_utf8()..).unwrap_or("");
            }
        }
    }
    covered
}

/// Repair Mac Roman and cp1252 mojibake in `s` (which must already have LF line endings for
/// the reported line numbers to be the file's). Never touches ASCII.
pub fn repair(s: &str) -> Repaired {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut repairs = 0usize;
    let mut sites = Vec::new();
    let mut line: u32 = 1;
    let mut col: u32 = 1;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while let Some(&b) = bytes.get(i) {
            if !b.is_ascii() {
                break;
            }
            if b == b'\n' {
                line = line.saturating_add(1);
                col = 1;
            } else {
                col = col.saturating_add(1);
            }
            i += 1;
        }
        out.push_str(s.get(start..i).unwrap_or(""));
        let start = i;
        while bytes.get(i).is_some_and(|b| !b.is_ascii()) {
            i += 1;
        }
        if start == i {
            continue;
        }
        // Both ends are ASCII bytes or the string's ends, hence char boundaries.
        let run = s.get(start..i).unwrap_or("");
        let mac = scan_run(run, Legacy::MacRoman, |_, _| {});
        let win = scan_run(run, Legacy::Windows1252, |_, _| {});
        if mac == 0 && win == 0 {
            out.push_str(run);
            col = col.saturating_add(u32::try_from(run.chars().count()).unwrap_or(u32::MAX));
            continue;
        }
        let legacy = if win > mac {
            Legacy::Windows1252
        } else {
            Legacy::MacRoman
        };
        scan_run(run, legacy, |c, fixed| {
            if fixed {
                repairs += 1;
                if sites.len() < MAX_SITES {
                    sites.push((line, col));
                }
            }
            out.push(c);
            col = col.saturating_add(1);
        });
    }
    Repaired {
        text: out,
        repairs,
        sites,
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
        for s in ["¬Ö", "Ãå", "ÓÄÄ", "«école»", "ÚŽINA", "Ãé", "Ôªø"] {
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
    fn sites_are_line_and_character_column() {
        let r = repair("ok\nx ‚úÖ and ‚ùå\n\n√©");
        assert_eq!(r.text, "ok\nx ✅ and ❌\n\né");
        assert_eq!(r.sites, vec![(2, 3), (2, 9), (4, 1)]);
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
            assert_eq!(t.by_char.len(), 128, "{legacy:?}");
            for &(c, b) in &t.by_char {
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
