//! Bytes → text::decode → report::parse: the whole front of the pipeline on any input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use verdict::limits::Limits;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(text) = verdict::text::decode(data, &limits) {
        let _ = verdict::report::parse(&text, &limits);
        // A small element bound exercises the over-limit paths too.
        let _ = verdict::report::parse_bounded(&text, &limits, 16);
    }
});
