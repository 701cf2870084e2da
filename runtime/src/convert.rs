//! String ↔ type conversions for every XML Schema type Salesforce sends, in one place.
//!
//! The same functions back generated fields ([`XmlText`]) and the typed getters of the
//! dynamic [`SObject`](crate::SObject).

use crate::xml::{XmlText, XmlWriter};
use base64::Engine as _;

/// `xsd:decimal` and currency values: exact, never rounded through `f64`.
pub use rust_decimal::Decimal;

/// `xsd:date`: a calendar date without a zone (`2024-02-29`).
pub type Date = chrono::NaiveDate;

/// `xsd:dateTime`: an instant, in UTC (`2013-05-22T17:07:44.000Z`).
pub type DateTime = chrono::DateTime<chrono::Utc>;

/// `xsd:time`: a time of day (`13:05:00.000Z`).
pub type Time = chrono::NaiveTime;

/// `xsd:base64Binary`: bytes, base64 on the wire.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Binary(pub Vec<u8>);

impl std::fmt::Debug for Binary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Binary({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary(bytes)
    }
}

impl XmlText for String {
    const XSD_TYPE: &'static str = "string";
    fn parse_text(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
    fn write_text(&self, writer: &mut XmlWriter) {
        writer.text(self);
    }
}

/// Parses `xsd:boolean`: `true`, `false`, `1`, `0` (surrounding whitespace allowed).
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

impl XmlText for bool {
    const XSD_TYPE: &'static str = "boolean";
    fn parse_text(text: &str) -> Option<Self> {
        parse_bool(text)
    }
    fn write_text(&self, writer: &mut XmlWriter) {
        writer.raw(if *self { "true" } else { "false" });
    }
}

impl XmlText for i32 {
    const XSD_TYPE: &'static str = "int";
    fn parse_text(text: &str) -> Option<Self> {
        text.trim().parse().ok()
    }
    fn write_text(&self, writer: &mut XmlWriter) {
        writer.display(self);
    }
}

impl XmlText for i64 {
    const XSD_TYPE: &'static str = "long";
    fn parse_text(text: &str) -> Option<Self> {
        text.trim().parse().ok()
    }
    fn write_text(&self, writer: &mut XmlWriter) {
        writer.display(self);
    }
}

/// Parses `xsd:double`, including Java-style exponents (`5.0E7`) and `INF`/`-INF`/`NaN`.
pub fn parse_double(text: &str) -> Option<f64> {
    match text.trim() {
        "INF" => Some(f64::INFINITY),
        "-INF" => Some(f64::NEG_INFINITY),
        "NaN" => Some(f64::NAN),
        t => t.parse().ok(),
    }
}

impl XmlText for f64 {
    const XSD_TYPE: &'static str = "double";
    fn parse_text(text: &str) -> Option<Self> {
        parse_double(text)
    }
    fn write_text(&self, writer: &mut XmlWriter) {
        if self.is_nan() {
            writer.raw("NaN");
        } else if self.is_infinite() {
            writer.raw(if *self > 0.0 { "INF" } else { "-INF" });
        } else {
            writer.display(self);
        }
    }
}

/// Parses `xsd:decimal` exactly; accepts exponent forms (`5.0E7`) as Salesforce sends them.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    if t.contains(['e', 'E']) {
        Decimal::from_scientific(t).ok()
    } else {
        t.parse().ok()
    }
}

/// Parses a whole number as Salesforce sends number fields: `42`, and also `42.0` or
/// `5.0E7` (a decimal form with no fractional part). `None` for `4.5` or out of range.
pub fn parse_whole_number(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(v) = t.parse::<i64>() {
        return Some(v);
    }
    let d = parse_decimal(t)?;
    if d.fract().is_zero() {
        i64::try_from(d).ok()
    } else {
        None
    }
}

impl XmlText for Decimal {
    const XSD_TYPE: &'static str = "decimal";
    fn parse_text(text: &str) -> Option<Self> {
        parse_decimal(text)
    }
    fn write_text(&self, writer: &mut XmlWriter) {
        writer.display(self);
    }
}

/// Parses `xsd:date` (`2024-02-29`; a trailing zone such as `Z` is accepted and ignored).
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    let t = t.strip_suffix('Z').unwrap_or(t);
    Date::parse_from_str(t.get(..10)?, "%Y-%m-%d")
        .ok()
        .filter(|_| t.len() == 10 || t[10..].starts_with(['+', '-']))
}

impl XmlText for Date {
    const XSD_TYPE: &'static str = "date";
    fn parse_text(text: &str) -> Option<Self> {
        parse_date(text)
    }
    fn write_text(&self, writer: &mut XmlWriter) {
        writer.display(self.format("%Y-%m-%d"));
    }
}

/// Parses `xsd:dateTime` with a zone (`2013-05-22T17:07:44.000Z`, `…+02:00`) into UTC;
/// a value without a zone is taken as UTC, as Salesforce means it.
pub fn parse_datetime(text: &str) -> Option<DateTime> {
    let t = text.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(dt.with_timezone(&chrono::Utc));
    }
    chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|n| n.and_utc())
}

impl XmlText for DateTime {
    const XSD_TYPE: &'static str = "dateTime";
    fn parse_text(text: &str) -> Option<Self> {
        parse_datetime(text)
    }
    fn write_text(&self, writer: &mut XmlWriter) {
        writer.display(self.format("%Y-%m-%dT%H:%M:%S%.3fZ"));
    }
}

/// Parses `xsd:time` (`13:05:00.000Z`, `13:05:00`).
pub fn parse_time(text: &str) -> Option<Time> {
    let t = text.trim();
    let t = t.strip_suffix('Z').unwrap_or(t);
    Time::parse_from_str(t, "%H:%M:%S%.f").ok()
}

impl XmlText for Time {
    const XSD_TYPE: &'static str = "time";
    fn parse_text(text: &str) -> Option<Self> {
        parse_time(text)
    }
    fn write_text(&self, writer: &mut XmlWriter) {
        writer.display(self.format("%H:%M:%S%.3fZ"));
    }
}

/// Decodes `xsd:base64Binary` (whitespace and line breaks inside are allowed).
pub fn parse_base64(text: &str) -> Option<Vec<u8>> {
    let compact: String;
    let t = if text.bytes().any(|b| b.is_ascii_whitespace()) {
        compact = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        &compact
    } else {
        text
    };
    base64::engine::general_purpose::STANDARD.decode(t).ok()
}

/// Encodes bytes as `xsd:base64Binary`.
pub fn encode_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

impl XmlText for Binary {
    const XSD_TYPE: &'static str = "base64Binary";
    fn parse_text(text: &str) -> Option<Self> {
        parse_base64(text).map(Binary)
    }
    fn write_text(&self, writer: &mut XmlWriter) {
        writer.raw(&encode_base64(&self.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_take_java_exponents() {
        assert_eq!(parse_double("5.0E7"), Some(5.0e7));
        assert_eq!(parse_double(" 12.5 "), Some(12.5));
        assert_eq!(parse_double("abc"), None);
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(parse_decimal("0.1").unwrap().to_string(), "0.1");
        assert_eq!(parse_decimal("5.0E7").unwrap(), Decimal::from(50_000_000));
    }

    #[test]
    fn datetimes_from_salesforce() {
        let dt = parse_datetime("2013-05-22T17:07:44.000Z").unwrap();
        assert_eq!(dt.to_rfc3339(), "2013-05-22T17:07:44+00:00");
        assert!(parse_datetime("2013-05-22").is_none());
        let mut w = XmlWriter::new();
        dt.write_text(&mut w);
        assert_eq!(w.as_str(), "2013-05-22T17:07:44.000Z");
    }

    #[test]
    fn dates_and_times() {
        assert_eq!(parse_date("2024-02-29"), Date::from_ymd_opt(2024, 2, 29));
        assert!(parse_date("2023-02-29").is_none());
        assert!(parse_date("2024-02-29T00:00:00Z").is_none());
        assert_eq!(parse_time("13:05:00.000Z"), Time::from_hms_opt(13, 5, 0));
    }

    #[test]
    fn booleans_and_base64() {
        assert_eq!(parse_bool("1"), Some(true));
        assert_eq!(parse_bool("TRUE"), None);
        assert_eq!(parse_base64("aGVs\nbG8="), Some(b"hello".to_vec()));
        assert_eq!(encode_base64(b"hello"), "aGVsbG8=");
    }
}
