//! The layers only point down: the wire core (everything in `runtime/src` but `partner/`,
//! `generated/` and the crate root that wires them) never names a generated binding. The
//! build checks it too (`cargo check -p sforce --no-default-features` in CI); this test
//! also covers code behind other features and doc links, and says which line broke it.

use std::path::{Path, PathBuf};

/// Paths a core file may not use in code or doc links.
const UPWARD: &[&str] = &["partner::", "apex::", "crate::partner", "crate::apex"];

fn core_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if path.is_dir() {
            if name != "partner" && name != "generated" {
                core_files(&path, out);
            }
        } else if name.ends_with(".rs") && !(dir.ends_with("src") && name == "lib.rs") {
            out.push(path);
        }
    }
}

/// The offending lines of one file: code naming a binding, or a doc link to one. Prose in
/// comments may mention the bindings (`sforce::partner` adds `stream` to `Query`).
fn upward_references(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let trimmed = line.trim_start();
        let checked: String = if trimmed.starts_with("//") {
            // Doc links only: `[text](crate::partner::…)` or `[crate::partner::…]`.
            let links: Vec<&str> = trimmed
                .split('(')
                .skip(1)
                .chain(trimmed.split('[').skip(1))
                .collect();
            links.iter().map(|l| format!("{l} ")).collect()
        } else {
            line.split("//").next().unwrap_or("").to_owned()
        };
        let checked = checked
            .replace("sforce::partner", "")
            .replace("sforce::apex", "");
        if UPWARD.iter().any(|p| {
            checked.match_indices(p).any(|(at, _)| {
                // `crate::partner`, `partner::X` as a path segment, not `my_partner::`.
                let before = checked[..at].chars().next_back();
                !matches!(before, Some(c) if c.is_alphanumeric() || c == '_')
            })
        }) {
            found.push((number + 1, line.trim().to_owned()));
        }
    }
    found
}

#[test]
fn the_wire_core_never_names_a_generated_binding() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    core_files(&src, &mut files);
    files.sort();
    assert!(
        files.len() > 20,
        "the core's files were not found: {files:?}"
    );
    let mut broken = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        for (line, text) in upward_references(&source) {
            broken.push(format!("{}:{line}: {text}", file.display()));
        }
    }
    assert!(
        broken.is_empty(),
        "the wire core names a generated binding (move the code into runtime/src/partner/):\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_check_finds_what_it_is_for() {
    assert_eq!(
        upward_references("use crate::partner::QueryResult;").len(),
        1
    );
    assert_eq!(
        upward_references("    let r: partner::SaveResult;").len(),
        1
    );
    assert_eq!(
        upward_references("/// See [`Client`](crate::apex::Client).").len(),
        1
    );
    assert!(upward_references("/// `sforce::partner` adds `stream`.").is_empty());
    assert!(upward_references("let my_partner::x = 1; // partner::Client").is_empty());
}
