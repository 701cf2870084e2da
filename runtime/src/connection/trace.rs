//! `SFORCE_TRACE_DIR`: every request and response envelope written to numbered files,
//! secrets masked.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::trace::MASK;
use crate::xml::XmlWriter;

/// Numbers files across every connection of the process, so two connections tracing
/// into the same folder do not overwrite each other.
static NEXT_EXCHANGE: AtomicU64 = AtomicU64::new(1);

/// Writes envelopes into one folder.
#[derive(Debug)]
pub(crate) struct Tracer {
    dir: PathBuf,
}

impl Tracer {
    /// A tracer writing into `dir` (created if missing).
    pub(crate) fn new(dir: PathBuf) -> std::io::Result<Tracer> {
        std::fs::create_dir_all(&dir)?;
        Ok(Tracer { dir })
    }

    /// The folder written to.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The number of the next exchange.
    pub(crate) fn next_number(&self) -> u64 {
        NEXT_EXCHANGE.fetch_add(1, Ordering::Relaxed)
    }

    /// Writes `NNNN-<operation>-<kind>.xml` with `secrets` (and anything that looks like
    /// a session id or password) masked. Tracing is a diagnostic aid: a file that cannot
    /// be written is skipped rather than failing the call.
    pub(crate) fn write(
        &self,
        number: u64,
        operation: &str,
        kind: &str,
        content: &[u8],
        secrets: &[&str],
    ) {
        let operation: String = operation
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = self.dir.join(format!("{number:04}-{operation}-{kind}.xml"));
        let text = mask(&String::from_utf8_lossy(content), secrets);
        // Ignored on purpose: see the doc comment.
        let _ = std::fs::write(path, text);
    }
}

/// Replaces every known secret (raw and XML-escaped) and then every `sessionId`,
/// `password` and `access_token`-like value.
fn mask(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        out = out.replace(secret, MASK);
        let mut escaped = XmlWriter::new();
        escaped.text(secret);
        if escaped.as_str() != *secret {
            out = out.replace(escaped.as_str(), MASK);
        }
    }
    crate::trace::mask_secrets(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_known_secrets_raw_and_escaped() {
        let text = "<p:password>a&amp;b</p:password><x>a&b</x>";
        let masked = mask(text, &["a&b", ""]);
        assert!(!masked.contains("a&amp;b"), "{masked}");
        assert!(!masked.contains("a&b"), "{masked}");
        assert!(masked.contains(MASK));
    }

    #[test]
    fn writes_numbered_files() {
        let dir = tempfile::tempdir().unwrap();
        let tracer = Tracer::new(dir.path().join("t")).unwrap();
        let n = tracer.next_number();
        tracer.write(
            n,
            "query",
            "request",
            b"<sessionId>SECRET1</sessionId>",
            &["SECRET1"],
        );
        let written =
            std::fs::read_to_string(tracer.dir().join(format!("{n:04}-query-request.xml")))
                .unwrap();
        assert!(!written.contains("SECRET1"));
        assert!(written.contains("sessionId"));
    }
}
