//! One HTTP exchange: the reqwest client settings, POSTing a body, and sorting what came
//! back into a response or the right [`Error`].

use crate::time::Instant;
use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use crate::envelope::{read_response_to, NoHeaders, Response, ServiceInfo};
use crate::error::{Error, Stage, STALL_BYTES};
use crate::trace::KnownSecrets;
use crate::xml::{Deadline, FromXml, ReadLimits};

/// `Content-Type` of SOAP 1.1 requests.
pub(crate) const SOAP_CONTENT_TYPE: &str = "text/xml; charset=UTF-8";

/// How many characters of an unexpected body go into an error message.
const BODY_START_CHARS: usize = 512;

/// Everything needed to build a reqwest client; kept so a second client can be built for
/// the connection's own blocking runtime (a pooled connection belongs to the runtime it
/// was opened on).
#[derive(Clone)]
pub(crate) struct HttpSettings {
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) root_certificates: Vec<reqwest::Certificate>,
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) identity: Option<reqwest::Identity>,
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) proxy: Option<reqwest::Proxy>,
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) no_proxy: bool,
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) gzip_responses: bool,
    pub(crate) user_agent: String,
    pub(crate) connect_timeout: Duration,
}

impl HttpSettings {
    /// Builds a client with these settings.
    ///
    /// TLS is rustls with the `ring` crypto provider, installed as the process default
    /// unless the application installed one first (then that one is used).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn client(&self) -> Result<reqwest::Client, Error> {
        // Err only when a provider is installed already: the application's choice stands.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .user_agent(self.user_agent.clone())
            .gzip(self.gzip_responses)
            .connect_timeout(self.connect_timeout)
            // A redirected POST turns into a GET and loses its envelope; report the 3xx instead.
            .redirect(reqwest::redirect::Policy::none())
            .tls_certs_merge(self.root_certificates.iter().cloned());
        if let Some(identity) = &self.identity {
            builder = builder.identity(identity.clone());
        }
        if self.no_proxy {
            builder = builder.no_proxy();
        }
        if let Some(proxy) = &self.proxy {
            builder = builder.proxy(proxy.clone());
        }
        builder
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {}", error_chain(&e))))
    }

    /// Builds a client with these settings: in a browser, `fetch()` (TLS, compression,
    /// proxies and redirects are the browser's).
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn client(&self) -> Result<reqwest::Client, Error> {
        reqwest::Client::builder()
            .user_agent(self.user_agent.clone())
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {}", error_chain(&e))))
    }
}

/// What the server answered, fully read.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Vec<u8>,
}

/// The state of one call, shared between the exchange and the timeout around it: how far
/// the call got (for [`Error::Timeout`]'s [`Stage`]) and its limits.
#[derive(Debug)]
pub(crate) struct CallState {
    stage: AtomicU8,
    /// When the whole call must be over (also bounds parsing).
    pub(crate) deadline: Option<Deadline>,
    pub(crate) max_response_size: usize,
    pub(crate) read_idle: Duration,
    pub(crate) connect_timeout: Duration,
}

impl CallState {
    pub(crate) fn new(
        timeout: Option<Duration>,
        max_response_size: usize,
        read_idle: Duration,
        connect_timeout: Duration,
    ) -> CallState {
        CallState {
            stage: AtomicU8::new(0),
            deadline: timeout.map(Deadline::after),
            max_response_size,
            read_idle,
            connect_timeout,
        }
    }

    pub(crate) fn stage(&self) -> Stage {
        match self.stage.load(Ordering::Relaxed) {
            0 => Stage::Response,
            1 => Stage::Body,
            _ => Stage::Parse,
        }
    }

    pub(crate) fn set_stage(&self, stage: Stage) {
        let value = match stage {
            Stage::Connect | Stage::Response => 0,
            Stage::Body => 1,
            Stage::Parse => 2,
        };
        self.stage.store(value, Ordering::Relaxed);
    }

    /// The reader limits of this call: the connection's, plus the call's deadline.
    pub(crate) fn read_limits(&self, base: ReadLimits) -> ReadLimits {
        ReadLimits {
            deadline: self.deadline,
            ..base
        }
    }
}

/// POSTs `body` and reads the whole answer, within the call's limits: at most
/// `max_response_size` bytes after inflation (checked as each chunk arrives, so a gzip
/// bomb stops at the limit and nothing past it is allocated), and at least
/// [`STALL_BYTES`] per `read_idle` period while the body arrives.
pub(crate) async fn post(
    client: &reqwest::Client,
    url: &str,
    content_type: &str,
    extra_headers: &[(&str, &str)],
    body: Vec<u8>,
    gzip_request: bool,
    call: &CallState,
) -> Result<Reply, Error> {
    let mut request = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, content_type);
    for (name, value) in extra_headers {
        request = request.header(*name, *value);
    }
    let body = if gzip_request {
        request = request.header(reqwest::header::CONTENT_ENCODING, "gzip");
        gzip(&body)?
    } else {
        body
    };
    call.set_stage(Stage::Response);
    let response = request.body(body).send().await.map_err(|e| {
        if is_connect_timeout(&e) {
            Error::Timeout {
                after: call.connect_timeout,
                stage: Stage::Connect,
            }
        } else {
            Error::transport(format!("sending the request: {}", error_chain(&e)), Some(e))
        }
    })?;
    call.set_stage(Stage::Body);
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let limit = call.max_response_size;
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(Error::TooLarge { limit });
    }
    let mut response = BodyChunks::new(response);
    let mut body = Vec::new();
    let mut window_end = Instant::now() + call.read_idle;
    let mut window_bytes = 0u64;
    loop {
        let chunk = match crate::time::timeout_at(window_end, response.next()).await {
            Ok(chunk) => chunk,
            Err(_) => {
                return Err(Error::Stalled {
                    after: call.read_idle,
                    received: body.len() as u64,
                })
            }
        };
        match chunk {
            Ok(Some(chunk)) => {
                push_bounded(&mut body, &chunk, limit)?;
                window_bytes += chunk.len() as u64;
                if window_bytes >= STALL_BYTES {
                    window_bytes = 0;
                    window_end = Instant::now() + call.read_idle;
                }
            }
            Ok(None) => break,
            Err(e) => {
                return Err(Error::transport(
                    format!(
                        "reading the response body (HTTP {status}) failed after {} bytes: {}",
                        body.len(),
                        error_chain(&e)
                    ),
                    Some(e),
                ))
            }
        }
    }
    Ok(Reply {
        status,
        content_type,
        body,
    })
}

#[cfg(not(target_arch = "wasm32"))]
fn is_connect_timeout(error: &reqwest::Error) -> bool {
    error.is_connect() && error.is_timeout()
}

#[cfg(target_arch = "wasm32")]
fn is_connect_timeout(_: &reqwest::Error) -> bool {
    false
}

/// A response body as it arrives, chunk by chunk.
#[cfg(not(target_arch = "wasm32"))]
struct BodyChunks(reqwest::Response);

#[cfg(not(target_arch = "wasm32"))]
impl BodyChunks {
    fn new(response: reqwest::Response) -> Self {
        BodyChunks(response)
    }

    async fn next(&mut self) -> Result<Option<bytes::Bytes>, reqwest::Error> {
        self.0.chunk().await
    }
}

/// A response body as it arrives, chunk by chunk (a browser `ReadableStream`).
#[cfg(target_arch = "wasm32")]
struct BodyChunks(
    std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<bytes::Bytes, reqwest::Error>>>>,
);

#[cfg(target_arch = "wasm32")]
impl BodyChunks {
    fn new(response: reqwest::Response) -> Self {
        BodyChunks(Box::pin(response.bytes_stream()))
    }

    async fn next(&mut self) -> Result<Option<bytes::Bytes>, reqwest::Error> {
        use futures_util::StreamExt;
        self.0.next().await.transpose()
    }
}

/// Appends `chunk` to `body` unless that makes it longer than `limit`; grows the buffer
/// by doubling but never past `limit`, so no allocation is larger than the limit.
fn push_bounded(body: &mut Vec<u8>, chunk: &[u8], limit: usize) -> Result<(), Error> {
    let needed = body.len() + chunk.len();
    if needed > limit {
        return Err(Error::TooLarge { limit });
    }
    if needed > body.capacity() {
        let target = needed.max(body.capacity() * 2).max(8 * 1024).min(limit);
        body.reserve_exact(target - body.len());
    }
    body.extend_from_slice(chunk);
    Ok(())
}

/// Sorts a reply to a SOAP request: the typed response, a fault, or an HTTP-level error.
///
/// When that is an error and the body holds one of the connection's secrets (a server
/// echoing the request), the body is masked first and read again, so that nothing in the
/// error (fault string, typed detail, quoted values) carries the secret; positions in such
/// an error refer to the masked body.
pub(crate) fn read_soap_reply<R: FromXml, H: FromXml + Default>(
    service: &ServiceInfo,
    operation: &str,
    reply: &Reply,
    limits: ReadLimits,
    secrets: &KnownSecrets,
) -> Result<Response<R, H>, Error> {
    match sort_reply(
        service,
        operation,
        reply.status,
        reply.content_type.as_deref(),
        &reply.body,
        limits,
    ) {
        Err(error) if secrets.occur_in(&reply.body) => {
            let masked = secrets
                .mask(&String::from_utf8_lossy(&reply.body))
                .into_owned();
            match sort_reply::<R, H>(
                service,
                operation,
                reply.status,
                reply.content_type.as_deref(),
                masked.as_bytes(),
                limits,
            ) {
                Err(masked_error) => Err(masked_error),
                // Masking cannot turn an error into a result; keep the first error.
                Ok(_) => Err(error),
            }
        }
        other => other,
    }
}

fn sort_reply<R: FromXml, H: FromXml + Default>(
    service: &ServiceInfo,
    operation: &str,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    limits: ReadLimits,
) -> Result<Response<R, H>, Error> {
    if !looks_like_xml(content_type, body) {
        return Err(Error::NotXml {
            status,
            content_type: content_type.map(str::to_owned),
            body: body_start(body),
        });
    }
    if (200..300).contains(&status) {
        return read_response_to(service, Some(operation), body, limits);
    }
    // Salesforce sends faults with HTTP 500; anything else XML is an HTTP-level error.
    match read_response_to::<(), NoHeaders>(service, Some(operation), body, limits) {
        Err(Error::Fault(fault)) => Err(Error::Fault(fault)),
        _ => Err(Error::Http {
            status,
            body: body_start(body),
        }),
    }
}

/// True when the body can be an XML document: starts with `<`, is not declared as or
/// shaped like HTML or JSON.
pub(crate) fn looks_like_xml(content_type: Option<&str>, body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = match body.iter().position(|b| !b.is_ascii_whitespace()) {
        Some(i) => &body[i..],
        None => return false,
    };
    if start.first() != Some(&b'<') {
        return false;
    }
    if let Some(content_type) = content_type {
        let content_type = content_type.to_ascii_lowercase();
        if content_type.contains("html") || content_type.contains("json") {
            return false;
        }
        if content_type.contains("xml") {
            return true;
        }
    }
    let head: Vec<u8> = start.iter().take(16).map(u8::to_ascii_lowercase).collect();
    !(head.starts_with(b"<!doctype html") || head.starts_with(b"<html"))
}

/// The start of a body for an error message: lossy UTF-8, at most 512 characters.
pub(crate) fn body_start(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let mut out: String = text.chars().take(BODY_START_CHARS).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// gzip-compresses a request body.
fn gzip(data: &[u8]) -> Result<Vec<u8>, Error> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 4 + 64),
        flate2::Compression::default(),
    );
    encoder
        .write_all(data)
        .and_then(|()| encoder.finish())
        .map_err(|e| Error::transport(format!("compressing the request body failed: {e}"), Some(e)))
}

/// An error and its sources, `: `-separated (reqwest's top-level message alone hides
/// the cause). reqwest messages name the URL, which never holds secrets here.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_xml() {
        assert!(looks_like_xml(
            Some("text/xml"),
            b"<?xml version='1.0'?><a/>"
        ));
        assert!(looks_like_xml(None, b"\n  <soapenv:Envelope/>"));
        assert!(!looks_like_xml(Some("text/html"), b"<html></html>"));
        assert!(!looks_like_xml(None, b"<!DOCTYPE html><html></html>"));
        assert!(!looks_like_xml(Some("application/json"), b"{}"));
        assert!(!looks_like_xml(Some("text/xml"), b""));
        assert!(!looks_like_xml(Some("text/xml"), b"   "));
    }

    #[test]
    fn body_start_is_bounded() {
        let long = "x".repeat(2000);
        let start = body_start(long.as_bytes());
        assert_eq!(start.chars().count(), BODY_START_CHARS + 1);
        assert!(start.ends_with('…'));
        assert_eq!(body_start(b"  short \n"), "short");
    }

    #[test]
    fn gzip_round_trips() {
        use std::io::Read;
        let packed = gzip(b"<a>hello</a>").unwrap();
        let mut out = String::new();
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "<a>hello</a>");
    }
}
