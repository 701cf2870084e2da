//! `cargo sforce`: help snapshot, settings parity with the builder, end-to-end `generate`
//! and `decode` through `sforce_cli::run_with`, and one run of the real binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use clap::{CommandFactory, Parser};
use serde_json::{json, Value};
use sforce_cli::{self as cli, Cargo, Error, Status};
use sforce_codegen::{Builder, Settings};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn partner() -> PathBuf {
    fixtures().join("wsdl/partner-v66.0.wsdl")
}

fn parse(args: &[&str]) -> Cargo {
    let argv = ["cargo", "sforce"].iter().chain(args);
    Cargo::try_parse_from(argv).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// Runs `cargo sforce <args>` in-process: (result, stdout, stderr).
fn run(args: &[&str]) -> (Result<Status, Error>, String, String) {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let result = cli::run_with(parse(args), &mut stdout, &mut stderr);
    (
        result,
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

/// `--help` at a fixed width of 100 columns, whatever the terminal (and whichever clap
/// features other crates in the build turn on).
fn help(args: &[&str]) -> String {
    let argv = ["cargo", "sforce"].iter().chain(args);
    let err = Cargo::command()
        .term_width(100)
        .try_get_matches_from(argv)
        .unwrap_err();
    assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp, "{err}");
    err.render().to_string()
}

#[test]
fn help_snapshot() {
    let mut actual = String::new();
    for args in [
        &["--help"][..],
        &["generate", "--help"],
        &["describe", "--help"],
        &["decode", "--help"],
    ] {
        actual.push_str(&format!("$ cargo sforce {}\n", args.join(" ")));
        actual.push_str(&help(args));
        actual.push('\n');
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/cli_help.txt");
    if std::env::var("SFORCE_SNAPSHOT").as_deref() == Ok("overwrite") {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, &actual).unwrap();
    }
    let expected = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "--help output differs from {}; if the change is intended, rerun with \
         SFORCE_SNAPSHOT=overwrite and review the diff.\n--- actual ---\n{actual}",
        path.display()
    );
    // Every argument of every subcommand has a doc comment.
    let command = <Cargo as clap::CommandFactory>::command();
    let sforce = command
        .find_subcommand("sforce")
        .expect("sforce subcommand");
    assert!(sforce.get_about().is_some());
    let mut count = 0;
    for sub in sforce.get_subcommands() {
        assert!(
            sub.get_about().is_some(),
            "{} has no doc comment",
            sub.get_name()
        );
        for arg in sub.get_arguments() {
            assert!(
                arg.get_help().is_some(),
                "{} {} has no doc comment",
                sub.get_name(),
                arg.get_id()
            );
            count += 1;
        }
    }
    assert!(count >= 7, "{count} arguments");
}

#[test]
fn settings_parity_between_builder_and_flags() {
    let generate_settings = |args: &[&str]| -> Settings {
        let mut argv = vec!["generate", "--wsdl", "x.wsdl"];
        argv.extend_from_slice(args);
        match parse(&argv) {
            Cargo::Sforce(sforce) => match sforce.command {
                cli::Command::Generate(generate) => generate.settings.settings(),
                other => panic!("parsed as {other:?}"),
            },
        }
    };
    // Defaults agree with each other and with Settings::default().
    assert_eq!(generate_settings(&[]), *Builder::new().settings());
    assert_eq!(generate_settings(&[]), Settings::default());

    let mut configured = Builder::new();
    configured.runtime_path("::my_sdk::sforce").blocking(false);
    assert_eq!(
        generate_settings(&["--runtime-path", "::my_sdk::sforce", "--no-blocking"]),
        *configured.settings()
    );

    // Round trip: every builder configuration has flags that select the same settings.
    for (runtime_path, blocking) in [
        ("::sforce", true),
        ("::sforce", false),
        ("crate::rt", true),
        ("::a::b", false),
    ] {
        let mut builder = Builder::new();
        builder.runtime_path(runtime_path).blocking(blocking);
        let flags = builder.command_line_flags();
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        assert_eq!(generate_settings(&flags), *builder.settings(), "{flags:?}");
    }
}

#[test]
fn selection_parity_between_builder_and_flags() {
    let generate = |args: &[&str]| -> cli::generate::GenerateArgs {
        let mut argv = vec!["generate", "--describe", "dumps"];
        argv.extend_from_slice(args);
        match parse(&argv) {
            Cargo::Sforce(sforce) => match sforce.command {
                cli::Command::Generate(generate) => generate,
                other => panic!("parsed as {other:?}"),
            },
        }
    };
    assert_eq!(generate(&[]).selection(), *Builder::new().selection());
    for (objects, depth, blocking) in [
        (&["Account"][..], 0, true),
        (&["Account", "Contact", "Invoice__c"], 2, false),
        (&[], 1, true),
    ] {
        let mut builder = Builder::new();
        builder
            .sobjects(objects.iter().copied())
            .depth(depth)
            .blocking(blocking);
        let flags = builder.command_line_flags();
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        let args = generate(&flags);
        assert_eq!(args.selection(), *builder.selection(), "{flags:?}");
        assert_eq!(args.settings.settings(), *builder.settings(), "{flags:?}");
    }
    // Spaces and empty names in --objects are dropped.
    assert_eq!(
        generate(&["--objects", "Account, Contact,"])
            .selection()
            .objects,
        ["Account", "Contact"]
    );
    // --objects and --depth need --describe; --wsdl and --describe exclude each other.
    for argv in [
        &["generate", "--wsdl", "x.wsdl", "--objects", "Account"][..],
        &["generate", "--wsdl", "x.wsdl", "--depth", "1"],
        &["generate", "--wsdl", "x.wsdl", "--describe", "dumps"],
        &["generate", "--out", "x.rs"],
    ] {
        let argv = ["cargo", "sforce"].iter().chain(argv);
        assert!(Cargo::try_parse_from(argv).is_err());
    }
}

#[test]
fn generate_sobjects_from_describe_dumps() {
    let dir = tempfile::tempdir().unwrap();
    let dumps = fixtures().join("describe");
    let dumps = dumps.to_str().unwrap();
    let out = dir.path().join("src/sobjects.rs");
    let args = [
        "generate",
        "--describe",
        dumps,
        "--objects",
        "account,Contact",
        "--out",
        out.to_str().unwrap(),
    ];
    let (result, stdout, stderr) = run(&args);
    assert_eq!(result.unwrap(), Status::Success, "{stderr}");
    let code = fs::read_to_string(&out).unwrap();
    assert!(code.starts_with("// @generated by sforce-codegen from describe dumps; do not edit."));
    assert!(code.contains("#[::sforce::sobject(name = \"Account\")]\n"));
    assert!(code.contains("#[::sforce::sobject(name = \"Contact\")]\n"));
    assert!(!code.contains("sobject(name = \"Lead\")"));
    // The same code the library writes for the same inputs.
    let selection = sforce_codegen::SObjectSelection {
        objects: vec!["account".into(), "Contact".into()],
        depth: 0,
    };
    let library = dir.path().join("library.rs");
    sforce_codegen::write_sobjects_file(dumps, &selection, &library).unwrap();
    assert_eq!(fs::read_to_string(&library).unwrap(), code);
    for expected in [
        &format!(
            "Wrote {} from the describe dumps in {dumps}\n",
            out.display()
        )[..],
        &format!("  dumps       8 sObjects described in {dumps}\n"),
        "  structs     2 (Account, Contact)\n",
        "  picklists   ",
        "  output      ",
    ] {
        assert!(
            stdout.contains(expected),
            "summary lacks {expected:?}:\n{stdout}"
        );
    }

    // --depth 1 pulls in the related objects the dumps describe.
    let (result, stdout, _) = run(&[
        "generate",
        "--describe",
        dumps,
        "--objects",
        "Contact",
        "--depth",
        "1",
    ]);
    result.unwrap();
    assert!(stdout.contains("#[::sforce::sobject(name = \"Account\")]\n"));

    // --check: up to date, then stale with the command that regenerates the file.
    let mut check = args.to_vec();
    check.push("--check");
    let (result, stdout, _) = run(&check);
    assert_eq!(result.unwrap(), Status::Success);
    assert!(stdout.contains("is up to date"), "{stdout}");
    fs::write(
        &out,
        code.replace("pub struct Contact", "pub struct Kontakt"),
    )
    .unwrap();
    let (result, _, _) = run(&check);
    let err = result.unwrap_err();
    assert!(matches!(err, Error::Stale(_)), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("is stale"), "{message}");
    assert!(
        message.contains(&format!(
            "`cargo sforce generate --describe {dumps} --objects account,Contact --out {}`",
            out.display()
        )),
        "{message}"
    );

    // An object the dumps do not describe.
    let (result, _, _) = run(&["generate", "--describe", dumps, "--objects", "Acount"]);
    let message = result.unwrap_err().to_string();
    assert!(message.contains("Acount"), "{message}");
}

#[test]
fn generate_partner_into_a_temp_dir() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sforce/partner.rs");
    let wsdl = partner();
    let args = [
        "generate",
        "--wsdl",
        wsdl.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let (result, stdout, stderr) = run(&args);
    assert_eq!(result.unwrap(), Status::Success);
    assert_eq!(stderr, "", "partner v66.0 reads without warnings");

    let code = fs::read_to_string(&out).unwrap();
    assert!(code.starts_with("// @generated by sforce-codegen from SforceService"));
    assert!(code.contains("pub async fn query("));
    assert!(code.contains("pub mod blocking"));

    assert!(
        stdout.starts_with(&format!(
            "Wrote {} from {}\n",
            out.display(),
            wsdl.display()
        )),
        "{stdout}"
    );
    for expected in [
        "SforceService, API 66.0 (urn:partner.soap.sforce.com)",
        "532 complex",
        "58 simple",
        "operations  102, 24 SOAP headers",
        "output      ",
        " lines, ",
        " MiB; runtime ::sforce,",
        "blocking client yes",
        "warnings    0",
        "For example (impl Client):",
        "pub async fn login(&self, ",
        "pub async fn query(&self, ",
    ] {
        assert!(
            stdout.contains(expected),
            "summary lacks {expected:?}:\n{stdout}"
        );
    }
    assert!(!stdout.contains("__private"), "{stdout}");

    // Second run: same contents, reported unchanged; --check agrees.
    let (result, stdout, _) = run(&args);
    result.unwrap();
    assert!(stdout.starts_with("Unchanged "), "{stdout}");
    let mut check = args.to_vec();
    check.push("--check");
    let (result, stdout, _) = run(&check);
    assert_eq!(result.unwrap(), Status::Success);
    assert!(stdout.contains("is up to date"), "{stdout}");

    // A stale file fails --check with the command that fixes it, and is not touched.
    fs::write(&out, "// old\n").unwrap();
    let (result, _, _) = run(&check);
    let message = result.unwrap_err().to_string();
    assert!(message.contains("is stale"), "{message}");
    assert!(
        message.contains(&format!(
            "cargo sforce generate --wsdl {} --out {}",
            wsdl.display(),
            out.display()
        )),
        "{message}"
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), "// old\n");
}

#[test]
fn generate_into_a_directory_or_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = fixtures().join("wsdl/apex-v66.0.wsdl");
    let wsdl = wsdl.to_str().unwrap();
    let (result, stdout, _) = run(&[
        "generate",
        "--wsdl",
        wsdl,
        "--out",
        dir.path().to_str().unwrap(),
        "--no-blocking",
        "--runtime-path",
        "::my_sdk::sforce",
    ]);
    result.unwrap();
    let file = dir.path().join("apex-v66.0.rs");
    assert!(stdout.contains(&file.display().to_string()), "{stdout}");
    assert!(
        stdout.contains("runtime ::my_sdk::sforce, blocking client no"),
        "{stdout}"
    );
    let code = fs::read_to_string(&file).unwrap();
    assert!(!code.contains("pub mod blocking"));
    assert!(code.contains("::my_sdk::sforce::__private"));

    let (result, stdout, stderr) = run(&[
        "generate",
        "--wsdl",
        wsdl,
        "--no-blocking",
        "--runtime-path",
        "::my_sdk::sforce",
    ]);
    result.unwrap();
    assert_eq!(stdout, code, "without --out the bindings go to stdout");
    assert!(stderr.starts_with("Generated bindings from "), "{stderr}");

    // --check needs --out.
    let argv = ["cargo", "sforce", "generate", "--wsdl", wsdl, "--check"];
    assert!(Cargo::try_parse_from(argv).is_err());
}

#[test]
fn generate_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.wsdl");
    let (result, stdout, _) = run(&["generate", "--wsdl", missing.to_str().unwrap()]);
    let err = result.unwrap_err();
    assert!(
        matches!(&err, Error::Codegen(sforce_codegen::Error::Io { path, .. }) if *path == missing),
        "{err:?}"
    );
    assert_eq!(stdout, "");

    let mut report = Vec::new();
    cli::report_error(&err, &mut report);
    let report = String::from_utf8(report).unwrap();
    assert!(
        report.starts_with(&format!("error: {}: ", missing.display())),
        "{report}"
    );
    assert_eq!(
        report.lines().count(),
        1,
        "the io cause is already in the message: {report}"
    );
}

#[test]
fn decode_through_run() {
    let wsdl = partner();
    let wsdl = wsdl.to_str().unwrap();
    let capture = fixtures().join("soap/soapforce-query_response.xml");
    let (result, stdout, stderr) = run(&["decode", "--wsdl", wsdl, capture.to_str().unwrap()]);
    assert_eq!(result.unwrap(), Status::Success);
    assert_eq!(stderr, "");
    assert!(stdout.ends_with("}\n"));
    let value: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["body"]["queryResponse"]["result"]["size"], json!(2));

    let fault = fixtures().join("soap/simple-salesforce-login_fault_INVALID_LOGIN.xml");
    let (result, stdout, _) = run(&["decode", "--wsdl", wsdl, fault.to_str().unwrap()]);
    let status = result.unwrap();
    assert_eq!(status, Status::Fault);
    assert_eq!(status.exit_code(), 2);
    let value: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["fault"]["detail"]["@type"], json!("LoginFault"));
    assert_eq!(
        value["fault"]["detail"]["exceptionCode"],
        json!("INVALID_LOGIN")
    );

    let dir = tempfile::tempdir().unwrap();
    let not_xml = dir.path().join("response.xml");
    fs::write(&not_xml, "HTTP/1.1 500 Server Error\n\n<soapenv:Envelope").unwrap();
    let (result, stdout, _) = run(&["decode", "--wsdl", wsdl, not_xml.to_str().unwrap()]);
    let message = result.unwrap_err().to_string();
    assert!(
        message.starts_with(&format!("{}:1:1: ", not_xml.display())),
        "{message}"
    );
    assert_eq!(stdout, "");
}

#[test]
fn the_binary() {
    let exe = env!("CARGO_BIN_EXE_cargo-sforce");
    let dir = tempfile::tempdir().unwrap();
    let apex = fixtures().join("wsdl/apex-v66.0.wsdl");

    let output = Command::new(exe)
        .args(["sforce", "generate", "--wsdl"])
        .arg(&apex)
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.starts_with("Wrote "), "{stdout}");
    assert!(dir.path().join("apex-v66.0.rs").is_file());

    let output = Command::new(exe)
        .args(["sforce", "decode", "--wsdl"])
        .arg(partner())
        .arg(fixtures().join("soap/simple-salesforce-login_fault_INVALID_LOGIN.xml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["fault"]["faultcode"], json!("INVALID_LOGIN"));

    let output = Command::new(exe)
        .args(["sforce", "decode", "--wsdl"])
        .arg(dir.path().join("missing.wsdl"))
        .arg("x.xml")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("missing.wsdl"), "{stderr}");

    // Bad arguments exit with 1 too (2 means a fault).
    let output = Command::new(exe)
        .args(["sforce", "generate", "--out", "x.rs"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("--wsdl <PATH>"));
}

#[test]
fn generate_from_a_partial_dump_warns_once() {
    // A VS Code soqlMetadata-shaped dump (no write flags): generated, with one warning.
    let dumps = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../codegen/tests/fixtures/describe-vscode"
    );
    let (result, stdout, stderr) = run(&["generate", "--describe", dumps]);
    result.unwrap();
    assert!(stdout.contains("pub struct Account"), "{stdout}");
    assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
    assert!(stderr.contains("taken as writable"), "{stderr}");
}

#[test]
fn generate_only_some_operations() {
    let wsdl = partner();
    let (result, stdout, _) = run(&[
        "generate",
        "--wsdl",
        wsdl.to_str().unwrap(),
        "--operations",
        "query,queryMore",
    ]);
    result.unwrap();
    assert!(
        stdout.contains("pub async fn query_more("),
        "queryMore is generated"
    );
    assert!(!stdout.contains("pub async fn create("), "create is not");
    let (result, _, _) = run(&[
        "generate",
        "--wsdl",
        wsdl.to_str().unwrap(),
        "--operations",
        "craete",
    ]);
    let message = result.unwrap_err().to_string();
    assert!(
        message.contains("`craete`") && message.contains("`create`"),
        "{message}"
    );
}
