//! The bindings checked in under `runtime/src/generated/` are exactly what the generator
//! writes today from the fixture WSDLs. When this fails, regenerate with the command the
//! message names and review the diff.

use std::path::{Path, PathBuf};

use sforce_codegen::{emit, wsdl, Settings};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is inside the workspace")
        .to_path_buf()
}

/// The first line where `expected` and `actual` differ, 1-based, with both versions.
fn first_difference(expected: &str, actual: &str) -> String {
    let mut expected_lines = expected.lines();
    let mut actual_lines = actual.lines();
    let mut number = 1;
    loop {
        match (expected_lines.next(), actual_lines.next()) {
            (Some(e), Some(a)) if e == a => number += 1,
            (None, None) => return "they differ only in line endings or a final newline".into(),
            (e, a) => {
                return format!(
                    "first difference at line {number}:\n  checked in: {}\n  generated:  {}",
                    a.unwrap_or("<end of file>"),
                    e.unwrap_or("<end of file>"),
                )
            }
        }
    }
}

fn check(wsdl_file: &str, generated_file: &str) {
    let root = workspace();
    let service = wsdl::parse_file(&root.join(wsdl_file))
        .unwrap_or_else(|e| panic!("cannot read {wsdl_file}: {e}"));
    let settings = Settings {
        runtime_path: "crate".to_owned(),
        blocking: true,
        ..Settings::default()
    };
    let fresh = emit::generate_source(&service, &settings)
        .unwrap_or_else(|e| panic!("cannot generate from {wsdl_file}: {e}"));
    let checked_in = std::fs::read_to_string(root.join(generated_file))
        .unwrap_or_else(|e| panic!("cannot read {generated_file}: {e}"));
    assert!(
        fresh == checked_in,
        "{generated_file} is stale: it is not what the generator writes from {wsdl_file} \
         ({}).\nRegenerate it from the workspace root with\n\n    \
         cargo sforce generate --wsdl {wsdl_file} --out {generated_file} --runtime-path crate\n\n\
         (`cargo run -p sforce-cli -- sforce generate …` \
         without the subcommand installed) and review the diff.",
        first_difference(&fresh, &checked_in),
    );
}

#[test]
fn partner_bindings_are_up_to_date() {
    check(
        "fixtures/wsdl/partner-v66.0.wsdl",
        "runtime/src/generated/partner.rs",
    );
}

#[test]
fn apex_bindings_are_up_to_date() {
    check(
        "fixtures/wsdl/apex-v66.0.wsdl",
        "runtime/src/generated/apex.rs",
    );
}

#[test]
fn the_difference_report_names_the_line() {
    assert_eq!(
        first_difference("a\nb\nc\n", "a\nB\nc\n"),
        "first difference at line 2:\n  checked in: B\n  generated:  b"
    );
    assert!(first_difference("a\n", "a\nb\n").contains("generated:  <end of file>"));
}
