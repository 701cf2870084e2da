//! The org's objects: the bundled standard describes plus the user's, their tables, and
//! the one place a field's wire text becomes a SQLite value and back.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rusqlite::types::{Value, ValueRef};
use sforce_codegen::describe::{self, FieldDescribe, FieldType, SObjectDescribe};

use crate::ids;

/// The standard objects every org has, in the REST describe format: five captured from a
/// real org (see `describe/PROVENANCE.md`), the rest written for this crate by
/// `tools/write_describes.py` after Salesforce's object reference.
const BUNDLED: &[(&str, &str)] = &[
    ("Account", include_str!("../describe/Account.json")),
    ("Campaign", include_str!("../describe/Campaign.json")),
    ("Case", include_str!("../describe/Case.json")),
    ("Contact", include_str!("../describe/Contact.json")),
    ("Document", include_str!("../describe/Document.json")),
    (
        "EmailTemplate",
        include_str!("../describe/EmailTemplate.json"),
    ),
    ("Event", include_str!("../describe/Event.json")),
    ("Group", include_str!("../describe/Group.json")),
    ("Lead", include_str!("../describe/Lead.json")),
    ("Opportunity", include_str!("../describe/Opportunity.json")),
    ("Task", include_str!("../describe/Task.json")),
    ("User", include_str!("../describe/User.json")),
];

/// How a field is stored and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text compared without regard to case (`COLLATE NOCASE`), as SOQL compares.
    Text,
    /// An Id or reference: 18 characters, compared exactly.
    Id,
    /// `double`, `currency`, `percent`.
    Real,
    /// `int`, `long`.
    Integer,
    /// `boolean`, stored as 0 or 1.
    Boolean,
    /// `date`, stored as `YYYY-MM-DD`.
    Date,
    /// `datetime`, stored in UTC as `YYYY-MM-DDTHH:MM:SS.mmmZ` (so text order is time order).
    DateTime,
    /// `time`, stored as `HH:MM:SS.mmmZ`.
    Time,
    /// `address` and `location`: not stored; their component fields are.
    Compound,
}

pub(crate) fn kind(field: &FieldDescribe) -> Kind {
    match field.field_type {
        FieldType::Id | FieldType::Reference => Kind::Id,
        FieldType::Double | FieldType::Currency | FieldType::Percent => Kind::Real,
        FieldType::Int | FieldType::Long => Kind::Integer,
        FieldType::Boolean => Kind::Boolean,
        FieldType::Date => Kind::Date,
        FieldType::DateTime => Kind::DateTime,
        FieldType::Time => Kind::Time,
        FieldType::Address | FieldType::Location => Kind::Compound,
        _ => Kind::Text,
    }
}

/// The org's objects by name (any case) and by key prefix.
#[derive(Debug, Default)]
pub(crate) struct Objects {
    by_name: HashMap<String, Arc<SObjectDescribe>>,
    by_prefix: HashMap<String, Arc<SObjectDescribe>>,
    /// In name order, for describeGlobal and the tables.
    sorted: Vec<Arc<SObjectDescribe>>,
}

impl Objects {
    /// The bundled objects, then the dumps in `paths` (files or directories); a user's
    /// dump of a standard object replaces the bundled one.
    pub(crate) fn load(paths: &[PathBuf]) -> Result<Objects, String> {
        let mut all: Vec<SObjectDescribe> = Vec::new();
        for (name, text) in BUNDLED {
            let origin = PathBuf::from(format!("describe/{name}.json"));
            let read = describe::read_str(text, &origin).map_err(|e| e.to_string())?;
            all.extend(read);
        }
        if !paths.is_empty() {
            let schema = describe::load_all(paths).map_err(|e| e.to_string())?;
            for object in schema.objects() {
                all.retain(|o| !o.name.eq_ignore_ascii_case(&object.name));
                all.push(object.clone());
            }
        }
        all.sort_by(|a, b| a.name.cmp(&b.name));
        let mut objects = Objects::default();
        let mut custom = 0;
        for mut object in all {
            if object.key_prefix.is_none() {
                object.key_prefix = Some(ids::custom_prefix(custom));
                custom += 1;
            }
            if object.field("Id").is_none() {
                return Err(format!(
                    "the describe of `{}`{} has no `Id` field; every queryable object has one",
                    object.name,
                    source(&object)
                ));
            }
            let object = Arc::new(object);
            let prefix = object.key_prefix.clone().unwrap_or_default();
            objects.by_prefix.insert(prefix, object.clone());
            objects
                .by_name
                .insert(object.name.to_ascii_lowercase(), object.clone());
            objects.sorted.push(object);
        }
        Ok(objects)
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Arc<SObjectDescribe>> {
        self.by_name.get(&name.to_ascii_lowercase())
    }

    /// The object whose Ids start with `prefix`.
    pub(crate) fn by_prefix(&self, prefix: &str) -> Option<&Arc<SObjectDescribe>> {
        self.by_prefix.get(prefix)
    }

    pub(crate) fn all(&self) -> &[Arc<SObjectDescribe>] {
        &self.sorted
    }

    /// `CREATE TABLE IF NOT EXISTS` for every object: one column per stored field, plus
    /// the org's own bookkeeping (`_deleted_at`, when a record went to the recycle bin).
    pub(crate) fn ddl(&self) -> String {
        let mut sql = String::from(
            "CREATE TABLE IF NOT EXISTS _sequence (prefix TEXT PRIMARY KEY, next INTEGER NOT NULL);\n",
        );
        for object in &self.sorted {
            sql.push_str(&format!(
                "CREATE TABLE IF NOT EXISTS {} (",
                quote(&object.name)
            ));
            let mut first = true;
            for field in stored_fields(object) {
                if !first {
                    sql.push_str(", ");
                }
                first = false;
                sql.push_str(&quote(&field.name));
                sql.push_str(match kind(field) {
                    Kind::Text => " TEXT COLLATE NOCASE",
                    Kind::Real => " REAL",
                    Kind::Integer | Kind::Boolean => " INTEGER",
                    _ => " TEXT",
                });
                if field.name == "Id" {
                    sql.push_str(" PRIMARY KEY");
                }
            }
            if object.field("IsDeleted").is_none() {
                sql.push_str(", \"IsDeleted\" INTEGER NOT NULL DEFAULT 0");
            }
            sql.push_str(", _deleted_at TEXT);\n");
        }
        sql
    }
}

/// The fields with a column (all but the compound `address` and `location` fields).
pub(crate) fn stored_fields(object: &SObjectDescribe) -> impl Iterator<Item = &FieldDescribe> {
    object.fields.iter().filter(|f| kind(f) != Kind::Compound)
}

/// ` (describe/Account.json)`, or nothing for a dump not read from a file.
fn source(object: &SObjectDescribe) -> String {
    object
        .source
        .as_deref()
        .map(|p| format!(" ({})", p.display()))
        .unwrap_or_default()
}

/// A SQL identifier: `"Name"` (API names are letters, digits and `_`).
pub(crate) fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Why a value does not fit its field: the Salesforce status code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused {
    pub status: &'static str,
    pub message: String,
}

/// The SQLite value of wire text `text` for `field`.
pub(crate) fn to_sql(field: &FieldDescribe, text: &str) -> Result<Value, Refused> {
    let wrong = || Refused {
        status: "INVALID_TYPE_ON_FIELD_IN_RECORD",
        message: format!(
            "{}: value not of required type: {text}",
            field.label_or_name()
        ),
    };
    Ok(match kind(field) {
        Kind::Text | Kind::Compound => Value::Text(text.to_owned()),
        Kind::Id => {
            if text.is_empty() {
                return Ok(Value::Null);
            }
            match sforce::Id::new(text.trim()) {
                Ok(id) => Value::Text(id.as_str().to_owned()),
                Err(_) => {
                    return Err(Refused {
                        status: "MALFORMED_ID",
                        message: format!(
                            "{}: id value of incorrect type: {text}",
                            field.label_or_name()
                        ),
                    })
                }
            }
        }
        Kind::Real => Value::Real(sforce::convert::parse_double(text).ok_or_else(wrong)?),
        Kind::Integer => {
            Value::Integer(sforce::convert::parse_whole_number(text).ok_or_else(wrong)?)
        }
        Kind::Boolean => Value::Integer(i64::from(
            sforce::convert::parse_bool(text).ok_or_else(wrong)?,
        )),
        Kind::Date => Value::Text(
            sforce::convert::parse_date(text)
                .ok_or_else(wrong)?
                .format("%Y-%m-%d")
                .to_string(),
        ),
        Kind::DateTime => Value::Text(datetime_text(
            sforce::convert::parse_datetime(text).ok_or_else(wrong)?,
        )),
        Kind::Time => Value::Text(
            sforce::convert::parse_time(text)
                .ok_or_else(wrong)?
                .format("%H:%M:%S%.3fZ")
                .to_string(),
        ),
    })
}

/// The stored form of an instant.
pub(crate) fn datetime_text(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The wire text of a stored value (`None` for null).
pub(crate) fn to_wire(kind: Kind, value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(i) if kind == Kind::Boolean => {
            Some(if i != 0 { "true" } else { "false" }.to_owned())
        }
        ValueRef::Integer(i) if kind == Kind::Real => Some(java_double(i as f64)),
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(r) if kind == Kind::Integer => Some((r as i64).to_string()),
        ValueRef::Real(r) => Some(java_double(r)),
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
    }
}

/// A double as Salesforce (Java's `Double.toString`) writes it: `12.5`, `500000.0`,
/// `5.0E7`, `1.0E-4`.
pub(crate) fn java_double(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let magnitude = value.abs();
    if magnitude == 0.0 || (1e-3..1e7).contains(&magnitude) {
        let text = value.to_string();
        return if text.contains('.') {
            text
        } else {
            format!("{text}.0")
        };
    }
    let scientific = format!("{value:e}"); // `5e7`, `1.2345e-4`
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let mantissa = if mantissa.contains('.') {
        mantissa.to_owned()
    } else {
        format!("{mantissa}.0")
    };
    format!("{mantissa}E{exponent}")
}

/// A field's label, for messages (`Account Name`), else its API name.
pub(crate) trait LabelOrName {
    fn label_or_name(&self) -> &str;
}

impl LabelOrName for FieldDescribe {
    fn label_or_name(&self) -> &str {
        if self.label.is_empty() {
            &self.name
        } else {
            &self.label
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_are_written_the_java_way() {
        assert_eq!(java_double(12.5), "12.5");
        assert_eq!(java_double(500000.0), "500000.0");
        assert_eq!(java_double(5.0e7), "5.0E7");
        assert_eq!(java_double(12345678.0), "1.2345678E7");
        assert_eq!(java_double(0.0001), "1.0E-4");
        assert_eq!(java_double(0.0), "0.0");
        assert_eq!(java_double(-3.0), "-3.0");
    }

    #[test]
    fn the_bundled_objects_load_with_their_key_prefixes() {
        let objects = Objects::load(&[]).unwrap();
        let prefixes: Vec<(&str, &str)> = objects
            .all()
            .iter()
            .map(|o| (o.name.as_str(), o.key_prefix.as_deref().unwrap_or("")))
            .collect();
        for expected in [
            ("Account", "001"),
            ("Contact", "003"),
            ("Lead", "00Q"),
            ("Opportunity", "006"),
            ("Case", "500"),
            ("User", "005"),
            ("Group", "00G"),
            ("Campaign", "701"),
            ("Task", "00T"),
            ("Event", "00U"),
            ("Document", "015"),
            ("EmailTemplate", "00X"),
        ] {
            assert!(prefixes.contains(&expected), "{expected:?} in {prefixes:?}");
        }
        assert!(objects
            .ddl()
            .contains("CREATE TABLE IF NOT EXISTS \"Account\" (\"Id\" TEXT PRIMARY KEY"));
    }
}
