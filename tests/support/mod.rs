//! Shared test data.
pub mod junit;
pub mod sarif;
pub mod verdicts;
