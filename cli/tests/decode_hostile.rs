//! `decode` on hostile input: envelopes nested deep enough to overflow a small stack, and
//! elements past the reader's limits. Each must end in an error naming the place.

use std::path::Path;
use std::sync::OnceLock;

use sforce_cli::decode::{self, Error};
use sforce_codegen::model::Service;
use sforce_codegen::wsdl;

fn partner() -> &'static Service {
    static PARTNER: OnceLock<Service> = OnceLock::new();
    PARTNER.get_or_init(|| {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/wsdl/partner-v66.0.wsdl");
        wsdl::parse_file(&path).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// `(file, line, column, message)` of an `Error::Xml`.
fn xml_error<T>(result: Result<T, Error>) -> (String, u32, u32, String) {
    match result {
        Err(Error::Xml {
            file,
            line,
            column,
            message,
        }) => (file, line, column, message),
        Err(other) => panic!("expected Error::Xml, got {other}"),
        Ok(_) => panic!("expected Error::Xml, got Ok"),
    }
}

#[test]
fn the_readers_limits_apply() {
    let attributes: String = (0..65).map(|i| format!(" a{i}=\"v\"")).collect();
    let envelope = format!(
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">\
         <soapenv:Body><x{attributes}/></soapenv:Body></soapenv:Envelope>"
    );
    let (file, _, _, message) = xml_error(decode::decode_str(partner(), &envelope, "capture.xml"));
    assert_eq!(file, "capture.xml");
    assert!(
        message.contains("element `x` has more than 64 attributes"),
        "{message}"
    );
    let dtd = "<!DOCTYPE e [<!ENTITY a \"aaaa\">]><e>&a;</e>";
    let (_, _, _, message) = xml_error(decode::decode_str(partner(), dtd, "dtd.xml"));
    assert!(message.contains("DOCTYPE"), "{message}");
}

const ENVELOPE_START: &str =
    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
     xmlns=\"urn:partner.soap.sforce.com\" xmlns:sf=\"urn:sobject.partner.soap.sforce.com\" \
     xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>";

/// A query response whose deepest element is at `levels` (the envelope is level 1): a
/// record whose parent has a parent, and so on (the typed sObject path), ending in
/// unknown nested elements (the untyped path).
fn nested_capture(levels: usize) -> String {
    // Envelope, Body, queryResponse, result, records: 5 levels.
    let parents = (levels - 5) / 2;
    let untyped = levels - 5 - parents;
    let mut text = format!(
        "{ENVELOPE_START}<queryResponse><result><done>true</done>\
         <records xsi:type=\"sf:sObject\"><sf:type>Account</sf:type>"
    );
    for _ in 0..parents {
        text.push_str("<sf:Parent xsi:type=\"sf:sObject\"><sf:type>Account</sf:type>");
    }
    text.push_str(&"<a>".repeat(untyped));
    text.push_str(&"</a>".repeat(untyped));
    text.push_str(&"</sf:Parent>".repeat(parents));
    text.push_str(
        "</records><size>1</size></result></queryResponse></soapenv:Body></soapenv:Envelope>",
    );
    text
}

/// Decodes `text` on a thread with a 2 MiB stack (a common default for spawned threads),
/// so that running out of stack would abort the test binary instead of passing.
fn decode_on_small_stack(text: String) -> Result<decode::Decoded, Error> {
    let service = partner();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || decode::decode_str(service, &text, "deep.xml"))
        .expect("spawn a thread")
        .join()
        .expect("the decoder does not panic")
}

#[test]
fn deep_captures_are_an_error_on_a_small_stack() {
    assert_eq!(decode::DEFAULT_MAX_DEPTH, 128);
    let (file, line, _, message) = xml_error(decode_on_small_stack(nested_capture(129)));
    assert_eq!((file.as_str(), line), ("deep.xml", 1));
    assert!(
        message.contains("element `a` is nested 129 levels deep, deeper than the limit of 128"),
        "{message}"
    );
    // Far deeper input fails the same way, not with a stack overflow.
    let (_, _, _, message) = xml_error(decode_on_small_stack(nested_capture(100_000)));
    assert!(
        message.contains("deeper than the limit of 128"),
        "{message}"
    );
}

#[test]
fn captures_just_under_the_depth_limit_decode_on_a_small_stack() {
    let decoded = decode_on_small_stack(nested_capture(128)).unwrap_or_else(|e| panic!("{e}"));
    assert!(!decoded.fault);
    let text = decoded.json.to_pretty_string();
    assert!(text.contains("\"Parent\""), "{text}");
    // A smaller limit can be chosen.
    let err = decode::decode_str_with(partner(), &nested_capture(20), "deep.xml", 19).unwrap_err();
    assert!(
        err.to_string()
            .contains("nested 20 levels deep, deeper than the limit of 19"),
        "{err}"
    );
    assert!(decode::decode_str_with(partner(), &nested_capture(20), "deep.xml", 20).is_ok());
}
