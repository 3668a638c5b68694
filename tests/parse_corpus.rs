//! Every report of ../shared/corpus parses (exit 0, no panic, default limits); each file
//! INDEX.tsv marks `has_status_table=y` yields at least one check; a snapshot pins the check
//! count and status tally per file so that parser changes show up as diffs.
//! Skipped (with a message) when the corpus is not beside the repository.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use verdict::limits::Limits;
use verdict::report;
use verdict::text::decode;

/// `../shared/corpus` beside the repository (or two levels up, for a git worktree under
/// `wt/`), or `$VERDICT_CORPUS`.
fn corpus() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = std::env::var_os("VERDICT_CORPUS")
        .map(PathBuf::from)
        .into_iter()
        .chain([
            root.join("../shared/corpus"),
            root.join("../../shared/corpus"),
        ]);
    let found = candidates
        .into_iter()
        .find(|d| d.join("INDEX.tsv").is_file());
    if found.is_none() {
        println!("skipped: no corpus at ../shared/corpus (set VERDICT_CORPUS to run)");
    }
    found
}

/// (file name relative to the corpus, has_status_table) from INDEX.tsv.
fn index(dir: &Path) -> Vec<(String, bool)> {
    let tsv = std::fs::read_to_string(dir.join("INDEX.tsv")).unwrap();
    let mut lines = tsv.lines();
    let header: Vec<_> = lines.next().unwrap().split('\t').collect();
    let col = header
        .iter()
        .position(|h| *h == "has_status_table")
        .unwrap();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<_> = l.split('\t').collect();
            (cells[0].to_string(), cells[col] == "y")
        })
        .collect()
}

fn locate(dir: &Path, file: &str) -> PathBuf {
    let direct = dir.join(file);
    if direct.is_file() {
        direct
    } else {
        dir.join("_unattributed_mojibake").join(file)
    }
}

#[test]
fn every_corpus_file_parses_and_status_tables_yield_checks() {
    let Some(dir) = corpus() else { return };
    let files = index(&dir);
    assert!(files.len() >= 37, "INDEX.tsv lists {} files", files.len());
    let mut table = String::new();
    for (file, has_status_table) in &files {
        let path = locate(&dir, file);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let text = decode(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{file}: {e}"));
        let r = report::parse(&text, &Limits::default()).unwrap_or_else(|e| panic!("{file}: {e}"));
        if *has_status_table {
            assert!(
                !r.checks.is_empty(),
                "{file}: has_status_table=y but no checks"
            );
        }
        let t = r.tally;
        table.push_str(&format!(
            "{file}\n    checks {} pass {} fail {} warn {} skip {} unknown {} | assertions {} sections {}\n",
            t.total,
            t.pass,
            t.fail,
            t.warn,
            t.skip,
            t.unknown,
            r.assertions.len(),
            r.sections.len()
        ));
    }
    insta::assert_snapshot!("corpus_tally", table);
}

#[test]
fn the_binary_exits_0_on_every_corpus_file() {
    let Some(dir) = corpus() else { return };
    for (file, _) in index(&dir) {
        let path = locate(&dir, &file);
        for format in ["human", "json"] {
            let out = Command::cargo_bin("verdict")
                .unwrap()
                .args(["parse", "--format", format])
                .arg(&path)
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{file} ({format}): {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
