//! `cargo sforce describe`: log in, call describeGlobal and describeSObjects, and write one
//! describe dump per sObject ([`crate::dump`]), or with `--check` compare the dumps in a
//! directory with the org.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::Args;
use sforce::partner::{self, DescribeGlobalResult, DescribeSObjectResult};
use sforce::Connection;
use sforce_codegen::naming::edit_distance;

use crate::progress::Progress;
use crate::{dump, stream_error, write_if_changed, Context, Error, Result, Status};

/// Username for SOAP `login()`.
pub const USERNAME_ENV: &str = "SFORCE_USERNAME";
/// Password for SOAP `login()`.
pub const PASSWORD_ENV: &str = "SFORCE_PASSWORD";
/// The user's security token, appended to the password (optional: not needed from a
/// trusted IP range).
pub const TOKEN_ENV: &str = "SFORCE_TOKEN";
/// Where to log in (default `https://login.salesforce.com`).
pub const LOGIN_URL_ENV: &str = "SFORCE_LOGIN_URL";
/// An existing session id or OAuth access token (used instead of the password).
pub const SESSION_ID_ENV: &str = "SFORCE_SESSION_ID";
/// The instance URL (or SOAP server URL) the session belongs to.
pub const SERVER_URL_ENV: &str = "SFORCE_SERVER_URL";
/// The API version of the calls (default: the partner WSDL's, 66.0).
pub const API_VERSION_ENV: &str = "SFORCE_API_VERSION";

/// describeSObjects takes at most this many names a call.
pub const MAX_PER_CALL: usize = 100;

/// `cargo sforce describe --help`, above the options.
pub const LONG_ABOUT: &str = "\
Log in to an org and write one describe dump per sObject (or check the dumps)

Calls describeGlobal (to check the names and correct their letter case), then \
describeSObjects, at most 100 objects a call, and writes DIR/<Name>.xml for each sObject: its \
partner describeSObjectResult, 2-space indented, fields sorted by name and child relationships \
by (childSObject, field, relationshipName), so that dumps diff well in review. Files are only \
rewritten when their contents change; the changed ones are listed.

`cargo sforce generate --describe DIR` and the #[sobject]/soql! checks read these files.";

/// `cargo sforce describe --help`, below the options.
pub const AFTER_HELP: &str = "\
Environment:
  SFORCE_USERNAME, SFORCE_PASSWORD  log in with SOAP login()
  SFORCE_TOKEN                      the user's security token (appended to the password)
  SFORCE_LOGIN_URL                  where to log in [default: https://login.salesforce.com]
  SFORCE_SESSION_ID, SFORCE_SERVER_URL
                                    use an existing session (or OAuth access token) and its
                                    instance URL instead of a password
  SFORCE_API_VERSION                API version of the calls [default: 66.0]
  Secrets are never printed.

Exit codes:
  0  the dumps were written, or (--check) all of them match the org
  1  an error (login, network, unknown sObject names, bad arguments), or (--check) a dump is
     missing or differs from the org, or (--all) DIR has a dump of an sObject the org lacks

Examples:
  cargo sforce describe --objects Account,Contact,Invoice__c --out describe
  cargo sforce describe --all --out describe --check";

/// `cargo sforce describe`.
#[derive(Debug, Args)]
pub struct DescribeArgs {
    /// The directory of the dumps, one `<Name>.xml` per sObject (created when missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The sObjects to describe: API names, comma-separated, any letter case
    #[arg(
        long,
        value_name = "NAMES",
        value_delimiter = ',',
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub objects: Vec<String>,
    /// Describe every sObject describeGlobal lists (queryable or not)
    #[arg(long)]
    pub all: bool,
    /// Write nothing; fail when a dump in DIR is missing or differs from the org (for CI)
    ///
    /// Lists each such sObject with the fields added, removed or changed, and with --all
    /// also the dumps in DIR of sObjects the org no longer has.
    #[arg(long)]
    pub check: bool,
}

/// Runs `describe`: a connection from the environment, then [`describe`].
pub fn run(args: &DescribeArgs, context: &mut Context<'_>) -> Result<Status> {
    let connection = connection_from_env(context.env)?;
    let client = partner::Client::new(connection.clone());
    connection.block_on(describe(args, &client, context))
}

/// A connection configured from `SFORCE_*` environment variables (see [`AFTER_HELP`]);
/// nothing is sent yet.
pub fn connection_from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Connection> {
    let get = |name: &str| env(name).filter(|value| !value.trim().is_empty());
    let mut builder = Connection::builder();
    if let Some(session_id) = get(SESSION_ID_ENV) {
        let server_url = get(SERVER_URL_ENV).ok_or_else(|| {
            Error::Config(format!(
                "{SESSION_ID_ENV} is set but {SERVER_URL_ENV} is not: set it to the instance \
                 URL the session belongs to (https://mydomain.my.salesforce.com)"
            ))
        })?;
        builder = builder.session(session_id, server_url);
    } else if let Some(username) = get(USERNAME_ENV) {
        let password = get(PASSWORD_ENV).ok_or_else(|| {
            Error::Config(format!(
                "{USERNAME_ENV} is set but {PASSWORD_ENV} is not: set the password (and \
                 {TOKEN_ENV}, the security token, unless logging in from a trusted IP range)"
            ))
        })?;
        let token = get(TOKEN_ENV).unwrap_or_default();
        builder = builder.password_login(username, password, token);
        if let Some(login_url) = get(LOGIN_URL_ENV) {
            builder = builder.login_url(login_url);
        }
    } else {
        return Err(Error::Config(format!(
            "no credentials: set {USERNAME_ENV} and {PASSWORD_ENV} (with {TOKEN_ENV} and \
             {LOGIN_URL_ENV} as needed), or {SESSION_ID_ENV} and {SERVER_URL_ENV}"
        )));
    }
    if let Some(version) = get(API_VERSION_ENV) {
        builder = builder.api_version(version.trim());
    }
    builder
        .user_agent(concat!("cargo-sforce/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|source| Error::Salesforce {
            context: "the connection settings from the environment".to_owned(),
            source,
        })
}

/// Describes the objects `args` selects with `client` and writes (or checks) the dumps.
pub async fn describe(
    args: &DescribeArgs,
    client: &partner::Client,
    context: &mut Context<'_>,
) -> Result<Status> {
    let global = client
        .describe_global()
        .await
        .map_err(|source| Error::Salesforce {
            context: "describeGlobal".to_owned(),
            source,
        })?;
    let names = select(args, &global)?;
    let results = describe_objects(client, &names, context).await?;
    if args.check {
        check(args, &names, &results, context)
    } else {
        write(args, &names, &results, context)
    }
}

/// The API names to describe: every listed sObject for `--all` (sorted), else the
/// requested ones with the org's letter case, in the order given, without duplicates.
pub fn select(args: &DescribeArgs, global: &DescribeGlobalResult) -> Result<Vec<String>> {
    let known: Vec<&str> = global.sobjects.iter().map(|s| s.name.as_str()).collect();
    if args.all {
        let all: BTreeSet<&str> = known.iter().copied().collect();
        if all.is_empty() {
            return Err(Error::Config(
                "describeGlobal lists no sObjects: nothing to describe".to_owned(),
            ));
        }
        return Ok(all.into_iter().map(str::to_owned).collect());
    }
    let mut names: Vec<String> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for requested in args
        .objects
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        let found = known
            .iter()
            .find(|k| **k == requested)
            .or_else(|| known.iter().find(|k| k.eq_ignore_ascii_case(requested)));
        match found {
            Some(name) if !names.iter().any(|n| n == name) => names.push((*name).to_owned()),
            Some(_) => {}
            None => {
                let suggestions = close_matches(requested, &known);
                unknown.push(if suggestions.is_empty() {
                    requested.to_owned()
                } else {
                    format!("{requested} (did you mean {}?)", suggestions.join(", "))
                });
            }
        }
    }
    if !unknown.is_empty() {
        return Err(Error::Config(format!(
            "the org has no sObject named {}; describeGlobal lists {} sObjects",
            unknown.join(", "),
            known.len()
        )));
    }
    if names.is_empty() {
        return Err(Error::Config(
            "--objects names no sObject: give API names such as Account,Contact, or --all"
                .to_owned(),
        ));
    }
    Ok(names)
}

/// Up to three known names close to `wanted` (edit distance, ignoring case), closest first.
fn close_matches<'a>(wanted: &str, known: &[&'a str]) -> Vec<&'a str> {
    let wanted_lower = wanted.to_ascii_lowercase();
    let limit = (wanted.len() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = known
        .iter()
        .filter_map(|name| {
            let lower = name.to_ascii_lowercase();
            let distance = edit_distance(&wanted_lower, &lower);
            let related = lower.starts_with(&wanted_lower) || wanted_lower.starts_with(&lower);
            if distance <= limit {
                Some((distance, *name))
            } else if related && wanted_lower.len() >= 3 && lower.len() >= 3 {
                Some((limit + 1, *name))
            } else {
                None
            }
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, name)| name).collect()
}

/// describeSObjects in calls of at most [`MAX_PER_CALL`] names, with progress on stderr;
/// one result per name, in the order of `names`.
async fn describe_objects(
    client: &partner::Client,
    names: &[String],
    context: &mut Context<'_>,
) -> Result<Vec<DescribeSObjectResult>> {
    let mut progress = Progress::new(names.len(), context.stderr_is_terminal);
    progress.start(context.stderr)?;
    let mut results = Vec::with_capacity(names.len());
    for chunk in names.chunks(MAX_PER_CALL) {
        let batch = match client.describe_s_objects(chunk).await {
            Ok(batch) => batch,
            Err(source) => {
                progress.finish(context.stderr)?;
                return Err(Error::Salesforce {
                    context: format!("describeSObjects ({})", abbreviate(chunk)),
                    source: source.into(),
                });
            }
        };
        results.extend(batch);
        progress.advance(chunk.len(), context.stderr)?;
    }
    progress.finish(context.stderr)?;
    // Pair results with names by name: the org answers in request order, but a missing
    // or surprising answer must not write one object's describe under another's name.
    let mut ordered = Vec::with_capacity(names.len());
    for name in names {
        let position = results
            .iter()
            .position(|r| r.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                Error::Config(format!("describeSObjects returned no result for {name}"))
            })?;
        ordered.push(results.swap_remove(position));
    }
    Ok(ordered)
}

/// `A, B, C` or `A, B, C and 97 more`.
fn abbreviate(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// `DIR/<Name>.xml`, refusing names that would leave DIR.
fn dump_path(dir: &Path, name: &str) -> Result<PathBuf> {
    let safe = !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':'])
        && !name.chars().any(char::is_control);
    if safe {
        Ok(dir.join(format!("{name}.xml")))
    } else {
        Err(Error::Config(format!(
            "the org returned the sObject name {name:?}, which cannot be a file name in {}",
            dir.display()
        )))
    }
}

/// The dump of `result`, or an error naming the object.
fn render(result: &DescribeSObjectResult) -> Result<String> {
    dump::render(result)
        .map_err(|e| Error::Config(format!("cannot write the dump of {}: {e}", result.name)))
}

/// Stems of the `*.xml` files in `dir` that are not in `names` (none when `dir` does not
/// exist), sorted.
fn other_dumps(dir: &Path, names: &[String]) -> Result<Vec<(String, PathBuf)>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(Error::Io {
                path: dir.to_path_buf(),
                source,
            })
        }
    };
    let wanted: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    let mut others = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|source| Error::Io {
                path: dir.to_path_buf(),
                source,
            })?
            .path();
        if path.extension().and_then(|e| e.to_str()) != Some("xml") || !path.is_file() {
            continue;
        }
        if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
            if !wanted.contains(stem) {
                others.push((stem.to_owned(), path.clone()));
            }
        }
    }
    others.sort();
    Ok(others)
}

/// Writes the dumps that changed and lists them.
fn write(
    args: &DescribeArgs,
    names: &[String],
    results: &[DescribeSObjectResult],
    context: &mut Context<'_>,
) -> Result<Status> {
    let out_err = stream_error("<stdout>");
    let (mut created, mut updated, mut unchanged) = (0, 0, 0);
    for (name, result) in names.iter().zip(results) {
        let path = dump_path(&args.out, name)?;
        let text = render(result)?;
        let existed = path.exists();
        if !write_if_changed(&path, &text)? {
            unchanged += 1;
        } else if existed {
            updated += 1;
            writeln!(context.stdout, "updated {}", path.display()).map_err(&out_err)?;
        } else {
            created += 1;
            writeln!(context.stdout, "created {}", path.display()).map_err(&out_err)?;
        }
    }
    if args.all {
        for (stem, path) in other_dumps(&args.out, names)? {
            writeln!(
                context.stderr,
                "note: {} is a dump of {stem}, which the org does not list; left in place",
                path.display()
            )
            .map_err(stream_error("<stderr>"))?;
        }
    }
    writeln!(
        context.stdout,
        "Described {} sObjects into {}: {created} created, {updated} updated, {unchanged} \
         unchanged",
        names.len(),
        args.out.display()
    )
    .map_err(&out_err)?;
    Ok(Status::Success)
}

/// Compares the dumps in `args.out` with `results`; writes nothing.
fn check(
    args: &DescribeArgs,
    names: &[String],
    results: &[DescribeSObjectResult],
    context: &mut Context<'_>,
) -> Result<Status> {
    let mut problems: Vec<String> = Vec::new();
    for (name, result) in names.iter().zip(results) {
        let path = dump_path(&args.out, name)?;
        let text = render(result)?;
        let existing = match std::fs::read_to_string(&path) {
            Ok(existing) => existing,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                problems.push(format!("{name}: {} is missing", path.display()));
                continue;
            }
            Err(source) => return Err(Error::Io { path, source }),
        };
        if existing == text {
            continue;
        }
        let what = match dump::parse(&existing) {
            Ok(old) => dump::diff(&render(&old)?, &text).to_string(),
            Err(e) => format!("it is not a readable describe dump ({e})"),
        };
        problems.push(format!(
            "{name}: {} differs from the org: {what}",
            path.display()
        ));
    }
    if args.all {
        for (stem, path) in other_dumps(&args.out, names)? {
            problems.push(format!(
                "{stem}: {} is a dump of an sObject the org does not list; delete it",
                path.display()
            ));
        }
    }
    if problems.is_empty() {
        writeln!(
            context.stdout,
            "{} describe dumps in {} are up to date with the org",
            names.len(),
            args.out.display()
        )
        .map_err(stream_error("<stdout>"))?;
        return Ok(Status::Success);
    }
    let selection = if args.all {
        "--all".to_owned()
    } else {
        format!("--objects {}", names.join(","))
    };
    Err(Error::Stale(format!(
        "{} of the describe dumps in {} do not match the org; refresh them with \
         `cargo sforce describe --out {} {selection}`\n  {}",
        problems.len(),
        args.out.display(),
        args.out.display(),
        problems.join("\n  ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sforce::partner::DescribeGlobalSObjectResult;

    fn global(names: &[&str]) -> DescribeGlobalResult {
        DescribeGlobalResult {
            sobjects: names
                .iter()
                .map(|name| DescribeGlobalSObjectResult {
                    name: (*name).to_owned(),
                    ..DescribeGlobalSObjectResult::default()
                })
                .collect(),
            ..DescribeGlobalResult::default()
        }
    }

    fn args(objects: &[&str], all: bool) -> DescribeArgs {
        DescribeArgs {
            out: PathBuf::from("dumps"),
            objects: objects.iter().map(|s| (*s).to_owned()).collect(),
            all,
            check: false,
        }
    }

    #[test]
    fn names_are_case_corrected_deduplicated_and_checked() {
        let org = global(&["Contact", "Account", "Invoice__c", "AccountContactRole"]);
        assert_eq!(
            select(
                &args(&["account", " Invoice__C", "Account", ""], false),
                &org
            )
            .unwrap(),
            ["Account", "Invoice__c"]
        );
        assert_eq!(
            select(&args(&[], true), &org).unwrap(),
            ["Account", "AccountContactRole", "Contact", "Invoice__c"]
        );
        let message = select(&args(&["Acount", "Invoice", "Zzz"], false), &org)
            .unwrap_err()
            .to_string();
        assert_eq!(
            message,
            "the org has no sObject named Acount (did you mean Account?), Invoice (did you \
             mean Invoice__c?), Zzz; describeGlobal lists 4 sObjects"
        );
        assert!(select(&args(&[","], false), &org).is_err());
        assert!(select(&args(&[], true), &global(&[])).is_err());
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("account", "acount"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("contact", "contact"), 0);
        assert_eq!(
            close_matches("Contacts", &["Contact", "Account"]),
            ["Contact"]
        );
    }

    #[test]
    fn environment_selects_the_login() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let none = env(&[]);
        let message = connection_from_env(&none).unwrap_err().to_string();
        assert!(
            message.starts_with("no credentials: set SFORCE_USERNAME"),
            "{message}"
        );

        let no_password = env(&[(USERNAME_ENV, "u@example.com")]);
        let message = connection_from_env(&no_password).unwrap_err().to_string();
        assert!(message.contains("SFORCE_PASSWORD is not"), "{message}");

        let no_server = env(&[(SESSION_ID_ENV, "00DSESSIONSECRET")]);
        let message = connection_from_env(&no_server).unwrap_err().to_string();
        assert!(message.contains("SFORCE_SERVER_URL is not"), "{message}");
        assert!(!message.contains("00DSESSIONSECRET"));

        let bad_url = env(&[
            (USERNAME_ENV, "u@example.com"),
            (PASSWORD_ENV, "PASSWORDSECRET"),
            (LOGIN_URL_ENV, "ftp://example.com"),
        ]);
        let message = connection_from_env(&bad_url).unwrap_err().to_string();
        assert!(message.contains("login_url"), "{message}");
        assert!(!message.contains("PASSWORDSECRET"));

        let session = env(&[
            (SESSION_ID_ENV, "00DSESSIONSECRET"),
            (SERVER_URL_ENV, "https://example.my.salesforce.com"),
            (API_VERSION_ENV, "62.0"),
        ]);
        let connection = connection_from_env(&session).unwrap();
        assert!(!format!("{connection:?}").contains("00DSESSIONSECRET"));
    }

    #[test]
    fn dump_paths_stay_in_the_directory() {
        let dir = Path::new("dumps");
        assert_eq!(
            dump_path(dir, "Invoice__c").unwrap(),
            dir.join("Invoice__c.xml")
        );
        for bad in ["", "../x", "a/b", ".hidden", "a\\b"] {
            assert!(dump_path(dir, bad).is_err(), "{bad:?}");
        }
        assert_eq!(abbreviate(&["A".to_owned(), "B".to_owned()]), "A, B");
        let many: Vec<String> = (0..100).map(|i| format!("O{i}")).collect();
        assert_eq!(abbreviate(&many), "O0, O1, O2 and 97 more");
    }
}
