//! Fuzz target `decode`: see `fuzz/src/decode.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sforce_fuzz::decode::run(data);
});
