//! Records per second the local org serves for `query` + `queryMore` at batch size 2,000,
//! against the client's own share of the same work, measured in the same process.
//!
//! `cargo bench -p sforce-localorg --bench serve`
//!
//! * `a_round_trip`: `partner::Client::query_stream_with` (batch size 2,000) over 10,000
//!   Accounts from the org on loopback: the org's SQL, cursor and response writing, HTTP,
//!   and the client's reading.
//! * `b_client_reads`: the client reading the same five response envelopes (taken from
//!   the org's request log) from memory: the client's share alone.
//! * `c_tokenize`: quick-xml `Reader::read_event` over the same bytes, no namespace
//!   resolution: the floor for any reader.
//!
//! The goal: a within 3× of b, so that what a benchmark against the org measures is
//! mostly the client.

use std::hint::black_box;
use std::sync::LazyLock;

use divan::counter::ItemsCount;
use divan::Bencher;
use futures_util::TryStreamExt;
use sforce::partner::{self, QueryHeaders, QueryOptions, QueryResponse, ResponseHeaders};
use sforce::{Connection, RequestOptions, SObject};
use sforce_localorg::LocalOrg;

const RECORDS: usize = 10_000;
const SOQL: &str =
    "SELECT Id, Name, Industry, AnnualRevenue, NumberOfEmployees, CreatedDate FROM Account";

struct Setup {
    runtime: tokio::runtime::Runtime,
    client: partner::Client,
    responses: Vec<String>,
    _org: LocalOrg,
}

static SETUP: LazyLock<Setup> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let (org, client) = runtime.block_on(async {
        let org = LocalOrg::builder().start().await.expect("the org starts");
        let connection = Connection::builder()
            .login_url(org.url())
            .password_login(org.username(), org.password(), org.security_token())
            .build()
            .expect("a connection");
        let client = partner::Client::new(connection);
        let industries = ["Energy", "Banking", "Retail", "Media"];
        let accounts: Vec<SObject> = (0..RECORDS)
            .map(|i| {
                SObject::new("Account")
                    .with("Name", format!("Account {i:05}"))
                    .with("Industry", industries[i % 4])
                    .with("AnnualRevenue", format!("{}", 1000 * i))
                    .with("NumberOfEmployees", format!("{}", i % 500))
            })
            .collect();
        client.create(&accounts).await.expect("10,000 accounts");
        (org, client)
    });
    let before = org.requests().len();
    let streamed = runtime.block_on(stream(&client));
    assert_eq!(streamed, RECORDS);
    let responses = org.requests()[before..]
        .iter()
        .map(|call| call.response.clone())
        .collect();
    Setup {
        runtime,
        client,
        responses,
        _org: org,
    }
});

async fn stream(client: &partner::Client) -> usize {
    let options = RequestOptions::new()
        .headers(QueryHeaders::default().query_options(QueryOptions::default().batch_size(2000)));
    let records: Vec<SObject> = client
        .query_stream_with(SOQL, &options)
        .try_collect()
        .await
        .expect("the stream");
    records.len()
}

fn main() {
    let setup = &*SETUP;
    let bytes: usize = setup.responses.iter().map(String::len).sum();
    eprintln!(
        "{RECORDS} records in {} responses, {bytes} bytes",
        setup.responses.len()
    );
    divan::main();
}

#[divan::bench]
fn a_round_trip(bencher: Bencher<'_, '_>) {
    let setup = &*SETUP;
    bencher
        .counter(ItemsCount::new(RECORDS))
        .bench(|| black_box(setup.runtime.block_on(stream(&setup.client))));
}

#[divan::bench]
fn b_client_reads(bencher: Bencher<'_, '_>) {
    let setup = &*SETUP;
    bencher.counter(ItemsCount::new(RECORDS)).bench(|| {
        let mut records = 0;
        for response in &setup.responses {
            let read = sforce::envelope::read_response::<QueryResponse, ResponseHeaders>(
                &partner::SERVICE,
                response.as_bytes(),
            )
            .expect("a response");
            records += read.body.result.records.len();
        }
        black_box(records)
    });
}

#[divan::bench]
fn c_tokenize(bencher: Bencher<'_, '_>) {
    let setup = &*SETUP;
    bencher.counter(ItemsCount::new(RECORDS)).bench(|| {
        let mut events = 0usize;
        for response in &setup.responses {
            let mut reader = quick_xml::Reader::from_str(response);
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => events += 1,
                    Err(error) => panic!("{error}"),
                }
            }
        }
        black_box(events)
    });
}
