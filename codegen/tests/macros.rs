//! The macros' describe-dump rules as plain functions: what happens without dumps (trusted,
//! or an error with `SFORCE_DESCRIBE_REQUIRED`), what an error about a missing dump says,
//! and where a struct that lacks a selected column is reported.

use sforce_codegen::macros::{expand_sobject, expand_soql, MacroContext};

/// The fixture dumps (Account, Contact, … but no User).
fn fixtures() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/describe").to_owned()
}

fn context(dumps: Option<String>, required: bool) -> MacroContext {
    MacroContext {
        manifest_dir: None,
        describe_env: dumps,
        describe_required: required,
    }
}

const ACCOUNT: &str = "struct A { id: Field<Id>, nmae: Field<String> }";

fn sobject(ctx: &MacroContext) -> String {
    expand_sobject(
        "name = \"Account\"".parse().unwrap(),
        ACCOUNT.parse().unwrap(),
        ctx,
    )
    .to_string()
}

fn soql(input: &str, ctx: &MacroContext) -> String {
    expand_soql(input.parse().unwrap(), ctx).to_string()
}

#[test]
fn without_dumps_names_are_trusted_unless_required() {
    let out = sobject(&context(None, false));
    assert!(!out.contains("compile_error"), "{out}");
    let out = soql(r#"A, "SELECT Nmae FROM Account""#, &context(None, false));
    assert!(!out.contains("compile_error"), "{out}");

    let out = sobject(&context(None, true));
    assert!(out.contains("compile_error"), "{out}");
    for part in [
        "SFORCE_DESCRIBE_REQUIRED is set and there are no describe dumps to check `Account`",
        "the macro's `describe = \\\"…\\\"` argument, the SFORCE_DESCRIBE environment variable",
        "[package.metadata.sforce] in Cargo.toml",
        "`cargo sforce describe --objects Account --out describe` writes them",
    ] {
        assert!(out.contains(part), "{part} in {out}");
    }
    let out = soql(r#"A, "SELECT Nmae FROM Account""#, &context(None, true));
    assert!(
        out.contains(
            "no describe dumps to check `Account` against: they are looked for in the \
                      SFORCE_DESCRIBE environment variable"
        ),
        "{out}"
    );
}

#[test]
fn with_dumps_the_requirement_changes_nothing() {
    for required in [false, true] {
        let out = sobject(&context(Some(fixtures()), required));
        assert!(out.contains("no field `Nmae` on Account"), "{out}");
        assert!(!out.contains("SFORCE_DESCRIBE_REQUIRED"), "{out}");
    }
}

#[test]
fn a_missing_parent_dump_names_the_command_that_adds_it() {
    let ctx = context(Some(fixtures()), false);
    let out = soql(r#""SELECT Owner.Name FROM Account""#, &ctx);
    assert!(
        out.contains("`Owner` on Account points to User, which has no describe dump"),
        "{out}"
    );
    let command = format!(
        "= help: `cargo sforce describe --objects User --out {}` adds the dump",
        fixtures()
    );
    assert!(out.contains(&command), "{command} in {out}");

    // A FROM object with no close name is a missing dump too; a near miss is a typo.
    let out = soql(r#""SELECT Id FROM Opportunity""#, &ctx);
    assert!(out.contains("--objects Opportunity --out"), "{out}");
    let out = soql(r#""SELECT Id FROM Acount""#, &ctx);
    assert!(out.contains("did you mean `Account`"), "{out}");
    assert!(!out.contains("cargo sforce describe"), "{out}");

    // #[sobject] on an object the dumps lack.
    let out = expand_sobject(
        "name = \"User\"".parse().unwrap(),
        "struct U { id: Field<Id> }".parse().unwrap(),
        &ctx,
    )
    .to_string();
    assert!(
        out.contains(&format!(
            "if it is an sObject of the org, `cargo sforce describe --objects User --out {}` \
             adds its dump",
            fixtures()
        )),
        "{out}"
    );
}

#[test]
fn a_struct_without_a_selected_column_is_reported_at_the_column() {
    let ctx = context(Some(fixtures()), false);
    let out = soql(r#"MyAccount, "SELECT Id, Industry FROM Account""#, &ctx);
    // The panic message draws the SOQL line with carets under `Industry`.
    let expected = "soql!: the struct `MyAccount` has no #[sobject] field for `Industry`\\n \
                    --> 1:12\\n  |\\n1 | SELECT Id, Industry FROM Account\\n  |            \
                    ^^^^^^^^";
    assert!(out.contains(expected), "{expected} in {out}");
    assert!(out.contains("panic ! (\"{}\" ,"), "{out}");
}
