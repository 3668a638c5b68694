//! Many `verdict verify --record` processes appending to one ledger at once, and such processes
//! killed (SIGKILL) at random points of their run.
//!
//! Every append here is the real command, run from the repository root:
//! `verdict verify fixtures/reports/signed/clean.md --keyring fixtures/keys/keyring.yaml
//!  --record --ledger DB --signer KEY`. It reports the entry it appended on stderr
//! (`recorded: DB entry <seq> (<verdict>)`); an append counts as returned once that line is out.

#[path = "ledger_support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::Rng;
use verdict::ledger::{AuditOptions, Ledger};

const REPORT: &str = "fixtures/reports/signed/clean.md";
const KEYRING: &str = "fixtures/keys/keyring.yaml";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A verifier key made by `verdict keygen` in `dir`: (private key path, public key).
fn verifier(dir: &Path) -> (PathBuf, ed25519_dalek::VerifyingKey) {
    let out = Command::new(env!("CARGO_BIN_EXE_verdict"))
        .args(["keygen", "--id", "verifier", "--out"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let pem = std::fs::read_to_string(dir.join("verifier.pub")).unwrap();
    (
        dir.join("verifier.key"),
        verdict::attest::keys::parse_public_key(&pem).unwrap(),
    )
}

/// One `verdict verify … --record` process.
fn record(ledger: &Path, key: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_verdict"));
    c.current_dir(root())
        .args([
            "verify",
            REPORT,
            "--keyring",
            KEYRING,
            "--record",
            "--ledger",
        ])
        .arg(ledger)
        .arg("--signer")
        .arg(key)
        .env("NO_COLOR", "1")
        .env_remove("VERDICT_LEDGER")
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

/// The appended entry a finished process reports: (seq, verdict).
fn recorded(out: &Output) -> Option<(u64, String)> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr.lines().find(|l| l.starts_with("recorded: "))?;
    let rest = &line[line.find(" entry ")? + " entry ".len()..];
    let (seq, verdict) = rest.split_once(' ')?;
    Some((
        seq.parse().ok()?,
        verdict.trim_matches(|c| c == '(' || c == ')').to_string(),
    ))
}

/// The full audit passes; returns the number of entries.
fn audit_clean(path: &Path, key: &ed25519_dalek::VerifyingKey) -> u64 {
    let l = Ledger::open(path).unwrap();
    l.audit(&AuditOptions {
        trusted: vec![*key],
        ..Default::default()
    })
    .unwrap()
    .entries
}

fn verdict_of(l: &Ledger, seq: u64) -> String {
    l.entry(seq)
        .unwrap()
        .unwrap_or_else(|| panic!("entry {seq} missing"))
        .record
        .verdict
        .as_str()
        .to_string()
}

#[test]
fn eight_processes_times_100_appends() {
    const LANES: u64 = 8;
    const PER_LANE: u64 = 100;
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = verifier(dir.path());
    // Created by the first process that gets there: creation races are part of the test.
    let path = dir.path().join("ledger/verdicts.db");
    let started = Instant::now();
    // Each lane runs its processes one after another; the eight lanes run at once.
    let lanes: Vec<Vec<(u64, String)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..LANES)
            .map(|_| {
                let (path, key) = (&path, &key);
                s.spawn(move || {
                    (0..PER_LANE)
                        .map(|_| {
                            let out = record(path, key).output().unwrap();
                            assert_eq!(
                                out.status.code(),
                                Some(0),
                                "{}",
                                String::from_utf8_lossy(&out.stderr)
                            );
                            recorded(&out).expect("recorded line")
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let elapsed = started.elapsed();
    eprintln!(
        "{} verify --record processes in {elapsed:.1?}",
        LANES * PER_LANE
    );
    // A process that started after another one returned got a later entry.
    for lane in &lanes {
        assert!(lane.windows(2).all(|w| w[0].0 < w[1].0), "{lane:?}");
    }
    let seen: Vec<(u64, String)> = lanes.into_iter().flatten().collect();
    let mut seqs: Vec<u64> = seen.iter().map(|(s, _)| *s).collect();
    seqs.sort();
    assert_eq!(
        seqs,
        (0..LANES * PER_LANE).collect::<Vec<_>>(),
        "sequence numbers without gaps or repeats"
    );
    assert_eq!(audit_clean(&path, &public), LANES * PER_LANE);
    let l = Ledger::open(&path).unwrap();
    for (seq, verdict) in &seen {
        assert_eq!(&verdict_of(&l, *seq), verdict, "entry {seq}");
    }
    assert!(seen.iter().all(|(_, v)| v == "pass"));
}

#[test]
fn kill_9_mid_append_never_corrupts_or_loses_returned_appends() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = verifier(dir.path());
    let path = dir.path().join("crash.db");
    let mut rng = Rng(0xdead_beef_0000_0009);
    let mut returned: Vec<(u64, String)> = vec![];
    let (mut killed, mut finished) = (0, 0);
    // How long one run takes on this machine and build (tens of milliseconds: start-up,
    // judging, then the append, mostly fsync), so that the kills below land at random points
    // of a run, before and after its append, however fast the machine is.
    let started = std::time::Instant::now();
    let first = record(&path, &key).output().unwrap();
    let run = started.elapsed();
    returned.push(recorded(&first).expect("recorded line"));
    for _round in 0..30 {
        // Three processes at once (slower each than one alone), SIGKILLed at a random point
        // within twice the time of one run.
        let children: Vec<Child> = (0..3)
            .map(|_| record(&path, &key).spawn().unwrap())
            .collect();
        let within = 2 * u64::try_from(run.as_micros()).unwrap_or(u64::MAX / 4) + 1;
        std::thread::sleep(Duration::from_micros(rng.below(within)));
        for mut child in children {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            if let Some(r) = recorded(&out) {
                // Its append returned before the kill: it must survive.
                returned.push(r);
                finished += 1;
            } else {
                use std::os::unix::process::ExitStatusExt as _;
                assert_eq!(out.status.signal(), Some(9), "{out:?}");
                killed += 1;
            }
        }
        if returned.is_empty() && Ledger::open(&path).is_err() {
            // Every process so far died before the schema was committed: the file is not a
            // ledger yet (`ledger verify` says so, exit 2) and the next recorder initialises it.
            continue;
        }
        let size = audit_clean(&path, &public);
        let l = Ledger::open(&path).unwrap();
        for (seq, verdict) in &returned {
            assert!(*seq < size, "returned append {seq} lost (size {size})");
            assert_eq!(&verdict_of(&l, *seq), verdict);
        }
    }
    eprintln!("{finished} appends returned, {killed} processes killed before returning");
    assert!(
        finished >= 5 && killed >= 5,
        "kills should land both before and after appends: {finished} returned, {killed} killed"
    );
    // The ledger still takes appends after all that.
    let out = record(&path, &key).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let (seq, _) = recorded(&out).unwrap();
    assert_eq!(audit_clean(&path, &public), seq + 1);
}
