//! Every real SOAP response capture in `fixtures/soap/` decoded through the generated
//! partner binding (`sforce::partner`), with its values checked.

mod common;

use common::id;
use sforce::envelope::read_response;
use sforce::partner::{self, ExceptionCode, ResponseHeaders, StatusCode};
use sforce::Id;
use sforce::{Error, FieldValue, Response, SObject};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/soap");

/// Every capture this file decodes; a test checks it against the folder.
const CAPTURES: &[&str] = &[
    "simple-salesforce-login_fault_INVALID_LOGIN.xml",
    "soapforce-create_response.xml",
    "soapforce-create_response_failure.xml",
    "soapforce-delete_response.xml",
    "soapforce-delete_response_failure.xml",
    "soapforce-describe_global_response.xml",
    "soapforce-describe_layout_response.xml",
    "soapforce-describe_s_object_response.xml",
    "soapforce-describe_s_objects_response.xml",
    "soapforce-get_user_info_response.xml",
    "soapforce-login_response.xml",
    "soapforce-merge_response.xml",
    "soapforce-org_id_response.xml",
    "soapforce-process_submit_request_response.xml",
    "soapforce-process_workitem_request_response.xml",
    "soapforce-query_all_response.xml",
    "soapforce-query_more_response.xml",
    "soapforce-query_response.xml",
    "soapforce-retrieve_response.xml",
    "soapforce-search_response.xml",
    "soapforce-update_response.xml",
    "soapforce-update_response_failure.xml",
    "soapforce-upsert_response.xml",
];

fn capture(name: &str) -> Vec<u8> {
    assert!(CAPTURES.contains(&name), "{name} is not in CAPTURES");
    let path = format!("{DIR}/{name}");
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Decodes a capture as the response wrapper `R` of the partner service.
fn decode<R: sforce::xml::FromXml>(name: &str) -> Response<R, ResponseHeaders> {
    read_response::<R, ResponseHeaders>(&partner::SERVICE, &capture(name))
        .unwrap_or_else(|e| panic!("{name} does not decode: {e}"))
}

#[test]
fn every_capture_is_covered() {
    let mut on_disk: Vec<String> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".xml"))
        .collect();
    on_disk.sort();
    assert_eq!(
        on_disk, CAPTURES,
        "fixtures/soap/ and CAPTURES differ: add a decoding test for each new capture"
    );
}

// ----- login -----------------------------------------------------------------------------

#[test]
fn login_response() {
    let response = decode::<partner::LoginResponse>("soapforce-login_response.xml");
    assert_eq!(response.headers, ResponseHeaders::default());
    let result = response.body.result;
    assert_eq!(
        result.session_id.as_deref(),
        Some(
            "00DA0000000YpZ4!ARAAQEH.613sgjdpLDPsev9EBTxM0PMhEzbaCE505DYFCSm8tBkdDBl.\
             NFsmPEISjp7Ccd.t9BTTFa1DRmtbxkikZPI8FqDj"
        )
    );
    assert_eq!(
        result.server_url.as_deref(),
        Some("https://na7.salesforce.com/services/Soap/u/28.0/00DA0000000YpZ4")
    );
    assert_eq!(
        result.metadata_server_url.as_deref(),
        Some("https://na7.salesforce.com/services/Soap/m/28.0/00DA0000000YpZ4")
    );
    assert!(!result.password_expired);
    assert!(!result.sandbox);
    assert_eq!(
        result.user_id.as_ref().map(Id::as_str),
        Some("005A000000AAAAAIAY")
    );
    assert_eq!(result.upgrade_url, None);
    let info = result.user_info.expect("userInfo");
    assert_eq!(info.role_id, None, "<roleId xsi:nil=\"true\"/>");
    assert_eq!(info.user_default_currency_iso_code, None);
    assert_eq!(info.currency_symbol.as_deref(), Some("$"));
    assert_eq!(info.organization_id, "00DA0000000YpZ4MAK");
    assert_eq!(info.org_attachment_file_size_limit, 5_242_880);
    assert_eq!(info.session_seconds_valid, 7200);
    assert_eq!(info.user_email, "john.doe@email.com");
    assert_eq!(info.user_full_name, "John Doe");
    assert_eq!(info.user_time_zone, "America/Panama");
    assert_eq!(info.user_ui_skin, "Theme3");
    assert!(!info.org_has_person_accounts);
}

#[test]
fn login_fault_is_a_typed_fault() {
    let bytes = capture("simple-salesforce-login_fault_INVALID_LOGIN.xml");
    let error = read_response::<partner::LoginResponse, ResponseHeaders>(&partner::SERVICE, &bytes)
        .expect_err("a fault is an error");
    let Error::Fault(fault) = &error else {
        panic!("expected Error::Fault, got {error:?}");
    };
    // Sent without a prefix: kept as is.
    assert_eq!(fault.faultcode, "INVALID_LOGIN");
    assert_eq!(fault.exception_code(), "INVALID_LOGIN");
    assert!(fault
        .faultstring
        .starts_with("INVALID_LOGIN: Invalid username, password"));
    let detail = fault
        .detail::<partner::LoginFault>()
        .expect("the detail is a partner LoginFault");
    assert_eq!(detail.exception_code, ExceptionCode::InvalidLogin);
    assert_eq!(
        detail.exception_message,
        "Invalid username, password, security token; or user locked out."
    );
    assert!(fault.detail::<partner::InvalidFieldFault>().is_none());
    assert!(!fault.is_invalid_session());
    assert_eq!(
        error.fault().map(|f| f.exception_code()),
        Some("INVALID_LOGIN")
    );
}

#[test]
fn get_user_info_response() {
    let info = decode::<partner::GetUserInfoResponse>("soapforce-get_user_info_response.xml")
        .body
        .result;
    assert_eq!(info.user_id, "005A000000AAAAY");
    assert_eq!(info.profile_id, "00eA0000000AAAAIA2");
    assert_eq!(info.organization_name, "Developer");
    assert_eq!(info.user_email, "johndoe@email.com");
    assert_eq!(info.user_name, "john.doe@email.com");
    assert_eq!(info.user_type, "Standard");
    assert_eq!(info.user_language, "en_US");
    assert_eq!(info.org_default_currency_iso_code.as_deref(), Some("USD"));
    assert_eq!(info.role_id, None);
    assert_eq!(info.user_default_currency_iso_code, None);
    assert!(!info.accessibility_mode);
    assert!(!info.organization_multi_currency);
    // Not in this (older) capture: left at the default.
    assert_eq!(info.default_app_id_for_profile, None);
    assert!(!info.chatter_external);
}

// ----- queries ---------------------------------------------------------------------------

fn assert_two_opportunities(result: &partner::QueryResult) {
    assert!(result.done);
    assert_eq!(
        result.query_locator, None,
        "<queryLocator xsi:nil=\"true\"/>"
    );
    assert_eq!(result.size, 2);
    assert_eq!(result.records.len(), 2);
    let expected = [
        ("006A000000LZhwNIAT", "Opportunity 1", "Prospecting"),
        ("006A000000LaF4xIAF", "Opportunity 2", "Value Proposition"),
    ];
    for (record, (id, name, stage)) in result.records.iter().zip(expected) {
        assert_eq!(record.type_name(), "Opportunity");
        // The Id comes twice; it fills `id` once and is not a field.
        assert_eq!(record.id.as_deref(), Some(id));
        assert_eq!(
            record.field_names().collect::<Vec<_>>(),
            ["Name", "StageName"]
        );
        assert_eq!(record.get_str("Name").unwrap(), Some(name));
        assert_eq!(record.get_str("StageName").unwrap(), Some(stage));
    }
}

#[test]
fn query_response() {
    let response = decode::<partner::QueryResponse>("soapforce-query_response.xml");
    assert_two_opportunities(&response.body.result);
}

#[test]
fn query_all_response() {
    let response = decode::<partner::QueryAllResponse>("soapforce-query_all_response.xml");
    assert_two_opportunities(&response.body.result);
}

#[test]
fn query_more_response() {
    let response = decode::<partner::QueryMoreResponse>("soapforce-query_more_response.xml");
    assert_two_opportunities(&response.body.result);
}

#[test]
fn org_id_query_response() {
    let result = decode::<partner::QueryResponse>("soapforce-org_id_response.xml")
        .body
        .result;
    assert!(result.done);
    assert_eq!(result.size, 1);
    let [organization] = result.records.as_slice() else {
        panic!("expected one record, got {:?}", result.records);
    };
    assert_eq!(organization.type_name(), "Organization");
    assert_eq!(organization.id.as_deref(), Some("00DA0000000YpZ4MAK"));
    assert!(organization.is_empty(), "{organization:?}");
}

#[test]
fn retrieve_response_tells_null_from_absent() {
    let records = decode::<partner::RetrieveResponse>("soapforce-retrieve_response.xml")
        .body
        .result;
    let [record] = records.as_slice() else {
        panic!("expected one record, got {records:?}");
    };
    assert_eq!(record.type_name(), "Opportunity");
    assert_eq!(record.id.as_deref(), Some("006A000000LbkT5IAJ"));
    assert_eq!(
        record.get_str("Name").unwrap(),
        Some("SOAPForce Opportunity")
    );
    assert_eq!(record.get_str("StageName").unwrap(), Some("Prospecting"));
    // `<sf:Description xsi:nil="true"/>`: present and null.
    assert_eq!(record.get("Description"), Some(&FieldValue::Null));
    assert!(record.is_null("Description"));
    assert_eq!(record.get_str("Description").unwrap(), None);
    // Not selected: absent.
    assert_eq!(record.get("Amount"), None);
    assert!(!record.contains("Amount"));
    assert!(record.contains("Description"));
}

#[test]
fn search_response_with_empty_result() {
    let result = decode::<partner::SearchResponse>("soapforce-search_response.xml")
        .body
        .result;
    assert_eq!(result, partner::SearchResult::default());
    assert!(result.search_records.is_empty());
}

// ----- DML -------------------------------------------------------------------------------

#[test]
fn create_response_success() {
    let results = decode::<partner::CreateResponse>("soapforce-create_response.xml")
        .body
        .result;
    assert_eq!(
        results,
        [partner::SaveResult {
            errors: vec![],
            id: Some(id("006A000000LbiizIAB")),
            success: true,
        }]
    );
}

fn assert_insufficient_access(errors: &[partner::ErrorTypeKind]) {
    let [error] = errors else {
        panic!("expected one error, got {errors:?}");
    };
    assert_eq!(error.type_name(), "Error");
    assert_eq!(
        error.status_code(),
        &StatusCode::InsufficientAccessOnCrossReferenceEntity
    );
    assert_eq!(
        error.status_code().as_str(),
        "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY"
    );
    assert_eq!(
        error.message(),
        "insufficient access rights on cross-reference id"
    );
    assert!(error.fields().is_empty());
}

#[test]
fn create_response_failure() {
    let results = decode::<partner::CreateResponse>("soapforce-create_response_failure.xml")
        .body
        .result;
    let [result] = results.as_slice() else {
        panic!("expected one result, got {results:?}");
    };
    assert!(!result.success);
    assert_eq!(result.id, None, "<id xsi:nil=\"true\"/>");
    assert_insufficient_access(&result.errors);
}

#[test]
fn update_response_success() {
    let results = decode::<partner::UpdateResponse>("soapforce-update_response.xml")
        .body
        .result;
    let [result] = results.as_slice() else {
        panic!("expected one result, got {results:?}");
    };
    assert!(result.success);
    assert_eq!(
        result.id.as_ref().map(Id::as_str),
        Some("006A000000LbiizIAB")
    );
    assert!(result.errors.is_empty());
}

#[test]
fn update_response_failure() {
    let results = decode::<partner::UpdateResponse>("soapforce-update_response_failure.xml")
        .body
        .result;
    let [result] = results.as_slice() else {
        panic!("expected one result, got {results:?}");
    };
    assert!(!result.success);
    assert_eq!(result.id, None);
    assert_insufficient_access(&result.errors);
}

#[test]
fn upsert_response() {
    let results = decode::<partner::UpsertResponse>("soapforce-upsert_response.xml")
        .body
        .result;
    let created: Vec<(bool, Option<&str>, bool)> = results
        .iter()
        .map(|r| (r.created, r.id.as_ref().map(Id::as_str), r.success))
        .collect();
    assert_eq!(
        created,
        [
            (true, Some("006A000000LbiizIAB"), true),
            (false, Some("006A000000LbiizIAB"), true),
        ]
    );
}

#[test]
fn delete_response_success() {
    let results = decode::<partner::DeleteResponse>("soapforce-delete_response.xml")
        .body
        .result;
    assert_eq!(
        results,
        [partner::DeleteResult {
            errors: vec![],
            id: Some(id("006A000000LbiizIAB")),
            success: true,
        }]
    );
}

#[test]
fn delete_response_failure() {
    let results = decode::<partner::DeleteResponse>("soapforce-delete_response_failure.xml")
        .body
        .result;
    let [result] = results.as_slice() else {
        panic!("expected one result, got {results:?}");
    };
    assert!(!result.success);
    assert_eq!(result.id, None);
    let [error] = result.errors.as_slice() else {
        panic!("expected one error, got {:?}", result.errors);
    };
    assert_eq!(error.status_code(), &StatusCode::MalformedId);
    assert_eq!(error.message(), "bad id 006i000004DAKd");
}

#[test]
fn merge_response() {
    let results = decode::<partner::MergeResponse>("soapforce-merge_response.xml")
        .body
        .result;
    let [result] = results.as_slice() else {
        panic!("expected one result, got {results:?}");
    };
    assert!(result.success);
    assert_eq!(
        result.id.as_ref().map(Id::as_str),
        Some("001160000000000AAG")
    );
    assert_eq!(
        result.merged_record_ids,
        ["001140000000000AA4", "001150000000000AAO"]
    );
    assert!(result.updated_related_ids.is_empty());
    assert!(result.errors.is_empty());
}

#[test]
fn process_submit_response() {
    let results =
        decode::<partner::ProcessResponse>("soapforce-process_submit_request_response.xml")
            .body
            .result;
    assert_eq!(
        results,
        [partner::ProcessResult {
            actor_ids: vec![id("005i0000000Fi7vAAC")],
            entity_id: Some(id("a00i0000007JBLJAA4")),
            errors: vec![],
            instance_id: Some(id("04gi00000009u5ZAAQ")),
            instance_status: Some("Pending".to_owned()),
            new_workitem_ids: vec![id("04ii000000098uLAAQ")],
            success: true,
        }]
    );
}

#[test]
fn process_workitem_response() {
    let results =
        decode::<partner::ProcessResponse>("soapforce-process_workitem_request_response.xml")
            .body
            .result;
    let [result] = results.as_slice() else {
        panic!("expected one result, got {results:?}");
    };
    assert!(result.success);
    assert_eq!(result.instance_status.as_deref(), Some("Removed"));
    assert_eq!(
        result.instance_id.as_ref().map(Id::as_str),
        Some("04gi00000009u5PAAQ")
    );
    assert!(result.actor_ids.is_empty());
    assert!(result.new_workitem_ids.is_empty());
}

// ----- describe --------------------------------------------------------------------------

#[test]
fn describe_global_response() {
    let result =
        decode::<partner::DescribeGlobalResponse>("soapforce-describe_global_response.xml")
            .body
            .result;
    assert_eq!(result.encoding.as_deref(), Some("UTF-8"));
    assert_eq!(result.max_batch_size, 200);
    let names: Vec<&str> = result.sobjects.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Account", "AccountContactRole"]);
    let account = &result.sobjects[0];
    assert_eq!(account.key_prefix.as_deref(), Some("001"));
    assert_eq!(account.label_plural, "Accounts");
    assert!(account.createable && account.feed_enabled && account.mergeable);
    assert!(!account.custom && !account.activateable);
    let role = &result.sobjects[1];
    assert_eq!(role.key_prefix.as_deref(), Some("02Z"));
    assert_eq!(role.label, "Account Contact Role");
    assert!(!role.feed_enabled && !role.searchable && role.updateable);
    // Not in the capture: default.
    assert_eq!(account.data_translation_enabled, None);
}

#[test]
fn trimmed_describe_layout_decodes_to_defaults() {
    let result =
        decode::<partner::DescribeLayoutResponse>("soapforce-describe_layout_response.xml")
            .body
            .result;
    // `<result><!-- Lots of layout data here --></result>`.
    assert_eq!(result, Some(partner::DescribeLayoutResult::default()));
}

#[test]
fn trimmed_describe_s_object_decodes_to_defaults() {
    let result =
        decode::<partner::DescribeSObjectResponse>("soapforce-describe_s_object_response.xml")
            .body
            .result;
    assert_eq!(result, Some(partner::DescribeSObjectResult::default()));
}

#[test]
fn trimmed_describe_s_objects_decodes_to_defaults() {
    let results =
        decode::<partner::DescribeSObjectsResponse>("soapforce-describe_s_objects_response.xml")
            .body
            .result;
    assert_eq!(results, [partner::DescribeSObjectResult::default()]);
}

// ----- the same bytes through the bindings generated against `::sforce` ------------------

#[test]
fn build_rs_bindings_decode_like_the_checked_in_ones() {
    use sforce_tests::partner_v66;
    for name in [
        "soapforce-query_response.xml",
        "soapforce-org_id_response.xml",
    ] {
        let bytes = capture(name);
        let ours = read_response::<partner_v66::QueryResponse, partner_v66::ResponseHeaders>(
            &partner_v66::SERVICE,
            &bytes,
        );
        let theirs =
            read_response::<partner::QueryResponse, ResponseHeaders>(&partner::SERVICE, &bytes);
        // Same code, generated with another runtime path: same values.
        assert_eq!(
            format!("{:?}", ours.map(|r| r.body.result.records)),
            format!("{:?}", theirs.map(|r| r.body.result.records)),
            "{name}"
        );
    }
    let records: Vec<SObject> =
        read_response::<partner_v66::RetrieveResponse, partner_v66::ResponseHeaders>(
            &partner_v66::SERVICE,
            &capture("soapforce-retrieve_response.xml"),
        )
        .unwrap()
        .body
        .result;
    assert_eq!(records.len(), 1);
}
