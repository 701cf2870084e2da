//! Which Rust types hold which describe field types: one table shared by the sObject
//! emitter, the `#[sobject]` check and the `soql!` check.

use super::model::{FieldDescribe, FieldType};

/// How a SOQL bind value for a field is checked and written (the runtime has one marker
/// type per kind in `sforce::soql::kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BindKind {
    /// Quoted, escaped text: string-like fields and picklists.
    Text,
    /// The pattern on the right of `LIKE`: the runtime's `Like`, or text as a pattern.
    Like,
    /// A record Id: `id` and `reference` fields.
    Id,
    /// `true` / `false`.
    Boolean,
    /// An integer: `int`, `long`, and `LIMIT` / `OFFSET`.
    Int,
    /// Any number: `double`, `currency`, `percent`.
    Number,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM-DDThh:mm:ssZ`.
    DateTime,
    /// `hh:mm:ss.sssZ`.
    Time,
    /// Anything the runtime can write (fields whose type gives no rule).
    Any,
}

impl BindKind {
    /// The name of the runtime marker type (`Text` → `sforce::soql::kind::Text`).
    pub fn marker(self) -> &'static str {
        match self {
            BindKind::Text => "Text",
            BindKind::Like => "Like",
            BindKind::Id => "Id",
            BindKind::Boolean => "Boolean",
            BindKind::Int => "Int",
            BindKind::Number => "Number",
            BindKind::Date => "Date",
            BindKind::DateTime => "DateTime",
            BindKind::Time => "Time",
            BindKind::Any => "Any",
        }
    }
}

/// The bind kind of a field.
pub fn bind_kind(field: &FieldDescribe) -> BindKind {
    match field.field_type {
        FieldType::Id | FieldType::Reference => BindKind::Id,
        FieldType::Boolean => BindKind::Boolean,
        FieldType::Int | FieldType::Long => BindKind::Int,
        FieldType::Double | FieldType::Currency | FieldType::Percent => BindKind::Number,
        FieldType::Date => BindKind::Date,
        FieldType::DateTime => BindKind::DateTime,
        FieldType::Time => BindKind::Time,
        FieldType::String
        | FieldType::Picklist
        | FieldType::MultiPicklist
        | FieldType::Combobox
        | FieldType::TextArea
        | FieldType::Phone
        | FieldType::Url
        | FieldType::Email
        | FieldType::EncryptedString
        | FieldType::DataCategoryGroupReference => BindKind::Text,
        _ => BindKind::Any,
    }
}

/// The Rust type that holds a field's value, as a path relative to the runtime crate
/// where it is a runtime type (`Id` → `{runtime}::Id`), for fields without a generated
/// type of their own. Picklists map to `String` here (the emitter generates enums for
/// them instead); multi-select picklists to `MultiPicklist<String>`.
pub fn rust_type(field: &FieldDescribe) -> RustType {
    match field.field_type {
        FieldType::Id | FieldType::Reference => RustType::Runtime("Id"),
        FieldType::Boolean => RustType::Plain("bool"),
        FieldType::Int => RustType::Plain("i32"),
        FieldType::Long => RustType::Plain("i64"),
        FieldType::Double | FieldType::Percent => RustType::Plain("f64"),
        FieldType::Currency => RustType::Runtime("Decimal"),
        FieldType::Date => RustType::Runtime("Date"),
        FieldType::DateTime => RustType::Runtime("DateTime"),
        FieldType::Time => RustType::Runtime("Time"),
        FieldType::Base64 => RustType::Runtime("Binary"),
        FieldType::Address => RustType::Runtime("Address"),
        FieldType::Location => RustType::Runtime("Location"),
        FieldType::MultiPicklist => RustType::Runtime("MultiPicklist<String>"),
        FieldType::AnyType | FieldType::ComplexValue | FieldType::Other(_) => {
            RustType::Runtime("FieldValue")
        }
        _ => RustType::Plain("String"),
    }
}

/// A Rust type for a field value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RustType {
    /// A std type, written as is (`String`, `bool`, `i32`).
    Plain(&'static str),
    /// A type of the runtime crate, written after its path (`Id`, `Decimal`).
    Runtime(&'static str),
}

impl RustType {
    /// The type as source text, with the runtime crate at `runtime` (`::sforce`).
    pub fn to_source(self, runtime: &str) -> String {
        match self {
            RustType::Plain(name) => name.to_owned(),
            RustType::Runtime(name) => format!("{runtime}::{name}"),
        }
    }
}

/// Type names the check knows (the last path segment). A user type with any other name
/// (an enum of picklist values, a newtype) is trusted.
pub const KNOWN: &[&str] = &[
    "String",
    "Text",
    "Id",
    "bool",
    "i8",
    "i16",
    "i32",
    "i64",
    "u8",
    "u16",
    "u32",
    "u64",
    "isize",
    "usize",
    "f32",
    "f64",
    "Decimal",
    "Date",
    "NaiveDate",
    "DateTime",
    "NaiveDateTime",
    "Time",
    "NaiveTime",
    "Binary",
    "Address",
    "Location",
    "MultiPicklist",
    "SObject",
    "ChildRecords",
    "FieldValue",
    "AnyValue",
];

/// Whether `type_name` is one of the [`KNOWN`] value types that hold a single field value
/// (not a record, a child query or a dynamic value): what a relationship cannot be.
pub fn is_scalar(type_name: &str) -> bool {
    KNOWN.contains(&type_name)
        && !matches!(
            type_name,
            "SObject" | "ChildRecords" | "FieldValue" | "AnyValue"
        )
}

/// Whether a Rust type named `type_name` (the last path segment of the value type inside
/// `Field<…>`, after `Box`) can hold values of `field`. `FieldValue` holds anything; an
/// unknown name is trusted. On failure, the names that would fit.
pub fn accepts(field: &FieldDescribe, type_name: &str) -> Result<(), &'static [&'static str]> {
    if type_name == "FieldValue" || !KNOWN.contains(&type_name) {
        return Ok(());
    }
    let fits: &'static [&'static str] = match field.field_type {
        FieldType::Id | FieldType::Reference => &["Id", "String", "Text"],
        FieldType::Boolean => &["bool"],
        FieldType::Int => &["i32", "i64", "f64", "Decimal"],
        FieldType::Long => &["i64", "Decimal"],
        FieldType::Double | FieldType::Percent => &["f64", "Decimal"],
        FieldType::Currency => &["Decimal", "f64"],
        FieldType::Date => &["Date", "NaiveDate"],
        FieldType::DateTime => &["DateTime"],
        FieldType::Time => &["Time", "NaiveTime"],
        FieldType::Base64 => &["Binary"],
        FieldType::Address => &["Address"],
        FieldType::Location => &["Location"],
        FieldType::MultiPicklist => &["MultiPicklist", "String", "Text"],
        FieldType::AnyType | FieldType::ComplexValue | FieldType::Other(_) => &["AnyValue"],
        _ => &["String", "Text"],
    };
    if fits.contains(&type_name) {
        Ok(())
    } else {
        Err(fits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: &str) -> FieldDescribe {
        FieldDescribe {
            name: "X".into(),
            field_type: FieldType::parse(kind),
            ..FieldDescribe::default()
        }
    }

    #[test]
    fn currency_is_decimal_and_rejects_bool() {
        let currency = field("currency");
        assert_eq!(rust_type(&currency), RustType::Runtime("Decimal"));
        assert_eq!(bind_kind(&currency), BindKind::Number);
        assert!(accepts(&currency, "Decimal").is_ok());
        assert!(accepts(&currency, "bool").is_err());
    }

    #[test]
    fn unknown_type_names_are_trusted() {
        assert!(accepts(&field("picklist"), "AccountIndustry").is_ok());
        assert_eq!(
            accepts(&field("picklist"), "i32"),
            Err(&["String", "Text"][..])
        );
    }
}
