//! Values the schema leaves open: `xsd:anyType` elements ([`AnyValue`]) and unknown
//! elements collected from an `xsd:any` ([`AnyElement`]).

use std::borrow::Cow;

use crate::convert::{self, Binary, Date, DateTime, Decimal, Time};
use crate::error::Error;
use crate::xml::{Element, FromXml, ToXml, XmlReader, XmlWriter};

/// The XML Schema namespace, which the `xsd:` prefix of `xsi:type` values stands for.
pub const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// The XML Schema built-in type names written with the `xsd:` prefix.
const XSD_BUILTINS: &[&str] = &[
    "anyType",
    "anyURI",
    "base64Binary",
    "boolean",
    "byte",
    "date",
    "dateTime",
    "decimal",
    "double",
    "duration",
    "float",
    "hexBinary",
    "int",
    "integer",
    "long",
    "QName",
    "short",
    "string",
    "time",
];

/// An `xsd:anyType` value, such as a describe field's `defaultValue`: the local part of
/// its `xsi:type` (`string`, `boolean`, `int`, …) and its text.
///
/// Only text content is kept; child elements of a complex value are skipped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnyValue {
    /// Local part of the `xsi:type` attribute (`xsd:boolean` gives `boolean`), if present.
    pub xsi_type: Option<String>,
    /// The text content, entities resolved.
    pub text: String,
}

impl AnyValue {
    /// A value of XML Schema type `xsi_type` (local name, such as `string` or `int`).
    pub fn new(xsi_type: impl Into<String>, text: impl Into<String>) -> Self {
        AnyValue {
            xsi_type: Some(xsi_type.into()),
            text: text.into(),
        }
    }

    /// An `xsd:string` value.
    pub fn string(text: impl Into<String>) -> Self {
        AnyValue::new("string", text)
    }

    /// The local part of `xsi:type`, or `""` when the value came without one.
    pub fn type_name(&self) -> &str {
        self.xsi_type.as_deref().unwrap_or("")
    }

    /// The text, whatever the type.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The text as `xsd:boolean`, if it is one.
    pub fn as_bool(&self) -> Option<bool> {
        convert::parse_bool(&self.text)
    }

    /// The text as `xsd:int`, if it is one.
    pub fn as_int(&self) -> Option<i32> {
        self.text.trim().parse().ok()
    }

    /// The text as `xsd:long`, if it is one.
    pub fn as_long(&self) -> Option<i64> {
        self.text.trim().parse().ok()
    }

    /// The text as `xsd:double` (Java-style exponents accepted), if it is one.
    pub fn as_double(&self) -> Option<f64> {
        convert::parse_double(&self.text)
    }

    /// The text as an exact decimal, if it is one.
    pub fn as_decimal(&self) -> Option<Decimal> {
        convert::parse_decimal(&self.text)
    }

    /// The text as `xsd:date`, if it is one.
    pub fn as_date(&self) -> Option<Date> {
        convert::parse_date(&self.text)
    }

    /// The text as `xsd:dateTime`, if it is one.
    pub fn as_datetime(&self) -> Option<DateTime> {
        convert::parse_datetime(&self.text)
    }

    /// The text as `xsd:time`, if it is one.
    pub fn as_time(&self) -> Option<Time> {
        convert::parse_time(&self.text)
    }

    /// The text decoded as `xsd:base64Binary`, if it is valid base64.
    pub fn as_base64(&self) -> Option<Binary> {
        convert::parse_base64(&self.text).map(Binary)
    }

    /// Writes ` xmlns:xsd="…" xsi:type="xsd:T"` (or ` xsi:type="T"` for a name that is not
    /// an XML Schema built-in) inside a start tag. Declaring `xsd` on the element itself
    /// keeps the value correct whatever prefixes the envelope declares.
    pub(crate) fn write_type_attributes(&self, writer: &mut XmlWriter) {
        let Some(t) = self.xsi_type.as_deref().filter(|t| !t.is_empty()) else {
            return;
        };
        if XSD_BUILTINS.contains(&t) {
            writer.raw(" xmlns:xsd=\"");
            writer.raw(XSD_NS);
            writer.raw("\" xsi:type=\"xsd:");
        } else {
            writer.raw(" xsi:type=\"");
        }
        writer.text(t);
        writer.raw("\"");
    }
}

/// True when `text` is a valid value of the XML Schema built-in `local` (`int`,
/// `dateTime`, …); types without a check here (`string`, `anyURI`, …) accept any text.
fn valid_builtin(local: &str, text: &str) -> bool {
    let trimmed = text.trim();
    let whole = |min: i64, max: i64| {
        convert::parse_whole_number(trimmed).is_some_and(|n| (min..=max).contains(&n))
    };
    match local {
        "boolean" => convert::parse_bool(text).is_some(),
        "byte" => whole(i8::MIN.into(), i8::MAX.into()),
        "short" => whole(i16::MIN.into(), i16::MAX.into()),
        "int" => whole(i32::MIN.into(), i32::MAX.into()),
        "long" => convert::parse_whole_number(trimmed).is_some(),
        "integer" => {
            let digits = trimmed.strip_prefix(['-', '+']).unwrap_or(trimmed);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        }
        "double" | "float" => convert::parse_double(text).is_some(),
        "decimal" => convert::parse_decimal(text).is_some(),
        "date" => convert::parse_date(text).is_some(),
        "dateTime" => convert::parse_datetime(text).is_some(),
        "time" => convert::parse_time(text).is_some(),
        "base64Binary" => convert::parse_base64(text).is_some(),
        _ => true,
    }
}

/// Reads `element` as an [`AnyValue`]: its `xsi:type` (local part) and text. A value typed
/// as an XML Schema built-in (the prefix bound to the XML Schema namespace) must be valid
/// for that type: `<v xsi:type="xsd:int">x</v>` is an error naming the element and value.
pub(crate) fn read_any_value(
    reader: &mut XmlReader<'_>,
    element: &Element<'_>,
) -> Result<AnyValue, Error> {
    let raw = element
        .xsi_type_raw()
        .map(|raw| String::from_utf8_lossy(&raw).into_owned());
    let text = reader.text(element)?.into_owned();
    let Some(raw) = raw else {
        return Ok(AnyValue {
            xsi_type: None,
            text,
        });
    };
    let local = raw.rsplit(':').next().unwrap_or(&raw).to_owned();
    if !valid_builtin(&local, &text) && reader.resolve_prefix(&raw).as_deref() == Some(XSD_NS) {
        let mut shown: String = text.chars().take(120).collect();
        if shown.len() < text.len() {
            shown.push('…');
        }
        return Err(reader.error_at(
            element.offset(),
            format!(
                "element `{}`: `{shown}` is not a valid {local} (its xsi:type is `{raw}`)",
                element.name()
            ),
        ));
    }
    Ok(AnyValue {
        xsi_type: Some(local),
        text,
    })
}

impl FromXml for AnyValue {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        read_any_value(reader, element)
    }
}

/// Writes `<tag xmlns:xsd="http://www.w3.org/2001/XMLSchema" xsi:type="xsd:int">5</tag>`.
impl ToXml for AnyValue {
    fn write_xml(&self, writer: &mut XmlWriter, tag: &str) {
        writer.raw("<");
        writer.raw(tag);
        self.write_type_attributes(writer);
        writer.raw(">");
        writer.text(&self.text);
        writer.close(tag);
    }
}

/// An element the schema did not name, kept from an `xsd:any` wildcard: its name as
/// written (prefix included), its text, and whether it was `xsi:nil`.
///
/// Written back under the same name; the prefix must be declared where it is written
/// (a name read from a response carries the response's prefix).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnyElement {
    /// The element name with its prefix as written (`sf:Name`), or without one.
    pub name: String,
    /// The text content, entities resolved (empty for a nil element).
    pub text: String,
    /// `xsi:nil="true"` was set.
    pub nil: bool,
}

impl AnyElement {
    /// An element `name` (prefix included) holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        AnyElement {
            name: name.into(),
            text: text.into(),
            nil: false,
        }
    }

    /// The name without its prefix.
    pub fn local_name(&self) -> &str {
        match self.name.rsplit_once(':') {
            Some((_, local)) => local,
            None => &self.name,
        }
    }
}

impl FromXml for AnyElement {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        let name = std::str::from_utf8(element.qualified_name())
            .map_err(|_| reader.error_at(element.offset(), "element name is not UTF-8"))?
            .to_owned();
        let nil = element.is_nil();
        let text = if nil {
            reader.skip(element)?;
            String::new()
        } else {
            reader.text(element)?.into_owned()
        };
        Ok(AnyElement { name, text, nil })
    }
}

/// `name` with every character that cannot be in an XML name replaced by `_`, so that a
/// name can never inject markup.
fn safe_name(name: &str) -> Cow<'_, str> {
    let valid = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':');
    if name.chars().all(valid) {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(
            name.chars()
                .map(|c| if valid(c) { c } else { '_' })
                .collect(),
        )
    }
}

/// Writes the element under its own [`name`](AnyElement::name) (characters that cannot be
/// in an XML name replaced by `_`); `tag` is used only when the name is empty.
impl ToXml for AnyElement {
    fn write_xml(&self, writer: &mut XmlWriter, tag: &str) {
        let name = if self.name.is_empty() {
            Cow::Borrowed(tag)
        } else {
            safe_name(&self.name)
        };
        if self.nil {
            writer.nil_element(&name);
        } else {
            writer.text_element(&name, &self.text);
        }
    }
}
