//! The front of the pipeline shared by every command that reads a report: bytes → Text →
//! Report, with each stage's error turned into a diagnostic that names the file.

use crate::limits::Limits;
use crate::report::{self, Report};
use crate::text::{self, Text};
use miette::NamedSource;

/// Longest line (bytes) a parse error still shows as a source snippet.
const MAX_SNIPPET_LINE: usize = 4096;

/// A report read, decoded and parsed.
pub struct Loaded {
    /// The path as given (`-` for stdin), used in every message.
    pub name: String,
    pub text: Text,
    pub report: Report,
}

pub fn load_report(path: &str, limits: &Limits) -> miette::Result<Loaded> {
    let bytes = text::read_input(path, limits)?;
    let text = text::decode(&bytes, limits)?;
    drop(bytes);
    let report = report::parse(&text, limits).map_err(|e| {
        let report = miette::Report::new(e);
        // A snippet of a multi-kilobyte line helps nobody and floods the terminal: the
        // message already names the line, so only short-lined reports get a snippet.
        if text
            .repaired
            .as_str()
            .lines()
            .all(|l| l.len() <= MAX_SNIPPET_LINE)
        {
            report.with_source_code(NamedSource::new(path, text.repaired.to_string()))
        } else {
            report
        }
    })?;
    Ok(Loaded {
        name: path.to_string(),
        text,
        report,
    })
}

/// `--now`: an RFC 3339 instant, or the system clock when absent.
pub fn now(arg: Option<&str>) -> miette::Result<jiff::Timestamp> {
    match arg {
        None => Ok(jiff::Timestamp::now()),
        Some(s) => s.parse().map_err(|e| {
            miette::miette!(
                code = "usage::now",
                help = "give an RFC 3339 instant such as 2026-11-25T00:00:00Z",
                "--now `{s}` is not an RFC 3339 instant: {e}"
            )
        }),
    }
}
