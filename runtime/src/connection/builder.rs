//! [`ConnectionBuilder`]: every setting of a [`Connection`], checked once in `build`.

use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use super::http::HttpSettings;
use super::trace::Tracer;
use super::{Connection, Inner, DEFAULT_LOGIN_API_VERSION, DEFAULT_LOGIN_URL};
use crate::auth::{origin_of, AuthMethod, Secret, Session};
use crate::error::Error;
use crate::trace::KnownSecrets;
use crate::xml::ReadLimits;

/// The environment variable naming a folder to write every envelope to.
pub const TRACE_DIR_ENV: &str = "SFORCE_TRACE_DIR";

/// The default timeout of every call: Salesforce's own limit for a call (10 minutes).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// The default connect timeout (TCP and TLS handshake).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default read-idle timeout: a response body must deliver at least
/// [`STALL_BYTES`](crate::error::STALL_BYTES) per this period.
pub const DEFAULT_READ_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// The default largest response accepted: 256 MiB after gzip inflation.
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 256 << 20;

/// How the connection will authenticate (unchecked until `build`).
enum AuthSetting {
    Password {
        username: String,
        password: Secret,
        security_token: Secret,
    },
    Session {
        session_id: Secret,
        server_url: String,
    },
    JwtBearer {
        client_id: String,
        username: String,
        key: Result<jsonwebtoken::EncodingKey, ()>,
        /// The PEM text, kept only to mask it if a server ever echoes it.
        key_pem: Secret,
    },
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
    },
    RefreshToken {
        client_id: String,
        client_secret: Option<Secret>,
        refresh_token: Secret,
    },
}

/// Where trace files go.
enum TraceSetting {
    FromEnv,
    Dir(PathBuf),
    Off,
}

/// Sets up a [`Connection`]: how to authenticate, which API version, timeouts, TLS,
/// proxy, compression. Get one with [`Connection::builder`]; finish with
/// [`build`](Self::build) (no network) or [`connect`](Self::connect) (authenticates).
///
/// ```no_run
/// # async fn demo() -> Result<(), sforce::Error> {
/// let connection = sforce::Connection::builder()
///     .password_login("user@example.com", "password", "securitytoken")
///     .timeout(std::time::Duration::from_secs(120))
///     .connect()
///     .await?;
/// # Ok(()) }
/// ```
pub struct ConnectionBuilder {
    login_url: String,
    api_version: Option<String>,
    login_api_version: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    read_idle_timeout: Duration,
    max_response_size: usize,
    max_depth: u32,
    gzip_requests: bool,
    gzip_responses: bool,
    root_certificates: Vec<Vec<u8>>,
    identity: Option<(Vec<u8>, Secret)>,
    proxy: Option<String>,
    no_proxy: bool,
    user_agent: String,
    trace: TraceSetting,
    jwt_audience: Option<String>,
    auth: Option<AuthSetting>,
}

impl Default for ConnectionBuilder {
    fn default() -> Self {
        ConnectionBuilder {
            login_url: DEFAULT_LOGIN_URL.to_owned(),
            api_version: None,
            login_api_version: None,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_idle_timeout: DEFAULT_READ_IDLE_TIMEOUT,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            max_depth: ReadLimits::DEFAULT_MAX_DEPTH,
            gzip_requests: false,
            gzip_responses: true,
            root_certificates: Vec::new(),
            identity: None,
            proxy: None,
            no_proxy: false,
            user_agent: concat!("sforce/", env!("CARGO_PKG_VERSION")).to_owned(),
            trace: TraceSetting::FromEnv,
            jwt_audience: None,
            auth: None,
        }
    }
}

impl ConnectionBuilder {
    /// A builder with the defaults: production login URL, a 10-minute timeout per call, a
    /// 30-second connect timeout, a 60-second read-idle timeout, responses up to 256 MiB
    /// nested up to 128 elements deep, gzip responses.
    pub fn new() -> Self {
        ConnectionBuilder::default()
    }

    // ----- authentication ---------------------------------------------------------------

    /// Authenticate with SOAP `login()`: username, password and the user's security
    /// token (appended to the password; pass `""` when the IP range is trusted).
    /// The session is renewed with the same credentials when it expires.
    pub fn password_login(
        mut self,
        username: impl Into<String>,
        password: impl Into<String>,
        security_token: impl Into<String>,
    ) -> Self {
        self.auth = Some(AuthSetting::Password {
            username: username.into(),
            password: Secret::new(password),
            security_token: Secret::new(security_token),
        });
        self
    }

    /// Use an existing session id (or OAuth access token) and the server URL or instance
    /// URL it belongs to. It cannot be renewed: `INVALID_SESSION_ID` is returned as is.
    pub fn session(mut self, session_id: impl Into<String>, server_url: impl Into<String>) -> Self {
        self.auth = Some(AuthSetting::Session {
            session_id: Secret::new(session_id),
            server_url: server_url.into(),
        });
        self
    }

    /// Authenticate with the OAuth 2.0 JWT bearer flow: the connected app's consumer key,
    /// the username, and the PEM RSA private key whose certificate the app holds.
    pub fn jwt_bearer(
        mut self,
        client_id: impl Into<String>,
        username: impl Into<String>,
        private_key_pem: impl AsRef<[u8]>,
    ) -> Self {
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(private_key_pem.as_ref()).map_err(|_| ());
        self.auth = Some(AuthSetting::JwtBearer {
            client_id: client_id.into(),
            username: username.into(),
            key,
            key_pem: Secret::new(String::from_utf8_lossy(private_key_pem.as_ref())),
        });
        self
    }

    /// The `aud` claim of JWT bearer assertions; defaults to the login URL. Set it to
    /// `https://login.salesforce.com` (or `test.`) when the login URL is a My Domain URL.
    pub fn jwt_audience(mut self, audience: impl Into<String>) -> Self {
        self.jwt_audience = Some(audience.into());
        self
    }

    /// Authenticate with the OAuth 2.0 client credentials flow. Salesforce serves this
    /// flow on the org's My Domain URL: set it with [`login_url`](Self::login_url).
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.auth = Some(AuthSetting::ClientCredentials {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
        });
        self
    }

    /// Authenticate with the OAuth 2.0 refresh token flow (the secret is needed unless
    /// the connected app does not require it).
    pub fn refresh_token(
        mut self,
        client_id: impl Into<String>,
        client_secret: Option<&str>,
        refresh_token: impl Into<String>,
    ) -> Self {
        self.auth = Some(AuthSetting::RefreshToken {
            client_id: client_id.into(),
            client_secret: client_secret.map(Secret::new),
            refresh_token: Secret::new(refresh_token),
        });
        self
    }

    // ----- endpoints and versions --------------------------------------------------------

    /// Where `login()` and the OAuth token endpoint are (default
    /// `https://login.salesforce.com`; a My Domain URL works too).
    ///
    /// Give the host, not an endpoint. A URL with a service path, as other clients take
    /// it (`https://login.salesforce.com/services/Soap/u/64.0`), is accepted: its origin is
    /// used, and a SOAP API version in it (up to 64.0, the last with `login()`) becomes the
    /// login version unless [`login_api_version`](Self::login_api_version) is set; `build`
    /// logs what it took.
    pub fn login_url(mut self, url: impl Into<String>) -> Self {
        self.login_url = url.into();
        self
    }

    /// Log in to a sandbox: the login URL becomes `https://test.salesforce.com`.
    pub fn sandbox(self) -> Self {
        self.login_url("https://test.salesforce.com")
    }

    /// The API version of every call (`62.0`), for every service. Default: the version
    /// of the WSDL each service was generated from.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// The API version of the SOAP `login()` call (default `64.0`: `login()` is not
    /// available in newer versions).
    pub fn login_api_version(mut self, version: impl Into<String>) -> Self {
        self.login_api_version = Some(version.into());
        self
    }

    // ----- transport ---------------------------------------------------------------------

    /// Give up on a call after this long (default [`DEFAULT_TIMEOUT`], 10 minutes), whatever
    /// it is doing: connecting, logging in, sending, waiting, receiving, inflating,
    /// parsing. A call's own timeout ([`RequestOptions::timeout`](crate::RequestOptions))
    /// replaces it. The error says whether the server may have done the work.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Give up connecting (TCP and TLS) after this long (default
    /// [`DEFAULT_CONNECT_TIMEOUT`], 30 seconds). Nothing was sent when it fires.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Give up on a response body that stalls: less than
    /// [`STALL_BYTES`](crate::error::STALL_BYTES) (1 KiB) arriving in this long (default
    /// [`DEFAULT_READ_IDLE_TIMEOUT`], 60 seconds). This catches a server or proxy that
    /// stops, or trickles a byte every few seconds, well before the call's timeout. It
    /// does not apply while waiting for the answer to start (a long query may take minutes).
    pub fn read_idle_timeout(mut self, timeout: Duration) -> Self {
        self.read_idle_timeout = timeout;
        self
    }

    /// The largest response accepted, in bytes after gzip inflation (default
    /// [`DEFAULT_MAX_RESPONSE_SIZE`], 256 MiB). Checked while the body arrives and while it
    /// is inflated, so nothing past the limit is read or allocated; a larger response is
    /// [`Error::TooLarge`]. A call can set its own
    /// ([`RequestOptions::max_response_size`](crate::RequestOptions)). Query streams hold
    /// one batch at a time, so this bounds the memory of a query of any size.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// The deepest element nesting accepted in a response (default
    /// [`ReadLimits::DEFAULT_MAX_DEPTH`], 128; the envelope is level 1). Deeper responses
    /// are an [`Error::Xml`] naming the element, instead of a stack overflow in the
    /// recursive readers. Salesforce's deepest responses nest about 25 elements.
    pub fn max_depth(mut self, depth: u32) -> Self {
        self.max_depth = depth;
        self
    }

    /// gzip-compress request bodies (`Content-Encoding: gzip`). Default off.
    pub fn gzip_requests(mut self, on: bool) -> Self {
        self.gzip_requests = on;
        self
    }

    /// Ask for gzip-compressed responses (`Accept-Encoding: gzip`). Default on.
    pub fn gzip_responses(mut self, on: bool) -> Self {
        self.gzip_responses = on;
        self
    }

    /// Trust these root certificates (PEM, one or more) besides the built-in ones.
    pub fn root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// Present this client certificate (PEM chain) and private key (PEM) for mutual TLS.
    pub fn client_identity_pem(
        mut self,
        certificate_pem: impl Into<Vec<u8>>,
        private_key_pem: impl AsRef<[u8]>,
    ) -> Self {
        let key = Secret::new(String::from_utf8_lossy(private_key_pem.as_ref()));
        self.identity = Some((certificate_pem.into(), key));
        self
    }

    /// Send every request through this HTTP(S) proxy (`http://proxy.example.com:8080`).
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Ignore the `HTTP_PROXY`/`HTTPS_PROXY` environment variables.
    pub fn no_proxy(mut self) -> Self {
        self.no_proxy = true;
        self
    }

    /// The `User-Agent` header (default `sforce/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Write every request and response envelope into this folder, secrets masked
    /// (default: the folder named by `SFORCE_TRACE_DIR`, if set).
    pub fn trace_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.trace = TraceSetting::Dir(dir.into());
        self
    }

    /// Do not trace, even when `SFORCE_TRACE_DIR` is set.
    pub fn no_trace(mut self) -> Self {
        self.trace = TraceSetting::Off;
        self
    }

    /// The HTTP client's settings: TLS roots, client identity and proxy read and checked.
    #[cfg(not(target_arch = "wasm32"))]
    fn http_settings(&self) -> Result<HttpSettings, Error> {
        let mut root_certificates = Vec::new();
        for (i, pem) in self.root_certificates.iter().enumerate() {
            let certificates = reqwest::Certificate::from_pem_bundle(pem)
                .ok()
                .filter(|c| !c.is_empty())
                .ok_or_else(|| {
                    Error::Config(format!(
                        "root_certificate_pem (#{}): no PEM certificate could be read",
                        i + 1
                    ))
                })?;
            root_certificates.extend(certificates);
        }
        let identity = match &self.identity {
            Some((certificate, key)) => {
                let mut pem = certificate.clone();
                pem.push(b'\n');
                pem.extend_from_slice(key.expose().as_bytes());
                // The key is not echoed: only whether the PEM could be read.
                Some(reqwest::Identity::from_pem(&pem).map_err(|_| {
                    Error::Config(
                        "client_identity_pem: need a PEM certificate chain and a PEM private key \
                             (PKCS#8, PKCS#1 or SEC1)"
                            .to_owned(),
                    )
                })?)
            }
            None => None,
        };
        let proxy = match &self.proxy {
            Some(url) => {
                check_url("proxy", url)?;
                Some(reqwest::Proxy::all(url.as_str()).map_err(|e| {
                    Error::Config(format!(
                        "proxy: `{}` cannot be used: {e}",
                        without_password(url)
                    ))
                })?)
            }
            None => None,
        };
        Ok(HttpSettings {
            root_certificates,
            identity,
            proxy,
            no_proxy: self.no_proxy,
            gzip_responses: self.gzip_responses,
            user_agent: self.user_agent.clone(),
            connect_timeout: self.connect_timeout,
        })
    }

    /// The HTTP client's settings in a browser, where `fetch()` does TLS and proxies: the
    /// settings for those are refused rather than silently ignored.
    #[cfg(target_arch = "wasm32")]
    fn http_settings(&self) -> Result<HttpSettings, Error> {
        for (setting, set) in [
            ("root_certificate_pem", !self.root_certificates.is_empty()),
            ("client_identity_pem", self.identity.is_some()),
            ("proxy", self.proxy.is_some()),
        ] {
            if set {
                return Err(Error::Config(format!(
                    "{setting}: not available on wasm32, where the browser's own TLS and \
                     proxy settings apply"
                )));
            }
        }
        Ok(HttpSettings {
            user_agent: self.user_agent.clone(),
            connect_timeout: self.connect_timeout,
        })
    }

    // ----- finishing ---------------------------------------------------------------------

    /// Checks the settings and builds the connection. Nothing is sent: the first call
    /// authenticates (or use [`connect`](Self::connect)).
    pub fn build(self) -> Result<Connection, Error> {
        let secrets = KnownSecrets::new(self.secrets().iter().map(String::as_str));
        let login_url = check_url("login_url", &self.login_url)?;
        let (login_url, version_in_url) = split_service_path(&login_url);
        if let Some(version) = &self.api_version {
            check_version("api_version", version)?;
        }
        let login_api_version = (self.login_api_version.clone())
            .or(version_in_url)
            .unwrap_or_else(|| DEFAULT_LOGIN_API_VERSION.to_owned());
        check_version("login_api_version", &login_api_version)?;
        for (setting, value) in [
            ("timeout", self.timeout.unwrap_or(Duration::MAX)),
            ("connect_timeout", self.connect_timeout),
            ("read_idle_timeout", self.read_idle_timeout),
        ] {
            if value == Duration::ZERO {
                return Err(Error::Config(format!(
                    "{setting}: must be longer than zero"
                )));
            }
        }
        if self.max_response_size == 0 {
            return Err(Error::Config(
                "max_response_size: must be at least one byte".to_owned(),
            ));
        }
        if self.max_depth < 3 {
            return Err(Error::Config(
                "max_depth: must be at least 3 (Envelope, Body, the response element)".to_owned(),
            ));
        }
        if self.user_agent.is_empty()
            || reqwest::header::HeaderValue::from_str(&self.user_agent).is_err()
        {
            return Err(Error::Config(
                "user_agent: must be non-empty visible ASCII".to_owned(),
            ));
        }
        let http_settings = self.http_settings()?;
        let http = http_settings.client()?;

        let trace_dir = match self.trace {
            TraceSetting::Off => None,
            TraceSetting::Dir(dir) => Some((dir, "trace_dir")),
            TraceSetting::FromEnv => std::env::var_os(TRACE_DIR_ENV)
                .filter(|v| !v.is_empty())
                .map(|v| (PathBuf::from(v), TRACE_DIR_ENV)),
        };
        let tracer = match trace_dir {
            Some((dir, setting)) => Some(Tracer::new(dir.clone()).map_err(|e| {
                Error::Config(format!(
                    "{setting}: cannot create the folder `{}`: {e}",
                    dir.display()
                ))
            })?),
            None => None,
        };

        let mut session = None;
        let credentials = match self.auth {
            None => {
                return Err(Error::Config(
                    "authentication: none set; use password_login, session, jwt_bearer, \
                     client_credentials or refresh_token"
                        .to_owned(),
                ))
            }
            Some(AuthSetting::Password {
                username,
                password,
                security_token,
            }) => {
                if username.is_empty() {
                    return Err(Error::Config(
                        "password_login: the username is empty".to_owned(),
                    ));
                }
                let mut combined = password.expose().to_owned();
                combined.push_str(security_token.expose());
                AuthMethod::Password {
                    username,
                    password: Secret::new(combined),
                }
            }
            Some(AuthSetting::Session {
                session_id,
                server_url,
            }) => {
                if session_id.is_empty() {
                    return Err(Error::Config("session: the session id is empty".to_owned()));
                }
                let instance_url = origin_of(&server_url).ok_or_else(|| {
                    Error::Config(format!(
                        "session: the server URL `{server_url}` is not an http(s) URL"
                    ))
                })?;
                let full_server_url =
                    (server_url.trim_end_matches('/') != instance_url).then_some(server_url);
                session = Some(Arc::new(Session {
                    id: session_id,
                    instance_url,
                    server_url: full_server_url,
                    user_id: None,
                    organization_id: None,
                    expires_at: None,
                    password_expired: false,
                    generation: 1,
                }));
                AuthMethod::Session
            }
            Some(AuthSetting::JwtBearer {
                client_id,
                username,
                key,
                ..
            }) => {
                let key = key.map_err(|()| {
                    Error::Config(
                        "jwt_bearer: the private key is not a PEM RSA private key \
                         (PKCS#1 or PKCS#8)"
                            .to_owned(),
                    )
                })?;
                if client_id.is_empty() || username.is_empty() {
                    return Err(Error::Config(
                        "jwt_bearer: the client id and the username must be non-empty".to_owned(),
                    ));
                }
                AuthMethod::JwtBearer {
                    client_id,
                    username,
                    key: Box::new(key),
                    audience: self.jwt_audience,
                }
            }
            Some(AuthSetting::ClientCredentials {
                client_id,
                client_secret,
            }) => {
                if client_id.is_empty() || client_secret.is_empty() {
                    return Err(Error::Config(
                        "client_credentials: the client id and secret must be non-empty".to_owned(),
                    ));
                }
                AuthMethod::ClientCredentials {
                    client_id,
                    client_secret,
                }
            }
            Some(AuthSetting::RefreshToken {
                client_id,
                client_secret,
                refresh_token,
            }) => {
                if client_id.is_empty() || refresh_token.is_empty() {
                    return Err(Error::Config(
                        "refresh_token: the client id and refresh token must be non-empty"
                            .to_owned(),
                    ));
                }
                AuthMethod::RefreshToken {
                    client_id,
                    client_secret,
                    refresh_token: Mutex::new(refresh_token),
                }
            }
        };

        Ok(Connection {
            inner: Arc::new(Inner {
                login_url,
                api_version: self.api_version,
                login_api_version,
                timeout: self.timeout,
                read_idle_timeout: self.read_idle_timeout,
                max_response_size: self.max_response_size,
                read_limits: ReadLimits {
                    max_depth: self.max_depth,
                    ..ReadLimits::default()
                },
                gzip_requests: self.gzip_requests,
                http_settings,
                http,
                #[cfg(feature = "blocking")]
                blocking_http: std::sync::OnceLock::new(),
                #[cfg(feature = "blocking")]
                runtime: std::sync::OnceLock::new(),
                credentials,
                generation: AtomicU64::new(if session.is_some() { 1 } else { 0 }),
                session: RwLock::new(session),
                auth_lock: tokio::sync::Mutex::new(()),
                tracer,
                secrets,
            }),
        })
    }

    /// Every secret the settings hold, in the forms a server could echo: the password, the
    /// security token and both together, a session id, client secrets, refresh tokens,
    /// the private keys (whole and line by line, as PEM wraps them), a proxy password.
    fn secrets(&self) -> Vec<String> {
        let mut out = Vec::new();
        match &self.auth {
            Some(AuthSetting::Password {
                password,
                security_token,
                ..
            }) => {
                out.push(format!("{}{}", password.expose(), security_token.expose()));
                out.push(password.expose().to_owned());
                out.push(security_token.expose().to_owned());
            }
            Some(AuthSetting::Session { session_id, .. }) => {
                out.push(session_id.expose().to_owned());
            }
            Some(AuthSetting::JwtBearer { key_pem, .. }) => out.extend(pem_secrets(key_pem)),
            Some(AuthSetting::ClientCredentials { client_secret, .. }) => {
                out.push(client_secret.expose().to_owned());
            }
            Some(AuthSetting::RefreshToken {
                client_secret,
                refresh_token,
                ..
            }) => {
                out.extend(client_secret.iter().map(|s| s.expose().to_owned()));
                out.push(refresh_token.expose().to_owned());
            }
            None => {}
        }
        if let Some((_, key)) = &self.identity {
            out.extend(pem_secrets(key));
        }
        if let Some(password) = self
            .proxy
            .as_deref()
            .and_then(|p| url::Url::parse(p).ok())
            .and_then(|u| u.password().map(str::to_owned))
        {
            out.push(password);
        }
        out.retain(|s| !s.is_empty());
        out
    }

    /// Builds the connection and authenticates right away, so bad credentials show up here
    /// rather than at the first call.
    pub async fn connect(self) -> Result<Connection, Error> {
        let connection = self.build()?;
        connection.authenticate().await?;
        Ok(connection)
    }
}

impl fmt::Debug for ConnectionBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match &self.auth {
            None => "none".to_owned(),
            Some(AuthSetting::Password { username, .. }) => format!("password_login({username})"),
            Some(AuthSetting::Session { server_url, .. }) => format!("session({server_url})"),
            Some(AuthSetting::JwtBearer {
                client_id,
                username,
                ..
            }) => format!("jwt_bearer({client_id}, {username})"),
            Some(AuthSetting::ClientCredentials { client_id, .. }) => {
                format!("client_credentials({client_id})")
            }
            Some(AuthSetting::RefreshToken { client_id, .. }) => {
                format!("refresh_token({client_id})")
            }
        };
        f.debug_struct("ConnectionBuilder")
            .field("login_url", &self.login_url)
            .field("api_version", &self.api_version)
            .field("login_api_version", &self.login_api_version)
            .field("auth", &auth)
            .field("timeout", &self.timeout)
            .field("gzip_requests", &self.gzip_requests)
            .field("gzip_responses", &self.gzip_responses)
            .field("root_certificates", &self.root_certificates.len())
            .field("client_identity", &self.identity.is_some())
            .field("proxy", &self.proxy.as_deref().map(without_password))
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

/// The secret parts of a PEM private key: the whole text, and each line of its base64 body
/// (a server echoing it may wrap or join lines differently).
fn pem_secrets(pem: &Secret) -> Vec<String> {
    let text = pem.expose();
    let mut out = vec![text.trim().to_owned()];
    out.extend(
        text.lines()
            .map(str::trim)
            .filter(|line| line.len() >= 16 && !line.starts_with("-----"))
            .map(str::to_owned),
    );
    out
}

/// `url` with any password in it replaced by `***`, for `Debug` output.
fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// An http(s) URL without a trailing slash, or a config error naming `setting`.
fn check_url(setting: &str, url: &str) -> Result<String, Error> {
    let trimmed = url.trim().trim_end_matches('/');
    let shown = without_password(url);
    let url = shown.as_str();
    let parsed = url::Url::parse(trimmed)
        .map_err(|e| Error::Config(format!("{setting}: `{url}` is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(Error::Config(format!(
            "{setting}: `{url}` is not an http:// or https:// URL with a host"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Config(format!(
            "{setting}: `{url}` must not have a query or fragment"
        )));
    }
    Ok(trimmed.to_owned())
}

/// A login URL given as a service endpoint (`https://host/services/Soap/u/64.0`, what
/// other clients take) becomes its origin (with any path before `/services/`), and the
/// SOAP version in it is returned when `login()` exists at that version (64.0 and older).
/// Anything else is returned as it is.
fn split_service_path(url: &str) -> (String, Option<String>) {
    let Some(scheme_end) = url.find("://") else {
        return (url.to_owned(), None);
    };
    let path_start = url[scheme_end + 3..]
        .find('/')
        .map_or(url.len(), |i| scheme_end + 3 + i);
    let path = &url[path_start..];
    let Some(services) = path.find("/services/").or_else(|| {
        path.ends_with("/services")
            .then(|| path.len() - "/services".len())
    }) else {
        return (url.to_owned(), None);
    };
    let base = url[..path_start + services].to_owned();
    let mut segments = path[services..]
        .split('/')
        .filter(|s| !s.is_empty())
        .skip(1);
    let version = match (segments.next(), segments.next(), segments.next()) {
        (Some("Soap"), Some(_), Some(version))
            if check_version("", version).is_ok() && login_exists_at(version) =>
        {
            Some(version.to_owned())
        }
        _ => None,
    };
    tracing::info!(
        login_url = %without_password(url),
        used = %without_password(&base),
        login_api_version = version.as_deref().unwrap_or("(default)"),
        "login_url: a service path was given; using its origin"
    );
    (base, version)
}

/// `login()` was removed after API 64.0.
fn login_exists_at(version: &str) -> bool {
    let major = version.split('.').next().unwrap_or("");
    major.parse::<u32>().is_ok_and(|major| major <= 64)
}

/// `NN.N`: digits, a dot, digits.
fn check_version(setting: &str, version: &str) -> Result<(), Error> {
    let ok = match version.split_once('.') {
        Some((major, minor)) => {
            !major.is_empty()
                && !minor.is_empty()
                && major.bytes().all(|b| b.is_ascii_digit())
                && minor.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::Config(format!(
            "{setting}: `{version}` is not an API version like `64.0`"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_error(builder: ConnectionBuilder) -> String {
        match builder.no_trace().build() {
            Err(Error::Config(message)) => message,
            Err(other) => panic!("expected a config error, got {other:?}"),
            Ok(_) => panic!("expected a config error, got a connection"),
        }
    }

    fn base() -> ConnectionBuilder {
        ConnectionBuilder::new().session("SESSIONSECRET", "https://na1.salesforce.com")
    }

    #[test]
    fn bad_settings_name_the_setting() {
        assert!(config_error(base().api_version("v64")).starts_with("api_version:"));
        assert!(config_error(base().login_api_version("")).starts_with("login_api_version:"));
        assert!(config_error(base().login_url("ftp://x")).starts_with("login_url:"));
        assert!(config_error(base().login_url("not a url")).starts_with("login_url:"));
        assert!(config_error(base().proxy("::")).starts_with("proxy:"));
        assert!(config_error(base().timeout(Duration::ZERO)).starts_with("timeout:"));
        assert!(config_error(base().user_agent("")).starts_with("user_agent:"));
        assert!(config_error(base().root_certificate_pem("garbage"))
            .starts_with("root_certificate_pem"));
        assert!(
            config_error(base().client_identity_pem("garbage", "KEYSECRET"))
                .starts_with("client_identity_pem:")
        );
        assert!(config_error(ConnectionBuilder::new()).starts_with("authentication:"));
        assert!(
            config_error(ConnectionBuilder::new().session("", "https://x")).starts_with("session:")
        );
        assert!(
            config_error(ConnectionBuilder::new().session("S", "mailto:x")).starts_with("session:")
        );
        let jwt = config_error(ConnectionBuilder::new().jwt_bearer("id", "user", "PRIVATEKEY"));
        assert!(jwt.starts_with("jwt_bearer:"));
        assert!(!jwt.contains("PRIVATEKEY"));
        assert!(
            config_error(ConnectionBuilder::new().client_credentials("id", ""))
                .starts_with("client_credentials:")
        );
        assert!(
            config_error(ConnectionBuilder::new().refresh_token("id", None, ""))
                .starts_with("refresh_token:")
        );
    }

    #[test]
    fn trace_dir_that_cannot_be_created_is_a_config_error() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let message = match base().trace_dir(file.path().join("sub")).build() {
            Err(Error::Config(message)) => message,
            other => panic!("expected a config error, got {:?}", other.map(|_| ())),
        };
        assert!(message.starts_with("trace_dir:"), "{message}");
    }

    #[test]
    fn builder_debug_hides_secrets() {
        let builder = ConnectionBuilder::new()
            .password_login("user@example.com", "PASSWORD1", "TOKEN1")
            .client_identity_pem("CERT", "KEY1");
        let text = format!("{builder:?}");
        assert!(text.contains("user@example.com"));
        for secret in ["PASSWORD1", "TOKEN1", "KEY1"] {
            assert!(!text.contains(secret), "{text}");
        }
    }

    #[test]
    fn session_server_url_gives_the_instance() {
        let connection = ConnectionBuilder::new()
            .session(
                "S",
                "https://na7.salesforce.com/services/Soap/u/28.0/00DA0000000YpZ4",
            )
            .no_trace()
            .build()
            .unwrap();
        let session = connection.session().unwrap();
        assert_eq!(session.instance_url(), "https://na7.salesforce.com");
        assert!(session.server_url().unwrap().ends_with("/00DA0000000YpZ4"));
    }
}
