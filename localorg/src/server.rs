//! The HTTP side: Salesforce's endpoint paths on axum, the org behind one lock, and the
//! handle a test holds ([`LocalOrg`]).

use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::calls::{self, Endpoint, Reply};
use crate::clock::Clock;
use crate::inject::{Failure, Injection, Injector, UNAVAILABLE_PAGE};
use crate::org::{Config, Org, SentEmail};
use crate::proxy;
use crate::seed::Seed;

/// Largest request body the org reads, after gzip (Salesforce's own limit is 50 MB).
const MAX_REQUEST: u64 = 64 * 1024 * 1024;

/// Why the org could not start: a describe dump, the database, the address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Settings of a [`LocalOrg`] before it starts: credentials, describes, database, clock,
/// address. Every setting has a default; `LocalOrg::builder().start().await` is an org.
#[derive(Debug, Clone)]
pub struct Builder {
    config: Config,
    clock: Clock,
    address: SocketAddr,
}

impl Builder {
    /// The username that logs in (default `admin@localorg.test`).
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.config.username = username.into();
        self
    }

    /// The password (default `localorg-password`); `login` takes it followed by the
    /// security token, unless the client is [trusted](Builder::trusted).
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.config.password = password.into();
        self
    }

    /// The security token appended to the password (default `LOCALTOKEN`).
    pub fn security_token(mut self, token: impl Into<String>) -> Self {
        self.config.security_token = token.into();
        self
    }

    /// Treat clients as calling from a trusted address: the password alone logs in, as
    /// it does from an org's trusted IP ranges (default: the token is required).
    pub fn trusted(mut self, trusted: bool) -> Self {
        self.config.trusted = trusted;
        self
    }

    /// How long a session lives without a call (default two hours, Salesforce's default).
    pub fn session_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.config.session_timeout =
            chrono::Duration::from_std(timeout).unwrap_or(chrono::Duration::MAX);
        self
    }

    /// Also serve the objects of these describe dumps (a file or a directory of
    /// `sf sobject describe --json`/REST describe JSON or `cargo sforce describe` XML);
    /// a dump of a bundled standard object replaces it. Repeatable.
    pub fn describe(mut self, path: impl Into<PathBuf>) -> Self {
        self.config.describe.push(path.into());
        self
    }

    /// Keep the records in this SQLite file, to find them again after a restart
    /// (default: in memory, gone when the org stops).
    pub fn database(mut self, path: impl Into<PathBuf>) -> Self {
        self.config.database = Some(path.into());
        self
    }

    /// The clock the org runs on (default: the system clock). Keep a clone to move it.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Create these records when the org starts: a `.json` file or a directory of
    /// `.json`/`.csv` files (the format is in the crate README), through the same
    /// validation as `create`. Repeatable; an invalid record fails the start, naming it.
    /// With a [database file](Builder::database) that already exists, seeds are skipped:
    /// the file has them from its first start.
    pub fn seed(mut self, path: impl Into<PathBuf>) -> Self {
        self.config.seeds.push(Seed::Path(path.into()));
        self
    }

    /// Create the bundled demo data set when the org starts: eight accounts across
    /// industries, twelve contacts, eight opportunities, a lead, a document and an email
    /// template (`--seed demo`).
    pub fn seed_demo(mut self) -> Self {
        self.config.seeds.push(Seed::Demo);
        self
    }

    /// API requests the org answers in any 24 hours (a rolling window on the org's clock,
    /// as Salesforce counts them) before `REQUEST_LIMIT_EXCEEDED` (default 15,000, a
    /// developer edition's daily allowance). Every response carries the count in its
    /// `LimitInfoHeader`.
    pub fn api_request_limit(mut self, limit: u64) -> Self {
        self.config.daily_api_limit = limit;
        self
    }

    /// Long-running requests in flight at once before the next request gets
    /// `REQUEST_LIMIT_EXCEEDED` (default 25, Salesforce's limit; 5 on a developer
    /// edition). A request is long-running once it has run for
    /// [`long_running_after`](Self::long_running_after).
    pub fn concurrent_request_limit(mut self, limit: usize) -> Self {
        self.config.concurrent_limit = limit;
        self
    }

    /// How long a request runs before it counts toward the
    /// [concurrency limit](Self::concurrent_request_limit) (default 20 seconds, as
    /// Salesforce counts them); real time, not the org's clock, since it is the request's
    /// own duration.
    pub fn long_running_after(mut self, after: std::time::Duration) -> Self {
        self.config.long_running_after = after;
        self
    }

    /// A connected app the OAuth token endpoint (`/services/oauth2/token`) accepts, for
    /// the client credentials, refresh token, username-password and (with its key) JWT
    /// bearer flows. Repeatable.
    pub fn connected_app(mut self, app: crate::oauth::ConnectedApp) -> Self {
        self.config.apps.push(app);
        self
    }

    /// A remote site the AJAX proxy (`/services/proxy`) may call: a URL such as
    /// `https://api.example.com`, which admits it and every path below it, as Setup's
    /// Remote Site Settings do. Repeatable; without one the proxy calls nothing.
    pub fn remote_site(mut self, url: impl Into<String>) -> Self {
        self.config.remote_sites.push(url.into());
        self
    }

    /// How many calls [`LocalOrg::requests`] keeps, with their bodies: the latest
    /// `calls` (default 1,000); 0 keeps none. Bounds the memory of an org that runs long.
    pub fn request_log(mut self, calls: usize) -> Self {
        self.config.request_log = calls;
        self
    }

    /// Where to listen (default `127.0.0.1:0`: loopback, a free port).
    pub fn address(mut self, address: SocketAddr) -> Self {
        self.address = address;
        self
    }

    /// Opens the database, binds the address and starts serving on the current Tokio
    /// runtime. The org stops when the returned [`LocalOrg`] is dropped.
    pub async fn start(self) -> Result<LocalOrg, Error> {
        let config = self.config.clone();
        let clock = self.clock.clone();
        let org = tokio::task::spawn_blocking(move || Org::open(config, clock))
            .await
            .map_err(|e| Error(format!("opening the org: {e}")))?
            .map_err(Error)?;
        let listener = tokio::net::TcpListener::bind(self.address)
            .await
            .map_err(|e| Error(format!("binding {}: {e}", self.address)))?;
        let address = listener
            .local_addr()
            .map_err(|e| Error(format!("reading the bound address: {e}")))?;
        let url = format!("http://{address}");
        let shared = Shared {
            org: Arc::new(Mutex::new(org)),
            url: url.clone(),
            log: Arc::default(),
            log_limit: self.config.request_log,
            injector: Arc::default(),
            calls: Arc::default(),
            in_flight: Arc::default(),
            concurrent_limit: self.config.concurrent_limit,
            long_running_after: self.config.long_running_after,
            http: proxy::client().map_err(Error)?,
        };
        let router = Router::new()
            .route("/services/Soap/u/{version}", post(partner))
            .route("/services/Soap/u/{version}/{*rest}", post(partner))
            .route("/services/Soap/s/{version}", post(apex))
            .route("/services/Soap/s/{version}/{*rest}", post(apex))
            .route("/services/oauth2/token", post(oauth_token))
            .route(
                "/servlet/servlet.FileDownload",
                axum::routing::get(file_download),
            )
            .route("/services/proxy", axum::routing::any(ajax_proxy))
            .route("/_localorg/inject", post(admin_inject))
            .route("/_localorg/outbox", axum::routing::get(admin_outbox))
            .with_state(shared.clone());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(LocalOrg {
            url,
            config: self.config,
            clock: self.clock,
            shared,
            stop: Some(stop),
        })
    }
}

#[derive(Clone)]
struct Shared {
    org: Arc<Mutex<Org>>,
    url: String,
    /// The latest calls, at most `log_limit`.
    log: Arc<Mutex<std::collections::VecDeque<LoggedCall>>>,
    log_limit: usize,
    injector: Arc<Mutex<Injector>>,
    /// Calls received, for `Injection::at_call`.
    calls: Arc<AtomicU64>,
    /// When each request in flight started, by call number.
    in_flight: Arc<Mutex<HashMap<u64, Instant>>>,
    concurrent_limit: usize,
    long_running_after: std::time::Duration,
    /// The AJAX proxy's client.
    http: reqwest::Client,
}

/// One call the org answered, as [`LocalOrg::requests`] lists them. The bodies are as
/// sent and may hold a password or a session id: `Debug` leaves them out.
#[derive(Clone, PartialEq, Eq)]
pub struct LoggedCall {
    /// The API called: `partner` (`/services/Soap/u/`) or `apex` (`/services/Soap/s/`).
    pub api: &'static str,
    /// The operation (`query`, `create`), or `None` when the request was no SOAP call.
    pub operation: Option<String>,
    /// The API version in the URL (`64.0`).
    pub api_version: String,
    /// The HTTP status answered (200, or 500 with a fault).
    pub status: u16,
    /// The request envelope (inflated when it came gzipped).
    pub request: String,
    /// The response envelope.
    pub response: String,
}

impl std::fmt::Debug for LoggedCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoggedCall")
            .field("api", &self.api)
            .field("operation", &self.operation)
            .field("api_version", &self.api_version)
            .field("status", &self.status)
            .field("request", &format_args!("{} bytes", self.request.len()))
            .field("response", &format_args!("{} bytes", self.response.len()))
            .finish()
    }
}

/// A running local org. Dropping it stops the server (an in-memory database goes with
/// it).
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let org = sforce_localorg::LocalOrg::builder().start().await?;
/// let connection = sforce::Connection::builder()
///     .login_url(org.url())
///     .password_login(org.username(), org.password(), org.security_token())
///     .build()?;
/// # let _ = connection; Ok(()) }
/// ```
pub struct LocalOrg {
    url: String,
    config: Config,
    clock: Clock,
    shared: Shared,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl std::fmt::Debug for LocalOrg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalOrg")
            .field("url", &self.url)
            .field("username", &self.config.username)
            .field("password", &"***")
            .field("security_token", &"***")
            .field("clock", &self.clock)
            .finish()
    }
}

impl LocalOrg {
    /// A builder with every default.
    pub fn builder() -> Builder {
        Builder {
            config: Config::default(),
            clock: Clock::real(),
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
        }
    }

    /// The org's base URL (`http://127.0.0.1:PORT`): the login URL a client takes.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The partner SOAP endpoint for an API version (`…/services/Soap/u/64.0`).
    pub fn soap_url(&self, version: &str) -> String {
        format!("{}/services/Soap/u/{version}", self.url)
    }

    /// The username that logs in.
    pub fn username(&self) -> &str {
        &self.config.username
    }

    /// The password that logs in (with the security token after it).
    pub fn password(&self) -> &str {
        &self.config.password
    }

    /// The security token.
    pub fn security_token(&self) -> &str {
        &self.config.security_token
    }

    /// The org's clock: set or advance it to move `CreatedDate`, date literals and
    /// session expiry.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Revokes every session, as an administrator's "log out all users" does: the next
    /// call with one of them gets `INVALID_SESSION_ID`.
    pub fn revoke_sessions(&self) {
        self.with_org(|org| org.sessions.clear());
    }

    /// Plays `injection`'s failure on the calls it names, from the next call on.
    pub fn inject(&self, injection: Injection) {
        lock(&self.shared.injector).add(injection);
    }

    /// Removes every injection not yet spent.
    pub fn clear_injections(&self) {
        lock(&self.shared.injector).clear();
    }

    /// A refresh token for the connected app `client_id`, as the web server flow would
    /// have handed one out after a user's consent; the refresh token flow takes it.
    /// `None` when no such app was registered.
    pub fn refresh_token(&self, client_id: &str) -> Option<String> {
        self.with_org(|org| {
            org.config
                .apps
                .iter()
                .any(|a| a.client_id == client_id)
                .then(|| {
                    let token = format!("5Aep861{}", org.token());
                    org.refresh_tokens
                        .push((client_id.to_owned(), token.clone()));
                    token
                })
        })
    }

    /// Every email `sendEmail` accepted, oldest first (nothing is delivered).
    pub fn outbox(&self) -> Vec<SentEmail> {
        self.with_org(|org| org.outbox.clone())
    }

    /// The API requests of the last 24 hours on the org's clock (what `LimitInfoHeader`
    /// reports).
    pub fn api_requests(&self) -> u64 {
        self.with_org(|org| org.api_requests())
    }

    /// The calls answered so far, oldest first: every one, or the latest
    /// [`request_log`](Builder::request_log) calls once there were more.
    pub fn requests(&self) -> Vec<LoggedCall> {
        lock(&self.shared.log).iter().cloned().collect()
    }

    fn with_org<T>(&self, f: impl FnOnce(&mut Org) -> T) -> T {
        f(&mut lock(&self.shared.org))
    }
}

impl Drop for LocalOrg {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// `/services/Soap/u/{version}` and `…/{version}/{org id}`: the partner API.
async fn partner(
    State(shared): State<Shared>,
    Path(path): Path<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve(shared, &calls::PARTNER_API, version(path), headers, body).await
}

/// `/services/Soap/s/{version}` and `…/{version}/{org id}`: the apex API.
async fn apex(
    State(shared): State<Shared>,
    Path(path): Path<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve(shared, &crate::apex::APEX_API, version(path), headers, body).await
}

/// The `{version}` of a SOAP path (the rest, an org id, is not checked).
fn version(mut path: HashMap<String, String>) -> String {
    path.remove("version").unwrap_or_default()
}

/// Counts a request in flight for as long as it lives.
/// A request in flight: listed with its start while it runs.
struct InFlight(Arc<Mutex<HashMap<u64, Instant>>>, u64);

impl InFlight {
    fn start(list: &Arc<Mutex<HashMap<u64, Instant>>>, call: u64) -> InFlight {
        lock(list).insert(call, Instant::now());
        InFlight(list.clone(), call)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        lock(&self.0).remove(&self.1);
    }
}

/// One SOAP call to `api`: version check, gzip, fault injection and limits, then the
/// org (on a blocking thread, under its lock), then the log.
async fn serve(
    shared: Shared,
    api: &'static calls::Api,
    version: String,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let call = shared.calls.fetch_add(1, Ordering::SeqCst) + 1;
    let in_flight = InFlight::start(&shared.in_flight, call);
    let major = version
        .strip_suffix(".0")
        .and_then(|v| v.parse::<u32>().ok());
    if !major.is_some_and(|m| calls::VERSIONS.contains(&m)) {
        return reply(calls::unsupported_version(&version));
    }
    let gzipped = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("gzip"));
    let body = if gzipped {
        let mut inflated = Vec::new();
        let read = flate2::read::GzDecoder::new(&body[..])
            .take(MAX_REQUEST)
            .read_to_end(&mut inflated);
        if let Err(e) = read {
            return (
                StatusCode::BAD_REQUEST,
                format!("the gzip request body does not inflate: {e}"),
            )
                .into_response();
        }
        Bytes::from(inflated)
    } else {
        body
    };
    let operation = calls::operation_name(&body);
    let failures = lock(&shared.injector).pick(call, operation.as_deref());
    let mut stall = false;
    let mut drop_connection = false;
    for failure in failures {
        match failure {
            Failure::Latency(delay) => tokio::time::sleep(delay).await,
            Failure::DropConnection => drop_connection = true,
            Failure::StallMidBody => stall = true,
            Failure::Fault { code, message } => {
                return logged(
                    &shared,
                    api,
                    operation,
                    version,
                    &body,
                    calls::injected_fault(&code, &message),
                )
            }
            Failure::RequestLimitExceeded => {
                let answer = calls::injected_fault(
                    "REQUEST_LIMIT_EXCEEDED",
                    "TotalRequests Limit exceeded.",
                );
                return logged(&shared, api, operation, version, &body, answer);
            }
            Failure::Unavailable => {
                let answer = Reply {
                    status: 503,
                    body: UNAVAILABLE_PAGE.to_owned(),
                    operation: None,
                };
                return logged(&shared, api, operation, version, &body, answer);
            }
            Failure::ExpireSession => lock(&shared.org).sessions.clear(),
        }
    }
    let long_running = lock(&shared.in_flight)
        .iter()
        .filter(|(other, started)| {
            **other != call && started.elapsed() >= shared.long_running_after
        })
        .count();
    if long_running >= shared.concurrent_limit {
        let answer = calls::injected_fault(
            "REQUEST_LIMIT_EXCEEDED",
            "ConcurrentPerOrgLongTxn Limit exceeded.",
        );
        return logged(&shared, api, operation, version, &body, answer);
    }
    let worker = shared.clone();
    let answer = tokio::task::spawn_blocking(move || {
        let mut org = lock(&worker.org);
        let endpoint = Endpoint {
            version: &version,
            base_url: &worker.url,
        };
        let answer = calls::handle(&mut org, api, &endpoint, &body);
        (answer, version, body)
    })
    .await;
    drop(in_flight);
    let (answer, version, body) = match answer {
        Ok(done) => done,
        Err(e) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the call panicked: {e}"),
            )
                .into_response()
        }
    };
    let operation = answer.operation.clone().or(operation);
    if drop_connection || stall {
        record(&shared, api, operation, version, &body, &answer);
        return broken(answer, stall);
    }
    logged(&shared, api, operation, version, &body, answer)
}

fn record(
    shared: &Shared,
    api: &calls::Api,
    operation: Option<String>,
    api_version: String,
    body: &[u8],
    answer: &Reply,
) {
    if shared.log_limit == 0 {
        return;
    }
    let call = LoggedCall {
        api: api.name,
        operation,
        api_version,
        status: answer.status,
        request: String::from_utf8_lossy(body).into_owned(),
        response: answer.body.clone(),
    };
    let mut log = lock(&shared.log);
    if log.len() == shared.log_limit {
        log.pop_front();
    }
    log.push_back(call);
}

fn logged(
    shared: &Shared,
    api: &calls::Api,
    operation: Option<String>,
    api_version: String,
    body: &[u8],
    answer: Reply,
) -> Response {
    record(shared, api, operation, api_version, body, &answer);
    reply(answer)
}

/// An answer that breaks off: no body at all (the connection closes after the headers),
/// or the first half of it and then nothing, until the client gives up.
fn broken(answer: Reply, stall: bool) -> Response {
    use futures_util::StreamExt;
    let bytes = Bytes::from(answer.body);
    let half = bytes.slice(..bytes.len() / 2);
    let body = if stall {
        let first = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(half) });
        axum::body::Body::from_stream(first.chain(futures_util::stream::pending()))
    } else {
        let error = std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "dropped by fault injection",
        );
        axum::body::Body::from_stream(futures_util::stream::once(
            async move { Err::<Bytes, _>(error) },
        ))
    };
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "text/xml;charset=UTF-8")],
        body,
    )
        .into_response()
}

/// `POST /_localorg/inject` (for the binary): a JSON injection, such as
/// `{"failure": "latency", "ms": 200, "next": 3, "only": "query"}`. Failures: `latency`
/// (`ms`), `drop`, `stall`, `fault` (`code`, `message`), `unavailable`,
/// `request_limit`, `expire_session`; schedules: `next` (default 1), `at_call`, or
/// `fraction` with `seed`. `{"clear": true}` removes every injection.
async fn admin_inject(State(shared): State<Shared>, body: Bytes) -> Response {
    match parse_injection(&body) {
        Ok(None) => {
            lock(&shared.injector).clear();
            (StatusCode::OK, "cleared\n").into_response()
        }
        Ok(Some(injection)) => {
            lock(&shared.injector).add(injection);
            (StatusCode::OK, "injected\n").into_response()
        }
        Err(message) => (StatusCode::BAD_REQUEST, format!("{message}\n")).into_response(),
    }
}

fn parse_injection(body: &[u8]) -> Result<Option<Injection>, String> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| format!("line {} column {}: {e}", e.line(), e.column()))?;
    if value.get("clear").and_then(|v| v.as_bool()) == Some(true) {
        return Ok(None);
    }
    let text = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    let number = |name: &str| value.get(name).and_then(|v| v.as_u64());
    let failure = match text("failure").as_deref() {
        Some("latency") => Failure::Latency(std::time::Duration::from_millis(
            number("ms").ok_or("`latency` takes `ms`")?,
        )),
        Some("drop") => Failure::DropConnection,
        Some("stall") => Failure::StallMidBody,
        Some("fault") => Failure::Fault {
            code: text("code").unwrap_or_else(|| "UNKNOWN_EXCEPTION".to_owned()),
            message: text("message").unwrap_or_else(|| "injected fault".to_owned()),
        },
        Some("unavailable") => Failure::Unavailable,
        Some("request_limit") => Failure::RequestLimitExceeded,
        Some("expire_session") => Failure::ExpireSession,
        other => {
            return Err(format!(
                "`failure` must be latency, drop, stall, fault, unavailable, request_limit or expire_session, not {other:?}"
            ))
        }
    };
    let injection = if let Some(call) = number("at_call") {
        Injection::at_call(call, failure)
    } else if let Some(fraction) = value.get("fraction").and_then(|v| v.as_f64()) {
        Injection::fraction(fraction, number("seed").unwrap_or(1), failure)
    } else {
        Injection::next(number("next").unwrap_or(1) as u32, failure)
    };
    Ok(Some(match text("only") {
        Some(operation) => injection.only(operation),
        None => injection,
    }))
}

/// `POST /services/oauth2/token`: the OAuth 2.0 flows of [`crate::oauth`].
async fn oauth_token(State(shared): State<Shared>, body: Bytes) -> Response {
    let answer = tokio::task::spawn_blocking(move || {
        let mut org = lock(&shared.org);
        crate::oauth::token(&mut org, &shared.url, &body)
    })
    .await;
    match answer {
        Ok(reply) => (
            StatusCode::from_u16(reply.status).unwrap_or(StatusCode::BAD_REQUEST),
            [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
            reply.json,
        )
            .into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the call panicked: {e}"),
        )
            .into_response(),
    }
}

/// `GET /servlet/servlet.FileDownload?file=015…`: a Document's body, for a session given
/// as `Authorization: Bearer <session id>` or the `sid` cookie; without one, the redirect
/// to the login page Salesforce answers with.
async fn file_download(
    State(shared): State<Shared>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let file = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("file="))
        .unwrap_or_default()
        .to_owned();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let cookie = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(';')
                .find_map(|c| c.trim().strip_prefix("sid="))
                .map(str::to_owned)
        });
    let session = bearer.or(cookie);
    let found = tokio::task::spawn_blocking(move || {
        let mut org = lock(&shared.org);
        org.use_session(session.as_deref()).ok()?;
        let id = sforce::Id::new(&file).ok()?;
        let row: (Option<String>, Option<String>) = org
            .db
            .query_row(
                "SELECT \"Body\", \"ContentType\" FROM \"Document\" WHERE \"Id\" = ?1 AND \"IsDeleted\" = 0",
                [id.as_str()],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .ok()
            .unwrap_or((None, None));
        Some(row)
    })
    .await
    .ok()
    .flatten();
    match found {
        None => (
            StatusCode::FOUND,
            [(
                header::LOCATION,
                "/?ec=302&startURL=%2Fservlet%2Fservlet.FileDownload",
            )],
            "",
        )
            .into_response(),
        Some((Some(body), content_type)) => match sforce::convert::parse_base64(&body) {
            Some(bytes) => (
                StatusCode::OK,
                [(
                    header::CONTENT_TYPE,
                    content_type.unwrap_or_else(|| "application/octet-stream".to_owned()),
                )],
                bytes,
            )
                .into_response(),
            None => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the document body is not base64",
            )
                .into_response(),
        },
        Some((None, _)) => (
            StatusCode::NOT_FOUND,
            "<html><body>Data Not Available</body></html>",
        )
            .into_response(),
    }
}

/// `/services/proxy`, any method: the AJAX Toolkit's proxy (see [`crate::proxy`]).
async fn ajax_proxy(
    State(shared): State<Shared>,
    method: axum::http::Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let check = {
        let mut org = lock(&shared.org);
        proxy::Check {
            session_live: org.use_session(proxy::session(&headers).as_deref()).is_ok(),
            remote_sites: org.config.remote_sites.clone(),
        }
    };
    proxy::forward(&shared.http, check, method, headers, body).await
}

/// `GET /_localorg/outbox` (for the binary): the emails sent, as JSON.
async fn admin_outbox(State(shared): State<Shared>) -> Response {
    let outbox = lock(&shared.org).outbox.clone();
    let emails: Vec<serde_json::Value> = outbox
        .iter()
        .map(|e| {
            serde_json::json!({
                "to": e.to, "cc": e.cc, "bcc": e.bcc, "subject": e.subject, "body": e.body,
                "template": e.template.map(|t| t.as_str().to_owned()),
                "target": e.target.map(|t| t.as_str().to_owned()),
            })
        })
        .collect();
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::Value::Array(emails).to_string(),
    )
        .into_response()
}

/// Locks shared state; a panic in another call cannot leave it half-written (each call
/// runs inside a savepoint or touches plain values), so a poisoned lock is taken as is.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn reply(reply: Reply) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "text/xml;charset=UTF-8")],
        reply.body,
    )
        .into_response()
}
