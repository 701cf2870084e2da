//! How each kind of bad answer surfaces: faults, HTTP errors, non-XML bodies, truncated
//! bodies, timeouts, unreachable servers.

mod common;

use std::time::{Duration, Instant};

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use common::*;
use sforce::{Connection, Error};

/// A server whose SOAP endpoint always answers with `reply`, and a session connection to it.
async fn answering<F, R>(reply: F) -> Connection
where
    F: Fn() -> R + Clone + Send + Sync + 'static,
    R: IntoResponse + 'static,
{
    let router = Router::new().route(
        "/services/Soap/u/{version}",
        post(move || {
            let reply = reply.clone();
            async move { reply() }
        }),
    );
    session_connection(&serve(router).await)
}

#[tokio::test]
async fn fault_with_500_is_a_fault() {
    let connection = answering(|| {
        xml_reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            fault_envelope("INVALID_FIELD", "No such column 'Foo' on entity 'Account'"),
        )
    })
    .await;
    let err = server_timestamp(&connection, None).await.unwrap_err();
    let Error::Fault(fault) = &err else {
        panic!("expected a fault, got {err:?}");
    };
    assert_eq!(fault.faultcode, "sf:INVALID_FIELD");
    assert_eq!(fault.exception_code(), "INVALID_FIELD");
    assert!(err.to_string().contains("No such column 'Foo'"), "{err}");
}

#[tokio::test]
async fn unsupported_api_version_says_which_setting_to_change() {
    let router = Router::new().route(
        "/services/Soap/u/{version}",
        post(
            |axum::extract::Path(version): axum::extract::Path<String>| async move {
                if version == "7.0" {
                    xml_reply(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        fault_envelope(
                            "UNSUPPORTED_API_VERSION",
                            "Invalid Api version specified on URL",
                        ),
                    )
                } else {
                    xml_reply(StatusCode::OK, timestamp_envelope())
                }
            },
        ),
    );
    let url = serve(router).await;
    let connection = Connection::builder()
        .session("S", &url)
        .api_version("7.0")
        .no_proxy()
        .no_trace()
        .build()
        .unwrap();
    let err = server_timestamp(&connection, None).await.unwrap_err();
    assert_eq!(
        err.fault().unwrap().exception_code(),
        "UNSUPPORTED_API_VERSION"
    );
    let text = err.to_string();
    assert!(text.contains("UNSUPPORTED_API_VERSION"), "{text}");
    assert!(text.contains("api_version"), "{text}");
    assert!(text.contains("Invalid Api version"), "{text}");
    // With the service's own version it works.
    assert_eq!(
        server_timestamp(&session_connection(&url), None)
            .await
            .unwrap(),
        TIMESTAMP
    );
}

#[tokio::test]
async fn html_503_is_not_xml() {
    let connection = answering(|| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<html><body><h1>Service Unavailable</h1>Maintenance in progress</body></html>",
        )
    })
    .await;
    let err = server_timestamp(&connection, None).await.unwrap_err();
    let Error::NotXml {
        status,
        content_type,
        body,
    } = &err
    else {
        panic!("expected NotXml, got {err:?}");
    };
    assert_eq!(*status, 503);
    assert_eq!(content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert!(
        body.starts_with("<html><body><h1>Service Unavailable"),
        "{body}"
    );
    assert!(err.to_string().contains("503"));
}

#[tokio::test]
async fn json_and_empty_bodies_are_not_xml() {
    let connection = answering(|| {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "application/json")],
            r#"[{"errorCode":"UNKNOWN_EXCEPTION"}]"#,
        )
    })
    .await;
    let err = server_timestamp(&connection, None).await.unwrap_err();
    assert!(
        matches!(&err, Error::NotXml { status: 500, body, .. } if body.contains("UNKNOWN_EXCEPTION")),
        "{err:?}"
    );

    let connection = answering(|| StatusCode::BAD_GATEWAY).await;
    let err = server_timestamp(&connection, None).await.unwrap_err();
    assert!(
        matches!(&err, Error::NotXml { status: 502, body, .. } if body.is_empty()),
        "{err:?}"
    );

    // A 200 with HTML (a captive portal, a proxy page) is not XML either.
    let connection = answering(|| {
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html")],
            "<!DOCTYPE html><html></html>",
        )
    })
    .await;
    let err = server_timestamp(&connection, None).await.unwrap_err();
    assert!(matches!(&err, Error::NotXml { status: 200, .. }), "{err:?}");
}

#[tokio::test]
async fn a_newline_or_byte_order_mark_before_the_declaration_is_read() {
    // jsforce's tests carry a Salesforce fault whose body starts with a newline.
    for prefix in ["\n", "\u{FEFF}", "\u{FEFF}\r\n  "] {
        let connection = answering(move || {
            xml_reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!(
                    "{prefix}{}",
                    fault_envelope("INVALID_SESSION_ID", "Session expired or invalid")
                ),
            )
        })
        .await;
        let err = server_timestamp(&connection, None).await.unwrap_err();
        let Error::Fault(fault) = &err else {
            panic!("{prefix:?}: expected a fault, got {err:?}");
        };
        assert_eq!(fault.exception_code(), "INVALID_SESSION_ID");
    }
}

#[tokio::test]
async fn an_empty_body_names_the_operation_expected() {
    let connection = answering(|| {
        xml_reply(
            StatusCode::OK,
            "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">\
             <soapenv:Body/></soapenv:Envelope>"
                .to_owned(),
        )
    })
    .await;
    let err = server_timestamp(&connection, None).await.unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::Xml { line: 1, .. }), "{err:?}");
    assert!(
        message.contains("`Body` is empty") && message.contains("`getServerTimestamp` response"),
        "{message}"
    );
}

#[tokio::test]
async fn xml_error_status_without_a_fault_is_http() {
    let connection = answering(|| {
        xml_reply(
            StatusCode::NOT_FOUND,
            "<?xml version=\"1.0\"?><error><message>no such endpoint</message></error>".to_owned(),
        )
    })
    .await;
    let err = server_timestamp(&connection, None).await.unwrap_err();
    let Error::Http { status, body } = &err else {
        panic!("expected Http, got {err:?}");
    };
    assert_eq!(*status, 404);
    assert!(body.contains("no such endpoint"), "{body}");
}

#[tokio::test]
async fn truncated_body_is_truncated() {
    let full = timestamp_envelope();
    let in_text = full.find(TIMESTAMP).unwrap() + 4;
    let in_end_tag = full.find("</getServerTimestampResponse>").unwrap() + 5;
    // Cut mid-tag, inside text, and inside the response's end tag.
    for cut in [full.len() / 2, in_text, in_end_tag] {
        let connection =
            answering(move || xml_reply(StatusCode::OK, timestamp_envelope()[..cut].to_owned()))
                .await;
        let err = server_timestamp(&connection, None).await.unwrap_err();
        assert!(
            matches!(err, Error::Truncated { received } if received == cut),
            "cut at {cut}: {err:?}"
        );
    }
}

#[tokio::test]
async fn timeout_fires_and_says_the_work_may_be_done() {
    let org = Org::new();
    let url = org.start().await;
    org.valid_sessions
        .lock()
        .unwrap()
        .insert("EXISTING-SESSION-id!xyz".to_owned());
    // The server answers far later than the timeout: returning before it answered shows
    // the timeout fired (the bound is generous; it checks behaviour, not speed).
    *org.call_delay.lock().unwrap() = Duration::from_secs(30);
    let connection = session_connection(&url);

    let started = Instant::now();
    let err = server_timestamp(&connection, Some(Duration::from_millis(200)))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(15));
    let Error::Timeout { after, stage } = &err else {
        panic!("expected Timeout, got {err:?}");
    };
    assert_eq!(*after, Duration::from_millis(200));
    // The request went out; the answer never came.
    assert_eq!(*stage, sforce::Stage::Response);
    assert!(stage.server_may_have_done_the_work());
    assert!(
        err.to_string().contains("may still have done the work"),
        "{err}"
    );

    // The connection's default applies when the call gives none…
    let short = Connection::builder()
        .session("EXISTING-SESSION-id!xyz", &url)
        .timeout(Duration::from_millis(100))
        .no_proxy()
        .no_trace()
        .build()
        .unwrap();
    *org.call_delay.lock().unwrap() = Duration::from_millis(400);
    let err = server_timestamp(&short, None).await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout { after, .. } if after == Duration::from_millis(100)),
        "{err:?}"
    );
    // …and a per-call timeout replaces it.
    assert_eq!(
        server_timestamp(&short, Some(Duration::from_secs(5)))
            .await
            .unwrap(),
        TIMESTAMP
    );
}

#[tokio::test]
async fn unreachable_server_is_a_transport_error_without_secrets() {
    // A port that was free a moment ago: nothing listens there.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let connection = session_connection(&url);
    let err = server_timestamp(&connection, None).await.unwrap_err();
    let Error::Transport { message, .. } = &err else {
        panic!("expected Transport, got {err:?}");
    };
    assert!(message.contains("127.0.0.1"), "{message}");
    assert!(!format!("{err} {err:?}").contains("EXISTING-SESSION"));
    // The cause is kept, not only its text.
    let cause = std::error::Error::source(&err).expect("a transport error keeps its cause");
    let reqwest_error = cause
        .downcast_ref::<reqwest::Error>()
        .expect("the cause is the HTTP client's error");
    assert!(reqwest_error.is_connect(), "{reqwest_error:?}");

    // A login that cannot connect fails the same way.
    let err = Connection::builder()
        .login_url(&url)
        .password_login(USERNAME, PASSWORD, SECURITY_TOKEN)
        .no_proxy()
        .no_trace()
        .connect()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains(PASSWORD));
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let connection = answering(|| {
        (
            StatusCode::FOUND,
            [(header::LOCATION, "https://elsewhere.example.com/")],
            "",
        )
    })
    .await;
    let err = server_timestamp(&connection, None).await.unwrap_err();
    assert!(matches!(err, Error::NotXml { status: 302, .. }), "{err:?}");
}
