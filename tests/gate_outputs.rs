//! The renderings of the REAL `verdict gate`: the gate's decision is a `verdict/v1` document,
//! rendered by the same code as `verify`'s. Snapshots pin every format for an open gate (the
//! signed passing fixture, recorded as a pass) and a closed one (the seed, recorded as a fail);
//! the JSON validates against docs/verdict.schema.json, the SARIF against the official schema,
//! the JUnit is counted, the GitHub lines are exact, and `--output` and the step summary work
//! through the binary.
//!
//! The ledger is signed with the fixture verifier key and every run has the repository root as
//! its working directory with relative report paths, so nothing in the outputs (verifier key,
//! digests, paths) depends on the run; only the ledger's own location is temporary, and no
//! rendering shows it.

mod common;
#[path = "support/junit.rs"]
mod junit;
#[path = "support/sarif.rs"]
mod sarif;
use common::{NOW, findings, quiet_output, root, verdict};
use junit::parse_junit;
use sarif::{sarif_errors, sarif_validator};

const SEED: &str = "fixtures/reports/seed.txt";
const CLEAN: &str = "fixtures/reports/signed/clean.md";
const EDITED: &str = "fixtures/reports/signed/edited-after-signing.md";
const TRUST: &str = "fixtures/keys/verifier.pub";
const STRANGER: &str = "fixtures/keys/outsider.pub";
/// `ed25519:<base64>` of fixtures/keys/verifier.pub, as the ledger names the verifier.
const VERIFIER: &str = "ed25519:XUWk7NZ+2xHQogw+kNF9WcvlB2lC26ssBihBfHyb2Hs=";

/// A ledger holding a pass for CLEAN (entry 0) and a fail for SEED (entry 1), both under the
/// built-in production policy, signed by the fixture verifier key.
struct Scene {
    dir: tempfile::TempDir,
}

impl Scene {
    fn new() -> Scene {
        let s = Scene {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        for (report, extra, code) in [
            (CLEAN, &["--keyring", "fixtures/keys/keyring.yaml"][..], 0),
            (SEED, &[][..], 1),
        ] {
            let out = verdict()
                .current_dir(root())
                .args(["verify", report, "--now", NOW, "--record", "--ledger"])
                .arg(s.ledger())
                .args(["--signer", "fixtures/keys/verifier.key"])
                .args(extra)
                .output()
                .expect("run verdict");
            assert_eq!(out.status.code(), Some(code), "recording {report}");
        }
        s
    }

    fn ledger(&self) -> std::path::PathBuf {
        self.dir.path().join("verdicts.db")
    }

    /// `verdict gate REPORT --ledger L EXTRA…` from the repository root → (exit code, stdout).
    fn gate(&self, report: &str, extra: &[&str]) -> (i32, String) {
        quiet_output(
            verdict()
                .current_dir(root())
                .args(["gate", report, "--ledger"])
                .arg(self.ledger())
                .args(extra),
        )
    }

    fn open(&self, format: &str) -> String {
        let (code, out) = self.gate(CLEAN, &["--trust", TRUST, "--format", format]);
        assert_eq!(code, 0, "a recorded pass opens the gate: {out}");
        out
    }

    fn closed(&self, format: &str) -> String {
        let (code, out) = self.gate(SEED, &["--trust", TRUST, "--format", format]);
        assert_eq!(code, 1, "a recorded fail keeps it closed: {out}");
        out
    }
}

// ---------- snapshots ----------

#[test]
fn snapshots_of_every_format() {
    let s = Scene::new();
    for format in ["human", "sarif", "junit", "github", "markdown"] {
        insta::assert_snapshot!(format!("open_{format}"), s.open(format));
        insta::assert_snapshot!(format!("closed_{format}"), s.closed(format));
    }
}

// ---------- JSON ----------

/// (report, extra arguments, exit code, the one finding's rule, its severity).
type Case<'a> = (&'a str, &'a [&'a str], i32, &'a str, &'a str);

/// Every way the gate decides, as the document says it, valid to the published schema.
#[test]
fn json_names_the_deciding_rule_and_validates_against_the_schema() {
    let s = Scene::new();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/verdict.schema.json")).expect("schema"),
    )
    .expect("json");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let cases: [Case; 5] = [
        (CLEAN, &["--trust", TRUST], 0, "gate.open", "info"),
        (SEED, &["--trust", TRUST], 1, "gate.not-pass", "deny"),
        (EDITED, &["--trust", TRUST], 1, "gate.unrecorded", "deny"),
        (CLEAN, &["--trust", STRANGER], 1, "gate.untrusted", "deny"),
        (
            CLEAN,
            &["--trust", TRUST, "--policy", "policies/bft-staging.yaml"],
            1,
            "gate.unrecorded",
            "deny",
        ),
    ];
    for (report, extra, code, rule, severity) in cases {
        let mut args = extra.to_vec();
        args.extend(["--format", "json"]);
        let (got, out) = s.gate(report, &args);
        assert_eq!(got, code, "{rule}");
        let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{rule}: {errors:#?}");
        assert_eq!(findings(&doc), [(rule.into(), severity.into(), None)]);
        assert_eq!(doc["report"]["path"], report);
        assert_eq!(doc["checks"], serde_json::json!([]));
    }
    // The open gate names the entry, its verifier and the checkpoint, as evidence too.
    let doc: serde_json::Value = serde_json::from_str(&s.open("json")).expect("json");
    assert_eq!(doc["verdict"], "pass");
    assert_eq!(
        doc["findings"][0]["evidence"],
        serde_json::json!({"seq": 0, "verifier": VERIFIER, "checkpoint_size": 2})
    );
    assert_eq!(doc["summary"]["rules_evaluated"], 6);
    // Report digest and policy as `verify` gives them for the same report.
    let (_, verified) = common::verify_json(
        &root().join(CLEAN).display().to_string(),
        &[
            "--keyring",
            &root()
                .join("fixtures/keys/keyring.yaml")
                .display()
                .to_string(),
        ],
    );
    assert_eq!(doc["report"]["digest"], verified["report"]["digest"]);
    assert_eq!(doc["policy"], verified["policy"]);
}

// ---------- SARIF ----------

#[test]
fn sarif_validates_against_the_official_schema_and_carries_the_gate_rule() {
    let s = Scene::new();
    let schema = sarif_validator();
    let (_, untrusted) = s.gate(CLEAN, &["--trust", STRANGER, "--format", "sarif"]);
    for text in [s.open("sarif"), s.closed("sarif"), untrusted.clone()] {
        let errors = sarif_errors(&schema, &text);
        assert!(errors.is_empty(), "{errors:#?}");
    }
    let doc: serde_json::Value = serde_json::from_str(&untrusted).expect("json");
    let run = &doc["runs"][0];
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r["ruleId"], "gate.untrusted");
    assert_eq!(r["level"], "error");
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], CLEAN);
    // A finding about the whole report sits on its first line, without a column.
    assert_eq!(loc["region"], serde_json::json!({"startLine": 1}));
    let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
    let descriptor = &run["tool"]["driver"]["rules"][index];
    assert_eq!(descriptor["id"], "gate.untrusted");
    assert_eq!(
        descriptor["shortDescription"]["text"],
        "the recorded pass is signed by no trusted verifier key"
    );
    assert_eq!(descriptor["defaultConfiguration"]["level"], "error");
    assert_eq!(run["properties"]["verdict"], "fail");
    let digest = r["partialFingerprints"]["reportDigest/v1"]
        .as_str()
        .expect("digest");
    assert!(digest.starts_with("sha256:"), "{digest}");
}

// ---------- JUnit ----------

#[test]
fn junit_parses_with_the_expected_counts() {
    let s = Scene::new();
    // Open: the five conditions held and the notice; nothing fails.
    let j = parse_junit(&s.open("junit"));
    assert_eq!((j.testcases, j.failures, j.skipped), (6, 0, 0));
    // Closed: the gate stops at the condition that failed; that one testcase fails.
    let j = parse_junit(&s.closed("junit"));
    assert_eq!(
        (j.testcases, j.failures, j.skipped, j.failed_names),
        (1, 1, 0, vec!["gate.not-pass".to_string()])
    );
    assert!(
        j.suite_attrs
            .contains(&("name".to_string(), SEED.to_string())),
        "{:?}",
        j.suite_attrs
    );
}

// ---------- GitHub and Markdown ----------

#[test]
fn github_lines_are_exact() {
    let s = Scene::new();
    assert_eq!(
        s.open("github"),
        format!(
            "::notice file={CLEAN},title=gate.open::ledger entry 0 is a pass signed by \
             {VERIFIER}, included in checkpoint 2%0Ahelp: Nothing; keep the entry number with \
             the deployment record.\n\
             verdict: PASS — 0 deny, 0 warn, 1 info (0 checks, 0 passed)\n"
        )
    );
    assert_eq!(
        s.closed("github"),
        format!(
            "::error file={SEED},title=gate.not-pass::the latest verdict for this report and \
             policy (entry 1) is fail, not pass%0Ahelp: Fix the report's findings (`verdict \
             ledger show SEQ` lists them), produce a new report and verify it again.\n\
             verdict: FAIL — 1 deny, 0 warn (0 checks, 0 passed)\n"
        )
    );
}

#[test]
fn markdown_summarises_the_decision() {
    let s = Scene::new();
    let md = s.closed("markdown");
    assert!(
        md.starts_with("## ❌ verdict: FAIL — 1 deny, 0 warn (0 checks, 0 passed)\n"),
        "{md}"
    );
    assert!(
        md.contains(
            "| deny | `gate.not-pass` | — | the latest verdict for this report and policy \
             (entry 1) is fail, not pass |\n"
        ),
        "{md}"
    );
    assert!(
        md.ends_with("— 0 checks: 0 passed, 0 failed; 1 rules evaluated.\n"),
        "{md}"
    );
    let md = s.open("markdown");
    assert!(md.starts_with("## ✅ verdict: PASS"), "{md}");
    assert!(md.contains("| info | `gate.open` | — | ledger entry 0 is a pass"));
}

// ---------- --output and the step summary ----------

#[test]
fn output_files_are_written_while_human_goes_to_stdout() {
    let s = Scene::new();
    let sarif = s.dir.path().join("gate.sarif");
    let junit = s.dir.path().join("gate.xml");
    let (code, stdout) = s.gate(
        SEED,
        &[
            "--trust",
            TRUST,
            "--output",
            &format!("sarif={}", sarif.display()),
            "--output",
            &format!("junit={}", junit.display()),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(stdout, s.closed("human"), "stdout is the human rendering");
    assert!(stdout.ends_with("verdict: FAIL — 1 deny, 0 warn (0 checks, 0 passed)\n"));
    assert_eq!(
        std::fs::read_to_string(&sarif).expect("sarif"),
        s.closed("sarif")
    );
    assert_eq!(
        std::fs::read_to_string(&junit).expect("junit"),
        s.closed("junit")
    );
    // An output file that cannot be written is an error (exit 2), not a decision.
    let out = verdict()
        .current_dir(root())
        .args(["gate", CLEAN, "--trust", TRUST, "--ledger"])
        .arg(s.ledger())
        .arg("--output")
        .arg(format!(
            "json={}",
            s.dir.path().join("missing/g.json").display()
        ))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn github_format_appends_the_markdown_summary_to_the_step_summary() {
    let s = Scene::new();
    let summary = s.dir.path().join("step_summary.md");
    std::fs::write(&summary, "## verify\n").expect("write");
    let out = verdict()
        .current_dir(root())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args([
            "gate", SEED, "--trust", TRUST, "--format", "github", "--ledger",
        ])
        .arg(s.ledger())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).expect("utf-8"),
        s.closed("github")
    );
    assert_eq!(
        std::fs::read_to_string(&summary).expect("read"),
        format!("## verify\n{}", s.closed("markdown"))
    );
}
