//! The rule catalogue: every rule verdict can fire, with a stable id. A policy may set each of
//! `verify`'s rules to deny | warn | info | off; the defaults here are what a policy that says
//! nothing gets. `verdict gate`'s rules are in the same catalogue (one list for `verdict rules`,
//! `verdict explain` and SARIF's `tool.driver.rules`) but no policy can change them.

use crate::verdict::{Finding, Severity};

/// Which command decides a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// `verdict verify`, judging a report under a policy that sets the rule's severity.
    Verify,
    /// `verdict gate`, looking the report up in the ledger. Fixed severity: a policy that could
    /// switch a gate rule off would let a deployment through on its say-so alone.
    Gate,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Verify => "verify",
            Stage::Gate => "gate",
        }
    }
}

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
    pub stage: Stage,
}

impl RuleInfo {
    /// Whether a policy's `rules:` may set this rule (only `verify`'s rules).
    pub fn configurable(&self) -> bool {
        self.stage == Stage::Verify
    }
}

macro_rules! rule {
    ($id:literal, $sev:ident, $summary:literal, $explanation:literal, $help:literal) => {
        rule!(Verify, $id, $sev, $summary, $explanation, $help)
    };
    ($stage:ident, $id:literal, $sev:ident, $summary:literal, $explanation:literal, $help:literal) => {
        RuleInfo {
            id: $id,
            default: Severity::$sev,
            summary: $summary,
            explanation: $explanation,
            help: $help,
            stage: Stage::$stage,
        }
    };
}

/// Every rule, in catalogue order.
pub const CATALOGUE: &[RuleInfo] = &[
    rule!(
        "report.encoding",
        Warn,
        "mojibake was found and repaired",
        "The report's bytes held mojibake: UTF-8 text that was once decoded as Mac Roman or windows-1252 and saved again (`‚úÖ` for ✅). verdict repairs it before parsing so status emoji and symbols are read correctly, and says how many sequences it repaired. The repair never adds or removes lines, so every other finding still points at the right line. A repaired report is readable but was mishandled somewhere between its author and you.",
        "Re-export the report as UTF-8 from its source; the finding's count tells how much was garbled."
    ),
    rule!(
        "report.empty",
        Deny,
        "nothing verifiable was found (verdict inconclusive)",
        "Nothing verifiable was found: no checks, no status-bearing sections, no claims that a rule could test. verdict fails closed: the verdict is `inconclusive` (exit 3), never a pass, because an absence of evidence must not gate a deployment through.",
        "Check that the file is the validation report you meant, in Markdown with status tables or status headings."
    ),
    rule!(
        "consistency.section-count",
        Deny,
        "a heading's (k/m tests) disagrees with its rows",
        "A heading states a count such as `(5/5 tests)` and the table rows under it do not add up to it: a different number of rows, or a different number of passing rows. A report whose summary numbers do not match its own tables cannot be trusted on either.",
        "Recount the rows under the heading and correct the heading or the table."
    ),
    rule!(
        "consistency.section-status",
        Deny,
        "a section marked passed holds a failed check, or marked failed holds none",
        "A section heading carries a status (`✅ PASSED`) that its own checks contradict: a passed section holds a failed check, or a failed section holds no failed check at all. Summaries are what people read; this rule makes sure they agree with the detail.",
        "Fix the section's status or the failing row; do not mark a section passed while a check in it failed."
    ),
    rule!(
        "consistency.summary",
        Deny,
        "`N out of M phases passed` disagrees with the sections",
        "The report sums up phases (`4 out of 5 phases passed`) and the sections it actually contains say otherwise. The comparison counts sections with a pass or fail status at the level the summary talks about.",
        "Make the summary line agree with the sections' statuses."
    ),
    rule!(
        "consistency.success-rate",
        Deny,
        "a stated success rate disagrees with the checks beyond rounding",
        "A stated success rate (`94.1% success rate`) differs from the rate computed over the report's own checks by more than rounding to the stated precision allows. `16/17` is 94.1 %, so `94.1%` holds and `100%` does not.",
        "Recompute the rate from the checks (passed / total) and state it with the precision you mean."
    ),
    rule!(
        "consistency.threshold",
        Deny,
        "a result says it is within/under a threshold and the numbers say otherwise",
        "A result claims to be within, under or below a threshold (`1.5s, within 1s threshold`) and the two quantities, converted to the same unit, say otherwise. Units convert (1 s = 1000 ms); values of different kinds (a time against a percentage) are not compared.",
        "Correct the measured value or the claim; if the threshold changed, state the new one."
    ),
    rule!(
        "consistency.node-count",
        Deny,
        "a node total in the text disagrees with the configured n",
        "A node total written in the text (`out of 4 nodes`, `5-node configuration`) disagrees with the configured node count n of the report's consensus setup. Results computed over a different cluster than the one described do not describe it.",
        "Use one node count throughout, or say explicitly which runs used a different cluster."
    ),
    rule!(
        "consistency.arithmetic",
        Deny,
        "stated quorum arithmetic is wrong",
        "The report states quorum arithmetic (`2f+1 = 6`) that is wrong for its own f (with f=2, 2f+1 is 5). Wrong arithmetic in a BFT report usually means the safety argument built on it is wrong too.",
        "Recompute the expression with the report's f and correct the stated value."
    ),
    rule!(
        "checks.failed",
        Deny,
        "a check has a failing status",
        "A check (a row of a status table) has a failing status: FAIL, FAILED, ❌, NOT VERIFIED, BLOCKED, NO-GO. With `all_must_pass: true` in the policy, every failed check is a finding at its row.",
        "Fix what the check tests and re-run the validation; a failed check is not waived by a note."
    ),
    rule!(
        "checks.missing",
        Deny,
        "a section or check the policy requires is absent",
        "The policy requires a section or check (`checks.required_sections`, glob patterns over headings) and the report has nothing that matches. A report that skips a required area cannot vouch for it.",
        "Run and report the required validation, or use a policy that does not require it."
    ),
    rule!(
        "checks.threshold",
        Deny,
        "a measured value breaks a threshold set in the policy",
        "A measured value breaks a threshold set in the policy (`checks.thresholds`: a check name or glob with `max:`/`min:` and a unit). Values are compared in base units, so `51ms` against `max: 50ms` fires and `0.05 s` does not. The report's own notion of its threshold does not matter here; the policy's does.",
        "Bring the measurement under the policy's limit, or change the limit in the policy with a review."
    ),
    rule!(
        "checks.success-rate",
        Deny,
        "the computed success rate is below the policy's minimum",
        "The success rate computed over the report's checks (passed / total) is below the policy's `checks.min_success_rate`. The computed rate is used, not the one the report states.",
        "Fix the failing checks, or lower the minimum in the policy with a review."
    ),
    rule!(
        "bft.resilience",
        Deny,
        "n < 3f+1",
        "The configuration has n < 3f+1 nodes for the f faults it claims to tolerate. Byzantine agreement needs at least 3f+1 nodes; below that, safety cannot be guaranteed whatever the tests show. Checked when the policy sets `consensus.resilience: true`.",
        "Add nodes or claim a smaller f; n must be at least 3f+1."
    ),
    rule!(
        "bft.faults",
        Deny,
        "faulty/malicious count > f",
        "The report counts more faulty or malicious nodes than the policy's `consensus.max_faulty` (an expression, `f` by default). A run with more faults than tolerated tested outside the protocol's guarantees.",
        "Re-run with at most f faulty nodes, or raise f (with enough nodes: n ≥ 3f+1)."
    ),
    rule!(
        "bft.quorum",
        Deny,
        "honest nodes or a claimed quorum < 2f+1",
        "The honest nodes, or a quorum the report claims, are fewer than the policy's `consensus.quorum` (`2f+1` by default). Fewer honest nodes than a quorum cannot commit safely.",
        "Check the node counts; a quorum needs at least the policy's quorum expression of honest nodes."
    ),
    rule!(
        "hash.missing",
        Deny,
        "the report carries no hash",
        "The report carries no report hash (`sha256:<hex>` on a hash line) while the policy's `hash.required` is true. Without a hash there is nothing that binds the signatures and the ledger entry to these exact bytes.",
        "Add the canonical digest printed by `verdict hash REPORT` to the report."
    ),
    rule!(
        "hash.malformed",
        Deny,
        "the hash is not a well-formed digest (wrong length, not hex)",
        "The report's hash is not a well-formed digest of the stated algorithm: wrong length, characters that are not hexadecimal, or an algorithm the policy does not accept (`hash.algorithms`).",
        "Replace it with the output of `verdict hash REPORT`."
    ),
    rule!(
        "hash.mismatch",
        Deny,
        "the hash differs from the recomputed canonical digest",
        "The hash the report states differs from the canonical digest verdict recomputes (SHA-256 over the report with BOM removed, LF line endings and the attestation lines removed). The report was changed after it was hashed, or the hash was never computed from it.",
        "Recompute with `verdict hash REPORT`; if the report changed, it must be re-signed as well."
    ),
    rule!(
        "hash.implausible",
        Warn,
        "a well-formed hash that no digest function would produce",
        "The hash is well-formed but no digest function would plausibly produce it: a placeholder (`1234567890abcdef…`, one repeated digit) or a pattern with probability below 1e-9 for random bytes, such as every byte being a hex letter followed by a digit. It was typed, not computed.",
        "Compute the real digest with `verdict hash REPORT`."
    ),
    rule!(
        "signatures.missing",
        Deny,
        "the policy wants signatures and the report carries none",
        "The policy requires signatures (`signatures.threshold` evaluates above 0) and the report carries none, embedded or detached.",
        "Have the required signers sign the report's canonical digest (`verdict sign`)."
    ),
    rule!(
        "signatures.invalid",
        Deny,
        "a signature fails strict verification",
        "A signature does not verify under ed25519's strict rules (`verify_strict`: canonical encodings, no small-order keys) over verdict's domain-separated message for this report. Either the report changed after signing or the signature is forged or corrupted.",
        "Re-sign the current report; never edit a report after it was signed."
    ),
    rule!(
        "signatures.unknown-key",
        Deny,
        "a signature's key is not in the keyring",
        "A signature was made with a key that is not in the keyring. Anyone can make a valid signature with their own key; only keys the keyring vouches for count.",
        "Add the signer's public key to the keyring after verifying it out of band, or drop the signature."
    ),
    rule!(
        "signatures.duplicate",
        Deny,
        "the same key signed twice",
        "The same public key signed more than once. Signers are counted by distinct public key bytes, never by name, so a duplicate adds nothing towards the threshold and usually means a copy-paste or a padding attempt.",
        "Remove the duplicate signature; collect signatures from distinct signers."
    ),
    rule!(
        "signatures.threshold",
        Deny,
        "distinct valid signers are fewer than the policy's threshold",
        "Some signatures are present but the number of distinct keyring signers whose signatures verify is below the policy's `signatures.threshold` (an expression in n and f, such as `2f+1`).",
        "Collect signatures from more distinct signers in the keyring."
    ),
    rule!(
        "signatures.claim",
        Deny,
        "the claimed signature count differs from the verified count",
        "The report claims a number of signatures or confirmations (`5/7 nodes confirmed`) that differs from the number verdict verified. A claim of signatures is not a signature.",
        "State only the verified count, or attach the signatures the claim refers to."
    ),
    rule!(
        "signatures.algorithm",
        Warn,
        "the declared scheme is not a signature scheme, or not allowed",
        "The report declares a signing scheme that is not a signature scheme (`SHA-256 with node-specific keys` is a hash) or that the policy does not allow (`signatures.algorithms`). A hash proves nothing about who produced a report.",
        "Sign with ed25519 (`verdict sign`) and state the scheme accurately."
    ),
    rule!(
        "keys.expired",
        Deny,
        "a signer's key was not valid at the report's date",
        "A signer's key was outside its validity window (not yet valid, or expired) at the report's date, according to the keyring.",
        "Sign with a currently valid key, or correct the key's validity window in the keyring if it is wrong."
    ),
    rule!(
        "keys.revoked",
        Deny,
        "a signer's key is revoked",
        "A signer's key is marked revoked in the keyring. Signatures by a revoked key are not trusted, whenever they were made.",
        "Re-sign with a key that is not revoked."
    ),
    rule!(
        "freshness.stale",
        Deny,
        "the report is older than the policy allows",
        "The report is older than the policy's `freshness.max_age` at the verification time (`--now`, or the clock). Validation evidence goes stale as code and configuration move on.",
        "Re-run the validation and submit a fresh report, or verify with a policy that accepts older ones."
    ),
    rule!(
        "freshness.future",
        Deny,
        "the report is dated in the future beyond clock skew",
        "The report is dated in the future by more than the policy's `freshness.clock_skew`. Either a clock is wrong or the date was written by hand.",
        "Fix the report's date (and the clock that produced it)."
    ),
    rule!(
        "deployment.recommendation",
        Warn,
        "the report recommends against, or only conditional, deployment",
        "The report itself recommends against deployment, or recommends it only conditionally (`CONDITIONAL GO`, `NOT recommended for production`). verdict will not overrule the report's own authors silently.",
        "Resolve the conditions the report names, then re-validate."
    ),
    rule!(
        "ledger.replay",
        Warn,
        "this report digest already has a verdict under this policy",
        "The ledger already holds a verdict for this exact report digest under this exact policy digest. Submitting the same evidence twice is usually a pipeline retry, but it can also be an attempt to reuse an old PASS.",
        "Nothing, if this is a retry; otherwise check why the same report is being verified again."
    ),
    rule!(
        Gate,
        "gate.unrecorded",
        Deny,
        "the ledger holds no verdict for this report digest under this policy digest",
        "`verdict gate` found no ledger entry for this report's canonical digest under this policy's digest. Either the report was never verified with `--record`, or it changed after it was (any edit changes the digest), or it was recorded under another policy (any change to the resolved policy changes its digest). The gate opens only for the exact bytes that were judged, under the exact rules that judged them. Evidence: `report_digest`, `policy_digest`.",
        "Verify the report with `verdict verify --record` under this policy, or gate the report and policy that were recorded."
    ),
    rule!(
        Gate,
        "gate.not-pass",
        Deny,
        "the latest verdict recorded for this report and policy is not pass",
        "The latest ledger entry for this report digest under this policy digest records a `fail` or `inconclusive` verdict. Earlier passes for the same digest do not count: the latest judgement stands. Evidence: `seq` (the entry), `verdict` (what it records).",
        "Fix the report's findings (`verdict ledger show SEQ` lists them), produce a new report and verify it again."
    ),
    rule!(
        Gate,
        "gate.untrusted",
        Deny,
        "the recorded pass is signed by no trusted verifier key",
        "The ledger entry that records the pass is signed by a verifier key that is not among the `--trust` keys. Anyone who can write to the ledger file can sign an entry with a key of their own; only a verifier the gate trusts can vouch for a pass. Evidence: `seq`, `verifier` (the entry's key, `ed25519:<base64>`).",
        "Pass the verifier's public key with --trust, or re-verify the report with a trusted verifier's key."
    ),
    rule!(
        Gate,
        "gate.corrupt",
        Deny,
        "the recorded entry fails its integrity checks",
        "The ledger entry for this report and policy is damaged or was edited: its record does not parse, names another report or policy than its index columns, does not hash to its stored leaf hash, or its verifier signature does not verify. The gate never opens on an entry it cannot trust byte for byte. Evidence: `seq`, `problem`.",
        "Run `verdict ledger verify` against the last saved checkpoint to find what changed, and restore the ledger from a trusted copy."
    ),
    rule!(
        Gate,
        "gate.unanchored",
        Deny,
        "the recorded pass is not included in a valid trusted checkpoint",
        "The entry is intact and trusted, but the ledger's latest checkpoint is missing, is not signed by a trusted key, or does not prove the entry's inclusion in its Merkle tree. Without that proof the entry could have been spliced into a forked or rewritten history. Evidence: `seq`, `problem`.",
        "Run `verdict ledger verify` with the saved checkpoint; if the ledger is intact, a new `verify --record` signs a fresh checkpoint."
    ),
    rule!(
        Gate,
        "gate.open",
        Info,
        "the gate is open: the ledger holds a trusted, checkpointed pass for this report",
        "A notice, not a problem: `verdict gate` opened because the latest ledger entry for this report digest under this policy digest records a pass, is intact, is signed by a trusted verifier key and is proven included in the ledger's latest checkpoint, signed by a trusted key. It names the entry so the deployment log says which recorded verdict let it through. Evidence: `seq`, `verifier`, `checkpoint_size`.",
        "Nothing; keep the entry number with the deployment record."
    ),
];

/// Look a rule up by id.
pub fn find(id: &str) -> Option<&'static RuleInfo> {
    CATALOGUE.iter().find(|r| r.id == id)
}

/// A finding of `rule` about the whole report (no line yet), with the catalogue's help and
/// `evidence` as a JSON object: what `verify`'s rules and `gate` both build, the former then
/// placing it at its line.
pub fn finding<'a>(
    rule: &str,
    severity: Severity,
    message: String,
    evidence: impl IntoIterator<Item = (&'a str, serde_json::Value)>,
) -> Finding {
    Finding {
        rule: rule.to_string(),
        severity,
        message,
        line: None,
        column: None,
        section: None,
        span: None,
        evidence: evidence
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        help: find(rule).map(|r| r.help.to_string()).unwrap_or_default(),
    }
}

/// The rules a policy configures (`verify`'s), in catalogue order.
pub fn policy_rules() -> impl Iterator<Item = &'static RuleInfo> {
    CATALOGUE.iter().filter(|r| r.configurable())
}

/// The rules `verdict gate` decides, in the order it checks them (catalogue order).
pub fn gate_rules() -> impl Iterator<Item = &'static RuleInfo> {
    CATALOGUE.iter().filter(|r| r.stage == Stage::Gate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_design_md_list_with_texts() {
        let ids: Vec<&str> = CATALOGUE.iter().map(|r| r.id).collect();
        assert_eq!(
            ids,
            [
                "report.encoding",
                "report.empty",
                "consistency.section-count",
                "consistency.section-status",
                "consistency.summary",
                "consistency.success-rate",
                "consistency.threshold",
                "consistency.node-count",
                "consistency.arithmetic",
                "checks.failed",
                "checks.missing",
                "checks.threshold",
                "checks.success-rate",
                "bft.resilience",
                "bft.faults",
                "bft.quorum",
                "hash.missing",
                "hash.malformed",
                "hash.mismatch",
                "hash.implausible",
                "signatures.missing",
                "signatures.invalid",
                "signatures.unknown-key",
                "signatures.duplicate",
                "signatures.threshold",
                "signatures.claim",
                "signatures.algorithm",
                "keys.expired",
                "keys.revoked",
                "freshness.stale",
                "freshness.future",
                "deployment.recommendation",
                "ledger.replay",
                "gate.unrecorded",
                "gate.not-pass",
                "gate.untrusted",
                "gate.corrupt",
                "gate.unanchored",
                "gate.open",
            ]
        );
        for r in CATALOGUE {
            assert!(r.explanation.len() > 80, "{}", r.id);
            assert!(r.help.ends_with('.'), "{}", r.id);
            assert!(!r.summary.is_empty(), "{}", r.id);
        }
        assert_eq!(find("bft.quorum").map(|r| r.default), Some(Severity::Deny));
        assert_eq!(find("bft.nope"), None);
        // The gate's rules come last, are not configurable, and close the gate (deny) except
        // the notice of an open one.
        let gate: Vec<(&str, Severity)> = gate_rules().map(|r| (r.id, r.default)).collect();
        assert_eq!(gate.len(), 6);
        assert_eq!(gate[5], ("gate.open", Severity::Info));
        assert!(gate[..5].iter().all(|(_, s)| *s == Severity::Deny));
        assert_eq!(policy_rules().count(), CATALOGUE.len() - 6);
        assert!(policy_rules().all(|r| !r.id.starts_with("gate.")));
        assert!(gate_rules().all(|r| r.id.starts_with("gate.") && !r.configurable()));
    }
}
