//! Hard resource bounds. Every input is untrusted; each bound is checked before the work it
//! limits, and going over one is an error (exit 2) that names the bound and how to raise it.

/// Bounds on what verdict will read. Defaults keep peak memory far below 64 MiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest report accepted, in bytes (`--max-bytes`).
    pub max_bytes: u64,
    /// Largest policy file accepted, in bytes (`--max-policy-bytes`). Shipped policies are
    /// ~2 KiB; 256 KiB keeps the YAML event list of a worst-case file to a few MiB.
    pub max_policy_bytes: u64,
    /// Largest keyring file accepted, in bytes (1 MiB: thousands of signers).
    pub max_keyring_bytes: u64,
    /// Most signature lines verified per report (embedded + detached); later lines are
    /// reported as malformed unverified. 1024 bounds verification at roughly 50 ms.
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
