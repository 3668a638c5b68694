//! Keyring YAML parsing (ids, base64 keys, validity windows, revocation).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(k) = verdict::attest::Keyring::parse(text, "fuzz.yaml") {
        let _ = k.digest_hex();
    }
});
