//! Stage 2: [`Text`](crate::text::Text) → [`Report`]. Markdown structure comes from
//! pulldown-cmark with source offsets ([`markdown`]); the quantitative claims inside cells
//! and lines come from the nom grammar in [`claims`]; status words are normalised by
//! [`status`]. [`parse`] is the one entry point; the model is in [`model`].

pub mod attestation;
pub mod claims;
pub mod markdown;
pub mod model;
pub mod scan;
pub mod status;

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
        help("this is far beyond any real validation report (the bound is Limits::MAX_ELEMENTS)")
    )]
    TooManyClaims {
        limit: usize,
        line: u32,
        #[label("claims beyond the limit start here")]
        at: miette::SourceSpan,
    },
}

/// Extract the [`Report`] from decoded text. Never panics; work and memory are linear in
/// the input and bounded by `limits`.
pub fn parse(text: &Text, limits: &Limits) -> Result<Report, ReportError> {
    parse_bounded(text, limits, Limits::MAX_ELEMENTS)
}

/// [`parse`] with an explicit bound instead of [`Limits::MAX_ELEMENTS`], applied both to
/// Markdown elements (headings + table cells + list items) and to claims and facts kept.
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
    let blocks =
        markdown::blocks(src, &lines, max_elements).map_err(|e| ReportError::TooManyElements {
            limit: e.limit,
            line: lines.span(src, e.offset..e.offset).line,
            at: miette::SourceSpan::from(e.offset.min(src.len())..e.offset.min(src.len())),
        })?;
    let encoding = model::Encoding {
        repairs: text.repairs,
        first_repair: text.repair_sites.first().map(|&(line, _)| line),
        bom: text.bom,
    };
    extract::build(src, &lines, &blocks, encoding, max_elements).map_err(|e| {
        let at = e.offset.min(src.len());
        ReportError::TooManyClaims {
            limit: max_elements,
            line: lines.span(src, at..at).line,
            at: miette::SourceSpan::from(at..at),
        }
    })
}
