//! The strict YAML policy loader (limits, nesting, aliases, unknown keys) on any text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use verdict::limits::Limits;

fuzz_target!(|text: &str| {
    let _ = verdict::policy::load::load_str("fuzz.yaml", text, &Limits::default());
});
