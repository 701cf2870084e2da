//! The readers on hostile input, all of it built here: XML that is expensive to parse
//! (many attributes, many namespace declarations), envelopes nested deep enough to
//! overflow a small stack. Each must end in an error naming the place, quickly.

use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use sforce_codegen::decode;
use sforce_codegen::model::{QName, Service};
use sforce_codegen::xml::{MAX_ATTRIBUTES, MAX_NAMESPACES_IN_SCOPE};
use sforce_codegen::{describe, wsdl, Error};

fn partner() -> &'static Service {
    static PARTNER: OnceLock<Service> = OnceLock::new();
    PARTNER.get_or_init(|| {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/wsdl/partner-v66.0.wsdl");
        wsdl::parse_file(&path).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// `(file, line, column, message)` of an `Error::Invalid`.
fn invalid<T>(result: Result<T, Error>) -> (String, u32, u32, String) {
    match result {
        Err(Error::Invalid {
            file,
            line,
            column,
            message,
        }) => (file, line, column, message),
        Err(other) => panic!("expected Error::Invalid, got {other}"),
        Ok(_) => panic!("expected Error::Invalid, got Ok"),
    }
}

/// ` a0="v" a1="v" …`
fn attributes(n: usize) -> String {
    (0..n).map(|i| format!(" a{i}=\"v\"")).collect()
}

/// ` xmlns:p0="urn:p0" …`
fn namespaces(n: usize) -> String {
    (0..n)
        .map(|i| format!(" xmlns:p{i}=\"urn:p{i}\""))
        .collect()
}

/// Fails when `f` takes longer than `limit` (in a debug build; generous on purpose: the
/// unguarded parse of these inputs takes minutes).
fn quickly<T>(limit: Duration, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < limit, "took {took:?}, more than {limit:?}");
    out
}

#[test]
fn forty_thousand_attributes_on_one_element_are_refused_at_once() {
    // The 430 KB case: 40,000 attributes on the root of a WSDL.
    let text = format!(
        "<?xml version=\"1.0\"?>\n<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\"{}/>",
        attributes(40_000)
    );
    assert!(text.len() > 400_000);
    let (file, line, column, message) = quickly(Duration::from_secs(2), || {
        invalid(wsdl::parse_str(&text, "big.wsdl"))
    });
    assert_eq!((file.as_str(), line, column), ("big.wsdl", 2, 1));
    assert!(
        message.contains("element <definitions> has more than 64 attributes"),
        "{message}"
    );
}

#[test]
fn a_hundred_thousand_namespace_declarations_are_refused_at_once() {
    let text = format!(
        "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\"{}/>",
        namespaces(100_000)
    );
    let (_, line, column, message) = quickly(Duration::from_secs(2), || {
        invalid(wsdl::parse_str(&text, "ns.wsdl"))
    });
    assert_eq!((line, column), (1, 1));
    assert!(
        message.contains("element <definitions> has more than 32 namespace prefixes in scope"),
        "{message}"
    );

    // Namespace declarations also count as attributes.
    let text = format!(
        "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\"{}{}/>",
        namespaces(MAX_NAMESPACES_IN_SCOPE - 1),
        attributes(MAX_ATTRIBUTES - MAX_NAMESPACES_IN_SCOPE + 1)
    );
    let (_, _, _, message) = invalid(wsdl::parse_str(&text, "ns.wsdl"));
    assert!(message.contains("more than 64 attributes"), "{message}");

    let text = format!(
        "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\">\n  <types{}/></definitions>",
        namespaces(MAX_NAMESPACES_IN_SCOPE)
    );
    let (_, line, column, message) = invalid(wsdl::parse_str(&text, "ns.wsdl"));
    assert_eq!((line, column), (2, 3));
    assert!(
        message.contains("element <types> has more than 32 namespace prefixes in scope"),
        "{message}"
    );
}

#[test]
fn nested_namespace_declarations_are_bounded_in_scope() {
    // Each level declares a new prefix: roxmltree copies every prefix in scope into every
    // element that declares one, cubic in the depth without a bound.
    let depth = 2_000;
    let mut text = String::new();
    for i in 0..depth {
        text.push_str(&format!("<e xmlns:p{i}=\"urn:x\">"));
    }
    text.push_str(&"</e>".repeat(depth));
    let (_, line, column, message) = quickly(Duration::from_secs(2), || {
        invalid(wsdl::parse_str(&text, "deep.wsdl"))
    });
    let at = text
        .match_indices("<e ")
        .nth(MAX_NAMESPACES_IN_SCOPE)
        .map(|(i, _)| i)
        .unwrap_or_default();
    assert_eq!((line, column as usize), (1, at + 1));
    assert!(message.contains("namespace prefixes in scope"), "{message}");
}

#[test]
fn every_reader_applies_the_limits() {
    let element = format!("<x{}/>", attributes(MAX_ATTRIBUTES + 1));
    let envelope = format!(
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">\
         <soapenv:Body>{element}</soapenv:Body></soapenv:Envelope>"
    );
    let (file, _, _, message) = invalid(decode::decode_str(partner(), &envelope, "capture.xml"));
    assert_eq!(file, "capture.xml");
    assert!(message.contains("element <x> has more than"), "{message}");

    let dump = format!("<describeSObjectResult>{element}</describeSObjectResult>");
    let (file, _, _, message) = invalid(describe::read_str(&dump, Path::new("Thing.xml")));
    assert_eq!(file, "Thing.xml");
    assert!(message.contains("element <x> has more than"), "{message}");
}

#[test]
fn elements_at_the_limits_everywhere_still_read() {
    // Just under the limits on every element: accepted, and the work stays linear.
    let mut text = format!(
        "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\"{}>",
        namespaces(MAX_NAMESPACES_IN_SCOPE - 1)
    );
    let element = format!("<documentation{}/>", attributes(MAX_ATTRIBUTES));
    while text.len() < 2_000_000 {
        text.push_str(&element);
    }
    text.push_str("</definitions>");
    let service = quickly(Duration::from_secs(20), || {
        wsdl::parse_str(&text, "wide.wsdl").unwrap_or_else(|e| panic!("{e}"))
    });
    assert!(service.operations.is_empty());
}

#[test]
fn dtds_stay_refused() {
    let text = "<!DOCTYPE definitions [<!ENTITY a \"aaaaaaaaaa\">]><definitions>&a;</definitions>";
    let err = wsdl::parse_str(text, "dtd.wsdl").unwrap_err();
    assert!(matches!(err, Error::Xml { .. }), "{err:?}");
    assert!(err.to_string().contains("dtd.wsdl:"), "{err}");
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
    let (file, line, _, message) = invalid(decode_on_small_stack(nested_capture(129)));
    assert_eq!((file.as_str(), line), ("deep.xml", 1));
    assert!(
        message.contains("}a is nested more than 128 levels deep (it is at level 129"),
        "{message}"
    );
    // Far deeper input fails the same way, not with a stack overflow.
    let (_, _, _, message) = invalid(decode_on_small_stack(nested_capture(100_000)));
    assert!(message.contains("nested more than 128 levels"), "{message}");
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
        err.to_string().contains("nested more than 19 levels"),
        "{err}"
    );
    assert!(decode::decode_str_with(partner(), &nested_capture(20), "deep.xml", 20).is_ok());
}

/// A WSDL with one schema (`urn:t`, prefix `tns`) holding `schema`, and no operations.
fn schema_wsdl(schema: &str) -> String {
    format!(
        "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\" \
         xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:tns=\"urn:t\" targetNamespace=\"urn:t\">\n\
         <types>\n<xsd:schema targetNamespace=\"urn:t\" elementFormDefault=\"qualified\">\n{schema}\n\
         </xsd:schema>\n</types>\n</definitions>\n"
    )
}

/// `<complexType name>` extending `base` with one element `field`.
fn extending(name: &str, base: &str, field: &str) -> String {
    format!(
        "<xsd:complexType name=\"{name}\"><xsd:complexContent><xsd:extension base=\"tns:{base}\">\
         <xsd:sequence><xsd:element name=\"{field}\" type=\"xsd:string\"/></xsd:sequence>\
         </xsd:extension></xsd:complexContent></xsd:complexType>"
    )
}

#[test]
fn a_type_extending_itself_is_an_error_at_the_type() {
    let text = schema_wsdl(&extending("A", "A", "a"));
    let (file, line, column, message) = invalid(wsdl::parse_str(&text, "self.wsdl"));
    assert_eq!((file.as_str(), line, column), ("self.wsdl", 4, 1));
    assert_eq!(
        message,
        "complexType \"A\" extends \"A\": the extension chain is a cycle"
    );
}

#[test]
fn extension_cycles_of_any_length_are_errors_naming_the_cycle() {
    let text = schema_wsdl(&format!(
        "{}\n{}",
        extending("A", "B", "a"),
        extending("B", "A", "b")
    ));
    let (_, line, column, message) = invalid(wsdl::parse_str(&text, "ab.wsdl"));
    // B closes the cycle that starts at A.
    assert_eq!((line, column), (5, 1));
    assert_eq!(
        message,
        "complexType \"A\" extends \"B\" extends \"A\": the extension chain is a cycle"
    );

    // A long cycle, declared in reverse order, reached from a type outside it.
    let n = 500;
    let mut schema = extending("Outside", "T0", "o");
    for i in (0..n).rev() {
        schema.push('\n');
        schema.push_str(&extending(
            &format!("T{i}"),
            &format!("T{}", (i + 1) % n),
            "x",
        ));
    }
    let text = schema_wsdl(&schema);
    let (_, _, _, message) = quickly(Duration::from_secs(5), || {
        invalid(wsdl::parse_str(&text, "long.wsdl"))
    });
    assert!(
        message.starts_with(
            "complexType \"T0\" extends \"T1\" extends \"T2\" extends \"T3\" extends \"T4\" \
             extends \"T5\" extends … (500 types in all) … extends \"T499\" extends \"T0\""
        ),
        "{message}"
    );
    assert!(
        message.ends_with("extends \"T0\": the extension chain is a cycle"),
        "{message}"
    );
}

#[test]
fn base_chains_end_on_a_cyclic_model_built_by_hand() {
    use sforce_codegen::model::{ComplexType, QName, TypeOrigin};
    let q = |name: &str| QName::new("urn:t", name);
    let mut service = Service::default();
    for (name, base) in [("A", "B"), ("B", "C"), ("C", "A"), ("D", "A")] {
        service.complex_types.insert(
            q(name),
            ComplexType {
                name: q(name),
                base: Some(q(base)),
                fields: Vec::new(),
                any: None,
                origin: TypeOrigin::Named,
                documentation: None,
            },
        );
    }
    let chain: Vec<&str> = service
        .base_chain(&q("D"))
        .map(|t| t.name.name.as_str())
        .collect();
    assert_eq!(chain, ["D", "A", "B", "C"]);
    assert!(service.extends(&q("D"), &q("C")));
    assert!(!service.extends(&q("A"), &q("D")));
    assert!(service.all_fields(&q("A")).is_empty());
    assert_eq!(service.descendants(&q("A")).len(), 3);
    let cycle: Vec<&str> = service
        .extension_cycle()
        .expect("a cycle")
        .iter()
        .map(|q| q.name.as_str())
        .collect();
    assert_eq!(cycle, ["A", "B", "C"]);
    let err = sforce_codegen::emit::generate(&service, &Default::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("\"A\" extends \"B\" extends \"C\" extends \"A\""),
        "{err}"
    );
}

#[test]
fn an_element_declared_twice_in_one_sequence_is_an_error_at_the_second() {
    let text = schema_wsdl(
        "<xsd:complexType name=\"Pair\"><xsd:sequence>\n\
         <xsd:element name=\"left\" type=\"xsd:string\"/>\n\
         <xsd:element name=\"right\" type=\"xsd:string\"/>\n\
         <xsd:element name=\"left\" type=\"xsd:int\"/>\n\
         </xsd:sequence></xsd:complexType>",
    );
    let (file, line, column, message) = invalid(wsdl::parse_str(&text, "pair.wsdl"));
    assert_eq!((file.as_str(), line, column), ("pair.wsdl", 7, 1));
    assert!(
        message.starts_with(
            "complexType \"Pair\": element \"left\" is declared twice in one sequence (first on \
             line 5, column 1)"
        ),
        "{message}"
    );

    // The same in the sequence of an extension, and through `ref`.
    let text = schema_wsdl(
        "<xsd:element name=\"shared\" type=\"xsd:string\"/>\
         <xsd:complexType name=\"Base\"><xsd:sequence/></xsd:complexType>\
         <xsd:complexType name=\"Derived\"><xsd:complexContent><xsd:extension base=\"tns:Base\">\
         <xsd:sequence><xsd:element ref=\"tns:shared\"/><xsd:element name=\"shared\" type=\"xsd:int\"/>\
         </xsd:sequence></xsd:extension></xsd:complexContent></xsd:complexType>",
    );
    let (_, _, _, message) = invalid(wsdl::parse_str(&text, "ref.wsdl"));
    assert!(
        message.starts_with("complexType \"Derived\": element \"shared\" is declared twice"),
        "{message}"
    );
}

#[test]
fn a_derived_type_may_still_redeclare_a_base_element() {
    let text = schema_wsdl(
        "<xsd:complexType name=\"Base\"><xsd:sequence><xsd:element name=\"id\" type=\"xsd:string\"/>\
         </xsd:sequence></xsd:complexType>\n{}",
    )
    .replace("{}", &extending("Derived", "Base", "id"));
    let service = wsdl::parse_str(&text, "redeclare.wsdl").unwrap_or_else(|e| panic!("{e}"));
    let derived = QName::new("urn:t", "Derived");
    assert_eq!(service.all_fields(&derived).len(), 2);
    let code = sforce_codegen::emit::generate_file(&service, &Default::default())
        .unwrap_or_else(|e| panic!("{e}"));
    // One Rust field for both declarations (the documented rule).
    let start = code.find("pub struct Derived {").expect("struct Derived");
    let body = &code[start..start + code[start..].find("\n}").unwrap_or_default()];
    assert_eq!(body.matches("pub id:").count(), 1, "{body}");
}
