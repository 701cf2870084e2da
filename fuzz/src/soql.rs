//! `soql`: the SOQL parser and the checker (`sforce_codegen::soql::{parse, check}`)
//! against the fixture describe dumps (embedded, so the binary does not depend on the
//! working directory). Every error is rendered (spans must fall inside the text), and a
//! parsed statement's segments must put the text back together around its binds.

use std::path::Path;
use std::sync::OnceLock;

use sforce_codegen::describe::{read_str, Schema};
use sforce_codegen::soql::{check, parse, Bind, Segment, SoqlError};

/// The REST describe fixtures the checker resolves against.
const DUMPS: &[(&str, &str)] = &[
    (
        "Account.json",
        include_str!("../../fixtures/describe/cumulusci-rest-Account.json"),
    ),
    (
        "Case.json",
        include_str!("../../fixtures/describe/cumulusci-rest-Case.json"),
    ),
    (
        "Contact.json",
        include_str!("../../fixtures/describe/cumulusci-rest-Contact.json"),
    ),
    (
        "Custom__c.json",
        include_str!("../../fixtures/describe/cumulusci-rest-Custom__c.json"),
    ),
    (
        "Event.json",
        include_str!("../../fixtures/describe/cumulusci-rest-Event.json"),
    ),
    (
        "Lead.json",
        include_str!("../../fixtures/describe/cumulusci-rest-Lead.json"),
    ),
    (
        "OpportunityContactRole.json",
        include_str!("../../fixtures/describe/cumulusci-rest-OpportunityContactRole.json"),
    ),
    (
        "Whizbang.json",
        include_str!("../../fixtures/describe/restforce-rest-Whizbang-describe.json"),
    ),
];

/// The schema of [`DUMPS`], read once per process.
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut schema = Schema::new();
        for (name, text) in DUMPS {
            let objects = read_str(text, Path::new(name))
                .unwrap_or_else(|e| panic!("fixture dump {name} does not read: {e}"));
            for object in objects {
                schema.insert(object);
            }
        }
        schema
    })
}

/// Parses the input (when UTF-8), then checks it against [`schema`]; returns the
/// checker's errors.
pub fn run(data: &[u8]) -> Result<(), Vec<SoqlError>> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(());
    };
    match parse(text) {
        Ok(query) => {
            let _ = (query.object(), query.is_count_only());
            assert_segments_rebuild(text, &query.segments(), query.binds());
        }
        Err(errors) => render(text, &errors),
    }
    match check(text, schema()) {
        Ok(checked) => {
            assert_segments_rebuild(text, &checked.segments(), &checked.binds);
            Ok(())
        }
        Err(errors) => {
            render(text, &errors);
            Err(errors)
        }
    }
}

fn render(text: &str, errors: &[SoqlError]) {
    for error in errors {
        let _ = (error.render(text), error.to_string());
    }
}

/// The invariant `soql!` relies on to write the final text: literal segments and binds,
/// in order, are the statement.
fn assert_segments_rebuild(text: &str, segments: &[Segment], binds: &[Bind]) {
    let mut rebuilt = String::with_capacity(text.len());
    for segment in segments {
        match segment {
            Segment::Text(t) => rebuilt.push_str(t),
            Segment::Bind(i) => rebuilt.push_str(&text[binds[*i].span.clone()]),
        }
    }
    assert_eq!(rebuilt, text, "segments do not rebuild the statement");
}
