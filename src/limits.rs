//! Hard resource bounds. Every input is untrusted; each bound is checked before the work it
//! limits, and going over one is an error (exit 2) that names the bound and how to raise it.
//! docs/limits.md lists every bound, its default and its flag.

/// Bounds on what verdict will read. Defaults keep peak memory far below 64 MiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest report accepted, in bytes (`--max-bytes`).
    pub max_bytes: u64,
    /// Largest policy file accepted, in bytes (`--max-policy-bytes`). Shipped policies are
    /// ~2 KiB; 256 KiB keeps the YAML event list of a worst-case file to a few MiB.
    pub max_policy_bytes: u64,
    /// Largest keyring file accepted, in bytes (`--max-keyring-bytes`; 1 MiB: thousands of
    /// signers).
    pub max_keyring_bytes: u64,
    /// Most signature lines a report may carry, embedded + detached (`--max-signatures`).
    /// `verify` refuses more before decoding any (exit 2); [`crate::attest::attest`] on its
    /// own verifies this many and marks later lines unverified. 1024 bounds verification at
    /// roughly 50 ms.
    pub max_signatures: usize,
    /// Most body rows in one report table (`--max-table-rows`). Real reports have tens;
    /// 10 000 keeps a table's cells, checks and claims to a few MiB.
    pub max_table_rows: usize,
    /// Most columns (header cells) in one report table (`--max-table-columns`); every row
    /// is padded or cut to that width, so this and `max_table_rows` bound a table's cells.
    pub max_table_columns: usize,
    /// Most list items open inside one another (`--max-list-depth`). Real reports nest 2–4
    /// deep; nesting costs only a few bytes per level, so the bound is generous and is
    /// there to refuse pathological input (100 000 levels) early.
    pub max_list_depth: usize,
    /// Most claims and phrase facts (node totals, honest/faulty counts, quorum statements)
    /// kept for one report (`--max-claims`); the whole of a real report states a few hundred.
    pub max_claims: usize,
    /// Longest line accepted in a report, in bytes, line break excluded (`--max-line-bytes`).
    /// Real report lines are under a few KiB; a single multi-MiB line is an attack on the
    /// line-oriented scanners, not a report.
    pub max_line_bytes: usize,
    /// Most lines accepted in a report (`--max-lines`). Line tables cost a few words per
    /// line; 16 MiB of empty lines would otherwise mean 16 M entries.
    pub max_lines: usize,
    /// Most signers a keyring may list (`--max-keyring-entries`); checked right after the
    /// YAML is read, before any key is decoded.
    pub max_keyring_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_policy_bytes: 256 * 1024,
            max_keyring_bytes: 1024 * 1024,
            max_signatures: 1024,
            max_table_rows: 10_000,
            max_table_columns: 64,
            max_list_depth: 4096,
            max_claims: 200_000,
            max_line_bytes: 1024 * 1024,
            max_lines: 200_000,
            max_keyring_entries: 10_000,
        }
    }
}

impl Limits {
    /// Most Markdown elements (headings + table cells + list items) the report parser keeps;
    /// bounds its memory for pathological input such as millions of one-character cells.
    /// Fixed (no flag): the per-table, nesting and claim bounds above are the ones a real
    /// report could meet; [`crate::report::parse_bounded`] takes another value for tests.
    pub const MAX_ELEMENTS: usize = 200_000;
}

/// Reads `path`, never more than `max + 1` bytes: `Ok(None)` when the file is larger than
/// `max`. The size is checked on what is read, not on metadata alone, so a file that grows
/// after the check, a FIFO or a device cannot make verdict read past the bound.
pub fn read_capped(path: &std::path::Path, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > max {
        return Ok(None);
    }
    // The hint avoids regrowing the buffer; `take` is what enforces the bound.
    let mut buf = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(max.saturating_add(1)).read_to_end(&mut buf)?;
    Ok((buf.len() as u64 <= max).then_some(buf))
}
