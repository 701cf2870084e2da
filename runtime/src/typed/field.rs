//! [`Field`], the three-state field of a typed sObject, and [`FieldType`], the conversion
//! of one value to and from the dynamic [`FieldValue`].

use crate::any::AnyValue;
use crate::convert::{self, Binary, Date, DateTime, Decimal, Time};
use crate::id::Id;
use crate::sobject::{quoted, Address, FieldValue, Location, SObject, Text};

/// One field of a typed sObject: not requested (or not set), null, or a value.
///
/// The distinction matters both ways. Reading, a field the query did not select is
/// [`Field::Absent`] while a selected field without a value is [`Field::Null`]. Writing
/// (`create`, `update`, `upsert`), an absent field is not sent at all, a null one is sent in
/// `fieldsToNull` (it is cleared), and a value is sent as the new value.
///
/// ```
/// use sforce::Field;
///
/// let mut phone: Field<String> = Field::default();
/// assert!(phone.is_absent());
/// phone.set("555-0100".to_owned());
/// assert_eq!(phone.value().map(String::as_str), Some("555-0100"));
/// phone.set_null();
/// assert!(phone.is_null());
/// assert_eq!(phone.as_option(), Some(None));
/// assert_eq!(Field::from_option(Some(3)).into_value(), Some(3));
/// assert_eq!(Field::<i32>::from_option(None), Field::Null);
/// ```
#[derive(Default, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Field<T> {
    /// Not in the record: not selected by the query, or not set (never sent).
    #[default]
    Absent,
    /// Null: came back without a value, or is to be cleared (`fieldsToNull`).
    Null,
    /// A value.
    Value(T),
}

impl<T> Field<T> {
    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, mutably, if there is one.
    pub fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, if there is one, consuming the field.
    pub fn into_value(self) -> Option<T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    /// True for [`Field::Absent`].
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    /// True for [`Field::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    /// True for [`Field::Value`].
    pub fn is_value(&self) -> bool {
        matches!(self, Field::Value(_))
    }

    /// Sets the value.
    pub fn set(&mut self, value: T) {
        *self = Field::Value(value);
    }

    /// Sets the field to null (it will be cleared on `update`).
    pub fn set_null(&mut self) {
        *self = Field::Null;
    }

    /// Takes the field out, leaving [`Field::Absent`].
    pub fn take(&mut self) -> Field<T> {
        std::mem::take(self)
    }

    /// The field with `f` applied to its value; the state is kept.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(v) => Field::Value(f(v)),
        }
    }

    /// A field borrowing the value.
    pub fn as_ref(&self) -> Field<&T> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(v) => Field::Value(v),
        }
    }

    /// `Some(v)` is a value, `None` is [`Field::Null`] (never absent).
    pub fn from_option(value: Option<T>) -> Self {
        value.map_or(Field::Null, Field::Value)
    }

    /// `None` when absent, `Some(None)` when null, `Some(Some(v))` for a value.
    pub fn as_option(&self) -> Option<Option<&T>> {
        match self {
            Field::Absent => None,
            Field::Null => Some(None),
            Field::Value(v) => Some(Some(v)),
        }
    }
}

impl<T> From<T> for Field<T> {
    fn from(value: T) -> Self {
        Field::Value(value)
    }
}

/// Where a field's value sits in a record, which decides how it is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// A value of its own (text, number, date, Id, address, …).
    Scalar,
    /// A parent relationship (`Owner`, `Account`): a nested sObject.
    Parent,
    /// A child relationship subquery (`Contacts`): a query result of records.
    Children,
}

/// A Rust type that holds the value of one sObject field: converts from and to the
/// dynamic [`FieldValue`]. Errors are messages naming what was expected and what was
/// found; the caller adds the object and field.
///
/// Implemented for the scalar types of the runtime, for [`Address`] and [`Location`], for
/// [`AnyValue`] and [`FieldValue`] (anything), for [`SObject`] (a parent of any type),
/// for `Box<T>`, for picklists and multi-select picklists, for
/// [`ChildRecords`](crate::ChildRecords), and by every `#[sobject]` struct (as a parent).
///
/// ```
/// use sforce::{FieldType, FieldValue};
///
/// assert_eq!(i32::from_field(FieldValue::from("42")), Ok(42));
/// assert_eq!(
///     i32::from_field(FieldValue::from("abc")).unwrap_err(),
///     "expected an int, found text `abc`"
/// );
/// assert_eq!(true.to_field(), Ok(FieldValue::from("true")));
/// ```
pub trait FieldType: Sized {
    /// Where the value sits in a record.
    const SHAPE: Shape;
    /// Converts a (non-null) value read from a record.
    fn from_field(value: FieldValue) -> Result<Self, String>;
    /// Converts to the value written into a record.
    fn to_field(&self) -> Result<FieldValue, String>;
}

/// `expected <what>, found <value>`.
pub(crate) fn mismatch(what: &str, found: &FieldValue) -> String {
    format!("expected {what}, found {}", found.describe())
}

/// The text of a scalar value, or a mismatch message.
fn scalar_text<'a>(value: &'a FieldValue, what: &str) -> Result<&'a str, String> {
    value.as_str().ok_or_else(|| mismatch(what, value))
}

/// Parses the text of a scalar value with `parse`, or a message naming `what`.
fn parse_scalar<T>(
    value: &FieldValue,
    what: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, String> {
    let text = scalar_text(value, what)?;
    parse(text).ok_or_else(|| mismatch(what, value))
}

impl FieldType for String {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        match value {
            FieldValue::Text(t) => Ok(t.into_string()),
            FieldValue::Any(a) => Ok(a.text),
            other => Err(mismatch("text", &other)),
        }
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        Ok(FieldValue::from(self.as_str()))
    }
}

impl FieldType for Text {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        match value {
            FieldValue::Text(t) => Ok(t),
            FieldValue::Any(a) => Ok(Text::from(a.text)),
            other => Err(mismatch("text", &other)),
        }
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        Ok(FieldValue::Text(self.clone()))
    }
}

impl FieldType for bool {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        parse_scalar(&value, "a boolean", convert::parse_bool)
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        Ok(FieldValue::from(*self))
    }
}

/// A whole number sent in decimal form (`42.0`, `5.0E7`) is accepted, as the server
/// sends number fields with scale 0 that way; an aggregate `xsd:int` value too.
impl FieldType for i32 {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        parse_scalar(&value, "an int", |t| {
            convert::parse_whole_number(t).and_then(|v| i32::try_from(v).ok())
        })
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        Ok(FieldValue::from(*self))
    }
}

/// A whole number sent in decimal form (`5.0E7`) is accepted.
impl FieldType for i64 {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        parse_scalar(&value, "a long", convert::parse_whole_number)
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        Ok(FieldValue::from(*self))
    }
}

/// Java-style exponents (`5.0E7`) are accepted. Writing NaN or an infinity is an error:
/// Salesforce number fields cannot hold them.
impl FieldType for f64 {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        parse_scalar(&value, "a double", convert::parse_double)
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        if self.is_finite() {
            Ok(FieldValue::from(*self))
        } else {
            Err(format!(
                "`{self}` is not a finite number; Salesforce number fields cannot hold it"
            ))
        }
    }
}

impl FieldType for Decimal {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        parse_scalar(&value, "a decimal", convert::parse_decimal)
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        Ok(FieldValue::from(*self))
    }
}

impl FieldType for Date {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        parse_scalar(&value, "a date (YYYY-MM-DD)", convert::parse_date)
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        Ok(FieldValue::from(*self))
    }
}

impl FieldType for DateTime {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        parse_scalar(&value, "a dateTime", convert::parse_datetime)
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        Ok(FieldValue::from(*self))
    }
}

impl FieldType for Time {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        parse_scalar(&value, "a time (hh:mm:ss.sssZ)", convert::parse_time)
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        Ok(FieldValue::from(*self))
    }
}

impl FieldType for Binary {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        parse_scalar(&value, "base64 data", convert::parse_base64).map(Binary)
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        Ok(FieldValue::from(self.clone()))
    }
}

impl FieldType for Id {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        // Field values come from responses: read as the server wrote them (the one rule
        // for response Ids, `Id::from_server`).
        let text = scalar_text(&value, "an Id")?;
        Id::from_server(text.trim()).map_err(|e| {
            format!(
                "expected an Id, found text {}: {}",
                quoted(text),
                e.reason()
            )
        })
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        Ok(FieldValue::from(self.as_str()))
    }
}

impl FieldType for Address {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        match value {
            FieldValue::Address(a) => Ok(*a),
            other => Err(mismatch("an address", &other)),
        }
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        Ok(FieldValue::from(self.clone()))
    }
}

/// Also reads the location part of an address.
impl FieldType for Location {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        value
            .as_location()
            .ok_or_else(|| mismatch("a location", &value))
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        Ok(FieldValue::from(self.clone()))
    }
}

/// Any value, as it is.
impl FieldType for FieldValue {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        Ok(value)
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        Ok(self.clone())
    }
}

/// A typed value (`xsi:type`), or plain text (read without a type).
impl FieldType for AnyValue {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        match value {
            FieldValue::Any(a) => Ok(*a),
            FieldValue::Text(t) => Ok(AnyValue {
                xsi_type: None,
                text: t.into_string(),
            }),
            other => Err(mismatch("a value", &other)),
        }
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        Ok(FieldValue::from(self.clone()))
    }
}

/// A parent relationship of any type (`Owner` when it is a User or a Group).
impl FieldType for SObject {
    const SHAPE: Shape = Shape::Parent;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        match value {
            FieldValue::SObject(o) => Ok(*o),
            other => Err(mismatch("a nested sObject", &other)),
        }
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        Ok(FieldValue::from(self.clone()))
    }
}

impl<T: FieldType> FieldType for Box<T> {
    const SHAPE: Shape = T::SHAPE;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        T::from_field(value).map(Box::new)
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        (**self).to_field()
    }
}
