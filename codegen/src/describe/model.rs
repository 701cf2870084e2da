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
}

impl SObjectDescribe {
    /// The field with this API name (any case).
    pub fn field(&self, name: &str) -> Option<&FieldDescribe> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// The reference field whose `relationshipName` is `name` (any case): `Account` on
    /// Contact finds `AccountId`.
    pub fn parent_relationship(&self, name: &str) -> Option<&FieldDescribe> {
        self.fields.iter().find(|f| {
            f.relationship_name
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case(name))
        })
    }

    /// The child relationship named `name` (any case): `Contacts` on Account.
    pub fn child_relationship(&self, name: &str) -> Option<&ChildRelationship> {
        self.child_relationships.iter().find(|c| {
            c.relationship_name
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case(name))
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
