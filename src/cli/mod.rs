//! The command line. Each command lives in its own file with its clap `Args` and a `run`
//! function returning the [`Exit`] code; errors come back as miette reports and exit 2.

use crate::exit::Exit;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub mod completions;
pub mod gate;
pub mod hash;
pub mod input;
pub mod keygen;
pub mod ledger;
pub mod limits;
pub mod man;
pub mod parse;
pub mod policy;
pub mod rules;
pub mod sign;
pub mod verify;

/// Verify validation reports against policies; keep a signed ledger of verdicts.
#[derive(Debug, Parser)]
#[command(
    name = "verdict",
    version,
    about,
    long_about = None,
    propagate_version = true,
    after_help = "Exit codes: 0 pass, 1 fail, 2 error (bad input or usage), 3 inconclusive.

Examples:
  verdict verify fixtures/reports/seed.txt
  verdict verify report.md --keyring keyring.yaml --record --signer verifier.key
  verdict gate report.md --trust verifier.pub
  verdict explain consistency.node-count"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Verify a report against a policy: the main job.
    Verify(verify::VerifyArgs),
    /// Open (exit 0) only if the ledger holds a trusted, signed PASS for this exact report.
    Gate(gate::GateArgs),
    /// Parse a report and print what verdict extracts (outline or JSON).
    Parse(parse::ParseArgs),
    /// Print a report's canonical digest (sha256:<hex>).
    Hash(hash::HashArgs),
    /// Generate an ed25519 signing key and print its keyring entry.
    Keygen(keygen::KeygenArgs),
    /// Sign a report's canonical digest (REPORT.sig, or embedded with --embed).
    Sign(sign::SignArgs),
    /// Audit and read the signed, append-only ledger of verdicts.
    Ledger(ledger::LedgerArgs),
    /// List the rule catalogue.
    Rules(rules::RulesArgs),
    /// Explain one rule.
    Explain(rules::ExplainArgs),
    /// Check and print policies.
    Policy(policy::PolicyArgs),
    /// Print a shell completion script.
    Completions(completions::CompletionsArgs),
    /// Print the manual page (or write all pages to a directory).
    Man(man::ManArgs),
}

/// Entry point of the binary: parse arguments, run the command, map the outcome to an exit code.
pub fn main() -> ExitCode {
    install_diagnostic_handler();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap reports --help/--version as "errors" with exit 0; usage errors are ours: 2.
            return if e.use_stderr() {
                Exit::Error.into()
            } else {
                Exit::Pass.into()
            };
        }
    };
    match run(cli.command) {
        Ok(exit) => exit.into(),
        Err(report) => {
            eprintln!("{}", render_error(&report));
            Exit::Error.into()
        }
    }
}

fn run(command: Command) -> miette::Result<Exit> {
    match command {
        Command::Verify(args) => verify::run(args),
        Command::Gate(args) => gate::run(args),
        Command::Hash(args) => hash::run(args),
        Command::Keygen(args) => keygen::run(args),
        Command::Sign(args) => sign::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
        Command::Rules(a) => rules::run_rules(a),
        Command::Explain(a) => rules::run_explain(a),
        Command::Policy(a) => policy::run(a),
        Command::Ledger(args) => ledger::run(args),
        Command::Parse(args) => parse::run(args),
    }
}

/// The diagnostic as text. miette's graphical handler panics ("Formatting argument out of
/// range") on a label past column 65535, which a hostile file can put anywhere a
/// diagnostic points (a policy key at the end of a long line, say). The error is still
/// reported, then without the source snippet.
fn render_error(report: &miette::Report) -> String {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| format!("{report:?}")));
    std::panic::set_hook(hook);
    rendered.unwrap_or_else(|_| {
        let mut s = String::new();
        if let Some(code) = report.code() {
            s.push_str(&format!("{code}\n\n"));
        }
        s.push_str(&format!("  x {report}"));
        for c in report.chain().skip(1) {
            s.push_str(&format!("\n  caused by: {c}"));
        }
        s.push_str(
            "\n  (source snippet omitted: the location is too far into a long line to show)",
        );
        if let Some(help) = report.help() {
            s.push_str(&format!("\n  help: {help}"));
        }
        s
    })
}

/// Graphical diagnostics on a terminal, plain (no colour) otherwise or with NO_COLOR.
fn install_diagnostic_handler() {
    use std::io::IsTerminal;
    let plain = std::env::var_os("NO_COLOR").is_some() || !std::io::stderr().is_terminal();
    let _ = miette::set_hook(Box::new(move |_| {
        if plain {
            Box::new(miette::GraphicalReportHandler::new_themed(
                miette::GraphicalTheme::none(),
            ))
        } else {
            Box::new(miette::GraphicalReportHandler::new())
        }
    }));
}
