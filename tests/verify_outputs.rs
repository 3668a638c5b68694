//! The CI renderings of the REAL `verdict verify` (not hand-built verdicts): SARIF, JUnit,
//! GitHub workflow commands and Markdown for the seed and for the signed passing fixture,
//! pinned by snapshots; the seed's SARIF validated against the official schema and its JUnit
//! counted; `--output FORMAT=FILE` and `GITHUB_STEP_SUMMARY` through the binary.
//!
//! Every run has the repository root as its working directory and relative paths, so the
//! paths inside the outputs (and the snapshots) do not depend on where the checkout lives.

mod common;
#[path = "support/junit.rs"]
mod junit;
#[path = "support/sarif.rs"]
mod sarif;
use common::{NOW, quiet_output, root, verdict};
use junit::parse_junit;
use sarif::{sarif_errors, sarif_validator};

const SEED: &str = "fixtures/reports/seed.txt";
const CLEAN: &str = "fixtures/reports/signed/clean.md";
const KEYRING: &str = "fixtures/keys/keyring.yaml";

/// `verdict verify REPORT --now NOW EXTRA…` from the repository root → (exit code, stdout).
fn run(report: &str, extra: &[&str]) -> (i32, String) {
    quiet_output(
        verdict()
            .current_dir(root())
            .args(["verify", report, "--now", NOW])
            .args(extra),
    )
}

fn seed(format: &str) -> String {
    let (code, out) = run(SEED, &["--format", format]);
    assert_eq!(code, 1, "the seed fails");
    out
}

fn clean(format: &str) -> String {
    let (code, out) = run(CLEAN, &["--keyring", KEYRING, "--format", format]);
    assert_eq!(code, 0, "the signed fixture passes: {out}");
    out
}

// ---------- snapshots ----------

#[test]
fn sarif_snapshots() {
    insta::assert_snapshot!("seed_sarif", seed("sarif"));
    insta::assert_snapshot!("clean_sarif", clean("sarif"));
}

#[test]
fn junit_snapshots() {
    insta::assert_snapshot!("seed_junit", seed("junit"));
    insta::assert_snapshot!("clean_junit", clean("junit"));
}

#[test]
fn github_snapshots() {
    insta::assert_snapshot!("seed_github", seed("github"));
    insta::assert_snapshot!("clean_github", clean("github"));
}

#[test]
fn markdown_snapshots() {
    insta::assert_snapshot!("seed_markdown", seed("markdown"));
    insta::assert_snapshot!("clean_markdown", clean("markdown"));
}

// ---------- SARIF ----------

#[test]
fn seed_sarif_validates_against_the_official_schema() {
    let schema = sarif_validator();
    for text in [seed("sarif"), clean("sarif")] {
        let errors = sarif_errors(&schema, &text);
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn seed_sarif_carries_every_finding_with_its_line() {
    let doc: serde_json::Value = serde_json::from_str(&seed("sarif")).expect("json");
    let results = doc["runs"][0]["results"].as_array().expect("results");
    let got: Vec<(&str, &str, u64)> = results
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            assert_eq!(loc["artifactLocation"]["uri"], SEED);
            (
                r["ruleId"].as_str().expect("ruleId"),
                r["level"].as_str().expect("level"),
                loc["region"]["startLine"].as_u64().expect("startLine"),
            )
        })
        .collect();
    let mut got = got;
    got.sort();
    let mut expected = vec![
        ("checks.failed", "error", 60),
        ("consistency.node-count", "error", 74),
        ("deployment.recommendation", "warning", 160),
        ("freshness.stale", "error", 5),
        ("hash.implausible", "warning", 198),
        ("hash.mismatch", "error", 198),
        ("report.encoding", "warning", 14),
        ("signatures.algorithm", "warning", 97),
        ("signatures.claim", "error", 199),
        ("signatures.missing", "error", 199),
    ];
    expected.sort();
    assert_eq!(got, expected);

    // The same findings as the verdict/v1 document, line for line.
    let (_, json) = run(SEED, &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    let mut from_json: Vec<(String, u64)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("rule").to_string(),
                f["line"].as_u64().expect("line"),
            )
        })
        .collect();
    from_json.sort();
    let from_sarif: Vec<(String, u64)> = got.iter().map(|g| (g.0.to_string(), g.2)).collect();
    assert_eq!(from_sarif, from_json);
    assert!(
        results
            .iter()
            .all(|r| r["partialFingerprints"]["reportDigest/v1"] == json["report"]["digest"])
    );
}

// ---------- JUnit ----------

#[test]
fn seed_junit_parses_with_the_expected_counts() {
    // 17 checks of the report + 32 rules the default policy evaluates; the one failed check
    // and the six rules with deny findings fail, warnings do not.
    let j = parse_junit(&seed("junit"));
    assert_eq!(
        (j.testcases, j.failures, j.skipped, j.failed_names),
        (
            49,
            7,
            0,
            // The failed check first, then the rules in catalogue order.
            [
                "Resource Bounds Enforcement",
                "consistency.node-count",
                "checks.failed",
                "hash.mismatch",
                "signatures.missing",
                "signatures.claim",
                "freshness.stale",
            ]
            .map(String::from)
            .to_vec(),
        )
    );
    let c = parse_junit(&clean("junit"));
    assert_eq!((c.testcases, c.failures, c.skipped), (49, 0, 0));
}

// ---------- --output and the step summary ----------

#[test]
fn output_files_are_written_while_human_goes_to_stdout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sarif = dir.path().join("v.sarif");
    let junit = dir.path().join("out/v.xml");
    std::fs::create_dir(dir.path().join("out")).expect("mkdir");
    let (code, stdout) = run(
        SEED,
        &[
            "--output",
            &format!("sarif={}", sarif.display()),
            "--output",
            &format!("junit={}", junit.display()),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(stdout, seed("human"), "stdout is the human rendering");
    assert!(stdout.ends_with("verdict: FAIL — 6 deny, 4 warn (17 checks, 16 passed)\n"));
    assert_eq!(
        std::fs::read_to_string(&sarif).expect("sarif"),
        seed("sarif")
    );
    assert_eq!(
        std::fs::read_to_string(&junit).expect("junit"),
        seed("junit")
    );

    // An output file that cannot be written is an error (exit 2), not a verdict.
    let (code, _) = {
        let out = verdict()
            .current_dir(root())
            .args(["verify", SEED, "--now", NOW, "--output"])
            .arg(format!(
                "json={}",
                dir.path().join("missing/v.json").display()
            ))
            .output()
            .expect("run");
        (out.status.code(), out.stdout)
    };
    assert_eq!(code, Some(2));
}

#[test]
fn github_format_appends_the_markdown_summary_to_the_step_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = dir.path().join("step_summary.md");
    std::fs::write(&summary, "## earlier step\n").expect("write");
    let github = |report: &str, extra: &[&str]| {
        let out = verdict()
            .current_dir(root())
            .env("GITHUB_STEP_SUMMARY", &summary)
            .args(["verify", report, "--now", NOW, "--format", "github"])
            .args(extra)
            .output()
            .expect("run");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let stdout = github(SEED, &[]);
    assert_eq!(stdout, seed("github"), "annotations unchanged on stdout");
    assert!(!stdout.contains("| Severity |"));
    let seed_md = seed("markdown");
    assert_eq!(
        std::fs::read_to_string(&summary).expect("read"),
        format!("## earlier step\n{seed_md}")
    );
    github(CLEAN, &["--keyring", KEYRING]);
    assert_eq!(
        std::fs::read_to_string(&summary).expect("read"),
        format!("## earlier step\n{seed_md}{}", clean("markdown"))
    );
    // Other formats leave it alone.
    let out = verdict()
        .current_dir(root())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["verify", SEED, "--now", NOW, "--format", "sarif"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&summary).expect("read"),
        format!("## earlier step\n{seed_md}{}", clean("markdown"))
    );
}
