//! Locations in a report, shared by every stage so findings can point at the exact line.

use serde::{Deserialize, Serialize};

/// A stretch of the repaired report text.
///
/// `offset`/`len` are byte positions in [`crate::text::Text::repaired`] (what diagnostics
/// render); `line`/`column` are 1-based and identical in the original file, because mojibake
/// repair and line-ending normalisation never add or remove lines. `column` counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Span {
    pub offset: usize,
    pub len: usize,
    pub line: u32,
    pub column: u32,
}
