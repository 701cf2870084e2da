//! The logic behind `sforce-macros`: `#[sobject]` and `soql!` expand here, so that the
//! proc-macro crate stays a thin shim and the expansions can be tested as plain functions.
//!
//! Both macros can check their input against describe dumps. Where the dumps are is
//! resolved in this order (relative paths against the crate's `CARGO_MANIFEST_DIR`):
//! 1. the macro's own `describe = "path"` argument;
//! 2. the `SFORCE_DESCRIBE` environment variable;
//! 3. `describe = "path"` under `[package.metadata.sforce]` in the crate's `Cargo.toml`.
//!
//! Without dumps, `#[sobject]` trusts the names and `soql!(Struct, …)` checks the syntax
//! only, silently: a misspelt name compiles. With `SFORCE_DESCRIBE_REQUIRED=1` (read in
//! [`MacroContext::from_env`] only) a macro that finds no dumps is a compile error naming
//! the object, where dumps are looked for and the `cargo sforce describe` command that
//! writes them. An error about an object the dumps lack (a parent such as `User` for
//! `Owner.Name`) names the command that adds its dump.

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
    /// `SFORCE_DESCRIBE_REQUIRED` is set (to anything but empty, `0`, `false` or `no`):
    /// finding no dumps is an error instead of trusting the names.
    pub describe_required: bool,
}

/// The environment variable that makes missing describe dumps a compile error.
pub const DESCRIBE_REQUIRED_ENV: &str = "SFORCE_DESCRIBE_REQUIRED";

/// The dumps a macro checks against, and their directory as configured (for messages).
pub(crate) struct Dumps {
    pub(crate) schema: Arc<Schema>,
    pub(crate) dir: String,
}

impl MacroContext {
    /// The context of the current compilation, from the environment: the one place the
    /// macros read it.
    pub fn from_env() -> Self {
        MacroContext {
            manifest_dir: std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from),
            describe_env: std::env::var("SFORCE_DESCRIBE").ok(),
            describe_required: std::env::var(DESCRIBE_REQUIRED_ENV)
                .is_ok_and(|value| required(&value)),
        }
    }

    /// The describe dumps to check against, if any are configured; `explicit` is the
    /// macro's own `describe = "…"` argument. Loaded once per path per compiler process.
    pub(crate) fn dumps(&self, explicit: Option<&str>) -> Result<Option<Dumps>, String> {
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
        let schema = load_cached(&path)?;
        Ok(Some(Dumps {
            schema,
            dir: configured,
        }))
    }

    /// With [`describe_required`](Self::describe_required), the error for a macro on
    /// `object` that found no dumps: where they are looked for and how to write them.
    /// `argument` says whether the macro takes a `describe = "…"` argument.
    pub(crate) fn missing_dumps(&self, object: &str, argument: bool) -> Option<String> {
        if !self.describe_required {
            return None;
        }
        let manifest = match &self.manifest_dir {
            Some(dir) => dir.join("Cargo.toml").display().to_string(),
            None => "Cargo.toml".to_owned(),
        };
        let argument = if argument {
            "the macro's `describe = \"…\"` argument, "
        } else {
            ""
        };
        Some(format!(
            "{DESCRIBE_REQUIRED_ENV} is set and there are no describe dumps to check `{object}` \
             against: they are looked for in {argument}the SFORCE_DESCRIBE environment \
             variable, then `describe = \"…\"` under [package.metadata.sforce] in {manifest}; \
             `{}` writes them, then point one of those at the directory",
            describe_command(&[object], "describe")
        ))
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

/// Whether a value of `SFORCE_DESCRIBE_REQUIRED` turns the requirement on.
fn required(value: &str) -> bool {
    let value = value.trim();
    !(value.is_empty()
        || value == "0"
        || value.eq_ignore_ascii_case("false")
        || value.eq_ignore_ascii_case("no"))
}

/// `cargo sforce describe --objects A,B --out DIR`: what writes the dumps of `objects`
/// into `dir` (run in the crate's directory; existing dumps there are kept).
pub(crate) fn describe_command(objects: &[&str], dir: &str) -> String {
    let dir = if dir.is_empty() || dir.contains(|c: char| c.is_whitespace() || c == '\'') {
        format!("'{}'", dir.replace('\'', r"'\''"))
    } else {
        dir.to_owned()
    };
    format!(
        "cargo sforce describe --objects {} --out {dir}",
        objects.join(",")
    )
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
    use super::{describe_command, metadata_value, required};

    #[test]
    fn which_values_require_dumps() {
        for on in ["1", "true", "YES", " 1 "] {
            assert!(required(on), "{on:?}");
        }
        for off in ["", "0", "false", "No", "  "] {
            assert!(!required(off), "{off:?}");
        }
    }

    #[test]
    fn the_describe_command_quotes_a_directory_with_spaces() {
        assert_eq!(
            describe_command(&["User", "Group"], "describe"),
            "cargo sforce describe --objects User,Group --out describe"
        );
        assert_eq!(
            describe_command(&["User"], "my dumps/it's"),
            r"cargo sforce describe --objects User --out 'my dumps/it'\''s'"
        );
    }

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
