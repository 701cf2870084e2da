//! [`ChildRecords`]: the typed result of a child relationship subquery.

use crate::error::Error;
use crate::sobject::{ChildQuery, FieldValue};

use super::field::{mismatch, FieldType, Shape};
use super::sobject_type::{SObjectType, WriteFor};

/// The records of a child relationship subquery (`SELECT Name, (SELECT LastName FROM
/// Contacts) FROM Account`), typed: what a `Field<ChildRecords<Contact>>` holds.
///
/// A parent query carries only the first batch of children; when [`done`](Self::done) is
/// false, `stream(&client)` (or `iter(&client)` on the blocking client; both come with
/// `sforce::partner`) gives these records and then fetches the rest with `queryMore`, like
/// a top-level query. A
/// relationship without children comes back null ([`Field::Null`](crate::Field::Null)).
#[derive(Debug, Clone, PartialEq)]
pub struct ChildRecords<T> {
    /// All child records are in `records` (no `queryMore` needed).
    pub done: bool,
    /// The locator for `queryMore` when not done.
    pub query_locator: Option<String>,
    /// The total number of child records.
    pub size: i32,
    /// The child records returned with the parent.
    pub records: Vec<T>,
}

impl<T> Default for ChildRecords<T> {
    fn default() -> Self {
        ChildRecords {
            done: true,
            query_locator: None,
            size: 0,
            records: Vec::new(),
        }
    }
}

impl<T> ChildRecords<T> {
    /// Complete records: `records` is everything, nothing more to fetch.
    pub fn new(records: Vec<T>) -> Self {
        ChildRecords {
            done: true,
            query_locator: None,
            size: i32::try_from(records.len()).unwrap_or(i32::MAX),
            records,
        }
    }

    /// The locator part, without records: what fetching the rest starts from.
    pub(crate) fn rest(&self) -> ChildQuery {
        ChildQuery {
            done: self.done,
            query_locator: self.query_locator.clone(),
            records: Vec::new(),
            size: self.size,
        }
    }
}

impl<T> IntoIterator for ChildRecords<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    /// The records in hand (without fetching more).
    fn into_iter(self) -> Self::IntoIter {
        self.records.into_iter()
    }
}

impl<T: SObjectType> FieldType for ChildRecords<T> {
    const SHAPE: Shape = Shape::Children;
    fn from_field(value: FieldValue) -> Result<Self, String> {
        let query = match value {
            FieldValue::Query(query) => *query,
            other => return Err(mismatch("a child query result (a subquery)", &other)),
        };
        let records = query
            .records
            .into_iter()
            .enumerate()
            .map(|(i, record)| {
                T::from_sobject(record).map_err(|e| match e {
                    Error::Field { field, message } => {
                        format!("child record {i}: `{field}` {message}")
                    }
                    other => format!("child record {i}: {other}"),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(ChildRecords {
            done: query.done,
            query_locator: query.query_locator,
            size: query.size,
            records,
        })
    }
    fn to_field(&self) -> Result<FieldValue, String> {
        let records = self
            .records
            .iter()
            .enumerate()
            .map(|(i, record)| {
                record
                    .to_sobject(WriteFor::Unchecked)
                    .map_err(|e| format!("child record {i}: {e}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(FieldValue::from(ChildQuery {
            records,
            ..self.rest()
        }))
    }
}
