//! What `tracing` records: a span per call with its operation, API version, host, bytes,
//! HTTP status and duration; a span per batch of a batched call; events for login and
//! faults. A real axum server on 127.0.0.1 answers; a subscriber keeps what is recorded.

mod common;

use std::sync::Mutex;

use axum::body::Bytes;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;

use common::{envelope, login_envelope, serve, PASSWORD, SECURITY_TOKEN, USERNAME};
use sforce::{partner, Connection, SObject};

const SESSION: &str = "00D000000000001!SPANSESSIONq1w2e3r4t5y6";

/// Answers login, and `create` with one result per record sent.
async fn soap(body: Bytes) -> impl IntoResponse {
    let body = String::from_utf8_lossy(&body).into_owned();
    let reply = if body.contains(":login>") || body.contains("<login") {
        login_envelope(&format!("{}/services/Soap/u/66.0/00D", base()), SESSION)
    } else {
        let records = body.matches("<p:sObjects>").count();
        let results: String = (0..records)
            .map(|_| "<result><id>001000000000001AAA</id><success>true</success></result>")
            .collect();
        envelope("", &format!("<createResponse>{results}</createResponse>"))
    };
    ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], reply)
}

static BASE: Mutex<String> = Mutex::new(String::new());

fn base() -> String {
    BASE.lock().unwrap().clone()
}

#[tokio::test]
async fn calls_and_batches_are_spans_with_their_figures() {
    let url = serve(Router::new().route("/services/Soap/u/{*rest}", post(soap))).await;
    *BASE.lock().unwrap() = url.clone();
    let logged = common::capture_tracing();
    let connection = Connection::builder()
        .login_url(&url)
        .password_login(USERNAME, PASSWORD, SECURITY_TOKEN)
        .no_proxy()
        .no_trace()
        .build()
        .unwrap();
    let client = partner::Client::new(connection);
    let records: Vec<SObject> = (0..450)
        .map(|i| SObject::new("Account").with("Name", format!("Account {i}")))
        .collect();
    let results = client.create(&records).await.unwrap();
    assert_eq!(results.len(), 450);

    let logged = logged.text();
    let lines: Vec<&str> = logged.lines().collect();
    // Login, then three create calls, each its own span inside its batch's span.
    assert!(logged.contains("sforce: logging in") && logged.contains("method=\"password\""));
    assert!(logged.contains("sforce: logged in"), "{logged}");
    let closed_calls: Vec<&&str> = lines
        .iter()
        .filter(|l| l.contains("sforce.call") && l.contains("close"))
        .collect();
    assert_eq!(closed_calls.len(), 3, "{logged}");
    for (line, sent) in closed_calls.iter().zip([200, 200, 50]) {
        assert!(line.contains("operation=\"create\""), "{line}");
        assert!(line.contains("api_version=\"66.0\""), "{line}");
        assert!(line.contains("host=\"127.0.0.1:"), "{line}");
        assert!(line.contains("http_status=200"), "{line}");
        assert!(line.contains("duration_ms="), "{line}");
        assert!(line.contains(&format!("records_sent={sent}")), "{line}");
    }
    let closed_batches: Vec<&&str> = lines
        .iter()
        .filter(|l| {
            l.contains("sforce.batch{") && !l.contains("sforce.call") && l.contains("close")
        })
        .collect();
    assert_eq!(closed_batches.len(), 3, "{logged}");
    for (line, sent) in closed_batches.iter().zip([200, 200, 50]) {
        assert!(line.contains(&format!("results_received={sent}")), "{line}");
    }
    for (i, line) in closed_calls.iter().enumerate() {
        assert!(line.contains(&format!("batch={}", i + 1)), "{line}");
        assert!(line.contains("batches=3"), "{line}");
    }
    // Byte counts are the envelope's and the reply's sizes: a 200-record request is large.
    let request_bytes: u64 = closed_calls[0]
        .split("request_bytes=")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .expect("request_bytes is recorded");
    assert!(request_bytes > 200 * 40, "{request_bytes}");
    for secret in [PASSWORD, SECURITY_TOKEN, SESSION] {
        assert!(!logged.contains(secret), "{secret} was recorded:\n{logged}");
    }
}
