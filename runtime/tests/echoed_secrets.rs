//! A server that echoes what it was sent, in every kind of answer: every secret the
//! connection knows must be absent from the error's `Display` and `Debug` and from every
//! trace file, whatever the answer. A real axum server on 127.0.0.1 plays the org.

mod common;

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::routing::post;
use axum::Router;

use common::{serve, JWT_PRIVATE_KEY};
use sforce::{partner, Connection, ConnectionBuilder, Error};

const PASSWORD: &str = "Hunter2&<Pass>\"x'";
const TOKEN: &str = "SECTOKEN0123456789abcdefg";
const SESSION: &str = "00D000000000001!AQcAQLIVESESSIONa1b2c3d4e5f6g7h8";
const CLIENT_SECRET: &str = "CLIENTSECRET5f3a9b/+=";
const REFRESH: &str = "REFRESH5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJo7Xr";
const ACCESS: &str = "00D000000000001!ACCESSTOKENz9y8x7w6v5u4t3";

/// How the echo comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// A SOAP fault: the echo in `faultstring` and in the typed detail's message.
    Fault,
    /// A SOAP fault whose detail does not read (kept as text).
    UnreadableDetail,
    /// HTTP 500 with an XML body that is not a fault.
    XmlError,
    /// HTTP 502 with an HTML page.
    Html,
    /// HTTP 200 whose value does not parse (the error quotes it).
    BadValue,
    /// HTTP 200, a valid answer carrying the echo as data (only the trace file matters).
    Data,
}

const ANSWERS: [Answer; 6] = [
    Answer::Fault,
    Answer::UnreadableDetail,
    Answer::XmlError,
    Answer::Html,
    Answer::BadValue,
    Answer::Data,
];

struct Echo {
    answer: Mutex<Answer>,
    /// The login and token endpoints fail with the echo too (else they succeed).
    fail_auth: Mutex<bool>,
    /// Said back besides the request: what a server might echo from elsewhere (the
    /// secret parts on their own, the private key).
    also: String,
    url: Mutex<String>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

const ENVELOPE_OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
    xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
    xmlns=\"urn:partner.soap.sforce.com\" xmlns:sf=\"urn:fault.partner.soap.sforce.com\" \
    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>";
const ENVELOPE_CLOSE: &str = "</soapenv:Body></soapenv:Envelope>";

fn reply(status: StatusCode, content_type: &str, body: String) -> HttpResponse {
    (
        status,
        [(header::CONTENT_TYPE, content_type.to_owned())],
        body,
    )
        .into_response()
}

fn answer(kind: Answer, echo: &str) -> HttpResponse {
    let e = escape(echo);
    let xml = "text/xml;charset=UTF-8";
    match kind {
        Answer::Fault => reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            xml,
            format!(
                "{ENVELOPE_OPEN}<soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode>\
                 <faultstring>INVALID_LOGIN: {e}</faultstring><detail>\
                 <sf:LoginFault xsi:type=\"sf:LoginFault\"><sf:exceptionCode>INVALID_LOGIN\
                 </sf:exceptionCode><sf:exceptionMessage>{e}</sf:exceptionMessage>\
                 </sf:LoginFault></detail></soapenv:Fault>{ENVELOPE_CLOSE}"
            ),
        ),
        Answer::UnreadableDetail => reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            xml,
            format!(
                "{ENVELOPE_OPEN}<soapenv:Fault><faultcode>sf:INVALID_FIELD</faultcode>\
                 <faultstring>bad</faultstring><detail>\
                 <sf:InvalidFieldFault xsi:type=\"sf:InvalidFieldFault\"><sf:exceptionCode>\
                 INVALID_FIELD</sf:exceptionCode><sf:exceptionMessage>{e}</sf:exceptionMessage>\
                 <sf:row>{e}</sf:row></sf:InvalidFieldFault></detail></soapenv:Fault>\
                 {ENVELOPE_CLOSE}"
            ),
        ),
        Answer::XmlError => reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            xml,
            format!("<error><request>{e}</request></error>"),
        ),
        Answer::Html => reply(
            StatusCode::BAD_GATEWAY,
            "text/html",
            format!("<html><body><h1>Bad gateway</h1><pre>{e}</pre></body></html>"),
        ),
        Answer::BadValue => reply(
            StatusCode::OK,
            xml,
            format!(
                "{ENVELOPE_OPEN}<getServerTimestampResponse><result><timestamp>{e}</timestamp>\
                 </result></getServerTimestampResponse>{ENVELOPE_CLOSE}"
            ),
        ),
        Answer::Data => reply(
            StatusCode::OK,
            xml,
            format!(
                "{ENVELOPE_OPEN}<getUserInfoResponse><result><userFullName>{e}</userFullName>\
                 </result></getUserInfoResponse>{ENVELOPE_CLOSE}"
            ),
        ),
    }
}

async fn soap(State(echo): State<Arc<Echo>>, body: Bytes) -> HttpResponse {
    let request = String::from_utf8_lossy(&body).into_owned();
    let text = format!("{request} | {}", echo.also);
    if request.contains("<p:login>") {
        if *echo.fail_auth.lock().unwrap() {
            return answer(Answer::Fault, &text);
        }
        let url = echo.url.lock().unwrap().clone();
        return reply(
            StatusCode::OK,
            "text/xml",
            format!(
                "{ENVELOPE_OPEN}<loginResponse><result><passwordExpired>false</passwordExpired>\
                 <serverUrl>{url}/services/Soap/u/64.0/00D</serverUrl>\
                 <sessionId>{SESSION}</sessionId><userId>005000000000001AAA</userId>\
                 </result></loginResponse>{ENVELOPE_CLOSE}"
            ),
        );
    }
    answer(*echo.answer.lock().unwrap(), &text)
}

async fn token(State(echo): State<Arc<Echo>>, body: Bytes) -> HttpResponse {
    let form = String::from_utf8_lossy(&body).into_owned();
    if *echo.fail_auth.lock().unwrap() {
        let text = format!("{form} | {}", echo.also);
        let json = serde_json::json!({"error": "invalid_grant", "error_description": text});
        return reply(
            StatusCode::BAD_REQUEST,
            "application/json",
            json.to_string(),
        );
    }
    let url = echo.url.lock().unwrap().clone();
    let json = serde_json::json!({
        "access_token": ACCESS,
        "refresh_token": REFRESH,
        "instance_url": url,
        "id": format!("{url}/id/00D000000000001AAA/005000000000001AAA"),
    });
    reply(StatusCode::OK, "application/json", json.to_string())
}

async fn start(also: &str) -> (Arc<Echo>, String) {
    let echo = Arc::new(Echo {
        answer: Mutex::new(Answer::Fault),
        fail_auth: Mutex::new(false),
        also: also.to_owned(),
        url: Mutex::new(String::new()),
    });
    let router = Router::new()
        .route("/services/Soap/u/{version}", post(soap))
        .route("/services/oauth2/token", post(token))
        .with_state(echo.clone());
    let url = serve(router).await;
    *echo.url.lock().unwrap() = url.clone();
    (echo, url)
}

/// Every form a secret could take in text we show: as is, and as the echo carries it.
fn forms(secret: &str) -> Vec<String> {
    let mut out = vec![secret.to_owned(), escape(secret), escape(&escape(secret))];
    out.push(url::form_urlencoded::byte_serialize(secret.as_bytes()).collect());
    out.push(
        serde_json::to_string(secret)
            .unwrap()
            .trim_matches('"')
            .to_owned(),
    );
    out
}

/// Fails naming the secret and where it showed.
fn assert_hidden(text: &str, secrets: &[&str], place: &str) {
    for secret in secrets {
        for form in forms(secret) {
            assert!(
                !text.contains(&form),
                "{place} shows the secret {secret:?} (as {form:?}):\n{text}"
            );
        }
    }
}

/// Every trace file written so far, concatenated.
fn traces(dir: &std::path::Path) -> String {
    let mut out = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        out.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    out
}

/// The private key's body lines, as a server echoing it would send them.
fn key_lines() -> String {
    JWT_PRIVATE_KEY
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs every kind of answer against a connection built by `configure`, failing the
/// authentication first when `auth_fails`, and checks errors, traces and logs.
async fn check(
    configure: impl Fn(ConnectionBuilder, &str) -> ConnectionBuilder,
    secrets: &[&str],
    also: &str,
) {
    let (echo, url) = start(also).await;
    let logged = common::capture_tracing();
    let trace_dir = tempfile::tempdir().unwrap();
    let build = || {
        configure(Connection::builder().login_url(&url), &url)
            .no_proxy()
            .trace_dir(trace_dir.path())
            .build()
            .unwrap()
    };
    // Authentication itself fails with the echo.
    *echo.fail_auth.lock().unwrap() = true;
    if let Err(error) = build().authenticate().await {
        let shown = format!("{error} {error:?}");
        assert_hidden(&shown, secrets, "an authentication error");
        assert!(!shown.contains("eyJ"), "{shown}");
    }
    *echo.fail_auth.lock().unwrap() = false;
    // Then every kind of answer to a call.
    let client = partner::Client::new(build());
    for kind in ANSWERS {
        *echo.answer.lock().unwrap() = kind;
        let result = match kind {
            Answer::Data => client.get_user_info().await.map(|_| ()),
            _ => client.get_server_timestamp().await.map(|_| ()),
        };
        match (kind, result) {
            (Answer::Data, Ok(())) => {}
            (Answer::Data, Err(error)) => panic!("the data answer failed: {error:?}"),
            (_, Ok(())) => panic!("{kind:?} was not an error"),
            (_, Err(error)) => {
                let shown = format!("{error}\n{error:?}");
                assert_hidden(&shown, secrets, &format!("the error for {kind:?}"));
                // A JWT bearer assertion (`eyJ…`) is a secret the test cannot name.
                assert!(!shown.contains("eyJ"), "{shown}");
                if let Error::Fault(fault) = &error {
                    if let Some(detail) = fault.detail.as_ref() {
                        assert_hidden(&format!("{detail:?}"), secrets, "a fault detail");
                    }
                }
            }
        }
    }
    let written = traces(trace_dir.path());
    assert!(written.contains("getServerTimestamp"), "{written}");
    assert_hidden(&written, secrets, "a trace file");
    let logged = logged.text();
    assert!(
        logged.contains("sforce.call") && logged.contains("operation=\"getServerTimestamp\""),
        "the calls were not traced:\n{logged}"
    );
    assert!(logged.contains("sforce: fault"), "{logged}");
    assert_hidden(&logged, secrets, "the tracing output");
    assert!(!logged.contains("eyJ"), "{logged}");
}

#[tokio::test]
async fn password_login_secrets_never_show() {
    let also = format!("{PASSWORD} and {TOKEN}");
    check(
        |b, _| b.password_login("user@example.com", PASSWORD, TOKEN),
        &[PASSWORD, TOKEN, &format!("{PASSWORD}{TOKEN}"), SESSION],
        &also,
    )
    .await;
}

#[tokio::test]
async fn an_existing_session_never_shows() {
    check(|b, url| b.session(SESSION, url), &[SESSION], SESSION).await;
}

#[tokio::test]
async fn oauth_secrets_never_show() {
    check(
        |b, _| b.client_credentials("client-id", CLIENT_SECRET),
        &[CLIENT_SECRET, ACCESS],
        CLIENT_SECRET,
    )
    .await;
    check(
        |b, _| b.refresh_token("client-id", Some(CLIENT_SECRET), REFRESH),
        &[CLIENT_SECRET, REFRESH, ACCESS],
        REFRESH,
    )
    .await;
}

#[tokio::test]
async fn jwt_bearer_secrets_never_show() {
    // The assertion is echoed with the form; the key as if a server had it.
    let lines = key_lines();
    let key: Vec<&str> = lines.lines().filter(|l| l.len() >= 16).collect();
    let mut secrets = key.clone();
    secrets.push(ACCESS);
    check(
        |b, _| b.jwt_bearer("client-id", "user@example.com", JWT_PRIVATE_KEY),
        &secrets,
        &lines,
    )
    .await;
}

#[tokio::test]
async fn a_password_the_call_sends_never_shows() {
    // `setPassword` sends a new password the connection did not hold before the call.
    const NEW_PASSWORD: &str = "N3w&Secret<Passw0rd>";
    let (echo, url) = start(NEW_PASSWORD).await;
    let trace_dir = tempfile::tempdir().unwrap();
    let connection = Connection::builder()
        .session(SESSION, &url)
        .no_proxy()
        .trace_dir(trace_dir.path())
        .build()
        .unwrap();
    let client = partner::Client::new(connection);
    for kind in [Answer::Fault, Answer::XmlError, Answer::Html] {
        *echo.answer.lock().unwrap() = kind;
        let error = client
            .set_password(sforce::Id::new("005000000000001AAA").unwrap(), NEW_PASSWORD)
            .await
            .unwrap_err();
        let shown = format!("{error}\n{error:?}");
        assert_hidden(
            &shown,
            &[NEW_PASSWORD, SESSION],
            &format!("the error for {kind:?}"),
        );
    }
    assert_hidden(
        &traces(trace_dir.path()),
        &[NEW_PASSWORD, SESSION],
        "a trace file",
    );
}
