//! SOQL: a parser (with byte spans on every node) and a checker against the describe model,
//! used at compile time by `soql!`.
//!
//! - [`parse`] reads a statement without a schema: the FROM object, the binds (`{expr}`,
//!   Rust source) and the literal text between them.
//! - [`check`] also resolves every object, field path, relationship and subquery against a
//!   [`Schema`], and gives each bind the [`BindKind`] of what it is compared with.
//!
//! Spans are byte offsets into the SOQL text (the value of the string literal, not its
//! source form). [`SoqlError::render`] draws one like rustc does.
//!
//! # Rules the checker applies
//! - A field path walks parent relationships (`Account.Owner.Email`): every segment but the
//!   last names a relationship (`SObjectDescribe::parent_relationship`), the last a field.
//!   A leading segment equal to the object's alias (`a.Name` with `FROM Account a`) or to
//!   the object's own name (`Account.Name` on Account) is skipped.
//! - Aliases: `FROM Contact c, c.Account a` declares `c` for Contact and `a` for the
//!   relationship path `Account`; each path after a comma starts with an alias declared
//!   before it (or the object's name) and walks parent relationships. A field path
//!   starting with an alias resolves from where the alias leads, and the row names it
//!   without the alias: `c.FirstName` is `FirstName`, `a.Name` is `Account.Name` (what the
//!   server answers under). In a query with aliases, a leading segment that is neither an
//!   alias nor a field or relationship of the object is an error naming the aliases. A
//!   subquery's FROM takes an alias too (`(SELECT c.LastName FROM a.Contacts c)`). SOQL
//!   writes aliases without `AS`; `FROM Contact AS c` is refused.
//! - Polymorphic relationships (`Event.Who` → Contact or Lead, `Case.Owner` → Group or User):
//!   a field is accepted when it exists on at least one target that has a dump, and `Type`
//!   (the target's object type) is always accepted. The resolved field is the one of the
//!   first such target in `referenceTo` order.
//! - A relationship whose target has no dump is an error naming the missing object.
//! - A subquery's FROM names a child relationship of the outer object (optionally as
//!   `Outer.Relationship`); its fields resolve on the child object.
//! - Literal values must suit the field's kind (a string for text and Ids, a number for
//!   numbers, `true`/`false` for booleans, a date or date literal for dates, a datetime or
//!   date literal for datetimes); `null` suits everything.
//! - Aggregate functions are refused in WHERE; `COUNT()` stands alone; a plain field next to
//!   aggregates must be grouped; aliases on plain fields need an aggregate query;
//!   `FIELDS(ALL)` / `FIELDS(CUSTOM)` in the statement need `LIMIT` of at most 200.

pub mod ast;
mod check;
mod lexer;
mod parser;

use std::fmt;
use std::ops::Range;

pub use check::{CheckedQuery, Selected, SelectedKind, Subquery, TypeOfBranch};

use crate::describe::types::BindKind;
use crate::describe::Schema;

/// A SOQL syntax or schema error, with the byte range of the SOQL text it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoqlError {
    /// Byte range in the SOQL text (empty at the end of the text for "end of query").
    pub span: Range<usize>,
    /// What is wrong, including what was expected and a suggestion where there is one.
    pub message: String,
    /// The sObjects whose describe dumps the error is about because they are missing (a
    /// parent or child object, a TYPEOF target, a FROM object with no close name), so
    /// that a front end can say how to add them; empty for other errors.
    pub missing_dumps: Vec<String>,
}

impl SoqlError {
    /// An error at `span`.
    pub fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        SoqlError {
            span,
            message: message.into(),
            missing_dumps: Vec::new(),
        }
    }

    /// An error at `span` about the missing dumps of `objects`.
    pub fn missing_dumps(
        span: Range<usize>,
        message: impl Into<String>,
        objects: impl IntoIterator<Item = String>,
    ) -> Self {
        SoqlError {
            missing_dumps: objects.into_iter().collect(),
            ..SoqlError::new(span, message)
        }
    }

    /// The error as rustc draws one: the message, the line and column, the SOQL line and
    /// carets under the span (up to the end of that line).
    pub fn render(&self, text: &str) -> String {
        let start = floor_char_boundary(text, self.span.start.min(text.len()));
        let end = floor_char_boundary(text, self.span.end.clamp(start, text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line_no = text[..start].matches('\n').count() + 1;
        let line = text[line_start..line_end].trim_end_matches('\r');
        let column = text[line_start..start].chars().count() + 1;
        let caret_end = end.min(line_start + line.len()).max(start);
        let carets = text[start..caret_end].chars().count().max(1);
        let gutter = " ".repeat(line_no.to_string().len());
        let pad: String = text[line_start..start]
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        format!(
            "error: {message}\n{gutter}--> {line_no}:{column}\n{gutter} |\n{line_no} | {line}\n{gutter} | {pad}{carets}\n",
            message = self.message,
            carets = "^".repeat(carets),
        )
    }
}

impl fmt::Display for SoqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (at bytes {}..{})",
            self.message, self.span.start, self.span.end
        )
    }
}

impl std::error::Error for SoqlError {}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// One `{expr}` bind parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bind {
    /// The bytes of the bind in the SOQL text, braces included.
    pub span: Range<usize>,
    /// The Rust expression between the braces, trimmed.
    pub expr: String,
    /// How the value is checked and written: the kind of the field it is compared with,
    /// [`BindKind::Int`] for `LIMIT`, `OFFSET` and the `n` of `LAST_N_DAYS:{n}`, and
    /// [`BindKind::Any`] where nothing is known (always so without a schema, except the
    /// integer places).
    pub kind: BindKind,
    /// A list bind (after `IN`, `NOT IN`, `INCLUDES`, `EXCLUDES`): the value is an
    /// iterable written as `(a,b,…)`.
    pub list: bool,
}

/// A piece of the final SOQL text: literal text, or the bind with this index in `binds`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// SOQL text to copy as is.
    Text(String),
    /// Write the value of `binds[index]` here.
    Bind(usize),
}

/// A parsed (unchecked) SOQL statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The SOQL text.
    pub text: String,
    /// The syntax tree.
    pub statement: ast::Select,
    /// The binds in text order; `Value::Bind(i)` etc. in the tree index this.
    pub binds: Vec<Bind>,
}

impl Query {
    /// The object after FROM, as written.
    pub fn object(&self) -> &str {
        self.statement.from.path.last_name()
    }

    /// The binds in text order.
    pub fn binds(&self) -> &[Bind] {
        &self.binds
    }

    /// The literal text between binds and the binds, in order.
    pub fn segments(&self) -> Vec<Segment> {
        segments(&self.text, &self.binds)
    }

    /// `SELECT COUNT() FROM …`: the result has a size and no records.
    pub fn is_count_only(&self) -> bool {
        self.statement.is_count_only()
    }
}

fn segments(text: &str, binds: &[Bind]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut at = 0;
    for (index, bind) in binds.iter().enumerate() {
        if bind.span.start > at {
            out.push(Segment::Text(text[at..bind.span.start].to_owned()));
        }
        out.push(Segment::Bind(index));
        at = bind.span.end;
    }
    if at < text.len() {
        out.push(Segment::Text(text[at..].to_owned()));
    }
    out
}

/// Parses a SOQL statement without a schema. Errors: all lexical errors (unterminated
/// strings and binds, bad escapes, bad characters), or the first syntax error plus any
/// wrong function argument counts before it.
///
/// ```
/// use sforce_codegen::soql::{parse, Segment};
/// let query = parse("SELECT Id FROM Account WHERE Name = {name} LIMIT {n}").unwrap();
/// assert_eq!(query.object(), "Account");
/// assert_eq!(query.binds()[0].expr, "name");
/// assert_eq!(query.segments()[1], Segment::Bind(0));
/// ```
pub fn parse(text: &str) -> Result<Query, Vec<SoqlError>> {
    let (tokens, binds) = lexer::lex(text)?;
    let mut binds = binds;
    let statement = parser::parse(text, &tokens, &mut binds)?;
    Ok(Query {
        text: text.to_owned(),
        statement,
        binds,
    })
}

/// Parses and checks a SOQL statement against the describe dumps. Returns every error
/// found, not only the first.
///
/// ```
/// use sforce_codegen::describe::{FieldDescribe, FieldType, SObjectDescribe, Schema};
/// use sforce_codegen::describe::types::BindKind;
/// let mut schema = Schema::new();
/// schema.insert(SObjectDescribe {
///     name: "Account".into(),
///     fields: vec![FieldDescribe {
///         name: "Name".into(),
///         field_type: FieldType::String,
///         ..Default::default()
///     }],
///     ..Default::default()
/// });
/// let checked = sforce_codegen::soql::check("SELECT Name FROM Account WHERE Name = {n}", &schema)
///     .unwrap();
/// assert_eq!(checked.binds[0].kind, BindKind::Text);
///
/// let text = "SELECT Nmae FROM Account";
/// let errors = sforce_codegen::soql::check(text, &schema).unwrap_err();
/// assert_eq!(errors[0].message, "no field `Nmae` on Account (did you mean `Name`?)");
/// assert!(errors[0].render(text).contains("1 | SELECT Nmae FROM Account\n  |        ^^^^"));
/// ```
pub fn check(text: &str, schema: &Schema) -> Result<CheckedQuery, Vec<SoqlError>> {
    let query = parse(text)?;
    check::check(query, schema)
}

use crate::naming::did_you_mean;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::naming::edit_distance;

    #[test]
    fn distance_and_suggestion() {
        assert_eq!(edit_distance("Nmae", "Name"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("name", "NAME"), 0);
        assert_eq!(
            did_you_mean("Nmae", ["Id", "Name", "Phone"]),
            " (did you mean `Name`?)"
        );
        assert_eq!(did_you_mean("Zzzzz", ["Id", "Name"]), "");
    }

    #[test]
    fn render_points_at_the_span() {
        let text = "SELECT Id\nFROM Acount";
        let error = SoqlError::new(15..21, "no sObject `Acount`");
        let shown = error.render(text);
        assert_eq!(
            shown,
            "error: no sObject `Acount`\n --> 2:6\n  |\n2 | FROM Acount\n  |      ^^^^^^\n"
        );
        let at_end = SoqlError::new(21..21, "expected x").render(text);
        assert!(
            at_end.ends_with("2 | FROM Acount\n  |            ^\n"),
            "{at_end}"
        );
    }
}
