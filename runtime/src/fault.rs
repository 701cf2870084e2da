//! SOAP 1.1 faults: `faultcode`, `faultstring` and the typed detail from the WSDL.

use std::any::Any;
use std::fmt;

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

    /// The exception code as the partner WSDL's `ExceptionCode` enumeration; a code this
    /// version does not know is kept in `ExceptionCode::Other`.
    pub fn code(&self) -> crate::partner::ExceptionCode {
        crate::partner::ExceptionCode::from(self.exception_code())
    }

    /// The typed detail, if it is a `T` (a generated fault type or fault enum).
    pub fn detail<T: 'static>(&self) -> Option<&T> {
        self.detail.as_ref()?.as_any().downcast_ref::<T>()
    }

    /// True when the session expired or is invalid (`INVALID_SESSION_ID`).
    pub fn is_invalid_session(&self) -> bool {
        self.code() == crate::partner::ExceptionCode::InvalidSessionId
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
        write!(f, "SOAP fault {code}: {}", self.faultstring)?;
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
    use crate::partner::ExceptionCode;

    fn fault(faultcode: &str) -> SoapFault {
        SoapFault {
            faultcode: faultcode.to_owned(),
            faultstring: "message".to_owned(),
            detail: None,
        }
    }

    #[test]
    fn code_with_and_without_prefix() {
        assert_eq!(
            fault("sf:INVALID_FIELD").code(),
            ExceptionCode::InvalidField
        );
        assert_eq!(fault("INVALID_LOGIN").code(), ExceptionCode::InvalidLogin);
        assert!(fault("sf:INVALID_SESSION_ID").is_invalid_session());
    }

    #[test]
    fn unknown_code_is_kept() {
        assert_eq!(
            fault("sf:SOMETHING_NEW").code(),
            ExceptionCode::Other("SOMETHING_NEW".to_owned())
        );
    }

    #[test]
    fn unsupported_version_names_the_setting() {
        let text = fault("sf:UNSUPPORTED_API_VERSION").to_string();
        assert!(text.contains("api_version"), "{text}");
    }
}
