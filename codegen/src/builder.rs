//! The `build.rs` front end: [`Builder`] for full control, [`write_file`] for writing one
//! bindings file with the default settings.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), sforce_codegen::Error> {
//!     sforce_codegen::Builder::new()
//!         .wsdl("salesforce/partner.wsdl")
//!         .generate()?; // $OUT_DIR/partner.rs + cargo:rerun-if-changed lines
//!     Ok(())
//! }
//! ```
//!
//! and in the crate: `mod partner { sforce::include_bindings!("partner"); }`.
//!
//! With describe dumps, the builder also writes typed sObject structs
//! ([`emit::generate_sobjects_source`]) to `$OUT_DIR/sobjects.rs`:
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), sforce_codegen::Error> {
//!     sforce_codegen::Builder::new()
//!         .wsdl("salesforce/partner.wsdl")
//!         .describe("salesforce/describe") // a directory of dumps, or one file
//!         .sobjects(["Account", "Contact"])
//!         .depth(1)
//!         .generate()?; // $OUT_DIR/partner.rs and $OUT_DIR/sobjects.rs
//!     Ok(())
//! }
//! ```
//!
//! and `mod sobjects { sforce::include_bindings!("sobjects"); }`.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::model::Service;
use crate::{describe, emit, wsdl, Error, Result, SObjectSelection, Settings};

/// Generates bindings from WSDL files into `OUT_DIR` (prost-build style).
///
/// Each WSDL `dir/<stem>.wsdl` becomes `<out_dir>/<stem>.rs`; include it with
/// `sforce::include_bindings!("<stem>")`. Describe dumps ([`Builder::describe`]) become
/// one file of sObject structs, `<out_dir>/sobjects.rs` (`<module_name>_sobjects.rs` when
/// [`Builder::module_name`] is set). The same [`Settings`] back the builder, the
/// `cargo sforce` flags and the macros.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    wsdls: Vec<PathBuf>,
    describes: Vec<PathBuf>,
    selection: SObjectSelection,
    out_dir: Option<PathBuf>,
    module_name: Option<String>,
    settings: Settings,
}

impl Builder {
    /// A builder with the default [`Settings`] (runtime `::sforce`, blocking client on).
    ///
    /// ```
    /// let builder = sforce_codegen::Builder::new();
    /// assert_eq!(builder.settings(), &sforce_codegen::Settings::default());
    /// ```
    pub fn new() -> Self {
        Builder::default()
    }

    /// Adds a WSDL file to generate bindings for; call it once per WSDL. Relative paths are
    /// relative to the package root when run from `build.rs`.
    ///
    /// ```no_run
    /// sforce_codegen::Builder::new()
    ///     .wsdl("salesforce/partner.wsdl")
    ///     .wsdl("salesforce/apex.wsdl")
    ///     .generate()?; // $OUT_DIR/partner.rs and $OUT_DIR/apex.rs
    /// # Ok::<(), sforce_codegen::Error>(())
    /// ```
    pub fn wsdl(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.wsdls.push(path.as_ref().to_path_buf());
        self
    }

    /// Adds describe dumps to generate sObject structs from: a dump file, or a directory
    /// whose `*.json` and `*.xml` files are dumps (see [`describe::load`]); call it once
    /// per file or directory. The structs go to `sobjects.rs` in the output directory.
    ///
    /// ```no_run
    /// sforce_codegen::Builder::new()
    ///     .describe("salesforce/describe")
    ///     .describe("salesforce/extra/Invoice__c.json")
    ///     .generate()?; // $OUT_DIR/sobjects.rs with every object in the dumps
    /// # Ok::<(), sforce_codegen::Error>(())
    /// ```
    pub fn describe(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.describes.push(path.as_ref().to_path_buf());
        self
    }

    /// Adds sObjects (API names, any case) to generate structs for; without any, every
    /// object in the dumps is generated. An object the dumps do not describe is an error
    /// at [`Builder::generate`].
    ///
    /// ```
    /// let mut builder = sforce_codegen::Builder::new();
    /// builder.sobjects(["Account", "Contact"]).sobjects(["Invoice__c"]);
    /// assert_eq!(builder.selection().objects, ["Account", "Contact", "Invoice__c"]);
    /// ```
    pub fn sobjects<I>(&mut self, names: I) -> &mut Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.selection
            .objects
            .extend(names.into_iter().map(Into::into));
        self
    }

    /// Also generates the objects reachable from the [`Builder::sobjects`] within `depth`
    /// relationship hops (single-target parents and named child relationships; default
    /// 0: only the listed ones), so that `Contact.account` is a typed `Account`.
    ///
    /// ```
    /// let mut builder = sforce_codegen::Builder::new();
    /// builder.sobjects(["Contact"]).depth(1); // Contact, Account, User, …
    /// assert_eq!(builder.selection().depth, 1);
    /// ```
    pub fn depth(&mut self, depth: u32) -> &mut Self {
        self.selection.depth = depth;
        self
    }

    /// The sObject selection: the [`Builder::sobjects`] names and the [`Builder::depth`].
    pub fn selection(&self) -> &SObjectSelection {
        &self.selection
    }

    /// Sets the directory the bindings are written to. Defaults to `$OUT_DIR`, which cargo
    /// sets for build scripts; outside a build script it must be set.
    ///
    /// ```no_run
    /// sforce_codegen::Builder::new()
    ///     .wsdl("salesforce/partner.wsdl")
    ///     .out_dir("src/generated")
    ///     .generate()?; // src/generated/partner.rs
    /// # Ok::<(), sforce_codegen::Error>(())
    /// ```
    pub fn out_dir(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(path.as_ref().to_path_buf());
        self
    }

    /// Sets the path generated code uses to name the runtime crate (default `::sforce`),
    /// for crates that reach the runtime through a re-export.
    ///
    /// ```
    /// let mut builder = sforce_codegen::Builder::new();
    /// builder.runtime_path("::my_sdk::sforce");
    /// assert_eq!(builder.settings().runtime_path, "::my_sdk::sforce");
    /// ```
    pub fn runtime_path(&mut self, path: impl Into<String>) -> &mut Self {
        self.settings.runtime_path = path.into();
        self
    }

    /// Sets whether the blocking twin of the client (`blocking::Client`) is generated
    /// (default `true`).
    ///
    /// ```
    /// let mut builder = sforce_codegen::Builder::new();
    /// builder.blocking(false);
    /// assert!(!builder.settings().blocking);
    /// ```
    pub fn blocking(&mut self, blocking: bool) -> &mut Self {
        self.settings.blocking = blocking;
        self
    }

    /// Sets whether the types of the request body elements are generated (off by
    /// default; see [`Settings::request_types`]): for code that reads requests.
    pub fn request_types(&mut self, request_types: bool) -> &mut Self {
        self.settings.request_types = request_types;
        self
    }

    /// Generates only these operations of each WSDL (as the WSDL names them) and the
    /// types they reach (see [`Settings::operations`]); by default every operation.
    ///
    /// ```
    /// let mut builder = sforce_codegen::Builder::new();
    /// builder.operations(["query", "queryMore"]);
    /// assert_eq!(builder.settings().operations, ["query", "queryMore"]);
    /// ```
    pub fn operations<I, S>(&mut self, names: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings.operations = names.into_iter().map(Into::into).collect();
        self
    }

    /// Overrides the output file stem (default: the WSDL file's stem, so
    /// `partner.wsdl` → `partner.rs`). Only valid with a single WSDL. With describe
    /// dumps, the sObject structs go to `<name>_sobjects.rs` instead of `sobjects.rs`.
    ///
    /// ```no_run
    /// sforce_codegen::Builder::new()
    ///     .wsdl("salesforce/partner-v66.0.wsdl")
    ///     .module_name("partner")
    ///     .generate()?; // $OUT_DIR/partner.rs
    /// # Ok::<(), sforce_codegen::Error>(())
    /// ```
    pub fn module_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.module_name = Some(name.into());
        self
    }

    /// The settings the generator will run with.
    ///
    /// ```
    /// let mut builder = sforce_codegen::Builder::new();
    /// builder.blocking(false);
    /// assert_eq!(
    ///     builder.settings(),
    ///     &sforce_codegen::Settings { blocking: false, ..Default::default() }
    /// );
    /// ```
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The `cargo sforce generate` flags that select the same settings (and sObject
    /// selection: `--objects A,B`, `--depth N`), for reproducing a build script's output
    /// from the command line. Inputs (`--wsdl`, `--describe`) are not included.
    ///
    /// ```
    /// let mut builder = sforce_codegen::Builder::new();
    /// builder.runtime_path("::my_sdk::sforce").blocking(false);
    /// assert_eq!(
    ///     builder.command_line_flags(),
    ///     ["--runtime-path", "::my_sdk::sforce", "--no-blocking"]
    /// );
    /// ```
    pub fn command_line_flags(&self) -> Vec<String> {
        let defaults = Settings::default();
        let mut flags = Vec::new();
        if self.settings.runtime_path != defaults.runtime_path {
            flags.push("--runtime-path".to_owned());
            flags.push(self.settings.runtime_path.clone());
        }
        if !self.settings.blocking {
            flags.push("--no-blocking".to_owned());
        }
        if self.settings.request_types {
            flags.push("--request-types".to_owned());
        }
        if !self.selection.objects.is_empty() {
            flags.push("--objects".to_owned());
            flags.push(self.selection.objects.join(","));
        }
        if self.selection.depth != 0 {
            flags.push("--depth".to_owned());
            flags.push(self.selection.depth.to_string());
        }
        flags
    }

    /// Generates every WSDL's bindings, then the sObject structs when describe dumps were
    /// given, and returns the paths of the files, in the order the WSDLs were added
    /// (the sObject file last). Prints `cargo:rerun-if-changed=` for every input (each
    /// describe path as given, and each dump file in a directory) and
    /// `cargo:warning=` for every construct the reader skipped; a file is only rewritten
    /// when its contents change, so unchanged bindings do not trigger recompilation.
    ///
    /// Errors (no WSDL or dump, `OUT_DIR` unset, an unreadable or invalid WSDL or dump, an
    /// sObject the dumps do not describe, an unwritable output) are returned, never
    /// panicked on.
    ///
    /// ```no_run
    /// let files = sforce_codegen::Builder::new()
    ///     .wsdl("salesforce/partner.wsdl")
    ///     .generate()?;
    /// assert!(files[0].ends_with("partner.rs"));
    /// # Ok::<(), sforce_codegen::Error>(())
    /// ```
    pub fn generate(&self) -> Result<Vec<PathBuf>> {
        self.generate_to(&mut std::io::stdout().lock())
    }

    /// [`Builder::generate`], writing the `cargo:` lines to `cargo` instead of stdout (for
    /// tests, and for tools that drive the builder outside cargo).
    ///
    /// ```
    /// let mut cargo = Vec::new();
    /// let err = sforce_codegen::Builder::new().generate_to(&mut cargo).unwrap_err();
    /// assert!(err.to_string().contains("no WSDL"));
    /// ```
    pub fn generate_to(&self, cargo: &mut dyn Write) -> Result<Vec<PathBuf>> {
        self.generate_inner(cargo, |name| std::env::var_os(name))
    }

    fn generate_inner(
        &self,
        cargo: &mut dyn Write,
        env: impl Fn(&str) -> Option<OsString>,
    ) -> Result<Vec<PathBuf>> {
        if self.wsdls.is_empty() && self.describes.is_empty() {
            return Err(Error::Config(
                "no WSDL given: add one with Builder::wsdl(\"path/to/partner.wsdl\"), or describe \
                 dumps with Builder::describe(\"path/to/describe\")"
                    .to_owned(),
            ));
        }
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => env("OUT_DIR").map(PathBuf::from).ok_or_else(|| {
                Error::Config(
                    "OUT_DIR is not set: run the builder from a build script, where cargo sets \
                     it, or choose a directory with Builder::out_dir"
                        .to_owned(),
                )
            })?,
        };
        let stems = self.stems()?;
        let cargo_error = |source| Error::Io {
            path: PathBuf::from("<cargo output>"),
            source,
        };
        for wsdl in &self.wsdls {
            writeln!(cargo, "cargo:rerun-if-changed={}", wsdl.display()).map_err(cargo_error)?;
        }
        for path in &self.describes {
            writeln!(cargo, "cargo:rerun-if-changed={}", path.display()).map_err(cargo_error)?;
            if path.is_dir() {
                for file in describe::dump_files(path)? {
                    writeln!(cargo, "cargo:rerun-if-changed={}", file.display())
                        .map_err(cargo_error)?;
                }
            }
        }
        let mut written = Vec::with_capacity(self.wsdls.len());
        for (wsdl, stem) in self.wsdls.iter().zip(stems) {
            let (service, code) = generate_code(wsdl, &self.settings)?;
            for warning in &service.warnings {
                let line = warning.to_string().replace(['\r', '\n'], " ");
                writeln!(cargo, "cargo:warning={line}").map_err(cargo_error)?;
            }
            let path = out_dir.join(format!("{stem}.rs"));
            write_if_changed(&path, &code)?;
            written.push(path);
        }
        if let Some(stem) = self.sobjects_stem() {
            let schema = describe::load_all(&self.describes)?;
            for warning in schema.warnings() {
                let line = warning.replace(['\r', '\n'], " ");
                writeln!(cargo, "cargo:warning={line}").map_err(cargo_error)?;
            }
            let code = emit::generate_sobjects_source(&schema, &self.selection, &self.settings)?;
            let path = out_dir.join(format!("{stem}.rs"));
            write_if_changed(&path, &code)?;
            written.push(path);
        }
        Ok(written)
    }

    /// The output file stem of the sObject structs, when dumps were given.
    fn sobjects_stem(&self) -> Option<String> {
        if self.describes.is_empty() {
            return None;
        }
        Some(match &self.module_name {
            Some(name) => format!("{name}_sobjects"),
            None => "sobjects".to_owned(),
        })
    }

    /// The output file stem of each WSDL; checks `module_name` and duplicates.
    fn stems(&self) -> Result<Vec<String>> {
        let stems = match &self.module_name {
            Some(name) => {
                if self.wsdls.len() > 1 {
                    return Err(Error::Config(format!(
                        "module_name(\"{name}\") names one output file, but {} WSDLs were \
                         given; use one Builder per WSDL to rename several",
                        self.wsdls.len()
                    )));
                }
                if name.is_empty()
                    || name == "."
                    || name == ".."
                    || name.contains(['/', '\\'])
                    || name.ends_with(".rs")
                {
                    return Err(Error::Config(format!(
                        "module_name(\"{name}\") is not a file stem: give a plain name such as \
                         \"partner\" (the file becomes partner.rs)"
                    )));
                }
                vec![name.clone()]
            }
            None => self
                .wsdls
                .iter()
                .map(|wsdl| file_stem(wsdl))
                .collect::<Result<_>>()?,
        };
        if let Some(sobjects) = self.sobjects_stem() {
            let clash = stems
                .iter()
                .zip(&self.wsdls)
                .find(|(stem, _)| **stem == sobjects);
            if let Some((_, wsdl)) = clash {
                return Err(Error::Config(format!(
                    "{} and the sObject structs of the describe dumps would both be written to \
                     {sobjects}.rs; rename the WSDL output with module_name",
                    wsdl.display()
                )));
            }
        }
        for (i, stem) in stems.iter().enumerate() {
            if let Some(j) = stems[..i].iter().position(|s| s == stem) {
                return Err(Error::Config(format!(
                    "{} and {} would both be written to {stem}.rs; give them different file \
                     names, or generate them with separate Builders and module_name",
                    self.wsdls[j].display(),
                    self.wsdls[i].display()
                )));
            }
        }
        Ok(stems)
    }
}

/// Reads the WSDL at `wsdl` and writes its bindings, generated with the default
/// [`Settings`], to the file `out` (created with its parent directories; rewritten only
/// when its contents change). Returns `true` when the file was written.
///
/// Meant for scripts and tests that keep generated bindings under version control; a
/// `build.rs` should use [`Builder`], which also prints the `cargo:` lines.
///
/// ```no_run
/// let changed = sforce_codegen::write_file("salesforce/partner.wsdl", "src/partner.rs")?;
/// if changed {
///     println!("src/partner.rs updated");
/// }
/// # Ok::<(), sforce_codegen::Error>(())
/// ```
pub fn write_file(wsdl: impl AsRef<Path>, out: impl AsRef<Path>) -> Result<bool> {
    let (_, code) = generate_code(wsdl.as_ref(), &Settings::default())?;
    write_if_changed(out.as_ref(), &code)
}

/// Reads the describe dumps at `dumps` (a dump file, or a directory of them; see
/// [`describe::load`]) and writes the sObject structs `selection` picks, generated with the
/// default [`Settings`] ([`emit::generate_sobjects_source`]), to the file `out` (created with its
/// parent directories; rewritten only when its contents change). Returns `true` when the
/// file was written.
///
/// The `cargo sforce generate --describe DIR --objects A,B --depth N` entry point; a
/// `build.rs` should use [`Builder::describe`], which also prints the `cargo:` lines.
///
/// ```no_run
/// let selection = sforce_codegen::SObjectSelection {
///     objects: vec!["Account".into(), "Contact".into()],
///     depth: 0,
/// };
/// sforce_codegen::write_sobjects_file("salesforce/describe", &selection, "src/sobjects.rs")?;
/// # Ok::<(), sforce_codegen::Error>(())
/// ```
pub fn write_sobjects_file(
    dumps: impl AsRef<Path>,
    selection: &SObjectSelection,
    out: impl AsRef<Path>,
) -> Result<bool> {
    let code = generate_sobjects_code(&[dumps.as_ref()], selection, &Settings::default())?;
    write_if_changed(out.as_ref(), &code)
}

/// Loads the dumps at `paths` and emits the selected sObject structs as formatted source.
pub(crate) fn generate_sobjects_code<P: AsRef<Path>>(
    paths: &[P],
    selection: &SObjectSelection,
    settings: &Settings,
) -> Result<String> {
    let schema = describe::load_all(paths)?;
    emit::generate_sobjects_source(&schema, selection, settings)
}

/// Parses the WSDL at `wsdl` and emits its bindings as formatted source.
pub(crate) fn generate_code(wsdl: &Path, settings: &Settings) -> Result<(Service, String)> {
    let service = wsdl::parse_file(wsdl)?;
    let code = emit::generate_source(&service, settings)?;
    Ok((service, code))
}

/// The default output stem of a WSDL path: its file name without the last extension.
pub fn file_stem(wsdl: &Path) -> Result<String> {
    wsdl.file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| {
            Error::Config(format!(
                "cannot name the output after {}: the file name is empty or not UTF-8; \
                 set the name explicitly",
                wsdl.display()
            ))
        })
}

/// Writes `contents` to `path` unless the file already holds exactly that; creates missing
/// parent directories. Returns `true` when the file was written.
pub fn write_if_changed(path: &Path, contents: &str) -> Result<bool> {
    match std::fs::read(path) {
        Ok(existing) if existing == contents.as_bytes() => return Ok(false),
        _ => {}
    }
    let io_error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io_error)?;
    }
    std::fs::write(path, contents).map_err(io_error)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_out_dir_is_an_error_not_a_panic() {
        let mut builder = Builder::new();
        builder.wsdl("partner.wsdl");
        let err = builder
            .generate_inner(&mut Vec::new(), |_| None)
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert!(err.to_string().starts_with("OUT_DIR is not set"), "{err}");
    }

    #[test]
    fn out_dir_comes_from_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let mut builder = Builder::new();
        builder.wsdl(dir.path().join("missing.wsdl"));
        let out = dir.path().as_os_str().to_owned();
        let mut cargo = Vec::new();
        // The WSDL does not exist, so this fails after resolving OUT_DIR and printing the
        // rerun line: proof that the environment was consulted.
        let err = builder
            .generate_inner(&mut cargo, |name| (name == "OUT_DIR").then(|| out.clone()))
            .unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err:?}");
        let cargo = String::from_utf8(cargo).unwrap();
        assert!(cargo.starts_with("cargo:rerun-if-changed="), "{cargo}");
    }

    #[test]
    fn stems() {
        let mut builder = Builder::new();
        builder.wsdl("a/partner.wsdl").wsdl("b/apex-v66.0.wsdl");
        assert_eq!(builder.stems().unwrap(), ["partner", "apex-v66.0"]);
        builder.wsdl("c/partner.wsdl");
        let err = builder.stems().unwrap_err().to_string();
        assert!(err.contains("a/partner.wsdl and c/partner.wsdl"), "{err}");

        let mut builder = Builder::new();
        builder.wsdl("a.wsdl").module_name("x/y");
        assert!(builder.stems().is_err());
        builder.module_name("renamed");
        assert_eq!(builder.stems().unwrap(), ["renamed"]);
        builder.wsdl("b.wsdl");
        assert!(builder.stems().is_err());
    }

    #[test]
    fn write_if_changed_skips_identical_contents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/dir/x.rs");
        assert!(write_if_changed(&path, "a").unwrap());
        assert!(!write_if_changed(&path, "a").unwrap());
        assert!(write_if_changed(&path, "b").unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "b");
    }
}
