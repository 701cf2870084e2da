//! Compression, response headers, the blocking path and proxies, against a real server.

mod common;

use std::sync::atomic::Ordering;

use common::*;
use sforce::Connection;

fn existing_session(org: &Org) {
    org.valid_sessions
        .lock()
        .unwrap()
        .insert("EXISTING-SESSION-id!xyz".to_owned());
}

#[tokio::test]
async fn gzip_both_ways() {
    let org = Org::new();
    let url = org.start().await;
    existing_session(&org);
    org.gzip_responses.store(true, Ordering::SeqCst);
    let connection = Connection::builder()
        .session("EXISTING-SESSION-id!xyz", &url)
        .gzip_requests(true)
        .no_proxy()
        .no_trace()
        .build()
        .unwrap();
    assert_eq!(
        server_timestamp(&connection, None).await.unwrap(),
        TIMESTAMP
    );
    let call = &org.requests("call")[0];
    assert!(call.gzipped, "the request was not gzip-encoded");
    // The server decompressed it into the real envelope.
    assert_eq!(
        element_text(&call.body, "sessionId").as_deref(),
        Some("EXISTING-SESSION-id!xyz")
    );
    assert!(
        call.accept_encoding.contains("gzip"),
        "{}",
        call.accept_encoding
    );
}

#[tokio::test]
async fn no_compression_when_switched_off() {
    let org = Org::new();
    let url = org.start().await;
    existing_session(&org);
    org.gzip_responses.store(true, Ordering::SeqCst);
    let connection = Connection::builder()
        .session("EXISTING-SESSION-id!xyz", &url)
        .gzip_responses(false)
        .user_agent("my-app/1.0")
        .no_proxy()
        .no_trace()
        .build()
        .unwrap();
    assert_eq!(
        server_timestamp(&connection, None).await.unwrap(),
        TIMESTAMP
    );
    let call = &org.requests("call")[0];
    assert!(!call.gzipped);
    assert!(
        !call.accept_encoding.contains("gzip"),
        "{}",
        call.accept_encoding
    );
    assert_eq!(call.user_agent, "my-app/1.0");
}

#[tokio::test]
async fn response_headers_are_returned() {
    let org = Org::new();
    let url = org.start().await;
    existing_session(&org);
    let response = server_timestamp_with_limits(&session_connection(&url))
        .await
        .unwrap();
    assert_eq!(response.body.0, TIMESTAMP);
    assert_eq!(response.headers.current.as_deref(), Some("17"));
    assert_eq!(response.headers.limit.as_deref(), Some("15000"));
}

#[cfg(feature = "blocking")]
#[test]
fn blocking_calls_from_a_plain_thread() {
    let org = Org::new();
    let (url, server_runtime) = serve_in_background(org.router());
    *org.instance_url.lock().unwrap() = url.clone();
    let connection = Connection::builder()
        .login_url(&url)
        .password_login(USERNAME, PASSWORD, SECURITY_TOKEN)
        .no_proxy()
        .no_trace()
        .build()
        .unwrap();

    // Login happens inside block_on; two calls reuse the session (and the pooled
    // connection of the connection's own runtime).
    for _ in 0..2 {
        let timestamp = connection.block_on(server_timestamp(&connection, None));
        assert_eq!(timestamp.unwrap(), TIMESTAMP);
    }
    assert_eq!(org.logins.load(Ordering::SeqCst), 1);

    // From another OS thread too, on a clone.
    let clone = connection.clone();
    let from_thread = std::thread::spawn(move || clone.block_on(server_timestamp(&clone, None)))
        .join()
        .unwrap();
    assert_eq!(from_thread.unwrap(), TIMESTAMP);

    // Renewal works on the blocking path.
    org.invalidate_all_sessions();
    assert_eq!(
        connection
            .block_on(server_timestamp(&connection, None))
            .unwrap(),
        TIMESTAMP
    );
    assert_eq!(org.logins.load(Ordering::SeqCst), 2);

    // The same connection from a separate async runtime after blocking use.
    let other = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // (A pooled connection of the blocking runtime used here would hang: bound it.)
    let from_other = other.block_on(async {
        tokio::time::timeout(
            std::time::Duration::from_secs(10),
            server_timestamp(&connection, None),
        )
        .await
    });
    assert_eq!(from_other.expect("hung").unwrap(), TIMESTAMP);
    assert_eq!(org.calls.load(Ordering::SeqCst), 6);
    drop(server_runtime);
}

#[cfg(feature = "blocking")]
#[test]
fn blocking_calls_inside_an_async_runtime_work_instead_of_panicking() {
    // A Tokio block_on inside a runtime panics; the blocking client polls the call on the
    // caller's thread with its own runtime entered instead. The server runs on a runtime
    // of its own, since the caller's worker thread is held for the call.
    let org = Org::new();
    let (url, server_runtime) = serve_in_background(org.router());
    *org.instance_url.lock().unwrap() = url.clone();
    let connection = Connection::builder()
        .login_url(&url)
        .password_login(USERNAME, PASSWORD, SECURITY_TOKEN)
        .no_proxy()
        .no_trace()
        .build()
        .unwrap();
    let current_thread = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let multi_thread = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    for runtime in [&current_thread, &multi_thread] {
        let timestamp =
            runtime.block_on(async { connection.block_on(server_timestamp(&connection, None)) });
        assert_eq!(timestamp.unwrap(), TIMESTAMP);
        // The generated blocking client, and a future that is not Send.
        let client = sforce::partner::blocking::Client::new(connection.clone());
        let timestamp = runtime.block_on(async { client.get_server_timestamp() });
        assert!(timestamp.is_ok(), "{timestamp:?}");
        let not_send = std::rc::Rc::new(());
        let timestamp = runtime.block_on(async {
            connection.block_on(async {
                let _held = not_send.clone();
                server_timestamp(&connection, None).await
            })
        });
        assert_eq!(timestamp.unwrap(), TIMESTAMP);
    }
    // A panic in the call reaches the caller as a panic, not a hang.
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        current_thread.block_on(async { connection.block_on(async { panic!("inside") }) })
    }));
    assert!(caught.is_err());
    assert_eq!(org.logins.load(Ordering::SeqCst), 1);
    drop(connection);
    drop(server_runtime);
}

#[cfg(feature = "blocking")]
#[tokio::test]
async fn connection_dropped_in_async_code_after_blocking_use() {
    // The connection's own runtime must not be dropped in a way that panics here.
    let org = Org::new();
    let url = org.start().await;
    existing_session(&org);
    let connection = session_connection(&url);
    let blocking = connection.clone();
    let timestamp =
        tokio::task::spawn_blocking(move || blocking.block_on(server_timestamp(&blocking, None)))
            .await
            .unwrap();
    assert_eq!(timestamp.unwrap(), TIMESTAMP);
    drop(connection);
}

#[tokio::test]
async fn requests_go_through_the_proxy() {
    // The proxy is the fake org itself: plain-HTTP proxying sends the absolute URL, which
    // the server routes by path and records the Host of.
    let org = Org::new();
    let proxy = org.start().await;
    existing_session(&org);
    let connection = Connection::builder()
        .session("EXISTING-SESSION-id!xyz", "http://na1.salesforce.invalid")
        .proxy(&proxy)
        .no_trace()
        .build()
        .unwrap();
    assert_eq!(
        server_timestamp(&connection, None).await.unwrap(),
        TIMESTAMP
    );
    let call = &org.requests("call")[0];
    assert_eq!(call.host, "na1.salesforce.invalid");
    assert_eq!(call.path, "/services/Soap/u/66.0");
}
