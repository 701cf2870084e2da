//! Fuzz target `response_dynamic`: see `fuzz/src/response_dynamic.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sforce_fuzz::response_dynamic::run(data);
});
