//! The one error type of the generator.

use std::fmt;
use std::path::PathBuf;

/// Result with the generator's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while reading inputs or writing bindings.
///
/// New variants may be added in minor releases: match with a `_` arm.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An input file could not be read, or an output file written.
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// An input is not well-formed XML.
    Xml {
        /// The file, as given.
        file: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// The parser's message.
        message: String,
    },
    /// An input is XML but not what was expected: not a WSDL, a reference that resolves
    /// nowhere, an attribute with a bad value.
    Invalid {
        /// The file, as given.
        file: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// The construct and what is wrong with it.
        message: String,
    },
    /// A setting is missing or inconsistent (no input given, `OUT_DIR` unset).
    Config(String),
    /// A bug in the generator, not in its input: code it produced itself does not parse,
    /// one of its own tables names something that does not exist. Worth a report with the
    /// input that caused it.
    Internal {
        /// What the generator was doing (`formatting the code generated for `SforceService``).
        what: String,
        /// What went wrong (the parser's message).
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
            Error::Config(message) => f.write_str(message),
            Error::Internal { what, message } => write!(
                f,
                "internal error of sforce-codegen (a bug, please report it) while {what}: {message}"
            ),
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

impl Error {
    /// A roxmltree parse error in `file` (whose text is `text`); errors found only at the
    /// end of the input point there.
    pub(crate) fn from_roxmltree(text: &str, file: &str, e: &roxmltree::Error) -> Error {
        let (line, column) = match e {
            roxmltree::Error::UnexpectedEndOfStream
            | roxmltree::Error::UnclosedRootNode
            | roxmltree::Error::NoRootNode => end_position(text),
            _ => (e.pos().row, e.pos().col),
        };
        Error::Xml {
            file: file.to_owned(),
            line,
            column,
            message: e.to_string(),
        }
    }
}

/// 1-based line and column just past the last character of `text`.
pub(crate) fn end_position(text: &str) -> (u32, u32) {
    let line = text.bytes().filter(|&b| b == b'\n').count() + 1;
    let column = text.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_own_failures_say_so() {
        let bad: proc_macro2::TokenStream = "struct".parse().unwrap();
        let mut out = String::new();
        let err = crate::emit::format_part(bad, &mut out, "the test's code").unwrap_err();
        assert!(matches!(&err, Error::Internal { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.starts_with("internal error of sforce-codegen (a bug, please report it) while formatting the test's code: "),
            "{text}"
        );
    }
}
