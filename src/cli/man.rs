//! `verdict man`: the manual page(s), generated from the clap definitions so they never fall
//! behind the commands.

use crate::exit::Exit;
use clap::CommandFactory;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  verdict man | man -l -
  verdict man --out /usr/local/share/man/man1
  verdict man --out target/man && ls target/man")]
pub struct ManArgs {
    /// Write verdict.1 and one page per command (verdict-verify.1, …) into DIR instead of
    /// printing verdict.1 to stdout.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// The man pages could not be written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ManError {
    #[error("cannot write man pages to {}", dir.display())]
    #[diagnostic(
        code(man::write),
        help("check that the directory can be created and is writable")
    )]
    Dir {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the man page to stdout")]
    #[diagnostic(code(man::write), help("redirect stdout to a writable file"))]
    Stdout(#[source] std::io::Error),
}

pub fn run(args: ManArgs) -> miette::Result<Exit> {
    match args.out {
        Some(dir) => generate_to(&dir).map_err(|source| ManError::Dir { dir, source })?,
        None => match render(&mut std::io::stdout().lock()) {
            // A reader that stops early (`| head`) is not an error of ours.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(ManError::Stdout(e).into());
            }
            _ => {}
        },
    }
    Ok(Exit::Pass)
}

/// The top-level page, verdict.1, in roff.
pub fn render(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    clap_mangen::Man::new(super::Cli::command()).render(out)
}

/// verdict.1 and a page for every (sub)command, into `dir` (created if missing).
pub fn generate_to(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    clap_mangen::generate_to(super::Cli::command(), dir)
}
