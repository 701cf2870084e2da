//! Every Rust name the generator writes comes from here: heck case conversion, keyword
//! escaping and collision handling, in one place.
//!
//! Rules (the generated code and its snapshots depend on them, so they are stable):
//! - Types (structs, enums, aliases) are `UpperCamelCase` of the XML name (`sObject` →
//!   `SObject`, `ID` → `Id`, `queryResponse` → `QueryResponse`).
//! - Fields, arguments and methods are `snake_case` (`queryLocator` → `query_locator`,
//!   `describeSObjects` → `describe_s_objects`, `APIPerformanceInfo` →
//!   `api_performance_info`).
//! - Non-ASCII characters are transliterated to ASCII first (deunicode), so every name
//!   keeps a readable form: `café` → `cafe`, `Größe` → `grosse`, `名前` → `ming_qian`
//!   (`MingQian`), `😀` → `grinning`. A character with no transliteration becomes
//!   `u<hex code point>` as a word of its own (`\u{10FFFF}` → `u10ffff`), and so do the
//!   non-ASCII characters of a name whose transliteration has no letter or digit at all
//!   (`\u{200B}` → `u200b`). ASCII names are unchanged. The XML or API name is kept
//!   verbatim wherever the generated code talks to the server.
//! - A name that is a Rust keyword (strict, reserved or edition-2018+) gets a trailing
//!   underscore: `type` → `type_`, `Self` → `Self_`. There are no raw identifiers.
//! - A name that is empty after conversion, or does not start with a letter or `_`, is
//!   prefixed (`V` for variants and types, `f_` for snake names): `1.0` → `V10`.
//! - Enumeration variants are `UpperCamelCase` of the value; the empty value is `Empty`.
//! - Collisions inside one scope are resolved by [`Scope::claim`] in the order names are
//!   claimed: the first keeps the name, later ones get a number (`Name2`, `name_2`, …).

use std::borrow::Cow;
use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (all editions, reserved ones included).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names generated code uses unqualified (prelude items and derive names), so no
/// generated type may take them.
pub const PRELUDE_TYPES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Drop",
    "Eq",
    "Err",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "Unpin",
    "Vec",
];

/// Type names exported at the root of the `sforce` runtime. A generated module is meant to
/// be glob-imported next to the runtime (`use sforce::*; use sforce::partner::*;`), so a
/// WSDL type with one of these names is renamed ([`generated_type_name`]: the partner
/// `Error` of a save result is `ErrorType`, `Address` and `Location` are `AddressType` and
/// `LocationType`, the describe `Field` is `FieldDef`): otherwise every use of `Error` in
/// such a module would be ambiguous. The list holds the names users write; the typed
/// layer's traits for generated code (`FieldType`, `FieldInfo`, `Shape`) are left out, so
/// the partner `FieldType` enumeration keeps its name (name the trait by path).
pub const RUNTIME_TYPES: &[&str] = &[
    "Address",
    "AnyElement",
    "AnyValue",
    "Binary",
    "ChildQuery",
    "ChildRecords",
    "Connection",
    "ConnectionBuilder",
    "Date",
    "DateTime",
    "Decimal",
    "Error",
    "Field",
    "FieldValue",
    "Id",
    "IdError",
    "Location",
    "MultiPicklist",
    "Picklist",
    "Query",
    "RecordIter",
    "RecordStream",
    "RequestOptions",
    "Response",
    "SObject",
    "SObjectType",
    "Secret",
    "Session",
    "SoapFault",
    "Stage",
    "Time",
    "TypedClient",
];

/// The Rust name of a WSDL type before collisions are resolved: [`type_name`], or, when
/// that is one of the [`RUNTIME_TYPES`], `<Name>Type` (`Error` → `ErrorType`), or
/// `<Name>Def` when `<Name>Type` is a runtime name too or the name of another type of the
/// WSDL (`is_wsdl_type`): the partner `Field` is `FieldDef` (`FieldType` is its enumeration),
/// the enterprise `sObject` is `SObjectDef`.
pub fn generated_type_name(name: &str, is_wsdl_type: impl Fn(&str) -> bool) -> String {
    let wanted = type_name(name);
    if !RUNTIME_TYPES.contains(&wanted.as_str()) {
        return wanted;
    }
    let typed = format!("{wanted}Type");
    if RUNTIME_TYPES.contains(&typed.as_str()) || is_wsdl_type(&typed) {
        format!("{wanted}Def")
    } else {
        typed
    }
}

/// True when `name` is a Rust keyword in any edition.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

fn escape_keyword(name: String) -> String {
    if is_keyword(&name) {
        name + "_"
    } else {
        name
    }
}

/// `name` with its non-ASCII characters transliterated (see the module rules), for heck to
/// split into words. ASCII names come back as they are.
pub fn ascii_words(name: &str) -> Cow<'_, str> {
    if name.is_ascii() {
        return Cow::Borrowed(name);
    }
    let spelled = |c: char| format!(" u{:x} ", u32::from(c));
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        match deunicode::deunicode_char(c) {
            Some(ascii) if ascii != "[?]" => out.push_str(ascii),
            _ => out.push_str(&spelled(c)),
        }
    }
    if !out.chars().any(|c| c.is_ascii_alphanumeric()) {
        // Nothing readable: name the characters instead.
        out = name
            .chars()
            .map(|c| {
                if c.is_ascii() {
                    c.to_string()
                } else {
                    spelled(c)
                }
            })
            .collect();
    }
    Cow::Owned(out)
}

/// Keeps only characters valid in an identifier; heck already split on the others.
fn ident_chars(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

fn starts_ok(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
}

/// The `UpperCamelCase` Rust name of an XML type or element name (`sObject` → `SObject`).
pub fn type_name(xml: &str) -> String {
    let mut name = ident_chars(&ascii_words(xml).to_upper_camel_case());
    if !starts_ok(&name) {
        name.insert(0, 'V');
    }
    escape_keyword(name)
}

/// The `snake_case` Rust name of a field, argument or method (`queryLocator` →
/// `query_locator`, `type` → `type_`).
pub fn snake_name(xml: &str) -> String {
    let mut name = ident_chars(&ascii_words(xml).to_snake_case());
    if name.is_empty() || !starts_ok(&name) || name == "_" {
        name.insert_str(0, "f_");
    }
    escape_keyword(name)
}

/// The enum variant for an enumeration value (`ACCOUNT_NOT_SUPPORTED` →
/// `AccountNotSupported`, `Apex_code` → `ApexCode`, `1.0` → `V10`, `` → `Empty`).
pub fn variant_name(value: &str) -> String {
    if value.is_empty() {
        return "Empty".to_owned();
    }
    let name = ident_chars(&ascii_words(value).to_upper_camel_case());
    if name.is_empty() {
        // Only punctuation (`*`, `-`): spell the characters.
        let spelled: String = value.chars().map(|c| format!("U{:X}", c as u32)).collect();
        return format!("V{spelled}");
    }
    type_name(&name)
}

/// The case of the names in a [`Scope`], which decides how collision suffixes are added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `UpperCamelCase`: suffix `2`, `3`, … (`Name2`).
    Camel,
    /// `snake_case`: suffix `_2`, `_3`, … (`name_2`).
    Snake,
}

/// The names already taken in one Rust scope (a module's types, a struct's fields, an
/// impl's methods, an enum's variants).
#[derive(Debug, Clone)]
pub struct Scope {
    case: Case,
    used: BTreeSet<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new(case: Case) -> Self {
        Scope {
            case,
            used: BTreeSet::new(),
        }
    }

    /// A scope where `names` are already taken.
    pub fn with_reserved(case: Case, names: &[&str]) -> Self {
        let mut scope = Scope::new(case);
        for name in names {
            scope.used.insert((*name).to_owned());
        }
        scope
    }

    /// Marks `name` as taken without checking.
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_owned());
    }

    /// True when `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }

    /// Takes `wanted`, or the first free numbered variant of it (`Name2`, `name_2`).
    pub fn claim(&mut self, wanted: &str) -> String {
        let wanted = wanted.to_owned();
        if self.used.insert(wanted.clone()) {
            return wanted;
        }
        // A keyword-escaped name (`type_`) gets its number after the underscore.
        let stem = wanted.trim_end_matches('_');
        let mut n = 2u32;
        loop {
            let candidate = match self.case {
                Case::Camel => format!("{stem}{n}"),
                Case::Snake => format!("{stem}_{n}"),
            };
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// Element names whose values are secrets (session ids, passwords, tokens): generated
/// `Debug` output shows a placeholder for them. Compared without regard to case.
pub const SECRET_FIELDS: &[&str] = &[
    "sessionId",
    "password",
    "newPassword",
    "oldPassword",
    "securityToken",
    "accessToken",
    "refreshToken",
    "clientSecret",
    "privateKey",
];

/// True when an element called `xml_name` carries a secret (see [`SECRET_FIELDS`]).
pub fn is_secret(xml_name: &str) -> bool {
    SECRET_FIELDS
        .iter()
        .any(|s| s.eq_ignore_ascii_case(xml_name))
}

/// `" (did you mean `X`?)"` with the closest candidate to `name`, or nothing.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    match closest(name, candidates).first() {
        Some(close) => format!(" (did you mean `{close}`?)"),
        None => String::new(),
    }
}

/// The candidates closest to `wanted` by [`edit_distance`], best first, at most three,
/// and only those close enough to be a plausible typo: for "did you mean" hints.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let limit = (wanted.len() / 3).max(1);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (edit_distance(wanted, c), c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// Edit distance ignoring ASCII case: insertions, deletions, substitutions and swaps of
/// neighbours (`Nmae` → `Name`) each count 1.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<u8> = a.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<u8> = b.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_upper_camel() {
        assert_eq!(type_name("sObject"), "SObject");
        assert_eq!(type_name("ID"), "Id");
        assert_eq!(type_name("queryResponse"), "QueryResponse");
        assert_eq!(type_name("APIPerformanceInfo"), "ApiPerformanceInfo");
        assert_eq!(type_name("self"), "Self_");
    }

    #[test]
    fn fields_are_snake_with_keyword_underscore() {
        assert_eq!(snake_name("queryLocator"), "query_locator");
        assert_eq!(snake_name("describeSObjects"), "describe_s_objects");
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(snake_name("Id"), "id");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("async"), "async_");
        assert_eq!(snake_name("---"), "f_");
    }

    #[test]
    fn variants_handle_odd_values() {
        assert_eq!(variant_name("ACCOUNT_NOT_SUPPORTED"), "AccountNotSupported");
        assert_eq!(variant_name("Apex_code"), "ApexCode");
        assert_eq!(variant_name("1.0"), "V10");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("*"), "VU2A");
        assert_eq!(variant_name("fns:LOGIN"), "FnsLogin");
    }

    #[test]
    fn non_ascii_names_are_transliterated() {
        assert_eq!(snake_name("café"), "cafe");
        assert_eq!(type_name("café"), "Cafe");
        assert_eq!(snake_name("名前"), "ming_qian");
        assert_eq!(type_name("名前"), "MingQian");
        assert_eq!(variant_name("名前"), "MingQian");
        assert_eq!(snake_name("Größe__c"), "grosse_c");
        assert_eq!(snake_name("日本語_名前__c"), "ri_ben_yu_ming_qian_c");
        assert_eq!(variant_name("Très élevé"), "TresEleve");
        assert_eq!(snake_name("😀"), "grinning");
        assert_eq!(snake_name("\u{10FFFF}"), "u10ffff");
        assert_eq!(snake_name("a\u{10FFFF}b"), "a_u10ffff_b");
        assert_eq!(type_name("\u{200B}"), "U200b");
        assert_eq!(variant_name("\u{200B}"), "U200b");
        assert_eq!(snake_name("Привет"), "privet");
        // ASCII names are untouched by the transliteration.
        assert!(matches!(ascii_words("queryLocator"), Cow::Borrowed(_)));
    }

    #[test]
    fn collisions_get_numbers() {
        let mut s = Scope::with_reserved(Case::Camel, &["Other"]);
        assert_eq!(s.claim("Other"), "Other2");
        assert_eq!(s.claim("A"), "A");
        assert_eq!(s.claim("A"), "A2");
        let mut s = Scope::new(Case::Snake);
        assert_eq!(s.claim("type_"), "type_");
        assert_eq!(s.claim("type_"), "type_2");
        assert_eq!(s.claim("name"), "name");
        assert_eq!(s.claim("name"), "name_2");
    }

    #[test]
    fn closest_suggests_typos_only() {
        let names = ["Name", "Phone", "Industry", "AnnualRevenue"];
        assert_eq!(super::closest("Nmae", names), vec!["Name"]);
        assert_eq!(super::closest("annualrevenu", names), vec!["AnnualRevenue"]);
        assert!(super::closest("Zzzzzz", names).is_empty());
    }
}
