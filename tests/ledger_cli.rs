//! Reading commands (log, show, checkpoint, proof, verify-proof, export) and the gate API.

#[path = "ledger_support/mod.rs"]
mod support;

use support::*;
use verdict::ledger::{GateFailure, Ledger};

fn ledger_of(n: u64) -> (tempfile::TempDir, std::path::PathBuf, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("l.db");
    let cps = build(&p, n, &key(1), 0);
    (dir, p, cps)
}

#[test]
fn log_human_json_since_and_report_filters() {
    let (_d, p, _) = ledger_of(5);
    let (code, out) = ledger_cmd(&p, &["log"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(
        lines[1],
        format!(
            "     1  2026-11-18T11:07:40Z  fail          VAL-0001  bft-production  sha256:{:064x}",
            7919
        )
    );
    let (code, out) = ledger_cmd(
        &p,
        &["log", "--format", "json", "--since", "2026-11-18T11:08:40Z"],
    );
    assert_eq!(code, 0);
    let seqs: Vec<u64> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["seq"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(seqs, vec![2, 3, 4]);
    let (code, out) = ledger_cmd(&p, &["log", "--report", "VAL-0003", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["record"]["report"]["id"], "VAL-0003");
    assert_eq!(v["record"]["verdict"], "pass");
    let (code, out) = ledger_cmd(&p, &["log", "--since", "yesterday"]);
    assert_eq!(code, 2, "{out}");
}

#[test]
fn show_prints_the_exact_record() {
    let (_d, p, _) = ledger_of(3);
    let (code, out) = ledger_cmd(&p, &["show", "2"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["seq"], 2);
    let r = &v["record"];
    assert_eq!(r["format"], "verdict/ledger-record/v1");
    assert_eq!(r["seq"], 2);
    assert_eq!(r["time"], "2026-11-18T11:08:40Z");
    assert_eq!(r["verdict"], "inconclusive");
    assert_eq!(r["keyring_digest"], format!("sha256:{:064x}", 99));
    assert_eq!(r["findings"][0]["rule"], "checks.failed");
    let (code, out) = ledger_cmd(&p, &["show", "3"]);
    assert_eq!(code, 2);
    assert!(out.contains("the ledger has no entry 3"), "{out}");
}

#[test]
fn record_bytes_are_canonical_json() {
    let (_d, p, _) = ledger_of(2);
    let l = Ledger::open(&p).unwrap();
    let e = l.entry(0).unwrap().unwrap();
    let pk = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        key(1).verifying_key().as_bytes(),
    );
    assert_eq!(
        String::from_utf8(e.record_bytes.clone()).unwrap(),
        format!(
            concat!(
                r#"{{"findings":[],"format":"verdict/ledger-record/v1","keyring_digest":"sha256:{:064x}","#,
                r#""policy":{{"digest":"sha256:{:064x}","name":"bft-production"}},"report":{{"digest":"sha256:{:064x}","id":"VAL-0000"}},"#,
                r#""seq":0,"time":"2026-11-18T11:06:40Z","tool":"verdict 0.1.0","verdict":"pass","verifier":"ed25519:{}"}}"#
            ),
            99, 42, 0, pk
        )
    );
    // RFC 6962 leaf hash: SHA-256(0x00 || record).
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update([0u8]);
    h.update(&e.record_bytes);
    assert_eq!(e.leaf_hash, <[u8; 32]>::from(h.finalize()));
}

#[test]
fn checkpoint_is_a_signed_c2sp_note() {
    let (_d, p, cps) = ledger_of(4);
    let (code, out) = ledger_cmd(&p, &["checkpoint"]);
    assert_eq!(code, 0);
    assert_eq!(out, cps[3]);
    let root = Ledger::open(&p).unwrap().root_at(4).unwrap();
    let lines: Vec<&str> = out.split('\n').collect();
    assert_eq!(
        &lines[..4],
        &["verdict.local/ledger", "4", &root.to_string(), ""]
    );
    assert!(lines[4].starts_with("— verdict.local/ledger "));
    assert_eq!(lines[5], "");
    // A standard C2SP verifier key checks it.
    let vkey = verdict::ledger::checkpoint::verifier_key_string(
        "verdict.local/ledger",
        &key(1).verifying_key(),
    );
    let v = signed_note::StandardVerifier::new(&vkey).unwrap();
    let note = signed_note::Note::from_bytes(out.as_bytes()).unwrap();
    note.verify(&signed_note::VerifierList::new(vec![Box::new(v)]))
        .unwrap();
}

#[test]
fn proof_round_trip_offline_and_its_failures() {
    let (d, p, _) = ledger_of(13);
    let (code, proof) = ledger_cmd(&p, &["proof", "6"]);
    assert_eq!(code, 0, "{proof}");
    let v: serde_json::Value = serde_json::from_str(&proof).unwrap();
    assert_eq!(v["tree_size"], 13);
    assert_eq!(v["proof"].as_array().unwrap().len(), 4);
    let proof_path = d.path().join("p.json");
    std::fs::write(&proof_path, &proof).unwrap();
    let cp_path = d.path().join("cp.txt");
    std::fs::write(&cp_path, v["checkpoint"].as_str().unwrap()).unwrap();
    let trust = write_pub(d.path(), "v.pub", &key(1));
    let other = write_pub(d.path(), "o.pub", &key(2));
    let verify_proof = |proof: &std::path::Path, trust: &std::path::Path| {
        let out = assert_cmd::Command::cargo_bin("verdict")
            .unwrap()
            .args(["ledger", "verify-proof"])
            .arg(proof)
            .arg("--checkpoint")
            .arg(&cp_path)
            .arg("--trust")
            .arg(trust)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, out) = verify_proof(&proof_path, &trust);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("proof valid: entry 6 (pass for sha256:"),
        "{out}"
    );
    let (code, out) = verify_proof(&proof_path, &other);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("checkpoint: not signed by any of the expected keys"),
        "{out}"
    );
    // A proof hash changed.
    let mut bad = v.clone();
    bad["proof"][2] = serde_json::Value::String(bad["proof"][1].as_str().unwrap().to_string());
    let bad_path = d.path().join("bad.json");
    std::fs::write(&bad_path, bad.to_string()).unwrap();
    let (code, out) = verify_proof(&bad_path, &trust);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("inclusion proof does not verify"), "{out}");
    // The record changed (verdict flipped to pass from a recorded fail).
    let mut bad = v.clone();
    bad["record"] = serde_json::Value::String(
        bad["record"]
            .as_str()
            .unwrap()
            .replace("\"pass\"", "\"fail\""),
    );
    std::fs::write(&bad_path, bad.to_string()).unwrap();
    let (code, out) = verify_proof(&bad_path, &trust);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("leaf hash does not match the record"), "{out}");
    // Every leaf of several tree sizes proves against its checkpoint through the library.
    let l = Ledger::open(&p).unwrap();
    for seq in 0..13 {
        let pr = l.prove_inclusion(seq).unwrap();
        let ok = pr
            .verify(pr.checkpoint.as_bytes(), &[key(1).verifying_key()])
            .unwrap();
        assert_eq!((ok.seq, ok.tree_size), (seq, 13));
    }
}

#[test]
fn export_is_one_json_object_per_entry() {
    let (_d, p, _) = ledger_of(7);
    let (code, out) = ledger_cmd(&p, &["export"]);
    assert_eq!(code, 0);
    let seqs: Vec<u64> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["seq"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(seqs, (0..7).collect::<Vec<_>>());
}

#[test]
fn find_verdicts_and_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("g.db");
    let mut l = Ledger::open_or_create(&p).unwrap();
    let trusted = [key(1).verifying_key()];
    let pass = input(0, 0); // i % 3 == 0: pass
    let fail = input(1, 0); // fail
    l.append(&pass, &key(1)).unwrap();
    l.append(&fail, &key(1)).unwrap();

    let ok = l
        .gate(&pass.report_digest, &pass.policy_digest, &trusted)
        .unwrap();
    assert_eq!((ok.seq, ok.checkpoint_size), (0, 2));

    match l.gate(&fail.report_digest, &fail.policy_digest, &trusted) {
        Err(GateFailure::NotPass { seq: 1, verdict }) => assert_eq!(verdict, "fail"),
        other => panic!("{other:?}"),
    }
    // Another policy digest, or the report edited after recording (another digest).
    let other_policy = format!("sha256:{:064x}", 1);
    assert!(matches!(
        l.gate(&pass.report_digest, &other_policy, &trusted),
        Err(GateFailure::NoRecord { .. })
    ));
    let edited = format!("sha256:{:064x}", 123_456);
    assert!(matches!(
        l.gate(&edited, &pass.policy_digest, &trusted),
        Err(GateFailure::NoRecord { .. })
    ));
    // Untrusted verifier key.
    match l.gate(
        &pass.report_digest,
        &pass.policy_digest,
        &[key(2).verifying_key()],
    ) {
        Err(GateFailure::Untrusted { seq: 0, .. }) => {}
        other => panic!("{other:?}"),
    }
    // A later pass by an untrusted verifier for the same report: the latest is what counts.
    let mut again = pass.clone();
    again.time = jiff::Timestamp::from_second(1_795_100_000).unwrap();
    l.append(&again, &key(2)).unwrap();
    match l.gate(&pass.report_digest, &pass.policy_digest, &trusted) {
        Err(GateFailure::Untrusted { seq: 2, .. }) => {}
        other => panic!("{other:?}"),
    }
    // Trusting both: included, and the latest checkpoint (signed by key 2) is accepted.
    let both = [key(1).verifying_key(), key(2).verifying_key()];
    assert_eq!(
        l.gate(&pass.report_digest, &pass.policy_digest, &both)
            .unwrap()
            .seq,
        2
    );
    // Entry 0 is still a trusted pass, but the latest checkpoint is not signed by a trusted key.
    let found = l
        .find_verdicts(&pass.report_digest, &pass.policy_digest)
        .unwrap();
    assert_eq!(found.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![0, 2]);
    assert!(
        l.find_verdicts(&pass.report_digest, &other_policy)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        l.latest_verdict_seq(&pass.report_digest, &pass.policy_digest)
            .unwrap(),
        Some(2)
    );
    assert_eq!(
        l.latest_verdict_seq(&pass.report_digest, &other_policy)
            .unwrap(),
        None
    );
    let mut third = input(3, 0);
    third.report_digest = format!("sha256:{:064x}", 777);
    l.append(&third, &key(2)).unwrap();
    match l.gate(
        &third.report_digest,
        &third.policy_digest,
        &[key(2).verifying_key()],
    ) {
        Ok(ok) => assert_eq!(ok.seq, 3),
        other => panic!("{other:?}"),
    }
    let mut fourth = input(6, 0);
    fourth.report_digest = format!("sha256:{:064x}", 778);
    l.append(&fourth, &key(1)).unwrap();
    l.append(&input(9, 1), &key(2)).unwrap();
    match l.gate(&fourth.report_digest, &fourth.policy_digest, &trusted) {
        Err(GateFailure::NotIncluded { seq: 4, what }) => {
            assert!(
                what.contains("latest checkpoint: not signed by any of the expected keys"),
                "{what}"
            )
        }
        other => panic!("{other:?}"),
    }
}
