//! `search`: a SOSL subset, run as one SOQL query per returned object.
//!
//! `FIND {term} [IN ALL|NAME|EMAIL|PHONE FIELDS] [RETURNING Obj[(fields [WHERE …]
//! [ORDER BY …] [LIMIT n])], …] [LIMIT n]`. The term's words must each appear in one of
//! the searched fields (`*` and `?` are wildcards, `OR` between words makes either do);
//! matching ignores case.

use sforce::SObject;
use sforce_codegen::describe::{FieldType, SObjectDescribe};

use crate::fault::{row_column, Detail, Fault};
use crate::org::Org;
use crate::query;
use crate::schema::{kind, Kind};
use crate::wire;

/// Which fields the term is looked for in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    All,
    Name,
    Email,
    Phone,
}

/// One object after RETURNING, split into the parts of its SOQL.
struct Returning {
    object: String,
    fields: String,
    filter: Option<String>,
    tail: String,
}

pub(crate) fn search(org: &Org, sosl: &str) -> Result<wire::SearchResult, Fault> {
    let bad = |at: usize, message: &str| {
        let (row, column) = row_column(sosl, at);
        Fault::new(
            "MALFORMED_SEARCH",
            format!("\n{sosl}\nERROR at Row:{row}:Column:{column}\n{message}"),
            Detail::MalformedSearch { row, column },
        )
    };
    let text = sosl.trim_start();
    let offset = sosl.len() - text.len();
    if !starts_with_word(text, "FIND") {
        return Err(bad(offset, "a search starts with FIND"));
    }
    let after_find = text[4..].trim_start();
    let at = sosl.len() - after_find.len();
    let Some(body) = after_find.strip_prefix('{') else {
        return Err(bad(at, "expected the search term in braces: FIND {term}"));
    };
    let (term, rest) =
        split_term(body).ok_or_else(|| bad(at, "the search term has no closing }"))?;
    if term.trim().is_empty() {
        return Err(bad(at, "the search term is empty"));
    }
    let mut rest = rest.trim_start();
    let mut scope = Scope::All;
    if starts_with_word(rest, "IN") {
        let words: Vec<&str> = rest.split_whitespace().take(3).collect();
        scope = match words.get(1).map(|w| w.to_ascii_uppercase()).as_deref() {
            Some("ALL") => Scope::All,
            Some("NAME") => Scope::Name,
            Some("EMAIL") => Scope::Email,
            Some("PHONE") => Scope::Phone,
            _ => {
                return Err(bad(
                    sosl.len() - rest.len(),
                    "expected IN ALL|NAME|EMAIL|PHONE FIELDS",
                ))
            }
        };
        if !words
            .get(2)
            .is_some_and(|w| w.eq_ignore_ascii_case("FIELDS"))
        {
            return Err(bad(sosl.len() - rest.len(), "expected FIELDS after IN …"));
        }
        for word in words {
            rest = rest.trim_start()[word.len()..].trim_start();
        }
    }
    let mut returning = Vec::new();
    if starts_with_word(rest, "RETURNING") {
        rest = rest[9..].trim_start();
        loop {
            let name_end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if name_end == 0 {
                return Err(bad(
                    sosl.len() - rest.len(),
                    "expected an object name after RETURNING",
                ));
            }
            let object = rest[..name_end].to_owned();
            rest = rest[name_end..].trim_start();
            let mut inside = String::new();
            if let Some(open) = rest.strip_prefix('(') {
                let close = closing_paren(open)
                    .ok_or_else(|| bad(sosl.len() - rest.len(), "unbalanced parentheses"))?;
                inside = open[..close].to_owned();
                rest = open[close + 1..].trim_start();
            }
            returning.push(split_returning(object, &inside));
            match rest.strip_prefix(',') {
                Some(more) => rest = more.trim_start(),
                None => break,
            }
        }
    }
    let mut overall_limit = None;
    if starts_with_word(rest, "LIMIT") {
        let number = rest[5..].trim();
        overall_limit = Some(
            number
                .parse::<usize>()
                .map_err(|_| bad(sosl.len() - rest.len(), "LIMIT takes a number"))?,
        );
        rest = "";
    }
    if !rest.trim().is_empty() {
        return Err(bad(
            sosl.len() - rest.len(),
            &format!("unexpected `{}`", rest.trim()),
        ));
    }
    if returning.is_empty() {
        returning = org
            .objects
            .all()
            .iter()
            .filter(|o| o.queryable)
            .map(|o| split_returning(o.name.clone(), ""))
            .collect();
    }

    let mut records: Vec<SObject> = Vec::new();
    for item in &returning {
        let object = org.objects.get(&item.object).ok_or_else(|| {
            Fault::new(
                "INVALID_TYPE",
                format!("sObject type '{}' is not supported.", item.object),
                Detail::InvalidSObject { row: 0, column: 0 },
            )
        })?;
        let Some(matching) = condition(object, scope, &term) else {
            continue;
        };
        let filter = match &item.filter {
            Some(filter) => format!("({matching}) AND ({filter})"),
            None => matching,
        };
        let soql = format!(
            "SELECT {} FROM {} WHERE {filter}{}",
            item.fields, object.name, item.tail
        );
        let output = query::run(org, &soql, false)?;
        records.extend(output.records);
    }
    if let Some(limit) = overall_limit {
        records.truncate(limit);
    }
    Ok(wire::SearchResult {
        query_id: String::new(),
        search_records: records
            .into_iter()
            .map(|record| wire::SearchRecord {
                record,
                ..Default::default()
            })
            .collect(),
        search_results_metadata: None,
    })
}

fn starts_with_word(text: &str, word: &str) -> bool {
    text.len() >= word.len()
        && text[..word.len()].eq_ignore_ascii_case(word)
        && !text[word.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
}

/// The term up to its `}` (a `\}` is a brace of the term), and what follows.
fn split_term(body: &str) -> Option<(String, &str)> {
    let mut term = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, next)) = chars.next() {
                    term.push(next);
                }
            }
            '}' => return Some((term, &body[i + 1..])),
            _ => term.push(c),
        }
    }
    None
}

/// The index of the `)` closing an already opened parenthesis, outside quotes.
fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth == 0 => return Some(i),
            ')' if !quoted => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `Id, Name WHERE Industry = 'x' ORDER BY Name LIMIT 5` → fields, filter, tail.
fn split_returning(object: String, inside: &str) -> Returning {
    let upper = inside.to_ascii_uppercase();
    let find = |word: &str| upper.find(word);
    let where_at = find(" WHERE ").or_else(|| upper.starts_with("WHERE ").then_some(0));
    let tail_at = [find(" ORDER BY "), find(" LIMIT ")]
        .into_iter()
        .flatten()
        .min();
    let fields_end = where_at.or(tail_at).unwrap_or(inside.len());
    let fields = inside[..fields_end].trim();
    let filter = where_at.map(|w| {
        let start = w + if w == 0 { 6 } else { 7 };
        let end = tail_at.filter(|&t| t > w).unwrap_or(inside.len());
        inside[start..end].trim().to_owned()
    });
    let tail = tail_at
        .map(|t| format!(" {}", inside[t..].trim()))
        .unwrap_or_default();
    Returning {
        object,
        fields: if fields.is_empty() {
            "Id".to_owned()
        } else {
            fields.to_owned()
        },
        filter,
        tail,
    }
}

/// The SOQL condition that the term's words appear in the searched fields, or `None` when
/// the object has no field in scope.
fn condition(object: &SObjectDescribe, scope: Scope, term: &str) -> Option<String> {
    let fields: Vec<&str> = object
        .fields
        .iter()
        .filter(|f| kind(f) == Kind::Text)
        .filter(|f| match scope {
            Scope::All => !matches!(f.field_type, FieldType::Base64),
            Scope::Name => f.name_field,
            Scope::Email => f.field_type == FieldType::Email,
            Scope::Phone => f.field_type == FieldType::Phone,
        })
        .map(|f| f.name.as_str())
        .collect();
    if fields.is_empty() {
        return None;
    }
    let mut groups: Vec<Vec<String>> = vec![Vec::new()]; // OR of ANDs
    for word in term.split_whitespace() {
        if word.eq_ignore_ascii_case("OR") {
            groups.push(Vec::new());
            continue;
        }
        if word.eq_ignore_ascii_case("AND") {
            continue;
        }
        let pattern = like_pattern(word.trim_matches('"'));
        let any: Vec<String> = fields
            .iter()
            .map(|f| format!("{f} LIKE '{pattern}'"))
            .collect();
        if let Some(group) = groups.last_mut() {
            group.push(format!("({})", any.join(" OR ")));
        }
    }
    let groups: Vec<String> = groups
        .into_iter()
        .filter(|g| !g.is_empty())
        .map(|g| format!("({})", g.join(" AND ")))
        .collect();
    if groups.is_empty() {
        return None;
    }
    Some(groups.join(" OR "))
}

/// A SOSL word as a SOQL LIKE literal's content: contained anywhere, `*` any run, `?`
/// one character, quotes and wildcards of LIKE escaped.
fn like_pattern(word: &str) -> String {
    let mut out = String::from("%");
    for c in word.chars() {
        match c {
            '*' => out.push('%'),
            '?' => out.push('_'),
            '%' => out.push_str("\\%"),
            '_' => out.push_str("\\_"),
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returning_parts_split_at_their_keywords() {
        let r = split_returning(
            "Account".into(),
            "Id, Name WHERE Industry = 'x' ORDER BY Name LIMIT 5",
        );
        assert_eq!(r.fields, "Id, Name");
        assert_eq!(r.filter.as_deref(), Some("Industry = 'x'"));
        assert_eq!(r.tail, " ORDER BY Name LIMIT 5");
        let bare = split_returning("Contact".into(), "");
        assert_eq!(
            (bare.fields.as_str(), bare.filter, bare.tail.as_str()),
            ("Id", None, "")
        );
    }

    #[test]
    fn terms_end_at_an_unescaped_brace() {
        assert_eq!(
            split_term("a\\}b} IN ALL FIELDS"),
            Some(("a}b".to_owned(), " IN ALL FIELDS"))
        );
        assert_eq!(split_term("open"), None);
        assert_eq!(like_pattern("ac*e?_'"), "%ac%e_\\_\\'%");
    }
}
