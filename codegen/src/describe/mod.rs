//! Describe dumps: the SOAP `describeSObjectResult` files `cargo sforce describe` writes and
//! the REST describe JSON users already have (`/sobjects/X/describe`,
//! `sf sobject describe --json`), read into one model ([`Schema`]).
//!
//! The format is told from the content, not the file name: JSON starts with `{`, XML with
//! `<` (after an optional byte order mark and whitespace).
//!
//! - **REST JSON**: the describe object itself, or `sf`'s wrapper
//!   `{"status": 0, "result": {…}}`. Members the model does not keep are ignored; members
//!   older API versions leave out (or set to `null`) read as false, 0 or empty. `name`
//!   is required on the object, each field (with `type`) and each picklist value (`value`).
//! - **SOAP XML**: a `describeSObjectResult` element (the dump format of
//!   `cargo sforce describe`: one per file), or a captured envelope whose
//!   `describeSObjectResponse` / `describeSObjectsResponse` holds `result` elements (one
//!   object each). Matched by local name; `xsi:nil` elements are absent; booleans are
//!   `true`/`false` (or `1`/`0`); a picklist value without `<active>` is active.
//! - A **describeGlobal** dump (JSON with `sobjects`, or XML `describeGlobalResult` /
//!   `describeGlobalResponse`) describes no object: it reads as an empty list, so a dump
//!   directory may keep one next to the object files.
//!
//! - A field, a picklist value of one field or a child relationship name listed twice
//!   with exactly the same spelling is an error naming both places (names that differ
//!   only in case, `type` and `Type`, are two entries and get two Rust names).
//! - XML dumps go through the limits of every XML input ([`crate::xml::MAX_ATTRIBUTES`],
//!   [`crate::xml::MAX_NAMESPACES_IN_SCOPE`]; no DTD).
//!
//! Errors are [`Error::Invalid`] (or [`Error::Xml`] for XML that is not well-formed) with
//! the file and the 1-based line and column of the offending place, and a message that
//! says what was expected.

pub mod model;
#[doc(hidden)]
pub mod testing;
pub mod types;

mod json;
mod xml;

use std::path::{Path, PathBuf};

pub use model::{
    ChildRelationship, FieldDescribe, FieldType, Listed, PicklistValue, Repeat, SObjectDescribe,
    Schema,
};

use crate::error::end_position;
use crate::{Error, Result};

/// Reads one dump file (any supported format) into the objects it describes: one for an
/// object dump, several for a `describeSObjects` capture, none for a describeGlobal dump.
/// Each object's [`SObjectDescribe::source`] is `path`.
///
/// ```no_run
/// let objects = sforce_codegen::describe::read_file("describe/Account.xml".as_ref())?;
/// assert_eq!(objects[0].name, "Account");
/// # Ok::<(), sforce_codegen::Error>(())
/// ```
pub fn read_file(path: &Path) -> Result<Vec<SObjectDescribe>> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        // The prefix is valid UTF-8 by construction.
        let before = std::str::from_utf8(valid).unwrap_or_default();
        let (line, column) = end_position(before);
        Error::Invalid {
            file: path.display().to_string(),
            line,
            column,
            message: "not UTF-8: expected a describe dump in UTF-8".to_owned(),
        }
    })?;
    read_str(&text, path)
}

/// Reads a dump held in memory; `origin` names it in errors and becomes each object's
/// [`SObjectDescribe::source`].
///
/// A field, picklist value or child relationship name listed twice (same spelling) is an
/// error at the second entry ([`SObjectDescribe::repeat`]). An XML dump with an element
/// of more than [`crate::xml::MAX_ATTRIBUTES`] attributes or more than
/// [`crate::xml::MAX_NAMESPACES_IN_SCOPE`] namespace prefixes in scope is an error, and a
/// DTD is refused.
///
/// ```
/// use std::path::Path;
/// let json = r#"{"name": "Thing__c", "fields": [{"name": "Id", "type": "id"}]}"#;
/// let objects = sforce_codegen::describe::read_str(json, Path::new("Thing__c.json"))?;
/// assert_eq!(objects[0].fields[0].name, "Id");
///
/// let err = sforce_codegen::describe::read_str("{\"name\": 1}", Path::new("x.json"))
///     .unwrap_err();
/// assert!(err.to_string().starts_with("x.json:1:"), "{err}");
/// # Ok::<(), sforce_codegen::Error>(())
/// ```
pub fn read_str(text: &str, origin: &Path) -> Result<Vec<SObjectDescribe>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = text.trim_start();
    match start.chars().next() {
        Some('{') => json::read(text, origin),
        Some('<') => xml::read(text, origin),
        found => {
            let (line, column) = end_position(&text[..text.len() - start.len()]);
            let found = match found {
                Some(c) => format!("`{c}`"),
                None => "an empty file".to_owned(),
            };
            Err(Error::Invalid {
                file: origin.display().to_string(),
                line,
                column,
                message: format!(
                    "expected a describe dump: REST describe JSON (starting with `{{`) or a \
                     SOAP describeSObjectResult (starting with `<`), found {found}"
                ),
            })
        }
    }
}

/// Reads a dump file, or every `*.json` and `*.xml` file directly in a directory (not its
/// subdirectories, in file name order), into one [`Schema`]. describeGlobal dumps are
/// skipped. An object described twice (in two files, or twice in one) is an error naming
/// both places; a directory without any dump file is an error.
///
/// ```no_run
/// let schema = sforce_codegen::describe::load("describe".as_ref())?;
/// assert!(schema.get("account").is_some());
/// # Ok::<(), sforce_codegen::Error>(())
/// ```
pub fn load(path: &Path) -> Result<Schema> {
    load_all(&[path])
}

/// [`load`] over several files or directories into one [`Schema`] (the `Builder` takes
/// `describe(path)` repeatedly); an object in two of them is an error naming both files.
pub fn load_all<P: AsRef<Path>>(paths: &[P]) -> Result<Schema> {
    let mut schema = Schema::new();
    for path in paths {
        for file in dump_files(path.as_ref())? {
            for object in read_file(&file)? {
                if let Some(existing) = schema.get(&object.name) {
                    let first = existing
                        .source
                        .as_deref()
                        .map_or_else(|| "<memory>".to_owned(), |p| p.display().to_string());
                    return Err(Error::Config(format!(
                        "sObject `{}` is described twice: in {first} and in {}; keep one dump \
                         per object",
                        object.name,
                        file.display()
                    )));
                }
                schema.insert(object);
            }
        }
    }
    Ok(schema)
}

/// The files [`load`] reads for `path`: the file itself, or the `*.json` and `*.xml` files
/// directly in the directory, sorted by name (for `cargo:rerun-if-changed` lines).
pub fn dump_files(path: &Path) -> Result<Vec<PathBuf>> {
    let io_error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(io_error)?;
    if !metadata.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(io_error)? {
        let entry = entry.map_err(io_error)?;
        let file = entry.path();
        let is_dump = file
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("xml"));
        if is_dump && file.is_file() {
            files.push(file);
        }
    }
    if files.is_empty() {
        return Err(Error::Config(format!(
            "no describe dumps in {}: expected *.json (REST describe) or *.xml \
             (describeSObjectResult) files",
            path.display()
        )));
    }
    files.sort();
    Ok(files)
}
