//! Writes the `#[sobject]` structs for N synthetic objects (copies of the fixture dumps
//! under new names, relationships kept inside each copy) to a file, for measuring how long
//! bindings for a big org take to compile (`tools/measure-sobjects.sh`).
//!
//! `cargo run -p sforce-codegen --example synthetic_sobjects -- 200 out.rs`

use std::path::Path;

use sforce_codegen::describe::{self, testing::synthetic_schema};
use sforce_codegen::{emit, SObjectSelection, Settings};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let count: usize = args
        .next()
        .ok_or("usage: synthetic_sobjects N OUT")?
        .parse()?;
    let out = args.next().ok_or("usage: synthetic_sobjects N OUT")?;
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/describe");
    let templates: Vec<_> = describe::load(&fixtures)?.objects().cloned().collect();
    let schema = synthetic_schema(&templates, count);
    let source = emit::generate_sobjects_source(
        &schema,
        &SObjectSelection::default(),
        &Settings::default(),
    )?;
    std::fs::write(&out, source)?;
    println!(
        "{count} objects, {} KB → {out}",
        std::fs::metadata(&out)?.len() / 1024
    );
    Ok(())
}
