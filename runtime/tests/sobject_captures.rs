//! The dynamic `SObject` on the real partner captures in fixtures/soap, read through
//! `envelope::read_response` with hand-written wrapper types (the generated partner
//! bindings come later).

use sforce::envelope::{read_response, NoHeaders, ServiceInfo};
use sforce::xml::{Element, FromXml, XmlReader};
use sforce::{Error, FaultDetail, FieldValue, SObject};

fn no_detail(
    r: &mut XmlReader<'_>,
    e: &Element<'_>,
) -> Result<Option<Box<dyn FaultDetail>>, Error> {
    r.skip(e)?;
    Ok(None)
}

static SERVICE: ServiceInfo = ServiceInfo {
    name: "SforceService",
    namespaces: &[
        ("p", "urn:partner.soap.sforce.com"),
        ("sf", "urn:sobject.partner.soap.sforce.com"),
    ],
    session_header: Some("p:SessionHeader"),
    session_id_tag: "p:sessionId",
    endpoint_path: "/services/Soap/u/",
    api_version: "66.0",
    read_fault_detail: no_detail,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../fixtures/soap/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[derive(Debug, Default)]
struct QueryResult {
    done: bool,
    query_locator: Option<String>,
    records: Vec<SObject>,
    size: i32,
}

impl FromXml for QueryResult {
    fn read_xml(r: &mut XmlReader<'_>, el: &Element<'_>) -> Result<Self, Error> {
        let mut out = QueryResult::default();
        while let Some(c) = r.next_child(el)? {
            match c.local_name() {
                b"done" => out.done = FromXml::read_xml(r, &c)?,
                b"queryLocator" => out.query_locator = FromXml::read_xml(r, &c)?,
                b"records" => out.records.push(FromXml::read_xml(r, &c)?),
                b"size" => out.size = FromXml::read_xml(r, &c)?,
                _ => r.skip(&c)?,
            }
        }
        Ok(out)
    }
}

/// `queryResponse`, `queryMoreResponse`, `queryAllResponse`: one `result`.
#[derive(Debug, Default)]
struct QueryResponse {
    result: QueryResult,
}

impl FromXml for QueryResponse {
    fn read_xml(r: &mut XmlReader<'_>, el: &Element<'_>) -> Result<Self, Error> {
        let mut out = QueryResponse::default();
        while let Some(c) = r.next_child(el)? {
            match c.local_name() {
                b"result" => out.result = FromXml::read_xml(r, &c)?,
                _ => r.skip(&c)?,
            }
        }
        Ok(out)
    }
}

/// `retrieveResponse`: `result` is `sObject`, nillable, unbounded.
#[derive(Debug, Default)]
struct RetrieveResponse {
    result: Vec<Option<SObject>>,
}

impl FromXml for RetrieveResponse {
    fn read_xml(r: &mut XmlReader<'_>, el: &Element<'_>) -> Result<Self, Error> {
        let mut out = RetrieveResponse::default();
        while let Some(c) = r.next_child(el)? {
            match c.local_name() {
                b"result" => out.result.push(FromXml::read_xml(r, &c)?),
                _ => r.skip(&c)?,
            }
        }
        Ok(out)
    }
}

#[derive(Debug, Default)]
struct SearchRecord {
    record: SObject,
}

impl FromXml for SearchRecord {
    fn read_xml(r: &mut XmlReader<'_>, el: &Element<'_>) -> Result<Self, Error> {
        let mut out = SearchRecord::default();
        while let Some(c) = r.next_child(el)? {
            match c.local_name() {
                b"record" => out.record = FromXml::read_xml(r, &c)?,
                _ => r.skip(&c)?,
            }
        }
        Ok(out)
    }
}

#[derive(Debug, Default)]
struct SearchResult {
    query_id: Option<String>,
    search_records: Vec<SearchRecord>,
}

impl FromXml for SearchResult {
    fn read_xml(r: &mut XmlReader<'_>, el: &Element<'_>) -> Result<Self, Error> {
        let mut out = SearchResult::default();
        while let Some(c) = r.next_child(el)? {
            match c.local_name() {
                b"queryId" => out.query_id = FromXml::read_xml(r, &c)?,
                b"searchRecords" => out.search_records.push(FromXml::read_xml(r, &c)?),
                _ => r.skip(&c)?,
            }
        }
        Ok(out)
    }
}

/// `searchResponse`: a single `result`.
#[derive(Debug, Default)]
struct SearchResponse {
    result: Option<SearchResult>,
}

impl FromXml for SearchResponse {
    fn read_xml(r: &mut XmlReader<'_>, el: &Element<'_>) -> Result<Self, Error> {
        let mut out = SearchResponse::default();
        while let Some(c) = r.next_child(el)? {
            match c.local_name() {
                b"result" => out.result = Some(FromXml::read_xml(r, &c)?),
                _ => r.skip(&c)?,
            }
        }
        Ok(out)
    }
}

fn check_two_opportunities(file: &str) {
    let bytes = fixture(file);
    let response = read_response::<QueryResponse, NoHeaders>(&SERVICE, &bytes)
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    let result = response.body.result;
    assert!(result.done, "{file}");
    assert_eq!(result.query_locator, None, "{file}");
    assert_eq!(result.size, 2, "{file}");
    assert_eq!(result.records.len(), 2, "{file}");

    let expected = [
        ("006A000000LZhwNIAT", "Opportunity 1", "Prospecting"),
        ("006A000000LaF4xIAF", "Opportunity 2", "Value Proposition"),
    ];
    for (record, (id, name, stage)) in result.records.iter().zip(expected) {
        assert_eq!(record.r#type, "Opportunity");
        assert_eq!(record.id.as_deref(), Some(id));
        // The Id sent twice is the record's Id, never a field.
        assert_eq!(
            record.field_names().collect::<Vec<_>>(),
            ["Name", "StageName"],
            "{file}"
        );
        assert!(!record.contains("Id"));
        assert_eq!(record.get_str("Id").unwrap(), Some(id));
        assert_eq!(record.get_str("Name").unwrap(), Some(name));
        assert_eq!(record.get_str("stagename").unwrap(), Some(stage));
        assert_eq!(
            record.get("StageName"),
            Some(&FieldValue::Text(stage.into()))
        );
        assert!(record.fields_to_null.is_empty());
    }
}

#[test]
fn query_response_two_opportunities() {
    check_two_opportunities("soapforce-query_response.xml");
}

#[test]
fn query_more_response() {
    check_two_opportunities("soapforce-query_more_response.xml");
}

#[test]
fn query_all_response() {
    check_two_opportunities("soapforce-query_all_response.xml");
}

#[test]
fn org_id_response_has_only_the_id() {
    let bytes = fixture("soapforce-org_id_response.xml");
    let result = read_response::<QueryResponse, NoHeaders>(&SERVICE, &bytes)
        .unwrap()
        .body
        .result;
    assert_eq!(result.size, 1);
    let [org] = result.records.as_slice() else {
        panic!("one record expected: {result:?}");
    };
    assert_eq!(org.r#type, "Organization");
    assert_eq!(org.id.as_deref(), Some("00DA0000000YpZ4MAK"));
    assert!(org.is_empty(), "{org:?}");
}

#[test]
fn retrieve_response_nil_versus_absent() {
    let bytes = fixture("soapforce-retrieve_response.xml");
    let response = read_response::<RetrieveResponse, NoHeaders>(&SERVICE, &bytes).unwrap();
    let [Some(opp)] = response.body.result.as_slice() else {
        panic!("one record expected: {:?}", response.body);
    };
    assert_eq!(opp.r#type, "Opportunity");
    assert_eq!(opp.id.as_deref(), Some("006A000000LbkT5IAJ"));
    assert_eq!(
        opp.field_names().collect::<Vec<_>>(),
        ["Name", "Description", "StageName"]
    );
    assert_eq!(opp.get_str("Name").unwrap(), Some("SOAPForce Opportunity"));

    // Came back nil: present, null.
    assert_eq!(opp.get("Description"), Some(&FieldValue::Null));
    assert!(opp.contains("Description"));
    assert!(opp.is_null("description"));
    assert_eq!(opp.get_str("Description").unwrap(), None);
    assert_eq!(opp.get_date("Description").unwrap(), None);

    // Not requested: absent, and the getters say so.
    assert_eq!(opp.get("Amount"), None);
    assert!(!opp.contains("Amount"));
    assert!(!opp.is_null("Amount"));
    let err = opp.get_double("Amount").unwrap_err();
    match &err {
        Error::Field { field, message } => {
            assert_eq!(field, "Amount");
            assert!(
                message.contains("not in the result (not requested)"),
                "{message}"
            );
        }
        other => panic!("unexpected error {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "field `Amount`: not in the result (not requested)"
    );
}

#[test]
fn search_response_empty_result() {
    let bytes = fixture("soapforce-search_response.xml");
    let response = read_response::<SearchResponse, NoHeaders>(&SERVICE, &bytes).unwrap();
    let result = response
        .body
        .result
        .expect("the empty <result/> is still a result");
    assert!(result.search_records.is_empty());
    assert_eq!(result.query_id, None);
}
