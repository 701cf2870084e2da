//! Fuzz target `response_typed`: see `fuzz/src/response_typed.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sforce_fuzz::response_typed::run(data);
});
