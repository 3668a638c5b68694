//! verdict: verify validation reports against declarative policies and keep a signed,
//! append-only ledger of the verdicts.
//!
//! The pipeline runs in one direction; each stage is a module with one entry function and
//! its own error type, and a later stage never re-reads what an earlier one consumed:
//!
//! ```text
//! bytes ─ text::decode        (limits, UTF-8, BOM, line endings, mojibake repair) ─ Text
//!       ─ report::parse       (Markdown blocks + nom claim grammars)              ─ Report
//!       ─ attest::attest      (canonical digest, hash claim, signatures × keyring) ─ Evidence
//!       ─ policy::evaluate    (Policy + Report + Evidence [+ ledger history])     ─ Verdict
//!                             (policy::load reads the YAML; policy/evaluate/ holds one file per rule family)
//!       ─ output::render      (human | json | sarif | junit | github | markdown)
//!       ─ Ledger::append      (signed entry, Merkle tree, signed checkpoint)
//! ```
//!
//! `cli` wires the stages into commands; `verdict` is the `verdict/v1` document every output
//! renders and the ledger records; `rules` is the catalogue of rule ids; `limits` holds every
//! resource bound; `canonical` is the one canonical-JSON writer digests and signatures cover.

// Every input is untrusted: library code outside tests has no unwrap(), expect() or panic!
// (clippy denies them; `cargo clippy` runs in .ci/run). There are no local exceptions;
// a value that cannot fail is still handled with `?`, `ok_or` or a fallback.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod attest;
pub mod canonical;
pub mod cli;
pub mod exit;
pub mod ledger;
pub mod limits;
pub mod output;
pub mod policy;
pub mod report;
pub mod rules;
pub mod span;
pub mod text;
pub mod verdict;
