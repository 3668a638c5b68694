//! Signature and report-hash line recognition, one line at a time as the digest does it.
#![no_main]
use libfuzzer_sys::fuzz_target;
use verdict::report::attestation::{AttestationLine, classify, is_attestation_line};

fuzz_target!(|text: &str| {
    for line in text.lines() {
        let found = classify(line);
        assert_eq!(found.is_some(), is_attestation_line(line));
        if let Some(AttestationLine::ReportHash(h)) = &found {
            let _ = h.algorithm_id();
        }
    }
});
