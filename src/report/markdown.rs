//! Markdown blocks with source offsets, from one pulldown-cmark event pass.
//!
//! Only what the report model needs is kept: headings, tables (header, rows, cells), list
//! items, and the lines of prose (paragraphs and list items) outside code, HTML and tables.
//! Every element carries its byte range in the text that was parsed, so later steps can
//! point at the exact line. Everything stored is proportional to the input; nesting depth
//! only ever needs a few counters.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

use crate::report::model::Str;
use crate::report::swar;
use crate::span::Span;

/// Byte offset → 1-based line and column (characters), by binary search over line starts.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The line last found: offsets are mostly asked for in document order, so the next
    /// one is on that line or a few after it, found by stepping on instead of a binary
    /// search over every line start (which is also kinder to the cache on large reports).
    last_line: std::cell::Cell<usize>,
    /// The last (offset, column) computed: spans are mostly asked for left to right on a
    /// line, so counting characters from there keeps a very long line linear, not quadratic.
    memo: std::cell::Cell<(usize, usize)>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        // Half the corpus's reports average under 32 bytes a line (16 at the least): sized
        // for 24 so that most texts fill it without regrowing and copying it.
        let mut starts = Vec::with_capacity(text.len() / 24 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            last_line: std::cell::Cell::new(0),
            memo: std::cell::Cell::new((0, 1)),
        }
    }

    /// Number of lines (a final line without a newline counts).
    pub fn lines(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line holding `offset`.
    pub fn line_ix(&self, offset: usize) -> usize {
        let ix = self.line_ix_after(self.last_line.get(), offset);
        self.last_line.set(ix);
        ix
    }

    /// [`Self::line_ix`] for an offset at or a little after the start of line `hint`:
    /// looks among the eight lines from there, and falls back to a binary search over all
    /// lines when `offset` is before `hint`'s line or past those eight.
    fn line_ix_after(&self, hint: usize, offset: usize) -> usize {
        if let Some(&[first, .., last]) = self.starts.get(hint..hint + 9) {
            if first <= offset && last > offset {
                // The line is one of these eight: three halvings find it, each a
                // conditional move rather than a branch on the text's line lengths.
                let mut ix = hint;
                for half in [4, 2, 1] {
                    ix += if self.starts[ix + half] <= offset {
                        half
                    } else {
                        0
                    };
                }
                return ix;
            }
        }
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte offset where 0-based line `ix` starts (`usize::MAX` past the last line).
    pub fn line_start(&self, ix: usize) -> usize {
        self.starts.get(ix).copied().unwrap_or(usize::MAX)
    }

    /// Byte range of 0-based line `ix`, without its newline.
    pub fn line_range(&self, text: &str, ix: usize) -> Range<usize> {
        let start = self.starts.get(ix).copied().unwrap_or(text.len());
        let end = self
            .starts
            .get(ix + 1)
            .map_or(text.len(), |&next| next.saturating_sub(1));
        start..end.max(start)
    }

    /// Span of `range` in `text`; the range is clamped to the text and to char boundaries.
    pub fn span(&self, text: &str, range: Range<usize>) -> Span {
        let start = floor_boundary(text, range.start.min(text.len()));
        let end = floor_boundary(text, range.end.min(text.len())).max(start);
        let ix = self.line_ix(start);
        let line_start = self.starts.get(ix).copied().unwrap_or(0).min(start);
        let (memo_off, memo_col) = self.memo.get();
        let column = if memo_off >= line_start && memo_off <= start {
            memo_col + text[memo_off..start].chars().count()
        } else {
            text[line_start..start].chars().count() + 1
        };
        self.memo.set((start, column));
        Span {
            offset: start,
            len: end - start,
            line: u32::try_from(ix + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A heading: level 1–6, its text with inline markup removed, and the range of its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: Str,
    pub range: Range<usize>,
}

/// A table cell: text with markup removed (`<br>` becomes a space) and its source range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: Str,
    pub range: Range<usize>,
}

/// One table row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub range: Range<usize>,
}

/// A GFM table. Rows hold what pulldown-cmark gives: as many cells as the header for
/// ragged input (short rows padded, long rows cut), so a divider row like
/// `| **Core Features** |` has one non-empty cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Row,
    pub rows: Vec<Row>,
    pub range: Range<usize>,
}

/// A list item: where it starts (the marker) and, for task lists, whether it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub start: usize,
    pub task: Option<bool>,
}

/// A block, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(Heading),
    Table(Table),
    Item(Item),
}

/// The structure of one document.
#[derive(Debug, Clone, Default)]
pub struct Blocks {
    pub blocks: Vec<Block>,
    /// 0-based lines holding prose (paragraph or list-item text) outside code, HTML,
    /// headings and tables; ascending, no duplicates.
    pub prose_lines: Vec<usize>,
    /// 0-based lines that start a list item (a subset of `prose_lines` when the item has text).
    pub item_lines: Vec<usize>,
}

/// Pulldown-cmark options: GFM tables and task lists; nothing that changes block structure.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH
}

#[derive(Default)]
struct TableBuild {
    start: usize,
    header: Option<Row>,
    rows: Vec<Row>,
    row: Vec<Cell>,
    row_start: usize,
    /// The source range of the cell being read.
    cell: Option<Range<usize>>,
}

/// Text built from inline events with whitespace runs collapsed to one space as it is
/// appended, so no unsquashed copy is ever made; [`squash`] is this over one string.
#[derive(Default)]
struct Squashed {
    text: String,
    /// Whitespace was seen since the last word: a space goes before the next one.
    gap: bool,
}

impl Squashed {
    /// The text built since the last call, as a [`Str`], and the buffer emptied for the
    /// next heading or cell. Most texts are their source as written (`source`, trimmed):
    /// then the result is a slice of the report's buffer, not a copy.
    fn take(&mut self, src: &Str, source: Range<usize>) -> Str {
        // A short text is stored inline either way: compared only when it is longer.
        let verbatim = self.text.len() > Str::inline_capacity()
            && src.get(source.clone()) == Some(self.text.as_str());
        let text = verbatim
            .then(|| src.try_slice(source).ok())
            .flatten()
            .unwrap_or_else(|| Str::from(self.text.as_str()));
        self.text.clear();
        self.gap = false;
        text
    }

    fn push(&mut self, s: &str) {
        // Most pieces are already squashed inside (single spaces, no other whitespace):
        // appended whole instead of word by word.
        if already_squashed(s) {
            let inner = s.trim_matches(' ');
            if inner.len() < s.len() && s.starts_with(' ') {
                self.gap = true;
            }
            self.word(inner);
            if inner.len() < s.len() && s.ends_with(' ') {
                self.gap = true;
            }
            return;
        }
        if !s.is_ascii() {
            for (k, word) in s.split(char::is_whitespace).enumerate() {
                if k > 0 {
                    self.gap = true;
                }
                self.word(word);
            }
            return;
        }
        // ASCII: whitespace is found per byte, without decoding characters.
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if ascii_space(bytes[i]) {
                self.gap = true;
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && !ascii_space(bytes[i]) {
                i += 1;
            }
            self.word(&s[start..i]);
        }
    }

    /// Append a word (no whitespace in it), after one space if whitespace came before.
    fn word(&mut self, word: &str) {
        if word.is_empty() {
            return;
        }
        if self.gap && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.gap = false;
        self.text.push_str(word);
    }

    fn space(&mut self) {
        self.gap = true;
    }
}

/// `s` holds no whitespace (as `char::is_whitespace`) but single ASCII spaces. The other
/// whitespace characters are ASCII controls or start with one of four lead bytes (`C2` for
/// U+0085 and U+00A0, `E1` for U+1680, `E2` for U+2000–U+205F, `E3` for U+3000), so only
/// characters with those are decoded. Eight bytes are tested at a time ([`swar`]); a
/// chunk is read per byte only when it may hold such a character (see [`may_hold_wide_space`]).
pub(crate) fn already_squashed(s: &str) -> bool {
    squashed::<false>(s)
}

/// [`already_squashed`], and `s` holds no emphasis marker or backtick (`*`, `` ` ``): text
/// that is plain as it is, tested in the same pass.
pub(crate) fn already_plain(s: &str) -> bool {
    squashed::<true>(s)
}

/// [`already_squashed`], and with `MARKS` no `*` or `` ` `` either.
fn squashed<const MARKS: bool>(s: &str) -> bool {
    let b = s.as_bytes();
    let mut k = 0;
    // The byte before `k` is a space.
    let mut space_before = false;
    while let Some(x) = swar::word_at(b, k) {
        // The ASCII tests are exact for bytes that are not ASCII too.
        let spaces = swar::eq(x, b' ');
        // Each byte that is a space after a space; bit 7 of byte 0 for the chunk's edge.
        let double = spaces & (spaces << 8 | u64::from(space_before) << 7);
        if double != 0 || swar::within(x, b'\t', b'\r') != 0 {
            return false;
        }
        if MARKS && swar::eq(x, b'*') | swar::eq(x, b'`') != 0 {
            return false;
        }
        if x & swar::HIGH != 0
            && may_hold_wide_space(x)
            && !bytes_squashed::<false>(s, k, k + 8, space_before)
        {
            return false;
        }
        space_before = b[k + 7] == b' ';
        k += 8;
    }
    bytes_squashed::<MARKS>(s, k, b.len(), space_before)
}

/// Whether the eight bytes `x` may start a whitespace character that is not ASCII: a lead
/// byte `C2`, `E1` or `E3`, or `E2` followed by `80` or `81` (U+2000–U+205F) or last in
/// the chunk. The emoji and arrows of reports (`✅` is `E2 9C 85`, `→` is `E2 86 92`) pass.
fn may_hold_wide_space(x: u64) -> bool {
    let next = x >> 8;
    let e2 = swar::eq(x, 0xE2);
    let e2_space = e2 & (swar::eq(next, 0x80) | swar::eq(next, 0x81) | swar::HIGH << 56);
    e2_space | swar::eq(x, 0xC2) | swar::eq(x, 0xE1) | swar::eq(x, 0xE3) != 0
}

/// [`squashed`] for `s[from..to]` (`to` ≤ `s.len()`), one byte at a time; a character
/// starting before `to` is decoded whole even if it runs past it.
fn bytes_squashed<const MARKS: bool>(
    s: &str,
    from: usize,
    to: usize,
    mut space_before: bool,
) -> bool {
    let b = s.as_bytes();
    for k in from..to {
        match b[k] {
            b' ' if space_before => return false,
            b'\t'..=b'\r' => return false,
            b'*' | b'`' if MARKS => return false,
            0xC2 | 0xE1 | 0xE2 | 0xE3 if s[k..].chars().next().is_some_and(char::is_whitespace) => {
                return false;
            }
            _ => {}
        }
        space_before = b[k] == b' ';
    }
    true
}

/// The structural bounds [`blocks`] enforces while it reads the event stream, each checked
/// before the element over it is stored (see [`crate::limits::Limits`] for the defaults).
/// Heading depth needs no bound of its own: Markdown has six levels, so a section path
/// never holds more than six titles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Headings + table cells + list items in the whole document.
    pub elements: usize,
    /// Body rows of one table.
    pub table_rows: usize,
    /// Header cells of one table (pulldown-cmark pads or cuts every row to that width).
    pub table_columns: usize,
    /// List items open inside one another.
    pub list_depth: usize,
}

impl Bounds {
    /// No bound at all (for tests of the structure itself).
    pub const UNLIMITED: Bounds = Bounds {
        elements: usize::MAX,
        table_rows: usize::MAX,
        table_columns: usize::MAX,
        list_depth: usize::MAX,
    };
}

/// Which of the [`Bounds`] was passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Elements,
    TableRows,
    TableColumns,
    ListDepth,
}

/// A bound was passed: which, its value, and the offset where the element over it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverBound {
    pub bound: Bound,
    pub limit: usize,
    pub offset: usize,
}

/// Parse `text` into blocks within `bounds`: every element becomes a stored value, so
/// these bound memory and later work independently of the byte size.
pub fn blocks(src: &Str, lines: &LineIndex, bounds: &Bounds) -> Result<Blocks, OverBound> {
    let text = src.as_str();
    // A block starts a line and so does each prose line: sized once by the line count
    // instead of regrown (and copied) as they fill. The lists live only until the report
    // is built, so the room a text of few blocks leaves unused is not kept.
    let mut out = Blocks {
        blocks: Vec::with_capacity(lines.lines()),
        prose_lines: Vec::with_capacity(lines.lines()),
        item_lines: Vec::with_capacity(lines.lines()),
    };
    let mut elements = 0usize;
    let mut code = 0usize;
    // The text of the heading or cell being read (never both: a table cell holds no heading).
    let mut buf = Squashed::default();
    let mut heading: Option<(u8, Range<usize>)> = None;
    let mut table: Option<TableBuild> = None;
    let mut open_items: Vec<usize> = Vec::new();
    let over = |bound, limit, offset| {
        Err(OverBound {
            bound,
            limit,
            offset,
        })
    };
    // A heading or a table cell is open: its text goes into `buf`.
    let reading = |heading: &Option<(u8, Range<usize>)>, table: &Option<TableBuild>| {
        heading.is_some() || table.as_ref().is_some_and(|t| t.cell.is_some())
    };
    let mark_prose = |range: &Range<usize>, out: &mut Blocks| {
        let mut mark = |ix: usize| {
            if out.prose_lines.last() != Some(&ix) {
                out.prose_lines.push(ix);
            }
        };
        let first = lines.line_ix(range.start);
        mark(first);
        // Most text ends on the line it starts on (a soft break is an event of its own):
        // the last byte's line is searched for only when it is past that line.
        let last = range.end.saturating_sub(1).max(range.start);
        if last >= lines.line_start(first + 1) {
            mark(lines.line_ix(last));
        }
    };
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        if matches!(
            event,
            Event::Start(Tag::Heading { .. } | Tag::TableCell | Tag::Item)
        ) {
            elements += 1;
            if elements > bounds.elements {
                return over(Bound::Elements, bounds.elements, range.start);
            }
        }
        match event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level as u8, range));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, range)) = heading.take() {
                    out.blocks.push(Block::Heading(Heading {
                        level,
                        text: buf.take(src, heading_source(text, &range)),
                        range,
                    }));
                }
            }
            Event::Start(Tag::Table(_)) => {
                table = Some(TableBuild {
                    start: range.start,
                    ..TableBuild::default()
                });
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    out.blocks.push(Block::Table(Table {
                        header: t.header.unwrap_or(Row {
                            cells: Vec::new(),
                            range: t.start..t.start,
                        }),
                        rows: t.rows,
                        range: t.start..range.end,
                    }));
                }
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                if let Some(t) = table.as_mut() {
                    if t.header.is_some() && t.rows.len() >= bounds.table_rows {
                        return over(Bound::TableRows, bounds.table_rows, range.start);
                    }
                    // Every body row has the header's width: sized once.
                    let width = t.header.as_ref().map_or(0, |h| h.cells.len());
                    t.row = Vec::with_capacity(width);
                    t.row_start = range.start;
                }
            }
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                if let Some(t) = table.as_mut() {
                    let row = Row {
                        cells: std::mem::take(&mut t.row),
                        range: t.row_start..range.end,
                    };
                    if t.header.is_none() {
                        t.header = Some(row);
                    } else {
                        t.rows.push(row);
                    }
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Some(t) = table.as_mut() {
                    if t.header.is_none() && t.row.len() >= bounds.table_columns {
                        return over(Bound::TableColumns, bounds.table_columns, range.start);
                    }
                    t.cell = Some(range);
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(t) = table.as_mut() {
                    if let Some(range) = t.cell.take() {
                        let range = trim_source(text, range);
                        t.row.push(Cell {
                            text: buf.take(src, range.clone()),
                            range,
                        });
                    }
                }
            }
            Event::Start(Tag::Item) => {
                if open_items.len() >= bounds.list_depth {
                    return over(Bound::ListDepth, bounds.list_depth, range.start);
                }
                open_items.push(out.blocks.len());
                out.blocks.push(Block::Item(Item {
                    start: range.start,
                    task: None,
                }));
                let ix = lines.line_ix(range.start);
                if out.item_lines.last() != Some(&ix) {
                    out.item_lines.push(ix);
                }
            }
            Event::End(TagEnd::Item) => {
                open_items.pop();
            }
            Event::TaskListMarker(checked) => {
                if let Some(Block::Item(item)) =
                    open_items.last().and_then(|&i| out.blocks.get_mut(i))
                {
                    item.task = Some(checked);
                }
            }
            Event::Text(s) | Event::Code(s) => {
                if code > 0 {
                    continue;
                }
                if reading(&heading, &table) {
                    buf.push(&s);
                } else if table.is_none() {
                    mark_prose(&range, &mut out);
                }
            }
            Event::InlineHtml(_) | Event::SoftBreak | Event::HardBreak
                if reading(&heading, &table) =>
            {
                buf.space();
            }
            _ => {}
        }
    }
    out.prose_lines.sort_unstable();
    out.prose_lines.dedup();
    Ok(out)
}

/// The source of the heading at `range` without its `#` markers and the padding around it:
/// what its text is when it holds no inline markup.
fn heading_source(text: &str, range: &Range<usize>) -> Range<usize> {
    let Some(s) = text.get(range.clone()) else {
        return range.clone();
    };
    let pad = |c: char| c.is_ascii_whitespace() || c == '#';
    let start = range.start + (s.len() - s.trim_start_matches(pad).len());
    let end = range.end - (s.len() - s.trim_end_matches(pad).len());
    start..end.max(start)
}

/// `range` shrunk to exclude surrounding whitespace and table pipes in `text`.
pub fn trim_source(text: &str, range: Range<usize>) -> Range<usize> {
    let Some(s) = text.get(range.clone()) else {
        return range;
    };
    let lead = s.len()
        - s.trim_start_matches(|c: char| c.is_whitespace() || c == '|')
            .len();
    let trail = s.len()
        - s.trim_end_matches(|c: char| c.is_whitespace() || c == '|')
            .len();
    let start = range.start + lead;
    start..(range.end - trail).max(start)
}

/// Collapse runs of whitespace to one space and trim.
pub fn squash(s: &str) -> Str {
    let trimmed = s.trim();
    if already_squashed(trimmed) {
        return Str::from(trimmed);
    }
    squash_pieces([s], s.len())
}

/// [`squash`] of the pieces joined with nothing between them, without joining them first
/// (`capacity`: their total length, or a bound).
pub fn squash_pieces<'a>(pieces: impl IntoIterator<Item = &'a str>, capacity: usize) -> Str {
    let mut out = Squashed {
        text: String::with_capacity(capacity),
        gap: false,
    };
    for piece in pieces {
        out.push(piece);
    }
    Str::from(out.text)
}

/// The content of a prose line: `range` of the line with indentation, blockquote markers,
/// a list marker and a task box removed. Returns the content range and whether a list
/// marker was removed.
pub fn line_content(text: &str, range: Range<usize>) -> (Range<usize>, bool) {
    let Some(line) = text.get(range.clone()) else {
        return (range, false);
    };
    let mut rest = line;
    loop {
        let t = trim_start(rest);
        match t.strip_prefix('>') {
            Some(r) => rest = r,
            None => {
                rest = t;
                break;
            }
        }
    }
    let mut item = false;
    for marker in ["- ", "* ", "+ "] {
        if let Some(r) = rest.strip_prefix(marker) {
            rest = trim_start(r);
            item = true;
            break;
        }
    }
    if !item {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if (1..=9).contains(&digits) {
            let after = &rest[digits..];
            if let Some(r) = after
                .strip_prefix(". ")
                .or_else(|| after.strip_prefix(") "))
            {
                rest = trim_start(r);
                item = true;
            }
        }
    }
    if item {
        for task in ["[ ] ", "[x] ", "[X] "] {
            if let Some(r) = rest.strip_prefix(task) {
                rest = trim_start(r);
                break;
            }
        }
    }
    let rest = trim_end(rest);
    // `rest` is a subslice of `line`: its address difference is its offset.
    let start = if rest.is_empty() {
        range.end
    } else {
        range.start + (rest.as_ptr() as usize - line.as_ptr() as usize)
    };
    (start..start + rest.len(), item)
}

/// The ASCII characters `char::is_whitespace` accepts.
fn ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// `s.trim_start()`, with ASCII whitespace stepped over per byte: only a character that is
/// not ASCII is decoded (lines mostly start with spaces and then ASCII).
fn trim_start(s: &str) -> &str {
    let rest = &s[s.bytes().take_while(|&b| ascii_space(b)).count()..];
    match rest.as_bytes().first() {
        Some(b) if !b.is_ascii() => rest.trim_start(),
        _ => rest,
    }
}

/// `s.trim_end()`, as [`trim_start`] from the other end.
fn trim_end(s: &str) -> &str {
    let rest = &s[..s.len() - s.bytes().rev().take_while(|&b| ascii_space(b)).count()];
    match rest.as_bytes().last() {
        Some(b) if !b.is_ascii() => rest.trim_end(),
        _ => rest,
    }
}

/// A `**Key**: value` or `**Key:** value` line (also with `__`). Returns the key (markup
/// removed) with its range and the value's range (trimmed), all within `content`.
pub fn metadata(content: &str) -> Option<(Str, Range<usize>, Range<usize>)> {
    let delim = if content.starts_with("**") {
        "**"
    } else if content.starts_with("__") {
        "__"
    } else {
        return None;
    };
    // The closing delimiter (`**`/`__` are ASCII): the first of its byte followed by another.
    let (d, b) = (delim.as_bytes()[0], content.as_bytes());
    let inner_end = memchr::memchr_iter(d, &b[2..])
        .map(|i| i + 2)
        .find(|&i| b.get(i + 1) == Some(&d))?;
    let inner = &content[2..inner_end];
    let after = inner_end + 2;
    let (key, value_start) = if let Some(k) = inner.trim_end().strip_suffix(':') {
        (k, after)
    } else if content[after..].starts_with(':') {
        (inner, after + 1)
    } else {
        return None;
    };
    let key = squash(key);
    if key.is_empty() || (key.len() > 80 && key.chars().count() > 80) || key.contains('*') {
        return None;
    }
    let value = &content[value_start..];
    let lead = value.len() - value.trim_start().len();
    let vstart = value_start + lead;
    let vend = value_start + value.trim_end().len().max(lead);
    Some((key, 2..2 + inner.len(), vstart..vend))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(text: &str) -> Vec<(u8, String, u32)> {
        let idx = LineIndex::new(text);
        blocks(&Str::from(text), &idx, &Bounds::UNLIMITED)
            .unwrap()
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading(h) => Some((
                    h.level,
                    h.text.to_string(),
                    idx.span(text, h.range.clone()).line,
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn heading_in_code_fence_is_not_a_heading() {
        let text = "# Title\n\n```\n# not a heading\n```\n\n## Real **bold** `code`\n";
        assert_eq!(
            headings(text),
            vec![
                (1, "Title".to_string(), 1),
                (2, "Real bold code".to_string(), 7)
            ]
        );
    }

    #[test]
    fn tables_ragged_divider_and_br() {
        let text = "| A | B | C |\n|---|---|---|\n| **Core Features** |\n| x | y<br>z | w | extra |\n| p |  |\n";
        let idx = LineIndex::new(text);
        let b = blocks(&Str::from(text), &idx, &Bounds::UNLIMITED).unwrap();
        let Some(Block::Table(t)) = b.blocks.first() else {
            panic!("no table: {:?}", b.blocks)
        };
        let header: Vec<_> = t.header.cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(header, ["A", "B", "C"]);
        let rows: Vec<Vec<&str>> = t
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(rows[0][0], "Core Features");
        assert!(rows[0][1..].iter().all(|c| c.is_empty()));
        assert_eq!(rows[1], ["x", "y z", "w"]);
        assert_eq!(rows[2][0], "p");
        let cell = &t.rows[1].cells[1];
        assert_eq!(&text[trim_source(text, cell.range.clone())], "y<br>z");
        assert_eq!(idx.span(text, cell.range.clone()).line, 4);
    }

    #[test]
    fn verbatim_texts_are_slices_of_the_source() {
        let src = Str::from(
            "## A heading longer than inline strings ##\n\n\
             | Column header longer than that | b |\n|---|---|\n\
             | **a bold cell that is long enough** | x |\n",
        );
        let idx = LineIndex::new(&src);
        let b = blocks(&src, &idx, &Bounds::UNLIMITED).unwrap();
        let inside = |s: &Str| src.as_bytes().as_ptr_range().contains(&s.as_ptr());
        let [Block::Heading(h), Block::Table(t)] = &b.blocks[..] else {
            panic!("{:?}", b.blocks)
        };
        assert_eq!(h.text, "A heading longer than inline strings");
        assert!(inside(&h.text));
        assert_eq!(t.header.cells[0].text, "Column header longer than that");
        assert!(inside(&t.header.cells[0].text));
        // Markup removed: built, so a copy.
        assert_eq!(t.rows[0].cells[0].text, "a bold cell that is long enough");
        assert!(!inside(&t.rows[0].cells[0].text));
    }

    #[test]
    fn prose_lines_skip_code_and_tables() {
        let text = "para one\nstill one\n\n```\ncode\n```\n\n| a | b |\n|---|---|\n| c | d |\n\n- item\n  - nested\n";
        let idx = LineIndex::new(text);
        let b = blocks(&Str::from(text), &idx, &Bounds::UNLIMITED).unwrap();
        assert_eq!(b.prose_lines, vec![0, 1, 11, 12]);
        assert_eq!(b.item_lines, vec![11, 12]);
        // Text that runs over a line end (a code span) marks the lines it starts and ends on.
        let text = "x `a\nb`\n\nz\n";
        let b = blocks(&Str::from(text), &LineIndex::new(text), &Bounds::UNLIMITED).unwrap();
        assert_eq!(b.prose_lines, vec![0, 1, 3]);
    }

    #[test]
    fn squashing_event_by_event_equals_squashing_the_whole() {
        let mut b = Squashed::default();
        for piece in [" a ", " b", "c", "", "\u{a0}d\n", "\x0b\x0cf\r"] {
            b.push(piece);
        }
        b.space();
        b.push("e");
        assert_eq!(b.text, squash(" a  bc\u{a0}d\n\x0b\x0cf\r e"));
        assert_eq!(b.text, "a bc d f e");
        // Pieces already squashed inside, with and without spaces around them.
        let mut b = Squashed::default();
        for piece in ["x y", " z", "w ", " ", "v", " u  t "] {
            b.push(piece);
        }
        assert_eq!(b.text, squash("x y zw  v u  t "));
        assert_eq!(b.text, "x y zw v u t");
        assert_eq!(squash("  \t "), "");
    }

    #[test]
    fn already_squashed_knows_every_whitespace_character() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let want = c == ' ' || !c.is_whitespace();
            // In the tail read per byte, and inside an eight-byte chunk.
            for s in [format!("a{c}b"), format!("abc{c}defghijklmn")] {
                assert_eq!(already_squashed(&s), want, "{c:?} in {s:?}");
            }
        }
        // Characters with the lead bytes of wide spaces at every place in a chunk, its last
        // byte too (the next byte is then in the next chunk).
        let leads = (0x80..0xC0).chain(0x1000..0x2000).chain(0x2000..0x4000);
        for c in leads.filter_map(char::from_u32) {
            let want = !c.is_whitespace();
            for at in 0..12 {
                let s = format!("{}{c}{}", "x".repeat(at), "y".repeat(12));
                assert_eq!(already_squashed(&s), want, "{c:?} in {s:?}");
            }
        }
        assert!(already_squashed("✅ PASSED (5/5 tests)") && already_squashed(" a b "));
        assert!(!already_squashed("a  b") && !already_squashed("a\u{a0}b"));
    }

    #[test]
    fn already_plain_finds_marks_anywhere() {
        let filler = "abcdefgh✅jklmnopqrst";
        assert!(already_plain(filler) && already_plain(""));
        for at in (0..=filler.len()).filter(|&at| filler.is_char_boundary(at)) {
            for mark in ["*", "`"] {
                let s = format!("{}{mark}{}", &filler[..at], &filler[at..]);
                assert!(!already_plain(&s) && already_squashed(&s), "{s:?}");
            }
            let s = format!("{}  {}", &filler[..at], &filler[at..]);
            assert!(!already_plain(&s), "{s:?}");
        }
    }

    #[test]
    fn already_squashed_across_chunk_edges() {
        // A double space, a tab or a wide space at every position of strings longer than
        // one chunk, next to ASCII and to multi-byte characters.
        for filler in ["abcdefghijklmnopqrst", "✅é✅ab✅cd✅ef"] {
            for at in 0..=filler.len() {
                if !filler.is_char_boundary(at) {
                    continue;
                }
                for bad in ["  ", "\t", "\u{3000}", "\u{85}", " \n"] {
                    let s = format!("{}{bad}{}", &filler[..at], &filler[at..]);
                    assert!(!already_squashed(&s), "{s:?}");
                }
                let s = format!("{} {}", &filler[..at], &filler[at..]);
                let single = !s.contains("  ");
                assert_eq!(already_squashed(&s), single, "{s:?}");
            }
        }
    }

    #[test]
    fn metadata_forms() {
        let (k, _, v) = metadata("**Validation ID**: `abc`").unwrap();
        assert_eq!(
            (k.as_str(), &"**Validation ID**: `abc`"[v]),
            ("Validation ID", "`abc`")
        );
        let s = "**Status:** ✅ PASS";
        let (k, _, v) = metadata(s).unwrap();
        assert_eq!((k.as_str(), &s[v]), ("Status", "✅ PASS"));
        assert_eq!(metadata("**bold** text"), None);
        assert_eq!(metadata("plain: text"), None);
        let s = "**Key**:";
        let (_, _, v) = metadata(s).unwrap();
        assert_eq!(&s[v], "");
    }

    #[test]
    fn line_content_strips_containers() {
        let text = "  > - [x] **Fault Threshold**: f=2  ";
        let (r, item) = line_content(text, 0..text.len());
        assert!(item);
        assert_eq!(&text[r], "**Fault Threshold**: f=2");
        let text = "12. done";
        assert_eq!(&text[line_content(text, 0..text.len()).0], "done");
    }

    #[test]
    fn trims_are_the_standard_ones() {
        let spaces = [
            " ", "\t", "\r", "\x0B", "\u{a0}", "\u{3000}", "\u{85}", "\u{1c}",
        ];
        for a in spaces {
            for b in spaces {
                for mid in ["", "x", "✅ y", "\u{a0}"] {
                    let s = format!("{a}{b}{mid}{b}{a}");
                    assert_eq!(trim_start(&s), s.trim_start(), "{s:?}");
                    assert_eq!(trim_end(&s), s.trim_end(), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn line_after_a_hint_is_the_line_found_by_search() {
        let text = "a\nbb\n\nccc\n".repeat(5);
        let idx = LineIndex::new(&text);
        for hint in 0..idx.lines() + 2 {
            for off in 0..text.len() + 2 {
                let newlines_before = text.as_bytes()[..off.min(text.len())]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                assert_eq!(
                    idx.line_ix_after(hint, off),
                    newlines_before,
                    "{hint} {off}"
                );
                assert_eq!(idx.line_ix(off), newlines_before, "{off}");
            }
        }
    }

    #[test]
    fn spans_asked_in_any_order_give_the_counted_line_and_column() {
        let text = "ab\n✅ x y\n\nz ✅\n".repeat(3);
        let idx = LineIndex::new(&text);
        let offsets: Vec<usize> = (0..=text.len())
            .filter(|&o| text.is_char_boundary(o))
            .collect();
        for &a in &offsets {
            for &b in &offsets {
                idx.span(&text, a..a);
                let before = &text[..b];
                let line_start = before.rfind('\n').map_or(0, |n| n + 1);
                let span = idx.span(&text, b..b);
                assert_eq!(
                    (span.line, span.column),
                    (
                        before.matches('\n').count() as u32 + 1,
                        text[line_start..b].chars().count() as u32 + 1
                    ),
                    "{a} then {b}"
                );
            }
        }
    }

    #[test]
    fn spans_count_characters() {
        let text = "ab\n✅ x\n";
        let idx = LineIndex::new(text);
        let s = idx.span(text, 7..8);
        assert_eq!((s.line, s.column, s.offset, s.len), (2, 3, 7, 1));
    }
}
