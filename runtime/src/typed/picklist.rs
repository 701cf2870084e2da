//! Picklists: the [`Picklist`] trait generated enums implement (through the
//! `__private::picklist!` macro) and [`MultiPicklist`], a multi-select picklist value.

use std::fmt;

use crate::sobject::{quoted, FieldValue};

use super::field::{mismatch, FieldType, Shape};

/// A picklist enum: one variant per value known when the bindings were generated, and an
/// `Other(String)` variant for values added since (reading never fails on a new value).
///
/// Generated enums implement it through a macro; write one by hand like this:
///
/// ```
/// sforce::__private::picklist! {
///     /// `Account.Rating`.
///     pub enum Rating (restricted = false) {
///         /// Hot
///         Hot = "Hot",
///         Warm = "Warm",
///         Cold = "Cold",
///     }
/// }
/// use sforce::Picklist;
///
/// assert_eq!(Rating::from_api("Warm"), Rating::Warm);
/// assert_eq!(Rating::from_api("Lukewarm"), Rating::Other("Lukewarm".into()));
/// assert_eq!(Rating::Cold.as_str(), "Cold");
/// assert_eq!(Rating::VALUES, ["Hot", "Warm", "Cold"]);
/// assert!(!Rating::RESTRICTED);
/// assert_eq!("Hot".parse::<Rating>(), Ok(Rating::Hot));
/// assert_eq!(Rating::Hot.to_string(), "Hot");
/// ```
pub trait Picklist: Sized + Clone {
    /// Whether the server rejects values outside [`Picklist::VALUES`] (a restricted picklist).
    const RESTRICTED: bool;
    /// The API values known when the bindings were generated, in the org's order.
    const VALUES: &'static [&'static str];
    /// The API value.
    fn as_str(&self) -> &str;
    /// The variant for an API value; unknown values give the `Other(String)` variant.
    fn from_api(value: &str) -> Self;
    /// True when the value is one of [`Picklist::VALUES`].
    fn is_known(&self) -> bool;
}

/// `FieldType::from_field` of a picklist enum (what `picklist!` expands to).
pub fn picklist_from_field<P: Picklist>(value: FieldValue, name: &str) -> Result<P, String> {
    match value.as_str() {
        Some(text) => Ok(P::from_api(text)),
        None => Err(mismatch(&format!("a {name} picklist value"), &value)),
    }
}

/// `FieldType::to_field` of a picklist enum: an unknown value of a restricted picklist
/// is an error naming the value and the enum.
pub fn picklist_to_field<P: Picklist>(value: &P, name: &str) -> Result<FieldValue, String> {
    if P::RESTRICTED && !value.is_known() {
        return Err(format!(
            "{} is not a value of the restricted picklist {name} (known values: {})",
            quoted(value.as_str()),
            P::VALUES.join(", ")
        ));
    }
    Ok(FieldValue::from(value.as_str()))
}

/// Defines a picklist enum: the variants, an `Other(String)` variant for unknown values,
/// and impls of [`Picklist`], [`FieldType`], `Display`, `FromStr` (infallible),
/// `From<&str>` and the SOQL binds for text fields. A variant may not be named `Other`.
///
/// Reached as `sforce::__private::picklist!`; see [`Picklist`] for an example.
#[doc(hidden)]
#[macro_export]
macro_rules! __picklist {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident (restricted = $restricted:literal) {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident = $value:literal
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        $vis enum $name {
            $(
                $(#[$variant_meta])*
                $variant,
            )*
            /// A value not known when the bindings were generated: the API value as sent.
            Other(::std::string::String),
        }

        impl $crate::__private::Picklist for $name {
            const RESTRICTED: bool = $restricted;
            const VALUES: &'static [&'static str] = &[$($value),*];
            fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Other(value) => value,
                }
            }
            #[allow(unreachable_patterns)]
            fn from_api(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Other(::std::borrow::ToOwned::to_owned(other)),
                }
            }
            fn is_known(&self) -> bool {
                match self {
                    Self::Other(value) => {
                        <Self as $crate::__private::Picklist>::VALUES.contains(&value.as_str())
                    }
                    _ => true,
                }
            }
        }

        impl $crate::__private::FieldType for $name {
            const SHAPE: $crate::__private::Shape = $crate::__private::Shape::Scalar;
            fn from_field(
                value: $crate::__private::FieldValue,
            ) -> ::std::result::Result<Self, ::std::string::String> {
                $crate::__private::picklist_from_field(value, ::std::stringify!($name))
            }
            fn to_field(
                &self,
            ) -> ::std::result::Result<$crate::__private::FieldValue, ::std::string::String> {
                $crate::__private::picklist_to_field(self, ::std::stringify!($name))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::__private::Picklist::as_str(self))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(<Self as $crate::__private::Picklist>::from_api(value))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                <Self as $crate::__private::Picklist>::from_api(value)
            }
        }

        impl $crate::__private::Literal for $name {
            fn write_literal(&self, out: &mut ::std::string::String) {
                $crate::__private::Literal::write_literal(
                    $crate::__private::Picklist::as_str(self),
                    out,
                );
            }
        }

        impl $crate::__private::SoqlValue<$crate::__private::kind::Text> for $name {}
        impl $crate::__private::SoqlValue<$crate::__private::kind::Any> for $name {}
    };
}

/// A multi-select picklist value: a set of values, `a;b;c` on the wire.
///
/// Values keep the order they were read or inserted in and are never duplicated; two
/// values are equal when they hold the same values in any order. `MultiPicklist<String>`
/// holds any values; `MultiPicklist<P>` for a picklist enum `P` holds typed ones.
///
/// ```
/// use sforce::{FieldType, FieldValue, MultiPicklist};
///
/// let days = MultiPicklist::<String>::from_field(FieldValue::from("Mon;Wed")).unwrap();
/// assert!(days.contains(&"Wed".to_owned()));
/// let mut more = days.clone();
/// assert!(more.insert("Fri".to_owned()));
/// assert!(!more.insert("Mon".to_owned()));
/// assert_eq!(more.to_field(), Ok(FieldValue::from("Mon;Wed;Fri")));
/// assert_eq!(MultiPicklist::<String>::from_field(FieldValue::from("")).unwrap().len(), 0);
/// ```
#[derive(Clone)]
pub struct MultiPicklist<T>(Vec<T>);

impl<T> MultiPicklist<T> {
    /// An empty set.
    pub fn new() -> Self {
        MultiPicklist(Vec::new())
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no values.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The values in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    /// The values as a slice, in order.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }
}

impl<T: PartialEq> MultiPicklist<T> {
    /// Adds `value`; false when it was already there.
    pub fn insert(&mut self, value: T) -> bool {
        if self.0.contains(&value) {
            false
        } else {
            self.0.push(value);
            true
        }
    }

    /// True when `value` is in the set.
    pub fn contains(&self, value: &T) -> bool {
        self.0.contains(value)
    }

    /// Removes `value`; false when it was not there.
    pub fn remove(&mut self, value: &T) -> bool {
        let before = self.0.len();
        self.0.retain(|v| v != value);
        self.0.len() != before
    }
}

impl<T> Default for MultiPicklist<T> {
    fn default() -> Self {
        MultiPicklist::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for MultiPicklist<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(&self.0).finish()
    }
}

impl<T: PartialEq> PartialEq for MultiPicklist<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().all(|v| other.0.contains(v))
    }
}

impl<T: Eq> Eq for MultiPicklist<T> {}

impl<T: PartialEq> FromIterator<T> for MultiPicklist<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut set = MultiPicklist::new();
        for value in iter {
            set.insert(value);
        }
        set
    }
}

impl<T: PartialEq> Extend<T> for MultiPicklist<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for value in iter {
            self.insert(value);
        }
    }
}

impl<T> IntoIterator for MultiPicklist<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a MultiPicklist<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// The values of `a;b;c` (none for an empty text).
fn split(value: &FieldValue) -> Result<impl Iterator<Item = &str>, String> {
    let text = value
        .as_str()
        .ok_or_else(|| mismatch("a multi-select picklist value (`a;b;c`)", value))?;
    Ok(text.split(';').filter(|v| !v.is_empty()))
}

/// `a;b;c`; a value containing `;` cannot be written.
fn join<'a>(values: impl Iterator<Item = &'a str>) -> Result<FieldValue, String> {
    let mut out = String::new();
    for (i, value) in values.enumerate() {
        if value.contains(';') {
            return Err(format!(
                "multi-select picklist value {} contains `;`, which separates values",
                quoted(value)
            ));
        }
        if i > 0 {
            out.push(';');
        }
        out.push_str(value);
    }
    Ok(FieldValue::from(out))
}

impl<T: Picklist + PartialEq> FieldType for MultiPicklist<T> {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        Ok(split(&value)?.map(T::from_api).collect())
    }
    /// An unknown value of a restricted picklist is an error, as for a single value.
    fn to_field(&self) -> Result<FieldValue, String> {
        if T::RESTRICTED {
            if let Some(unknown) = self.0.iter().find(|v| !v.is_known()) {
                let name = std::any::type_name::<T>();
                let name = name.rsplit("::").next().unwrap_or(name);
                return Err(format!(
                    "{} is not a value of the restricted picklist {name} (known values: {})",
                    quoted(unknown.as_str()),
                    T::VALUES.join(", ")
                ));
            }
        }
        join(self.0.iter().map(T::as_str))
    }
}

impl FieldType for MultiPicklist<String> {
    const SHAPE: Shape = Shape::Scalar;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        Ok(split(&value)?.map(str::to_owned).collect())
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        join(self.0.iter().map(String::as_str))
    }
}
