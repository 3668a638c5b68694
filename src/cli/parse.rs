//! `verdict parse`: show what verdict reads from a report, as an outline or as the
//! `verdict-report/v1` JSON document.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use miette::IntoDiagnostic;

use crate::exit::Exit;
use crate::limits::Limits;
use crate::report::Report;
use crate::verdict::CheckStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable outline: sections, checks, consensus facts, attestation claims.
    Human,
    /// The `verdict-report/v1` document.
    Json,
}

/// Parse a report and print what verdict extracts from it.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  verdict parse fixtures/reports/seed.txt
  verdict parse --format json report.md | jq '.checks[] | select(.status == \"fail\")'
  cat report.md | verdict parse - --max-bytes 1048576")]
pub struct ParseArgs {
    /// Report file (Markdown), or `-` for standard input.
    pub report: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Refuse reports larger than this many bytes.
    #[arg(long, default_value_t = Limits::default().max_bytes)]
    pub max_bytes: u64,
    #[command(flatten)]
    pub limits: crate::cli::limits::LimitArgs,
}

pub fn run(args: ParseArgs) -> miette::Result<Exit> {
    let limits = args.limits.limits(args.max_bytes);
    let name = args.report.display().to_string();
    let report = crate::cli::input::load_report(&name, &limits)?.report;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &report).into_diagnostic()?;
            writeln!(out).into_diagnostic()?;
        }
        Format::Human => write!(out, "{}", human(&report, &name)).into_diagnostic()?,
    }
    out.flush().into_diagnostic()?;
    Ok(Exit::Pass)
}

fn mark(s: CheckStatus) -> &'static str {
    match s {
        CheckStatus::Pass => "pass",
        CheckStatus::Fail => "FAIL",
        CheckStatus::Warn => "warn",
        CheckStatus::Skip => "skip",
        CheckStatus::Unknown => "?",
    }
}

/// The human outline. Plain text, one fact per line, each with its line number.
pub fn human(r: &Report, name: &str) -> String {
    use std::fmt::Write as _;
    let mut o = String::new();
    let _ = writeln!(o, "{name}");
    if let Some(t) = &r.title {
        let _ = writeln!(o, "  title     {} (line {})", t.value, t.line);
    }
    if let Some(id) = &r.id {
        let _ = writeln!(o, "  id        {} (line {})", id.value, id.line);
    }
    if let Some(d) = &r.date {
        let _ = writeln!(o, "  date      {} (line {})", d.instant, d.line);
    }
    if r.encoding.repairs > 0 {
        let _ = writeln!(
            o,
            "  encoding  {} mojibake sequences repaired",
            r.encoding.repairs
        );
    }
    let t = &r.tally;
    let _ = writeln!(
        o,
        "  checks    {} ({} pass, {} fail, {} warn, {} skip, {} unknown); {} assertions, {} claims",
        t.total,
        t.pass,
        t.fail,
        t.warn,
        t.skip,
        t.unknown,
        r.assertions.len(),
        r.claims.len()
    );
    let _ = writeln!(o, "\nSections");
    for s in &r.sections {
        let indent = "  ".repeat(usize::from(s.level));
        let status = s
            .status
            .as_ref()
            .map_or(String::new(), |st| format!("  [{}]", mark(st.status)));
        let count = s
            .count
            .as_ref()
            .map_or(String::new(), |c| format!("  {}/{}", c.passed, c.total));
        let checks = if s.tally.total > 0 {
            format!("  ({} checks, {} pass)", s.tally.total, s.tally.pass)
        } else {
            String::new()
        };
        let _ = writeln!(o, "{:>5} {indent}{}{status}{count}{checks}", s.line, s.name);
    }
    let _ = writeln!(o, "\nChecks");
    for c in &r.checks {
        let values: Vec<&str> = c
            .cells
            .iter()
            .map(|c| c.text.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        let _ = writeln!(
            o,
            "{:>5}  {:<4}  {}  {}",
            c.line,
            mark(c.status),
            c.name,
            values.join(" | ")
        );
    }
    if !r.assertions.is_empty() {
        let _ = writeln!(o, "\nAssertions");
        for a in &r.assertions {
            let _ = writeln!(o, "{:>5}  {:<4}  {}", a.line, mark(a.status), a.text);
        }
    }
    let c = &r.consensus;
    let _ = writeln!(o, "\nConsensus");
    if let Some(f) = &c.f {
        let _ = writeln!(o, "{:>5}  f = {}", f.line, f.value);
    }
    if let Some(n) = &c.n {
        let _ = writeln!(o, "{:>5}  n = {}", n.line, n.value);
    }
    for q in &c.quorum {
        let _ = writeln!(o, "{:>5}  quorum {}", q.line, q.text);
    }
    for q in &c.quorum_ratios {
        let _ = writeln!(o, "{:>5}  quorum ratio {}/{}", q.line, q.value.0, q.value.1);
    }
    for h in &c.honest {
        let _ = writeln!(o, "{:>5}  honest {}", h.line, h.value);
    }
    for h in &c.faulty {
        let _ = writeln!(o, "{:>5}  faulty/malicious {}", h.line, h.value);
    }
    for h in &c.node_totals {
        let _ = writeln!(o, "{:>5}  node total {} (\"{}\")", h.line, h.value, h.text);
    }
    for a in &c.malicious_actors {
        let _ = writeln!(o, "{:>5}  malicious actor {}", a.line, a.name);
    }
    let a = &r.attestation;
    let _ = writeln!(o, "\nAttestation");
    if let Some(h) = &a.hash {
        let _ = writeln!(o, "{:>5}  hash {}", h.line, h.text);
    }
    if let Some(s) = &a.signatures {
        let total = s.total.map_or(String::new(), |t| format!(" of {t}"));
        let _ = writeln!(o, "{:>5}  signatures claimed {}{total}", s.line, s.signed);
    }
    if let Some(al) = &a.algorithm {
        let _ = writeln!(o, "{:>5}  algorithm {}", al.line, al.value);
    }
    let s = &r.summary;
    let _ = writeln!(o, "\nSummary");
    if let Some(p) = &s.phases {
        let _ = writeln!(o, "{:>5}  phases {}/{}", p.line, p.passed, p.total);
    }
    if let Some(x) = &s.success_rate {
        let _ = writeln!(o, "{:>5}  success rate {}%", x.line, x.value);
    }
    if let Some(x) = &s.confidence {
        let _ = writeln!(o, "{:>5}  confidence {}%", x.line, x.value);
    }
    if let Some(x) = &s.recommendation {
        let _ = writeln!(
            o,
            "{:>5}  recommendation {}: {}",
            x.line, x.normalized, x.value
        );
    }
    o
}
