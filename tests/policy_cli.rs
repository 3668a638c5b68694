//! The real binary: `verdict policy check`, `verdict rules`, `verdict explain`, and the
//! diagnostics a bad policy produces (exit 2, the policy's line named, text pinned).

use assert_cmd::Command;
use std::time::{Duration, Instant};
use verdict::rules::CATALOGUE;

fn verdict() -> Command {
    let mut cmd = match Command::cargo_bin("verdict") {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = match verdict().args(args).output() {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const BAD: &[(&str, &str, &str)] = &[
    ("unknown-key", "policy::unknown_key", ":4:3]"),
    ("wrong-type", "policy::wrong_type", ":3:13]"),
    ("bad-expression", "policy::bad_expression", ":3:17]"),
    ("yaml-syntax", "policy::syntax", ":4:1]"),
    ("extends-self", "policy::extends_cycle", ":2:10]"),
    ("unknown-rule", "policy::unknown_rule", ":4:3]"),
    ("bad-duration", "policy::bad_duration", ":2:25]"),
    ("bad-quantity", "policy::bad_quantity", ":5:12]"),
];

#[test]
fn bad_policies_exit_2_naming_the_line() {
    for (name, code, at) in BAD {
        let path = format!("fixtures/policies/bad/{name}.yaml");
        let r = run(&["policy", "check", &path]);
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{name}");
        assert!(r.stderr.contains(code), "{name}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("[{path}{at}")),
            "{name}: {}",
            r.stderr
        );
    }
}

#[test]
fn bad_policy_diagnostics_are_pinned() {
    let mut all = String::new();
    for (name, _, _) in BAD {
        let path = format!("fixtures/policies/bad/{name}.yaml");
        let r = run(&["policy", "check", &path]);
        all.push_str(&format!("===== {name} (exit {})\n{}", r.code, r.stderr));
    }
    insta::assert_snapshot!("bad_policy_diagnostics", all);
}

#[test]
fn policy_check_prints_the_resolved_policy_and_digest() {
    let r = run(&["policy", "check", "policies/bft-staging.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lib = match verdict::policy::load(
        std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/policies/bft-staging.yaml"
        )),
        &verdict::limits::Limits::default(),
    ) {
        Ok(p) => p,
        Err(e) => panic!("{e:?}"),
    };
    let head: Vec<&str> = r.stdout.lines().take(5).collect();
    assert_eq!(
        head,
        [
            "# resolved policy: bft-staging",
            &format!("# digest: {}", lib.digest),
            "# from: policies/bft-staging.yaml <- policies/bft-production.yaml",
            "policy: bft-staging",
            "description: Staging gate; production rules with warnings where incompleteness is expected.",
        ]
    );
    assert!(r.stdout.contains("\n  threshold: f+1\n"), "{}", r.stdout);
    assert!(
        r.stdout.contains("\n  freshness.stale: warn\n"),
        "{}",
        r.stdout
    );

    let r = run(&[
        "policy",
        "check",
        "--format",
        "json",
        "policies/bft-staging.yaml",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = match serde_json::from_str(&r.stdout) {
        Ok(v) => v,
        Err(e) => panic!("{e}: {}", r.stdout),
    };
    assert_eq!(doc["digest"], lib.digest.as_str());
    assert_eq!(doc["policy"], "bft-staging");
    assert_eq!(doc["resolved"]["signatures"]["threshold"], "f+1");
    assert_eq!(doc["resolved"]["freshness"]["max_age"], "90d");
    assert_eq!(doc["resolved"]["rules"]["checks.failed"], "deny");
    assert_eq!(
        doc["sources"],
        serde_json::json!(["policies/bft-staging.yaml", "policies/bft-production.yaml"])
    );
}

#[test]
fn policy_check_without_a_file_checks_the_builtin_default() {
    let r = run(&["policy", "check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("# resolved policy: bft-production\n"));
    assert!(r.stdout.contains("# from: builtin:bft-production\n"));
    let r = run(&["policy", "check", "--builtin", "bft-staging"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("# from: builtin:bft-staging <- builtin:bft-production\n")
    );
    let r = run(&["policy", "check", "--builtin", "bft-prod"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no built-in policy named `bft-prod`"));
}

#[test]
fn hostile_policies_exit_2_fast() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let mut laughs = String::from("policy: lol\n");
    laughs.push_str(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        laughs.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], refs));
    }
    let cases = [
        ("laughs.yaml", laughs),
        (
            "deep.yaml",
            format!(
                "policy: d\nchecks: {{required_sections: {}}}\n",
                "[".repeat(10_000)
            ),
        ),
        (
            "huge.yaml",
            format!("policy: h\ndescription: {}\n", "x".repeat(300 * 1024)),
        ),
        ("binary.yaml", "policy: \u{0}\u{1}\u{2}\n".to_string()),
    ];
    for (name, body) in cases {
        let path = dir.path().join(name);
        if let Err(e) = std::fs::write(&path, body) {
            panic!("{e}");
        }
        let start = Instant::now();
        let out = match verdict().args(["policy", "check"]).arg(&path).output() {
            Ok(o) => o,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{name}: {:?}",
            start.elapsed()
        );
    }
    let mut bytes = b"policy: x\ndescription: ".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, b'\n']);
    let path = dir.path().join("latin.yaml");
    if let Err(e) = std::fs::write(&path, bytes) {
        panic!("{e}");
    }
    let out = match verdict().args(["policy", "check"]).arg(&path).output() {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("policy::encoding"));
}

#[test]
fn rules_lists_the_catalogue() {
    let r = run(&["rules"]);
    assert_eq!(r.code, 0);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), CATALOGUE.len() + 1);
    let width = CATALOGUE.iter().map(|r| r.id.len()).max().unwrap_or(0);
    assert_eq!(width, "consistency.section-status".len());
    assert_eq!(lines[0], format!("{:width$}  DEFAULT  SUMMARY", "RULE"));
    assert_eq!(
        lines[1],
        format!(
            "{:width$}  warn     mojibake was found and repaired",
            "report.encoding"
        )
    );
    for (line, rule) in lines[1..].iter().zip(CATALOGUE) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cols[0], rule.id);
        assert_eq!(cols[1], rule.default.as_str());
    }

    let r = run(&["rules", "--format", "json"]);
    assert_eq!(r.code, 0);
    let doc: serde_json::Value = match serde_json::from_str(&r.stdout) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    };
    let ids: Vec<&str> = doc
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["id"].as_str()).collect())
        .unwrap_or_default();
    let expected: Vec<&str> = CATALOGUE.iter().map(|r| r.id).collect();
    assert_eq!(ids, expected);
    assert_eq!(doc[9]["id"], "checks.failed");
    assert_eq!(doc[9]["default"], "deny");
    assert_eq!(
        (&doc[9]["stage"], &doc[9]["configurable"]),
        (&"verify".into(), &true.into())
    );
    let gate: Vec<(&str, &str)> = doc
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|r| r["stage"] == "gate" && r["configurable"] == false)
                .filter_map(|r| Some((r["id"].as_str()?, r["default"].as_str()?)))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        gate,
        [
            ("gate.unrecorded", "deny"),
            ("gate.not-pass", "deny"),
            ("gate.untrusted", "deny"),
            ("gate.corrupt", "deny"),
            ("gate.unanchored", "deny"),
            ("gate.open", "info"),
        ]
    );
}

#[test]
fn explain_one_rule_and_suggest_on_typos() {
    let r = run(&["explain", "checks.failed"]);
    assert_eq!(r.code, 0);
    let rule = match verdict::rules::find("checks.failed") {
        Some(r) => r,
        None => panic!("catalogue"),
    };
    assert_eq!(
        r.stdout,
        format!(
            "checks.failed (default: deny)\n  a check has a failing status\n\n{}\n\nhelp: {}\n",
            rule.explanation, rule.help
        )
    );
    let r = run(&["explain", "gate.untrusted"]);
    assert_eq!(r.code, 0);
    let rule = match verdict::rules::find("gate.untrusted") {
        Some(r) => r,
        None => panic!("catalogue"),
    };
    assert_eq!(
        r.stdout,
        format!(
            "gate.untrusted (default: deny; decided by `verdict gate`, not configurable)\n  \
             the recorded pass is signed by no trusted verifier key\n\n{}\n\nhelp: {}\n",
            rule.explanation, rule.help
        )
    );
    let r = run(&["explain", "--format", "json", "hash.implausible"]);
    assert_eq!(r.code, 0);
    let doc: serde_json::Value = match serde_json::from_str(&r.stdout) {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(doc["id"], "hash.implausible");
    assert_eq!(doc["default"], "warn");

    let r = run(&["explain", "checks.faild"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.contains("unknown rule `checks.faild`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `checks.failed`?"),
        "{}",
        r.stderr
    );
    let r = run(&["explain", "zzz"]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("did you mean"), "{}", r.stderr);
}
