//! `response_typed`: a response envelope read into a generated type, the way the client
//! reads every answer (`sforce::envelope::read_response`). The first byte picks the
//! response type, the rest is the envelope.

use std::fmt::Debug;

use sforce::envelope::{read_response, ServiceInfo};
use sforce::xml::FromXml;
use sforce::{apex, partner, Error};

/// The response types, in selector order (the first input byte modulo their number).
pub const TYPES: &[&str] = &[
    "partner::QueryResponse",
    "partner::QueryMoreResponse",
    "partner::QueryAllResponse",
    "partner::CreateResponse",
    "partner::UpdateResponse",
    "partner::UpsertResponse",
    "partner::DeleteResponse",
    "partner::MergeResponse",
    "partner::RetrieveResponse",
    "partner::SearchResponse",
    "partner::DescribeGlobalResponse",
    "partner::DescribeSObjectResponse",
    "partner::DescribeSObjectsResponse",
    "partner::DescribeLayoutResponse",
    "partner::LoginResponse",
    "partner::GetUserInfoResponse",
    "partner::ProcessResponse",
    "apex::ExecuteAnonymousResponse",
    "apex::RunTestsResponse",
    "apex::CompileClassesResponse",
];

/// Reads `data[1..]` as the response type `TYPES[data[0] % TYPES.len()]`.
pub fn run(data: &[u8]) -> Result<(), Error> {
    let Some((&selector, body)) = data.split_first() else {
        return Ok(());
    };
    let p = &partner::SERVICE;
    let a = &apex::SERVICE;
    match usize::from(selector) % TYPES.len() {
        0 => read::<partner::QueryResponse, partner::ResponseHeaders>(p, body),
        1 => read::<partner::QueryMoreResponse, partner::ResponseHeaders>(p, body),
        2 => read::<partner::QueryAllResponse, partner::ResponseHeaders>(p, body),
        3 => read::<partner::CreateResponse, partner::ResponseHeaders>(p, body),
        4 => read::<partner::UpdateResponse, partner::ResponseHeaders>(p, body),
        5 => read::<partner::UpsertResponse, partner::ResponseHeaders>(p, body),
        6 => read::<partner::DeleteResponse, partner::ResponseHeaders>(p, body),
        7 => read::<partner::MergeResponse, partner::ResponseHeaders>(p, body),
        8 => read::<partner::RetrieveResponse, partner::ResponseHeaders>(p, body),
        9 => read::<partner::SearchResponse, partner::ResponseHeaders>(p, body),
        10 => read::<partner::DescribeGlobalResponse, partner::ResponseHeaders>(p, body),
        11 => read::<partner::DescribeSObjectResponse, partner::ResponseHeaders>(p, body),
        12 => read::<partner::DescribeSObjectsResponse, partner::ResponseHeaders>(p, body),
        13 => read::<partner::DescribeLayoutResponse, partner::ResponseHeaders>(p, body),
        14 => read::<partner::LoginResponse, partner::ResponseHeaders>(p, body),
        15 => read::<partner::GetUserInfoResponse, partner::ResponseHeaders>(p, body),
        16 => read::<partner::ProcessResponse, partner::ResponseHeaders>(p, body),
        17 => read::<apex::ExecuteAnonymousResponse, apex::ResponseHeaders>(a, body),
        18 => read::<apex::RunTestsResponse, apex::ResponseHeaders>(a, body),
        _ => read::<apex::CompileClassesResponse, apex::ResponseHeaders>(a, body),
    }
}

fn read<R: FromXml + Debug, H: FromXml + Default + Debug>(
    service: &ServiceInfo,
    body: &[u8],
) -> Result<(), Error> {
    let result = read_response::<R, H>(service, body);
    // What callers do next with an answer or an error (print it, log it) must not panic
    // either; `Debug` also masks secrets.
    let _ = format!("{result:?}");
    if let Err(e) = &result {
        let _ = e.to_string();
    }
    result.map(drop)
}
