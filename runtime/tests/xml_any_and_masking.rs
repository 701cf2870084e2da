//! `AnyValue` (xsd:anyType), `AnyElement` (xsd:any) and `trace::mask_secrets`.

use sforce::trace::{mask_secrets, MASK};
use sforce::xml::{FromXml, ToXml, XmlReader, XmlWriter};
use sforce::{AnyElement, AnyValue};

/// Reads the children of the document's root element as `T`s.
fn children<T: FromXml>(xml: &str) -> Vec<T> {
    let mut r = XmlReader::new(xml.as_bytes());
    let root = r.root().unwrap();
    let mut out = Vec::new();
    while let Some(child) = r.next_child(&root).unwrap() {
        out.push(T::read_xml(&mut r, &child).unwrap());
    }
    out
}

#[test]
fn any_values_keep_type_and_text() {
    let xml = r#"<field xmlns="urn:partner.soap.sforce.com" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
        <defaultValue xsi:type="xsd:boolean">true</defaultValue>
        <defaultValue xsi:type="xsd:int">-7</defaultValue>
        <defaultValue xsi:type="xsd:string">a &amp; b</defaultValue>
        <defaultValue xsi:type="xsd:double">5.0E7</defaultValue>
        <defaultValue xsi:type="xsd:date">2024-02-29</defaultValue>
        <defaultValue>untyped</defaultValue>
    </field>"#;
    let values: Vec<AnyValue> = children(xml);
    assert_eq!(values.len(), 6);
    assert_eq!(values[0].type_name(), "boolean");
    assert_eq!(values[0].as_bool(), Some(true));
    assert_eq!(values[1].as_int(), Some(-7));
    assert_eq!(values[1].as_long(), Some(-7));
    assert_eq!(values[1].as_bool(), None);
    assert_eq!(values[2], AnyValue::string("a & b"));
    assert_eq!(values[3].as_double(), Some(5.0e7));
    assert_eq!(values[3].as_decimal(), Some(50_000_000.into()));
    assert_eq!(
        values[4].as_date(),
        chrono::NaiveDate::from_ymd_opt(2024, 2, 29)
    );
    assert_eq!(values[5].xsi_type, None);
    assert_eq!(values[5].as_str(), "untyped");
}

#[test]
fn any_values_write_their_type_with_its_namespace() {
    let mut w = XmlWriter::new();
    AnyValue::new("int", "5").write_xml(&mut w, "p:value");
    AnyValue {
        xsi_type: None,
        text: "<x>".into(),
    }
    .write_xml(&mut w, "p:value");
    assert_eq!(
        w.as_str(),
        "<p:value xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xsi:type=\"xsd:int\">5</p:value>\
         <p:value>&lt;x&gt;</p:value>"
    );
    // And it reads back the same.
    let doc = format!(
        "<r xmlns:p=\"urn:p\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">{}</r>",
        w.as_str()
    );
    let back: Vec<AnyValue> = children(&doc);
    assert_eq!(
        back,
        [
            AnyValue::new("int", "5"),
            AnyValue {
                xsi_type: None,
                text: "<x>".into()
            }
        ]
    );
}

#[test]
fn any_elements_round_trip() {
    let xml = r#"<r xmlns:sf="urn:sobject.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sf:Name>Acme &amp; Co</sf:Name><sf:Fax xsi:nil="true"/><plain>1</plain></r>"#;
    let elements: Vec<AnyElement> = children(xml);
    assert_eq!(
        elements,
        [
            AnyElement::new("sf:Name", "Acme & Co"),
            AnyElement {
                name: "sf:Fax".into(),
                text: String::new(),
                nil: true
            },
            AnyElement::new("plain", "1"),
        ]
    );
    assert_eq!(elements[0].local_name(), "Name");
    assert_eq!(elements[2].local_name(), "plain");
    let mut w = XmlWriter::new();
    for e in &elements {
        e.write_xml(&mut w, "ignored");
    }
    AnyElement::default().write_xml(&mut w, "p:fallback");
    AnyElement::new("sf:X><evil", "v").write_xml(&mut w, "ignored");
    assert_eq!(
        w.as_str(),
        "<sf:Name>Acme &amp; Co</sf:Name><sf:Fax xsi:nil=\"true\"/><plain>1</plain><p:fallback></p:fallback>\
         <sf:X__evil>v</sf:X__evil>"
    );
}

#[test]
fn masks_the_session_id_of_a_real_login_response() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/soap/soapforce-login_response.xml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let secret = "00DA0000000YpZ4!ARAAQEH.613sgjdpLDPsev9EBTxM0PMhEzbaCE505DYFCSm8tBkdDBl.NFsmPEISjp7Ccd.t9BTTFa1DRmtbxkikZPI8FqDj";
    assert!(text.contains(secret));
    let masked = mask_secrets(&text);
    assert!(!masked.contains(secret));
    assert!(masked.contains(&format!("<sessionId>{MASK}</sessionId>")));
    // Nothing else changed.
    assert_eq!(masked.len(), text.len() - secret.len() + MASK.len());
    assert!(masked.contains("<userName>john.doe@email.com</userName>"));
}

#[test]
fn masks_request_passwords_and_headers() {
    let request = "<?xml version=\"1.0\"?><soapenv:Envelope xmlns:soapenv=\"s\" xmlns:p=\"urn:partner.soap.sforce.com\">\
        <soapenv:Header><p:SessionHeader><p:sessionId>00D!abc</p:sessionId></p:SessionHeader></soapenv:Header>\
        <soapenv:Body><p:login><p:username>u@x.com</p:username><p:password>hunter2TOKEN</p:password></p:login>\
        <p:changeOwnPassword><p:oldPassword>old</p:oldPassword><p:newPassword>new&amp;pw</p:newPassword></p:changeOwnPassword>\
        </soapenv:Body></soapenv:Envelope>";
    let masked = mask_secrets(request);
    for secret in ["00D!abc", "hunter2TOKEN", ">old<", "new&amp;pw"] {
        assert!(!masked.contains(secret), "{secret} in {masked}");
    }
    assert!(masked.contains("<p:username>u@x.com</p:username>"));
    assert_eq!(masked.matches(MASK).count(), 4);
}
