//! The declarations generated bindings are written in: `complex_type!` (a struct with its
//! reader and writer from one table of fields) and `enumeration!` (an enum from one table
//! of `Variant = "value"`), with the helpers their expansions call. Generated code reaches
//! them through `__private`; they are not for direct use.

use super::{read_item, Children, Element, FromXml, ToXml, XmlReader, XmlWriter};
use crate::any::AnyElement;
use crate::error::Error;
use crate::fault::FaultDetail;

/// The local part of a `prefix:name` tag (the whole tag without a prefix): what a reader
/// compares a child's local name with. A `const fn`, so that each comparison is against a
/// constant.
pub const fn local_name(tag: &'static str) -> &'static str {
    let bytes = tag.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' {
            let (_, rest) = bytes.split_at(i + 1);
            return match std::str::from_utf8(rest) {
                Ok(rest) => rest,
                Err(_) => tag,
            };
        }
        i += 1;
    }
    tag
}

/// The position of `tag` in `tags` (`tags.len()` if absent): the index under which
/// `Children` tracks a field that may appear once.
pub const fn tag_index(tags: &[&str], tag: &str) -> usize {
    let mut i = 0;
    while i < tags.len() {
        if same(tags[i].as_bytes(), tag.as_bytes()) {
            return i;
        }
        i += 1;
    }
    tags.len()
}

const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Writes an optional element the schema requires but allows nil: `None` is written as
/// `xsi:nil="true"`.
pub fn write_nillable<T: ToXml>(value: &Option<T>, writer: &mut XmlWriter, tag: &str) {
    match value {
        Some(value) => value.write_xml(writer, tag),
        None => writer.nil_element(tag),
    }
}

/// Reads a `T` and wraps it as a variant of a `Kind` enum (a function of its own, so that
/// unoptimized builds do not give each variant a stack slot in the caller).
pub fn read_variant<T: FromXml, K>(
    reader: &mut XmlReader<'_>,
    element: &Element<'_>,
    variant: fn(T) -> K,
) -> Result<K, Error> {
    T::read_xml(reader, element).map(variant)
}

/// Reads one fault detail as `T`, boxed (what a generated `read_fault_detail` returns for
/// a detail type it knows).
pub fn fault_detail<T: FromXml + FaultDetail>(
    reader: &mut XmlReader<'_>,
    element: &Element<'_>,
) -> Result<Option<Box<dyn FaultDetail>>, Error> {
    Ok(Some(Box::new(T::read_xml(reader, element)?)))
}

/// Writes the request header `tag` of one call: the call's own value when it set one,
/// else the client's default, else nothing.
pub fn write_header<T: ToXml>(
    writer: &mut XmlWriter,
    tag: &str,
    call: &Option<T>,
    default: &Option<T>,
) {
    if let Some(value) = call.as_ref().or(default.as_ref()) {
        value.write_xml(writer, tag);
    }
}

impl<const N: usize> Children<'_, '_, '_, N> {
    /// A child no field claims: kept in `open` (the `xsd:any` elements of the type) when
    /// the type has them, else skipped.
    pub fn unknown(
        &mut self,
        child: &Element<'_>,
        open: Option<&mut Vec<AnyElement>>,
    ) -> Result<(), Error> {
        match open {
            Some(list) => read_item(self.reader(), child, list),
            None => self.skip(child),
        }
    }
}

/// Declares a struct for a complex type with its `FromXml` and `ToXml` impls, from one
/// table: each field is `pub name: Type = kind(tag)`, where `tag` is the element as
/// written (`"p:name"`; the reader matches the local part) and `kind` is
///
/// * `one(tag)`: at most once (a second occurrence is an error; nil reads as the default),
/// * `nillable(tag)`: like `one`, and `None` is written as `xsi:nil`,
/// * `strict(tag)`: exactly once, not nil (the protocol elements `done`, `size`, `success`),
/// * `required_if(tag, other)`: like `nillable`, and must be `Some` when the field `other`
///   is true (a successful save result's `id`; a failed one's is written `xsi:nil`),
/// * `many(tag)`: repeated (`Vec`),
/// * `any`: the `Vec<AnyElement>` collecting the children no other field claims.
///
/// Attributes (docs, derives) on the struct and the fields are kept. The struct also gets a
/// private `write_fields` (its content, for `Kind` enums).
#[doc(hidden)]
#[macro_export]
macro_rules! __complex_type {
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $(
                $(#[$fattr:meta])*
                pub $field:ident : $ty:ty = $kind:ident $(($($arg:tt)*))?
            ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        pub struct $name {
            $( $(#[$fattr])* pub $field: $ty, )*
        }

        impl $crate::__private::FromXml for $name {
            fn read_xml(
                reader: &mut $crate::__private::XmlReader<'_>,
                element: &$crate::__private::Element<'_>,
            ) -> ::std::result::Result<Self, $crate::__private::Error> {
                const TAGS: &[&str] = &[$($crate::__complex_field!(@tag $kind $(($($arg)*))?)),*];
                #[allow(unused_mut)]
                let mut out = <Self as ::std::default::Default>::default();
                let mut r = $crate::__private::Children::<{ TAGS.len() }>::new(reader, element);
                while let ::std::option::Option::Some(child) = r.next_child()? {
                    #[allow(unused_variables)]
                    let name = child.local_name();
                    $( $crate::__complex_field!(@read $kind $(($($arg)*))?, TAGS, r, child, name, out.$field); )*
                    #[allow(unused_mut, unused_assignments)]
                    let mut open: ::std::option::Option<&mut ::std::vec::Vec<$crate::__private::AnyElement>> =
                        ::std::option::Option::None;
                    $( $crate::__complex_field!(@open $kind, open, out.$field); )*
                    r.unknown(&child, open)?;
                }
                $( $crate::__complex_field!(@check $kind $(($($arg)*))?, TAGS, r, out, $field); )*
                ::std::result::Result::Ok(out)
            }
        }

        impl $name {
            /// Writes the content (the child elements) of this value.
            #[allow(unused_variables)]
            fn write_fields(&self, writer: &mut $crate::__private::XmlWriter) {
                $( $crate::__complex_field!(@write $kind $(($($arg)*))?, writer, self.$field); )*
            }
        }

        impl $crate::__private::ToXml for $name {
            fn write_xml(&self, writer: &mut $crate::__private::XmlWriter, tag: &str) {
                writer.open(tag);
                self.write_fields(writer);
                writer.close(tag);
            }
        }
    };
}

/// One field of [`__complex_type!`]: its tag, read, check and write by kind.
#[doc(hidden)]
#[macro_export]
macro_rules! __complex_field {
    (@tag any) => {
        ""
    };
    (@tag $kind:ident ($tag:literal $(, $other:ident)?)) => {
        $tag
    };

    (@read any, $tags:ident, $r:ident, $child:ident, $name:ident, $out:ident . $f:ident) => {};
    (@read many ($tag:literal), $tags:ident, $r:ident, $child:ident, $name:ident, $out:ident . $f:ident) => {
        if $name == const { $crate::__private::local_name($tag).as_bytes() } {
            $r.item(&$child, &mut $out.$f)?;
            continue;
        }
    };
    (@read strict ($tag:literal), $tags:ident, $r:ident, $child:ident, $name:ident, $out:ident . $f:ident) => {
        if $name == const { $crate::__private::local_name($tag).as_bytes() } {
            $r.strict(
                &$child,
                const { $crate::__private::tag_index($tags, $tag) },
                &mut $out.$f,
            )?;
            continue;
        }
    };
    (@read $kind:ident ($tag:literal $(, $other:ident)?), $tags:ident, $r:ident, $child:ident, $name:ident, $out:ident . $f:ident) => {
        if $name == const { $crate::__private::local_name($tag).as_bytes() } {
            $r.one(
                &$child,
                const { $crate::__private::tag_index($tags, $tag) },
                &mut $out.$f,
            )?;
            continue;
        }
    };

    (@open any, $open:ident, $out:ident . $f:ident) => {
        $open = ::std::option::Option::Some(&mut $out.$f);
    };
    (@open $kind:ident, $open:ident, $out:ident . $f:ident) => {};

    (@check strict ($tag:literal), $tags:ident, $r:ident, $out:ident, $f:ident) => {
        $r.require(
            const { $crate::__private::tag_index($tags, $tag) },
            const { $crate::__private::local_name($tag) },
        )?;
    };
    (@check required_if ($tag:literal, $other:ident), $tags:ident, $r:ident, $out:ident, $f:ident) => {
        $r.check(
            !$out.$other || $out.$f.is_some(),
            concat!(
                "`",
                stringify!($other),
                "` is true but `",
                stringify!($f),
                "` is missing or nil"
            ),
        )?;
    };
    (@check $kind:ident $(($($arg:tt)*))?, $tags:ident, $r:ident, $out:ident, $f:ident) => {};

    (@write any, $writer:ident, $self_:ident . $f:ident) => {
        $crate::__private::ToXml::write_xml(&$self_.$f, $writer, "");
    };
    (@write nillable ($tag:literal), $writer:ident, $self_:ident . $f:ident) => {
        $crate::__private::write_nillable(&$self_.$f, $writer, $tag);
    };
    (@write required_if ($tag:literal, $other:ident), $writer:ident, $self_:ident . $f:ident) => {
        $crate::__private::write_nillable(&$self_.$f, $writer, $tag);
    };
    (@write $kind:ident ($tag:literal $(, $other:ident)?), $writer:ident, $self_:ident . $f:ident) => {
        $crate::__private::ToXml::write_xml(&$self_.$f, $writer, $tag);
    };
}

/// Declares an enumeration from one table `Variant = "value"` (each value once): the enum
/// (the first variant the `Default`, each variant documented with its value, plus
/// `Other(String)` for values the binding does not know), `as_str`, `From<&str>`,
/// `FromStr`, `Display`, `XmlText`, `FromXml` and `ToXml`. `("xsdName")` after the enum's
/// name is the XML Schema type name, for errors.
#[doc(hidden)]
#[macro_export]
macro_rules! __enumeration {
    (
        $(#[$attr:meta])*
        pub enum $name:ident ($xsd:literal) {
            $(#[$fattr:meta])* $first:ident = $fvalue:literal
            $(, $(#[$vattr:meta])* $variant:ident = $value:literal)* $(,)?
        }
    ) => {
        $crate::__enumeration! {
            @table ("A value this binding does not know (a newer API version may send it).")
            $(#[$attr])*
            pub enum $name {
                $(#[$fattr])* $first = $fvalue
                $(, $(#[$vattr])* $variant = $value)*
            }
        }

        $crate::__text_enum!($name, $xsd);
    };
    (
        $(#[$attr:meta])*
        pub enum $name:ident ($xsd:literal, qname $ns:literal as $prefix:literal) {
            $(#[$fattr:meta])* $first:ident = $fvalue:literal
            $(, $(#[$vattr:meta])* $variant:ident = $value:literal)* $(,)?
        }
    ) => {
        $crate::__enumeration! {
            @table ("A name in another namespace, as written, or an unknown local name in this one.")
            $(#[$attr])*
            ///
            #[doc = concat!("An `xsd:QName` enumeration: each value is a local name in `", $ns, "`, read by")]
            /// resolving the prefix the document binds (any prefix), never by matching prefixed text.
            pub enum $name {
                $(#[$fattr])* $first = $fvalue
                $(, $(#[$vattr])* $variant = $value)*
            }
        }

        impl $name {
            /// The namespace URI of the known values.
            pub const NAMESPACE: &'static str = $ns;
        }

        $crate::__str_enum!($name);

        impl $crate::__private::FromXml for $name {
            fn read_xml(
                reader: &mut $crate::__private::XmlReader<'_>,
                element: &$crate::__private::Element<'_>,
            ) -> ::std::result::Result<Self, $crate::__private::Error> {
                $crate::__private::read_qname(reader, element, $ns, |local| Self::from(local), Self::Other)
            }
        }

        impl $crate::__private::ToXml for $name {
            fn write_xml(&self, writer: &mut $crate::__private::XmlWriter, tag: &str) {
                $crate::__private::write_qname(writer, tag, $prefix, $ns, self.as_str(), ::std::matches!(self, Self::Other(_)));
            }
        }
    };
    // The enum (`Other` documented with the literal), `as_str` and `From<&str>`: what both
    // kinds share.
    (
        @table ($other_doc:literal)
        $(#[$attr:meta])*
        pub enum $name:ident {
            $(#[$fattr:meta])* $first:ident = $fvalue:literal
            $(, $(#[$vattr:meta])* $variant:ident = $value:literal)*
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        pub enum $name {
            #[doc = concat!("`", $fvalue, "`")]
            $(#[$fattr])*
            #[default]
            $first,
            $(
                #[doc = concat!("`", $value, "`")]
                $(#[$vattr])*
                $variant,
            )*
            #[doc = $other_doc]
            Other(::std::string::String),
        }

        impl $name {
            /// The value as it is on the wire (for a `QName` enumeration, the local name);
            /// `Other` as kept.
            pub fn as_str(&self) -> &str {
                match self {
                    Self::$first => $fvalue,
                    $(Self::$variant => $value,)*
                    Self::Other(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $fvalue => Self::$first,
                    $($value => Self::$variant,)*
                    _ => Self::Other(::std::borrow::ToOwned::to_owned(value)),
                }
            }
        }
    };
}

/// Reads an `xsd:QName` value of an enumeration in namespace `ns`: the prefix (or the
/// default namespace) is resolved where the value is written; a name in `ns` is looked up
/// with `known`, anything else is `other` with the text as written.
pub fn read_qname<T>(
    reader: &mut XmlReader<'_>,
    element: &Element<'_>,
    ns: &str,
    known: fn(&str) -> T,
    other: fn(String) -> T,
) -> Result<T, Error> {
    let text = reader.text(element)?;
    let text = text.trim();
    let local = text.split_once(':').map_or(text, |(_, local)| local);
    Ok(match reader.resolve_prefix(text) {
        Some(uri) if uri == ns => known(local),
        _ => other(text.to_owned()),
    })
}

/// Writes an `xsd:QName` enumeration value: a known one as `prefix:local` on an element
/// that declares `prefix` itself (so the value means the same in any envelope), an
/// `Other` one as written.
pub fn write_qname(
    writer: &mut XmlWriter,
    tag: &str,
    prefix: &str,
    ns: &str,
    local: &str,
    other: bool,
) {
    if other {
        writer.text_element(tag, local);
        return;
    }
    writer.open_declaring(tag, prefix, ns);
    writer.text(prefix);
    writer.text(":");
    writer.text(local);
    writer.close(tag);
}
