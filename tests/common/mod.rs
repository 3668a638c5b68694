//! Helpers shared by the integration tests: run the real binary, read its JSON verdict.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The fixed clock every verdict test uses (DESIGN.md's reference instant).
pub const NOW: &str = "2026-11-25T00:00:00Z";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> String {
    root().join("fixtures").join(rel).display().to_string()
}

pub fn verdict() -> Command {
    let mut c = Command::cargo_bin("verdict").expect("binary built by cargo");
    c.env("NO_COLOR", "1").env_remove("GITHUB_STEP_SUMMARY");
    c
}

/// Runs `cmd` → (exit code, stdout), for commands that must write nothing to stderr.
pub fn quiet_output(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().expect("run verdict");
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8"),
    )
}

/// `verdict verify REPORT --now NOW --format json EXTRA…` → (exit code, document).
pub fn verify_json(report: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let out = verdict()
        .args(["verify", report, "--now", NOW, "--format", "json"])
        .args(extra)
        .output()
        .expect("run verdict");
    let code = out.status.code().expect("exit code");
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); exit {code}; stderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, doc)
}

/// (rule, severity, line) of every finding, in document order.
pub fn findings(doc: &serde_json::Value) -> Vec<(String, String, Option<u64>)> {
    doc["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64(),
            )
        })
        .collect()
}

/// The sorted, de-duplicated rule ids that fired.
pub fn rules_fired(doc: &serde_json::Value) -> Vec<String> {
    let mut r: Vec<String> = findings(doc).into_iter().map(|f| f.0).collect();
    r.sort();
    r.dedup();
    r
}

/// Writes `dir/NAME.yaml`, a policy named NAME that extends the shipped production policy with
/// `body` (YAML sections), and returns its path.
pub fn policy_extending_production(dir: &Path, name: &str, body: &str) -> String {
    let path = dir.join(format!("{name}.yaml"));
    let production = root().join("policies/bft-production.yaml");
    std::fs::write(
        &path,
        format!("policy: {name}\nextends: {}\n{body}", production.display()),
    )
    .expect("write policy");
    path.display().to_string()
}

/// `../shared/corpus` beside the repository, when present.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("VERDICT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"));
    dir.is_dir().then_some(dir)
}

pub fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walk(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read corpus dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
