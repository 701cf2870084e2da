//! A loopback Salesforce for the transport tests: a real axum server on 127.0.0.1 that
//! hands every SOAP request to a test-supplied function and records what it received,
//! plus a small tree view of envelopes and builders for response envelopes.

#![allow(dead_code, unreachable_pub)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::Router;
use sforce::xml::{Content, Element, XmlReader};
use sforce::Connection;

pub const PARTNER_NS: &str = "urn:partner.soap.sforce.com";
pub const SOBJECT_NS: &str = "urn:sobject.partner.soap.sforce.com";
pub const FAULT_NS: &str = "urn:fault.partner.soap.sforce.com";
pub const APEX_NS: &str = "http://soap.sforce.com/2006/08/apex";
pub const USERNAME: &str = "integration@example.com";
pub const PASSWORD: &str = "Pa55&word<";
pub const SECURITY_TOKEN: &str = "TOKEN123";
pub const ORG_ID: &str = "00D000000000001AAA";
pub const USER_ID: &str = "005000000000001AAA";

// ----- envelopes as trees ----------------------------------------------------------------

/// One element of a parsed envelope: local name, prefix-qualified name, `xsi:type`,
/// `xsi:nil`, text (when it holds no elements) and children.
#[derive(Debug, Clone, Default)]
pub struct Node {
    pub name: String,
    pub qname: String,
    pub xsi_type: Option<String>,
    pub nil: bool,
    pub text: String,
    pub children: Vec<Node>,
}

impl Node {
    /// The first child with this local name.
    pub fn child(&self, local: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == local)
    }

    /// The children with this local name, in order.
    pub fn children_named<'a>(&'a self, local: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == local)
    }

    /// The text of the first child with this local name.
    pub fn child_text(&self, local: &str) -> Option<&str> {
        self.child(local).map(|c| c.text.as_str())
    }

    /// The first descendant (depth first, self included) with this local name.
    pub fn find(&self, local: &str) -> Option<&Node> {
        if self.name == local {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(local))
    }

    /// The local names of the children, in order.
    pub fn child_names(&self) -> Vec<&str> {
        self.children.iter().map(|c| c.name.as_str()).collect()
    }
}

fn read_node<'a>(reader: &mut XmlReader<'a>, element: &Element<'a>) -> Node {
    let mut node = Node {
        name: String::from_utf8_lossy(element.local_name()).into_owned(),
        qname: String::from_utf8_lossy(element.qualified_name()).into_owned(),
        xsi_type: element.xsi_type(),
        nil: element.is_nil(),
        ..Node::default()
    };
    match reader.text_or_child(element).expect("well-formed XML") {
        Content::Text(text) => node.text = text.into_owned(),
        Content::Child(first) => {
            node.children.push(read_node(reader, &first));
            while let Some(child) = reader.next_child(element).expect("well-formed XML") {
                node.children.push(read_node(reader, &child));
            }
        }
    }
    node
}

/// Parses a whole document into its root node.
pub fn parse(xml: &str) -> Node {
    let mut reader = XmlReader::new(xml.as_bytes());
    let root = reader.root().expect("an XML document");
    read_node(&mut reader, &root)
}

// ----- the server --------------------------------------------------------------------------

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub path: String,
    pub host: String,
    pub soap_action: Option<String>,
    pub content_type: String,
    pub text: String,
    pub envelope: Node,
}

impl Exchange {
    /// The element inside `soapenv:Body` (the operation's wrapper).
    pub fn body(&self) -> &Node {
        self.envelope
            .child("Body")
            .and_then(|b| b.children.first())
            .expect("a Body with an element")
    }

    /// The operation: the local name of the body element.
    pub fn operation(&self) -> &str {
        &self.body().name
    }

    /// The SOAP header element with this local name.
    pub fn header(&self, local: &str) -> Option<&Node> {
        self.envelope.child("Header")?.child(local)
    }

    /// The session id of the `SessionHeader`.
    pub fn session_id(&self) -> Option<&str> {
        self.header("SessionHeader")?.child_text("sessionId")
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    /// 200 with this envelope.
    pub fn ok(body: impl Into<String>) -> Reply {
        Reply {
            status: StatusCode::OK,
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// 500 with this (fault) envelope.
    pub fn fault(body: impl Into<String>) -> Reply {
        Reply {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// The same reply, sent after `delay`.
    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Exchange) -> Reply + Send + Sync;

struct ServerState {
    handler: Box<Handler>,
    log: Arc<Mutex<Vec<Exchange>>>,
}

/// A running loopback server (any POST path), with the log of what it received.
#[derive(Clone)]
pub struct Server {
    pub url: String,
    log: Arc<Mutex<Vec<Exchange>>>,
}

impl Server {
    /// Starts a server on the current Tokio runtime answering with `handler`.
    pub async fn start(handler: impl Fn(&Exchange) -> Reply + Send + Sync + 'static) -> Server {
        let log = Arc::new(Mutex::new(Vec::new()));
        let state = Arc::new(ServerState {
            handler: Box::new(handler),
            log: log.clone(),
        });
        let router = Router::new().fallback(handle).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Server {
            url: format!("http://{address}"),
            log,
        }
    }

    /// Every request so far, in arrival order.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.log.lock().unwrap().clone()
    }

    /// The operations called so far, in order.
    pub fn operations(&self) -> Vec<String> {
        self.exchanges()
            .iter()
            .map(|e| e.operation().to_owned())
            .collect()
    }

    /// How many requests so far were for `operation`.
    pub fn count(&self, operation: &str) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e.operation() == operation)
            .count()
    }

    /// `host:port` of this server, as the `Host` header names it.
    pub fn host(&self) -> &str {
        self.url.trim_start_matches("http://")
    }
}

async fn handle(
    State(state): State<Arc<ServerState>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> HttpResponse {
    let text = String::from_utf8(body.to_vec()).expect("a UTF-8 request");
    let get = |name: &str| {
        headers
            .get(name)
            .map(|v| v.to_str().unwrap_or_default().to_owned())
    };
    let exchange = Exchange {
        path: uri.path().to_owned(),
        host: get(header::HOST.as_str()).unwrap_or_default(),
        soap_action: get("SOAPAction"),
        content_type: get(header::CONTENT_TYPE.as_str()).unwrap_or_default(),
        envelope: parse(&text),
        text,
    };
    state.log.lock().unwrap().push(exchange.clone());
    let reply = (state.handler)(&exchange);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    (
        reply.status,
        [(header::CONTENT_TYPE, "text/xml;charset=UTF-8")],
        reply.body,
    )
        .into_response()
}

/// A multi-thread runtime for servers of tests that are not async (blocking clients).
pub fn background_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

// ----- login -----------------------------------------------------------------------------

/// The `n`th session id the login server hands out.
pub fn session_id(n: usize) -> String {
    format!("{ORG_ID}!SESSION-{n}.AQcAQH0dMHZfz972Szmpkb58urFRkgeBGsxL")
}

/// A login server: answers `login` for USERNAME / PASSWORD+SECURITY_TOKEN with
/// `session_id(n)` for the nth login and a serverUrl on `instance`; INVALID_LOGIN otherwise.
pub async fn login_server(instance: &str) -> (Server, Arc<AtomicUsize>) {
    let logins = Arc::new(AtomicUsize::new(0));
    let counter = logins.clone();
    let server_url = format!("{instance}/services/Soap/u/64.0/{}", &ORG_ID[..15]);
    let server = Server::start(move |exchange| {
        let body = exchange.body();
        let password = format!("{PASSWORD}{SECURITY_TOKEN}");
        if exchange.operation() != "login"
            || body.child_text("username") != Some(USERNAME)
            || body.child_text("password") != Some(password.as_str())
        {
            return Reply::fault(login_fault());
        }
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        Reply::ok(login_response(&server_url, &session_id(n)))
    })
    .await;
    (server, logins)
}

/// A connection that logs in with the password on `login_url`.
pub fn password_connection(login_url: &str) -> sforce::ConnectionBuilder {
    Connection::builder()
        .password_login(USERNAME, PASSWORD, SECURITY_TOKEN)
        .login_url(login_url)
        .no_proxy()
        .no_trace()
}

/// A connection on an existing session, straight to `instance`.
pub fn session_connection(instance: &str) -> Connection {
    Connection::builder()
        .session(session_id(1), instance)
        .no_proxy()
        .no_trace()
        .build()
        .unwrap()
}

pub fn login_response(server_url: &str, session_id: &str) -> String {
    partner_envelope(
        "",
        &format!(
            "<loginResponse><result><metadataServerUrl>{server_url}</metadataServerUrl>\
             <passwordExpired>false</passwordExpired><sandbox>false</sandbox>\
             <serverUrl>{server_url}</serverUrl><sessionId>{session_id}</sessionId>\
             <userId>{USER_ID}</userId><userInfo><organizationId>{ORG_ID}</organizationId>\
             <sessionSecondsValid>7200</sessionSecondsValid><userId>{USER_ID}</userId>\
             </userInfo></result></loginResponse>"
        ),
    )
}

pub fn login_fault() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/soap/simple-salesforce-login_fault_INVALID_LOGIN.xml"
    ))
    .unwrap()
}

// ----- response envelopes -------------------------------------------------------------------

/// A partner response envelope: `header` inside `soapenv:Header` (none when empty),
/// `body` inside `soapenv:Body`, the partner namespace the default, `sf` the sObject one.
pub fn partner_envelope(header: &str, body: &str) -> String {
    envelope_in(PARTNER_NS, header, body)
}

/// A response envelope whose default namespace is `ns`.
pub fn envelope_in(ns: &str, header: &str, body: &str) -> String {
    let header = if header.is_empty() {
        String::new()
    } else {
        format!("<soapenv:Header>{header}</soapenv:Header>")
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
         xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns=\"{ns}\" \
         xmlns:sf=\"{SOBJECT_NS}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         {header}<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    )
}

/// `<{operation}Response>{inner}</{operation}Response>` in a partner envelope.
pub fn partner_response(operation: &str, inner: &str) -> String {
    partner_envelope(
        "",
        &format!("<{operation}Response>{inner}</{operation}Response>"),
    )
}

/// A fault with an `UnexpectedErrorFault` detail (faultcode `sf:{code}`).
pub fn fault(code: &str, message: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
         xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:sf=\"{FAULT_NS}\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body><soapenv:Fault>\
         <faultcode>sf:{code}</faultcode><faultstring>{code}: {message}</faultstring><detail>\
         <sf:UnexpectedErrorFault xsi:type=\"sf:UnexpectedErrorFault\"><sf:exceptionCode>{code}\
         </sf:exceptionCode><sf:exceptionMessage>{message}</sf:exceptionMessage>\
         </sf:UnexpectedErrorFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )
}

/// A query record (`xsi:type="sf:sObject"`) with the Id twice, as the server sends it.
pub fn record(sobject_type: &str, id: &str, name: &str) -> String {
    format!(
        "<records xsi:type=\"sf:sObject\"><sf:type>{sobject_type}</sf:type><sf:Id>{id}</sf:Id>\
         <sf:Id>{id}</sf:Id><sf:Name>{name}</sf:Name></records>"
    )
}

/// A `QueryResult` (`<result xsi:type="QueryResult">…`); `locator` None is `xsi:nil`,
/// `Some("")` leaves the element out.
pub fn query_result(done: bool, locator: Option<&str>, records: &[String], size: usize) -> String {
    let locator = match locator {
        Some("") => String::new(),
        Some(l) => format!("<queryLocator>{l}</queryLocator>"),
        None => "<queryLocator xsi:nil=\"true\"/>".to_owned(),
    };
    format!(
        "<result xsi:type=\"QueryResult\"><done>{done}</done>{locator}{}<size>{size}</size>\
         </result>",
        records.concat()
    )
}

/// `<LimitInfoHeader>` with the API request count.
pub fn limit_info_header(current: u32, limit: u32) -> String {
    format!(
        "<LimitInfoHeader><limitInfo><current>{current}</current><limit>{limit}</limit>\
         <type>API REQUESTS</type></limitInfo></LimitInfoHeader>"
    )
}

/// An Id from a test literal.
pub fn id(text: &str) -> sforce::Id {
    sforce::Id::new(text).expect("a valid Id")
}
