//! The renderings of a verdict, on a hand-built seed-like verdict and a passing one.

mod support;

use std::path::PathBuf;
use support::junit::parse_junit;
use support::verdicts::{self, PASS_PATH, SEED_PATH, seed_like, seed_source};
use verdict::output::{
    self, Format, OutputSpecError, RenderContext, escape_data, escape_property, parse_output_spec,
};
use verdict::verdict::Verdict;

fn render(format: Format, verdict: &Verdict, ctx: &RenderContext) -> String {
    let mut out = Vec::new();
    output::render(format, verdict, ctx, &mut out).expect("render");
    String::from_utf8(out).expect("utf-8")
}

fn seed_ctx() -> RenderContext<'static> {
    RenderContext::new(SEED_PATH).with_source(seed_source())
}

fn load_json(path: &str) -> serde_json::Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    serde_json::from_str(&std::fs::read_to_string(&p).expect("read")).expect("json")
}

// ---------- human ----------

#[test]
fn human_plain_seed_snapshot() {
    let text = render(Format::Human, &seed_like(), &seed_ctx());
    assert!(!text.contains('\x1b'), "plain output carries ANSI escapes");
    insta::assert_snapshot!("human_seed", text);
}

#[test]
fn human_groups_deny_then_warn_and_ends_with_summary() {
    let text = render(Format::Human, &seed_like(), &seed_ctx());
    let deny = text.find("deny (6)\n\n").expect("deny heading");
    let warn = text.find("warn (4)\n\n").expect("warn heading");
    assert!(deny < warn);
    let marks = |m: &str| {
        text.lines()
            .filter(|l| l.trim_start().starts_with(m))
            .count()
    };
    assert_eq!((marks("×"), marks("⚠")), (6, 4));
    let order: Vec<&str> = text
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            verdicts::seed_like()
                .findings
                .iter()
                .find(|f| l == f.rule)
                .map(|f| f.rule.as_str())
                .map(|_| l)
        })
        .collect();
    assert_eq!(
        order,
        [
            "consistency.node-count",
            "checks.failed",
            "hash.mismatch",
            "signatures.missing",
            "signatures.claim",
            "freshness.stale",
            "report.encoding",
            "hash.implausible",
            "signatures.algorithm",
            "deployment.recommendation",
        ]
    );
    assert!(text.ends_with("verdict: FAIL — 6 deny, 4 warn (17 checks, 16 passed)\n"));
}

#[test]
fn human_labels_point_at_the_report_lines() {
    let text = render(Format::Human, &seed_like(), &seed_ctx());
    // Every located finding shows its own line of the report with the file:line:col header.
    for (loc, line_text) in [
        (
            "seed.txt:60:3",
            "| **Resource Bounds Enforcement** | ❌ **FAILED**",
        ),
        ("seed.txt:74:", "2 malicious actors detected out of 4 nodes"),
        (
            "seed.txt:199:",
            "**Consensus Signatures**: 5/7 nodes confirmed",
        ),
        (
            "seed.txt:5:",
            "**Execution Date**: 2025-09-24T20:59:48.000Z",
        ),
        (
            "seed.txt:97:",
            "**Signature Algorithm**: SHA-256 with node-specific keys",
        ),
        (
            "seed.txt:160:",
            "**Recommendation**: 🟡 **CONDITIONAL DEPLOYMENT**",
        ),
    ] {
        assert!(text.contains(loc), "missing {loc}");
        assert!(text.contains(line_text), "missing source line {line_text}");
    }
    // The snippet header's column is the finding's (characters, not bytes: ✅ and 🟡 precede).
    for f in seed_like().findings.iter().filter(|f| f.line.is_some()) {
        let header = format!(
            "[{SEED_PATH}:{}:{}]",
            f.line.expect("line"),
            f.column.expect("column")
        );
        assert!(text.contains(&header), "missing {header}");
    }
    // A whole-report finding has no snippet: its header names the file.
    assert!(text.contains(&format!(
        "{SEED_PATH}: the policy requires 5 signatures (2f+1) and the report carries none"
    )));
}

#[test]
fn human_falls_back_to_the_line_without_a_span() {
    let mut v = seed_like();
    v.findings.retain(|f| f.rule == "checks.failed");
    v.findings[0].span = None;
    let text = render(Format::Human, &v, &seed_ctx());
    assert!(text.contains("[fixtures/reports/seed.txt:60:1]"), "{text}");
    assert!(text.contains("| **Resource Bounds Enforcement** |"));
    // Without source text a finding names its location in the header instead.
    let text = render(Format::Human, &v, &RenderContext::new(SEED_PATH));
    assert!(
        text.contains("fixtures/reports/seed.txt:60:3: check `Resource Bounds Enforcement` failed")
    );
}

#[test]
fn human_color_only_when_asked() {
    let plain = render(Format::Human, &seed_like(), &seed_ctx());
    let color = render(Format::Human, &seed_like(), &seed_ctx().with_color(true));
    assert!(!plain.contains('\x1b'));
    assert!(color.contains("\x1b["));
}

#[test]
fn human_passing_snapshot() {
    let text = render(
        Format::Human,
        &verdicts::passing(),
        &RenderContext::new(PASS_PATH),
    );
    assert_eq!(
        text,
        "verdict: PASS — 0 deny, 0 warn (17 checks, 17 passed)\n"
    );
}

#[test]
fn human_survives_out_of_range_spans_and_lines() {
    let mut v = seed_like();
    for f in &mut v.findings {
        f.span = Some(verdict::verdict::ByteSpan {
            offset: usize::MAX - 1,
            length: 10,
        });
        f.line = Some(u32::MAX);
    }
    let text = render(Format::Human, &v, &seed_ctx());
    assert!(text.ends_with("verdict: FAIL — 6 deny, 4 warn (17 checks, 16 passed)\n"));
}

// ---------- json ----------

fn validator(path: &str) -> jsonschema::Validator {
    jsonschema::validator_for(&load_json(path)).expect("schema compiles")
}

fn assert_valid(v: &jsonschema::Validator, doc: &serde_json::Value) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn json_round_trips_and_validates_against_the_schema() {
    let schema = validator("docs/verdict.schema.json");
    for v in [seed_like(), verdicts::passing()] {
        let text = render(Format::Json, &v, &seed_ctx());
        assert!(text.ends_with("}\n"));
        let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_valid(&schema, &doc);
        let back: Verdict = serde_json::from_value(doc).expect("verdict");
        assert_eq!(back, v);
    }
}

#[test]
fn json_schema_rejects_what_the_types_cannot_produce() {
    let schema = validator("docs/verdict.schema.json");
    let good = serde_json::to_value(seed_like()).expect("json");
    let mut bad = good.clone();
    bad["findings"][0]["severity"] = "error".into();
    assert!(!schema.is_valid(&bad));
    let mut bad = good.clone();
    bad["summary"]["extra"] = 1.into();
    assert!(!schema.is_valid(&bad));
    let mut bad = good.clone();
    bad["schema"] = "verdict/v2".into();
    assert!(!schema.is_valid(&bad));
    let mut bad = good;
    bad["findings"][0]
        .as_object_mut()
        .expect("object")
        .remove("help");
    assert!(!schema.is_valid(&bad));
}

/// Each object in the schema lists exactly the fields the Rust types serialize (every optional
/// field filled), and each enum exactly the spellings serde writes.
#[test]
fn json_schema_and_rust_types_agree() {
    let schema = load_json("docs/verdict.schema.json");
    let defs = &schema["$defs"];
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
        k.sort();
        k
    };
    let mut v = seed_like();
    // A finding with every optional field set.
    let full = v
        .findings
        .iter()
        .find(|f| f.section.is_some() && f.span.is_some())
        .expect("full finding")
        .clone();
    v.findings = vec![full];
    let doc = serde_json::to_value(&v).expect("json");
    assert_eq!(keys(&doc), keys(&schema["properties"]));
    for (def, instance) in [
        ("report", &doc["report"]),
        ("policy", &doc["policy"]),
        ("finding", &doc["findings"][0]),
        ("span", &doc["findings"][0]["span"]),
        ("check", &doc["checks"][0]),
        ("rule", &doc["rules"][0]),
        ("summary", &doc["summary"]),
    ] {
        assert_eq!(
            keys(instance),
            keys(&defs[def]["properties"]),
            "$defs/{def}"
        );
    }
    use verdict::verdict::{CheckStatus, Outcome, Severity};
    let spellings = |values: Vec<serde_json::Value>| serde_json::Value::Array(values);
    assert_eq!(
        defs["outcome"]["enum"],
        spellings(
            [Outcome::Pass, Outcome::Fail, Outcome::Inconclusive]
                .map(|o| serde_json::to_value(o).expect("json"))
                .to_vec()
        )
    );
    assert_eq!(
        defs["severity"]["enum"],
        spellings(
            [Severity::Info, Severity::Warn, Severity::Deny]
                .map(|o| serde_json::to_value(o).expect("json"))
                .to_vec()
        )
    );
    assert_eq!(
        defs["checkStatus"]["enum"],
        spellings(
            [
                CheckStatus::Pass,
                CheckStatus::Fail,
                CheckStatus::Warn,
                CheckStatus::Skip,
                CheckStatus::Unknown
            ]
            .map(|o| serde_json::to_value(o).expect("json"))
            .to_vec()
        )
    );
    // Every catalogue id matches the schema's rule id pattern.
    let rule_schema = jsonschema::validator_for(&defs["ruleId"]).expect("compiles");
    for r in verdict::rules::CATALOGUE {
        assert!(rule_schema.is_valid(&r.id.into()), "{}", r.id);
    }
}

// ---------- sarif ----------

#[test]
fn sarif_validates_against_the_official_schema() {
    let schema = validator("fixtures/vectors/sarif/sarif-schema-2.1.0.json");
    for (v, path) in [(seed_like(), SEED_PATH), (verdicts::passing(), PASS_PATH)] {
        let text = render(Format::Sarif, &v, &RenderContext::new(path));
        let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_valid(&schema, &doc);
    }
    // The schema is not vacuous: a result without a message is rejected.
    let text = render(Format::Sarif, &seed_like(), &seed_ctx());
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    doc["runs"][0]["results"][0]
        .as_object_mut()
        .expect("object")
        .remove("message");
    assert!(!schema.is_valid(&doc));
}

#[test]
fn sarif_carries_every_finding_with_its_line() {
    let v = seed_like();
    let text = render(Format::Sarif, &v, &seed_ctx());
    let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "verdict");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), verdict::rules::CATALOGUE.len());
    let results = run["results"].as_array().expect("results");
    let got: Vec<(String, String, i64, Option<i64>)> = results
        .iter()
        .map(|r| {
            let region = &r["locations"][0]["physicalLocation"]["region"];
            let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[index]["id"], r["ruleId"]);
            assert_eq!(
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                SEED_PATH
            );
            assert_eq!(
                r["partialFingerprints"]["reportDigest/v1"],
                verdicts::REPORT_DIGEST
            );
            (
                r["ruleId"].as_str().expect("id").to_string(),
                r["level"].as_str().expect("level").to_string(),
                region["startLine"].as_i64().expect("line"),
                region["startColumn"].as_i64(),
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        got,
        vec![
            (s("report.encoding"), s("warning"), 1, None),
            (s("consistency.node-count"), s("error"), 74, Some(70)),
            (s("checks.failed"), s("error"), 60, Some(3)),
            (s("hash.mismatch"), s("error"), 198, Some(19)),
            (s("hash.implausible"), s("warning"), 198, Some(19)),
            (s("signatures.missing"), s("error"), 1, None),
            (s("signatures.claim"), s("error"), 199, Some(27)),
            (s("signatures.algorithm"), s("warning"), 97, Some(28)),
            (s("freshness.stale"), s("error"), 5, Some(21)),
            (s("deployment.recommendation"), s("warning"), 160, Some(25)),
        ]
    );
    // Same rule and place, different report: different fingerprint; same report: same.
    let fp = |v: &Verdict| {
        let text = render(Format::Sarif, v, &seed_ctx());
        let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
        doc["runs"][0]["results"][2]["partialFingerprints"]["verdictFinding/v1"].clone()
    };
    let mut other = seed_like();
    other.report.digest = Some(verdicts::POLICY_DIGEST.into());
    assert_eq!(fp(&seed_like()), fp(&seed_like()));
    assert_ne!(fp(&seed_like()), fp(&other));
    // Default levels come from the catalogue.
    let level = |id: &str| {
        rules.iter().find(|r| r["id"] == id).expect("rule")["defaultConfiguration"]["level"].clone()
    };
    assert_eq!(level("checks.failed"), "error");
    assert_eq!(level("hash.implausible"), "warning");
}

/// Pins one format's rendering of the seed-like and the passing verdict
/// (snapshots `<name>_seed` and `<name>_pass`).
fn snapshot_pair(name: &str, format: Format) {
    insta::assert_snapshot!(
        format!("{name}_seed"),
        render(format, &seed_like(), &seed_ctx())
    );
    insta::assert_snapshot!(
        format!("{name}_pass"),
        render(format, &verdicts::passing(), &RenderContext::new(PASS_PATH))
    );
}

#[test]
fn sarif_snapshots() {
    snapshot_pair("sarif", Format::Sarif);
}

// ---------- junit ----------

#[test]
fn junit_parses_with_expected_counts() {
    let xml = render(Format::Junit, &seed_like(), &seed_ctx());
    let c = parse_junit(&xml);
    // 17 checks + 32 rules evaluated; 1 failed check + 6 rules with deny findings.
    assert_eq!(c.testcases, 49);
    assert_eq!(c.failures, 7);
    assert_eq!(c.skipped, 0);
    assert_eq!(
        c.failed_names,
        [
            "Resource Bounds Enforcement",
            "consistency.node-count",
            "checks.failed",
            "hash.mismatch",
            "signatures.missing",
            "signatures.claim",
            "freshness.stale",
        ]
    );
    let attr = |k: &str| {
        c.suite_attrs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(attr("name"), Some(SEED_PATH));
    assert_eq!(attr("tests"), Some("49"));
    assert_eq!(attr("failures"), Some("7"));
    assert!(xml.contains("fixtures/reports/seed.txt:60"));

    let c = parse_junit(&render(
        Format::Junit,
        &verdicts::passing(),
        &RenderContext::new(PASS_PATH),
    ));
    assert_eq!((c.testcases, c.failures, c.skipped), (49, 0, 0));
}

#[test]
fn junit_escapes_markup_in_names_and_messages() {
    let mut v = seed_like();
    v.checks[0].name = "a <b> & \"c\"".into();
    v.findings[1].message = "]]> </failure> & <x>".into();
    let xml = render(Format::Junit, &v, &seed_ctx());
    let c = parse_junit(&xml);
    assert_eq!((c.testcases, c.failures), (49, 7));
    assert!(xml.contains("a &lt;b&gt; &amp; &quot;c&quot;"));
    // Control characters cannot appear in XML 1.0 even escaped: replaced, tab kept.
    v.findings[1].message = "bell\u{7} nul\u{0} tab\t".into();
    let xml = render(Format::Junit, &v, &seed_ctx());
    assert!(!xml.contains(['\u{7}', '\u{0}']));
    assert!(xml.contains("bell\u{FFFD} nul\u{FFFD} tab\t"));
}

#[test]
fn junit_snapshots() {
    snapshot_pair("junit", Format::Junit);
}

// ---------- github ----------

#[test]
fn github_escapes_data_and_properties() {
    assert_eq!(escape_data("100% done\r\nnext"), "100%25 done%0D%0Anext");
    assert_eq!(escape_data("a: b, c"), "a: b, c");
    assert_eq!(
        escape_property("dir,x/a:b%\r\n.md"),
        "dir%2Cx/a%3Ab%25%0D%0A.md"
    );
    // `%` first, so an escape sequence already in the text is not double-decoded.
    assert_eq!(escape_data("%0A"), "%250A");

    let mut v = seed_like();
    v.findings.retain(|f| f.rule == "checks.failed");
    v.findings[0].message = "50% over, limit: 1s,\r\nsee: row".into();
    v.findings[0].help = String::new();
    v.summary.deny = 1;
    v.summary.warn = 0;
    let text = render(Format::Github, &v, &RenderContext::new("reports/a,b:c.md"));
    assert_eq!(
        text,
        "::error file=reports/a%2Cb%3Ac.md,line=60,col=3,title=checks.failed::50%25 over, limit: 1s,%0D%0Asee: row\n\
         verdict: FAIL — 1 deny, 0 warn (17 checks, 16 passed)\n"
    );
}

#[test]
fn github_annotations_by_severity() {
    let text = render(Format::Github, &seed_like(), &seed_ctx());
    let commands: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("::"))
        .map(|l| l.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(commands.len(), 10);
    assert_eq!(commands.iter().filter(|c| **c == "error").count(), 6);
    assert_eq!(commands.iter().filter(|c| **c == "warning").count(), 4);
    assert!(text.contains(
        "::error file=fixtures/reports/seed.txt,title=signatures.missing::the policy requires 5 signatures (2f+1) and the report carries none%0Ahelp: "
    ));
}

#[test]
fn github_appends_the_step_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").expect("write");
    let ctx = seed_ctx().with_step_summary(Some(&summary));
    let out = render(Format::Github, &seed_like(), &ctx);
    let markdown = render(Format::Markdown, &seed_like(), &seed_ctx());
    assert!(
        !out.contains("| Severity |"),
        "summary goes to the file, not stdout"
    );
    assert_eq!(
        std::fs::read_to_string(&summary).expect("read"),
        format!("earlier step\n{markdown}")
    );
    render(Format::Github, &seed_like(), &ctx);
    assert_eq!(
        std::fs::read_to_string(&summary).expect("read"),
        format!("earlier step\n{markdown}{markdown}")
    );
}

#[test]
fn github_snapshots() {
    snapshot_pair("github", Format::Github);
}

// ---------- markdown ----------

#[test]
fn markdown_escapes_table_cells() {
    let mut v = seed_like();
    v.findings.truncate(1);
    v.findings[0].message = "a | b <script>\nc".into();
    let md = render(Format::Markdown, &v, &seed_ctx());
    assert!(
        md.contains("| warn | `report.encoding` | — | a \\| b &lt;script&gt;<br>c |\n"),
        "{md}"
    );
}

#[test]
fn markdown_snapshots() {
    snapshot_pair("markdown", Format::Markdown);
}

// ---------- --output FORMAT=FILE ----------

#[test]
fn output_specs_parse() {
    assert_eq!(
        parse_output_spec("sarif=out/v.sarif"),
        Ok((Format::Sarif, PathBuf::from("out/v.sarif")))
    );
    assert_eq!(
        parse_output_spec("JUnit=a=b.xml"),
        Ok((Format::Junit, PathBuf::from("a=b.xml")))
    );
    assert_eq!(
        parse_output_spec("verdict.sarif"),
        Err(OutputSpecError::MissingEquals("verdict.sarif".into()))
    );
    assert_eq!(
        parse_output_spec("xml=v.xml"),
        Err(OutputSpecError::UnknownFormat("xml".into()))
    );
    assert_eq!(
        parse_output_spec("json="),
        Err(OutputSpecError::EmptyPath("json=".into()))
    );
}

#[test]
fn write_outputs_writes_each_format_plain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let specs: Vec<(Format, PathBuf)> = ["sarif", "junit", "json", "human"]
        .iter()
        .map(|f| parse_output_spec(&format!("{f}={}", dir.path().join(f).display())).expect("spec"))
        .collect();
    let ctx = seed_ctx().with_color(true);
    output::write_outputs(&seed_like(), &ctx, &specs).expect("write");
    for (format, path) in &specs {
        let written = std::fs::read_to_string(path).expect("read");
        assert_eq!(
            written,
            render(*format, &seed_like(), &seed_ctx()),
            "{format}"
        );
        assert!(!written.contains('\x1b'));
    }
    let err = output::write_outputs(
        &seed_like(),
        &ctx,
        &[(Format::Json, dir.path().join("missing/dir/v.json"))],
    )
    .expect_err("missing directory");
    assert_eq!(err.format, Format::Json);
    assert!(err.to_string().contains("missing/dir/v.json"));
}

/// docs/verdict-json.md has a row for every field of the schema.
#[test]
fn json_doc_documents_every_schema_field() {
    let doc = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/verdict-json.md"),
    )
    .expect("doc");
    let schema = load_json("docs/verdict.schema.json");
    let mut fields: Vec<String> = Vec::new();
    let mut collect = |props: &serde_json::Value| {
        fields.extend(props.as_object().expect("properties").keys().cloned());
    };
    collect(&schema["properties"]);
    for def in schema["$defs"].as_object().expect("defs").values() {
        if let Some(p) = def.get("properties") {
            collect(p);
        }
    }
    for f in fields {
        let row = format!("| `{f}` |");
        let nested = format!("| `span.{f}` |");
        assert!(
            doc.contains(&row) || doc.contains(&nested),
            "docs/verdict-json.md lacks {f}"
        );
    }
}

/// The example in docs/verdict-json.md is a valid document.
#[test]
fn json_doc_example_validates() {
    let doc = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/verdict-json.md"),
    )
    .expect("doc");
    let start = doc.find("```json\n").expect("json example") + "```json\n".len();
    let end = start + doc[start..].find("```").expect("fence end");
    let example: serde_json::Value =
        serde_json::from_str(&doc[start..end]).expect("example is JSON");
    assert_valid(&validator("docs/verdict.schema.json"), &example);
    let v: Verdict = serde_json::from_value(example).expect("example is a Verdict");
    let seed = seed_like();
    let failed = seed
        .findings
        .iter()
        .find(|f| f.rule == "checks.failed")
        .expect("finding");
    assert_eq!(v.findings[0], *failed);
}

// ---------- any input ----------

fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

proptest::proptest! {
    #[test]
    fn github_escaping_is_reversible_and_leaves_no_separators(s in "[%:,\r\na-z0-9 ]{0,40}") {
        let data = escape_data(&s);
        let prop = escape_property(&s);
        proptest::prop_assert!(!data.contains(['\r', '\n']));
        proptest::prop_assert!(!prop.contains(['\r', '\n', ':', ',']));
        // The runner decodes %25 last-in-first-out; our encoding escapes % first.
        proptest::prop_assert_eq!(unescape(&prop), s.clone());
        proptest::prop_assert_eq!(unescape(&data), s);
    }

    #[test]
    fn every_format_renders_any_finding_text_and_place(
        message in "(?s).{0,60}",
        name in "(?s).{0,30}",
        offset in 0usize..8000,
        length in 0usize..200,
        line in proptest::option::of(0u32..300),
        column in proptest::option::of(0u32..200),
    ) {
        let mut v = seed_like();
        v.checks[0].name = name;
        for f in &mut v.findings {
            f.message = message.clone();
            f.span = Some(verdict::verdict::ByteSpan { offset, length });
            f.line = line;
            f.column = column;
        }
        for format in [Format::Human, Format::Json, Format::Sarif, Format::Junit, Format::Github, Format::Markdown] {
            let text = render(format, &v, &seed_ctx());
            proptest::prop_assert!(!text.is_empty());
        }
        let c = parse_junit(&render(Format::Junit, &v, &seed_ctx()));
        proptest::prop_assert_eq!((c.testcases, c.failures), (49, 7));
    }
}

#[derive(Debug, clap::Parser)]
struct TestCli {
    #[command(flatten)]
    output: output::OutputArgs,
}

#[test]
fn output_args_parse_and_emit() {
    use clap::Parser;
    let dir = tempfile::tempdir().expect("tempdir");
    let junit = dir.path().join("v.xml");
    let json = dir.path().join("v.json");
    let cli = TestCli::try_parse_from([
        "t".to_string(),
        "--format".into(),
        "markdown".into(),
        "--output".into(),
        format!("junit={}", junit.display()),
        "--output".into(),
        format!("json={}", json.display()),
    ])
    .expect("parses");
    assert_eq!(cli.output.format, Format::Markdown);
    assert_eq!(
        cli.output.outputs,
        vec![(Format::Junit, junit.clone()), (Format::Json, json.clone())]
    );
    let mut stdout = Vec::new();
    cli.output
        .emit(&seed_like(), &seed_ctx(), &mut stdout)
        .expect("emit");
    assert_eq!(
        String::from_utf8(stdout).expect("utf-8"),
        render(Format::Markdown, &seed_like(), &seed_ctx())
    );
    assert_eq!(
        std::fs::read_to_string(&junit).expect("junit"),
        render(Format::Junit, &seed_like(), &seed_ctx())
    );
    assert_eq!(
        std::fs::read_to_string(&json).expect("json"),
        render(Format::Json, &seed_like(), &seed_ctx())
    );

    let defaults = TestCli::try_parse_from(["t"]).expect("parses");
    assert_eq!(defaults.output.format, Format::Human);
    assert!(defaults.output.outputs.is_empty());
    let err = TestCli::try_parse_from(["t", "--output", "verdict.sarif"]).expect_err("bad spec");
    assert!(
        err.to_string()
            .contains("`verdict.sarif` is not FORMAT=FILE"),
        "{err}"
    );
}

#[test]
fn github_output_file_does_not_append_the_step_summary_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = dir.path().join("summary.md");
    let ctx = seed_ctx().with_step_summary(Some(&summary));
    output::write_outputs(
        &seed_like(),
        &ctx,
        &[(Format::Github, dir.path().join("annotations.txt"))],
    )
    .expect("write");
    assert!(!summary.exists());
}
