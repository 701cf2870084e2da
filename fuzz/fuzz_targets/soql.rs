//! Fuzz target `soql`: see `fuzz/src/soql.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sforce_fuzz::soql::run(data);
});
