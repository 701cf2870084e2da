//! `wsdl`: the WSDL 1.1 + XSD reader (`sforce_codegen::wsdl::parse_str`) on input that
//! is UTF-8; other input is skipped (the file reader refuses it before parsing). Emitting
//! what parses is left out: it is too slow for a fuzz loop.

use sforce_codegen::{wsdl, Error};

/// Parses the input as a WSDL.
pub fn run(data: &[u8]) -> Result<(), Error> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(());
    };
    let result = wsdl::parse_str(text, "fuzz.wsdl");
    if let Err(e) = &result {
        let _ = e.to_string();
    }
    result.map(drop)
}
