//! Policies: declarative, strict YAML that says which rules deny, warn or stay silent, and
//! the numbers they judge by (quorum expressions, thresholds, freshness). `load` reads and
//! resolves a file into a [`Policy`]; the evaluator (Report + Evidence + Policy → Verdict)
//! builds on that API.

pub mod expr;
pub mod load;
pub mod model;

pub use expr::Expr;
pub use load::{
    BUILTIN, DEFAULT_POLICY, ErrorKind, PolicyError, default_policy, load, load_builtin, load_str,
};
pub use model::{Bounds, Policy, RuleSetting, Threshold};
pub mod evaluate;
