//! The one error type of the runtime.

use std::fmt;
use std::time::Duration;

use crate::fault::{SoapFault, UnparsedDetail};

/// The read-idle rule: a response body must deliver at least this many bytes per read-idle
/// period ([`ConnectionBuilder::read_idle_timeout`](crate::ConnectionBuilder::read_idle_timeout)),
/// so that a body trickling a byte every few seconds is caught, not only one that stops.
pub const STALL_BYTES: u64 = 1024;

/// How far a call had got when a timeout fired, which tells whether the server may have
/// done the work (a `create` that timed out in [`Stage::Response`] may have created the
/// records; one that timed out in [`Stage::Connect`] did not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Stage {
    /// Connecting (the connect timeout): nothing was sent.
    Connect,
    /// Sending the request or waiting for the answer: the server may have done the work.
    Response,
    /// Receiving the body: the server has done the work.
    Body,
    /// Inflating and parsing the body: the server has done the work.
    Parse,
}

impl Stage {
    /// False only when the request cannot have reached the server.
    pub fn server_may_have_done_the_work(self) -> bool {
        !matches!(self, Stage::Connect)
    }
}

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
    /// A client-side timeout fired: the call's own timeout (connect, send, wait, receive,
    /// inflate and parse together) or the connect timeout. [`Stage`] says how far the call
    /// got, and so whether the server may have done the work.
    Timeout {
        /// The timeout that fired.
        after: Duration,
        /// Where the call was when it fired.
        stage: Stage,
    },
    /// The response body stalled: less than [`STALL_BYTES`] arrived in `after` (the
    /// connection's read-idle timeout). The server had done the work: it was sending its
    /// answer.
    Stalled {
        /// The read-idle timeout.
        after: Duration,
        /// Bytes of the body received before it stalled.
        received: u64,
    },
    /// The response (after gzip inflation) is larger than the limit; reading stopped there
    /// and nothing past the limit was kept. The server had done the work.
    TooLarge {
        /// The limit in bytes (`max_response_size`).
        limit: usize,
    },
    /// The server broke the protocol in a way no single element shows: a batch answered
    /// with fewer results than records sent, a query that is not done but cannot go on.
    Protocol(String),
    /// The request could not be sent or the response not received (DNS, TLS, connection).
    Transport {
        /// What failed, with the text of its causes (`sending the request: error trying to
        /// connect: Connection refused`).
        message: String,
        /// The underlying error (a `reqwest::Error`, an `io::Error`), for `source()` and
        /// downcasting.
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
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
    /// A batched call failed part way, converted from its [`BatchError`] (which holds the
    /// earlier batches' results, typed) by `?`.
    Incomplete {
        /// How many input items got a result before the failure (earlier batches).
        completed: usize,
        /// Why the next batch failed.
        source: Box<Error>,
    },
}

impl Error {
    /// A transport error with its message and, when there is one, the error underneath.
    pub(crate) fn transport(
        message: impl Into<String>,
        source: Option<impl std::error::Error + Send + Sync + 'static>,
    ) -> Error {
        Error::Transport {
            message: message.into(),
            source: source.map(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>),
        }
    }

    /// The SOAP fault, if this is one.
    pub fn fault(&self) -> Option<&SoapFault> {
        match self {
            Error::Fault(f) => Some(f),
            Error::Incomplete { source, .. } => source.fault(),
            _ => None,
        }
    }
}

/// The error of a call that sends its items in batches (`create`, `update`, `delete`, …:
/// 200 records per request): the results of the batches that succeeded before the failure,
/// typed and in input order (one per item, the first `completed.len()` items), and the
/// error of the batch that failed. Nothing after that batch was sent.
///
/// `?` turns it into [`Error`]: the error itself when no batch succeeded, else
/// [`Error::Incomplete`] (which keeps the count, not the results).
///
/// ```
/// # async fn demo(client: sforce::partner::Client, records: Vec<sforce::SObject>) {
/// match client.create(&records).await {
///     Ok(results) => assert_eq!(results.len(), records.len()),
///     Err(failed) => {
///         // `failed.completed[i]` is the result of `records[i]`.
///         let sent = failed.completed.len();
///         eprintln!("{sent} of {} created before: {}", records.len(), failed.error);
///     }
/// }
/// # }
/// ```
#[derive(Debug)]
pub struct BatchError<R> {
    /// The results of the items of the batches that succeeded, in input order.
    pub completed: Vec<R>,
    /// Why the next batch (or the only one) failed.
    pub error: Error,
}

impl<R> BatchError<R> {
    /// The SOAP fault of the failed batch, if the server sent one.
    pub fn fault(&self) -> Option<&SoapFault> {
        self.error.fault()
    }
}

impl<R> From<Error> for BatchError<R> {
    /// A failure before any batch got results.
    fn from(error: Error) -> Self {
        BatchError {
            completed: Vec::new(),
            error,
        }
    }
}

impl<R> From<BatchError<R>> for Error {
    fn from(batch: BatchError<R>) -> Self {
        if batch.completed.is_empty() {
            batch.error
        } else {
            Error::Incomplete {
                completed: batch.completed.len(),
                source: Box::new(batch.error),
            }
        }
    }
}

impl<R> fmt::Display for BatchError<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.completed.is_empty() {
            self.error.fmt(f)
        } else {
            write!(
                f,
                "batched call stopped after {} items got results: {}",
                self.completed.len(),
                self.error
            )
        }
    }
}

impl<R: fmt::Debug> std::error::Error for BatchError<R> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl Error {
    /// `self` with `mask` applied to every piece of text it carries (messages, quoted
    /// bodies, fault strings, an unparsed fault detail): how a connection removes the
    /// secrets it knows from an error before returning it.
    pub(crate) fn map_text(self, mask: &dyn Fn(&str) -> std::borrow::Cow<'_, str>) -> Error {
        let m = |text: String| match mask(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(masked) => masked,
        };
        match self {
            Error::Fault(mut fault) => {
                fault.faultcode = m(std::mem::take(&mut fault.faultcode));
                fault.faultstring = m(std::mem::take(&mut fault.faultstring));
                let replaced = match fault.detail.as_ref() {
                    Some(detail) => match detail.as_any().downcast_ref::<UnparsedDetail>() {
                        Some(unparsed) => Some(UnparsedDetail {
                            xml: m(unparsed.xml.clone()),
                            error: m(unparsed.error.clone()),
                        }),
                        // A typed detail cannot be edited field by field: when its Debug
                        // form shows a secret, its masked Debug form replaces it.
                        None => match mask(&format!("{detail:?}")) {
                            std::borrow::Cow::Borrowed(_) => None,
                            std::borrow::Cow::Owned(masked) => Some(UnparsedDetail {
                                xml: masked,
                                error: format!(
                                    "the {} detail repeated a secret; it is kept as its masked \
                                     Debug form",
                                    detail.type_name()
                                ),
                            }),
                        },
                    },
                    None => None,
                };
                if let Some(replaced) = replaced {
                    fault.detail = Some(Box::new(replaced));
                }
                Error::Fault(fault)
            }
            Error::Http { status, body } => Error::Http {
                status,
                body: m(body),
            },
            Error::NotXml {
                status,
                content_type,
                body,
            } => Error::NotXml {
                status,
                content_type: content_type.map(m),
                body: m(body),
            },
            Error::Xml {
                line,
                column,
                message,
            } => Error::Xml {
                line,
                column,
                message: m(message),
            },
            Error::Transport { message, source } => Error::Transport {
                message: m(message),
                source,
            },
            Error::Auth(message) => Error::Auth(m(message)),
            Error::Config(message) => Error::Config(m(message)),
            Error::Protocol(message) => Error::Protocol(m(message)),
            Error::Field { field, message } => Error::Field {
                field: m(field),
                message: m(message),
            },
            Error::Incomplete { completed, source } => Error::Incomplete {
                completed,
                source: Box::new(source.map_text(mask)),
            },
            other @ (Error::Truncated { .. }
            | Error::Timeout { .. }
            | Error::Stalled { .. }
            | Error::TooLarge { .. }) => other,
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
            Error::Timeout { after, stage } => match stage {
                Stage::Connect => write!(
                    f,
                    "could not connect within {after:?}; nothing was sent, so the server did not \
                     do the work"
                ),
                Stage::Response => write!(
                    f,
                    "no response within {after:?}; the server may still have done the work"
                ),
                Stage::Body => write!(
                    f,
                    "the response did not finish arriving within {after:?}; the server has done \
                     the work (it was sending its answer)"
                ),
                Stage::Parse => write!(
                    f,
                    "reading the response did not finish within {after:?}; the server has done \
                     the work (its whole answer had arrived)"
                ),
            },
            Error::Stalled { after, received } => write!(
                f,
                "the response stalled: less than {STALL_BYTES} bytes arrived in {after:?} (after \
                 {received} bytes); the server has done the work (it was sending its answer)"
            ),
            Error::TooLarge { limit } => write!(
                f,
                "the response is larger than the limit of {limit} bytes (max_response_size); \
                 nothing past the limit was read; the server has done the work"
            ),
            Error::Protocol(message) => write!(f, "the server broke the protocol: {message}"),
            Error::Transport { message, .. } => write!(f, "transport error: {message}"),
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
            Error::Transport {
                source: Some(source),
                ..
            } => Some(source.as_ref()),
            _ => None,
        }
    }
}

impl From<SoapFault> for Error {
    fn from(fault: SoapFault) -> Self {
        Error::Fault(Box::new(fault))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A typed detail, as generated code would define one.
    #[derive(Debug)]
    struct Detail {
        message: String,
    }

    impl crate::fault::FaultDetail for Detail {
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
        fn exception_code(&self) -> Option<&str> {
            Some("INVALID_LOGIN")
        }
        fn exception_message(&self) -> Option<&str> {
            Some(&self.message)
        }
        fn type_name(&self) -> &'static str {
            "Detail"
        }
    }

    #[test]
    fn every_text_of_an_error_is_masked_and_a_typed_detail_showing_a_secret_is_replaced() {
        fn mask(text: &str) -> std::borrow::Cow<'_, str> {
            if text.contains("SECRET") {
                std::borrow::Cow::Owned(text.replace("SECRET", "***"))
            } else {
                std::borrow::Cow::Borrowed(text)
            }
        }
        let fault = SoapFault {
            faultcode: "sf:INVALID_LOGIN".to_owned(),
            faultstring: "echo SECRET".to_owned(),
            detail: Some(Box::new(Detail {
                message: "also SECRET".to_owned(),
            })),
        };
        let masked = Error::from(fault).map_text(&mask);
        let shown = format!("{masked} {masked:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        let fault = masked.fault().unwrap();
        assert_eq!(fault.exception_code(), "INVALID_LOGIN");
        let kept = fault.detail::<UnparsedDetail>().unwrap();
        assert!(kept.xml.contains("also ***"), "{}", kept.xml);
        // A detail without a secret stays typed.
        let clean = Error::from(SoapFault {
            faultcode: "sf:X".to_owned(),
            faultstring: "fine".to_owned(),
            detail: Some(Box::new(Detail {
                message: "fine".to_owned(),
            })),
        })
        .map_text(&mask);
        assert!(clean.fault().unwrap().detail::<Detail>().is_some());
        let nested = Error::Incomplete {
            completed: 1,
            source: Box::new(Error::Http {
                status: 500,
                body: "SECRET".to_owned(),
            }),
        }
        .map_text(&mask);
        assert!(!format!("{nested:?}").contains("SECRET"));
    }
}
