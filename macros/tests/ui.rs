//! Compile-fail tests: each file in `ui/` is one kind of mistake, and its `.stderr` is
//! the error a user sees. Refresh with `TRYBUILD=overwrite cargo test -p sforce-macros
//! --test ui`.

#[test]
fn ui() {
    // trybuild compiles the cases in its own project directory, whose Cargo.toml has no
    // `[package.metadata.sforce]`: point the macros at the fixture dumps directly.
    let dumps = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/describe");
    std::env::set_var("SFORCE_DESCRIBE", dumps);
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass_*.rs");
    cases.compile_fail("tests/ui/fail_*.rs");
}
