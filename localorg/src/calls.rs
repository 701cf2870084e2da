//! One SOAP call: the request envelope read into the generated partner types, the
//! operation run against the org, the response (or fault) written from them.

use sforce::xml::{Element, FromXml, ToXml, XmlReader, XmlWriter};
use sforce::{ChildQuery, FieldValue, SObject};

use crate::actions;
use crate::dml::{self, Outcome};
use crate::fault::{Detail, Fault};
use crate::org::{Cursor, Org};
use crate::query;
use crate::search;
use crate::wire;

const SOAP_ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const PARTNER: &str = "urn:partner.soap.sforce.com";

/// The API versions the org answers (`UNSUPPORTED_API_VERSION` outside).
pub(crate) const VERSIONS: std::ops::RangeInclusive<u32> = 31..=66;
/// From this version on, `login()` is retired and answers `INVALID_OPERATION`.
pub(crate) const LOGIN_RETIRED: u32 = 65;

/// What the server sends back: HTTP status and envelope, and the operation called.
pub(crate) struct Reply {
    pub status: u16,
    pub body: String,
    pub operation: Option<String>,
}

/// The SOAP headers the org acts on; the others are read past.
#[derive(Default)]
pub(crate) struct Headers {
    pub session_id: Option<String>,
    query_options: Option<wire::QueryOptions>,
    all_or_none: bool,
}

/// Where the call arrived: the API version in the path and the server's own URL.
pub(crate) struct Endpoint<'a> {
    pub version: &'a str,
    pub base_url: &'a str,
}

/// A SOAP API the org serves: its generated service, its namespace and its operations.
pub(crate) struct Api {
    /// `partner`, `apex`: what the request log names it.
    pub name: &'static str,
    pub service: &'static sforce::__private::ServiceInfo,
    pub namespace: &'static str,
    pub operate: Operate,
}

/// Runs one operation of an API, its request element just read.
pub(crate) type Operate = fn(
    &mut Org,
    &Endpoint<'_>,
    &Headers,
    &mut XmlReader<'_>,
    &Element<'_>,
) -> Result<String, Fault>;

/// The partner API.
pub(crate) const PARTNER_API: Api = Api {
    name: "partner",
    service: &wire::SERVICE,
    namespace: PARTNER,
    operate,
};

/// Handles one POST to an API's endpoint.
pub(crate) fn handle(org: &mut Org, api: &Api, endpoint: &Endpoint<'_>, body: &[u8]) -> Reply {
    let mut operation = None;
    match call(org, api, endpoint, body, &mut operation) {
        Ok(body) => Reply {
            status: 200,
            body,
            operation,
        },
        Err(fault) => Reply {
            status: 500,
            body: fault_envelope(api.service, &fault),
            operation,
        },
    }
}

fn fault_envelope(service: &sforce::__private::ServiceInfo, fault: &Fault) -> String {
    sforce::__private::write_response(service, &|_| {}, &|w: &mut XmlWriter| fault.write(w), 512)
}

/// A `UNSUPPORTED_API_VERSION` fault, for a path the org does not serve.
pub(crate) fn unsupported_version(version: &str) -> Reply {
    let fault = Fault::unexpected(
        "UNSUPPORTED_API_VERSION",
        format!("Invalid Api version specified on URL: {version}"),
    );
    Reply {
        status: 500,
        body: fault_envelope(&wire::SERVICE, &fault),
        operation: None,
    }
}

fn client_error(error: sforce::Error) -> Fault {
    Fault::client(error.to_string())
}

fn call(
    org: &mut Org,
    api: &Api,
    endpoint: &Endpoint<'_>,
    body: &[u8],
    operation_name: &mut Option<String>,
) -> Result<String, Fault> {
    let mut r = XmlReader::new(body);
    let envelope = r.root().map_err(client_error)?;
    if envelope.local_name() != b"Envelope" || !r.namespace_is(&envelope, SOAP_ENV) {
        return Err(Fault::client(format!(
            "expected a SOAP 1.1 Envelope, found `{}`",
            envelope.name()
        )));
    }
    let mut headers = Headers::default();
    while let Some(part) = r.next_child(&envelope).map_err(client_error)? {
        match part.local_name() {
            b"Header" => read_headers(&mut r, &part, &mut headers).map_err(client_error)?,
            b"Body" => {
                let Some(operation) = r.next_child(&part).map_err(client_error)? else {
                    return Err(Fault::client("the SOAP Body is empty"));
                };
                if !r.namespace_is(&operation, api.namespace) {
                    return Err(Fault::client(format!(
                        "`{}` is not an operation of {} ({})",
                        operation.name(),
                        api.service.name,
                        api.namespace
                    )));
                }
                *operation_name =
                    Some(String::from_utf8_lossy(operation.local_name()).into_owned());
                return (api.operate)(org, endpoint, &headers, &mut r, &operation);
            }
            _ => r.skip(&part).map_err(client_error)?,
        }
    }
    Err(Fault::client("the envelope has no Body"))
}

/// The operation a request calls (the local name of the Body's first element), read
/// without running it: what fault injection filters on.
pub(crate) fn operation_name(body: &[u8]) -> Option<String> {
    let mut r = XmlReader::new(body);
    let envelope = r.root().ok()?;
    while let Some(part) = r.next_child(&envelope).ok()? {
        if part.local_name() == b"Body" {
            let operation = r.next_child(&part).ok()??;
            return Some(String::from_utf8_lossy(operation.local_name()).into_owned());
        }
        r.skip(&part).ok()?;
    }
    None
}

/// A fault envelope for an injected failure (`REQUEST_LIMIT_EXCEEDED`, any code).
pub(crate) fn injected_fault(code: &str, message: &str) -> Reply {
    Reply {
        status: 500,
        body: fault_envelope(&wire::SERVICE, &Fault::unexpected(code, message)),
        operation: None,
    }
}

fn read_headers(
    r: &mut XmlReader<'_>,
    header: &Element<'_>,
    into: &mut Headers,
) -> Result<(), sforce::Error> {
    while let Some(item) = r.next_child(header)? {
        match item.local_name() {
            b"SessionHeader" => {
                into.session_id = Some(wire::SessionHeader::read_xml(r, &item)?.session_id);
            }
            b"QueryOptions" => into.query_options = Some(wire::QueryOptions::read_xml(r, &item)?),
            b"AllOrNoneHeader" => {
                into.all_or_none = wire::AllOrNoneHeader::read_xml(r, &item)?
                    .all_or_none
                    .unwrap_or(false);
            }
            _ => r.skip(&item)?,
        }
    }
    Ok(())
}

/// Reads the operation's request element into `T`.
pub(crate) fn request<T: FromXml>(
    r: &mut XmlReader<'_>,
    element: &Element<'_>,
) -> Result<T, Fault> {
    let value = T::read_xml(r, element).map_err(client_error)?;
    Ok(value)
}

/// Writes `<p:{name}Response>` from a generated response type, with the
/// `LimitInfoHeader` of the org's API request count.
fn respond(org: &Org, name: &str, value: &impl ToXml) -> String {
    let tag = format!("p:{name}Response");
    let limits = limit_info(org);
    sforce::__private::write_response(
        &wire::SERVICE,
        &|w: &mut XmlWriter| limits.write_xml(w, "p:LimitInfoHeader"),
        &|w: &mut XmlWriter| value.write_xml(w, &tag),
        4096,
    )
}

fn limit_info(org: &Org) -> wire::LimitInfoHeader {
    wire::LimitInfoHeader {
        limit_info: vec![wire::LimitInfo {
            app_name: None,
            current: org.api_requests.len() as i64,
            limit: org.config.daily_api_limit as i64,
            type_: "API REQUESTS".to_owned(),
        }],
    }
}

fn operate(
    org: &mut Org,
    endpoint: &Endpoint<'_>,
    headers: &Headers,
    r: &mut XmlReader<'_>,
    element: &Element<'_>,
) -> Result<String, Fault> {
    let name = String::from_utf8_lossy(element.local_name()).into_owned();
    if name == "login" {
        let login: wire::Login = request(r, element)?;
        return login_call(org, endpoint, &login);
    }
    org.use_session(headers.session_id.as_deref())?;
    org.count_api_request()?;
    match name.as_str() {
        "logout" => {
            if let Some(id) = &headers.session_id {
                org.sessions.remove(id);
            }
            Ok(respond(org, &name, &wire::LogoutResponse {}))
        }
        "query" | "queryAll" => {
            let soql = if name == "query" {
                request::<wire::QueryType>(r, element)?.query_string
            } else {
                request::<wire::QueryAll>(r, element)?.query_string
            };
            let output = query::run(org, &soql, name == "queryAll")?;
            let batch = batch_size(headers);
            let result = first_batch(org, output, batch);
            Ok(respond(org, &name, &wire::QueryResponse { result }))
        }
        "queryMore" => {
            let more: wire::QueryMore = request(r, element)?;
            let result = next_batch(org, more.query_locator.as_str())?;
            Ok(respond(org, &name, &wire::QueryMoreResponse { result }))
        }
        "create" => {
            let create: wire::Create = request(r, element)?;
            dml::check_count(create.s_objects.len())?;
            dml::check_types(org, &create.s_objects)?;
            let outcomes =
                dml::in_transaction(org, &create.s_objects, headers.all_or_none, dml::create)?;
            let result = outcomes.into_iter().map(save_result).collect();
            Ok(respond(org, &name, &wire::CreateResponse { result }))
        }
        "update" => {
            let update: wire::Update = request(r, element)?;
            dml::check_count(update.s_objects.len())?;
            dml::check_types(org, &update.s_objects)?;
            let outcomes =
                dml::in_transaction(org, &update.s_objects, headers.all_or_none, dml::update)?;
            let result = outcomes.into_iter().map(save_result).collect();
            Ok(respond(org, &name, &wire::UpdateResponse { result }))
        }
        "upsert" => {
            let upsert: wire::Upsert = request(r, element)?;
            dml::check_count(upsert.s_objects.len())?;
            dml::check_types(org, &upsert.s_objects)?;
            let key = upsert_key(org, &upsert)?;
            let outcomes = dml::in_transaction(
                org,
                &upsert.s_objects,
                headers.all_or_none,
                |org, record| match &key {
                    Some(key) => dml::upsert(org, key, record),
                    None => Outcome::default(),
                },
            )?;
            let result = outcomes
                .into_iter()
                .map(|o| wire::UpsertResult {
                    created: o.created && o.success(),
                    success: o.success(),
                    id: o.id,
                    errors: o.errors(),
                })
                .collect();
            Ok(respond(org, &name, &wire::UpsertResponse { result }))
        }
        "delete" => {
            let delete: wire::Delete = request(r, element)?;
            dml::check_count(delete.ids.len())?;
            let outcomes = dml::in_transaction(org, &delete.ids, headers.all_or_none, dml::delete)?;
            let result = outcomes
                .into_iter()
                .map(|o| wire::DeleteResult {
                    success: o.success(),
                    id: o.id,
                    errors: o.errors(),
                })
                .collect();
            Ok(respond(org, &name, &wire::DeleteResponse { result }))
        }
        "undelete" => {
            let undelete: wire::Undelete = request(r, element)?;
            dml::check_count(undelete.ids.len())?;
            let outcomes =
                dml::in_transaction(org, &undelete.ids, headers.all_or_none, dml::undelete)?;
            let result = outcomes
                .into_iter()
                .map(|o| wire::UndeleteResult {
                    success: o.success(),
                    id: o.id,
                    errors: o.errors(),
                })
                .collect();
            Ok(respond(org, &name, &wire::UndeleteResponse { result }))
        }
        "emptyRecycleBin" => {
            let empty: wire::EmptyRecycleBin = request(r, element)?;
            dml::check_count(empty.ids.len())?;
            let outcomes = dml::in_transaction(org, &empty.ids, false, dml::purge)?;
            let result = outcomes
                .into_iter()
                .map(|o| wire::EmptyRecycleBinResult {
                    success: o.success(),
                    id: o.id,
                    errors: o.errors(),
                })
                .collect();
            Ok(respond(
                org,
                &name,
                &wire::EmptyRecycleBinResponse { result },
            ))
        }
        "retrieve" => {
            let retrieve: wire::Retrieve = request(r, element)?;
            retrieve_call(org, &retrieve)
        }
        "getServerTimestamp" => {
            let result = wire::GetServerTimestampResult {
                timestamp: org.clock.now(),
            };
            Ok(respond(
                org,
                &name,
                &wire::GetServerTimestampResponse { result },
            ))
        }
        "getUserInfo" => {
            let result = user_info(org);
            Ok(respond(org, &name, &wire::GetUserInfoResponse { result }))
        }
        "describeGlobal" => {
            let result = crate::describe::global(org);
            Ok(respond(
                org,
                &name,
                &wire::DescribeGlobalResponse { result },
            ))
        }
        "describeSObject" => {
            let describe: wire::DescribeSObject = request(r, element)?;
            let result = crate::describe::sobject(org, &describe.s_object_type)?;
            Ok(respond(
                org,
                &name,
                &wire::DescribeSObjectResponse {
                    result: Some(result),
                },
            ))
        }
        "describeSObjects" => {
            let describe: wire::DescribeSObjects = request(r, element)?;
            let mut result = Vec::new();
            for name in &describe.s_object_type {
                result.push(crate::describe::sobject(org, name)?);
            }
            Ok(respond(
                org,
                &name,
                &wire::DescribeSObjectsResponse { result },
            ))
        }
        "getUpdated" => {
            let request: wire::GetUpdated = request(r, element)?;
            let result = actions::get_updated(org, &request)?;
            Ok(respond(org, &name, &wire::GetUpdatedResponse { result }))
        }
        "getDeleted" => {
            let request: wire::GetDeleted = request(r, element)?;
            let result = actions::get_deleted(org, &request)?;
            Ok(respond(org, &name, &wire::GetDeletedResponse { result }))
        }
        "search" => {
            let request: wire::Search = request(r, element)?;
            let result = search::search(org, &request.search_string)?;
            Ok(respond(org, &name, &wire::SearchResponse { result }))
        }
        "merge" => {
            let request: wire::Merge = request(r, element)?;
            dml::check_count(request.request.len())?;
            let result = request
                .request
                .iter()
                .map(|m| actions::merge(org, m))
                .collect();
            Ok(respond(org, &name, &wire::MergeResponse { result }))
        }
        "convertLead" => {
            let request: wire::ConvertLead = request(r, element)?;
            dml::check_count(request.lead_converts.len())?;
            let result = request
                .lead_converts
                .iter()
                .map(|c| actions::convert_lead(org, c))
                .collect();
            Ok(respond(org, &name, &wire::ConvertLeadResponse { result }))
        }
        "process" => {
            let request: wire::Process = request(r, element)?;
            let result = request
                .actions
                .iter()
                .map(|a| actions::process(org, a))
                .collect();
            Ok(respond(org, &name, &wire::ProcessResponse { result }))
        }
        "sendEmail" => {
            let request: wire::SendEmail = request(r, element)?;
            if request.messages.len() > 10 {
                return Err(Fault::unexpected(
                    "LIMIT_EXCEEDED",
                    "sendEmail takes at most 10 messages per call",
                ));
            }
            let result = request
                .messages
                .iter()
                .map(|m| actions::send_email(org, m))
                .collect();
            Ok(respond(org, &name, &wire::SendEmailResponse { result }))
        }
        "setPassword" => {
            let request: wire::SetPassword = request(r, element)?;
            actions::set_password(org, &request)?;
            let result = wire::SetPasswordResult {};
            Ok(respond(org, &name, &wire::SetPasswordResponse { result }))
        }
        "resetPassword" => {
            let request: wire::ResetPassword = request(r, element)?;
            let password = actions::reset_password(org, &request)?;
            let result = wire::ResetPasswordResult { password };
            Ok(respond(org, &name, &wire::ResetPasswordResponse { result }))
        }
        "describeLayout" => {
            let request: wire::DescribeLayoutRequest = request(r, element)?;
            let result = crate::describe::layout(org, &request)?;
            Ok(respond(
                org,
                &name,
                &wire::DescribeLayoutResponse {
                    result: Some(result),
                },
            ))
        }
        "describeTabs" => {
            let result = crate::describe::tabs(org);
            Ok(respond(org, &name, &wire::DescribeTabsResponse { result }))
        }
        other => Err(Fault::unexpected(
            "UNKNOWN_EXCEPTION",
            format!("the local org does not implement `{other}` yet"),
        )),
    }
}

fn save_result(o: Outcome) -> wire::SaveResult {
    wire::SaveResult {
        success: o.success(),
        id: o.id,
        errors: o.errors(),
    }
}

/// The upsert key field; an unknown or unindexed field fails the whole call.
fn upsert_key(
    org: &Org,
    upsert: &wire::Upsert,
) -> Result<Option<sforce_codegen::describe::FieldDescribe>, Fault> {
    let Some(first) = upsert.s_objects.first() else {
        return Ok(None);
    };
    let object = org.objects.get(&first.r#type).cloned();
    let Some(object) = object else {
        return Ok(None);
    };
    let name = &upsert.external_id_field_name;
    match object.field(name) {
        Some(field) if field.name == "Id" || field.external_id || field.id_lookup => {
            Ok(Some(field.clone()))
        }
        _ => Err(Fault::new(
            "INVALID_FIELD",
            format!(
                "Field name provided, {name} is not an External ID or indexed field for {}",
                object.name
            ),
            Detail::InvalidField { row: 0, column: 0 },
        )),
    }
}

/// The batch size a query's records are handed out in: `QueryOptions.batchSize`
/// (default 500, at least 200, at most 2,000, as the API documents).
fn batch_size(headers: &Headers) -> usize {
    let asked = headers
        .query_options
        .as_ref()
        .and_then(|o| o.batch_size)
        .unwrap_or(500);
    asked.clamp(200, 2000) as usize
}

fn first_batch(org: &mut Org, output: query::Output, batch: usize) -> wire::QueryResult {
    if output.records.is_empty() {
        // COUNT(): the size without records.
        return wire::QueryResult {
            done: true,
            query_locator: None,
            records: Vec::new(),
            size: output.size as i32,
        };
    }
    let key = format!("01g{}", org.token());
    let now = org.clock.now();
    org.cursors
        .retain(|_, cursor| now - cursor.opened < CURSOR_LIFETIME);
    let cursor = Cursor {
        records: output.records,
        batch,
        children: Vec::new(),
        opened: now,
    };
    org.cursors.insert(key.clone(), cursor);
    page(org, &key, 0)
}

fn next_batch(org: &mut Org, locator: &str) -> Result<wire::QueryResult, Fault> {
    let invalid = || {
        Fault::new(
            "INVALID_QUERY_LOCATOR",
            "invalid query locator",
            Detail::InvalidQueryLocator,
        )
    };
    let (key, offset) = locator.rsplit_once('-').ok_or_else(invalid)?;
    let offset: usize = offset.parse().map_err(|_| invalid())?;
    let now = org.clock.now();
    match org.cursors.get(key) {
        Some(cursor) if now - cursor.opened >= CURSOR_LIFETIME => {
            org.cursors.remove(key);
            Err(invalid())
        }
        Some(cursor) if offset < cursor.records.len() => Ok(page(org, key, offset)),
        _ => Err(invalid()),
    }
}

/// The batch of cursor `key` from `offset`; a locator (`01g…-500`, the shape of
/// Salesforce's: the cursor and the offset of the next record) when more are left, and
/// the cursor is dropped with its last batch. Child records count toward the batch size
/// (a batch holds at least one parent); a relationship with more than
/// [`CHILDREN_INLINE`] records carries that many and a locator of its own, and the
/// child locators of the cursor's previous batch stop working.
fn page(org: &mut Org, key: &str, offset: usize) -> wire::QueryResult {
    let Some(cursor) = org.cursors.get_mut(key) else {
        return wire::QueryResult::default();
    };
    let closed = std::mem::take(&mut cursor.children);
    let size = cursor.records.len();
    let batch = cursor.batch;
    let mut end = offset;
    let mut counted = 0;
    while let Some(record) = cursor.records.get(end) {
        let weight = 1 + record
            .fields()
            .filter_map(|(_, value)| value.as_query())
            .map(|children| children.records.len().min(CHILDREN_INLINE))
            .sum::<usize>();
        if end > offset && counted + weight > batch {
            break;
        }
        counted += weight;
        end += 1;
    }
    let mut records = cursor.records[offset..end].to_vec();
    for child in closed {
        org.cursors.remove(&child);
    }
    let mut opened = Vec::new();
    for record in &mut records {
        page_children(org, record, batch, &mut opened);
    }
    if end == size {
        org.cursors.remove(key);
        return wire::QueryResult {
            done: true,
            query_locator: None,
            records,
            size: size as i32,
        };
    }
    if let Some(cursor) = org.cursors.get_mut(key) {
        cursor.children = opened;
    }
    wire::QueryResult {
        done: false,
        query_locator: Some(wire::QueryLocator::from(format!("{key}-{end}"))),
        records,
        size: size as i32,
    }
}

/// How long a cursor's locators work, from its query (its batch, for a child cursor): two
/// days, as Salesforce keeps cursors since it lifted its limit of ten per user.
const CURSOR_LIFETIME: chrono::Duration = chrono::Duration::days(2);

/// The child records a parent carries per relationship in a batch (the API's minimum
/// batch size); `queryMore` with the relationship's locator gives the rest.
const CHILDREN_INLINE: usize = 200;

/// Cuts each child relationship of `record` longer than [`CHILDREN_INLINE`] to its first
/// records and a locator over a cursor of all of them; `opened` gets the cursors' keys.
fn page_children(org: &mut Org, record: &mut SObject, batch: usize, opened: &mut Vec<String>) {
    let long: Vec<String> = record
        .fields()
        .filter(|(_, value)| {
            value
                .as_query()
                .is_some_and(|children| children.records.len() > CHILDREN_INLINE)
        })
        .map(|(name, _)| name.to_owned())
        .collect();
    for name in long {
        let Some(children) = record.get(&name).and_then(FieldValue::as_query).cloned() else {
            continue;
        };
        let key = format!("01g{}", org.token());
        let inline = ChildQuery {
            done: false,
            query_locator: Some(format!("{key}-{CHILDREN_INLINE}")),
            records: children.records[..CHILDREN_INLINE].to_vec(),
            size: children.size,
        };
        record.set(&name, FieldValue::Query(Box::new(inline)));
        let cursor = Cursor {
            records: children.records,
            batch,
            children: Vec::new(),
            opened: org.clock.now(),
        };
        org.cursors.insert(key.clone(), cursor);
        opened.push(key);
    }
}

fn retrieve_call(org: &Org, retrieve: &wire::Retrieve) -> Result<String, Fault> {
    if retrieve.ids.len() > 2000 {
        return Err(Fault::unexpected(
            "EXCEEDED_ID_LIMIT",
            "record limit reached. cannot submit more than 2000 records into this call",
        ));
    }
    if retrieve.ids.is_empty() {
        return Ok(respond(
            org,
            "retrieve",
            &wire::RetrieveResponse { result: Vec::new() },
        ));
    }
    let quoted: Vec<String> = retrieve
        .ids
        .iter()
        .map(|id| format!("'{}'", id.as_str()))
        .collect();
    let soql = format!(
        "SELECT Id, {} FROM {} WHERE Id IN ({})",
        retrieve.field_list,
        retrieve.s_object_type,
        quoted.join(",")
    );
    let output = query::run(org, &soql, false)?;
    let found: Vec<Option<&SObject>> = retrieve
        .ids
        .iter()
        .map(|id| {
            output
                .records
                .iter()
                .find(|r| r.id.as_deref() == Some(id.as_str()))
        })
        .collect();
    Ok(sforce::__private::write_response(
        &wire::SERVICE,
        &|_| {},
        &|w: &mut XmlWriter| {
            w.open("p:retrieveResponse");
            for record in &found {
                match record {
                    Some(record) => record.write_xml(w, "p:result"),
                    None => w.nil_element("p:result"),
                }
            }
            w.close("p:retrieveResponse");
        },
        4096,
    ))
}

fn login_call(
    org: &mut Org,
    endpoint: &Endpoint<'_>,
    login: &wire::Login,
) -> Result<String, Fault> {
    let major: u32 = endpoint
        .version
        .split('.')
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if major >= LOGIN_RETIRED {
        return Err(Fault::unexpected(
            "INVALID_OPERATION",
            format!(
                "SOAP API login() is not supported in API version {}. Use an OAuth flow, or API version 64.0 or earlier.",
                endpoint.version
            ),
        ));
    }
    let config = &org.config;
    let with_token = format!("{}{}", config.password, config.security_token);
    let password_ok =
        login.password == with_token || (config.trusted && login.password == config.password);
    if !login.username.eq_ignore_ascii_case(&config.username) || !password_ok {
        return Err(Fault::new(
            "INVALID_LOGIN",
            "Invalid username, password, security token; or user locked out.",
            Detail::Login,
        ));
    }
    let session_id = org.new_session();
    let server_url = format!(
        "{}/services/Soap/u/{}/{}",
        endpoint.base_url,
        endpoint.version,
        org.org_id.to_15()
    );
    let result = wire::LoginResult {
        metadata_server_url: Some(format!(
            "{}/services/Soap/m/{}/{}",
            endpoint.base_url,
            endpoint.version,
            org.org_id.to_15()
        )),
        password_expired: false,
        sandbox: true,
        server_url: Some(server_url),
        session_id: Some(session_id),
        user_id: Some(org.user_id),
        user_info: Some(user_info(org)),
        ..Default::default()
    };
    Ok(respond(org, "login", &wire::LoginResponse { result }))
}

fn user_info(org: &Org) -> wire::GetUserInfoResult {
    let config = &org.config;
    wire::GetUserInfoResult {
        accessibility_mode: false,
        chatter_external: false,
        currency_symbol: Some("$".to_owned()),
        org_attachment_file_size_limit: 5_242_880,
        org_default_currency_iso_code: Some("USD".to_owned()),
        org_disallow_html_attachments: false,
        org_has_person_accounts: false,
        organization_id: org.org_id,
        organization_multi_currency: false,
        organization_name: "Local Org".to_owned(),
        profile_id: crate::ids::make("00e", 1),
        session_seconds_valid: config.session_timeout.num_seconds() as i32,
        user_email: config.username.clone(),
        user_full_name: "Local Admin".to_owned(),
        user_id: org.user_id,
        user_language: "en_US".to_owned(),
        user_locale: "en_US".to_owned(),
        user_name: config.username.clone(),
        user_time_zone: "America/Los_Angeles".to_owned(),
        user_type: "Standard".to_owned(),
        user_ui_skin: "Theme3".to_owned(),
        ..Default::default()
    }
}
