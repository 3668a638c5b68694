//! Blocks → [`Report`]: sections, checks, assertions, metadata, claims and the derived
//! consensus, attestation and summary facts. One pass over each kind of block; every list
//! built here is at most proportional to the number of blocks or lines.

use std::ops::Range;
use std::sync::Arc;

use super::claims::{self, ClaimKind};
use super::markdown::{self, Block, Blocks, Heading, LineIndex, Table};
use super::model::*;
use super::scan;
use super::status::{self, CheckStatus};
use crate::span::Span;

struct Builder<'a> {
    src: &'a str,
    /// `src` as the model's string type: verbatim text is sliced from it, not copied.
    source: &'a Str,
    lines: &'a LineIndex,
    /// (0-based line of the heading, section index), ascending.
    heading_lines: Vec<(usize, usize)>,
    /// How many of `heading_lines` were at or before the line last asked of
    /// [`Builder::section_at`]: blocks and lines are visited in document order, so the next
    /// answer is found by stepping on from there.
    section_cursor: std::cell::Cell<usize>,
    /// Bound on claims and phrase facts kept; `over` is where it was exceeded.
    max_facts: usize,
    over: Option<usize>,
    /// The path of text before the first heading, shared like the sections' paths.
    no_path: Arc<[Str]>,
    /// Buffers reused by every [`Builder::unit`] instead of allocated per piece of text.
    claim_buf: Vec<claims::Claim>,
    tok_buf: Vec<scan::Tok<'a>>,
    /// Pieces of text waiting to be scanned, in document order (see [`Piece`]).
    pieces: Vec<Piece>,
    report: Report,
}

/// A piece of text (a cell, a heading, a prose line) to scan for claims and phrase facts,
/// with where its claims go. Pieces are queued while the blocks are walked and scanned
/// [`PIECES_PER_SCAN`] at a time: the claims grammar and the block code together are more
/// code than the instruction cache holds, and running each in a stretch of its own instead
/// of alternating at every cell makes `report::parse` faster (docs/performance.md, seventh
/// pass).
/// The order of scanning is the order of the text either way, and nothing the block walk
/// decides depends on what a scan finds, so the report is the same.
struct Piece {
    range: Range<usize>,
    place: Place,
    section: Option<usize>,
    check: Option<usize>,
    key: Option<Str>,
    /// The cell of `check` (an index into its `cells`) that gets a copy of the claims.
    cell: Option<usize>,
    /// Just past the last ASCII digit, relative to `range.start` (set by [`Builder::queue`]).
    digits_end: usize,
}

impl Piece {
    /// A piece outside any check, without a metadata key.
    fn at(range: Range<usize>, place: Place, section: Option<usize>) -> Self {
        Piece {
            range,
            place,
            section,
            check: None,
            key: None,
            cell: None,
            digits_end: 0,
        }
    }
}

/// Pieces scanned in one stretch: enough for the scanners' code to stay cached over many
/// pieces, few enough that the queue stays small (about 100 KiB) whatever the input.
const PIECES_PER_SCAN: usize = 1024;

/// More claims and facts than the bound: the offset of the text where it was exceeded.
pub(super) struct TooManyFacts {
    pub offset: usize,
}

pub(super) fn build(
    source: &Str,
    lines: &LineIndex,
    blocks: Blocks,
    encoding: Encoding,
    max_facts: usize,
) -> Result<Report, TooManyFacts> {
    let src = source.as_str();
    // Claims and metadata lines run at about one per 250 bytes in the corpus's reports:
    // sized for that up front instead of regrown from nothing, capped so that a large text
    // without them does not hold much unused room.
    let expected = (src.len() / 256).min(4096);
    let mut b = Builder {
        src,
        source,
        lines,
        heading_lines: Vec::new(),
        section_cursor: std::cell::Cell::new(0),
        max_facts,
        over: None,
        no_path: Arc::from([]),
        // Sized for a long line up front, instead of regrown in the first few pieces.
        claim_buf: Vec::with_capacity(32),
        tok_buf: Vec::with_capacity(64),
        pieces: Vec::with_capacity(PIECES_PER_SCAN),
        report: Report {
            schema: SCHEMA,
            title: None,
            id: None,
            date: None,
            encoding,
            metadata: Vec::with_capacity(expected),
            sections: Vec::new(),
            checks: Vec::new(),
            tally: Tally::default(),
            assertions: Vec::new(),
            claims: Vec::with_capacity(expected),
            consensus: Consensus::default(),
            attestation: Attestation::default(),
            summary: SummaryClaims::default(),
        },
    };
    // Sections are one per heading and checks at most one per table row: sized once
    // instead of regrown (and copied) as they fill.
    let (mut headings, mut rows) = (0, 0);
    for block in &blocks.blocks {
        match block {
            Block::Heading(_) => headings += 1,
            Block::Table(t) => rows += t.rows.len(),
            Block::Item(_) => {}
        }
    }
    b.report.sections.reserve_exact(headings);
    b.heading_lines.reserve_exact(headings);
    b.report.checks.reserve(rows);
    // One walk in document order: a block's section is the last heading before it, already
    // seen; "first" facts (f, phases, confidence …) are first in the document; claims come
    // out in order; and the line and section cursors only ever step forward.
    let mut prose = blocks.prose_lines.iter().copied().peekable();
    // Both lists ascend: whether a prose line starts an item is read by walking them together.
    let mut items = blocks.item_lines.iter().peekable();
    // Compared by offset (a line's start is read directly, not searched for), so the line
    // cursor is never moved to a block before the prose lines ahead of it are read.
    let mut prose_before = |b: &mut Builder<'_>, offset: usize| {
        while let Some(ix) = prose.next_if(|&ix| lines.line_start(ix) < offset) {
            while items.next_if(|&&i| i < ix).is_some() {}
            let in_item = items.peek() == Some(&&ix);
            b.prose_line(ix, in_item);
        }
    };
    for block in blocks.blocks {
        let start = match &block {
            Block::Heading(h) => h.range.start,
            Block::Table(t) => t.range.start,
            Block::Item(item) => item.start,
        };
        prose_before(&mut b, start);
        match block {
            Block::Heading(h) => b.heading(h),
            Block::Table(t) => b.table(t),
            Block::Item(item) => b.assertion(&item),
        }
    }
    prose_before(&mut b, usize::MAX);
    b.scan_pieces();
    match b.over {
        Some(offset) => Err(TooManyFacts { offset }),
        None => Ok(b.finish()),
    }
}

/// One of `needles` (lower case) occurs in `s` lower-cased: the same as
/// `s.to_lowercase().contains(needle)` for ASCII needles, with no copy when `s` is ASCII and
/// one copy for all needles otherwise.
fn contains_any_lower(s: &str, needles: &[&str]) -> bool {
    if s.is_ascii() {
        needles.iter().any(|n| scan::contains_ci(s, n))
    } else {
        let lower = s.to_lowercase();
        needles.iter().any(|n| lower.contains(n))
    }
}

/// `s` lower-cased, without a heap allocation for a short ASCII key.
fn lower(s: &str) -> Str {
    if s.is_ascii() {
        let mut k = Str::from(s);
        k.make_ascii_lowercase();
        k
    } else {
        Str::from(s.to_lowercase())
    }
}

/// `s`, a part of `whole`, as a [`Str`]: a slice sharing `whole`'s buffer, or a copy when `s`
/// is not in it after all.
fn shared(whole: &Str, s: &str) -> Str {
    whole.try_slice_ref(s).unwrap_or_else(|| Str::from(s))
}

/// Text with emphasis markers and backticks removed, whitespace collapsed: [`markdown::squash`]
/// of the text between the markers, without building that text first. `s` is a part of
/// `whole`, which the result shares when it is one run of `s`.
fn plain(whole: &Str, s: &str) -> Str {
    // The pieces between markers, found per byte (both are ASCII).
    let pieces = || {
        let mut from = 0;
        memchr::memchr2_iter(b'*', b'`', s.as_bytes())
            .chain(std::iter::once(s.len()))
            .map(move |end| {
                let piece = &s[from..end];
                from = end + 1;
                piece
            })
    };
    // Most values are already plain (words separated by single spaces, no markers): one
    // check over the bytes, then a slice.
    let simple = !s.starts_with(' ') && !s.ends_with(' ') && markdown::already_plain(s);
    if simple {
        return shared(whole, s);
    }
    // Many others are such a run inside markers (`**FAILED**`, `` `id` ``): also a slice.
    let mut words = pieces().map(str::trim).filter(|p| !p.is_empty());
    match (words.next(), words.next()) {
        (None, _) => Str::new(),
        (Some(one), None) if markdown::already_squashed(one) => shared(whole, one),
        _ => markdown::squash_pieces(pieces(), s.len()),
    }
}

/// The status marks as written, from `mark.start`: the mark and the upper-case words and
/// emoji right after it (`✅ PASSED`, `🟡 PARTIAL VALIDATION`), markup removed. `s` is a part
/// of `whole`.
fn raw_marks(whole: &Str, s: &str, mark: &status::StatusMark) -> Str {
    let tail = &s[mark.end..];
    let stop = tail
        .char_indices()
        .find(|&(_, c)| {
            !(c.is_whitespace()
                || c.is_uppercase()
                || matches!(c, '-' | '*' | '_' | '/' | '\u{FE0F}')
                || !c.is_ascii() && !c.is_alphanumeric())
        })
        .map_or(tail.len(), |(i, _)| i);
    plain(whole, &s[mark.start..mark.end + stop])
}

impl<'a> Builder<'a> {
    fn span(&self, r: Range<usize>) -> Span {
        self.lines.span(self.src, r)
    }

    fn fact<T>(&self, value: T, r: Range<usize>) -> Fact<T> {
        let span = self.span(r.clone());
        Fact {
            value,
            text: self.shared(&r),
            line: span.line,
            span,
        }
    }

    fn text(&self, r: &Range<usize>) -> &'a str {
        self.src.get(r.clone()).unwrap_or("")
    }

    /// The text at `r`, sharing the report's buffer.
    fn shared(&self, r: &Range<usize>) -> Str {
        shared(self.source, self.text(r))
    }

    /// Section holding 0-based line `ix`: the last heading at or before it.
    fn section_at(&self, ix: usize) -> Option<usize> {
        let h = &self.heading_lines;
        let mut p = self.section_cursor.get().min(h.len());
        if p > 0 && h[p - 1].0 > ix {
            p = h.partition_point(|&(l, _)| l <= ix);
        }
        while h.get(p).is_some_and(|&(l, _)| l <= ix) {
            p += 1;
        }
        self.section_cursor.set(p);
        p.checked_sub(1).map(|i| h[i].1)
    }

    fn section_path(&self, section: Option<usize>) -> Arc<[Str]> {
        section
            .and_then(|s| self.report.sections.get(s))
            .map_or_else(|| Arc::clone(&self.no_path), |s| Arc::clone(&s.path))
    }

    fn heading(&mut self, h: Heading) {
        let ix = self.lines.line_ix(h.range.start);
        // The heading's own line without `#` markers (setext headings: their first line).
        let line = self.lines.line_range(self.src, ix);
        let start = h.range.start.max(line.start);
        let raw = self.text(&(start..line.end.max(start)));
        let trimmed = raw.trim_start().trim_start_matches('#').trim();
        let trimmed = trimmed.trim_end_matches('#').trim_end();
        // `trimmed` lies in `raw` after whitespace and `#`s only, so unless it starts with `#`
        // (or is empty) no earlier match is possible: its own position is the first one.
        let offset = if trimmed.is_empty() || trimmed.starts_with('#') {
            raw.find(trimmed).map_or(start, |o| start + o)
        } else {
            start + (trimmed.as_ptr() as usize - raw.as_ptr() as usize)
        };
        let content = offset..offset + trimmed.len();
        let span = self.span(content.clone());

        let title = h.text;
        let mark = status::classify_strict(trimmed);
        let ratio = scan::first_ratio(trimmed);
        // Most titles are their source line (no inline markup): what was found in the line
        // is then what the name is cut at, without reading the title again.
        let name = if title == trimmed {
            section_name_at(&title, mark, ratio.as_ref().map(|h| h.start))
        } else {
            section_name(&title)
        };
        let status = mark.map(|m| Status {
            status: m.status,
            raw: raw_marks(self.source, trimmed, &m),
        });
        let count = ratio.map(|hit| SectionCount {
            passed: hit.value.0,
            total: hit.value.1,
            noun: hit.value.2,
            span: self.span(offset + hit.start..offset + hit.end),
        });

        let idx = self.report.sections.len();
        let level = h.level;
        let mut parent = self.report.sections.len().checked_sub(1);
        while let Some(p) = parent {
            if self.report.sections[p].level < level {
                break;
            }
            parent = self.report.sections[p].parent;
        }
        // The parent's titles are shared, not copied: one allocation, for the path.
        let parent_path = parent.map_or(&[][..], |p| &self.report.sections[p].path[..]);
        let path: Arc<[Str]> = parent_path
            .iter()
            .cloned()
            .chain(std::iter::once(title.clone()))
            .collect();
        if self.report.title.is_none() && level == 1 {
            self.report.title = Some(Fact {
                value: title.clone(),
                text: shared(self.source, trimmed),
                line: span.line,
                span,
            });
        }
        self.report.sections.push(Section {
            level,
            title,
            name,
            path,
            parent,
            line: span.line,
            span,
            status,
            count,
            tally: Tally::default(),
        });
        self.heading_lines.push((ix, idx));
        self.queue(Piece::at(content, Place::Heading, Some(idx)));
    }

    /// Takes the table by value: cell texts move into the checks (and are copied only
    /// for an actors table, which keeps them twice).
    fn table(&mut self, mut t: Table) {
        let section = self.section_at(self.lines.line_ix(t.range.start));
        let headers: Vec<Str> = t.header.cells.iter().map(|c| c.text.clone()).collect();
        let status_col = status_column(&t, &headers);
        let name_col = match status_col {
            Some(0) => 1,
            _ => 0,
        };
        let section_title = section
            .and_then(|s| self.report.sections.get(s))
            .map_or("", |s| s.title.as_str());
        let first_header = headers.first().map_or("", |h| h);
        let actors = contains_any_lower(
            section_title,
            &["malicious", "faulty", "byzantine actor", "byzantine node"],
        ) || contains_any_lower(first_header, &["actor", "malicious"]);
        let header_of = |i: usize| headers.get(i).cloned().unwrap_or_default();

        for cell in &t.header.cells {
            self.queue(Piece::at(cell.range.clone(), Place::Cell, section));
        }
        for row in &mut t.rows {
            let row_span = self.span(row.range.clone());
            let divider = row.cells.iter().skip(1).all(|c| c.text.is_empty());
            let keep = actors && !divider;
            let take = |c: &mut markdown::Cell| {
                if keep {
                    c.text.clone()
                } else {
                    std::mem::take(&mut c.text)
                }
            };
            let named = row
                .cells
                .get(name_col)
                .is_some_and(|n| !divider && !n.text.is_empty());
            let status_cell = status_col
                .filter(|&sc| named && row.cells.get(sc).is_some_and(|c| !c.text.is_empty()));
            let check = match status_cell {
                Some(sc) => {
                    let status = status::classify(&row.cells[sc].text)
                        .map_or(CheckStatus::Unknown, |m| m.status);
                    let name = take(&mut row.cells[name_col]);
                    let raw_status = take(&mut row.cells[sc]);
                    self.report.checks.push(Check {
                        name,
                        status,
                        raw_status,
                        section,
                        section_path: self.section_path(section),
                        line: row_span.line,
                        span: row_span,
                        cells: Vec::with_capacity(row.cells.len().saturating_sub(2)),
                    });
                    Some(self.report.checks.len() - 1)
                }
                None => None,
            };
            for (i, cell) in row.cells.iter_mut().enumerate() {
                let is_other = Some(i) != status_col && i != name_col;
                let mut check_cell = None;
                if let (Some(c), true) = (check, is_other) {
                    let span = self.span(cell.range.clone());
                    let text = take(cell);
                    if let Some(chk) = self.report.checks.get_mut(c) {
                        // Its claims are copied in when the cell has been scanned.
                        chk.cells.push(CheckCell {
                            header: header_of(i),
                            text,
                            span,
                            claims: Vec::new(),
                        });
                        check_cell = Some(chk.cells.len() - 1);
                    }
                }
                self.queue(Piece {
                    check,
                    cell: check_cell,
                    ..Piece::at(cell.range.clone(), Place::Cell, section)
                });
            }
            if keep {
                if let Some(first) = row.cells.first().filter(|c| !c.text.is_empty()) {
                    let details = row
                        .cells
                        .iter()
                        .enumerate()
                        .skip(1)
                        .map(|(i, c)| (header_of(i), c.text.clone()))
                        .collect();
                    self.report.consensus.malicious_actors.push(Actor {
                        name: first.text.clone(),
                        details,
                        line: row_span.line,
                        span: row_span,
                    });
                }
            }
        }
    }

    fn assertion(&mut self, item: &markdown::Item) {
        let ix = self.lines.line_ix(item.start);
        let line = self.lines.line_range(self.src, ix);
        let (content, _) = markdown::line_content(self.src, line);
        let src = self.src;
        let text = src.get(content.clone()).unwrap_or("");
        let (status, raw) = match item.task {
            Some(true) => (CheckStatus::Pass, Str::from("[x]")),
            Some(false) => (CheckStatus::Skip, Str::from("[ ]")),
            None => {
                // Only a mark at the start counts (`- ✅ Fix …`, `- **❌ NOT VERIFIED**: …`).
                let Some(m) = status::leading(text, true) else {
                    return;
                };
                (m.status, raw_marks(self.source, text, &m))
            }
        };
        let section = self.section_at(ix);
        let span = self.span(content);
        self.report.assertions.push(Assertion {
            text: plain(self.source, text),
            status,
            raw_status: raw,
            section,
            section_path: self.section_path(section),
            line: span.line,
            span,
        });
    }

    fn prose_line(&mut self, ix: usize, in_item: bool) {
        let line = self.lines.line_range(self.src, ix);
        let (content, marker) = markdown::line_content(self.src, line);
        let section = self.section_at(ix);
        let text = self.text(&content);
        // `**✅ VERIFIED**: …` is an assertion, not a key.
        let meta =
            markdown::metadata(text).filter(|(key, _, _)| status::leading(key, true).is_none());
        if let Some((key, _, value)) = meta {
            let value = content.start + value.start..content.start + value.end;
            let span = self.span(value.clone());
            self.report.metadata.push(Metadata {
                key: key.clone(),
                value: plain(self.source, self.text(&value)),
                line: span.line,
                span,
                section,
            });
            self.queue(Piece {
                key: Some(key),
                ..Piece::at(content, Place::Metadata, section)
            });
        } else {
            let place = if marker || in_item {
                Place::ListItem
            } else {
                Place::Paragraph
            };
            self.queue(Piece::at(content, place, section));
        }
    }

    /// Queue a piece (see [`Piece`]); a full queue is scanned first. Every claim form and
    /// every phrase [`Builder::unit`] looks for states a number (hash algorithms too:
    /// `sha256:`), so a piece without an ASCII digit is not queued: it would yield nothing.
    /// Where its last digit is is kept: no claim starts after it.
    fn queue(&mut self, mut piece: Piece) {
        piece.digits_end = super::swar::digits_end(self.text(&piece.range).as_bytes());
        if piece.digits_end == 0 {
            return;
        }
        if self.pieces.len() >= PIECES_PER_SCAN {
            self.scan_pieces();
        }
        self.pieces.push(piece);
    }

    /// Scan the queued pieces in order, and copy each check cell's claims into it.
    fn scan_pieces(&mut self) {
        let mut pieces = std::mem::take(&mut self.pieces);
        for p in pieces.drain(..) {
            let first = self.report.claims.len();
            let target = p.check.zip(p.cell);
            self.unit(p);
            if let Some((c, i)) = target {
                let claims = self.report.claims[first..].to_vec();
                if let Some(cell) = self
                    .report
                    .checks
                    .get_mut(c)
                    .and_then(|c| c.cells.get_mut(i))
                {
                    cell.claims = claims;
                }
            }
        }
        self.pieces = pieces;
    }

    /// Scan one piece of text (a cell, a heading, a prose line) for claims and for the
    /// phrase-level consensus and summary facts.
    fn unit(&mut self, piece: Piece) {
        let Piece {
            range,
            place,
            section,
            check,
            key,
            digits_end,
            ..
        } = piece;
        let src: &'a str = self.src;
        let Some(s) = src.get(range.clone()) else {
            return;
        };
        let c = &self.report.consensus;
        let stored = self.report.claims.len()
            + c.node_totals.len()
            + c.honest.len()
            + c.faulty.len()
            + c.quorum.len()
            + c.quorum_ratios.len();
        if self.over.is_some() || stored > self.max_facts {
            self.over.get_or_insert(range.start);
            return;
        }
        let base = range.start;
        let at = |r: Range<usize>| base + r.start..base + r.end;
        let mut found = claims::scan_until(
            s,
            claims::MAX_CLAIMS,
            std::mem::take(&mut self.claim_buf),
            digits_end,
        );
        for c in found.claims.drain(..) {
            let Some(text) = s.get(c.start..c.end) else {
                continue;
            };
            let span = self.span(at(c.start..c.end));
            self.report.claims.push(LocatedClaim {
                kind: c.kind,
                text: shared(self.source, text),
                line: span.line,
                span,
                place,
                section,
                check,
                key: key.clone(),
            });
        }
        self.claim_buf = found.claims;
        let fact = |b: &Self, value, r: Range<usize>| b.fact(value, at(r));
        let fact_f = |b: &Self, value, r: Range<usize>| b.fact::<f64>(value, at(r));
        // Each phrase below needs a word (or `=`) that most text lacks: finding those first
        // skips the tokenising of most cells and lines.
        let scan::Triggers {
            nodes,
            honest,
            faulty,
            phase,
            quorum,
            success_rate,
            confidence,
            equals,
        } = scan::triggers(s);
        // The summary's facts are the first in the document: once found, their words no
        // longer make a piece worth tokenising.
        let summary = &self.report.summary;
        let phase = phase && summary.phases.is_none();
        let success_rate = success_rate && summary.success_rate.is_none();
        let confidence = confidence && summary.confidence.is_none();
        if !(nodes || honest || faulty || equals || phase || quorum || success_rate || confidence) {
            return;
        }
        let mut toks = std::mem::take(&mut self.tok_buf);
        toks.clear();
        scan::tokens_into(s, &mut toks);
        if nodes {
            for h in scan::node_totals_in(&toks) {
                let f = fact(self, h.value, h.start..h.end);
                self.report.consensus.node_totals.push(f);
            }
        }
        if honest {
            for h in scan::counts_in(s, &toks, &["honest"]) {
                let f = fact(self, h.value, h.start..h.end);
                self.report.consensus.honest.push(f);
            }
        }
        if faulty {
            for h in scan::counts_in(s, &toks, &["malicious", "faulty", "compromised"]) {
                let f = fact(self, h.value, h.start..h.end);
                self.report.consensus.faulty.push(f);
            }
        }
        let quorum_arithmetic = if equals {
            scan::quorum_arithmetic_in(&toks)
        } else {
            Vec::new()
        };
        for h in quorum_arithmetic {
            let (coefficient, offset, stated) = h.value;
            let r = at(h.start..h.end);
            let span = self.span(r.clone());
            self.report.consensus.quorum.push(QuorumFact {
                coefficient,
                offset,
                stated,
                text: self.shared(&r),
                line: span.line,
                span,
            });
        }
        if self.report.consensus.f.is_none() && equals {
            if let Some(h) = scan::fault_threshold_in(&toks) {
                self.report.consensus.f = Some(fact(self, h.value, h.start..h.end));
                // `f=2 (7-node configuration)`: n from the same statement.
                if self.report.consensus.n.is_none() {
                    if let Some(n) = scan::node_totals(&s[h.end..]).first() {
                        let r = h.end + n.start..h.end + n.end;
                        self.report.consensus.n = Some(fact(self, n.value, r));
                    }
                }
            }
        }
        if quorum {
            if let Some(h) = scan::first_ratio_in(&toks) {
                let (k, m, _) = h.value;
                let f = self.fact((k, m), at(h.start..h.end));
                self.report.consensus.quorum_ratios.push(f);
            }
        }
        if phase {
            if let Some(h) = scan::ratio_of_in(&toks, "phase") {
                let r = at(h.start..h.end);
                let span = self.span(r.clone());
                self.report.summary.phases = Some(RatioFact {
                    passed: h.value.0,
                    total: h.value.1,
                    noun: Some(h.value.2),
                    text: self.shared(&r),
                    line: span.line,
                    span,
                });
            }
        }
        if success_rate {
            if let Some(h) = scan::first_percent_in(&toks) {
                self.report.summary.success_rate = Some(fact_f(self, h.value, h.start..h.end));
            }
        }
        if confidence {
            let hit = scan::anchors(&toks).find_map(|(_, t)| {
                scan::percent(t.s).map(|v| (v, t)).or_else(|| {
                    scan::decimal(t.s)
                        .filter(|v| *v <= 1.0 && t.s.contains('.'))
                        .map(|v| (v * 100.0, t))
                })
            });
            if let Some((v, t)) = hit {
                self.report.summary.confidence = Some(fact_f(self, v, t.start..t.end));
            }
        }
        self.tok_buf = toks;
    }

    fn finish(mut self) -> Report {
        let r = &mut self.report;
        // Tallies: the report's and each section's (including subsections).
        for c in &r.checks {
            r.tally.add(c.status);
            let mut s = c.section;
            while let Some(i) = s {
                let Some(sec) = r.sections.get_mut(i) else {
                    break;
                };
                sec.tally.add(c.status);
                s = sec.parent;
            }
        }
        // No sort: the walk in document order gives the claims in order (tests/parse_props.rs
        // checks it on generated documents).
        let by_offset = |a: &Fact<u64>| a.span.offset;
        r.consensus.node_totals.sort_by_key(by_offset);
        r.consensus.node_totals.dedup_by_key(|f| f.span.offset);
        r.consensus.honest.sort_by_key(by_offset);
        r.consensus.faulty.sort_by_key(by_offset);
        r.consensus.quorum.sort_by_key(|q| q.span.offset);
        r.consensus.quorum_ratios.sort_by_key(|q| q.span.offset);

        // Claims from the grammar take precedence for f and n when they are there.
        if let Some(c) = r
            .claims
            .iter()
            .find(|c| matches!(c.kind, ClaimKind::FaultTolerance { .. }))
        {
            if let ClaimKind::FaultTolerance { f, n } = c.kind {
                let earlier = r
                    .consensus
                    .f
                    .as_ref()
                    .is_none_or(|x| x.span.offset >= c.span.offset);
                if earlier {
                    r.consensus.f = Some(Fact {
                        value: f,
                        text: c.text.clone(),
                        line: c.line,
                        span: c.span,
                    });
                    if let Some(n) = n {
                        r.consensus.n = Some(Fact {
                            value: n,
                            text: c.text.clone(),
                            line: c.line,
                            span: c.span,
                        });
                    }
                }
            }
        }

        // Each key lower-cased once, for every question below.
        let lower_keys: Vec<Str> = r.metadata.iter().map(|m| lower(&m.key)).collect();
        for (m, key) in r.metadata.iter().zip(&lower_keys) {
            let src = self.src;
            if r.id.is_none() && (key == "id" || key.ends_with(" id") || key.ends_with("_id")) {
                r.id = Some(metadata_fact(src, m, m.value.clone()));
            }
            if r.date.is_none()
                && ["date", "timestamp", "generated", "created"]
                    .iter()
                    .any(|w| scan::contains_ci(key, w))
            {
                if let Some(instant) = parse_date(&m.value) {
                    r.date = Some(ReportDate {
                        key: m.key.clone(),
                        instant,
                        text: m.value.clone(),
                        line: m.line,
                        span: m.span,
                    });
                }
            }
            if r.consensus.n.is_none()
                && [
                    "node count",
                    "total nodes",
                    "nodes",
                    "validators",
                    "cluster size",
                ]
                .contains(&key.as_str())
            {
                if let Some(n) = scan::tokens(&m.value).first().and_then(|t| scan::int(t.s)) {
                    r.consensus.n = Some(metadata_fact(src, m, n));
                }
            }
            // Each key is searched only while what it could give is still missing.
            let wanted = r.attestation.algorithm.is_none() || r.attestation.signatures.is_none();
            let sign = wanted && scan::contains_ci(key, "sign");
            let algo =
                sign && (scan::contains_ci(key, "algorithm") || scan::contains_ci(key, "scheme"));
            if algo && r.attestation.algorithm.is_none() {
                r.attestation.algorithm = Some(metadata_fact(src, m, m.value.clone()));
            }
            if sign
                && !algo
                && r.attestation.signatures.is_none()
                && !scan::contains_ci(key, "method")
            {
                if let Some(sig) = signature_claim(&m.value) {
                    r.attestation.signatures = Some(SignatureClaim {
                        key: m.key.clone(),
                        signed: sig.0,
                        total: sig.1,
                        text: m.value.clone(),
                        line: m.line,
                        span: m.span,
                    });
                }
            }
            if r.summary.recommendation.is_none() && scan::contains_ci(key, "recommendation") {
                r.summary.recommendation = Some(Recommendation {
                    key: m.key.clone(),
                    value: m.value.clone(),
                    normalized: recommendation(&m.value),
                    line: m.line,
                    span: m.span,
                });
            }
        }
        // Hash: prefer a key naming the report's hash over other hashes (proofs, blocks).
        let hash_meta = lower_keys
            .iter()
            .position(|k| scan::contains_ci(k, "report hash"))
            .or_else(|| {
                lower_keys.iter().position(|k| {
                    (scan::contains_ci(k, "hash")
                        || scan::contains_ci(k, "digest")
                        || scan::contains_ci(k, "checksum"))
                        && !scan::contains_ci(k, "algorithm")
                })
            })
            .and_then(|i| r.metadata.get(i));
        if let Some(m) = hash_meta {
            let value = m.value.as_str().trim();
            let (algorithm, digest) = match value.split_once(':') {
                Some((a, d))
                    if !a.is_empty()
                        && a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
                {
                    (Some(Str::from(a.to_ascii_lowercase())), d.trim())
                }
                _ => (None, value),
            };
            let digest = Str::from(digest.split_whitespace().next().unwrap_or(""));
            r.attestation.hash = Some(HashClaim {
                key: m.key.clone(),
                algorithm,
                digest,
                text: m.value.clone(),
                line: m.line,
                span: m.span,
            });
        }
        if r.title.is_none() {
            r.title = r.sections.first().map(|s| Fact {
                value: s.title.clone(),
                text: s.title.clone(),
                line: s.line,
                span: s.span,
            });
        }
        self.report
    }
}

/// A fact read from metadata line `m`: its text and place are the raw value's.
fn metadata_fact<T>(src: &str, m: &Metadata, value: T) -> Fact<T> {
    Fact {
        value,
        text: src
            .get(m.span.offset..m.span.offset + m.span.len)
            .unwrap_or("")
            .into(),
        line: m.line,
        span: m.span,
    }
}

/// The title without a trailing status and `(k/m …)` count, sharing the title's buffer.
fn section_name(title: &Str) -> Str {
    section_name_at(
        title,
        status::classify_strict(title),
        scan::first_ratio(title).map(|h| h.start),
    )
}

/// [`section_name`] given the title's first strict status mark and where its first ratio
/// starts.
fn section_name_at(title: &Str, mark: Option<status::StatusMark>, ratio: Option<usize>) -> Str {
    let mut cut = title.len();
    if let Some(m) = mark {
        if m.start > 0 {
            cut = cut.min(m.start);
        }
    }
    if let Some(start) = ratio {
        let paren = title[..start]
            .rfind('(')
            .filter(|&p| title[p + 1..start].trim().is_empty());
        cut = cut.min(paren.unwrap_or(start));
    }
    let name = title[..cut].trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ':' | '-' | '–' | '—' | '(' | '|')
    });
    if name.is_empty() {
        title.clone()
    } else {
        shared(title, name)
    }
}

/// Which column holds each row's status: a header named like one, else the first column
/// (not the first) whose cells mostly start with a status mark.
fn status_column(t: &Table, headers: &[Str]) -> Option<usize> {
    let named = |h: &Str| {
        // A header without any of the words (and without markers `plain` would drop, which
        // could join one) is not a status header: most are rejected without a copy.
        let maybe = h.contains(['*', '`'])
            || ["status", "verdict", "outcome", "state", "pass/fail"]
                .iter()
                .any(|w| scan::contains_ci(h, w));
        if !maybe {
            return false;
        }
        let h = plain(h, h).to_lowercase();
        matches!(
            h.as_str(),
            "status" | "verdict" | "outcome" | "state" | "pass/fail"
        ) || h.ends_with(" status")
            || h.starts_with("status ")
    };
    if let Some(i) = headers.iter().position(named) {
        return Some(i);
    }
    let rows: Vec<_> = t
        .rows
        .iter()
        .filter(|r| !r.cells.iter().skip(1).all(|c| c.text.is_empty()))
        .collect();
    if rows.is_empty() {
        return None;
    }
    let leads = |i: usize| {
        rows.iter()
            .filter(|r| {
                r.cells
                    .get(i)
                    .is_some_and(|c| status::leading(&c.text, false).is_some())
            })
            .count()
    };
    let width = headers.len().max(1);
    (1..width).find(|&i| {
        let n = leads(i);
        n > 0 && n * 2 >= rows.len()
    })
}

/// `5/7 nodes confirmed`, `5 of 7`, `5`: (signed, total).
fn signature_claim(value: &str) -> Option<(u64, Option<u64>)> {
    if let Some(h) = scan::first_ratio(value) {
        return Some((h.value.0, Some(h.value.1)));
    }
    let first = scan::tokens(value).into_iter().next()?;
    scan::int(first.s).map(|n| (n, None))
}

/// The report's own deployment recommendation, normalised. Negations are checked first
/// because they contain the positive words (`NOT READY`, `DO NOT DEPLOY`).
fn recommendation(value: &str) -> RecommendationKind {
    let v = value.to_uppercase();
    let has = |w: &[&str]| w.iter().any(|w| v.contains(w));
    if has(&[
        "NO-GO",
        "NO GO",
        "NOT READY",
        "DO NOT",
        "NOT RECOMMENDED",
        "REJECT",
        "BLOCK",
        "NOT APPROVED",
    ]) {
        RecommendationKind::NoGo
    } else if has(&["CONDITIONAL", "WITH CONDITIONS", "PARTIAL", "CAUTION"]) {
        RecommendationKind::Conditional
    } else if has(&["APPROVE", "READY", "RECOMMENDED", "DEPLOY", "GO", "PROCEED"]) {
        RecommendationKind::Go
    } else {
        RecommendationKind::Unknown
    }
}

/// RFC 3339 with offset; else a civil date-time (UTC); else a date (midnight UTC). Also
/// tries the first word, so `2025-09-24 (Wednesday)` works.
fn parse_date(value: &str) -> Option<jiff::Timestamp> {
    let try_one = |s: &str| -> Option<jiff::Timestamp> {
        let s = s.trim().trim_end_matches(['.', ',']);
        if let Ok(t) = s.parse::<jiff::Timestamp>() {
            return Some(t);
        }
        let s = s.strip_suffix(" UTC").unwrap_or(s);
        if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
            return dt
                .to_zoned(jiff::tz::TimeZone::UTC)
                .ok()
                .map(|z| z.timestamp());
        }
        if let Ok(d) = s.parse::<jiff::civil::Date>() {
            return d
                .to_zoned(jiff::tz::TimeZone::UTC)
                .ok()
                .map(|z| z.timestamp());
        }
        None
    };
    if value.len() > 64 {
        return try_one(value.split_whitespace().next()?);
    }
    try_one(value).or_else(|| try_one(value.split_whitespace().next()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_cells_get_their_own_claims_across_scan_batches() {
        // More rows than several batches of pieces: every check cell must still hold the
        // claims found in that cell, and every claim must point at its check.
        let rows = 3 * PIECES_PER_SCAN + 7;
        let mut md = String::from("# Checks\n\n| Check | Status | Detail |\n|---|---|---|\n");
        for i in 0..rows {
            md.push_str(&format!(
                "| Check {i} | ✅ PASS | {i} ms within 1s threshold |\n"
            ));
        }
        let text = crate::text::decode(md.as_bytes(), &crate::limits::Limits::default()).unwrap();
        let report = super::super::parse(&text, &crate::limits::Limits::default()).unwrap();
        assert_eq!(report.checks.len(), rows);
        for (i, check) in report.checks.iter().enumerate() {
            let [cell] = &check.cells[..] else {
                panic!("check {i}: {:?}", check.cells);
            };
            // `{i} ms`, then the threshold it is measured against.
            let [quantity, threshold] = &cell.claims[..] else {
                panic!("check {i}: {:?}", cell.claims);
            };
            for claim in [quantity, threshold] {
                assert_eq!((claim.check, claim.line), (Some(i), check.line));
            }
            assert_eq!(quantity.text, format!("{i} ms"));
            match &threshold.kind {
                ClaimKind::Threshold {
                    measured: Some(q), ..
                } => assert_eq!(q.value, i as f64, "check {i}"),
                other => panic!("check {i}: {other:?}"),
            }
        }
    }

    #[test]
    fn names_drop_status_and_count() {
        assert_eq!(
            section_name(&Str::from(
                "Phase 1: Resource Management Shutdown Validation ✅ PASSED (5/5 tests)"
            )),
            "Phase 1: Resource Management Shutdown Validation"
        );
        assert_eq!(
            section_name(&Str::from(
                "Overall Assessment: 🟡 PARTIAL VALIDATION (94.1% success rate)"
            )),
            "Overall Assessment"
        );
        assert_eq!(section_name(&Str::from("✅ PASS")), "✅ PASS");
        assert_eq!(
            section_name(&Str::from("Network Topology")),
            "Network Topology"
        );
    }

    #[test]
    fn first_facts_are_first_in_the_document() {
        // Headings, tables and prose lines are read in one walk: the earliest statement
        // wins, wherever it sits (a heading used to win over prose and tables before it).
        let src = "# R\n\n**Confidence Score**: 0.75\n\n| Check | Status | Note |\n|---|---|---|\n\
                   | a | ✅ PASS | 2 out of 3 phases passed |\n\n\
                   ## Confidence: 90% (3/4 phases passed)\n\nf=1 here\n\n## f=2\n";
        let text = crate::text::decode(src.as_bytes(), &crate::limits::Limits::default())
            .expect("decodes");
        let r = crate::report::parse(&text, &crate::limits::Limits::default()).expect("parses");
        let line = |f: Option<u32>| f.unwrap_or(0);
        let confidence = r.summary.confidence.as_ref();
        assert_eq!(
            (
                confidence.map(|c| c.value),
                line(confidence.map(|c| c.line))
            ),
            (Some(75.0), 3)
        );
        let phases = r.summary.phases.as_ref();
        assert_eq!(
            (
                phases.map(|p| (p.passed, p.total)),
                line(phases.map(|p| p.line))
            ),
            (Some((2, 3)), 7)
        );
        let f = r.consensus.f.as_ref();
        assert_eq!((f.map(|f| f.value), line(f.map(|f| f.line))), (Some(1), 11));
        // Claims come in document order from the walk itself (nothing sorts them).
        assert!(r.claims.is_sorted_by_key(|c| c.span.offset));
    }

    #[test]
    fn key_questions() {
        assert_eq!(lower("Report Hash"), "report hash");
        assert_eq!(lower("ÉTAT Date"), "état date");
    }

    /// [`plain`] of a whole string.
    fn plain1(s: &str) -> Str {
        let whole = Str::from(s);
        plain(&whole, &whole)
    }

    #[test]
    fn plain_text() {
        // Already plain, or one run of plain words inside markers: that run, as a slice of
        // the text (longer than inline strings, so a copy would have its own buffer).
        for s in [
            "Resource Bounds Enforcement Validation",
            "**Resource Bounds Enforcement Validation** ",
            "`byzantine-validator-primary-20250924-135948`",
        ] {
            let whole = Str::from(s);
            let p = plain(&whole, &whole);
            assert_eq!(p, s.trim().trim_matches(['*', '`']));
            assert!(whole.as_bytes().as_ptr_range().contains(&p.as_ptr()), "{s}");
        }
        assert_eq!(plain1("✅ PASS"), "✅ PASS");
        assert_eq!(plain1(""), "");
        // Markers dropped, every kind of whitespace run (NBSP too) one space, trimmed.
        assert_eq!(plain1(" **a**  `b`\tc "), "a b c");
        assert_eq!(plain1("x\u{a0}y"), "x y");
        assert_eq!(plain1("** x"), "x");
    }

    #[test]
    fn recommendations() {
        assert_eq!(
            recommendation("🟡 CONDITIONAL DEPLOYMENT"),
            RecommendationKind::Conditional
        );
        assert_eq!(
            recommendation("NOT READY for production"),
            RecommendationKind::NoGo
        );
        assert_eq!(recommendation("✅ APPROVED"), RecommendationKind::Go);
        assert_eq!(recommendation("see below"), RecommendationKind::Unknown);
    }

    #[test]
    fn dates() {
        let t = |s: &str| parse_date(s).map(|t| t.to_string());
        assert_eq!(
            t("2025-09-24T20:59:48.000Z").as_deref(),
            Some("2025-09-24T20:59:48Z")
        );
        assert_eq!(t("2025-09-24").as_deref(), Some("2025-09-24T00:00:00Z"));
        assert_eq!(
            t("2025-09-24 13:00:00 UTC").as_deref(),
            Some("2025-09-24T13:00:00Z")
        );
        assert_eq!(t("$(date)"), None);
    }
}
