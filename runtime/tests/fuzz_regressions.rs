//! Every input the runtime's fuzz targets ever failed on (`fuzz/regressions/<target>/`),
//! fed through the same call as the target (`fuzz/src/<target>.rs`, included here), on
//! the test harness's 2 MiB thread stacks: each must return, with an error where it is not
//! a valid response. `tools/fuzz.sh` runs the targets themselves.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use sforce::Error;

// The fuzz crate's modules: `pub` is their API there.
#[allow(unreachable_pub)]
#[path = "../../fuzz/src/response_dynamic.rs"]
mod response_dynamic;
#[allow(unreachable_pub)]
#[path = "../../fuzz/src/response_typed.rs"]
mod response_typed;

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

/// Runs `run` on every regression of `target`; fails naming each input that panicked, and
/// hands every result to `check` (which asserts the error kinds that are known).
fn replay(
    target: &str,
    run: impl Fn(&[u8]) -> Result<(), Error>,
    check: impl Fn(&str, &Result<(), Error>),
) {
    let mut panicked = Vec::new();
    for (name, data) in regressions(target) {
        match catch_unwind(AssertUnwindSafe(|| run(&data))) {
            Ok(result) => check(&name, &result),
            Err(_) => panicked.push(name),
        }
    }
    assert!(
        panicked.is_empty(),
        "these inputs in fuzz/regressions/{target}/ panic again (the fixes of their README \
         lines regressed): {panicked:?}"
    );
}

#[test]
fn response_typed_regressions_return() {
    replay("response_typed", response_typed::run, |_, _| {});
}

#[test]
fn response_dynamic_regressions_return() {
    replay("response_dynamic", response_dynamic::run, |name, result| {
        if name.starts_with("field_name_") {
            match result {
                Err(Error::Xml { message, .. }) => {
                    assert!(
                        message.contains("is not an XML element name"),
                        "{name}: {message}"
                    )
                }
                other => panic!("{name}: expected the reader to refuse the name, got {other:?}"),
            }
        }
    });
}

/// The curated seeds of `fuzz/seeds/` read as what they are meant to be, so the fuzzers
/// start from valid responses (the fixtures are checked by their own tests).
#[test]
fn the_curated_seeds_are_valid_responses() {
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/seeds");
    let typed = |name: &str, type_name: &str| {
        let selector = response_typed::TYPES
            .iter()
            .position(|t| *t == type_name)
            .unwrap();
        let mut data = vec![u8::try_from(selector).unwrap()];
        data.extend(std::fs::read(format!("{seeds}/response_typed/{name}")).unwrap());
        response_typed::run(&data)
    };
    typed(
        "describe_s_object_contact.xml",
        "partner::DescribeSObjectResponse",
    )
    .unwrap();
    typed("execute_anonymous.xml", "apex::ExecuteAnonymousResponse").unwrap();
    match typed("fault_invalid_field.xml", "partner::QueryResponse") {
        Err(Error::Fault(fault)) => {
            let detail = fault
                .detail::<sforce::partner::InvalidFieldFault>()
                .unwrap();
            assert_eq!((detail.row, detail.column), (1, 8));
        }
        other => panic!("expected the InvalidFieldFault, got {other:?}"),
    }
    for entry in std::fs::read_dir(format!("{seeds}/response_dynamic")).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        if let Err(e) = response_dynamic::run(&data) {
            panic!("{}: {e}", path.display());
        }
    }
}
