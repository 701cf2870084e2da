//! Small inline WSDLs: errors with positions, warnings, naming of anonymous types.

use super::parse_str;
use crate::model::{Builtin, MaxOccurs, QName, Service, TypeOrigin, TypeRef};
use crate::Error;

const T: &str = "urn:t";

fn q(name: &str) -> QName {
    QName::new(T, name)
}

/// A WSDL whose single schema (`urn:t`, qualified, `xsd:` prefix) holds `schema`,
/// followed by `rest` (messages, portType, binding, service).
fn wsdl(schema: &str, rest: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions targetNamespace="urn:t" xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t">
<types>
<xsd:schema targetNamespace="urn:t" elementFormDefault="qualified">
{schema}
</xsd:schema>
</types>
{rest}
</definitions>
"#
    )
}

/// Messages, portType, binding and service for one operation `ping` with a header.
const PING: &str = r#"<message name="Header"><part name="SessionHeader" element="tns:SessionHeader"/><part name="Unused" element="tns:SessionHeader"/></message>
<message name="pingRequest"><part name="parameters" element="tns:ping"/></message>
<message name="pingResponse"><part name="parameters" element="tns:pingResponse"/></message>
<message name="Fault"><part name="fault" element="tns:Fault"/></message>
<portType name="Port">
  <operation name="ping">
    <documentation> Ping it. </documentation>
    <input message="tns:pingRequest"/>
    <output message="tns:pingResponse"/>
    <fault message="tns:Fault" name="Fault"/>
  </operation>
</portType>
<binding name="Binding" type="tns:Port">
  <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
  <operation name="ping">
    <soap:operation soapAction="urn:ping"/>
    <input>
      <soap:header use="literal" message="tns:Header" part="SessionHeader"/>
      <soap:body use="literal" parts="parameters"/>
    </input>
    <output><soap:body use="literal"/></output>
  </operation>
</binding>
<service name="Svc">
  <documentation>The service</documentation>
  <port name="P" binding="tns:Binding"><soap:address location="https://x.example/services/Soap/u/61.0"/></port>
</service>"#;

/// Global elements `PING` needs.
const PING_ELEMENTS: &str = r#"<xsd:element name="ping"><xsd:complexType><xsd:sequence/></xsd:complexType></xsd:element>
<xsd:element name="pingResponse"><xsd:complexType><xsd:sequence><xsd:element name="result" type="xsd:string"/></xsd:sequence></xsd:complexType></xsd:element>
<xsd:element name="SessionHeader"><xsd:complexType><xsd:sequence><xsd:element name="sessionId" type="xsd:string"/></xsd:sequence></xsd:complexType></xsd:element>
<xsd:element name="Fault" type="xsd:string"/>"#;

fn ok(text: &str) -> Service {
    match parse_str(text, "t.wsdl") {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

/// The `(line, column, message)` of an `Error::Invalid`.
fn invalid(text: &str) -> (u32, u32, String) {
    match parse_str(text, "t.wsdl") {
        Err(Error::Invalid {
            file,
            line,
            column,
            message,
        }) => {
            assert_eq!(file, "t.wsdl");
            (line, column, message)
        }
        Err(e) => panic!("expected Error::Invalid, got {e}"),
        Ok(_) => panic!("expected Error::Invalid, got Ok"),
    }
}

/// 1-based line and column of the first occurrence of `needle` in `text`.
fn position_of(text: &str, needle: &str) -> (u32, u32) {
    let at = text.find(needle).expect("needle in text");
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    (line as u32, column as u32)
}

#[test]
fn full_operation() {
    let s = ok(&wsdl(PING_ELEMENTS, PING));
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert_eq!(s.name, "Svc");
    assert_eq!(s.target_namespace, T);
    assert_eq!(s.documentation.as_deref(), Some("The service"));
    assert_eq!(s.api_version.as_deref(), Some("61.0"));
    let op = &s.operations[0];
    assert_eq!(op.name, "ping");
    assert_eq!(op.documentation.as_deref(), Some("Ping it."));
    assert_eq!(op.soap_action, "urn:ping");
    assert_eq!(op.input, q("ping"));
    assert_eq!(op.output, Some(q("pingResponse")));
    assert_eq!(op.input_headers, [q("SessionHeader")]);
    assert!(op.output_headers.is_empty());
    assert_eq!(op.faults, [q("Fault")]);
    assert_eq!(s.headers.len(), 1);
    assert_eq!(s.headers[0].part, "SessionHeader");
    assert_eq!(
        s.elements[&q("Fault")].ty,
        TypeRef::Builtin(Builtin::String)
    );
    // `<complexType><sequence/></complexType>` is a type without fields.
    let ping = &s.complex_types[&q("ping")];
    assert!(ping.fields.is_empty() && ping.any.is_none());
    assert_eq!(ping.origin, TypeOrigin::Element(q("ping")));
}

#[test]
fn not_well_formed() {
    let text = "<definitions>\n  <types>\n  </typos>\n</definitions>\n";
    match parse_str(text, "bad.wsdl") {
        Err(Error::Xml {
            file,
            line,
            column,
            message,
        }) => {
            assert_eq!(file, "bad.wsdl");
            assert_eq!((line, column), (3, 3), "{message}");
        }
        other => panic!("expected Error::Xml, got {other:?}"),
    }
    // Truncated input points at its end.
    match parse_str("<a>\n  <b>", "cut.wsdl") {
        Err(Error::Xml { line, column, .. }) => assert_eq!((line, column), (2, 6)),
        other => panic!("expected Error::Xml, got {other:?}"),
    }
    let e = parse_str("not xml at all", "x.wsdl").expect_err("not XML");
    assert!(
        e.to_string().starts_with("x.wsdl:1:1: not well-formed XML"),
        "{e}"
    );
}

#[test]
fn not_a_wsdl() {
    let (line, column, message) =
        invalid("<?xml version=\"1.0\"?>\n<project xmlns=\"urn:maven\"/>");
    assert_eq!((line, column), (2, 1));
    assert!(message.contains("not a WSDL 1.1 document"), "{message}");
    assert!(message.contains("{urn:maven}project"), "{message}");
    // The right local name in no namespace is not enough.
    let (_, _, message) = invalid("<definitions/>");
    assert!(message.contains("not a WSDL"), "{message}");
}

#[test]
fn undefined_type() {
    let text = wsdl(
        r#"<xsd:complexType name="Bar">
  <xsd:sequence>
    <xsd:element name="ok" type="xsd:int"/>
    <xsd:element name="foo" type="tns:Missing"/>
  </xsd:sequence>
</xsd:complexType>"#,
        "",
    );
    let e = parse_str(&text, "t.wsdl").expect_err("undefined type");
    let (line, column) = position_of(&text, r#"<xsd:element name="foo""#);
    assert_eq!(
        e.to_string(),
        format!(
            r#"t.wsdl:{line}:{column}: element "foo" in complexType "Bar": type "tns:Missing" is not defined"#
        )
    );
}

#[test]
fn undefined_references() {
    let base = wsdl(
        r#"<xsd:complexType name="Bar"><xsd:complexContent><xsd:extension base="tns:Nope"><xsd:sequence/></xsd:extension></xsd:complexContent></xsd:complexType>"#,
        "",
    );
    let (_, _, m) = invalid(&base);
    assert_eq!(
        m,
        r#"complexType "Bar": extension base "tns:Nope" is not defined"#
    );

    let prefix = wsdl(
        r#"<xsd:complexType name="Bar"><xsd:sequence><xsd:element name="x" type="zz:T"/></xsd:sequence></xsd:complexType>"#,
        "",
    );
    let (_, _, m) = invalid(&prefix);
    assert!(
        m.contains(r#"prefix "zz" of "zz:T" is not declared"#),
        "{m}"
    );

    let simple = wsdl(
        r#"<xsd:simpleType name="S"><xsd:restriction base="tns:Gone"/></xsd:simpleType>"#,
        "",
    );
    let (_, _, m) = invalid(&simple);
    assert_eq!(
        m,
        r#"simpleType "S": restriction base "tns:Gone" is not defined"#
    );

    let anon = wsdl(
        r#"<xsd:element name="e"><xsd:complexType><xsd:sequence><xsd:element name="x" type="tns:Gone"/></xsd:sequence></xsd:complexType></xsd:element>"#,
        "",
    );
    let (_, _, m) = invalid(&anon);
    assert_eq!(
        m,
        r#"element "x" in element "e": type "tns:Gone" is not defined"#
    );

    let part = wsdl(
        "",
        r#"<message name="m"><part name="parameters" element="tns:nothing"/></message>"#,
    );
    let (line, column, m) = invalid(&part);
    assert_eq!((line, column), position_of(&part, "<part"));
    assert_eq!(
        m,
        r#"part "parameters" of message "m": element "tns:nothing" is not defined"#
    );

    let message = wsdl(
        PING_ELEMENTS,
        &PING.replace(
            r#"<output message="tns:pingResponse"/>"#,
            r#"<output message="tns:pong"/>"#,
        ),
    );
    let (_, _, m) = invalid(&message);
    assert_eq!(
        m,
        r#"output of operation "ping": message "tns:pong" is not defined"#
    );

    let header = wsdl(
        PING_ELEMENTS,
        &PING.replace(r#"part="SessionHeader"/>"#, r#"part="Nope"/>"#),
    );
    let (_, _, m) = invalid(&header);
    assert!(
        m.contains(r#"part "Nope" is not in message "Header""#),
        "{m}"
    );

    let binding = wsdl(
        PING_ELEMENTS,
        &PING.replace(r#"binding="tns:Binding""#, r#"binding="tns:Other""#),
    );
    let (_, _, m) = invalid(&binding);
    assert_eq!(
        m,
        r#"port "P" of service "Svc": binding "tns:Other" is not defined"#
    );

    let port_type = wsdl(
        PING_ELEMENTS,
        &PING.replace(r#"type="tns:Port""#, r#"type="tns:Nope""#),
    );
    let (_, _, m) = invalid(&port_type);
    assert_eq!(
        m,
        r#"binding "Binding": portType "tns:Nope" is not defined"#
    );

    let element_ref = wsdl(
        r#"<xsd:complexType name="Bar"><xsd:sequence><xsd:element ref="tns:nope"/></xsd:sequence></xsd:complexType>"#,
        "",
    );
    let (_, _, m) = invalid(&element_ref);
    assert!(m.contains(r#"element "tns:nope" is not defined"#), "{m}");
}

#[test]
fn bad_attribute_values() {
    let max = wsdl(
        r#"<xsd:complexType name="Bar"><xsd:sequence>
<xsd:element name="foo" type="xsd:string" maxOccurs="lots"/></xsd:sequence></xsd:complexType>"#,
        "",
    );
    let (line, column, m) = invalid(&max);
    assert_eq!(
        (line, column),
        position_of(&max, r#"<xsd:element name="foo""#)
    );
    assert!(
        m.starts_with(r#"element "foo" in complexType "Bar": bad maxOccurs "lots""#),
        "{m}"
    );

    let min = wsdl(
        r#"<xsd:complexType name="Bar"><xsd:sequence><xsd:element name="foo" type="xsd:string" minOccurs="-1"/></xsd:sequence></xsd:complexType>"#,
        "",
    );
    let (_, _, m) = invalid(&min);
    assert!(m.contains(r#"bad minOccurs "-1""#), "{m}");

    let nillable = wsdl(
        r#"<xsd:complexType name="Bar"><xsd:sequence><xsd:element name="foo" type="xsd:string" nillable="yes"/></xsd:sequence></xsd:complexType>"#,
        "",
    );
    let (_, _, m) = invalid(&nillable);
    assert!(m.contains(r#"bad nillable "yes""#), "{m}");

    let duplicate = wsdl(
        "<xsd:complexType name=\"Bar\"/>\n<xsd:simpleType name=\"Bar\"><xsd:restriction base=\"xsd:string\"/></xsd:simpleType>",
        "",
    );
    let (_, _, m) = invalid(&duplicate);
    assert!(m.contains("already defined"), "{m}");

    let cycle = wsdl(
        r#"<xsd:simpleType name="A"><xsd:restriction base="tns:B"/></xsd:simpleType>
<xsd:simpleType name="B"><xsd:restriction base="tns:A"/></xsd:simpleType>"#,
        "",
    );
    let (_, _, m) = invalid(&cycle);
    assert!(m.contains("circular"), "{m}");
}

#[test]
fn unsupported_constructs_are_warnings() {
    let text = wsdl(
        r#"<xsd:complexType name="Bar">
  <xsd:sequence>
    <xsd:element name="kept" type="xsd:string"/>
    <xsd:choice><xsd:element name="a" type="xsd:string"/><xsd:element name="b" type="xsd:int"/></xsd:choice>
  </xsd:sequence>
  <xsd:attribute name="lang" type="xsd:string"/>
</xsd:complexType>
<xsd:complexType name="Text"><xsd:simpleContent><xsd:extension base="xsd:string"/></xsd:simpleContent></xsd:complexType>
<xsd:simpleType name="Many"><xsd:list itemType="xsd:string"/></xsd:simpleType>
<xsd:group name="G"><xsd:sequence/></xsd:group>
<xsd:import namespace="urn:other" schemaLocation="other.xsd"/>
<xsd:complexType name="Dur"><xsd:sequence><xsd:element name="d" type="xsd:duration"/></xsd:sequence></xsd:complexType>"#,
        "",
    );
    let s = ok(&text);
    let bar = &s.complex_types[&q("Bar")];
    assert_eq!(bar.fields.len(), 1);
    assert_eq!(bar.fields[0].name, "kept");
    assert!(s.complex_types[&q("Text")].fields.is_empty());
    assert_eq!(s.simple_types[&q("Many")].base, Builtin::String);
    assert_eq!(
        s.complex_types[&q("Dur")].fields[0].ty,
        TypeRef::Builtin(Builtin::String)
    );
    let expect = [
        ("<xsd:choice>", "<xsd:choice> in complexType \"Bar\""),
        (
            "<xsd:attribute",
            "<xsd:attribute> \"lang\" in complexType \"Bar\"",
        ),
        (
            "<xsd:simpleContent>",
            "<xsd:simpleContent> in complexType \"Text\"",
        ),
        ("<xsd:list", "<xsd:list>"),
        ("<xsd:group", "<xsd:group> \"G\" at schema level"),
        ("<xsd:import", "other.xsd"),
        (r#"<xsd:element name="d""#, "\"duration\""),
    ];
    assert_eq!(s.warnings.len(), expect.len(), "{:#?}", s.warnings);
    for (needle, text_part) in expect {
        let (line, column) = position_of(&text, needle);
        assert!(
            s.warnings
                .iter()
                .any(|w| w.line == line && w.column == column && w.message.contains(text_part)),
            "no warning at {line}:{column} containing {text_part:?}: {:#?}",
            s.warnings
        );
    }
    assert!(s.warnings[0].to_string().starts_with("t.wsdl:"));
}

#[test]
fn anonymous_type_names() {
    let text = wsdl(
        r#"<xsd:complexType name="Foo"><xsd:sequence/></xsd:complexType>
<xsd:complexType name="FooElement"><xsd:sequence/></xsd:complexType>
<xsd:complexType name="Bar_x"><xsd:sequence/></xsd:complexType>
<xsd:element name="Foo">
  <xsd:complexType><xsd:sequence>
    <xsd:element name="inner"><xsd:complexType><xsd:sequence><xsd:element name="deep"><xsd:complexType/></xsd:element></xsd:sequence></xsd:complexType></xsd:element>
  </xsd:sequence></xsd:complexType>
</xsd:element>
<xsd:element name="Baz"><xsd:complexType/></xsd:element>
<xsd:complexType name="Bar">
  <xsd:sequence>
    <xsd:element name="x"><xsd:complexType><xsd:sequence><xsd:element name="n" type="xsd:int"/></xsd:sequence></xsd:complexType></xsd:element>
    <xsd:element name="color" minOccurs="0"><xsd:simpleType><xsd:restriction base="xsd:string"><xsd:enumeration value="red"/><xsd:enumeration value="blue"/></xsd:restriction></xsd:simpleType></xsd:element>
    <xsd:element name="untyped"/>
  </xsd:sequence>
</xsd:complexType>"#,
        "",
    );
    let s = ok(&text);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // Global element `Foo` collides with types `Foo` and `FooElement`.
    assert_eq!(s.elements[&q("Foo")].ty, TypeRef::Complex(q("FooElement2")));
    let foo = &s.complex_types[&q("FooElement2")];
    assert_eq!(foo.origin, TypeOrigin::Element(q("Foo")));
    assert_eq!(foo.fields[0].ty, TypeRef::Complex(q("FooElement2_inner")));
    let inner = &s.complex_types[&q("FooElement2_inner")];
    assert_eq!(
        inner.origin,
        TypeOrigin::Local {
            parent: q("FooElement2"),
            field: "inner".into()
        }
    );
    assert_eq!(
        inner.fields[0].ty,
        TypeRef::Complex(q("FooElement2_inner_deep"))
    );
    // An empty `<complexType/>` is a type without fields.
    assert!(s.complex_types[&q("Baz")].fields.is_empty());
    // Local `Bar/x` collides with the named type `Bar_x`.
    let bar = &s.complex_types[&q("Bar")];
    assert_eq!(bar.fields[0].ty, TypeRef::Complex(q("Bar_x2")));
    assert_eq!(
        s.complex_types[&q("Bar_x2")].origin,
        TypeOrigin::Local {
            parent: q("Bar"),
            field: "x".into()
        }
    );
    assert_eq!(bar.fields[1].ty, TypeRef::Simple(q("Bar_color")));
    let color = &s.simple_types[&q("Bar_color")];
    let values: Vec<&str> = color.enumeration.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["red", "blue"]);
    assert_eq!(bar.fields[2].ty, TypeRef::Builtin(Builtin::AnyType));
    // Same input, same names.
    let again = ok(&text);
    let names: Vec<&QName> = s.complex_types.keys().collect();
    let names_again: Vec<&QName> = again.complex_types.keys().collect();
    assert_eq!(names, names_again);
}

#[test]
fn namespaces_resolve_by_uri() {
    // Unprefixed XSD with a default namespace (as in the partner WSDL), an unqualified
    // schema, another prefix for the same URI, and `form="qualified"`.
    let text = r###"<definitions targetNamespace="urn:t" xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:a="urn:a">
<types>
  <schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:a" xmlns:b="urn:b">
    <complexType name="A">
      <annotation><documentation>
        Type A.
      </documentation></annotation>
      <sequence>
        <element name="s" type="string"/>
        <element name="q" type="string" form="qualified"/>
        <element name="b" type="b:B" maxOccurs="3"/>
        <any namespace="##other ##targetNamespace" maxOccurs="2"/>
      </sequence>
    </complexType>
  </schema>
  <x:schema xmlns:x="http://www.w3.org/2001/XMLSchema" xmlns:other="urn:a" targetNamespace="urn:b" elementFormDefault="qualified">
    <x:complexType name="B">
      <x:complexContent><x:extension base="other:A"><x:sequence>
        <x:element name="n" type="x:long" nillable="1"/>
        <x:element name="d" type="x:dateTime"/>
      </x:sequence></x:extension></x:complexContent>
    </x:complexType>
    <x:simpleType name="Code"><x:restriction base="other:Level"><x:maxLength value="3"/></x:restriction></x:simpleType>
  </x:schema>
  <schema xmlns="http://www.w3.org/2001/XMLSchema" xmlns:b="urn:b" targetNamespace="urn:a">
    <simpleType name="Level"><restriction base="b:Number"/></simpleType>
  </schema>
  <schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:b">
    <simpleType name="Number"><restriction base="unsignedInt"><enumeration value="1"><annotation><documentation>One</documentation></annotation></enumeration></restriction></simpleType>
  </schema>
</types>
</definitions>"###;
    let s = ok(text);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    let a = &s.complex_types[&QName::new("urn:a", "A")];
    assert_eq!(a.documentation.as_deref(), Some("Type A."));
    assert_eq!(a.fields[0].namespace, "");
    assert_eq!(a.fields[0].ty, TypeRef::Builtin(Builtin::String));
    assert_eq!(a.fields[1].namespace, "urn:a");
    assert_eq!(a.fields[2].ty, TypeRef::Complex(QName::new("urn:b", "B")));
    assert_eq!(a.fields[2].max_occurs, MaxOccurs::Bounded(3));
    let any = a.any.as_ref().expect("any");
    assert_eq!(any.namespace, "##other urn:a");
    assert_eq!(any.max_occurs, MaxOccurs::Bounded(2));
    let b = &s.complex_types[&QName::new("urn:b", "B")];
    assert_eq!(b.base, Some(QName::new("urn:a", "A")));
    assert_eq!(b.fields[0].namespace, "urn:b");
    assert_eq!(b.fields[0].ty, TypeRef::Builtin(Builtin::Long));
    assert!(b.fields[0].nillable);
    assert_eq!(b.fields[1].ty, TypeRef::Builtin(Builtin::DateTime));
    // Restriction chains across schemas reach the built-in; enumeration is inherited.
    let code = &s.simple_types[&QName::new("urn:b", "Code")];
    assert_eq!(code.base, Builtin::Long);
    assert_eq!(code.enumeration[0].value, "1");
    assert_eq!(code.enumeration[0].documentation.as_deref(), Some("One"));
    assert_eq!(
        s.simple_types[&QName::new("urn:a", "Level")].base,
        Builtin::Long
    );
    assert!(s.operations.is_empty());
    assert!(s.api_version.is_none());
}

#[test]
fn element_ref() {
    let s = ok(&wsdl(
        r#"<xsd:element name="Note" type="xsd:string" nillable="true"/>
<xsd:complexType name="Bar"><xsd:sequence><xsd:element ref="tns:Note" minOccurs="0" maxOccurs="unbounded"/></xsd:sequence></xsd:complexType>"#,
        "",
    ));
    let f = &s.complex_types[&q("Bar")].fields[0];
    assert_eq!((f.name.as_str(), f.namespace.as_str()), ("Note", T));
    assert_eq!(f.ty, TypeRef::Builtin(Builtin::String));
    assert!(f.nillable);
    assert_eq!((f.min_occurs, f.max_occurs), (0, MaxOccurs::Unbounded));
}

#[test]
fn binding_chosen_by_service_port() {
    let rest = PING.replace(
        "<service name=\"Svc\">",
        r#"<binding name="Other" type="tns:Port">
  <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
  <operation name="ping"><soap:operation soapAction="urn:other"/><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
</binding>
<service name="Svc">"#,
    );
    let s = ok(&wsdl(PING_ELEMENTS, &rest));
    assert_eq!(s.operations[0].soap_action, "urn:ping");
    let rest = rest.replace(r#"binding="tns:Binding""#, r#"binding="tns:Other""#);
    let s = ok(&wsdl(PING_ELEMENTS, &rest));
    assert_eq!(s.operations[0].soap_action, "urn:other");
    assert!(s.operations[0].input_headers.is_empty());
    assert!(s.headers.is_empty());
}

#[test]
fn parse_file_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.wsdl");
    assert!(matches!(
        super::parse_file(&missing),
        Err(Error::Io { path, .. }) if path == missing
    ));
    let file = dir.path().join("ok.wsdl");
    std::fs::write(&file, wsdl(PING_ELEMENTS, PING)).expect("write");
    let s = super::parse_file(&file).expect("parses");
    assert_eq!(s.operations.len(), 1);
    std::fs::write(&file, "<definitions xmlns=\"urn:x\"/>").expect("write");
    match super::parse_file(&file) {
        Err(Error::Invalid { file: name, .. }) => assert_eq!(name, file.display().to_string()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn never_panics_on_truncated_or_damaged_input() {
    let text = include_str!("../../../fixtures/wsdl/apex-v66.0.wsdl");
    let mut ends: Vec<usize> = (0..text.len()).step_by(61).collect();
    ends.push(text.len());
    for end in ends {
        if text.is_char_boundary(end) {
            let _ = parse_str(&text[..end], "cut.wsdl");
        }
    }
    // Replace attribute values throughout the document with bad ones (still well-formed).
    for needle in [
        r#"name=""#,
        r#"type=""#,
        r#"base=""#,
        r#"message=""#,
        r#"part=""#,
        r#"minOccurs=""#,
        r#"maxOccurs=""#,
        r#"location=""#,
    ] {
        for (at, _) in text.match_indices(needle).step_by(5) {
            let value_start = at + needle.len();
            let Some(len) = text[value_start..].find('"') else {
                continue;
            };
            for bad in ["", "tns:Nope", "::", "x:", ":y", "-1", "1e9"] {
                let damaged = format!(
                    "{}{bad}{}",
                    &text[..value_start],
                    &text[value_start + len..]
                );
                let _ = parse_str(&damaged, "damaged.wsdl");
            }
        }
    }
    let s = parse_str(text, "apex.wsdl").expect("the intact fixture parses");
    assert_eq!(s.operations.len(), 6);
}

#[test]
fn operations_the_model_cannot_hold_are_warnings() {
    // An operation missing from the binding, a notification operation, an rpc-style part.
    let rest = PING.replace(
        "</portType>",
        r#"<operation name="extra"><input message="tns:pingRequest"/></operation>
<operation name="notify"><output message="tns:pingResponse"/></operation>
</portType>
<message name="rpc"><part name="x" type="xsd:string"/></message>"#,
    );
    let text = wsdl(PING_ELEMENTS, &rest);
    let s = ok(&text);
    let names: Vec<&str> = s.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["ping", "extra"]);
    let extra = &s.operations[1];
    assert_eq!(extra.soap_action, "");
    assert!(extra.output.is_none() && extra.input_headers.is_empty());
    assert_eq!(s.warnings.len(), 4, "{:#?}", s.warnings);
    assert!(s.warnings[0].message.contains("rpc style"));
    assert!(s.warnings[1]
        .message
        .contains(r#"operation "extra" is not in the binding"#));
    assert!(s.warnings[2]
        .message
        .contains(r#"operation "notify" is not in the binding"#));
    assert!(s.warnings[3].message.contains("has no <input>"));

    // No binding and no service at all: operations still come from the portType.
    let port_type_only = wsdl(
        PING_ELEMENTS,
        &PING[..PING.find("<binding").unwrap_or(PING.len())],
    );
    let s = ok(&port_type_only);
    assert_eq!(s.operations.len(), 1);
    assert_eq!(s.operations[0].input, q("ping"));
    assert!(s.headers.is_empty() && s.address.is_none() && s.name.is_empty());
    assert_eq!(s.warnings.len(), 1, "{:#?}", s.warnings);
}

#[test]
fn qname_enumeration_values_are_resolved() {
    // Salesforce's `FaultCode`: `xsd:QName` values written with a prefix of the schema.
    let text = wsdl(
        r#"<xsd:simpleType name="FaultCode" xmlns:f="urn:fault"><xsd:restriction base="xsd:QName"><xsd:enumeration value="f:INVALID_FIELD"/><xsd:enumeration value="tns:LOCAL"/></xsd:restriction></xsd:simpleType>
<xsd:simpleType name="Plain"><xsd:restriction base="xsd:string"><xsd:enumeration value="f:x"/></xsd:restriction></xsd:simpleType>"#,
        "",
    );
    let s = ok(&text);
    let code = &s.simple_types[&q("FaultCode")];
    assert_eq!(code.enumeration[0].value, "INVALID_FIELD");
    assert_eq!(code.enumeration[0].namespace.as_deref(), Some("urn:fault"));
    assert_eq!(code.enumeration[1].value, "LOCAL");
    assert_eq!(code.enumeration[1].namespace.as_deref(), Some(T));
    // A string enumeration keeps its text as written.
    let plain = &s.simple_types[&q("Plain")];
    assert_eq!(plain.enumeration[0].value, "f:x");
    assert_eq!(plain.enumeration[0].namespace, None);
    // A prefix the schema does not declare is an error at the value.
    let bad = wsdl(
        r#"<xsd:simpleType name="Bad"><xsd:restriction base="xsd:QName"><xsd:enumeration value="nope:X"/></xsd:restriction></xsd:simpleType>"#,
        "",
    );
    let (_, _, message) = invalid(&bad);
    assert!(message.contains("prefix \"nope\""), "{message}");
}
