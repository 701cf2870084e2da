//! XML throughput of the dynamic `SObject` against plain baselines.
//!
//! `cargo bench -p sforce --bench xml`
//!
//! * `read::a_tokenize`: quick-xml `NsReader::read_event` over every event of a 2,000-record
//!   partner `queryResponse` (≈1.7 MB) — the floor for any reader.
//! * `read::b_parse_sobjects`: `envelope::read_response` into the generated
//!   `partner::QueryResponse` (typed wrappers, records as `SObject`).
//! * `write::c_sobject_envelope`: a 200-record `create` envelope with `write_request` and
//!   `SObject::write_xml`.
//! * `write::d_plain_string`: the same bytes pushed into a `String` by hand.
//!
//! Goals: b within 2.5× of a, c within 3× of d.

use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::Bencher;
use quick_xml::events::Event;
use quick_xml::NsReader;
use sforce::envelope::{read_response, write_request};
use sforce::partner::{QueryResponse, ResponseHeaders, SERVICE};
use sforce::xml::{ToXml, XmlWriter};
use sforce::SObject;

fn main() {
    let doc = &*QUERY_RESPONSE;
    eprintln!(
        "queryResponse: {} records, {} bytes; create envelope: {} records, {} bytes",
        RECORDS,
        doc.len(),
        CREATE_RECORDS,
        plain_create_envelope().len()
    );
    divan::main();
}

const RECORDS: usize = 2000;
const CREATE_RECORDS: usize = 200;

const STAGES: [&str; 4] = [
    "Prospecting",
    "Value Proposition",
    "Negotiation/Review",
    "Closed Won",
];

const DESCRIPTION: &str = "Multi-year platform renewal covering the sales and service \
    clouds for every region, with an option to add field service in the second year. The \
    customer asked for consolidated invoicing, a named success manager and quarterly \
    business reviews.";

fn id(prefix: &str, n: usize) -> String {
    format!("{prefix}A00000{n:07}IAT")
}

/// A partner `queryResponse` for
/// `SELECT Id, Name, StageName, Amount, CloseDate, CreatedDate, IsWon, Description,
/// NextStep, LeadSource, Owner.Name FROM Opportunity`, the way the server writes it: one
/// line, `sf:Id` twice, nils, a Java-style double, a nested `Owner`.
fn query_response() -> Vec<u8> {
    let mut s = String::with_capacity(RECORDS * 900);
    s.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
         xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns=\"urn:partner.soap.sforce.com\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xmlns:sf=\"urn:sobject.partner.soap.sforce.com\"><soapenv:Header><LimitInfoHeader>\
         <limitInfo><current>1234</current><limit>5000000</limit><type>API REQUESTS</type>\
         </limitInfo></LimitInfoHeader></soapenv:Header><soapenv:Body><queryResponse>\
         <result xsi:type=\"QueryResult\"><done>false</done>\
         <queryLocator>01gD0000002HU6KIAW-2000</queryLocator>",
    );
    for n in 0..RECORDS {
        let oid = id("006", n);
        s.push_str("<records xsi:type=\"sf:sObject\"><sf:type>Opportunity</sf:type><sf:Id>");
        s.push_str(&oid);
        s.push_str("</sf:Id><sf:Id>");
        s.push_str(&oid);
        s.push_str("</sf:Id><sf:Name>");
        s.push_str(&format!("Opportunity {n:06} - Acme Corporation expansion"));
        if n % 10 == 0 {
            s.push_str(" &amp; renewal");
        }
        s.push_str("</sf:Name><sf:StageName>");
        s.push_str(STAGES[n % STAGES.len()]);
        s.push_str("</sf:StageName><sf:Amount>");
        s.push_str(&format!("{}.0E{}", 1 + n % 9, 3 + n % 5));
        s.push_str("</sf:Amount><sf:CloseDate>2024-");
        s.push_str(&format!("{:02}-{:02}", 1 + n % 12, 1 + n % 28));
        s.push_str("</sf:CloseDate><sf:CreatedDate>2013-05-22T17:07:");
        s.push_str(&format!("{:02}", n % 60));
        s.push_str(".000Z</sf:CreatedDate><sf:IsWon>");
        s.push_str(if n % 4 == 3 { "true" } else { "false" });
        s.push_str("</sf:IsWon><sf:Description>");
        s.push_str(DESCRIPTION);
        s.push_str("</sf:Description><sf:NextStep xsi:nil=\"true\"/>");
        if n % 3 == 0 {
            s.push_str("<sf:LeadSource xsi:nil=\"true\"/>");
        } else {
            s.push_str("<sf:LeadSource>Partner Referral</sf:LeadSource>");
        }
        s.push_str(
            "<sf:Owner xsi:type=\"sf:sObject\"><sf:type>User</sf:type><sf:Id xsi:nil=\"true\"/>\
             <sf:Name>",
        );
        s.push_str(&format!("Owner Number {:03}", n % 50));
        s.push_str("</sf:Name></sf:Owner></records>");
    }
    s.push_str(&format!(
        "<size>{}</size></result></queryResponse></soapenv:Body></soapenv:Envelope>",
        RECORDS * 3
    ));
    s.into_bytes()
}

static QUERY_RESPONSE: LazyLock<Vec<u8>> = LazyLock::new(query_response);

mod read {
    use super::*;

    #[divan::bench]
    fn a_tokenize(bencher: Bencher<'_, '_>) {
        let doc = &QUERY_RESPONSE[..];
        bencher.counter(BytesCount::new(doc.len())).bench(|| {
            let mut reader = NsReader::from_reader(doc);
            reader.config_mut().trim_text(false);
            let mut events = 0usize;
            loop {
                match reader.read_event() {
                    Ok(Event::Eof) => break,
                    Ok(event) => {
                        black_box(event);
                        events += 1;
                    }
                    Err(e) => panic!("{e}"),
                }
            }
            events
        });
    }

    #[divan::bench]
    fn b_parse_sobjects(bencher: Bencher<'_, '_>) {
        let doc = &QUERY_RESPONSE[..];
        let check = read_response::<QueryResponse, ResponseHeaders>(&SERVICE, doc).unwrap();
        assert_eq!(check.body.result.records.len(), RECORDS);
        let first = &check.body.result.records[0];
        assert_eq!(first.len(), 10);
        assert_eq!(first.get_double("Amount").unwrap(), Some(1000.0));
        assert_eq!(
            first.get_str("Owner.Name").unwrap(),
            Some("Owner Number 000")
        );
        bencher.counter(BytesCount::new(doc.len())).bench(|| {
            read_response::<QueryResponse, ResponseHeaders>(&SERVICE, black_box(doc)).unwrap()
        });
    }
}

/// The records of the `create` benchmark, built once.
fn create_records() -> Vec<SObject> {
    (0..CREATE_RECORDS)
        .map(|n| {
            let mut o = SObject::new("Opportunity");
            o.set(
                "Name",
                format!("Opportunity {n:06} - Acme Corporation expansion"),
            )
            .set("StageName", STAGES[n % STAGES.len()])
            .set(
                "CloseDate",
                format!("2024-{:02}-{:02}", 1 + n % 12, 1 + n % 28),
            )
            .set("Amount", format!("{}", 1000 * (1 + n % 9)))
            .set("Description", DESCRIPTION)
            .set("LeadSource", "Partner Referral")
            .set_null("NextStep")
            .set(
                "Account",
                SObject::new("Account").with("External_Id__c", format!("EXT-{n:05}")),
            );
            o
        })
        .collect()
}

static CREATE: LazyLock<Vec<SObject>> = LazyLock::new(create_records);
const SESSION: &str = "00DA0000000YpZ4!ARAAQEH.613sgjdpLDPsev9EBTxM0PMhEzbaCE505DYFCSm8tBkdDBl";
const CAPACITY: usize = CREATE_RECORDS * 768;

fn sobject_create_envelope(records: &[SObject]) -> String {
    write_request(
        &SERVICE,
        Some(SESSION),
        &|_w: &mut XmlWriter| {},
        &|w: &mut XmlWriter| {
            w.open("p:create");
            for r in records {
                r.write_xml(w, "p:sObjects");
            }
            w.close("p:create");
        },
        CAPACITY,
    )
}

/// The same envelope, pushed together by hand (values known to need no escaping),
/// numbers formatted straight into the buffer.
fn plain_create_envelope() -> String {
    let mut s = String::with_capacity(CAPACITY);
    s.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
         xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xmlns:fns=\"urn:fault.partner.soap.sforce.com\" \
         xmlns:p=\"urn:partner.soap.sforce.com\" \
         xmlns:sf=\"urn:sobject.partner.soap.sforce.com\"><soapenv:Header><p:SessionHeader>\
         <p:sessionId>",
    );
    s.push_str(SESSION);
    s.push_str("</p:sessionId></p:SessionHeader></soapenv:Header><soapenv:Body><p:create>");
    for n in 0..CREATE_RECORDS {
        s.push_str(
            "<p:sObjects><sf:type>Opportunity</sf:type>\
             <sf:fieldsToNull>NextStep</sf:fieldsToNull><sf:Name>",
        );
        let _ = write!(s, "Opportunity {n:06} - Acme Corporation expansion");
        s.push_str("</sf:Name><sf:StageName>");
        s.push_str(STAGES[n % STAGES.len()]);
        s.push_str("</sf:StageName><sf:CloseDate>");
        let _ = write!(s, "2024-{:02}-{:02}", 1 + n % 12, 1 + n % 28);
        s.push_str("</sf:CloseDate><sf:Amount>");
        let _ = write!(s, "{}", 1000 * (1 + n % 9));
        s.push_str("</sf:Amount><sf:Description>");
        s.push_str(DESCRIPTION);
        s.push_str(
            "</sf:Description><sf:LeadSource>Partner Referral</sf:LeadSource>\
             <sf:Account><sf:type>Account</sf:type><sf:External_Id__c>",
        );
        let _ = write!(s, "EXT-{n:05}");
        s.push_str("</sf:External_Id__c></sf:Account></p:sObjects>");
    }
    s.push_str("</p:create></soapenv:Body></soapenv:Envelope>");
    s
}

mod write {
    use super::*;

    #[divan::bench]
    fn c_sobject_envelope(bencher: Bencher<'_, '_>) {
        let records = &CREATE[..];
        let expected = plain_create_envelope();
        assert_eq!(sobject_create_envelope(records), expected);
        bencher
            .counter(BytesCount::new(expected.len()))
            .bench(|| sobject_create_envelope(black_box(records)));
    }

    #[divan::bench]
    fn d_plain_string(bencher: Bencher<'_, '_>) {
        let len = plain_create_envelope().len();
        bencher
            .counter(BytesCount::new(len))
            .bench(plain_create_envelope);
    }
}
