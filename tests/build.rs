//! Generates bindings for every WSDL in `fixtures/wsdl/` into `OUT_DIR` with the public
//! `::sforce` runtime path, so that compiling this crate proves the whole output of each
//! compiles (and passes clippy) outside the runtime crate. `src/lib.rs` includes each file
//! in its own module; a test checks that no fixture is left out.

use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/wsdl");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    let mut wsdls = Vec::new();
    for entry in std::fs::read_dir(&fixtures)
        .map_err(|e| format!("cannot list {}: {e}", fixtures.display()))?
    {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "wsdl") {
            wsdls.push(path);
        }
    }
    wsdls.sort();
    let mut builder = sforce_codegen::Builder::new();
    builder.runtime_path("::sforce").blocking(true);
    for wsdl in &wsdls {
        builder.wsdl(wsdl);
    }
    // Every object of the describe fixtures, as typed #[sobject] structs (`sobjects.rs`).
    builder.describe(Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/describe"));
    builder.generate()?;

    // The hostile describe set (`describe-hostile/`): API names that differ only in case
    // or meet after Rust naming, and non-ASCII names, as `hostile_sobjects.rs`.
    let hostile = Path::new(env!("CARGO_MANIFEST_DIR")).join("describe-hostile");
    sforce_codegen::Builder::new()
        .runtime_path("::sforce")
        .describe(&hostile)
        .module_name("hostile")
        .generate()?;
    Ok(())
}
