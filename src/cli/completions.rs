//! `verdict completions SHELL`: a completion script generated from the clap definitions, so it
//! always knows every command and flag the binary has.

use crate::exit::Exit;
use clap::CommandFactory;
use clap_complete::Shell;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  verdict completions bash > ~/.local/share/bash-completion/completions/verdict
  verdict completions zsh > \"${fpath[1]}/_verdict\"
  verdict completions fish > ~/.config/fish/completions/verdict.fish")]
pub struct CompletionsArgs {
    /// The shell to generate completions for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Printing the script failed.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot write the completion script to stdout")]
#[diagnostic(code(completions::write), help("redirect stdout to a writable file"))]
pub struct CompletionsError(#[source] pub std::io::Error);

/// Writes the script for `args.shell` to stdout.
pub fn run(args: CompletionsArgs) -> miette::Result<Exit> {
    use std::io::Write;
    // clap_complete panics on a failing writer, so generate into memory first.
    let script = script(args.shell);
    match std::io::stdout().lock().write_all(&script) {
        // A reader that stops early (`| head`) is not an error of ours.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CompletionsError(e).into()),
        _ => Ok(Exit::Pass),
    }
}

/// The completion script for `shell`, generated from the whole command tree.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut cmd = super::Cli::command();
    let name = cmd.get_name().to_string();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, name, &mut out);
    out
}
