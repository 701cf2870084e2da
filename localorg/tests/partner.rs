//! The local org driven by the project's own partner client over loopback HTTP: every
//! record a call creates comes back from the next query, validation answers with
//! Salesforce's status codes, faults carry their typed detail.

use futures_util::TryStreamExt;
use sforce::partner::{self, QueryHeaders, QueryOptions};
use sforce::{Connection, RequestOptions, SObject};
use sforce_localorg::{Clock, LocalOrg};

mod common;

use common::{client_for, codes as status, create_ids, http, start as start_with, Recorded};

async fn start() -> (Recorded, partner::Client) {
    start_with(LocalOrg::builder()).await
}

fn account(name: &str) -> SObject {
    SObject::new("Account").with("Name", name)
}

#[tokio::test]
async fn records_created_by_one_call_come_back_from_the_next_query() {
    let (_org, client) = start().await;
    let created = client
        .create(&[
            account("Acme")
                .with("Industry", "Energy")
                .with("AnnualRevenue", "5000000"),
            account("Globex")
                .with("Industry", "Banking")
                .with("NumberOfEmployees", "120"),
            account("Initech").with("Industry", "Energy"),
        ])
        .await
        .expect("create");
    assert!(created.iter().all(|r| r.success), "{created:?}");
    let acme = created[0].id.expect("an Id");
    assert_eq!(acme.key_prefix(), "001");
    assert_eq!(acme.as_str().len(), 18);

    let energy = client
        .query("SELECT Id, Name, AnnualRevenue FROM Account WHERE Industry = 'energy' ORDER BY Name DESC")
        .await
        .expect("query");
    assert_eq!(energy.size, 2);
    let names: Vec<_> = energy
        .records
        .iter()
        .map(|r| r.get_str("Name").unwrap().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["Initech", "Acme"]);
    assert_eq!(energy.records[1].id.as_deref(), Some(acme.as_str()));
    assert_eq!(
        energy.records[1].get_double("AnnualRevenue").unwrap(),
        Some(5_000_000.0)
    );
    // Null is a field that came back null, not one that was left out.
    assert!(energy.records[0].is_null("AnnualRevenue"));
    assert!(energy.records[0].get("Industry").is_none());

    let like = client
        .query("SELECT Name FROM Account WHERE Name LIKE 'g%' OR NumberOfEmployees > 500")
        .await
        .unwrap();
    assert_eq!(like.size, 1);
    assert_eq!(like.records[0].get_str("Name").unwrap(), Some("Globex"));
    let count = client.query("SELECT COUNT() FROM Account").await.unwrap();
    assert_eq!((count.size, count.records.len()), (3, 0));
    let in_list = client
        .query("SELECT Name FROM Account WHERE Industry IN ('Banking', 'Retail') AND Name != null")
        .await
        .unwrap();
    assert_eq!(in_list.size, 1);
}

#[tokio::test]
async fn parent_paths_child_subqueries_and_aliases_read_related_records() {
    let (_org, client) = start().await;
    let ids = client
        .create(&[account("Acme"), account("Empty")])
        .await
        .unwrap();
    let acme = ids[0].id.unwrap();
    let contacts: Vec<SObject> = ["Ada", "Grace"]
        .iter()
        .map(|first| {
            SObject::new("Contact")
                .with("FirstName", *first)
                .with("LastName", "Example")
                .with("AccountId", acme.as_str())
        })
        .collect();
    let created = client.create(&contacts).await.unwrap();
    assert!(created.iter().all(|r| r.success), "{created:?}");

    let rows = client
        .query("SELECT Name, Account.Name, Account.Owner.Username FROM Contact ORDER BY FirstName")
        .await
        .unwrap();
    assert_eq!(rows.size, 2);
    let first = &rows.records[0];
    assert_eq!(first.get_str("Name").unwrap(), Some("Ada Example"));
    assert_eq!(first.get_str("Account.Name").unwrap(), Some("Acme"));
    assert_eq!(
        first.get_str("Account.Owner.Username").unwrap(),
        Some("admin@localorg.test")
    );

    let aliased = client
        .query("SELECT c.FirstName, a.Name FROM Contact c, c.Account a WHERE a.Name = 'Acme' ORDER BY c.FirstName DESC")
        .await
        .unwrap();
    assert_eq!(aliased.size, 2);
    assert_eq!(
        aliased.records[0].get_str("FirstName").unwrap(),
        Some("Grace")
    );
    assert_eq!(
        aliased.records[0].get_str("Account.Name").unwrap(),
        Some("Acme")
    );

    let parents = client
        .query("SELECT Name, (SELECT c.LastName, c.FirstName FROM a.Contacts c ORDER BY FirstName) FROM Account a ORDER BY Name")
        .await
        .unwrap();
    assert_eq!(parents.size, 2);
    let children = parents.records[0].get_query("Contacts").unwrap().unwrap();
    assert_eq!(children.size, 2);
    assert_eq!(
        children.records[1].get_str("FirstName").unwrap(),
        Some("Grace")
    );
    // No children: the relationship comes back null, as Salesforce sends it.
    assert!(parents.records[1].is_null("Contacts"));

    let semi = client
        .query("SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact)")
        .await
        .unwrap();
    assert_eq!(semi.records[0].get_str("Name").unwrap(), Some("Empty"));
    assert_eq!(semi.size, 1);
}

#[tokio::test]
async fn query_more_pages_through_every_record_in_batches() {
    let (_org, client) = start().await;
    let accounts: Vec<SObject> = (0..1250)
        .map(|i| account(&format!("Account {i:04}")))
        .collect();
    // The client sends 200 per call; every record gets its result, in order.
    let results = client.create(&accounts).await.unwrap();
    assert_eq!(results.len(), 1250);
    assert!(results.iter().all(|r| r.success));

    let first = client
        .query_with(
            "SELECT Id, Name FROM Account ORDER BY Name",
            &RequestOptions::new().headers(
                QueryHeaders::default().query_options(QueryOptions::default().batch_size(500)),
            ),
        )
        .await
        .unwrap()
        .body;
    assert_eq!(
        (first.size, first.records.len(), first.done),
        (1250, 500, false)
    );
    let locator = first.query_locator.clone().expect("a locator");
    assert!(locator.as_str().ends_with("-500"), "{}", locator.as_str());

    let streamed: Vec<SObject> = client
        .query_stream_with(
            "SELECT Name FROM Account ORDER BY Name",
            &RequestOptions::new().headers(
                QueryHeaders::default().query_options(QueryOptions::default().batch_size(200)),
            ),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed.len(), 1250);
    for (i, record) in streamed.iter().enumerate() {
        assert_eq!(
            record.get_str("Name").unwrap(),
            Some(format!("Account {i:04}").as_str())
        );
    }
    // A locator names an offset: it can be used again until the last batch is out.
    let second = client.query_more(locator.as_str()).await.unwrap();
    let replay = client.query_more(locator.as_str()).await.unwrap();
    assert_eq!(second, replay);
    assert_eq!(
        second.records[0].get_str("Name").unwrap(),
        Some("Account 0500")
    );
    let last = client
        .query_more(second.query_locator.as_ref().unwrap().as_str())
        .await
        .unwrap();
    assert_eq!((last.records.len(), last.done), (250, true));
    let more = client.query_more(locator.as_str()).await.unwrap_err();
    assert_eq!(
        more.fault()
            .map(|f| f.exception_code().to_owned())
            .as_deref(),
        Some("INVALID_QUERY_LOCATOR")
    );
}

/// `count` contacts of the account `parent`, named `L0000`, `L0001`, …
fn contacts(parent: sforce::Id, count: usize) -> Vec<SObject> {
    (0..count)
        .map(|i| {
            SObject::new("Contact")
                .with("LastName", format!("L{i:04}"))
                .with("AccountId", parent.as_str())
        })
        .collect()
}

#[tokio::test]
async fn ten_thousand_parents_page_and_their_long_child_subqueries_page_too() {
    let (_org, client) = start().await;
    let accounts: Vec<SObject> = (0..10_000).map(|i| account(&format!("A{i:05}"))).collect();
    let ids = create_ids(&client, &accounts).await;
    // A00000 has 1,000 contacts, A00001 250, A05000 201 (in a later batch), A00002 3.
    let mut children = contacts(ids[0], 1000);
    children.extend(contacts(ids[1], 250));
    children.extend(contacts(ids[5000], 201));
    children.extend(contacts(ids[2], 3));
    let created = client.create(&children).await.unwrap();
    assert!(created.iter().all(|r| r.success));

    let soql =
        "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name";
    let options = RequestOptions::new()
        .headers(QueryHeaders::default().query_options(QueryOptions::default().batch_size(2000)));
    let mut parents = client.query_stream_with(soql, &options);
    let mut count = 0;
    let mut child_counts = Vec::new();
    while let Some(parent) = parents.try_next().await.unwrap() {
        assert_eq!(
            parent.get_str("Name").unwrap(),
            Some(format!("A{count:05}").as_str())
        );
        count += 1;
        let Some(query) = parent.get_query("Contacts").unwrap() else {
            continue;
        };
        // At most 200 children come with the parent; the rest page with their own locator.
        assert_eq!(query.records.len(), query.size.min(200) as usize);
        assert_eq!(query.done, query.size <= 200, "{}", query.size);
        let names: Vec<String> = client
            .child_records(query.clone())
            .unwrap()
            .map_ok(|c| c.get_str("LastName").unwrap().unwrap().to_owned())
            .try_collect()
            .await
            .unwrap();
        let expected: Vec<String> = (0..query.size).map(|i| format!("L{i:04}")).collect();
        assert_eq!(names, expected);
        child_counts.push(names.len());
    }
    assert_eq!(count, 10_000);
    assert_eq!(child_counts, [1000, 250, 3, 201]);
}

#[tokio::test]
async fn children_count_toward_the_batch_and_a_parent_query_more_closes_their_locators() {
    let (_org, client) = start().await;
    let accounts: Vec<SObject> = (0..300).map(|i| account(&format!("A{i:03}"))).collect();
    let ids = create_ids(&client, &accounts).await;
    let mut children = contacts(ids[0], 450);
    children.extend(contacts(ids[1], 50));
    client.create(&children).await.unwrap();
    let options = RequestOptions::new()
        .headers(QueryHeaders::default().query_options(QueryOptions::default().batch_size(300)));
    let soql =
        "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name";
    let first = client.query_with(soql, &options).await.unwrap().body;
    // A000 weighs 1 + 200 inline children, A001 1 + 50: 48 more parents fill the 300.
    assert_eq!((first.size, first.records.len()), (300, 50));
    let big = first.records[0].get_query("Contacts").unwrap().unwrap();
    assert_eq!((big.size, big.records.len(), big.done), (450, 200, false));
    let child_locator = big.query_locator.clone().expect("a child locator");
    assert!(child_locator.ends_with("-200"), "{child_locator}");
    let more = client.query_more(&child_locator).await.unwrap();
    assert_eq!((more.records.len(), more.done), (250, true));
    assert_eq!(more.records[0].get_str("LastName").unwrap(), Some("L0200"));

    // The parent's next batch invalidates the child locators of the one before.
    let again = client.query_with(soql, &options).await.unwrap().body;
    let child_locator = again.records[0]
        .get_query("Contacts")
        .unwrap()
        .unwrap()
        .query_locator
        .clone()
        .unwrap();
    let parent_locator = again.query_locator.clone().unwrap();
    let second = client.query_more(parent_locator.as_str()).await.unwrap();
    assert_eq!(second.records.len(), 250);
    assert!(second.done);
    let error = client.query_more(&child_locator).await.unwrap_err();
    assert_eq!(common::fault_code(&error), "INVALID_QUERY_LOCATOR");
}

#[tokio::test]
async fn validation_answers_with_salesforce_status_codes_and_fields() {
    let (_org, client) = start().await;
    let long_name = "x".repeat(256);
    let results = client
        .create(&[
            SObject::new("Contact").with("FirstName", "No last name"),
            account(&long_name),
            SObject::new("Task")
                .with("Subject", "Call")
                .with("Status", "Someday"),
            account("Typo").with("Nmae", "x"),
            account("Read only").with("CreatedDate", "2020-01-01T00:00:00Z"),
            SObject::new("Contact")
                .with("LastName", "Bad ref")
                .with("AccountId", "003Lo0000000001"),
            SObject::new("Contact")
                .with("LastName", "Malformed")
                .with("AccountId", "nope"),
            account("Bad number").with("AnnualRevenue", "lots"),
            account("Fine"),
        ])
        .await
        .unwrap();
    let codes: Vec<Vec<String>> = results.iter().map(|r| status(&r.errors)).collect();
    assert_eq!(
        codes,
        [
            vec!["REQUIRED_FIELD_MISSING"],
            vec!["STRING_TOO_LONG"],
            vec!["INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"],
            vec!["INVALID_FIELD"],
            vec!["INVALID_FIELD_FOR_INSERT_UPDATE"],
            vec!["FIELD_INTEGRITY_EXCEPTION"],
            vec!["MALFORMED_ID"],
            vec!["INVALID_TYPE_ON_FIELD_IN_RECORD"],
            vec![],
        ]
    );
    assert_eq!(results[0].errors[0].fields(), ["LastName"]);
    assert_eq!(results[2].errors[0].fields(), ["Status"]);
    assert!(results[8].success);

    // A reference of the right type to a record that does not exist.
    let missing = client
        .create(&[SObject::new("Contact")
            .with("LastName", "Orphan")
            .with("AccountId", "001Lo00000000ZZ")])
        .await
        .unwrap();
    assert_eq!(status(&missing[0].errors), ["INVALID_CROSS_REFERENCE_KEY"]);

    // fieldsToNull on a required field.
    let id = results[8].id.unwrap();
    let mut cleared = SObject::new("Account").with_id(id.as_str());
    cleared.set_null("Name");
    let updated = client.update(&[cleared]).await.unwrap();
    assert_eq!(status(&updated[0].errors), ["REQUIRED_FIELD_MISSING"]);
}

#[tokio::test]
async fn all_or_none_rolls_back_every_record_of_the_call() {
    let (_org, client) = start().await;
    let headers = partner::CreateHeaders::default()
        .all_or_none_header(partner::AllOrNoneHeader::default().all_or_none(true));
    let response = client
        .create_with(
            &[
                account("Kept?"),
                SObject::new("Contact"),
                account("Also kept?"),
            ],
            &RequestOptions::new().headers(headers),
        )
        .await
        .unwrap();
    let codes: Vec<Vec<String>> = response.body.iter().map(|r| status(&r.errors)).collect();
    assert_eq!(
        codes,
        [
            vec!["ALL_OR_NONE_OPERATION_ROLLED_BACK"],
            vec!["REQUIRED_FIELD_MISSING"],
            vec!["ALL_OR_NONE_OPERATION_ROLLED_BACK"],
        ]
    );
    let count = client.query("SELECT COUNT() FROM Account").await.unwrap();
    assert_eq!(count.size, 0);
}

#[tokio::test]
async fn update_delete_undelete_and_retrieve() {
    let (_org, client) = start().await;
    let ids = create_ids(&client, &[account("One"), account("Two")]).await;
    let updated = client
        .update(&[SObject::new("Account")
            .with_id(ids[0].as_str())
            .with("Phone", "555-0100")])
        .await
        .unwrap();
    assert!(updated[0].success, "{updated:?}");
    let deleted = client.delete(&[ids[1]]).await.unwrap();
    assert!(deleted[0].success);
    let twice = client.delete(&[ids[1]]).await.unwrap();
    assert_eq!(status(&twice[0].errors), ["ENTITY_IS_DELETED"]);

    let live = client.query("SELECT Name FROM Account").await.unwrap();
    assert_eq!(live.size, 1);
    let all = client
        .query_all("SELECT Name, IsDeleted FROM Account ORDER BY Name")
        .await
        .unwrap();
    assert_eq!(all.size, 2);
    assert_eq!(all.records[1].get_bool("IsDeleted").unwrap(), Some(true));

    let retrieved = client
        .retrieve("Name, Phone", "Account", &[ids[0], ids[1]])
        .await
        .unwrap();
    assert_eq!(retrieved.len(), 2);
    assert_eq!(retrieved[0].get_str("Phone").unwrap(), Some("555-0100"));
    // A deleted record retrieves as nil, which reads as an empty sObject.
    assert!(
        retrieved[1].id.is_none() && retrieved[1].is_empty(),
        "{:?}",
        retrieved[1]
    );

    let restored = client.undelete(&[ids[1]]).await.unwrap();
    assert!(restored[0].success);
    let not_deleted = client.undelete(&[ids[1]]).await.unwrap();
    assert_eq!(status(&not_deleted[0].errors), ["UNDELETE_FAILED"]);
    let live = client.query("SELECT Name FROM Account").await.unwrap();
    assert_eq!(live.size, 2);
}

#[tokio::test]
async fn upsert_creates_then_updates_by_id() {
    let (_org, client) = start().await;
    let id = client.create(&[account("Upsert me")]).await.unwrap()[0]
        .id
        .unwrap();
    let upserted = client
        .upsert(
            "Id",
            &[SObject::new("Account")
                .with_id(id.as_str())
                .with("Phone", "1")],
        )
        .await
        .unwrap();
    assert!(upserted[0].success && !upserted[0].created, "{upserted:?}");
    let refused = client.upsert("Name", &[account("x")]).await.unwrap_err();
    assert_eq!(refused.fault().unwrap().exception_code(), "INVALID_FIELD");
}

#[tokio::test]
async fn upsert_by_a_lookup_field_matches_one_record_or_says_why_not() {
    let (_org, client) = start().await;
    let contact = |last: &str, email: Option<&str>| {
        let record = SObject::new("Contact").with("LastName", last);
        match email {
            Some(email) => record.with("Email", email),
            None => record,
        }
    };
    client
        .create(&[
            contact("One", Some("one@example.com")),
            contact("Twin", Some("twin@example.com")),
            contact("Twin", Some("twin@example.com")),
        ])
        .await
        .unwrap();
    let upserted = client
        .upsert(
            "Email",
            &[
                contact("Uno", Some("one@example.com")),
                contact("New", Some("new@example.com")),
                contact("Which", Some("twin@example.com")),
                contact("Nobody", None),
            ],
        )
        .await
        .unwrap();
    assert!(upserted[0].success && !upserted[0].created, "{upserted:?}");
    assert!(upserted[1].success && upserted[1].created, "{upserted:?}");
    assert_eq!(status(&upserted[2].errors), ["DUPLICATE_EXTERNAL_ID"]);
    assert_eq!(status(&upserted[3].errors), ["MISSING_ARGUMENT"]);
    let renamed = client
        .query("SELECT LastName FROM Contact WHERE Email = 'one@example.com'")
        .await
        .unwrap();
    assert_eq!(renamed.records[0].get_str("LastName").unwrap(), Some("Uno"));
}

#[tokio::test]
async fn more_than_200_records_in_one_call_fail_the_whole_call() {
    let (org, _client) = start().await;
    // The client chunks by 200, so the call goes out by hand.
    let records: String = (0..201)
        .map(|i| {
            format!("<p:sObjects><sf:type>Account</sf:type><sf:Name>A{i}</sf:Name></p:sObjects>")
        })
        .collect();
    let session = login_by_hand(&org).await;
    let body = format!(
        "<?xml version=\"1.0\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:p=\"urn:partner.soap.sforce.com\" xmlns:sf=\"urn:sobject.partner.soap.sforce.com\"><soapenv:Header><p:SessionHeader><p:sessionId>{session}</p:sessionId></p:SessionHeader></soapenv:Header><soapenv:Body><p:create>{records}</p:create></soapenv:Body></soapenv:Envelope>"
    );
    let (status, text) = post(&org.soap_url("64.0"), &body).await;
    assert_eq!(status, 500);
    assert!(
        text.contains("<faultcode>fns:EXCEEDED_ID_LIMIT</faultcode>"),
        "{text}"
    );
}

#[tokio::test]
async fn query_faults_carry_their_typed_detail_with_row_and_column() {
    let (_org, client) = start().await;
    let error = client.query("SELECT Nmae FROM Account").await.unwrap_err();
    let fault = error.fault().unwrap();
    assert_eq!(fault.exception_code(), "INVALID_FIELD");
    let detail = fault
        .detail::<partner::InvalidFieldFault>()
        .expect("InvalidFieldFault");
    assert_eq!((detail.row, detail.column), (1, 8));
    assert!(
        fault
            .faultstring
            .contains("No such column 'Nmae' on entity 'Account'"),
        "{}",
        fault.faultstring
    );

    let error = client.query("SELECT Id FROM Acount").await.unwrap_err();
    let fault = error.fault().unwrap();
    assert_eq!(fault.exception_code(), "INVALID_TYPE");
    assert!(fault.detail::<partner::InvalidSObjectFault>().is_some());

    let error = client.query("SELECT Id FROM").await.unwrap_err();
    let fault = error.fault().unwrap();
    assert_eq!(fault.exception_code(), "MALFORMED_QUERY");
    assert!(fault.detail::<partner::MalformedQueryFault>().is_some());
}

#[tokio::test]
async fn login_needs_the_token_and_is_retired_from_api_65() {
    let org = Recorded(LocalOrg::builder().start().await.unwrap());
    let wrong = Connection::builder()
        .login_url(org.url())
        .password_login(org.username(), org.password(), "")
        .build()
        .unwrap();
    let error = partner::Client::new(wrong)
        .get_server_timestamp()
        .await
        .unwrap_err();
    let fault = error.fault().expect("a fault");
    assert_eq!(fault.exception_code(), "INVALID_LOGIN", "{fault:?}");
    let detail = fault
        .detail::<sforce::fault::LoginFaultDetail>()
        .expect("the LoginFault detail");
    assert_eq!(detail.exception_code, "INVALID_LOGIN");

    let body = "<?xml version=\"1.0\"?><e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body><login xmlns=\"urn:partner.soap.sforce.com\"><username>admin@localorg.test</username><password>x</password></login></e:Body></e:Envelope>";
    let (status, text) = post(&org.soap_url("65.0"), body).await;
    assert_eq!(status, 500);
    assert!(text.contains("INVALID_OPERATION"), "{text}");
    let (status, text) = post(&org.soap_url("30.0"), body).await;
    assert_eq!(status, 500);
    assert!(text.contains("UNSUPPORTED_API_VERSION"), "{text}");

    // A trusted client logs in with the password alone.
    let trusted = LocalOrg::builder().trusted(true).start().await.unwrap();
    let connection = Connection::builder()
        .login_url(trusted.url())
        .password_login(trusted.username(), trusted.password(), "")
        .build()
        .unwrap();
    partner::Client::new(connection)
        .get_server_timestamp()
        .await
        .unwrap();
}

#[tokio::test]
async fn the_clock_stamps_records_and_expires_sessions() {
    let clock = Clock::fixed("2026-03-10T12:00:00Z".parse().unwrap());
    let (org, client) = start_with(
        LocalOrg::builder()
            .clock(clock.clone())
            .session_timeout(std::time::Duration::from_secs(600)),
    )
    .await;
    let timestamp = client.get_server_timestamp().await.unwrap();
    assert_eq!(
        timestamp.timestamp.to_rfc3339(),
        "2026-03-10T12:00:00+00:00"
    );
    client.create(&[account("Old")]).await.unwrap();
    clock.advance(chrono::Duration::days(3));
    client.create(&[account("New")]).await.unwrap();
    let recent = client
        .query("SELECT Name, CreatedDate FROM Account WHERE CreatedDate = LAST_N_DAYS:1")
        .await
        .unwrap();
    assert_eq!(recent.size, 1);
    assert_eq!(
        recent.records[0]
            .get_datetime("CreatedDate")
            .unwrap()
            .unwrap()
            .to_rfc3339(),
        "2026-03-13T12:00:00+00:00"
    );
    let this_month = client
        .query("SELECT COUNT() FROM Account WHERE CreatedDate = THIS_MONTH")
        .await
        .unwrap();
    assert_eq!(this_month.size, 2);
    for (literal, expected) in [
        ("TODAY", "New"),
        ("YESTERDAY", ""),
        ("LAST_N_DAYS:2", "New"),
        // From midnight n days back: the 10th, 12:00 is in.
        ("LAST_N_DAYS:3", "Old,New"),
    ] {
        let found = client
            .query(&format!(
                "SELECT Name FROM Account WHERE CreatedDate = {literal}"
            ))
            .await
            .unwrap();
        let names: Vec<&str> = found
            .records
            .iter()
            .map(|r| r.get_str("Name").unwrap().unwrap())
            .collect();
        assert_eq!(names.join(","), expected, "{literal}");
    }

    // Idle past the timeout: the session is gone, and the client logs in again.
    clock.advance(chrono::Duration::minutes(11));
    let again = client.query("SELECT COUNT() FROM Account").await.unwrap();
    assert_eq!(again.size, 2);
    // Revoked: the same.
    org.revoke_sessions();
    let again = client.query("SELECT COUNT() FROM Account").await.unwrap();
    assert_eq!(again.size, 2);
}

#[tokio::test]
async fn a_database_file_keeps_the_records_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("org.sqlite");
    {
        let (_org, client) = start_with(LocalOrg::builder().database(&file)).await;
        client.create(&[account("Persistent")]).await.unwrap();
    }
    let (_org, client) = start_with(LocalOrg::builder().database(&file)).await;
    let found = client.query("SELECT Name FROM Account").await.unwrap();
    assert_eq!(found.size, 1);
    // Ids go on from where they were.
    let next = client.create(&[account("Second")]).await.unwrap();
    assert_eq!(next[0].id.as_ref().unwrap().to_15(), "001Lo0000000002");
}

#[tokio::test]
async fn describe_calls_answer_from_the_describes() {
    let (_org, client) = start().await;
    let global = client.describe_global().await.unwrap();
    let names: Vec<&str> = global.sobjects.iter().map(|s| s.name.as_str()).collect();
    for name in ["Account", "Contact", "Opportunity", "User", "EmailTemplate"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let account = client
        .describe_s_object("account")
        .await
        .unwrap()
        .expect("a describe");
    assert_eq!(account.name, "Account");
    assert_eq!(account.key_prefix.as_deref(), Some("001"));
    assert!(account
        .fields
        .iter()
        .any(|f| f.name == "Industry" && !f.picklist_values.is_empty()));
    let info = client.get_user_info().await.unwrap();
    assert_eq!(info.user_name, "admin@localorg.test");
}

async fn login_by_hand(org: &Recorded) -> String {
    let body = format!(
        "<?xml version=\"1.0\"?><e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body><login xmlns=\"urn:partner.soap.sforce.com\"><username>{}</username><password>{}{}</password></login></e:Body></e:Envelope>",
        org.username(),
        org.password(),
        org.security_token()
    );
    let (status, text) = post(&org.soap_url("64.0"), &body).await;
    assert_eq!(status, 200, "{text}");
    let start = text.find("<p:sessionId>").unwrap() + "<p:sessionId>".len();
    let end = text[start..].find('<').unwrap() + start;
    text[start..end].to_owned()
}

/// A raw SOAP POST, for calls the client would not send.
async fn post(url: &str, body: &str) -> (u16, String) {
    http("POST", url, &[("SOAPAction", "\"\"")], body.as_bytes()).await
}

#[tokio::test]
async fn aggregates_group_and_name_unaliased_columns_expr0() {
    let (_org, client) = start().await;
    let accounts: Vec<SObject> = [
        ("A", "Energy", "10"),
        ("B", "Energy", "30"),
        ("C", "Media", "5"),
    ]
    .iter()
    .map(|(name, industry, employees)| {
        account(name)
            .with("Industry", *industry)
            .with("NumberOfEmployees", *employees)
    })
    .collect();
    client.create(&accounts).await.unwrap();
    let groups = client
        .query("SELECT Industry, COUNT(Id), SUM(NumberOfEmployees) total, MAX(Name) FROM Account GROUP BY Industry HAVING COUNT(Id) > 0 ORDER BY Industry")
        .await
        .unwrap();
    assert_eq!(groups.size, 2);
    let energy = &groups.records[0];
    assert_eq!(energy.r#type, "AggregateResult");
    assert_eq!(energy.get_str("Industry").unwrap(), Some("Energy"));
    assert_eq!(energy.get_int("expr0").unwrap(), Some(2));
    assert_eq!(energy.get_int("total").unwrap(), Some(40));
    assert_eq!(energy.get_str("expr1").unwrap(), Some("B"));
    let only = client
        .query("SELECT COUNT(Id) n FROM Account WHERE Industry = 'Media'")
        .await
        .unwrap();
    assert_eq!(only.records[0].get_int("n").unwrap(), Some(1));
}

#[tokio::test]
async fn polymorphic_references_and_multi_select_picklists() {
    let (_org, client) = start().await;
    let acme = client.create(&[account("Acme")]).await.unwrap()[0]
        .id
        .unwrap();
    let lead = client
        .create(&[SObject::new("Lead")
            .with("LastName", "Lovelace")
            .with("Company", "Engines")])
        .await
        .unwrap();
    assert!(lead[0].success, "{lead:?}");
    let lead = lead[0].id.unwrap();
    let tasks = client
        .create(&[
            SObject::new("Task")
                .with("Subject", "Call")
                .with("WhatId", acme.as_str()),
            SObject::new("Task")
                .with("Subject", "Other")
                .with("WhoId", lead.as_str()),
        ])
        .await
        .unwrap();
    assert!(tasks.iter().all(|t| t.success), "{tasks:?}");
    let rows = client
        .query("SELECT Subject, Status, What.Name, Who.Name FROM Task ORDER BY Subject")
        .await
        .unwrap();
    let call = &rows.records[0];
    // The defaulted picklist value, and the parent typed by its Id's key prefix.
    assert_eq!(call.get_str("Status").unwrap(), Some("Not Started"));
    assert_eq!(call.get_sobject("What").unwrap().unwrap().r#type, "Account");
    assert_eq!(call.get_str("What.Name").unwrap(), Some("Acme"));
    assert!(call.is_null("Who"));
    assert_eq!(
        rows.records[1].get_sobject("Who").unwrap().unwrap().r#type,
        "Lead"
    );
    assert_eq!(
        rows.records[1].get_str("Who.Name").unwrap(),
        Some("Lovelace")
    );

    let filtered = client
        .query("SELECT Subject FROM Task WHERE What.Name = 'Acme' AND Status IN ('Not Started')")
        .await
        .unwrap();
    assert_eq!(filtered.size, 1);

    let typed = client
        .query("SELECT Subject, TYPEOF What WHEN Account THEN Id, Name, Industry WHEN Opportunity THEN StageName ELSE Name END, TYPEOF Who WHEN Contact THEN Email ELSE Name, Id END FROM Task ORDER BY Subject")
        .await
        .unwrap();
    let what = typed.records[0].get_sobject("What").unwrap().unwrap();
    assert_eq!(what.r#type, "Account");
    assert_eq!(what.id.as_deref(), Some(acme.as_str()));
    assert_eq!(what.get_str("Name").unwrap(), Some("Acme"));
    assert!(what.is_null("Industry"));
    assert!(
        what.get("StageName").is_none(),
        "the Opportunity branch's field"
    );
    assert!(typed.records[0].is_null("Who"));
    let who = typed.records[1].get_sobject("Who").unwrap().unwrap();
    assert_eq!(who.r#type, "Lead");
    assert_eq!(who.get_str("Name").unwrap(), Some("Lovelace"));
    assert!(who.get("Email").is_none(), "a Lead takes the ELSE fields");
    let bad = client
        .query("SELECT TYPEOF What WHEN Widget THEN Name END FROM Task")
        .await
        .unwrap_err();
    assert_eq!(bad.fault().unwrap().exception_code(), "INVALID_FIELD");
}

#[sforce::sobject(name = "Account")]
#[derive(Debug, Clone, Default, PartialEq)]
struct TypedAccount {
    id: sforce::Field<sforce::Id>,
    name: sforce::Field<String>,
    #[sobject(field = "NumberOfEmployees")]
    employees: sforce::Field<i32>,
}

#[tokio::test]
async fn the_typed_client_round_trips_structs() {
    let (_org, client) = start().await;
    let typed = client.typed();
    let mut record = TypedAccount::default();
    record.name.set("Typed".to_owned());
    record.employees.set(42);
    let created = typed.create(&[record]).await.unwrap();
    let id = created[0].id.unwrap();
    let found: Vec<TypedAccount> = typed
        .query::<TypedAccount>("SELECT Id, Name, NumberOfEmployees FROM Account")
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id.value(), Some(&id));
    assert_eq!(found[0].employees.value(), Some(&42));
    let retrieved = typed.retrieve::<TypedAccount>(&[id]).await.unwrap();
    assert_eq!(
        retrieved[0]
            .as_ref()
            .unwrap()
            .name
            .value()
            .map(String::as_str),
        Some("Typed")
    );

    let mut change = TypedAccount::default();
    change.id.set(id);
    change.employees.set(7);
    assert!(typed.update(&[change]).await.unwrap()[0].success);
    let mut fresh = TypedAccount::default();
    fresh.name.set("Upserted".to_owned());
    assert!(typed.upsert("Id", &[fresh]).await.unwrap()[0].created);
    typed.client().delete(&[id]).await.unwrap();
    let all: Vec<TypedAccount> = typed
        .query_all::<TypedAccount>("SELECT Id, Name, NumberOfEmployees FROM Account ORDER BY Name")
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2, "the deleted one too");
    assert_eq!(all[0].employees.value(), Some(&7));
}

#[test]
fn the_blocking_client_works_against_an_org_on_another_runtime() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let org = runtime.block_on(LocalOrg::builder().start()).unwrap();
    let client = partner::blocking::Client::from(client_for(&org));
    let accounts: Vec<SObject> = (0..450).map(|i| account(&format!("B{i}"))).collect();
    let results = client.create(&accounts).unwrap();
    assert_eq!(results.len(), 450);
    let names: Vec<String> = client
        .query_iter("SELECT Name FROM Account ORDER BY Name")
        .map(|r| r.unwrap().get_str("Name").unwrap().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), 450);
    // Create calls went out in 200s: 200 + 200 + 50.
    let creates: Vec<usize> = org
        .requests()
        .iter()
        .filter(|c| c.operation.as_deref() == Some("create"))
        .map(|c| c.request.matches("<sf:type>").count())
        .collect();
    assert_eq!(creates, [200, 200, 50]);
}

#[tokio::test]
async fn like_escapes_its_wildcards_and_nulls_sort_first_or_last() {
    let (_org, client) = start().await;
    let with_phone = |name: &str, phone: Option<&str>| match phone {
        Some(phone) => account(name).with("Phone", phone),
        None => account(name),
    };
    client
        .create(&[
            with_phone("100% Cotton", Some("3")),
            with_phone("100 Cotton", None),
            with_phone("snake_case", Some("1")),
            with_phone("snakeXcase", None),
        ])
        .await
        .unwrap();
    let names = |result: partner::QueryResult| -> Vec<String> {
        result
            .records
            .iter()
            .map(|r| r.get_str("Name").unwrap().unwrap().to_owned())
            .collect()
    };
    let percent = client
        .query(r"SELECT Name FROM Account WHERE Name LIKE '100\\%%'")
        .await
        .unwrap();
    assert_eq!(
        names(percent),
        ["100% Cotton"],
        "an escaped % is a literal %"
    );
    let underscore = client
        .query(r"SELECT Name FROM Account WHERE Name LIKE 'snake\\_case'")
        .await
        .unwrap();
    assert_eq!(names(underscore), ["snake_case"]);
    let any_one = client
        .query("SELECT Name FROM Account WHERE Name LIKE 'snake_case' ORDER BY Name")
        .await
        .unwrap();
    // Text sorts without regard to case, `_` before letters.
    assert_eq!(names(any_one), ["snake_case", "snakeXcase"]);

    let first = client
        .query("SELECT Name FROM Account ORDER BY Phone ASC NULLS FIRST, Name")
        .await
        .unwrap();
    assert_eq!(
        names(first),
        ["100 Cotton", "snakeXcase", "snake_case", "100% Cotton"]
    );
    let last = client
        .query("SELECT Name FROM Account ORDER BY Phone DESC NULLS LAST, Name")
        .await
        .unwrap();
    assert_eq!(
        names(last),
        ["100% Cotton", "snake_case", "100 Cotton", "snakeXcase"]
    );
}

#[tokio::test]
async fn a_locator_lasts_two_days_on_the_orgs_clock() {
    let clock = Clock::fixed("2026-05-04T08:00:00Z".parse().unwrap());
    let builder = LocalOrg::builder()
        .clock(clock.clone())
        .session_timeout(std::time::Duration::from_secs(7 * 86_400));
    let (_org, client) = start_with(builder).await;
    let accounts: Vec<SObject> = (0..600).map(|i| account(&format!("A{i:03}"))).collect();
    client.create(&accounts).await.unwrap();
    let options = RequestOptions::new()
        .headers(QueryHeaders::default().query_options(QueryOptions::default().batch_size(200)));
    let first = client
        .query_with("SELECT Name FROM Account ORDER BY Name", &options)
        .await
        .unwrap()
        .body;
    clock.advance(chrono::Duration::hours(47));
    let second = client
        .query_more(first.query_locator.unwrap().as_str())
        .await
        .unwrap();
    assert_eq!(second.records[0].get_str("Name").unwrap(), Some("A200"));
    clock.advance(chrono::Duration::hours(1));
    let expired = client
        .query_more(second.query_locator.unwrap().as_str())
        .await
        .unwrap_err();
    assert_eq!(common::fault_code(&expired), "INVALID_QUERY_LOCATOR");
}
