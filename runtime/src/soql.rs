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
//! let q = format!("SELECT Id FROM Account WHERE Name LIKE '{}%'", soql::escape_like("50%_off"));
//! assert_eq!(q, r"SELECT Id FROM Account WHERE Name LIKE '50\%\_off%'");
//! ```

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
/// wildcards around it: `format!("Name LIKE '{}%'", escape_like(prefix))`. Only valid
/// inside a `LIKE` pattern (the server rejects `\%` elsewhere).
pub fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    escape_into(&mut out, s, true);
    out
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
    note = "text fields take String/&str, Id fields sforce::Id or text, numbers the integer \
            and float types or Decimal, dates sforce::Date, datetimes sforce::DateTime, \
            times sforce::Time, booleans bool"
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
    str => Text, Id, Any;
    String => Text, Id, Any;
    crate::sobject::Text => Text, Any;
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
