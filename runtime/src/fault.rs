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
        write!(f, "SOAP fault {code}: {}", self.faultstring)
    }
}

impl std::error::Error for SoapFault {}
