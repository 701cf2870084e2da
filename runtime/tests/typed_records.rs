//! Typed records through the XML of real capture shapes (read with the generated
//! `partner::QueryResponse` / `RetrieveResponse`), and the rules of `to_sobject`.

mod typed_support;

use sforce::__private::{NoHeaders, ToXml, XmlWriter};
use sforce::envelope::read_response;
use sforce::{
    partner, Decimal, Error, Field, FieldType, FieldValue, Id, SObject, SObjectType, WriteFor,
};
use typed_support::{envelope, fixture, Account, Contact, Opportunity, Stage, User};

fn query_records(xml: &[u8]) -> Vec<SObject> {
    read_response::<partner::QueryResponse, NoHeaders>(&partner::SERVICE, xml)
        .unwrap()
        .body
        .result
        .records
}

fn field_error(error: Error) -> (String, String) {
    match error {
        Error::Field { field, message } => (field, message),
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn query_capture_to_typed_opportunities() {
    let records = query_records(&fixture("soapforce-query_response.xml"));
    let opportunities: Vec<Opportunity> = records
        .into_iter()
        .map(SObject::into_typed)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(opportunities.len(), 2);
    let [first, second] = &opportunities[..] else {
        unreachable!()
    };
    // The Id is sent twice per record; it is read once, into the 18-character Id.
    assert_eq!(
        first.id,
        Field::Value(Id::new("006A000000LZhwNIAT").unwrap())
    );
    assert_eq!(first.name, Field::Value("Opportunity 1".to_owned()));
    assert_eq!(first.stage_name, Field::Value(Stage::Prospecting));
    assert_eq!(second.stage_name, Field::Value(Stage::ValueProposition));
    assert_eq!(second.id.value().unwrap().as_str(), "006A000000LaF4xIAF");
    // Not selected: absent, not null.
    assert_eq!(first.description, Field::Absent);
    assert_eq!(first.amount, Field::Absent);
    assert_eq!(first.is_won, Field::Absent);
}

#[test]
fn retrieve_capture_nil_versus_absent() {
    let response = read_response::<partner::RetrieveResponse, NoHeaders>(
        &partner::SERVICE,
        &fixture("soapforce-retrieve_response.xml"),
    )
    .unwrap();
    let [record] = <[SObject; 1]>::try_from(response.body.result).unwrap();
    let opportunity: Opportunity = record.into_typed().unwrap();
    assert_eq!(
        opportunity.id.value().map(Id::as_str),
        Some("006A000000LbkT5IAJ")
    );
    assert_eq!(
        opportunity.name.value().map(String::as_str),
        Some("SOAPForce Opportunity")
    );
    assert_eq!(opportunity.description, Field::Null, "xsi:nil is null");
    assert_eq!(opportunity.amount, Field::Absent, "not sent is absent");
}

#[test]
fn org_id_capture_duplicated_id_only() {
    let records = query_records(&fixture("soapforce-org_id_response.xml"));
    let [org] = <[SObject; 1]>::try_from(records).unwrap();
    // Read as an Account-shaped row: only the Id is there.
    let row: Account = org.into_typed().unwrap();
    assert_eq!(row.id.value().unwrap().as_str(), "00DA0000000YpZ4MAK");
    assert_eq!(row.name, Field::Absent);
    assert_eq!(row.owner, Field::Absent);
}

/// A query response shaped as the server sends it (see fixtures/WIRE-NOTES.md): the Id
/// twice (the second copy after the other fields), a nested `sf:Owner` of
/// `xsi:type="sf:sObject"` with a nil Id, a child `Contacts` `QueryResult` with its own
/// locator, a nil child relationship, a compound `address`, Java-style numbers, nil
/// fields, and a record whose Id was not selected.
fn rich_query_response() -> String {
    envelope(
        r#"<queryResponse>
        <result xsi:type="QueryResult">
            <done>true</done>
            <queryLocator xsi:nil="true"/>
            <records xsi:type="sf:sObject">
                <sf:type>Account</sf:type>
                <sf:Id>001D000000IqhSLIAZ</sf:Id>
                <sf:Name>Acme &amp; Sons</sf:Name>
                <sf:AnnualRevenue>5.0E7</sf:AnnualRevenue>
                <sf:NumberOfEmployees>250.0</sf:NumberOfEmployees>
                <sf:BillingAddress xsi:type="address">
                    <city>San Francisco</city>
                    <country>United States</country>
                    <countryCode>US</countryCode>
                    <geocodeAccuracy xsi:nil="true"/>
                    <latitude>37.7897</latitude>
                    <longitude>-122.3972</longitude>
                    <postalCode>94105</postalCode>
                    <state>CA</state>
                    <stateCode xsi:nil="true"/>
                    <street>415 Mission St</street>
                </sf:BillingAddress>
                <sf:CreatedDate>2013-05-22T17:07:44.000Z</sf:CreatedDate>
                <sf:OwnerId>005i0000000Fi7vAAC</sf:OwnerId>
                <sf:Owner xsi:type="sf:sObject">
                    <sf:type>User</sf:type>
                    <sf:Id xsi:nil="true"/>
                    <sf:Name>Ann Admin</sf:Name>
                    <sf:Email>ann@example.com</sf:Email>
                </sf:Owner>
                <sf:Contacts xsi:type="QueryResult">
                    <done>false</done>
                    <queryLocator>01gD0000002HU6KIAW-2</queryLocator>
                    <records xsi:type="sf:sObject">
                        <sf:type>Contact</sf:type>
                        <sf:Id>003D000000QV9n2IAD</sf:Id>
                        <sf:LastName>Ng</sf:LastName>
                        <sf:Email xsi:nil="true"/>
                    </records>
                    <records xsi:type="sf:sObject">
                        <sf:type>Contact</sf:type>
                        <sf:Id>003D000000QV9n3IAD</sf:Id>
                        <sf:LastName>O'Hara</sf:LastName>
                        <sf:Email>oh@example.com</sf:Email>
                    </records>
                    <size>3</size>
                </sf:Contacts>
                <sf:Tasks xsi:nil="true"/>
                <sf:Id>001D000000IqhSLIAZ</sf:Id>
            </records>
            <records xsi:type="sf:sObject">
                <sf:type>Account</sf:type>
                <sf:Id xsi:nil="true"/>
                <sf:Name xsi:nil="true"/>
                <sf:AnnualRevenue xsi:nil="true"/>
                <sf:Owner xsi:nil="true"/>
                <sf:Contacts xsi:nil="true"/>
            </records>
            <size>2</size>
        </result>
    </queryResponse>"#,
    )
}

#[test]
fn nested_owner_children_address_nil_and_absent() {
    let records = query_records(rich_query_response().as_bytes());
    let [acme, blank] = <[SObject; 2]>::try_from(records).unwrap();
    let acme: Account = acme.into_typed().unwrap();

    assert_eq!(acme.id.value().unwrap().as_str(), "001D000000IqhSLIAZ");
    assert_eq!(acme.name.value().unwrap(), "Acme & Sons");
    assert_eq!(acme.annual_revenue, Field::Value(Decimal::from(50_000_000)));
    assert_eq!(acme.number_of_employees, Field::Value(250));
    let address = acme.billing_address.value().unwrap();
    assert_eq!(address.city.as_deref(), Some("San Francisco"));
    assert_eq!(address.street.as_deref(), Some("415 Mission St"));
    assert_eq!(address.latitude, Some(37.7897));
    assert_eq!(address.state_code, None);
    assert_eq!(
        acme.created_date.value().unwrap().to_rfc3339(),
        "2013-05-22T17:07:44+00:00"
    );
    assert_eq!(
        acme.owner_id.value().unwrap().as_str(),
        "005i0000000Fi7vAAC"
    );

    // The nested Owner, and the path through it, whichever is declared first.
    let owner: &User = acme.owner.value().unwrap();
    assert_eq!(owner.id, Field::Absent, "a nil nested Id reads as absent");
    assert_eq!(owner.name.value().unwrap(), "Ann Admin");
    assert_eq!(owner.email.value().unwrap(), "ann@example.com");
    assert_eq!(acme.owner_name.value().unwrap(), "Ann Admin");

    // The child QueryResult, with its locator for the rest.
    let contacts = acme.contacts.value().unwrap();
    assert!(!contacts.done);
    assert_eq!(
        contacts.query_locator.as_deref(),
        Some("01gD0000002HU6KIAW-2")
    );
    assert_eq!(contacts.size, 3);
    let names: Vec<_> = contacts
        .records
        .iter()
        .map(|c| c.last_name.value().unwrap().as_str())
        .collect();
    assert_eq!(names, ["Ng", "O'Hara"]);
    assert_eq!(contacts.records[0].email, Field::Null);
    assert_eq!(contacts.records[1].email.value().unwrap(), "oh@example.com");
    assert_eq!(contacts.records[0].owner, Field::Absent);
    assert_eq!(
        acme.tasks,
        Field::Null,
        "an empty child relationship is nil"
    );
    assert_eq!(acme.external_key, Field::Absent);

    let blank: Account = blank.into_typed().unwrap();
    assert_eq!(blank.id, Field::Absent, "Id not selected");
    assert_eq!(blank.name, Field::Null);
    assert_eq!(blank.annual_revenue, Field::Null);
    assert_eq!(blank.owner, Field::Null);
    assert_eq!(
        blank.owner_name,
        Field::Null,
        "a path through a null parent"
    );
    assert_eq!(blank.contacts, Field::Null);
    assert_eq!(blank.billing_address, Field::Absent);
}

#[test]
fn typed_to_dynamic_and_back_through_xml() {
    let records = query_records(rich_query_response().as_bytes());
    let acme: Account = records[0].clone().into_typed().unwrap();

    // Typed → dynamic (unchecked) → XML → dynamic → typed gives the same record.
    let dynamic = SObject::from_typed(&acme).unwrap();
    let mut writer = XmlWriter::new();
    dynamic.write_xml(&mut writer, "records");
    let xml = envelope(&format!(
        "<queryResponse><result><done>true</done><queryLocator xsi:nil=\"true\"/>{}<size>1</size></result></queryResponse>",
        writer.as_str().replacen("<records>", "<records xsi:type=\"sf:sObject\">", 1)
    ));
    let [again] = <[SObject; 1]>::try_from(query_records(xml.as_bytes())).unwrap();
    let again: Account = again.into_typed().unwrap();
    // The path is not written (it is read from the nested Owner, which is).
    assert_eq!(again, acme);
}

#[test]
fn conversion_errors_name_object_and_field() {
    let bad = SObject::new("Account")
        .with_id("001D000000IqhSL")
        .with("NumberOfEmployees", "lots");
    let (field, message) = field_error(bad.into_typed::<Account>().unwrap_err());
    assert_eq!(field, "Account.NumberOfEmployees");
    assert_eq!(message, "expected an int, found text `lots`");

    let bad = SObject::new("Account").with_id("001-bad");
    let (field, message) = field_error(bad.into_typed::<Account>().unwrap_err());
    assert_eq!(field, "Account.Id");
    assert!(
        message.starts_with("expected an Id, found text `001-bad`"),
        "{message}"
    );

    let bad = SObject::new("Account").with(
        "Owner",
        SObject::new("User").with("Email", SObject::new("Oops")),
    );
    let (field, message) = field_error(bad.into_typed::<Account>().unwrap_err());
    assert_eq!(field, "Account.Owner");
    assert_eq!(
        message,
        "in the nested record, `User.Email` expected text, found a nested Oops sObject"
    );

    // A path through something that is not a parent.
    let bad = SObject::new("Account").with("Owner", "text");
    let error = bad.into_typed::<Account>().unwrap_err();
    let (field, _) = field_error(error);
    assert_eq!(field, "Account.Owner");
}

// ----- to_sobject ----------------------------------------------------------------------

fn queried_opportunity() -> Opportunity {
    Opportunity {
        id: Field::Value(Id::new("006A000000LZhwN").unwrap()),
        name: Field::Absent,
        stage_name: Field::Value(Stage::ClosedWon),
        description: Field::Null,
        amount: Field::Value(1500.5),
        is_won: Field::Value(true),
    }
}

fn written(record: &SObject) -> String {
    let mut writer = XmlWriter::new();
    record.write_xml(&mut writer, "sObjects");
    writer.into_string()
}

#[test]
fn update_sends_values_nulls_in_fields_to_null_and_no_absent_fields() {
    let mut opportunity = queried_opportunity();
    let (field, message) = field_error(opportunity.to_sobject(WriteFor::Update).unwrap_err());
    assert_eq!(field, "Opportunity.IsWon");
    assert_eq!(
        message,
        "is not updateable; leave it Field::Absent (or call retain_writable) before the update"
    );

    opportunity.retain_writable(WriteFor::Update);
    assert_eq!(opportunity.is_won, Field::Absent);
    assert!(opportunity.id.is_value(), "the Id stays for update");
    let record = opportunity.to_sobject(WriteFor::Update).unwrap();
    assert_eq!(record.r#type, "Opportunity");
    assert_eq!(record.id.as_deref(), Some("006A000000LZhwNIAT"));
    assert_eq!(record.fields_to_null, ["Description"]);
    assert_eq!(
        record.field_names().collect::<Vec<_>>(),
        ["StageName", "Description", "Amount"]
    );
    assert_eq!(record.get_str("StageName").unwrap(), Some("Closed Won"));
    assert_eq!(record.get_double("Amount").unwrap(), Some(1500.5));
    assert!(!record.contains("Name"), "absent is not sent");
    assert_eq!(
        written(&record),
        "<sObjects><sf:type>Opportunity</sf:type><sf:fieldsToNull>Description</sf:fieldsToNull>\
         <sf:Id>006A000000LZhwNIAT</sf:Id><sf:StageName>Closed Won</sf:StageName>\
         <sf:Amount>1500.5</sf:Amount></sObjects>"
    );

    // Update needs the Id.
    opportunity.id = Field::Absent;
    let (field, message) = field_error(opportunity.to_sobject(WriteFor::Update).unwrap_err());
    assert_eq!(field, "Opportunity.Id");
    assert_eq!(message, "is required to update a record, but it is not set");
    opportunity.id = Field::Null;
    assert!(opportunity.to_sobject(WriteFor::Update).is_err());
}

#[test]
fn create_refuses_an_id_and_read_only_fields() {
    let mut opportunity = queried_opportunity();
    opportunity.is_won = Field::Absent;
    let (field, message) = field_error(opportunity.to_sobject(WriteFor::Create).unwrap_err());
    assert_eq!(field, "Opportunity.Id");
    assert!(
        message.contains("a record to create has no Id"),
        "{message}"
    );

    opportunity.retain_writable(WriteFor::Create);
    assert_eq!(opportunity.id, Field::Absent);
    let record = opportunity.to_sobject(WriteFor::Create).unwrap();
    assert_eq!(record.id, None);
    assert!(!written(&record).contains("sf:Id"));

    let mut account = Account {
        name: Field::Value("New".into()),
        created_date: Field::Value(chrono::Utc::now()),
        ..Account::default()
    };
    let (field, message) = field_error(account.to_sobject(WriteFor::Create).unwrap_err());
    assert_eq!(field, "Account.CreatedDate");
    assert!(message.starts_with("is not createable;"), "{message}");
    account.retain_writable(WriteFor::Create);
    assert_eq!(account.created_date, Field::Absent);
    assert_eq!(account.name.value().unwrap(), "New");
}

#[test]
fn upsert_allows_createable_or_updateable_fields() {
    let mut account = Account {
        name: Field::Value("Up".into()),
        external_key: Field::Value("K-1".into()),
        ..Account::default()
    };
    // createable but not updateable: fine for upsert and create, not for update.
    let record = account.to_sobject(WriteFor::Upsert).unwrap();
    assert_eq!(record.get_str("External_Key__c").unwrap(), Some("K-1"));
    assert!(account.to_sobject(WriteFor::Create).is_ok());
    account.id = Field::Value(Id::new("001D000000IqhSL").unwrap());
    let (field, message) = field_error(account.to_sobject(WriteFor::Update).unwrap_err());
    assert_eq!(field, "Account.External_Key__c");
    assert!(message.starts_with("is not updateable"), "{message}");
    // Upsert with an Id sends it.
    assert_eq!(
        account.to_sobject(WriteFor::Upsert).unwrap().id.as_deref(),
        Some("001D000000IqhSLIAZ")
    );

    account.contacts = Field::Null;
    let (field, message) = field_error(account.to_sobject(WriteFor::Upsert).unwrap_err());
    assert_eq!(field, "Account.Contacts");
    assert!(
        message.starts_with("is neither createable nor updateable"),
        "{message}"
    );
    account.retain_writable(WriteFor::Upsert);
    assert_eq!(account.contacts, Field::Absent);
    assert_eq!(account.external_key.value().unwrap(), "K-1");
}

#[test]
fn paths_are_never_written_and_null_parents_not_sent() {
    let account = Account {
        id: Field::Value(Id::new("001D000000IqhSL").unwrap()),
        owner_name: Field::Value("Ann".into()),
        owner: Field::Null,
        owner_id: Field::Value(Id::new("005i0000000Fi7v").unwrap()),
        ..Account::default()
    };
    let record = account.to_sobject(WriteFor::Update).unwrap();
    assert_eq!(record.field_names().collect::<Vec<_>>(), ["OwnerId"]);
    assert!(
        record.fields_to_null.is_empty(),
        "{:?}",
        record.fields_to_null
    );
    assert_eq!(
        record.get_str("OwnerId").unwrap(),
        Some("005i0000000Fi7vAAC")
    );
    // Unchecked keeps the null parent.
    let record = SObject::from_typed(&account).unwrap();
    assert_eq!(record.fields_to_null, ["Owner"]);
    assert_eq!(
        record.field_names().collect::<Vec<_>>(),
        ["OwnerId", "Owner"],
        "the path is not written"
    );

    // A reference by external id: the nested parent as the upsert wants it.
    let contact = Contact {
        last_name: Field::Value("Lee".into()),
        owner: Field::Value(Box::new(User {
            email: Field::Value("ann@example.com".into()),
            ..User::default()
        })),
        ..Contact::default()
    };
    let record = contact.to_sobject(WriteFor::Create).unwrap();
    assert_eq!(
        written(&record),
        "<sObjects><sf:type>Contact</sf:type><sf:LastName>Lee</sf:LastName><sf:Owner>\
         <sf:type>User</sf:type><sf:Email>ann@example.com</sf:Email></sf:Owner></sObjects>"
    );
}

#[test]
fn value_conversion_errors_on_write_name_the_field() {
    let mut opportunity = queried_opportunity();
    opportunity.is_won = Field::Absent;
    opportunity.stage_name = Field::Value(Stage::Other("Lost In Space".into()));
    let (field, message) = field_error(opportunity.to_sobject(WriteFor::Update).unwrap_err());
    assert_eq!(field, "Opportunity.StageName");
    assert!(
        message.starts_with("`Lost In Space` is not a value of the restricted picklist Stage"),
        "{message}"
    );
    opportunity.stage_name = Field::Absent;
    opportunity.amount = Field::Value(f64::NAN);
    let (field, _) = field_error(opportunity.to_sobject(WriteFor::Update).unwrap_err());
    assert_eq!(field, "Opportunity.Amount");
    // Unchecked converts values too.
    assert!(SObject::from_typed(&opportunity).is_err());
}

#[test]
fn field_infos_describe_the_struct() {
    let names: Vec<_> = Account::FIELDS.iter().map(|f| f.api_name).collect();
    assert_eq!(
        names[..4],
        ["Id", "Name", "AnnualRevenue", "NumberOfEmployees"]
    );
    let owner = Account::FIELDS
        .iter()
        .find(|f| f.rust_name == "owner")
        .unwrap();
    assert_eq!(owner.shape, sforce::Shape::Parent);
    let contacts = Account::FIELDS
        .iter()
        .find(|f| f.rust_name == "contacts")
        .unwrap();
    assert_eq!(contacts.shape, sforce::Shape::Children);
    assert_eq!(<Account as FieldType>::SHAPE, sforce::Shape::Parent);
    assert_eq!(
        <Account as FieldType>::from_field(FieldValue::Null).unwrap_err(),
        "expected a nested Account sObject, found null"
    );
}
