//! The generated partner (and apex) clients over real HTTP against a loopback server:
//! login and endpoints, query streams, batching of DML calls, headers, timeouts, re-login.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use futures_util::{StreamExt, TryStreamExt};
use sforce::partner::{self, QueryHeaders, QueryOptions, SaveResult, StatusCode};
use sforce::Id;
use sforce::{apex, Error, RequestOptions, SObject};

// ----- login and endpoints ---------------------------------------------------------------

fn timestamp_response() -> String {
    partner_response(
        "getServerTimestamp",
        "<result><timestamp>2024-05-22T17:07:44.000Z</timestamp></result>",
    )
}

#[tokio::test]
async fn password_login_then_calls_go_to_the_server_url_host() {
    let instance = Server::start(|_| Reply::ok(timestamp_response())).await;
    let (login, logins) = login_server(&instance.url).await;
    let connection = password_connection(&login.url).build().unwrap();
    let client = partner::Client::new(connection.clone());

    let result = client.get_server_timestamp().await.unwrap();
    assert_eq!(result.timestamp.to_rfc3339(), "2024-05-22T17:07:44+00:00");

    assert_eq!(logins.load(Ordering::SeqCst), 1);
    let [login_request] = login.exchanges().try_into().unwrap();
    assert_eq!(login_request.path, "/services/Soap/u/64.0");
    assert_eq!(login_request.operation(), "login");
    assert_eq!(login_request.body().child_text("username"), Some(USERNAME));

    let [call] = instance.exchanges().try_into().unwrap();
    assert_eq!(call.host, instance.host());
    assert_ne!(call.host, login.host());
    assert_eq!(call.path, "/services/Soap/u/66.0");
    assert_eq!(call.operation(), "getServerTimestamp");
    assert_eq!(call.soap_action.as_deref(), Some("\"\""));
    assert!(
        call.content_type.starts_with("text/xml"),
        "{}",
        call.content_type
    );
    assert_eq!(call.session_id(), Some(session_id(1).as_str()));
    assert_eq!(
        connection.endpoint(&partner::SERVICE).as_deref(),
        Some(format!("{}/services/Soap/u/66.0", instance.url).as_str())
    );
}

#[tokio::test]
async fn bad_password_is_an_invalid_login_fault() {
    let instance = Server::start(|_| Reply::ok(timestamp_response())).await;
    let (login, _) = login_server(&instance.url).await;
    let connection = sforce::Connection::builder()
        .password_login(USERNAME, "wrong", SECURITY_TOKEN)
        .login_url(&login.url)
        .no_proxy()
        .no_trace()
        .build()
        .unwrap();
    let error = partner::Client::new(connection)
        .get_server_timestamp()
        .await
        .unwrap_err();
    let fault = error.fault().unwrap_or_else(|| panic!("{error:?}"));
    assert_eq!(fault.exception_code(), "INVALID_LOGIN");
    // The connection (the wire core, below the bindings) reads login faults with its own
    // reader: `fault::LoginFaultDetail`.
    let detail = fault
        .detail::<sforce::fault::LoginFaultDetail>()
        .expect("a LoginFaultDetail");
    assert_eq!(detail.exception_code, "INVALID_LOGIN");
    assert_eq!(
        partner::ExceptionCode::from(detail.exception_code.as_str()),
        partner::ExceptionCode::InvalidLogin
    );
    assert_eq!(
        detail.exception_message,
        "Invalid username, password, security token; or user locked out."
    );
    assert!(
        !error.to_string().contains("wrong"),
        "no password in errors"
    );
    assert!(instance.exchanges().is_empty());
}

// ----- query streams ---------------------------------------------------------------------

const LOCATOR_1: &str = "01gD0000002HU6KIAW-3";
const LOCATOR_2: &str = "01gD0000002HU6KIAW-5";

fn account_id(i: usize) -> String {
    format!("001D000000I{i:07}AAA")
}

/// `query` gives accounts 0–2 and LOCATOR_1, `queryMore(LOCATOR_1)` 3–4 and LOCATOR_2,
/// `queryMore(LOCATOR_2)` 5–6 and done. Any other locator is a fault.
fn three_batches(exchange: &Exchange) -> Reply {
    let records = |range: std::ops::Range<usize>| -> Vec<String> {
        range
            .map(|i| record("Account", &account_id(i), &format!("Account {i}")))
            .collect()
    };
    let body = exchange.body();
    match exchange.operation() {
        "query" | "queryAll" => {
            assert_eq!(
                body.child_text("queryString"),
                Some("SELECT Id, Name FROM Account ORDER BY Name")
            );
            let op = exchange.operation();
            Reply::ok(partner_response(
                op,
                &query_result(false, Some(LOCATOR_1), &records(0..3), 7),
            ))
        }
        "queryMore" => match body.child_text("queryLocator") {
            Some(LOCATOR_1) => Reply::ok(partner_response(
                "queryMore",
                &query_result(false, Some(LOCATOR_2), &records(3..5), 7),
            )),
            Some(LOCATOR_2) => Reply::ok(partner_response(
                "queryMore",
                &query_result(true, None, &records(5..7), 7),
            )),
            other => Reply::fault(fault(
                "INVALID_QUERY_LOCATOR",
                &format!("unknown locator {other:?}"),
            )),
        },
        other => Reply::fault(fault("UNKNOWN_EXCEPTION", &format!("unexpected {other}"))),
    }
}

#[tokio::test]
async fn query_stream_yields_every_batch_in_order_and_fetches_lazily() {
    let server = Server::start(three_batches).await;
    let client = partner::Client::new(session_connection(&server.url));

    let mut stream = client.query_stream("SELECT Id, Name FROM Account ORDER BY Name");
    assert!(
        server.exchanges().is_empty(),
        "nothing is sent before polling"
    );
    let mut ids = Vec::new();
    for _ in 0..3 {
        let record = stream.try_next().await.unwrap().expect("a record");
        ids.push(record.id.clone().unwrap());
    }
    // The first batch has been read, and only the first batch fetched.
    assert_eq!(server.operations(), ["query"]);
    assert_eq!(stream.total(), Some(7));

    let rest: Vec<SObject> = stream.try_collect().await.unwrap();
    ids.extend(rest.iter().map(|r| r.id.clone().unwrap()));
    assert_eq!(ids, (0..7).map(account_id).collect::<Vec<_>>());
    assert_eq!(
        rest.last().unwrap().get_str("Name").unwrap(),
        Some("Account 6")
    );
    assert_eq!(server.operations(), ["query", "queryMore", "queryMore"]);
    let locators: Vec<String> = server
        .exchanges()
        .iter()
        .skip(1)
        .map(|e| e.body().child_text("queryLocator").unwrap().to_owned())
        .collect();
    assert_eq!(locators, [LOCATOR_1, LOCATOR_2]);
}

#[tokio::test]
async fn stream_options_apply_to_the_query_and_every_query_more() {
    // Each request takes 700 ms; the per-call timeout of 2 s holds for each of the three,
    // though the stream as a whole takes longer (a timeout per request, as documented).
    let server =
        Server::start(|exchange| three_batches(exchange).after(Duration::from_millis(700))).await;
    let client = partner::Client::new(session_connection(&server.url));
    let headers = QueryHeaders::default()
        .query_options(QueryOptions::default().batch_size(200))
        .mru_header(partner::MruHeader::default().update_mru(true));
    let options = RequestOptions::new()
        .headers(headers)
        .timeout(Duration::from_secs(2));
    let started = Instant::now();
    let records: Vec<SObject> = client
        .query_stream_with("SELECT Id, Name FROM Account ORDER BY Name", &options)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(records.len(), 7);
    assert!(started.elapsed() >= Duration::from_millis(2100));
    assert_eq!(server.operations(), ["query", "queryMore", "queryMore"]);
    let sent: Vec<Option<String>> = server.exchanges().iter().map(batch_size_sent).collect();
    assert_eq!(
        sent,
        [Some("200".into()), Some("200".into()), Some("200".into())]
    );
    // queryMore does not accept MruHeader: only the query carries it.
    let mru: Vec<bool> = server
        .exchanges()
        .iter()
        .map(|e| e.header("MruHeader").is_some())
        .collect();
    assert_eq!(mru, [true, false, false]);

    // A queryAll stream takes the queryAll headers, carried on to queryMore the same way.
    let server = Server::start(three_batches).await;
    let client = partner::Client::new(session_connection(&server.url));
    let all_options = RequestOptions::new().headers(
        partner::QueryAllHeaders::default().query_options(QueryOptions::default().batch_size(300)),
    );
    let all: Vec<SObject> = client
        .query_all_stream_with("SELECT Id, Name FROM Account ORDER BY Name", &all_options)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 7);
    assert_eq!(server.operations(), ["queryAll", "queryMore", "queryMore"]);
    let sent: Vec<Option<String>> = server.exchanges().iter().map(batch_size_sent).collect();
    assert_eq!(
        sent,
        [Some("300".into()), Some("300".into()), Some("300".into())]
    );
}

#[tokio::test]
async fn query_all_stream_calls_query_all() {
    let server = Server::start(three_batches).await;
    let client = partner::Client::new(session_connection(&server.url));
    let records: Vec<SObject> = client
        .query_all_stream("SELECT Id, Name FROM Account ORDER BY Name")
        .try_collect()
        .await
        .unwrap();
    assert_eq!(records.len(), 7);
    assert_eq!(server.operations(), ["queryAll", "queryMore", "queryMore"]);
}

#[test]
fn query_iter_on_the_blocking_client() {
    let runtime = background_runtime();
    let server = runtime.block_on(Server::start(three_batches));
    let client = partner::blocking::Client::new(session_connection(&server.url));

    let mut records = client.query_iter("SELECT Id, Name FROM Account ORDER BY Name");
    let first = records.next().unwrap().unwrap();
    assert_eq!(first.id.as_deref(), Some(account_id(0).as_str()));
    assert_eq!(first.get_str("Name").unwrap(), Some("Account 0"));
    records.next().unwrap().unwrap();
    records.next().unwrap().unwrap();
    assert_eq!(server.operations(), ["query"]);
    assert_eq!(records.total(), Some(7));
    let rest: Vec<String> = records.map(|r| r.unwrap().id.unwrap()).collect();
    assert_eq!(rest, (3..7).map(account_id).collect::<Vec<_>>());
    assert_eq!(server.operations(), ["query", "queryMore", "queryMore"]);

    // The blocking twin of a plain call works on the same connection.
    let more = client.query_more(LOCATOR_2).unwrap();
    assert!(more.done);
    assert_eq!(more.records.len(), 2);
}

#[tokio::test]
async fn not_done_without_a_locator_is_an_error() {
    let server = Server::start(|_| {
        Reply::ok(partner_response(
            "query",
            &query_result(
                false,
                Some(""),
                &[record("Account", &account_id(0), "A")],
                5,
            ),
        ))
    })
    .await;
    let client = partner::Client::new(session_connection(&server.url));
    let mut stream = client.query_stream("SELECT Id FROM Account");
    // The batch's own record comes out, then the error: no silent end at 1 of 5, and
    // nothing that did arrive is lost.
    let first = stream.next().await.expect("an item").unwrap();
    assert_eq!(first.get_str("Name").unwrap(), Some("A"));
    let error = stream.next().await.expect("an item").unwrap_err();
    assert!(matches!(error, Error::Protocol(_)), "{error:?}");
    assert!(
        error.to_string().contains("queryLocator"),
        "the error names the missing locator: {error}"
    );
    assert!(
        stream.next().await.is_none(),
        "the stream ends after the error"
    );
    assert_eq!(server.operations(), ["query"]);

    // The same with a nil locator.
    let server = Server::start(|_| {
        Reply::ok(partner_response(
            "query",
            &query_result(false, None, &[], 5),
        ))
    })
    .await;
    let client = partner::Client::new(session_connection(&server.url));
    let result: Result<Vec<SObject>, Error> = client
        .query_stream("SELECT Id FROM Account")
        .try_collect()
        .await;
    assert!(result.is_err(), "{result:?}");
}

// ----- batching --------------------------------------------------------------------------

fn created_id(index: usize) -> String {
    format!("001{index:015}")
}

/// Answers `create` with one SaveResult per sObject, echoing its `Index__c`. In the
/// second request every index ≡ 7 (mod 50) fails; with `fault_on` the request of that
/// number is a fault.
fn create_handler(fault_on: Option<usize>) -> impl Fn(&Exchange) -> Reply + Send + Sync {
    let requests = AtomicUsize::new(0);
    move |exchange| {
        assert_eq!(exchange.operation(), "create");
        let n = requests.fetch_add(1, Ordering::SeqCst) + 1;
        if Some(n) == fault_on {
            return Reply::fault(fault("UNKNOWN_EXCEPTION", "An unexpected error occurred"));
        }
        let mut results = String::new();
        for sobject in exchange.body().children_named("sObjects") {
            assert_eq!(sobject.child_text("type"), Some("Account"));
            let index: usize = sobject.child_text("Index__c").unwrap().parse().unwrap();
            if n == 2 && index % 50 == 7 {
                results.push_str(
                    "<result><errors><fields>Name</fields><message>Required fields are missing: \
                     [Name]</message><statusCode>REQUIRED_FIELD_MISSING</statusCode></errors>\
                     <id xsi:nil=\"true\"/><success>false</success></result>",
                );
            } else {
                results.push_str(&format!(
                    "<result><id>{}</id><success>true</success></result>",
                    created_id(index)
                ));
            }
        }
        Reply::ok(partner_response("create", &results))
    }
}

fn accounts(count: usize) -> Vec<SObject> {
    (0..count)
        .map(|i| {
            SObject::new("Account")
                .with("Name", format!("Account {i}"))
                .with("Index__c", i.to_string())
        })
        .collect()
}

#[tokio::test]
async fn create_450_goes_out_as_200_200_50_and_results_keep_input_order() {
    let server = Server::start(create_handler(None)).await;
    let client = partner::Client::new(session_connection(&server.url));
    let results = client.create(&accounts(450)).await.unwrap();

    let sizes: Vec<usize> = server
        .exchanges()
        .iter()
        .map(|e| e.body().children_named("sObjects").count())
        .collect();
    assert_eq!(sizes, [200, 200, 50]);
    // Each request carries the next slice, in order.
    let first_index = |e: &Exchange| {
        e.body()
            .child("sObjects")
            .and_then(|s| s.child_text("Index__c"))
            .map(str::to_owned)
    };
    let starts: Vec<Option<String>> = server.exchanges().iter().map(first_index).collect();
    assert_eq!(
        starts,
        [Some("0".into()), Some("200".into()), Some("400".into())]
    );

    assert_eq!(results.len(), 450);
    for (i, result) in results.iter().enumerate() {
        if (200..400).contains(&i) && i % 50 == 7 {
            // Per-record errors of the middle chunk, in place.
            assert!(!result.success, "{i}");
            assert_eq!(result.id, None, "{i}");
            assert_eq!(
                result.errors[0].status_code(),
                &StatusCode::RequiredFieldMissing
            );
            assert_eq!(result.errors[0].fields(), ["Name"]);
        } else {
            assert!(result.success, "{i}: {result:?}");
            assert_eq!(
                result.id.as_ref().map(Id::as_str),
                Some(created_id(i).as_str())
            );
        }
    }
    assert_eq!(results.iter().filter(|r| !r.success).count(), 4);
}

#[tokio::test]
async fn a_fault_in_the_third_chunk_keeps_the_first_400_results() {
    let server = Server::start(create_handler(Some(3))).await;
    let client = partner::Client::new(session_connection(&server.url));
    let error = client.create(&accounts(450)).await.unwrap_err();

    // The error holds the first two chunks' results, typed: no downcast.
    assert!(matches!(error.error, Error::Fault(_)), "{:?}", error.error);
    assert_eq!(
        error.fault().map(|f| f.exception_code()),
        Some("UNKNOWN_EXCEPTION")
    );
    let done: &[SaveResult] = &error.completed;
    assert_eq!(done.len(), 400);
    assert_eq!(
        done[0].id.as_ref().map(Id::as_str),
        Some(created_id(0).as_str())
    );
    assert_eq!(
        done[399].id.as_ref().map(Id::as_str),
        Some(created_id(399).as_str())
    );
    assert!(!done[207].success);
    assert_eq!(server.count("create"), 3);
    // `?` into `sforce::Error` keeps the count and the cause.
    match Error::from(error) {
        Error::Incomplete { completed, source } => {
            assert_eq!(completed, 400);
            assert!(matches!(*source, Error::Fault(_)));
        }
        other => panic!("expected Error::Incomplete, got {other:?}"),
    }
}

#[tokio::test]
async fn a_fault_in_the_first_chunk_is_returned_as_is() {
    let server = Server::start(create_handler(Some(1))).await;
    let client = partner::Client::new(session_connection(&server.url));
    let error = client.create(&accounts(450)).await.unwrap_err();
    assert!(error.completed.is_empty());
    assert!(matches!(error.error, Error::Fault(_)), "{error:?}");
    assert_eq!(
        server.count("create"),
        1,
        "nothing is sent after a failed chunk"
    );
}

// ----- headers ---------------------------------------------------------------------------

fn batch_size_sent(exchange: &Exchange) -> Option<String> {
    exchange
        .header("QueryOptions")
        .and_then(|h| h.child_text("batchSize"))
        .map(str::to_owned)
}

#[tokio::test]
async fn per_call_headers_replace_client_defaults_and_response_headers_come_back() {
    let server = Server::start(|exchange| {
        Reply::ok(partner_envelope(
            &limit_info_header(17, 15_000),
            &format!(
                "<{op}Response>{}</{op}Response>",
                query_result(true, None, &[], 0),
                op = exchange.operation()
            ),
        ))
    })
    .await;
    let plain = partner::Client::new(session_connection(&server.url));
    let with_default = plain.with_headers(|h| {
        h.query_options = Some(QueryOptions {
            batch_size: Some(500),
            ..QueryOptions::default()
        })
    });
    // The chaining setters build the same values as the struct literals.
    assert_eq!(
        plain
            .headers()
            .clone()
            .query_options(QueryOptions::default().batch_size(500)),
        *with_default.headers()
    );
    assert!(plain.headers().query_options.is_none(), "copy on write");

    plain.query("SELECT Id FROM Account").await.unwrap();
    with_default.query("SELECT Id FROM Account").await.unwrap();
    let options = RequestOptions::new()
        .headers(QueryHeaders::default().query_options(QueryOptions::default().batch_size(2000)))
        .timeout(Duration::from_secs(60));
    assert_eq!(options.timeout, Some(Duration::from_secs(60)));
    let response = with_default
        .query_with("SELECT Id FROM Account", &options)
        .await
        .unwrap();

    let sent: Vec<Option<String>> = server.exchanges().iter().map(batch_size_sent).collect();
    assert_eq!(sent, [None, Some("500".into()), Some("2000".into())]);
    // Exactly one QueryOptions header on the overriding call.
    let last = server.exchanges().pop().unwrap();
    let header = last.envelope.child("Header").unwrap();
    assert_eq!(header.children_named("QueryOptions").count(), 1);
    assert_eq!(header.child_names(), ["SessionHeader", "QueryOptions"]);

    assert!(response.body.done);
    let limits = response
        .headers
        .limit_info_header
        .expect("the LimitInfoHeader");
    assert_eq!(limits.limit_info.len(), 1);
    assert_eq!(limits.limit_info[0].current, 17);
    assert_eq!(limits.limit_info[0].limit, 15_000);
    assert_eq!(limits.limit_info[0].type_, "API REQUESTS");
}

// ----- timeouts and sessions -------------------------------------------------------------

#[tokio::test]
async fn a_call_timeout_fires() {
    let server =
        Server::start(|_| Reply::ok(timestamp_response()).after(Duration::from_secs(30))).await;
    let client = partner::Client::new(session_connection(&server.url));
    let started = Instant::now();
    let error = client
        .get_server_timestamp_with(&RequestOptions::new().timeout(Duration::from_millis(200)))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout { after, .. } if after == Duration::from_millis(200)),
        "{error:?}"
    );
    // Returned long before the server would answer: the timeout fired (not a speed check).
    assert!(started.elapsed() < Duration::from_secs(15));

    // The connection's default timeout applies to calls without their own.
    let connection = sforce::Connection::builder()
        .session(session_id(1), &server.url)
        .timeout(Duration::from_millis(150))
        .no_proxy()
        .no_trace()
        .build()
        .unwrap();
    let error = partner::Client::new(connection)
        .get_server_timestamp()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
}

#[tokio::test]
async fn invalid_session_logs_in_again_and_retries_once() {
    // Sessions numbered below `oldest_valid` are expired.
    let oldest_valid = Arc::new(AtomicUsize::new(1));
    let valid = oldest_valid.clone();
    let instance = Server::start(move |exchange| {
        let session = exchange.session_id().unwrap_or_default();
        let accepted = (valid.load(Ordering::SeqCst)..100).any(|n| session == session_id(n));
        if accepted {
            Reply::ok(timestamp_response())
        } else {
            Reply::fault(fault(
                "INVALID_SESSION_ID",
                "Invalid Session ID found in SessionHeader: Illegal Session",
            ))
        }
    })
    .await;
    let (login, logins) = login_server(&instance.url).await;
    let client = partner::Client::new(password_connection(&login.url).build().unwrap());

    client.get_server_timestamp().await.unwrap();
    oldest_valid.store(2, Ordering::SeqCst);
    client.get_server_timestamp().await.unwrap();

    assert_eq!(logins.load(Ordering::SeqCst), 2);
    let sessions: Vec<String> = instance
        .exchanges()
        .iter()
        .map(|e| e.session_id().unwrap().to_owned())
        .collect();
    assert_eq!(sessions, [session_id(1), session_id(1), session_id(2)]);

    // A session that cannot be renewed gives the fault back.
    oldest_valid.store(99, Ordering::SeqCst);
    let error = partner::Client::new(session_connection(&instance.url))
        .get_server_timestamp()
        .await
        .unwrap_err();
    assert!(
        error.fault().is_some_and(|f| f.is_invalid_session()),
        "{error:?}"
    );
}

// ----- apex ------------------------------------------------------------------------------

fn apex_handler(exchange: &Exchange) -> Reply {
    let debugging_info = "<DebuggingInfo><debugLog>66.0 APEX_CODE,FINEST\n\
         USER_DEBUG|[1]|DEBUG|hello</debugLog></DebuggingInfo>";
    let body = match exchange.operation() {
        "executeAnonymous" => {
            "<executeAnonymousResponse><result><column>-1</column>\
             <compileProblem xsi:nil=\"true\"/><compiled>true</compiled>\
             <exceptionMessage xsi:nil=\"true\"/><exceptionStackTrace xsi:nil=\"true\"/>\
             <line>-1</line><success>true</success></result></executeAnonymousResponse>"
        }
        "runTests" => {
            "<runTestsResponse><result><numFailures>0</numFailures><numTestsRun>1</numTestsRun>\
             <successes><id>01pD0000000AAAAIAA</id><methodName>itWorks</methodName>\
             <name>MyTest</name><namespace xsi:nil=\"true\"/><time>42.0</time></successes>\
             <totalTime>57.0</totalTime></result></runTestsResponse>"
        }
        other => return Reply::fault(fault("UNKNOWN_EXCEPTION", other)),
    };
    Reply::ok(envelope_in(APEX_NS, debugging_info, body))
}

#[tokio::test]
async fn apex_calls_go_to_the_apex_endpoint_with_debugging_info() {
    let instance = Server::start(apex_handler).await;
    let (login, _) = login_server(&instance.url).await;
    let client = apex::Client::new(password_connection(&login.url).build().unwrap());

    let options = RequestOptions::new().headers(apex::ExecuteAnonymousHeaders {
        debugging_header: Some(apex::DebuggingHeader {
            categories: vec![apex::LogInfo {
                category: apex::LogCategory::ApexCode,
                level: apex::LogCategoryLevel::Finest,
            }],
            debug_level: None,
        }),
        ..Default::default()
    });
    let response = client
        .execute_anonymous_with("System.debug('hello');", &options)
        .await
        .unwrap();
    assert!(response.body.compiled && response.body.success);
    assert_eq!(response.body.exception_message, None);
    let log = response
        .headers
        .debugging_info
        .expect("DebuggingInfo")
        .debug_log;
    assert!(log.ends_with("USER_DEBUG|[1]|DEBUG|hello"), "{log}");

    let response = client
        .run_tests_with(
            &apex::RunTestsRequest {
                classes: vec!["MyTest".to_owned()],
                ..Default::default()
            },
            &RequestOptions::default(),
        )
        .await
        .unwrap();
    assert!(response.headers.debugging_info.is_some());
    let result = response.body;
    assert_eq!(result.num_tests_run, 1);
    assert_eq!(result.successes[0].method_name, "itWorks");
    assert_eq!(result.successes[0].namespace, None);
    assert_eq!(result.total_time, 57.0);

    let exchanges = instance.exchanges();
    assert_eq!(exchanges.len(), 2);
    for exchange in &exchanges {
        assert_eq!(exchange.path, "/services/Soap/s/66.0");
        assert_eq!(exchange.host, instance.host());
        assert_eq!(exchange.session_id(), Some(session_id(1).as_str()));
    }
    assert_eq!(
        exchanges[0].body().child_text("String"),
        Some("System.debug('hello');")
    );
    let debugging = exchanges[0].header("DebuggingHeader").expect("sent");
    assert_eq!(
        debugging
            .child("categories")
            .unwrap()
            .child_text("category"),
        Some("Apex_code")
    );
    let request = exchanges[1].body().child("RunTestsRequest").expect("sent");
    assert_eq!(request.child_text("classes"), Some("MyTest"));
    assert_eq!(request.child_text("allTests"), Some("false"));
}
