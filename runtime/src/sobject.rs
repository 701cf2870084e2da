//! The dynamic partner sObject: any record of any type, fields by name.
//!
//! On the wire an sObject is `type`, `fieldsToNull*`, `Id`, then any number of fields in
//! the sObject namespace (`urn:sobject.partner.soap.sforce.com`). Every value is text
//! there; the typed getters ([`SObject::get_int`], [`SObject::get_datetime`], …) convert
//! on demand with the conversions of [`crate::convert`].
//!
//! ```
//! use sforce::SObject;
//!
//! let mut account = SObject::new("Account");
//! account.set("Name", "Acme").set("NumberOfEmployees", 250).set_null("Phone");
//! assert_eq!(account.get_int("NumberOfEmployees").unwrap(), Some(250));
//! assert!(account.is_null("phone"));
//! ```

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use arrayvec::ArrayString;

use crate::any::AnyValue;
use crate::convert::{self, Binary, Date, DateTime, Decimal, Time};
use crate::error::Error;
use crate::xml::{
    read_one, read_strict, require, Content, Element, FromXml, ToXml, XmlReader, XmlText, XmlWriter,
};

/// The namespace of sObject fields (`type`, `Id`, `Name`, …) in the partner API.
pub const SOBJECT_NS: &str = "urn:sobject.partner.soap.sforce.com";

/// The partner API's own namespace (`QueryResult`, `address` and their children).
pub const PARTNER_NS: &str = "urn:partner.soap.sforce.com";

/// The longest piece of a value quoted in an error message.
const MAX_QUOTED: usize = 120;

/// A record of any sObject type, as the partner API sends and takes it.
///
/// * [`r#type`](SObject::type) is the sObject type name (`Account`), [`id`](SObject::id)
///   the record Id. Neither is a field: the Id a query repeats (`<sf:Id>` twice per record,
///   or `<sf:Id xsi:nil="true"/>` when not selected) only ever fills `id`.
/// * Fields keep the order and the spelling they arrived or were set in; lookups by name
///   ignore ASCII case, as Salesforce API names do. A path such as `Owner.Name` reaches
///   into a parent relationship.
/// * [`get`](SObject::get) tells a field that came back null (`Some(FieldValue::Null)`)
///   from one that was not in the response at all (`None`).
///
/// Written (as a request value) in the partner schema order: `sf:type`,
/// `sf:fieldsToNull`*, `sf:Id` (left out when `id` is `None`, as the server allows for
/// `create`), then the fields. Null fields are not written as elements: their names go
/// into `sf:fieldsToNull`. Written as a result (by a server, through
/// [`XmlWriter::for_results`](crate::__private::XmlWriter::for_results)) it takes the form
/// Salesforce sends: records and parents with `xsi:type="sf:sObject"`, `sf:Id` written
/// twice when known and as `xsi:nil` when not, null fields as `xsi:nil` elements, no
/// `sf:fieldsToNull`. The `sf` prefix is assumed to be bound to
/// `urn:sobject.partner.soap.sforce.com`, which every partner request envelope declares.
#[derive(Clone, Default, PartialEq)]
pub struct SObject {
    /// The sObject type name (`Account`, `Opportunity`, `My_Object__c`).
    pub r#type: String,
    /// The record Id, if known.
    pub id: Option<String>,
    /// Fields to set to null on `update`/`upsert`, as listed on the wire. Null fields set
    /// with [`SObject::set_null`] are added here too.
    pub fields_to_null: Vec<String>,
    fields: Vec<(Text, FieldValue)>,
}

/// The value of one sObject field.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum FieldValue {
    /// `xsi:nil="true"`: the field is null.
    #[default]
    Null,
    /// A value in its text form (all scalar values are text on the wire).
    Text(Text),
    /// A parent relationship (`Owner`, `Account`): a nested sObject.
    SObject(Box<SObject>),
    /// A child relationship subquery (`Contacts`): its own query result.
    Query(Box<ChildQuery>),
    /// A compound address field (`BillingAddress`).
    Address(Box<Address>),
    /// A compound geolocation field.
    Location(Box<Location>),
    /// A value with some other `xsi:type` (aggregate results send `xsd:int`, `xsd:string`…).
    Any(Box<AnyValue>),
}

/// The records of a child relationship subquery (`SELECT (SELECT Id FROM Contacts) FROM
/// Account`), shaped like the partner `QueryResult`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChildQuery {
    /// All child records are in `records` (no `queryMore` needed).
    pub done: bool,
    /// The locator for `queryMore` when not done.
    pub query_locator: Option<String>,
    /// The child records returned so far.
    pub records: Vec<SObject>,
    /// The total number of child records.
    pub size: i32,
}

/// A compound address field (partner `address`: a `location` plus postal parts).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Address {
    /// Latitude in degrees.
    pub latitude: Option<f64>,
    /// Longitude in degrees.
    pub longitude: Option<f64>,
    /// City.
    pub city: Option<String>,
    /// Country name.
    pub country: Option<String>,
    /// ISO country code.
    pub country_code: Option<String>,
    /// How precise the geocode is (`Address`, `Street`, `Zip`, …).
    pub geocode_accuracy: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// State or province name.
    pub state: Option<String>,
    /// State code.
    pub state_code: Option<String>,
    /// Street, possibly several lines.
    pub street: Option<String>,
}

/// A compound geolocation field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Location {
    /// Latitude in degrees.
    pub latitude: Option<f64>,
    /// Longitude in degrees.
    pub longitude: Option<f64>,
}

/// Bytes of text kept inline in a [`Text`]: enough for a datetime
/// (`2013-05-22T17:07:44.000Z`).
const INLINE: usize = 24;

/// The text of a field value (or a field name): kept inline up to 24 bytes, which covers
/// Ids, dates, datetimes, numbers, booleans and most picklist values, and on the heap
/// beyond, so that reading a record allocates only for its longer values. Derefs to
/// `str`; converts from and into `String`.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    Inline(ArrayString<INLINE>),
    Heap(String),
}

impl Text {
    /// A copy of `text`.
    pub fn new(text: &str) -> Self {
        match ArrayString::from(text) {
            Ok(inline) => Text(Repr::Inline(inline)),
            Err(_) => Text(Repr::Heap(text.to_owned())),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline(text) => text,
            Repr::Heap(text) => text,
        }
    }

    /// The text as a `String`.
    pub fn into_string(self) -> String {
        match self.0 {
            Repr::Heap(text) => text,
            Repr::Inline(text) => text.as_str().to_owned(),
        }
    }

    /// Equal to `name` ignoring ASCII case (API names are case-insensitive).
    fn is(&self, name: &str) -> bool {
        self.as_str().eq_ignore_ascii_case(name)
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::new("")
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text::new(text)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        match ArrayString::from(&text) {
            Ok(inline) => Text(Repr::Inline(inline)),
            Err(_) => Text(Repr::Heap(text)),
        }
    }
}

impl From<Cow<'_, str>> for Text {
    fn from(text: Cow<'_, str>) -> Self {
        match text {
            Cow::Borrowed(t) => Text::new(t),
            Cow::Owned(t) => Text::from(t),
        }
    }
}

impl From<Text> for String {
    fn from(text: Text) -> Self {
        text.into_string()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

static NULL: FieldValue = FieldValue::Null;

impl FieldValue {
    /// True for [`FieldValue::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, FieldValue::Null)
    }

    /// The text of a scalar value (also of an [`FieldValue::Any`]); `None` otherwise.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            FieldValue::Text(s) => Some(s),
            FieldValue::Any(a) => Some(&a.text),
            _ => None,
        }
    }

    /// The nested sObject of a parent relationship.
    pub fn as_sobject(&self) -> Option<&SObject> {
        match self {
            FieldValue::SObject(o) => Some(o),
            _ => None,
        }
    }

    /// The result of a child relationship subquery.
    pub fn as_query(&self) -> Option<&ChildQuery> {
        match self {
            FieldValue::Query(q) => Some(q),
            _ => None,
        }
    }

    /// The compound address.
    pub fn as_address(&self) -> Option<&Address> {
        match self {
            FieldValue::Address(a) => Some(a),
            _ => None,
        }
    }

    /// The compound location (also the location part of an address).
    pub fn as_location(&self) -> Option<Location> {
        match self {
            FieldValue::Location(l) => Some((**l).clone()),
            FieldValue::Address(a) => Some(Location {
                latitude: a.latitude,
                longitude: a.longitude,
            }),
            _ => None,
        }
    }

    /// What kind of value this is, for messages (`null`, `text`, `a nested sObject`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            FieldValue::Null => "null",
            FieldValue::Text(_) => "text",
            FieldValue::SObject(_) => "a nested sObject",
            FieldValue::Query(_) => "a child query result",
            FieldValue::Address(_) => "an address",
            FieldValue::Location(_) => "a location",
            FieldValue::Any(_) => "a typed value",
        }
    }

    /// The value for messages: its kind, and its text (quoted, cut short) for scalars.
    pub(crate) fn describe(&self) -> String {
        match self {
            FieldValue::Text(s) => format!("text {}", quoted(s)),
            FieldValue::Any(a) => format!("{} {}", a.type_name(), quoted(&a.text)),
            FieldValue::SObject(o) => format!("a nested {} sObject", o.r#type),
            other => other.kind().to_owned(),
        }
    }
}

fn text_of<T: XmlText>(value: &T) -> String {
    let mut w = XmlWriter::new();
    value.write_text(&mut w);
    w.into_string()
}

impl From<&str> for FieldValue {
    fn from(value: &str) -> Self {
        FieldValue::Text(Text::new(value))
    }
}

impl From<String> for FieldValue {
    fn from(value: String) -> Self {
        FieldValue::Text(Text::from(value))
    }
}

impl From<&String> for FieldValue {
    fn from(value: &String) -> Self {
        FieldValue::Text(Text::new(value))
    }
}

impl From<Text> for FieldValue {
    fn from(value: Text) -> Self {
        FieldValue::Text(value)
    }
}

macro_rules! text_from {
    ($($ty:ty),*) => {$(
        impl From<$ty> for FieldValue {
            fn from(value: $ty) -> Self {
                FieldValue::Text(Text::from(text_of(&value)))
            }
        }
    )*};
}

text_from!(bool, i32, i64, f64, Decimal, Date, DateTime, Time, Binary);

impl From<Vec<u8>> for FieldValue {
    fn from(value: Vec<u8>) -> Self {
        FieldValue::Text(Text::from(convert::encode_base64(&value)))
    }
}

impl From<&[u8]> for FieldValue {
    fn from(value: &[u8]) -> Self {
        FieldValue::Text(Text::from(convert::encode_base64(value)))
    }
}

impl From<SObject> for FieldValue {
    fn from(value: SObject) -> Self {
        FieldValue::SObject(Box::new(value))
    }
}

impl From<ChildQuery> for FieldValue {
    fn from(value: ChildQuery) -> Self {
        FieldValue::Query(Box::new(value))
    }
}

impl From<Address> for FieldValue {
    fn from(value: Address) -> Self {
        FieldValue::Address(Box::new(value))
    }
}

impl From<Location> for FieldValue {
    fn from(value: Location) -> Self {
        FieldValue::Location(Box::new(value))
    }
}

impl From<AnyValue> for FieldValue {
    fn from(value: AnyValue) -> Self {
        FieldValue::Any(Box::new(value))
    }
}

/// `None` is [`FieldValue::Null`].
impl<T: Into<FieldValue>> From<Option<T>> for FieldValue {
    fn from(value: Option<T>) -> Self {
        value.map_or(FieldValue::Null, Into::into)
    }
}

/// `"value"` for messages, cut short when long.
pub(crate) fn quoted(s: &str) -> String {
    if s.chars().count() <= MAX_QUOTED {
        format!("`{s}`")
    } else {
        let cut: String = s.chars().take(MAX_QUOTED).collect();
        format!("`{cut}…` ({} bytes)", s.len())
    }
}

fn field_error(field: &str, message: impl Into<String>) -> Error {
    Error::Field {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// Where a path led.
enum Found<'a> {
    Value(&'a FieldValue),
    /// The record Id (`Id`), which is not a field.
    Id(Option<&'a str>),
}

impl SObject {
    /// An empty sObject of type `type_name` (`Account`), to fill with [`SObject::set`].
    pub fn new(type_name: impl Into<String>) -> Self {
        SObject {
            r#type: type_name.into(),
            ..SObject::default()
        }
    }

    /// The same sObject with Id `id` (for `update`, `delete`, …).
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The same sObject with field `name` set to `value` (see [`SObject::set`]).
    pub fn with(mut self, name: &str, value: impl Into<FieldValue>) -> Self {
        self.set(name, value);
        self
    }

    /// The same sObject with field `name` set to null (see [`SObject::set_null`]).
    pub fn with_null(mut self, name: &str) -> Self {
        self.set_null(name);
        self
    }

    /// The sObject type name.
    pub fn type_name(&self) -> &str {
        &self.r#type
    }

    /// Sets field `name` (replacing a value under the same name in any case) and takes it
    /// off `fields_to_null`. `Id` sets [`SObject::id`] instead; a null value is the same
    /// as [`SObject::set_null`]. API names are ASCII letters, digits and `_`: any other
    /// character in `name` is replaced by `_`, so a name can never inject markup.
    pub fn set(&mut self, name: &str, value: impl Into<FieldValue>) -> &mut Self {
        let value = value.into();
        if value.is_null() {
            return self.set_null(name);
        }
        if name.eq_ignore_ascii_case("Id") {
            if let FieldValue::Text(id) = value {
                self.id = Some(id.into_string());
                self.fields_to_null
                    .retain(|n| !n.eq_ignore_ascii_case(name));
                return self;
            }
        }
        let name = clean_name(name);
        self.fields_to_null
            .retain(|n| !n.eq_ignore_ascii_case(&name));
        match self.position(&name) {
            Some(i) => self.fields[i].1 = value,
            None => self.fields.push((Text::new(&name), value)),
        }
        self
    }

    /// Sets field `name` to null: the field reads as null and its name is written in
    /// `sf:fieldsToNull`, which is how `update` and `upsert` clear a field.
    pub fn set_null(&mut self, name: &str) -> &mut Self {
        if name.eq_ignore_ascii_case("Id") {
            self.id = None;
            return self;
        }
        let name = clean_name(name);
        match self.position(&name) {
            Some(i) => self.fields[i].1 = FieldValue::Null,
            None => self.fields.push((Text::new(&name), FieldValue::Null)),
        }
        if !self
            .fields_to_null
            .iter()
            .any(|n| n.eq_ignore_ascii_case(&name))
        {
            self.fields_to_null.push(name.into_owned());
        }
        self
    }

    /// Removes field `name` (any case) and returns its value. The Id is not a field.
    pub fn remove(&mut self, name: &str) -> Option<FieldValue> {
        self.fields_to_null
            .retain(|n| !n.eq_ignore_ascii_case(name));
        let i = self.position(name)?;
        Some(self.fields.remove(i).1)
    }

    /// Removes field `name` (any case) for a typed conversion and returns its value: a name
    /// only listed in `fields_to_null` gives [`FieldValue::Null`]. The Id is not a field.
    pub(crate) fn take(&mut self, name: &str) -> Option<FieldValue> {
        match self.position(name) {
            Some(i) => Some(self.fields.remove(i).1),
            None if self
                .fields_to_null
                .iter()
                .any(|n| n.eq_ignore_ascii_case(name)) =>
            {
                Some(FieldValue::Null)
            }
            None => None,
        }
    }

    /// A copy of the value at `path` (`Owner.Name`, `Account.Owner.Id`) for a typed
    /// conversion: `Ok(None)` when not in the record, [`FieldValue::Null`] when null or a
    /// parent on the way is null; a final `Id` gives the parent's [`SObject::id`] as text.
    /// An error when a step on the way is not a nested sObject.
    pub(crate) fn path_value(&self, path: &str) -> Result<Option<FieldValue>, Error> {
        Ok(match self.lookup(path)? {
            None => None,
            Some(Found::Value(v)) => Some(v.clone()),
            Some(Found::Id(None)) => None,
            Some(Found::Id(Some(id))) => Some(FieldValue::Text(Text::new(id))),
        })
    }

    /// The fields in order, with their names as spelled in the response or when set.
    pub fn fields(&self) -> impl ExactSizeIterator<Item = (&str, &FieldValue)> + '_ {
        self.fields.iter().map(|(n, v)| (n.as_str(), v))
    }

    /// The field names in order.
    pub fn field_names(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.fields.iter().map(|(n, _)| n.as_str())
    }

    /// The number of fields (not counting `type` and `Id`).
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when there are no fields (`type` and `Id` aside).
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|(n, _)| n.is(name))
    }

    fn find(&self, name: &str) -> Option<&FieldValue> {
        self.fields.iter().find(|(n, _)| n.is(name)).map(|(_, v)| v)
    }

    /// The value of field `name` (any case), or of a path through parent relationships
    /// (`Owner.Name`): `None` when the field was not in the response (not requested),
    /// `Some(FieldValue::Null)` when it came back null (also when a parent on the path is
    /// null). The Id is [`SObject::id`], not a field.
    pub fn get(&self, name: &str) -> Option<&FieldValue> {
        match self.lookup(name) {
            Ok(Some(Found::Value(v))) => Some(v),
            _ => None,
        }
    }

    /// True when field `name` (or path) is in the response or was set, null or not.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// True when field `name` (or path) is null, or listed in `fields_to_null`.
    pub fn is_null(&self, name: &str) -> bool {
        matches!(self.get(name), Some(FieldValue::Null))
            || self
                .fields_to_null
                .iter()
                .any(|n| n.eq_ignore_ascii_case(name))
    }

    fn lookup(&self, path: &str) -> Result<Option<Found<'_>>, Error> {
        let mut current = self;
        let mut rest = path;
        loop {
            let Some((head, tail)) = rest.split_once('.') else {
                return Ok(match current.find(rest) {
                    Some(v) => Some(Found::Value(v)),
                    None if rest.eq_ignore_ascii_case("Id") => {
                        Some(Found::Id(current.id.as_deref()))
                    }
                    None => None,
                });
            };
            match current.find(head) {
                Some(FieldValue::SObject(o)) => {
                    current = o;
                    rest = tail;
                }
                Some(FieldValue::Null) => return Ok(Some(Found::Value(&NULL))),
                Some(other) => {
                    return Err(field_error(
                        path,
                        format!("`{head}` is {}, not a nested sObject", other.describe()),
                    ))
                }
                None => return Ok(None),
            }
        }
    }

    fn lookup_value(&self, name: &str) -> Result<Found<'_>, Error> {
        self.lookup(name)?
            .ok_or_else(|| field_error(name, "not in the result (not requested)"))
    }

    /// The text of field `name` (or path; `Id` gives [`SObject::id`]): `Ok(None)` when
    /// null; an error when the field is absent or not a scalar value.
    pub fn get_str(&self, name: &str) -> Result<Option<&str>, Error> {
        match self.lookup_value(name)? {
            Found::Id(id) => Ok(id),
            Found::Value(FieldValue::Null) => Ok(None),
            Found::Value(v) => v
                .as_str()
                .map(Some)
                .ok_or_else(|| field_error(name, format!("is {}, not a text value", v.describe()))),
        }
    }

    fn get_parsed<T>(
        &self,
        name: &str,
        what: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<Option<T>, Error> {
        match self.get_str(name)? {
            None => Ok(None),
            Some(text) => parse(text).map(Some).ok_or_else(|| {
                field_error(name, format!("{} is not a valid {what}", quoted(text)))
            }),
        }
    }

    /// Field `name` as a boolean (`true`/`false`/`1`/`0`).
    pub fn get_bool(&self, name: &str) -> Result<Option<bool>, Error> {
        self.get_parsed(name, "boolean", convert::parse_bool)
    }

    /// Field `name` as an `i32`; a whole number sent in decimal form (`42.0`) is accepted.
    pub fn get_int(&self, name: &str) -> Result<Option<i32>, Error> {
        self.get_parsed(name, "int", |t| {
            convert::parse_whole_number(t).and_then(|v| i32::try_from(v).ok())
        })
    }

    /// Field `name` as an `i64`; a whole number sent in decimal form (`5.0E7`) is accepted.
    pub fn get_long(&self, name: &str) -> Result<Option<i64>, Error> {
        self.get_parsed(name, "long", convert::parse_whole_number)
    }

    /// Field `name` as an `f64` (Java-style exponents such as `5.0E7` accepted).
    pub fn get_double(&self, name: &str) -> Result<Option<f64>, Error> {
        self.get_parsed(name, "double", convert::parse_double)
    }

    /// Field `name` as an exact decimal (currency, percent, number fields).
    pub fn get_decimal(&self, name: &str) -> Result<Option<Decimal>, Error> {
        self.get_parsed(name, "decimal", convert::parse_decimal)
    }

    /// Field `name` as a date (`2024-02-29`).
    pub fn get_date(&self, name: &str) -> Result<Option<Date>, Error> {
        self.get_parsed(name, "date", convert::parse_date)
    }

    /// Field `name` as a date and time in UTC (`2013-05-22T17:07:44.000Z`).
    pub fn get_datetime(&self, name: &str) -> Result<Option<DateTime>, Error> {
        self.get_parsed(name, "dateTime", convert::parse_datetime)
    }

    /// Field `name` as a time of day (`13:05:00.000Z`).
    pub fn get_time(&self, name: &str) -> Result<Option<Time>, Error> {
        self.get_parsed(name, "time", convert::parse_time)
    }

    /// Field `name` decoded from base64 (a `base64` field such as `Attachment.Body`).
    pub fn get_base64(&self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        self.get_parsed(name, "base64Binary", convert::parse_base64)
    }

    /// A multi-select picklist `a;b;c` as its values (an empty value gives none).
    pub fn get_array(&self, name: &str) -> Result<Option<Vec<String>>, Error> {
        Ok(self.get_str(name)?.map(|text| {
            if text.is_empty() {
                Vec::new()
            } else {
                text.split(';').map(str::to_owned).collect()
            }
        }))
    }

    fn get_kind<'s, T: ?Sized>(
        &'s self,
        name: &str,
        want: &str,
        pick: impl FnOnce(&'s FieldValue) -> Option<&'s T>,
    ) -> Result<Option<&'s T>, Error> {
        match self.lookup_value(name)? {
            Found::Id(id) => Err(field_error(
                name,
                format!(
                    "is the record Id {}, not {want}",
                    quoted(id.unwrap_or("null"))
                ),
            )),
            Found::Value(FieldValue::Null) => Ok(None),
            Found::Value(v) => pick(v)
                .map(Some)
                .ok_or_else(|| field_error(name, format!("is {}, not {want}", v.describe()))),
        }
    }

    /// The parent record of relationship `name` (`Owner`, `Account`).
    pub fn get_sobject(&self, name: &str) -> Result<Option<&SObject>, Error> {
        self.get_kind(name, "a nested sObject", FieldValue::as_sobject)
    }

    /// The child records of subquery relationship `name` (`Contacts`), with `done`,
    /// `query_locator` and `size`. A relationship with no children comes back null.
    pub fn get_query(&self, name: &str) -> Result<Option<&ChildQuery>, Error> {
        self.get_kind(name, "a child query result", FieldValue::as_query)
    }

    /// The compound address field `name` (`BillingAddress`).
    pub fn get_address(&self, name: &str) -> Result<Option<&Address>, Error> {
        self.get_kind(name, "an address", FieldValue::as_address)
    }

    /// The compound location field `name` (or the location part of an address field).
    pub fn get_location(&self, name: &str) -> Result<Option<Location>, Error> {
        match self.lookup_value(name)? {
            Found::Value(FieldValue::Null) => Ok(None),
            Found::Value(v) => v
                .as_location()
                .map(Some)
                .ok_or_else(|| field_error(name, format!("is {}, not a location", v.describe()))),
            Found::Id(_) => Err(field_error(name, "is the record Id, not a location")),
        }
    }
}

impl fmt::Debug for SObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Fields<'a>(&'a [(Text, FieldValue)]);
        impl fmt::Debug for Fields<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_map()
                    .entries(self.0.iter().map(|(n, v)| (n.as_str(), v)))
                    .finish()
            }
        }
        let mut s = f.debug_struct("SObject");
        s.field("type", &self.r#type).field("id", &self.id);
        if !self.fields_to_null.is_empty() {
            s.field("fields_to_null", &self.fields_to_null);
        }
        s.field("fields", &Fields(&self.fields)).finish()
    }
}

// ---------------------------------------------------------------------------------------
// Reading

/// The fields of the records being read, innermost record last. Each record's fields are
/// moved out into one exactly sized `Vec` when it ends, instead of growing a `Vec` per
/// record; the buffer itself is reused from record to record (see [`SCRATCH`]).
type Scratch = Vec<(Text, FieldValue)>;

thread_local! {
    /// The [`Scratch`] buffer kept between records read on this thread.
    static SCRATCH: Cell<Scratch> = const { Cell::new(Vec::new()) };
}

/// Runs `read` with this thread's scratch buffer.
fn with_scratch<T>(read: impl FnOnce(&mut Scratch) -> Result<T, Error>) -> Result<T, Error> {
    let mut scratch = SCRATCH.with(Cell::take);
    let result = read(&mut scratch);
    scratch.clear();
    SCRATCH.with(|s| s.set(scratch));
    result
}

impl FromXml for SObject {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        with_scratch(|scratch| read_sobject(reader, element, scratch))
    }
}

fn read_sobject(
    r: &mut XmlReader<'_>,
    element: &Element<'_>,
    scratch: &mut Scratch,
) -> Result<SObject, Error> {
    let mut obj = SObject::default();
    if element.is_nil() {
        r.skip(element)?;
    } else {
        read_sobject_body(r, element, None, &mut obj, scratch)?;
    }
    Ok(obj)
}

/// Reads the children of an sObject element into `obj`, starting with `first` when the
/// caller already took the first child.
fn read_sobject_body<'a>(
    r: &mut XmlReader<'a>,
    parent: &Element<'_>,
    first: Option<Element<'a>>,
    obj: &mut SObject,
    scratch: &mut Scratch,
) -> Result<(), Error> {
    let start = scratch.len();
    let result = read_sobject_children(r, parent, first, obj, scratch);
    if result.is_ok() && scratch.len() > start {
        obj.fields = scratch.drain(start..).collect();
    } else {
        scratch.truncate(start);
    }
    result
}

fn read_sobject_children<'a>(
    r: &mut XmlReader<'a>,
    parent: &Element<'_>,
    mut first: Option<Element<'a>>,
    obj: &mut SObject,
    scratch: &mut Scratch,
) -> Result<(), Error> {
    let mut type_seen = false;
    loop {
        let child = match first.take() {
            Some(c) => c,
            None => match r.next_child(parent)? {
                Some(c) => c,
                None => return Ok(()),
            },
        };
        match sobject_part(r, &child) {
            SObjectPart::Type => {
                read_one(r, parent, &child, &mut type_seen, &mut obj.r#type)?;
            }
            SObjectPart::Id => {
                if takes_id(obj.id.is_some(), &child) {
                    obj.id = Some(r.text(&child)?.into_owned());
                } else {
                    r.skip(&child)?;
                }
            }
            SObjectPart::FieldsToNull => {
                if child.is_nil() {
                    r.skip(&child)?;
                } else {
                    obj.fields_to_null.push(r.text(&child)?.into_owned());
                }
            }
            SObjectPart::Field => {
                let name = match std::str::from_utf8(child.local_name()) {
                    Ok(n) => Text::new(n),
                    Err(_) => return Err(r.error_at(child.offset(), "field name is not UTF-8")),
                };
                let value = read_field_value(r, &child, scratch)?;
                scratch.push((name, value));
            }
        }
    }
}

// The rules of the sObject wire form, once: [`read_sobject_children`] and
// [`read_field_value`] follow them, and so does `cargo sforce decode` (crate `sforce-cli`),
// which walks an envelope with the same [`XmlReader`] driven by a WSDL model instead of
// generated types. Not part of the stable API.

/// What a child element of an sObject is (see [`sobject_part`]).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SObjectPart {
    /// `sf:type`: the sObject type name.
    Type,
    /// `sf:Id`, possibly one of several copies (see [`takes_id`]).
    Id,
    /// `sf:fieldsToNull`.
    FieldsToNull,
    /// Any other element: a field, named by its local name.
    Field,
}

/// Classifies `child`, a child element of an sObject just returned by `reader`: `type`,
/// `Id` and `fieldsToNull` in the sObject namespace ([`SOBJECT_NS`]) are the record's
/// own parts; every other element is a field.
#[doc(hidden)]
pub fn sobject_part(reader: &XmlReader<'_>, child: &Element<'_>) -> SObjectPart {
    let part = match child.local_name() {
        b"type" => SObjectPart::Type,
        b"Id" => SObjectPart::Id,
        b"fieldsToNull" => SObjectPart::FieldsToNull,
        _ => return SObjectPart::Field,
    };
    if reader.namespace_is(child, SOBJECT_NS) {
        part
    } else {
        SObjectPart::Field
    }
}

/// The duplicated `Id` rule: query results repeat `<sf:Id>` (and send `<sf:Id
/// xsi:nil="true"/>` when the Id was not selected); the first copy that is not nil is the
/// record's Id, and every other copy is skipped. `have_id` says whether an earlier copy was
/// taken; true when the `Id` element `child` is to be read as the Id.
#[doc(hidden)]
pub fn takes_id(have_id: bool, child: &Element<'_>) -> bool {
    !have_id && !child.is_nil()
}

/// How a field element of an sObject is read (see [`field_kind`]).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// `xsi:nil="true"`: [`FieldValue::Null`].
    Nil,
    /// `xsi:type="sObject"` (any prefix): a parent relationship, [`FieldValue::SObject`].
    SObject,
    /// `xsi:type="QueryResult"`: a child relationship, [`FieldValue::Query`].
    Query,
    /// `xsi:type="address"`: [`FieldValue::Address`].
    Address,
    /// `xsi:type="location"`: [`FieldValue::Location`].
    Location,
    /// Any other `xsi:type` (`xsd:int` in aggregate results): [`FieldValue::Any`].
    Typed,
    /// No `xsi:type`: text is [`FieldValue::Text`]; element content is a nested sObject
    /// written without `xsi:type`, as requests write one.
    Untyped,
}

/// The `xsi:nil` and `xsi:type` dispatch of one sObject field element (nil first, then the
/// local part of `xsi:type`, whatever its prefix).
#[doc(hidden)]
pub fn field_kind(el: &Element<'_>) -> FieldKind {
    if el.is_nil() {
        return FieldKind::Nil;
    }
    let Some(raw) = el.xsi_type_raw() else {
        return FieldKind::Untyped;
    };
    let local = match raw.iter().rposition(|&c| c == b':') {
        Some(i) => &raw[i + 1..],
        None => &raw[..],
    };
    match local {
        b"sObject" => FieldKind::SObject,
        b"QueryResult" => FieldKind::Query,
        b"address" => FieldKind::Address,
        b"location" => FieldKind::Location,
        _ => FieldKind::Typed,
    }
}

/// Reads one field element (just returned by the reader) into its value.
fn read_field_value(
    r: &mut XmlReader<'_>,
    el: &Element<'_>,
    scratch: &mut Scratch,
) -> Result<FieldValue, Error> {
    match field_kind(el) {
        FieldKind::Nil => {
            r.skip(el)?;
            Ok(FieldValue::Null)
        }
        FieldKind::SObject => read_sobject(r, el, scratch).map(FieldValue::from),
        FieldKind::Query => read_child_query(r, el, scratch).map(FieldValue::from),
        FieldKind::Address => Address::read_xml(r, el).map(FieldValue::from),
        FieldKind::Location => Location::read_xml(r, el).map(FieldValue::from),
        FieldKind::Typed => crate::any::read_any_value(r, el).map(|v| FieldValue::Any(Box::new(v))),
        FieldKind::Untyped => match r.text_or_child(el)? {
            Content::Text(text) => Ok(FieldValue::Text(Text::from(text))),
            // Element content without `xsi:type`: a nested sObject as requests write it
            // (`<sf:Account><sf:type>Account</sf:type>…`).
            Content::Child(first) => {
                let mut obj = SObject::default();
                read_sobject_body(r, el, Some(first), &mut obj, scratch)?;
                Ok(FieldValue::SObject(Box::new(obj)))
            }
        },
    }
}

impl FromXml for ChildQuery {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        with_scratch(|scratch| read_child_query(reader, element, scratch))
    }
}

fn read_child_query(
    r: &mut XmlReader<'_>,
    element: &Element<'_>,
    scratch: &mut Scratch,
) -> Result<ChildQuery, Error> {
    // The same rules as the generated `QueryResult`: `done` and `size` must be there and
    // not nil, and no singular element may repeat.
    let mut out = ChildQuery::default();
    let mut seen = [false; 3];
    while let Some(child) = r.next_child(element)? {
        match child.local_name() {
            b"done" => read_strict(r, element, &child, &mut seen[0], &mut out.done)?,
            b"queryLocator" => {
                read_one(r, element, &child, &mut seen[1], &mut out.query_locator)?;
            }
            b"records" => {
                if child.is_nil() {
                    r.skip(&child)?;
                } else {
                    out.records.push(read_sobject(r, &child, scratch)?);
                }
            }
            b"size" => read_strict(r, element, &child, &mut seen[2], &mut out.size)?,
            _ => r.skip(&child)?,
        }
    }
    require(r, element, seen[0], "done")?;
    require(r, element, seen[2], "size")?;
    Ok(out)
}

impl FromXml for Address {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        let mut a = Address::default();
        let mut seen = [false; 10];
        while let Some(child) = reader.next_child(element)? {
            let (i, slot) = match child.local_name() {
                b"latitude" => {
                    read_one(reader, element, &child, &mut seen[0], &mut a.latitude)?;
                    continue;
                }
                b"longitude" => {
                    read_one(reader, element, &child, &mut seen[1], &mut a.longitude)?;
                    continue;
                }
                b"city" => (2, &mut a.city),
                b"country" => (3, &mut a.country),
                b"countryCode" => (4, &mut a.country_code),
                b"geocodeAccuracy" => (5, &mut a.geocode_accuracy),
                b"postalCode" => (6, &mut a.postal_code),
                b"state" => (7, &mut a.state),
                b"stateCode" => (8, &mut a.state_code),
                b"street" => (9, &mut a.street),
                _ => {
                    reader.skip(&child)?;
                    continue;
                }
            };
            read_one(reader, element, &child, &mut seen[i], slot)?;
        }
        Ok(a)
    }
}

impl FromXml for Location {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        let mut l = Location::default();
        let mut seen = [false; 2];
        while let Some(child) = reader.next_child(element)? {
            match child.local_name() {
                b"latitude" => read_one(reader, element, &child, &mut seen[0], &mut l.latitude)?,
                b"longitude" => read_one(reader, element, &child, &mut seen[1], &mut l.longitude)?,
                _ => reader.skip(&child)?,
            }
        }
        Ok(l)
    }
}

// ---------------------------------------------------------------------------------------
// Writing

/// A field name as written: API names are ASCII letters, digits and `_`; anything else is
/// replaced by `_` so that a name can never inject markup (the server then rejects the
/// unknown field). Names read from XML are valid XML names and are kept as they are.
fn clean_name(name: &str) -> Cow<'_, str> {
    let valid = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if name.is_empty() {
        Cow::Borrowed("_")
    } else if name.chars().all(valid) {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(
            name.chars()
                .map(|c| if valid(c) { c } else { '_' })
                .collect(),
        )
    }
}

/// True when `text` holds a character [`XmlWriter::text`] escapes. Checks 32 bytes at a
/// time without branching inside a block, which the compiler turns into vector code: most
/// values have nothing to escape and are then copied as they are.
fn needs_escape(text: &str) -> bool {
    #[inline(always)]
    fn special(b: u8) -> u8 {
        ((b == b'<') | (b == b'>') | (b == b'&') | (b == b'"') | (b == b'\r')) as u8
    }
    let mut blocks = text.as_bytes().chunks_exact(32);
    for block in &mut blocks {
        let mut hits = 0u8;
        for &b in block {
            hits |= special(b);
        }
        if hits != 0 {
            return true;
        }
    }
    blocks.remainder().iter().any(|&b| special(b) != 0)
}

/// Escaped character data, copied in one piece when nothing needs escaping.
fn write_text(w: &mut XmlWriter, text: &str) {
    if needs_escape(text) {
        w.text(text);
    } else {
        w.raw(text);
    }
}

fn open_field(w: &mut XmlWriter, name: &str, attributes: &str) {
    w.raw("<sf:");
    w.raw(name);
    w.raw(attributes);
    w.raw(">");
}

fn close_field(w: &mut XmlWriter, name: &str) {
    w.raw("</sf:");
    w.raw(name);
    w.raw(">");
}

/// Attributes of a compound or query-result field: the partner namespace as the default
/// for its children, and the `xsi:type`.
const QUERY_ATTRS: &str = " xmlns=\"urn:partner.soap.sforce.com\" xsi:type=\"QueryResult\"";
const ADDRESS_ATTRS: &str = " xmlns=\"urn:partner.soap.sforce.com\" xsi:type=\"address\"";
const SOBJECT_ATTRS: &str = " xsi:type=\"sf:sObject\"";
const LOCATION_ATTRS: &str = " xmlns=\"urn:partner.soap.sforce.com\" xsi:type=\"location\"";

impl SObject {
    /// Writes the content (`sf:type` … fields) without the enclosing element.
    fn write_body(&self, w: &mut XmlWriter) {
        w.text_element("sf:type", &self.r#type);
        if w.writes_results() {
            return self.write_result_fields(w);
        }
        for name in &self.fields_to_null {
            w.text_element("sf:fieldsToNull", name);
        }
        for (name, value) in &self.fields {
            if value.is_null() && !self.fields_to_null.iter().any(|n| name.is(n)) {
                w.text_element("sf:fieldsToNull", name.as_str());
            }
        }
        if let Some(id) = &self.id {
            w.text_element("sf:Id", id);
        }
        self.write_fields(w);
    }

    /// The result form after `sf:type`: the Id twice (the record's, then the selected
    /// field) or nil, then the fields with nulls as `xsi:nil`.
    fn write_result_fields(&self, w: &mut XmlWriter) {
        match &self.id {
            Some(id) => {
                w.text_element("sf:Id", id);
                w.text_element("sf:Id", id);
            }
            None => w.nil_element("sf:Id"),
        }
        self.write_fields(w);
    }

    fn write_fields(&self, w: &mut XmlWriter) {
        for (name, value) in &self.fields {
            let name = name.as_str();
            match value {
                FieldValue::Null if w.writes_results() => {
                    w.raw("<sf:");
                    w.raw(name);
                    w.raw(" xsi:nil=\"true\"/>");
                }
                FieldValue::Null => {}
                FieldValue::Text(text) => {
                    open_field(w, name, "");
                    write_text(w, text);
                    close_field(w, name);
                }
                FieldValue::SObject(obj) => {
                    let attributes = if w.writes_results() {
                        SOBJECT_ATTRS
                    } else {
                        ""
                    };
                    open_field(w, name, attributes);
                    obj.write_body(w);
                    close_field(w, name);
                }
                FieldValue::Query(q) => {
                    open_field(w, name, QUERY_ATTRS);
                    q.write_body(w);
                    close_field(w, name);
                }
                FieldValue::Address(a) => {
                    open_field(w, name, ADDRESS_ATTRS);
                    a.write_body(w);
                    close_field(w, name);
                }
                FieldValue::Location(l) => {
                    open_field(w, name, LOCATION_ATTRS);
                    write_coordinates(w, l.latitude, l.longitude);
                    close_field(w, name);
                }
                FieldValue::Any(any) => {
                    w.raw("<sf:");
                    w.raw(name);
                    any.write_type_attributes(w);
                    w.raw(">");
                    w.text(&any.text);
                    close_field(w, name);
                }
            }
        }
    }
}

/// Writes `<tag>` then `sf:type`, `sf:fieldsToNull`*, `sf:Id`, the fields, `</tag>`.
/// A nested sObject field is written as `<sf:Account><sf:type>Account</sf:type>…`
/// (no `xsi:type`), the form `upsert` takes for a reference by external id.
impl ToXml for SObject {
    fn write_xml(&self, writer: &mut XmlWriter, tag: &str) {
        if writer.writes_results() {
            writer.open_typed(tag, "sf:sObject");
        } else {
            writer.open(tag);
        }
        self.write_body(writer);
        writer.close(tag);
    }
}

fn write_opt_double(w: &mut XmlWriter, tag: &str, value: Option<f64>) {
    match value {
        Some(v) => {
            w.open(tag);
            v.write_text(w);
            w.close(tag);
        }
        None => w.nil_element(tag),
    }
}

fn write_coordinates(w: &mut XmlWriter, latitude: Option<f64>, longitude: Option<f64>) {
    write_opt_double(w, "latitude", latitude);
    write_opt_double(w, "longitude", longitude);
}

fn write_opt_text(w: &mut XmlWriter, tag: &str, value: &Option<String>) {
    match value {
        Some(v) => w.text_element(tag, v),
        None => w.nil_element(tag),
    }
}

impl ChildQuery {
    /// Children in the partner namespace, which the caller made the default.
    fn write_body(&self, w: &mut XmlWriter) {
        w.text_element("done", if self.done { "true" } else { "false" });
        write_opt_text(w, "queryLocator", &self.query_locator);
        for record in &self.records {
            w.open_typed("records", "sf:sObject");
            record.write_body(w);
            w.close("records");
        }
        w.open("size");
        w.display(self.size);
        w.close("size");
    }
}

/// Writes `<tag xmlns="urn:partner.soap.sforce.com" xsi:type="QueryResult">` and the
/// result's children in the partner namespace.
impl ToXml for ChildQuery {
    fn write_xml(&self, writer: &mut XmlWriter, tag: &str) {
        writer.raw("<");
        writer.raw(tag);
        writer.raw(QUERY_ATTRS);
        writer.raw(">");
        self.write_body(writer);
        writer.close(tag);
    }
}

impl Address {
    fn write_body(&self, w: &mut XmlWriter) {
        write_coordinates(w, self.latitude, self.longitude);
        write_opt_text(w, "city", &self.city);
        write_opt_text(w, "country", &self.country);
        write_opt_text(w, "countryCode", &self.country_code);
        write_opt_text(w, "geocodeAccuracy", &self.geocode_accuracy);
        write_opt_text(w, "postalCode", &self.postal_code);
        write_opt_text(w, "state", &self.state);
        write_opt_text(w, "stateCode", &self.state_code);
        write_opt_text(w, "street", &self.street);
    }
}

/// Writes `<tag xmlns="urn:partner.soap.sforce.com" xsi:type="address">` and the parts.
impl ToXml for Address {
    fn write_xml(&self, writer: &mut XmlWriter, tag: &str) {
        writer.raw("<");
        writer.raw(tag);
        writer.raw(ADDRESS_ATTRS);
        writer.raw(">");
        self.write_body(writer);
        writer.close(tag);
    }
}

/// Writes `<tag xmlns="urn:partner.soap.sforce.com" xsi:type="location">` and the parts.
impl ToXml for Location {
    fn write_xml(&self, writer: &mut XmlWriter, tag: &str) {
        writer.raw("<");
        writer.raw(tag);
        writer.raw(LOCATION_ATTRS);
        writer.raw(">");
        write_coordinates(writer, self.latitude, self.longitude);
        writer.close(tag);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_inline_and_heap() {
        let datetime = "2013-05-22T17:07:44.000Z";
        assert_eq!(datetime.len(), INLINE);
        let inline = Text::new(datetime);
        assert!(matches!(inline.0, Repr::Inline(_)));
        assert_eq!(inline, datetime);
        let long = format!("{datetime}!");
        let heap = Text::from(long.clone());
        assert!(matches!(heap.0, Repr::Heap(_)));
        assert_eq!(heap.as_str(), long);
        assert_eq!(String::from(heap), long);
        assert_eq!(Text::from(Cow::Owned("é".repeat(12))).len(), 24);
        assert_eq!(Text::from(Cow::Owned("é".repeat(13))).chars().count(), 13);
        assert_eq!(Text::default(), "");
        assert_eq!(
            format!("{:?} {}", Text::new("a\"b"), Text::new("c")),
            "\"a\\\"b\" c"
        );
    }

    #[test]
    fn fast_text_path_escapes_like_the_writer() {
        for special in ['<', '>', '&', '"', '\r'] {
            for at in [0, 5, 31, 32, 33, 63, 64, 70] {
                let mut text: String = "x".repeat(71);
                text.replace_range(at..=at, &special.to_string());
                assert!(needs_escape(&text), "{special:?} at {at}");
                let mut fast = XmlWriter::new();
                write_text(&mut fast, &text);
                let mut slow = XmlWriter::new();
                slow.text(&text);
                assert_eq!(fast.as_str(), slow.as_str());
            }
        }
        assert!(!needs_escape(&"plain 'text' é\n\t".repeat(10)));
        assert!(!needs_escape(""));
    }

    #[test]
    fn a_result_is_written_as_the_server_writes_it_and_reads_back() {
        let mut parent = SObject::new("Account");
        parent.set("Name", "Acme");
        let mut record = SObject::new("Contact").with_id("003000000000001AAA");
        record.set("LastName", "Lovelace");
        record.set_null("Email");
        record.set("Account", FieldValue::SObject(Box::new(parent)));
        let mut request = XmlWriter::new();
        record.write_xml(&mut request, "p:sObjects");
        assert_eq!(
            request.as_str(),
            "<p:sObjects><sf:type>Contact</sf:type><sf:fieldsToNull>Email</sf:fieldsToNull>\
             <sf:Id>003000000000001AAA</sf:Id><sf:LastName>Lovelace</sf:LastName>\
             <sf:Account><sf:type>Account</sf:type><sf:Name>Acme</sf:Name></sf:Account></p:sObjects>"
        );
        let mut result = XmlWriter::for_results(0);
        record.write_xml(&mut result, "p:records");
        let written = result.as_str();
        assert_eq!(
            written,
            "<p:records xsi:type=\"sf:sObject\"><sf:type>Contact</sf:type>\
             <sf:Id>003000000000001AAA</sf:Id><sf:Id>003000000000001AAA</sf:Id>\
             <sf:LastName>Lovelace</sf:LastName><sf:Email xsi:nil=\"true\"/>\
             <sf:Account xsi:type=\"sf:sObject\"><sf:type>Account</sf:type>\
             <sf:Id xsi:nil=\"true\"/><sf:Name>Acme</sf:Name></sf:Account></p:records>"
        );
        // What a server writes, a client reads back as the same record (null kept null).
        let document = format!(
            "<p:records xmlns:p=\"urn:partner.soap.sforce.com\" \
             xmlns:sf=\"urn:sobject.partner.soap.sforce.com\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"{}",
            &written["<p:records".len()..]
        );
        let mut r = XmlReader::new(document.as_bytes());
        let root = r.root().unwrap();
        let back = SObject::read_xml(&mut r, &root).unwrap();
        assert_eq!(back.id.as_deref(), Some("003000000000001AAA"));
        assert!(back.is_null("Email"));
        assert_eq!(back.get_str("Account.Name").unwrap(), Some("Acme"));
        assert!(back.fields_to_null.is_empty());
    }

    #[test]
    fn names_are_cleaned_on_set() {
        assert_eq!(clean_name("Name"), "Name");
        assert_eq!(clean_name("My_Field__c"), "My_Field__c");
        assert_eq!(clean_name("a b<c>"), "a_b_c_");
        assert_eq!(clean_name("é"), "_");
        assert_eq!(clean_name(""), "_");
    }

    #[test]
    fn scratch_is_left_clean_after_an_error() {
        let xml = b"<r xmlns:sf=\"urn:sobject.partner.soap.sforce.com\"><sf:type>A</sf:type><sf:X>1</sf:X><sf:Y>&bogus;</sf:Y></r>";
        let mut r = XmlReader::new(xml);
        let root = r.root().unwrap();
        assert!(SObject::read_xml(&mut r, &root).is_err());
        assert!(SCRATCH.with(|s| {
            let v = s.take();
            let empty = v.is_empty();
            s.set(v);
            empty
        }));
        let xml = b"<r xmlns:sf=\"urn:sobject.partner.soap.sforce.com\"><sf:type>B</sf:type><sf:Z>2</sf:Z></r>";
        let mut r = XmlReader::new(xml);
        let root = r.root().unwrap();
        let obj = SObject::read_xml(&mut r, &root).unwrap();
        assert_eq!(obj.field_names().collect::<Vec<_>>(), ["Z"]);
    }
}
