//! Typed sObjects: structs whose fields are typed from describe data, converting to and
//! from the dynamic [`SObject`](crate::SObject) the partner API sends.
//!
//! * [`Field`]: a three-state field (absent, null, value); [`FieldType`]: the Rust types
//!   a field can hold.
//! * [`SObjectType`]: what `#[sobject]` implements for a struct, with the rules of the
//!   conversions ([`FieldInfo`], [`WriteFor`]).
//! * [`Picklist`] enums and [`MultiPicklist`] sets; [`ChildRecords`] for subqueries.
//! * [`Query`]: a SOQL query typed to its rows. The typed calls that run queries and
//!   write records (`TypedClient`, `TypedStream`, …) come with a binding: `sforce::partner`.

mod child;
mod field;
mod picklist;
mod query;
mod sobject_type;

pub use child::ChildRecords;
pub use field::{Field, FieldType, Shape};
pub use picklist::{MultiPicklist, Picklist};
pub use query::Query;
pub use sobject_type::{FieldInfo, SObjectType, WriteFor};

/// The helpers the `#[sobject]` and `picklist!` expansions call (through `__private`).
pub(crate) mod expand {
    pub use super::picklist::{picklist_from_field, picklist_to_field};
    pub use super::sobject_type::{
        read_field, read_field_noting, retain_fields, sobject_from_field, sobject_to_field,
        writable, write_field, write_fields, DynField,
    };
}
