//! Shared by the `typed_*` tests: typed sObjects written the way the `#[sobject]` macro
//! expands (through the `__private` helpers), partner-shaped envelopes, and a loopback
//! SOAP server that records the requests it gets.

#![allow(dead_code, unreachable_pub)]

pub mod requests;

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Router;

use sforce::__private::{Element, FromXml, NoHeaders, XmlReader};
use sforce::{partner, Connection, Error};

/// Defines a typed sObject struct and its `SObjectType` / `FieldType` impls exactly as the
/// `#[sobject]` expansion does: one `read_field` / `write_field` / `writable` call per field.
macro_rules! typed_sobject {
    (
        $name:ident = $api:literal {
            $($field:ident : $ty:ty = $field_api:literal (create = $c:literal, update = $u:literal)),* $(,)?
        }
    ) => {
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $name {
            $(pub $field: sforce::Field<$ty>,)*
        }

        impl sforce::SObjectType for $name {
            const NAME: &'static str = $api;
            const FIELDS: &'static [sforce::FieldInfo] = &[$(
                sforce::FieldInfo {
                    rust_name: stringify!($field),
                    api_name: $field_api,
                    createable: $c,
                    updateable: $u,
                    shape: <$ty as sforce::FieldType>::SHAPE,
                },
            )*];

            fn from_sobject(mut record: sforce::SObject) -> Result<Self, sforce::Error> {
                Ok($name {
                    $($field: sforce::__private::read_field(&mut record, Self::NAME, $field_api)?,)*
                })
            }

            fn to_sobject(
                &self,
                purpose: sforce::WriteFor,
            ) -> Result<sforce::SObject, sforce::Error> {
                let mut record = sforce::SObject::new(Self::NAME);
                let mut fields = Self::FIELDS.iter();
                $(
                    let info = fields.next().expect("one FieldInfo per field");
                    sforce::__private::write_field(&mut record, Self::NAME, info, &self.$field, purpose)?;
                )*
                Ok(record)
            }

            fn retain_writable(&mut self, purpose: sforce::WriteFor) {
                let mut fields = Self::FIELDS.iter();
                $(
                    let info = fields.next().expect("one FieldInfo per field");
                    if !sforce::__private::writable(info, purpose) {
                        self.$field = sforce::Field::Absent;
                    }
                )*
            }
        }

        impl sforce::FieldType for $name {
            const SHAPE: sforce::Shape = sforce::Shape::Parent;
            fn from_field(value: sforce::FieldValue) -> Result<Self, String> {
                sforce::__private::sobject_from_field(value)
            }
            fn to_field(&self) -> Result<sforce::FieldValue, String> {
                sforce::__private::sobject_to_field(self)
            }
        }
    };
}

sforce::__private::picklist! {
    /// `Opportunity.StageName` (restricted).
    pub enum Stage (restricted = true) {
        /// Prospecting
        Prospecting = "Prospecting",
        /// Value Proposition
        ValueProposition = "Value Proposition",
        ClosedWon = "Closed Won",
    }
}

typed_sobject! {
    User = "User" {
        id: sforce::Id = "Id" (create = false, update = false),
        name: String = "Name" (create = false, update = false),
        email: String = "Email" (create = true, update = true),
    }
}

typed_sobject! {
    Contact = "Contact" {
        id: sforce::Id = "Id" (create = false, update = false),
        last_name: String = "LastName" (create = true, update = true),
        email: String = "Email" (create = true, update = true),
        owner: Box<User> = "Owner" (create = true, update = true),
    }
}

typed_sobject! {
    Account = "Account" {
        id: sforce::Id = "Id" (create = false, update = false),
        name: String = "Name" (create = true, update = true),
        annual_revenue: sforce::Decimal = "AnnualRevenue" (create = true, update = true),
        number_of_employees: i32 = "NumberOfEmployees" (create = true, update = true),
        billing_address: sforce::Address = "BillingAddress" (create = false, update = false),
        created_date: sforce::DateTime = "CreatedDate" (create = false, update = false),
        owner_id: sforce::Id = "OwnerId" (create = true, update = true),
        owner: Box<User> = "Owner" (create = true, update = true),
        owner_name: String = "Owner.Name" (create = false, update = false),
        contacts: sforce::ChildRecords<Contact> = "Contacts" (create = false, update = false),
        tasks: sforce::ChildRecords<Contact> = "Tasks" (create = false, update = false),
        external_key: String = "External_Key__c" (create = true, update = false),
    }
}

typed_sobject! {
    Opportunity = "Opportunity" {
        id: sforce::Id = "Id" (create = false, update = false),
        name: String = "Name" (create = true, update = true),
        stage_name: Stage = "StageName" (create = true, update = true),
        description: String = "Description" (create = true, update = true),
        amount: f64 = "Amount" (create = true, update = true),
        is_won: bool = "IsWon" (create = false, update = false),
    }
}

pub const PARTNER_NS: &str = "urn:partner.soap.sforce.com";
pub const SOBJECT_NS: &str = "urn:sobject.partner.soap.sforce.com";

/// A fixture's bytes.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../fixtures/soap/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A response envelope in the capture's form (default namespace partner, `sf:` sObject).
pub fn envelope(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<soapenv:Envelope \
         xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns=\"{PARTNER_NS}\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:sf=\"{SOBJECT_NS}\">\n\
         <soapenv:Body>\n{body}\n</soapenv:Body>\n</soapenv:Envelope>\n"
    )
}

/// `<opResponse><result xsi:type="QueryResult">…</result></opResponse>`.
pub fn query_response(
    op: &str,
    done: bool,
    locator: Option<&str>,
    records: &[String],
    size: usize,
) -> String {
    let locator = match locator {
        Some(l) => format!("<queryLocator>{l}</queryLocator>"),
        None => "<queryLocator xsi:nil=\"true\"/>".to_owned(),
    };
    envelope(&format!(
        "<{op}Response><result xsi:type=\"QueryResult\"><done>{done}</done>{locator}{}<size>{size}</size></result></{op}Response>",
        records.concat()
    ))
}

/// A fault envelope (`sf` bound to the fault namespace, as the server does).
pub fn fault(code: &str, message: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
         xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:sf=\"urn:fault.partner.soap.sforce.com\"><soapenv:Body><soapenv:Fault>\
         <faultcode>sf:{code}</faultcode><faultstring>{code}: {message}</faultstring>\
         </soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )
}

/// The local name of the request's operation (the first element of the Body).
#[derive(Debug, Default)]
pub struct Operation(pub String);

impl FromXml for Operation {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        let name = String::from_utf8_lossy(element.local_name()).into_owned();
        reader.skip(element)?;
        Ok(Operation(name))
    }
}

/// Reads a request envelope's body element as `R` (a generated request wrapper).
pub fn request_body<R: FromXml>(text: &str) -> R {
    sforce::envelope::read_response::<R, NoHeaders>(&partner::SERVICE, text.as_bytes())
        .unwrap_or_else(|e| panic!("request does not read: {e}\n{text}"))
        .body
}

/// The operation a request calls.
pub fn operation(text: &str) -> String {
    request_body::<Operation>(text).0
}

type Handler = dyn Fn(&str) -> (u16, String) + Send + Sync;

struct ServerState {
    handler: Box<Handler>,
    requests: Arc<Mutex<Vec<String>>>,
}

/// A loopback HTTP server: every POST is recorded and answered by the handler
/// (`(status, body)`).
#[derive(Clone)]
pub struct Server {
    pub url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

async fn handle(State(state): State<Arc<ServerState>>, body: Bytes) -> impl IntoResponse {
    let text = String::from_utf8(body.to_vec()).expect("a UTF-8 request");
    state.requests.lock().unwrap().push(text.clone());
    let (status, reply) = (state.handler)(&text);
    (
        axum::http::StatusCode::from_u16(status).unwrap(),
        [(header::CONTENT_TYPE, "text/xml;charset=UTF-8")],
        reply,
    )
}

impl Server {
    /// Starts on the current Tokio runtime.
    pub async fn start(handler: impl Fn(&str) -> (u16, String) + Send + Sync + 'static) -> Server {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let state = Arc::new(ServerState {
            handler: Box::new(handler),
            requests: requests.clone(),
        });
        let router = Router::new().fallback(handle).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Server {
            url: format!("http://{address}"),
            requests,
        }
    }

    /// The request bodies so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// A connection on an existing session (no login).
    pub fn connection(&self) -> Connection {
        Connection::builder()
            .session("00D000000000001!SESSION", &self.url)
            .no_proxy()
            .no_trace()
            .build()
            .unwrap()
    }
}

/// A multi-thread runtime for servers of blocking-client tests.
pub fn background_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}
