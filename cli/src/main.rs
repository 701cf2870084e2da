//! `cargo sforce`: generate Salesforce SOAP bindings and sObject structs, dump an org's
//! describe data, decode captured responses. Everything but process plumbing lives in the
//! `sforce_cli` library.

use std::process::ExitCode;

use clap::Parser;
use sforce_cli::Cargo;

fn main() -> ExitCode {
    let args = match Cargo::try_parse() {
        Ok(args) => args,
        Err(usage) => return sforce_cli::usage_exit(usage),
    };
    match sforce_cli::run(args) {
        Ok(status) => ExitCode::from(status.exit_code()),
        Err(err) => {
            sforce_cli::report_error(&err, &mut std::io::stderr().lock());
            ExitCode::FAILURE
        }
    }
}
