//! Typed calls over real HTTP against a loopback server: query streams with `queryMore`,
//! child records that continue with `queryMore`, `soql!` rows of queries with aliases,
//! create / update / upsert / retrieve with the request envelopes checked, and the blocking
//! twins.

mod typed_support;

use futures_util::TryStreamExt;
use sforce::{partner, ChildRecords, Error, Field, Id, Query, SObjectType, WriteFor};
use typed_support::*;

fn opportunity(id: &str, name: &str, stage: &str) -> String {
    format!(
        "<records xsi:type=\"sf:sObject\"><sf:type>Opportunity</sf:type><sf:Id>{id}</sf:Id>\
         <sf:Id>{id}</sf:Id><sf:Name>{name}</sf:Name><sf:StageName>{stage}</sf:StageName>\
         <sf:IsWon>false</sf:IsWon></records>"
    )
}

const LOCATOR: &str = "01gD0000002HU6KIAW-2000";
const SOQL: &str = "SELECT Id, Name, StageName, IsWon FROM Opportunity";

/// `query` answers two records and a locator, `queryMore(LOCATOR)` the third and done.
fn two_batches(request: &str) -> (u16, String) {
    match operation(request).as_str() {
        "query" => {
            let query: requests::Query = request_body(request);
            assert_eq!(query.query_string, SOQL);
            (
                200,
                query_response(
                    "query",
                    false,
                    Some(LOCATOR),
                    &[
                        opportunity("006A000000LZhwNIAT", "One", "Prospecting"),
                        opportunity("006A000000LaF4xIAF", "Two", "Value Proposition"),
                    ],
                    3,
                ),
            )
        }
        "queryMore" => {
            let more: requests::QueryMore = request_body(request);
            assert_eq!(more.query_locator, LOCATOR);
            (
                200,
                query_response(
                    "queryMore",
                    true,
                    None,
                    &[opportunity("006A000000LbkT5IAJ", "Three", "Closed Won")],
                    3,
                ),
            )
        }
        other => (
            500,
            fault("UNKNOWN_EXCEPTION", &format!("unexpected {other}")),
        ),
    }
}

#[tokio::test]
async fn typed_query_streams_every_batch_in_order() {
    let server = Server::start(two_batches).await;
    let client = partner::Client::new(server.connection());

    let mut stream = client.typed().query::<Opportunity>(SOQL);
    assert_eq!(stream.total(), None);
    assert!(
        server.requests().is_empty(),
        "nothing is sent before polling"
    );
    let first = stream.try_next().await.unwrap().unwrap();
    assert_eq!(stream.total(), Some(3));
    let rest: Vec<Opportunity> = stream.try_collect().await.unwrap();
    let all: Vec<_> = std::iter::once(first).chain(rest).collect();
    let names: Vec<_> = all
        .iter()
        .map(|o| o.name.value().unwrap().as_str())
        .collect();
    assert_eq!(names, ["One", "Two", "Three"]);
    assert_eq!(
        all.iter().map(|o| o.stage_name.clone()).collect::<Vec<_>>(),
        [
            Field::Value(Stage::Prospecting),
            Field::Value(Stage::ValueProposition),
            Field::Value(Stage::ClosedWon)
        ]
    );
    assert_eq!(all[2].id.value().unwrap().as_str(), "006A000000LbkT5IAJ");
    assert_eq!(all[0].is_won, Field::Value(false));
    assert_eq!(all[0].description, Field::Absent);
    let operations: Vec<_> = server.requests().iter().map(|r| operation(r)).collect();
    assert_eq!(operations, ["query", "queryMore"]);

    // The same through `Query<T>` (what `soql!` returns).
    let query = Query::<Opportunity>::new(SOQL);
    assert_eq!(query.as_str(), SOQL);
    let all: Vec<Opportunity> = query.stream(&client).try_collect().await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(server.requests().len(), 4);

    // With options: the batch size goes out on the query and on its queryMore.
    let options = sforce::RequestOptions::new().headers(
        partner::QueryHeaders::default()
            .query_options(partner::QueryOptions::default().batch_size(250)),
    );
    let all: Vec<Opportunity> = query
        .stream_with(&client, &options)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    let typed: Vec<Opportunity> = client
        .typed()
        .query_with(SOQL, &options)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(typed.len(), 3);
    let requests = server.requests();
    assert_eq!(requests.len(), 8);
    for request in &requests[4..] {
        assert!(
            request.contains("<p:batchSize>250</p:batchSize>"),
            "{request}"
        );
    }
}

#[tokio::test]
async fn a_record_that_does_not_convert_is_an_error_item_naming_the_field() {
    let server = Server::start(|_| {
        (
            200,
            query_response(
                "query",
                true,
                None,
                &[
                    opportunity("006A000000LZhwNIAT", "One", "Prospecting")
                        .replace("<sf:IsWon>false</sf:IsWon>", "<sf:IsWon>maybe</sf:IsWon>"),
                    opportunity("006A000000LaF4xIAF", "Two", "Prospecting"),
                ],
                2,
            ),
        )
    })
    .await;
    let client = partner::Client::new(server.connection());
    let items: Vec<Result<Opportunity, Error>> =
        futures_util::StreamExt::collect(client.typed().query_all::<Opportunity>(SOQL)).await;
    assert_eq!(items.len(), 2, "the stream goes on after a bad record");
    match &items[0] {
        Err(Error::Field { field, message }) => {
            assert_eq!(field, "Opportunity.IsWon");
            assert_eq!(message, "expected a boolean, found text `maybe`");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(items[1].as_ref().unwrap().name.value().unwrap(), "Two");
    assert_eq!(operation(&server.requests()[0]), "queryAll");
}

#[tokio::test]
async fn a_failed_call_is_the_last_item() {
    let server = Server::start(|_| (500, fault("INVALID_FIELD", "No such column 'Nope'"))).await;
    let client = partner::Client::new(server.connection());
    let items: Vec<Result<Opportunity, Error>> =
        futures_util::StreamExt::collect(client.typed().query::<Opportunity>(SOQL)).await;
    assert_eq!(items.len(), 1);
    let error = items.into_iter().next().unwrap().unwrap_err();
    assert_eq!(error.fault().unwrap().exception_code(), "INVALID_FIELD");
}

fn contact(id: &str, last_name: &str) -> String {
    format!(
        "<records xsi:type=\"sf:sObject\"><sf:type>Contact</sf:type><sf:Id>{id}</sf:Id>\
         <sf:LastName>{last_name}</sf:LastName></records>"
    )
}

#[tokio::test]
async fn child_records_continue_with_query_more() {
    let server = Server::start(|request| {
        let more: requests::QueryMore = request_body(request);
        assert_eq!(more.query_locator, "01gD0000002HU6KIAW-1");
        (
            200,
            query_response(
                "queryMore",
                true,
                None,
                &[contact("003D000000QV9n4IAD", "Three")],
                3,
            ),
        )
    })
    .await;
    let client = partner::Client::new(server.connection());
    let parent = sforce::SObject::new("Account").with(
        "Contacts",
        sforce::ChildQuery {
            done: false,
            query_locator: Some("01gD0000002HU6KIAW-1".into()),
            size: 3,
            records: vec![
                sforce::SObject::new("Contact")
                    .with_id("003D000000QV9n2IAD")
                    .with("LastName", "One"),
                sforce::SObject::new("Contact")
                    .with_id("003D000000QV9n3IAD")
                    .with("LastName", "Two"),
            ],
        },
    );
    let account: Account = parent.into_typed().unwrap();
    let contacts: ChildRecords<Contact> = account.contacts.into_value().unwrap();
    assert_eq!(contacts.records.len(), 2);
    let stream = contacts.stream(&client);
    assert_eq!(stream.total(), Some(3));
    let all: Vec<Contact> = stream.try_collect().await.unwrap();
    let names: Vec<_> = all
        .iter()
        .map(|c| c.last_name.value().unwrap().as_str())
        .collect();
    assert_eq!(names, ["One", "Two", "Three"]);
    assert_eq!(server.requests().len(), 1);

    // Complete children do not call the server.
    let done = ChildRecords::new(vec![Contact::default()]);
    let all: Vec<Contact> = done.stream(&client).try_collect().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(server.requests().len(), 1);

    // Not done without a locator: an error item after the records in hand.
    let broken = ChildRecords {
        done: false,
        query_locator: None,
        size: 5,
        records: vec![Contact::default()],
    };
    let items: Vec<Result<Contact, Error>> =
        futures_util::StreamExt::collect(broken.stream(&client)).await;
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(
        items[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("queryLocator"),
        "{:?}",
        items[1]
    );
}

// ----- soql! with aliases ------------------------------------------------------------

/// The AJAX Toolkit guide's relationship query with aliases.
const ALIASED: &str = "SELECT c.Id, c.FirstName, a.Name FROM Contact c, c.Account a";

/// A Contact as the server answers `ALIASED`: plain names, the parent as `sf:Account`.
fn aliased_contact(id: &str, first_name: &str, account: Option<&str>) -> String {
    let account = match account {
        Some(name) => format!(
            "<sf:Account xsi:type=\"sf:sObject\"><sf:type>Account</sf:type>\
             <sf:Id xsi:nil=\"true\"/><sf:Name>{name}</sf:Name></sf:Account>"
        ),
        None => "<sf:Account xsi:nil=\"true\"/>".to_owned(),
    };
    format!(
        "<records xsi:type=\"sf:sObject\"><sf:type>Contact</sf:type><sf:Id>{id}</sf:Id>\
         <sf:Id>{id}</sf:Id><sf:FirstName>{first_name}</sf:FirstName>{account}</records>"
    )
}

#[tokio::test]
async fn soql_aliases_read_the_plain_names_the_server_answers_under() {
    let server = Server::start(|request| {
        let query: requests::Query = request_body(request);
        assert_eq!(query.query_string, ALIASED);
        (
            200,
            query_response(
                "query",
                true,
                None,
                &[
                    aliased_contact("003D000000QV9n2IAD", "Ada", Some("Acme")),
                    aliased_contact("003D000000QV9n3IAD", "Grace", None),
                ],
                2,
            ),
        )
    })
    .await;
    let client = partner::Client::new(server.connection());
    let query = sforce::soql!("SELECT c.Id, c.FirstName, a.Name FROM Contact c, c.Account a");
    assert_eq!(query.as_str(), ALIASED);
    let rows: Vec<_> = query.stream(&client).try_collect().await.unwrap();
    assert_eq!(rows.len(), 2);
    // `c.Id` is `id`, `c.FirstName` is `first_name`, `a.Name` (`a` is `c.Account`) is
    // `account_name`, read from `Account.Name`.
    assert_eq!(rows[0].id.value().unwrap().as_str(), "003D000000QV9n2IAD");
    assert_eq!(rows[0].first_name.value().map(String::as_str), Some("Ada"));
    assert_eq!(
        rows[0].account_name.value().map(String::as_str),
        Some("Acme")
    );
    assert_eq!(
        rows[1].first_name.value().map(String::as_str),
        Some("Grace")
    );
    assert_eq!(
        rows[1].account_name,
        Field::Null,
        "a null parent reads null"
    );
}

/// An Account as the server answers the guide's subquery with aliases.
fn aliased_account(name: &str, last_names: &[&str]) -> String {
    let contacts = if last_names.is_empty() {
        "<sf:Contacts xsi:nil=\"true\"/>".to_owned()
    } else {
        let records: String = last_names
            .iter()
            .map(|n| {
                format!(
                    "<records xsi:type=\"sf:sObject\"><sf:type>Contact</sf:type>\
                     <sf:Id xsi:nil=\"true\"/><sf:LastName>{n}</sf:LastName></records>"
                )
            })
            .collect();
        format!(
            "<sf:Contacts xsi:type=\"QueryResult\"><done>true</done>\
             <queryLocator xsi:nil=\"true\"/>{records}<size>{}</size></sf:Contacts>",
            last_names.len()
        )
    };
    format!(
        "<records xsi:type=\"sf:sObject\"><sf:type>Account</sf:type><sf:Id xsi:nil=\"true\"/>\
         <sf:Name>{name}</sf:Name>{contacts}</records>"
    )
}

#[tokio::test]
async fn soql_subquery_aliases_read_the_child_records() {
    const TEXT: &str = "select a.Name, (select c.LastName from a.Contacts c) from Account a";
    let server = Server::start(|request| {
        let query: requests::Query = request_body(request);
        assert_eq!(query.query_string, TEXT);
        (
            200,
            query_response(
                "query",
                true,
                None,
                &[
                    aliased_account("Acme", &["Lovelace", "Hopper"]),
                    aliased_account("Empty", &[]),
                ],
                2,
            ),
        )
    })
    .await;
    let client = partner::Client::new(server.connection());
    let query =
        sforce::soql!("select a.Name, (select c.LastName from a.Contacts c) from Account a");
    let rows: Vec<_> = query.stream(&client).try_collect().await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].name.value().map(String::as_str), Some("Acme"));
    let contacts = rows[0].contacts.value().unwrap();
    let last_names: Vec<_> = contacts
        .records
        .iter()
        .map(|c| c.last_name.value().unwrap().as_str())
        .collect();
    assert_eq!(last_names, ["Lovelace", "Hopper"]);
    assert_eq!(rows[1].name.value().map(String::as_str), Some("Empty"));
    assert_eq!(rows[1].contacts, Field::Null, "no children read null");
}

// ----- DML ---------------------------------------------------------------------------

fn save_results(op: &str, ids: &[&str]) -> String {
    let results: String = ids
        .iter()
        .map(|id| format!("<result><id>{id}</id><success>true</success></result>"))
        .collect();
    envelope(&format!("<{op}Response>{results}</{op}Response>"))
}

fn new_opportunity(name: &str) -> Opportunity {
    Opportunity {
        name: Field::Value(name.into()),
        stage_name: Field::Value(Stage::Prospecting),
        description: Field::Null,
        amount: Field::Value(10.0),
        ..Opportunity::default()
    }
}

#[tokio::test]
async fn create_sends_createable_fields_and_returns_results_in_order() {
    let server = Server::start(|request| {
        let create: requests::Create = request_body(request);
        let ids = ["006A000000LZhwNIAT", "006A000000LaF4xIAF"];
        (200, save_results("create", &ids[..create.s_objects.len()]))
    })
    .await;
    let client = partner::Client::new(server.connection());
    let typed = client.typed();

    let records = [new_opportunity("A"), new_opportunity("B")];
    let results = typed.create(&records).await.unwrap();
    assert_eq!(
        results
            .iter()
            .map(|r| r.id.as_ref().map(Id::as_str).unwrap())
            .collect::<Vec<_>>(),
        ["006A000000LZhwNIAT", "006A000000LaF4xIAF"]
    );
    assert!(results.iter().all(|r| r.success));

    let [request] = <[String; 1]>::try_from(server.requests()).unwrap();
    assert_eq!(operation(&request), "create");
    let sent: requests::Create = request_body(&request);
    assert_eq!(sent.s_objects.len(), 2);
    for (record, name) in sent.s_objects.iter().zip(["A", "B"]) {
        assert_eq!(record.r#type, "Opportunity");
        assert_eq!(record.id, None);
        assert_eq!(record.get_str("Name").unwrap(), Some(name));
        assert_eq!(record.get_str("StageName").unwrap(), Some("Prospecting"));
        assert_eq!(record.fields_to_null, ["Description"]);
        assert!(!record.contains("IsWon"));
    }
    assert!(!request.contains("IsWon"));

    // A record that cannot be converted: an error naming it, and nothing sent.
    let mut bad = new_opportunity("C");
    bad.is_won = Field::Value(true);
    let records = [new_opportunity("A"), new_opportunity("B"), bad];
    let failed = typed.create(&records).await.unwrap_err();
    assert!(failed.completed.is_empty());
    match failed.error {
        Error::Field { field, message } => {
            assert_eq!(field, "Opportunity.IsWon");
            assert!(message.starts_with("is not createable"), "{message}");
            assert!(
                message.ends_with("(record 2 of the 3 given; nothing was sent)"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "nothing was sent");
}

#[tokio::test]
async fn update_sends_fields_to_null_and_no_read_only_fields() {
    let server = Server::start(|request| {
        let update: requests::Update = request_body(request);
        let ids: Vec<&str> = update
            .s_objects
            .iter()
            .map(|r| r.id.as_deref().unwrap())
            .collect();
        (200, save_results("update", &ids))
    })
    .await;
    let client = partner::Client::new(server.connection());

    // Read, change, write back.
    let mut records: Vec<Opportunity> =
        [("006A000000LZhwNIAT", "One"), ("006A000000LaF4xIAF", "Two")]
            .iter()
            .map(|(id, name)| Opportunity {
                id: Field::Value(Id::new(id).unwrap()),
                name: Field::Value((*name).into()),
                stage_name: Field::Value(Stage::ClosedWon),
                is_won: Field::Value(true),
                ..Opportunity::default()
            })
            .collect();
    for record in &mut records {
        record.description.set_null();
        record.name.take();
        record.retain_writable(WriteFor::Update);
    }
    let results = client.typed().update(&records).await.unwrap();
    assert_eq!(
        results.iter().map(|r| r.id.unwrap()).collect::<Vec<_>>(),
        ["006A000000LZhwNIAT", "006A000000LaF4xIAF"]
    );

    let [request] = <[String; 1]>::try_from(server.requests()).unwrap();
    assert_eq!(operation(&request), "update");
    let sent: requests::Update = request_body(&request);
    for (record, id) in sent
        .s_objects
        .iter()
        .zip(["006A000000LZhwNIAT", "006A000000LaF4xIAF"])
    {
        assert_eq!(record.id.as_deref(), Some(id));
        assert_eq!(record.fields_to_null, ["Description"]);
        assert_eq!(record.field_names().collect::<Vec<_>>(), ["StageName"]);
    }
    assert_eq!(
        request
            .matches("<sf:fieldsToNull>Description</sf:fieldsToNull>")
            .count(),
        2
    );
    assert!(
        !request.contains("IsWon"),
        "read-only fields are never sent"
    );
    assert!(!request.contains("sf:Name"), "absent fields are not sent");

    // A record without its Id fails before anything is sent.
    let error = client
        .typed()
        .update(&[new_opportunity("X")])
        .await
        .unwrap_err();
    assert!(error.to_string().contains("Opportunity.Id"), "{error}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn upsert_names_the_external_id_field() {
    let server = Server::start(|request| {
        let upsert: requests::Upsert = request_body(request);
        assert_eq!(upsert.external_id_field_name, "External_Key__c");
        let results: String = upsert
            .s_objects
            .iter()
            .enumerate()
            .map(|(i, _)| {
                format!(
                    "<result><created>{}</created><id>001D000000I000{i}IAB</id><success>true</success></result>",
                    i == 0
                )
            })
            .collect();
        (200, envelope(&format!("<upsertResponse>{results}</upsertResponse>")))
    })
    .await;
    let client = partner::Client::new(server.connection());
    let records: Vec<Account> = ["K-1", "K-2"]
        .iter()
        .map(|key| Account {
            name: Field::Value(format!("Account {key}")),
            external_key: Field::Value((*key).into()),
            ..Account::default()
        })
        .collect();
    let results = client
        .typed()
        .upsert("External_Key__c", &records)
        .await
        .unwrap();
    assert_eq!(
        results
            .iter()
            .map(|r| (r.created, r.id.unwrap().to_string()))
            .collect::<Vec<_>>(),
        [
            (true, "001D000000I0000IAB".to_owned()),
            (false, "001D000000I0001IAB".to_owned())
        ]
    );
    let sent: requests::Upsert = request_body(&server.requests()[0]);
    assert_eq!(
        sent.s_objects
            .iter()
            .map(|r| r.get_str("External_Key__c").unwrap().unwrap())
            .collect::<Vec<_>>(),
        ["K-1", "K-2"]
    );
}

fn retrieve_reply(request: &str) -> (u16, String) {
    let retrieve: requests::Retrieve = request_body(request);
    assert_eq!(retrieve.s_object_type, "Opportunity");
    let results: String = retrieve
        .ids
        .iter()
        .map(|id| {
            if id == "006A000000LbkT5IAJ" {
                format!(
                    "<result xsi:type=\"sf:sObject\"><sf:type>Opportunity</sf:type><sf:Id>{id}</sf:Id>\
                     <sf:Name>SOAPForce Opportunity</sf:Name><sf:Description xsi:nil=\"true\"/>\
                     <sf:StageName>Prospecting</sf:StageName><sf:Amount xsi:nil=\"true\"/>\
                     <sf:IsWon>false</sf:IsWon></result>"
                )
            } else {
                "<result xsi:nil=\"true\"/>".to_owned()
            }
        })
        .collect();
    (
        200,
        envelope(&format!("<retrieveResponse>{results}</retrieveResponse>")),
    )
}

#[tokio::test]
async fn retrieve_asks_for_the_scalar_fields_and_maps_missing_records_to_none() {
    let server = Server::start(retrieve_reply).await;
    let client = partner::Client::new(server.connection());
    let ids = [
        Id::new("006A000000LbkT5").unwrap(),
        Id::new("006A000000LZhwN").unwrap(),
    ];
    let found = client.typed().retrieve::<Opportunity>(&ids).await.unwrap();
    assert_eq!(found.len(), 2);
    let first = found[0].as_ref().expect("the first Id exists");
    assert_eq!(first.id.value(), Some(&ids[0]));
    assert_eq!(first.name.value().unwrap(), "SOAPForce Opportunity");
    assert_eq!(first.description, Field::Null);
    assert_eq!(first.stage_name, Field::Value(Stage::Prospecting));
    assert!(found[1].is_none(), "a nil result is None");

    let sent: requests::Retrieve = request_body(&server.requests()[0]);
    assert_eq!(
        sent.field_list,
        "Id, Name, StageName, Description, Amount, IsWon"
    );
    assert_eq!(sent.ids, ["006A000000LbkT5IAJ", "006A000000LZhwNIAT"]);

    // No Ids: no call.
    assert!(client
        .typed()
        .retrieve::<Opportunity>(&[])
        .await
        .unwrap()
        .is_empty());
    assert_eq!(server.requests().len(), 1);

    // Parents, children and paths are not in the field list.
    let server = Server::start(|request| {
        let retrieve: requests::Retrieve = request_body(request);
        assert_eq!(
            retrieve.field_list,
            "Id, Name, AnnualRevenue, NumberOfEmployees, BillingAddress, CreatedDate, \
             OwnerId, External_Key__c"
        );
        (
            200,
            envelope("<retrieveResponse><result xsi:nil=\"true\"/></retrieveResponse>"),
        )
    })
    .await;
    let client = partner::Client::new(server.connection());
    let found = client
        .typed()
        .retrieve::<Account>(&[Id::new("001D000000IqhSL").unwrap()])
        .await
        .unwrap();
    assert_eq!(found, [None]);
    assert_eq!(server.requests().len(), 1);
}

// ----- blocking ------------------------------------------------------------------------

#[cfg(feature = "blocking")]
#[test]
fn blocking_typed_client() {
    let runtime = background_runtime();
    let server = runtime.block_on(Server::start(|request| match operation(request).as_str() {
        "retrieve" => retrieve_reply(request),
        "update" => (200, save_results("update", &["006A000000LbkT5IAJ"])),
        _ => two_batches(request),
    }));
    let client = partner::blocking::Client::new(server.connection());
    let typed = client.typed();

    let mut rows = typed.query::<Opportunity>(SOQL);
    assert_eq!(rows.total(), None);
    let names: Vec<String> = rows
        .by_ref()
        .map(|o| o.unwrap().name.into_value().unwrap())
        .collect();
    assert_eq!(names, ["One", "Two", "Three"]);
    assert_eq!(rows.total(), Some(3));

    let via_query: Vec<Opportunity> = Query::<Opportunity>::new(SOQL)
        .iter(&client)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(via_query.len(), 3);

    let [Some(mut record)] = <[Option<Opportunity>; 1]>::try_from(
        typed
            .retrieve::<Opportunity>(&[Id::new("006A000000LbkT5IAJ").unwrap()])
            .unwrap(),
    )
    .unwrap() else {
        panic!("one record")
    };
    record.retain_writable(WriteFor::Update);
    record.amount.set(99.5);
    let results = typed.update(&[record]).unwrap();
    assert!(results[0].success);
    let requests = server.requests();
    let sent: requests::Update = request_body(requests.last().unwrap());
    let [sent] = <[sforce::SObject; 1]>::try_from(sent.s_objects).unwrap();
    assert_eq!(sent.id.as_deref(), Some("006A000000LbkT5IAJ"));
    assert_eq!(sent.get_double("Amount").unwrap(), Some(99.5));
    assert_eq!(sent.fields_to_null, ["Description"]);
    assert!(!sent.contains("IsWon"));
    assert_eq!(
        requests.iter().map(|r| operation(r)).collect::<Vec<_>>(),
        [
            "query",
            "queryMore",
            "query",
            "queryMore",
            "retrieve",
            "update"
        ]
    );
    assert_eq!(<Opportunity as SObjectType>::NAME, "Opportunity");
}
