//! Every input the `decode` fuzz target ever failed on (`fuzz/regressions/decode/`), fed
//! through the same call as the target (`fuzz/src/decode.rs`, included here), on the test
//! harness's 2 MiB thread stacks: each must return, with an error where it is not a valid
//! envelope. `tools/fuzz.sh` runs the target itself.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

// The fuzz crate's module: `pub` is its API there.
#[allow(unreachable_pub)]
#[path = "../../fuzz/src/decode.rs"]
mod decode;

/// The files of `fuzz/regressions/decode/` but its README, which must name each one.
fn regressions() -> Vec<(String, Vec<u8>)> {
    let dir: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "fuzz",
        "regressions",
        "decode",
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
            "fuzz/regressions/decode/{name} is not described in its README.md: add a line \
             saying what it was and what fixed it"
        );
    }
    files
}

#[test]
fn decode_regressions_return() {
    let mut panicked = Vec::new();
    for (name, data) in regressions() {
        if catch_unwind(AssertUnwindSafe(|| decode::run(&data))).is_err() {
            panicked.push(name);
        }
    }
    assert!(
        panicked.is_empty(),
        "these inputs in fuzz/regressions/decode/ panic again (the fixes of their README \
         lines regressed): {panicked:?}"
    );
}

/// The target's fixed input, the partner service, loads, and a capture decodes.
#[test]
fn the_targets_input_loads() {
    assert!(!decode::service().operations.is_empty());
    let capture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/soap/soapforce-query_response.xml"
    );
    decode::run(&std::fs::read(capture).unwrap()).unwrap();
}
