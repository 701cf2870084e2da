//! Building SOQL safely: string literals escaped as Salesforce documents, and literals for
//! dates, datetimes, numbers and booleans.
//!
//! ```
//! use sforce::soql;
//!
//! let name = "O'Brien";
//! let q = format!("SELECT Id FROM Contact WHERE LastName = {}", soql::quote(name));
//! assert_eq!(q, r"SELECT Id FROM Contact WHERE LastName = 'O\'Brien'");
//!
//! let q = format!("SELECT Id FROM Account WHERE Name LIKE {}", soql::Like::prefix("50%_off"));
//! assert_eq!(q, r"SELECT Id FROM Account WHERE Name LIKE '50\%\_off%'");
//! ```
//!
//! A `LIKE` pattern is escaped once, as one literal: [`Like`] (`Like::prefix(x)`,
//! `contains`, `suffix`, `exact`), in hand-written SOQL and as a `soql!` bind. Never pass
//! [`escape_like`]'s text through [`quote`]: that escapes its backslashes again, and
//! `50\%` becomes a literal backslash followed by a live wildcard.

use std::fmt::Write as _;

use crate::convert::{Date, DateTime, Decimal, Time};

fn escape_into(out: &mut String, s: &str, like: bool) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '%' if like => out.push_str("\\%"),
            '_' if like => out.push_str("\\_"),
            c => out.push(c),
        }
    }
}

/// The text of a SOQL string literal, without the quotes: `\`, `'`, `"`, newline,
/// carriage return, tab, backspace and form feed escaped (`\\ \' \" \n \r \t \b \f`).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    escape_into(&mut out, s, false);
    out
}

/// A SOQL string literal: `s` escaped (see [`escape`]) between single quotes. Safe to
/// splice into a query: the value can never end the literal.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    escape_into(&mut out, s, false);
    out.push('\'');
    out
}

/// The text of a `LIKE` pattern literal matching `s` literally, without the quotes: as
/// [`escape`], and the wildcards `%` and `_` escaped too (`\%`, `\_`). Add your own
/// wildcards and quotes around it: `format!("Name LIKE '{}%'", escape_like(prefix))`, never
/// [`quote`] (which would escape the backslashes again); [`Like`] does both for you. Only
/// valid inside a `LIKE` pattern (the server rejects `\%` elsewhere).
pub fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    escape_into(&mut out, s, true);
    out
}

/// A `LIKE` pattern matching its text literally, with wildcards only where the constructor
/// puts them: `%`, `_`, quotes and backslashes in the text are escaped once. `Display`
/// writes the quoted SOQL literal, so it goes into hand-written SOQL as is, and a `soql!`
/// bind compared with `LIKE` takes it (`WHERE Name LIKE {pattern}`). SOQL's `LIKE` is
/// case-insensitive on the server.
///
/// ```
/// use sforce::soql::Like;
///
/// assert_eq!(Like::prefix("50%_off").to_string(), r"'50\%\_off%'");
/// assert_eq!(Like::contains("O'Brien").to_string(), r"'%O\'Brien%'");
/// let q = format!("SELECT Id FROM Account WHERE Name LIKE {}", Like::suffix("Inc."));
/// assert_eq!(q, "SELECT Id FROM Account WHERE Name LIKE '%Inc.'");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Like {
    /// The quoted literal, `'…'`.
    literal: String,
}

impl Like {
    fn new(text: &str, leading: bool, trailing: bool) -> Like {
        let mut literal = String::with_capacity(text.len() + 4);
        literal.push('\'');
        if leading {
            literal.push('%');
        }
        escape_into(&mut literal, text, true);
        if trailing {
            literal.push('%');
        }
        literal.push('\'');
        Like { literal }
    }

    /// Text starting with `text`: `'text%'`.
    pub fn prefix(text: &str) -> Like {
        Like::new(text, false, true)
    }

    /// Text containing `text`: `'%text%'`.
    pub fn contains(text: &str) -> Like {
        Like::new(text, true, true)
    }

    /// Text ending with `text`: `'%text'`.
    pub fn suffix(text: &str) -> Like {
        Like::new(text, true, false)
    }

    /// Text equal to `text` (ignoring case, as `LIKE` does): `'text'`, wildcards escaped.
    pub fn exact(text: &str) -> Like {
        Like::new(text, false, false)
    }

    /// The quoted SOQL literal, as `Display` writes it.
    pub fn as_str(&self) -> &str {
        &self.literal
    }
}

/// The quoted SOQL literal: `'50\%\_off%'`.
impl std::fmt::Display for Like {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.literal)
    }
}

/// The quoted pattern, as `Display` writes it.
impl Literal for Like {
    fn write_literal(&self, out: &mut String) {
        out.push_str(&self.literal);
    }
}

/// A date literal: `2024-01-31` (not quoted, as SOQL wants it).
pub fn date(d: Date) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A dateTime literal in UTC to the second: `2024-01-31T10:00:00Z` (not quoted).
/// Fractions of a second are dropped: SOQL datetime literals have none.
pub fn datetime(dt: DateTime) -> String {
    dt.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A value that can be written as a SOQL literal.
pub trait Literal {
    /// Appends the literal to `out`.
    fn write_literal(&self, out: &mut String);

    /// The literal as a new string.
    fn to_literal(&self) -> String {
        let mut out = String::new();
        self.write_literal(&mut out);
        out
    }
}

/// The SOQL literal for `value`: strings quoted and escaped, dates and datetimes in
/// SOQL form, numbers and booleans as is, `None` as `null`, slices as `('a','b')` for `IN`.
pub fn literal<T: Literal + ?Sized>(value: &T) -> String {
    value.to_literal()
}

/// An `IN` list: `('a','b')`. An empty list gives `()`, which the server rejects as a
/// malformed query: check for no values before querying.
pub fn list<T: Literal>(items: &[T]) -> String {
    items.to_literal()
}

impl Literal for str {
    fn write_literal(&self, out: &mut String) {
        out.push('\'');
        escape_into(out, self, false);
        out.push('\'');
    }
}

impl Literal for String {
    fn write_literal(&self, out: &mut String) {
        self.as_str().write_literal(out);
    }
}

impl Literal for bool {
    fn write_literal(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! display_literal {
    ($($ty:ty),*) => {$(
        impl Literal for $ty {
            fn write_literal(&self, out: &mut String) {
                // Writing into a String cannot fail.
                let _ = write!(out, "{self}");
            }
        }
    )*};
}

display_literal!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, Decimal);

macro_rules! float_literal {
    ($($ty:ty),*) => {$(
        /// Finite values in plain decimal form (`50000000`, `0.25`); NaN and infinities have
        /// no SOQL form and are written as `NaN`/`Infinity`, which the server rejects.
        impl Literal for $ty {
            fn write_literal(&self, out: &mut String) {
                if self.is_finite() {
                    let _ = write!(out, "{self}");
                } else if self.is_nan() {
                    out.push_str("NaN");
                } else if *self > 0.0 {
                    out.push_str("Infinity");
                } else {
                    out.push_str("-Infinity");
                }
            }
        }
    )*};
}

float_literal!(f32, f64);

impl Literal for crate::sobject::Text {
    fn write_literal(&self, out: &mut String) {
        self.as_str().write_literal(out);
    }
}

impl Literal for crate::id::Id {
    fn write_literal(&self, out: &mut String) {
        self.as_str().write_literal(out);
    }
}

impl Literal for Date {
    fn write_literal(&self, out: &mut String) {
        let _ = write!(out, "{}", self.format("%Y-%m-%d"));
    }
}

impl Literal for DateTime {
    fn write_literal(&self, out: &mut String) {
        let _ = write!(out, "{}", self.format("%Y-%m-%dT%H:%M:%SZ"));
    }
}

/// `10:00:00.000Z`.
impl Literal for Time {
    fn write_literal(&self, out: &mut String) {
        let _ = write!(out, "{}", self.format("%H:%M:%S%.3fZ"));
    }
}

/// `None` is `null`.
impl<T: Literal> Literal for Option<T> {
    fn write_literal(&self, out: &mut String) {
        match self {
            Some(v) => v.write_literal(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: Literal + ?Sized> Literal for &T {
    fn write_literal(&self, out: &mut String) {
        (**self).write_literal(out);
    }
}

/// `(a,b,c)`, for `IN` and `NOT IN`.
impl<T: Literal> Literal for [T] {
    fn write_literal(&self, out: &mut String) {
        out.push('(');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_literal(out);
        }
        out.push(')');
    }
}

impl<T: Literal> Literal for Vec<T> {
    fn write_literal(&self, out: &mut String) {
        self.as_slice().write_literal(out);
    }
}

// ---------------------------------------------------------------------------------------
// Typed binds, as `soql!` writes them.

/// Marker types for the kinds of SOQL field a bind value is compared with; a value type
/// implements [`SoqlValue<K>`] for each kind it fits. `soql!` picks the kind from the
/// field's describe type.
pub mod kind {
    /// String-like fields and picklists: a quoted, escaped literal.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Text;
    /// The pattern of a `LIKE`: a [`Like`](super::Like), or text taken as a pattern as it
    /// is (its `%` and `_` stay wildcards).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Like;
    /// `id` and `reference` fields: a quoted Id.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Id;
    /// `boolean` fields: `true` / `false`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Boolean;
    /// `int` and `long` fields, and `LIMIT` / `OFFSET`: an integer.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Int;
    /// `double`, `currency` and `percent` fields: any number.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Number;
    /// `date` fields: `YYYY-MM-DD`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Date;
    /// `datetime` fields: `YYYY-MM-DDThh:mm:ssZ`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct DateTime;
    /// `time` fields: `hh:mm:ss.sssZ`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Time;
    /// Fields whose type gives no rule: any value the runtime can write.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Any;
}

/// A Rust value that can be bound where SOQL compares with a field of kind `K` (one of
/// the [`kind`] markers). A marker over [`Literal`], which does the writing: text quoted
/// and escaped (see [`quote`]), Ids quoted, dates `2024-01-31`, datetimes in UTC to the
/// second (`2024-01-02T03:04:05Z`), times `03:04:05.000Z`, booleans `true`/`false`,
/// numbers as they print (NaN and infinities have no SOQL form: the server rejects the
/// query), `None` as `null`.
///
/// ```
/// use sforce::soql::{kind, SoqlValue};
///
/// let mut out = String::new();
/// SoqlValue::<kind::Text>::write_soql("O'Brien", &mut out);
/// assert_eq!(out, r"'O\'Brien'");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be compared with a SOQL {K} field",
    label = "not a value for a SOQL {K} field",
    note = "text fields take String/&str, LIKE patterns sforce::soql::Like or text, Id \
            fields sforce::Id or text, numbers the integer and float types or Decimal, dates \
            sforce::Date, datetimes sforce::DateTime, times sforce::Time, booleans bool"
)]
pub trait SoqlValue<K>: Literal {
    /// Appends the literal to `out` (the value's [`Literal`] form).
    fn write_soql(&self, out: &mut String) {
        self.write_literal(out);
    }
}

/// Appends the literal for `value`, bound where a field of kind `K` is compared.
#[doc(hidden)]
pub fn push_bind<K, V: SoqlValue<K> + ?Sized>(out: &mut String, value: &V) {
    value.write_soql(out);
}

/// Appends `(a,b,c)` for `IN` / `NOT IN` / `INCLUDES`. An empty list is written `()`,
/// which the server rejects as a malformed query: no literal list means "nothing" for
/// every field type (`(null)` would match null fields, `('')` empty text), so an empty
/// list fails loudly instead of returning wrong rows. Check for no values first.
#[doc(hidden)]
pub fn push_bind_list<K, I>(out: &mut String, values: I)
where
    I: IntoIterator,
    I::Item: SoqlValue<K>,
{
    out.push('(');
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        value.write_soql(out);
    }
    out.push(')');
}

/// Declares which field kinds a type's literal may be bound to.
macro_rules! soql_value {
    ($($ty:ty => $($kind:ident),+;)*) => {$($(
        impl SoqlValue<kind::$kind> for $ty {}
    )+)*};
}

soql_value! {
    str => Text, Id, Like, Any;
    String => Text, Id, Like, Any;
    crate::sobject::Text => Text, Like, Any;
    Like => Like, Any;
    crate::id::Id => Id, Any;
    bool => Boolean, Any;
    i8 => Int, Number, Any;
    i16 => Int, Number, Any;
    i32 => Int, Number, Any;
    i64 => Int, Number, Any;
    isize => Int, Number, Any;
    u8 => Int, Number, Any;
    u16 => Int, Number, Any;
    u32 => Int, Number, Any;
    u64 => Int, Number, Any;
    usize => Int, Number, Any;
    f32 => Number, Any;
    f64 => Number, Any;
    Decimal => Number, Any;
    Date => Date, Any;
    DateTime => DateTime, Any;
    Time => Time, Any;
}

impl<K, T: SoqlValue<K> + ?Sized> SoqlValue<K> for &T {}

/// `None` is `null` (`WHERE ParentId = null`).
impl<K, T: SoqlValue<K>> SoqlValue<K> for Option<T> {}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn quotes_and_escapes_every_special_character() {
        assert_eq!(quote("plain"), "'plain'");
        assert_eq!(
            quote("a\\b'c\"d\ne\rf\tg\u{8}h\u{c}i"),
            r#"'a\\b\'c\"d\ne\rf\tg\bh\fi'"#
        );
        assert_eq!(escape("50%_x"), "50%_x");
        assert_eq!(escape_like("50%_x\\'"), r"50\%\_x\\\'");
    }

    /// A SOQL string literal as the `LIKE` pattern it denotes, written with `\` escaping
    /// the next character: the literal's escapes are decoded (`\\` is a backslash, `\'` a
    /// quote, `\%` and `\_` literal wildcard characters), and bare `%` and `_` stay
    /// wildcards. `None` when the text is not one well-formed literal.
    fn unquote_like(literal: &str) -> Option<String> {
        let inner = literal.strip_prefix('\'')?.strip_suffix('\'')?;
        let mut pattern = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            let literal_char = match c {
                '\\' => match chars.next()? {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    c @ ('\'' | '"' | '\\' | '%' | '_') => c,
                    _ => return None,
                },
                '\'' => return None,
                '%' | '_' => {
                    pattern.push(c);
                    continue;
                }
                c => c,
            };
            if matches!(literal_char, '%' | '_' | '\\') {
                pattern.push('\\');
            }
            pattern.push(literal_char);
        }
        Some(pattern)
    }

    fn same_ignoring_case(a: char, b: char) -> bool {
        a == b || a.to_lowercase().eq(b.to_lowercase())
    }

    /// SOQL `LIKE`: `%` any run of characters, `_` one character, `\` makes the next
    /// character literal, letters compared ignoring case.
    fn like_matches(pattern: &str, text: &str) -> bool {
        enum Tok {
            Any,
            One,
            Char(char),
        }
        let mut toks = Vec::new();
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            toks.push(match c {
                '%' => Tok::Any,
                '_' => Tok::One,
                '\\' => Tok::Char(chars.next().expect("dangling escape in a pattern")),
                c => Tok::Char(c),
            });
        }
        let text: Vec<char> = text.chars().collect();
        // matched[j]: the tokens so far match text[..j].
        let mut matched = vec![false; text.len() + 1];
        matched[0] = true;
        for tok in &toks {
            let mut next = vec![false; text.len() + 1];
            for j in 0..=text.len() {
                next[j] = match tok {
                    Tok::Any => matched[j] || (j > 0 && next[j - 1]),
                    Tok::One => j > 0 && matched[j - 1],
                    Tok::Char(c) => j > 0 && matched[j - 1] && same_ignoring_case(*c, text[j - 1]),
                };
            }
            matched = next;
        }
        matched[text.len()]
    }

    fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
        let mut text = text.chars();
        prefix
            .chars()
            .all(|p| text.next().is_some_and(|t| same_ignoring_case(p, t)))
    }

    /// A small deterministic generator (xorshift64*): the same cases on every run.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
        }

        fn text(&mut self, max: usize) -> String {
            // Wildcards, escapes, quotes, controls, both cases, and non-ASCII letters.
            const ALPHABET: &[char] = &[
                '%', '_', '\\', '\'', '"', '\n', '\r', '\t', '\u{8}', '\u{c}', ' ', 'a', 'A', 'b',
                'B', 'z', '0', '5', 'é', 'É', 'ß', '字', '.', '*', '?', '[', ']',
            ];
            let len = self.below(max + 1);
            (0..len)
                .map(|_| ALPHABET[self.below(ALPHABET.len())])
                .collect()
        }
    }

    #[test]
    fn like_prefix_matches_exactly_the_names_that_start_with_it() {
        let mut rng = Rng(0x5f0c_e5a1_1ce0_0001);
        for _ in 0..3000 {
            let input = rng.text(8);
            let literal = Like::prefix(&input).to_string();
            let pattern = unquote_like(&literal)
                .unwrap_or_else(|| panic!("{literal:?} is not a SOQL literal (from {input:?})"));
            let mut names = vec![
                input.clone(),
                format!("{input}{}", rng.text(4)),
                input.to_uppercase(),
                input.to_lowercase(),
                rng.text(10),
            ];
            let chars: Vec<char> = input.chars().collect();
            if !chars.is_empty() {
                // One character changed, and the input without its last character.
                let mut changed = chars.clone();
                let at = rng.below(chars.len());
                changed[at] = rng.text(1).chars().next().unwrap_or('x');
                names.push(changed.into_iter().collect::<String>() + &rng.text(3));
                names.push(chars[..chars.len() - 1].iter().collect());
            }
            for name in &names {
                assert_eq!(
                    like_matches(&pattern, name),
                    starts_with_ignoring_case(name, &input),
                    "prefix {input:?} as {literal} against {name:?}"
                );
            }
        }
    }

    #[test]
    fn like_contains_suffix_exact() {
        let mut rng = Rng(0x0dd5_eed5_0000_0009);
        for _ in 0..1000 {
            let input = rng.text(5);
            let name = format!("{}{input}{}", rng.text(3), rng.text(3));
            let other = rng.text(8);
            for name in [&name, &other, &input] {
                let lower = |s: &str| s.to_lowercase();
                let contains = unquote_like(Like::contains(&input).as_str()).unwrap();
                assert_eq!(
                    like_matches(&contains, name),
                    lower(name).contains(&lower(&input)),
                    "contains {input:?} against {name:?}"
                );
                let suffix = unquote_like(Like::suffix(&input).as_str()).unwrap();
                assert_eq!(
                    like_matches(&suffix, name),
                    lower(name).ends_with(&lower(&input)),
                    "suffix {input:?} against {name:?}"
                );
                let exact = unquote_like(Like::exact(&input).as_str()).unwrap();
                assert_eq!(
                    like_matches(&exact, name),
                    lower(name) == lower(&input),
                    "exact {input:?} against {name:?}"
                );
            }
        }
    }

    #[test]
    fn escape_like_through_quote_is_the_bug_like_fixes() {
        assert_eq!(Like::prefix("50%_off").to_string(), r"'50\%\_off%'");
        // What the old example wrote: the escapes escaped again, wildcards live.
        let twice = quote(&format!("{}%", escape_like("50%_off")));
        let pattern = unquote_like(&twice).unwrap();
        assert!(!like_matches(&pattern, "50%_off deal"));
        assert!(like_matches(&pattern, r"50\x\yoff"));
        let once = unquote_like(Like::prefix("50%_off").as_str()).unwrap();
        assert!(like_matches(&once, "50%_OFF deal"));
        assert!(!like_matches(&once, "50x_off"));
        assert_eq!(literal(&Like::exact("a")), "'a'");
    }

    #[test]
    fn injection_stays_inside_the_literal() {
        let evil = "' OR Name != '";
        let q = quote(evil);
        assert_eq!(q, r"'\' OR Name != \''");
        // Every quote inside is escaped, so the literal ends only at the last character.
        let inner = &q[1..q.len() - 1];
        let mut escaped = false;
        for c in inner.chars() {
            assert!(escaped || c != '\'', "unescaped quote in {q}");
            escaped = !escaped && c == '\\';
        }
        // A trailing backslash cannot swallow the closing quote.
        assert_eq!(quote("x\\"), r"'x\\'");
        assert_eq!(
            quote("\\' OR Id != null OR Name = '"),
            r"'\\\' OR Id != null OR Name = \''"
        );
    }

    #[test]
    fn dates_datetimes_numbers_booleans() {
        let d = Date::from_ymd_opt(2024, 1, 31).unwrap();
        assert_eq!(date(d), "2024-01-31");
        let dt = chrono::Utc.with_ymd_and_hms(2024, 1, 31, 10, 0, 0).unwrap()
            + chrono::Duration::milliseconds(250);
        assert_eq!(datetime(dt), "2024-01-31T10:00:00Z");
        assert_eq!(literal(&dt), "2024-01-31T10:00:00Z");
        assert_eq!(literal(&5.0e7), "50000000");
        assert_eq!(literal(&0.25), "0.25");
        assert_eq!(literal(&f64::NAN), "NaN");
        assert_eq!(literal(&-3i64), "-3");
        assert_eq!(literal(&true), "true");
        assert_eq!(literal(&"12.50".parse::<Decimal>().unwrap()), "12.50");
        assert_eq!(literal(&None::<i32>), "null");
        assert_eq!(literal(&Some("it's")), r"'it\'s'");
        assert_eq!(list(&["a", "b'"]), r"('a','b\'')");
        assert_eq!(list::<i32>(&[]), "()");
        assert_eq!(literal(&vec![d, d]), "(2024-01-31,2024-01-31)");
    }
}
