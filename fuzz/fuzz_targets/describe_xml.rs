//! Fuzz target `describe_xml`: see `fuzz/src/describe.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sforce_fuzz::describe::run_xml(data);
});
