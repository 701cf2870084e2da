//! `SFORCE_TRACE_DIR`: every request and response envelope written to numbered files,
//! secrets masked.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::trace::KnownSecrets;

/// Numbers files across every connection of the process, so two connections tracing
/// into the same folder do not overwrite each other.
static NEXT_EXCHANGE: AtomicU64 = AtomicU64::new(1);

/// Writes envelopes into one folder.
#[derive(Debug)]
pub(crate) struct Tracer {
    dir: PathBuf,
}

impl Tracer {
    /// A tracer writing into `dir` (created if missing, readable by the owner only on
    /// Unix: the files hold record data).
    pub(crate) fn new(dir: PathBuf) -> std::io::Result<Tracer> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir)?;
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

    /// Writes `NNNN-<operation>-<kind>.xml` with every known secret (and the content of
    /// every element named like a secret) masked, created readable and writable by the
    /// owner only (mode 0600 on Unix). Tracing is a diagnostic aid: a file that cannot be
    /// written is skipped rather than failing the call.
    pub(crate) fn write(
        &self,
        number: u64,
        operation: &str,
        kind: &str,
        content: &[u8],
        secrets: &KnownSecrets,
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
        let text = secrets.mask_envelope(&String::from_utf8_lossy(content));
        // Ignored on purpose: see the doc comment.
        let _ = write_private(&path, text.as_bytes());
    }
}

/// Creates (or truncates) `path` with mode 0600 on Unix and writes `bytes`.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_known_secrets_raw_and_escaped() {
        let text = "<p:pw>pw&amp;b</p:pw><x>pw&b</x>";
        let masked = KnownSecrets::new(["pw&b", ""]).mask_envelope(text);
        assert!(!masked.contains("pw&amp;b"), "{masked}");
        assert!(!masked.contains("pw&b"), "{masked}");
        assert!(masked.contains(crate::trace::MASK));
    }

    #[cfg(unix)]
    #[test]
    fn trace_files_and_folder_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let tracer = Tracer::new(dir.path().join("t")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(tracer.dir()), 0o700);
        let n = tracer.next_number();
        tracer.write(n, "query", "response", b"<a/>", &KnownSecrets::default());
        let file = tracer.dir().join(format!("{n:04}-query-response.xml"));
        assert_eq!(mode(&file), 0o600);
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
            b"<sessionId>SECRET1</sessionId><echo>SECRET1</echo>",
            &KnownSecrets::new(["SECRET1"]),
        );
        let written =
            std::fs::read_to_string(tracer.dir().join(format!("{n:04}-query-request.xml")))
                .unwrap();
        assert!(!written.contains("SECRET1"));
        assert!(written.contains("sessionId"));
    }
}
