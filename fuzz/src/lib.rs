//! The calls behind the fuzz targets, one module per target (`fuzz_targets/<name>.rs` is a
//! line calling `<module>::run`). The regression tests of the main workspace include the
//! same files with `#[path]` (`runtime/tests/fuzz_regressions.rs`,
//! `codegen/tests/fuzz_regressions.rs`, `cli/tests/fuzz_regressions.rs`), so a reproducer
//! goes through exactly the call that found it.
//!
//! Each `run` returns what the reader returned, errors included: an error is a correct
//! answer to a bad input. A panic, an abort, a timeout or running out of memory is a
//! finding.

#![forbid(unsafe_code)]

pub mod decode;
pub mod describe;
pub mod response_dynamic;
pub mod response_typed;
pub mod soql;
pub mod wsdl;
