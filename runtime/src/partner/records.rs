//! Query results without `queryMore` in sight: a `Stream` on the async partner client and an
//! `Iterator` on the blocking one. One batch is held at a time, whatever the query's size,
//! and the stream ends only when the server says `done`: there is no silent cap.
//!
//! **Memory.** A stream holds one batch: while a batch is read, its response body (never
//! more than the connection's `max_response_size`, 256 MiB by default, checked as it
//! arrives) and the records parsed from it; once parsed, the body is dropped and only the
//! records not yet consumed stay. The next batch is fetched when they are all consumed. The
//! batch size is the server's (up to 2,000 records; the `QueryOptions` header's
//! `batchSize` asks for 200 to 2,000), so a query of millions of records runs in the
//! memory of one batch. A batch that breaks the protocol (`done` false without a
//! `queryLocator`) yields its records, then an [`Error::Protocol`].
//!
//! ```no_run
//! # async fn run(client: sforce::partner::Client) -> Result<(), sforce::Error> {
//! use futures_util::TryStreamExt;
//! let mut records = client.query_stream("SELECT Id, Name FROM Account");
//! while let Some(account) = records.try_next().await? {
//!     println!("{:?} {:?}", account.id, account.get_str("Name")?);
//! }
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::FutureExt;

use crate::envelope::RequestOptions;
use crate::error::Error;
use crate::partner::{self, QueryAllHeaders, QueryHeaders, QueryMoreHeaders, QueryResult};
use crate::sobject::{ChildQuery, SObject};

/// A batch on its way. Natively `Send`, so the stream can move between threads; in a
/// browser (`wasm32`) nothing is `Send`, and one thread is all there is.
#[cfg(not(target_arch = "wasm32"))]
type Fetch = futures_util::future::BoxFuture<'static, Result<QueryResult, Error>>;
#[cfg(target_arch = "wasm32")]
type Fetch = futures_util::future::LocalBoxFuture<'static, Result<QueryResult, Error>>;

#[cfg(not(target_arch = "wasm32"))]
fn boxed(
    future: impl std::future::Future<Output = Result<QueryResult, Error>> + Send + 'static,
) -> Fetch {
    future.boxed()
}

#[cfg(target_arch = "wasm32")]
fn boxed(future: impl std::future::Future<Output = Result<QueryResult, Error>> + 'static) -> Fetch {
    future.boxed_local()
}

/// Where the next batch comes from.
#[derive(Debug, Clone)]
enum Next {
    /// The first call (`query` or `queryAll`, as `StreamOptions::first` says).
    Query(String),
    /// A `queryMore` with this locator.
    More(String),
    /// The server said `done`.
    Done,
}

impl Next {
    /// What follows a batch: more with its locator, or done. A batch that is not done
    /// but has no locator is an error, never a quiet end; the stream still yields the
    /// records that batch brought, then the error.
    fn after(done: bool, locator: Option<String>) -> Result<Next, Error> {
        match (done, locator) {
            (true, _) => Ok(Next::Done),
            (false, Some(locator)) if !locator.is_empty() => Ok(Next::More(locator)),
            (false, _) => Err(Error::Protocol(
                "a query result says `done` is false but has no `queryLocator`; the records \
                 after those already returned cannot be fetched"
                    .to_owned(),
            )),
        }
    }
}

/// The first call of a stream, with its options.
#[derive(Debug)]
enum FirstCall {
    Query(RequestOptions<QueryHeaders>),
    QueryAll(RequestOptions<QueryAllHeaders>),
}

/// The options of every call a stream makes: its first call, and each `queryMore`.
#[derive(Debug)]
struct StreamOptions {
    first: FirstCall,
    more: RequestOptions<QueryMoreHeaders>,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions::new(FirstCall::Query(RequestOptions::default()))
    }
}

impl StreamOptions {
    /// Each `queryMore` carries on the first call's headers that `queryMore` accepts
    /// (`CallOptions`, `QueryOptions`, `PatchHeader`), its timeout and its size limit.
    fn new(first: FirstCall) -> Self {
        let (headers, timeout, max_response_size) = match &first {
            FirstCall::Query(o) => (
                QueryMoreHeaders {
                    call_options: o.headers.call_options.clone(),
                    query_options: o.headers.query_options.clone(),
                    patch_header: o.headers.patch_header.clone(),
                },
                o.timeout,
                o.max_response_size,
            ),
            FirstCall::QueryAll(o) => (
                QueryMoreHeaders {
                    call_options: o.headers.call_options.clone(),
                    query_options: o.headers.query_options.clone(),
                    patch_header: o.headers.patch_header.clone(),
                },
                o.timeout,
                o.max_response_size,
            ),
        };
        let more = RequestOptions {
            headers,
            timeout,
            max_response_size,
        };
        StreamOptions { first, more }
    }
}

async fn fetch(
    client: &partner::Client,
    next: &Next,
    options: &StreamOptions,
) -> Result<QueryResult, Error> {
    let response = match next {
        Next::Query(soql) => match &options.first {
            FirstCall::Query(first) => client.query_with(soql, first).await,
            FirstCall::QueryAll(first) => client.query_all_with(soql, first).await,
        },
        Next::More(locator) => client.query_more_with(locator, &options.more).await,
        Next::Done => {
            return Ok(QueryResult {
                done: true,
                ..QueryResult::default()
            })
        }
    };
    response.map(|response| response.body)
}

/// The records of a query, fetched batch by batch as the stream is polled.
#[must_use = "streams do nothing unless polled"]
pub struct RecordStream {
    client: partner::Client,
    options: Arc<StreamOptions>,
    buffer: VecDeque<SObject>,
    next: Next,
    total: Option<i32>,
    in_flight: Option<Fetch>,
    /// An error to yield once the buffered records are out.
    pending: Option<Error>,
    failed: bool,
}

impl std::fmt::Debug for RecordStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordStream")
            .field("buffered", &self.buffer.len())
            .field("total", &self.total)
            .field("done", &matches!(self.next, Next::Done))
            .finish_non_exhaustive()
    }
}

impl RecordStream {
    fn new(client: partner::Client, buffer: VecDeque<SObject>, next: Next) -> Self {
        RecordStream {
            client,
            options: Arc::default(),
            buffer,
            next,
            total: None,
            in_flight: None,
            pending: None,
            failed: false,
        }
    }

    /// A stream of `records` in hand, continuing as `done` and `locator` say.
    fn continuing(
        client: partner::Client,
        records: Vec<SObject>,
        done: bool,
        locator: Option<String>,
        size: i32,
    ) -> Self {
        let (next, pending) = match Next::after(done, locator) {
            Ok(next) => (next, None),
            Err(error) => (Next::Done, Some(error)),
        };
        let mut stream = RecordStream::new(client, records.into(), next);
        stream.pending = pending;
        stream.total = Some(size);
        stream
    }

    /// The query's total record count (`size`), known once the first batch arrived.
    pub fn total(&self) -> Option<i32> {
        self.total
    }
}

impl Stream for RecordStream {
    type Item = Result<SObject, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(record) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(record)));
            }
            if let Some(error) = this.pending.take() {
                this.failed = true;
                return Poll::Ready(Some(Err(error)));
            }
            if this.failed || (matches!(this.next, Next::Done) && this.in_flight.is_none()) {
                return Poll::Ready(None);
            }
            let future = this.in_flight.get_or_insert_with(|| {
                let client = this.client.clone();
                let next = this.next.clone();
                let options = this.options.clone();
                boxed(async move { fetch(&client, &next, &options).await })
            });
            let batch = match future.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(batch) => batch,
            };
            this.in_flight = None;
            match batch {
                Ok(batch) => {
                    this.total.get_or_insert(batch.size);
                    this.buffer = batch.records.into();
                    match Next::after(batch.done, batch.query_locator) {
                        Ok(next) => this.next = next,
                        Err(error) => {
                            this.next = Next::Done;
                            this.pending = Some(error);
                        }
                    }
                }
                Err(error) => {
                    this.failed = true;
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }
}

#[cfg(feature = "blocking")]
/// The records of a query on the blocking client, fetched batch by batch as iterated.
#[must_use = "iterators do nothing unless iterated"]
pub struct RecordIter {
    stream: RecordStream,
}

#[cfg(feature = "blocking")]
impl std::fmt::Debug for RecordIter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.stream.fmt(f)
    }
}

#[cfg(feature = "blocking")]
impl RecordIter {
    /// The query's total record count (`size`), known once the first batch arrived.
    pub fn total(&self) -> Option<i32> {
        self.stream.total()
    }
}

#[cfg(feature = "blocking")]
impl Iterator for RecordIter {
    type Item = Result<SObject, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let connection = self.stream.client.connection().clone();
        let stream = &mut self.stream;
        connection.block_on(std::future::poll_fn(|cx| {
            Pin::new(&mut *stream).poll_next(cx)
        }))
    }
}

impl partner::Client {
    /// Every record `soql` selects, as a stream; `queryMore` is called as it is consumed.
    pub fn query_stream(&self, soql: impl Into<String>) -> RecordStream {
        self.query_stream_with(soql, &RequestOptions::default())
    }

    /// [`Self::query_stream`] with per-call options for every call of the stream: the
    /// `query` gets `options` as given, and each `queryMore` the headers it accepts of
    /// them (`CallOptions`, `QueryOptions` with its batch size, `PatchHeader`) and the same
    /// timeout and size limit. A timeout applies to each request on its own, not to the
    /// whole stream.
    ///
    /// ```no_run
    /// # fn run(client: sforce::partner::Client) {
    /// use sforce::partner::{QueryHeaders, QueryOptions};
    /// use sforce::RequestOptions;
    /// let options = RequestOptions::new()
    ///     .headers(QueryHeaders::default().query_options(QueryOptions::default().batch_size(200)))
    ///     .timeout(std::time::Duration::from_secs(30));
    /// let records = client.query_stream_with("SELECT Id FROM Contact", &options);
    /// # }
    /// ```
    pub fn query_stream_with(
        &self,
        soql: impl Into<String>,
        options: &RequestOptions<QueryHeaders>,
    ) -> RecordStream {
        let first = FirstCall::Query(options.clone());
        let mut stream = RecordStream::new(self.clone(), VecDeque::new(), Next::Query(soql.into()));
        stream.options = Arc::new(StreamOptions::new(first));
        stream
    }

    /// Like [`Self::query_stream`], including deleted and archived records (`queryAll`).
    pub fn query_all_stream(&self, soql: impl Into<String>) -> RecordStream {
        self.query_all_stream_with(soql, &RequestOptions::default())
    }

    /// [`Self::query_all_stream`] with per-call options, applied as
    /// [`Self::query_stream_with`] applies them.
    pub fn query_all_stream_with(
        &self,
        soql: impl Into<String>,
        options: &RequestOptions<QueryAllHeaders>,
    ) -> RecordStream {
        let first = FirstCall::QueryAll(options.clone());
        let mut stream = RecordStream::new(self.clone(), VecDeque::new(), Next::Query(soql.into()));
        stream.options = Arc::new(StreamOptions::new(first));
        stream
    }

    /// Every record of a result already in hand (a first `query` batch), fetching the rest.
    /// (Never an error today: a result that is not done and has no locator yields its
    /// records and then the error.)
    pub fn records_of(&self, result: QueryResult) -> Result<RecordStream, Error> {
        Ok(RecordStream::continuing(
            self.clone(),
            result.records,
            result.done,
            result.query_locator,
            result.size,
        ))
    }

    /// Every record of a child relationship (`Account.Contacts` in a subquery), fetching
    /// the batches the parent query did not carry. Fetch them before the parent's stream
    /// moves to its next batch: Salesforce invalidates a batch's child locators on the
    /// parent's `queryMore` (`INVALID_QUERY_LOCATOR`).
    /// (Never an error today, as [`Self::records_of`].)
    pub fn child_records(&self, child: ChildQuery) -> Result<RecordStream, Error> {
        Ok(RecordStream::continuing(
            self.clone(),
            child.records,
            child.done,
            child.query_locator,
            child.size,
        ))
    }
}

#[cfg(feature = "blocking")]
impl partner::blocking::Client {
    /// Every record `soql` selects, as an iterator; `queryMore` is called as it advances.
    pub fn query_iter(&self, soql: impl Into<String>) -> RecordIter {
        self.query_iter_with(soql, &RequestOptions::default())
    }

    /// [`Self::query_iter`] with per-call options for every call, as
    /// [`partner::Client::query_stream_with`] applies them (a timeout is per request).
    pub fn query_iter_with(
        &self,
        soql: impl Into<String>,
        options: &RequestOptions<QueryHeaders>,
    ) -> RecordIter {
        RecordIter {
            stream: self.as_async().query_stream_with(soql, options),
        }
    }

    /// Like [`Self::query_iter`], including deleted and archived records (`queryAll`).
    pub fn query_all_iter(&self, soql: impl Into<String>) -> RecordIter {
        self.query_all_iter_with(soql, &RequestOptions::default())
    }

    /// [`Self::query_all_iter`] with per-call options for every call (see
    /// [`partner::Client::query_stream_with`]).
    pub fn query_all_iter_with(
        &self,
        soql: impl Into<String>,
        options: &RequestOptions<QueryAllHeaders>,
    ) -> RecordIter {
        RecordIter {
            stream: self.as_async().query_all_stream_with(soql, options),
        }
    }

    /// Every record of a child relationship, fetching the batches the parent query did not
    /// carry; before the parent iterator moves to its next batch (see
    /// [`partner::Client::child_records`]).
    pub fn child_records(&self, child: ChildQuery) -> Result<RecordIter, Error> {
        Ok(RecordIter {
            stream: self.as_async().child_records(child)?,
        })
    }
}
