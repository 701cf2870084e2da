//! `sforce-cli`: the `cargo sforce` subcommand (binary `cargo-sforce`).
//!
//! ```sh
//! cargo install --path cli          # or, inside this workspace, the `cargo sforce` alias
//! cargo sforce generate --wsdl partner.wsdl --out src/partner.rs
//! cargo sforce describe --objects Account,Contact --out describe
//! cargo sforce generate --describe describe --objects Account,Contact --out src/sobjects.rs
//! cargo sforce decode --wsdl partner.wsdl captured-response.xml
//! ```
//!
//! # Why a crate of its own
//!
//! The binary used to live in `sforce-codegen` behind a feature. It cannot stay there: the
//! runtime `sforce` depends on `sforce-macros`, which depends on `sforce-codegen` (the macro
//! logic lives there), so `sforce-codegen` cannot depend on `sforce` — cargo rejects the
//! cycle. But `cargo sforce describe` talks to an org and needs the runtime's
//! [`Connection`](sforce::Connection) and the generated partner client. This crate depends
//! on both, like `sqlx-cli` sits beside `sqlx`; nothing depends on it.
//!
//! The commands are library functions ([`run`], [`run_with`]) so that tests drive them
//! without spawning a process; `src/main.rs` only parses arguments and sets the exit code.
//!
//! # Exit codes
//!
//! `0` success; `1` an error, bad arguments, or a `--check` that found missing or stale
//! files (printed as `error: …` with its causes); `2` when `decode` read a SOAP fault (the
//! fault is still printed as JSON on stdout).

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub mod decode;
pub mod describe;
pub mod dump;
pub mod error;
pub mod generate;
pub mod progress;

pub use error::{Error, Result};

/// Examples and exit codes shown under `cargo sforce --help`.
const EXAMPLES: &str = "\
Examples:
  cargo sforce generate --wsdl partner.wsdl --out src/partner.rs
  cargo sforce generate --wsdl partner.wsdl --out src/partner.rs --check
  cargo sforce describe --objects Account,Contact --out describe
  cargo sforce describe --objects Account,Contact --out describe --check
  cargo sforce generate --describe describe --objects Account,Contact --out src/sobjects.rs
  cargo sforce decode --wsdl partner.wsdl captured-response.xml

Exit codes:
  0  success
  1  an error, bad arguments, or a --check that found missing or stale files
  2  decode read a SOAP fault (printed as JSON)";

/// The command line as cargo passes it: `cargo-sforce sforce <command> …`.
#[derive(Debug, Parser)]
#[command(name = "cargo", bin_name = "cargo")]
pub enum Cargo {
    /// Typed Rust bindings for the Salesforce SOAP API: generate them from a WSDL or from an
    /// org's describe data, dump that describe data, and read captured SOAP responses.
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
    /// Generate the Rust bindings for one WSDL, or sObject structs from describe dumps, into
    /// a file (or stdout)
    Generate(generate::GenerateArgs),
    /// Log in to an org and write one describe dump per sObject (or check the dumps)
    #[command(long_about = describe::LONG_ABOUT, after_help = describe::AFTER_HELP)]
    Describe(describe::DescribeArgs),
    /// Print a captured SOAP response envelope as typed JSON, read with a WSDL's schema
    ///
    /// The output is `{"headers": {…}, "body": {"<element>": …}}` with keys in document
    /// order, or `{"fault": {"faultcode", "faultstring", "detail": {"@type", …}}}` for a SOAP
    /// fault. Elements the schema does not know are kept (as strings or objects) with a
    /// warning on stderr.
    ///
    /// Exits with 2 when the envelope is a SOAP fault (the fault is still printed), with 1
    /// on errors (not XML, not an envelope, a body element the WSDL does not define).
    Decode(decode::DecodeArgs),
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

/// Where a command reads its environment and writes its output.
pub struct Context<'a> {
    /// Results (written files, JSON, summaries).
    pub stdout: &'a mut dyn Write,
    /// Warnings, notes and progress.
    pub stderr: &'a mut dyn Write,
    /// Whether stderr is a terminal: progress is then one redrawn bar instead of lines.
    pub stderr_is_terminal: bool,
    /// Reads an environment variable (`SFORCE_USERNAME`, …).
    pub env: &'a dyn Fn(&str) -> Option<String>,
}

/// The process environment, for [`Context::env`]; variables that are not UTF-8 count as unset.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Runs the command, printing to the process's stdout and stderr, reading the process
/// environment; progress is a bar when stderr is a terminal.
pub fn run(args: Cargo) -> Result<Status> {
    use std::io::IsTerminal;
    let stderr = std::io::stderr();
    let stderr_is_terminal = stderr.is_terminal();
    run_in(
        args,
        &mut Context {
            stdout: &mut std::io::stdout().lock(),
            stderr: &mut stderr.lock(),
            stderr_is_terminal,
            env: &process_env,
        },
    )
}

/// Runs the command, printing results to `stdout` and warnings, notes and progress lines
/// to `stderr`, reading the process environment.
pub fn run_with(args: Cargo, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Result<Status> {
    run_in(
        args,
        &mut Context {
            stdout,
            stderr,
            stderr_is_terminal: false,
            env: &process_env,
        },
    )
}

/// Runs the command in `context`.
pub fn run_in(args: Cargo, context: &mut Context<'_>) -> Result<Status> {
    let Cargo::Sforce(args) = args;
    match args.command {
        Command::Generate(args) => generate::run(&args, context),
        Command::Describe(args) => describe::run(&args, context),
        Command::Decode(args) => decode::run(&args, context),
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

/// Maps an I/O error on a standard stream (`<stdout>`, `<stderr>`) to [`Error::Io`].
pub(crate) fn stream_error(stream: &str) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: PathBuf::from(stream),
        source,
    }
}

/// [`sforce_codegen::builder::write_if_changed`] with the CLI's error type.
pub(crate) fn write_if_changed(path: &std::path::Path, contents: &str) -> Result<bool> {
    Ok(sforce_codegen::builder::write_if_changed(path, contents)?)
}
