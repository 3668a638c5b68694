//! Many processes appending at once, and processes killed (SIGKILL) mid-append.
//!
//! The appending child is this test binary re-invoked with `LEDGER_TEST_CHILD` set (see
//! [`appender`]); it appends through the library exactly as `verdict verify --record` will.
//! To drive the real command instead, replace the body of [`appender`] with a
//! `verdict verify REPORT --record --ledger PATH --signer KEY` invocation that prints its
//! sequence number: the assertions only read `appended <seq> <report id>` lines.

#[path = "ledger_support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use support::*;
use verdict::ledger::{AuditOptions, Ledger};

const CHILD: &str = "LEDGER_TEST_CHILD";

/// A child process that appends `count` entries (forever if 0) with report ids `<tag>-<i>`,
/// printing `appended <seq> <tag>-<i>` after each append has returned.
fn appender(ledger: &Path, tag: &str, count: u64) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args(["--exact", "child_main", "--nocapture", "--test-threads=1"])
        .env(CHILD, format!("{}\n{tag}\n{count}", ledger.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    c
}

/// The child's body; a no-op when run as an ordinary test.
#[test]
fn child_main() {
    let Ok(spec) = std::env::var(CHILD) else {
        return;
    };
    let mut parts = spec.split('\n');
    let path = parts.next().unwrap();
    let tag = parts.next().unwrap();
    let count: u64 = parts.next().unwrap().parse().unwrap();
    let mut ledger = Ledger::open_or_create(Path::new(path)).unwrap();
    let key = key(1);
    let stdout = std::io::stdout();
    let mut i = 0;
    while count == 0 || i < count {
        let mut inp = input(i, 0);
        inp.report_id = Some(format!("{tag}-{i}"));
        let a = ledger.append(&inp, &key).unwrap();
        let mut out = stdout.lock();
        writeln!(out, "appended {} {tag}-{i}", a.seq).unwrap();
        out.flush().unwrap();
        i += 1;
    }
}

fn parse_line(l: &str) -> Option<(u64, String)> {
    // libtest may print "test child_main ... " on the same line before the first one.
    let rest = &l.trim_end()[l.find("appended ")? + "appended ".len()..];
    let (seq, id) = rest.split_once(' ')?;
    Some((seq.parse().ok()?, id.to_string()))
}

fn appended_lines(stdout: impl BufRead) -> Vec<(u64, String)> {
    stdout
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| parse_line(&l))
        .collect()
}

fn audit_clean(path: &Path) -> u64 {
    let l = Ledger::open(path).unwrap();
    let ok = l
        .audit(&AuditOptions {
            trusted: vec![key(1).verifying_key()],
            ..Default::default()
        })
        .unwrap();
    ok.entries
}

#[test]
fn eight_processes_times_100_appends() {
    if std::env::var(CHILD).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger/verdicts.db");
    // Created by the first child that gets there: creation races are part of the test.
    let children: Vec<_> = (0..8)
        .map(|w| appender(&path, &format!("w{w}"), 100).spawn().unwrap())
        .collect();
    let mut seen = vec![];
    for mut c in children {
        let out = c.stdout.take().unwrap();
        seen.extend(appended_lines(BufReader::new(out)));
        assert!(c.wait().unwrap().success());
    }
    assert_eq!(seen.len(), 800);
    let mut seqs: Vec<u64> = seen.iter().map(|(s, _)| *s).collect();
    seqs.sort();
    assert_eq!(
        seqs,
        (0..800).collect::<Vec<_>>(),
        "sequence numbers without gaps or repeats"
    );
    assert_eq!(audit_clean(&path), 800);
    let l = Ledger::open(&path).unwrap();
    for (seq, id) in &seen {
        assert_eq!(
            l.entry(*seq).unwrap().unwrap().record.report.id.as_deref(),
            Some(id.as_str())
        );
    }
}

#[test]
fn kill_9_mid_append_never_corrupts_or_loses_returned_appends() {
    if std::env::var(CHILD).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.db");
    let mut rng = Rng(0xdead_beef_0000_0009);
    let mut returned: Vec<(u64, String)> = vec![];
    for round in 0..12 {
        let mut child = appender(&path, &format!("r{round}"), 0).spawn().unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let stop_after = 1 + rng.below(25);
        let mut got = 0;
        while got < stop_after {
            let mut line = String::new();
            assert!(
                reader.read_line(&mut line).unwrap() > 0,
                "child ended early"
            );
            if let Some(a) = parse_line(&line) {
                returned.push(a);
                got += 1;
            }
        }
        // SIGKILL at a random point of the next append (it takes a few ms, mostly fsync).
        std::thread::sleep(std::time::Duration::from_micros(rng.below(3000)));
        child.kill().unwrap();
        child.wait().unwrap();
        // Lines the child wrote before dying also report appends that returned.
        returned.extend(appended_lines(reader));
        let size = audit_clean(&path);
        let l = Ledger::open(&path).unwrap();
        for (seq, id) in &returned {
            assert!(*seq < size, "returned append {seq} lost (size {size})");
            assert_eq!(
                l.entry(*seq).unwrap().unwrap().record.report.id.as_deref(),
                Some(id.as_str())
            );
        }
    }
    assert!(returned.len() >= 12);
}
