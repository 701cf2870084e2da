//! `cargo sforce`: argument structs and [`run`], kept out of `main` so they can be tested
//! without spawning a process.
//!
//! Exit codes of the binary: `0` success, `1` error (printed as `error: …` with its causes)
//! or bad arguments, `2` when `decode` read a SOAP fault (the fault is still printed as JSON
//! on stdout).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::builder::{file_stem, generate_code, write_if_changed};
use crate::model::Service;
use crate::{decode, wsdl, Error, Result, Settings};

/// Examples shown under `cargo sforce --help`.
const EXAMPLES: &str = "\
Examples:
  cargo sforce generate --wsdl partner.wsdl --out src/partner.rs
  cargo sforce generate --wsdl partner.wsdl --out src/partner.rs --check
  cargo sforce decode --wsdl partner.wsdl captured-response.xml";

/// The command line as cargo passes it: `cargo-sforce sforce <command> …`.
#[derive(Debug, Parser)]
#[command(name = "cargo", bin_name = "cargo")]
pub enum Cargo {
    /// Typed Rust bindings for the Salesforce SOAP API: generate them from a WSDL, and read
    /// captured SOAP responses with a WSDL's schema.
    #[command(version, after_help = EXAMPLES)]
    Sforce(SforceArgs),
}

/// `cargo sforce` and its subcommands.
#[derive(Debug, Args)]
pub struct SforceArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands of `cargo sforce`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate the Rust bindings for one WSDL into a file (or stdout)
    Generate(GenerateArgs),
    /// Print a captured SOAP response envelope as typed JSON, read with a WSDL's schema
    ///
    /// The output is `{"headers": {…}, "body": {"<element>": …}}` with keys in document
    /// order, or `{"fault": {"faultcode", "faultstring", "detail": {"@type", …}}}` for a SOAP
    /// fault. Elements the schema does not know are kept (as strings or objects) with a
    /// warning on stderr.
    ///
    /// Exits with 2 when the envelope is a SOAP fault (the fault is still printed), with 1
    /// on errors (not XML, not an envelope, a body element the WSDL does not define).
    Decode(DecodeArgs),
}

/// `cargo sforce generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The WSDL file to read (partner, enterprise, apex, metadata, tooling, …)
    #[arg(long, value_name = "PATH")]
    pub wsdl: PathBuf,
    /// Where to write the bindings: a `.rs` file, or a directory for `<DIR>/<wsdl stem>.rs`
    ///
    /// A path ending in `/` or naming an existing directory is a directory. Parent
    /// directories are created; the file is only rewritten when its contents change.
    /// Without --out the bindings go to stdout and the summary to stderr.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Write nothing; fail when the file at --out is missing or stale (for CI)
    ///
    /// Exits with 1 and names the command that regenerates the file when it differs from
    /// what the WSDL generates with these settings.
    #[arg(long, requires = "out")]
    pub check: bool,
    /// Generator settings.
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// The [`Settings`] as flags; the same struct the `build.rs` [`crate::Builder`] fills in.
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
}

impl SettingsArgs {
    /// The settings these flags select.
    pub fn settings(&self) -> Settings {
        Settings {
            runtime_path: self.runtime_path.clone(),
            blocking: !self.no_blocking,
        }
    }
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

/// How a successful run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Done; exit code 0.
    Success,
    /// `decode` read (and printed) a SOAP fault; exit code 2.
    Fault,
}

impl Status {
    /// The process exit code for this status.
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Success => 0,
            Status::Fault => 2,
        }
    }
}

/// Runs the command, printing to the process's stdout and stderr.
pub fn run(args: Cargo) -> Result<Status> {
    run_with(
        args,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    )
}

/// Runs the command, printing results to `stdout` and warnings and notes to `stderr`.
pub fn run_with(args: Cargo, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Result<Status> {
    let Cargo::Sforce(args) = args;
    match args.command {
        Command::Generate(args) => generate(&args, stdout, stderr),
        Command::Decode(args) => decode(&args, stdout, stderr),
    }
}

/// Prints clap's message for arguments that did not parse (or `--help`/`--version`) and
/// returns the exit code: 0 for help and version, 1 for bad arguments (2 is kept for faults).
pub fn usage_exit(usage: clap::Error) -> std::process::ExitCode {
    // Nothing sensible is left to do when the terminal itself fails.
    let _ = usage.print();
    std::process::ExitCode::from(if usage.use_stderr() { 1 } else { 0 })
}

/// Prints `error: <err>` and each cause (skipping causes the message already shows).
pub fn report_error(err: &dyn std::error::Error, stderr: &mut dyn Write) {
    let mut shown = err.to_string();
    let mut text = format!("error: {shown}\n");
    let mut cause = err.source();
    while let Some(source) = cause {
        let line = source.to_string();
        if !shown.contains(&line) {
            text.push_str(&format!("  caused by: {line}\n"));
            shown.push_str(&line);
        }
        cause = source.source();
    }
    // Nothing sensible is left to do when stderr itself fails.
    let _ = stderr.write_all(text.as_bytes());
}

fn out_error(stream: &str) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: PathBuf::from(stream),
        source,
    }
}

fn generate(args: &GenerateArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Result<Status> {
    let settings = args.settings.settings();
    let (service, code) = generate_code(&args.wsdl, &settings)?;
    let err = out_error("<stderr>");
    for warning in &service.warnings {
        writeln!(stderr, "warning: {warning}").map_err(&err)?;
    }
    let Some(out) = &args.out else {
        stdout
            .write_all(code.as_bytes())
            .map_err(out_error("<stdout>"))?;
        let summary = summary(&service, &code, &settings, &args.wsdl, None);
        stderr.write_all(summary.as_bytes()).map_err(&err)?;
        return Ok(Status::Success);
    };
    let path = output_path(out, &args.wsdl)?;
    let out_err = out_error("<stdout>");
    if args.check {
        let rerun = rerun_command(args, &path);
        let existing = match std::fs::read(&path) {
            Ok(existing) => existing,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Config(format!(
                    "{} does not exist; generate it with `{rerun}`",
                    path.display()
                )))
            }
            Err(source) => return Err(Error::Io { path, source }),
        };
        if existing != code.as_bytes() {
            return Err(Error::Config(format!(
                "{} is stale: it differs from what {} generates; regenerate it with `{rerun}`",
                path.display(),
                args.wsdl.display()
            )));
        }
        writeln!(
            stdout,
            "{} is up to date with {}",
            path.display(),
            args.wsdl.display()
        )
        .map_err(&out_err)?;
        return Ok(Status::Success);
    }
    let written = write_if_changed(&path, &code)?;
    let summary = summary(
        &service,
        &code,
        &settings,
        &args.wsdl,
        Some((&path, written)),
    );
    stdout.write_all(summary.as_bytes()).map_err(&out_err)?;
    Ok(Status::Success)
}

/// `--out` as given, or `<dir>/<stem>.rs` when it is a directory.
fn output_path(out: &Path, wsdl: &Path) -> Result<PathBuf> {
    let names_dir = out.as_os_str().to_string_lossy().ends_with(['/', '\\']);
    if out.is_dir() || names_dir {
        Ok(out.join(format!("{}.rs", file_stem(wsdl)?)))
    } else {
        Ok(out.to_path_buf())
    }
}

/// The command that regenerates `path` with the same settings.
fn rerun_command(args: &GenerateArgs, path: &Path) -> String {
    let mut command = format!(
        "cargo sforce generate --wsdl {} --out {}",
        args.wsdl.display(),
        path.display()
    );
    let defaults = Settings::default();
    if args.settings.runtime_path != defaults.runtime_path {
        command.push_str(&format!(" --runtime-path {}", args.settings.runtime_path));
    }
    if args.settings.no_blocking {
        command.push_str(" --no-blocking");
    }
    command
}

/// The human summary of a `generate` run.
fn summary(
    service: &Service,
    code: &str,
    settings: &Settings,
    wsdl: &Path,
    written: Option<(&Path, bool)>,
) -> String {
    let mut s = String::new();
    match written {
        Some((path, true)) => s.push_str(&format!("Wrote {}", path.display())),
        Some((path, false)) => s.push_str(&format!("Unchanged {}", path.display())),
        None => s.push_str("Generated bindings"),
    }
    s.push_str(&format!(" from {}\n", wsdl.display()));
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
    s.push_str(&format!(
        "  output      {} lines, {}; runtime {}, blocking client {}\n",
        thousands(code.lines().count()),
        size(code.len()),
        settings.runtime_path,
        if settings.blocking { "yes" } else { "no" }
    ));
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

/// `60436` → `60,436`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
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

fn decode(args: &DecodeArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Result<Status> {
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
    let err = out_error("<stderr>");
    for warning in &decoded.warnings {
        writeln!(stderr, "warning: {warning}").map_err(&err)?;
    }
    writeln!(stdout, "{}", decoded.json).map_err(out_error("<stdout>"))?;
    Ok(if decoded.fault {
        Status::Fault
    } else {
        Status::Success
    })
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
        let wsdl = Path::new("fixtures/partner-v66.0.wsdl");
        assert_eq!(
            output_path(dir.path(), wsdl).unwrap(),
            dir.path().join("partner-v66.0.rs")
        );
        assert_eq!(
            output_path(Path::new("new/dir/"), wsdl).unwrap(),
            Path::new("new/dir/partner-v66.0.rs")
        );
        assert_eq!(
            output_path(Path::new("x/p.rs"), wsdl).unwrap(),
            Path::new("x/p.rs")
        );
    }
}
