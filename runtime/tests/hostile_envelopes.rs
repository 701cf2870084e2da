//! Hostile and broken response envelopes through the sans-IO reader: nesting deep enough to
//! overflow a stack, and every leniency the protocol cannot afford. Each case starts from a
//! real capture (`fixtures/soap/`) or the shape Salesforce sends, changed in one place.

use sforce::envelope::{read_response, read_response_with};
use sforce::partner::{self, QueryResponse, ResponseHeaders};
use sforce::xml::ReadLimits;
use sforce::{Error, SoapFault, UnparsedDetail};

fn capture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../fixtures/soap/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn query(body: &str) -> Result<QueryResponse, Error> {
    read_response::<QueryResponse, ResponseHeaders>(&partner::SERVICE, body.as_bytes())
        .map(|r| r.body)
}

/// The message of an [`Error::Xml`], with its position.
fn xml_error<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Xml {
            line,
            column,
            message,
        }) => format!("{line}:{column}: {message}"),
        other => panic!("expected an XML error, got {other:?}"),
    }
}

/// Runs `f` on a thread with a 2 MiB stack, the size of a Tokio worker thread's: a stack
/// overflow there aborts the whole test process, so passing proves there is none.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

const OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
    xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
    xmlns=\"urn:partner.soap.sforce.com\" \
    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
    xmlns:sf=\"urn:sobject.partner.soap.sforce.com\"><soapenv:Body>";
const CLOSE: &str = "</soapenv:Body></soapenv:Envelope>";

/// A query response whose one record nests `levels` parent relationships
/// (`Account.Owner.Account.Owner…`).
fn nested_parents(levels: usize) -> String {
    let mut xml = format!(
        "{OPEN}<queryResponse><result xsi:type=\"QueryResult\"><done>true</done>\
         <queryLocator xsi:nil=\"true\"/><records xsi:type=\"sf:sObject\"><sf:type>Contact</sf:type>"
    );
    for _ in 0..levels {
        xml.push_str("<sf:Parent xsi:type=\"sf:sObject\"><sf:type>Account</sf:type>");
    }
    xml.push_str("<sf:Name>deep</sf:Name>");
    for _ in 0..levels {
        xml.push_str("</sf:Parent>");
    }
    xml.push_str(&format!(
        "</records><size>1</size></result></queryResponse>{CLOSE}"
    ));
    xml
}

/// A query response nesting `levels` child subqueries (`records/Children/records/…`).
fn nested_children(levels: usize) -> String {
    let mut xml = format!("{OPEN}<queryResponse><result xsi:type=\"QueryResult\"><done>true</done><queryLocator xsi:nil=\"true\"/>");
    for _ in 0..levels {
        xml.push_str(
            "<records xsi:type=\"sf:sObject\"><sf:type>Account</sf:type>\
             <sf:Children xsi:type=\"QueryResult\"><done>true</done>\
             <queryLocator xsi:nil=\"true\"/>",
        );
    }
    for _ in 0..levels {
        xml.push_str("<size>1</size></sf:Children></records>");
    }
    xml.push_str(&format!("<size>1</size></result></queryResponse>{CLOSE}"));
    xml
}

/// A describeLayout response nesting `levels` field layout components, the partner WSDL's
/// own recursion (`FieldLayoutComponent.components`), read by generated code.
fn nested_layout_components(levels: usize) -> String {
    let mut xml = format!(
        "{OPEN}<describeLayoutResponse><result><layouts><detailLayoutSections>\
         <layoutRows><layoutItems>"
    );
    for _ in 0..levels {
        xml.push_str("<layoutComponents xsi:type=\"FieldLayoutComponent\"><components xsi:type=\"FieldLayoutComponent\">");
    }
    for _ in 0..levels {
        xml.push_str("</components></layoutComponents>");
    }
    xml.push_str(&format!(
        "</layoutItems></layoutRows></detailLayoutSections></layouts></result>\
         </describeLayoutResponse>{CLOSE}"
    ));
    xml
}

#[test]
fn deep_parent_nesting_is_an_error_on_a_small_stack() {
    // 1,500 levels (about 100 KB) used to overflow the main thread's stack; 400 a
    // Tokio worker's in a debug build.
    let message = on_small_stack(|| xml_error(query(&nested_parents(5_000))));
    assert!(
        message.contains("is nested 129 levels deep, deeper than the limit of 128"),
        "{message}"
    );
    // Just inside the limit still reads, on the same stack, in a debug build.
    let result = on_small_stack(|| query(&nested_parents(120)));
    let mut record = result.unwrap().result.records.remove(0);
    let mut depth = 0;
    while let Some(parent) = record.get("Parent").and_then(|v| v.as_sobject()).cloned() {
        record = parent;
        depth += 1;
    }
    assert_eq!(depth, 120);
    assert_eq!(record.get_str("Name").unwrap(), Some("deep"));
}

#[test]
fn deep_child_query_nesting_is_an_error_on_a_small_stack() {
    let message = on_small_stack(|| xml_error(query(&nested_children(3_000))));
    assert!(message.contains("nested 129 levels deep"), "{message}");
    assert!(on_small_stack(|| query(&nested_children(60))).is_ok());
}

#[test]
fn deep_generated_recursion_is_an_error_on_a_small_stack() {
    let read = |xml: String| {
        read_response::<partner::DescribeLayoutResponse, ResponseHeaders>(
            &partner::SERVICE,
            xml.as_bytes(),
        )
        .map(|_| ())
    };
    let message = on_small_stack(move || xml_error(read(nested_layout_components(3_000))));
    assert!(message.contains("nested 129 levels deep"), "{message}");
    assert!(on_small_stack(move || read(nested_layout_components(58))).is_ok());
}

#[test]
fn a_70000_deep_header_is_an_error_not_a_panic() {
    let mut header = String::from("<soapenv:Header>");
    header.push_str(&"<x>".repeat(70_000));
    header.push_str(&"</x>".repeat(70_000));
    header.push_str("</soapenv:Header>");
    let xml = format!(
        "{}{header}<soapenv:Body><queryResponse/></soapenv:Body></soapenv:Envelope>",
        &OPEN[..OPEN.len() - "<soapenv:Body>".len()]
    );
    let message = on_small_stack(move || xml_error(query(&xml)));
    assert!(
        message.contains("element `x` is nested 129 levels"),
        "{message}"
    );
}

#[test]
fn the_depth_limit_is_a_setting() {
    let xml = nested_parents(10);
    let limits = ReadLimits {
        max_depth: 12,
        ..ReadLimits::default()
    };
    let message = xml_error(read_response_with::<QueryResponse, ResponseHeaders>(
        &partner::SERVICE,
        xml.as_bytes(),
        limits,
    ));
    assert!(message.contains("limit of 12"), "{message}");
    assert!(query(&xml).is_ok());
}

#[test]
fn a_second_result_is_an_error_not_a_replacement() {
    let xml = capture("soapforce-query_response.xml").replace(
        "</result>",
        "</result><result><done>true</done><queryLocator xsi:nil=\"true\"/><size>0</size></result>",
    );
    let message = xml_error(query(&xml));
    assert!(
        message.ends_with(
            "element `result` appears a second time in `queryResponse`, which allows one"
        ),
        "{message}"
    );
    // At the second `<result>`, right after the first one's end tag.
    assert!(message.starts_with("23:18:"), "{message}");
}

#[test]
fn missing_or_nil_done_and_size_are_errors() {
    let base = capture("soapforce-query_response.xml");
    let cases = [
        (base.replace("<done>true</done>", ""), "has no `done`"),
        (
            base.replace("<done>true</done>", "<done xsi:nil=\"true\"/>"),
            "element `done` in `result` is nil",
        ),
        (base.replace("<size>2</size>", ""), "has no `size`"),
        (
            base.replace("<size>2</size>", "<size xsi:nil=\"true\"/>"),
            "element `size` in `result` is nil",
        ),
        (
            base.replace("<size>2</size>", "<size>2</size><size>3</size>"),
            "element `size` appears a second time",
        ),
    ];
    for (xml, expected) in cases {
        let message = xml_error(query(&xml));
        assert!(message.contains(expected), "{expected}: {message}");
    }
    // The same rules in a child subquery, read by the runtime's own sObject reader.
    let child = nested_children(2).replacen("<done>true</done>", "", 2);
    assert!(xml_error(query(&child)).contains("element `Children` has no `done`"));
}

#[test]
fn a_successful_save_result_must_have_its_id() {
    let read = |xml: &str| {
        read_response::<partner::CreateResponse, ResponseHeaders>(&partner::SERVICE, xml.as_bytes())
            .map(|r| r.body.result)
    };
    let ok = capture("soapforce-create_response.xml");
    assert_eq!(read(&ok).unwrap().len(), 1);
    let failed = capture("soapforce-create_response_failure.xml");
    assert!(!read(&failed).unwrap()[0].success);
    let no_id = failed.replace("<success>false</success>", "<success>true</success>");
    assert!(xml_error(read(&no_id)).contains("`success` is true but `id` is missing or nil"));
    let no_success = failed.replace("<success>false</success>", "");
    assert!(xml_error(read(&no_success)).contains("has no `success`"));
}

#[test]
fn envelope_structure_is_checked() {
    let base = capture("soapforce-query_response.xml");
    let cases = [
        (
            base.replace(
                "<soapenv:Body>",
                "<soapenv:Body xmlns:soapenv=\"urn:other\">",
            ),
            "element `Body` is in namespace `urn:other`",
        ),
        (format!("{base}<extra/>"), "a second root element"),
        (
            format!("{base}trailing text"),
            "content after the end of the document",
        ),
        (
            base.replace(
                "</soapenv:Body>",
                "</soapenv:Body><soapenv:Body><queryResponse/></soapenv:Body>",
            ),
            "a second `Body`",
        ),
        (
            base.replace("</queryResponse>", "</queryResponse><queryResponse/>"),
            "a second element `queryResponse` in the SOAP `Body`",
        ),
        (
            base.replace(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE x [<!ENTITY e \"boom\">]>",
            ),
            "DOCTYPE is not allowed",
        ),
        (
            base.replace(
                "<records xsi:type=\"sf:sObject\">",
                "<records xsi:type=\"sf:sObject\" xsi:type=\"sf:sObject\">",
            ),
            "bad attribute",
        ),
        (base.replace("Opportunity 1", "Opportunity &#x1;"), "U+0001"),
        (
            base.replace("Opportunity 1", "Opportunity &#xFFFE;"),
            "U+FFFE",
        ),
        (base.replace("Opportunity 1", "Opportunity \u{0}"), "U+0000"),
    ];
    for (xml, expected) in cases {
        let message = xml_error(query(&xml));
        assert!(message.contains(expected), "{expected}: {message}");
    }
}

/// A body that is not UTF-8 (here Latin-1 `é`, byte 0xE9, the way a proxy that re-encodes
/// would send `Opportunité`) is an error at that byte, whichever markup holds it: text, an
/// attribute value, a tag name, a comment. The reader checks each event as it reads it.
#[test]
fn a_body_that_is_not_utf8_is_an_error_at_the_byte() {
    let base = capture("soapforce-query_response.xml");
    let cases = [
        ("Opportunity 1", "Opportunit\u{1}1"),
        ("xsi:type=\"QueryResult\"", "xsi:type=\"Query\u{1}\""),
        ("<sf:StageName>Prospecting", "<sf:Stage\u{1}>Prospecting"),
        ("<done>", "<!-- r\u{1}sum\u{1} --><done>"),
    ];
    for (from, to) in cases {
        let mut xml = base.replacen(from, to, 1).into_bytes();
        // The stand-in `\u{1}` becomes a Latin-1 `é`: a lone byte 0xE9.
        let at = xml.iter().position(|&b| b == 1).unwrap();
        for b in &mut xml {
            if *b == 1 {
                *b = 0xE9;
            }
        }
        let line = xml[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let column = at
            - xml[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
            + 1;
        let result = read_response::<QueryResponse, ResponseHeaders>(&partner::SERVICE, &xml)
            .map(|r| r.body);
        let message = xml_error(result);
        assert_eq!(
            message,
            format!(
                "{line}:{column}: the input is not UTF-8: byte {at} (0xE9) does not start or \
                 continue a UTF-8 character (SOAP messages are UTF-8)"
            ),
            "{to}"
        );
    }
    // Cut inside a two-byte character (`é` is 0xC3 0xA9): the body was cut, not mis-encoded.
    let mut cut = base.replace("Opportunity 1", "Opportunité").into_bytes();
    let e = cut.windows(2).position(|w| w == [0xC3, 0xA9]).unwrap();
    cut.truncate(e + 1);
    let result =
        read_response::<QueryResponse, ResponseHeaders>(&partner::SERVICE, &cut).map(|r| r.body);
    assert!(matches!(result, Err(Error::Truncated { .. })), "{result:?}");
}

#[test]
fn a_typed_value_must_be_valid_for_its_type() {
    let xml = capture("soapforce-query_response.xml").replace(
        "<sf:Name>Opportunity 1</sf:Name>",
        "<sf:Total xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xsi:type=\"xsd:int\">x</sf:Total>",
    );
    let message = xml_error(query(&xml));
    assert!(
        message.contains("element `Total`: `x` is not a valid int (its xsi:type is `xsd:int`)"),
        "{message}"
    );
    // A valid one reads, and a type outside the XML Schema namespace is not checked.
    let fine = xml.replace(">x<", ">42<");
    assert!(query(&fine).is_ok());
    let other = xml.replace("xsi:type=\"xsd:int\"", "xsi:type=\"sf:int\"");
    assert!(query(&other).is_ok());
}

#[test]
fn a_fault_with_a_malformed_detail_is_still_the_fault() {
    // An InvalidFieldFault whose `row` is not a number: the typed detail cannot be read.
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
        xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
        xmlns:sf=\"urn:fault.partner.soap.sforce.com\" \
        xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body><soapenv:Fault>\
        <faultcode>sf:INVALID_FIELD</faultcode><faultstring>No such column 'Nmae'</faultstring>\
        <detail><sf:InvalidFieldFault xsi:type=\"sf:InvalidFieldFault\">\
        <sf:exceptionCode>INVALID_FIELD</sf:exceptionCode>\
        <sf:exceptionMessage>No such column 'Nmae'</sf:exceptionMessage>\
        <sf:row>one</sf:row><sf:column>8</sf:column></sf:InvalidFieldFault></detail>\
        </soapenv:Fault></soapenv:Body></soapenv:Envelope>";
    let err = query(xml).unwrap_err();
    let fault: &SoapFault = err.fault().expect("the fault is kept");
    assert_eq!(fault.exception_code(), "INVALID_FIELD");
    assert_eq!(fault.code(), partner::ExceptionCode::InvalidField);
    assert!(fault.detail::<partner::InvalidFieldFault>().is_none());
    let unparsed = fault
        .detail::<UnparsedDetail>()
        .expect("the detail is kept as text");
    assert!(
        unparsed.xml.starts_with("<sf:InvalidFieldFault"),
        "{}",
        unparsed.xml
    );
    assert!(
        unparsed.xml.ends_with("</sf:InvalidFieldFault>"),
        "{}",
        unparsed.xml
    );
    assert!(
        unparsed.error.contains("`one` is not a valid int"),
        "{}",
        unparsed.error
    );
    assert!(err.to_string().contains("its detail did not read"), "{err}");
    // A well-formed detail still reads into its type.
    let good = xml.replace("<sf:row>one</sf:row>", "<sf:row>1</sf:row>");
    let err = query(&good).unwrap_err();
    let typed = err
        .fault()
        .unwrap()
        .detail::<partner::InvalidFieldFault>()
        .unwrap();
    assert_eq!((typed.row, typed.column), (1, 8));
}

#[test]
fn newer_and_older_servers_stay_readable() {
    // Unknown elements (a newer server) and unknown enumeration values are tolerated…
    let newer = capture("soapforce-describe_global_response.xml").replace(
        "<maxBatchSize>",
        "<someNewElement><deep>1</deep></someNewElement><maxBatchSize>",
    );
    assert!(newer.contains("someNewElement"));
    let global = read_response::<partner::DescribeGlobalResponse, ResponseHeaders>(
        &partner::SERVICE,
        newer.as_bytes(),
    )
    .unwrap()
    .body
    .result;
    assert!(!global.sobjects.is_empty());
    // …and a required element an older server does not send reads as its default.
    let older = capture("soapforce-describe_global_response.xml");
    let without = cut_element(&older, "maxBatchSize");
    let global = read_response::<partner::DescribeGlobalResponse, ResponseHeaders>(
        &partner::SERVICE,
        without.as_bytes(),
    )
    .unwrap()
    .body
    .result;
    assert_eq!(global.max_batch_size, 0);
    let unknown_code = "<?xml version=\"1.0\"?><soapenv:Envelope \
        xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
        xmlns=\"urn:partner.soap.sforce.com\"><soapenv:Body><createResponse><result>\
        <errors><message>m</message><statusCode>A_CODE_FROM_THE_FUTURE</statusCode></errors>\
        <id>001000000000001AAA</id><success>false</success></result></createResponse>\
        </soapenv:Body></soapenv:Envelope>";
    let results = read_response::<partner::CreateResponse, ResponseHeaders>(
        &partner::SERVICE,
        unknown_code.as_bytes(),
    )
    .unwrap()
    .body
    .result;
    assert_eq!(
        *results[0].errors[0].status_code(),
        partner::StatusCode::Other("A_CODE_FROM_THE_FUTURE".to_owned())
    );
}

/// `xml` without the first `<name>…</name>` element.
fn cut_element(xml: &str, name: &str) -> String {
    let start = xml.find(&format!("<{name}>")).unwrap();
    let end_tag = format!("</{name}>");
    let end = xml[start..].find(&end_tag).unwrap() + start + end_tag.len();
    format!("{}{}", &xml[..start], &xml[end..])
}
