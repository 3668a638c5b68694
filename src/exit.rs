//! The exit-code contract. CI systems branch on these numbers, so they never change meaning.

/// Process exit status of every verdict command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The report passed the policy (or the command did what was asked).
    Pass = 0,
    /// At least one finding at deny severity (or at warn with `--fail-on warn`).
    Fail = 1,
    /// Unreadable input, bad policy or keyring, bad usage: no verdict could be formed.
    Error = 2,
    /// Nothing verifiable was found: fail closed, never a pass.
    Inconclusive = 3,
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e as u8)
    }
}
