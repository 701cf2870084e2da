//! `cargo sforce decode` and the generated partner types agree on every value of every
//! capture in `fixtures/soap/` (and of one envelope that exercises the sObject rules).
//!
//! The route, for each capture:
//! 1. `decode` (the runtime's reader driven by the WSDL model) turns the capture into JSON;
//! 2. the generated type of the response (`sforce::partner::*Response`, or the fault and its
//!    typed detail) reads the capture, and its own writer (`ToXml`, generated field by field
//!    like the reader) writes what it read back into an envelope;
//! 3. that envelope is read as plain XML, without the WSDL and without `decode` (nil is
//!    null, text is text, elements are objects), and compared value by value with step 1.
//!
//! Step 3 sees exactly what the generated types hold: a value they dropped is missing, one
//! they read differently (a nil taken for text, a second `Id` taken for the first, an
//! `xsi:type` dispatched elsewhere) differs. The comparison allows only what the typed
//! model or plain XML cannot hold, never a different value:
//! - a `null` in the capture may be missing from the typed side (an optional element that
//!   is `None` is not written back), and an sObject's null fields come back as
//!   `fieldsToNull` names (as the runtime writes them for requests);
//! - the typed side may have members the capture lacks when they hold a default (`false`,
//!   `0`, `""`, `null`): a required element the capture left out is the type's default;
//! - plain XML has no types: `decode`'s numbers and booleans are compared with the text
//!   (`4.885E1` is `48.85`), an array of one with the single element, an empty object with
//!   empty text;
//! - a 15-character Id on the wire is its 18-character form typed (`sforce::Id`).
//!
//! `decode`'s warnings count as differences.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sforce::envelope::read_response;
use sforce::partner::{self, ResponseHeaders};
use sforce::xml::{Content, Element, FromXml, ToXml, XmlReader, XmlWriter};
use sforce::{Error, SoapFault};
use sforce_cli::decode::{self, Json};
use sforce_codegen::model::Service;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn service() -> &'static Service {
    static PARTNER: OnceLock<Service> = OnceLock::new();
    PARTNER.get_or_init(|| {
        let path = fixtures().join("wsdl/partner-v66.0.wsdl");
        sforce_codegen::wsdl::parse_file(&path).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// Reads `bytes` as the response `R` and writes what the generated type holds back as
/// the body element `tag` of an envelope; a fault is written back from the typed fault.
fn typed<R: FromXml + ToXml>(bytes: &[u8], tag: &str) -> String {
    let mut w = XmlWriter::new();
    match read_response::<R, ResponseHeaders>(&partner::SERVICE, bytes) {
        Ok(response) => response.body.write_xml(&mut w, tag),
        Err(Error::Fault(fault)) => write_fault(&mut w, &fault),
        Err(e) => panic!("the generated type does not read it: {e}"),
    }
    envelope(w.as_str())
}

fn envelope(body: &str) -> String {
    let mut out = String::from(
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"",
    );
    for (prefix, uri) in partner::SERVICE.namespaces {
        out.push_str(&format!(" xmlns:{prefix}=\"{uri}\""));
    }
    out.push_str("><soapenv:Body>");
    out.push_str(body);
    out.push_str("</soapenv:Body></soapenv:Envelope>");
    out
}

fn write_fault(w: &mut XmlWriter, fault: &SoapFault) {
    w.open("soapenv:Fault");
    w.text_element("faultcode", &fault.faultcode);
    w.text_element("faultstring", &fault.faultstring);
    if let Some(detail) = &fault.detail {
        w.open("detail");
        macro_rules! faults {
            ($($ty:ident),*) => {
                let any = detail.as_any();
                $(if let Some(d) = any.downcast_ref::<partner::$ty>() {
                    d.write_xml(w, concat!("fns:", stringify!($ty)));
                } else)* {
                    panic!("fault detail {} is not in this test's list", detail.type_name());
                }
            };
        }
        faults!(
            LoginFault,
            InvalidFieldFault,
            InvalidIdFault,
            InvalidNewPasswordFault,
            InvalidOldPasswordFault,
            InvalidQueryLocatorFault,
            InvalidSObjectFault,
            MalformedQueryFault,
            MalformedSearchFault,
            UnexpectedErrorFault,
            ApiQueryFault,
            ApiFault
        );
        w.close("detail");
    }
    w.close("soapenv:Fault");
}

/// Reads a capture with a generated response type and writes back what it holds.
type Typed = fn(&[u8]) -> String;

/// Every capture with the generated response type that reads it.
const CAPTURES: &[(&str, Typed)] = &[
    ("simple-salesforce-login_fault_INVALID_LOGIN.xml", |b| {
        typed::<partner::LoginResponse>(b, "p:loginResponse")
    }),
    ("soapforce-create_response.xml", |b| {
        typed::<partner::CreateResponse>(b, "p:createResponse")
    }),
    ("soapforce-create_response_failure.xml", |b| {
        typed::<partner::CreateResponse>(b, "p:createResponse")
    }),
    ("soapforce-delete_response.xml", |b| {
        typed::<partner::DeleteResponse>(b, "p:deleteResponse")
    }),
    ("soapforce-delete_response_failure.xml", |b| {
        typed::<partner::DeleteResponse>(b, "p:deleteResponse")
    }),
    ("soapforce-describe_global_response.xml", |b| {
        typed::<partner::DescribeGlobalResponse>(b, "p:describeGlobalResponse")
    }),
    ("soapforce-describe_layout_response.xml", |b| {
        typed::<partner::DescribeLayoutResponse>(b, "p:describeLayoutResponse")
    }),
    ("soapforce-describe_s_object_response.xml", |b| {
        typed::<partner::DescribeSObjectResponse>(b, "p:describeSObjectResponse")
    }),
    ("soapforce-describe_s_objects_response.xml", |b| {
        typed::<partner::DescribeSObjectsResponse>(b, "p:describeSObjectsResponse")
    }),
    ("soapforce-get_user_info_response.xml", |b| {
        typed::<partner::GetUserInfoResponse>(b, "p:getUserInfoResponse")
    }),
    ("soapforce-login_response.xml", |b| {
        typed::<partner::LoginResponse>(b, "p:loginResponse")
    }),
    ("soapforce-merge_response.xml", |b| {
        typed::<partner::MergeResponse>(b, "p:mergeResponse")
    }),
    ("soapforce-org_id_response.xml", |b| {
        typed::<partner::QueryResponse>(b, "p:queryResponse")
    }),
    ("soapforce-process_submit_request_response.xml", |b| {
        typed::<partner::ProcessResponse>(b, "p:processResponse")
    }),
    ("soapforce-process_workitem_request_response.xml", |b| {
        typed::<partner::ProcessResponse>(b, "p:processResponse")
    }),
    ("soapforce-query_all_response.xml", |b| {
        typed::<partner::QueryAllResponse>(b, "p:queryAllResponse")
    }),
    ("soapforce-query_more_response.xml", |b| {
        typed::<partner::QueryMoreResponse>(b, "p:queryMoreResponse")
    }),
    ("soapforce-query_response.xml", |b| {
        typed::<partner::QueryResponse>(b, "p:queryResponse")
    }),
    ("soapforce-retrieve_response.xml", |b| {
        typed::<partner::RetrieveResponse>(b, "p:retrieveResponse")
    }),
    ("soapforce-search_response.xml", |b| {
        typed::<partner::SearchResponse>(b, "p:searchResponse")
    }),
    ("soapforce-update_response.xml", |b| {
        typed::<partner::UpdateResponse>(b, "p:updateResponse")
    }),
    ("soapforce-update_response_failure.xml", |b| {
        typed::<partner::UpdateResponse>(b, "p:updateResponse")
    }),
    ("soapforce-upsert_response.xml", |b| {
        typed::<partner::UpsertResponse>(b, "p:upsertResponse")
    }),
];

/// A query result whose record has what the captures lack: a parent relationship with
/// only a nil `Id`, one with a duplicated `Id`, a child relationship with a duplicated `Id`, a nil field, an address,
/// a Java-style double, an `xsd:int` aggregate and a third copy of the record's `Id`.
const SOBJECT_RULES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns="urn:partner.soap.sforce.com" xmlns:sf="urn:sobject.partner.soap.sforce.com"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
<soapenv:Body>
  <queryResponse>
    <result xsi:type="QueryResult">
      <done>false</done>
      <queryLocator>01gD0000002HU6KIAW-2000</queryLocator>
      <records xsi:type="sf:sObject">
        <sf:type>Account</sf:type>
        <sf:Id xsi:nil="true"/>
        <sf:Id>001A</sf:Id>
        <sf:Owner xsi:type="sf:sObject"><sf:type>User</sf:type><sf:Id xsi:nil="true"/><sf:Name>Jo</sf:Name></sf:Owner>
        <sf:CreatedBy xsi:type="sf:sObject"><sf:type>User</sf:type><sf:Id>005A</sf:Id><sf:Alias>al</sf:Alias><sf:Id>005A</sf:Id></sf:CreatedBy>
        <sf:Contacts xsi:type="QueryResult"><done>true</done><queryLocator xsi:nil="true"/>
          <records xsi:type="sf:sObject"><sf:type>Contact</sf:type><sf:Id>003A</sf:Id><sf:Id>003A</sf:Id><sf:Email xsi:nil="true"/></records>
          <size>1</size></sf:Contacts>
        <sf:Tasks xsi:nil="true"/>
        <sf:BillingAddress xsi:type="address"><city>Paris</city><country>France</country><latitude>4.885E1</latitude></sf:BillingAddress>
        <sf:AnnualRevenue>5.0E7</sf:AnnualRevenue>
        <sf:expr0 xsi:type="xsd:int">42</sf:expr0>
        <sf:Id>001A</sf:Id>
      </records>
      <size>1</size>
    </result>
  </queryResponse>
</soapenv:Body></soapenv:Envelope>"#;

/// `decode`'s JSON of `text`; its warnings go to `diffs`.
fn decode_json(text: &str, name: &str, diffs: &mut Vec<String>) -> Json {
    let decoded = decode::decode_str(service(), text, name)
        .unwrap_or_else(|e| panic!("decode fails on {name}: {e}"));
    for warning in decoded.warnings {
        diffs.push(format!("decode warns: {warning}"));
    }
    decoded.json
}

/// The differences between `decode`'s JSON of the capture and the generated types' view
/// of it (written back, then read as plain XML), one line each.
fn compare(capture: &str, typed_envelope: &str, name: &str) -> Vec<String> {
    let mut diffs = Vec::new();
    let wire = decode_json(capture, name, &mut diffs);
    let typed = plain_envelope(typed_envelope);
    agree(&wire, &typed, "$", &mut diffs);
    diffs
}

// ----- the typed side as plain XML -------------------------------------------------------
//
// What the generated types wrote is read without the WSDL and without `decode`: an element
// with `xsi:nil="true"` is null, one with text is that text, one with elements is an object
// (a repeated name becomes an array; an `xsi:type` becomes `"@type"`). So `decode`'s rules
// are checked against the typed readers' results, not against themselves.

fn plain_envelope(text: &str) -> Json {
    let mut r = XmlReader::new(text.as_bytes());
    let envelope = r.root().unwrap();
    let body = r.next_child(&envelope).unwrap().expect("soapenv:Body");
    let first = r.next_child(&body).unwrap().expect("a body element");
    let out = if first.local_name() == b"Fault" {
        let mut fault = Vec::new();
        while let Some(child) = r.next_child(&first).unwrap() {
            if child.local_name() == b"detail" {
                let entry = r.next_child(&child).unwrap().expect("a detail entry");
                let name = entry.name().into_owned();
                let mut value = plain(&mut r, &entry);
                if let Json::Object(members) = &mut value {
                    members.insert(0, ("@type".to_owned(), Json::String(name)));
                }
                assert!(r.next_child(&child).unwrap().is_none());
                fault.push(("detail".to_owned(), value));
            } else {
                let name = child.name().into_owned();
                fault.push((name, plain(&mut r, &child)));
            }
        }
        Json::Object(vec![("fault".to_owned(), Json::Object(fault))])
    } else {
        let name = first.name().into_owned();
        let value = plain(&mut r, &first);
        Json::Object(vec![
            ("headers".to_owned(), Json::Object(Vec::new())),
            ("body".to_owned(), Json::Object(vec![(name, value)])),
        ])
    };
    r.skip(&body).ok();
    out
}

fn plain(r: &mut XmlReader<'_>, el: &Element<'_>) -> Json {
    if el.attribute(b"nil").as_deref() == Some("true") {
        r.skip(el).unwrap();
        return Json::Null;
    }
    let xsi_type = el.xsi_type();
    let mut next = match r.text_or_child(el).unwrap() {
        Content::Text(text) => return Json::String(text.into_owned()),
        Content::Child(first) => Some(first),
    };
    let mut members: Vec<(String, Json)> = Vec::new();
    if let Some(t) = xsi_type {
        members.push(("@type".to_owned(), Json::String(t)));
    }
    loop {
        let child = match next.take() {
            Some(child) => child,
            None => match r.next_child(el).unwrap() {
                Some(child) => child,
                None => break,
            },
        };
        let name = child.name().into_owned();
        let value = plain(r, &child);
        match members.iter_mut().find(|(k, _)| *k == name) {
            Some((_, Json::Array(items))) => items.push(value),
            Some((_, existing)) => {
                let first = std::mem::replace(existing, Json::Null);
                *existing = Json::Array(vec![first, value]);
            }
            None => members.push((name, value)),
        }
    }
    Json::Object(members)
}

// ----- the comparison --------------------------------------------------------------------

/// A value the typed model holds for an element the capture did not send.
fn is_default(value: &Json) -> bool {
    match value {
        Json::Null | Json::Bool(false) => true,
        Json::String(s) => s.is_empty() || s == "false" || s.parse::<f64>() == Ok(0.0),
        Json::Number(n) => n.parse::<f64>() == Ok(0.0),
        Json::Array(items) => items.iter().all(is_default),
        Json::Object(members) => members.iter().all(|(k, v)| k == "@type" || is_default(v)),
        Json::Bool(true) => false,
    }
}

/// The typed side's members, with an sObject's `fieldsToNull` names turned back into
/// null members (unless the capture itself sent `fieldsToNull`).
fn typed_members(wire: &[(String, Json)], typed: &[(String, Json)]) -> Vec<(String, Json)> {
    let wire_has_fields_to_null = wire.iter().any(|(k, _)| k == "fieldsToNull");
    let mut out = Vec::new();
    for (key, value) in typed {
        if key != "fieldsToNull" || wire_has_fields_to_null {
            out.push((key.clone(), value.clone()));
            continue;
        }
        let names = match value {
            Json::Array(names) => names.clone(),
            one => vec![one.clone()],
        };
        for name in names {
            match name {
                Json::String(name) => out.push((name, Json::Null)),
                other => out.push((key.clone(), other)),
            }
        }
    }
    out
}

/// Compares `decode`'s value (typed by the WSDL) with the plain value of the typed side.
fn agree(wire: &Json, typed: &Json, path: &str, diffs: &mut Vec<String>) {
    let number = |s: &str| s.trim().parse::<f64>().ok();
    match (wire, typed) {
        (Json::Object(w), Json::Object(t)) => {
            let t = typed_members(w, t);
            for (key, value) in w {
                let here = format!("{path}.{key}");
                match t.iter().find(|(k, _)| k == key) {
                    Some((_, typed_value)) => agree(value, typed_value, &here, diffs),
                    None if *value == Json::Null => {}
                    None => diffs.push(format!("{here}: {value} on the wire, missing typed")),
                }
            }
            for (key, value) in &t {
                if key != "@type" && !w.iter().any(|(k, _)| k == key) && !is_default(value) {
                    diffs.push(format!("{path}.{key}: missing on the wire, {value} typed"));
                }
            }
        }
        (Json::Array(w), Json::Array(t)) => {
            if w.len() != t.len() {
                diffs.push(format!(
                    "{path}: {} items on the wire, {} typed",
                    w.len(),
                    t.len()
                ));
            }
            for (i, (w, t)) in w.iter().zip(t).enumerate() {
                agree(w, t, &format!("{path}[{i}]"), diffs);
            }
        }
        // A repeated element that occurs once: plain XML cannot tell.
        (Json::Array(w), t) if w.len() == 1 => agree(&w[0], t, &format!("{path}[0]"), diffs),
        (Json::Number(w), Json::String(t)) if number(w).is_some() && number(w) == number(t) => {}
        // The WSDL's `ID` is `sforce::Id` typed, always in its 18-character form: a
        // 15-character Id on the wire is the same Id.
        (Json::String(w), Json::String(t))
            if w.len() == 15 && sforce::Id::new(w).is_ok_and(|id| id == t.as_str()) => {}
        (Json::Bool(true), Json::String(t)) if t == "true" || t == "1" => {}
        (Json::Bool(false), Json::String(t)) if t == "false" || t == "0" => {}
        // An empty complex element (`<result/>`) is empty text to plain XML.
        (Json::Object(_), Json::String(t)) if t.is_empty() && is_default(wire) => {}
        (w, t) if w == t => {}
        (w, t) => diffs.push(format!("{path}: {w} on the wire, {t} typed")),
    }
}

#[test]
fn every_capture_is_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixtures().join("soap"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".xml"))
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = CAPTURES.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        on_disk, listed,
        "fixtures/soap/ and CAPTURES differ: add each new capture with its response type"
    );
}

#[test]
fn decode_and_the_generated_types_agree_on_every_capture() {
    let mut failures = Vec::new();
    for (name, typed) in CAPTURES {
        let bytes = std::fs::read(fixtures().join("soap").join(name)).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        for diff in compare(text, &typed(&bytes), name) {
            failures.push(format!("{name}: {diff}"));
        }
    }
    assert!(
        failures.is_empty(),
        "decode and the generated types disagree:\n{}",
        failures.join("\n")
    );
}

#[test]
fn decode_and_the_runtime_agree_on_the_sobject_rules() {
    let typed = typed::<partner::QueryResponse>(SOBJECT_RULES.as_bytes(), "p:queryResponse");
    let diffs = compare(SOBJECT_RULES, &typed, "sobject-rules.xml");
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    // The comparison is not vacuous: the record's Id is the first non-nil copy on both
    // sides, and the nested values went through the typed side.
    let wire = decode_json(SOBJECT_RULES, "sobject-rules.xml", &mut Vec::new());
    let record = match wire
        .get("body")
        .and_then(|b| b.get("queryResponse"))
        .and_then(|q| q.get("result"))
        .and_then(|r| r.get("records"))
    {
        Some(Json::Array(records)) => records[0].clone(),
        other => panic!("no records: {other:?}"),
    };
    assert_eq!(record.get("Id"), Some(&Json::String("001A".into())));
    assert!(typed.contains("<sf:Id>001A</sf:Id>"), "{typed}");
    assert!(
        typed.contains("<sf:fieldsToNull>Tasks</sf:fieldsToNull>"),
        "{typed}"
    );
}

/// The comparison fails when the two sides differ: a value changed, a value dropped, a
/// nil read as text.
#[test]
fn a_disagreement_is_reported() {
    let name = "soapforce-query_response.xml";
    let bytes = std::fs::read(fixtures().join("soap").join(name)).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    let typed = typed::<partner::QueryResponse>(&bytes, "p:queryResponse");
    assert!(compare(text, &typed, name).is_empty());
    let changed = typed.replace("Opportunity 1", "Opportunity 2");
    assert_eq!(compare(text, &changed, name).len(), 1);
    let dropped = typed.replace("<sf:StageName>Prospecting</sf:StageName>", "");
    let diffs = compare(text, &dropped, name);
    assert!(
        diffs.len() == 1 && diffs[0].contains("StageName") && diffs[0].contains("missing typed"),
        "{diffs:?}"
    );
    let nil_as_text = typed.replace("<p:queryLocator xsi:nil=\"true\"/>", "<p:queryLocator/>");
    assert_ne!(nil_as_text, typed, "{typed}");
    let diffs = compare(text, &nil_as_text, name);
    assert!(
        diffs.len() == 1 && diffs[0].contains("queryLocator"),
        "{diffs:?}"
    );
}
