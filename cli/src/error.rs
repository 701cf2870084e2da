//! [`Error`]: everything a `cargo sforce` command can fail with.

use std::fmt;
use std::path::PathBuf;

/// A failed command. Printed by [`crate::report_error`] as `error: …` with its causes; the
/// binary then exits with 1.
#[derive(Debug)]
pub enum Error {
    /// Reading a WSDL or a describe dump, or generating code, failed.
    Codegen(sforce_codegen::Error),
    /// `decode` could not read the captured envelope.
    Decode(crate::decode::Error),
    /// A call to the org failed (login, describeGlobal, describeSObjects).
    Salesforce {
        /// What was being done: `describeSObjects (Account, Contact)`.
        context: String,
        /// What the runtime reported (secrets are never part of it).
        source: sforce::Error,
    },
    /// A file, directory or standard stream could not be read or written.
    Io {
        /// The path (or `<stdout>`, `<stderr>`, `<stdin>`).
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The command cannot run as configured: a missing environment variable, an unknown
    /// sObject name, an unreadable dump.
    Config(String),
    /// `--check` found files that are missing or differ from what the command would write;
    /// the message lists them and names the command that brings them up to date.
    Stale(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Codegen(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::Salesforce { context, source } => write!(f, "{context}: {source}"),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Config(message) | Error::Stale(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // Transparent: the codegen error's message is this one's.
            Error::Codegen(e) => e.source(),
            Error::Decode(e) => e.source(),
            Error::Salesforce { source, .. } => Some(source),
            Error::Io { source, .. } => Some(source),
            Error::Config(_) | Error::Stale(_) => None,
        }
    }
}

impl From<sforce_codegen::Error> for Error {
    fn from(e: sforce_codegen::Error) -> Self {
        Error::Codegen(e)
    }
}

impl From<crate::decode::Error> for Error {
    fn from(e: crate::decode::Error) -> Self {
        Error::Decode(e)
    }
}

/// The result of a command.
pub type Result<T, E = Error> = std::result::Result<T, E>;
