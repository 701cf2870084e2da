//! SOAP 1.1 envelopes, sans IO: values to bytes and bytes to values. The transport, the
//! tests, `cargo sforce decode` and the benchmarks all go through these functions.

use std::time::Duration;

use crate::error::Error;
use crate::fault::{FaultDetail, SoapFault};
use crate::xml::{Element, FromXml, XmlReader, XmlWriter};

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

/// Per-call settings: the operation's typed headers and a client-side timeout.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions<H> {
    /// Headers for this call; each one set here replaces the client's default.
    pub headers: H,
    /// Give up waiting after this long (the server may still complete the work).
    pub timeout: Option<Duration>,
}

impl<H: Default> RequestOptions<H> {
    /// Options with these headers and no timeout.
    pub fn headers(headers: H) -> Self {
        RequestOptions {
            headers,
            timeout: None,
        }
    }

    /// Options with default headers and this timeout.
    pub fn timeout(timeout: Duration) -> Self {
        RequestOptions {
            headers: H::default(),
            timeout: Some(timeout),
        }
    }
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
    let mut w = XmlWriter::with_capacity(capacity.max(512));
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
/// into `R`, or the fault into [`Error::Fault`].
pub fn read_response<R: FromXml, H: FromXml + Default>(
    service: &ServiceInfo,
    body: &[u8],
) -> Result<Response<R, H>, Error> {
    let mut r = XmlReader::new(body);
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
    let mut headers = H::default();
    while let Some(child) = r.next_child(&envelope)? {
        match child.local_name() {
            b"Header" => headers = H::read_xml(&mut r, &child)?,
            b"Body" => {
                let Some(first) = r.next_child(&child)? else {
                    return Err(r.error_at(child.offset(), "the SOAP `Body` is empty"));
                };
                if first.local_name() == b"Fault" && r.namespace_is(&first, SOAP_ENV_NS) {
                    return Err(read_fault(service, &mut r, &first)?.into());
                }
                let value = R::read_xml(&mut r, &first)?;
                // Read to the end of the envelope so that a body cut after the result
                // element is reported as truncated, not taken as complete.
                while let Some(rest) = r.next_child(&child)? {
                    r.skip(&rest)?;
                }
                while let Some(rest) = r.next_child(&envelope)? {
                    r.skip(&rest)?;
                }
                return Ok(Response {
                    body: value,
                    headers,
                });
            }
            _ => r.skip(&child)?,
        }
    }
    Err(r.error_at(envelope.offset(), "the envelope has no `Body`"))
}

/// Reads a `soapenv:Fault` element (just returned by the reader).
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
    while let Some(child) = r.next_child(fault)? {
        match child.local_name() {
            b"faultcode" => out.faultcode = r.text(&child)?.trim().to_owned(),
            b"faultstring" => out.faultstring = r.text(&child)?.into_owned(),
            b"detail" => {
                while let Some(detail) = r.next_child(&child)? {
                    if out.detail.is_none() {
                        out.detail = (service.read_fault_detail)(r, &detail)?;
                    } else {
                        r.skip(&detail)?;
                    }
                }
            }
            _ => r.skip(&child)?,
        }
    }
    Ok(out)
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
