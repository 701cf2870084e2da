//! SOAP faults as Salesforce writes them: `faultcode` `sf:CODE`, `faultstring`
//! `CODE: message`, and the typed detail the partner WSDL declares for the call.

use sforce::xml::XmlWriter;

/// Which declared fault type carries the detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detail {
    /// `UnexpectedErrorFault` (sessions, limits, anything not more specific).
    Unexpected,
    /// `LoginFault`.
    Login,
    /// `InvalidFieldFault`, with the row and column in the SOQL.
    InvalidField { row: i32, column: i32 },
    /// `MalformedQueryFault`, with the row and column in the SOQL.
    MalformedQuery { row: i32, column: i32 },
    /// `MalformedSearchFault`, with the row and column in the SOSL.
    MalformedSearch { row: i32, column: i32 },
    /// `InvalidSObjectFault`, with the row and column in the SOQL (0 outside a query).
    InvalidSObject { row: i32, column: i32 },
    /// `InvalidQueryLocatorFault`.
    InvalidQueryLocator,
    /// No detail: a `soapenv:Client` fault for a request that is not a SOAP call at all.
    None,
    /// `sf:CODE` without a detail, as the apex API (which declares no faults) answers.
    Bare,
}

/// A fault the org answers a call with (HTTP 500).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fault {
    /// The `ExceptionCode` (`INVALID_SESSION_ID`), or `Client`/`Server` for SOAP faults.
    pub code: String,
    /// The message after `CODE: ` in `faultstring`.
    pub message: String,
    pub detail: Detail,
}

impl Fault {
    pub(crate) fn new(code: &str, message: impl Into<String>, detail: Detail) -> Fault {
        Fault {
            code: code.to_owned(),
            message: message.into(),
            detail,
        }
    }

    /// An `UnexpectedErrorFault` with this code.
    pub(crate) fn unexpected(code: &str, message: impl Into<String>) -> Fault {
        Fault::new(code, message, Detail::Unexpected)
    }

    /// A `soapenv:Client` fault: the request could not be read as a call.
    pub(crate) fn client(message: impl Into<String>) -> Fault {
        Fault::new("Client", message, Detail::None)
    }

    pub(crate) fn invalid_session() -> Fault {
        Fault::unexpected(
            "INVALID_SESSION_ID",
            "Invalid Session ID found in SessionHeader: Illegal Session",
        )
    }

    /// Writes the `soapenv:Fault` element (inside `soapenv:Body`). The envelope binds
    /// `fns` to `urn:fault.partner.soap.sforce.com`, the namespace of every fault detail.
    pub(crate) fn write(&self, w: &mut XmlWriter) {
        w.raw("<soapenv:Fault>");
        match self.detail {
            Detail::None => {
                w.text_element("faultcode", &format!("soapenv:{}", self.code));
                w.text_element("faultstring", &self.message);
            }
            Detail::Bare => {
                w.raw("<faultcode xmlns:sf=\"urn:fault.partner.soap.sforce.com\">sf:");
                w.text(&self.code);
                w.raw("</faultcode>");
                w.text_element("faultstring", &format!("{}: {}", self.code, self.message));
            }
            _ => {
                w.text_element("faultcode", &format!("fns:{}", self.code));
                w.text_element("faultstring", &format!("{}: {}", self.code, self.message));
            }
        }
        let (name, position) = match self.detail {
            Detail::None | Detail::Bare => {
                w.raw("</soapenv:Fault>");
                return;
            }
            Detail::Unexpected => ("UnexpectedErrorFault", None),
            Detail::Login => ("LoginFault", None),
            Detail::InvalidField { row, column } => ("InvalidFieldFault", Some((row, column))),
            Detail::MalformedQuery { row, column } => ("MalformedQueryFault", Some((row, column))),
            Detail::InvalidSObject { row, column } => ("InvalidSObjectFault", Some((row, column))),
            Detail::MalformedSearch { row, column } => {
                ("MalformedSearchFault", Some((row, column)))
            }
            Detail::InvalidQueryLocator => ("InvalidQueryLocatorFault", None),
        };
        let tag = format!("fns:{name}");
        w.raw("<detail>");
        w.open_typed(&tag, &tag);
        w.text_element("fns:exceptionCode", &self.code);
        w.text_element("fns:exceptionMessage", &self.message);
        if let Some((row, column)) = position {
            w.open("fns:row");
            w.display(row);
            w.close("fns:row");
            w.open("fns:column");
            w.display(column);
            w.close("fns:column");
        }
        w.close(&tag);
        w.raw("</detail></soapenv:Fault>");
    }
}

/// Row and column (from 1) of byte `at` in `text`, as Salesforce's query faults count.
pub(crate) fn row_column(text: &str, at: usize) -> (i32, i32) {
    let before = &text[..at.min(text.len())];
    let row = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |line| line.chars().count())
        + 1;
    (row as i32, column as i32)
}
