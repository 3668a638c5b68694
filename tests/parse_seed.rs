//! Acceptance tests of the REPORT stage on the seed: the mojibake file, its clean CRLF
//! original and the LF copy must give the same Report (apart from the encoding note), with
//! every fact on the line it has in the file.

use assert_cmd::Command;
use verdict::limits::Limits;
use verdict::report::claims::{ClaimKind, Relation, Unit};
use verdict::report::{self, Place, RecommendationKind, Report};
use verdict::text::decode;
use verdict::verdict::CheckStatus;

const VARIANTS: [&str; 3] = ["seed.txt", "seed-clean-crlf.md", "seed-clean-lf.md"];

fn path(name: &str) -> String {
    format!("{}/fixtures/reports/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn parse(name: &str) -> Report {
    let bytes = std::fs::read(path(name)).unwrap();
    let text = decode(&bytes, &Limits::default()).unwrap();
    report::parse(&text, &Limits::default()).unwrap()
}

/// 1-based line of the first line of `name` containing `needle`, read from the raw file.
fn line_of(name: &str, needle: &str) -> u32 {
    let raw = std::fs::read_to_string(path(name)).unwrap();
    let ix = raw.lines().position(|l| l.contains(needle)).unwrap();
    u32::try_from(ix + 1).unwrap()
}

#[test]
fn all_three_variants_give_the_same_report_apart_from_encoding() {
    let json = |name: &str| {
        let mut v = serde_json::to_value(parse(name)).unwrap();
        let enc = v.as_object_mut().unwrap().remove("encoding").unwrap();
        (v, enc)
    };
    let (seed, seed_enc) = json("seed.txt");
    let (crlf, crlf_enc) = json("seed-clean-crlf.md");
    let (lf, lf_enc) = json("seed-clean-lf.md");
    assert_eq!(seed, lf);
    assert_eq!(crlf, lf);
    assert_eq!(
        seed_enc,
        serde_json::json!({"repairs": 36, "first_repair": 14, "bom": false})
    );
    assert_eq!(
        crlf_enc,
        serde_json::json!({"repairs": 0, "first_repair": null, "bom": false})
    );
    assert_eq!(lf_enc, crlf_enc);
}

#[test]
fn repaired_headings_read_as_the_clean_original() {
    let seed = parse("seed.txt");
    let clean = parse("seed-clean-crlf.md");
    let titles = |r: &Report| {
        r.sections
            .iter()
            .map(|s| s.title.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(&seed), titles(&clean));
    let s14 = seed.sections.iter().find(|s| s.line == 14).unwrap();
    assert_eq!(
        s14.title,
        "Overall Assessment: 🟡 PARTIAL VALIDATION (94.1% success rate)"
    );
    assert_eq!(seed.encoding.repairs, 36);
}

#[test]
fn title_metadata_and_date() {
    for name in VARIANTS {
        let r = parse(name);
        assert_eq!(r.schema, "verdict-report/v1");
        let title = r.title.as_ref().unwrap();
        assert_eq!(
            (title.value.as_str(), title.line),
            ("Byzantine Consensus Coordination Report", 1)
        );
        let id = r.id.as_ref().unwrap();
        assert_eq!(id.value, "byzantine-validator-primary-20250924-135948");
        assert_eq!(id.line, line_of(name, "**Validation ID**"));
        let date = r.date.as_ref().unwrap();
        assert_eq!(date.instant.to_string(), "2025-09-24T20:59:48Z");
        assert_eq!((date.key.as_str(), date.line), ("Execution Date", 5));
        let keys: Vec<_> = r
            .metadata
            .iter()
            .take(4)
            .map(|m| (m.key.as_str(), m.line))
            .collect();
        assert_eq!(
            keys,
            [
                ("Validation ID", 3),
                ("Coordinator", 4),
                ("Execution Date", 5),
                ("Fault Tolerance Level", 6)
            ]
        );
    }
}

#[test]
fn consensus_f_n_and_node_facts() {
    for name in VARIANTS {
        let r = parse(name);
        let c = &r.consensus;
        let f = c.f.as_ref().unwrap();
        let n = c.n.as_ref().unwrap();
        assert_eq!((f.value, f.line, n.value, n.line), (2, 6, 7, 6));
        let totals: Vec<_> = c
            .node_totals
            .iter()
            .map(|t| (t.value, t.line, t.text.as_str()))
            .collect();
        assert_eq!(
            totals,
            [
                (7, 6, "7-node"),
                (4, line_of(name, "out of 4 nodes"), "out of 4 nodes"),
                (7, 85, "with 7 nodes"),
                (7, 111, "5/7 nodes"),
                (7, 199, "5/7 nodes"),
            ]
        );
        let faulty: Vec<_> = c.faulty.iter().map(|t| (t.value, t.line)).collect();
        assert_eq!(faulty, [(2, 74), (2, 87)]);
        assert_eq!(c.faulty[0].text, "2 malicious actors");
        let honest: Vec<_> = c.honest.iter().map(|t| (t.value, t.line)).collect();
        assert_eq!(honest, [(5, 87)]);
        let quorum: Vec<_> = c
            .quorum
            .iter()
            .map(|q| (q.coefficient, q.offset, q.stated, q.line))
            .collect();
        assert_eq!(quorum, [(2, 1, 5, 88)]);
        let actors: Vec<_> = c
            .malicious_actors
            .iter()
            .map(|a| (a.name.as_str(), a.line))
            .collect();
        assert_eq!(actors, [("node2", 93), ("node4", 94)]);
        let (header, text) = &c.malicious_actors[0].details[0];
        assert_eq!(
            (header.as_str(), text.as_str()),
            ("Behavior", "Duplicate votes")
        );
    }
}

#[test]
fn phase_sections_with_status_and_counts() {
    for name in VARIANTS {
        let r = parse(name);
        let phases: Vec<_> = r
            .sections
            .iter()
            .filter(|s| s.title.starts_with("Phase ") && s.level == 3)
            .map(|s| {
                let c = s.count.as_ref().unwrap();
                (
                    s.status.as_ref().unwrap().status,
                    c.passed,
                    c.total,
                    s.line,
                    s.tally.total,
                    s.tally.pass,
                )
            })
            .collect();
        use CheckStatus::*;
        assert_eq!(
            phases,
            [
                (Pass, 5, 5, 25, 5, 5),
                (Pass, 4, 4, 39, 4, 4),
                (Fail, 3, 4, 52, 4, 3),
                (Pass, 4, 4, 67, 4, 4),
            ]
        );
        let p3 = r.sections.iter().find(|s| s.line == 52).unwrap();
        assert_eq!(p3.name, "Phase 3: Memory Leak Prevention Validation");
        assert_eq!(p3.status.as_ref().unwrap().raw, "❌ FAILED");
        assert_eq!(
            p3.path.iter().map(|t| &**t).collect::<Vec<&str>>(),
            [
                "Byzantine Consensus Coordination Report",
                "Phase-by-Phase Validation Results",
                p3.title.as_str()
            ]
        );
    }
}

#[test]
fn seventeen_checks_one_failing_at_its_line() {
    for name in VARIANTS {
        let r = parse(name);
        assert_eq!(r.checks.len(), 17);
        assert_eq!(
            (r.tally.total, r.tally.pass, r.tally.fail, r.tally.unknown),
            (17, 16, 1, 0)
        );
        let failed: Vec<_> = r
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
            .collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].name, "Resource Bounds Enforcement");
        assert_eq!(failed[0].line, line_of(name, "Resource Bounds Enforcement"));
        assert_eq!(failed[0].line, 60);
        assert_eq!(failed[0].raw_status, "❌ FAILED");
        assert_eq!(
            failed[0].section_path.last().map(|t| &**t),
            Some("Phase 3: Memory Leak Prevention Validation ❌ FAILED (3/4 tests)")
        );
        let first = &r.checks[0];
        assert_eq!(
            (first.name.as_str(), first.line, first.span.column),
            ("Graceful Process Termination", 31, 1)
        );
        assert_eq!(first.cells.len(), 1);
        assert_eq!(&*first.cells[0].header, "Result");
    }
}

fn threshold(r: &Report, check: &str) -> (f64, Unit, Relation, f64, Unit, u32) {
    let c = r.checks.iter().find(|c| c.name == check).unwrap();
    c.cells
        .iter()
        .flat_map(|cell| &cell.claims)
        .find_map(|cl| match &cl.kind {
            ClaimKind::Threshold {
                relation,
                limit,
                measured: Some(m),
            } => Some((
                m.value,
                m.unit.unwrap(),
                *relation,
                limit.value,
                limit.unit.unwrap(),
                cl.line,
            )),
            _ => None,
        })
        .unwrap()
}

#[test]
fn threshold_claims_on_check_rows() {
    for name in VARIANTS {
        let r = parse(name);
        assert_eq!(
            threshold(&r, "Graceful Process Termination"),
            (51.0, Unit::Ms, Relation::Le, 1.0, Unit::S, 31)
        );
        assert_eq!(
            threshold(&r, "Memory Deallocation"),
            (0.1, Unit::Percent, Relation::Lt, 10.0, Unit::Percent, 33)
        );
        assert_eq!(
            threshold(&r, "Memory Growth Control"),
            (0.6, Unit::Percent, Relation::Lt, 15.0, Unit::Percent, 58)
        );
        let cl = r.checks[0].cells[0]
            .claims
            .iter()
            .find(|c| matches!(c.kind, ClaimKind::Threshold { .. }))
            .unwrap();
        assert_eq!(
            (cl.text.as_str(), cl.place, cl.check),
            ("within 1s threshold", Place::Cell, Some(0))
        );
    }
}

#[test]
fn summary_and_attestation_claims() {
    for name in VARIANTS {
        let r = parse(name);
        let s = &r.summary;
        let p = s.phases.as_ref().unwrap();
        assert_eq!(
            (p.passed, p.total, p.text.as_str(), p.line),
            (3, 4, "3 out of 4 phases", 12)
        );
        let sr = s.success_rate.as_ref().unwrap();
        assert_eq!((sr.value, sr.line), (94.1, 14));
        let conf = s.confidence.as_ref().unwrap();
        assert_eq!((conf.value, conf.line), (75.0, 154));
        let rec = s.recommendation.as_ref().unwrap();
        assert_eq!(rec.normalized, RecommendationKind::Conditional);
        assert_eq!(
            (rec.value.as_str(), rec.line),
            ("🟡 CONDITIONAL DEPLOYMENT", 160)
        );

        let a = &r.attestation;
        let h = a.hash.as_ref().unwrap();
        assert_eq!(h.algorithm.as_deref(), Some("sha256"));
        assert!(h.digest.starts_with("a8f7e2b9") && h.digest.ends_with("f7e0"));
        assert_eq!(
            (h.digest.len(), h.line),
            (64, line_of(name, "**Report Hash**"))
        );
        let sig = a.signatures.as_ref().unwrap();
        assert_eq!((sig.signed, sig.total, sig.line), (5, Some(7), 199));
        let alg = a.algorithm.as_ref().unwrap();
        assert_eq!(
            (alg.value.as_str(), alg.line),
            ("SHA-256 with node-specific keys", 97)
        );
    }
}

#[test]
fn assertions_are_kept_apart_from_checks() {
    let r = parse("seed.txt");
    let a: Vec<_> = r.assertions.iter().map(|a| (a.status, a.line)).collect();
    use CheckStatus::*;
    assert_eq!(
        a,
        [
            (Pass, 16),
            (Pass, 17),
            (Fail, 18),
            (Pass, 19),
            (Pass, 163),
            (Pass, 164),
            (Pass, 165),
            (Pass, 166),
            (Pass, 167)
        ]
    );
    assert_eq!(r.assertions[2].raw_status, "❌ NOT VERIFIED");
}

#[test]
fn cli_json_is_the_library_report() {
    for name in VARIANTS {
        let out = Command::cargo_bin("verdict")
            .unwrap()
            .args(["parse", "--format", "json", &path(name)])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(got, serde_json::to_value(parse(name)).unwrap());
    }
}

#[test]
fn cli_human_outline() {
    let out = Command::cargo_bin("verdict")
        .unwrap()
        .args(["parse", &path("seed.txt")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    for line in [
        "  encoding  36 mojibake sequences repaired",
        "   52       Phase 3: Memory Leak Prevention Validation  [FAIL]  3/4  (4 checks, 3 pass)",
        "   60  FAIL  Resource Bounds Enforcement  Resource bounds not properly enforced",
        "   74  node total 4 (\"out of 4 nodes\")",
        "  199  signatures claimed 5 of 7",
        "  160  recommendation CONDITIONAL: 🟡 CONDITIONAL DEPLOYMENT",
    ] {
        assert!(s.lines().any(|l| l == line), "missing {line:?} in\n{s}");
    }
}

#[test]
fn cli_stdin_and_errors() {
    let seed = std::fs::read(path("seed-clean-lf.md")).unwrap();
    let out = Command::cargo_bin("verdict")
        .unwrap()
        .args(["parse", "-", "--format", "json"])
        .write_stdin(seed.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["checks"].as_array().unwrap().len(), 17);

    let out = Command::cargo_bin("verdict")
        .unwrap()
        .args(["parse", "-", "--max-bytes", "100"])
        .write_stdin(seed)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("larger than the limit of 100 bytes"), "{err}");

    let out = Command::cargo_bin("verdict")
        .unwrap()
        .args(["parse", "/nonexistent/report.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    let out = Command::cargo_bin("verdict")
        .unwrap()
        .args(["parse", "-"])
        .write_stdin(vec![b'#', b' ', 0xff, b'\n'])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid UTF-8"));
}
