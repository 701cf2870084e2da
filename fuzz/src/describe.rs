//! `describe_xml` and `describe_json`: the describe dump readers
//! (`sforce_codegen::describe::read_str`). `read_str` picks the reader from the content
//! (`<` or `{` first), not from the file name, so each target skips input the other
//! reader would take; the objects read go through what every consumer asks of them (the
//! schema's look-ups and the Rust type and bind kind of each field).

use std::path::Path;

use sforce_codegen::describe::{read_str, types, Schema};
use sforce_codegen::Error;

/// Reads the input as a SOAP describe dump when it starts (after a byte order mark and
/// whitespace) with `<`.
pub fn run_xml(data: &[u8]) -> Result<(), Error> {
    run(data, '<', "x.xml")
}

/// Reads the input as a REST describe dump when it starts with `{`.
pub fn run_json(data: &[u8]) -> Result<(), Error> {
    run(data, '{', "x.json")
}

fn run(data: &[u8], first: char, origin: &str) -> Result<(), Error> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(());
    };
    let start = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
    if !start.starts_with(first) {
        return Ok(());
    }
    let objects = match read_str(text, Path::new(origin)) {
        Ok(objects) => objects,
        Err(e) => {
            let _ = e.to_string();
            return Err(e);
        }
    };
    let mut schema = Schema::new();
    for object in objects {
        for field in &object.fields {
            let _ = (types::rust_type(field), types::bind_kind(field));
            let _ = field.field_type.as_str();
            let _ = object.field(&field.name);
            if let Some(relationship) = &field.relationship_name {
                let _ = object.parent_relationship(relationship);
            }
        }
        for child in &object.child_relationships {
            if let Some(name) = &child.relationship_name {
                let _ = object.child_relationship(name);
            }
        }
        schema.insert(object);
    }
    let names: Vec<String> = schema.objects().map(|o| o.name.clone()).collect();
    for name in names {
        let _ = schema.get(&name);
    }
    Ok(())
}
