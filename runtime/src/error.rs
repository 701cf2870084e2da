//! The one error type of the runtime.

use std::fmt;
use std::time::Duration;

use crate::fault::SoapFault;

/// Result with the runtime's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything a call can fail with. Messages never contain session ids, passwords or tokens.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a SOAP fault.
    Fault(Box<SoapFault>),
    /// The server answered with an HTTP error status and a body that is not a SOAP fault.
    Http {
        /// The HTTP status code.
        status: u16,
        /// The start of the body, for diagnosis.
        body: String,
    },
    /// The server answered with something that is not XML (an HTML error page, JSON).
    NotXml {
        /// The HTTP status code.
        status: u16,
        /// The `Content-Type` header, if any.
        content_type: Option<String>,
        /// The start of the body, for diagnosis.
        body: String,
    },
    /// The body ended before the document did.
    Truncated {
        /// Bytes received.
        received: usize,
    },
    /// The body is XML but not what was expected (malformed, wrong element, bad value).
    Xml {
        /// 1-based line in the body.
        line: u32,
        /// 1-based column in the body.
        column: u32,
        /// What is wrong, naming the element and the value.
        message: String,
    },
    /// The client-side timeout fired before the response arrived.
    Timeout {
        /// The timeout that fired.
        after: Duration,
    },
    /// The request could not be sent or the response not received (DNS, TLS, connection).
    Transport(String),
    /// Authentication failed outside SOAP (OAuth token endpoint, bad key, missing setting).
    Auth(String),
    /// A typed getter could not convert a field of a dynamic sObject.
    Field {
        /// The field's API name.
        field: String,
        /// What was wanted and what was there.
        message: String,
    },
    /// The client was set up wrongly (bad URL, unreadable certificate).
    Config(String),
    /// A batched call failed part way: the results of earlier batches are kept here.
    Incomplete {
        /// How many input items got a result before the failure (earlier batches).
        completed: usize,
        /// The results of those items, in input order (a `Vec` of the call's result type;
        /// use [`Error::completed_results`]).
        results: Box<dyn std::any::Any + Send + Sync>,
        /// Why the next batch failed.
        source: Box<Error>,
    },
}

impl Error {
    /// The SOAP fault, if this is one.
    pub fn fault(&self) -> Option<&SoapFault> {
        match self {
            Error::Fault(f) => Some(f),
            Error::Incomplete { source, .. } => source.fault(),
            _ => None,
        }
    }

    /// For [`Error::Incomplete`], the results of the batches that succeeded.
    pub fn completed_results<R: 'static>(&self) -> Option<&[R]> {
        match self {
            Error::Incomplete { results, .. } => {
                results.downcast_ref::<Vec<R>>().map(Vec::as_slice)
            }
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Fault(fault) => fault.fmt(f),
            Error::Http { status, body } => write!(f, "HTTP {status} from the server: {body}"),
            Error::NotXml {
                status,
                content_type,
                body,
            } => write!(
                f,
                "the server answered HTTP {status} with a body that is not XML (content type {}): {body}",
                content_type.as_deref().unwrap_or("none")
            ),
            Error::Truncated { received } => write!(
                f,
                "the response ended early, after {received} bytes, before the envelope was complete"
            ),
            Error::Xml {
                line,
                column,
                message,
            } => write!(f, "response line {line}, column {column}: {message}"),
            Error::Timeout { after } => write!(
                f,
                "no response within {after:?}; the server may still have done the work"
            ),
            Error::Transport(message) => write!(f, "transport error: {message}"),
            Error::Auth(message) => write!(f, "authentication failed: {message}"),
            Error::Field { field, message } => write!(f, "field `{field}`: {message}"),
            Error::Config(message) => write!(f, "configuration error: {message}"),
            Error::Incomplete {
                completed, source, ..
            } => write!(
                f,
                "batched call stopped after {completed} items got results: {source}"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Incomplete { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

impl From<SoapFault> for Error {
    fn from(fault: SoapFault) -> Self {
        Error::Fault(Box::new(fault))
    }
}
