//! `hash.*`, `signatures.*` and `keys.*`: the report's integrity claims against what the
//! attest stage proved. Claims are never believed: only [`Evidence`] counts.

use super::{At, Findings};
use crate::attest::{Evidence, SignatureEvidence, SignatureSource, SignatureStatus};
use crate::policy::Policy;
use crate::policy::model::{HashAlgorithm, SignatureAlgorithm};
use crate::report::model::Report;
use serde_json::json;

pub(super) fn evaluate(policy: &Policy, report: &Report, evidence: &Evidence, out: &mut Findings) {
    hash(policy, evidence, out);
    signatures(policy, report, evidence, out);
    algorithm(policy, report, out);
}

fn hash(policy: &Policy, evidence: &Evidence, out: &mut Findings) {
    let Some(h) = evidence.hash_claim() else {
        if policy.hash.required {
            out.push(
                "hash.missing",
                At::nowhere(),
                format!(
                    "the report states no hash; its canonical digest is {}",
                    evidence.digest
                ),
                vec![("computed", json!(evidence.digest.to_string()))],
            );
        }
        return;
    };
    let at = At::span(h.span, None);
    let allowed = policy
        .hash
        .algorithms
        .iter()
        .any(|a| matches!(a, HashAlgorithm::Sha256) && h.algorithm_id == "sha256");
    if !h.well_formed || !allowed {
        let why = if !allowed {
            format!(
                "algorithm `{}` is not one the policy accepts",
                h.algorithm.as_deref().unwrap_or("(none)")
            )
        } else {
            format!(
                "`{}` is not a well-formed {} digest ({} hex characters)",
                h.claimed,
                h.algorithm_id,
                h.claimed_hex.len()
            )
        };
        out.push(
            "hash.malformed",
            at,
            why,
            vec![("claimed", json!(h.claimed))],
        );
        return;
    }
    if h.implausible {
        out.push(
            "hash.implausible",
            at,
            format!("`{}` is well formed but no digest function would produce it (placeholder or patterned)", h.claimed),
            vec![("claimed", json!(h.claimed))],
        );
    }
    if !h.matches {
        out.push(
            "hash.mismatch",
            at,
            format!(
                "claimed sha256:{} but the report's canonical digest is sha256:{}",
                h.claimed_hex, h.computed_hex
            ),
            vec![
                ("claimed", json!(h.claimed_hex)),
                ("computed", json!(h.computed_hex)),
            ],
        );
    }
}

fn signature_at(s: &SignatureEvidence) -> At {
    match (s.source, s.span) {
        (SignatureSource::Embedded, Some(span)) => At::span(span, None),
        _ => At::line(s.line),
    }
}

fn signatures(policy: &Policy, report: &Report, evidence: &Evidence, out: &mut Findings) {
    let claim = report.attestation.signatures.as_ref();
    let claim_at = claim.map_or(At::nowhere(), |c| At::span(c.span, None));
    let required = report
        .consensus
        .f
        .as_ref()
        .and_then(|f| {
            policy
                .bounds(f.value, report.consensus.n.as_ref().map_or(0, |n| n.value))
                .ok()
        })
        .map(|b| b.signature_threshold)
        .or_else(|| policy.signatures.threshold.eval(0, 0).ok());

    if evidence.signatures.is_empty() {
        if policy.signatures_required() {
            let need = required.map_or_else(
                || policy.signatures.threshold.to_string(),
                |r| format!("{} = {r}", policy.signatures.threshold),
            );
            out.push(
                "signatures.missing",
                claim_at,
                format!(
                    "the report carries no signatures; the policy requires {need} distinct signers"
                ),
                vec![("required", json!(required))],
            );
        }
    } else {
        for s in &evidence.signatures {
            let rule = match s.status {
                SignatureStatus::Valid => continue,
                SignatureStatus::Invalid | SignatureStatus::Malformed => "signatures.invalid",
                SignatureStatus::UnknownKey => "signatures.unknown-key",
                SignatureStatus::Duplicate => "signatures.duplicate",
                SignatureStatus::Expired => "keys.expired",
                SignatureStatus::Revoked => "keys.revoked",
            };
            let who = s
                .signer_id
                .as_deref()
                .or(s.claimed_id.as_deref())
                .unwrap_or("unnamed signer");
            let place = match s.source {
                SignatureSource::Embedded => String::new(),
                SignatureSource::Detached => format!(" (detached .sig line {})", s.line),
            };
            out.push(
                rule,
                signature_at(s),
                format!("signature by `{who}`{place}: {}", s.detail),
                vec![
                    ("signer", json!(who)),
                    ("public_key", json!(s.public_key)),
                    ("source", json!(s.source)),
                    ("status", json!(s.status)),
                ],
            );
        }
        if let Some(required) = required
            && (evidence.distinct_valid_signers as u64) < required
        {
            out.push(
                "signatures.threshold",
                claim_at,
                format!(
                    "{} distinct valid signers; the policy requires {} = {required}",
                    evidence.distinct_valid_signers, policy.signatures.threshold
                ),
                vec![
                    ("valid", json!(evidence.distinct_valid_signers)),
                    ("required", json!(required)),
                    ("signers", json!(evidence.valid_signer_ids)),
                ],
            );
        }
    }
    if let Some(c) = claim
        && c.signed != evidence.distinct_valid_signers as u64
    {
        let of = c.total.map(|t| format!("/{t}")).unwrap_or_default();
        out.push(
            "signatures.claim",
            At::span(c.span, None),
            format!(
                "the report claims {}{of} signatures but {} verified{}",
                c.signed,
                evidence.distinct_valid_signers,
                if evidence.keyring {
                    ""
                } else {
                    " (no keyring given: none can)"
                }
            ),
            vec![
                ("claimed", json!(c.signed)),
                ("verified", json!(evidence.distinct_valid_signers)),
            ],
        );
    }
}

/// Words that name real signature schemes, and words that name only hashes or MACs.
const SIGNATURE_SCHEMES: &[(&str, Option<SignatureAlgorithm>)] = &[
    ("ed25519", Some(SignatureAlgorithm::Ed25519)),
    ("eddsa", Some(SignatureAlgorithm::Ed25519)),
    ("ecdsa", None),
    ("rsa", None),
    ("bls", None),
    ("schnorr", None),
    ("secp256k1", None),
];

fn algorithm(policy: &Policy, report: &Report, out: &mut Findings) {
    let Some(alg) = &report.attestation.algorithm else {
        return;
    };
    let lower = alg.value.to_lowercase();
    let named = SIGNATURE_SCHEMES.iter().find(|(word, _)| {
        lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| w == *word || (w.starts_with(word) && *word == "rsa"))
    });
    let message = match named {
        None => format!(
            "`{}` is not a signature scheme: a hash or a shared key proves nothing about who signed",
            alg.value
        ),
        Some((_, Some(a))) if policy.signatures.algorithms.contains(a) => return,
        Some((word, _)) => format!(
            "`{}` ({word}) is not a signature scheme the policy allows",
            alg.value
        ),
    };
    out.push(
        "signatures.algorithm",
        At::span(alg.span, None),
        message,
        vec![("declared", json!(alg.value))],
    );
}
