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
            max_line_bytes: 1024 * 1024,
            max_lines: 200_000,
            max_keyring_entries: 10_000,
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
