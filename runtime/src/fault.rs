//! SOAP 1.1 faults: `faultcode`, `faultstring` and the typed detail from the WSDL.

use std::any::Any;
use std::fmt;

use crate::error::Error;
use crate::xml::{Children, Element, FromXml, XmlReader};

/// The typed `<detail>` of a fault: a generated fault type such as `LoginFault` or
/// `InvalidFieldFault`. Downcast with [`SoapFault::detail`].
pub trait FaultDetail: fmt::Debug + Send + Sync + 'static {
    /// The detail as `Any`, for downcasting to the generated type.
    fn as_any(&self) -> &dyn Any;
    /// The `exceptionCode` the detail carries (`INVALID_FIELD`), if any.
    fn exception_code(&self) -> Option<&str>;
    /// The `exceptionMessage` the detail carries, if any.
    fn exception_message(&self) -> Option<&str>;
    /// The name of the detail's type (`InvalidFieldFault`).
    fn type_name(&self) -> &'static str;
}

/// A fault detail that did not read into its generated type (a malformed field, a
/// repeated element): kept as written, with the reason, so the fault itself is not lost.
/// `SoapFault::detail::<UnparsedDetail>()` finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnparsedDetail {
    /// The detail element as it came (`<sf:fault xsi:type="sf:InvalidFieldFault">…`).
    pub xml: String,
    /// Why it did not read.
    pub error: String,
}

impl FaultDetail for UnparsedDetail {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn exception_code(&self) -> Option<&str> {
        None
    }

    fn exception_message(&self) -> Option<&str> {
        None
    }

    fn type_name(&self) -> &'static str {
        "UnparsedDetail"
    }
}

/// The detail of a fault to the wire core's own `login` call: the `exceptionCode` and
/// `exceptionMessage` every Salesforce fault carries (`LoginFault`, `ApiFault`, …). Calls
/// made through generated bindings carry the binding's typed detail instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoginFaultDetail {
    /// `exceptionCode` (`INVALID_LOGIN`).
    pub exception_code: String,
    /// `exceptionMessage`: the human-readable message.
    pub exception_message: String,
}

impl FromXml for LoginFaultDetail {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        let mut out = LoginFaultDetail::default();
        let mut r = Children::<2>::new(reader, element);
        while let Some(child) = r.next_child()? {
            match child.local_name() {
                b"exceptionCode" => r.one(&child, 0, &mut out.exception_code)?,
                b"exceptionMessage" => r.one(&child, 1, &mut out.exception_message)?,
                _ => r.skip(&child)?,
            }
        }
        Ok(out)
    }
}

impl FaultDetail for LoginFaultDetail {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn exception_code(&self) -> Option<&str> {
        Some(&self.exception_code)
            .filter(|code| !code.is_empty())
            .map(String::as_str)
    }

    fn exception_message(&self) -> Option<&str> {
        Some(self.exception_message.as_str())
    }

    fn type_name(&self) -> &'static str {
        "LoginFault"
    }
}

/// A SOAP fault the server answered with.
#[derive(Debug)]
pub struct SoapFault {
    /// `faultcode` as sent: `sf:INVALID_FIELD`, `INVALID_LOGIN`, `soapenv:Client`.
    pub faultcode: String,
    /// `faultstring`: the human-readable message.
    pub faultstring: String,
    /// The typed detail, when the service's WSDL declares the detail element.
    pub detail: Option<Box<dyn FaultDetail>>,
}

impl SoapFault {
    /// The Salesforce exception code: the detail's `exceptionCode`, else `faultcode`
    /// without its prefix (`sf:INVALID_SESSION_ID` gives `INVALID_SESSION_ID`).
    pub fn exception_code(&self) -> &str {
        if let Some(code) = self.detail.as_ref().and_then(|d| d.exception_code()) {
            return code;
        }
        match self.faultcode.rsplit_once(':') {
            Some((_, code)) => code,
            None => &self.faultcode,
        }
    }

    /// The typed detail, if it is a `T` (a generated fault type or fault enum).
    pub fn detail<T: 'static>(&self) -> Option<&T> {
        self.detail.as_ref()?.as_any().downcast_ref::<T>()
    }

    /// True when the session expired or is invalid (`INVALID_SESSION_ID`).
    pub fn is_invalid_session(&self) -> bool {
        self.exception_code() == "INVALID_SESSION_ID"
    }
}

impl fmt::Display for SoapFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.exception_code();
        if code == "UNSUPPORTED_API_VERSION" {
            return write!(
                f,
                "SOAP fault UNSUPPORTED_API_VERSION: this API version is retired or not yet \
                 available on this server; choose another with the client's api_version \
                 setting ({})",
                self.faultstring
            );
        }
        // Salesforce starts the faultstring with the code (`INVALID_FIELD: No such column
        // …`): said once.
        let repeated = self
            .faultstring
            .strip_prefix(code)
            .is_some_and(|rest| rest.starts_with(':'));
        if repeated {
            write!(f, "SOAP fault {}", self.faultstring)?;
        } else {
            write!(f, "SOAP fault {code}: {}", self.faultstring)?;
        }
        if let Some(unparsed) = self.detail::<UnparsedDetail>() {
            write!(f, " (its detail did not read: {})", unparsed.error)?;
        }
        Ok(())
    }
}

impl std::error::Error for SoapFault {}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(faultcode: &str) -> SoapFault {
        SoapFault {
            faultcode: faultcode.to_owned(),
            faultstring: "message".to_owned(),
            detail: None,
        }
    }

    #[test]
    fn code_with_and_without_prefix() {
        assert_eq!(fault("sf:INVALID_FIELD").exception_code(), "INVALID_FIELD");
        assert_eq!(fault("INVALID_LOGIN").exception_code(), "INVALID_LOGIN");
        assert!(fault("sf:INVALID_SESSION_ID").is_invalid_session());
        assert!(!fault("sf:INVALID_SESSION").is_invalid_session());
    }

    #[test]
    fn display_says_the_code_once() {
        let mut f = fault("sf:INVALID_FIELD");
        f.faultstring = "INVALID_FIELD: No such column 'Nmae' on entity 'Account'".to_owned();
        assert_eq!(
            f.to_string(),
            "SOAP fault INVALID_FIELD: No such column 'Nmae' on entity 'Account'"
        );
        // A faultstring without the code gets it in front.
        assert_eq!(
            fault("soapenv:Client").to_string(),
            "SOAP fault Client: message"
        );
    }

    #[test]
    fn unsupported_version_names_the_setting() {
        let text = fault("sf:UNSUPPORTED_API_VERSION").to_string();
        assert!(text.contains("api_version"), "{text}");
    }
}
