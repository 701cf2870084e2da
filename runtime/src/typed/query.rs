//! [`Query`]: a SOQL query typed to its rows, what `soql!` returns. Running it takes a
//! client of a binding (`sforce::partner`), which adds `stream` / `iter` to it.

use std::fmt;
use std::marker::PhantomData;

/// A SOQL query whose rows are `T`: what `soql!` returns.
///
/// ```no_run
/// # async fn doc<Account: sforce::SObjectType + std::fmt::Debug>(client: sforce::partner::Client) -> Result<(), sforce::Error> {
/// use futures_util::TryStreamExt;
/// let query = sforce::Query::<Account>::new("SELECT Id, Name FROM Account");
/// let mut rows = query.stream(&client);
/// while let Some(account) = rows.try_next().await? {
///     println!("{account:?}");
/// }
/// # Ok(()) }
/// ```
pub struct Query<T> {
    soql: String,
    row: PhantomData<fn() -> T>,
}

impl<T> Query<T> {
    /// A query for `soql`, whose rows are read as `T`.
    pub fn new(soql: impl Into<String>) -> Self {
        Query {
            soql: soql.into(),
            row: PhantomData,
        }
    }

    /// The SOQL text.
    pub fn as_str(&self) -> &str {
        &self.soql
    }

    /// The SOQL text, owned.
    pub fn into_string(self) -> String {
        self.soql
    }
}

impl<T> Clone for Query<T> {
    fn clone(&self) -> Self {
        Query::new(self.soql.clone())
    }
}

impl<T> fmt::Debug for Query<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Query")
            .field("row", &std::any::type_name::<T>())
            .field("soql", &self.soql)
            .finish()
    }
}

impl<T> fmt::Display for Query<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.soql)
    }
}

impl<T> PartialEq for Query<T> {
    fn eq(&self, other: &Self) -> bool {
        self.soql == other.soql
    }
}

impl<T> Eq for Query<T> {}

impl<T> AsRef<str> for Query<T> {
    fn as_ref(&self) -> &str {
        &self.soql
    }
}
