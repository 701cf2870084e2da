//! Request envelopes for the schema check: a broad set of partner operations with
//! realistic arguments and headers, sent through the generated client to a loopback server
//! that answers each with a minimal valid response. The connection traces every envelope
//! into `<workspace>/target/request-envelopes`, which CI then validates against the
//! partner WSDL's schema:
//!
//! ```text
//! python3 tools/validate_envelopes.py --wsdl fixtures/wsdl/partner-v66.0.wsdl \
//!     --exceptions tests/schema-exceptions.txt target/request-envelopes
//! ```

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::*;
use sforce::partner::{self, *};
use sforce::{DateTime, RequestOptions, SObject};

/// Where the envelopes go: `target/request-envelopes` under the workspace root (not
/// `CARGO_TARGET_DIR`, so that the validator finds them at a fixed place).
fn envelope_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is inside the workspace")
        .join("target/request-envelopes")
}

/// How many items of a batched call's request the response needs a result for.
fn item_count(exchange: &Exchange) -> usize {
    let body = exchange.body();
    [
        "sObjects",
        "ids",
        "request",
        "actions",
        "leadConverts",
        "messages",
        "sObjectType",
    ]
    .iter()
    .map(|name| body.children_named(name).count())
    .max()
    .unwrap_or(0)
}

/// A minimal valid response to every operation: the wrapper element, with one
/// `<result>` per item for the batched calls.
fn minimal_response(exchange: &Exchange) -> Reply {
    let op = exchange.operation();
    let result = match op {
        "create" | "update" | "delete" | "undelete" | "emptyRecycleBin" => {
            "<result><id>001D000000IRFmaIAH</id><success>true</success></result>"
        }
        "upsert" => {
            "<result><created>true</created><id>003D000000IRFmaIAH</id>\
             <success>true</success></result>"
        }
        "merge" => {
            "<result><id>001D000000IRFmaIAH</id><mergedRecordIds>001D000000IRFmbIAH\
             </mergedRecordIds><success>true</success></result>"
        }
        "process" => {
            "<result><entityId>006D000000IRFmaIAH</entityId><instanceStatus>Pending\
             </instanceStatus><success>true</success></result>"
        }
        "convertLead" => {
            "<result><accountId>001D000000IRFmaIAH</accountId><contactId>003D000000IRFmaIAH\
             </contactId><leadId>00QD000000IRFmaIAH</leadId><success>true</success></result>"
        }
        "sendEmail" => "<result><success>true</success></result>",
        "describeSObjects" => "<result><name>Account</name></result>",
        "retrieve" => {
            "<result xsi:type=\"sf:sObject\"><sf:type>Account</sf:type>\
             <sf:Id>001D000000IRFmaIAH</sf:Id><sf:Name>Acme</sf:Name></result>"
        }
        "login" => {
            let server_url = format!("http://{}/services/Soap/u/64.0/00D", exchange.host);
            return Reply::ok(login_response(&server_url, &session_id(7)));
        }
        "logout" => return Reply::ok(partner_envelope("", "<logoutResponse/>")),
        _ => "",
    };
    let results = if result.is_empty() {
        String::new()
    } else {
        result.repeat(item_count(exchange).max(1))
    };
    Reply::ok(partner_response(op, &results))
}

fn datetime(text: &str) -> DateTime {
    text.parse().expect("an RFC 3339 date-time")
}

/// What clients usually send: the client id and namespace only. The v66 schema requires
/// all nine children (six not nillable); the server takes any subset, so the schema check
/// tolerates this through the `call-options-partial` exception in tests/schema-exceptions.txt.
fn call_options() -> CallOptions {
    CallOptions {
        client: Some("sforce-tests/1.0".to_owned()),
        default_namespace: Some("acme".to_owned()),
        ..CallOptions::default()
    }
}

/// Every field set: valid against the schema with no exception (used on `login`).
fn full_call_options() -> CallOptions {
    CallOptions {
        client: Some("sforce-tests/1.0".to_owned()),
        default_namespace: Some("acme".to_owned()),
        return_field_data_types: None,
        client_log: Some("request-envelopes".to_owned()),
        debug_exceptions: Some(false),
        platform: Some("rust".to_owned()),
        remote_application: Some("sforce".to_owned()),
        ui_request_id: Some("00000000-0000-0000-0000-000000000001".to_owned()),
        perf_option: Some(PerfOption::Basic),
    }
}

fn duplicate_rule_header() -> DuplicateRuleHeader {
    DuplicateRuleHeader {
        allow_save: Some(true),
        include_record_details: Some(true),
        run_as_current_user: Some(false),
    }
}

fn email_header() -> EmailHeader {
    EmailHeader {
        trigger_auto_response_email: Some(false),
        trigger_other_email: Some(false),
        trigger_user_email: Some(true),
    }
}

fn package_version_header() -> PackageVersionHeader {
    PackageVersionHeader {
        package_versions: vec![PackageVersion {
            major_number: 3,
            minor_number: 12,
            namespace: "npsp".to_owned(),
            package_id: "033D00000000001AAA".to_owned(),
        }],
    }
}

#[tokio::test]
async fn broad_set_of_request_envelopes_for_the_schema_check() {
    let dir = envelope_dir();
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clear target/request-envelopes");
    }

    let server = Server::start(minimal_response).await;
    let (login, _) = login_server(&server.url).await;
    let connection = password_connection(&login.url)
        .trace_dir(&dir)
        .build()
        .unwrap();
    let base = partner::Client::new(connection);
    // Client defaults: sent with every call that allows them.
    let client = base.with_headers(|h| {
        h.call_options = Some(call_options());
        h.locale_options = Some(LocaleOptions {
            language: Some("en_US".to_owned()),
            localize_errors: Some(true),
        });
    });

    // ----- login and session --------------------------------------------------------------
    client.get_server_timestamp().await.unwrap(); // logs in first (traced as `login`)
    client
        .login_with(
            USERNAME,
            "Pa55word&<x>",
            &RequestOptions::new().headers(LoginHeaders {
                login_scope_header: Some(LoginScopeHeader {
                    organization_id: Some(id(ORG_ID)),
                    portal_id: None,
                }),
                call_options: Some(full_call_options()),
            }),
        )
        .await
        .unwrap();
    client.get_user_info().await.unwrap();

    // ----- queries ------------------------------------------------------------------------
    client
        .query_with(
            "SELECT Id, Name, (SELECT Id FROM Contacts) FROM Account WHERE Name LIKE 'A%'",
            &RequestOptions::new().headers(QueryHeaders {
                query_options: Some(QueryOptions {
                    batch_size: Some(200),
                    ..QueryOptions::default()
                }),
                mru_header: Some(MruHeader {
                    update_mru: Some(true),
                }),
                ..QueryHeaders::default()
            }),
        )
        .await
        .unwrap();
    client
        .query_all("SELECT Id FROM Account WHERE IsDeleted = true")
        .await
        .unwrap();
    client
        .query_more_with(
            "01gD0000002HU6KIAW-500",
            &RequestOptions::new().headers(QueryMoreHeaders {
                query_options: Some(QueryOptions {
                    batch_size: Some(2000),
                    ..QueryOptions::default()
                }),
                ..QueryMoreHeaders::default()
            }),
        )
        .await
        .unwrap();
    client
        .retrieve(
            "Id, Name, Owner.Name",
            "Account",
            &[id("001D000000IRFmaIAH"), id("001D000000IRFmbIAH")],
        )
        .await
        .unwrap();
    client
        .search("FIND {Acme*} IN NAME FIELDS RETURNING Account(Id, Name), Contact(Id)")
        .await
        .unwrap();
    client
        .get_deleted(
            "Account",
            datetime("2024-05-01T00:00:00Z"),
            datetime("2024-05-22T17:07:44.123Z"),
        )
        .await
        .unwrap();
    client
        .get_updated(
            "Contact",
            datetime("2024-05-01T00:00:00Z"),
            datetime("2024-05-02T00:00:00Z"),
        )
        .await
        .unwrap();

    // ----- DML ----------------------------------------------------------------------------
    let contact = SObject::new("Contact")
        .with("FirstName", "Zoë")
        .with("LastName", "O'Brien & <Sons>")
        .with("Email", "zoe@example.com")
        .with("Birthdate", "1990-02-28")
        .with_null("Title")
        // A reference by external id: a nested sObject with the parent's key field.
        .with(
            "Account",
            SObject::new("Account").with("External_Id__c", "ACME-0001"),
        );
    let lead = SObject::new("Lead")
        .with("LastName", "Doe")
        .with("Company", "Doe Inc.")
        .with("AnnualRevenue", "5.0E7");
    client
        .create_with(
            &[contact.clone(), lead],
            &RequestOptions::new().headers(CreateHeaders {
                assignment_rule_header: Some(AssignmentRuleHeader {
                    assignment_rule_id: None,
                    use_default_rule: Some(true),
                }),
                all_or_none_header: Some(AllOrNoneHeader {
                    all_or_none: Some(true),
                }),
                allow_field_truncation_header: Some(AllowFieldTruncationHeader {
                    allow_field_truncation: Some(true),
                }),
                duplicate_rule_header: Some(duplicate_rule_header()),
                mru_header: Some(MruHeader {
                    update_mru: Some(true),
                }),
                email_header: Some(email_header()),
                disable_feed_tracking_header: Some(DisableFeedTrackingHeader {
                    disable_feed_tracking: Some(true),
                }),
                ..CreateHeaders::default()
            }),
        )
        .await
        .unwrap();
    let mut changed = SObject::new("Account")
        .with_id("001D000000IRFmaIAH")
        .with("Name", "Acme (renamed)")
        .with("NumberOfEmployees", "250");
    changed.set_null("Website").set_null("Fax");
    client
        .update_with(
            &[changed],
            &RequestOptions::new().headers(UpdateHeaders {
                all_or_none_header: Some(AllOrNoneHeader {
                    all_or_none: Some(false),
                }),
                owner_change_options: Some(OwnerChangeOptions {
                    options: vec![OwnerChangeOption {
                        type_: OwnerChangeOptionType::TransferOpenActivities,
                        execute: true,
                    }],
                }),
                ..UpdateHeaders::default()
            }),
        )
        .await
        .unwrap();
    client
        .upsert_with(
            "External_Id__c",
            &[
                SObject::new("Contact")
                    .with("External_Id__c", "C-1")
                    .with("LastName", "Smith"),
                contact,
            ],
            &RequestOptions::new().headers(UpsertHeaders {
                duplicate_rule_header: Some(duplicate_rule_header()),
                ..UpsertHeaders::default()
            }),
        )
        .await
        .unwrap();
    client
        .delete_with(
            &[id("001D000000IRFmaIAH"), id("003D000000IRFmaIAH")],
            &RequestOptions::new().headers(DeleteHeaders {
                all_or_none_header: Some(AllOrNoneHeader {
                    all_or_none: Some(true),
                }),
                user_territory_delete_header: Some(UserTerritoryDeleteHeader {
                    transfer_to_user_id: Some(id(USER_ID)),
                }),
                ..DeleteHeaders::default()
            }),
        )
        .await
        .unwrap();
    client.undelete(&[id("001D000000IRFmaIAH")]).await.unwrap();
    client
        .merge_with(
            &[MergeRequest {
                additional_information_map: vec![],
                master_record: SObject::new("Account")
                    .with_id("001D000000IRFmaIAH")
                    .with("Description", "kept"),
                record_to_merge_ids: vec![id("001D000000IRFmbIAH"), id("001D000000IRFmcIAH")],
            }],
            &RequestOptions::new().headers(MergeHeaders {
                email_header: Some(email_header()),
                ..MergeHeaders::default()
            }),
        )
        .await
        .unwrap();
    client
        .process(&[
            ProcessRequestKind::ProcessSubmitRequest(ProcessSubmitRequest {
                comments: Some("Please approve".to_owned()),
                next_approver_ids: vec![id(USER_ID)],
                object_id: id("006D000000IRFmaIAH"),
                submitter_id: Some(id(USER_ID)),
                process_definition_name_or_id: Some("Discount_Approval".to_owned()),
                skip_entry_criteria: Some(false),
            }),
            ProcessRequestKind::ProcessWorkitemRequest(ProcessWorkitemRequest {
                comments: Some("Approved".to_owned()),
                next_approver_ids: vec![],
                action: "Approve".to_owned(),
                workitem_id: id("04iD000000IRFmaIAH"),
            }),
        ])
        .await
        .unwrap();
    client
        .convert_lead_with(
            &[LeadConvert {
                account_id: Some(id("001D000000IRFmaIAH")),
                converted_status: "Closed - Converted".to_owned(),
                do_not_create_opportunity: false,
                lead_id: id("00QD000000IRFmaIAH"),
                opportunity_name: Some("Doe Inc. - New".to_owned()),
                overwrite_lead_source: true,
                owner_id: Some(id(USER_ID)),
                send_notification_email: false,
                ..LeadConvert::default()
            }],
            &RequestOptions::new().headers(ConvertLeadHeaders {
                duplicate_rule_header: Some(duplicate_rule_header()),
                ..ConvertLeadHeaders::default()
            }),
        )
        .await
        .unwrap();
    client
        .empty_recycle_bin(&[id("001D000000IRFmaIAH")])
        .await
        .unwrap();

    // ----- describe -----------------------------------------------------------------------
    client.describe_global().await.unwrap();
    client.describe_s_object("Account").await.unwrap();
    client
        .describe_s_objects_with(
            &[
                "Account".to_owned(),
                "Contact".to_owned(),
                "Custom__c".to_owned(),
            ],
            &RequestOptions::new().headers(DescribeSObjectsHeaders {
                package_version_header: Some(package_version_header()),
                ..DescribeSObjectsHeaders::default()
            }),
        )
        .await
        .unwrap();
    client
        .describe_layout("Account", None, &[id("012D00000000001AAA")])
        .await
        .unwrap();
    client
        .describe_layout("Contact", Some("Contact Layout"), &[])
        .await
        .unwrap();
    client
        .describe_tabs_with(&RequestOptions::new().headers(DescribeTabsHeaders {
            package_version_header: Some(package_version_header()),
            ..DescribeTabsHeaders::default()
        }))
        .await
        .unwrap();

    // ----- users and email ----------------------------------------------------------------
    client
        .reset_password_with(
            id(USER_ID),
            &RequestOptions::new().headers(ResetPasswordHeaders {
                email_header: Some(email_header()),
                ..ResetPasswordHeaders::default()
            }),
        )
        .await
        .unwrap();
    client
        .set_password(id(USER_ID), "N3w-Pa55&<word>")
        .await
        .unwrap();
    client
        .send_email(&[EmailKind::SingleEmailMessage(SingleEmailMessage {
            bcc_sender: Some(false),
            email_priority: Some(EmailPriority::Normal),
            reply_to: Some("support@example.com".to_owned()),
            save_as_activity: Some(false),
            sender_display_name: Some("Support".to_owned()),
            subject: Some("Your case <#42> & more".to_owned()),
            use_signature: Some(false),
            to_addresses: vec!["zoe@example.com".to_owned()],
            cc_addresses: vec!["cc@example.com".to_owned()],
            plain_text_body: Some("Hello,\nyour case is closed.".to_owned()),
            html_body: Some("<p>Hello</p>".to_owned()),
            ..SingleEmailMessage::default()
        })])
        .await
        .unwrap();
    client.logout().await.unwrap();

    // ----- what was written ---------------------------------------------------------------
    let mut traced = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if let Some(stem) = name.strip_suffix("-request.xml") {
            let (_, operation) = stem.split_once('-').expect("NNNN-operation");
            traced.insert(operation.to_owned());
            let text = std::fs::read_to_string(dir.join(&name)).unwrap();
            // Secrets are masked, still as text.
            assert!(!text.contains(PASSWORD), "{name}");
            assert!(!text.contains("N3w-Pa55"), "{name}");
            assert!(!text.contains("SESSION-"), "{name}");
        }
    }
    let expected = [
        "convertLead",
        "create",
        "delete",
        "describeGlobal",
        "describeLayout",
        "describeSObject",
        "describeSObjects",
        "describeTabs",
        "emptyRecycleBin",
        "getDeleted",
        "getServerTimestamp",
        "getUpdated",
        "getUserInfo",
        "login",
        "logout",
        "merge",
        "process",
        "query",
        "queryAll",
        "queryMore",
        "resetPassword",
        "retrieve",
        "search",
        "sendEmail",
        "setPassword",
        "undelete",
        "update",
        "upsert",
    ];
    assert_eq!(
        traced.iter().map(String::as_str).collect::<Vec<_>>(),
        expected
    );
    // The connection's login on the login server; every call, the generated `login`
    // among them, on the instance.
    assert_eq!(login.exchanges().len(), 1);
    // (describeLayout twice.)
    assert_eq!(server.count("describeLayout"), 2);
    assert_eq!(server.exchanges().len(), expected.len() + 1);
}
