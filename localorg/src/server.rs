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

use crate::calls::{self, Endpoint, Reply};
use crate::clock::Clock;
use crate::org::{Config, Org};

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
        };
        let router = Router::new()
            .route("/services/Soap/u/{version}", post(partner))
            .route("/services/Soap/u/{version}/{*rest}", post(partner_with_org))
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
    log: Arc<Mutex<Vec<LoggedCall>>>,
}

/// One call the org answered, as [`LocalOrg::requests`] lists them. The bodies are as
/// sent and may hold a password or a session id: `Debug` leaves them out.
#[derive(Clone, PartialEq, Eq)]
pub struct LoggedCall {
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

    /// Every call answered so far, oldest first.
    pub fn requests(&self) -> Vec<LoggedCall> {
        lock(&self.shared.log).clone()
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

async fn partner(
    State(shared): State<Shared>,
    Path(version): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve_partner(shared, version, headers, body).await
}

async fn partner_with_org(
    State(shared): State<Shared>,
    Path((version, _rest)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve_partner(shared, version, headers, body).await
}

async fn serve_partner(
    shared: Shared,
    version: String,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
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
    let log = shared.log.clone();
    let answer = tokio::task::spawn_blocking(move || {
        let mut org = lock(&shared.org);
        let endpoint = Endpoint {
            version: &version,
            base_url: &shared.url,
        };
        let answer = calls::handle(&mut org, &endpoint, &body);
        (answer, version, body)
    })
    .await;
    match answer {
        Ok((answer, version, body)) => {
            lock(&log).push(LoggedCall {
                operation: answer.operation.clone(),
                api_version: version,
                status: answer.status,
                request: String::from_utf8_lossy(&body).into_owned(),
                response: answer.body.clone(),
            });
            reply(answer)
        }
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the call panicked: {e}"),
        )
            .into_response(),
    }
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
