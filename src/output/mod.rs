//! Renderings of a [`Verdict`]. The `verdict/v1` document is the one result; every format here
//! is a view of it, so a format never knows anything the JSON does not carry (plus, for the
//! human view, the report text its labels point into).
//!
//! One small trait, one short file per format, like hyperfine's exporters: adding a format is
//! adding a file and a [`Format`] variant.

mod github;
mod human;
mod json;
mod junit;
mod markdown;
mod sarif;

pub use github::{escape_data, escape_property};
pub use markdown::summary_markdown;

use crate::verdict::{Finding, Verdict};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Everything a renderer needs besides the verdict. Built by the command that formed the
/// verdict; renderers never read the environment or the terminal themselves, so every one
/// of them is a pure function of its inputs and testable byte for byte.
#[derive(Debug, Clone)]
pub struct RenderContext<'a> {
    /// The report path as the user gave it: `file=` of annotations, SARIF artifact URI,
    /// JUnit locations, the name of the human view's source.
    pub report_path: &'a str,
    /// The repaired report text ([`crate::text::Text::repaired`]) that finding spans point
    /// into; without it the human view prints findings without source snippets.
    pub source: Option<&'a str>,
    /// ANSI colours in the human view. The caller decides (stdout a terminal, NO_COLOR unset).
    pub color: bool,
    /// Wrap width of the human view.
    pub width: usize,
    /// `GITHUB_STEP_SUMMARY`: the github format appends its Markdown summary to this file.
    pub step_summary: Option<&'a Path>,
}

impl<'a> RenderContext<'a> {
    /// Plain, 100 columns, no source, no step summary.
    pub fn new(report_path: &'a str) -> Self {
        RenderContext {
            report_path,
            source: None,
            color: false,
            width: 100,
            step_summary: None,
        }
    }

    pub fn with_source(mut self, source: &'a str) -> Self {
        self.source = Some(source);
        self
    }

    pub fn with_color(mut self, color: bool) -> Self {
        self.color = color;
        self
    }

    pub fn with_width(mut self, width: usize) -> Self {
        self.width = width;
        self
    }

    pub fn with_step_summary(mut self, path: Option<&'a Path>) -> Self {
        self.step_summary = path;
        self
    }
}

/// One output format.
pub trait Render {
    fn render(
        &self,
        verdict: &Verdict,
        ctx: &RenderContext,
        out: &mut dyn Write,
    ) -> std::io::Result<()>;
}

/// The formats `--format` and `--output FORMAT=FILE` accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Format {
    /// Diagnostics pointing at the report's lines, then a one-line summary.
    Human,
    /// The stable verdict/v1 document (docs/verdict-json.md).
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, Azure DevOps, IDEs).
    Sarif,
    /// JUnit XML, for GitLab, Jenkins, Azure DevOps test reports.
    Junit,
    /// GitHub Actions workflow commands (annotations) and the step summary.
    Github,
    /// A Markdown summary, for pull-request comments.
    Markdown,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Markdown => "markdown",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The renderer of a format.
pub fn renderer(format: Format) -> Box<dyn Render> {
    match format {
        Format::Human => Box::new(human::Human),
        Format::Json => Box::new(json::Json),
        Format::Sarif => Box::new(sarif::Sarif),
        Format::Junit => Box::new(junit::Junit),
        Format::Github => Box::new(github::Github),
        Format::Markdown => Box::new(markdown::Markdown),
    }
}

/// Render `verdict` in `format` into `out`.
pub fn render(
    format: Format,
    verdict: &Verdict,
    ctx: &RenderContext,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    renderer(format).render(verdict, ctx, out)
}

/// A bad `--output FORMAT=FILE` argument.
#[derive(Debug, thiserror::Error, miette::Diagnostic, PartialEq, Eq)]
pub enum OutputSpecError {
    #[error("`{0}` is not FORMAT=FILE")]
    #[diagnostic(
        code(output::spec),
        help("write it as FORMAT=FILE, e.g. --output sarif=verdict.sarif")
    )]
    MissingEquals(String),
    #[error("unknown output format `{0}`")]
    #[diagnostic(
        code(output::format),
        help("formats: human, json, sarif, junit, github, markdown")
    )]
    UnknownFormat(String),
    #[error("`{0}` names no file")]
    #[diagnostic(
        code(output::spec),
        help("give a path after `=`, e.g. --output junit=verdict.xml")
    )]
    EmptyPath(String),
}

/// Parse one `--output FORMAT=FILE` (usable as a clap `value_parser`).
pub fn parse_output_spec(spec: &str) -> Result<(Format, PathBuf), OutputSpecError> {
    let Some((format, path)) = spec.split_once('=') else {
        return Err(OutputSpecError::MissingEquals(spec.to_string()));
    };
    let format = <Format as clap::ValueEnum>::from_str(format.trim(), true)
        .map_err(|_| OutputSpecError::UnknownFormat(format.to_string()))?;
    if path.is_empty() {
        return Err(OutputSpecError::EmptyPath(spec.to_string()));
    }
    Ok((format, PathBuf::from(path)))
}

/// Writing a requested output file failed.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot write {format} output to {}", path.display())]
#[diagnostic(
    code(output::write),
    help("check that the directory exists and is writable")
)]
pub struct OutputWriteError {
    pub format: Format,
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Write each requested `(format, file)`. Files never get colour, whatever the terminal is, and
/// never append to the step summary (that is the stdout rendering's job, so it happens once).
/// Each file is written whole or, on error, the error names it; earlier files stay written.
pub fn write_outputs(
    verdict: &Verdict,
    ctx: &RenderContext,
    outputs: &[(Format, PathBuf)],
) -> Result<(), OutputWriteError> {
    let ctx = ctx.clone().with_color(false).with_step_summary(None);
    for (format, path) in outputs {
        let wrap = |source| OutputWriteError {
            format: *format,
            path: path.clone(),
            source,
        };
        let mut buf = Vec::new();
        render(*format, verdict, &ctx, &mut buf).map_err(wrap)?;
        std::fs::write(path, &buf).map_err(wrap)?;
    }
    Ok(())
}

/// `--format` and `--output` as one block of flags, for commands to `#[command(flatten)]`.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// What to print on stdout.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Human)]
    pub format: Format,
    /// Also write FORMAT to FILE (repeatable), e.g. --output sarif=verdict.sarif.
    #[arg(long = "output", value_name = "FORMAT=FILE", value_parser = parse_output_spec)]
    pub outputs: Vec<(Format, PathBuf)>,
}

impl OutputArgs {
    /// Write the `--output` files, then the `--format` rendering to `stdout`.
    pub fn emit(
        &self,
        verdict: &Verdict,
        ctx: &RenderContext,
        stdout: &mut dyn Write,
    ) -> miette::Result<()> {
        write_outputs(verdict, ctx, &self.outputs)?;
        render(self.format, verdict, ctx, stdout)
            .map_err(|e| miette::miette!(code = "output::stdout", "cannot write to stdout: {e}"))
    }

    /// [`OutputArgs::emit`] as a command does it (`verify`, `gate`): to the real stdout, coloured
    /// when that is a terminal, with GitHub's step summary when the runner provides one.
    /// `source` is the repaired report text findings point into.
    pub fn emit_to_stdout(
        &self,
        verdict: &Verdict,
        report_path: &str,
        source: &str,
    ) -> miette::Result<()> {
        let step = step_summary_from_env();
        let ctx = RenderContext::new(report_path)
            .with_source(source)
            .with_color(stdout_color())
            .with_step_summary(step.as_deref());
        self.emit(verdict, &ctx, &mut std::io::stdout().lock())
    }
}

/// Whether the human view on stdout should be coloured: stdout is a terminal and `NO_COLOR`
/// is not set (https://no-color.org).
pub fn stdout_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// The step summary file GitHub Actions provides, if any.
pub fn step_summary_from_env() -> Option<PathBuf> {
    std::env::var_os("GITHUB_STEP_SUMMARY")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Findings grouped by severity, deny first; the document's order within a group is kept.
pub(crate) fn by_severity(verdict: &Verdict) -> Vec<&Finding> {
    let mut findings: Vec<&Finding> = verdict.findings.iter().collect();
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    findings
}

/// `FAIL — 6 deny, 4 warn (17 checks, 16 passed)`: the one line every view ends with.
pub(crate) fn summary_line(verdict: &Verdict) -> String {
    let s = &verdict.summary;
    let mut counts = format!("{} deny, {} warn", s.deny, s.warn);
    if s.info > 0 {
        counts.push_str(&format!(", {} info", s.info));
    }
    format!(
        "{} — {counts} ({} checks, {} passed)",
        verdict.verdict.as_str().to_uppercase(),
        s.checks,
        s.checks_passed
    )
}

/// `path:line:column`, as far as the finding knows it.
pub(crate) fn location(path: &str, finding: &Finding) -> String {
    match (finding.line, finding.column) {
        (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
        (Some(l), None) => format!("{path}:{l}"),
        _ => path.to_string(),
    }
}
