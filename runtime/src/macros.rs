//! Macros for users of generated bindings.

/// Includes the bindings a `build.rs` generated with `sforce_codegen::Builder`: expands to
/// `include!(concat!(env!("OUT_DIR"), "/<name>.rs"))`, where `<name>` is the WSDL file's stem
/// (or the builder's `module_name`). Use it inside a module; `examples/` does exactly this.
///
/// ```text
/// // build.rs (with `sforce-codegen` in [build-dependencies])
/// fn main() -> Result<(), sforce_codegen::Error> {
///     sforce_codegen::Builder::new()
///         .wsdl("salesforce/partner.wsdl")
///         .generate()?; // writes $OUT_DIR/partner.rs
///     Ok(())
/// }
///
/// // src/lib.rs
/// pub mod partner {
///     sforce::include_bindings!("partner");
/// }
/// ```
#[macro_export]
macro_rules! include_bindings {
    ($name:literal) => {
        include!(concat!(env!("OUT_DIR"), "/", $name, ".rs"));
    };
}

/// Implements `FromStr` (infallible) and `Display` for a generated enumeration through its
/// `From<&str>` and `as_str()`; not for direct use.
#[doc(hidden)]
#[macro_export]
macro_rules! __str_enum {
    ($name:ident) => {
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// Implements `FromStr`, `Display`, `XmlText`, `FromXml` and `ToXml` for a generated
/// enumeration through its `as_str()` and `From<&str>` (unknown values never fail).
/// Generated code reaches it as `__private::text_enum!`; not for direct use.
#[doc(hidden)]
#[macro_export]
macro_rules! __text_enum {
    ($name:ident, $xsd:literal) => {
        $crate::__str_enum!($name);

        impl $crate::__private::XmlText for $name {
            const XSD_TYPE: &'static str = $xsd;
            fn parse_text(text: &str) -> ::std::option::Option<Self> {
                ::std::option::Option::Some(Self::from(text.trim()))
            }
            fn write_text(&self, writer: &mut $crate::__private::XmlWriter) {
                writer.text(self.as_str());
            }
        }

        impl $crate::__private::FromXml for $name {
            fn read_xml(
                reader: &mut $crate::__private::XmlReader<'_>,
                element: &$crate::__private::Element<'_>,
            ) -> ::std::result::Result<Self, $crate::__private::Error> {
                $crate::__private::read_text_value(reader, element)
            }
        }

        impl $crate::__private::ToXml for $name {
            fn write_xml(&self, writer: &mut $crate::__private::XmlWriter, tag: &str) {
                writer.text_element(tag, self.as_str());
            }
        }
    };
}

/// Whether two API names are the same, ignoring ASCII case: a `const fn` so that `soql!`
/// can check at compile time that a struct is for the queried object.
#[doc(hidden)]
pub const fn same_api_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if !a[i].eq_ignore_ascii_case(&b[i]) {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `T` has a field with this API name (any case): `soql!(T, …)` checks each
/// selected column with it at compile time.
#[doc(hidden)]
pub const fn has_api_name<T: crate::SObjectType>(name: &str) -> bool {
    let fields = T::FIELDS;
    let mut i = 0;
    while i < fields.len() {
        if same_api_name(fields[i].api_name, name) {
            return true;
        }
        i += 1;
    }
    false
}
