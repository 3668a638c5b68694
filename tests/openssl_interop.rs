//! OpenSSL interop: keys made by `openssl genpkey -algorithm ed25519` sign with verdict, a
//! signature made by `openssl pkeyutl -sign -rawin` over the documented message verifies in
//! verdict, and a verdict signature verifies with `openssl pkeyutl -verify -rawin`.
//! Skipped (with a message) when no `openssl` is on PATH.

use assert_cmd::Command;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use std::path::{Path, PathBuf};
use verdict::attest::keyring::Keyring;
use verdict::attest::keys::parse_public_key;
use verdict::attest::{SignatureStatus, attest, digest, signing_message};
use verdict::limits::Limits;
use verdict::report::attestation::SignatureRecord;
use verdict::text::decode;

fn openssl(args: &[&str], dir: &Path) -> std::process::Output {
    std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl")
}

fn have_openssl() -> bool {
    std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn clean() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/reports/signed/unsigned.md")
}

#[test]
fn openssl_key_and_signature_verify_in_verdict() {
    if !have_openssl() {
        eprintln!("skipped: openssl not found");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let report = dir.join("r.md");
    std::fs::copy(clean(), &report).unwrap();
    assert!(
        openssl(&["genpkey", "-algorithm", "ed25519", "-out", "k.pem"], dir)
            .status
            .success()
    );
    assert!(
        openssl(&["pkey", "-in", "k.pem", "-pubout", "-out", "k.pub"], dir)
            .status
            .success()
    );

    // The documented message, built the way docs/digest.md shows with printf.
    let out = Command::cargo_bin("verdict")
        .unwrap()
        .arg("hash")
        .arg(&report)
        .output()
        .unwrap();
    let printed = String::from_utf8(out.stdout).unwrap();
    let bytes = std::fs::read(&report).unwrap();
    let text = decode(&bytes, &Limits::default()).unwrap();
    let d = digest(&text);
    assert_eq!(printed, format!("{d}\n"));
    let msg = format!("verdict-signature/v1\n{}\n", printed.trim_end());
    assert_eq!(msg.as_bytes(), signing_message(&d));
    std::fs::write(dir.join("msg.bin"), &msg).unwrap();
    let s = openssl(
        &[
            "pkeyutl", "-sign", "-rawin", "-inkey", "k.pem", "-in", "msg.bin", "-out", "sig.bin",
        ],
        dir,
    );
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    let sig = std::fs::read(dir.join("sig.bin")).unwrap();
    assert_eq!(sig.len(), 64);

    // Put openssl's signature in a signature line; verdict must count it with a keyring
    // that holds openssl's PEM public key.
    let pub_pem = std::fs::read_to_string(dir.join("k.pub")).unwrap();
    let vk = parse_public_key(&pub_pem).unwrap();
    let line = SignatureRecord {
        scheme: "ed25519".into(),
        id: "openssl".into(),
        public_key: vk.to_bytes(),
        signature: sig.clone(),
    }
    .to_line();
    let mut signed = String::from_utf8(bytes).unwrap();
    signed.push('\n');
    signed.push_str(&line);
    signed.push('\n');
    let indented: String = pub_pem.lines().map(|l| format!("      {l}\n")).collect();
    let ring = Keyring::parse(
        &format!("signers:\n  - id: openssl\n    public_key: |\n{indented}"),
        "ring.yaml",
    )
    .unwrap();
    let text = decode(signed.as_bytes(), &Limits::default()).unwrap();
    let e = attest(&text, Some(&ring), None, None, 16);
    assert_eq!(e.signatures.len(), 1);
    assert_eq!(e.signatures[0].status, SignatureStatus::Valid);
    assert_eq!(e.distinct_valid_signers, 1);

    // verdict signs with openssl's key file unchanged, and (ed25519 being deterministic)
    // produces the very same signature bytes.
    let out = Command::cargo_bin("verdict")
        .unwrap()
        .args(["sign", "--id", "openssl", "--key"])
        .arg(dir.join("k.pem"))
        .arg(&report)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("{line}\n"));
}

#[test]
fn verdict_signature_verifies_with_openssl() {
    if !have_openssl() {
        eprintln!("skipped: openssl not found");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let report = dir.join("r.md");
    std::fs::copy(clean(), &report).unwrap();
    Command::cargo_bin("verdict")
        .unwrap()
        .args(["keygen", "--id", "v1", "--out"])
        .arg(dir)
        .assert()
        .success();
    // openssl reads verdict's private key and derives the same public key.
    let o = openssl(&["pkey", "-in", "v1.key", "-pubout"], dir);
    assert!(o.status.success());
    assert_eq!(o.stdout, std::fs::read(dir.join("v1.pub")).unwrap());

    let out = Command::cargo_bin("verdict")
        .unwrap()
        .arg("sign")
        .arg(&report)
        .arg("--key")
        .arg(dir.join("v1.key"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let line = String::from_utf8(out.stdout).unwrap();
    let sig_b64 = line
        .split(" sig=")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    std::fs::write(dir.join("sig.bin"), B64.decode(sig_b64).unwrap()).unwrap();
    let d = digest(&decode(&std::fs::read(&report).unwrap(), &Limits::default()).unwrap());
    std::fs::write(dir.join("msg.bin"), signing_message(&d)).unwrap();
    let verify = |msg: &str| {
        openssl(
            &[
                "pkeyutl", "-verify", "-rawin", "-pubin", "-inkey", "v1.pub", "-in", msg,
                "-sigfile", "sig.bin",
            ],
            dir,
        )
    };
    let ok = verify("msg.bin");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    assert_eq!(
        String::from_utf8_lossy(&ok.stdout).trim(),
        "Signature Verified Successfully"
    );
    // And openssl rejects it over a different digest.
    std::fs::write(dir.join("other.bin"), b"verdict-signature/v1\nsha256:00\n").unwrap();
    assert!(!verify("other.bin").status.success());
}
