//! `SFORCE_TRACE_DIR`: envelopes written to numbered files with secrets masked.
//!
//! One test in this binary only: it sets the environment variable, which must not race
//! with other tests reading the environment.

mod common;

use common::*;
use sforce::Connection;

#[tokio::test]
async fn trace_dir_gets_masked_envelopes() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace");
    std::env::set_var(sforce::connection::TRACE_DIR_ENV, &trace);

    let org = Org::new();
    let url = org.start().await;
    let connection = Connection::builder()
        .login_url(&url)
        .password_login(USERNAME, PASSWORD, SECURITY_TOKEN)
        .no_proxy()
        .connect()
        .await
        .unwrap();
    std::env::remove_var(sforce::connection::TRACE_DIR_ENV);
    assert_eq!(
        server_timestamp(&connection, None).await.unwrap(),
        TIMESTAMP
    );
    let session_id = connection
        .session()
        .unwrap()
        .session_id()
        .expose()
        .to_owned();

    let mut names: Vec<String> = std::fs::read_dir(&trace)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "0001-login-request.xml",
            "0001-login-response.xml",
            "0002-getServerTimestamp-request.xml",
            "0002-getServerTimestamp-response.xml",
        ]
    );
    let read = |name: &str| std::fs::read_to_string(trace.join(name)).unwrap();
    let login_request = read("0001-login-request.xml");
    assert!(login_request.contains(USERNAME), "{login_request}");
    assert!(login_request.contains("p:password"), "{login_request}");
    let login_response = read("0001-login-response.xml");
    assert!(login_response.contains("<serverUrl>"), "{login_response}");
    let call_request = read("0002-getServerTimestamp-request.xml");
    assert!(
        call_request.contains("<p:getServerTimestamp>"),
        "{call_request}"
    );
    assert!(call_request.contains("p:sessionId"), "{call_request}");
    let call_response = read("0002-getServerTimestamp-response.xml");
    assert!(call_response.contains(TIMESTAMP), "{call_response}");

    let escaped_password = PASSWORD
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    for (name, text) in [
        ("login request", &login_request),
        ("login response", &login_response),
        ("call request", &call_request),
        ("call response", &call_response),
    ] {
        assert!(
            !text.contains(&session_id),
            "session id in the {name}: {text}"
        );
        assert!(
            !text.contains("SESSION-1"),
            "session id in the {name}: {text}"
        );
        assert!(
            !text.contains(&escaped_password),
            "password in the {name}: {text}"
        );
        assert!(
            !text.contains(SECURITY_TOKEN),
            "token in the {name}: {text}"
        );
    }
    assert!(format!("{connection:?}").contains("trace"));
}
