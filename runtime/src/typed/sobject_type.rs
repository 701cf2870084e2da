//! [`SObjectType`], what `#[sobject]` implements, and the helpers its expansion calls.

use crate::error::Error;
use crate::sobject::{FieldValue, SObject};

use super::field::{mismatch, Field, FieldType, Shape};

/// What the `#[sobject]` macro knows about one field of a typed sObject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldInfo {
    /// The Rust field name (`annual_revenue`).
    pub rust_name: &'static str,
    /// The API name (`AnnualRevenue`, `Owner`, or a path such as `Owner.Name` in an ad hoc
    /// SOQL row, which is read but never written).
    pub api_name: &'static str,
    /// Whether `create` may set it (describe `createable`).
    pub createable: bool,
    /// Whether `update` may set it (describe `updateable`).
    pub updateable: bool,
    /// Where the value sits: a scalar, a parent relationship or a child subquery.
    pub shape: Shape,
}

/// What a typed record is converted for: which fields may be sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WriteFor {
    /// `create`: only createable fields; the `Id` must be absent.
    Create,
    /// `update`: only updateable fields; the `Id` is required.
    Update,
    /// `upsert`: fields that are createable or updateable; the `Id` is optional.
    Upsert,
    /// No checks: a plain conversion to the dynamic [`SObject`] (also used for parent
    /// references inside a record).
    Unchecked,
}

impl WriteFor {
    fn call(self) -> &'static str {
        match self {
            WriteFor::Create => "create",
            WriteFor::Update => "update",
            WriteFor::Upsert => "upsert",
            WriteFor::Unchecked => "conversion",
        }
    }
}

/// A typed sObject: a struct whose fields are [`Field`]s of [`FieldType`]s, each mapped to
/// an API name. The `#[sobject]` macro implements it (and [`FieldType`], so that the struct
/// can be a parent relationship of another one).
///
/// Rules of the conversions:
/// * [`from_sobject`](SObjectType::from_sobject): the record Id ([`SObject::id`]) is the
///   field `Id`; a field not in the record is [`Field::Absent`], a null one [`Field::Null`],
///   anything else goes through [`FieldType::from_field`]. A dotted API name (`Owner.Name`)
///   reads the nested path. Errors are [`Error::Field`] naming `Object.Field`.
/// * [`to_sobject`](SObjectType::to_sobject): absent fields are not sent, null ones go to
///   `fieldsToNull`, values are sent. `Id` becomes [`SObject::id`]: required for
///   [`WriteFor::Update`], an error for [`WriteFor::Create`]. A field that is not
///   createable (create), not updateable (update) or neither (upsert) and not absent is an
///   error naming `Object.Field`; [`WriteFor::Unchecked`] skips these checks. Dotted API
///   names are never written; a null parent relationship is not sent either (clear the
///   reference field, such as `AccountId`, instead).
///
/// What the macro writes, by hand:
///
/// ```
/// use sforce::__private::{self, FieldInfo, Shape, WriteFor};
/// use sforce::{Error, Field, FieldType, FieldValue, Id, SObject, SObjectType};
///
/// #[derive(Debug, Default)]
/// struct Account {
///     id: Field<Id>,
///     name: Field<String>,
/// }
///
/// impl SObjectType for Account {
///     const NAME: &'static str = "Account";
///     const FIELDS: &'static [FieldInfo] = &[
///         FieldInfo { rust_name: "id", api_name: "Id", createable: false,
///                     updateable: false, shape: Shape::Scalar },
///         FieldInfo { rust_name: "name", api_name: "Name", createable: true,
///                     updateable: true, shape: Shape::Scalar },
///     ];
///     fn from_sobject(mut record: SObject) -> Result<Self, Error> {
///         Ok(Account {
///             id: __private::read_field(&mut record, Self::NAME, "Id")?,
///             name: __private::read_field(&mut record, Self::NAME, "Name")?,
///         })
///     }
///     fn to_sobject(&self, purpose: WriteFor) -> Result<SObject, Error> {
///         let mut record = SObject::new(Self::NAME);
///         __private::write_field(&mut record, Self::NAME, &Self::FIELDS[0], &self.id, purpose)?;
///         __private::write_field(&mut record, Self::NAME, &Self::FIELDS[1], &self.name, purpose)?;
///         Ok(record)
///     }
///     fn retain_writable(&mut self, purpose: WriteFor) {
///         if !__private::writable(&Self::FIELDS[0], purpose) { self.id = Field::Absent; }
///         if !__private::writable(&Self::FIELDS[1], purpose) { self.name = Field::Absent; }
///     }
/// }
///
/// impl FieldType for Account {
///     const SHAPE: Shape = Shape::Parent;
///     fn from_field(value: FieldValue) -> Result<Self, String> {
///         __private::sobject_from_field(value)
///     }
///     fn to_field(&self) -> Result<FieldValue, String> {
///         __private::sobject_to_field(self)
///     }
/// }
///
/// let record = SObject::new("Account").with_id("001d000000Kj8cA").with_null("Name");
/// let account: Account = record.into_typed()?;
/// assert_eq!(account.id.value().map(Id::as_str), Some("001d000000Kj8cAAAR"));
/// assert!(account.name.is_null());
///
/// let update = account.to_sobject(WriteFor::Update)?;
/// assert_eq!(update.fields_to_null, ["Name"]);
/// let error = account.to_sobject(WriteFor::Create).unwrap_err();
/// assert!(error.to_string().contains("Account.Id"), "{error}");
/// # Ok::<(), Error>(())
/// ```
pub trait SObjectType: FieldType + Sized + Send + 'static {
    /// The sObject type's API name (`Account`).
    const NAME: &'static str;
    /// The fields, in declaration order.
    const FIELDS: &'static [FieldInfo];
    /// Converts a dynamic record (a query result) into this type.
    fn from_sobject(record: SObject) -> Result<Self, Error>;
    /// Converts into a dynamic record to send for `purpose`, checking writability.
    fn to_sobject(&self, purpose: WriteFor) -> Result<SObject, Error>;
    /// Sets the fields that cannot be sent for `purpose` to [`Field::Absent`] (the `Id`
    /// stays for update and upsert), and parent relationships too (a queried parent is
    /// not a reference to send), so that a queried record can be written back.
    fn retain_writable(&mut self, purpose: WriteFor);
}

impl SObject {
    /// The dynamic form of a typed record: every field that is not absent, no checks
    /// ([`WriteFor::Unchecked`]).
    pub fn from_typed<T: SObjectType>(record: &T) -> Result<SObject, Error> {
        record.to_sobject(WriteFor::Unchecked)
    }

    /// This record as the typed `T` (see [`SObjectType::from_sobject`]).
    pub fn into_typed<T: SObjectType>(self) -> Result<T, Error> {
        T::from_sobject(self)
    }
}

fn field_error(object: &str, api_name: &str, message: impl Into<String>) -> Error {
    Error::Field {
        field: format!("{object}.{api_name}"),
        message: message.into(),
    }
}

fn convert<F: FieldType>(
    object: &str,
    api_name: &str,
    value: FieldValue,
) -> Result<Field<F>, Error> {
    match value {
        FieldValue::Null => Ok(Field::Null),
        value => F::from_field(value)
            .map(Field::Value)
            .map_err(|message| field_error(object, api_name, message)),
    }
}

/// Reads field `api_name` of `record` (of type `object`, for messages) as a [`Field`]:
/// `Id` is the record Id; a dotted name is a path through parent relationships; a field
/// not in the record is absent, a null one null. The field is taken out of `record`
/// (parents and paths are copied).
pub fn read_field<F: FieldType>(
    record: &mut SObject,
    object: &str,
    api_name: &str,
) -> Result<Field<F>, Error> {
    if api_name.eq_ignore_ascii_case("Id") {
        return match record.id.take() {
            None => Ok(Field::Absent),
            Some(id) if id.trim().is_empty() => Ok(Field::Null),
            Some(id) => convert(object, api_name, FieldValue::from(id)),
        };
    }
    if api_name.contains('.') {
        return match record.path_value(api_name) {
            Ok(None) => Ok(Field::Absent),
            Ok(Some(value)) => convert(object, api_name, value),
            Err(Error::Field { message, .. }) => Err(field_error(object, api_name, message)),
            Err(other) => Err(other),
        };
    }
    // A parent stays in the record for the paths through it (`Owner.Name`), whichever
    // field is read first; other fields are moved out (a subquery's records are not copied).
    let value = if F::SHAPE == Shape::Parent {
        record.get(api_name).cloned()
    } else {
        record.take(api_name)
    };
    match value {
        None => Ok(Field::Absent),
        Some(value) => convert(object, api_name, value),
    }
}

/// [`read_field`] for expansions that build the whole struct before failing: the first
/// error goes to `first_error` and the field reads as absent. An expansion written this way
/// has no early returns, whose drop paths grow with the square of the number of fields.
pub fn read_field_noting<F: FieldType>(
    record: &mut SObject,
    object: &str,
    api_name: &str,
    first_error: &mut Option<Error>,
) -> Field<F> {
    match read_field(record, object, api_name) {
        Ok(field) => field,
        Err(error) => {
            first_error.get_or_insert(error);
            Field::Absent
        }
    }
}

/// One field of a typed record with its type erased, so that an expansion can hand all
/// of a struct's fields to one non-generic loop ([`write_fields`], [`retain_fields`])
/// instead of repeating code per field.
pub trait DynField {
    /// [`write_field`] for this field.
    fn write_into(
        &self,
        record: &mut SObject,
        object: &str,
        info: &FieldInfo,
        purpose: WriteFor,
    ) -> Result<(), Error>;
    /// Sets the field to [`Field::Absent`].
    fn clear(&mut self);
}

impl<F: FieldType> DynField for Field<F> {
    fn write_into(
        &self,
        record: &mut SObject,
        object: &str,
        info: &FieldInfo,
        purpose: WriteFor,
    ) -> Result<(), Error> {
        write_field(record, object, info, self, purpose)
    }

    fn clear(&mut self) {
        *self = Field::Absent;
    }
}

/// Writes every field (`values[i]` described by `infos[i]`) into `record`: the body of an
/// expanded [`SObjectType::to_sobject`].
pub fn write_fields(
    record: &mut SObject,
    object: &str,
    infos: &[FieldInfo],
    values: &[&dyn DynField],
    purpose: WriteFor,
) -> Result<(), Error> {
    for (info, value) in infos.iter().zip(values) {
        value.write_into(record, object, info, purpose)?;
    }
    Ok(())
}

/// Clears every field that cannot be sent for `purpose`, and parent relationships: the
/// body of an expanded [`SObjectType::retain_writable`].
pub fn retain_fields(infos: &[FieldInfo], values: &mut [&mut dyn DynField], purpose: WriteFor) {
    for (info, value) in infos.iter().zip(values.iter_mut()) {
        if !writable(info, purpose) || info.shape == Shape::Parent {
            value.clear();
        }
    }
}

/// Whether a field that is set is sent for `purpose` (see [`SObjectType`] for the rules):
/// the `Id` for everything but create, other fields by their `createable` / `updateable`
/// flags, dotted paths never. [`WriteFor::Unchecked`] allows every field but paths.
pub fn writable(info: &FieldInfo, purpose: WriteFor) -> bool {
    if info.api_name.contains('.') {
        return false;
    }
    if info.api_name.eq_ignore_ascii_case("Id") {
        return purpose != WriteFor::Create;
    }
    match purpose {
        WriteFor::Create => info.createable,
        WriteFor::Update => info.updateable,
        WriteFor::Upsert => info.createable || info.updateable,
        WriteFor::Unchecked => true,
    }
}

/// Writes `value` into `record` (of type `object`) under `info.api_name` for `purpose`,
/// following the rules of [`SObjectType::to_sobject`].
pub fn write_field<F: FieldType>(
    record: &mut SObject,
    object: &str,
    info: &FieldInfo,
    value: &Field<F>,
    purpose: WriteFor,
) -> Result<(), Error> {
    let name = info.api_name;
    if name.contains('.') {
        return Ok(());
    }
    if name.eq_ignore_ascii_case("Id") {
        return match (purpose, value) {
            (WriteFor::Create, Field::Value(_)) => Err(field_error(
                object,
                name,
                "is set, but a record to create has no Id yet; leave it Field::Absent",
            )),
            (WriteFor::Update, Field::Absent | Field::Null) => Err(field_error(
                object,
                name,
                "is required to update a record, but it is not set",
            )),
            (_, Field::Value(v)) => {
                let id = v.to_field().map_err(|m| field_error(object, name, m))?;
                match id {
                    FieldValue::Text(id) => {
                        record.id = Some(id.into_string());
                        Ok(())
                    }
                    other => Err(field_error(object, name, mismatch("an Id", &other))),
                }
            }
            _ => Ok(()),
        };
    }
    if value.is_absent() {
        return Ok(());
    }
    if !writable(info, purpose) {
        let what = match purpose {
            WriteFor::Create => "is not createable",
            WriteFor::Update => "is not updateable",
            _ => "is neither createable nor updateable",
        };
        return Err(field_error(
            object,
            name,
            format!(
                "{what}; leave it Field::Absent (or call retain_writable) before the {}",
                purpose.call()
            ),
        ));
    }
    match value {
        Field::Null if info.shape == Shape::Parent && purpose != WriteFor::Unchecked => {}
        Field::Null => {
            record.set_null(name);
        }
        Field::Value(v) => {
            let value = v.to_field().map_err(|m| field_error(object, name, m))?;
            record.set(name, value);
        }
        Field::Absent => {}
    }
    Ok(())
}

/// `FieldType::from_field` of a typed sObject used as a parent relationship: the nested
/// record converted with [`SObjectType::from_sobject`].
pub fn sobject_from_field<T: SObjectType>(value: FieldValue) -> Result<T, String> {
    match value {
        FieldValue::SObject(record) => T::from_sobject(*record).map_err(|e| match e {
            Error::Field { field, message } => format!("in the nested record, `{field}` {message}"),
            other => format!("in the nested record: {other}"),
        }),
        other => Err(mismatch(&format!("a nested {} sObject", T::NAME), &other)),
    }
}

/// `FieldType::to_field` of a typed sObject used as a parent relationship: the record
/// converted with [`WriteFor::Unchecked`] (a reference by external id sets only that one).
pub fn sobject_to_field<T: SObjectType>(value: &T) -> Result<FieldValue, String> {
    value
        .to_sobject(WriteFor::Unchecked)
        .map(FieldValue::from)
        .map_err(|e| match e {
            Error::Field { field, message } => format!("in the nested record, `{field}` {message}"),
            other => format!("in the nested record: {other}"),
        })
}
