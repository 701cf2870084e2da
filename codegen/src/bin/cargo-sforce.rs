//! `cargo sforce`: generate Salesforce SOAP bindings and decode captured responses.
//! Everything but process plumbing lives in `sforce_codegen::cli`.

use std::process::ExitCode;

use clap::Parser;
use sforce_codegen::cli::{self, Cargo};

fn main() -> ExitCode {
    let args = match Cargo::try_parse() {
        Ok(args) => args,
        Err(usage) => return cli::usage_exit(usage),
    };
    match cli::run(args) {
        Ok(status) => ExitCode::from(status.exit_code()),
        Err(err) => {
            cli::report_error(&err, &mut std::io::stderr().lock());
            ExitCode::FAILURE
        }
    }
}
