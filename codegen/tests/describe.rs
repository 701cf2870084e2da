//! The describe dump readers: real REST dumps from fixtures/describe, a SOAP dump of the
//! same Contact, captured envelopes, and malformed inputs with their error places.

use std::fs;
use std::path::{Path, PathBuf};

use sforce_codegen::describe::{self, FieldType, SObjectDescribe, Schema};
use sforce_codegen::Error;

fn real(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/describe")
        .join(name)
}

fn local(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/describe")
        .join(name)
}

fn one(path: &Path) -> SObjectDescribe {
    let mut objects = describe::read_file(path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(objects.len(), 1, "{}", path.display());
    objects.remove(0)
}

/// `(line, column, message)` of an `Invalid` error for `file`; panics on anything else.
fn invalid_at(result: Result<Vec<SObjectDescribe>, Error>, file: &str) -> (u32, u32, String) {
    match result {
        Err(Error::Invalid {
            file: f,
            line,
            column,
            message,
        }) => {
            assert_eq!(f, file);
            (line, column, message)
        }
        other => panic!("expected Error::Invalid, got {other:?}"),
    }
}

#[test]
fn real_dumps_have_their_counts() {
    let cases = [
        (
            "cumulusci-rest-Account.json",
            "Account",
            Some("001"),
            68,
            102,
        ),
        (
            "cumulusci-rest-Contact.json",
            "Contact",
            Some("003"),
            59,
            95,
        ),
        ("cumulusci-rest-Lead.json", "Lead", Some("00Q"), 54, 57),
        ("cumulusci-rest-Case.json", "Case", Some("500"), 35, 49),
        ("cumulusci-rest-Event.json", "Event", Some("00U"), 48, 27),
        (
            "cumulusci-rest-OpportunityContactRole.json",
            "OpportunityContactRole",
            Some("00K"),
            11,
            2,
        ),
        (
            "cumulusci-rest-Custom__c.json",
            "Custom__c",
            Some("aB5"),
            3,
            0,
        ),
        (
            "restforce-rest-Whizbang-describe.json",
            "Whizbang",
            Some("a01"),
            30,
            12,
        ),
    ];
    for (file, name, prefix, fields, children) in cases {
        let object = one(&real(file));
        assert_eq!(object.name, name, "{file}");
        assert_eq!(object.key_prefix.as_deref(), prefix, "{file}");
        assert_eq!(object.fields.len(), fields, "{file}");
        assert_eq!(object.child_relationships.len(), children, "{file}");
        assert_eq!(object.source.as_deref(), Some(real(file).as_path()));
        assert!(object.queryable, "{file}");
    }
}

#[test]
fn account_fields_are_typed_as_described() {
    let account = one(&real("cumulusci-rest-Account.json"));
    assert_eq!(account.label, "Account");
    assert!(!account.custom && account.createable && account.deletable);

    let id = account.field("id").expect("Id");
    assert_eq!(id.field_type, FieldType::Id);
    assert_eq!(id.soap_type, "tns:ID");
    assert!(!id.createable && !id.updateable && !id.nillable);
    assert!(id.id_lookup);

    let revenue = account.field("AnnualRevenue").expect("AnnualRevenue");
    assert_eq!(revenue.field_type, FieldType::Currency);
    assert_eq!(revenue.soap_type, "xsd:double");
    assert_eq!((revenue.precision, revenue.scale), (18, 0));
    assert!(revenue.createable && revenue.updateable && revenue.nillable);

    let employees = account
        .field("NumberOfEmployees")
        .expect("NumberOfEmployees");
    assert_eq!(employees.field_type, FieldType::Int);
    assert_eq!(employees.digits, 8);

    let name = account.field("Name").expect("Name");
    assert_eq!(name.field_type, FieldType::String);
    assert_eq!(name.length, 255);
    // As the server sends it: Name is the compound of itself on Account.
    assert_eq!(name.compound_field_name.as_deref(), Some("Name"));

    let city = account.field("BillingCity").expect("BillingCity");
    assert_eq!(city.compound_field_name.as_deref(), Some("BillingAddress"));
    let address = account.field("BillingAddress").expect("BillingAddress");
    assert_eq!(address.field_type, FieldType::Address);
    assert_eq!(address.soap_type, "urn:address");

    let created = account.field("CreatedDate").expect("CreatedDate");
    assert_eq!(created.field_type, FieldType::DateTime);
    assert!(!created.createable && !created.updateable);
    let partner = account.field("IsPartner").expect("IsPartner");
    assert!(!partner.createable && partner.updateable);

    let industry = account.field("Industry").expect("Industry");
    assert_eq!(industry.field_type, FieldType::Picklist);
    assert!(!industry.restricted_picklist);
    assert_eq!(industry.picklist_values.len(), 32);
    assert_eq!(industry.picklist_values[0].value, "Agriculture");
    assert!(industry.picklist_values.iter().any(|v| v.value == "Other"));
    assert!(industry.picklist_values.iter().all(|v| v.active));
    let accuracy = account.field("BillingGeocodeAccuracy").expect("accuracy");
    assert!(accuracy.restricted_picklist);
    assert_eq!(accuracy.picklist_values.len(), 11);

    let owner = account.field("OwnerId").expect("OwnerId");
    assert_eq!(owner.field_type, FieldType::Reference);
    assert_eq!(owner.reference_to, ["User"]);
    assert_eq!(owner.relationship_name.as_deref(), Some("Owner"));
    assert_eq!(
        account.parent_relationship("owner").map(|f| &*f.name),
        Some("OwnerId")
    );
    let custom = account
        .field("Primary_Contact__c")
        .expect("Primary_Contact__c");
    // The cassette's custom fields say `custom: false` (CumulusCI edited them in).
    assert!(!custom.custom);
    assert_eq!(custom.reference_to, ["Contact"]);
    assert_eq!(custom.relationship_name.as_deref(), Some("PrimaryContact"));

    let contacts = account.child_relationship("Contacts").expect("Contacts");
    assert_eq!(contacts.child_sobject, "Contact");
    assert_eq!(contacts.field, "AccountId");
    assert!(contacts.cascade_delete);
    let children = account
        .child_relationship("ChildAccounts")
        .expect("ChildAccounts");
    assert_eq!(
        (&*children.child_sobject, &*children.field),
        ("Account", "ParentId")
    );
    // Child relationships without a name are kept (they cannot be used in subqueries).
    assert!(account
        .child_relationships
        .iter()
        .any(|c| c.relationship_name.is_none()));
}

#[test]
fn polymorphic_references_list_every_target() {
    let event = one(&real("cumulusci-rest-Event.json"));
    let who = event.field("WhoId").expect("WhoId");
    assert_eq!(who.reference_to, ["Contact", "Lead"]);
    assert_eq!(who.relationship_name.as_deref(), Some("Who"));
    let what = event.field("WhatId").expect("WhatId");
    assert_eq!(what.relationship_name.as_deref(), Some("What"));
    assert!(what.reference_to.len() > 50, "{}", what.reference_to.len());
    for target in ["Account", "Opportunity", "Case", "Campaign"] {
        assert!(what.reference_to.iter().any(|t| t == target), "{target}");
    }
    // A reference without a relationship name.
    let recurrence = event.field("RecurrenceActivityId").expect("recurrence");
    assert_eq!(recurrence.reference_to, ["Event"]);
    assert_eq!(recurrence.relationship_name, None);

    for file in ["cumulusci-rest-Case.json", "cumulusci-rest-Lead.json"] {
        let object = one(&real(file));
        let owner = object.field("OwnerId").expect("OwnerId");
        assert_eq!(owner.reference_to, ["Group", "User"], "{file}");
        assert_eq!(owner.relationship_name.as_deref(), Some("Owner"), "{file}");
    }
}

#[test]
fn custom_object_dump_reads_picklists_and_missing_members() {
    let whizbang = one(&real("restforce-rest-Whizbang-describe.json"));
    let picklist = whizbang.field("Picklist_Field").expect("Picklist_Field");
    assert_eq!(picklist.field_type, FieldType::Picklist);
    let values: Vec<&str> = picklist
        .picklist_values
        .iter()
        .map(|v| v.value.as_str())
        .collect();
    assert_eq!(&values[..3], ["one", "two", "three"]);
    assert!(picklist.picklist_values[0].default_value);
    assert!(!picklist.picklist_values[1].default_value);
    let multi = whizbang
        .field("Picklist_Multiselect_Field")
        .expect("multiselect");
    assert_eq!(multi.field_type, FieldType::MultiPicklist);
    assert_eq!(multi.picklist_values.len(), 3);
    // This field leaves out `length`, `precision` and `scale` (older API).
    let parent = whizbang
        .field("ParentWhizbang__c")
        .expect("ParentWhizbang__c");
    assert_eq!((parent.length, parent.precision, parent.scale), (0, 0, 0));
    assert_eq!(parent.reference_to, ["Whizbang"]);
    assert_eq!(
        parent.relationship_name.as_deref(),
        Some("ParentWhizbang__r")
    );
    let owner = whizbang.field("OwnerId").expect("OwnerId");
    assert_eq!(owner.reference_to, ["Group", "User"]);
    let percent = whizbang.field("Percent_Field").expect("Percent_Field");
    assert_eq!(percent.field_type, FieldType::Percent);
    let only_create = whizbang
        .field("CreateableButNotUpdateableField")
        .expect("field");
    assert!(only_create.createable && !only_create.updateable);
}

#[test]
fn describe_global_dumps_describe_nothing() {
    for file in [
        "cumulusci-rest-describeGlobal.json",
        "restforce-rest-describeGlobal-small.json",
    ] {
        assert!(
            describe::read_file(&real(file)).unwrap().is_empty(),
            "{file}"
        );
        assert!(describe::load(&real(file)).unwrap().is_empty(), "{file}");
    }
    let capture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/soap/soapforce-describe_global_response.xml");
    assert!(describe::read_file(&capture).unwrap().is_empty());
}

#[test]
fn loading_the_fixture_directory_skips_describe_global() {
    let schema = describe::load(&real("")).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = schema.objects().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Account",
            "Case",
            "Contact",
            "Custom__c",
            "Event",
            "Lead",
            "OpportunityContactRole",
            "Whizbang"
        ]
    );
    assert_eq!(schema.get("WHIZBANG").map(|o| o.fields.len()), Some(30));
    let files = describe::dump_files(&real("")).unwrap();
    assert_eq!(files.len(), 10);
    assert!(files.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn sf_cli_wrapper_reads_like_the_bare_describe() {
    let bare = fs::read_to_string(real("cumulusci-rest-Case.json")).unwrap();
    let wrapped = format!("{{\"status\": 0, \"result\": {bare}, \"warnings\": []}}");
    let origin = Path::new("Case.sf.json");
    let from_wrapper = describe::read_str(&wrapped, origin).unwrap();
    let mut from_bare = describe::read_str(&bare, origin).unwrap();
    assert_eq!(from_wrapper, from_bare);
    assert_eq!(from_bare.remove(0).source.as_deref(), Some(origin));

    let failed = r#"{"status": 1, "name": "NoDefaultEnvError", "message": "No default org"}"#;
    let (line, column, message) = invalid_at(
        describe::read_str(failed, Path::new("err.json")),
        "err.json",
    );
    assert_eq!((line, column), (1, 1));
    assert!(message.contains("status 1: No default org"), "{message}");

    // A describe nested wrongly inside the wrapper is reported at its place.
    let bad = "{\"status\": 0,\n \"result\": {\"name\": \"X\", \"fields\": 3}}";
    let (line, _, message) = invalid_at(describe::read_str(bad, Path::new("w.json")), "w.json");
    assert_eq!(line, 2);
    assert!(message.contains("expected a sequence"), "{message}");
}

/// Sorts what the SOAP dump format sorts (fields by name, child relationships by
/// childSObject, field, relationshipName) and forgets the source file.
fn normalized(mut object: SObjectDescribe) -> SObjectDescribe {
    object.fields.sort_by(|a, b| a.name.cmp(&b.name));
    object.child_relationships.sort_by(|a, b| {
        (&a.child_sobject, &a.field, &a.relationship_name).cmp(&(
            &b.child_sobject,
            &b.field,
            &b.relationship_name,
        ))
    });
    object.source = None;
    object
}

/// `tests/fixtures/describe/Contact.xml` was made once from
/// `fixtures/describe/cumulusci-rest-Contact.json` by a small Python script: each
/// element of the partner v66 WSDL's `DescribeSObjectResult` (and of `Field`,
/// `PicklistEntry`, `ChildRelationship`, `RecordTypeInfo`, … inside it) in sequence
/// order, with the JSON member of the same name as its value (`null` → `xsi:nil="true"`
/// when nillable, left out when optional; members the REST dump lacks, such as
/// `idEnabled`, left out; `urls.uiDetailTemplate`/`uiEditTemplate`/`uiNewRecord` →
/// `urlDetail`/`urlEdit`/`urlNew`), fields sorted by name and child relationships by
/// (childSObject, field, relationshipName), 2-space indentation, as BRIEF3's dump
/// format specifies.
#[test]
fn soap_dump_reads_into_the_same_model_as_rest() {
    let soap = one(&local("Contact.xml"));
    let rest = one(&real("cumulusci-rest-Contact.json"));
    assert_eq!(soap.source.as_deref(), Some(local("Contact.xml").as_path()));
    assert_eq!(soap.fields.len(), 59);
    // Spot checks before the whole comparison, for a readable failure.
    let account = soap.field("AccountId").expect("AccountId");
    assert_eq!(account.reference_to, ["Account"]);
    assert_eq!(account.relationship_name.as_deref(), Some("Account"));
    let salutation = soap.field("Salutation").expect("Salutation");
    assert_eq!(salutation.field_type, FieldType::Picklist);
    assert_eq!(
        salutation.picklist_values,
        rest.field("Salutation").unwrap().picklist_values
    );
    let normalized_soap = normalized(soap);
    let normalized_rest = normalized(rest);
    for (a, b) in normalized_soap.fields.iter().zip(&normalized_rest.fields) {
        assert_eq!(a, b);
    }
    assert_eq!(normalized_soap, normalized_rest);
}

#[test]
fn captured_envelopes_read_each_result() {
    let contact = fs::read_to_string(local("Contact.xml")).unwrap();
    let inner = contact
        .split_once("<describeSObjectResult ")
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(_, body)| body.trim_end().trim_end_matches("</describeSObjectResult>"))
        .unwrap();
    let envelope = format!(
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns=\"urn:partner.soap.sforce.com\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n<soapenv:Body>\n\
         <describeSObjectsResponse>\n<result>{inner}</result>\n\
         <result><name>Thing__c</name><custom>true</custom>\
         <fields><name>Id</name><type>id</type><nillable>false</nillable></fields></result>\n\
         </describeSObjectsResponse>\n</soapenv:Body>\n</soapenv:Envelope>\n"
    );
    let objects = describe::read_str(&envelope, Path::new("capture.xml")).unwrap();
    assert_eq!(objects.len(), 2);
    assert_eq!(
        normalized(objects[0].clone()),
        normalized(one(&real("cumulusci-rest-Contact.json")))
    );
    assert_eq!(objects[1].name, "Thing__c");
    assert_eq!(objects[1].label, "Thing__c");
    assert!(objects[1].custom);
    assert_eq!(objects[1].fields[0].field_type, FieldType::Id);

    // The real capture has an empty result: an error at the `<result>` element.
    let empty = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/soap/soapforce-describe_s_object_response.xml");
    let shown = empty.display().to_string();
    let (line, column, message) = invalid_at(describe::read_file(&empty), &shown);
    assert_eq!((line, column), (4, 7));
    assert_eq!(message, "`<result>` without `<name>`");

    let fault = "<Envelope><Body><Fault><faultcode>sf:INVALID_TYPE</faultcode>\
                 <faultstring>INVALID_TYPE: sObject type 'Nope' is not supported.</faultstring>\
                 </Fault></Body></Envelope>";
    let (_, column, message) = invalid_at(describe::read_str(fault, Path::new("f.xml")), "f.xml");
    assert_eq!(column, 17);
    assert!(
        message.contains("SOAP fault") && message.contains("'Nope'"),
        "{message}"
    );
}

#[test]
fn malformed_json_names_file_line_and_column() {
    let text = fs::read_to_string(real("restforce-rest-Whizbang-describe.json")).unwrap();

    // Truncated: points at the end.
    let cut = &text[..text.len() / 2];
    let (line, column, message) =
        invalid_at(describe::read_str(cut, Path::new("cut.json")), "cut.json");
    assert_eq!(line as usize, cut.lines().count());
    assert!(column > 1);
    assert!(message.starts_with("not well-formed JSON"), "{message}");

    // Wrong type: a string where a boolean belongs, reported at the value.
    let wrong = text.replacen("\"createable\" : true", "\"createable\" : \"yes\"", 1);
    let bad_line = wrong
        .lines()
        .position(|l| l.contains("\"createable\" : \"yes\""))
        .unwrap()
        + 1;
    let (line, _, message) = invalid_at(
        describe::read_str(&wrong, Path::new("wrong.json")),
        "wrong.json",
    );
    assert_eq!(line as usize, bad_line);
    assert!(message.contains("expected a boolean"), "{message}");
    assert!(
        message.starts_with("not a REST sObject describe"),
        "{message}"
    );

    // A field without a name.
    let nameless = "{\"name\": \"X\",\n \"fields\": [\n  {\"type\": \"id\"}\n ]}";
    let (line, column, message) = invalid_at(
        describe::read_str(nameless, Path::new("nameless.json")),
        "nameless.json",
    );
    assert_eq!((line, column), (3, 16));
    assert!(message.contains("missing field `name`"), "{message}");

    // An object without a name.
    let err = describe::read_str("{\"fields\": []}", Path::new("o.json")).unwrap_err();
    assert!(
        err.to_string().starts_with("o.json:1:")
            && err.to_string().contains("missing field `name`"),
        "{err}"
    );

    // Not JSON at all / empty.
    let (line, column, message) = invalid_at(
        describe::read_str("\n\n  name: x", Path::new("y.txt")),
        "y.txt",
    );
    assert_eq!((line, column), (3, 3));
    assert!(message.contains("found `n`"), "{message}");
    let (_, _, message) = invalid_at(describe::read_str("  ", Path::new("e.json")), "e.json");
    assert!(message.contains("found an empty file"), "{message}");
}

#[test]
fn malformed_xml_names_file_line_and_column() {
    match describe::read_str(
        "<describeSObjectResult>\n  <name>X</nam>\n</describeSObjectResult>",
        Path::new("bad.xml"),
    ) {
        Err(Error::Xml {
            file, line, column, ..
        }) => {
            assert_eq!(file, "bad.xml");
            assert_eq!((line, column), (2, 10));
        }
        other => panic!("expected Error::Xml, got {other:?}"),
    }
    match describe::read_str("<describeSObjectResult>\n  <name>", Path::new("cut.xml")) {
        Err(Error::Xml { line, column, .. }) => assert_eq!((line, column), (2, 9)),
        other => panic!("expected Error::Xml, got {other:?}"),
    }

    let nameless = "<describeSObjectResult>\n  <name>X</name>\n  <fields>\n    \
                    <type>id</type>\n  </fields>\n</describeSObjectResult>";
    let (line, column, message) =
        invalid_at(describe::read_str(nameless, Path::new("n.xml")), "n.xml");
    assert_eq!((line, column), (3, 3));
    assert_eq!(message, "`<fields>` without `<name>`");

    let typeless = "<describeSObjectResult><name>X</name><fields><name>Id</name></fields>\
                    </describeSObjectResult>";
    let (_, _, message) = invalid_at(describe::read_str(typeless, Path::new("t.xml")), "t.xml");
    assert_eq!(message, "`<fields>` without `<type>`");

    let boolean = "<describeSObjectResult>\n<name>X</name>\n<createable>yes</createable>\n\
                   </describeSObjectResult>";
    let (line, column, message) =
        invalid_at(describe::read_str(boolean, Path::new("b.xml")), "b.xml");
    assert_eq!((line, column), (3, 1));
    assert_eq!(
        message,
        "`<createable>` should be `true` or `false`, found `yes`"
    );

    let number = "<describeSObjectResult><name>X</name><fields><name>A</name><type>string</type>\
                  <length>long</length></fields></describeSObjectResult>";
    let (_, column, message) = invalid_at(describe::read_str(number, Path::new("l.xml")), "l.xml");
    assert_eq!(column, 79);
    assert!(
        message.contains("`<length>` should be a non-negative integer"),
        "{message}"
    );

    let nested = "<describeSObjectResult><name><b>X</b></name></describeSObjectResult>";
    let (_, column, message) = invalid_at(describe::read_str(nested, Path::new("e.xml")), "e.xml");
    assert_eq!(column, 30);
    assert!(message.contains("should hold text"), "{message}");

    let other = "<?xml version=\"1.0\"?>\n<definitions/>";
    let (line, column, message) =
        invalid_at(describe::read_str(other, Path::new("w.xml")), "w.xml");
    assert_eq!((line, column), (2, 1));
    assert!(message.contains("found `<definitions>`"), "{message}");
}

#[test]
fn xml_nil_and_unknown_elements_are_skipped() {
    let text = r#"<describeSObjectResult xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <future><nested>1</nested></future>
  <keyPrefix xsi:nil="true"/>
  <name>X__c</name>
  <fields>
    <name>Status__c</name>
    <type>picklist</type>
    <picklistValues><label xsi:nil="true"/><value>A</value></picklistValues>
    <picklistValues><active>false</active><label>Bee</label><value>B</value></picklistValues>
    <referenceTo xsi:nil="true"/>
    <restrictedPicklist>1</restrictedPicklist>
  </fields>
  <fields xsi:nil="true"/>
</describeSObjectResult>"#;
    let object = describe::read_str(text, Path::new("x.xml"))
        .unwrap()
        .remove(0);
    assert_eq!(object.key_prefix, None);
    assert_eq!(object.fields.len(), 1);
    let status = &object.fields[0];
    assert!(status.restricted_picklist);
    assert!(status.reference_to.is_empty());
    assert_eq!(status.picklist_values[0].label, None);
    assert!(status.picklist_values[0].active);
    assert_eq!(status.picklist_values[1].label.as_deref(), Some("Bee"));
    assert!(!status.picklist_values[1].active);
}

#[test]
fn load_rejects_an_object_described_twice() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        real("cumulusci-rest-Contact.json"),
        dir.path().join("a.json"),
    )
    .unwrap();
    fs::copy(local("Contact.xml"), dir.path().join("b.xml")).unwrap();
    fs::write(dir.path().join("notes.txt"), "not a dump").unwrap();
    let err = describe::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("`Contact` is described twice"), "{err}");
    assert!(err.contains("a.json") && err.contains("b.xml"), "{err}");

    // The same object in two paths given to load_all.
    let other = tempfile::tempdir().unwrap();
    fs::copy(local("Contact.xml"), other.path().join("Contact.XML")).unwrap();
    fs::remove_file(dir.path().join("b.xml")).unwrap();
    let err = describe::load_all(&[dir.path(), other.path()])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("a.json") && err.contains("Contact.XML"),
        "{err}"
    );
    let schema: Schema = describe::load(dir.path()).unwrap();
    assert_eq!(schema.len(), 1);
}

#[test]
fn load_reports_missing_and_empty_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let err = describe::load(dir.path()).unwrap_err().to_string();
    assert!(err.starts_with("no describe dumps in"), "{err}");
    let missing = dir.path().join("nope");
    assert!(matches!(describe::load(&missing), Err(Error::Io { .. })));

    let bad = dir.path().join("bad.json");
    fs::write(&bad, b"{\"name\": \"X\xff\"}").unwrap();
    let err = describe::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.ends_with("bad.json:1:12: not UTF-8: expected a describe dump in UTF-8"),
        "{err}"
    );
}

#[test]
fn a_partial_dump_without_write_flags_is_writable_with_one_warning() {
    // The shape of the Salesforce VS Code extension's `.sfdx/tools/soqlMetadata/*.json`:
    // no `createable`, `updateable`, `soapType` or `length`, and no object label.
    let path = local("../describe-vscode/Account.json");
    let account = one(&path);
    assert!(account.createable && account.updateable && account.queryable);
    for name in ["Name", "Type", "ParentId", "AnnualRevenue"] {
        let field = account.field(name).unwrap();
        assert!(field.createable && field.updateable, "{name} is writable");
    }
    let id = account.field("Id").unwrap();
    assert!(!id.createable && !id.updateable, "the Id is never written");
    assert_eq!(account.warnings.len(), 1, "{:?}", account.warnings);
    let warning = &account.warnings[0];
    assert!(warning.contains("Account.json"), "{warning}");
    assert!(
        warning.contains("5 of the 5 fields of Account"),
        "{warning}"
    );
    assert!(warning.contains("soqlMetadata"), "{warning}");

    // Complete dumps say nothing.
    let schema = describe::load(&real("cumulusci-rest-Account.json")).unwrap();
    assert!(schema.warnings().is_empty(), "{:?}", schema.warnings());
    let partial = describe::load(&path).unwrap();
    assert_eq!(partial.warnings(), account.warnings);
}
