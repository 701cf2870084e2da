//! `decode`: `cargo sforce decode`'s model-driven decoding of a captured envelope
//! (`sforce_cli::decode::decode_str`, the runtime's reader driven by the WSDL model)
//! against the partner v66 WSDL, read once.

use std::sync::OnceLock;

use sforce_cli::decode::{self, Error};
use sforce_codegen::model::Service;
use sforce_codegen::wsdl;

/// The partner v66 service, parsed once per process.
pub fn service() -> &'static Service {
    static SERVICE: OnceLock<Service> = OnceLock::new();
    SERVICE.get_or_init(|| {
        let text = include_str!("../../fixtures/wsdl/partner-v66.0.wsdl");
        wsdl::parse_str(text, "partner-v66.0.wsdl").expect("the partner v66 WSDL parses")
    })
}

/// Decodes the input (when UTF-8) as a response envelope and prints the JSON.
pub fn run(data: &[u8]) -> Result<(), Error> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(());
    };
    match decode::decode_str(service(), text, "fuzz.xml") {
        Ok(decoded) => {
            let _ = decoded.json.to_pretty_string();
            Ok(())
        }
        Err(e) => {
            let _ = e.to_string();
            Err(e)
        }
    }
}
