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
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_policy_bytes: 256 * 1024,
            max_keyring_bytes: 1024 * 1024,
            max_signatures: 1024,
        }
    }
}

impl Limits {
    /// Most Markdown elements (headings + table cells + list items) the report parser keeps;
    /// bounds its memory for pathological input such as millions of one-character cells.
    /// A constant rather than a field so existing `Limits { .. }` literals stay valid;
    /// [`crate::report::parse_bounded`] takes another value.
    pub const MAX_ELEMENTS: usize = 200_000;
}
