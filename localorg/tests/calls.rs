//! The calls beyond query and plain DML, the seed data, limits and fault injection,
//! driven by the project's own client over loopback HTTP.

use std::time::Duration;

use sforce::partner;
use sforce::{Connection, Id, SObject};
use sforce_localorg::{Clock, Failure, Injection, LocalOrg};

mod common;

use common::{client_for, codes, create_ids, fault_code, http, start};

#[tokio::test]
async fn the_demo_data_set_seeds_related_records() {
    let (org, client) = start(LocalOrg::builder().seed_demo()).await;
    let accounts = client.query("SELECT COUNT() FROM Account").await.unwrap();
    assert_eq!(accounts.size, 8);
    let industries = client
        .query("SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry")
        .await
        .unwrap();
    assert_eq!(industries.size, 8, "one account per industry");
    let contacts = client
        .query("SELECT Name, Account.Name FROM Contact WHERE Account.Name = 'Acme Corporation'")
        .await
        .unwrap();
    assert!(contacts.size >= 1);
    let won = client
        .query("SELECT Name FROM Opportunity WHERE IsWon = true")
        .await
        .unwrap();
    assert_eq!(won.size, 1);
    for object in ["Lead", "Document", "EmailTemplate"] {
        let found = client
            .query(&format!("SELECT COUNT() FROM {object}"))
            .await
            .unwrap();
        assert_eq!(found.size, 1, "{object}");
    }
    drop(org);
}

#[tokio::test]
async fn seed_files_refer_to_each_other_by_key_and_name_bad_records() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Contact.csv"),
        "@key,FirstName,LastName,AccountId\nada,Ada,Lovelace,@acme\n,\"Grace, RADM\",Hopper,@acme\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("accounts.json"),
        r#"{"Account": [{"@key": "acme", "Name": "Acme", "NumberOfEmployees": 12, "OwnerId": "@me"}]}"#,
    )
    .unwrap();
    let (_org, client) = start(LocalOrg::builder().seed(dir.path())).await;
    let rows = client
        .query("SELECT FirstName, Account.Name FROM Contact ORDER BY LastName")
        .await
        .unwrap();
    assert_eq!(rows.size, 2);
    assert_eq!(
        rows.records[0].get_str("FirstName").unwrap(),
        Some("Grace, RADM")
    );
    assert_eq!(
        rows.records[0].get_str("Account.Name").unwrap(),
        Some("Acme")
    );

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"Contact": [{"FirstName": "No last name"}]}"#).unwrap();
    let error = LocalOrg::builder()
        .seed(&bad)
        .start()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("bad.json: Contact[0]") && error.contains("REQUIRED_FIELD_MISSING"),
        "{error}"
    );
    std::fs::write(
        &bad,
        r#"{"Contact": [{"LastName": "X", "AccountId": "@nobody"}]}"#,
    )
    .unwrap();
    let error = LocalOrg::builder()
        .seed(&bad)
        .start()
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("refers to @nobody"), "{error}");
    std::fs::write(&bad, "{\"Contact\": [\n  {\"LastName\": }]}").unwrap();
    let error = LocalOrg::builder()
        .seed(&bad)
        .start()
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("bad.json:2:"), "{error}");
}

#[tokio::test]
async fn get_updated_and_get_deleted_cover_their_windows() {
    let clock = Clock::fixed("2026-05-01T10:00:00Z".parse().unwrap());
    let (_org, client) = start(LocalOrg::builder().clock(clock.clone())).await;
    let start_at = clock.now();
    let ids = create_ids(
        &client,
        &[
            SObject::new("Account").with("Name", "One"),
            SObject::new("Account").with("Name", "Two"),
        ],
    )
    .await;
    clock.advance(chrono::Duration::minutes(5));
    client.delete(&[ids[1]]).await.unwrap();
    clock.advance(chrono::Duration::minutes(5));
    let updated = client
        .get_updated("Account", start_at, clock.now())
        .await
        .unwrap();
    assert_eq!(updated.ids, [ids[0]]);
    assert_eq!(updated.latest_date_covered, clock.now());
    let deleted = client
        .get_deleted("Account", start_at, clock.now())
        .await
        .unwrap();
    assert_eq!(deleted.deleted_records.len(), 1);
    assert_eq!(deleted.deleted_records[0].id, ids[1]);
    assert_eq!(
        deleted.deleted_records[0].deleted_date,
        start_at + chrono::Duration::minutes(5)
    );
    let backwards = client
        .get_updated("Account", clock.now(), start_at)
        .await
        .unwrap_err();
    assert_eq!(fault_code(&backwards), "INVALID_REPLICATION_DATE");
}

#[tokio::test]
async fn sosl_finds_records_across_objects() {
    let (_org, client) = start(LocalOrg::builder().seed_demo()).await;
    let found = client
        .search("FIND {acme} IN NAME FIELDS RETURNING Account(Id, Name WHERE Industry = 'Manufacturing'), Opportunity(Name ORDER BY Name LIMIT 1)")
        .await
        .unwrap();
    let types: Vec<&str> = found
        .search_records
        .iter()
        .map(|r| r.record.r#type.as_str())
        .collect();
    assert_eq!(types, ["Account", "Opportunity"]);
    assert_eq!(
        found.search_records[0].record.get_str("Name").unwrap(),
        Some("Acme Corporation")
    );
    let by_email = client
        .search("FIND {ada.lovelace@example.com} IN EMAIL FIELDS RETURNING Contact(FirstName)")
        .await
        .unwrap();
    assert_eq!(by_email.search_records.len(), 1);
    let wildcard = client
        .search("FIND {Lov* OR Hopp?r} RETURNING Contact(LastName ORDER BY LastName)")
        .await
        .unwrap();
    let names: Vec<&str> = wildcard
        .search_records
        .iter()
        .map(|r| r.record.get_str("LastName").unwrap().unwrap())
        .collect();
    assert_eq!(names, ["Hopper", "Lovelace"]);
    let error = client.search("FIND acme").await.unwrap_err();
    assert_eq!(fault_code(&error), "MALFORMED_SEARCH");
    assert!(error
        .fault()
        .unwrap()
        .detail::<partner::MalformedSearchFault>()
        .is_some());
}

#[tokio::test]
async fn merge_reparents_children_and_deletes_the_losers() {
    let (_org, client) = start(LocalOrg::builder()).await;
    let ids = create_ids(
        &client,
        &[
            SObject::new("Account").with("Name", "Keep"),
            SObject::new("Account").with("Name", "Lose"),
        ],
    )
    .await;
    let contact = client
        .create(&[SObject::new("Contact")
            .with("LastName", "Moved")
            .with("AccountId", ids[1].as_str())])
        .await
        .unwrap()[0]
        .id
        .unwrap();
    let merged = client
        .merge(&[partner::MergeRequest {
            master_record: SObject::new("Account")
                .with_id(ids[0].as_str())
                .with("Phone", "555"),
            record_to_merge_ids: vec![ids[1]],
            ..Default::default()
        }])
        .await
        .unwrap();
    assert!(merged[0].success, "{merged:?}");
    assert_eq!(merged[0].merged_record_ids, [ids[1]]);
    assert_eq!(merged[0].updated_related_ids, [contact]);
    let rows = client
        .query("SELECT Account.Name, Account.Phone FROM Contact")
        .await
        .unwrap();
    assert_eq!(
        rows.records[0].get_str("Account.Name").unwrap(),
        Some("Keep")
    );
    assert_eq!(
        rows.records[0].get_str("Account.Phone").unwrap(),
        Some("555")
    );
    let left = client.query("SELECT COUNT() FROM Account").await.unwrap();
    assert_eq!(left.size, 1);
    let all = client
        .query_all("SELECT MasterRecordId FROM Account WHERE IsDeleted = true")
        .await
        .unwrap();
    assert_eq!(
        all.records[0].get_str("MasterRecordId").unwrap(),
        Some(ids[0].as_str())
    );
}

#[tokio::test]
async fn convert_lead_creates_account_contact_and_opportunity() {
    let clock = Clock::fixed("2026-11-20T09:00:00Z".parse().unwrap());
    let (_org, client) = start(LocalOrg::builder().clock(clock)).await;
    let lead = client
        .create(&[SObject::new("Lead")
            .with("FirstName", "Linus")
            .with("LastName", "Torvalds")
            .with("Company", "Kernel Works")
            .with("Email", "linus@example.com")])
        .await
        .unwrap()[0]
        .id
        .unwrap();
    let converted = client
        .convert_lead(&[partner::LeadConvert {
            lead_id: lead,
            converted_status: "Closed - Converted".to_owned(),
            ..Default::default()
        }])
        .await
        .unwrap();
    let result = &converted[0];
    assert!(result.success, "{result:?}");
    let account = result.account_id.unwrap();
    let rows = client
        .query(&format!(
            "SELECT Name, (SELECT FirstName, Email FROM Contacts), (SELECT Name, StageName, CloseDate FROM Opportunities) FROM Account WHERE Id = '{}'",
            account.as_str()
        ))
        .await
        .unwrap();
    let record = &rows.records[0];
    assert_eq!(record.get_str("Name").unwrap(), Some("Kernel Works"));
    let contacts = record.get_query("Contacts").unwrap().unwrap();
    assert_eq!(
        contacts.records[0].get_str("Email").unwrap(),
        Some("linus@example.com")
    );
    let opportunities = record.get_query("Opportunities").unwrap().unwrap();
    assert_eq!(
        opportunities.records[0].get_str("CloseDate").unwrap(),
        Some("2026-12-31")
    );
    let lead_row = client
        .query(&format!(
            "SELECT IsConverted, Status, ConvertedContactId FROM Lead WHERE Id = '{}'",
            lead.as_str()
        ))
        .await
        .unwrap();
    assert_eq!(
        lead_row.records[0].get_bool("IsConverted").unwrap(),
        Some(true)
    );
    assert_eq!(
        lead_row.records[0].get_str("ConvertedContactId").unwrap(),
        result.contact_id.as_ref().map(Id::as_str)
    );
    let again = client
        .convert_lead(&[partner::LeadConvert {
            lead_id: lead,
            converted_status: "Closed - Converted".to_owned(),
            ..Default::default()
        }])
        .await
        .unwrap();
    assert_eq!(codes(&again[0].errors), ["CANNOT_UPDATE_CONVERTED_LEAD"]);
}

#[tokio::test]
async fn send_email_fills_templates_into_the_outbox() {
    let (org, client) = start(LocalOrg::builder().seed_demo()).await;
    let template = client
        .query("SELECT Id FROM EmailTemplate")
        .await
        .unwrap()
        .records[0]
        .id
        .clone()
        .unwrap();
    let contact = client
        .query("SELECT Id FROM Contact WHERE LastName = 'Lovelace'")
        .await
        .unwrap()
        .records[0]
        .id
        .clone()
        .unwrap();
    let results = client
        .send_email(&[
            partner::EmailKind::SingleEmailMessage(partner::SingleEmailMessage {
                template_id: Some(Id::new(&template).unwrap()),
                target_object_id: Some(Id::new(&contact).unwrap()),
                ..Default::default()
            }),
            partner::EmailKind::SingleEmailMessage(partner::SingleEmailMessage {
                to_addresses: vec!["ops@example.com".to_owned()],
                subject: Some("Report".to_owned()),
                plain_text_body: Some("All good.".to_owned()),
                ..Default::default()
            }),
            partner::EmailKind::SingleEmailMessage(partner::SingleEmailMessage::default()),
        ])
        .await
        .unwrap();
    assert!(results[0].success && results[1].success, "{results:?}");
    assert!(!results[2].success);
    let outbox = org.outbox();
    assert_eq!(outbox.len(), 2);
    assert_eq!(outbox[0].to, ["ada.lovelace@example.com"]);
    assert_eq!(outbox[0].subject, "Welcome, Ada");
    assert!(
        outbox[0].body.starts_with("Dear Ada Lovelace,"),
        "{}",
        outbox[0].body
    );
    assert_eq!(outbox[1].subject, "Report");

    // A mass email: the template filled in for each target.
    let targets: Vec<Id> = client
        .query("SELECT Id FROM Contact ORDER BY LastName LIMIT 3")
        .await
        .unwrap()
        .records
        .iter()
        .map(|r| Id::new(r.id.as_deref().unwrap()).unwrap())
        .collect();
    let mass = client
        .send_email(&[partner::EmailKind::MassEmailMessage(
            partner::MassEmailMessage {
                template_id: Id::new(&template).unwrap(),
                target_object_ids: targets.clone(),
                ..Default::default()
            },
        )])
        .await
        .unwrap();
    assert!(mass[0].success, "{mass:?}");
    let outbox = org.outbox();
    assert_eq!(outbox.len(), 5, "one message per target");
    for (sent, target) in outbox[2..].iter().zip(&targets) {
        assert_eq!(sent.target, Some(*target));
        assert!(sent.subject.starts_with("Welcome, "), "{}", sent.subject);
        assert!(
            !sent.body.contains("{!"),
            "merge fields filled: {}",
            sent.body
        );
    }
}

#[tokio::test]
async fn approvals_submit_and_approve() {
    let (_org, client) = start(LocalOrg::builder()).await;
    let opportunity = client
        .create(&[SObject::new("Opportunity")
            .with("Name", "Big deal")
            .with("StageName", "Prospecting")
            .with("CloseDate", "2027-01-31")])
        .await
        .unwrap()[0]
        .id
        .unwrap();
    let submitted = client
        .process(&[partner::ProcessRequestKind::ProcessSubmitRequest(
            partner::ProcessSubmitRequest {
                object_id: opportunity,
                comments: Some("please".to_owned()),
                ..Default::default()
            },
        )])
        .await
        .unwrap();
    assert!(submitted[0].success, "{submitted:?}");
    assert_eq!(submitted[0].instance_status.as_deref(), Some("Pending"));
    let workitem = submitted[0].new_workitem_ids[0];
    let approved = client
        .process(&[partner::ProcessRequestKind::ProcessWorkitemRequest(
            partner::ProcessWorkitemRequest {
                action: "Approve".to_owned(),
                workitem_id: workitem,
                ..Default::default()
            },
        )])
        .await
        .unwrap();
    assert_eq!(approved[0].instance_status.as_deref(), Some("Approved"));
    assert_eq!(approved[0].entity_id, Some(opportunity));
}

#[tokio::test]
async fn passwords_can_be_set_and_reset() {
    let (org, client) = start(LocalOrg::builder()).await;
    let me = client.get_user_info().await.unwrap().user_id;
    client.set_password(me, "a-new-password").await.unwrap();
    let short = client.set_password(me, "short").await.unwrap_err();
    assert_eq!(fault_code(&short), "INVALID_NEW_PASSWORD");
    let reset = client.reset_password(me).await.unwrap();
    let connection = Connection::builder()
        .login_url(org.url())
        .password_login(
            org.username(),
            reset.password.as_str(),
            org.security_token(),
        )
        .build()
        .unwrap();
    partner::Client::new(connection)
        .get_server_timestamp()
        .await
        .unwrap();
    let tabs = client.describe_tabs().await.unwrap();
    assert!(tabs[0]
        .tabs
        .iter()
        .any(|t| t.sobject_name.as_deref() == Some("Account")));
}

#[tokio::test]
async fn the_api_request_limit_counts_a_rolling_day_in_limit_info() {
    let clock = Clock::fixed("2026-11-02T10:00:00Z".parse().unwrap());
    let builder = LocalOrg::builder()
        .api_request_limit(3)
        .clock(clock.clone())
        .session_timeout(Duration::from_secs(2 * 86_400));
    let (org, client) = start(builder).await;
    let response = client
        .get_server_timestamp_with(&sforce::RequestOptions::default())
        .await
        .unwrap();
    let info = &response
        .headers
        .limit_info_header
        .as_ref()
        .unwrap()
        .limit_info[0];
    assert_eq!(
        (info.current, info.limit, info.type_.as_str()),
        (1, 3, "API REQUESTS")
    );
    client.get_server_timestamp().await.unwrap();
    client.get_server_timestamp().await.unwrap();
    let over = client.get_server_timestamp().await.unwrap_err();
    assert_eq!(fault_code(&over), "REQUEST_LIMIT_EXCEEDED");
    assert_eq!(org.api_requests(), 3);
    // The window rolls: 24 hours after the first request, it no longer counts.
    clock.advance(chrono::Duration::hours(24));
    assert_eq!(org.api_requests(), 0);
    client.get_server_timestamp().await.unwrap();
    assert_eq!(org.api_requests(), 1);
}

#[tokio::test]
async fn injected_faults_reach_the_client_as_salesforce_sends_them() {
    let (org, client) = start(LocalOrg::builder()).await;
    client.get_server_timestamp().await.unwrap(); // logged in: call 1 and 2

    org.inject(Injection::next(
        1,
        Failure::Fault {
            code: "SERVER_UNAVAILABLE".to_owned(),
            message: "down for a moment".to_owned(),
        },
    ));
    assert_eq!(
        fault_code(&client.get_server_timestamp().await.unwrap_err()),
        "SERVER_UNAVAILABLE"
    );
    client.get_server_timestamp().await.unwrap();

    org.inject(Injection::next(1, Failure::RequestLimitExceeded).only("query"));
    client.get_server_timestamp().await.unwrap(); // not a query: untouched
    let limited = client.query("SELECT Id FROM Account").await.unwrap_err();
    assert_eq!(fault_code(&limited), "REQUEST_LIMIT_EXCEEDED");

    org.inject(Injection::next(1, Failure::Unavailable));
    let unavailable = client.get_server_timestamp().await.unwrap_err();
    assert!(unavailable.fault().is_none(), "{unavailable}");
    assert!(unavailable.to_string().contains("503"), "{unavailable}");

    org.inject(Injection::next(1, Failure::DropConnection));
    let dropped = client.get_server_timestamp().await.unwrap_err();
    assert!(dropped.fault().is_none(), "{dropped}");

    org.inject(Injection::next(
        1,
        Failure::Latency(Duration::from_millis(300)),
    ));
    let started = std::time::Instant::now();
    client.get_server_timestamp().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));

    org.inject(Injection::next(1, Failure::StallMidBody));
    let stalled = client
        .get_server_timestamp_with(
            &sforce::RequestOptions::new().timeout(Duration::from_millis(500)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(stalled, sforce::Error::Timeout { .. }),
        "{stalled}"
    );

    // An expired session: the client logs in again and the call goes through.
    let logins_before = logins(&org);
    org.inject(Injection::next(1, Failure::ExpireSession));
    client.get_server_timestamp().await.unwrap();
    assert_eq!(logins(&org), logins_before + 1);
    org.clear_injections();
}

#[tokio::test]
async fn a_session_expires_at_the_nth_call_and_the_client_logs_in_again() {
    let (org, client) = start(LocalOrg::builder()).await;
    org.inject(Injection::at_call(3, Failure::ExpireSession));
    for _ in 0..3 {
        client.get_server_timestamp().await.unwrap();
    }
    let calls: Vec<(String, u16)> = org
        .requests()
        .into_iter()
        .map(|c| (c.operation.unwrap(), c.status))
        .collect();
    let expected = [
        ("login", 200),
        ("getServerTimestamp", 200),
        ("getServerTimestamp", 500), // call 3: INVALID_SESSION_ID
        ("login", 200),
        ("getServerTimestamp", 200), // the same call again
        ("getServerTimestamp", 200),
    ];
    let expected: Vec<(String, u16)> = expected.iter().map(|(o, s)| (o.to_string(), *s)).collect();
    assert_eq!(calls, expected);
    assert!(org.requests()[2].response.contains("INVALID_SESSION_ID"));
}

#[tokio::test]
async fn a_fraction_of_calls_fails_the_same_way_for_the_same_seed() {
    let run = |seed| async move {
        let org = LocalOrg::builder().start().await.unwrap();
        let client = client_for(&org);
        client.get_server_timestamp().await.unwrap();
        org.inject(Injection::fraction(0.3, seed, Failure::Unavailable).only("getServerTimestamp"));
        let mut failed = Vec::new();
        for _ in 0..40 {
            failed.push(client.get_server_timestamp().await.is_err());
        }
        failed
    };
    let first = run(9).await;
    assert_eq!(first, run(9).await);
    let share = first.iter().filter(|f| **f).count();
    assert!((4..=20).contains(&share), "{share} of 40");
}

#[tokio::test]
async fn too_many_long_running_requests_at_once_hit_the_concurrency_limit() {
    // A request 400 ms long, and another 100 ms into it.
    async fn overlap(org: &LocalOrg, client: &partner::Client) -> Result<(), sforce::Error> {
        client.get_server_timestamp().await.unwrap();
        org.inject(Injection::next(
            1,
            Failure::Latency(Duration::from_millis(400)),
        ));
        let slow = client.get_server_timestamp();
        let second = async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            client.get_server_timestamp().await
        };
        let (slow, second) = tokio::join!(slow, second);
        slow.unwrap();
        second.map(drop)
    }
    let builder = LocalOrg::builder()
        .concurrent_request_limit(1)
        .long_running_after(Duration::from_millis(50));
    let (org, client) = start(builder).await;
    let refused = overlap(&org, &client).await.unwrap_err();
    assert_eq!(fault_code(&refused), "REQUEST_LIMIT_EXCEEDED");
    // By default a request counts once it has run 20 seconds: 100 ms is not long-running.
    let (org, client) = start(LocalOrg::builder().concurrent_request_limit(1)).await;
    overlap(&org, &client).await.unwrap();
}

fn logins(org: &LocalOrg) -> usize {
    org.requests()
        .iter()
        .filter(|c| c.operation.as_deref() == Some("login"))
        .count()
}

#[tokio::test]
async fn describe_layout_and_file_download() {
    let (org, client) = start(LocalOrg::builder().seed_demo()).await;
    let layout = client
        .describe_layout("Contact", None, &[])
        .await
        .unwrap()
        .expect("a layout");
    let sections = &layout.layouts[0].edit_layout_sections;
    let last_name = sections[0]
        .layout_rows
        .iter()
        .flat_map(|row| &row.layout_items)
        .find(|item| item.label.as_deref() == Some("Last Name"))
        .expect("LastName is on the layout");
    assert!(last_name.required && last_name.editable_for_new);

    let document = client
        .query("SELECT Id FROM Document")
        .await
        .unwrap()
        .records[0]
        .id
        .clone()
        .unwrap();
    let session = client.connection().session().expect("logged in");
    let url = format!("{}/servlet/servlet.FileDownload?file={document}", org.url());
    let (status, body) = get(&url, Some(session.session_id().expose())).await;
    assert_eq!(status, 200);
    assert!(body.starts_with("Price list:"), "{body}");
    let (status, _) = get(&url, None).await;
    assert_eq!(status, 302, "no session: to the login page");
}

/// A raw GET, with a bearer session.
async fn get(url: &str, session: Option<&str>) -> (u16, String) {
    let auth = session.map(|s| format!("Bearer {s}"));
    let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
    http("GET", url, &headers, b"").await
}

#[tokio::test]
async fn apex_calls_say_plainly_that_nothing_ran() {
    let (org, client) = start(LocalOrg::builder()).await;
    client.get_server_timestamp().await.unwrap(); // log in through the partner API
    let apex = sforce::apex::Client::new(client.connection().clone());
    let result = apex.execute_anonymous("System.debug('hi');").await.unwrap();
    assert!(!result.success && !result.compiled);
    assert!(result.compile_problem.unwrap().contains("not executed"));
    let tests = apex
        .run_tests(&sforce::apex::RunTestsRequest {
            all_tests: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(tests.num_tests_run, 0);
    assert!(tests.code_coverage_warnings[0]
        .message
        .contains("no test was executed"));
    org.revoke_sessions();
    let revoked = sforce::apex::Client::new(
        Connection::builder()
            .session(
                "00Dbogus!session",
                format!("{}/services/Soap/u/64.0", org.url()),
            )
            .build()
            .unwrap(),
    )
    .execute_anonymous("x")
    .await
    .unwrap_err();
    assert_eq!(fault_code(&revoked), "INVALID_SESSION_ID");
}

const PRIVATE_KEY: &str = include_str!("data/test-only-jwt-private-key.pem");
/// A self-signed X.509 certificate of that key, what a connected app holds.
const CERTIFICATE: &str = include_str!("data/test-only-jwt-certificate.pem");
const PUBLIC_KEY: &str = include_str!("data/test-only-jwt-public-key.pem");

fn with_app() -> sforce_localorg::Builder {
    LocalOrg::builder().connected_app(
        sforce_localorg::ConnectedApp::new("3MVG9local", "app-secret").jwt_certificate(CERTIFICATE),
    )
}

#[tokio::test]
async fn a_jwt_apps_key_can_be_its_public_key_alone() {
    let app = sforce_localorg::ConnectedApp::new("3MVG9local", "s").jwt_certificate(PUBLIC_KEY);
    let org = LocalOrg::builder()
        .connected_app(app)
        .start()
        .await
        .unwrap();
    let client = oauth_client(Connection::builder().login_url(org.url()).jwt_bearer(
        "3MVG9local",
        org.username(),
        PRIVATE_KEY,
    ))
    .await;
    client.expect("JWT bearer with the public key");
}

async fn oauth_client(
    connection: sforce::ConnectionBuilder,
) -> Result<partner::Client, sforce::Error> {
    let client = partner::Client::new(connection.build()?);
    client.get_server_timestamp().await?;
    Ok(client)
}

#[tokio::test]
async fn oauth_flows_hand_out_sessions_the_soap_api_takes() {
    let (org, _client) = start(with_app()).await;
    let builder = || Connection::builder().login_url(org.url());

    let jwt = oauth_client(builder().jwt_bearer("3MVG9local", org.username(), PRIVATE_KEY)).await;
    let client = jwt.expect("JWT bearer");
    client
        .create(&[SObject::new("Account").with("Name", "Via JWT")])
        .await
        .unwrap();

    oauth_client(builder().client_credentials("3MVG9local", "app-secret"))
        .await
        .expect("client credentials");
    let refresh = org.refresh_token("3MVG9local").unwrap();
    oauth_client(builder().refresh_token("3MVG9local", Some("app-secret"), refresh))
        .await
        .expect("refresh token");

    let wrong_secret = oauth_client(builder().client_credentials("3MVG9local", "nope"))
        .await
        .unwrap_err();
    assert!(
        wrong_secret.to_string().contains("invalid_client"),
        "{wrong_secret}"
    );
    let unknown_app = oauth_client(builder().client_credentials("3MVG9other", "x"))
        .await
        .unwrap_err();
    assert!(
        unknown_app.to_string().contains("invalid_client_id"),
        "{unknown_app}"
    );
    let stale = oauth_client(builder().refresh_token("3MVG9local", None, "5Aep861stale"))
        .await
        .unwrap_err();
    assert!(stale.to_string().contains("invalid_grant"), "{stale}");
    let stranger =
        oauth_client(builder().jwt_bearer("3MVG9local", "someone@else.test", PRIVATE_KEY))
            .await
            .unwrap_err();
    assert!(stranger.to_string().contains("invalid_grant"), "{stranger}");
}

#[tokio::test]
async fn a_jwt_signed_by_another_key_is_refused() {
    let other = sforce_localorg::ConnectedApp::new("3MVG9local", "s")
        .jwt_certificate(include_str!("data/test-only-other-public-key.pem"));
    let org = LocalOrg::builder()
        .connected_app(other)
        .start()
        .await
        .unwrap();
    let refused = oauth_client(Connection::builder().login_url(org.url()).jwt_bearer(
        "3MVG9local",
        org.username(),
        PRIVATE_KEY,
    ))
    .await
    .unwrap_err();
    assert!(refused.to_string().contains("invalid_grant"), "{refused}");
}

#[tokio::test]
async fn a_users_describe_adds_a_custom_object() {
    let dump = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/Invoice__c.json");
    let (_org, client) = start(LocalOrg::builder().describe(dump)).await;
    let acme = client
        .create(&[SObject::new("Account").with("Name", "Acme")])
        .await
        .unwrap()[0]
        .id
        .unwrap();
    let created = client
        .create(&[
            SObject::new("Invoice__c")
                .with("Name", "INV-1")
                .with("Tags__c", "Urgent;Export")
                .with("External_Id__c", "X-1")
                .with("Account__c", acme.as_str()),
            SObject::new("Invoice__c")
                .with("Name", "INV-2")
                .with("Tags__c", "Internal"),
            SObject::new("Invoice__c")
                .with("Name", "Bad")
                .with("Tags__c", "Urgent;Someday"),
        ])
        .await
        .unwrap();
    let first = created[0].id.unwrap();
    assert_eq!(
        first.key_prefix(),
        "a0x",
        "the first custom object without a prefix"
    );
    assert_eq!(
        created[2].errors[0].status_code().as_str(),
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    );
    let count = |soql: &'static str| {
        let client = client.clone();
        async move { client.query(soql).await.unwrap().size }
    };
    assert_eq!(
        count("SELECT COUNT() FROM Invoice__c WHERE Tags__c INCLUDES ('urgent')").await,
        1
    );
    assert_eq!(
        count("SELECT COUNT() FROM Invoice__c WHERE Tags__c INCLUDES ('Export;Urgent', 'Nope')")
            .await,
        1
    );
    assert_eq!(
        count("SELECT COUNT() FROM Invoice__c WHERE Tags__c EXCLUDES ('Urgent')").await,
        1
    );
    let by_15 = client
        .query(&format!(
            "SELECT Name, Account__r.Name FROM Invoice__c WHERE Id = '{}'",
            first.to_15()
        ))
        .await
        .unwrap();
    assert_eq!(
        by_15.records[0].get_str("Account__r.Name").unwrap(),
        Some("Acme")
    );
    let second = client
        .query("SELECT Name FROM Invoice__c ORDER BY Name LIMIT 1 OFFSET 1")
        .await
        .unwrap();
    assert_eq!(second.records[0].get_str("Name").unwrap(), Some("INV-2"));

    let upserted = client
        .upsert(
            "External_Id__c",
            &[
                SObject::new("Invoice__c")
                    .with("External_Id__c", "X-1")
                    .with("Amount__c", "99.5"),
                SObject::new("Invoice__c")
                    .with("External_Id__c", "X-3")
                    .with("Name", "INV-3"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        upserted
            .iter()
            .map(|r| (r.success, r.created))
            .collect::<Vec<_>>(),
        [(true, false), (true, true)]
    );
    assert_eq!(upserted[0].id, Some(first));
    let duplicate = client
        .create(&[SObject::new("Invoice__c")
            .with("Name", "Again")
            .with("External_Id__c", "X-1")])
        .await
        .unwrap();
    assert_eq!(
        duplicate[0].errors[0].status_code().as_str(),
        "DUPLICATE_VALUE"
    );

    client.delete(&[first]).await.unwrap();
    assert_eq!(count("SELECT COUNT() FROM Invoice__c").await, 2);
    assert_eq!(count("SELECT COUNT() FROM Invoice__c ALL ROWS").await, 3);
    let emptied = client.empty_recycle_bin(&[first]).await.unwrap();
    assert!(emptied[0].success, "{emptied:?}");
    assert_eq!(count("SELECT COUNT() FROM Invoice__c ALL ROWS").await, 2);
    let again = client.undelete(&[first]).await.unwrap();
    assert_eq!(codes(&again[0].errors), ["INVALID_CROSS_REFERENCE_KEY"]);
}

#[tokio::test]
async fn gzip_request_bodies_and_the_admin_endpoint() {
    use std::io::Write as _;
    let (org, client) = start(LocalOrg::builder()).await;
    let login = format!(
        "<?xml version=\"1.0\"?><e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body><n1:login xmlns:n1=\"urn:partner.soap.sforce.com\"><n1:username>{}</n1:username><n1:password>{}{}</n1:password></n1:login></e:Body></e:Envelope>",
        org.username(),
        org.password(),
        org.security_token()
    );
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(login.as_bytes()).unwrap();
    let body = gzip.finish().unwrap();
    let (status, text) = raw_post(
        &org.soap_url("64.0"),
        &[("Content-Encoding", "gzip"), ("SOAPAction", "\"\"")],
        &body,
    )
    .await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("<p:sessionId>"), "{text}");

    let (status, text) = raw_post(
        &format!("{}/_localorg/inject", org.url()),
        &[("Content-Type", "application/json")],
        br#"{"failure": "fault", "code": "SERVER_UNAVAILABLE", "message": "maintenance", "next": 1, "only": "getServerTimestamp"}"#,
    )
    .await;
    assert_eq!((status, text.trim()), (200, "injected"));
    let error = client.get_server_timestamp().await.unwrap_err();
    assert_eq!(fault_code(&error), "SERVER_UNAVAILABLE");
    client.get_server_timestamp().await.unwrap();
    let (status, text) = raw_post(
        &format!("{}/_localorg/inject", org.url()),
        &[],
        br#"{"failure": "nap"}"#,
    )
    .await;
    assert_eq!(status, 400);
    assert!(text.contains("`failure` must be"), "{text}");
}

#[tokio::test]
async fn ten_thousand_records_page_through_query_more() {
    let (_org, client) = start(LocalOrg::builder()).await;
    let accounts: Vec<SObject> = (0..10_000)
        .map(|i| SObject::new("Account").with("Name", format!("A{i:05}")))
        .collect();
    let results = client.create(&accounts).await.unwrap();
    assert_eq!(results.len(), 10_000);
    let options = sforce::RequestOptions::new().headers(
        partner::QueryHeaders::default()
            .query_options(partner::QueryOptions::default().batch_size(2000)),
    );
    use futures_util::TryStreamExt;
    let names: Vec<String> = client
        .query_stream_with("SELECT Name FROM Account ORDER BY Name DESC", &options)
        .map_ok(|r| r.get_str("Name").unwrap().unwrap().to_owned())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names.len(), 10_000);
    assert_eq!(
        (names[0].as_str(), names[9_999].as_str()),
        ("A09999", "A00000")
    );
}

/// A raw POST with extra headers and a binary body.
async fn raw_post(url: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
    http("POST", url, headers, body).await
}

#[tokio::test]
async fn debug_output_never_shows_a_secret() {
    let builder = LocalOrg::builder()
        .password("hunter2-password")
        .security_token("TOKEN-SECRET")
        .connected_app(sforce_localorg::ConnectedApp::new(
            "3MVG9local",
            "app-secret-value",
        ));
    let shown = format!("{builder:?}");
    for secret in ["hunter2-password", "TOKEN-SECRET", "app-secret-value"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    let org = builder.start().await.unwrap();
    let client = client_for(&org);
    client.get_server_timestamp().await.unwrap();
    let shown = format!("{org:?} {:?}", org.requests());
    for secret in ["hunter2-password", "TOKEN-SECRET", "app-secret-value"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(
        org.requests()[0].request.contains("hunter2-password"),
        "the log keeps the body"
    );
}

/// A target for the AJAX proxy: answers 201 with a header of its own and a body that
/// echoes the method, path, query, the `X-Custom` and `Cookie` headers, whether a proxy
/// header came through, and the request body.
async fn echo_server() -> std::net::SocketAddr {
    use axum::http::{HeaderMap, Method, Uri};
    async fn echo(
        method: Method,
        uri: Uri,
        headers: HeaderMap,
        body: String,
    ) -> impl axum::response::IntoResponse {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-")
                .to_owned()
        };
        let proxy_headers = headers
            .keys()
            .any(|k| k.as_str().starts_with("salesforceproxy"));
        (
            axum::http::StatusCode::CREATED,
            [("x-upstream", "echo")],
            format!(
                "{method} {uri} custom={} cookie={} proxy-headers={proxy_headers} body={body}",
                header("x-custom"),
                header("cookie")
            ),
        )
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, axum::Router::new().fallback(echo))
            .await
            .unwrap()
    });
    address
}

#[tokio::test]
async fn the_ajax_proxy_calls_registered_remote_sites_for_a_live_session() {
    let target = echo_server().await;
    let (org, client) =
        start(LocalOrg::builder().remote_site(format!("http://{target}/api"))).await;
    client.get_server_timestamp().await.unwrap();
    let session = client.connection().session().unwrap();
    let sid = session.session_id().expose().to_owned();
    let http = reqwest::Client::new();
    let proxy = format!("{}/services/proxy", org.url());
    let send = |endpoint: Option<String>, sid: Option<&str>| {
        let mut request = http
            .post(&proxy)
            .header("X-Custom", "hello")
            .header("Cookie", "sid=page-session")
            .body("payload");
        if let Some(endpoint) = endpoint {
            request = request.header("SalesforceProxy-Endpoint", endpoint);
        }
        if let Some(sid) = sid {
            request = request.header("SalesforceProxy-SID", sid.to_owned());
        }
        request.send()
    };

    let answer = send(Some(format!("http://{target}/api/echo?x=1")), Some(&sid))
        .await
        .unwrap();
    assert_eq!(answer.status(), 201, "the target's status");
    assert_eq!(answer.headers()["x-upstream"], "echo");
    assert_eq!(
        answer.text().await.unwrap(),
        "POST /api/echo?x=1 custom=hello cookie=- proxy-headers=false body=payload",
        "method, path, the caller's headers and body pass; cookies and proxy headers do not"
    );

    let refused = [
        (
            send(Some(format!("http://{target}/api/echo")), None),
            401,
            "INVALID_SESSION_ID",
        ),
        (
            send(Some(format!("http://{target}/api/echo")), Some("00Dbogus")),
            401,
            "INVALID_SESSION_ID",
        ),
        (
            send(None, Some(&sid)),
            400,
            "SalesforceProxy-Endpoint header is missing",
        ),
        (
            send(Some("not a url".into()), Some(&sid)),
            400,
            "not a URL: not a url",
        ),
        (
            send(Some(format!("http://{target}/admin")), Some(&sid)),
            403,
            "Remote site settings. endpoint = http://",
        ),
        (
            send(Some(format!("http://{target}/apix")), Some(&sid)),
            403,
            "Remote site settings",
        ),
    ];
    for (request, status, text) in refused {
        let answer = request.await.unwrap();
        assert_eq!(answer.status(), status);
        let body = answer.text().await.unwrap();
        assert!(body.contains(text), "{body}");
    }

    // A registered site that is down: 502, naming it.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let down = closed.local_addr().unwrap();
    drop(closed);
    let (org, client) = start(LocalOrg::builder().remote_site(format!("http://{down}"))).await;
    client.get_server_timestamp().await.unwrap();
    let sid = client
        .connection()
        .session()
        .unwrap()
        .session_id()
        .expose()
        .to_owned();
    let answer = http
        .get(format!("{}/services/proxy", org.url()))
        .header("SalesforceProxy-Endpoint", format!("http://{down}/x"))
        .header("SalesforceProxy-SID", sid)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 502);
    assert!(answer
        .text()
        .await
        .unwrap()
        .contains(&format!("calling http://{down}/x")));
}

#[tokio::test]
async fn the_request_log_keeps_the_latest_calls() {
    let (org, client) = start(LocalOrg::builder().request_log(3)).await;
    for _ in 0..5 {
        client.get_server_timestamp().await.unwrap();
    }
    let operations: Vec<String> = org
        .requests()
        .into_iter()
        .map(|c| c.operation.unwrap())
        .collect();
    assert_eq!(
        operations, ["getServerTimestamp"; 3],
        "login and the first two are out"
    );
    let (org, client) = start(LocalOrg::builder().request_log(0)).await;
    client.get_server_timestamp().await.unwrap();
    assert!(org.requests().is_empty());
}
