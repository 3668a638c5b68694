//! The limit flags shared by every command that reads a report (docs/limits.md lists them
//! all with their defaults). `--max-bytes` stays on each command for compatibility.

use crate::limits::Limits;
use clap::Args;

/// Help section of these flags (per flag: a struct-level heading would also capture the
/// flags declared after the flatten in each command).
const HEADING: &str = "Limits (docs/limits.md)";

/// Flags that raise (or lower) the hard input bounds.
#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Longest report line accepted, in bytes.
    #[arg(help_heading = HEADING, long, value_name = "BYTES", default_value_t = Limits::default().max_line_bytes)]
    pub max_line_bytes: usize,
    /// Most report lines accepted.
    #[arg(help_heading = HEADING, long, value_name = "N", default_value_t = Limits::default().max_lines)]
    pub max_lines: usize,
    /// Largest policy file read, in bytes.
    #[arg(help_heading = HEADING, long, value_name = "BYTES", default_value_t = Limits::default().max_policy_bytes)]
    pub max_policy_bytes: u64,
    /// Largest keyring file read, in bytes.
    #[arg(help_heading = HEADING, long, value_name = "BYTES", default_value_t = Limits::default().max_keyring_bytes)]
    pub max_keyring_bytes: u64,
    /// Most signers a keyring may list.
    #[arg(help_heading = HEADING, long, value_name = "N", default_value_t = Limits::default().max_keyring_entries)]
    pub max_keyring_entries: usize,
    /// Most body rows in one report table.
    #[arg(help_heading = HEADING, long, value_name = "N", default_value_t = Limits::default().max_table_rows)]
    pub max_table_rows: usize,
    /// Most columns in one report table.
    #[arg(help_heading = HEADING, long, value_name = "N", default_value_t = Limits::default().max_table_columns)]
    pub max_table_columns: usize,
    /// Deepest list nesting accepted.
    #[arg(help_heading = HEADING, long, value_name = "N", default_value_t = Limits::default().max_list_depth)]
    pub max_list_depth: usize,
    /// Most claims and facts kept for one report.
    #[arg(help_heading = HEADING, long, value_name = "N", default_value_t = Limits::default().max_claims)]
    pub max_claims: usize,
    /// Most signature lines a report (embedded + detached) may carry.
    #[arg(help_heading = HEADING, long, value_name = "N", default_value_t = Limits::default().max_signatures)]
    pub max_signatures: usize,
}

impl LimitArgs {
    /// The limits these flags describe, with the command's own `--max-bytes`.
    pub fn limits(&self, max_bytes: u64) -> Limits {
        Limits {
            max_bytes,
            max_line_bytes: self.max_line_bytes,
            max_lines: self.max_lines,
            max_policy_bytes: self.max_policy_bytes,
            max_keyring_bytes: self.max_keyring_bytes,
            max_keyring_entries: self.max_keyring_entries,
            max_signatures: self.max_signatures,
            max_table_rows: self.max_table_rows,
            max_table_columns: self.max_table_columns,
            max_list_depth: self.max_list_depth,
            max_claims: self.max_claims,
        }
    }
}
