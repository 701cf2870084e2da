//! `xsd:QName` enumerations (the partner `FaultCode`) are read by namespace URI, whatever
//! prefix the document binds, never by matching the prefixed text.

use sforce::partner::FaultCode;
use sforce::xml::{FromXml, ToXml, XmlReader, XmlWriter};

const FAULT_NS: &str = "urn:fault.partner.soap.sforce.com";

fn read(xml: &str) -> FaultCode {
    let mut reader = XmlReader::new(xml.as_bytes());
    let root = reader.root().unwrap();
    // The value's element is the root's first child, so that a prefix can be declared on
    // an ancestor as well as on the element itself.
    let child = reader.next_child(&root).unwrap().unwrap();
    FaultCode::read_xml(&mut reader, &child).unwrap()
}

#[test]
fn any_prefix_bound_to_the_fault_namespace() {
    for xml in [
        format!(r#"<r xmlns:sf="{FAULT_NS}"><c>sf:INVALID_FIELD</c></r>"#),
        format!(r#"<r><c xmlns:x="{FAULT_NS}"> x:INVALID_FIELD </c></r>"#),
        format!(r#"<r xmlns="{FAULT_NS}"><c>INVALID_FIELD</c></r>"#),
    ] {
        assert_eq!(read(&xml), FaultCode::InvalidField, "{xml}");
    }
}

#[test]
fn the_usual_prefix_in_another_namespace_is_not_a_fault_code() {
    let xml = r#"<r xmlns:fns="urn:somewhere.else"><c>fns:INVALID_FIELD</c></r>"#;
    assert_eq!(read(xml), FaultCode::Other("fns:INVALID_FIELD".to_owned()));
    // An undeclared prefix resolves to nothing.
    assert_eq!(
        read("<r><c>sf:INVALID_FIELD</c></r>"),
        FaultCode::Other("sf:INVALID_FIELD".to_owned())
    );
    // An unknown name in the right namespace is kept as its local name.
    let xml = format!(r#"<r xmlns:sf="{FAULT_NS}"><c>sf:BRAND_NEW</c></r>"#);
    assert_eq!(read(&xml), FaultCode::Other("BRAND_NEW".to_owned()));
}

#[test]
fn written_with_its_own_declaration_and_read_back() {
    let mut writer = XmlWriter::new();
    writer.open("r");
    FaultCode::InvalidField.write_xml(&mut writer, "c");
    writer.close("r");
    let xml = writer.into_string();
    assert_eq!(
        xml,
        format!(r#"<r><c xmlns:fns="{FAULT_NS}">fns:INVALID_FIELD</c></r>"#)
    );
    assert_eq!(read(&xml), FaultCode::InvalidField);
    assert_eq!(FaultCode::InvalidField.as_str(), "INVALID_FIELD");
    assert_eq!(FaultCode::NAMESPACE, FAULT_NS);
    assert_eq!(FaultCode::from("INVALID_FIELD"), FaultCode::InvalidField);
}
