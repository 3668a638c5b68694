//! The terminal view: one miette diagnostic per finding, drawn over the report's own lines,
//! deny first, then a one-line summary.

use super::{Render, RenderContext, by_severity, summary_line};
use crate::rules;
use crate::verdict::{Finding, Severity, Verdict};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::io::Write;

pub(crate) struct Human;

impl Render for Human {
    fn render(
        &self,
        verdict: &Verdict,
        ctx: &RenderContext,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let theme = if ctx.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(ctx.width)
            .with_links(false)
            .with_urls(false);
        let source = ctx.source.map(|text| ReportSource {
            name: ctx.report_path.to_string(),
            text: text.to_string(),
        });
        let mut current: Option<Severity> = None;
        for finding in by_severity(verdict) {
            if current != Some(finding.severity) {
                current = Some(finding.severity);
                let n = verdict
                    .findings
                    .iter()
                    .filter(|f| f.severity == finding.severity)
                    .count();
                writeln!(out, "{} ({n})\n", finding.severity.as_str())?;
            }
            let diagnostic = FindingDiagnostic::new(finding, ctx.report_path, source.as_ref());
            let mut text = String::new();
            handler
                .render_report(&mut text, &diagnostic)
                .map_err(|_| std::io::Error::other("diagnostic rendering failed"))?;
            out.write_all(text.as_bytes())?;
            writeln!(out)?;
        }
        writeln!(out, "verdict: {}", summary_line(verdict))
    }
}

/// A finding seen as a miette diagnostic.
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    /// `path:line` prefix of the message when there is no source to show the line in.
    heading: String,
    source: Option<&'a ReportSource>,
    label: Option<LabeledSpan>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(finding: &'a Finding, path: &str, source: Option<&'a ReportSource>) -> Self {
        let text = source.map(|s| s.text.as_str());
        let range = text.and_then(|t| label_range(t, finding));
        let label_text = rules::find(&finding.rule)
            .map(|r| r.summary.to_string())
            .unwrap_or_else(|| finding.rule.clone());
        let label = range.map(|(start, len)| LabeledSpan::new(Some(label_text), start, len));
        let heading = if label.is_some() {
            finding.message.clone()
        } else {
            format!("{}: {}", super::location(path, finding), finding.message)
        };
        FindingDiagnostic {
            finding,
            heading,
            source: if label.is_some() { source } else { None },
            label,
        }
    }
}

/// The report text under its path. Unlike miette's own sources it reports columns in
/// characters, as findings, SARIF and annotations do, so `file:line:col` agrees everywhere.
struct ReportSource {
    name: String,
    text: String,
}

impl SourceCode for ReportSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        let column = if contents.column() == 0 {
            0
        } else {
            // miette counts bytes from the line start; count characters instead.
            let start = span.offset().min(self.text.len());
            let line_start = self
                .text
                .get(..start)
                .and_then(|t| t.rfind('\n'))
                .map_or(0, |i| i + 1);
            self.text
                .get(line_start..start)
                .map_or(contents.column(), |s| s.chars().count())
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
        )))
    }
}

/// The byte range to underline: the finding's span when it is a valid range of `text`,
/// otherwise its line without leading indentation, otherwise nothing.
fn label_range(text: &str, finding: &Finding) -> Option<(usize, usize)> {
    label_range_any(text, finding).filter(|&(start, _)| !on_long_line(text, start))
}

/// Longest line shown as a snippet. A longer one is unreadable in a terminal, and miette
/// panics on labels past column 65535; the finding then gets a `path:line` heading instead.
const MAX_SNIPPET_LINE: usize = 4096;

fn on_long_line(text: &str, at: usize) -> bool {
    let begin = text
        .get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(at..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| at + i);
    end.saturating_sub(begin) > MAX_SNIPPET_LINE
}

fn label_range_any(text: &str, finding: &Finding) -> Option<(usize, usize)> {
    if let Some(span) = finding.span {
        let end = span.offset.checked_add(span.length)?;
        if end <= text.len() && text.is_char_boundary(span.offset) && text.is_char_boundary(end) {
            return Some((span.offset, span.length));
        }
    }
    let line = usize::try_from(finding.line?).ok()?.checked_sub(1)?;
    let mut start = 0usize;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i == line {
            let body = l.trim_end_matches(['\n', '\r']);
            let indent = body.len() - body.trim_start().len();
            return Some((start + indent, body.len() - indent));
        }
        start += l.len();
    }
    None
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic")
            .field("rule", &self.finding.rule)
            .finish()
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.heading)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Deny => miette::Severity::Error,
            Severity::Warn => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if self.finding.help.is_empty() {
            None
        } else {
            Some(Box::new(&self.finding.help))
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.label
            .clone()
            .map(|l| Box::new(std::iter::once(l)) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}
