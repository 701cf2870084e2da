//! Streaming XML: the reader and writer every envelope goes through, and the two traits
//! generated types implement.

mod declare;
mod reader;
mod writer;

pub use declare::{
    fault_detail, local_name, read_qname, read_variant, tag_index, write_header, write_nillable,
    write_qname,
};
pub use reader::{line_column, Content, Deadline, Element, ReadLimits, XmlReader, XSI_NS};
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
        let mut shown: String = text.chars().take(120).collect();
        if shown.len() < text.len() {
            shown.push('…');
        }
        reader.error_at(
            element.offset(),
            format!(
                "element `{}`: `{shown}` is not a valid {}",
                element.name(),
                T::XSD_TYPE
            ),
        )
    })
}

/// Reads a child that may appear once into `slot`: `xsi:nil` gives the default (`None`
/// for an `Option`; the type's default for an element the schema requires, which a
/// server may still send as nil), and a second occurrence is an error naming both
/// elements and the place.
pub fn read_one<T: FromXml + Default>(
    reader: &mut XmlReader<'_>,
    parent: &Element<'_>,
    child: &Element<'_>,
    seen: &mut bool,
    slot: &mut T,
) -> Result<(), Error> {
    once(reader, parent, child, seen)?;
    *slot = if child.is_nil() {
        reader.skip(child)?;
        T::default()
    } else {
        T::read_xml(reader, child)?
    };
    Ok(())
}

/// Like [`read_one`] for an element the protocol depends on (`done`, `size`, `success`):
/// `xsi:nil` is an error rather than a default.
pub fn read_strict<T: FromXml>(
    reader: &mut XmlReader<'_>,
    parent: &Element<'_>,
    child: &Element<'_>,
    seen: &mut bool,
    slot: &mut T,
) -> Result<(), Error> {
    once(reader, parent, child, seen)?;
    if child.is_nil() {
        return Err(reader.error_at(
            child.offset(),
            format!(
                "element `{}` in `{}` is nil, but the protocol needs its value",
                child.name(),
                parent.name()
            ),
        ));
    }
    *slot = T::read_xml(reader, child)?;
    Ok(())
}

/// Reads one item of a repeated child and appends it; `xsi:nil` appends the default, so
/// positions still line up with what was sent (as `retrieve` needs).
pub fn read_item<T: FromXml + Default>(
    reader: &mut XmlReader<'_>,
    child: &Element<'_>,
    list: &mut Vec<T>,
) -> Result<(), Error> {
    list.push(if child.is_nil() {
        reader.skip(child)?;
        T::default()
    } else {
        T::read_xml(reader, child)?
    });
    Ok(())
}

fn once(
    reader: &XmlReader<'_>,
    parent: &Element<'_>,
    child: &Element<'_>,
    seen: &mut bool,
) -> Result<(), Error> {
    if std::mem::replace(seen, true) {
        return Err(reader.error_at(
            child.offset(),
            format!(
                "element `{}` appears a second time in `{}`, which allows one",
                child.name(),
                parent.name()
            ),
        ));
    }
    Ok(())
}

/// After reading `parent`: an error at `parent` when the element `name` the protocol
/// depends on was missing (`seen` false).
pub fn require(
    reader: &XmlReader<'_>,
    parent: &Element<'_>,
    seen: bool,
    name: &str,
) -> Result<(), Error> {
    if seen {
        return Ok(());
    }
    Err(reader.error_at(
        parent.offset(),
        format!(
            "element `{}` has no `{name}`, which the protocol needs",
            parent.name()
        ),
    ))
}

/// After reading `parent`: an error at `parent` saying `element `parent`: message` unless
/// `ok` (a rule between elements, such as a successful save result's `id`).
pub fn check(
    reader: &XmlReader<'_>,
    parent: &Element<'_>,
    ok: bool,
    message: &str,
) -> Result<(), Error> {
    if ok {
        Ok(())
    } else {
        Err(reader.error_at(
            parent.offset(),
            format!("element `{}`: {message}", parent.name()),
        ))
    }
}

/// Reads the children of one element into the fields of a value: the loop every generated
/// reader (and the runtime's own) is written with, one call per field. `N` is the number
/// of fields that may appear once; each has an index below `N`, used to refuse a second
/// occurrence and to require the ones the protocol needs.
///
/// ```
/// use sforce::xml::{Children, XmlReader};
///
/// let xml = b"<r><done>true</done><records>a</records><records>b</records></r>";
/// let mut reader = XmlReader::new(xml);
/// let root = reader.root()?;
/// let (mut done, mut records) = (false, Vec::<String>::new());
/// let mut r = Children::<1>::new(&mut reader, &root);
/// while let Some(child) = r.next_child()? {
///     match child.local_name() {
///         b"done" => r.strict(&child, 0, &mut done)?,
///         b"records" => r.item(&child, &mut records)?,
///         _ => r.skip(&child)?,
///     }
/// }
/// r.require(0, "done")?;
/// assert!(done);
/// assert_eq!(records, ["a", "b"]);
/// # Ok::<(), sforce::Error>(())
/// ```
#[derive(Debug)]
pub struct Children<'r, 'a, 'p, const N: usize> {
    reader: &'r mut XmlReader<'a>,
    parent: &'p Element<'p>,
    seen: [bool; N],
}

impl<'r, 'a, 'p, const N: usize> Children<'r, 'a, 'p, N> {
    /// Starts reading the children of `parent` (just returned by `reader`).
    pub fn new(reader: &'r mut XmlReader<'a>, parent: &'p Element<'p>) -> Self {
        Children {
            reader,
            parent,
            seen: [false; N],
        }
    }

    /// The next child, or `None` at the parent's end tag.
    pub fn next_child(&mut self) -> Result<Option<Element<'a>>, Error> {
        self.reader.next_child(self.parent)
    }

    /// [`read_one`]: field `index`, which may appear once.
    pub fn one<T: FromXml + Default>(
        &mut self,
        child: &Element<'_>,
        index: usize,
        slot: &mut T,
    ) -> Result<(), Error> {
        read_one(self.reader, self.parent, child, &mut self.seen[index], slot)
    }

    /// [`read_strict`]: field `index`, which the protocol needs (not nil, once).
    pub fn strict<T: FromXml>(
        &mut self,
        child: &Element<'_>,
        index: usize,
        slot: &mut T,
    ) -> Result<(), Error> {
        read_strict(self.reader, self.parent, child, &mut self.seen[index], slot)
    }

    /// [`read_item`]: one more item of a repeated field.
    pub fn item<T: FromXml + Default>(
        &mut self,
        child: &Element<'_>,
        list: &mut Vec<T>,
    ) -> Result<(), Error> {
        read_item(self.reader, child, list)
    }

    /// Skips a child nothing reads (an element a newer server added).
    pub fn skip(&mut self, child: &Element<'_>) -> Result<(), Error> {
        self.reader.skip(child)
    }

    /// After the loop: [`require`] that field `index` (`name` on the wire) was there.
    pub fn require(&self, index: usize, name: &str) -> Result<(), Error> {
        require(self.reader, self.parent, self.seen[index], name)
    }

    /// After the loop: [`check`] a rule between fields.
    pub fn check(&self, ok: bool, message: &str) -> Result<(), Error> {
        check(self.reader, self.parent, ok, message)
    }

    /// The reader, for a child read some other way.
    pub fn reader(&mut self) -> &mut XmlReader<'a> {
        self.reader
    }
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
