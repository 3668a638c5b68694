//! Stage 1: bytes → [`Text`]. Enforces the size limit (without reading past it), rejects
//! invalid UTF-8 with its position, drops a BOM, normalises line endings and repairs mojibake
//! (see [`mojibake`]), without ever changing how many lines there are, so every later line
//! number is the file's own.
//!
//! Line numbers in errors count LF, CRLF and a lone CR each as one line break, the same
//! breaks the normalisation turns into LF.

pub mod mojibake;

use crate::limits::Limits;
use miette::Diagnostic;
use std::io::Read;
use thiserror::Error;

/// The report text and the strings the parser cuts from it. Strings of up to 23 bytes are
/// stored inline; a longer one that is verbatim report text is a slice of [`Text::repaired`]'s
/// buffer, which it shares (cloning or slicing costs a reference count, not an allocation).
pub type Str = hipstr::HipStr<'static>;

/// A decoded report, ready for parsing and hashing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// BOM removed, CRLF/CR turned into LF, nothing else changed. The canonical digest is
    /// computed over this (mojibake is deliberately not repaired for hashing).
    pub canonical: String,
    /// `canonical` with mojibake repaired; what the parser reads and diagnostics show.
    /// Has exactly as many lines as `canonical`. Shared with the [`crate::report::Report`]
    /// strings that are slices of it.
    pub repaired: Str,
    /// Number of mojibake sequences repaired (0 for clean input), one per repaired character.
    pub repairs: usize,
    /// 1-based (line, column) in `repaired` of the first [`mojibake::MAX_SITES`] repaired
    /// characters, in order; columns count characters. A finding points at the first one.
    pub repair_sites: Vec<(u32, u32)>,
    /// Whether the input started with a UTF-8 BOM.
    pub bom: bool,
}

/// Why bytes could not become text. Each is exit 2.
#[derive(Debug, Error, Diagnostic)]
pub enum TextError {
    #[error("report is larger than the limit of {limit} bytes")]
    #[diagnostic(
        code(text::too_large),
        help("raise the limit with --max-bytes if the report is legitimately this large")
    )]
    TooLarge { limit: u64 },
    #[error("report is not valid UTF-8: invalid byte at offset {offset} (line {line})")]
    #[diagnostic(
        code(text::invalid_utf8),
        help("save the report as UTF-8; verdict repairs mojibake but not invalid byte sequences")
    )]
    InvalidUtf8 { offset: usize, line: usize },
    #[error("report line {line} is longer than the limit of {limit} bytes (max_line_bytes)")]
    #[diagnostic(
        code(text::line_too_long),
        help("raise the limit with --max-line-bytes if such a line is legitimate")
    )]
    LineTooLong { limit: usize, line: usize },
    #[error("report has more than the limit of {limit} lines (max_lines)")]
    #[diagnostic(
        code(text::too_many_lines),
        help("raise the limit with --max-lines if the report is legitimately this long")
    )]
    TooManyLines { limit: usize },
    #[error("cannot read report {path}")]
    #[diagnostic(
        code(text::io),
        help("check that the path exists and is a readable file, or pass - to read stdin")
    )]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Read a report from `path` (`-` is stdin). At most `max_bytes + 1` bytes are ever read, so
/// an oversized or endless input costs no more than the limit before it is refused.
pub fn read_input(path: &str, limits: &Limits) -> Result<Vec<u8>, TextError> {
    let cap = limits.max_bytes.saturating_add(1);
    let io_err = |source| TextError::Io {
        path: if path == "-" {
            "<stdin>".to_string()
        } else {
            path.to_string()
        },
        source,
    };
    let mut buf = Vec::new();
    if path == "-" {
        std::io::stdin()
            .lock()
            .take(cap)
            .read_to_end(&mut buf)
            .map_err(io_err)?;
    } else {
        let file = std::fs::File::open(path).map_err(io_err)?;
        // A size hint avoids doubling the buffer past the limit; `take` is what enforces it.
        if let Ok(meta) = file.metadata() {
            let hint = meta.len().min(cap);
            buf.reserve_exact(usize::try_from(hint).unwrap_or(0));
        }
        file.take(cap).read_to_end(&mut buf).map_err(io_err)?;
    }
    if buf.len() as u64 > limits.max_bytes {
        return Err(TextError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    Ok(buf)
}

/// Decode report bytes. See the module docs for what is normalised.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Text, TextError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(TextError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    check_lines(bytes, limits)?;
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let (bom, body) = match bytes.strip_prefix(BOM) {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let s = std::str::from_utf8(body).map_err(|e| {
        let offset = e.valid_up_to() + if bom { BOM.len() } else { 0 };
        TextError::InvalidUtf8 {
            offset,
            line: line_at(bytes, offset),
        }
    })?;
    let canonical = normalise_line_endings(s);
    let fixed = mojibake::repair(&canonical);
    Ok(Text {
        canonical,
        repaired: Str::from(fixed.text),
        repairs: fixed.repairs,
        repair_sites: fixed.sites,
        bom,
    })
}

/// Enforces [`Limits::max_lines`] and [`Limits::max_line_bytes`] in one pass over the raw
/// bytes, before UTF-8 validation, normalisation and repair (the work they bound). Breaks are
/// counted as everywhere else here: LF, CRLF and a lone CR; a break's bytes are not part of
/// the line's length.
fn check_lines(bytes: &[u8], limits: &Limits) -> Result<(), TextError> {
    let too_many = TextError::TooManyLines {
        limit: limits.max_lines,
    };
    // Lines are counted by their breaks, plus an unterminated last line: `a\n` is one line.
    let mut breaks = 0usize;
    let mut len = 0usize;
    let mut prev_cr = false;
    for &b in bytes {
        match b {
            b'\n' if prev_cr => {}
            b'\n' | b'\r' => {
                breaks += 1;
                len = 0;
                if breaks > limits.max_lines {
                    return Err(too_many);
                }
            }
            _ => {
                len += 1;
                if len > limits.max_line_bytes {
                    return Err(TextError::LineTooLong {
                        limit: limits.max_line_bytes,
                        line: breaks.saturating_add(1),
                    });
                }
            }
        }
        prev_cr = b == b'\r';
    }
    if len > 0 && breaks >= limits.max_lines {
        return Err(too_many);
    }
    Ok(())
}

/// 1-based line of byte `offset`, counting LF, CRLF and lone CR as breaks.
fn line_at(bytes: &[u8], offset: usize) -> usize {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let mut line = 1;
    let mut prev_cr = false;
    for &b in before {
        match b {
            b'\n' if prev_cr => {}
            b'\n' | b'\r' => line += 1,
            _ => {}
        }
        prev_cr = b == b'\r';
    }
    line
}

/// CRLF and lone CR become LF; one pass, no copy beyond the result.
fn normalise_line_endings(s: &str) -> String {
    if !s.contains('\r') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('\r') {
        out.push_str(rest.get(..p).unwrap_or(""));
        out.push('\n');
        rest = rest.get(p + 1..).unwrap_or("");
        if let Some(after) = rest.strip_prefix('\n') {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> (usize, usize) {
        match decode(bytes, &Limits::default()) {
            Err(TextError::InvalidUtf8 { offset, line }) => (offset, line),
            other => panic!("expected InvalidUtf8, got {other:?}"),
        }
    }

    #[test]
    fn invalid_utf8_positions() {
        assert_eq!(err(b"\xFFabc"), (0, 1));
        assert_eq!(err(b"ab\ncd\xC3(x"), (5, 2));
        assert_eq!(err(b"ab\ncd\nend\xE2\x9C"), (9, 3));
        assert_eq!(err(b"\xEF\xBB\xBF\xFF"), (3, 1));
        assert_eq!(err(b"\xEF\xBB\xBFa\r\nb\r\n\x80"), (9, 3));
        assert_eq!(err(b"a\rb\rc\xC0\x80"), (5, 3));
        assert_eq!(err(b"a\r\n\r\n\rb\r\xFE"), (8, 5));
        // A CR right before the bad byte is already a line break.
        assert_eq!(err(b"a\r\xFF"), (2, 2));
    }

    #[test]
    fn line_endings_and_bom() {
        let t = decode(b"\xEF\xBB\xBFa\r\nb\rc\n\rd\r", &Limits::default()).unwrap();
        assert!(t.bom);
        assert_eq!(t.canonical, "a\nb\nc\n\nd\n");
        assert_eq!(t.repaired, t.canonical);
        assert_eq!(t.repairs, 0);
        assert!(t.repair_sites.is_empty());
        let t = decode(b"x\r\r\ny", &Limits::default()).unwrap();
        assert!(!t.bom);
        assert_eq!(t.canonical, "x\n\ny");
    }

    #[test]
    fn decode_repairs_after_normalising() {
        let t = decode("a\r\n\u{2014}‚úÖ\r\n".as_bytes(), &Limits::default()).unwrap();
        assert_eq!(t.canonical, "a\n\u{2014}‚úÖ\n");
        assert_eq!(t.repaired, "a\n\u{2014}✅\n");
        assert_eq!(t.repairs, 1);
        assert_eq!(t.repair_sites, vec![(2, 2)]);
    }

    #[test]
    fn decode_refuses_over_limit() {
        let limits = Limits {
            max_bytes: 3,
            ..Limits::default()
        };
        assert!(matches!(
            decode(b"abcd", &limits),
            Err(TextError::TooLarge { limit: 3 })
        ));
        assert_eq!(decode(b"abc", &limits).unwrap().canonical, "abc");
    }
}
