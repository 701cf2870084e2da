//! Misbehaving servers over loopback HTTP: deep and oversized answers, gzip bombs, a server
//! that never answers, one that trickles, one that never finishes its TLS handshake, and a
//! query that says it is not done but cannot go on. A real axum server on 127.0.0.1 (or a
//! raw TCP listener) answers the partner client.

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::routing::post;
use axum::Router;
use futures_util::{StreamExt, TryStreamExt};

use common::{serve, timestamp_envelope};
use sforce::{partner, Connection, ConnectionBuilder, Error, RequestOptions, Stage};

const OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
    xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
    xmlns=\"urn:partner.soap.sforce.com\" \
    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
    xmlns:sf=\"urn:sobject.partner.soap.sforce.com\"><soapenv:Body>";
const CLOSE: &str = "</soapenv:Body></soapenv:Envelope>";

/// A partner client on an existing session at `url`, with `configure` applied.
fn client(
    url: &str,
    configure: impl FnOnce(ConnectionBuilder) -> ConnectionBuilder,
) -> partner::Client {
    let builder = Connection::builder()
        .session("EXISTING-SESSION-id!xyz", url)
        .no_proxy()
        .no_trace();
    partner::Client::new(configure(builder).build().unwrap())
}

/// Serves every request of the partner endpoint with `reply`.
async fn serve_with<F, Fut>(reply: F) -> String
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = HttpResponse> + Send + 'static,
{
    let router = Router::new().route(
        "/services/Soap/u/{version}",
        post(move || {
            let reply = reply.clone();
            async move { reply().await }
        }),
    );
    serve(router).await
}

fn xml(body: impl Into<Body>) -> HttpResponse {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/xml;charset=UTF-8")],
        body.into(),
    )
        .into_response()
}

/// A body sent as `pieces`, one every `every`.
fn slow_body(pieces: Vec<Vec<u8>>, every: Duration) -> Body {
    let stream = futures_util::stream::unfold(pieces.into_iter(), move |mut rest| async move {
        let piece = rest.next()?;
        tokio::time::sleep(every).await;
        Some((Ok::<_, std::io::Error>(Bytes::from(piece)), rest))
    });
    Body::from_stream(stream)
}

fn query_response(records: &str, done: bool, locator: Option<&str>) -> String {
    let locator = match locator {
        Some(l) => format!("<queryLocator>{l}</queryLocator>"),
        None => "<queryLocator xsi:nil=\"true\"/>".to_owned(),
    };
    format!(
        "{OPEN}<queryResponse><result xsi:type=\"QueryResult\"><done>{done}</done>{locator}\
         {records}<size>5</size></result></queryResponse>{CLOSE}"
    )
}

fn record(name: &str) -> String {
    format!(
        "<records xsi:type=\"sf:sObject\"><sf:type>Account</sf:type><sf:Id xsi:nil=\"true\"/>\
         <sf:Name>{name}</sf:Name></records>"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deep_response_is_an_error_on_a_tokio_worker() {
    // 3,000 nested parents: about 170 KB; 400 levels used to overflow a worker's 2 MiB
    // stack in a debug build, aborting the process.
    let mut nested = String::from("<records xsi:type=\"sf:sObject\"><sf:type>Contact</sf:type>");
    nested.push_str(&"<sf:Parent xsi:type=\"sf:sObject\"><sf:type>Account</sf:type>".repeat(3000));
    nested.push_str(&"</sf:Parent>".repeat(3000));
    nested.push_str("</records>");
    let body = query_response(&nested, true, None);
    let url = serve_with(move || {
        let body = body.clone();
        async move { xml(body) }
    })
    .await;
    let client = client(&url, |b| b);
    // Spawned, so the read runs on a worker thread (2 MiB stack), not the test's thread.
    let error = tokio::spawn(async move { client.query("SELECT Id FROM Contact").await })
        .await
        .unwrap()
        .unwrap_err();
    let Error::Xml { message, .. } = &error else {
        panic!("expected an XML error, got {error:?}");
    };
    assert!(message.contains("nested 129 levels deep"), "{message}");
    // A setting raises or lowers the limit.
    let strict = self::client(&url, |b| b.max_depth(4));
    let error = strict.get_server_timestamp().await.unwrap_err();
    assert!(error.to_string().contains("limit of 4"), "{error}");
}

/// `inflated` zero bytes, gzip-compressed.
fn gzip_of_zeros(inflated: usize) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let block = vec![0u8; 1 << 20];
    for _ in 0..inflated / block.len() {
        encoder.write_all(&block).unwrap();
    }
    encoder.finish().unwrap()
}

#[tokio::test]
async fn a_gzip_bomb_stops_at_the_size_limit() {
    // 1 GiB of zeros in about 1 MB: inflated whole, it would need a 1 GiB buffer.
    let bomb = gzip_of_zeros(1 << 30);
    assert!(bomb.len() < 2 << 20, "{}", bomb.len());
    let url = serve_with(move || {
        let bomb = bomb.clone();
        async move {
            (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, "text/xml;charset=UTF-8"),
                    (header::CONTENT_ENCODING, "gzip"),
                ],
                bomb,
            )
                .into_response()
        }
    })
    .await;
    let client = client(&url, |b| b.max_response_size(8 << 20));
    let error = client.get_server_timestamp().await.unwrap_err();
    assert!(
        matches!(error, Error::TooLarge { limit } if limit == 8 << 20),
        "{error:?}"
    );
    assert!(error.to_string().contains("max_response_size"), "{error}");
}

#[tokio::test]
async fn the_size_limit_is_per_client_and_per_call() {
    // A valid response of about 3 MB (a long text value).
    let big = timestamp_envelope().replace(
        "<timestamp>",
        &format!("<padding>{}</padding><timestamp>", "x".repeat(3 << 20)),
    );
    let url = serve_with(move || {
        let big = big.clone();
        async move { xml(big) }
    })
    .await;
    let small = client(&url, |b| b.max_response_size(1 << 20));
    // Content-Length is over the limit: refused before reading the body.
    let error = small.get_server_timestamp().await.unwrap_err();
    assert!(
        matches!(error, Error::TooLarge { limit } if limit == 1 << 20),
        "{error:?}"
    );
    // A call's own limit replaces the client's.
    let options = RequestOptions {
        max_response_size: Some(8 << 20),
        ..RequestOptions::default()
    };
    let response = small.get_server_timestamp_with(&options).await.unwrap();
    assert_eq!(
        response.body.timestamp.to_string(),
        "2024-05-22 17:07:44 UTC"
    );
    let tighter = RequestOptions {
        max_response_size: Some(1000),
        ..RequestOptions::default()
    };
    let roomy = client(&url, |b| b);
    let error = roomy.get_server_timestamp_with(&tighter).await.unwrap_err();
    assert!(
        matches!(error, Error::TooLarge { limit: 1000 }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_stops_at_the_limit() {
    // No Content-Length: the limit is enforced as the chunks arrive.
    let pieces: Vec<Vec<u8>> = (0..64).map(|_| vec![b' '; 64 << 10]).collect();
    let url = serve_with(move || {
        let pieces = pieces.clone();
        async move { xml(slow_body(pieces, Duration::ZERO)) }
    })
    .await;
    let client = client(&url, |b| b.max_response_size(1 << 20));
    let error = client.get_server_timestamp().await.unwrap_err();
    assert!(matches!(error, Error::TooLarge { .. }), "{error:?}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let url = serve_with(|| async {
        tokio::time::sleep(Duration::from_secs(120)).await;
        xml(timestamp_envelope())
    })
    .await;
    let client = client(&url, |b| b.timeout(Duration::from_millis(300)));
    let started = Instant::now();
    let error = client.get_server_timestamp().await.unwrap_err();
    // Long before the server would answer: the timeout fired (not a speed check).
    assert!(started.elapsed() < Duration::from_secs(60));
    let Error::Timeout { after, stage } = error else {
        panic!("expected a timeout, got {error:?}");
    };
    assert_eq!(after, Duration::from_millis(300));
    assert_eq!(stage, Stage::Response);
    assert!(stage.server_may_have_done_the_work());
}

#[test]
fn a_new_client_has_a_timeout() {
    let text = format!("{:?}", client("http://127.0.0.1:9", |b| b).connection());
    assert!(text.contains("timeout: Some(600s)"), "{text}");
    assert!(text.contains("connect_timeout: 30s"), "{text}");
    assert!(text.contains("read_idle_timeout: 60s"), "{text}");
    assert!(text.contains("max_response_size: 268435456"), "{text}");
}

#[tokio::test]
async fn a_trickling_body_is_a_stall() {
    // One byte every 50 ms: it never stops, so only a rule about progress catches it.
    let envelope = timestamp_envelope().into_bytes();
    let url = serve_with(move || {
        let pieces = envelope.iter().map(|b| vec![*b]).collect();
        async move { xml(slow_body(pieces, Duration::from_millis(50))) }
    })
    .await;
    let client = client(&url, |b| b.read_idle_timeout(Duration::from_millis(500)));
    let error = client.get_server_timestamp().await.unwrap_err();
    let Error::Stalled { after, received } = &error else {
        panic!("expected a stall, got {error:?}");
    };
    assert_eq!(*after, Duration::from_millis(500));
    assert!(*received < 1024, "{received}");
    assert!(error.to_string().contains("has done the work"), "{error}");
}

#[tokio::test]
async fn a_slow_but_steady_body_is_not_a_stall() {
    // 2 KiB every 100 ms (a valid envelope padded with whitespace), 1.2 s in all, with a
    // 500 ms read-idle timeout: progress is steady, so the call succeeds.
    let mut envelope = timestamp_envelope().into_bytes();
    let close = envelope.split_off(envelope.len() - "</soapenv:Envelope>".len());
    envelope.extend(std::iter::repeat_n(b' ', 12 * 2048));
    envelope.extend(close);
    let pieces: Vec<Vec<u8>> = envelope.chunks(2048).map(<[u8]>::to_vec).collect();
    let url = serve_with(move || {
        let pieces = pieces.clone();
        async move { xml(slow_body(pieces, Duration::from_millis(100))) }
    })
    .await;
    let client = client(&url, |b| b.read_idle_timeout(Duration::from_millis(500)));
    assert!(client.get_server_timestamp().await.is_ok());
}

#[tokio::test]
async fn the_timeout_covers_receiving_the_body() {
    // 2 KiB every 100 ms for 4 s: never stalled, but longer than the call may take.
    let pieces: Vec<Vec<u8>> = (0..40).map(|_| vec![b' '; 2048]).collect();
    let url = serve_with(move || {
        let pieces = pieces.clone();
        async move { xml(slow_body(pieces, Duration::from_millis(100))) }
    })
    .await;
    let client = client(&url, |b| b.timeout(Duration::from_millis(800)));
    let error = client.get_server_timestamp().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                stage: Stage::Body,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("has done the work"), "{error}");
}

#[tokio::test]
async fn the_timeout_covers_parsing() {
    // About 60 MB that arrive at once and take far longer to read than the timeout: the
    // deadline stops the parse (it used to return Ok long after the timeout).
    let mut records = String::with_capacity(64 << 20);
    while records.len() < 60 << 20 {
        records.push_str(&record("Acme"));
    }
    let body = Bytes::from(query_response(&records, true, None));
    let url = serve_with(move || {
        let body = body.clone();
        async move { xml(body) }
    })
    .await;
    let client = client(&url, |b| b.timeout(Duration::from_secs(3)));
    let error = client.query("SELECT Name FROM Account").await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { stage: Stage::Parse, after } if after == Duration::from_secs(3)),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_handshake_that_never_ends_is_a_connect_timeout() {
    // Accepts TCP connections and never says a word: the TLS handshake cannot finish.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let client = client(&format!("https://{address}"), |b| {
        b.connect_timeout(Duration::from_millis(300))
    });
    let error = client.get_server_timestamp().await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { stage: Stage::Connect, after } if after == Duration::from_millis(300)),
        "{error:?}"
    );
    assert!(error.to_string().contains("nothing was sent"), "{error}");
}

#[tokio::test]
async fn a_batch_without_a_locator_keeps_its_records_then_fails() {
    let body = query_response(&format!("{}{}", record("A"), record("B")), false, None);
    let url = serve_with(move || {
        let body = body.clone();
        async move { xml(body) }
    })
    .await;
    let client = client(&url, |b| b);
    let mut stream = client.query_stream("SELECT Name FROM Account");
    let mut names = Vec::new();
    let error = loop {
        match stream.try_next().await {
            Ok(Some(record)) => names.push(record.get_str("Name").unwrap().unwrap().to_owned()),
            Ok(None) => panic!("the stream ended quietly after {names:?}"),
            Err(error) => break error,
        }
    };
    assert_eq!(names, ["A", "B"]);
    assert!(
        matches!(&error, Error::Protocol(m) if m.contains("no `queryLocator`")),
        "{error:?}"
    );
    assert!(stream.try_next().await.unwrap().is_none());
    // The same for a result already in hand.
    let first = client.query("SELECT Name FROM Account").await.unwrap();
    let rest: Vec<_> = client.records_of(first).unwrap().collect::<Vec<_>>().await;
    assert_eq!(rest.len(), 3);
    assert!(rest[2].is_err());
}
