//! The calls beyond query and plain DML: getDeleted/getUpdated, merge, convertLead,
//! process (approvals), sendEmail (into an outbox), setPassword/resetPassword.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use sforce::{FieldValue, Id, SObject};

use crate::dml::{self, Rejection};
use crate::fault::{Detail, Fault};
use crate::org::{Org, SentEmail, Workitem};
use crate::query;
use crate::schema::{self, quote};
use crate::wire;

fn object_named<'a>(
    org: &'a Org,
    name: &str,
) -> Result<&'a std::sync::Arc<sforce_codegen::describe::SObjectDescribe>, Fault> {
    org.objects.get(name).ok_or_else(|| {
        Fault::new(
            "INVALID_TYPE",
            format!("sObject type '{name}' is not supported."),
            Detail::InvalidSObject { row: 0, column: 0 },
        )
    })
}

/// Replication windows are whole minutes, and end no later than now.
fn replication_window(
    org: &Org,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), Fault> {
    let minute = |t: DateTime<Utc>| {
        t.with_second(0)
            .and_then(|t| t.with_nanosecond(0))
            .unwrap_or(t)
    };
    let now = org.clock.now();
    let (start, end) = (minute(start), minute(end.min(now)));
    if start > now {
        return Err(Fault::unexpected(
            "INVALID_REPLICATION_DATE",
            "startDate cannot be in the future",
        ));
    }
    if end <= start {
        return Err(Fault::unexpected(
            "INVALID_REPLICATION_DATE",
            "startDate must chronologically precede endDate by more than one minute",
        ));
    }
    if end - start > Duration::days(30) {
        return Err(Fault::unexpected(
            "EXCEEDED_MAX_TYPES_LIMIT",
            "the window between startDate and endDate is more than 30 days",
        ));
    }
    Ok((start, end))
}

fn ids_where(
    org: &Org,
    sql: &str,
    start: &str,
    end: &str,
) -> Result<Vec<(String, Option<String>)>, Fault> {
    let fail = |e: rusqlite::Error| Fault::unexpected("UNKNOWN_EXCEPTION", format!("{sql}: {e}"));
    let mut statement = org.db.prepare(sql).map_err(fail)?;
    let rows = statement
        .query_map([start, end], |row| Ok((row.get(0)?, row.get(1)?)))
        .map_err(fail)?;
    rows.collect::<Result<_, _>>().map_err(fail)
}

pub(crate) fn get_updated(
    org: &Org,
    request: &wire::GetUpdated,
) -> Result<wire::GetUpdatedResult, Fault> {
    let object = object_named(org, &request.s_object_type)?;
    let (start, end) = replication_window(org, request.start_date, request.end_date)?;
    let stamp = if object.field("SystemModstamp").is_some() {
        "SystemModstamp"
    } else {
        "CreatedDate"
    };
    let sql = format!(
        "SELECT \"Id\", NULL FROM {} WHERE \"IsDeleted\" = 0 AND {} >= ?1 AND {} < ?2 ORDER BY rowid",
        quote(&object.name),
        quote(stamp),
        quote(stamp)
    );
    let rows = ids_where(
        org,
        &sql,
        &schema::datetime_text(start),
        &schema::datetime_text(end),
    )?;
    Ok(wire::GetUpdatedResult {
        ids: rows.iter().filter_map(|(id, _)| Id::new(id).ok()).collect(),
        latest_date_covered: end,
    })
}

pub(crate) fn get_deleted(
    org: &Org,
    request: &wire::GetDeleted,
) -> Result<wire::GetDeletedResult, Fault> {
    let object = object_named(org, &request.s_object_type)?;
    let (start, end) = replication_window(org, request.start_date, request.end_date)?;
    let sql = format!(
        "SELECT \"Id\", _deleted_at FROM {} WHERE \"IsDeleted\" = 1 AND _deleted_at >= ?1 AND _deleted_at < ?2 ORDER BY _deleted_at",
        quote(&object.name)
    );
    let rows = ids_where(
        org,
        &sql,
        &schema::datetime_text(start),
        &schema::datetime_text(end),
    )?;
    let deleted_records = rows
        .into_iter()
        .filter_map(|(id, at)| {
            Some(wire::DeletedRecord {
                id: Id::new(&id).ok()?,
                deleted_date: sforce::convert::parse_datetime(&at?)?,
            })
        })
        .collect();
    Ok(wire::GetDeletedResult {
        deleted_records,
        earliest_date_available: org.started,
        latest_date_covered: end,
    })
}

/// One savepoint per item of a call that does several writes per item (merge,
/// convertLead): a failed item leaves nothing behind.
fn atomically<T>(
    org: &mut Org,
    work: impl FnOnce(&mut Org) -> Result<T, Rejection>,
) -> Result<T, Rejection> {
    let run = |org: &Org, sql: &str| {
        org.db
            .execute_batch(sql)
            .map_err(|e| dml::error("UNKNOWN_EXCEPTION", e.to_string(), &[]))
    };
    run(org, "SAVEPOINT item")?;
    let result = work(org);
    if result.is_err() {
        run(org, "ROLLBACK TO item")?;
    }
    run(org, "RELEASE item")?;
    result
}

fn saved(outcome: dml::Outcome) -> Result<Id, Rejection> {
    match (outcome.id, outcome.rejection) {
        (Some(id), None) => Ok(id),
        (_, Some(rejection)) => Err(rejection),
        (None, None) => Err(dml::error(
            "UNKNOWN_EXCEPTION",
            "the record was not saved",
            &[],
        )),
    }
}

/// Objects Salesforce merges.
const MERGEABLE: [&str; 4] = ["Account", "Contact", "Lead", "Case"];

pub(crate) fn merge(org: &mut Org, request: &wire::MergeRequest) -> wire::MergeResult {
    let master = request.master_record.clone();
    let result = atomically(org, |org| {
        let Some(master_id) = master.id.clone() else {
            return Err(dml::error(
                "MISSING_ARGUMENT",
                "masterRecord has no Id",
                &["Id"],
            ));
        };
        if !MERGEABLE
            .iter()
            .any(|m| m.eq_ignore_ascii_case(&master.r#type))
        {
            return Err(dml::error(
                "INVALID_TYPE",
                format!("merge is not supported for {}", master.r#type),
                &[],
            ));
        }
        if request.record_to_merge_ids.is_empty() || request.record_to_merge_ids.len() > 2 {
            return Err(dml::error(
                "LIMIT_EXCEEDED",
                "a merge takes the master record and one or two records to merge",
                &[],
            ));
        }
        let object = object_named(org, &master.r#type)
            .map_err(|f| dml::error("INVALID_TYPE", f.message, &[]))?
            .clone();
        saved(dml::update(org, &master))?;
        let mut updated_related = Vec::new();
        for loser in &request.record_to_merge_ids {
            if loser.as_str() == master_id || loser.key_prefix() != &master_id[..3] {
                return Err(dml::error(
                    "INVALID_ID_FIELD",
                    format!("{} cannot be merged into {master_id}", loser.as_str()),
                    &[],
                ));
            }
            for relation in &object.child_relationships {
                let Some(child) = org.objects.get(&relation.child_sobject).cloned() else {
                    continue;
                };
                if child.field(&relation.field).is_none() {
                    continue;
                }
                let select = format!(
                    "SELECT \"Id\" FROM {} WHERE {} = ?1 AND \"IsDeleted\" = 0",
                    quote(&child.name),
                    quote(&relation.field)
                );
                let moved: Vec<String> = org
                    .db
                    .prepare(&select)
                    .and_then(|mut s| s.query_map([loser.as_str()], |row| row.get(0))?.collect())
                    .map_err(|e| dml::error("UNKNOWN_EXCEPTION", e.to_string(), &[]))?;
                if moved.is_empty() {
                    continue;
                }
                org.db
                    .execute(
                        &format!(
                            "UPDATE {} SET {} = ?1 WHERE {} = ?2",
                            quote(&child.name),
                            quote(&relation.field),
                            quote(&relation.field)
                        ),
                        [master_id.as_str(), loser.as_str()],
                    )
                    .map_err(|e| dml::error("UNKNOWN_EXCEPTION", e.to_string(), &[]))?;
                updated_related.extend(moved.iter().filter_map(|id| Id::new(id).ok()));
            }
            if object.field("MasterRecordId").is_some() {
                org.db
                    .execute(
                        &format!(
                            "UPDATE {} SET \"MasterRecordId\" = ?1 WHERE \"Id\" = ?2",
                            quote(&object.name)
                        ),
                        [master_id.as_str(), loser.as_str()],
                    )
                    .map_err(|e| dml::error("UNKNOWN_EXCEPTION", e.to_string(), &[]))?;
            }
            saved(dml::delete(org, loser))?;
        }
        let master_id = Id::new(&master_id)
            .map_err(|_| dml::error("MALFORMED_ID", "bad master Id", &["Id"]))?;
        Ok((master_id, updated_related))
    });
    match result {
        Ok((id, updated_related_ids)) => wire::MergeResult {
            errors: Vec::new(),
            id: Some(id),
            merged_record_ids: request.record_to_merge_ids.clone(),
            success: true,
            updated_related_ids,
        },
        Err(rejection) => wire::MergeResult {
            errors: vec![rejection.into_error()],
            success: false,
            ..Default::default()
        },
    }
}

/// The last day of the quarter `today` is in: the close date of a converted lead's
/// opportunity.
fn end_of_quarter(today: NaiveDate) -> NaiveDate {
    let first_month_next = (today.month0() / 3 + 1) * 3 + 1;
    let next = if first_month_next > 12 {
        NaiveDate::from_ymd_opt(today.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(today.year(), first_month_next, 1)
    };
    next.map_or(today, |d| d - Duration::days(1))
}

fn lead_record(org: &Org, id: &Id) -> Result<SObject, Rejection> {
    let soql = format!(
        "SELECT Id, FirstName, LastName, Company, Email, Phone, Title, LeadSource, IsConverted, OwnerId FROM Lead WHERE Id = '{}'",
        id.as_str()
    );
    let found = query::run(org, &soql, false)
        .map_err(|f| dml::error("UNKNOWN_EXCEPTION", f.message, &[]))?;
    found.records.into_iter().next().ok_or_else(|| {
        dml::error(
            "INVALID_CROSS_REFERENCE_KEY",
            "invalid cross reference id",
            &["leadId"],
        )
    })
}

fn copy(from: &SObject, to: &mut SObject, fields: &[&str]) {
    for name in fields {
        if let Some(FieldValue::Text(text)) = from.get(name) {
            to.set(name, text.as_str());
        }
    }
}

pub(crate) fn convert_lead(org: &mut Org, convert: &wire::LeadConvert) -> wire::LeadConvertResult {
    let result = atomically(org, |org| {
        let lead = lead_record(org, &convert.lead_id)?;
        if lead.get_bool("IsConverted").ok().flatten() == Some(true) {
            return Err(dml::error(
                "CANNOT_UPDATE_CONVERTED_LEAD",
                "cannot reference converted lead",
                &[],
            ));
        }
        let company = lead
            .get_str("Company")
            .ok()
            .flatten()
            .unwrap_or_default()
            .to_owned();
        let account_id = match convert.account_id {
            Some(id) => id,
            None => {
                let account = SObject::new("Account").with("Name", company.as_str());
                saved(dml::create(org, &account))?
            }
        };
        let contact_id = match convert.contact_id {
            Some(id) => id,
            None => {
                let mut contact = SObject::new("Contact").with("AccountId", account_id.as_str());
                copy(
                    &lead,
                    &mut contact,
                    &[
                        "FirstName",
                        "LastName",
                        "Email",
                        "Phone",
                        "Title",
                        "LeadSource",
                    ],
                );
                saved(dml::create(org, &contact))?
            }
        };
        let opportunity_id = if convert.do_not_create_opportunity {
            None
        } else {
            let name = convert
                .opportunity_name
                .clone()
                .unwrap_or_else(|| format!("{company}-"));
            let close = end_of_quarter(org.clock.now().date_naive());
            let mut opportunity = SObject::new("Opportunity")
                .with("Name", name.as_str())
                .with("AccountId", account_id.as_str())
                .with("StageName", "Prospecting")
                .with("CloseDate", close.format("%Y-%m-%d").to_string());
            copy(&lead, &mut opportunity, &["LeadSource"]);
            Some(saved(dml::create(org, &opportunity))?)
        };
        let today = org.clock.now().date_naive().format("%Y-%m-%d").to_string();
        // The conversion fields are read-only to the API: the org sets them itself.
        org.db
            .execute(
                "UPDATE \"Lead\" SET \"IsConverted\" = 1, \"ConvertedAccountId\" = ?1, \
                 \"ConvertedContactId\" = ?2, \"ConvertedOpportunityId\" = ?3, \
                 \"ConvertedDate\" = ?4, \"Status\" = ?5 WHERE \"Id\" = ?6",
                rusqlite::params![
                    account_id.as_str(),
                    contact_id.as_str(),
                    opportunity_id.as_ref().map(|i| i.as_str().to_owned()),
                    today,
                    convert.converted_status,
                    convert.lead_id.as_str()
                ],
            )
            .map_err(|e| dml::error("UNKNOWN_EXCEPTION", e.to_string(), &[]))?;
        Ok((account_id, contact_id, opportunity_id))
    });
    match result {
        Ok((account, contact, opportunity)) => wire::LeadConvertResult {
            account_id: Some(account),
            contact_id: Some(contact),
            lead_id: Some(convert.lead_id),
            opportunity_id: opportunity,
            success: true,
            ..Default::default()
        },
        Err(rejection) => wire::LeadConvertResult {
            lead_id: Some(convert.lead_id),
            errors: vec![rejection.into_error()],
            success: false,
            ..Default::default()
        },
    }
}

pub(crate) fn process(org: &mut Org, action: &wire::ProcessRequestKind) -> wire::ProcessResult {
    let failed = |rejection: Rejection| wire::ProcessResult {
        errors: vec![rejection.into_error()],
        success: false,
        ..Default::default()
    };
    match action {
        wire::ProcessRequestKind::ProcessSubmitRequest(submit) => {
            let exists = org
                .objects
                .by_prefix(submit.object_id.key_prefix())
                .cloned()
                .and_then(|object| {
                    org.db
                        .query_row(
                            &format!(
                                "SELECT 1 FROM {} WHERE \"Id\" = ?1 AND \"IsDeleted\" = 0",
                                quote(&object.name)
                            ),
                            [submit.object_id.as_str()],
                            |_| Ok(()),
                        )
                        .ok()
                })
                .is_some();
            if !exists {
                return failed(dml::error(
                    "INVALID_CROSS_REFERENCE_KEY",
                    "invalid cross reference id",
                    &["objectId"],
                ));
            }
            if org
                .workitems
                .values()
                .any(|w| w.entity == submit.object_id && w.status == "Pending")
            {
                return failed(dml::error(
                    "ALREADY_IN_PROCESS",
                    "This record is currently in an approval process.",
                    &[],
                ));
            }
            let instance = match org.next_id("04g") {
                Ok(id) => id,
                Err(f) => return failed(dml::error("UNKNOWN_EXCEPTION", f.message, &[])),
            };
            let workitem = match org.next_id("04i") {
                Ok(id) => id,
                Err(f) => return failed(dml::error("UNKNOWN_EXCEPTION", f.message, &[])),
            };
            let actors = if submit.next_approver_ids.is_empty() {
                vec![org.user_id]
            } else {
                submit.next_approver_ids.clone()
            };
            org.workitems.insert(
                workitem,
                Workitem {
                    instance,
                    entity: submit.object_id,
                    status: "Pending".to_owned(),
                },
            );
            wire::ProcessResult {
                actor_ids: actors,
                entity_id: Some(submit.object_id),
                instance_id: Some(instance),
                instance_status: Some("Pending".to_owned()),
                new_workitem_ids: vec![workitem],
                success: true,
                errors: Vec::new(),
            }
        }
        wire::ProcessRequestKind::ProcessWorkitemRequest(item) => {
            let status = match item.action.as_str() {
                "Approve" => "Approved",
                "Reject" => "Rejected",
                "Removed" => "Removed",
                other => {
                    return failed(dml::error(
                        "INVALID_OPERATION",
                        format!("action must be Approve, Reject or Removed, not {other}"),
                        &["action"],
                    ))
                }
            };
            let Some(workitem) = org.workitems.get_mut(&item.workitem_id) else {
                return failed(dml::error(
                    "INVALID_CROSS_REFERENCE_KEY",
                    "invalid cross reference id",
                    &["workitemId"],
                ));
            };
            if workitem.status != "Pending" {
                return failed(dml::error(
                    "INVALID_OPERATION",
                    "the work item is no longer pending",
                    &[],
                ));
            }
            workitem.status = status.to_owned();
            wire::ProcessResult {
                actor_ids: vec![org.user_id],
                entity_id: Some(workitem.entity),
                instance_id: Some(workitem.instance),
                instance_status: Some(status.to_owned()),
                new_workitem_ids: Vec::new(),
                success: true,
                errors: Vec::new(),
            }
        }
        other => failed(dml::error(
            "INVALID_OPERATION",
            format!("{} is not supported by the local org", other.type_name()),
            &[],
        )),
    }
}

/// The email address of a recipient record (Contact, Lead, User).
fn address_of(org: &Org, id: &Id) -> Option<String> {
    let object = org.objects.by_prefix(id.key_prefix())?;
    org.db
        .query_row(
            &format!(
                "SELECT \"Email\" FROM {} WHERE \"Id\" = ?1",
                quote(&object.name)
            ),
            [id.as_str()],
            |row| row.get::<_, Option<String>>(0),
        )
        .ok()
        .flatten()
}

/// A template's subject and body with `{!Object.Field}` merge fields filled from the
/// target record.
fn render(org: &Org, template: &Id, target: Option<&Id>) -> Result<(String, String), Rejection> {
    let row: Option<(Option<String>, Option<String>)> = org
        .db
        .query_row(
            "SELECT \"Subject\", \"Body\" FROM \"EmailTemplate\" WHERE \"Id\" = ?1 AND \"IsDeleted\" = 0",
            [template.as_str()],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .ok();
    let Some((subject, body)) = row else {
        return Err(dml::error(
            "INVALID_ID_FIELD",
            format!("invalid template id: {}", template.as_str()),
            &["templateId"],
        ));
    };
    let (mut subject, mut body) = (subject.unwrap_or_default(), body.unwrap_or_default());
    if let Some(target) = target {
        if let Some(object) = org.objects.by_prefix(target.key_prefix()).cloned() {
            for field in schema::stored_fields(&object) {
                let token = format!("{{!{}.{}}}", object.name, field.name);
                if !subject.contains(&token) && !body.contains(&token) {
                    continue;
                }
                let value: Option<String> = org
                    .db
                    .query_row(
                        &format!(
                            "SELECT {} FROM {} WHERE \"Id\" = ?1",
                            quote(&field.name),
                            quote(&object.name)
                        ),
                        [target.as_str()],
                        |row| Ok(schema::to_wire(schema::kind(field), row.get_ref(0)?)),
                    )
                    .ok()
                    .flatten();
                let value = value.unwrap_or_default();
                subject = subject.replace(&token, &value);
                body = body.replace(&token, &value);
            }
        }
    }
    Ok((subject, body))
}

pub(crate) fn send_email(org: &mut Org, message: &wire::EmailKind) -> wire::SendEmailResult {
    let sent = match message {
        wire::EmailKind::SingleEmailMessage(single) => single_email(org, single),
        wire::EmailKind::MassEmailMessage(mass) => mass_email(org, mass),
        wire::EmailKind::Email(_) => Err(dml::error(
            "INVALID_EMAIL_ADDRESS",
            "an Email must be a SingleEmailMessage or a MassEmailMessage",
            &[],
        )),
    };
    match sent {
        Ok(emails) => {
            org.outbox.extend(emails);
            wire::SendEmailResult {
                errors: Vec::new(),
                success: true,
            }
        }
        Err(rejection) => wire::SendEmailResult {
            errors: vec![rejection.into_send_email_error()],
            success: false,
        },
    }
}

fn single_email(
    org: &Org,
    message: &wire::SingleEmailMessage,
) -> Result<Vec<SentEmail>, Rejection> {
    let mut to = message.to_addresses.clone();
    if let Some(target) = &message.target_object_id {
        if message.treat_target_object_as_recipient != Some(false) {
            match address_of(org, target) {
                Some(address) => to.push(address),
                None => {
                    return Err(dml::error(
                        "INVALID_EMAIL_ADDRESS",
                        format!("{} has no email address", target.as_str()),
                        &["targetObjectId"],
                    ))
                }
            }
        }
    }
    if to.is_empty() && message.cc_addresses.is_empty() && message.bcc_addresses.is_empty() {
        return Err(dml::error(
            "REQUIRED_FIELD_MISSING",
            "Add a recipient to send an email.",
            &["toAddresses"],
        ));
    }
    if let Some(bad) = to
        .iter()
        .chain(&message.cc_addresses)
        .chain(&message.bcc_addresses)
        .find(|a| !a.contains('@'))
    {
        return Err(dml::error(
            "INVALID_EMAIL_ADDRESS",
            format!("Invalid to address : {bad}"),
            &[],
        ));
    }
    let (subject, body) = match &message.template_id {
        Some(template) => render(org, template, message.target_object_id.as_ref())?,
        None => (
            message.subject.clone().unwrap_or_default(),
            message
                .plain_text_body
                .clone()
                .or_else(|| message.html_body.clone())
                .unwrap_or_default(),
        ),
    };
    Ok(vec![SentEmail {
        to,
        cc: message.cc_addresses.clone(),
        bcc: message.bcc_addresses.clone(),
        subject,
        body,
        template: message.template_id,
        target: message.target_object_id,
    }])
}

fn mass_email(org: &Org, message: &wire::MassEmailMessage) -> Result<Vec<SentEmail>, Rejection> {
    if message.target_object_ids.is_empty() {
        return Err(dml::error(
            "REQUIRED_FIELD_MISSING",
            "targetObjectIds is empty",
            &["targetObjectIds"],
        ));
    }
    let mut out = Vec::new();
    for target in &message.target_object_ids {
        let address = address_of(org, target).ok_or_else(|| {
            dml::error(
                "INVALID_EMAIL_ADDRESS",
                format!("{} has no email address", target.as_str()),
                &["targetObjectIds"],
            )
        })?;
        let (subject, body) = render(org, &message.template_id, Some(target))?;
        out.push(SentEmail {
            to: vec![address],
            cc: Vec::new(),
            bcc: Vec::new(),
            subject,
            body,
            template: Some(message.template_id),
            target: Some(*target),
        });
    }
    Ok(out)
}

fn user_exists(org: &Org, id: &Id) -> Result<(), Fault> {
    let found = org
        .db
        .query_row(
            "SELECT 1 FROM \"User\" WHERE \"Id\" = ?1",
            [id.as_str()],
            |_| Ok(()),
        )
        .is_ok();
    if found {
        Ok(())
    } else {
        Err(Fault::unexpected(
            "INVALID_CROSS_REFERENCE_KEY",
            "invalid cross reference id",
        ))
    }
}

pub(crate) fn set_password(org: &mut Org, request: &wire::SetPassword) -> Result<(), Fault> {
    user_exists(org, &request.user_id)?;
    if request.password.chars().count() < 8 {
        return Err(Fault::unexpected(
            "INVALID_NEW_PASSWORD",
            "Your password must be at least 8 characters long.",
        ));
    }
    if request.user_id == org.user_id {
        org.config.password = request.password.clone();
    }
    Ok(())
}

pub(crate) fn reset_password(
    org: &mut Org,
    request: &wire::ResetPassword,
) -> Result<String, Fault> {
    user_exists(org, &request.user_id)?;
    let password = format!("Lo{}", &org.token()[..10]);
    if request.user_id == org.user_id {
        org.config.password = password.clone();
    }
    Ok(password)
}
