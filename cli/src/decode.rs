//! `cargo sforce decode`: a captured SOAP response as typed JSON.

use std::io::Read;
use std::path::PathBuf;

use clap::Args;
use sforce_codegen::{decode, wsdl};

use crate::{stream_error, Context, Error, Result, Status};

/// `cargo sforce decode`.
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// The WSDL whose schema types the response (the one the request was made with)
    #[arg(long, value_name = "PATH")]
    pub wsdl: PathBuf,
    /// The captured response: a SOAP 1.1 envelope as XML; `-` reads it from stdin
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Runs `decode`: the JSON goes to stdout, warnings to stderr.
pub fn run(args: &DecodeArgs, context: &mut Context<'_>) -> Result<Status> {
    let service = wsdl::parse_file(&args.wsdl)?;
    let decoded = if args.file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|source| Error::Io {
                path: PathBuf::from("<stdin>"),
                source,
            })?;
        decode::decode_str(&service, &text, "<stdin>")?
    } else {
        decode::decode_file(&service, &args.file)?
    };
    let err = stream_error("<stderr>");
    for warning in &decoded.warnings {
        writeln!(context.stderr, "warning: {warning}").map_err(&err)?;
    }
    writeln!(context.stdout, "{}", decoded.json).map_err(stream_error("<stdout>"))?;
    Ok(if decoded.fault {
        Status::Fault
    } else {
        Status::Success
    })
}
