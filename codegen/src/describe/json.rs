//! The REST describe JSON (`/sobjects/X/describe`) and the `sf sobject describe --json`
//! wrapper (`{"status":0,"result":{…}}`).
//!
//! The file is read twice: once into a small probe that tells the three shapes apart
//! (a describe, the `sf` wrapper, a describeGlobal list) and once into serde structs of
//! the right shape, so that every error carries serde_json's line and column.

use std::path::Path;

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::model::{
    ChildRelationship, FieldDescribe, FieldType, Listed, PicklistValue, Repeat, SObjectDescribe,
};
use crate::{Error, Result};

/// What the top level of the document looks like; every member optional and untyped.
#[derive(Deserialize)]
struct Probe {
    status: Option<serde_json::Value>,
    result: Option<IgnoredAny>,
    message: Option<serde_json::Value>,
    name: Option<IgnoredAny>,
    fields: Option<IgnoredAny>,
    sobjects: Option<IgnoredAny>,
}

/// `sf … --json` output.
#[derive(Deserialize)]
struct Wrapper {
    result: RawObject,
}

/// `/sobjects/X/describe`. Members the model does not keep are ignored; members that
/// may be missing or `null` in older API versions are optional.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawObject {
    name: String,
    label: Option<String>,
    custom: Option<bool>,
    key_prefix: Option<String>,
    createable: Option<bool>,
    updateable: Option<bool>,
    deletable: Option<bool>,
    queryable: Option<bool>,
    fields: Option<Vec<RawField>>,
    child_relationships: Option<Vec<RawChild>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawField {
    name: String,
    #[serde(rename = "type")]
    field_type: String,
    label: Option<String>,
    soap_type: Option<String>,
    nillable: Option<bool>,
    createable: Option<bool>,
    updateable: Option<bool>,
    custom: Option<bool>,
    calculated: Option<bool>,
    external_id: Option<bool>,
    defaulted_on_create: Option<bool>,
    unique: Option<bool>,
    name_field: Option<bool>,
    id_lookup: Option<bool>,
    length: Option<u32>,
    precision: Option<u32>,
    scale: Option<u32>,
    digits: Option<u32>,
    picklist_values: Option<Vec<RawPicklist>>,
    restricted_picklist: Option<bool>,
    reference_to: Option<Vec<String>>,
    relationship_name: Option<String>,
    compound_field_name: Option<String>,
    inline_help_text: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPicklist {
    value: String,
    label: Option<String>,
    active: Option<bool>,
    default_value: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawChild {
    #[serde(rename = "childSObject")]
    child_sobject: String,
    field: String,
    relationship_name: Option<String>,
    cascade_delete: Option<bool>,
}

/// Reads one JSON dump: one object, or none for a describeGlobal list.
pub(super) fn read(text: &str, origin: &Path) -> Result<Vec<SObjectDescribe>> {
    let probe: Probe = parse(text, origin, "a JSON object")?;
    if let Some(status) = &probe.status {
        let ok = status.as_i64() == Some(0);
        if !ok || probe.result.is_none() {
            let message = probe
                .message
                .as_ref()
                .and_then(|m| m.as_str())
                .unwrap_or("no message");
            return Err(invalid(
                origin,
                1,
                1,
                format!(
                    "expected the `sf sobject describe --json` output with status 0 and a \
                     `result` describe, found status {status}: {message}"
                ),
            ));
        }
        let wrapper: Wrapper = parse(text, origin, "a describe under `result`")?;
        return checked(convert(wrapper.result, origin), text, origin);
    }
    if probe.sobjects.is_some() && probe.fields.is_none() && probe.name.is_none() {
        // A describeGlobal list (`/sobjects`): it names objects but describes none.
        return Ok(Vec::new());
    }
    let object: RawObject = parse(text, origin, "a REST sObject describe")?;
    checked(convert(object, origin), text, origin)
}

/// `object`, unless it lists an API name twice: then an error at the second entry.
fn checked(object: SObjectDescribe, text: &str, origin: &Path) -> Result<Vec<SObjectDescribe>> {
    let Some(repeat) = object.repeat() else {
        return Ok(vec![object]);
    };
    let positions = crate::xml::Positions::new(text);
    let (first, second) = entries(text, &repeat).unwrap_or((0, 0));
    let (line, column) = positions.at(second);
    let (first_line, first_column) = positions.at(first);
    Err(invalid(
        origin,
        line,
        column,
        format!(
            "{} is listed twice (first on line {first_line}, column {first_column}); API \
             names are unique, so the dump is damaged: remove one",
            repeat.describe(&object)
        ),
    ))
}

/// Where the lists of a describe are, as slices of the text (read only on the error path).
#[derive(Deserialize)]
struct RawLists<'a> {
    #[serde(borrow)]
    fields: Option<Vec<&'a RawValue>>,
    #[serde(borrow, rename = "childRelationships")]
    child_relationships: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
struct RawListsWrapper<'a> {
    #[serde(borrow)]
    result: RawLists<'a>,
}

#[derive(Deserialize)]
struct RawPicklists<'a> {
    #[serde(borrow, rename = "picklistValues")]
    picklist_values: Option<Vec<&'a RawValue>>,
}

/// Byte offsets in `text` of the two entries of `repeat`.
fn entries(text: &str, repeat: &Repeat) -> Option<(usize, usize)> {
    let lists = match serde_json::from_str::<RawListsWrapper<'_>>(text) {
        Ok(wrapper) => wrapper.result,
        Err(_) => serde_json::from_str::<RawLists<'_>>(text).ok()?,
    };
    let list = match repeat.list {
        Listed::Field => lists.fields?,
        Listed::ChildRelationship => lists.child_relationships?,
        Listed::PicklistValue { field } => {
            let field = lists.fields?.get(field)?.get();
            serde_json::from_str::<RawPicklists<'_>>(field)
                .ok()?
                .picklist_values?
        }
    };
    // The slices borrow from `text`: their distance from its start is their offset.
    let offset = |raw: &RawValue| (raw.get().as_ptr() as usize).checked_sub(text.as_ptr() as usize);
    Some((
        offset(list.get(repeat.first)?)?,
        offset(list.get(repeat.second)?)?,
    ))
}

/// Deserializes `text`, turning a serde_json error into [`Error::Invalid`] at its place.
fn parse<'de, T: Deserialize<'de>>(text: &'de str, origin: &Path, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        let full = e.to_string();
        let suffix = format!(" at line {line} column {column}");
        let detail = full.strip_suffix(&suffix).unwrap_or(&full);
        let message = if e.is_syntax() || e.is_eof() {
            format!("not well-formed JSON (expected {what}): {detail}")
        } else {
            format!("not {what}: {detail}")
        };
        invalid(
            origin,
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column.max(1)).unwrap_or(u32::MAX),
            message,
        )
    })
}

fn invalid(origin: &Path, line: u32, column: u32, message: String) -> Error {
    Error::Invalid {
        file: origin.display().to_string(),
        line,
        column,
        message,
    }
}

/// A dump that leaves out the write flags (`createable`, `updateable`): the REST-shaped
/// files the Salesforce VS Code extension writes under `.sfdx/tools/soqlMetadata/`. A
/// missing flag is unknown, not false: such fields are taken as writable (the server
/// refuses what it refuses), except the `Id` and known formula fields, and the dump gets
/// one warning.
fn partial_flags_warning(origin: &Path, object: &str, fields: usize, total: usize) -> String {
    format!(
        "{}: {fields} of the {total} fields of {object} have no `createable`/`updateable` \
         flags (a partial describe, such as the VS Code extension's \
         `.sfdx/tools/soqlMetadata` files); they are taken as writable. `cargo sforce \
         describe` writes complete dumps",
        origin.display()
    )
}

fn convert(raw: RawObject, origin: &Path) -> SObjectDescribe {
    let raw_fields = raw.fields.unwrap_or_default();
    let total = raw_fields.len();
    let partial = raw_fields
        .iter()
        .filter(|f| f.createable.is_none() || f.updateable.is_none())
        .count();
    let object_partial = raw.createable.is_none() || raw.updateable.is_none();
    let mut warnings = Vec::new();
    if partial > 0 {
        warnings.push(partial_flags_warning(origin, &raw.name, partial, total));
    } else if object_partial && total > 0 {
        warnings.push(format!(
            "{}: {} has no object-level `createable`/`updateable` flags; taken as \
             createable and updateable",
            origin.display(),
            raw.name
        ));
    }
    SObjectDescribe {
        custom: raw.custom.unwrap_or(false),
        label: raw.label.unwrap_or_else(|| raw.name.clone()),
        name: raw.name,
        key_prefix: raw.key_prefix,
        // Unknown when missing, and a dump with fields is of an object one works with.
        createable: raw.createable.unwrap_or(true),
        updateable: raw.updateable.unwrap_or(true),
        deletable: raw.deletable.unwrap_or(false),
        queryable: raw.queryable.unwrap_or(false),
        fields: raw_fields.into_iter().map(convert_field).collect(),
        child_relationships: raw
            .child_relationships
            .unwrap_or_default()
            .into_iter()
            .map(|c| ChildRelationship {
                relationship_name: c.relationship_name,
                child_sobject: c.child_sobject,
                field: c.field,
                cascade_delete: c.cascade_delete.unwrap_or(false),
            })
            .collect(),
        source: Some(origin.to_path_buf()),
        warnings,
    }
}

fn convert_field(raw: RawField) -> FieldDescribe {
    // A missing write flag is unknown: writable, but for the Id and known formula fields.
    let field_type = FieldType::parse(&raw.field_type);
    let writable_if_unknown = field_type != FieldType::Id && raw.calculated != Some(true);
    FieldDescribe {
        label: raw.label.unwrap_or_else(|| raw.name.clone()),
        name: raw.name,
        field_type,
        soap_type: raw.soap_type.unwrap_or_default(),
        nillable: raw.nillable.unwrap_or(false),
        createable: raw.createable.unwrap_or(writable_if_unknown),
        updateable: raw.updateable.unwrap_or(writable_if_unknown),
        custom: raw.custom.unwrap_or(false),
        calculated: raw.calculated.unwrap_or(false),
        external_id: raw.external_id.unwrap_or(false),
        defaulted_on_create: raw.defaulted_on_create.unwrap_or(false),
        unique: raw.unique.unwrap_or(false),
        name_field: raw.name_field.unwrap_or(false),
        id_lookup: raw.id_lookup.unwrap_or(false),
        length: raw.length.unwrap_or(0),
        precision: raw.precision.unwrap_or(0),
        scale: raw.scale.unwrap_or(0),
        digits: raw.digits.unwrap_or(0),
        picklist_values: raw
            .picklist_values
            .unwrap_or_default()
            .into_iter()
            .map(|p| PicklistValue {
                value: p.value,
                label: p.label,
                active: p.active.unwrap_or(true),
                default_value: p.default_value.unwrap_or(false),
            })
            .collect(),
        restricted_picklist: raw.restricted_picklist.unwrap_or(false),
        reference_to: raw.reference_to.unwrap_or_default(),
        relationship_name: raw.relationship_name,
        compound_field_name: raw.compound_field_name,
        inline_help_text: raw.inline_help_text,
    }
}
