//! The describe model: what `describeSObjects` (SOAP) and `/sobjects/X/describe` (REST)
//! say about an sObject, reduced to what code generation and compile-time checks need.
//! Both dump formats read into these types.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// A set of described sObjects, looked up by API name ignoring ASCII case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    /// Keyed by the lower-cased API name.
    objects: BTreeMap<String, SObjectDescribe>,
}

impl Schema {
    /// What reading the dumps noticed, one line per object that has something to say
    /// (see [`SObjectDescribe::warnings`]), in name order.
    pub fn warnings(&self) -> Vec<String> {
        self.objects
            .values()
            .flat_map(|object| object.warnings.iter().cloned())
            .collect()
    }

    /// An empty schema.
    pub fn new() -> Self {
        Schema::default()
    }

    /// Adds (or replaces) an object.
    pub fn insert(&mut self, object: SObjectDescribe) {
        self.objects
            .insert(object.name.to_ascii_lowercase(), object);
    }

    /// The object with this API name (any case).
    pub fn get(&self, name: &str) -> Option<&SObjectDescribe> {
        self.objects.get(&name.to_ascii_lowercase())
    }

    /// All objects, ordered by lower-cased name.
    pub fn objects(&self) -> impl ExactSizeIterator<Item = &SObjectDescribe> + '_ {
        self.objects.values()
    }

    /// How many objects.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }
}

/// One described sObject.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SObjectDescribe {
    /// API name (`Account`, `Invoice__c`).
    pub name: String,
    /// Singular label.
    pub label: String,
    /// A custom object (`__c`).
    pub custom: bool,
    /// The three-character Id prefix, if any.
    pub key_prefix: Option<String>,
    /// Whether records can be created / updated / deleted / queried.
    pub createable: bool,
    /// See `createable`.
    pub updateable: bool,
    /// See `createable`.
    pub deletable: bool,
    /// See `createable`.
    pub queryable: bool,
    /// Fields in the order of the dump.
    pub fields: Vec<FieldDescribe>,
    /// Child relationships in the order of the dump.
    pub child_relationships: Vec<ChildRelationship>,
    /// The file this came from (for error messages), if read from a file.
    pub source: Option<PathBuf>,
    /// What reading the dump noticed and took a side on (flags a partial dump left out),
    /// for the front ends to show once; empty for a complete dump.
    pub warnings: Vec<String>,
}

/// The item whose name is exactly `name`, else the first whose name equals it ignoring
/// ASCII case (API names are case-insensitive, but a dump may list `type` and `Type`).
fn by_name<'a, T>(
    items: &'a [T],
    name: &str,
    name_of: impl Fn(&T) -> Option<&str>,
) -> Option<&'a T> {
    items.iter().find(|i| name_of(i) == Some(name)).or_else(|| {
        items
            .iter()
            .find(|i| name_of(i).is_some_and(|n| n.eq_ignore_ascii_case(name)))
    })
}

/// Which list of an object a repeated API name is in (see [`SObjectDescribe::repeat`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// `fields[i]`.
    Field,
    /// `fields[field].picklist_values[i]`.
    PicklistValue {
        /// The index of the field.
        field: usize,
    },
    /// `child_relationships[i]` (by relationship name).
    ChildRelationship,
}

/// An API name listed twice, exactly (same case), in one list of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    /// The list.
    pub list: Listed,
    /// Index of the first entry.
    pub first: usize,
    /// Index of the second entry.
    pub second: usize,
    /// The name.
    pub name: String,
}

impl Repeat {
    /// What is repeated, for messages: ``field `Type` of sObject `Account` ``.
    pub fn describe(&self, object: &SObjectDescribe) -> String {
        match self.list {
            Listed::Field => format!("field `{}` of sObject `{}`", self.name, object.name),
            Listed::PicklistValue { field } => format!(
                "picklist value `{}` of `{}.{}`",
                self.name,
                object.name,
                object.fields.get(field).map_or("", |f| f.name.as_str())
            ),
            Listed::ChildRelationship => format!(
                "child relationship `{}` of sObject `{}`",
                self.name, object.name
            ),
        }
    }
}

/// The first name of `names` that repeats exactly: the indices of both entries.
fn first_repeat<'a>(names: impl IntoIterator<Item = Option<&'a str>>) -> Option<(usize, usize)> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, name) in names.into_iter().enumerate() {
        if let Some(name) = name {
            if let Some(&first) = seen.get(name) {
                return Some((first, i));
            }
            seen.insert(name, i);
        }
    }
    None
}

impl SObjectDescribe {
    /// The field with this API name: exactly, else ignoring ASCII case.
    pub fn field(&self, name: &str) -> Option<&FieldDescribe> {
        by_name(&self.fields, name, |f| Some(f.name.as_str()))
    }

    /// The reference field whose `relationshipName` is `name` (exactly, else ignoring
    /// ASCII case): `Account` on Contact finds `AccountId`.
    pub fn parent_relationship(&self, name: &str) -> Option<&FieldDescribe> {
        by_name(&self.fields, name, |f| f.relationship_name.as_deref())
    }

    /// The child relationship named `name` (exactly, else ignoring ASCII case):
    /// `Contacts` on Account.
    pub fn child_relationship(&self, name: &str) -> Option<&ChildRelationship> {
        by_name(&self.child_relationships, name, |c| {
            c.relationship_name.as_deref()
        })
    }

    /// The first API name listed twice with exactly the same spelling: a field, a picklist
    /// value of one field, or a child relationship name. Such a dump is damaged (the
    /// server never sends one), and code generated from it could not compile. Names that
    /// differ only in case (`type` and `Type`) are not repeats: they get distinct Rust
    /// names.
    pub fn repeat(&self) -> Option<Repeat> {
        let repeat = |list, (first, second): (usize, usize), name: &str| Repeat {
            list,
            first,
            second,
            name: name.to_owned(),
        };
        if let Some(pair) = first_repeat(self.fields.iter().map(|f| Some(f.name.as_str()))) {
            return Some(repeat(Listed::Field, pair, &self.fields[pair.1].name));
        }
        for (i, field) in self.fields.iter().enumerate() {
            let values = &field.picklist_values;
            if let Some(pair) = first_repeat(values.iter().map(|v| Some(v.value.as_str()))) {
                let list = Listed::PicklistValue { field: i };
                return Some(repeat(list, pair, &values[pair.1].value));
            }
        }
        let children = &self.child_relationships;
        first_repeat(children.iter().map(|c| c.relationship_name.as_deref())).map(|pair| {
            let name = children[pair.1].relationship_name.as_deref().unwrap_or("");
            repeat(Listed::ChildRelationship, pair, name)
        })
    }
}

/// One described field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldDescribe {
    /// API name (`AnnualRevenue`, `Invoice_Total__c`).
    pub name: String,
    /// Label.
    pub label: String,
    /// The describe `type` (`string`, `picklist`, `reference`, …).
    pub field_type: FieldType,
    /// The describe `soapType` as written (`xsd:string`, `tns:ID`, `urn:address`).
    pub soap_type: String,
    /// Can be null.
    pub nillable: bool,
    /// Can be set on create.
    pub createable: bool,
    /// Can be set on update.
    pub updateable: bool,
    /// A custom field.
    pub custom: bool,
    /// A formula or roll-up field.
    pub calculated: bool,
    /// An external id (usable as the upsert key).
    pub external_id: bool,
    /// Given a value on create when none is sent (`defaultedOnCreate`): `OwnerId`, a
    /// checkbox, a picklist with a default. A field that is not nillable, createable and
    /// not defaulted is required on create.
    pub defaulted_on_create: bool,
    /// No two records may share a value (`unique`).
    pub unique: bool,
    /// The object's name field (`nameField`: `Name`, `CaseNumber`, `Subject`).
    pub name_field: bool,
    /// Can identify a record in upsert.
    pub id_lookup: bool,
    /// Maximum length for text fields (0 when not text).
    pub length: u32,
    /// Total digits for numbers.
    pub precision: u32,
    /// Digits after the decimal point for numbers.
    pub scale: u32,
    /// Digits for integers.
    pub digits: u32,
    /// The picklist values (empty unless picklist, multipicklist or combobox).
    pub picklist_values: Vec<PicklistValue>,
    /// Only listed picklist values are accepted.
    pub restricted_picklist: bool,
    /// The objects a reference can point to (more than one: polymorphic).
    pub reference_to: Vec<String>,
    /// The parent relationship name of a reference (`Account` for `AccountId`).
    pub relationship_name: Option<String>,
    /// The compound field this is part of (`BillingAddress` for `BillingCity`).
    pub compound_field_name: Option<String>,
    /// The help text, if any.
    pub inline_help_text: Option<String>,
}

/// One picklist value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PicklistValue {
    /// The API value.
    pub value: String,
    /// The label.
    pub label: Option<String>,
    /// Still selectable.
    pub active: bool,
    /// The default value.
    pub default_value: bool,
}

/// One child relationship (`Contacts` on Account).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChildRelationship {
    /// The name used in subqueries (`Contacts`); `None` for relationships that cannot be
    /// queried that way.
    pub relationship_name: Option<String>,
    /// The child object (`Contact`).
    pub child_sobject: String,
    /// The child's reference field (`AccountId`).
    pub field: String,
    /// Deleting the parent deletes the children.
    pub cascade_delete: bool,
}

/// The describe `type` of a field (`FieldType` in the partner WSDL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// `string`
    #[default]
    String,
    /// `picklist`
    Picklist,
    /// `multipicklist`
    MultiPicklist,
    /// `combobox`
    Combobox,
    /// `reference`
    Reference,
    /// `base64`
    Base64,
    /// `boolean`
    Boolean,
    /// `currency`
    Currency,
    /// `textarea`
    TextArea,
    /// `int`
    Int,
    /// `long`
    Long,
    /// `double`
    Double,
    /// `percent`
    Percent,
    /// `phone`
    Phone,
    /// `id`
    Id,
    /// `date`
    Date,
    /// `datetime`
    DateTime,
    /// `time`
    Time,
    /// `url`
    Url,
    /// `email`
    Email,
    /// `encryptedstring`
    EncryptedString,
    /// `datacategorygroupreference`
    DataCategoryGroupReference,
    /// `location`
    Location,
    /// `address`
    Address,
    /// `anyType`
    AnyType,
    /// `complexvalue`
    ComplexValue,
    /// `json`
    Json,
    /// A type this version does not know, as written.
    Other(String),
}

impl FieldType {
    /// Reads the describe `type` text (any case).
    pub fn parse(text: &str) -> FieldType {
        match text.to_ascii_lowercase().as_str() {
            "string" => FieldType::String,
            "picklist" => FieldType::Picklist,
            "multipicklist" => FieldType::MultiPicklist,
            "combobox" => FieldType::Combobox,
            "reference" => FieldType::Reference,
            "base64" => FieldType::Base64,
            "boolean" => FieldType::Boolean,
            "currency" => FieldType::Currency,
            "textarea" => FieldType::TextArea,
            "int" => FieldType::Int,
            "long" => FieldType::Long,
            "double" => FieldType::Double,
            "percent" => FieldType::Percent,
            "phone" => FieldType::Phone,
            "id" => FieldType::Id,
            "date" => FieldType::Date,
            "datetime" => FieldType::DateTime,
            "time" => FieldType::Time,
            "url" => FieldType::Url,
            "email" => FieldType::Email,
            "encryptedstring" => FieldType::EncryptedString,
            "datacategorygroupreference" => FieldType::DataCategoryGroupReference,
            "location" => FieldType::Location,
            "address" => FieldType::Address,
            "anytype" => FieldType::AnyType,
            "complexvalue" => FieldType::ComplexValue,
            "json" => FieldType::Json,
            _ => FieldType::Other(text.to_owned()),
        }
    }

    /// The describe `type` text.
    pub fn as_str(&self) -> &str {
        match self {
            FieldType::String => "string",
            FieldType::Picklist => "picklist",
            FieldType::MultiPicklist => "multipicklist",
            FieldType::Combobox => "combobox",
            FieldType::Reference => "reference",
            FieldType::Base64 => "base64",
            FieldType::Boolean => "boolean",
            FieldType::Currency => "currency",
            FieldType::TextArea => "textarea",
            FieldType::Int => "int",
            FieldType::Long => "long",
            FieldType::Double => "double",
            FieldType::Percent => "percent",
            FieldType::Phone => "phone",
            FieldType::Id => "id",
            FieldType::Date => "date",
            FieldType::DateTime => "datetime",
            FieldType::Time => "time",
            FieldType::Url => "url",
            FieldType::Email => "email",
            FieldType::EncryptedString => "encryptedstring",
            FieldType::DataCategoryGroupReference => "datacategorygroupreference",
            FieldType::Location => "location",
            FieldType::Address => "address",
            FieldType::AnyType => "anyType",
            FieldType::ComplexValue => "complexvalue",
            FieldType::Json => "json",
            FieldType::Other(text) => text,
        }
    }
}
