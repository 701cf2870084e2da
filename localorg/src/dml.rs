//! create, update, upsert, delete, undelete and emptyRecycleBin, validated against the
//! describes with Salesforce's status codes; `AllOrNoneHeader` rolls a whole call back.

use std::sync::Arc;

use rusqlite::types::Value;
use sforce::{FieldValue, Id, SObject};
use sforce_codegen::describe::{FieldDescribe, FieldType, SObjectDescribe};

use crate::fault::Fault;
use crate::org::Org;
use crate::schema::{self, kind, quote, Kind, LabelOrName};
use crate::wire::{ErrorType, ErrorTypeKind, StatusCode};

/// Salesforce's limit on the records (or Ids) of one DML call.
pub(crate) const MAX_RECORDS: usize = 200;

/// One record's result: its Id, or why it failed; `created` for upsert.
#[derive(Debug, Clone, Default)]
pub(crate) struct Outcome {
    pub id: Option<Id>,
    pub rejection: Option<Rejection>,
    pub created: bool,
}

impl Outcome {
    fn ok(id: Id, created: bool) -> Outcome {
        Outcome {
            id: Some(id),
            rejection: None,
            created,
        }
    }

    fn failed(rejection: Rejection) -> Outcome {
        Outcome {
            id: None,
            rejection: Some(rejection),
            created: false,
        }
    }

    pub(crate) fn success(&self) -> bool {
        self.rejection.is_none()
    }

    /// The `errors` of the result: none, or the one rejection.
    pub(crate) fn errors(&self) -> Vec<ErrorTypeKind> {
        self.rejection
            .iter()
            .cloned()
            .map(Rejection::into_error)
            .collect()
    }
}

/// Why one record was refused: the status code, the message and the fields concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rejection {
    status: String,
    message: String,
    fields: Vec<String>,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.message)?;
        if !self.fields.is_empty() {
            write!(f, " (fields: {})", self.fields.join(", "))?;
        }
        Ok(())
    }
}

impl Rejection {
    /// The partner `Error` of a save result.
    pub(crate) fn into_error(self) -> ErrorTypeKind {
        ErrorTypeKind::ErrorType(ErrorType {
            extended_error_details: Vec::new(),
            fields: self.fields,
            message: self.message,
            status_code: StatusCode::from(self.status.as_str()),
        })
    }

    /// The `SendEmailError` of a sendEmail result.
    pub(crate) fn into_send_email_error(self) -> crate::wire::SendEmailError {
        crate::wire::SendEmailError {
            fields: self.fields,
            message: self.message,
            status_code: StatusCode::from(self.status.as_str()),
            target_object_id: None,
        }
    }
}

pub(crate) fn error(status: &str, message: impl Into<String>, fields: &[&str]) -> Rejection {
    Rejection {
        status: status.to_owned(),
        message: message.into(),
        fields: fields.iter().map(|f| (*f).to_owned()).collect(),
    }
}

/// The whole-call fault for more than 200 records.
pub(crate) fn check_count(count: usize) -> Result<(), Fault> {
    if count > MAX_RECORDS {
        return Err(Fault::unexpected(
            "EXCEEDED_ID_LIMIT",
            format!("record limit reached. cannot submit more than {MAX_RECORDS} records into this call"),
        ));
    }
    Ok(())
}

/// Runs `each` over the call's items inside a savepoint: with `all_or_none`, one failure
/// rolls every record back and marks the others `ALL_OR_NONE_OPERATION_ROLLED_BACK`.
pub(crate) fn in_transaction<T>(
    org: &mut Org,
    items: &[T],
    all_or_none: bool,
    mut each: impl FnMut(&mut Org, &T) -> Outcome,
) -> Result<Vec<Outcome>, Fault> {
    let sql = |org: &Org, statement: &str| {
        org.db
            .execute_batch(statement)
            .map_err(|e| Fault::unexpected("UNKNOWN_EXCEPTION", format!("{statement}: {e}")))
    };
    sql(org, "SAVEPOINT dml")?;
    let mut outcomes: Vec<Outcome> = items.iter().map(|item| each(org, item)).collect();
    if all_or_none && outcomes.iter().any(|o| !o.success()) {
        sql(org, "ROLLBACK TO dml")?;
        for outcome in outcomes.iter_mut().filter(|o| o.success()) {
            *outcome = Outcome::failed(error(
                "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                "Record rolled back because not all records were valid and the request was using AllOrNone header",
                &[],
            ));
        }
    }
    sql(org, "RELEASE dml")?;
    Ok(outcomes)
}

/// Why the call cannot run at all: an sObject type the org does not have.
pub(crate) fn check_types(org: &Org, records: &[SObject]) -> Result<(), Fault> {
    for record in records {
        if org.objects.get(&record.r#type).is_none() {
            return Err(Fault::new(
                "INVALID_TYPE",
                format!("sObject type '{}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.", record.r#type),
                crate::fault::Detail::InvalidSObject { row: 0, column: 0 },
            ));
        }
    }
    Ok(())
}

/// create one record.
pub(crate) fn create(org: &mut Org, record: &SObject) -> Outcome {
    let object = org.objects.get(&record.r#type).cloned();
    let Some(object) = object else {
        return Outcome::failed(error("INVALID_TYPE", "invalid sObject type", &[]));
    };
    if !object.createable {
        return Outcome::failed(error(
            "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY",
            format!("entity type {} does not support create", object.name),
            &[],
        ));
    }
    match insert(org, &object, record) {
        Ok(id) => Outcome::ok(id, true),
        Err(e) => Outcome::failed(e),
    }
}

/// update one record.
pub(crate) fn update(org: &mut Org, record: &SObject) -> Outcome {
    let Some(id) = record.id.as_deref() else {
        return Outcome::failed(error(
            "MISSING_ARGUMENT",
            "Id not specified in an update call",
            &[],
        ));
    };
    let object = match target(org, &record.r#type, id) {
        Ok(object) => object,
        Err(e) => return Outcome::failed(e),
    };
    match modify(org, &object, id, record) {
        Ok(id) => Outcome::ok(id, false),
        Err(e) => Outcome::failed(e),
    }
}

/// upsert one record by `key` (`Id` or an external id field, already checked).
pub(crate) fn upsert(org: &mut Org, key: &FieldDescribe, record: &SObject) -> Outcome {
    let Some(object) = org.objects.get(&record.r#type).cloned() else {
        return Outcome::failed(error("INVALID_TYPE", "invalid sObject type", &[]));
    };
    let value = if key.name == "Id" {
        record.id.clone()
    } else {
        record
            .get(&key.name)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        if key.name == "Id" {
            // Upserting by Id, a record without one is new (as Data Loader relies on).
            return match insert(org, &object, record) {
                Ok(id) => Outcome::ok(id, true),
                Err(e) => Outcome::failed(e),
            };
        }
        return Outcome::failed(error(
            "MISSING_ARGUMENT",
            format!("{} not specified", key.name),
            &[],
        ));
    };
    let stored = match schema::to_sql(key, &value) {
        Ok(v) => v,
        Err(refused) => {
            return Outcome::failed(error(refused.status, refused.message, &[&key.name]))
        }
    };
    let sql = format!(
        "SELECT \"Id\" FROM {} WHERE {} = ? AND \"IsDeleted\" = 0 LIMIT 2",
        quote(&object.name),
        quote(&key.name)
    );
    let found: Result<Vec<String>, _> = org.db.prepare_cached(&sql).and_then(|mut s| {
        s.query_map([&stored], |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<String>, _>>()
    });
    let found = match found {
        Ok(found) => found,
        Err(e) => return Outcome::failed(error("UNKNOWN_EXCEPTION", e.to_string(), &[])),
    };
    match found.as_slice() {
        [] if key.name == "Id" => Outcome::failed(error(
            "INVALID_CROSS_REFERENCE_KEY",
            "invalid cross reference id",
            &[],
        )),
        [] => {
            let mut fresh = record.clone();
            fresh.id = None;
            match insert(org, &object, &fresh) {
                Ok(id) => Outcome::ok(id, true),
                Err(e) => Outcome::failed(e),
            }
        }
        [id] => {
            let mut changes = record.clone();
            changes.id = Some(id.clone());
            if key.name != "Id" {
                changes.remove(&key.name);
            }
            match modify(org, &object, id, &changes) {
                Ok(id) => Outcome::ok(id, false),
                Err(e) => Outcome::failed(e),
            }
        }
        ids => Outcome::failed(error(
            "DUPLICATE_EXTERNAL_ID",
            format!(
                "{}: more than one record found for external id field: {:?}",
                key.label_or_name(),
                ids
            ),
            &[&key.name],
        )),
    }
}

/// delete one record (to the recycle bin), and the children a cascade deletes.
pub(crate) fn delete(org: &mut Org, id: &Id) -> Outcome {
    let object = match live_record(org, id.as_str()) {
        Ok(object) => object,
        Err(e) => return Outcome::failed(e),
    };
    if !object.deletable {
        return Outcome::failed(error(
            "INSUFFICIENT_ACCESS_OR_READONLY",
            format!("entity type {} does not support delete", object.name),
            &[],
        ));
    }
    match soft_delete(org, &object, id.as_str()) {
        Ok(()) => Outcome::ok(*id, false),
        Err(e) => Outcome::failed(error("UNKNOWN_EXCEPTION", e.to_string(), &[])),
    }
}

fn soft_delete(org: &Org, object: &SObjectDescribe, id: &str) -> rusqlite::Result<()> {
    let now = schema::datetime_text(org.clock.now());
    org.db.execute(
        &format!(
            "UPDATE {} SET \"IsDeleted\" = 1, _deleted_at = ?1{} WHERE \"Id\" = ?2",
            quote(&object.name),
            if object.field("SystemModstamp").is_some() {
                ", \"SystemModstamp\" = ?1"
            } else {
                ""
            }
        ),
        rusqlite::params![now, id],
    )?;
    for relation in object
        .child_relationships
        .iter()
        .filter(|r| r.cascade_delete)
    {
        let Some(child) = org.objects.get(&relation.child_sobject).cloned() else {
            continue;
        };
        if child.field(&relation.field).is_none() {
            continue;
        }
        let children: Vec<String> = {
            let mut statement = org.db.prepare(&format!(
                "SELECT \"Id\" FROM {} WHERE {} = ? AND \"IsDeleted\" = 0",
                quote(&child.name),
                quote(&relation.field)
            ))?;
            let rows = statement.query_map([id], |row| row.get::<_, String>(0))?;
            rows.collect::<Result<_, _>>()?
        };
        for child_id in children {
            soft_delete(org, &child, &child_id)?;
        }
    }
    Ok(())
}

/// undelete one record from the recycle bin.
pub(crate) fn undelete(org: &mut Org, id: &Id) -> Outcome {
    let (object, deleted) = match record_state(org, id.as_str()) {
        Ok(found) => found,
        Err(e) => return Outcome::failed(e),
    };
    if !deleted {
        return Outcome::failed(error(
            "UNDELETE_FAILED",
            "Entity is not in the recycle bin",
            &[],
        ));
    }
    let result = org.db.execute(
        &format!(
            "UPDATE {} SET \"IsDeleted\" = 0, _deleted_at = NULL WHERE \"Id\" = ?",
            quote(&object.name)
        ),
        [id.as_str()],
    );
    match result {
        Ok(_) => Outcome::ok(*id, false),
        Err(e) => Outcome::failed(error("UNKNOWN_EXCEPTION", e.to_string(), &[])),
    }
}

/// emptyRecycleBin for one record: gone for good.
pub(crate) fn purge(org: &mut Org, id: &Id) -> Outcome {
    let (object, deleted) = match record_state(org, id.as_str()) {
        Ok(found) => found,
        Err(e) => return Outcome::failed(e),
    };
    if !deleted {
        return Outcome::failed(error(
            "INVALID_ID_FIELD",
            "The record is not in the recycle bin",
            &[],
        ));
    }
    let result = org.db.execute(
        &format!("DELETE FROM {} WHERE \"Id\" = ?", quote(&object.name)),
        [id.as_str()],
    );
    match result {
        Ok(_) => Outcome::ok(*id, false),
        Err(e) => Outcome::failed(error("UNKNOWN_EXCEPTION", e.to_string(), &[])),
    }
}

/// The object of a record that exists and is not deleted.
fn live_record(org: &Org, id: &str) -> Result<Arc<SObjectDescribe>, Rejection> {
    let (object, deleted) = record_state(org, id)?;
    if deleted {
        return Err(error("ENTITY_IS_DELETED", "entity is deleted", &[]));
    }
    Ok(object)
}

/// The object of a record, and whether it is in the recycle bin.
fn record_state(org: &Org, id: &str) -> Result<(Arc<SObjectDescribe>, bool), Rejection> {
    let missing = || {
        error(
            "INVALID_CROSS_REFERENCE_KEY",
            "invalid cross reference id",
            &[],
        )
    };
    let object = org
        .objects
        .by_prefix(&id[..3])
        .cloned()
        .ok_or_else(missing)?;
    let deleted: Option<i64> = org
        .db
        .query_row(
            &format!(
                "SELECT \"IsDeleted\" FROM {} WHERE \"Id\" = ?",
                quote(&object.name)
            ),
            [id],
            |row| row.get(0),
        )
        .ok();
    match deleted {
        None => Err(missing()),
        Some(flag) => Ok((object, flag != 0)),
    }
}

/// The object an update of `id` as `type_name` goes to.
fn target(org: &Org, type_name: &str, id: &str) -> Result<Arc<SObjectDescribe>, Rejection> {
    let id = match Id::new(id) {
        Ok(id) => id,
        Err(_) => return Err(error("MALFORMED_ID", format!("malformed id {id}"), &["Id"])),
    };
    let object = live_record(org, id.as_str())?;
    if !object.name.eq_ignore_ascii_case(type_name) {
        return Err(error(
            "INVALID_ID_FIELD",
            format!("Id {} is not a {type_name} Id", id.as_str()),
            &["Id"],
        ));
    }
    if !object.updateable {
        return Err(error(
            "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY",
            format!("entity type {} does not support update", object.name),
            &[],
        ));
    }
    Ok(object)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Create,
    Update,
}

/// The checked column values a record sets, and the fields it nulls.
fn values(
    org: &Org,
    object: &SObjectDescribe,
    record: &SObject,
    purpose: Purpose,
    own_id: Option<&str>,
) -> Result<Vec<(String, Value)>, Rejection> {
    let mut out: Vec<(String, Value)> = Vec::new();
    for name in &record.fields_to_null {
        let field = known_field(object, name)?;
        writable(field, purpose)?;
        if !field.nillable && kind(field) != Kind::Boolean {
            return Err(error(
                "REQUIRED_FIELD_MISSING",
                format!("Required fields are missing: [{}]", field.name),
                &[&field.name],
            ));
        }
        out.push((field.name.clone(), Value::Null));
    }
    for (name, value) in record.fields() {
        let (field, text) = match value {
            FieldValue::Null => continue, // in fields_to_null
            FieldValue::Text(text) => (known_field(object, name)?, text.as_str().to_owned()),
            FieldValue::SObject(parent) => {
                let (field, id) = reference_by_key(org, object, name, parent)?;
                (field, id)
            }
            FieldValue::Any(any) => (known_field(object, name)?, any.text.clone()),
            other => {
                return Err(error(
                    "INVALID_TYPE_ON_FIELD_IN_RECORD",
                    format!("{name}: a {} cannot be written", other.kind()),
                    &[name],
                ))
            }
        };
        writable(field, purpose)?;
        let value = check_value(org, object, field, &text, own_id)?;
        out.retain(|(n, _)| *n != field.name);
        out.push((field.name.clone(), value));
    }
    Ok(out)
}

fn known_field<'a>(
    object: &'a SObjectDescribe,
    name: &str,
) -> Result<&'a FieldDescribe, Rejection> {
    match object.field(name) {
        Some(field) if kind(field) != Kind::Compound => Ok(field),
        _ => Err(error(
            "INVALID_FIELD",
            format!("No such column '{name}' on sobject of type {}", object.name),
            &[name],
        )),
    }
}

fn writable(field: &FieldDescribe, purpose: Purpose) -> Result<(), Rejection> {
    let allowed = match purpose {
        Purpose::Create => field.createable,
        Purpose::Update => field.updateable,
    };
    if allowed {
        return Ok(());
    }
    let verb = if purpose == Purpose::Create {
        "create"
    } else {
        "update"
    };
    Err(error(
        "INVALID_FIELD_FOR_INSERT_UPDATE",
        format!(
            "Unable to {verb} fields: {}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
            field.name
        ),
        &[&field.name],
    ))
}

/// A parent named by external id (`<Account><type>Account</type><Ext__c>42</Ext__c>`):
/// the reference field and the parent's Id.
fn reference_by_key<'a>(
    org: &Org,
    object: &'a SObjectDescribe,
    relationship: &str,
    parent: &SObject,
) -> Result<(&'a FieldDescribe, String), Rejection> {
    let field = object.parent_relationship(relationship).ok_or_else(|| {
        error(
            "INVALID_FIELD",
            format!(
                "No such column '{relationship}' on sobject of type {}",
                object.name
            ),
            &[relationship],
        )
    })?;
    let parent_object = org
        .objects
        .get(&parent.r#type)
        .or_else(|| field.reference_to.first().and_then(|t| org.objects.get(t)))
        .cloned()
        .ok_or_else(|| {
            error(
                "INVALID_TYPE",
                format!("invalid sObject type {}", parent.r#type),
                &[],
            )
        })?;
    let (key, value) = parent
        .fields()
        .find_map(|(name, value)| value.as_str().map(|v| (name, v.to_owned())))
        .ok_or_else(|| {
            error(
                "MISSING_ARGUMENT",
                format!("{relationship}: no external id given for the reference"),
                &[relationship],
            )
        })?;
    let key_field = parent_object
        .field(key)
        .filter(|f| f.external_id || f.id_lookup)
        .ok_or_else(|| {
            error(
                "INVALID_FIELD",
                format!(
                    "Field name provided, {key} is not an External ID or indexed field for {}",
                    parent_object.name
                ),
                &[relationship],
            )
        })?;
    let stored = schema::to_sql(key_field, &value)
        .map_err(|r| error(r.status, r.message, &[relationship]))?;
    let ids: Vec<String> = org
        .db
        .prepare(&format!(
            "SELECT \"Id\" FROM {} WHERE {} = ? AND \"IsDeleted\" = 0 LIMIT 2",
            quote(&parent_object.name),
            quote(&key_field.name)
        ))
        .and_then(|mut s| {
            s.query_map([&stored], |row| row.get::<_, String>(0))?
                .collect::<Result<_, _>>()
        })
        .map_err(|e| error("UNKNOWN_EXCEPTION", e.to_string(), &[]))?;
    match ids.as_slice() {
        [id] => Ok((field, id.clone())),
        [] => Err(error(
            "INVALID_FIELD",
            format!(
                "Foreign key external ID: {value} not found for field {} in entity {}",
                key_field.name, parent_object.name
            ),
            &[relationship],
        )),
        _ => Err(error(
            "DUPLICATE_EXTERNAL_ID",
            format!(
                "{}: more than one record found for external id field",
                key_field.name
            ),
            &[relationship],
        )),
    }
}

/// Converts and checks one value: type, length, restricted picklist, reference, unique.
fn check_value(
    org: &Org,
    object: &SObjectDescribe,
    field: &FieldDescribe,
    text: &str,
    own_id: Option<&str>,
) -> Result<Value, Rejection> {
    let value =
        schema::to_sql(field, text).map_err(|r| error(r.status, r.message, &[&field.name]))?;
    let label = field.label_or_name();
    if kind(field) == Kind::Text && field.length > 0 && text.chars().count() > field.length as usize
    {
        return Err(error(
            "STRING_TOO_LONG",
            format!(
                "{label}: data value too large: {text} (max length={})",
                field.length
            ),
            &[&field.name],
        ));
    }
    if field.restricted_picklist
        && matches!(
            field.field_type,
            FieldType::Picklist | FieldType::MultiPicklist
        )
    {
        let parts: Vec<&str> = if field.field_type == FieldType::MultiPicklist {
            text.split(';').map(str::trim).collect()
        } else {
            vec![text]
        };
        for part in parts {
            if !field
                .picklist_values
                .iter()
                .any(|p| p.active && p.value == part)
            {
                return Err(error(
                    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                    format!("{label}: bad value for restricted picklist field: {part}"),
                    &[&field.name],
                ));
            }
        }
    }
    if field.field_type == FieldType::Reference {
        if let Value::Text(id) = &value {
            let targets: Vec<&Arc<SObjectDescribe>> = field
                .reference_to
                .iter()
                .filter_map(|t| org.objects.get(t))
                .collect();
            let Some(target) = targets
                .iter()
                .find(|t| t.key_prefix.as_deref() == Some(&id[..3]))
            else {
                return Err(error(
                    "FIELD_INTEGRITY_EXCEPTION",
                    format!("{label}: id value of incorrect type: {text}"),
                    &[&field.name],
                ));
            };
            let exists: bool = org
                .db
                .query_row(
                    &format!(
                        "SELECT \"IsDeleted\" = 0 FROM {} WHERE \"Id\" = ?",
                        quote(&target.name)
                    ),
                    [id],
                    |row| row.get(0),
                )
                .unwrap_or(false);
            if !exists {
                return Err(error(
                    "INVALID_CROSS_REFERENCE_KEY",
                    format!("invalid cross reference id: {label}: {text}"),
                    &[&field.name],
                ));
            }
        }
    }
    if field.unique && !matches!(value, Value::Null) {
        let other: Option<String> = org
            .db
            .query_row(
                &format!(
                    "SELECT \"Id\" FROM {} WHERE {} = ? AND \"Id\" IS NOT ? LIMIT 1",
                    quote(&object.name),
                    quote(&field.name)
                ),
                rusqlite::params![value, own_id],
                |row| row.get(0),
            )
            .ok();
        if let Some(other) = other {
            return Err(error(
                "DUPLICATE_VALUE",
                format!(
                    "duplicate value found: {} duplicates value on record with id: {other}",
                    field.name
                ),
                &[&field.name],
            ));
        }
    }
    Ok(value)
}

fn insert(org: &mut Org, object: &SObjectDescribe, record: &SObject) -> Result<Id, Rejection> {
    let mut values = values(org, object, record, Purpose::Create, None)?;
    let has = |values: &[(String, Value)], name: &str| {
        values
            .iter()
            .any(|(n, v)| n == name && !matches!(v, Value::Null))
    };
    // Defaults the org fills in: picklist defaults, unchecked checkboxes.
    for field in schema::stored_fields(object) {
        if has(&values, &field.name) {
            continue;
        }
        if let Some(default) = field.picklist_values.iter().find(|p| p.default_value) {
            values.push((field.name.clone(), Value::Text(default.value.clone())));
        } else if kind(field) == Kind::Boolean && field.createable {
            values.push((field.name.clone(), Value::Integer(0)));
        }
    }
    let missing: Vec<&str> = schema::stored_fields(object)
        .filter(|f| f.createable && !f.nillable && !f.defaulted_on_create)
        .filter(|f| kind(f) != Kind::Boolean)
        .filter(|f| !has(&values, &f.name))
        .map(|f| f.name.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(error(
            "REQUIRED_FIELD_MISSING",
            format!("Required fields are missing: [{}]", missing.join(", ")),
            &missing,
        ));
    }
    let prefix = object.key_prefix.clone().unwrap_or_default();
    let id = org
        .next_id(&prefix)
        .map_err(|f| error("UNKNOWN_EXCEPTION", f.message, &[]))?;
    let now = Value::Text(schema::datetime_text(org.clock.now()));
    let user = Value::Text(org.user_id.as_str().to_owned());
    let system: [(&str, Value); 8] = [
        ("Id", Value::Text(id.as_str().to_owned())),
        ("CreatedDate", now.clone()),
        ("LastModifiedDate", now.clone()),
        ("SystemModstamp", now),
        ("CreatedById", user.clone()),
        ("LastModifiedById", user.clone()),
        ("OwnerId", user),
        ("IsDeleted", Value::Integer(0)),
    ];
    for (name, value) in system {
        let set_by_user = name == "OwnerId" && has(&values, name);
        if object.field(name).is_some() && !set_by_user || name == "IsDeleted" {
            values.retain(|(n, _)| n != name);
            values.push((name.to_owned(), value));
        }
    }
    derive(object, &mut values);
    write_row(org, object, &values, None)
        .map_err(|e| error("UNKNOWN_EXCEPTION", e.to_string(), &[]))?;
    Ok(id)
}

fn modify(
    org: &mut Org,
    object: &SObjectDescribe,
    id: &str,
    record: &SObject,
) -> Result<Id, Rejection> {
    let id =
        Id::new(id).map_err(|_| error("MALFORMED_ID", format!("malformed id {id}"), &["Id"]))?;
    let mut values = values(org, object, record, Purpose::Update, Some(id.as_str()))?;
    let now = Value::Text(schema::datetime_text(org.clock.now()));
    for (name, value) in [
        ("LastModifiedDate", now.clone()),
        ("SystemModstamp", now),
        (
            "LastModifiedById",
            Value::Text(org.user_id.as_str().to_owned()),
        ),
    ] {
        if object.field(name).is_some() {
            values.retain(|(n, _)| n != name);
            values.push((name.to_owned(), value));
        }
    }
    if values
        .iter()
        .any(|(n, _)| matches!(n.as_str(), "FirstName" | "LastName" | "StageName"))
    {
        // Derived fields read the stored values the update leaves alone.
        for name in ["FirstName", "LastName", "StageName"] {
            if object.field(name).is_some() && !values.iter().any(|(n, _)| n == name) {
                let stored: Option<String> = org
                    .db
                    .query_row(
                        &format!(
                            "SELECT {} FROM {} WHERE \"Id\" = ?",
                            quote(name),
                            quote(&object.name)
                        ),
                        [id.as_str()],
                        |row| row.get(0),
                    )
                    .ok()
                    .flatten();
                if let Some(stored) = stored {
                    values.push((name.to_owned(), Value::Text(stored)));
                }
            }
        }
        derive(object, &mut values);
    }
    write_row(org, object, &values, Some(id.as_str()))
        .map_err(|e| error("UNKNOWN_EXCEPTION", e.to_string(), &[]))?;
    Ok(id)
}

/// Fields Salesforce computes: a person's `Name` from its parts, an opportunity's
/// `IsClosed` and `IsWon` from its stage.
fn derive(object: &SObjectDescribe, values: &mut Vec<(String, Value)>) {
    let text = |values: &[(String, Value)], name: &str| {
        values.iter().find_map(|(n, v)| match v {
            Value::Text(t) if n == name => Some(t.clone()),
            _ => None,
        })
    };
    let name_is_computed =
        object.field("Name").is_some_and(|f| !f.createable) && object.field("LastName").is_some();
    if name_is_computed {
        let first = text(values, "FirstName").unwrap_or_default();
        let last = text(values, "LastName").unwrap_or_default();
        let full = format!("{first} {last}").trim().to_owned();
        values.retain(|(n, _)| n != "Name");
        values.push(("Name".to_owned(), Value::Text(full)));
    }
    if object.name == "Opportunity" {
        if let Some(stage) = text(values, "StageName") {
            let closed = stage.starts_with("Closed");
            let won = stage == "Closed Won";
            values.retain(|(n, _)| n != "IsClosed" && n != "IsWon");
            values.push(("IsClosed".to_owned(), Value::Integer(i64::from(closed))));
            values.push(("IsWon".to_owned(), Value::Integer(i64::from(won))));
        }
    }
}

fn write_row(
    org: &Org,
    object: &SObjectDescribe,
    values: &[(String, Value)],
    id: Option<&str>,
) -> rusqlite::Result<()> {
    let names: Vec<String> = values.iter().map(|(n, _)| quote(n)).collect();
    let params: Vec<&Value> = values.iter().map(|(_, v)| v).collect();
    let sql = match id {
        None => format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quote(&object.name),
            names.join(", "),
            vec!["?"; names.len()].join(", ")
        ),
        Some(_) => format!(
            "UPDATE {} SET {} WHERE \"Id\" = ?",
            quote(&object.name),
            names
                .iter()
                .map(|n| format!("{n} = ?"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut statement = org.db.prepare_cached(&sql)?;
    match id {
        None => statement.execute(rusqlite::params_from_iter(params)),
        Some(id) => {
            let id = Value::Text(id.to_owned());
            statement.execute(rusqlite::params_from_iter(params.into_iter().chain([&id])))
        }
    }?;
    Ok(())
}
