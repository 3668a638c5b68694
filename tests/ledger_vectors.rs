//! transparency-dev/merkle's inclusion and consistency vectors through the ledger's own
//! proof-checking functions (`verdict::ledger::tree`), which the audit, the gate and the
//! offline proof check all use.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use std::path::{Path, PathBuf};
use verdict::ledger::tree::{self, Hash};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

/// A base64 field that must be a 32-byte hash; anything else makes the case fail (an error).
fn hash(v: &serde_json::Value) -> Option<Hash> {
    let s = v.as_str()?;
    tree::hash_from_slice(&B64.decode(s).ok()?)
}

fn proof(v: &serde_json::Value) -> Option<Vec<Hash>> {
    match v {
        serde_json::Value::Null => Some(vec![]),
        serde_json::Value::Array(a) => a.iter().map(hash).collect(),
        _ => None,
    }
}

fn raw(v: &serde_json::Value) -> Option<Vec<u8>> {
    B64.decode(v.as_str()?).ok()
}

fn raw_list(v: &serde_json::Value) -> Option<Vec<Vec<u8>>> {
    match v {
        serde_json::Value::Null => Some(vec![]),
        serde_json::Value::Array(a) => a.iter().map(raw).collect(),
        _ => None,
    }
}

fn run_case(d: &serde_json::Value) -> (bool, bool) {
    let want_err = d["wantErr"].as_bool().unwrap();
    let ok = if d.get("leafIdx").is_some() {
        (|| {
            let p = proof(&d["proof"])?;
            let root = hash(&d["root"])?;
            let leaf = hash(&d["leafHash"])?;
            tree::check_inclusion(
                &p,
                d["treeSize"].as_u64()?,
                root,
                d["leafIdx"].as_u64()?,
                leaf,
            )
            .ok()
        })()
        .is_some()
    } else {
        (|| {
            let p = raw_list(&d["proof"])?;
            let p: Vec<&[u8]> = p.iter().map(Vec::as_slice).collect();
            let r1 = raw(&d["root1"])?;
            let r2 = raw(&d["root2"])?;
            tree::check_consistency_bytes(&p, d["size1"].as_u64()?, &r1, d["size2"].as_u64()?, &r2)
                .ok()
        })()
        .is_some()
    };
    (want_err, ok)
}

#[test]
fn all_196_merkle_vectors_agree_with_want_err() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/vectors/merkle");
    let mut all = vec![];
    files(&root, &mut all);
    all.sort();
    assert_eq!(all.len(), 196);
    let (mut inclusion, mut consistency, mut valid) = (0, 0, 0);
    let mut disagreements = vec![];
    for f in &all {
        let d: serde_json::Value = serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
        if d.get("leafIdx").is_some() {
            inclusion += 1;
        } else {
            consistency += 1;
        }
        let (want_err, ok) = run_case(&d);
        if ok {
            valid += 1;
        }
        if want_err == ok {
            disagreements.push(f.strip_prefix(&root).unwrap().display().to_string());
        }
    }
    assert_eq!(disagreements, Vec::<String>::new());
    assert_eq!((inclusion, consistency), (98, 98));
    // Exactly the 12 cases with wantErr=false verify; the 184 corrupted ones are all rejected.
    assert_eq!(valid, 12);
}
