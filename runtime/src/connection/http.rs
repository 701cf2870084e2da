//! One HTTP exchange: the reqwest client settings, POSTing a body, and sorting what came
//! back into a response or the right [`Error`].

use std::io::Write;

use crate::envelope::{read_response, NoHeaders, Response, ServiceInfo};
use crate::error::Error;
use crate::xml::FromXml;

/// `Content-Type` of SOAP 1.1 requests.
pub(crate) const SOAP_CONTENT_TYPE: &str = "text/xml; charset=UTF-8";

/// How many characters of an unexpected body go into an error message.
const BODY_START_CHARS: usize = 512;

/// Everything needed to build a reqwest client; kept so a second client can be built for
/// the connection's own blocking runtime (a pooled connection belongs to the runtime it
/// was opened on).
#[derive(Clone)]
pub(crate) struct HttpSettings {
    pub(crate) root_certificates: Vec<reqwest::Certificate>,
    pub(crate) identity: Option<reqwest::Identity>,
    pub(crate) proxy: Option<reqwest::Proxy>,
    pub(crate) no_proxy: bool,
    pub(crate) gzip_responses: bool,
    pub(crate) user_agent: String,
}

impl HttpSettings {
    /// Builds a client with these settings.
    pub(crate) fn client(&self) -> Result<reqwest::Client, Error> {
        let mut builder = reqwest::Client::builder()
            .user_agent(self.user_agent.clone())
            .gzip(self.gzip_responses)
            // A redirected POST turns into a GET and loses its envelope; report the 3xx instead.
            .redirect(reqwest::redirect::Policy::none());
        for certificate in &self.root_certificates {
            builder = builder.add_root_certificate(certificate.clone());
        }
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
}

/// What the server answered, fully read.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Vec<u8>,
}

/// POSTs `body` and reads the whole answer.
pub(crate) async fn post(
    client: &reqwest::Client,
    url: &str,
    content_type: &str,
    extra_headers: &[(&str, &str)],
    body: Vec<u8>,
    gzip_request: bool,
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
    let response = request
        .body(body)
        .send()
        .await
        .map_err(|e| Error::Transport(error_chain(&e)))?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let mut response = response;
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => break,
            Err(e) => {
                return Err(Error::Transport(format!(
                    "reading the response body (HTTP {status}) failed after {} bytes: {}",
                    body.len(),
                    error_chain(&e)
                )))
            }
        }
    }
    Ok(Reply {
        status,
        content_type,
        body,
    })
}

/// Sorts a reply to a SOAP request: the typed response, a fault, or an HTTP-level error.
pub(crate) fn read_soap_reply<R: FromXml, H: FromXml + Default>(
    service: &ServiceInfo,
    reply: &Reply,
) -> Result<Response<R, H>, Error> {
    if !looks_like_xml(reply.content_type.as_deref(), &reply.body) {
        return Err(Error::NotXml {
            status: reply.status,
            content_type: reply.content_type.clone(),
            body: body_start(&reply.body),
        });
    }
    if (200..300).contains(&reply.status) {
        return read_response(service, &reply.body);
    }
    // Salesforce sends faults with HTTP 500; anything else XML is an HTTP-level error.
    match read_response::<(), NoHeaders>(service, &reply.body) {
        Err(Error::Fault(fault)) => Err(Error::Fault(fault)),
        _ => Err(Error::Http {
            status: reply.status,
            body: body_start(&reply.body),
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
        .map_err(|e| Error::Transport(format!("compressing the request body failed: {e}")))
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
