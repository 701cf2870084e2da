//! The apex API (`/services/Soap/s/NN.0`): `executeAnonymous` and `runTests` answer with
//! schema-valid results that say plainly that no Apex ran: the org has no Apex runtime.

use sforce::xml::{Element, ToXml, XmlReader, XmlWriter};

use crate::apex_wire as wire;
use crate::calls::{request, Api, Endpoint, Headers};
use crate::fault::{Detail, Fault};
use crate::org::Org;

/// What `executeAnonymous` reports.
pub(crate) const NOT_EXECUTED: &str =
    "sforce-localorg does not compile or run Apex: the code was not executed";
/// What `runTests` reports.
pub(crate) const NO_TEST_RUN: &str =
    "sforce-localorg does not compile or run Apex: no test was executed";

/// The apex API.
pub(crate) const APEX_API: Api = Api {
    name: "apex",
    service: &wire::SERVICE,
    namespace: "http://soap.sforce.com/2006/08/apex",
    operate,
};

/// The apex API declares no faults: its faults carry only `sf:CODE`.
fn bare(fault: Fault) -> Fault {
    Fault {
        detail: Detail::Bare,
        ..fault
    }
}

fn respond(name: &str, value: &impl ToXml) -> String {
    let tag = format!("p:{name}Response");
    sforce::__private::write_response(
        &wire::SERVICE,
        &|_| {},
        &|w: &mut XmlWriter| value.write_xml(w, &tag),
        1024,
    )
}

fn operate(
    org: &mut Org,
    _endpoint: &Endpoint<'_>,
    headers: &Headers,
    r: &mut XmlReader<'_>,
    element: &Element<'_>,
) -> Result<String, Fault> {
    org.use_session(headers.session_id.as_deref())
        .map_err(bare)?;
    let name = String::from_utf8_lossy(element.local_name()).into_owned();
    match name.as_str() {
        "executeAnonymous" => {
            let _: wire::ExecuteAnonymous = request(r, element)?;
            let result = wire::ExecuteAnonymousResult {
                column: -1,
                compile_problem: Some(NOT_EXECUTED.to_owned()),
                compiled: false,
                exception_message: None,
                exception_stack_trace: None,
                line: -1,
                success: false,
            };
            Ok(respond(&name, &wire::ExecuteAnonymousResponse { result }))
        }
        "runTests" => {
            let _: wire::RunTests = request(r, element)?;
            let result = wire::RunTestsResult {
                code_coverage_warnings: vec![wire::CodeCoverageWarning {
                    id: org.org_id,
                    message: NO_TEST_RUN.to_owned(),
                    name: None,
                    namespace: None,
                }],
                num_failures: 0,
                num_tests_run: 0,
                total_time: 0.0,
                ..Default::default()
            };
            Ok(respond(&name, &wire::RunTestsResponse { result }))
        }
        other => Err(bare(Fault::unexpected(
            "UNKNOWN_EXCEPTION",
            format!("the local org does not implement the apex call `{other}`"),
        ))),
    }
}
