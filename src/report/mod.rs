//! Stage 2: [`Text`](crate::text::Text) → [`Report`]. Markdown structure comes from
//! pulldown-cmark with source offsets ([`markdown`]); the quantitative claims inside cells
//! and lines come from the nom grammar in [`claims`]; status words are normalised by
//! [`status`]. [`parse`] is the one entry point; the model is in [`model`].
//!
//! # Limits
//! A report is untrusted input; each bound is checked before the element over it is stored,
//! and going over one is a [`ReportError`] (exit 2) naming the bound and its flag:
//!
//! | bound | default | flag (`parse`, `verify`) | error code |
//! |---|---|---|---|
//! | report size | 16 MiB | `--max-bytes` | `report::too_large` |
//! | rows of one table | 10 000 | `--max-table-rows` | `report::table_too_long` |
//! | columns of one table | 64 | `--max-table-columns` | `report::table_too_wide` |
//! | list nesting | 4 096 levels | `--max-list-depth` | `report::lists_too_deep` |
//! | claims and phrase facts | 200 000 | `--max-claims` | `report::too_many_claims` |
//! | headings + table cells + list items | 200 000 ([`Limits::MAX_ELEMENTS`]) | none | `report::too_many_elements` |
//! | heading depth | 6 (Markdown has six levels) | none | none needed |
//!
//! Per piece of text (one cell or line) the claims grammar keeps at most
//! [`claims::MAX_CLAIMS`] claims and each phrase scanner [`scan::MAX_HITS`] hits.

pub mod attestation;
pub mod claims;
pub mod markdown;
pub mod model;
pub mod scan;
pub mod status;
mod swar;

mod extract;

use miette::Diagnostic;
use thiserror::Error;

use crate::limits::Limits;
use crate::text::Text;
pub use model::*;

/// Why a text could not become a report. Each is exit 2.
#[derive(Debug, Error, Diagnostic)]
pub enum ReportError {
    #[error("report is larger than the limit of {limit} bytes")]
    #[diagnostic(
        code(report::too_large),
        help("raise the limit with --max-bytes if the report is legitimately this large")
    )]
    TooLarge { limit: u64 },
    #[error(
        "report has more than {limit} Markdown elements (headings, table cells, list items); the one over the limit is on line {line}"
    )]
    #[diagnostic(
        code(report::too_many_elements),
        help(
            "this is far beyond any real validation report; split the report (the bound is Limits::MAX_ELEMENTS)"
        )
    )]
    TooManyElements {
        limit: usize,
        line: u32,
        #[label("element over the limit")]
        at: miette::SourceSpan,
    },
    #[error(
        "report states more than {limit} claims and facts; the limit was passed at line {line}"
    )]
    #[diagnostic(
        code(report::too_many_claims),
        help(
            "this is far beyond any real validation report; raise the limit with --max-claims if it is legitimate"
        )
    )]
    TooManyClaims {
        limit: usize,
        line: u32,
        #[label("claims beyond the limit start here")]
        at: miette::SourceSpan,
    },

    #[error("a table has more than {limit} rows; row {} is on line {line}", limit + 1)]
    #[diagnostic(
        code(report::table_too_long),
        help("raise the limit with --max-table-rows if the table is legitimately this long")
    )]
    TooManyTableRows {
        limit: usize,
        line: u32,
        #[label("row over the limit")]
        at: miette::SourceSpan,
    },
    #[error("a table has more than {limit} columns; the header cell over it is on line {line}")]
    #[diagnostic(
        code(report::table_too_wide),
        help("raise the limit with --max-table-columns if the table is legitimately this wide")
    )]
    TooManyTableColumns {
        limit: usize,
        line: u32,
        #[label("column over the limit")]
        at: miette::SourceSpan,
    },
    #[error("lists are nested more than {limit} levels deep; the item over it is on line {line}")]
    #[diagnostic(
        code(report::lists_too_deep),
        help("raise the limit with --max-list-depth if the nesting is legitimate")
    )]
    ListTooDeep {
        limit: usize,
        line: u32,
        #[label("item over the limit")]
        at: miette::SourceSpan,
    },
}

/// Extract the [`Report`] from decoded text. Never panics; work and memory are linear in
/// the input and bounded by `limits`.
pub fn parse(text: &Text, limits: &Limits) -> Result<Report, ReportError> {
    parse_bounded(text, limits, Limits::MAX_ELEMENTS)
}

/// [`parse`] with an explicit bound on Markdown elements (headings + table cells + list
/// items) instead of [`Limits::MAX_ELEMENTS`]; the other bounds come from `limits`.
pub fn parse_bounded(
    text: &Text,
    limits: &Limits,
    max_elements: usize,
) -> Result<Report, ReportError> {
    let src = text.repaired.as_str();
    if src.len() as u64 > limits.max_bytes {
        return Err(ReportError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    let lines = markdown::LineIndex::new(src);
    let bounds = markdown::Bounds {
        elements: max_elements,
        table_rows: limits.max_table_rows,
        table_columns: limits.max_table_columns,
        list_depth: limits.max_list_depth,
    };
    // pulldown-cmark builds its whole tree before verdict sees one event, at ~150 bytes a
    // table cell: bound the cells it could make (one per `|` at most) by the element limit
    // before it runs, so a million-cell table is refused in a few MiB instead of hundreds.
    // A text no longer than the bound cannot hold more pipes than it: not searched. The
    // pipes are counted first (memchr counts many bytes at a time), and only a text over
    // the bound is searched again, one pipe at a time, for where it was passed.
    let pipes = memchr::memchr_iter(b'|', src.as_bytes());
    let pipe_past_bound = (src.len() > Limits::MAX_ELEMENTS
        && pipes.clone().count() > Limits::MAX_ELEMENTS)
        .then(|| pipes.clone().nth(Limits::MAX_ELEMENTS))
        .flatten();
    if let Some(offset) = pipe_past_bound {
        return Err(ReportError::TooManyElements {
            limit: Limits::MAX_ELEMENTS,
            line: lines.span(src, offset..offset).line,
            at: miette::SourceSpan::from(offset..offset),
        });
    }
    let blocks = markdown::blocks(&text.repaired, &lines, &bounds).map_err(|e| {
        let at = e.offset.min(src.len());
        let (limit, line, at) = (
            e.limit,
            lines.span(src, at..at).line,
            miette::SourceSpan::from(at..at),
        );
        match e.bound {
            markdown::Bound::Elements => ReportError::TooManyElements { limit, line, at },
            markdown::Bound::TableRows => ReportError::TooManyTableRows { limit, line, at },
            markdown::Bound::TableColumns => ReportError::TooManyTableColumns { limit, line, at },
            markdown::Bound::ListDepth => ReportError::ListTooDeep { limit, line, at },
        }
    })?;
    let encoding = model::Encoding {
        repairs: text.repairs,
        first_repair: text.repair_sites.first().map(|&(line, _)| line),
        bom: text.bom,
    };
    extract::build(&text.repaired, &lines, blocks, encoding, limits.max_claims).map_err(|e| {
        let at = e.offset.min(src.len());
        ReportError::TooManyClaims {
            limit: limits.max_claims,
            line: lines.span(src, at..at).line,
            at: miette::SourceSpan::from(at..at),
        }
    })
}
