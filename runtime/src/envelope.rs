//! SOAP 1.1 envelopes, sans IO: values to bytes and bytes to values. The transport, the
//! tests, `cargo sforce decode` and the benchmarks all go through these functions.

use std::time::Duration;

use crate::error::Error;
use crate::fault::{FaultDetail, SoapFault, UnparsedDetail};
use crate::xml::{read_one, Element, FromXml, ReadLimits, XmlReader, XmlWriter};

/// The SOAP 1.1 envelope namespace.
pub const SOAP_ENV_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// Reads the typed `<detail>` child of a fault, for one service (generated).
pub type ReadFaultDetail =
    fn(&mut XmlReader<'_>, &Element<'_>) -> Result<Option<Box<dyn FaultDetail>>, Error>;

/// Static facts about one generated service, emitted once per WSDL.
#[derive(Debug)]
pub struct ServiceInfo {
    /// `<service name>` (`SforceService`).
    pub name: &'static str,
    /// `(prefix, namespace URI)` pairs declared on every request envelope.
    pub namespaces: &'static [(&'static str, &'static str)],
    /// Tag of the session header element with prefix (`p:SessionHeader`), if the WSDL has one.
    pub session_header: Option<&'static str>,
    /// Tag of its `sessionId` child with prefix (`p:sessionId`).
    pub session_id_tag: &'static str,
    /// Path of the endpoint before the version (`/services/Soap/u/`).
    pub endpoint_path: &'static str,
    /// The API version of the WSDL (`66.0`), the default for clients.
    pub api_version: &'static str,
    /// Reads a fault's detail element into the service's typed fault.
    pub read_fault_detail: ReadFaultDetail,
}

/// Static facts about one operation.
#[derive(Debug)]
pub struct OperationInfo {
    /// Operation name (`query`).
    pub name: &'static str,
    /// `SOAPAction` header value (usually empty).
    pub soap_action: &'static str,
}

/// A response body together with the SOAP headers that came back with it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Response<T, H> {
    /// The operation's result.
    pub body: T,
    /// Response headers (`LimitInfoHeader`, `DebuggingInfo`, …) the server sent.
    pub headers: H,
}

/// Per-call settings: the operation's typed headers, a client-side timeout and a
/// response size limit. Unset values fall back to the connection's.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions<H> {
    /// Headers for this call; each one set here replaces the client's default.
    pub headers: H,
    /// Give up after this long, whatever the call is doing (connecting, waiting,
    /// receiving, parsing); replaces the connection's timeout for this call. The error
    /// says whether the server may have done the work.
    pub timeout: Option<Duration>,
    /// The largest response accepted for this call, in bytes after gzip inflation;
    /// replaces the connection's `max_response_size`.
    pub max_response_size: Option<usize>,
}

impl<H: Default> RequestOptions<H> {
    /// Options with nothing set: the client's default headers, the connection's timeout
    /// and size limit. Chain the setters:
    /// `RequestOptions::new().headers(headers).timeout(Duration::from_secs(30))`.
    pub fn new() -> Self {
        RequestOptions::default()
    }
}

impl<H> RequestOptions<H> {
    /// These headers for the call (each one set replaces the client's default).
    #[must_use]
    pub fn headers(mut self, headers: H) -> Self {
        self.headers = headers;
        self
    }

    /// Give up on the call after this long (see [`timeout`](Self#structfield.timeout)).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Accept responses up to this many bytes (see
    /// [`max_response_size`](Self#structfield.max_response_size)).
    #[must_use]
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = Some(bytes);
        self
    }
}

impl<H> RequestOptions<H> {
    /// The settings the connection applies to the call (everything but the headers,
    /// which the generated client writes itself).
    pub fn call_settings(&self) -> CallSettings {
        CallSettings {
            timeout: self.timeout,
            max_response_size: self.max_response_size,
        }
    }
}

/// What [`crate::Connection::call`] takes from a call's [`RequestOptions`] (build one with
/// `..Default::default()`: fields may be added).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallSettings {
    /// See [`RequestOptions::timeout`].
    pub timeout: Option<Duration>,
    /// See [`RequestOptions::max_response_size`].
    pub max_response_size: Option<usize>,
}

/// Writes a complete request envelope.
///
/// `write_headers` writes the call's SOAP headers (inside `soapenv:Header`), `write_body`
/// the operation's wrapper element (inside `soapenv:Body`). The session header, when a
/// session id is given, is written first.
pub fn write_request(
    service: &ServiceInfo,
    session_id: Option<&str>,
    write_headers: &dyn Fn(&mut XmlWriter),
    write_body: &dyn Fn(&mut XmlWriter),
    capacity: usize,
) -> String {
    let w = XmlWriter::with_capacity(capacity.max(512));
    write_envelope(w, service, session_id, write_headers, write_body)
}

/// Writes a complete response envelope, as a server does: the same envelope as
/// [`write_request`] without a session header, its sObjects in the result form
/// ([`XmlWriter::for_results`]). A fault is a body whose element is `soapenv:Fault`.
pub fn write_response(
    service: &ServiceInfo,
    write_headers: &dyn Fn(&mut XmlWriter),
    write_body: &dyn Fn(&mut XmlWriter),
    capacity: usize,
) -> String {
    let w = XmlWriter::for_results(capacity.max(512));
    write_envelope(w, service, None, write_headers, write_body)
}

fn write_envelope(
    mut w: XmlWriter,
    service: &ServiceInfo,
    session_id: Option<&str>,
    write_headers: &dyn Fn(&mut XmlWriter),
    write_body: &dyn Fn(&mut XmlWriter),
) -> String {
    w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"");
    w.raw(SOAP_ENV_NS);
    w.raw("\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"");
    for (prefix, uri) in service.namespaces {
        w.raw(" xmlns:");
        w.raw(prefix);
        w.raw("=\"");
        w.text(uri);
        w.raw("\"");
    }
    w.raw("><soapenv:Header>");
    if let (Some(tag), Some(id)) = (service.session_header, session_id) {
        w.open(tag);
        w.text_element(service.session_id_tag, id);
        w.close(tag);
    }
    write_headers(&mut w);
    w.raw("</soapenv:Header><soapenv:Body>");
    write_body(&mut w);
    w.raw("</soapenv:Body></soapenv:Envelope>");
    w.into_string()
}

/// Reads a response envelope: the response headers into `H`, the body's first element
/// into `R`, or the fault into [`Error::Fault`]. The default [`ReadLimits`] apply.
pub fn read_response<R: FromXml, H: FromXml + Default>(
    service: &ServiceInfo,
    body: &[u8],
) -> Result<Response<R, H>, Error> {
    read_response_with(service, body, ReadLimits::default())
}

/// [`read_response`] with these limits (depth, attributes, a deadline).
///
/// The envelope is read strictly where the protocol is at stake: `Envelope`, `Header` and
/// `Body` must be in the SOAP 1.1 namespace, `Header` and `Body` may appear once each,
/// `Body` holds exactly one element, and nothing may follow the envelope. A fault whose
/// detail does not read into its generated type is still returned as the fault, with the
/// detail kept as an [`UnparsedDetail`].
pub fn read_response_with<R: FromXml, H: FromXml + Default>(
    service: &ServiceInfo,
    body: &[u8],
    limits: ReadLimits,
) -> Result<Response<R, H>, Error> {
    read_response_to(service, None, body, limits)
}

/// [`read_response_with`] for the reply to `operation`, which errors name.
pub(crate) fn read_response_to<R: FromXml, H: FromXml + Default>(
    service: &ServiceInfo,
    operation: Option<&str>,
    body: &[u8],
    limits: ReadLimits,
) -> Result<Response<R, H>, Error> {
    let mut r = XmlReader::with_limits(body, limits);
    let envelope = r.root()?;
    if envelope.local_name() != b"Envelope" || !r.namespace_is(&envelope, SOAP_ENV_NS) {
        return Err(r.error_at(
            envelope.offset(),
            format!(
                "expected a SOAP 1.1 `Envelope`, found `{}`",
                envelope.name()
            ),
        ));
    }
    let mut headers = None;
    let mut result = None;
    while let Some(child) = r.next_child(&envelope)? {
        let part = child.local_name();
        if !matches!(part, b"Header" | b"Body") {
            // SOAP 1.1 allows other namespace-qualified elements after the Body.
            r.skip(&child)?;
            continue;
        }
        if !r.namespace_is(&child, SOAP_ENV_NS) {
            return Err(r.error_at(
                child.offset(),
                format!(
                    "element `{}` is in namespace `{}`, not the SOAP 1.1 envelope namespace `{SOAP_ENV_NS}`",
                    child.name(),
                    r.namespace_of(&child).unwrap_or_default()
                ),
            ));
        }
        let repeated = if part == b"Header" {
            headers.is_some() || result.is_some()
        } else {
            result.is_some()
        };
        if repeated {
            return Err(r.error_at(
                child.offset(),
                format!(
                    "a second `{}` in the envelope (or a `Header` after the `Body`)",
                    child.name()
                ),
            ));
        }
        if part == b"Header" {
            headers = Some(H::read_xml(&mut r, &child)?);
            continue;
        }
        let Some(first) = r.next_child(&child)? else {
            let message = match operation {
                Some(operation) => format!(
                    "the SOAP `Body` is empty: expected the `{operation}` response \
                     (`{operation}Response`) or a fault"
                ),
                None => "the SOAP `Body` is empty: expected a response or a fault".to_owned(),
            };
            return Err(r.error_at(child.offset(), message));
        };
        if first.local_name() == b"Fault" && r.namespace_is(&first, SOAP_ENV_NS) {
            return Err(read_fault(service, &mut r, &first)?.into());
        }
        result = Some(R::read_xml(&mut r, &first)?);
        if let Some(extra) = r.next_child(&child)? {
            return Err(r.error_at(
                extra.offset(),
                format!(
                    "a second element `{}` in the SOAP `Body`, after `{}`",
                    extra.name(),
                    first.name()
                ),
            ));
        }
    }
    let Some(body) = result else {
        return Err(r.error_at(envelope.offset(), "the envelope has no `Body`"));
    };
    r.finish()?;
    Ok(Response {
        body,
        headers: headers.unwrap_or_default(),
    })
}

/// Reads a `soapenv:Fault` element (just returned by the reader).
///
/// A detail that does not read into the service's generated fault type (a malformed
/// field, a repeated element) does not lose the fault: the detail is kept as written in an
/// [`UnparsedDetail`], with the reason.
pub fn read_fault(
    service: &ServiceInfo,
    r: &mut XmlReader<'_>,
    fault: &Element<'_>,
) -> Result<SoapFault, Error> {
    let mut out = SoapFault {
        faultcode: String::new(),
        faultstring: String::new(),
        detail: None,
    };
    let mut seen = [false; 3];
    while let Some(child) = r.next_child(fault)? {
        match child.local_name() {
            b"faultcode" => {
                read_one(r, fault, &child, &mut seen[0], &mut out.faultcode)?;
                out.faultcode = out.faultcode.trim().to_owned();
            }
            b"faultstring" => read_one(r, fault, &child, &mut seen[1], &mut out.faultstring)?,
            b"detail" => {
                if std::mem::replace(&mut seen[2], true) {
                    return Err(r.error_at(
                        child.offset(),
                        "element `detail` appears a second time in `Fault`, which allows one",
                    ));
                }
                while let Some(item) = r.next_child(&child)? {
                    if out.detail.is_none() {
                        out.detail = read_detail(service, r, &item)?;
                    } else {
                        r.skip(&item)?;
                    }
                }
            }
            _ => r.skip(&child)?,
        }
    }
    Ok(out)
}

/// One detail element: the typed detail (`None` for a type the service does not declare),
/// or the detail as written when it does not read.
fn read_detail(
    service: &ServiceInfo,
    r: &mut XmlReader<'_>,
    item: &Element<'_>,
) -> Result<Option<Box<dyn FaultDetail>>, Error> {
    let checkpoint = r.clone();
    match (service.read_fault_detail)(r, item) {
        Err(error @ Error::Xml { .. }) => {
            // Read the detail again from where it started, only to find its end.
            *r = checkpoint;
            r.skip(item)?;
            Ok(Some(Box::new(UnparsedDetail {
                xml: r.source_since(item).into_owned(),
                error: error.to_string(),
            })))
        }
        other => other,
    }
}

/// Response headers of a service that declares none: reads and drops the `Header`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoHeaders;

impl FromXml for NoHeaders {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        reader.skip(element)?;
        Ok(NoHeaders)
    }
}

/// A response body element with no content (`<deleteResponse/>` for one-way-like calls).
impl FromXml for () {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        reader.skip(element)
    }
}
