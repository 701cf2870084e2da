//! Typed calls on the partner client: [`TypedClient`] / [`BlockingTypedClient`], the typed
//! record streams [`TypedStream`] / [`TypedIter`], and running a [`Query`] or the rest of
//! a [`ChildRecords`].

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

#[cfg(feature = "blocking")]
use crate::connection::Connection;
use crate::envelope::RequestOptions;
use crate::error::{BatchError, Error};
use crate::id::Id;
use crate::partner::{self, QueryAllHeaders, QueryHeaders};
use crate::sobject::SObject;
use crate::typed::{ChildRecords, Query, SObjectType, Shape, WriteFor};

use super::records::RecordStream;

impl<T: SObjectType> Query<T> {
    /// Every row, as a stream; `queryMore` is called as it is consumed.
    pub fn stream(&self, client: &partner::Client) -> TypedStream<T> {
        self.stream_with(client, &RequestOptions::default())
    }

    /// [`Self::stream`] with per-call options for the query and every `queryMore` (as
    /// [`partner::Client::query_stream_with`] applies them; a timeout is per request).
    pub fn stream_with(
        &self,
        client: &partner::Client,
        options: &RequestOptions<QueryHeaders>,
    ) -> TypedStream<T> {
        TypedStream::from_records(client.query_stream_with(self.as_str().to_owned(), options))
    }

    /// Like [`Self::stream`], including deleted and archived records (`queryAll`).
    pub fn stream_all(&self, client: &partner::Client) -> TypedStream<T> {
        self.stream_all_with(client, &RequestOptions::default())
    }

    /// [`Self::stream_all`] with per-call options (see [`Self::stream_with`]).
    pub fn stream_all_with(
        &self,
        client: &partner::Client,
        options: &RequestOptions<QueryAllHeaders>,
    ) -> TypedStream<T> {
        TypedStream::from_records(client.query_all_stream_with(self.as_str().to_owned(), options))
    }

    #[cfg(feature = "blocking")]
    /// Every row on the blocking client; `queryMore` is called as it advances.
    pub fn iter(&self, client: &partner::blocking::Client) -> TypedIter<T> {
        self.iter_with(client, &RequestOptions::default())
    }

    #[cfg(feature = "blocking")]
    /// [`Self::iter`] with per-call options (see [`Self::stream_with`]).
    pub fn iter_with(
        &self,
        client: &partner::blocking::Client,
        options: &RequestOptions<QueryHeaders>,
    ) -> TypedIter<T> {
        TypedIter::new(
            self.stream_with(client.as_async(), options),
            client.connection().clone(),
        )
    }

    #[cfg(feature = "blocking")]
    /// Like [`Self::iter`], including deleted and archived records (`queryAll`).
    pub fn iter_all(&self, client: &partner::blocking::Client) -> TypedIter<T> {
        self.iter_all_with(client, &RequestOptions::default())
    }

    #[cfg(feature = "blocking")]
    /// [`Self::iter_all`] with per-call options (see [`Self::stream_with`]).
    pub fn iter_all_with(
        &self,
        client: &partner::blocking::Client,
        options: &RequestOptions<QueryAllHeaders>,
    ) -> TypedIter<T> {
        TypedIter::new(
            self.stream_all_with(client.as_async(), options),
            client.connection().clone(),
        )
    }
}

impl<T: SObjectType> ChildRecords<T> {
    /// Every child record: these, then the batches the parent query did not carry
    /// (`queryMore` on `client` as the stream is consumed).
    pub fn stream(self, client: &partner::Client) -> TypedStream<T> {
        let rest = client.child_records(self.rest());
        TypedStream::from_parts(self.records, rest, Some(self.size))
    }

    #[cfg(feature = "blocking")]
    /// Every child record on the blocking client: these, then the batches the parent
    /// query did not carry.
    pub fn iter(self, client: &partner::blocking::Client) -> TypedIter<T> {
        let stream = self.stream(client.as_async());
        TypedIter::new(stream, client.connection().clone())
    }
}

/// Typed records of a query, fetched batch by batch as the stream is polled: a
/// `Stream<Item = Result<T, Error>>`. A record that does not convert gives an error item
/// naming the object and field; the stream goes on with the next record. A failed call
/// ends the stream after its error.
#[must_use = "streams do nothing unless polled"]
pub struct TypedStream<T> {
    ready: VecDeque<T>,
    records: Option<RecordStream>,
    error: Option<Error>,
    total: Option<i32>,
}

impl<T> TypedStream<T> {
    pub(crate) fn from_records(records: RecordStream) -> Self {
        TypedStream {
            ready: VecDeque::new(),
            records: Some(records),
            error: None,
            total: None,
        }
    }

    /// `ready`, then the records of `rest` (or its error).
    pub(crate) fn from_parts(
        ready: Vec<T>,
        rest: Result<RecordStream, Error>,
        total: Option<i32>,
    ) -> Self {
        let (records, error) = match rest {
            Ok(records) => (Some(records), None),
            Err(error) => (None, Some(error)),
        };
        TypedStream {
            ready: ready.into(),
            records,
            error,
            total,
        }
    }

    /// The query's total record count (`size`), known once the first batch arrived.
    pub fn total(&self) -> Option<i32> {
        self.total
            .or_else(|| self.records.as_ref().and_then(RecordStream::total))
    }
}

// No field is pinned: the stream only ever polls its inner streams through `Pin::new`.
impl<T> Unpin for TypedStream<T> {}

impl<T> fmt::Debug for TypedStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypedStream")
            .field("row", &std::any::type_name::<T>())
            .field("ready", &self.ready.len())
            .field("records", &self.records)
            .field("total", &self.total())
            .finish_non_exhaustive()
    }
}

impl<T: SObjectType> Stream for TypedStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(record) = this.ready.pop_front() {
            return Poll::Ready(Some(Ok(record)));
        }
        if let Some(error) = this.error.take() {
            return Poll::Ready(Some(Err(error)));
        }
        let Some(records) = this.records.as_mut() else {
            return Poll::Ready(None);
        };
        match Pin::new(records).poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(error))),
            Poll::Ready(Some(Ok(record))) => Poll::Ready(Some(T::from_sobject(record))),
        }
    }
}

#[cfg(feature = "blocking")]
/// Typed records of a query on the blocking client, fetched batch by batch as iterated.
#[must_use = "iterators do nothing unless iterated"]
pub struct TypedIter<T> {
    stream: TypedStream<T>,
    connection: Connection,
}

#[cfg(feature = "blocking")]
impl<T> TypedIter<T> {
    pub(crate) fn new(stream: TypedStream<T>, connection: Connection) -> Self {
        TypedIter { stream, connection }
    }

    /// The query's total record count (`size`), known once the first batch arrived.
    pub fn total(&self) -> Option<i32> {
        self.stream.total()
    }
}

#[cfg(feature = "blocking")]
impl<T> fmt::Debug for TypedIter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.stream.fmt(f)
    }
}

#[cfg(feature = "blocking")]
impl<T: SObjectType> Iterator for TypedIter<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let stream = &mut self.stream;
        self.connection.block_on(std::future::poll_fn(|cx| {
            Pin::new(&mut *stream).poll_next(cx)
        }))
    }
}

/// Typed calls on the async partner client: `client.typed()`.
///
/// ```no_run
/// # async fn doc<Account: sforce::SObjectType>(client: sforce::partner::Client, accounts: Vec<Account>) -> Result<(), sforce::Error> {
/// use futures_util::TryStreamExt;
/// let typed = client.typed();
/// let mut rows = typed.query::<Account>("SELECT Id, Name FROM Account");
/// while let Some(account) = rows.try_next().await? {
///     // …
/// #   let _ = account;
/// }
/// let results = typed.update(&accounts).await?;
/// # let _ = results; Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct TypedClient {
    client: partner::Client,
}

impl partner::Client {
    /// Typed calls (query, create, update, upsert, retrieve) on this client.
    pub fn typed(&self) -> TypedClient {
        TypedClient {
            client: self.clone(),
        }
    }
}

#[cfg(feature = "blocking")]
impl partner::blocking::Client {
    /// Typed calls (query, create, update, upsert, retrieve) on this blocking client.
    pub fn typed(&self) -> BlockingTypedClient {
        BlockingTypedClient {
            client: self.clone(),
        }
    }
}

/// Converts `records` for `purpose`; the first failure names the record's index and
/// nothing is sent.
fn to_records<T: SObjectType>(records: &[T], purpose: WriteFor) -> Result<Vec<SObject>, Error> {
    records
        .iter()
        .enumerate()
        .map(|(i, record)| {
            record.to_sobject(purpose).map_err(|e| match e {
                Error::Field { field, message } => Error::Field {
                    field,
                    message: format!(
                        "{message} (record {i} of the {} given; nothing was sent)",
                        records.len()
                    ),
                },
                other => other,
            })
        })
        .collect()
}

/// `Id, Name, …`: the scalar fields of `T` that are not paths, `Id` first.
fn retrieve_fields<T: SObjectType>() -> String {
    let mut fields = vec!["Id"];
    for info in T::FIELDS {
        if info.shape == Shape::Scalar
            && !info.api_name.contains('.')
            && !fields.iter().any(|f| f.eq_ignore_ascii_case(info.api_name))
        {
            fields.push(info.api_name);
        }
    }
    fields.join(", ")
}

async fn create<T: SObjectType>(
    client: &partner::Client,
    records: &[T],
) -> Result<Vec<partner::SaveResult>, BatchError<partner::SaveResult>> {
    let records = to_records(records, WriteFor::Create)?;
    client.create(&records).await
}

async fn update<T: SObjectType>(
    client: &partner::Client,
    records: &[T],
) -> Result<Vec<partner::SaveResult>, BatchError<partner::SaveResult>> {
    let records = to_records(records, WriteFor::Update)?;
    client.update(&records).await
}

async fn upsert<T: SObjectType>(
    client: &partner::Client,
    external_id_field: &str,
    records: &[T],
) -> Result<Vec<partner::UpsertResult>, BatchError<partner::UpsertResult>> {
    let records = to_records(records, WriteFor::Upsert)?;
    client.upsert(external_id_field, &records).await
}

async fn retrieve<T: SObjectType>(
    client: &partner::Client,
    ids: &[Id],
) -> Result<Vec<Option<T>>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let records = client
        .retrieve(&retrieve_fields::<T>(), T::NAME, ids)
        .await?;
    if records.len() != ids.len() {
        return Err(Error::Protocol(format!(
            "retrieve of {} {} records returned {} results; expected one per Id",
            ids.len(),
            T::NAME,
            records.len()
        )));
    }
    records
        .into_iter()
        .map(|record| {
            if record.id.is_none() && record.is_empty() {
                Ok(None)
            } else {
                T::from_sobject(record).map(Some)
            }
        })
        .collect()
}

impl TypedClient {
    /// The partner client behind this one.
    pub fn client(&self) -> &partner::Client {
        &self.client
    }

    /// Every row of `soql` as `T`, as a stream; `queryMore` is called as it is consumed.
    pub fn query<T: SObjectType>(&self, soql: impl Into<String>) -> TypedStream<T> {
        TypedStream::from_records(self.client.query_stream(soql))
    }

    /// [`Self::query`] with per-call options for the query and every `queryMore` (see
    /// [`partner::Client::query_stream_with`]).
    pub fn query_with<T: SObjectType>(
        &self,
        soql: impl Into<String>,
        options: &RequestOptions<QueryHeaders>,
    ) -> TypedStream<T> {
        TypedStream::from_records(self.client.query_stream_with(soql, options))
    }

    /// Like [`Self::query`], including deleted and archived records (`queryAll`).
    pub fn query_all<T: SObjectType>(&self, soql: impl Into<String>) -> TypedStream<T> {
        TypedStream::from_records(self.client.query_all_stream(soql))
    }

    /// [`Self::query_all`] with per-call options (see [`Self::query_with`]).
    pub fn query_all_with<T: SObjectType>(
        &self,
        soql: impl Into<String>,
        options: &RequestOptions<QueryAllHeaders>,
    ) -> TypedStream<T> {
        TypedStream::from_records(self.client.query_all_stream_with(soql, options))
    }

    /// Creates `records` (200 per call, in order). Every record is converted first
    /// ([`WriteFor::Create`]): one that cannot be is an error naming its index and the
    /// field, and nothing is sent.
    pub async fn create<T: SObjectType>(
        &self,
        records: &[T],
    ) -> Result<Vec<partner::SaveResult>, BatchError<partner::SaveResult>> {
        create(&self.client, records).await
    }

    /// Updates `records` by Id (200 per call, in order); null fields go to
    /// `fieldsToNull`, absent ones are left alone. Every record is converted first
    /// ([`WriteFor::Update`]): one that cannot be is an error and nothing is sent.
    pub async fn update<T: SObjectType>(
        &self,
        records: &[T],
    ) -> Result<Vec<partner::SaveResult>, BatchError<partner::SaveResult>> {
        update(&self.client, records).await
    }

    /// Creates or updates `records` matched on `external_id_field` (`Id` or an external
    /// id field), 200 per call, in order. Every record is converted first
    /// ([`WriteFor::Upsert`]): one that cannot be is an error and nothing is sent.
    pub async fn upsert<T: SObjectType>(
        &self,
        external_id_field: &str,
        records: &[T],
    ) -> Result<Vec<partner::UpsertResult>, BatchError<partner::UpsertResult>> {
        upsert(&self.client, external_id_field, records).await
    }

    /// The records with `ids` (the scalar fields of `T`), one result per Id in order:
    /// `None` where no record was found (deleted, or no access).
    pub async fn retrieve<T: SObjectType>(&self, ids: &[Id]) -> Result<Vec<Option<T>>, Error> {
        retrieve(&self.client, ids).await
    }
}

#[cfg(feature = "blocking")]
/// Typed calls on the blocking partner client: `client.typed()`. The same calls as
/// [`TypedClient`], run to completion.
#[derive(Clone, Debug)]
pub struct BlockingTypedClient {
    client: partner::blocking::Client,
}

#[cfg(feature = "blocking")]
impl BlockingTypedClient {
    /// The blocking partner client behind this one.
    pub fn client(&self) -> &partner::blocking::Client {
        &self.client
    }

    fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.client.connection().block_on(future)
    }

    /// Every row of `soql` as `T`; `queryMore` is called as the iterator advances.
    pub fn query<T: SObjectType>(&self, soql: impl Into<String>) -> TypedIter<T> {
        self.query_with(soql, &RequestOptions::default())
    }

    /// See [`TypedClient::query_with`].
    pub fn query_with<T: SObjectType>(
        &self,
        soql: impl Into<String>,
        options: &RequestOptions<QueryHeaders>,
    ) -> TypedIter<T> {
        TypedIter::new(
            TypedStream::from_records(self.client.as_async().query_stream_with(soql, options)),
            self.client.connection().clone(),
        )
    }

    /// Like [`Self::query`], including deleted and archived records (`queryAll`).
    pub fn query_all<T: SObjectType>(&self, soql: impl Into<String>) -> TypedIter<T> {
        TypedIter::new(
            TypedStream::from_records(self.client.as_async().query_all_stream(soql)),
            self.client.connection().clone(),
        )
    }

    /// See [`TypedClient::create`].
    pub fn create<T: SObjectType>(
        &self,
        records: &[T],
    ) -> Result<Vec<partner::SaveResult>, BatchError<partner::SaveResult>> {
        let records = to_records(records, WriteFor::Create)?;
        self.block_on(self.client.as_async().create(&records))
    }

    /// See [`TypedClient::update`].
    pub fn update<T: SObjectType>(
        &self,
        records: &[T],
    ) -> Result<Vec<partner::SaveResult>, BatchError<partner::SaveResult>> {
        let records = to_records(records, WriteFor::Update)?;
        self.block_on(self.client.as_async().update(&records))
    }

    /// See [`TypedClient::upsert`].
    pub fn upsert<T: SObjectType>(
        &self,
        external_id_field: &str,
        records: &[T],
    ) -> Result<Vec<partner::UpsertResult>, BatchError<partner::UpsertResult>> {
        let records = to_records(records, WriteFor::Upsert)?;
        self.block_on(self.client.as_async().upsert(external_id_field, &records))
    }

    /// See [`TypedClient::retrieve`].
    pub fn retrieve<T: SObjectType>(&self, ids: &[Id]) -> Result<Vec<Option<T>>, Error> {
        self.block_on(retrieve(self.client.as_async(), ids))
    }
}
