//! The exit-code contract, for every command, through the real binary: 0 pass, 1 fail (a check
//! failed: verify's deny findings, a closed gate, a tampered ledger, an invalid proof), 2 error
//! (bad usage, unreadable input, bad policy, keyring or key), 3 inconclusive (nothing
//! verifiable), and `--fail-on warn` turning a warnings-only pass into 1.
//!
//! One table of cases over one scene built with the binary itself: a verifier key from
//! `verdict keygen`, a ledger filled by `verdict verify --record`, its checkpoint and an
//! inclusion proof, and a tampered copy. The table must cover every command of the CLI.

mod common;

use common::{NOW, root, verdict};
use std::collections::BTreeMap;
use std::path::Path;

/// The scene every case runs in (working directory: the repository root).
struct Scene {
    dir: tempfile::TempDir,
}

impl Scene {
    fn t(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// Runs `verdict ARGS` (with `{T}` replaced by the scene's directory) → (code, stdout, stderr).
    fn run(&self, args: &str) -> (i32, String, String) {
        let t = self.dir.path().display().to_string();
        let argv: Vec<String> = args
            .split_whitespace()
            .map(|a| a.replace("{T}", &t))
            .collect();
        let out = verdict()
            .current_dir(root())
            .env_remove("VERDICT_LEDGER")
            .args(&argv)
            .output()
            .expect("run verdict");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn ok(&self, args: &str, code: i32) -> String {
        let (got, stdout, stderr) = self.run(args);
        assert_eq!(got, code, "verdict {args}\n{stdout}\n{stderr}");
        stdout
    }
}

fn scene() -> Scene {
    let s = Scene {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    // Keys: the verifier that signs ledger entries, and a stranger nobody trusts.
    s.ok("keygen --id verifier --out {T}/keys", 0);
    s.ok("keygen --id stranger --out {T}/keys", 0);
    // The ledger: a recorded pass (clean.md) and a recorded fail (the seed).
    let record = "--record --ledger {T}/ledger.db --signer {T}/keys/verifier.key";
    s.ok(
        &format!(
            "verify fixtures/reports/signed/clean.md --keyring fixtures/keys/keyring.yaml --now {NOW} {record}"
        ),
        0,
    );
    s.ok(
        &format!("verify fixtures/reports/seed.txt --now {NOW} {record}"),
        1,
    );
    let checkpoint = s.ok("ledger checkpoint --ledger {T}/ledger.db", 0);
    std::fs::write(s.t("checkpoint"), checkpoint).expect("write");
    let proof = s.ok("ledger proof 0 --ledger {T}/ledger.db", 0);
    std::fs::write(s.t("proof.json"), proof).expect("write");
    tamper(&s.t("ledger.db"), &s.t("tampered.db"));
    // Garbage where a policy, keyring, key or proof should be.
    std::fs::write(s.t("garbage"), "this is not what you are looking for\n").expect("write");
    std::fs::write(s.t("a-file"), "").expect("write");
    // A copy of the unsigned fixture to sign, and a policy under which revoked-signer.md's only
    // finding (six signers against a claim of five) is a warning.
    std::fs::copy(
        root().join("fixtures/reports/signed/unsigned.md"),
        s.t("to-sign.md"),
    )
    .expect("copy");
    std::fs::write(
        s.t("warn-claims.yaml"),
        format!(
            "policy: warn-claims\nextends: {}\nrules:\n  signatures.claim: warn\n",
            root().join("policies/bft-production.yaml").display()
        ),
    )
    .expect("write");
    s
}

/// A copy of the ledger whose first record says fail instead of pass, as an attacker with
/// write access (who drops the append-only triggers first) would leave it.
fn tamper(src: &str, dst: &str) {
    let c = rusqlite::Connection::open(src).expect("open");
    c.execute("VACUUM INTO ?1", [dst]).expect("copy");
    drop(c);
    let c = rusqlite::Connection::open(dst).expect("open");
    let triggers: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("names");
    assert!(!triggers.is_empty());
    for t in triggers {
        c.execute_batch(&format!("DROP TRIGGER {t}")).expect("drop");
    }
    let changed = c
        .execute(
            "UPDATE entries SET record = CAST(replace(CAST(record AS TEXT), '\"verdict\":\"pass\"', \
             '\"verdict\":\"fail\"') AS BLOB) WHERE seq = 0",
            [],
        )
        .expect("update");
    assert_eq!(changed, 1);
    let record: String = c
        .query_row(
            "SELECT CAST(record AS TEXT) FROM entries WHERE seq = 0",
            [],
            |r| r.get(0),
        )
        .expect("record");
    assert!(record.contains("\"verdict\":\"fail\""), "{record}");
}

/// (command path, arguments, expected exit code, what the case shows).
type Case = (&'static str, String, i32, &'static str);

fn cases() -> Vec<Case> {
    let clean = "fixtures/reports/signed/clean.md";
    let seed = "fixtures/reports/seed.txt";
    let prose = "fixtures/reports/prose.md";
    let keyring = "--keyring fixtures/keys/keyring.yaml";
    let l = "--ledger {T}/ledger.db";
    let trust = "--trust {T}/keys/verifier.pub";
    let c = |cmd: &'static str, args: String, code: i32, why: &'static str| (cmd, args, code, why);
    vec![
        // ---- verify
        c("verify", format!("verify {clean} {keyring} --now {NOW}"), 0, "signed, all checks pass"),
        c("verify", format!("verify {clean} {keyring} --now {NOW} --format sarif"), 0, "format does not change the code"),
        c("verify", format!("verify {seed} --now {NOW}"), 1, "deny findings"),
        c("verify", format!("verify {seed} --now {NOW} --format junit --output json={{T}}/seed.json"), 1, "with --output"),
        c("verify", format!("verify {prose} --now {NOW}"), 3, "nothing verifiable"),
        c("verify", format!("verify {prose} --now {NOW} --fail-on warn"), 3, "inconclusive stays inconclusive"),
        c("verify", format!("verify fixtures/reports/signed/revoked-signer.md {keyring} --policy {{T}}/warn-claims.yaml --now {NOW}"), 0, "warnings only"),
        c("verify", format!("verify fixtures/reports/signed/revoked-signer.md {keyring} --policy {{T}}/warn-claims.yaml --now {NOW} --fail-on warn"), 1, "--fail-on warn"),
        c("verify", format!("verify {clean} --bogus"), 2, "unknown flag"),
        c("verify", "verify".into(), 2, "missing report"),
        c("verify", format!("verify {{T}}/missing.md --now {NOW}"), 2, "unreadable report"),
        c("verify", format!("verify {seed} --now {NOW} --max-bytes 100"), 2, "report over the size bound"),
        c("verify", format!("verify {seed} --now {NOW} --policy fixtures/policies/bad/unknown-key.yaml"), 2, "bad policy"),
        c("verify", format!("verify {seed} --now {NOW} --policy {{T}}/missing.yaml"), 2, "unreadable policy"),
        c("verify", format!("verify {clean} --now {NOW} --keyring {{T}}/garbage"), 2, "bad keyring"),
        c("verify", format!("verify {seed} --now yesterday"), 2, "bad --now"),
        c("verify", format!("verify {seed} --now {NOW} --format xml"), 2, "unknown format"),
        c("verify", format!("verify {seed} --now {NOW} --output sarif"), 2, "--output without FORMAT="),
        c("verify", format!("verify {seed} --now {NOW} --output json={{T}}/a-file/v.json"), 2, "unwritable --output"),
        c("verify", format!("verify {seed} --now {NOW} --record {l}"), 2, "--record without --signer"),
        c("verify", format!("verify {seed} --now {NOW} --record {l} --signer {{T}}/garbage"), 2, "bad signer key"),
        c("verify", format!("verify {seed} --now {NOW} --ledger {{T}}/missing.db"), 2, "missing ledger"),
        // ---- gate
        c("gate", format!("gate {clean} {trust} {l}"), 0, "a trusted recorded pass"),
        c("gate", format!("gate {clean} {trust} {l} --format json"), 0, "json"),
        c("gate", format!("gate {clean} {trust} {l} --format github"), 0, "github"),
        c("gate", format!("gate {clean} {trust} {l} --format sarif"), 0, "sarif"),
        c("gate", format!("gate {clean} {trust} {l} --format junit --output markdown={{T}}/gate.md"), 0, "junit, with --output"),
        c("gate", format!("gate {seed} {trust} {l}"), 1, "the recorded verdict is a fail"),
        c("gate", format!("gate {seed} {trust} {l} --format github"), 1, "closed, github"),
        c("gate", format!("gate {seed} {trust} {l} --format sarif"), 1, "closed, sarif"),
        c("gate", format!("gate {seed} {trust} {l} --format markdown --output json={{T}}/gate.json"), 1, "closed, markdown, with --output"),
        c("gate", format!("gate fixtures/reports/seed-clean-lf.md {trust} {l}"), 1, "never recorded"),
        c("gate", format!("gate {clean} --trust {{T}}/keys/stranger.pub {l}"), 1, "signed by an untrusted verifier"),
        c("gate", format!("gate {clean} {trust} {l} --policy policies/bft-staging.yaml"), 1, "passed under another policy"),
        c("gate", format!("gate {clean} {trust} {l} --bogus"), 2, "unknown flag"),
        c("gate", format!("gate {clean} {l}"), 2, "missing --trust"),
        c("gate", format!("gate {clean} {trust} {l} --format xml"), 2, "unknown format"),
        c("gate", format!("gate {clean} {trust} {l} --output sarif"), 2, "--output without FORMAT="),
        c("gate", format!("gate {clean} {trust} {l} --output json={{T}}/a-file/g.json"), 2, "unwritable --output"),
        c("gate", format!("gate {{T}}/missing.md {trust} {l}"), 2, "unreadable report"),
        c("gate", format!("gate {clean} --trust {{T}}/garbage {l}"), 2, "bad trust key"),
        c("gate", format!("gate {clean} {trust} {l} --policy fixtures/policies/bad/wrong-type.yaml"), 2, "bad policy"),
        c("gate", format!("gate {clean} {trust} --ledger {{T}}/missing.db"), 2, "missing ledger"),
        // ---- parse
        c("parse", format!("parse {seed}"), 0, "outline"),
        c("parse", format!("parse {prose} --format json"), 0, "parse judges nothing"),
        c("parse", format!("parse {seed} --bogus"), 2, "unknown flag"),
        c("parse", "parse {T}/missing.md".into(), 2, "unreadable report"),
        c("parse", format!("parse {seed} --max-bytes 100"), 2, "over the size bound"),
        // ---- hash
        c("hash", format!("hash {seed}"), 0, "digest printed"),
        c("hash", format!("hash {seed} --bogus"), 2, "unknown flag"),
        c("hash", "hash {T}/missing.md".into(), 2, "unreadable report"),
        // ---- keygen
        c("keygen", "keygen --id fresh --out {T}/new/dir".into(), 0, "creates the directory"),
        c("keygen", "keygen --id verifier --out {T}/keys".into(), 2, "refuses to overwrite"),
        c("keygen", "keygen --id ../evil --out {T}/keys".into(), 2, "bad id"),
        c("keygen", "keygen --out {T}/keys".into(), 2, "missing --id"),
        c("keygen", "keygen --id x --out {T}/a-file/keys".into(), 2, "directory cannot be created"),
        // ---- sign
        c("sign", "sign {T}/to-sign.md --key fixtures/keys/node1.key --id node1".into(), 0, "detached signature written"),
        c("sign", "sign {T}/to-sign.md --key {T}/garbage".into(), 2, "bad key"),
        c("sign", "sign {T}/to-sign.md --key {T}/missing.key".into(), 2, "unreadable key"),
        c("sign", "sign {T}/missing.md --key fixtures/keys/node1.key".into(), 2, "unreadable report"),
        c("sign", "sign {T}/to-sign.md".into(), 2, "missing --key"),
        // ---- rules, explain
        c("rules", "rules".into(), 0, "the catalogue"),
        c("rules", "rules --format json".into(), 0, "as JSON"),
        c("rules", "rules --bogus".into(), 2, "unknown flag"),
        c("explain", "explain checks.failed".into(), 0, "a rule"),
        c("explain", "explain no.such-rule".into(), 2, "unknown rule"),
        c("explain", "explain".into(), 2, "missing rule id"),
        // ---- policy check
        c("policy check", "policy check policies/bft-production.yaml".into(), 0, "a good policy"),
        c("policy check", "policy check".into(), 0, "the built-in policy"),
        c("policy check", "policy check fixtures/policies/bad/unknown-key.yaml".into(), 2, "unknown key"),
        c("policy check", "policy check fixtures/policies/bad/yaml-syntax.yaml".into(), 2, "YAML syntax"),
        c("policy check", "policy check {T}/missing.yaml".into(), 2, "unreadable policy"),
        c("policy check", "policy check --builtin nope".into(), 2, "unknown built-in"),
        c("policy", "policy".into(), 2, "missing subcommand"),
        // ---- ledger verify
        c("ledger verify", format!("ledger verify {l}"), 0, "intact"),
        c("ledger verify", format!("ledger verify {l} {trust} --checkpoint {{T}}/checkpoint"), 0, "trusted, consistent with the saved checkpoint"),
        c("ledger verify", "ledger verify --ledger {T}/tampered.db".into(), 1, "a record edited behind the triggers"),
        c("ledger verify", format!("ledger verify {l} --trust {{T}}/keys/stranger.pub"), 1, "signed by an untrusted key"),
        c("ledger verify", format!("ledger verify {l} --bogus"), 2, "unknown flag"),
        c("ledger verify", "ledger verify --ledger {T}/missing.db".into(), 2, "missing ledger"),
        c("ledger verify", "ledger verify --ledger {T}/garbage".into(), 2, "not a ledger"),
        c("ledger verify", format!("ledger verify {l} --trust {{T}}/garbage"), 2, "bad trust key"),
        c("ledger verify", format!("ledger verify {l} --checkpoint {{T}}/missing"), 2, "unreadable checkpoint"),
        // ---- ledger log, show, checkpoint, proof, export
        c("ledger log", format!("ledger log {l}"), 0, "entries"),
        c("ledger log", format!("ledger log {l} --format json --since 2026-01-01T00:00:00Z"), 0, "filtered, JSON"),
        c("ledger log", format!("ledger log {l} --since last-week"), 2, "bad --since"),
        c("ledger log", "ledger log --ledger {T}/missing.db".into(), 2, "missing ledger"),
        c("ledger show", format!("ledger show 1 {l}"), 0, "an entry"),
        c("ledger show", format!("ledger show 99 {l}"), 2, "no such entry"),
        c("ledger show", format!("ledger show first {l}"), 2, "not a number"),
        c("ledger checkpoint", format!("ledger checkpoint {l}"), 0, "the latest checkpoint"),
        c("ledger checkpoint", "ledger checkpoint --ledger {T}/missing.db".into(), 2, "missing ledger"),
        c("ledger proof", format!("ledger proof 1 {l}"), 0, "an inclusion proof"),
        c("ledger proof", format!("ledger proof 99 {l}"), 2, "no such entry"),
        c("ledger verify-proof", format!("ledger verify-proof {{T}}/proof.json --checkpoint {{T}}/checkpoint {trust}"), 0, "valid offline"),
        c("ledger verify-proof", "ledger verify-proof {T}/proof.json --checkpoint {T}/checkpoint --trust {T}/keys/stranger.pub".into(), 1, "checkpoint not signed by the trusted key"),
        c("ledger verify-proof", format!("ledger verify-proof {{T}}/garbage --checkpoint {{T}}/checkpoint {trust}"), 2, "not a proof"),
        c("ledger verify-proof", format!("ledger verify-proof {{T}}/missing.json --checkpoint {{T}}/checkpoint {trust}"), 2, "unreadable proof"),
        c("ledger verify-proof", "ledger verify-proof {T}/proof.json --checkpoint {T}/checkpoint".into(), 2, "missing --trust"),
        c("ledger export", format!("ledger export {l}"), 0, "every entry"),
        c("ledger export", "ledger export --ledger {T}/missing.db".into(), 2, "missing ledger"),
        c("ledger", "ledger".into(), 2, "missing subcommand"),
        // ---- completions, man
        c("completions", "completions bash".into(), 0, "a script"),
        c("completions", "completions tcsh".into(), 2, "unknown shell"),
        c("man", "man".into(), 0, "the page"),
        c("man", "man --out {T}/man1".into(), 0, "all pages"),
        c("man", "man --out {T}/a-file/man1".into(), 2, "unwritable directory"),
        // ---- the program itself
        c("", "".into(), 2, "no command"),
        c("", "nonsense".into(), 2, "unknown command"),
        c("", "--version".into(), 0, "version"),
        c("", "--help".into(), 0, "help"),
    ]
}

#[test]
fn every_command_keeps_the_exit_code_contract() {
    let s = scene();
    let mut wrong = Vec::new();
    for (cmd, args, code, why) in cases() {
        let (got, stdout, stderr) = s.run(&args);
        if got != code {
            wrong.push(format!(
                "verdict {args}  [{cmd}: {why}]: exit {got}, expected {code}\n  stdout: {}\n  stderr: {}",
                stdout.lines().next().unwrap_or(""),
                stderr.trim().lines().take(3).collect::<Vec<_>>().join(" / ")
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every leaf command of the CLI (`ledger verify`, `policy check`, `verify`, …).
fn leaf_commands() -> Vec<String> {
    use clap::CommandFactory;
    fn walk(prefix: &str, cmd: &clap::Command, out: &mut Vec<String>) {
        for sub in cmd.get_subcommands() {
            let name = format!("{prefix}{}", sub.get_name());
            if sub.get_subcommands().next().is_none() {
                out.push(name);
            } else {
                walk(&format!("{name} "), sub, out);
            }
        }
    }
    let mut out = Vec::new();
    walk("", &verdict::cli::Cli::command(), &mut out);
    out.sort();
    out
}

#[test]
fn the_table_covers_every_command_with_success_and_error() {
    let mut codes: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
    for (cmd, _, code, _) in cases() {
        codes.entry(cmd).or_default().push(code);
    }
    let leaves = leaf_commands();
    assert!(leaves.len() >= 18, "{leaves:?}");
    for leaf in &leaves {
        let got = codes.get(leaf.as_str()).cloned().unwrap_or_default();
        assert!(got.contains(&0), "{leaf}: no exit-0 case");
        assert!(got.contains(&2), "{leaf}: no exit-2 case");
    }
    // The commands that judge something can also say no.
    for judging in ["verify", "gate", "ledger verify", "ledger verify-proof"] {
        assert!(codes[judging].contains(&1), "{judging}: no exit-1 case");
    }
    assert!(codes["verify"].contains(&3));
    // Only verify is ever inconclusive; nothing else uses 3.
    for (cmd, c) in &codes {
        assert!(c.iter().all(|c| [0, 1, 2, 3].contains(c)));
        if *cmd != "verify" {
            assert!(!c.contains(&3), "{cmd}");
        }
    }
}

/// Exit 3 is the verdict `inconclusive`, not a crash: the document says so, and the finding
/// that explains it is there.
#[test]
fn a_report_with_nothing_verifiable_is_inconclusive() {
    let s = Scene {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    let out = s.ok(
        &format!("verify fixtures/reports/prose.md --now {NOW} --format json"),
        3,
    );
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(doc["verdict"], "inconclusive");
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        rules,
        [
            "report.empty",
            "hash.missing",
            "signatures.missing",
            "freshness.stale"
        ]
    );
    // Recorded as inconclusive too, and the gate stays closed for it.
    s.ok("keygen --id v --out {T}", 0);
    s.ok(
        &format!(
            "verify fixtures/reports/prose.md --now {NOW} --record --ledger {{T}}/l.db --signer {{T}}/v.key"
        ),
        3,
    );
    let entry = s.ok("ledger show 0 --ledger {T}/l.db", 0);
    let entry: serde_json::Value = serde_json::from_str(&entry).expect("json");
    assert_eq!(entry["record"]["verdict"], "inconclusive");
    s.ok(
        "gate fixtures/reports/prose.md --trust {T}/v.pub --ledger {T}/l.db",
        1,
    );
    assert!(Path::new(&s.t("l.db")).exists());
}
