use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use std::time::Instant;
fn main() {
    let key = SigningKey::from_bytes(&[7; 32]);
    let vk = key.verifying_key();
    let n: usize = 16384;
    let msgs: Vec<Vec<u8>> = (0..n as u32)
        .map(|i| format!("verdict/ledger/entry/v1\n{:032}", i).into_bytes())
        .collect();
    let sigs: Vec<Signature> = msgs.iter().map(|m| key.sign(m)).collect();
    let keys: Vec<VerifyingKey> = vec![vk; n];
    let t = Instant::now();
    for i in 0..2000 {
        vk.verify_strict(&msgs[i], &sigs[i]).unwrap();
    }
    let single = t.elapsed().as_secs_f64() / 2000.0;
    println!("single {:.1} us", single * 1e6);
    for b in [64usize, 256, 512, 1024, 2048, 4096, 8192, 16384] {
        let t = Instant::now();
        let mut done = 0;
        while done < n {
            let e = (done + b).min(n);
            let m: Vec<&[u8]> = msgs[done..e].iter().map(|m| m.as_slice()).collect();
            ed25519_dalek::verify_batch(&m, &sigs[done..e], &keys[done..e]).unwrap();
            done = e;
        }
        let per = t.elapsed().as_secs_f64() / n as f64;
        println!(
            "batch {b}: {:.2} us/sig = {:.3} of single",
            per * 1e6,
            per / single
        );
    }
}
