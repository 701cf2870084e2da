//! Every call the local org serves, through the blocking partner client and the blocking
//! typed client, with the org serving on a runtime of its own (the async clients' tests
//! are in partner.rs and calls.rs).

use sforce::partner::{self, blocking::Client};
use sforce::{Connection, Field, Id, SObject};
use sforce_localorg::{Clock, LocalOrg};

mod common;

use common::{codes, fault_code, Recorded};

/// A started org and a blocking client logged in to it. The runtime the org serves on is
/// dropped last.
struct Blocking {
    client: Client,
    org: Recorded,
    _runtime: tokio::runtime::Runtime,
}

fn start(builder: sforce_localorg::Builder) -> Blocking {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let org = runtime.block_on(builder.start()).expect("the org starts");
    Blocking {
        client: Client::from(common::client_for(&org)),
        org: Recorded(org),
        _runtime: runtime,
    }
}

fn first_id(client: &Client, soql: &str) -> Id {
    let id = client.query(soql).unwrap().records[0].id.clone().unwrap();
    Id::new(&id).unwrap()
}

#[test]
fn dml_queries_and_replication_through_the_blocking_client() {
    let clock = Clock::fixed("2026-11-02T10:00:00Z".parse().unwrap());
    let Blocking {
        client,
        org: _org,
        _runtime,
    } = start(LocalOrg::builder().clock(clock.clone()));
    let start_at = clock.now();

    let created = client
        .create(&[
            SObject::new("Account").with("Name", "Acme"),
            SObject::new("Account").with("Name", "Globex"),
            SObject::new("Account").with("Name", "Initech"),
            SObject::new("Account"),
        ])
        .unwrap();
    assert_eq!(codes(&created[3].errors), ["REQUIRED_FIELD_MISSING"]);
    let ids: Vec<Id> = created[..3].iter().map(|r| r.id.unwrap()).collect();

    let updated = client
        .update(&[SObject::new("Account")
            .with_id(ids[0].as_str())
            .with("Phone", "555-0100")])
        .unwrap();
    assert!(updated[0].success, "{updated:?}");
    let upserted = client
        .upsert(
            "Id",
            &[
                SObject::new("Account")
                    .with_id(ids[1].as_str())
                    .with("Industry", "Energy"),
                SObject::new("Account").with("Name", "Umbrella"),
            ],
        )
        .unwrap();
    assert_eq!(
        (upserted[0].created, upserted[1].created),
        (false, true),
        "{upserted:?}"
    );

    let retrieved = client
        .retrieve("Name, Phone, Industry", "Account", &[ids[0], ids[1]])
        .unwrap();
    assert_eq!(retrieved[0].get_str("Phone").unwrap(), Some("555-0100"));
    assert_eq!(retrieved[1].get_str("Industry").unwrap(), Some("Energy"));

    clock.advance(chrono::Duration::minutes(5));
    let deleted = client.delete(&[ids[2]]).unwrap();
    assert!(deleted[0].success);
    let live = client.query("SELECT COUNT() FROM Account").unwrap();
    assert_eq!(live.size, 3);
    let all = client
        .query_all("SELECT Name FROM Account WHERE IsDeleted = true")
        .unwrap();
    assert_eq!(all.records[0].get_str("Name").unwrap(), Some("Initech"));
    let all_rows: Vec<SObject> = client
        .query_all_iter("SELECT Name FROM Account")
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(all_rows.len(), 4);

    clock.advance(chrono::Duration::minutes(5));
    let updated = client
        .get_updated("Account", start_at, clock.now())
        .unwrap();
    assert_eq!(updated.ids.len(), 3, "{updated:?}");
    let gone = client
        .get_deleted("Account", start_at, clock.now())
        .unwrap();
    assert_eq!(gone.deleted_records[0].id, ids[2]);

    let restored = client.undelete(&[ids[2]]).unwrap();
    assert!(restored[0].success, "{restored:?}");
    client.delete(&[ids[2]]).unwrap();
    let emptied = client.empty_recycle_bin(&[ids[2]]).unwrap();
    assert!(emptied[0].success, "{emptied:?}");
    let again = client.undelete(&[ids[2]]).unwrap();
    assert_eq!(codes(&again[0].errors), ["INVALID_CROSS_REFERENCE_KEY"]);

    let merged = client
        .merge(&[partner::MergeRequest {
            master_record: SObject::new("Account").with_id(ids[0].as_str()),
            record_to_merge_ids: vec![ids[1]],
            ..Default::default()
        }])
        .unwrap();
    assert_eq!(merged[0].merged_record_ids, [ids[1]]);

    // query + queryMore by hand, and the iterator that hides queryMore.
    let many: Vec<SObject> = (0..450)
        .map(|i| SObject::new("Account").with("Name", format!("B{i:03}")))
        .collect();
    client.create(&many).unwrap();
    let first = client
        .query("SELECT Name FROM Account WHERE Name LIKE 'B%' ORDER BY Name")
        .unwrap();
    assert_eq!((first.size, first.records.len()), (450, 450));
    let options = sforce::RequestOptions::new().headers(
        partner::QueryHeaders::default()
            .query_options(partner::QueryOptions::default().batch_size(200)),
    );
    let paged = client
        .query_with(
            "SELECT Name FROM Account WHERE Name LIKE 'B%' ORDER BY Name",
            &options,
        )
        .unwrap()
        .body;
    let more = client
        .query_more(paged.query_locator.as_ref().unwrap().as_str())
        .unwrap();
    assert_eq!(more.records[0].get_str("Name").unwrap(), Some("B200"));
    let names: Vec<String> = client
        .query_iter_with(
            "SELECT Name FROM Account WHERE Name LIKE 'B%' ORDER BY Name",
            &options,
        )
        .map(|r| r.unwrap().get_str("Name").unwrap().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), 450);
    assert_eq!(names[449], "B449");
}

#[test]
fn describe_search_actions_and_passwords_through_the_blocking_client() {
    let Blocking {
        client,
        org,
        _runtime,
    } = start(LocalOrg::builder().seed_demo());

    let time = client.get_server_timestamp().unwrap();
    assert!(time.timestamp.timestamp() > 0);
    let me = client.get_user_info().unwrap();
    assert_eq!(me.user_name, org.username());
    let global = client.describe_global().unwrap();
    assert!(global.sobjects.iter().any(|s| s.name == "Opportunity"));
    let lead = client.describe_s_object("Lead").unwrap().expect("Lead");
    assert!(lead.fields.iter().any(|f| f.name == "Company"));
    let two = client
        .describe_s_objects(&["Case".to_owned(), "Task".to_owned()])
        .unwrap();
    assert_eq!(two[1].name, "Task");
    let layout = client
        .describe_layout("Account", None, &[])
        .unwrap()
        .expect("a layout");
    assert!(!layout.layouts[0].edit_layout_sections.is_empty());
    let tabs = client.describe_tabs().unwrap();
    assert!(tabs[0]
        .tabs
        .iter()
        .any(|t| t.sobject_name.as_deref() == Some("Contact")));

    let found = client
        .search("FIND {Lovelace} RETURNING Contact(LastName)")
        .unwrap();
    assert_eq!(
        found.search_records[0].record.get_str("LastName").unwrap(),
        Some("Lovelace")
    );
    let malformed = client.search("FIND Lovelace").unwrap_err();
    assert_eq!(fault_code(&malformed), "MALFORMED_SEARCH");

    let lead = first_id(&client, "SELECT Id FROM Lead LIMIT 1");
    let converted = client
        .convert_lead(&[partner::LeadConvert {
            lead_id: lead,
            converted_status: "Closed - Converted".to_owned(),
            do_not_create_opportunity: true,
            ..Default::default()
        }])
        .unwrap();
    assert!(converted[0].success, "{converted:?}");
    assert!(converted[0].account_id.is_some() && converted[0].opportunity_id.is_none());

    let opportunity = first_id(
        &client,
        "SELECT Id FROM Opportunity WHERE IsClosed = false LIMIT 1",
    );
    let submitted = client
        .process(&[partner::ProcessRequestKind::ProcessSubmitRequest(
            partner::ProcessSubmitRequest {
                object_id: opportunity,
                ..Default::default()
            },
        )])
        .unwrap();
    assert_eq!(submitted[0].instance_status.as_deref(), Some("Pending"));

    let contact = first_id(
        &client,
        "SELECT Id FROM Contact WHERE LastName = 'Lovelace'",
    );
    let template = first_id(&client, "SELECT Id FROM EmailTemplate LIMIT 1");
    let sent = client
        .send_email(&[partner::EmailKind::SingleEmailMessage(
            partner::SingleEmailMessage {
                template_id: Some(template),
                target_object_id: Some(contact),
                ..Default::default()
            },
        )])
        .unwrap();
    assert!(sent[0].success, "{sent:?}");
    assert_eq!(org.outbox().len(), 1);

    let short = client.set_password(me.user_id, "short").unwrap_err();
    assert_eq!(fault_code(&short), "INVALID_NEW_PASSWORD");
    client.set_password(me.user_id, "a-new-password").unwrap();
    let reset = client.reset_password(me.user_id).unwrap();
    assert!(!reset.password.is_empty());

    // logout ends the session; the next call is refused as Salesforce refuses it.
    let session = client.connection().session().unwrap();
    client.logout().unwrap();
    let after = org.requests().len();
    let stale = Connection::builder()
        .session(session.session_id().expose(), org.soap_url("64.0"))
        .build()
        .unwrap();
    let refused = Client::new(stale).get_server_timestamp().unwrap_err();
    assert_eq!(fault_code(&refused), "INVALID_SESSION_ID");
    assert_eq!(org.requests().len(), after + 1);
}

#[sforce::sobject(name = "Account")]
#[derive(Debug, Clone, Default, PartialEq)]
struct Account {
    id: Field<Id>,
    name: Field<String>,
    #[sobject(field = "NumberOfEmployees")]
    employees: Field<i32>,
    contacts: Field<sforce::ChildRecords<Contact>>,
}

#[sforce::sobject(name = "Contact")]
#[derive(Debug, Clone, Default, PartialEq)]
struct Contact {
    id: Field<Id>,
    #[sobject(field = "LastName")]
    last_name: Field<String>,
    #[sobject(field = "AccountId")]
    account_id: Field<Id>,
}

#[test]
fn the_blocking_typed_client_writes_structs_and_pages_their_children() {
    let Blocking {
        client,
        org: _org,
        _runtime,
    } = start(LocalOrg::builder());
    let typed = client.typed();
    let mut acme = Account::default();
    acme.name.set("Acme".to_owned());
    let id = typed.create(&[acme]).unwrap()[0].id.unwrap();

    let mut change = Account::default();
    change.id.set(id);
    change.employees.set(12);
    assert!(typed.update(&[change]).unwrap()[0].success);
    let mut upsert = Account::default();
    upsert.name.set("Globex".to_owned());
    let upserted = typed.upsert("Id", &[upsert]).unwrap();
    assert!(upserted[0].created);

    let contacts: Vec<Contact> = (0..250)
        .map(|i| {
            let mut contact = Contact::default();
            contact.last_name.set(format!("L{i:03}"));
            contact.account_id.set(id);
            contact
        })
        .collect();
    assert!(typed.create(&contacts).unwrap().iter().all(|r| r.success));

    let accounts: Vec<Account> = typed
        .query::<Account>(
            "SELECT Id, Name, NumberOfEmployees, (SELECT Id, LastName, AccountId FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name",
        )
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0].employees.value(), Some(&12));
    let children = accounts[0].contacts.clone().into_value().unwrap();
    assert_eq!((children.records.len(), children.done), (200, false));
    let names: Vec<String> = children
        .iter(&client)
        .map(|c| c.unwrap().last_name.into_value().unwrap())
        .collect();
    assert_eq!(names.len(), 250);
    assert_eq!((names[0].as_str(), names[249].as_str()), ("L000", "L249"));
    assert!(accounts[1].contacts.is_null(), "no contacts: null");

    let all: Vec<Account> = typed
        .query_all::<Account>("SELECT Id, Name FROM Account")
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(all.len(), 2);
    let retrieved = typed.retrieve::<Account>(&[id]).unwrap();
    assert_eq!(
        retrieved[0]
            .as_ref()
            .unwrap()
            .name
            .value()
            .map(String::as_str),
        Some("Acme")
    );
}
