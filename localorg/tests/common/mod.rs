//! What the local org's test files share: a started org whose responses are kept for the
//! schema check, a logged-in client, and raw HTTP for requests the client would not send.

#![allow(dead_code)] // each test file uses its own part

use sforce::partner::{self, ErrorTypeKind};
use sforce::{Connection, Id, SObject};
use sforce_localorg::LocalOrg;

/// An org whose responses are written, when it stops, to
/// `<workspace>/target/localorg-responses/<file>-<test>-<n>-<operation>.<api>-response.xml`,
/// which CI validates against the partner and apex WSDLs (tools/validate_envelopes.py).
pub(crate) struct Recorded(pub(crate) LocalOrg);

impl std::ops::Deref for Recorded {
    type Target = LocalOrg;
    fn deref(&self) -> &LocalOrg {
        &self.0
    }
}

impl Drop for Recorded {
    fn drop(&mut self) {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/localorg-responses");
        std::fs::create_dir_all(&dir).expect("create target/localorg-responses");
        let test = std::thread::current()
            .name()
            .unwrap_or("test")
            .replace("::", "-");
        let file = env!("CARGO_CRATE_NAME");
        for (n, call) in self.0.requests().iter().enumerate() {
            if !call.response.starts_with("<?xml") {
                continue; // an injected HTML page, not an envelope
            }
            let operation = call.operation.as_deref().unwrap_or("none");
            let path = dir.join(format!(
                "{file}-{test}-{n:04}-{operation}.{}-response.xml",
                call.api
            ));
            std::fs::write(path, &call.response).expect("write a response");
        }
    }
}

/// Starts the org and a client that logs in with its credentials.
pub(crate) async fn start(builder: sforce_localorg::Builder) -> (Recorded, partner::Client) {
    let org = builder.start().await.expect("the org starts");
    let client = client_for(&org);
    (Recorded(org), client)
}

/// A partner client for the org's username, password and security token.
pub(crate) fn client_for(org: &LocalOrg) -> partner::Client {
    let connection = Connection::builder()
        .login_url(org.url())
        .password_login(org.username(), org.password(), org.security_token())
        .build()
        .expect("a connection");
    partner::Client::new(connection)
}

/// Creates `records` and returns their Ids, in order; every record must be created.
pub(crate) async fn create_ids(client: &partner::Client, records: &[SObject]) -> Vec<Id> {
    client
        .create(records)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            r.id.unwrap_or_else(|| panic!("not created: {:?}", r.errors))
        })
        .collect()
}

/// The status codes of a result's errors.
pub(crate) fn codes(errors: &[ErrorTypeKind]) -> Vec<String> {
    errors
        .iter()
        .map(|e| e.status_code().as_str().to_owned())
        .collect()
}

/// A fault's exception code, or the error when it is no fault.
pub(crate) fn fault_code(error: &sforce::Error) -> String {
    error
        .fault()
        .map(|f| f.exception_code().to_owned())
        .unwrap_or_else(|| format!("not a fault: {error}"))
}

/// A raw HTTP/1.1 request over loopback (tokio only): `method`, the URL, extra headers
/// and the body; returns the status and the body. A POST without a `Content-Type` header
/// is sent as `text/xml`.
pub(crate) async fn http(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let mut request = format!("{method} /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    if method == "POST" {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
        if !headers.iter().any(|(n, _)| *n == "Content-Type") {
            request.push_str("Content-Type: text/xml; charset=utf-8\r\n");
        }
    }
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text[9..12].parse().unwrap();
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}
