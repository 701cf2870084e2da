//! A fake Salesforce org for the transport tests: a real axum server on 127.0.0.1 that
//! answers SOAP `login()`, the OAuth token endpoint and `getServerTimestamp`, and records
//! what it received. Plus a hand-written service description for the calls.

#![allow(dead_code, unreachable_pub)]

use std::collections::HashSet;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::routing::post;
use axum::Router;

use sforce::__private::{
    Element, FaultDetail, FromXml, NoHeaders, OperationInfo, ServiceInfo, XmlReader, XmlWriter,
};
use sforce::{CallSettings, Connection, Error, Response};

pub const PARTNER_NS: &str = "urn:partner.soap.sforce.com";
pub const USERNAME: &str = "user@example.com";
pub const PASSWORD: &str = "Pa55word&<secret>";
pub const SECURITY_TOKEN: &str = "TOKENabc123";
pub const ORG_ID: &str = "00D000000000001AAA";
pub const USER_ID: &str = "005000000000001AAA";
pub const TIMESTAMP: &str = "2024-05-22T17:07:44.000Z";
pub const CLIENT_ID: &str = "3MVG9-test-client-id";
pub const CLIENT_SECRET: &str = "CLIENT-SECRET-9f8e7d";
pub const REFRESH_TOKEN: &str = "REFRESH-TOKEN-1a2b3c";
pub const JWT_PRIVATE_KEY: &str = include_str!("../data/test-only-jwt-private-key.pem");
pub const JWT_PUBLIC_KEY: &str = include_str!("../data/test-only-jwt-public-key.pem");

// ---------------------------------------------------------------------------------------
// The hand-written service the tests call.

fn skip_detail(
    r: &mut XmlReader<'_>,
    e: &Element<'_>,
) -> Result<Option<Box<dyn FaultDetail>>, Error> {
    r.skip(e)?;
    Ok(None)
}

pub static SERVICE: ServiceInfo = ServiceInfo {
    name: "SforceService",
    namespaces: &[("p", PARTNER_NS)],
    session_header: Some("p:SessionHeader"),
    session_id_tag: "p:sessionId",
    endpoint_path: "/services/Soap/u/",
    api_version: "66.0",
    read_fault_detail: skip_detail,
};

pub static GET_SERVER_TIMESTAMP: OperationInfo = OperationInfo {
    name: "getServerTimestamp",
    soap_action: "",
};

/// `<getServerTimestampResponse><result><timestamp>…`.
#[derive(Debug, Default, PartialEq)]
pub struct Timestamp(pub String);

impl FromXml for Timestamp {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        let mut out = Timestamp::default();
        while let Some(result) = reader.next_child(element)? {
            if result.local_name() != b"result" {
                reader.skip(&result)?;
                continue;
            }
            while let Some(field) = reader.next_child(&result)? {
                if field.local_name() == b"timestamp" {
                    out.0 = reader.text(&field)?.into_owned();
                } else {
                    reader.skip(&field)?;
                }
            }
        }
        Ok(out)
    }
}

/// Response headers: `LimitInfoHeader/limitInfo/{current,limit}`.
#[derive(Debug, Default, PartialEq)]
pub struct LimitHeaders {
    pub current: Option<String>,
    pub limit: Option<String>,
}

impl FromXml for LimitHeaders {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        let mut out = LimitHeaders::default();
        while let Some(header) = reader.next_child(element)? {
            if header.local_name() != b"LimitInfoHeader" {
                reader.skip(&header)?;
                continue;
            }
            while let Some(info) = reader.next_child(&header)? {
                while let Some(field) = reader.next_child(&info)? {
                    match field.local_name() {
                        b"current" => out.current = Some(reader.text(&field)?.into_owned()),
                        b"limit" => out.limit = Some(reader.text(&field)?.into_owned()),
                        _ => reader.skip(&field)?,
                    }
                }
            }
        }
        Ok(out)
    }
}

fn write_no_headers(_: &mut XmlWriter) {}

fn write_timestamp_body(w: &mut XmlWriter) {
    w.open("p:getServerTimestamp");
    w.close("p:getServerTimestamp");
}

/// Calls `getServerTimestamp` through the connection.
pub async fn server_timestamp(
    connection: &Connection,
    timeout: Option<Duration>,
) -> Result<String, Error> {
    let response: Response<Timestamp, NoHeaders> = connection
        .call(
            &SERVICE,
            &GET_SERVER_TIMESTAMP,
            &write_no_headers,
            &write_timestamp_body,
            CallSettings {
                timeout,
                ..CallSettings::default()
            },
        )
        .await?;
    Ok(response.body.0)
}

/// Calls `getServerTimestamp` and reads the `LimitInfoHeader` too.
pub async fn server_timestamp_with_limits(
    connection: &Connection,
) -> Result<Response<Timestamp, LimitHeaders>, Error> {
    connection
        .call(
            &SERVICE,
            &GET_SERVER_TIMESTAMP,
            &write_no_headers,
            &write_timestamp_body,
            CallSettings::default(),
        )
        .await
}

// ---------------------------------------------------------------------------------------
// Serving.

/// Serves `router` on 127.0.0.1 (a free port) on the current runtime; returns the base URL.
pub async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    format!("http://{address}")
}

/// Serves `router` on its own multi-thread runtime (for tests that are not async).
pub fn serve_in_background(router: Router) -> (String, tokio::runtime::Runtime) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let url = runtime.block_on(serve(router));
    (url, runtime)
}

/// A connection using an existing session on `base_url` (no login).
pub fn session_connection(base_url: &str) -> Connection {
    Connection::builder()
        .session("EXISTING-SESSION-id!xyz", base_url)
        .no_proxy()
        .no_trace()
        .build()
        .unwrap()
}

// ---------------------------------------------------------------------------------------
// Envelopes.

pub fn envelope(header: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
         xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns=\"{PARTNER_NS}\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">{header}<soapenv:Body>{body}\
         </soapenv:Body></soapenv:Envelope>"
    )
}

pub fn timestamp_envelope() -> String {
    envelope(
        "<soapenv:Header><LimitInfoHeader><limitInfo><current>17</current><limit>15000</limit>\
         <type>API REQUESTS</type></limitInfo></LimitInfoHeader></soapenv:Header>",
        &format!(
            "<getServerTimestampResponse><result><timestamp>{TIMESTAMP}</timestamp></result>\
             </getServerTimestampResponse>"
        ),
    )
}

pub fn fault_envelope(code: &str, message: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
         xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:sf=\"urn:fault.partner.soap.sforce.com\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body><soapenv:Fault>\
         <faultcode>sf:{code}</faultcode><faultstring>{code}: {message}</faultstring><detail>\
         <sf:UnexpectedErrorFault xsi:type=\"sf:UnexpectedErrorFault\"><sf:exceptionCode>{code}\
         </sf:exceptionCode><sf:exceptionMessage>{message}</sf:exceptionMessage>\
         </sf:UnexpectedErrorFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )
}

pub fn login_envelope(server_url: &str, session_id: &str) -> String {
    envelope(
        "",
        &format!(
            "<loginResponse><result><metadataServerUrl>{server_url}</metadataServerUrl>\
             <passwordExpired>false</passwordExpired><sandbox>false</sandbox>\
             <serverUrl>{server_url}</serverUrl><sessionId>{session_id}</sessionId>\
             <userId>{USER_ID}</userId><userInfo><organizationId>{ORG_ID}</organizationId>\
             <sessionSecondsValid>7200</sessionSecondsValid><userId>{USER_ID}</userId>\
             </userInfo></result></loginResponse>"
        ),
    )
}

pub fn invalid_login_fault() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/soap/simple-salesforce-login_fault_INVALID_LOGIN.xml"
    ))
    .unwrap()
}

pub fn xml_reply(status: StatusCode, body: String) -> HttpResponse {
    (
        status,
        [(header::CONTENT_TYPE, "text/xml;charset=UTF-8")],
        body,
    )
        .into_response()
}

/// The text of the first element whose local name is `local` (any prefix), unescaped.
pub fn element_text(xml: &str, local: &str) -> Option<String> {
    let mut reader = XmlReader::new(xml.as_bytes());
    let root = reader.root().ok()?;
    find_text(&mut reader, &root, local.as_bytes())
}

fn find_text(reader: &mut XmlReader<'_>, parent: &Element<'_>, local: &[u8]) -> Option<String> {
    while let Some(child) = reader.next_child(parent).ok()? {
        if child.local_name() == local {
            return reader.text(&child).ok().map(|t| t.into_owned());
        }
        if let Some(found) = find_text(reader, &child, local) {
            return Some(found);
        }
    }
    None
}

pub fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data)
        .read_to_end(&mut out)
        .unwrap();
    out
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

// ---------------------------------------------------------------------------------------
// The fake org.

/// One request as the server saw it (body decompressed).
#[derive(Debug, Clone)]
pub struct Recorded {
    pub kind: &'static str,
    pub path: String,
    pub host: String,
    pub content_type: String,
    pub soap_action: Option<String>,
    pub gzipped: bool,
    pub accept_encoding: String,
    pub user_agent: String,
    pub body: String,
}

/// What the token endpoint accepts.
pub enum OAuthExpect {
    None,
    Jwt { audience: String },
    ClientCredentials,
    RefreshToken { rotate_to: Option<String> },
}

pub struct Org {
    /// Where `serverUrl` / `instance_url` point (set after the instance server starts).
    pub instance_url: Mutex<String>,
    pub logins: AtomicUsize,
    pub token_requests: AtomicUsize,
    pub calls: AtomicUsize,
    pub valid_sessions: Mutex<HashSet<String>>,
    /// Every call is answered INVALID_SESSION_ID.
    pub reject_all: AtomicBool,
    /// New sessions from login are not accepted by calls.
    pub issue_dead_sessions: AtomicBool,
    pub gzip_responses: AtomicBool,
    pub call_delay: Mutex<Duration>,
    pub oauth: Mutex<OAuthExpect>,
    /// The refresh token the token endpoint currently accepts.
    pub current_refresh_token: Mutex<String>,
    pub requests: Mutex<Vec<Recorded>>,
}

impl Org {
    pub fn new() -> Arc<Org> {
        Arc::new(Org {
            instance_url: Mutex::new(String::new()),
            logins: AtomicUsize::new(0),
            token_requests: AtomicUsize::new(0),
            calls: AtomicUsize::new(0),
            valid_sessions: Mutex::new(HashSet::new()),
            reject_all: AtomicBool::new(false),
            issue_dead_sessions: AtomicBool::new(false),
            gzip_responses: AtomicBool::new(false),
            call_delay: Mutex::new(Duration::ZERO),
            oauth: Mutex::new(OAuthExpect::None),
            current_refresh_token: Mutex::new(REFRESH_TOKEN.to_owned()),
            requests: Mutex::new(Vec::new()),
        })
    }

    pub fn router(self: &Arc<Self>) -> Router {
        Router::new()
            .route("/services/Soap/u/{version}", post(soap))
            .route("/services/oauth2/token", post(token))
            .with_state(self.clone())
    }

    /// Starts one server that is both login host and instance.
    pub async fn start(self: &Arc<Self>) -> String {
        let url = serve(self.router()).await;
        *self.instance_url.lock().unwrap() = url.clone();
        url
    }

    pub fn requests(&self, kind: &str) -> Vec<Recorded> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.kind == kind)
            .cloned()
            .collect()
    }

    pub fn invalidate_all_sessions(&self) {
        self.valid_sessions.lock().unwrap().clear();
    }

    fn new_session(&self, n: usize) -> String {
        let id = format!("{ORG_ID}!SESSION-{n}-AQcAQH0dMHZfz972Szmpkb58urFRkgeBGsxL");
        if !self.issue_dead_sessions.load(Ordering::SeqCst) {
            self.valid_sessions.lock().unwrap().insert(id.clone());
        }
        id
    }

    fn record(&self, kind: &'static str, path: &str, headers: &HeaderMap, body: &Bytes) -> String {
        let get = |name: header::HeaderName| {
            headers
                .get(name)
                .map(|v| v.to_str().unwrap_or("").to_owned())
                .unwrap_or_default()
        };
        let gzipped = get(header::CONTENT_ENCODING) == "gzip";
        let raw = if gzipped { gunzip(body) } else { body.to_vec() };
        let text = String::from_utf8(raw).unwrap();
        self.requests.lock().unwrap().push(Recorded {
            kind,
            path: path.to_owned(),
            host: get(header::HOST),
            content_type: get(header::CONTENT_TYPE),
            soap_action: headers
                .get("SOAPAction")
                .map(|v| v.to_str().unwrap_or("").to_owned()),
            gzipped,
            accept_encoding: get(header::ACCEPT_ENCODING),
            user_agent: get(header::USER_AGENT),
            body: text.clone(),
        });
        text
    }
}

async fn soap(
    State(org): State<Arc<Org>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> HttpResponse {
    let is_login = String::from_utf8_lossy(&body).contains(":login>");
    if is_login {
        let text = org.record("login", uri.path(), &headers, &body);
        let username = element_text(&text, "username").unwrap_or_default();
        let password = element_text(&text, "password").unwrap_or_default();
        if username != USERNAME || password != format!("{PASSWORD}{SECURITY_TOKEN}") {
            return xml_reply(StatusCode::INTERNAL_SERVER_ERROR, invalid_login_fault());
        }
        let n = org.logins.fetch_add(1, Ordering::SeqCst) + 1;
        let session = org.new_session(n);
        let server_url = format!(
            "{}/services/Soap/u/64.0/{}",
            org.instance_url.lock().unwrap(),
            &ORG_ID[..15]
        );
        return xml_reply(StatusCode::OK, login_envelope(&server_url, &session));
    }
    let text = org.record("call", uri.path(), &headers, &body);
    org.calls.fetch_add(1, Ordering::SeqCst);
    let delay = *org.call_delay.lock().unwrap();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let session = element_text(&text, "sessionId").unwrap_or_default();
    let valid = org.valid_sessions.lock().unwrap().contains(&session);
    if org.reject_all.load(Ordering::SeqCst) || !valid {
        return xml_reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            fault_envelope(
                "INVALID_SESSION_ID",
                "Invalid Session ID found in SessionHeader",
            ),
        );
    }
    let reply = timestamp_envelope();
    let accepts_gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("gzip"));
    if org.gzip_responses.load(Ordering::SeqCst) && accepts_gzip {
        return (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/xml;charset=UTF-8"),
                (header::CONTENT_ENCODING, "gzip"),
            ],
            gzip(reply.as_bytes()),
        )
            .into_response();
    }
    xml_reply(StatusCode::OK, reply)
}

fn json_reply(status: StatusCode, body: String) -> HttpResponse {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn oauth_error(error: &str, description: &str) -> HttpResponse {
    json_reply(
        StatusCode::BAD_REQUEST,
        format!("{{\"error\":\"{error}\",\"error_description\":\"{description}\"}}"),
    )
}

#[derive(serde::Deserialize)]
struct Claims {
    sub: String,
}

async fn token(
    State(org): State<Arc<Org>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> HttpResponse {
    let text = org.record("token", uri.path(), &headers, &body);
    let form: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(text.as_bytes())
            .into_owned()
            .collect();
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    if headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        != Some("application/x-www-form-urlencoded")
    {
        return oauth_error("invalid_request", "wrong content type");
    }
    let mut rotated = None;
    {
        let expect = org.oauth.lock().unwrap();
        match &*expect {
            OAuthExpect::None => return oauth_error("unsupported_grant_type", "no OAuth here"),
            OAuthExpect::Jwt { audience } => {
                if field("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
                    return oauth_error("unsupported_grant_type", "expected jwt-bearer");
                }
                let key =
                    jsonwebtoken::DecodingKey::from_rsa_pem(JWT_PUBLIC_KEY.as_bytes()).unwrap();
                let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
                validation.set_audience(&[audience.as_str()]);
                validation.set_issuer(&[CLIENT_ID]);
                validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
                match jsonwebtoken::decode::<Claims>(&field("assertion"), &key, &validation) {
                    Ok(data) if data.claims.sub == USERNAME => {}
                    Ok(_) => return oauth_error("invalid_grant", "wrong subject"),
                    Err(e) => return oauth_error("invalid_grant", &format!("bad assertion: {e}")),
                }
            }
            OAuthExpect::ClientCredentials => {
                if field("grant_type") != "client_credentials"
                    || field("client_id") != CLIENT_ID
                    || field("client_secret") != CLIENT_SECRET
                {
                    return oauth_error("invalid_client", "invalid client credentials");
                }
            }
            OAuthExpect::RefreshToken { rotate_to } => {
                let current = org.current_refresh_token.lock().unwrap().clone();
                if field("grant_type") != "refresh_token"
                    || field("client_id") != CLIENT_ID
                    || field("client_secret") != CLIENT_SECRET
                    || field("refresh_token") != current
                {
                    return oauth_error("invalid_grant", "expired access/refresh token");
                }
                rotated = rotate_to.clone();
            }
        }
    }
    let n = org.token_requests.fetch_add(1, Ordering::SeqCst) + 1;
    let session = org.new_session(n);
    let mut json = serde_json::json!({
        "access_token": session,
        "instance_url": org.instance_url.lock().unwrap().clone(),
        "id": format!("https://login.salesforce.com/id/{ORG_ID}/{USER_ID}"),
        "token_type": "Bearer",
        "issued_at": "1700000000000",
    });
    if let Some(next) = rotated {
        *org.current_refresh_token.lock().unwrap() = next.clone();
        json["refresh_token"] = serde_json::Value::String(next);
    }
    json_reply(StatusCode::OK, json.to_string())
}

thread_local! {
    /// What the test's subscriber wrote on this thread (see [`capture_tracing`]).
    static TRACED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Everything `tracing` recorded on this thread since [`capture_tracing`].
pub struct Traced;

impl Traced {
    /// The text written so far.
    pub fn text(&self) -> String {
        TRACED.with(|t| String::from_utf8_lossy(&t.borrow()).into_owned())
    }
}

/// Records every event and closed span (all fields, every level, every crate) written on
/// the calling thread, from now on. One global subscriber for the whole test binary: a
/// scoped one per test (`set_default`) races with the other tests' subscribers over
/// `tracing`'s per-callsite interest cache, and a callsite first seen while no subscriber
/// wanted it could stay silent. Tests run on threads of their own (`#[tokio::test]` is
/// current-thread), so each reads only its own output.
pub fn capture_tracing() -> Traced {
    struct ThreadWriter;
    impl std::io::Write for ThreadWriter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            TRACED.with(|t| t.borrow_mut().extend_from_slice(bytes));
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_writer(|| ThreadWriter)
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other global subscriber in the test binary");
    });
    TRACED.with(|t| t.borrow_mut().clear());
    Traced
}
