//! `verdict hash`, `verdict keygen`, `verdict sign`: exit codes, outputs, file modes,
//! idempotence and keyring diagnostics, through the real binary.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

fn verdict() -> Command {
    let mut c = Command::cargo_bin("verdict").unwrap();
    c.env("NO_COLOR", "1");
    c
}

const CLEAN_DIGEST: &str =
    "sha256:f9ce51c8c0240339f21e6ec665177ce03872c1983b5edc234db28e3e41061839";

fn stdout_of(c: &mut Command) -> String {
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn hash_prints_the_canonical_digest() {
    for f in [
        "reports/signed/clean.md",
        "reports/signed/unsigned.md",
        "reports/signed/four-signatures.md",
    ] {
        assert_eq!(
            stdout_of(verdict().arg("hash").arg(fixture(f))),
            format!("{CLEAN_DIGEST}\n"),
            "{f}"
        );
    }
    // CRLF and LF copies of the same report hash alike.
    let lf = stdout_of(
        verdict()
            .arg("hash")
            .arg(fixture("reports/seed-clean-lf.md")),
    );
    let crlf = stdout_of(
        verdict()
            .arg("hash")
            .arg(fixture("reports/seed-clean-crlf.md")),
    );
    assert_eq!(lf, crlf);
    assert_eq!(
        lf,
        "sha256:3a8f08d702a0ddeadd3eb2276552f9b123cc1a41bd113415b0966a8a93ebcb83\n"
    );
}

#[test]
fn hash_errors_exit_2() {
    verdict()
        .args(["hash", "/nonexistent/report.md"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("hash::read"));
    verdict()
        .args(["hash", "--max-bytes", "10"])
        .arg(fixture("reports/signed/clean.md"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "larger than the limit of 10 bytes",
        ));
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.md");
    std::fs::write(&bad, b"ok\n\xff\n").unwrap();
    verdict()
        .arg("hash")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("text::invalid_utf8"));
}

/// docs/digest.md's shell pipeline gives the same digest as `verdict hash`.
#[test]
fn documented_shell_pipeline_agrees() {
    let have = |tool: &str| {
        std::process::Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !["perl", "grep", "sha256sum"].iter().all(|t| have(t)) {
        eprintln!("skipped: perl, grep or sha256sum missing");
        return;
    }
    let pipeline = "perl -0777 -pe 's/\\A\\xEF\\xBB\\xBF//; s/\\r\\n?/\\n/g' \"$1\" \
        | LC_ALL=C grep -a -v -i -E '^[[:blank:]]*([-*+][[:blank:]]+)?[*_]{0,2}([a-z]+[[:blank:]]+)?report[[:blank:]]+hash[*_]{0,2}[[:blank:]]*:' \
        | LC_ALL=C grep -a -v -E '^[[:blank:]]*<!--[[:blank:]]*verdict-signature' \
        | sha256sum | sed 's/^\\([0-9a-f]*\\).*/sha256:\\1/'";
    let tmp = tempfile::tempdir().unwrap();
    let bom = tmp.path().join("bom.md");
    let mut b = b"\xEF\xBB\xBF- **Report Hash:** x\r\nbody\rmore\n  * report \tHASH_: y\n\t<!--\tverdict-signature/v9 -->\ntReport Hash: kept\n\\ Report Hash: kept\n***Report Hash: kept\n**Verification Report Hash**: e3\nVerification-Report Hash: kept\nend".to_vec();
    b.extend_from_slice(b"\n\n");
    std::fs::write(&bom, b).unwrap();
    let mut files = vec![
        fixture("reports/signed/clean.md"),
        fixture("reports/signed/edited-after-signing.md"),
        fixture("reports/seed-clean-crlf.md"),
        fixture("reports/seed.txt"),
        bom,
    ];
    // The real reports too, when ../shared/corpus is there (beside the repo, or beside the
    // worktree directory).
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = ["../shared/corpus", "../../shared/corpus"]
        .iter()
        .map(|c| root.join(c))
        .find(|c| c.is_dir())
        .unwrap_or_else(|| root.join("../shared/corpus"));
    match walk(&corpus) {
        Some(found) => files.extend(found),
        None => eprintln!("skipped corpus part: {} not found", corpus.display()),
    }
    let mut compared = 0;
    for f in &files {
        if verdict::text::decode(&std::fs::read(f).unwrap(), &Default::default()).is_err() {
            continue;
        }
        let shell = std::process::Command::new("sh")
            .args(["-c", pipeline, "sh"])
            .arg(f)
            .output()
            .unwrap();
        let ours = stdout_of(verdict().arg("hash").arg(f));
        assert_eq!(
            String::from_utf8(shell.stdout).unwrap(),
            ours,
            "{}",
            f.display()
        );
        compared += 1;
    }
    eprintln!("compared {compared} of {} files", files.len());
    assert!(compared >= 5);
}

/// Every .md/.txt file under `dir`, or None when it does not exist.
fn walk(dir: &Path) -> Option<Vec<PathBuf>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).ok()? {
        let p = e.ok()?.path();
        if p.is_dir() {
            out.extend(walk(&p).unwrap_or_default());
        } else if p.extension().is_some_and(|x| x == "md" || x == "txt") {
            out.push(p);
        }
    }
    Some(out)
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn keygen_writes_keys_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let out = stdout_of(
        verdict()
            .args(["keygen", "--id", "alice", "--out"])
            .arg(tmp.path()),
    );
    let key = tmp.path().join("alice.key");
    let public = tmp.path().join("alice.pub");
    #[cfg(unix)]
    assert_eq!(mode(&key), 0o600);
    let pem = std::fs::read_to_string(&key).unwrap();
    assert!(
        pem.starts_with("-----BEGIN PRIVATE KEY-----\n")
            && pem.ends_with("-----END PRIVATE KEY-----\n")
    );
    assert_eq!(pem.len(), 119); // 48-byte PKCS#8 v1 DER, as openssl writes it
    let pub_pem = std::fs::read_to_string(&public).unwrap();
    assert!(pub_pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    // The printed entry is a keyring entry for exactly this key.
    let vk = verdict::attest::keys::parse_public_key(&pub_pem).unwrap();
    assert_eq!(
        out,
        format!(
            "  - id: alice\n    public_key: {}\n",
            verdict::attest::keys::public_key_b64(&vk)
        )
    );
    let ring = verdict::attest::Keyring::parse(&format!("signers:\n{out}"), "k").unwrap();
    assert_eq!(ring.signers[0].public_key, vk);

    // Again: refused, nothing changed.
    verdict()
        .args(["keygen", "--id", "alice", "--out"])
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("keys::exists"));
    assert_eq!(std::fs::read_to_string(&key).unwrap(), pem);
    verdict()
        .args(["keygen", "--id", "../evil", "--out"])
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("keys::bad_id"));
    // A directory that cannot be created (its parent is a file): exit 2, even for root.
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    verdict()
        .args(["keygen", "--id", "bob", "--out"])
        .arg(file.join("keys"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("keys::write"));
}

#[test]
fn keygen_creates_a_missing_out_directory_private() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new/keys");
    verdict()
        .args(["keygen", "--id", "carol", "--out"])
        .arg(&dir)
        .assert()
        .code(0);
    assert!(dir.join("carol.key").is_file() && dir.join("carol.pub").is_file());
    #[cfg(unix)]
    {
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&tmp.path().join("new")), 0o700);
        assert_eq!(mode(&dir.join("carol.key")), 0o600);
    }
    // An existing directory keeps its mode.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let open = tmp.path().join("open");
        std::fs::create_dir(&open).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
        verdict()
            .args(["keygen", "--id", "dave", "--out"])
            .arg(&open)
            .assert()
            .code(0);
        assert_eq!(mode(&open), 0o755);
    }
    // A bad id creates nothing.
    let never = tmp.path().join("never");
    verdict()
        .args(["keygen", "--id", "../x", "--out"])
        .arg(&never)
        .assert()
        .code(2);
    assert!(!never.exists());
}

fn copy_fixture(dir: &Path, rel: &str) -> PathBuf {
    let p = dir.join(Path::new(rel).file_name().unwrap());
    std::fs::copy(fixture(rel), &p).unwrap();
    p
}

#[test]
fn sign_detached_is_idempotent() {
    let tmp = tempfile::tempdir().unwrap();
    let r = copy_fixture(tmp.path(), "reports/signed/unsigned.md");
    let before = std::fs::read(&r).unwrap();
    let line = stdout_of(
        verdict()
            .arg("sign")
            .arg(&r)
            .arg("--key")
            .arg(fixture("keys/node1.key")),
    );
    let sig = tmp.path().join("unsigned.md.sig");
    let expected = std::fs::read_to_string(fixture("reports/signed/detached.md.sig")).unwrap();
    let first = expected.lines().next().unwrap();
    assert_eq!(line, format!("{first}\n"));
    assert_eq!(std::fs::read_to_string(&sig).unwrap(), format!("{first}\n"));
    assert_eq!(
        std::fs::read(&r).unwrap(),
        before,
        "detached signing leaves the report alone"
    );
    verdict()
        .arg("sign")
        .arg(&r)
        .arg("--key")
        .arg(fixture("keys/node1.key"))
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "already signed (nothing written)",
        ));
    assert_eq!(std::fs::read_to_string(&sig).unwrap(), format!("{first}\n"));
    // A second key appends.
    stdout_of(
        verdict()
            .arg("sign")
            .arg(&r)
            .arg("--key")
            .arg(fixture("keys/node2.key")),
    );
    assert_eq!(
        std::fs::read_to_string(&sig).unwrap(),
        expected
            .lines()
            .take(2)
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    );
}

#[test]
fn sign_embed_keeps_crlf_and_digest_and_replaces_stale_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let r = copy_fixture(tmp.path(), "reports/seed-clean-crlf.md");
    let digest_before = stdout_of(verdict().arg("hash").arg(&r));
    let before = std::fs::read(&r).unwrap();
    stdout_of(
        verdict()
            .arg("sign")
            .arg(&r)
            .args(["--embed", "--key"])
            .arg(fixture("keys/node3.key")),
    );
    let after = std::fs::read(&r).unwrap();
    assert!(after.starts_with(&before));
    let added = String::from_utf8(after[before.len()..].to_vec()).unwrap();
    // The file had no final newline: one CRLF is added first (the digest ignores it).
    assert!(!before.ends_with(b"\n"));
    let added = added.strip_prefix("\r\n").unwrap();
    assert!(
        added.starts_with("<!-- verdict-signature/v1 scheme=ed25519 id=node3 "),
        "{added}"
    );
    assert!(added.ends_with(" -->\r\n"));
    assert_eq!(added.matches('\n').count(), 1);
    assert_eq!(added.len(), 195 + 2); // the line for a 5-character id, then CRLF
    assert_eq!(stdout_of(verdict().arg("hash").arg(&r)), digest_before);
    // Idempotent.
    stdout_of(
        verdict()
            .arg("sign")
            .arg(&r)
            .args(["--embed", "--key"])
            .arg(fixture("keys/node3.key")),
    );
    assert_eq!(std::fs::read(&r).unwrap(), after);
    // Edit the report: the stale line is replaced, not joined by a second one.
    let edited = String::from_utf8(after)
        .unwrap()
        .replacen("Mesh topology", "Ring topology", 1);
    std::fs::write(&r, &edited).unwrap();
    verdict()
        .arg("sign")
        .arg(&r)
        .args(["--embed", "--key"])
        .arg(fixture("keys/node3.key"))
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "re-signed (replaced this key's stale line)",
        ));
    let resigned = std::fs::read_to_string(&r).unwrap();
    assert_eq!(resigned.matches("verdict-signature").count(), 1);
    assert_eq!(resigned.len(), edited.len());
    assert!(resigned.ends_with(" -->\r\n"));
    let text = verdict::text::decode(resigned.as_bytes(), &Default::default()).unwrap();
    let ev = verdict::attest::attest(&text, None, None, None, 16);
    assert!(ev.signatures[0].crypto_valid);
}

#[test]
fn sign_with_keyring_takes_the_id_and_checks_membership() {
    let tmp = tempfile::tempdir().unwrap();
    let r = copy_fixture(tmp.path(), "reports/signed/unsigned.md");
    let line = stdout_of(
        verdict()
            .arg("sign")
            .arg(&r)
            .arg("--key")
            .arg(fixture("keys/node4.key"))
            .arg("--keyring")
            .arg(fixture("keys/keyring.yaml")),
    );
    assert!(line.contains(" id=node4 "), "{line}");
    verdict()
        .arg("sign")
        .arg(&r)
        .arg("--key")
        .arg(fixture("keys/outsider.key"))
        .arg("--keyring")
        .arg(fixture("keys/keyring.yaml"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("sign::not_in_keyring"));
    verdict()
        .arg("sign")
        .arg(&r)
        .args(["--id", "node5", "--key"])
        .arg(fixture("keys/node4.key"))
        .arg("--keyring")
        .arg(fixture("keys/keyring.yaml"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("sign::id_mismatch"));
}

#[test]
fn bad_keyring_is_a_diagnostic_at_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    let r = copy_fixture(tmp.path(), "reports/signed/unsigned.md");
    let ring = tmp.path().join("ring.yaml");
    let good = std::fs::read_to_string(fixture("keys/keyring.yaml")).unwrap();
    let cases = [
        (
            good.replacen("    revoked", "    revokd", 1).replacen(
                "not_after: 2027-12-31T23:59:59Z\n  - id: node2",
                "not_after: 2027-12-31T23:59:59Z\n    expires: soon\n  - id: node2",
                1,
            ),
            "unknown field `expires`",
            "ring.yaml:7:5",
        ),
        (
            good.replacen("id: node2", "id: node1", 1),
            "signer id `node1` appears twice (first on line 3)",
            "ring.yaml:7:9",
        ),
        (
            good.replacen(
                "not_before: 2026-01-01T00:00:00Z",
                "not_before: 2026-01-01",
                1,
            ),
            "not_before `2026-01-01` is not an RFC 3339 instant",
            "ring.yaml:5:17",
        ),
    ];
    for (yaml, message, location) in cases {
        std::fs::write(&ring, yaml).unwrap();
        let o = verdict()
            .arg("sign")
            .arg(&r)
            .arg("--key")
            .arg(fixture("keys/node1.key"))
            .arg("--keyring")
            .arg(&ring)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8(o.stderr).unwrap();
        assert!(err.contains("keyring::invalid"), "{err}");
        assert!(err.contains(message), "{err}");
        assert!(err.contains(location), "{location} not in: {err}");
    }
    assert!(
        !tmp.path().join("unsigned.md.sig").exists(),
        "nothing signed with a bad keyring"
    );
}

#[test]
fn bad_private_key_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let r = copy_fixture(tmp.path(), "reports/signed/unsigned.md");
    verdict()
        .arg("sign")
        .arg(&r)
        .arg("--key")
        .arg(fixture("keys/node1.pub"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("keys::bad_private_key"));
}

/// docs/digest.md's worked example, value for value.
#[test]
fn worked_example_in_docs() {
    let tmp = tempfile::tempdir().unwrap();
    let ex = tmp.path().join("ex.md");
    let bytes =
        b"\xEF\xBB\xBF# Example\r\n\r\n**Report Hash**: `sha256:TBD`\r\nAll 3 checks passed.";
    assert_eq!(bytes.len(), 67);
    std::fs::write(&ex, bytes).unwrap();
    let d = "sha256:e93454c41f303027e31f6f077f9903b6a776319b389c5bf8e383e41845408dc7\n";
    assert_eq!(stdout_of(verdict().arg("hash").arg(&ex)), d);
    stdout_of(
        verdict()
            .arg("sign")
            .arg(&ex)
            .args(["--embed", "--key"])
            .arg(fixture("keys/node1.key")),
    );
    let mut want = bytes.to_vec();
    want.extend_from_slice(b"\r\n<!-- verdict-signature/v1 scheme=ed25519 id=node1 key=6lDtsZa0VToVNjOFcGgC8urgWoBerDkKvb/ljBJLv78= sig=zeukPg4q4InOYtgp+mEoJv8lKA34HH1rmn0fSquGufiJDBz238OrVfS4tMqz7npqlA1HpX3D7CH81umOTn1sAA== -->\r\n");
    assert_eq!(std::fs::read(&ex).unwrap(), want);
    assert_eq!(stdout_of(verdict().arg("hash").arg(&ex)), d);
}

/// A private key written back from a CI secret (`printf '%s\n' "$SECRET"` of a value that
/// already ends in a newline) has blank lines around the PEM block: still the same key, for
/// `sign` and for `verify --record`.
#[test]
fn keys_with_blank_lines_around_the_pem_load() {
    let tmp = tempfile::tempdir().unwrap();
    verdict()
        .args(["keygen", "--id", "ci", "--out"])
        .arg(tmp.path())
        .assert()
        .code(0);
    let pem = std::fs::read_to_string(tmp.path().join("ci.key")).unwrap();
    let padded = tmp.path().join("padded.pem");
    std::fs::write(&padded, format!("\n{pem}\n\r\n")).unwrap();
    let report = copy_fixture(tmp.path(), "reports/signed/unsigned.md");
    verdict()
        .arg("sign")
        .arg(&report)
        .arg("--key")
        .arg(&padded)
        .args(["--id", "ci"])
        .assert()
        .code(0);
    let sig = std::fs::read_to_string(tmp.path().join("unsigned.md.sig")).unwrap();
    assert!(sig.contains("ci"), "{sig}");
    verdict()
        .arg("verify")
        .arg(&report)
        .args(["--record", "--ledger"])
        .arg(tmp.path().join("l.db"))
        .arg("--signer")
        .arg(&padded)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("entry 0"));
}
