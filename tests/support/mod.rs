//! Shared test data.
pub mod junit;
pub mod verdicts;
