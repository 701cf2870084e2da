//! Fuzz target `wsdl`: see `fuzz/src/wsdl.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sforce_fuzz::wsdl::run(data);
});
