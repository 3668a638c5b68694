//! Shared test data.
pub mod verdicts;
