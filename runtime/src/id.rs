//! Salesforce record Ids: 15 characters, case-sensitive, or 18 characters with a suffix
//! that encodes the case of the first 15 (so that the Id survives case-insensitive
//! systems such as spreadsheets).
//!
//! [`Id`] always holds the 18-character form; [`Id::to_15`] gives the short one back.
//!
//! ```
//! use sforce::Id;
//!
//! let id = Id::new("001d000000Kj8cA")?;
//! assert_eq!(id.as_str(), "001d000000Kj8cAAAR");
//! assert_eq!(id.to_15(), "001d000000Kj8cA");
//! assert_eq!(id.key_prefix(), "001");
//!
//! // An 18-character Id whose letters lost their case is repaired from its suffix.
//! assert_eq!(Id::new("001D000000KJ8CAAAR")?, id);
//! # Ok::<(), sforce::IdError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use arrayvec::ArrayString;

use crate::error::Error;
use crate::xml::{read_text_value, Element, FromXml, ToXml, XmlReader, XmlText, XmlWriter};

/// The characters of the suffix: bit patterns 0..=25 are `A`..=`Z`, 26..=31 are `0`..=`5`.
const SUFFIX_CHARS: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// A Salesforce record Id, always in its 18-character form.
///
/// Made from a 15-character Id (the suffix is computed) or an 18-character one (the suffix
/// is checked, and the letter case of the first 15 characters repaired from it when it was
/// lost). Compares, orders and hashes by the 18-character form, so the 15- and the
/// 18-character spelling of one record give equal Ids.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(ArrayString<18>);

/// Why a text is not a Salesforce Id; names the text (Ids are not secret) and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdError {
    value: String,
    reason: String,
}

impl IdError {
    fn new(value: &str, reason: impl Into<String>) -> Self {
        const MAX: usize = 40;
        let value = if value.chars().count() > MAX {
            let cut: String = value.chars().take(MAX).collect();
            format!("{cut}…")
        } else {
            value.to_owned()
        };
        IdError {
            value,
            reason: reason.into(),
        }
    }

    /// The text that was rejected (cut short when long).
    pub fn value(&self) -> &str {
        &self.value
    }

    /// What is wrong with it.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a Salesforce Id: {}",
            self.value, self.reason
        )
    }
}

impl std::error::Error for IdError {}

/// The 3-character suffix for the 15 characters `id` (all ASCII alphanumeric).
fn suffix(id: &[u8]) -> [u8; 3] {
    let mut out = [0u8; 3];
    for (group, chunk) in id.chunks(5).enumerate() {
        let mut bits = 0usize;
        for (i, c) in chunk.iter().enumerate() {
            if c.is_ascii_uppercase() {
                bits |= 1 << i;
            }
        }
        out[group] = SUFFIX_CHARS[bits];
    }
    out
}

/// The 5 case bits a suffix character stands for (any case), if it is one.
fn suffix_bits(c: u8) -> Option<u8> {
    let c = c.to_ascii_uppercase();
    SUFFIX_CHARS.iter().position(|&s| s == c).map(|p| p as u8)
}

impl Id {
    /// Parses a 15- or 18-character Id. Only `0-9`, `A-Z` and `a-z` are allowed. An
    /// 18-character Id must have a valid suffix: when the case of its letters does not
    /// match the suffix (the Id went through a case-insensitive system), the case is
    /// repaired from the suffix, and it is an error if it still does not match (the suffix
    /// asks for an uppercase digit, or has a character no suffix has). The suffix decides,
    /// as Salesforce reads an 18-character Id without regard to case.
    pub fn new(s: &str) -> Result<Id, IdError> {
        let bytes = s.as_bytes();
        if bytes.len() != 15 && bytes.len() != 18 {
            return Err(IdError::new(
                s,
                format!(
                    "it is {} characters long; an Id has 15 or 18",
                    s.chars().count()
                ),
            ));
        }
        if let Some((at, c)) = s.char_indices().find(|(_, c)| !c.is_ascii_alphanumeric()) {
            return Err(IdError::new(
                s,
                format!(
                    "character {} is {c:?}; an Id has only the letters A-Z, a-z and the digits 0-9",
                    at + 1
                ),
            ));
        }
        let mut head = [0u8; 15];
        head.copy_from_slice(&bytes[..15]);
        if bytes.len() == 18 {
            let given = &bytes[15..];
            if !suffix(&head).eq_ignore_ascii_case(given) {
                repair_case(s, &mut head, given)?;
            }
        }
        let mut out = ArrayString::<18>::new();
        for &c in head.iter().chain(suffix(&head).iter()) {
            out.push(char::from(c));
        }
        Ok(Id(out))
    }

    /// An Id as a server wrote it: a 15-character one gets its suffix, an 18-character one
    /// made of `0-9`, `A-Z`, `a-z` is kept exactly as written, without checking or
    /// repairing its suffix. What Salesforce sends always has a valid suffix; test
    /// doubles and captured fixtures often carry made-up ones, and a response is read as
    /// it was sent, not rewritten. Use [`Id::new`] for Ids that come from people.
    pub fn from_server(s: &str) -> Result<Id, IdError> {
        if s.len() != 18 || !s.bytes().all(|c| c.is_ascii_alphanumeric()) {
            return Id::new(s);
        }
        ArrayString::from(s).map(Id).or_else(|_| Id::new(s))
    }

    /// The 18-character form (`001d000000Kj8cAAAR`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 15-character form (`001d000000Kj8cA`), case-sensitive.
    pub fn to_15(&self) -> &str {
        &self.0[..15]
    }

    /// The first three characters, which name the sObject type (`001` is Account,
    /// `003` Contact, `005` User).
    pub fn key_prefix(&self) -> &str {
        &self.0[..3]
    }
}

/// Sets the case of the letters in `head` from the suffix `given`; an error when the
/// suffix is not made of suffix characters or asks for an uppercase digit.
fn repair_case(original: &str, head: &mut [u8; 15], given: &[u8]) -> Result<(), IdError> {
    let expected = suffix(head);
    let mismatch = || {
        IdError::new(
            original,
            format!(
                "its last 3 characters `{}` are not the checksum of the first 15 (expected `{}`)",
                String::from_utf8_lossy(given),
                String::from_utf8_lossy(&expected)
            ),
        )
    };
    for (group, &c) in given.iter().enumerate() {
        let bits = suffix_bits(c).ok_or_else(mismatch)?;
        for i in 0..5 {
            let at = group * 5 + i;
            let upper = bits & (1 << i) != 0;
            let b = head[at];
            if b.is_ascii_alphabetic() {
                head[at] = if upper {
                    b.to_ascii_uppercase()
                } else {
                    b.to_ascii_lowercase()
                };
            } else if upper {
                return Err(mismatch());
            }
        }
    }
    if suffix(head).eq_ignore_ascii_case(given) {
        Ok(())
    } else {
        Err(mismatch())
    }
}

/// The empty key `000000000000000AAA`, which Salesforce itself uses for "no record" (the
/// master record type is `012000000000000AAA`): what a required Id field of a generated
/// struct holds before it is set.
impl Default for Id {
    fn default() -> Self {
        let mut text = ArrayString::new();
        let _ = text.try_push_str("000000000000000AAA");
        Id(text)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.as_str())
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Id {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Id::new(s)
    }
}

impl TryFrom<&str> for Id {
    type Error = IdError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Id::new(s)
    }
}

impl TryFrom<String> for Id {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Id::new(&s)
    }
}

impl TryFrom<&String> for Id {
    type Error = IdError;
    fn try_from(s: &String) -> Result<Self, Self::Error> {
        Id::new(s)
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<Id> for String {
    fn from(id: Id) -> Self {
        id.as_str().to_owned()
    }
}

impl PartialEq<str> for Id {
    /// Equal to a 15- or 18-character spelling of the same Id (an Id read from a server
    /// also to exactly the text it was read from).
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other || Id::new(other).is_ok_and(|o| o == *self)
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

/// `xsd:ID` text: a 15- or 18-character Id (surrounding whitespace ignored); written in
/// the 18-character form. An 18-character Id read from a response is kept as the server
/// wrote it ([`Id::from_server`]).
impl XmlText for Id {
    const XSD_TYPE: &'static str = "ID";
    fn parse_text(text: &str) -> Option<Self> {
        Id::from_server(text.trim()).ok()
    }
    fn write_text(&self, writer: &mut XmlWriter) {
        writer.raw(self.as_str());
    }
}

impl FromXml for Id {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        read_text_value(reader, element)
    }
}

impl ToXml for Id {
    fn write_xml(&self, writer: &mut XmlWriter, tag: &str) {
        writer.open(tag);
        self.write_text(writer);
        writer.close(tag);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_server_keeps_an_18_character_id_as_written() {
        // A made-up suffix (digits cannot be uppercase) and a suffix that disagrees with
        // the case: kept as sent, where `new` refuses or repairs them.
        for text in ["001160000000000AAG", "005A000000AAAAAIAY"] {
            assert_eq!(Id::from_server(text).unwrap().as_str(), text);
            assert_eq!(Id::from_server(text).unwrap(), text);
        }
        assert!(Id::new("001160000000000AAG").is_err());
        assert_eq!(
            Id::new("005A000000AAAAAIAY").unwrap().as_str(),
            "005A000000aaaAAIAY"
        );
        // 15 characters get their suffix; anything else is refused as by `new`.
        assert_eq!(
            Id::from_server("001d000000Kj8cA").unwrap(),
            Id::new("001d000000Kj8cA").unwrap()
        );
        for bad in ["", "001", "001d000000Kj8cAAA!", "001d000000Kj8cAAARX"] {
            assert!(Id::from_server(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn default_is_the_empty_key() {
        assert_eq!(Id::default(), Id::new("000000000000000").unwrap());
        assert_eq!(Id::default().as_str(), "000000000000000AAA");
    }

    #[test]
    fn suffix_of_a_known_id() {
        assert_eq!(&suffix(b"001d000000Kj8cA"), b"AAR");
        assert_eq!(&suffix(b"000000000000000"), b"AAA");
        assert_eq!(&suffix(b"AAAAAAAAAAAAAAA"), b"555");
        assert_eq!(suffix_bits(b'5'), Some(31));
        assert_eq!(suffix_bits(b'a'), Some(0));
        assert_eq!(suffix_bits(b'9'), None);
    }
}
