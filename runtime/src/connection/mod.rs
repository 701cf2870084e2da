//! [`Connection`]: the session and HTTP layer every generated client calls.
//!
//! A connection holds the settings, the credentials, the current session and the HTTP
//! client. It is cheap to clone (an `Arc` inside) and can be shared between tasks.
//! Calls authenticate on first use; when the server reports `INVALID_SESSION_ID` and the
//! connection holds credentials, it authenticates again once (one re-login for all
//! concurrent callers) and retries the call.

mod builder;
mod http;
mod trace;

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use std::time::Duration;
use tracing::Instrument;

pub use builder::{
    ConnectionBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_READ_IDLE_TIMEOUT, DEFAULT_TIMEOUT, TRACE_DIR_ENV,
};
pub(crate) use http::body_start;

use self::http::{post, read_soap_reply, CallState, HttpSettings, Reply, SOAP_CONTENT_TYPE};
use self::trace::Tracer;
use crate::auth::{
    jwt_assertion, login_envelope, read_token_response, session_from_login, AuthMethod,
    LoginResponse, Secret, Session, LOGIN_SERVICE,
};
use crate::envelope::{
    write_request, CallSettings, NoHeaders, OperationInfo, Response, ServiceInfo,
};
use crate::error::{Error, Stage};
use crate::trace::KnownSecrets;
use crate::xml::ReadLimits;
use crate::xml::{FromXml, XmlWriter};

/// The default login URL (production orgs and developer editions).
pub const DEFAULT_LOGIN_URL: &str = "https://login.salesforce.com";

/// The default API version of the SOAP `login()` call.
pub const DEFAULT_LOGIN_API_VERSION: &str = "64.0";

#[cfg(feature = "blocking")]
tokio::task_local! {
    /// Set while a future runs inside [`Connection::block_on`], so requests go through
    /// the client whose pooled connections belong to that runtime.
    static IN_BLOCK_ON: ();
}

/// A session with one Salesforce org plus the HTTP client that reaches it. Cheap to
/// clone; clones share the session.
///
/// Pooled HTTP connections belong to the Tokio runtime they were opened on: use one
/// connection from one async runtime (plus its own blocking runtime, through
/// `block_on`, with the `blocking` feature, which keeps a separate pool).
#[derive(Clone)]
pub struct Connection {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    login_url: String,
    api_version: Option<String>,
    login_api_version: String,
    timeout: Option<Duration>,
    read_idle_timeout: Duration,
    max_response_size: usize,
    read_limits: ReadLimits,
    gzip_requests: bool,
    http_settings: HttpSettings,
    /// For callers on their own runtime.
    http: reqwest::Client,
    /// For callers inside `block_on` (built on first use).
    #[cfg(feature = "blocking")]
    blocking_http: std::sync::OnceLock<reqwest::Client>,
    /// The runtime of `block_on` (built on first use).
    #[cfg(feature = "blocking")]
    runtime: std::sync::OnceLock<tokio::runtime::Runtime>,
    credentials: AuthMethod,
    session: RwLock<Option<Arc<Session>>>,
    /// Held while authenticating, so concurrent renewals make one request.
    auth_lock: tokio::sync::Mutex<()>,
    generation: AtomicU64,
    tracer: Option<Tracer>,
    /// Every secret this connection holds or held, masked wherever text leaves.
    secrets: KnownSecrets,
}

#[cfg(feature = "blocking")]
impl Drop for Inner {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which panics inside another runtime; the last clone
        // may well be dropped in async code.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Connection {
    /// Starts configuring a connection.
    pub fn builder() -> ConnectionBuilder {
        ConnectionBuilder::new()
    }

    /// Calls one operation: writes the envelope with the current session id, POSTs it to
    /// `{instance}{endpoint_path}{api_version}` and reads the response or fault.
    ///
    /// Authenticates first if there is no session yet. On `INVALID_SESSION_ID` with
    /// credentials to log in again, re-authenticates once and retries. The timeout
    /// (`settings.timeout`, else the connection's) bounds the whole call: connecting,
    /// logging in, sending, waiting, receiving, inflating and parsing; it needs a Tokio
    /// runtime with the time driver enabled (`#[tokio::main]` has it). Errors never
    /// contain a secret the connection knows.
    pub async fn call<R, H>(
        &self,
        service: &'static ServiceInfo,
        op: &'static OperationInfo,
        write_headers: &(dyn Fn(&mut XmlWriter) + Sync),
        write_body: &(dyn Fn(&mut XmlWriter) + Sync),
        settings: CallSettings,
    ) -> Result<Response<R, H>, Error>
    where
        R: FromXml + Send,
        H: FromXml + Default + Send,
    {
        let state = self.call_state(settings);
        let span = tracing::info_span!(
            "sforce.call",
            operation = op.name,
            service = service.name,
            api_version = self.api_version(service),
            host = tracing::field::Empty,
            request_bytes = tracing::field::Empty,
            response_bytes = tracing::field::Empty,
            http_status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = crate::time::Instant::now();
        let exchange = self.call_renewing(service, op, write_headers, write_body, &state);
        let result = self
            .bounded(&state, exchange)
            .instrument(span.clone())
            .await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        if let Err(Error::Fault(fault)) = &result {
            span.in_scope(|| {
                tracing::info!(exception_code = fault.exception_code(), "sforce: fault")
            });
        }
        result
    }

    /// The state of a new call with these per-call settings.
    fn call_state(&self, settings: CallSettings) -> CallState {
        let inner = &self.inner;
        CallState::new(
            settings.timeout.or(inner.timeout),
            settings
                .max_response_size
                .unwrap_or(inner.max_response_size),
            inner.read_idle_timeout,
            inner.http_settings.connect_timeout,
        )
    }

    /// Runs `work` within the call's timeout, masking secrets in the error.
    async fn bounded<T>(
        &self,
        state: &CallState,
        work: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        let result = match state.deadline {
            Some(deadline) => crate::time::timeout(deadline.timeout, work)
                .await
                .unwrap_or_else(|_| {
                    Err(Error::Timeout {
                        after: deadline.timeout,
                        stage: state.stage(),
                    })
                }),
            None => work.await,
        };
        match &result {
            Err(Error::Timeout { after, stage }) => tracing::warn!(
                after_ms = after.as_millis() as u64,
                stage = ?stage,
                "sforce: call timed out"
            ),
            Err(Error::Stalled { after, received }) => tracing::warn!(
                after_ms = after.as_millis() as u64,
                received,
                "sforce: response stalled"
            ),
            _ => {}
        }
        result.map_err(|error| error.map_text(&|text| self.inner.secrets.mask(text)))
    }

    async fn call_renewing<R, H>(
        &self,
        service: &'static ServiceInfo,
        op: &'static OperationInfo,
        write_headers: &(dyn Fn(&mut XmlWriter) + Sync),
        write_body: &(dyn Fn(&mut XmlWriter) + Sync),
        state: &CallState,
    ) -> Result<Response<R, H>, Error>
    where
        R: FromXml + Send,
        H: FromXml + Default + Send,
    {
        let session = self.current_session(state).await?;
        let first = self
            .exchange(service, op, &session, write_headers, write_body, state)
            .await;
        match first {
            Err(Error::Fault(fault))
                if fault.is_invalid_session() && self.inner.credentials.can_renew() =>
            {
                tracing::info!("sforce: session rejected (INVALID_SESSION_ID), renewing it");
                let renewed = self.renew(&session, state).await?;
                self.exchange(service, op, &renewed, write_headers, write_body, state)
                    .await
            }
            other => other,
        }
    }

    /// One request and its response, with the given session.
    async fn exchange<R, H>(
        &self,
        service: &'static ServiceInfo,
        op: &'static OperationInfo,
        session: &Session,
        write_headers: &(dyn Fn(&mut XmlWriter) + Sync),
        write_body: &(dyn Fn(&mut XmlWriter) + Sync),
        state: &CallState,
    ) -> Result<Response<R, H>, Error>
    where
        R: FromXml + Send,
        H: FromXml + Default + Send,
    {
        let url = self.endpoint_with(service, session);
        let session_id = session.id.expose();
        let envelope = write_request(service, Some(session_id), write_headers, write_body, 1024);
        let span = tracing::Span::current();
        span.record("host", host_of(&url));
        span.record("request_bytes", envelope.len() as u64);
        // Passwords and other secrets the call itself sends (`setPassword`) are masked in
        // its error and traces too.
        for value in crate::trace::secret_values(&envelope) {
            self.inner.secrets.learn(&value);
        }
        let traced = self.trace(op.name, "request", envelope.as_bytes(), None);
        let soap_action = format!("\"{}\"", op.soap_action);
        let reply = self
            .send_soap(&url, &soap_action, envelope.into_bytes(), state)
            .await?;
        span.record("http_status", reply.status);
        span.record("response_bytes", reply.body.len() as u64);
        self.trace(op.name, "response", &reply.body, traced);
        state.set_stage(Stage::Parse);
        read_soap_reply(
            service,
            op.name,
            &reply,
            state.read_limits(self.inner.read_limits),
            &self.inner.secrets,
        )
    }

    /// Writes one trace file (when tracing), every known secret masked; returns the
    /// exchange number, which the response reuses.
    fn trace(
        &self,
        operation: &str,
        kind: &str,
        content: &[u8],
        number: Option<u64>,
    ) -> Option<u64> {
        let tracer = self.inner.tracer.as_ref()?;
        let number = number.unwrap_or_else(|| tracer.next_number());
        tracer.write(number, operation, kind, content, &self.inner.secrets);
        Some(number)
    }

    /// POSTs an envelope with the client that fits the calling runtime.
    async fn send_soap(
        &self,
        url: &str,
        soap_action: &str,
        body: Vec<u8>,
        state: &CallState,
    ) -> Result<Reply, Error> {
        let client = self.http_client()?;
        post(
            client,
            url,
            SOAP_CONTENT_TYPE,
            &[("SOAPAction", soap_action)],
            body,
            self.inner.gzip_requests,
            state,
        )
        .await
    }

    fn http_client(&self) -> Result<&reqwest::Client, Error> {
        #[cfg(feature = "blocking")]
        if IN_BLOCK_ON.try_with(|_| ()).is_ok() {
            if let Some(client) = self.inner.blocking_http.get() {
                return Ok(client);
            }
            let client = self.inner.http_settings.client()?;
            return Ok(self.inner.blocking_http.get_or_init(|| client));
        }
        Ok(&self.inner.http)
    }

    #[cfg(feature = "blocking")]
    /// Runs a future to completion on the connection's own Tokio runtime (built on first
    /// use, one worker thread): what the generated blocking clients call.
    ///
    /// Called from inside an async runtime, where a Tokio `block_on` would panic, the
    /// future is polled on the calling thread with the connection's runtime entered, and
    /// that runtime's worker drives its I/O and timers. This works on either runtime
    /// flavor, but it holds the calling worker thread for the whole call: nothing else runs
    /// on a current-thread runtime meanwhile, so a server task on that same runtime (an
    /// in-process test server) cannot answer, and the call ends only with its timeout.
    /// Prefer the async client there (or `tokio::task::spawn_blocking`).
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let runtime = self.inner.runtime.get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("sforce-blocking")
                .enable_all()
                .build()
                .unwrap_or_else(|e| {
                    panic!("sforce: cannot start the blocking client's Tokio runtime: {e}")
                })
        });
        let future = IN_BLOCK_ON.scope((), future);
        if tokio::runtime::Handle::try_current().is_err() {
            return runtime.block_on(future);
        }
        tracing::debug!("blocking call inside an async runtime: polled on this thread");
        let _entered = runtime.enter();
        park_until_ready(future)
    }

    // ----- sessions ------------------------------------------------------------------------

    /// The current session, if authenticated.
    pub fn session(&self) -> Option<Session> {
        self.read_session().map(|s| (*s).clone())
    }

    /// Authenticates now, replacing the current session, and returns the new one. A
    /// connection built from an existing session returns that session.
    pub async fn authenticate(&self) -> Result<Session, Error> {
        let state = self.call_state(CallSettings::default());
        let fresh = async {
            let _guard = self.inner.auth_lock.lock().await;
            self.authenticate_locked(&state).await
        };
        let session = self.bounded(&state, fresh).await?;
        Ok((*session).clone())
    }

    /// The API version calls to `service` use: the connection's setting, else the
    /// service's own.
    pub fn api_version<'a>(&'a self, service: &'a ServiceInfo) -> &'a str {
        self.inner
            .api_version
            .as_deref()
            .unwrap_or(service.api_version)
    }

    /// The URL calls to `service` go to, once authenticated.
    pub fn endpoint(&self, service: &ServiceInfo) -> Option<String> {
        self.read_session()
            .map(|session| self.endpoint_with(service, &session))
    }

    fn endpoint_with(&self, service: &ServiceInfo, session: &Session) -> String {
        format!(
            "{}{}{}",
            session.instance_url,
            service.endpoint_path,
            self.api_version(service)
        )
    }

    fn read_session(&self) -> Option<Arc<Session>> {
        self.inner
            .session
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The session, authenticating first if there is none.
    async fn current_session(&self, state: &CallState) -> Result<Arc<Session>, Error> {
        if let Some(session) = self.read_session() {
            return Ok(session);
        }
        let _guard = self.inner.auth_lock.lock().await;
        if let Some(session) = self.read_session() {
            return Ok(session);
        }
        self.authenticate_locked(state).await
    }

    /// Replaces `stale` (rejected by the server) unless another caller already did.
    async fn renew(&self, stale: &Session, state: &CallState) -> Result<Arc<Session>, Error> {
        let _guard = self.inner.auth_lock.lock().await;
        if let Some(current) = self.read_session() {
            if current.generation != stale.generation {
                return Ok(current);
            }
        }
        self.authenticate_locked(state).await
    }

    /// Authenticates with the credentials and stores the session. Call with `auth_lock` held.
    async fn authenticate_locked(&self, state: &CallState) -> Result<Arc<Session>, Error> {
        let generation = self.inner.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let method = self.inner.credentials.kind();
        if !matches!(self.inner.credentials, AuthMethod::Session) {
            tracing::info!(method, generation, "sforce: logging in");
        }
        let session = match &self.inner.credentials {
            AuthMethod::Session => {
                return self.read_session().ok_or_else(|| {
                    Error::Auth("the connection has no session and no credentials".to_owned())
                })
            }
            AuthMethod::Password { username, password } => {
                self.soap_login(username, password, generation, state)
                    .await?
            }
            credentials @ AuthMethod::JwtBearer {
                client_id,
                username,
                key,
                audience,
            } => {
                let audience = audience.as_deref().unwrap_or(&self.inner.login_url);
                let assertion = jwt_assertion(client_id, username, audience, key)?;
                self.inner.secrets.learn(assertion.expose());
                self.oauth_token(credentials, Some(&assertion), generation, state)
                    .await?
            }
            credentials @ (AuthMethod::ClientCredentials { .. }
            | AuthMethod::RefreshToken { .. }) => {
                self.oauth_token(credentials, None, generation, state)
                    .await?
            }
        };
        self.inner.secrets.learn(session.id.expose());
        tracing::info!(
            method,
            generation,
            host = host_of(&session.instance_url),
            "sforce: logged in"
        );
        let session = Arc::new(session);
        *self
            .inner
            .session
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Some(session.clone());
        Ok(session)
    }

    /// SOAP `login()`.
    async fn soap_login(
        &self,
        username: &str,
        password: &Secret,
        generation: u64,
        state: &CallState,
    ) -> Result<Session, Error> {
        let url = format!(
            "{}{}{}",
            self.inner.login_url, LOGIN_SERVICE.endpoint_path, self.inner.login_api_version
        );
        let envelope = login_envelope(username, password.expose());
        let traced = self.trace("login", "request", envelope.as_bytes(), None);
        let reply = self
            .send_soap(&url, "\"\"", envelope.into_bytes(), state)
            .await?;
        state.set_stage(Stage::Parse);
        let result = read_soap_reply::<LoginResponse, NoHeaders>(
            &LOGIN_SERVICE,
            "login",
            &reply,
            state.read_limits(self.inner.read_limits),
            &self.inner.secrets,
        )
        .and_then(|response| session_from_login(response.body, generation));
        if let Ok(session) = &result {
            // Learnt before the trace is written, so the response's session id is masked.
            self.inner.secrets.learn(session.id.expose());
        }
        self.trace("login", "response", &reply.body, traced);
        result
    }

    /// POSTs a grant to `{login_url}/services/oauth2/token`.
    async fn oauth_token(
        &self,
        credentials: &AuthMethod,
        assertion: Option<&Secret>,
        generation: u64,
        state: &CallState,
    ) -> Result<Session, Error> {
        let url = format!("{}/services/oauth2/token", self.inner.login_url);
        let form = crate::auth::token_form(credentials, assertion);
        let reply = post(
            self.http_client()?,
            &url,
            "application/x-www-form-urlencoded",
            &[("Accept", "application/json")],
            form.into_bytes(),
            false,
            state,
        )
        .await?;
        state.set_stage(Stage::Parse);
        let (session, rotated) = read_token_response(
            reply.status,
            reply.content_type.as_deref(),
            &reply.body,
            generation,
        )?;
        if let (
            Some(rotated),
            AuthMethod::RefreshToken {
                refresh_token: current,
                ..
            },
        ) = (rotated, credentials)
        {
            self.inner.secrets.learn(rotated.expose());
            *current.lock().unwrap_or_else(|e| e.into_inner()) = rotated;
        }
        Ok(session)
    }
}

/// Polls `future` on this thread, parking between polls until its waker is called.
#[cfg(feature = "blocking")]
fn park_until_ready<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = std::task::Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::park();
    }
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let session = self.read_session();
        f.debug_struct("Connection")
            .field("login_url", &inner.login_url)
            .field("api_version", &inner.api_version)
            .field("credentials", &inner.credentials)
            .field(
                "instance_url",
                &session.as_ref().map(|s| s.instance_url.as_str()),
            )
            .field("authenticated", &session.is_some())
            .field("timeout", &inner.timeout)
            .field("connect_timeout", &inner.http_settings.connect_timeout)
            .field("read_idle_timeout", &inner.read_idle_timeout)
            .field("max_response_size", &inner.max_response_size)
            .field("max_depth", &inner.read_limits.max_depth)
            .field("gzip_requests", &inner.gzip_requests)
            .field("trace_dir", &inner.tracer.as_ref().map(Tracer::dir))
            .finish_non_exhaustive()
    }
}

/// The host of a URL, for logs: never its path or query.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // No `user:password@` either.
    authority.rsplit('@').next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>(_: &T) {}

    static SERVICE: ServiceInfo = ServiceInfo {
        name: "Test",
        namespaces: &[],
        session_header: None,
        session_id_tag: "",
        endpoint_path: "/services/Soap/u/",
        api_version: "66.0",
        read_fault_detail: |r, e| r.skip(e).map(|()| None),
    };
    static OP: OperationInfo = OperationInfo {
        name: "op",
        soap_action: "",
    };

    #[test]
    fn call_future_is_send_and_connection_is_send_sync() {
        fn is_send_sync<T: Send + Sync + Clone>() {}
        is_send_sync::<Connection>();
        let connection = Connection::builder()
            .session("S", "https://na1.salesforce.com")
            .no_trace()
            .build()
            .unwrap();
        let future = connection.call::<String, crate::envelope::NoHeaders>(
            &SERVICE,
            &OP,
            &|_| {},
            &|_| {},
            CallSettings::default(),
        );
        assert_send(&future);
        assert_eq!(
            connection.endpoint(&SERVICE).unwrap(),
            "https://na1.salesforce.com/services/Soap/u/66.0"
        );
    }

    #[test]
    fn api_version_setting_applies_to_every_service() {
        let connection = Connection::builder()
            .session("S", "https://na1.salesforce.com")
            .api_version("59.0")
            .no_trace()
            .build()
            .unwrap();
        assert_eq!(connection.api_version(&SERVICE), "59.0");
        assert_eq!(
            connection.endpoint(&SERVICE).unwrap(),
            "https://na1.salesforce.com/services/Soap/u/59.0"
        );
    }
}
