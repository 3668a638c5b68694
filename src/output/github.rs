//! GitHub Actions workflow commands: one annotation per finding on the report's line, and the
//! Markdown summary appended to the step summary file when the runner provides one.

use super::{Render, RenderContext, by_severity, summary_line, summary_markdown};
use crate::verdict::{Severity, Verdict};
use std::io::Write;

pub(crate) struct Github;

impl Render for Github {
    fn render(
        &self,
        verdict: &Verdict,
        ctx: &RenderContext,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        for f in by_severity(verdict) {
            let command = match f.severity {
                Severity::Deny => "error",
                Severity::Warn => "warning",
                Severity::Info => "notice",
            };
            let mut props = format!("file={}", escape_property(ctx.report_path));
            if let Some(line) = f.line {
                props.push_str(&format!(",line={line}"));
                if let Some(col) = f.column {
                    props.push_str(&format!(",col={col}"));
                }
            }
            props.push_str(&format!(",title={}", escape_property(&f.rule)));
            let mut message = f.message.clone();
            if !f.help.is_empty() {
                message.push_str("\nhelp: ");
                message.push_str(&f.help);
            }
            writeln!(out, "::{command} {props}::{}", escape_data(&message))?;
        }
        writeln!(out, "verdict: {}", summary_line(verdict))?;
        if let Some(path) = ctx.step_summary {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)?;
            file.write_all(summary_markdown(verdict, ctx.report_path).as_bytes())?;
        }
        Ok(())
    }
}

/// Escape a workflow command's message (after `::`), as the runner unescapes it.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command property value (`file=`, `title=` …): data escaping plus the
/// property separators `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
