//! The partner WSDL's `ExceptionCode` of a fault.

use crate::fault::SoapFault;

use super::ExceptionCode;

impl SoapFault {
    /// The exception code as the partner WSDL's `ExceptionCode` enumeration; a code this
    /// version does not know is kept in `ExceptionCode::Other`.
    pub fn code(&self) -> ExceptionCode {
        ExceptionCode::from(self.exception_code())
    }
}

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
    fn code_is_the_partner_enumeration() {
        assert_eq!(
            fault("sf:INVALID_SESSION_ID").code(),
            ExceptionCode::InvalidSessionId
        );
        assert_eq!(fault("INVALID_FIELD").code(), ExceptionCode::InvalidField);
        assert_eq!(
            fault("sf:SOMETHING_NEW").code(),
            ExceptionCode::Other("SOMETHING_NEW".to_owned())
        );
    }
}
