//! Streaming XML: the reader and writer every envelope goes through, and the two traits
//! generated types implement.

mod reader;
mod writer;

pub use reader::{line_column, Content, Element, XmlReader, XSI_NS};
pub use writer::XmlWriter;

use crate::error::Error;

/// A value read from an element. Generated types implement it; so do the primitives.
pub trait FromXml: Sized {
    /// Reads the content of `element` (just returned by the reader) up to its end tag.
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error>;
}

/// A value written as an element. Generated types implement it; so do the primitives.
pub trait ToXml {
    /// Writes `self` as the element `tag` (prefix included), start tag to end tag.
    fn write_xml(&self, writer: &mut XmlWriter, tag: &str);
}

/// A value with a text form on the wire (`xsd:int`, `xsd:dateTime`, enumerations).
pub trait XmlText: Sized {
    /// The XML Schema type name, for error messages (`int`, `dateTime`).
    const XSD_TYPE: &'static str;
    /// Parses the element's text.
    fn parse_text(text: &str) -> Option<Self>;
    /// Writes the text form (unescaped; the writer escapes).
    fn write_text(&self, writer: &mut XmlWriter);
}

/// Reads the text of `element` and parses it as `T`, with an error naming the element,
/// the value and where it was.
pub fn read_text_value<T: XmlText>(
    reader: &mut XmlReader<'_>,
    element: &Element<'_>,
) -> Result<T, Error> {
    let text = reader.text(element)?;
    T::parse_text(&text).ok_or_else(|| {
        reader.error_at(
            element.offset(),
            format!(
                "element `{}`: `{}` is not a valid {}",
                element.name(),
                text,
                T::XSD_TYPE
            ),
        )
    })
}

macro_rules! text_value {
    ($($ty:ty),*) => {$(
        impl FromXml for $ty {
            fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
                read_text_value(reader, element)
            }
        }
        impl ToXml for $ty {
            fn write_xml(&self, writer: &mut XmlWriter, tag: &str) {
                writer.open(tag);
                self.write_text(writer);
                writer.close(tag);
            }
        }
    )*};
}

text_value!(
    String,
    bool,
    i32,
    i64,
    f64,
    crate::convert::Decimal,
    crate::convert::Date,
    crate::convert::DateTime,
    crate::convert::Time,
    crate::convert::Binary
);

impl<T: FromXml> FromXml for Option<T> {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        if element.is_nil() {
            reader.skip(element)?;
            Ok(None)
        } else {
            T::read_xml(reader, element).map(Some)
        }
    }
}

impl<T: ToXml> ToXml for Option<T> {
    fn write_xml(&self, writer: &mut XmlWriter, tag: &str) {
        if let Some(value) = self {
            value.write_xml(writer, tag);
        }
    }
}

impl<T: ToXml> ToXml for Vec<T> {
    fn write_xml(&self, writer: &mut XmlWriter, tag: &str) {
        for value in self {
            value.write_xml(writer, tag);
        }
    }
}

impl<T: FromXml> FromXml for Box<T> {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        T::read_xml(reader, element).map(Box::new)
    }
}

impl<T: ToXml> ToXml for Box<T> {
    fn write_xml(&self, writer: &mut XmlWriter, tag: &str) {
        (**self).write_xml(writer, tag);
    }
}

impl<T: ToXml + ?Sized> ToXml for &T {
    fn write_xml(&self, writer: &mut XmlWriter, tag: &str) {
        (**self).write_xml(writer, tag);
    }
}

impl ToXml for str {
    fn write_xml(&self, writer: &mut XmlWriter, tag: &str) {
        writer.text_element(tag, self);
    }
}
