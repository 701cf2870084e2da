//! The structs generated from the describe fixtures (`sforce_tests::sobjects`) in use:
//! queried, created and updated over a real HTTP server on loopback, with the request
//! envelopes read back.

mod common;

use common::*;
use futures_util::TryStreamExt;
use sforce::partner;
use sforce::{Decimal, Field, Id, Picklist, SObjectType, WriteFor};
use sforce_tests::sobjects::{Account, AccountBillingGeocodeAccuracy, AccountIndustry, Contact};

const ACCOUNT_ID: &str = "001d000000Kj8cAAAR";
const CONTACT_ID: &str = "003d000000AbCdEAAV";

/// One Contact record with a nested Account, a null Email, an Id sent twice, and a
/// mailing address, in the partner wire shape.
fn contact_record() -> String {
    format!(
        "<records xsi:type=\"sf:sObject\"><sf:type>Contact</sf:type><sf:Id>{CONTACT_ID}</sf:Id>\
         <sf:Id>{CONTACT_ID}</sf:Id><sf:LastName>O&apos;Brien</sf:LastName>\
         <sf:Email xsi:nil=\"true\"/><sf:Birthdate>1980-02-29</sf:Birthdate>\
         <sf:MailingAddress xsi:type=\"address\"><city>Dublin</city><country>Ireland</country>\
         <geocodeAccuracy xsi:nil=\"true\"/><latitude xsi:nil=\"true\"/>\
         <longitude xsi:nil=\"true\"/><postalCode xsi:nil=\"true\"/><state xsi:nil=\"true\"/>\
         <street>1 Main St</street></sf:MailingAddress>\
         <sf:Account xsi:type=\"sf:sObject\"><sf:type>Account</sf:type><sf:Id>{ACCOUNT_ID}</sf:Id>\
         <sf:Name>Acme</sf:Name><sf:Industry>Energy</sf:Industry>\
         <sf:AnnualRevenue>1.5E7</sf:AnnualRevenue></sf:Account></records>"
    )
}

fn save_results(n: usize) -> String {
    let ids = [ACCOUNT_ID, CONTACT_ID];
    (0..n)
        .map(|i| {
            format!(
                "<result><id>{}</id><success>true</success></result>",
                ids[i % 2]
            )
        })
        .collect()
}

#[tokio::test]
async fn query_create_update_with_generated_structs() {
    let server = Server::start(|exchange| match exchange.operation() {
        "query" => Reply::ok(partner_response(
            "query",
            &format!(
                "<result><done>true</done><queryLocator xsi:nil=\"true\"/>{}<size>1</size></result>",
                contact_record()
            ),
        )),
        "create" | "update" => {
            let n = exchange.body().children_named("sObjects").count();
            Reply::ok(partner_response(exchange.operation(), &save_results(n)))
        }
        other => Reply::fault(fault("UNKNOWN_EXCEPTION", &format!("unexpected {other}"))),
    })
    .await;
    let client = partner::Client::new(session_connection(&server.url));
    let typed = client.typed();

    // Query: typed values, null vs absent, the nested parent, the address.
    let contacts: Vec<Contact> = typed
        .query::<Contact>(
            "SELECT Id, LastName, Email, Birthdate, MailingAddress, Account.Name, \
             Account.Industry, Account.AnnualRevenue FROM Contact",
        )
        .try_collect()
        .await
        .unwrap();
    let [contact] = <[Contact; 1]>::try_from(contacts).unwrap();
    assert_eq!(contact.id.value().map(Id::as_str), Some(CONTACT_ID));
    assert_eq!(contact.last_name, Field::Value("O'Brien".to_owned()));
    assert_eq!(contact.email, Field::Null);
    assert_eq!(contact.phone, Field::Absent);
    assert_eq!(
        contact
            .birthdate
            .value()
            .map(ToString::to_string)
            .as_deref(),
        Some("1980-02-29")
    );
    let address = contact.mailing_address.value().unwrap();
    assert_eq!(address.city.as_deref(), Some("Dublin"));
    assert_eq!(address.postal_code, None);
    let account = contact.account.value().unwrap();
    assert_eq!(account.name, Field::Value("Acme".to_owned()));
    assert_eq!(account.industry, Field::Value(AccountIndustry::Energy));
    assert_eq!(
        account.annual_revenue,
        Field::Value(Decimal::from(15_000_000))
    );
    assert!(account.created_date.is_absent());

    // Update the queried record: clear what cannot be sent, null the birthdate.
    let mut changed = contact.clone();
    changed.retain_writable(WriteFor::Update);
    changed.birthdate = Field::Null;
    changed.last_name = Field::Value("Brien".to_owned());
    let results = typed.update(&[changed]).await.unwrap();
    assert!(results[0].success);

    // Create two accounts: one with a picklist value the dump does not list.
    let new = |name: &str, industry: AccountIndustry| Account {
        name: Field::Value(name.to_owned()),
        industry: Field::Value(industry),
        annual_revenue: Field::Value(Decimal::new(12_345, 2)),
        ..Account::default()
    };
    let created = typed
        .create(&[
            new("Acme", AccountIndustry::Energy),
            new("Initech", AccountIndustry::from_api("Robotics")),
        ])
        .await
        .unwrap();
    assert_eq!(created.len(), 2);

    let exchanges = server.exchanges();
    let update = exchanges
        .iter()
        .find(|e| e.operation() == "update")
        .unwrap();
    let sent = update.body().child("sObjects").unwrap();
    assert_eq!(sent.child_text("Id"), Some(CONTACT_ID));
    // Email came back null and stays null: it is sent as null again, with the birthdate.
    let mut nulled: Vec<_> = sent
        .children_named("fieldsToNull")
        .map(|n| n.text.as_str())
        .collect();
    nulled.sort_unstable();
    assert_eq!(nulled, ["Birthdate", "Email"]);
    assert_eq!(sent.child_text("LastName"), Some("Brien"));
    // Not updateable, or a parent: never sent.
    for absent in ["Account", "Email", "MailingAddress", "Birthdate", "Phone"] {
        assert!(
            sent.child(absent).is_none(),
            "{absent} was sent: {:?}",
            sent.child_names()
        );
    }

    let create = exchanges
        .iter()
        .find(|e| e.operation() == "create")
        .unwrap();
    let records: Vec<_> = create.body().children_named("sObjects").collect();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].child_text("type"), Some("Account"));
    assert_eq!(records[0].child_text("Industry"), Some("Energy"));
    assert_eq!(records[1].child_text("Industry"), Some("Robotics"));
    assert_eq!(records[1].child_text("AnnualRevenue"), Some("123.45"));
    assert!(records[0].child("Id").is_none());
}

#[tokio::test]
async fn a_restricted_picklist_value_fails_before_sending() {
    let server =
        Server::start(|_| Reply::fault(fault("UNKNOWN_EXCEPTION", "no call expected"))).await;
    let client = partner::Client::new(session_connection(&server.url));
    const { assert!(AccountBillingGeocodeAccuracy::RESTRICTED) };
    let account = Account {
        name: Field::Value("Acme".to_owned()),
        billing_geocode_accuracy: Field::Value(AccountBillingGeocodeAccuracy::from_api("Planet")),
        ..Account::default()
    };
    let error = client
        .typed()
        .create(&[account])
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("Planet"), "{error}");
    assert!(error.contains("BillingGeocodeAccuracy"), "{error}");
    assert!(server.exchanges().is_empty());
}

#[test]
fn read_only_fields_are_an_error_on_create() {
    let account = Account {
        name: Field::Value("Acme".to_owned()),
        created_date: Field::Value(Default::default()),
        ..Account::default()
    };
    let error = account
        .to_sobject(WriteFor::Create)
        .unwrap_err()
        .to_string();
    assert!(error.contains("Account.CreatedDate"), "{error}");
}

#[test]
fn polymorphic_who_reads_as_a_dynamic_record_that_converts_to_its_type() {
    use sforce::partner::QueryResponse;
    use sforce_tests::sobjects::{Event, Lead};

    let lead_id = "00Qd000000Xy7zQEAR";
    let body = partner_response(
        "query",
        &format!(
            "<result><done>true</done><queryLocator xsi:nil=\"true\"/>\
             <records xsi:type=\"sf:sObject\"><sf:type>Event</sf:type><sf:Id xsi:nil=\"true\"/>\
             <sf:Subject>Call</sf:Subject><sf:WhoId>{lead_id}</sf:WhoId>\
             <sf:Who xsi:type=\"sf:sObject\"><sf:type>Lead</sf:type><sf:Id>{lead_id}</sf:Id>\
             <sf:Company>Initech</sf:Company></sf:Who><sf:What xsi:nil=\"true\"/></records>\
             <size>1</size></result>"
        ),
    );
    let response: sforce::Response<QueryResponse, sforce::envelope::NoHeaders> =
        sforce::envelope::read_response(&partner::SERVICE, body.as_bytes()).unwrap();
    let record = response.body.result.records.into_iter().next().unwrap();
    let event = Event::from_sobject(record).unwrap();

    assert!(
        event.id.is_absent(),
        "a nil Id that was not selected reads as absent"
    );
    assert_eq!(event.what, Field::Null);
    let who_id = event.who_id.value().unwrap();
    assert_eq!(who_id.key_prefix(), "00Q");
    let who = event.who.value().unwrap();
    assert_eq!(who.r#type, "Lead");
    let lead: Lead = who.clone().into_typed().unwrap();
    assert_eq!(lead.company, Field::Value("Initech".to_owned()));
    assert_eq!(lead.id.value(), Some(who_id));
}
