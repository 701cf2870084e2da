//! Every input the codegen fuzz targets ever failed on (`fuzz/regressions/<target>/`),
//! fed through the same call as the target (`fuzz/src/<module>.rs`, included here): each
//! must return, with an error where it is not a valid document. `tools/fuzz.sh` runs the
//! targets themselves.

use std::fmt::Debug;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

// The fuzz crate's modules: `pub` is their API there.
#[allow(unreachable_pub)]
#[path = "../../fuzz/src/describe.rs"]
mod describe;
#[allow(unreachable_pub)]
#[path = "../../fuzz/src/soql.rs"]
mod soql;
#[allow(unreachable_pub)]
#[path = "../../fuzz/src/wsdl.rs"]
mod wsdl;

/// The files of `fuzz/regressions/<target>/` but its README, which must name each one.
fn regressions(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "fuzz",
        "regressions",
        target,
    ]
    .iter()
    .collect();
    let readme = std::fs::read_to_string(dir.join("README.md"))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join("README.md").display()));
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.file_name().is_some_and(|n| n != "README.md"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    for (name, _) in &files {
        assert!(
            readme.contains(&format!("`{name}`")),
            "fuzz/regressions/{target}/{name} is not described in its README.md: add a line \
             saying what it was and what fixed it"
        );
    }
    files
}

/// Runs `run` on every regression of `target`; fails naming each input that panicked.
fn replay<E: Debug>(target: &str, run: impl Fn(&[u8]) -> Result<(), E>) {
    let mut panicked = Vec::new();
    for (name, data) in regressions(target) {
        if catch_unwind(AssertUnwindSafe(|| run(&data))).is_err() {
            panicked.push(name);
        }
    }
    assert!(
        panicked.is_empty(),
        "these inputs in fuzz/regressions/{target}/ panic again (the fixes of their README \
         lines regressed): {panicked:?}"
    );
}

#[test]
fn wsdl_regressions_return() {
    replay("wsdl", wsdl::run);
}

#[test]
fn describe_xml_regressions_return() {
    replay("describe_xml", describe::run_xml);
}

#[test]
fn describe_json_regressions_return() {
    replay("describe_json", describe::run_json);
}

#[test]
fn soql_regressions_return() {
    replay("soql", soql::run);
}

/// The fuzz targets' fixed inputs (the schema `soql` checks against) load, and the curated
/// describe seed reads. (The `decode` target is replayed by `cli/tests/fuzz_regressions.rs`.)
#[test]
fn the_targets_inputs_load() {
    assert!(soql::schema().get("Account").is_some());
    assert!(soql::run(b"SELECT Id, Name FROM Account WHERE Name = {n}").is_ok());
    let seed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fuzz/seeds/describe_xml/contact_small.xml"
    );
    describe::run_xml(&std::fs::read(seed).unwrap()).unwrap();
}
