//! Seed data: records to create when the org starts, from JSON or CSV, with references
//! between them by key; and the bundled demo data set.
//!
//! JSON: one object whose keys are sObject names and whose values are lists of records;
//! a record's `@key` names it, and a field value `@key` refers to the record with that key
//! (`@me` is the org's user):
//!
//! ```json
//! { "Account": [ { "@key": "acme", "Name": "Acme", "Industry": "Energy" } ],
//!   "Contact": [ { "LastName": "Lovelace", "AccountId": "@acme" } ] }
//! ```
//!
//! CSV: a directory of `<sObject>.csv` files, a header row of field names (`@key` for the
//! key), one record per row, the same `@key` references. Records are created through the
//! same validation as `create`, in an order that creates every referenced record first.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sforce::{Id, SObject};

use crate::dml;
use crate::org::Org;

/// The demo data set (`--seed demo`): accounts across industries, their contacts and
/// opportunities, a lead, a document and an email template.
const DEMO: &str = include_str!("../seed/demo.json");

/// Where seed records come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seed {
    /// A `.json` file, or a directory of `.json` and `.csv` files.
    Path(PathBuf),
    /// The bundled demo data set.
    Demo,
}

/// One record to create, and where it was written.
struct Pending {
    record: SObject,
    key: Option<String>,
    /// Field name → key of the record it refers to.
    references: Vec<(String, String)>,
    origin: String,
}

/// Creates the seed records; returns how many.
pub(crate) fn load(org: &mut Org, seed: &Seed) -> Result<usize, String> {
    let mut pending = Vec::new();
    match seed {
        Seed::Demo => read_json(DEMO, "the demo data set", &mut pending)?,
        Seed::Path(path) if path.is_dir() => {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("json" | "csv")))
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(format!("{}: no .json or .csv seed files", path.display()));
            }
            for file in files {
                read_file(&file, &mut pending)?;
            }
        }
        Seed::Path(path) => read_file(path, &mut pending)?,
    }
    create_all(org, pending)
}

fn read_file(path: &Path, into: &mut Vec<Pending>) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let origin = path.display().to_string();
    match path.extension().and_then(|e| e.to_str()) {
        Some("csv") => {
            let object = path
                .file_stem()
                .and_then(|s| s.to_str())
                .ok_or_else(|| format!("{origin}: the file name must be the sObject name"))?;
            read_csv(&text, object, &origin, into)
        }
        _ => read_json(&text, &origin, into),
    }
}

fn read_json(text: &str, origin: &str, into: &mut Vec<Pending>) -> Result<(), String> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| format!("{origin}:{}:{}: {e}", e.line(), e.column()))?;
    let serde_json::Value::Object(objects) = value else {
        return Err(format!(
            "{origin}: expected an object of sObject names to lists of records"
        ));
    };
    for (object, records) in objects {
        let serde_json::Value::Array(records) = records else {
            return Err(format!("{origin}: `{object}` must be a list of records"));
        };
        for (index, record) in records.into_iter().enumerate() {
            let place = format!("{origin}: {object}[{index}]");
            let serde_json::Value::Object(fields) = record else {
                return Err(format!(
                    "{place}: a record is an object of field names to values"
                ));
            };
            let mut values = Vec::new();
            for (name, value) in fields {
                let text = match value {
                    serde_json::Value::Null => None,
                    serde_json::Value::String(s) => Some(s),
                    serde_json::Value::Bool(b) => Some(b.to_string()),
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    other => {
                        return Err(format!(
                            "{place}: field `{name}` is {other}; values are strings, numbers, booleans or null"
                        ))
                    }
                };
                values.push((name, text));
            }
            into.push(pending(&object, values, place));
        }
    }
    Ok(())
}

fn read_csv(text: &str, object: &str, origin: &str, into: &mut Vec<Pending>) -> Result<(), String> {
    let rows = parse_csv(text).map_err(|(line, message)| format!("{origin}:{line}: {message}"))?;
    let mut rows = rows.into_iter();
    let Some((_, header)) = rows.next() else {
        return Err(format!("{origin}: empty; the first row names the fields"));
    };
    for (line, row) in rows {
        if row.iter().all(String::is_empty) {
            continue;
        }
        if row.len() != header.len() {
            return Err(format!(
                "{origin}:{line}: {} values for {} columns",
                row.len(),
                header.len()
            ));
        }
        let values = header
            .iter()
            .zip(row)
            .map(|(name, value)| (name.clone(), (!value.is_empty()).then_some(value)))
            .collect();
        into.push(pending(object, values, format!("{origin}:{line}")));
    }
    Ok(())
}

/// A CSV row: the line it starts on and its fields.
type Row = (usize, Vec<String>);

/// RFC 4180 rows: quoted fields may hold commas, quotes (`""`) and line breaks. An error
/// names the line of the row it is in.
fn parse_csv(text: &str) -> Result<Vec<Row>, (usize, String)> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut row_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if field.is_empty() => quoted = true,
            ',' if !quoted => row.push(std::mem::take(&mut field)),
            '\r' if !quoted => {}
            '\n' if !quoted => {
                row.push(std::mem::take(&mut field));
                rows.push((row_line, std::mem::take(&mut row)));
                line += 1;
                row_line = line;
            }
            c => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
        }
    }
    if quoted {
        return Err((row_line, "a quoted field is not closed".to_owned()));
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push((row_line, row));
    }
    Ok(rows)
}

fn pending(object: &str, values: Vec<(String, Option<String>)>, origin: String) -> Pending {
    let mut record = SObject::new(object);
    let mut key = None;
    let mut references = Vec::new();
    for (name, value) in values {
        match value {
            _ if name == "@key" => key = value,
            Some(text) if text.starts_with('@') && text.len() > 1 => {
                references.push((name, text[1..].to_owned()));
            }
            Some(text) => {
                record.set(&name, text.as_str());
            }
            None => {}
        }
    }
    Pending {
        record,
        key,
        references,
        origin,
    }
}

/// Creates records whose references are all known, again and again, until all are
/// created; a reference to a key no record has, or a cycle, is an error naming it.
fn create_all(org: &mut Org, mut pending: Vec<Pending>) -> Result<usize, String> {
    let mut keys: HashMap<String, Id> = HashMap::from([("me".to_owned(), org.user_id)]);
    let declared: Vec<String> = pending.iter().filter_map(|p| p.key.clone()).collect();
    for p in &pending {
        for (field, key) in &p.references {
            if key != "me" && !declared.contains(key) {
                return Err(format!(
                    "{}: {field} refers to @{key}, which no seed record has",
                    p.origin
                ));
            }
        }
    }
    let mut created = 0;
    while !pending.is_empty() {
        let before = pending.len();
        let mut waiting = Vec::new();
        for mut p in pending {
            if !p.references.iter().all(|(_, key)| keys.contains_key(key)) {
                waiting.push(p);
                continue;
            }
            for (field, key) in &p.references {
                p.record.set(field, keys[key].as_str());
            }
            let outcome = dml::create(org, &p.record);
            match (outcome.id, outcome.rejection) {
                (Some(id), None) => {
                    if let Some(key) = &p.key {
                        keys.insert(key.clone(), id);
                    }
                    created += 1;
                }
                (_, rejection) => {
                    let why = rejection.map(|r| r.to_string()).unwrap_or_default();
                    return Err(format!(
                        "{}: the {} was refused: {why}",
                        p.origin, p.record.r#type
                    ));
                }
            }
        }
        if waiting.len() == before {
            let p = &waiting[0];
            return Err(format!(
                "{}: its references ({}) form a cycle",
                p.origin,
                p.references
                    .iter()
                    .map(|(f, k)| format!("{f} = @{k}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        pending = waiting;
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_keep_quotes_commas_and_line_numbers() {
        let rows =
            parse_csv("Name,Description\n\"Acme, Inc.\",\"said \"\"hi\"\"\ntwice\"\nPlain,\n")
                .unwrap();
        assert_eq!(
            rows[1],
            (
                2,
                vec!["Acme, Inc.".to_owned(), "said \"hi\"\ntwice".to_owned()]
            )
        );
        assert_eq!(rows[2], (4, vec!["Plain".to_owned(), String::new()]));
        assert_eq!(parse_csv("a,\"b\n").unwrap_err().0, 1);
    }
}
