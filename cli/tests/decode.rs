//! `decode` against every SOAP capture in fixtures/soap/, driven by the partner v66.0 WSDL.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{json, Value};
use sforce_cli::decode::{self, Decoded, Error};
use sforce_codegen::model::Service;
use sforce_codegen::wsdl;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn partner() -> &'static Service {
    static PARTNER: OnceLock<Service> = OnceLock::new();
    PARTNER.get_or_init(|| {
        let path = fixtures().join("wsdl/partner-v66.0.wsdl");
        wsdl::parse_file(&path).unwrap_or_else(|e| panic!("{e}"))
    })
}

fn decode_capture(name: &str) -> (Value, Decoded) {
    let path = fixtures().join("soap").join(name);
    let decoded = decode::decode_file(partner(), &path).unwrap_or_else(|e| panic!("{e}"));
    let text = decoded.json.to_pretty_string();
    let value: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("decode output of {name} is not JSON: {e}\n{text}"));
    (value, decoded)
}

/// A successful response: no warnings, not a fault, no headers; returns `body.<element>`.
fn body(name: &str, element: &str) -> Value {
    let (value, decoded) = decode_capture(name);
    assert!(!decoded.fault, "{name} decoded as a fault");
    assert!(
        decoded.warnings.is_empty(),
        "{name}: unexpected warnings {:?}",
        decoded.warnings
    );
    assert_eq!(value["headers"], json!({}), "{name}");
    let body = value["body"].as_object().expect("body is an object");
    assert_eq!(body.len(), 1, "{name}: {value}");
    body.get(element)
        .unwrap_or_else(|| panic!("{name}: no body.{element} in {value}"))
        .clone()
}

/// Keys of a JSON object in output order (serde_json's Value sorts them, so read the text).
fn key_order(json: &decode::Json) -> Vec<String> {
    match json {
        decode::Json::Object(members) => members.iter().map(|(k, _)| k.clone()).collect(),
        other => panic!("not an object: {other}"),
    }
}

#[test]
fn every_capture_decodes_without_warnings() {
    let mut count = 0;
    let dir = fixtures().join("soap");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/soap is readable")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    for name in names {
        let (value, decoded) = decode_capture(&name);
        assert!(
            decoded.warnings.is_empty(),
            "{name}: warnings {:?}",
            decoded.warnings
        );
        let is_fault = name.contains("fault");
        assert_eq!(decoded.fault, is_fault, "{name}");
        if is_fault {
            assert!(value.get("fault").is_some(), "{name}: {value}");
        } else {
            assert!(value["body"].is_object(), "{name}: {value}");
        }
        count += 1;
    }
    assert_eq!(
        count, 23,
        "fixtures/soap changed; add checks for new captures"
    );
}

#[test]
fn query_response_records_have_one_id() {
    for (file, element) in [
        ("soapforce-query_response.xml", "queryResponse"),
        ("soapforce-query_all_response.xml", "queryAllResponse"),
        ("soapforce-query_more_response.xml", "queryMoreResponse"),
    ] {
        let response = body(file, element);
        let result = &response["result"];
        assert_eq!(result["done"], json!(true), "{file}");
        assert_eq!(result["queryLocator"], Value::Null, "{file}");
        assert!(result.as_object().unwrap().contains_key("queryLocator"));
        assert_eq!(result["size"], json!(2), "{file}");
        assert!(
            result.get("@type").is_none(),
            "same type as declared: no @type"
        );
        let records = result["records"].as_array().expect("records is an array");
        assert_eq!(records.len(), 2);
        assert_eq!(
            records[0],
            json!({"type": "Opportunity", "Id": "006A000000LZhwNIAT",
                   "Name": "Opportunity 1", "StageName": "Prospecting"})
        );
        assert_eq!(records[1]["Id"], json!("006A000000LaF4xIAF"));
        assert_eq!(records[1]["StageName"], json!("Value Proposition"));
    }
    // Key order is document order: type, Id, then the fields.
    let decoded = decode::decode_file(
        partner(),
        &fixtures().join("soap/soapforce-query_response.xml"),
    )
    .unwrap();
    let result = decoded
        .json
        .get("body")
        .unwrap()
        .get("queryResponse")
        .unwrap();
    let result = result.get("result").unwrap();
    assert_eq!(
        key_order(result),
        ["done", "queryLocator", "records", "size"]
    );
    let decode::Json::Array(records) = result.get("records").unwrap() else {
        panic!("records is not an array")
    };
    assert_eq!(key_order(&records[0]), ["type", "Id", "Name", "StageName"]);
    assert_eq!(key_order(&decoded.json), ["headers", "body"]);
}

#[test]
fn org_id_response_has_a_single_id() {
    let response = body("soapforce-org_id_response.xml", "queryResponse");
    assert_eq!(
        response["result"]["records"],
        json!([{"type": "Organization", "Id": "00DA0000000YpZ4MAK"}])
    );
    assert_eq!(response["result"]["size"], json!(1));
}

#[test]
fn login_response() {
    let result = &body("soapforce-login_response.xml", "loginResponse")["result"];
    assert!(result["sessionId"]
        .as_str()
        .unwrap()
        .starts_with("00DA0000000YpZ4!ARAAQEH"));
    assert_eq!(
        result["serverUrl"],
        json!("https://na7.salesforce.com/services/Soap/u/28.0/00DA0000000YpZ4")
    );
    assert_eq!(result["passwordExpired"], json!(false));
    let info = &result["userInfo"];
    assert_eq!(info["roleId"], Value::Null);
    assert!(info.as_object().unwrap().contains_key("roleId"));
    assert_eq!(info["userDefaultCurrencyIsoCode"], Value::Null);
    assert_eq!(info["orgAttachmentFileSizeLimit"], json!(5242880));
    assert_eq!(info["sessionSecondsValid"], json!(7200));
    assert_eq!(info["userName"], json!("john.doe@email.com"));
}

#[test]
fn get_user_info_response() {
    let result = &body(
        "soapforce-get_user_info_response.xml",
        "getUserInfoResponse",
    )["result"];
    assert_eq!(result["roleId"], Value::Null);
    assert_eq!(result["accessibilityMode"], json!(false));
    assert_eq!(result["currencySymbol"], json!("$"));
    assert_eq!(result["userTimeZone"], json!("America/Panama"));
}

#[test]
fn save_results() {
    for (file, element) in [
        ("soapforce-create_response.xml", "createResponse"),
        ("soapforce-update_response.xml", "updateResponse"),
    ] {
        let response = body(file, element);
        assert_eq!(
            response["result"],
            json!([{"id": "006A000000LbiizIAB", "success": true}]),
            "{file}: result is maxOccurs=unbounded, so an array"
        );
    }
    for (file, element) in [
        ("soapforce-create_response_failure.xml", "createResponse"),
        ("soapforce-update_response_failure.xml", "updateResponse"),
    ] {
        let result = &body(file, element)["result"][0];
        assert_eq!(result["id"], Value::Null, "{file}");
        assert_eq!(result["success"], json!(false), "{file}");
        assert_eq!(
            result["errors"][0]["statusCode"],
            json!("INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY"),
            "{file}"
        );
        assert_eq!(
            result["errors"][0]["message"],
            json!("insufficient access rights on cross-reference id")
        );
    }
}

#[test]
fn delete_results() {
    let ok = body("soapforce-delete_response.xml", "deleteResponse");
    assert_eq!(ok["result"][0]["success"], json!(true));
    let failed = body("soapforce-delete_response_failure.xml", "deleteResponse");
    let result = &failed["result"][0];
    assert_eq!(result["errors"][0]["statusCode"], json!("MALFORMED_ID"));
    assert_eq!(
        result["errors"][0]["message"],
        json!("bad id 006i000004DAKd")
    );
    assert_eq!(result["id"], Value::Null);
}

#[test]
fn upsert_created_flags() {
    let response = body("soapforce-upsert_response.xml", "upsertResponse");
    let results = response["result"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["created"], json!(true));
    assert_eq!(results[1]["created"], json!(false));
    assert_eq!(results[1]["id"], json!("006A000000LbiizIAB"));
}

#[test]
fn merge_result() {
    let response = body("soapforce-merge_response.xml", "mergeResponse");
    assert_eq!(
        response["result"],
        json!([{"id": "001160000000000AAG",
                "mergedRecordIds": ["001140000000000AA4", "001150000000000AAO"],
                "success": true}])
    );
}

#[test]
fn process_results() {
    let submit = body(
        "soapforce-process_submit_request_response.xml",
        "processResponse",
    );
    let result = &submit["result"][0];
    assert_eq!(result["actorIds"], json!(["005i0000000Fi7vAAC"]));
    assert_eq!(result["newWorkitemIds"], json!(["04ii000000098uLAAQ"]));
    assert_eq!(result["instanceStatus"], json!("Pending"));
    assert_eq!(result["success"], json!(true));
    let workitem = body(
        "soapforce-process_workitem_request_response.xml",
        "processResponse",
    );
    assert_eq!(workitem["result"][0]["instanceStatus"], json!("Removed"));
    assert!(workitem["result"][0].get("actorIds").is_none());
}

#[test]
fn retrieve_result_is_an_sobject() {
    let response = body("soapforce-retrieve_response.xml", "retrieveResponse");
    assert_eq!(
        response["result"],
        json!([{"type": "Opportunity", "Id": "006A000000LbkT5IAJ",
                "Name": "SOAPForce Opportunity", "Description": null,
                "StageName": "Prospecting"}])
    );
}

#[test]
fn search_and_trimmed_describe_results() {
    let search = body("soapforce-search_response.xml", "searchResponse");
    assert_eq!(search, json!({"result": {}}));
    let describe = body(
        "soapforce-describe_s_object_response.xml",
        "describeSObjectResponse",
    );
    assert_eq!(describe, json!({"result": {}}));
    let describe = body(
        "soapforce-describe_s_objects_response.xml",
        "describeSObjectsResponse",
    );
    assert_eq!(describe, json!({"result": [{}]}));
    let layout = body(
        "soapforce-describe_layout_response.xml",
        "describeLayoutResponse",
    );
    assert_eq!(layout, json!({"result": {}}));
}

#[test]
fn describe_global_response() {
    let result = &body(
        "soapforce-describe_global_response.xml",
        "describeGlobalResponse",
    )["result"];
    assert_eq!(result["encoding"], json!("UTF-8"));
    assert_eq!(result["maxBatchSize"], json!(200));
    assert!(result["maxBatchSize"].is_number());
    let sobjects = result["sobjects"].as_array().unwrap();
    assert_eq!(sobjects.len(), 2);
    assert_eq!(sobjects[0]["name"], json!("Account"));
    assert_eq!(sobjects[0]["keyPrefix"], json!("001"));
    assert_eq!(sobjects[0]["feedEnabled"], json!(true));
    assert_eq!(sobjects[1]["name"], json!("AccountContactRole"));
    assert_eq!(sobjects[1]["layoutable"], json!(false));
}

#[test]
fn login_fault() {
    let (value, decoded) = decode_capture("simple-salesforce-login_fault_INVALID_LOGIN.xml");
    assert!(decoded.fault);
    assert_eq!(
        value,
        json!({"fault": {
            "faultcode": "INVALID_LOGIN",
            "faultstring": "INVALID_LOGIN: Invalid username, password, security token; or user locked out.",
            "detail": {
                "@type": "LoginFault",
                "exceptionCode": "INVALID_LOGIN",
                "exceptionMessage": "Invalid username, password, security token; or user locked out."
            }
        }})
    );
    let detail = decoded.json.get("fault").unwrap().get("detail").unwrap();
    assert_eq!(key_order(detail)[0], "@type");
}

const ENVELOPE_START: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns="urn:partner.soap.sforce.com" xmlns:sf="urn:sobject.partner.soap.sforce.com"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">"#;

fn decode_text(text: &str) -> Result<(Value, Decoded), Error> {
    let decoded = decode::decode_str(partner(), text, "inline.xml")?;
    let value = serde_json::from_str(&decoded.json.to_pretty_string()).expect("valid JSON");
    Ok((value, decoded))
}

#[test]
fn headers_nested_sobjects_child_queries_and_addresses() {
    let text = format!(
        r#"{ENVELOPE_START}
<soapenv:Header>
  <LimitInfoHeader><limitInfo><current>5</current><limit>15000</limit><type>API REQUESTS</type></limitInfo></LimitInfoHeader>
</soapenv:Header>
<soapenv:Body>
  <queryResponse>
    <result xsi:type="QueryResult">
      <done>false</done>
      <queryLocator>01gD0000002HU6KIAW-2000</queryLocator>
      <records xsi:type="sf:sObject">
        <sf:type>Account</sf:type>
        <sf:Id>001A</sf:Id>
        <sf:Owner xsi:type="sf:sObject"><sf:type>User</sf:type><sf:Id xsi:nil="true"/><sf:Name>Jo</sf:Name></sf:Owner>
        <sf:Contacts xsi:type="QueryResult"><done>true</done><queryLocator xsi:nil="true"/>
          <records xsi:type="sf:sObject"><sf:type>Contact</sf:type><sf:Id>003A</sf:Id><sf:Id>003A</sf:Id></records>
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
</soapenv:Body></soapenv:Envelope>"#
    );
    let (value, decoded) = decode_text(&text).unwrap();
    assert!(decoded.warnings.is_empty(), "{:?}", decoded.warnings);
    assert_eq!(
        value["headers"],
        json!({"LimitInfoHeader": {"limitInfo": [{"current": 5, "limit": 15000, "type": "API REQUESTS"}]}})
    );
    let record = &value["body"]["queryResponse"]["result"]["records"][0];
    assert_eq!(
        record,
        &json!({
            "type": "Account",
            "Id": "001A",
            "Owner": {"type": "User", "Id": null, "Name": "Jo"},
            "Contacts": {"done": true, "queryLocator": null,
                         "records": [{"type": "Contact", "Id": "003A"}], "size": 1},
            "Tasks": null,
            "BillingAddress": {"city": "Paris", "country": "France", "latitude": 48.85},
            "AnnualRevenue": "5.0E7",
            "expr0": 42
        })
    );
    let pretty = decoded.json.to_pretty_string();
    assert!(pretty.find("\"Owner\"").unwrap() < pretty.find("\"Contacts\"").unwrap());
}

#[test]
fn derived_types_carry_at_type_and_doubles_keep_exponents() {
    // describeLayout sections hold LayoutComponent values typed by xsi:type; here a
    // FieldLayoutComponent (extends LayoutComponent) inside a DescribeLayoutItem.
    let text = format!(
        r#"{ENVELOPE_START}<soapenv:Body>
  <describeSObjectResponse><result>
    <fields><defaultValue xsi:type="xsd:boolean">true</defaultValue><name>IsActive</name><precision>0</precision></fields>
    <fields><defaultValue xsi:type="xsd:string">Open</defaultValue><name>Status</name></fields>
    <name>Thing__c</name>
  </result></describeSObjectResponse>
</soapenv:Body></soapenv:Envelope>"#
    );
    let (value, decoded) = decode_text(&text).unwrap();
    assert!(decoded.warnings.is_empty(), "{:?}", decoded.warnings);
    let result = &value["body"]["describeSObjectResponse"]["result"];
    assert_eq!(result["fields"][0]["defaultValue"], json!(true));
    assert_eq!(result["fields"][0]["precision"], json!(0));
    assert_eq!(result["fields"][1]["defaultValue"], json!("Open"));

    let text = format!(
        r#"{ENVELOPE_START}<soapenv:Body>
  <describeLayoutResponse><result><layouts>
    <detailLayoutSections><layoutRows><layoutItems>
      <layoutComponents xsi:type="FieldLayoutComponent"><displayLines>1</displayLines><tabOrder>2</tabOrder><type>Field</type><value>Name</value>
        <fieldType>string</fieldType></layoutComponents>
      <layoutComponents><displayLines>1</displayLines><tabOrder>3</tabOrder><type>EmptySpace</type></layoutComponents>
    </layoutItems></layoutRows></detailLayoutSections>
  </layouts></result></describeLayoutResponse>
</soapenv:Body></soapenv:Envelope>"#
    );
    let (value, decoded) = decode_text(&text).unwrap();
    assert!(decoded.warnings.is_empty(), "{:?}", decoded.warnings);
    let components = &value["body"]["describeLayoutResponse"]["result"]["layouts"][0]
        ["detailLayoutSections"][0]["layoutRows"][0]["layoutItems"][0]["layoutComponents"];
    assert_eq!(components[0]["@type"], json!("FieldLayoutComponent"));
    assert_eq!(components[0]["fieldType"], json!("string"));
    assert_eq!(components[0]["tabOrder"], json!(2));
    assert!(components[1].get("@type").is_none());
}

#[test]
fn unknown_elements_are_kept_with_a_warning() {
    let text = format!(
        r#"{ENVELOPE_START}<soapenv:Body>
  <createResponse><result><id>001</id><success>true</success><surprise><a>1</a><a>2</a></surprise></result></createResponse>
</soapenv:Body></soapenv:Envelope>"#
    );
    let (value, decoded) = decode_text(&text).unwrap();
    assert_eq!(
        value["body"]["createResponse"]["result"][0]["surprise"],
        json!({"a": ["1", "2"]})
    );
    assert_eq!(decoded.warnings.len(), 1, "{:?}", decoded.warnings);
    let warning = &decoded.warnings[0];
    assert_eq!((warning.file.as_str(), warning.line), ("inline.xml", 5));
    assert!(warning.message.contains("surprise"), "{warning}");
    assert!(warning.message.contains("SaveResult"), "{warning}");
}

#[test]
fn bad_values_are_errors_with_positions() {
    let text = format!(
        r#"{ENVELOPE_START}<soapenv:Body>
  <createResponse><result><id>001</id>
    <success>maybe</success></result></createResponse>
</soapenv:Body></soapenv:Envelope>"#
    );
    let err = decode_text(&text).unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(
            err,
            Error::Invalid {
                line: 6,
                column: 5,
                ..
            }
        ),
        "{message}"
    );
    assert!(message.starts_with("inline.xml:6:5: "), "{message}");
    assert!(message.contains("xsd:boolean"), "{message}");
}

#[test]
fn not_xml_names_file_line_and_column() {
    let err = decode_text("<a>\n  <b></c>\n</a>").unwrap_err();
    assert!(
        matches!(&err, Error::Xml { file, line: 2, .. } if file == "inline.xml"),
        "{err}"
    );
    assert!(err.to_string().starts_with("inline.xml:2:"), "{err}");

    let err = decode_text("{\"not\": \"xml\"}").unwrap_err();
    assert!(
        matches!(
            err,
            Error::Xml {
                line: 1,
                column: 1,
                ..
            }
        ),
        "{err}"
    );

    let err = decode_text(
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">",
    )
    .unwrap_err();
    assert!(matches!(err, Error::Xml { line: 1, .. }), "{err}");
}

#[test]
fn not_an_envelope() {
    let err = decode_text(
        "<?xml version=\"1.0\"?>\n<queryResponse xmlns=\"urn:partner.soap.sforce.com\"/>",
    )
    .unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with("inline.xml:2:1: not a SOAP 1.1 envelope"),
        "{message}"
    );

    let err = decode_text(&format!(
        "{ENVELOPE_START}\n<soapenv:Body/></soapenv:Envelope>"
    ))
    .unwrap_err();
    assert!(err.to_string().contains("soapenv:Body is empty"), "{err}");
}

#[test]
fn unknown_body_element() {
    let text = format!(
        "{ENVELOPE_START}\n<soapenv:Body>\n  <frobnicateResponse><result/></frobnicateResponse>\n</soapenv:Body></soapenv:Envelope>"
    );
    let err = decode_text(&text).unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(
            err,
            Error::Invalid {
                line: 6,
                column: 3,
                ..
            }
        ),
        "{message}"
    );
    assert!(message.contains("frobnicateResponse"), "{message}");
    assert!(message.contains("SforceService"), "{message}");
}

#[test]
fn fault_namespaces_resolve_by_uri() {
    // `sf` bound to the fault namespace on the detail, `flt` elsewhere; same result.
    let text = r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:flt="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_FIELD</faultcode><faultstring>No such column</faultstring>
<detail><flt:InvalidFieldFault xsi:type="flt:InvalidFieldFault"><flt:exceptionCode>INVALID_FIELD</flt:exceptionCode><flt:exceptionMessage>No such column 'Foo'</flt:exceptionMessage><flt:row>1</flt:row><flt:column>8</flt:column></flt:InvalidFieldFault></detail>
</soapenv:Fault></soapenv:Body></soapenv:Envelope>"#;
    let (value, decoded) = decode_text(text).unwrap();
    assert!(decoded.fault);
    assert!(decoded.warnings.is_empty(), "{:?}", decoded.warnings);
    assert_eq!(value["fault"]["faultcode"], json!("sf:INVALID_FIELD"));
    assert_eq!(
        value["fault"]["detail"],
        json!({"@type": "InvalidFieldFault", "exceptionCode": "INVALID_FIELD",
               "exceptionMessage": "No such column 'Foo'", "row": 1, "column": 8})
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 5000;
    let text = format!(
        "{ENVELOPE_START}<soapenv:Body><createResponse><result><surprise>{}{}</surprise></result></createResponse></soapenv:Body></soapenv:Envelope>",
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    let err = decode_text(&text).unwrap_err();
    assert!(
        err.to_string()
            .contains("is nested 129 levels deep, deeper than the limit of 128"),
        "{err}"
    );
}

#[test]
fn whitespace_before_the_declaration_is_read_and_an_empty_body_is_an_error() {
    // jsforce's tests carry a Salesforce fault that starts with a newline.
    let fault = format!(
        "\n{ENVELOPE_START}<soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode>\
         <faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.\
         </faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    );
    for text in [fault.clone(), format!("\u{feff}\r\n{}", &fault[1..])] {
        let (value, decoded) = decode_text(&text).unwrap_or_else(|e| panic!("{e}"));
        assert!(decoded.fault, "{value}");
    }
    let empty = format!("\n{ENVELOPE_START}<soapenv:Body/></soapenv:Envelope>");
    let err = decode_text(&empty).unwrap_err().to_string();
    assert!(err.contains("soapenv:Body is empty"), "{err}");
    // Anything else before the root is still an error.
    assert!(decode_text(&format!("x{}", &fault[1..])).is_err());
}
