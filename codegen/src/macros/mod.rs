//! The logic behind `sforce-macros`: `#[sobject]` and `soql!` expand here, so that the
//! proc-macro crate stays a thin shim and the expansions can be tested as plain functions.
//!
//! Both macros can check their input against describe dumps. Where the dumps are is
//! resolved in this order (relative paths against the crate's `CARGO_MANIFEST_DIR`):
//! 1. the macro's own `describe = "path"` argument;
//! 2. the `SFORCE_DESCRIBE` environment variable;
//! 3. `describe = "path"` under `[package.metadata.sforce]` in the crate's `Cargo.toml`.
//!
//! Without dumps, `#[sobject]` trusts the names and `soql!` checks the syntax only.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use proc_macro2::{Span, TokenStream};

use crate::describe::{self, Schema};

mod sobject;
mod soql;

pub use sobject::expand_sobject;
pub use soql::expand_soql;

/// Where a macro is expanded: the crate's directory and environment, as the proc-macro
/// shim sees them. Tests build one by hand.
#[derive(Debug, Clone, Default)]
pub struct MacroContext {
    /// `CARGO_MANIFEST_DIR` of the crate being compiled.
    pub manifest_dir: Option<PathBuf>,
    /// The `SFORCE_DESCRIBE` environment variable.
    pub describe_env: Option<String>,
}

impl MacroContext {
    /// The context of the current compilation, from the environment.
    pub fn from_env() -> Self {
        MacroContext {
            manifest_dir: std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from),
            describe_env: std::env::var("SFORCE_DESCRIBE").ok(),
        }
    }

    /// The describe dumps to check against, if any are configured; `explicit` is the
    /// macro's own `describe = "…"` argument. Loaded once per path per compiler process.
    pub(crate) fn schema(&self, explicit: Option<&str>) -> Result<Option<Arc<Schema>>, String> {
        let configured = match explicit {
            Some(path) => Some(path.to_owned()),
            None => match &self.describe_env {
                Some(path) if !path.is_empty() => Some(path.clone()),
                _ => self.metadata_describe()?,
            },
        };
        let Some(configured) = configured else {
            return Ok(None);
        };
        let path = match &self.manifest_dir {
            Some(dir) => dir.join(&configured),
            None => PathBuf::from(&configured),
        };
        load_cached(&path).map(Some)
    }

    /// `[package.metadata.sforce] describe = "…"` from the crate's `Cargo.toml`.
    fn metadata_describe(&self) -> Result<Option<String>, String> {
        let Some(dir) = &self.manifest_dir else {
            return Ok(None);
        };
        let manifest = dir.join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            return Ok(None);
        };
        Ok(metadata_value(&text, "describe"))
    }
}

/// Reads `key = "value"` from the `[package.metadata.sforce]` table of a manifest. A
/// small line reader: the table is flat and its values are plain strings.
fn metadata_value(manifest: &str, key: &str) -> Option<String> {
    let mut in_table = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_table = line == "[package.metadata.sforce]";
            continue;
        }
        if !in_table {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        if name.trim() == key {
            let value = value.trim();
            let value = value.strip_prefix('"')?.split('"').next()?;
            return Some(value.to_owned());
        }
    }
    None
}

fn load_cached(path: &Path) -> Result<Arc<Schema>, String> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<Schema>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(schema) = cache.lock().ok().and_then(|c| c.get(path).cloned()) {
        return Ok(schema);
    }
    let schema =
        Arc::new(describe::load(path).map_err(|e| format!("cannot read the describe dumps: {e}"))?);
    if let Ok(mut cache) = cache.lock() {
        cache.insert(path.to_owned(), schema.clone());
    }
    Ok(schema)
}

/// `const _: &[u8] = include_bytes!("…");` for each dump file an expansion read, so that
/// cargo rebuilds the crate when one changes.
fn track_files<'a>(files: impl IntoIterator<Item = &'a Path>) -> TokenStream {
    let mut out = TokenStream::new();
    for file in files {
        if let Some(path) = file.to_str() {
            let lit = proc_macro2::Literal::string(path);
            out.extend(quote::quote! { const _: &[u8] = include_bytes!(#lit); });
        }
    }
    out
}

/// Parses a path given as a string (`"::sforce"`) for the runtime crate.
fn runtime_path(text: &str, span: Span) -> syn::Result<syn::Path> {
    syn::parse_str::<syn::Path>(text)
        .map_err(|_| syn::Error::new(span, format!("`{text}` is not a Rust path")))
}

#[cfg(test)]
mod tests {
    use super::metadata_value;

    #[test]
    fn reads_the_metadata_table_only() {
        let manifest = "[package]\nname = \"x\"\ndescribe = \"no\"\n\n[package.metadata.sforce]\n\
                        describe = \"describe/\" # dumps\n";
        assert_eq!(
            metadata_value(manifest, "describe").as_deref(),
            Some("describe/")
        );
        assert_eq!(
            metadata_value("[package]\ndescribe = \"x\"", "describe"),
            None
        );
    }
}
