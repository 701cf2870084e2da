//! `cargo sforce generate`: WSDL bindings, or sObject structs from describe dumps, into a
//! file or stdout; `--check` for CI.

use std::path::{Path, PathBuf};

use clap::Args;
use sforce_codegen::model::Service;
use sforce_codegen::{describe, emit, wsdl, SObjectSelection, Settings};

use crate::{stream_error, write_if_changed, Context, Error, Result, Status};

/// `cargo sforce generate`: from a WSDL (`--wsdl`) or from describe dumps (`--describe`).
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["wsdl", "describe"])))]
pub struct GenerateArgs {
    /// The WSDL file to read (partner, enterprise, apex, metadata, tooling, …)
    #[arg(long, value_name = "PATH", conflicts_with = "describe")]
    pub wsdl: Option<PathBuf>,
    /// Where to write the bindings: a `.rs` file, or a directory for `<DIR>/<wsdl stem>.rs`
    ///
    /// A path ending in `/` or naming an existing directory is a directory (sObject structs
    /// go to `<DIR>/sobjects.rs`). Parent directories are created; the file is only
    /// rewritten when its contents change. Without --out the bindings go to stdout and the
    /// summary to stderr.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Write nothing; fail when the file at --out is missing or stale (for CI)
    ///
    /// Exits with 1 and names the command that regenerates the file when it differs from
    /// what the WSDL (or the describe dumps) generate with these settings.
    #[arg(long, requires = "out")]
    pub check: bool,
    /// sObject structs instead of WSDL bindings: a describe dump file or a directory of
    /// them; repeatable
    ///
    /// Dumps are what `cargo sforce describe` writes (`<Name>.xml`) or REST describe JSON
    /// (`/sobjects/X/describe`, `sf sobject describe --json`).
    #[arg(long, value_name = "PATH")]
    pub describe: Vec<PathBuf>,
    /// The sObjects to generate structs for, comma-separated (default: every dumped one)
    #[arg(
        long,
        value_name = "NAMES",
        value_delimiter = ',',
        conflicts_with = "wsdl"
    )]
    pub objects: Vec<String>,
    /// Also generate the sObjects the listed ones reference, this many relationship levels
    /// deep
    ///
    /// 0 generates only the listed objects; relationships to objects that are not generated
    /// are dynamic `SObject`s.
    #[arg(long, value_name = "N", default_value_t = 0, conflicts_with = "wsdl")]
    pub depth: u32,
    /// Generator settings.
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// The [`Settings`] as flags; the same struct the `build.rs` [`sforce_codegen::Builder`]
/// fills in.
#[derive(Debug, Clone, Args)]
pub struct SettingsArgs {
    /// Path by which generated code names the runtime crate
    ///
    /// Set it when the runtime is reached through a re-export, e.g. `::my_sdk::sforce`.
    #[arg(long, value_name = "PATH", default_value_t = Settings::default().runtime_path)]
    pub runtime_path: String,
    /// Leave out the blocking client (`blocking::Client`); only the async one is generated
    #[arg(long)]
    pub no_blocking: bool,
    /// Also generate the request body types (`Create`, `Login`, …), for code that reads
    /// requests (a server, a test double); a client does not need them
    #[arg(long)]
    pub request_types: bool,
    /// Generate only these operations (comma-separated, as the WSDL names them) and the
    /// types they reach; what keeps bindings of a large WSDL small
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub operations: Vec<String>,
}

/// The names of a comma-separated flag, trimmed, empty ones dropped.
fn listed(names: &[String]) -> Vec<String> {
    names
        .iter()
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .collect()
}

impl GenerateArgs {
    /// The sObject selection `--objects` and `--depth` choose (the same struct the
    /// [`sforce_codegen::Builder`] fills in with `sobjects` and `depth`).
    pub fn selection(&self) -> SObjectSelection {
        SObjectSelection {
            objects: listed(&self.objects),
            depth: self.depth,
        }
    }
}

impl SettingsArgs {
    /// The settings these flags select.
    pub fn settings(&self) -> Settings {
        Settings {
            runtime_path: self.runtime_path.clone(),
            blocking: !self.no_blocking,
            request_types: self.request_types,
            operations: listed(&self.operations),
        }
    }
}

/// What one `generate` run produced: the code, the input it came from, and the lines of the
/// human summary that describe it.
struct Generated {
    code: String,
    /// `partner.wsdl`, or the describe paths.
    source: String,
    /// The output file stem when `--out` is a directory.
    stem: String,
    warnings: Vec<String>,
    /// Summary lines after the first (indented, each ending in `\n`).
    details: String,
}

/// Runs `generate`.
pub fn run(args: &GenerateArgs, context: &mut Context<'_>) -> Result<Status> {
    let settings = args.settings.settings();
    let generated = match &args.wsdl {
        Some(wsdl) => generate_wsdl(wsdl, &settings)?,
        None => generate_sobjects(args, &settings)?,
    };
    let err = stream_error("<stderr>");
    for warning in &generated.warnings {
        writeln!(context.stderr, "warning: {warning}").map_err(&err)?;
    }
    let Some(out) = &args.out else {
        context
            .stdout
            .write_all(generated.code.as_bytes())
            .map_err(stream_error("<stdout>"))?;
        let summary = format!(
            "Generated bindings from {}\n{}",
            generated.source, generated.details
        );
        context.stderr.write_all(summary.as_bytes()).map_err(&err)?;
        return Ok(Status::Success);
    };
    let path = output_path(out, &generated.stem);
    let out_err = stream_error("<stdout>");
    if args.check {
        let rerun = rerun_command(args, &path);
        let existing = match std::fs::read(&path) {
            Ok(existing) => existing,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Stale(format!(
                    "{} does not exist; generate it with `{rerun}`",
                    path.display()
                )))
            }
            Err(source) => return Err(Error::Io { path, source }),
        };
        if existing != generated.code.as_bytes() {
            return Err(Error::Stale(format!(
                "{} is stale: it differs from what {} generates; regenerate it with `{rerun}`",
                path.display(),
                generated.source
            )));
        }
        writeln!(
            context.stdout,
            "{} is up to date with {}",
            path.display(),
            generated.source
        )
        .map_err(&out_err)?;
        return Ok(Status::Success);
    }
    let written = write_if_changed(&path, &generated.code)?;
    let verb = if written { "Wrote" } else { "Unchanged" };
    let summary = format!(
        "{verb} {} from {}\n{}",
        path.display(),
        generated.source,
        generated.details
    );
    context
        .stdout
        .write_all(summary.as_bytes())
        .map_err(&out_err)?;
    Ok(Status::Success)
}

/// Bindings for one WSDL.
fn generate_wsdl(wsdl: &Path, settings: &Settings) -> Result<Generated> {
    let mut service = wsdl::parse_file(wsdl)?;
    // The summary counts what is generated: only the operations asked for.
    if !settings.operations.is_empty() {
        service.retain_operations(&settings.operations)?;
    }
    let code = emit::generate_source(&service, settings)?;
    Ok(Generated {
        details: wsdl_details(&service, &code, settings),
        source: wsdl.display().to_string(),
        stem: file_stem(wsdl)?,
        warnings: service.warnings.iter().map(|w| w.to_string()).collect(),
        code,
    })
}

/// sObject structs from describe dumps.
fn generate_sobjects(args: &GenerateArgs, settings: &Settings) -> Result<Generated> {
    let schema = describe::load_all(&args.describe)?;
    let code = emit::generate_sobjects_source(&schema, &args.selection(), settings)?;
    let source = describe_sources(&args.describe);
    Ok(Generated {
        details: sobject_details(schema.len(), &source, &code, settings),
        source: format!("the describe dumps in {source}"),
        stem: "sobjects".to_owned(),
        warnings: schema.warnings(),
        code,
    })
}

/// The summary lines of sObject structs, after the first.
fn sobject_details(described: usize, source: &str, code: &str, settings: &Settings) -> String {
    const SHOWN: usize = 8;
    let structs: Vec<&str> = code
        .lines()
        .filter(|line| line.starts_with("#["))
        .filter_map(|line| line.split_once("sobject(name = \"")?.1.split('"').next())
        .collect();
    let picklists = code
        .lines()
        .filter(|line| line.ends_with("__private::picklist! {"))
        .count();
    let mut names = structs
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if structs.len() > SHOWN {
        names.push_str(&format!(", … and {} more", structs.len() - SHOWN));
    }
    let mut s = format!("  dumps       {described} sObjects described in {source}\n");
    s.push_str(&format!("  structs     {} ({names})\n", structs.len()));
    s.push_str(&format!("  picklists   {picklists} enums\n"));
    s.push_str(&format!(
        "  output      {} lines, {}; runtime {}\n",
        thousands(code.lines().count()),
        size(code.len()),
        settings.runtime_path
    ));
    s
}

/// The describe paths, comma-separated, for messages.
fn describe_sources(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The default output stem of a WSDL path: its file name without the last extension.
fn file_stem(wsdl: &Path) -> Result<String> {
    Ok(sforce_codegen::builder::file_stem(wsdl)?)
}

/// `--out` as given, or `<dir>/<stem>.rs` when it is a directory.
fn output_path(out: &Path, stem: &str) -> PathBuf {
    let names_dir = out.as_os_str().to_string_lossy().ends_with(['/', '\\']);
    if out.is_dir() || names_dir {
        out.join(format!("{stem}.rs"))
    } else {
        out.to_path_buf()
    }
}

/// The command that regenerates `path` with the same inputs and settings.
fn rerun_command(args: &GenerateArgs, path: &Path) -> String {
    let mut command = "cargo sforce generate".to_owned();
    if let Some(wsdl) = &args.wsdl {
        command.push_str(&format!(" --wsdl {}", wsdl.display()));
    }
    for describe in &args.describe {
        command.push_str(&format!(" --describe {}", describe.display()));
    }
    if !args.objects.is_empty() {
        command.push_str(&format!(" --objects {}", args.objects.join(",")));
    }
    if args.depth != 0 {
        command.push_str(&format!(" --depth {}", args.depth));
    }
    command.push_str(&format!(" --out {}", path.display()));
    let defaults = Settings::default();
    if args.settings.runtime_path != defaults.runtime_path {
        command.push_str(&format!(" --runtime-path {}", args.settings.runtime_path));
    }
    if args.settings.no_blocking {
        command.push_str(" --no-blocking");
    }
    if args.settings.request_types {
        command.push_str(" --request-types");
    }
    if !args.settings.operations.is_empty() {
        command.push_str(&format!(
            " --operations {}",
            args.settings.operations.join(",")
        ));
    }
    command
}

/// The summary lines of WSDL bindings, after the first.
fn wsdl_details(service: &Service, code: &str, settings: &Settings) -> String {
    let mut s = String::new();
    let api = service
        .api_version
        .as_deref()
        .map(|v| format!(", API {v}"))
        .unwrap_or_default();
    s.push_str(&format!(
        "  service     {}{api} ({})\n",
        service.name, service.target_namespace
    ));
    let enums = service
        .simple_types
        .values()
        .filter(|t| !t.enumeration.is_empty())
        .count();
    let derived = service
        .complex_types
        .values()
        .filter(|t| t.base.is_some())
        .count();
    s.push_str(&format!(
        "  types       {} complex ({derived} extending a base), {} simple ({enums} enumerations)\n",
        service.complex_types.len(),
        service.simple_types.len()
    ));
    s.push_str(&format!(
        "  operations  {}, {} SOAP headers\n",
        service.operations.len(),
        service.headers.len()
    ));
    s.push_str(&output_line(code, settings));
    s.push_str(&format!("  warnings    {}\n", service.warnings.len()));
    let signatures = example_signatures(code, &settings.runtime_path, 3);
    if !signatures.is_empty() {
        s.push_str("\nFor example (impl Client):\n");
        for signature in signatures {
            s.push_str(&format!("  {signature}\n"));
        }
    }
    s
}

/// `  output      60,436 lines, 2.5 MiB; runtime ::sforce, blocking client yes`.
fn output_line(code: &str, settings: &Settings) -> String {
    format!(
        "  output      {} lines, {}; runtime {}, blocking client {}\n",
        thousands(code.lines().count()),
        size(code.len()),
        settings.runtime_path,
        if settings.blocking { "yes" } else { "no" }
    )
}

/// `60436` → `60,436`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A byte count for humans: `812 B`, `26 KiB`, `2.5 MiB`.
fn size(bytes: usize) -> String {
    const KIB: usize = 1024;
    if bytes < KIB {
        format!("{bytes} B")
    } else if bytes < KIB * KIB {
        format!("{} KiB", bytes.div_ceil(KIB))
    } else {
        // Tenths of a MiB, rounded, in integers (no float casts).
        let tenths = (bytes * 10 + KIB * KIB / 2) / (KIB * KIB);
        format!("{}.{} MiB", tenths / 10, tenths % 10)
    }
}

/// Up to `max` async method signatures of the top-level `impl Client`, preferring the
/// everyday calls, with the runtime's `__private` path shortened away.
fn example_signatures(code: &str, runtime_path: &str, max: usize) -> Vec<String> {
    let mut signatures: Vec<(String, String)> = Vec::new();
    let mut in_client = false;
    let mut current: Option<String> = None;
    for line in code.lines() {
        if !in_client {
            in_client = line == "impl Client {";
            continue;
        }
        if line == "}" {
            break;
        }
        if let Some(sig) = &mut current {
            sig.push(' ');
            sig.push_str(line.trim());
        } else if line.starts_with("    pub async fn ") {
            current = Some(line.trim().to_owned());
        }
        if let Some(sig) = current.take_if(|sig| sig.ends_with('{') || sig.ends_with(';')) {
            let sig = tidy_signature(&sig, runtime_path);
            let name = sig["pub async fn ".len()..]
                .split(['(', '<'])
                .next()
                .unwrap_or_default()
                .to_owned();
            if !name.ends_with("_with") {
                signatures.push((name, sig));
            }
        }
    }
    let mut chosen: Vec<String> = Vec::new();
    for preferred in ["login", "query", "create"] {
        if let Some((_, sig)) = signatures.iter().find(|(name, _)| name == preferred) {
            chosen.push(sig.clone());
        }
    }
    for (_, sig) in &signatures {
        if chosen.len() >= max {
            break;
        }
        if !chosen.contains(sig) {
            chosen.push(sig.clone());
        }
    }
    chosen.truncate(max);
    chosen
}

/// One line, no body brace, no trailing commas, short paths.
fn tidy_signature(sig: &str, runtime_path: &str) -> String {
    let sig = sig.trim_end_matches(['{', ';']).trim_end();
    let sig = sig
        .replace("( ", "(")
        .replace(", )", ")")
        .replace(",)", ")");
    let private = format!("{}::__private::", runtime_path.trim());
    sig.replace(&private, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_collected_and_tidied() {
        let code = "\
pub struct Client;
impl Client {
    pub fn new() -> Self {
        Client
    }
    pub async fn describe_global(&self) -> Result<::sforce::__private::X, ::sforce::__private::Error> {
        todo
    }
    pub async fn query(
        &self,
        query_string: &str,
    ) -> Result<QueryResult, ::sforce::__private::Error> {
        todo
    }
    pub async fn query_with(&self) {
    }
}
pub mod blocking {
    impl Client {
        pub fn query(&self) {}
    }
}
";
        assert_eq!(
            example_signatures(code, "::sforce", 3),
            [
                "pub async fn query(&self, query_string: &str) -> Result<QueryResult, Error>",
                "pub async fn describe_global(&self) -> Result<X, Error>",
            ]
        );
    }

    #[test]
    fn human_numbers() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(60436), "60,436");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(size(812), "812 B");
        assert_eq!(size(26_418), "26 KiB");
        assert_eq!(size(2_584_000), "2.5 MiB");
    }

    #[test]
    fn output_paths() {
        let dir = tempfile::tempdir().unwrap();
        let stem = file_stem(Path::new("fixtures/partner-v66.0.wsdl")).unwrap();
        assert_eq!(stem, "partner-v66.0");
        assert_eq!(
            output_path(dir.path(), &stem),
            dir.path().join("partner-v66.0.rs")
        );
        assert_eq!(
            output_path(Path::new("new/dir/"), &stem),
            Path::new("new/dir/partner-v66.0.rs")
        );
        assert_eq!(output_path(Path::new("x/p.rs"), &stem), Path::new("x/p.rs"));
        assert!(file_stem(Path::new("/")).is_err());
    }
}
