//! The nom claim grammars on any UTF-8 text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = verdict::report::claims::scan(text);
    let _ = verdict::report::claims::scan_bounded(text, 4);
    let _ = verdict::report::claims::parse_quantity(text);
});
