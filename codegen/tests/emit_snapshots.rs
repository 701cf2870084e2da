//! Snapshot tests of the emitter: each small WSDL under `tests/fixtures/` is generated and
//! compared with the committed file under `tests/snapshots/`. After an intended change,
//! rerun with `SFORCE_SNAPSHOT=overwrite` and review the diff.

use std::path::{Path, PathBuf};

use sforce_codegen::{emit, wsdl, Settings};

/// Every case: fixture name, snapshot name, settings.
fn cases() -> Vec<(&'static str, &'static str, Settings)> {
    let default = Settings::default();
    vec![
        ("extension_kind", "extension_kind", default.clone()),
        ("enumeration", "enumeration", default.clone()),
        ("headers", "headers", default.clone()),
        ("recursive", "recursive", default.clone()),
        ("sobject_any", "sobject_any", default.clone()),
        ("tooling_shape", "tooling_shape", default.clone()),
        // A large real WSDL cut down to two operations (`Settings::operations`).
        (
            "../../../fixtures/wsdl/metadata-v66.0",
            "metadata_deploy_only",
            Settings {
                blocking: false,
                operations: vec!["deploy".to_owned(), "checkDeployStatus".to_owned()],
                ..Settings::default()
            },
        ),
        (
            "sobject_any",
            "sobject_any_in_runtime",
            Settings {
                runtime_path: "crate".to_owned(),
                blocking: false,
                ..Settings::default()
            },
        ),
    ]
}

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn check(fixture: &str, snapshot: &str, settings: &Settings) {
    let wsdl_path = tests_dir().join("fixtures").join(format!("{fixture}.wsdl"));
    let service = wsdl::parse_file(&wsdl_path).unwrap_or_else(|e| panic!("{e}"));
    // The Tooling-shaped WSDL warns about what it is there to show: the fault elements'
    // namespace-qualified `type` attributes.
    let expected =
        |message: &str| fixture == "tooling_shape" && message.contains("namespace-qualified");
    assert!(
        service.warnings.iter().all(|w| expected(&w.message)),
        "{fixture}: the reader skipped something: {:?}",
        service.warnings
    );
    let got = emit::generate_source(&service, settings).unwrap_or_else(|e| panic!("{e}"));
    let snap_path = tests_dir().join("snapshots").join(format!("{snapshot}.rs"));
    if std::env::var("SFORCE_SNAPSHOT").as_deref() == Ok("overwrite") {
        std::fs::write(&snap_path, &got).unwrap_or_else(|e| panic!("{}: {e}", snap_path.display()));
        return;
    }
    let want = std::fs::read_to_string(&snap_path).unwrap_or_default();
    if got != want {
        let line = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| got.lines().count().min(want.lines().count()));
        panic!(
            "generated code for {fixture} differs from {} at line {}:\n  generated: {:?}\n  snapshot:  {:?}\n\
             If the change is intended, rerun with SFORCE_SNAPSHOT=overwrite and review the diff.",
            snap_path.display(),
            line + 1,
            got.lines().nth(line).unwrap_or("<end of file>"),
            want.lines().nth(line).unwrap_or("<end of file>"),
        );
    }
}

#[test]
fn snapshots_match() {
    for (fixture, snapshot, settings) in cases() {
        check(fixture, snapshot, &settings);
    }
}

#[test]
fn every_fixture_has_a_case() {
    let cases = cases();
    for entry in std::fs::read_dir(tests_dir().join("fixtures")).expect("tests/fixtures") {
        let path = entry.expect("directory entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("wsdl") {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        assert!(
            cases.iter().any(|(f, _, _)| *f == stem),
            "{} has no snapshot case",
            path.display()
        );
    }
}

#[test]
fn generating_twice_gives_the_same_bytes() {
    for (fixture, _, settings) in cases() {
        let path = tests_dir().join("fixtures").join(format!("{fixture}.wsdl"));
        let a = emit::generate_source(&wsdl::parse_file(&path).unwrap(), &settings).unwrap();
        let b = emit::generate_source(&wsdl::parse_file(&path).unwrap(), &settings).unwrap();
        assert_eq!(a, b, "{fixture}");
    }
}
