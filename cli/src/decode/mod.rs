//! `cargo sforce decode`: a captured SOAP response as typed JSON.
//!
//! The CLI cannot compile bindings at run time, so this module reads a captured response
//! envelope with the WSDL [`Service`] model instead, and turns it into [`Json`] whose
//! object keys keep document order (which is schema order for Salesforce responses).
//!
//! There is one reader of the wire: the envelope is walked with the runtime's
//! [`XmlReader`], the reader every response of a generated client
//! goes through, with its limits; and the rules of the partner sObject (`xsi:nil`, the
//! parts of a record, the duplicated `Id`, the `xsi:type` of a field) are the runtime's
//! functions (`sforce::sobject::{sobject_part, takes_id, field_kind}`), not a second copy.
//! `sforce-tests`' `decode_agrees` test reads every capture both ways and compares every
//! value.
//!
//! The shape of the output:
//! - a normal response is `{"headers": {…}, "body": {"<bodyElement>": …}}`; `headers` holds
//!   one entry per `soapenv:Header` child (empty object when there are none);
//! - a SOAP fault is `{"fault": {"faultcode", "faultstring", "faultactor"?, "detail"?}}`
//!   (preceded by `headers` only when the envelope has header entries); the detail is
//!   decoded with the fault element's type from the model and always carries `"@type"`.
//!
//! Values follow the schema: a complex type is an object (keys are the XML element names,
//! inherited fields included, present exactly when the element is present); a field with
//! `maxOccurs > 1` is an array even with one element; `int`, `long`, `double` and `decimal`
//! are numbers (`5.0E7` is kept as written; `INF`/`NaN` become strings); `boolean` is a
//! bool; `xsi:nil="true"` is `null`; enumerations and every other built-in are strings.
//! When `xsi:type` selects a type other than the declared complex type, the object starts
//! with `"@type": "<local name>"`. `xsd:anyType` values are typed by their `xsi:type`.
//!
//! The partner `sObject` (the complex type named `sObject` that ends in `xsd:any`) becomes
//! an object with `type`, `Id` (the duplicated `Id` elements of query results collapsed to
//! one) and then the other fields in document order; nested `xsi:type="sf:sObject"`
//! (parent relationships) and `xsi:type="QueryResult"` (child relationships) and compound
//! fields (`xsi:type="address"`) are decoded with their types; a field with element
//! content and no `xsi:type` is a nested sObject, as the runtime reads it.
//!
//! Elements the schema does not know (outside an `xsd:any`) are kept, not dropped: an
//! element with only text becomes a string, one with children an object; each one also
//! produces a [`Warning`]. Invalid values for the declared type (`abc` as an `xsd:int`),
//! input that is not XML, not a SOAP 1.1 envelope, or a body element that is not a global
//! element of the WSDL are errors ([`Error`]) naming file, line and column.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;
use sforce::xml::{line_column, ReadLimits, XmlReader};
use sforce_codegen::model::{Service, Warning};
use sforce_codegen::wsdl;

use crate::{stream_error, Context, Status};

mod json;
mod walk;

pub use json::Json;

/// The deepest XML element nesting [`decode_str`] and [`decode_file`] decode (the
/// envelope is level 1, `soapenv:Body` level 2, the body element level 3); deeper input is
/// an error rather than a stack overflow. [`decode_str_with`] takes another limit.
pub const DEFAULT_MAX_DEPTH: usize = 128;

/// Why an envelope could not be decoded. (Warnings are not errors: see [`Decoded`].)
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The input is not well-formed XML, breaks one of the reader's limits (nesting
    /// depth, attributes, namespaces in scope, a DOCTYPE), or is not UTF-8.
    Xml {
        /// The file, as given.
        file: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// The reader's message.
        message: String,
    },
    /// The input is XML but cannot be decoded with the model: not a SOAP 1.1 envelope, a
    /// body element the WSDL does not define, a value invalid for its type.
    Invalid {
        /// The file, as given.
        file: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What is wrong and where.
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Xml {
                file,
                line,
                column,
                message,
            } => write!(f, "{file}:{line}:{column}: not well-formed XML: {message}"),
            Error::Invalid {
                file,
                line,
                column,
                message,
            } => write!(f, "{file}:{line}:{column}: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The result of decoding one envelope.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The typed document (see the module documentation for its shape).
    pub json: Json,
    /// The envelope is a SOAP fault (`cargo sforce decode` exits with code 2).
    pub fault: bool,
    /// Elements the schema did not account for, and other oddities; not fatal.
    pub warnings: Vec<Warning>,
}

/// Reads and decodes the response envelope in the file at `path`, with the limits of
/// [`decode_str`].
pub fn decode_file(service: &Service, path: &Path) -> Result<Decoded, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let file = path.display().to_string();
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let (line, column) = line_column(&bytes, e.valid_up_to());
        Error::Xml {
            file: file.clone(),
            line,
            column,
            message: "the file is not UTF-8".to_owned(),
        }
    })?;
    decode_str(service, text, &file)
}

/// Decodes the response envelope `text`; `file_name` is used in errors and warnings.
///
/// Limits: those of the runtime's reader ([`ReadLimits`]), with elements nested deeper
/// than [`DEFAULT_MAX_DEPTH`] levels (the envelope being level 1) an error naming the
/// element, its level and its place, so that decoding (which recurses once per level)
/// cannot overflow the stack: 128 levels fit in a 2 MiB thread stack even in a debug
/// build. An element with more than [`ReadLimits::DEFAULT_MAX_ATTRIBUTES`] attributes or
/// more than [`ReadLimits::DEFAULT_MAX_NAMESPACES`] namespace declarations in scope is an
/// error, and a DOCTYPE is refused.
pub fn decode_str(service: &Service, text: &str, file_name: &str) -> Result<Decoded, Error> {
    decode_str_with(service, text, file_name, DEFAULT_MAX_DEPTH)
}

/// [`decode_str`] with another nesting limit: elements nested deeper than `max_depth`
/// levels (the envelope is level 1) are an error. Each level costs a few kilobytes of
/// stack; raise the limit only on a thread with a stack to match.
///
/// ```
/// # let service = sforce_codegen::model::Service::default();
/// let envelope = "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\">\
///                 <e:Body><a><b/></a></e:Body></e:Envelope>";
/// let err = sforce_cli::decode::decode_str_with(&service, envelope, "x.xml", 1).unwrap_err();
/// assert!(err.to_string().contains("`Body` is nested 2 levels deep"), "{err}");
/// ```
pub fn decode_str_with(
    service: &Service,
    text: &str,
    file_name: &str,
    max_depth: usize,
) -> Result<Decoded, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let limits = ReadLimits {
        max_depth: u32::try_from(max_depth).unwrap_or(u32::MAX),
        ..ReadLimits::default()
    };
    let mut reader = XmlReader::with_limits(text.as_bytes(), limits);
    let mut ctx = walk::Ctx {
        service,
        input: text.as_bytes(),
        file: file_name,
        warnings: Vec::new(),
    };
    let (json, fault) = match ctx.document(&mut reader) {
        Ok(done) => done,
        // The walk stops at the first element it cannot decode; input that is not even
        // well-formed further on is reported as such (as a DOM parser would).
        Err(invalid @ Error::Invalid { .. }) => {
            let mut check = XmlReader::with_limits(text.as_bytes(), limits);
            let well_formed = check
                .root()
                .and_then(|root| check.skip(&root))
                .and_then(|()| check.finish());
            return Err(match well_formed {
                Ok(()) => invalid,
                Err(e) => ctx.xml_error(e),
            });
        }
        Err(other) => return Err(other),
    };
    Ok(Decoded {
        json,
        fault,
        warnings: ctx.warnings,
    })
}

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
pub fn run(args: &DecodeArgs, context: &mut Context<'_>) -> crate::Result<Status> {
    let service = wsdl::parse_file(&args.wsdl)?;
    let decoded = if args.file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|source| crate::Error::Io {
                path: PathBuf::from("<stdin>"),
                source,
            })?;
        decode_str(&service, &text, "<stdin>")?
    } else {
        decode_file(&service, &args.file)?
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
