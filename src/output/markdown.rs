//! A Markdown summary for pull-request comments and the GitHub step summary: the verdict, a
//! table of findings, the counts.

use super::{Render, RenderContext, by_severity, summary_line};
use crate::verdict::{Outcome, Verdict};
use std::io::Write;

pub(crate) struct Markdown;

impl Render for Markdown {
    fn render(
        &self,
        verdict: &Verdict,
        ctx: &RenderContext,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        out.write_all(summary_markdown(verdict, ctx.report_path).as_bytes())
    }
}

/// The summary as Markdown; shared with the github format's step summary.
pub fn summary_markdown(verdict: &Verdict, report_path: &str) -> String {
    let mark = match verdict.verdict {
        Outcome::Pass => "✅",
        Outcome::Fail => "❌",
        Outcome::Inconclusive => "⚠️",
    };
    let mut md = format!("## {mark} verdict: {}\n\n", summary_line(verdict));
    md.push_str(&format!("- report: `{}`", code(report_path)));
    if let Some(id) = &verdict.report.id {
        md.push_str(&format!(" (id `{}`)", code(id)));
    }
    md.push('\n');
    if let Some(digest) = &verdict.report.digest {
        md.push_str(&format!("- digest: `{}`\n", code(digest)));
    }
    md.push_str(&format!(
        "- policy: `{}` (`{}`)\n\n",
        code(&verdict.policy.name),
        code(&verdict.policy.digest)
    ));
    if verdict.findings.is_empty() {
        md.push_str("No findings.\n\n");
    } else {
        md.push_str("| Severity | Rule | Line | Message |\n|---|---|---:|---|\n");
        for f in by_severity(verdict) {
            let line = f.line.map_or_else(|| "—".to_string(), |l| l.to_string());
            md.push_str(&format!(
                "| {} | `{}` | {line} | {} |\n",
                f.severity.as_str(),
                code(&f.rule),
                cell(&f.message)
            ));
        }
        md.push('\n');
    }
    let s = &verdict.summary;
    md.push_str(&format!(
        "**{} deny · {} warn · {} info** — {} checks: {} passed, {} failed; {} rules evaluated.\n",
        s.deny, s.warn, s.info, s.checks, s.checks_passed, s.checks_failed, s.rules_evaluated
    ));
    md
}

/// Text safe inside a table cell: no cell breaks, no line breaks, no raw HTML.
fn cell(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => s.push_str("\\|"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '&' => s.push_str("&amp;"),
            '\r' => {}
            '\n' => s.push_str("<br>"),
            c => s.push(c),
        }
    }
    s
}

/// Text safe inside a code span in a table cell (backticks would end it, `|` the cell).
fn code(text: &str) -> String {
    text.replace('`', "'")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}
