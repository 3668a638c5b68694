//! The signed-report fixtures (fixtures/reports/signed/) and test keys (fixtures/keys/):
//! regenerated here from fixtures/reports/signed/unsigned.md with the real `sign --embed`
//! code path, checked byte for byte against the committed files, and their evidence checked.
//!
//! Regenerate after changing unsigned.md or the signing format:
//! `cargo test --test signed_fixtures -- --ignored regenerate`

use sha2::{Digest as _, Sha256};
use std::path::PathBuf;
use verdict::attest::keyring::Keyring;
use verdict::attest::keys::{public_key_b64, public_key_pem, signing_key_pem};
use verdict::attest::sign::sign_file;
use verdict::attest::{Evidence, SignatureSource, SignatureStatus, attest, digest};
use verdict::limits::Limits;
use verdict::text::decode;

use ed25519_dalek::SigningKey;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const NODES: [&str; 7] = [
    "node1", "node2", "node3", "node4", "node5", "node6", "node7",
];

/// Test-only keys are derived from their names: reproducible, and public knowledge.
fn test_key(name: &str) -> SigningKey {
    let seed: [u8; 32] = Sha256::digest(format!("verdict test-only key: {name}")).into();
    SigningKey::from_bytes(&seed)
}

fn keyring_yaml(revoked: Option<&str>, expired: Option<&str>) -> String {
    let mut s = String::from(
        "# TEST-ONLY keyring for verdict's fixtures. Never trust these keys anywhere else.\nsigners:\n",
    );
    for name in NODES {
        let vk = test_key(name).verifying_key();
        s.push_str(&format!("  - id: {name}\n"));
        if name == "node7" {
            // One entry in PEM form, so both accepted forms are exercised.
            s.push_str("    public_key: |\n");
            for l in public_key_pem(&vk).lines() {
                s.push_str(&format!("      {l}\n"));
            }
        } else {
            s.push_str(&format!("    public_key: {}\n", public_key_b64(&vk)));
        }
        s.push_str("    not_before: 2026-01-01T00:00:00Z\n");
        if expired == Some(name) {
            s.push_str("    not_after: 2026-06-30T23:59:59Z\n");
        } else {
            s.push_str("    not_after: 2027-12-31T23:59:59Z\n");
        }
        if revoked == Some(name) {
            s.push_str("    revoked: true\n");
        }
    }
    s
}

/// Every generated fixture: (path relative to the repo root, bytes).
fn generate() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for name in NODES.iter().copied().chain(["outsider"]) {
        let k = test_key(name);
        out.push((
            format!("fixtures/keys/{name}.key"),
            signing_key_pem(&k).into_bytes(),
        ));
        out.push((
            format!("fixtures/keys/{name}.pub"),
            public_key_pem(&k.verifying_key()).into_bytes(),
        ));
    }
    out.push((
        "fixtures/keys/keyring.yaml".into(),
        keyring_yaml(None, None).into_bytes(),
    ));
    out.push((
        "fixtures/keys/keyring-revoked.yaml".into(),
        keyring_yaml(Some("node6"), None).into_bytes(),
    ));
    out.push((
        "fixtures/keys/keyring-expired.yaml".into(),
        keyring_yaml(None, Some("node6")).into_bytes(),
    ));

    // unsigned.md with its Report Hash line set to its own canonical digest.
    let src = std::fs::read_to_string(root().join("fixtures/reports/signed/unsigned.md")).unwrap();
    let d = digest(&decode(src.as_bytes(), &Limits::default()).unwrap());
    let unsigned: String = src
        .split_inclusive('\n')
        .map(|l| {
            if l.starts_with("**Report Hash**:") {
                format!("**Report Hash**: `{d}`\n")
            } else {
                l.to_string()
            }
        })
        .collect();
    out.push((
        "fixtures/reports/signed/unsigned.md".into(),
        unsigned.clone().into_bytes(),
    ));

    let tmp = tempfile::tempdir().unwrap();
    let sign_with = |names: &[&str], embed: bool| -> (Vec<u8>, Option<Vec<u8>>) {
        let p = tmp.path().join("r.md");
        let _ = std::fs::remove_file(tmp.path().join("r.md.sig"));
        std::fs::write(&p, &unsigned).unwrap();
        for name in names {
            sign_file(&p, &test_key(name), name, embed, &Limits::default()).unwrap();
        }
        (
            std::fs::read(&p).unwrap(),
            std::fs::read(tmp.path().join("r.md.sig")).ok(),
        )
    };
    let five = ["node1", "node2", "node3", "node4", "node5"];
    let (clean, _) = sign_with(&five, true);
    out.push(("fixtures/reports/signed/clean.md".into(), clean.clone()));
    out.push((
        "fixtures/reports/signed/four-signatures.md".into(),
        sign_with(&five[..4], true).0,
    ));
    out.push((
        "fixtures/reports/signed/outsider-signature.md".into(),
        sign_with(
            &["node1", "node2", "node3", "node4", "node5", "outsider"],
            true,
        )
        .0,
    ));
    out.push((
        "fixtures/reports/signed/revoked-signer.md".into(),
        sign_with(
            &["node1", "node2", "node3", "node4", "node5", "node6"],
            true,
        )
        .0,
    ));
    // The third signature line repeated at the end.
    let clean_s = String::from_utf8(clean.clone()).unwrap();
    let third = clean_s
        .lines()
        .filter(|l| l.starts_with("<!-- verdict-signature"))
        .nth(2)
        .unwrap()
        .to_string();
    out.push((
        "fixtures/reports/signed/duplicate-signature.md".into(),
        format!("{clean_s}{third}\n").into_bytes(),
    ));
    let edited = clean_s.replacen(
        "Mesh topology with 7 nodes",
        "Ring topology with 7 nodes",
        1,
    );
    assert_ne!(edited, clean_s);
    out.push((
        "fixtures/reports/signed/edited-after-signing.md".into(),
        edited.into_bytes(),
    ));
    let (detached, sig) = sign_with(&five, false);
    out.push(("fixtures/reports/signed/detached.md".into(), detached));
    out.push((
        "fixtures/reports/signed/detached.md.sig".into(),
        sig.unwrap(),
    ));
    out
}

#[test]
#[ignore = "writes fixtures; run with --ignored to regenerate them"]
fn regenerate() {
    for (path, bytes) in generate() {
        let p = root().join(&path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        println!("wrote {path}");
    }
}

#[test]
fn committed_fixtures_are_exactly_what_the_generator_makes() {
    for (path, bytes) in generate() {
        let committed = std::fs::read(root().join(&path)).unwrap_or_default();
        assert!(
            committed == bytes,
            "{path} differs from the generator; run `cargo test --test signed_fixtures -- --ignored regenerate`"
        );
    }
}

fn keyring(name: &str) -> Keyring {
    Keyring::load(&root().join("fixtures/keys").join(name), 1 << 20).unwrap()
}

fn evidence(report: &str, ring: &str) -> Evidence {
    let bytes = std::fs::read(root().join("fixtures/reports/signed").join(report)).unwrap();
    let text = decode(&bytes, &Limits::default()).unwrap();
    let date = "2026-11-20T00:00:00Z".parse().unwrap();
    let detached = std::fs::read_to_string(
        root()
            .join("fixtures/reports/signed")
            .join(format!("{report}.sig")),
    )
    .ok();
    attest(
        &text,
        Some(&keyring(ring)),
        detached.as_deref(),
        Some(date),
        1024,
    )
}

fn statuses(e: &Evidence) -> Vec<(u32, SignatureStatus)> {
    e.signatures.iter().map(|s| (s.line, s.status)).collect()
}

use SignatureStatus::*;

#[test]
fn clean_report_has_five_valid_signers_and_its_own_hash() {
    let e = evidence("clean.md", "keyring.yaml");
    let h = e.hash_claim().unwrap();
    assert_eq!(h.line, 178);
    assert!(h.well_formed && h.matches && !h.implausible);
    assert_eq!(h.claimed_hex, h.computed_hex);
    assert_eq!(e.hash_claims.len(), 1);
    assert_eq!(
        statuses(&e),
        vec![
            (181, Valid),
            (182, Valid),
            (183, Valid),
            (184, Valid),
            (185, Valid)
        ]
    );
    assert_eq!(e.distinct_valid_signers, 5);
    assert_eq!(
        e.valid_signer_ids,
        ["node1", "node2", "node3", "node4", "node5"]
    );
    // The same digest as the unsigned report: signature lines are not covered.
    let unsigned = evidence("unsigned.md", "keyring.yaml");
    assert_eq!(unsigned.digest, e.digest);
    assert!(unsigned.signatures.is_empty());
}

#[test]
fn four_signatures() {
    let e = evidence("four-signatures.md", "keyring.yaml");
    assert_eq!(e.distinct_valid_signers, 4);
    assert_eq!(statuses(&e).len(), 4);
    assert!(e.hash_claim().unwrap().matches);
}

#[test]
fn duplicated_signature_counts_once() {
    let e = evidence("duplicate-signature.md", "keyring.yaml");
    assert_eq!(
        statuses(&e),
        vec![
            (181, Valid),
            (182, Valid),
            (183, Valid),
            (184, Valid),
            (185, Valid),
            (186, Duplicate)
        ]
    );
    assert_eq!(e.distinct_valid_signers, 5);
    assert_eq!(
        e.signatures[5].detail,
        "same public key as the signature on line 183 of the report"
    );
}

#[test]
fn outsider_key_is_unknown() {
    let e = evidence("outsider-signature.md", "keyring.yaml");
    let last = e.signatures.last().unwrap();
    assert_eq!(
        (last.line, last.status, last.crypto_valid),
        (186, UnknownKey, true)
    );
    assert_eq!(last.claimed_id.as_deref(), Some("outsider"));
    assert_eq!(last.signer_id, None);
    assert_eq!(e.distinct_valid_signers, 5);
}

#[test]
fn revoked_and_expired_signers() {
    let e = evidence("revoked-signer.md", "keyring-revoked.yaml");
    assert_eq!(e.signatures[5].line, 186);
    assert_eq!(e.signatures[5].status, Revoked);
    assert_eq!(e.signatures[5].signer_id.as_deref(), Some("node6"));
    assert_eq!(e.distinct_valid_signers, 5);
    let e = evidence("revoked-signer.md", "keyring-expired.yaml");
    assert_eq!(e.signatures[5].status, Expired);
    assert_eq!(
        e.signatures[5].detail,
        "key of `node6` is valid 2026-01-01T00:00:00Z to 2026-06-30T23:59:59Z, the report is dated 2026-11-20T00:00:00Z"
    );
    let e = evidence("revoked-signer.md", "keyring.yaml");
    assert_eq!(e.distinct_valid_signers, 6);
}

#[test]
fn edited_report_breaks_hash_and_all_signatures() {
    let e = evidence("edited-after-signing.md", "keyring.yaml");
    let h = e.hash_claim().unwrap();
    assert!(h.well_formed && !h.matches);
    assert_ne!(h.claimed_hex, h.computed_hex);
    assert_eq!(
        statuses(&e),
        vec![
            (181, Invalid),
            (182, Invalid),
            (183, Invalid),
            (184, Invalid),
            (185, Invalid)
        ]
    );
    assert_eq!(e.distinct_valid_signers, 0);
}

#[test]
fn detached_signatures() {
    let e = evidence("detached.md", "keyring.yaml");
    assert_eq!(e.distinct_valid_signers, 5);
    assert!(
        e.signatures
            .iter()
            .all(|s| s.source == SignatureSource::Detached && s.span.is_none())
    );
    assert_eq!(
        statuses(&e).iter().map(|s| s.0).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
    // Without a keyring nothing counts, though every signature verifies.
    let bytes = std::fs::read(root().join("fixtures/reports/signed/clean.md")).unwrap();
    let text = decode(&bytes, &Limits::default()).unwrap();
    let e = attest(&text, None, None, None, 1024);
    assert!(
        e.signatures
            .iter()
            .all(|s| s.status == UnknownKey && s.crypto_valid)
    );
    assert_eq!(e.distinct_valid_signers, 0);
    assert!(!e.keyring);
}

#[test]
fn signature_limit_bounds_work() {
    let e = {
        let bytes = std::fs::read(root().join("fixtures/reports/signed/clean.md")).unwrap();
        let text = decode(&bytes, &Limits::default()).unwrap();
        attest(&text, Some(&keyring("keyring.yaml")), None, None, 3)
    };
    assert_eq!(
        statuses(&e),
        vec![
            (181, Valid),
            (182, Valid),
            (183, Valid),
            (184, Malformed),
            (185, Malformed)
        ]
    );
    assert_eq!(
        e.signatures[3].detail,
        "more than 3 signature lines; not verified"
    );
}

#[test]
fn seed_hash_claim_is_a_mismatch_and_implausible() {
    let bytes = std::fs::read(root().join("fixtures/reports/seed.txt")).unwrap();
    let text = decode(&bytes, &Limits::default()).unwrap();
    let e = attest(&text, Some(&keyring("keyring.yaml")), None, None, 1024);
    let h = e.hash_claim().unwrap();
    assert_eq!(
        h.claimed_hex,
        "a8f7e2b9c4d6f1a5e3c8b2a9f7e4d1c6b9a2f5e8c1d4a7b3f9e2c5a8d1b4f7e0"
    );
    assert!(h.well_formed && !h.matches && h.implausible);
    assert_eq!(h.computed_hex, e.digest.hex());
    assert!(e.signatures.is_empty());
}

/// The JSON the policy engine and outputs receive, field for field.
#[test]
fn evidence_json_shape() {
    let body = "# T\nReport Hash: sha256:00\n";
    let d = digest(&decode(body.as_bytes(), &Limits::default()).unwrap());
    let rec = verdict::attest::sign::sign_digest(&test_key("node1"), "node1", &d);
    let report = format!(
        "{body}{}\n<!-- verdict-signature/v1 id=x -->\n",
        rec.to_line()
    );
    let text = decode(report.as_bytes(), &Limits::default()).unwrap();
    let e = attest(
        &text,
        Some(&keyring("keyring.yaml")),
        None,
        Some("2026-11-20T00:00:00Z".parse().unwrap()),
        1024,
    );
    let json = serde_json::to_value(&e).unwrap();
    let expected = serde_json::json!({
        "digest": d.to_string(),
        "hash_claims": [{
            "line": 2,
            "span": {"offset": 4, "len": 22, "line": 2, "column": 1},
            "claimed": "sha256:00",
            "algorithm": "sha256",
            "algorithm_id": "sha256",
            "claimed_hex": "00",
            "computed_hex": d.hex(),
            "well_formed": false,
            "matches": false,
            "implausible": false
        }],
        "signatures": [{
            "source": "embedded",
            "line": 3,
            "span": {"offset": 27, "len": 195, "line": 3, "column": 1},
            "status": "valid",
            "crypto_valid": true,
            "claimed_id": "node1",
            "signer_id": "node1",
            "public_key": "6lDtsZa0VToVNjOFcGgC8urgWoBerDkKvb/ljBJLv78=",
            "detail": "signed by `node1`"
        }, {
            "source": "embedded",
            "line": 4,
            "span": {"offset": 223, "len": 34, "line": 4, "column": 1},
            "status": "malformed",
            "crypto_valid": false,
            "claimed_id": null,
            "signer_id": null,
            "public_key": null,
            "detail": "a signature line needs scheme=, id=, key= and sig="
        }],
        "distinct_valid_signers": 1,
        "valid_signer_ids": ["node1"],
        "keyring": true,
        "report_date": "2026-11-20T00:00:00Z"
    });
    assert_eq!(json, expected);
}
