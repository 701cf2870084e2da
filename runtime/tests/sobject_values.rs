//! The dynamic `SObject`: nested and compound values, typed getters and their errors,
//! writing (schema order, fieldsToNull, external-id references) and reading back.

use sforce::envelope::{read_response, write_request, NoHeaders, ServiceInfo};
use sforce::xml::{Element, FromXml, ToXml, XmlReader, XmlWriter};
use sforce::{Date, Decimal, Error, FaultDetail, FieldValue, SObject, Time};

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

/// Any wrapper whose `records`/`sObjects` children (or `result` typed `sObject`) are
/// sObjects, directly or inside a `result`.
#[derive(Debug, Default)]
struct Records(Vec<SObject>);

impl FromXml for Records {
    fn read_xml(r: &mut XmlReader<'_>, el: &Element<'_>) -> Result<Self, Error> {
        let mut out = Vec::new();
        while let Some(c) = r.next_child(el)? {
            match c.local_name() {
                b"records" | b"sObjects" => out.push(SObject::read_xml(r, &c)?),
                b"result" if c.xsi_type_is(b"sObject") => out.push(SObject::read_xml(r, &c)?),
                b"result" => out.extend(Records::read_xml(r, &c)?.0),
                _ => r.skip(&c)?,
            }
        }
        Ok(Records(out))
    }
}

/// Parses one record (the inside of `<records xsi:type="sf:sObject">`) from a query
/// response envelope shaped like the server's.
fn record(inner: &str) -> SObject {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:sf="urn:sobject.partner.soap.sforce.com"><soapenv:Body><queryResponse><result xsi:type="QueryResult"><done>true</done><queryLocator xsi:nil="true"/><records xsi:type="sf:sObject">{inner}</records><size>1</size></result></queryResponse></soapenv:Body></soapenv:Envelope>"#
    );
    let mut records = read_response::<Records, NoHeaders>(&SERVICE, xml.as_bytes())
        .unwrap_or_else(|e| panic!("{e}\n{xml}"))
        .body
        .0;
    assert_eq!(records.len(), 1);
    records.remove(0)
}

fn field_error(result: Result<impl std::fmt::Debug, Error>) -> (String, String) {
    match result {
        Err(Error::Field { field, message }) => (field, message),
        other => panic!("expected Error::Field, got {other:?}"),
    }
}

#[test]
fn nested_owner_and_paths() {
    let acc = record(
        r#"<sf:type>Account</sf:type><sf:Id>001A000001abcdeIAA</sf:Id><sf:Id>001A000001abcdeIAA</sf:Id>
        <sf:Name>Acme</sf:Name>
        <sf:Owner xsi:type="sf:sObject"><sf:type>User</sf:type><sf:Id xsi:nil="true"/><sf:Name>Jane Roe</sf:Name>
            <sf:Manager xsi:type="sf:sObject"><sf:type>User</sf:type><sf:Id xsi:nil="true"/><sf:Name>Boss</sf:Name></sf:Manager>
        </sf:Owner>
        <sf:Parent xsi:nil="true"/>"#,
    );
    let owner = acc.get_sobject("Owner").unwrap().expect("owner");
    assert_eq!(owner.r#type, "User");
    assert_eq!(owner.id, None);
    assert_eq!(owner.get_str("Name").unwrap(), Some("Jane Roe"));
    assert_eq!(acc.get_str("Owner.Name").unwrap(), Some("Jane Roe"));
    assert_eq!(acc.get_str("owner.manager.name").unwrap(), Some("Boss"));
    // A null parent makes everything below it null.
    assert_eq!(acc.get_sobject("Parent").unwrap(), None);
    assert_eq!(acc.get("Parent.Name"), Some(&FieldValue::Null));
    assert_eq!(acc.get_str("Parent.Name").unwrap(), None);
    // Not selected.
    assert_eq!(acc.get("Owner.Email"), None);
    assert!(acc.get_str("Owner.Email").is_err());
    // Wrong shapes name the field.
    let (field, message) = field_error(acc.get_str("Owner"));
    assert_eq!(field, "Owner");
    assert!(message.contains("nested User sObject"), "{message}");
    let (field, message) = field_error(acc.get_sobject("Name"));
    assert_eq!(field, "Name");
    assert!(message.contains("`Acme`"), "{message}");
    let (field, message) = field_error(acc.get_str("Name.Foo"));
    assert_eq!(field, "Name.Foo");
    assert!(message.contains("not a nested sObject"), "{message}");
}

#[test]
fn child_query_with_records_and_empty_child() {
    let acc = record(
        r#"<sf:type>Account</sf:type><sf:Id>001A000001abcdeIAA</sf:Id><sf:Id>001A000001abcdeIAA</sf:Id>
        <sf:Name>Acme</sf:Name>
        <sf:Contacts xsi:type="QueryResult"><done>true</done><queryLocator xsi:nil="true"/>
            <records xsi:type="sf:sObject"><sf:type>Contact</sf:type><sf:Id>003A000001aaaaaIAA</sf:Id><sf:LastName>One</sf:LastName></records>
            <records xsi:type="sf:sObject"><sf:type>Contact</sf:type><sf:Id>003A000001bbbbbIAA</sf:Id><sf:LastName>Two</sf:LastName></records>
            <size>2</size></sf:Contacts>
        <sf:Tasks xsi:nil="true"/>
        <sf:Cases xsi:type="QueryResult"><done>false</done><queryLocator>01gD0000002HU6KIAW-500</queryLocator><size>900</size></sf:Cases>"#,
    );
    let contacts = acc.get_query("Contacts").unwrap().expect("contacts");
    assert!(contacts.done);
    assert_eq!(contacts.size, 2);
    assert_eq!(contacts.query_locator, None);
    let names: Vec<_> = contacts
        .records
        .iter()
        .map(|c| c.get_str("LastName").unwrap().unwrap())
        .collect();
    assert_eq!(names, ["One", "Two"]);
    assert_eq!(
        contacts.records[1].id.as_deref(),
        Some("003A000001bbbbbIAA")
    );

    assert_eq!(acc.get_query("Tasks").unwrap(), None);
    assert!(acc.is_null("Tasks"));

    let cases = acc.get_query("Cases").unwrap().unwrap();
    assert!(!cases.done);
    assert_eq!(
        cases.query_locator.as_deref(),
        Some("01gD0000002HU6KIAW-500")
    );
    assert_eq!(cases.size, 900);
    assert!(cases.records.is_empty());

    let (field, message) = field_error(acc.get_query("Name"));
    assert_eq!(field, "Name");
    assert!(message.contains("not a child query result"), "{message}");
}

#[test]
fn address_and_location_compounds() {
    let acc = record(
        r#"<sf:type>Account</sf:type><sf:Id xsi:nil="true"/>
        <sf:BillingAddress xsi:type="address"><city>San Francisco</city><country>United States</country><countryCode>US</countryCode><geocodeAccuracy xsi:nil="true"/><latitude>37.7897</latitude><longitude>-122.3972</longitude><postalCode>94105</postalCode><state>California</state><stateCode>CA</stateCode><street>415 Mission Street&#10;Floor 3</street></sf:BillingAddress>
        <sf:ShippingAddress xsi:nil="true"/>
        <sf:Where__c xsi:type="location"><latitude>1.5E1</latitude><longitude xsi:nil="true"/></sf:Where__c>"#,
    );
    assert_eq!(acc.id, None);
    let a = acc.get_address("BillingAddress").unwrap().expect("address");
    assert_eq!(a.city.as_deref(), Some("San Francisco"));
    assert_eq!(a.country.as_deref(), Some("United States"));
    assert_eq!(a.country_code.as_deref(), Some("US"));
    assert_eq!(a.geocode_accuracy, None);
    assert_eq!(a.latitude, Some(37.7897));
    assert_eq!(a.longitude, Some(-122.3972));
    assert_eq!(a.postal_code.as_deref(), Some("94105"));
    assert_eq!(a.state.as_deref(), Some("California"));
    assert_eq!(a.state_code.as_deref(), Some("CA"));
    assert_eq!(a.street.as_deref(), Some("415 Mission Street\nFloor 3"));
    assert_eq!(acc.get_address("ShippingAddress").unwrap(), None);
    assert_eq!(
        acc.get_location("BillingAddress")
            .unwrap()
            .unwrap()
            .latitude,
        Some(37.7897)
    );
    let loc = acc.get_location("where__c").unwrap().unwrap();
    assert_eq!(loc.latitude, Some(15.0));
    assert_eq!(loc.longitude, None);
    let (field, message) = field_error(acc.get_str("BillingAddress"));
    assert_eq!(field, "BillingAddress");
    assert!(message.contains("an address"), "{message}");
}

#[test]
fn typed_getters() {
    let opp = record(
        r#"<sf:type>Opportunity</sf:type><sf:Id>006A000000LZhwNIAT</sf:Id>
        <sf:Amount>5.0E7</sf:Amount>
        <sf:Probability>12.5</sf:Probability>
        <sf:TotalOpportunityQuantity>3.0</sf:TotalOpportunityQuantity>
        <sf:IsWon>false</sf:IsWon>
        <sf:CloseDate>2024-02-29</sf:CloseDate>
        <sf:CreatedDate>2013-05-22T17:07:44.000Z</sf:CreatedDate>
        <sf:Start__c>13:05:00.000Z</sf:Start__c>
        <sf:Body>aGVsbG8=</sf:Body>
        <sf:Colors__c>Red;Green;Blue</sf:Colors__c>
        <sf:Empty__c></sf:Empty__c>
        <sf:Id>006A000000LZhwNIAT</sf:Id>"#,
    );
    // The second Id after the fields is not a field either.
    assert_eq!(opp.len(), 10);
    assert!(!opp.contains("Id"));
    assert_eq!(opp.get_double("Amount").unwrap(), Some(5.0e7));
    assert_eq!(
        opp.get_decimal("Amount").unwrap(),
        Some(Decimal::from(50_000_000))
    );
    assert_eq!(opp.get_long("Amount").unwrap(), Some(50_000_000));
    assert_eq!(opp.get_int("Amount").unwrap(), Some(50_000_000));
    assert_eq!(
        opp.get_decimal("Probability").unwrap(),
        Some("12.5".parse().unwrap())
    );
    assert_eq!(opp.get_int("TotalOpportunityQuantity").unwrap(), Some(3));
    assert_eq!(opp.get_bool("IsWon").unwrap(), Some(false));
    assert_eq!(
        opp.get_date("CloseDate").unwrap(),
        Date::from_ymd_opt(2024, 2, 29)
    );
    assert_eq!(
        opp.get_datetime("CreatedDate")
            .unwrap()
            .unwrap()
            .to_rfc3339(),
        "2013-05-22T17:07:44+00:00"
    );
    assert_eq!(
        opp.get_time("Start__c").unwrap(),
        Time::from_hms_opt(13, 5, 0)
    );
    assert_eq!(opp.get_base64("Body").unwrap(), Some(b"hello".to_vec()));
    assert_eq!(
        opp.get_array("Colors__c").unwrap(),
        Some(vec![
            "Red".to_owned(),
            "Green".to_owned(),
            "Blue".to_owned()
        ])
    );
    assert_eq!(opp.get_array("Empty__c").unwrap(), Some(vec![]));
    assert_eq!(opp.get_str("Empty__c").unwrap(), Some(""));
}

#[test]
fn typed_getter_errors_name_field_and_value() {
    let opp = record(
        r#"<sf:type>Opportunity</sf:type><sf:Id>006A000000LZhwNIAT</sf:Id>
        <sf:NumberOfEmployees>many</sf:NumberOfEmployees>
        <sf:Probability>12.5</sf:Probability>
        <sf:IsWon>yes</sf:IsWon>
        <sf:CloseDate>2023-02-29</sf:CloseDate>
        <sf:Body>not base64!</sf:Body>"#,
    );
    let cases: Vec<(Result<(), Error>, &str, &str)> = vec![
        (
            opp.get_int("NumberOfEmployees").map(drop),
            "NumberOfEmployees",
            "`many` is not a valid int",
        ),
        (
            opp.get_int("Probability").map(drop),
            "Probability",
            "`12.5` is not a valid int",
        ),
        (
            opp.get_long("NumberOfEmployees").map(drop),
            "NumberOfEmployees",
            "`many` is not a valid long",
        ),
        (
            opp.get_double("NumberOfEmployees").map(drop),
            "NumberOfEmployees",
            "`many` is not a valid double",
        ),
        (
            opp.get_decimal("NumberOfEmployees").map(drop),
            "NumberOfEmployees",
            "`many` is not a valid decimal",
        ),
        (
            opp.get_bool("IsWon").map(drop),
            "IsWon",
            "`yes` is not a valid boolean",
        ),
        (
            opp.get_date("CloseDate").map(drop),
            "CloseDate",
            "`2023-02-29` is not a valid date",
        ),
        (
            opp.get_datetime("CloseDate").map(drop),
            "CloseDate",
            "`2023-02-29` is not a valid dateTime",
        ),
        (
            opp.get_time("CloseDate").map(drop),
            "CloseDate",
            "`2023-02-29` is not a valid time",
        ),
        (
            opp.get_base64("Body").map(drop),
            "Body",
            "`not base64!` is not a valid base64Binary",
        ),
        (
            opp.get_int("Missing__c").map(drop),
            "Missing__c",
            "not in the result (not requested)",
        ),
    ];
    for (result, want_field, want_message) in cases {
        let (field, message) = field_error(result);
        assert_eq!(field, want_field);
        assert_eq!(message, want_message);
    }
    let shown = opp.get_int("NumberOfEmployees").unwrap_err().to_string();
    assert_eq!(
        shown,
        "field `NumberOfEmployees`: `many` is not a valid int"
    );
}

#[test]
fn entities_case_insensitive_names_and_typed_any_values() {
    let rec = record(
        r#"<sf:type>AggregateResult</sf:type><sf:Id xsi:nil="true"/><sf:Id xsi:nil="true"/>
        <sf:Name>A &amp; B &lt;C&gt; &#233;t&#xE9; &quot;q&quot;</sf:Name>
        <sf:expr0 xmlns:xsd="http://www.w3.org/2001/XMLSchema" xsi:type="xsd:int">42</sf:expr0>
        <sf:MyField__C>x</sf:MyField__C>"#,
    );
    assert_eq!(rec.id, None);
    assert_eq!(rec.get_str("name").unwrap(), Some("A & B <C> été \"q\""));
    assert_eq!(rec.get_int("EXPR0").unwrap(), Some(42));
    match rec.get("expr0") {
        Some(FieldValue::Any(any)) => {
            assert_eq!(any.type_name(), "int");
            assert_eq!(any.as_int(), Some(42));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(rec.get_str("myfield__c").unwrap(), Some("x"));
    assert_eq!(
        rec.field_names().collect::<Vec<_>>(),
        ["Name", "expr0", "MyField__C"]
    );
}

#[test]
fn namespaces_are_resolved_by_uri_not_prefix() {
    // Another prefix for the sObject namespace, and `sf` bound elsewhere.
    let xml = r#"<?xml version="1.0"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:o="urn:sobject.partner.soap.sforce.com" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><env:Body><p:retrieveResponse xmlns:p="urn:partner.soap.sforce.com"><p:result i:type="o:sObject"><o:type>Lead</o:type><o:Id>00QA000000aaaaaMAA</o:Id><o:Company>Initech</o:Company><sf:type>not the type</sf:type></p:result></p:retrieveResponse></env:Body></env:Envelope>"#;
    let records = read_response::<Records, NoHeaders>(&SERVICE, xml.as_bytes())
        .unwrap()
        .body
        .0;
    let lead = &records[0];
    assert_eq!(lead.r#type, "Lead");
    assert_eq!(lead.id.as_deref(), Some("00QA000000aaaaaMAA"));
    assert_eq!(lead.get_str("Company").unwrap(), Some("Initech"));
    // `type` in another namespace is an ordinary (unknown) field, not the sObject type.
    assert_eq!(lead.get_str("type").unwrap(), Some("not the type"));
}

#[test]
fn building_and_setting() {
    let mut acc = SObject::new("Account");
    acc.set("Name", "Acme")
        .set("NumberOfEmployees", 250)
        .set("AnnualRevenue", 5.0e7)
        .set("IsPartner__c", true)
        .set("Big__c", 9_000_000_000i64)
        .set("Price__c", "19.99".parse::<Decimal>().unwrap())
        .set("Since__c", Date::from_ymd_opt(2024, 1, 31).unwrap())
        .set("Doc__c", b"hi".to_vec())
        .set("Phone", "555")
        .set("id", "001A000001abcdeIAA");
    assert_eq!(acc.id.as_deref(), Some("001A000001abcdeIAA"));
    assert!(!acc.contains("Id"));
    assert_eq!(acc.get_str("NumberOfEmployees").unwrap(), Some("250"));
    assert_eq!(acc.get_str("AnnualRevenue").unwrap(), Some("50000000"));
    assert_eq!(acc.get_str("IsPartner__c").unwrap(), Some("true"));
    assert_eq!(acc.get_long("Big__c").unwrap(), Some(9_000_000_000));
    assert_eq!(acc.get_str("Price__c").unwrap(), Some("19.99"));
    assert_eq!(acc.get_str("Since__c").unwrap(), Some("2024-01-31"));
    assert_eq!(acc.get_str("Doc__c").unwrap(), Some("aGk="));

    // Replacing keeps the first spelling and position; nulling lists the field.
    acc.set("NAME", "Acme Corp");
    assert_eq!(acc.field_names().next(), Some("Name"));
    assert_eq!(acc.get_str("name").unwrap(), Some("Acme Corp"));
    acc.set_null("phone");
    assert_eq!(acc.get("Phone"), Some(&FieldValue::Null));
    assert_eq!(acc.fields_to_null, ["phone"]);
    acc.set("Phone", None::<String>);
    assert_eq!(acc.fields_to_null, ["phone"], "no duplicates");
    acc.set("Phone", Some("556"));
    assert!(acc.fields_to_null.is_empty());
    assert_eq!(acc.get_str("Phone").unwrap(), Some("556"));
    assert_eq!(acc.remove("PHONE"), Some(FieldValue::Text("556".into())));
    assert!(!acc.contains("Phone"));

    let debug = format!("{acc:?}");
    assert!(debug.contains("\"Name\": Text(\"Acme Corp\")"), "{debug}");
    assert!(debug.contains("type: \"Account\""), "{debug}");
}

/// `create` request wrapper as the emitter will write it.
fn create_envelope(objects: &[SObject]) -> String {
    write_request(
        &SERVICE,
        Some("SESSION"),
        &|_w: &mut XmlWriter| {},
        &|w: &mut XmlWriter| {
            w.open("p:create");
            for o in objects {
                o.write_xml(w, "p:sObjects");
            }
            w.close("p:create");
        },
        1024,
    )
}

#[test]
fn writes_schema_order_fields_to_null_and_external_id_reference() {
    let contact = SObject::new("Contact")
        .with("LastName", "O'Neil & <Sons>")
        .with_null("Phone")
        .with(
            "Account",
            SObject::new("Account").with("External_Id__c", "A-1"),
        )
        .with("Email", "x@example.com");
    let mut w = XmlWriter::new();
    contact.write_xml(&mut w, "p:sObjects");
    assert_eq!(
        w.as_str(),
        "<p:sObjects><sf:type>Contact</sf:type><sf:fieldsToNull>Phone</sf:fieldsToNull>\
         <sf:LastName>O'Neil &amp; &lt;Sons&gt;</sf:LastName>\
         <sf:Account><sf:type>Account</sf:type><sf:External_Id__c>A-1</sf:External_Id__c></sf:Account>\
         <sf:Email>x@example.com</sf:Email></p:sObjects>"
    );

    // With an Id, it comes after fieldsToNull; a null field not listed still goes there.
    let mut update = SObject::new("Contact").with_id("003A000001aaaaaIAA");
    update.fields_to_null.push("Fax".into());
    update
        .set("Title", FieldValue::Null)
        .set("Title", FieldValue::Null);
    let mut w = XmlWriter::new();
    update.write_xml(&mut w, "p:sObjects");
    assert_eq!(
        w.as_str(),
        "<p:sObjects><sf:type>Contact</sf:type><sf:fieldsToNull>Fax</sf:fieldsToNull>\
         <sf:fieldsToNull>Title</sf:fieldsToNull><sf:Id>003A000001aaaaaIAA</sf:Id></p:sObjects>"
    );
}

#[test]
fn written_envelope_reads_back() {
    let mut account = SObject::new("Account");
    account
        .set("Name", "A & B <C> \"quoted\" \r\n tab\t")
        .set_null("Phone")
        .set_null("Fax")
        .set("Parent", SObject::new("Account").with("Ext__c", "P-9"))
        .set("Amount__c", 5.0e7);
    let contact = SObject::new("Contact")
        .with_id("003A000001aaaaaIAA")
        .with("LastName", "Smith");
    let envelope = create_envelope(&[account.clone(), contact.clone()]);
    assert!(
        envelope.contains("<p:create><p:sObjects><sf:type>Account</sf:type>"),
        "{envelope}"
    );
    assert!(!envelope.contains("<sf:Phone"), "{envelope}");

    // A request envelope parses like a response: the Body's first element is `create`.
    let back = read_response::<Records, NoHeaders>(&SERVICE, envelope.as_bytes())
        .unwrap()
        .body
        .0;
    assert_eq!(back.len(), 2);
    let a = &back[0];
    assert_eq!(a.r#type, "Account");
    assert_eq!(a.id, None);
    assert_eq!(a.fields_to_null, ["Phone", "Fax"]);
    assert!(a.is_null("Phone") && a.is_null("fax"));
    assert_eq!(
        a.get_str("Name").unwrap(),
        Some("A & B <C> \"quoted\" \r\n tab\t")
    );
    let parent = a.get_sobject("Parent").unwrap().unwrap();
    assert_eq!(parent.r#type, "Account");
    assert_eq!(parent.get_str("Ext__c").unwrap(), Some("P-9"));
    assert_eq!(a.get_double("Amount__c").unwrap(), Some(5.0e7));
    // Everything but the null fields (which travel as fieldsToNull) round-trips.
    let mut expected = account.clone();
    expected.remove("Phone");
    expected.remove("Fax");
    expected.fields_to_null = vec!["Phone".into(), "Fax".into()];
    assert_eq!(a, &expected);
    assert_eq!(&back[1], &contact);
}

#[test]
fn compound_and_child_values_round_trip() {
    let original = record(
        r#"<sf:type>Account</sf:type><sf:Id>001A000001abcdeIAA</sf:Id>
        <sf:BillingAddress xsi:type="address"><city>Paris</city><country xsi:nil="true"/><latitude>48.85</latitude><longitude>2.35</longitude></sf:BillingAddress>
        <sf:Where__c xsi:type="location"><latitude>1.0</latitude><longitude>2.0</longitude></sf:Where__c>
        <sf:Contacts xsi:type="QueryResult"><done>true</done><queryLocator xsi:nil="true"/><records xsi:type="sf:sObject"><sf:type>Contact</sf:type><sf:Id>003A000001aaaaaIAA</sf:Id><sf:LastName>One</sf:LastName></records><size>1</size></sf:Contacts>
        <sf:expr0 xmlns:xsd="http://www.w3.org/2001/XMLSchema" xsi:type="xsd:double">2.5</sf:expr0>
        <sf:Owner xsi:type="sf:sObject"><sf:type>User</sf:type><sf:Id xsi:nil="true"/><sf:Name>Jane</sf:Name></sf:Owner>"#,
    );
    let envelope = create_envelope(std::slice::from_ref(&original));
    let back = read_response::<Records, NoHeaders>(&SERVICE, envelope.as_bytes())
        .unwrap()
        .body
        .0;
    assert_eq!(back, [original], "{envelope}");
}

#[test]
fn hostile_field_names_cannot_inject_markup() {
    let mut obj = SObject::new("Account");
    obj.set("Name><sf:OwnerId>005", "x").set("", "y");
    let mut w = XmlWriter::new();
    obj.write_xml(&mut w, "p:sObjects");
    assert_eq!(
        w.as_str(),
        "<p:sObjects><sf:type>Account</sf:type><sf:Name__sf_OwnerId_005>x</sf:Name__sf_OwnerId_005>\
         <sf:_>y</sf:_></p:sObjects>"
    );
}
