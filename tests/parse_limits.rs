//! The report parser's structural limits (issue 7): table rows, table columns, list
//! nesting, claims per report, heading depth. Each is tested just under and just over its
//! bound, through the library and through `verdict parse` / `verdict verify` (exit 2, a
//! message naming the limit and the flag that raises it).

use assert_cmd::Command;
use verdict::limits::Limits;
use verdict::report::{self, ReportError};
use verdict::text::decode;

fn parse(s: &str, limits: &Limits) -> Result<report::Report, ReportError> {
    let text = decode(s.as_bytes(), limits).unwrap();
    report::parse(&text, limits)
}

/// A two-column status table of `rows` body rows after two lines of preamble.
fn table(rows: usize) -> String {
    let mut s = String::from("# T\n\n| Test | Status |\n|---|---|\n");
    for i in 0..rows {
        s.push_str(&format!("| t{i} | PASS |\n"));
    }
    s
}

/// One table whose header has `cols` cells.
fn wide(cols: usize) -> String {
    let header: String = (0..cols).map(|i| format!("| h{i} ")).collect();
    let divider = "|---".repeat(cols);
    format!("{header}|\n{divider}|\n| a |\n")
}

/// `depth` list items, each nested in the one before (`- - - x`).
fn nested(depth: usize) -> String {
    format!("{}x\n", "- ".repeat(depth))
}

#[test]
fn table_rows_just_under_and_just_over() {
    let limits = Limits {
        max_table_rows: 5,
        ..Limits::default()
    };
    let r = parse(&table(5), &limits).unwrap();
    assert_eq!((r.tally.total, r.tally.pass), (5, 5));
    match parse(&table(6), &limits) {
        // Row 6 is on line 5 + 5 (title, blank, header, divider, five rows).
        Err(ReportError::TooManyTableRows { limit: 5, line, .. }) => assert_eq!(line, 10),
        other => panic!("expected TooManyTableRows, got {other:?}"),
    }
    // The bound is per table: two tables of 5 rows each are fine.
    let two = format!("{}\n{}", table(5), table(5).replace("# T", "# U"));
    assert_eq!(parse(&two, &limits).unwrap().tally.total, 10);
}

#[test]
fn table_columns_just_under_and_just_over() {
    let limits = Limits {
        max_table_columns: 4,
        ..Limits::default()
    };
    assert!(parse(&wide(4), &limits).is_ok());
    match parse(&wide(5), &limits) {
        Err(ReportError::TooManyTableColumns { limit: 4, line, at }) => {
            assert_eq!(line, 1);
            // The fifth header cell: pulldown-cmark's cell range starts right after its `|`,
            // which is at 4 × 5 bytes (`| hN ` per earlier cell).
            assert_eq!(at.offset(), 21);
        }
        other => panic!("expected TooManyTableColumns, got {other:?}"),
    }
}

#[test]
fn list_depth_just_under_and_just_over() {
    let limits = Limits {
        max_list_depth: 10,
        ..Limits::default()
    };
    assert!(parse(&nested(10), &limits).is_ok());
    match parse(&nested(11), &limits) {
        Err(ReportError::ListTooDeep {
            limit: 10,
            line,
            at,
        }) => {
            assert_eq!((line, at.offset()), (1, 20));
        }
        other => panic!("expected ListTooDeep, got {other:?}"),
    }
    // Siblings are not nesting: 50 items side by side at depth 1.
    let flat = "- x\n".repeat(50);
    assert!(parse(&flat, &limits).is_ok());
}

#[test]
fn claims_just_under_and_just_over() {
    // Each line states one claim (a quantity with a unit) and nothing else.
    let lines = |n: usize| "Latency 5ms\n\n".repeat(n);
    let limits = Limits {
        max_claims: 3,
        ..Limits::default()
    };
    // The bound is checked before each piece of text: the 4th is still read while 3 are
    // stored, so 4 claims pass and the 5th line is refused.
    assert_eq!(parse(&lines(4), &limits).unwrap().claims.len(), 4);
    match parse(&lines(5), &limits) {
        Err(ReportError::TooManyClaims { limit: 3, line, .. }) => assert_eq!(line, 9),
        other => panic!("expected TooManyClaims, got {other:?}"),
    }
}

#[test]
fn default_limits_are_documented_values() {
    let d = Limits::default();
    assert_eq!(
        (
            d.max_table_rows,
            d.max_table_columns,
            d.max_list_depth,
            d.max_claims
        ),
        (10_000, 64, 4096, 200_000)
    );
}

#[test]
fn heading_depth_stops_at_six() {
    // Markdown has six heading levels; a seventh `#` is a paragraph, so a section path never
    // holds more than six titles.
    let s = "# 1\n## 2\n### 3\n#### 4\n##### 5\n###### 6\n####### 7\n";
    let r = parse(s, &Limits::default()).unwrap();
    assert_eq!(r.sections.len(), 6);
    let path: Vec<&str> = r.sections[5].path.iter().map(|t| &**t).collect();
    assert_eq!(path, ["1", "2", "3", "4", "5", "6"]);
}

#[test]
fn default_table_limit_refuses_a_huge_table_quickly() {
    let s = table(10_001);
    let t = std::time::Instant::now();
    match parse(&s, &Limits::default()) {
        Err(ReportError::TooManyTableRows {
            limit: 10_000,
            line,
            ..
        }) => assert_eq!(line, 10_005),
        other => panic!(
            "expected TooManyTableRows, got {:?}",
            other.map(|r| r.tally)
        ),
    }
    assert!(t.elapsed().as_secs() < 20, "took {:?}", t.elapsed());
    assert_eq!(
        parse(&table(10_000), &Limits::default())
            .unwrap()
            .tally
            .total,
        10_000
    );
}

fn verdict() -> Command {
    Command::cargo_bin("verdict").unwrap()
}

#[test]
fn the_cli_names_the_limit_and_its_flag() {
    let cases = [
        (
            "--max-table-rows",
            table(3),
            "a table has more than 2 rows",
            "report::table_too_long",
        ),
        (
            "--max-table-columns",
            wide(3),
            "a table has more than 2 columns",
            "report::table_too_wide",
        ),
        (
            "--max-list-depth",
            nested(3),
            "lists are nested more than 2 levels deep",
            "report::lists_too_deep",
        ),
        (
            "--max-claims",
            "5ms\n\n6ms\n\n7ms\n\n8ms\n".to_string(),
            "report states more than 2 claims and facts",
            "report::too_many_claims",
        ),
    ];
    for (flag, input, message, code) in cases {
        for cmd in ["parse", "verify"] {
            let out = verdict()
                .args([cmd, "-", flag, "2"])
                .env("NO_COLOR", "1")
                .write_stdin(input.clone())
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{cmd} {flag}: {err}");
            assert!(err.contains(message), "{cmd} {flag}: {err}");
            assert!(err.contains(code), "{cmd} {flag}: {err}");
            assert!(
                err.contains(flag),
                "{cmd} {flag}: help names the flag: {err}"
            );
        }
        // Raised, the same input parses.
        verdict()
            .args(["parse", "-", flag, "3"])
            .write_stdin(input)
            .assert()
            .success();
    }
}
