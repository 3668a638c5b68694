//! The rule catalogue: every rule verdict can fire, with a stable id. A policy may set each id
//! to deny | warn | info | off; the defaults here are what a policy that says nothing gets.

use crate::verdict::Severity;

/// One rule of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable id, `family.name`.
    pub id: &'static str,
    /// Severity when the policy does not set one.
    pub default: Severity,
    /// When it fires, in one line.
    pub summary: &'static str,
    /// Why it matters and how it is decided, for `verdict explain`.
    pub explanation: &'static str,
    /// What to do about a finding of this rule.
    pub help: &'static str,
}

macro_rules! rule {
    ($id:literal, $sev:ident, $summary:literal, $explanation:literal, $help:literal) => {
        RuleInfo {
            id: $id,
            default: Severity::$sev,
            summary: $summary,
            explanation: $explanation,
            help: $help,
        }
    };
}

/// Every rule, in catalogue order.
pub const CATALOGUE: &[RuleInfo] = &[
    rule!(
        "report.encoding",
        Warn,
        "mojibake was found and repaired",
        "",
        ""
    ),
    rule!(
        "report.empty",
        Deny,
        "nothing verifiable was found (verdict inconclusive)",
        "",
        ""
    ),
    rule!(
        "consistency.section-count",
        Deny,
        "a heading's (k/m tests) disagrees with its rows",
        "",
        ""
    ),
    rule!(
        "consistency.section-status",
        Deny,
        "a section marked passed holds a failed check, or marked failed holds none",
        "",
        ""
    ),
    rule!(
        "consistency.summary",
        Deny,
        "`N out of M phases passed` disagrees with the sections",
        "",
        ""
    ),
    rule!(
        "consistency.success-rate",
        Deny,
        "a stated success rate disagrees with the checks beyond rounding",
        "",
        ""
    ),
    rule!(
        "consistency.threshold",
        Deny,
        "a result says it is within/under a threshold and the numbers say otherwise",
        "",
        ""
    ),
    rule!(
        "consistency.node-count",
        Deny,
        "a node total in the text disagrees with the configured n",
        "",
        ""
    ),
    rule!(
        "consistency.arithmetic",
        Deny,
        "stated quorum arithmetic is wrong",
        "",
        ""
    ),
    rule!(
        "checks.failed",
        Deny,
        "a check has a failing status",
        "",
        ""
    ),
    rule!(
        "checks.missing",
        Deny,
        "a section or check the policy requires is absent",
        "",
        ""
    ),
    rule!(
        "checks.threshold",
        Deny,
        "a measured value breaks a threshold set in the policy",
        "",
        ""
    ),
    rule!(
        "checks.success-rate",
        Deny,
        "the computed success rate is below the policy's minimum",
        "",
        ""
    ),
    rule!("bft.resilience", Deny, "n < 3f+1", "", ""),
    rule!("bft.faults", Deny, "faulty/malicious count > f", "", ""),
    rule!(
        "bft.quorum",
        Deny,
        "honest nodes or a claimed quorum < 2f+1",
        "",
        ""
    ),
    rule!("hash.missing", Deny, "the report carries no hash", "", ""),
    rule!(
        "hash.malformed",
        Deny,
        "the hash is not a well-formed digest (wrong length, not hex)",
        "",
        ""
    ),
    rule!(
        "hash.mismatch",
        Deny,
        "the hash differs from the recomputed canonical digest",
        "",
        ""
    ),
    rule!(
        "hash.implausible",
        Warn,
        "a well-formed hash that no digest function would produce",
        "",
        ""
    ),
    rule!(
        "signatures.missing",
        Deny,
        "the policy wants signatures and the report carries none",
        "",
        ""
    ),
    rule!(
        "signatures.invalid",
        Deny,
        "a signature fails strict verification",
        "",
        ""
    ),
    rule!(
        "signatures.unknown-key",
        Deny,
        "a signature's key is not in the keyring",
        "",
        ""
    ),
    rule!(
        "signatures.duplicate",
        Deny,
        "the same key signed twice",
        "",
        ""
    ),
    rule!(
        "signatures.threshold",
        Deny,
        "distinct valid signers are fewer than the policy's threshold",
        "",
        ""
    ),
    rule!(
        "signatures.claim",
        Deny,
        "the claimed signature count differs from the verified count",
        "",
        ""
    ),
    rule!(
        "signatures.algorithm",
        Warn,
        "the declared scheme is not a signature scheme, or not allowed",
        "",
        ""
    ),
    rule!(
        "keys.expired",
        Deny,
        "a signer's key was not valid at the report's date",
        "",
        ""
    ),
    rule!("keys.revoked", Deny, "a signer's key is revoked", "", ""),
    rule!(
        "freshness.stale",
        Deny,
        "the report is older than the policy allows",
        "",
        ""
    ),
    rule!(
        "freshness.future",
        Deny,
        "the report is dated in the future beyond clock skew",
        "",
        ""
    ),
    rule!(
        "deployment.recommendation",
        Warn,
        "the report recommends against, or only conditional, deployment",
        "",
        ""
    ),
    rule!(
        "ledger.replay",
        Warn,
        "this report digest already has a verdict under this policy",
        "",
        ""
    ),
];

/// Look a rule up by id.
pub fn find(id: &str) -> Option<&'static RuleInfo> {
    CATALOGUE.iter().find(|r| r.id == id)
}
