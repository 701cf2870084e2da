//! Reads the Salesforce WSDL fixtures (unmodified) and checks counts and specific facts.

use std::collections::BTreeSet;
use std::path::Path;

use sforce_codegen::model::{Builtin, MaxOccurs, QName, Service, TypeOrigin, TypeRef};
use sforce_codegen::wsdl;

const PARTNER: &str = "urn:partner.soap.sforce.com";
const SOBJECT: &str = "urn:sobject.partner.soap.sforce.com";
const FAULT: &str = "urn:fault.partner.soap.sforce.com";
const METADATA: &str = "http://soap.sforce.com/2006/04/metadata";
const APEX: &str = "http://soap.sforce.com/2006/08/apex";

fn fixture(name: &str) -> Service {
    let path = format!("{}/../fixtures/wsdl/{name}", env!("CARGO_MANIFEST_DIR"));
    match wsdl::parse_file(Path::new(&path)) {
        Ok(service) => service,
        Err(e) => panic!("{e}"),
    }
}

fn q(ns: &str, name: &str) -> QName {
    QName::new(ns, name)
}

/// Distinct fault elements over all operations.
fn fault_types(service: &Service) -> BTreeSet<&QName> {
    service
        .operations
        .iter()
        .flat_map(|o| o.faults.iter())
        .collect()
}

struct Counts {
    operations: usize,
    complex_types: usize,
    simple_types: usize,
    headers: usize,
    faults: usize,
    version: &'static str,
}

fn check_counts(service: &Service, c: &Counts) {
    assert_eq!(service.operations.len(), c.operations, "operations");
    assert_eq!(
        service.complex_types.len(),
        c.complex_types,
        "complex types"
    );
    assert_eq!(service.simple_types.len(), c.simple_types, "simple types");
    assert_eq!(service.headers.len(), c.headers, "header parts");
    assert_eq!(fault_types(service).len(), c.faults, "fault types");
    assert_eq!(service.api_version.as_deref(), Some(c.version));
    assert!(service.warnings.is_empty(), "{:?}", service.warnings);
}

#[test]
fn partner_v66_counts() {
    let s = fixture("partner-v66.0.wsdl");
    // grep -c: 102 soap:operation, 525 <complexType + 7 <xsd:complexType,
    // 48 <simpleType + 10 <xsd:simpleType, 24 distinct soap:header parts, 10 fault messages.
    check_counts(
        &s,
        &Counts {
            operations: 102,
            complex_types: 532,
            simple_types: 58,
            headers: 24,
            faults: 10,
            version: "66.0",
        },
    );
    assert_eq!(s.name, "SforceService");
    assert_eq!(s.target_namespace, PARTNER);
    assert_eq!(s.documentation.as_deref(), Some("Sforce SOAP API"));
    assert_eq!(
        s.address.as_deref(),
        Some("http://localhost:8080/services/Soap/u/66.0")
    );
    // 230 + 11 global elements.
    assert_eq!(s.elements.len(), 241);
    let anonymous = s
        .complex_types
        .values()
        .filter(|t| matches!(t.origin, TypeOrigin::Element(_)))
        .count();
    assert_eq!(anonymous, 230);
}

#[test]
fn partner_v66_sobject() {
    let s = fixture("partner-v66.0.wsdl");
    let sobject = &s.complex_types[&q(SOBJECT, "sObject")];
    assert_eq!(sobject.origin, TypeOrigin::Named);
    assert!(sobject.base.is_none());
    let names: Vec<&str> = sobject.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["type", "fieldsToNull", "Id"]);
    for f in &sobject.fields {
        assert_eq!(f.namespace, SOBJECT);
    }
    let ty = &sobject.fields[0];
    assert_eq!(ty.ty, TypeRef::Builtin(Builtin::String));
    assert_eq!(
        (ty.min_occurs, ty.max_occurs, ty.nillable),
        (1, MaxOccurs::Bounded(1), false)
    );
    let to_null = &sobject.fields[1];
    assert_eq!(to_null.min_occurs, 0);
    assert_eq!(to_null.max_occurs, MaxOccurs::Unbounded);
    assert!(to_null.nillable);
    let id = &sobject.fields[2];
    assert_eq!(id.ty, TypeRef::Simple(q(PARTNER, "ID")));
    assert!(id.nillable);
    let any = sobject.any.as_ref().expect("sObject has xsd:any");
    assert_eq!(any.namespace, SOBJECT);
    assert_eq!(any.max_occurs, MaxOccurs::Unbounded);

    // QueryResult.records refers to ens:sObject across schemas.
    let records = s.complex_types[&q(PARTNER, "QueryResult")]
        .fields
        .iter()
        .find(|f| f.name == "records")
        .expect("records");
    assert_eq!(records.ty, TypeRef::Complex(q(SOBJECT, "sObject")));
    assert_eq!(records.namespace, PARTNER);
}

#[test]
fn partner_v66_types() {
    let s = fixture("partner-v66.0.wsdl");
    let address = &s.complex_types[&q(PARTNER, "address")];
    assert_eq!(address.base, Some(q(PARTNER, "location")));
    assert_eq!(address.fields.len(), 8);
    assert_eq!(address.fields[0].name, "city");
    let all: Vec<&str> = s
        .all_fields(&q(PARTNER, "address"))
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(&all[..3], ["latitude", "longitude", "city"]);

    let id = &s.simple_types[&q(PARTNER, "ID")];
    assert_eq!(id.base, Builtin::String);
    assert!(id.enumeration.is_empty());
    assert_eq!(s.simple_types[&q(PARTNER, "json")].base, Builtin::String);

    let code = &s.simple_types[&q(FAULT, "ExceptionCode")];
    assert_eq!(code.base, Builtin::String);
    let values: Vec<&str> = code.enumeration.iter().map(|v| v.value.as_str()).collect();
    assert!(values.contains(&"INVALID_LOGIN"));
    assert!(values.contains(&"INVALID_SESSION_ID"));

    let extended = &s.simple_types[&q(PARTNER, "ExtendedErrorCode")];
    assert_eq!(extended.enumeration[0].value, "ACTIONCALLPATH_MISSING_NAME");
    assert_eq!(
        extended.enumeration[0].documentation.as_deref(),
        Some("Errors with this extended error code have the following properties: erroneousElementApiName, erroneousElementType, erroneousFields, severity")
    );

    let default_value = s.complex_types[&q(PARTNER, "Field")]
        .fields
        .iter()
        .find(|f| f.name == "defaultValue")
        .expect("Field.defaultValue");
    assert_eq!(default_value.ty, TypeRef::Builtin(Builtin::AnyType));
    assert_eq!(default_value.min_occurs, 0);

    let login_fault = &s.complex_types[&q(FAULT, "LoginFault")];
    assert_eq!(login_fault.base, Some(q(FAULT, "ApiFault")));
    assert!(s.extends(&q(FAULT, "InvalidFieldFault"), &q(FAULT, "ApiFault")));
    assert_eq!(
        s.elements[&q(FAULT, "LoginFault")].ty,
        TypeRef::Complex(q(FAULT, "LoginFault"))
    );

    // Anonymous type of the global element `query`.
    let query = &s.elements[&q(PARTNER, "query")];
    assert_eq!(query.ty, TypeRef::Complex(q(PARTNER, "query")));
    let query_ty = &s.complex_types[&q(PARTNER, "query")];
    assert_eq!(query_ty.origin, TypeOrigin::Element(q(PARTNER, "query")));
    assert_eq!(query_ty.fields.len(), 1);
    assert_eq!(query_ty.fields[0].name, "queryString");
    assert_eq!(query_ty.fields[0].namespace, PARTNER);
}

#[test]
fn partner_v66_operations() {
    let s = fixture("partner-v66.0.wsdl");
    assert_eq!(s.operations[0].name, "login");
    let query = s.operation("query").expect("query");
    assert_eq!(
        query.documentation.as_deref(),
        Some("Create a Query Cursor")
    );
    assert_eq!(query.soap_action, "");
    assert_eq!(query.input, q(PARTNER, "query"));
    assert_eq!(query.output, Some(q(PARTNER, "queryResponse")));
    for header in [
        "SessionHeader",
        "CallOptions",
        "QueryOptions",
        "MruHeader",
        "PackageVersionHeader",
    ] {
        assert!(
            query.input_headers.contains(&q(PARTNER, header)),
            "{header}"
        );
    }
    assert_eq!(query.input_headers[0], q(PARTNER, "SessionHeader"));
    assert_eq!(
        query.output_headers,
        [
            q(PARTNER, "LimitInfoHeader"),
            q(PARTNER, "APIPerformanceInfo")
        ]
    );
    assert!(query.faults.contains(&q(FAULT, "InvalidFieldFault")));
    assert_eq!(query.faults[0], q(FAULT, "InvalidSObjectFault"));

    let login = s.operation("login").expect("login");
    assert_eq!(
        login.input_headers,
        [q(PARTNER, "LoginScopeHeader"), q(PARTNER, "CallOptions")]
    );
    assert!(login.output_headers.is_empty());
    assert_eq!(login.faults[0], q(FAULT, "LoginFault"));

    // Header parts in message order; the two parts no binding uses are left out.
    assert_eq!(s.headers[0].part, "LoginScopeHeader");
    assert_eq!(s.headers[0].element, q(PARTNER, "LoginScopeHeader"));
    let parts: Vec<&str> = s.headers.iter().map(|h| h.part.as_str()).collect();
    assert!(!parts.contains(&"CurrencyConversionHeader"));
    assert!(!parts.contains(&"CommonEventRequestInformation"));
    assert!(parts.contains(&"LimitInfoHeader"));
    // Every operation's headers are among the service headers.
    let all: BTreeSet<&QName> = s.headers.iter().map(|h| &h.element).collect();
    for op in &s.operations {
        for h in op.input_headers.iter().chain(&op.output_headers) {
            assert!(all.contains(h), "{} {h}", op.name);
        }
        assert!(s.elements.contains_key(&op.input));
    }
}

#[test]
fn partner_v38() {
    let s = fixture("partner-v38.0.wsdl");
    check_counts(
        &s,
        &Counts {
            operations: 57,
            complex_types: 307,
            simple_types: 37,
            headers: 19,
            faults: 9,
            version: "38.0",
        },
    );
    assert_eq!(
        s.address.as_deref(),
        Some("https://login.salesforce.com/services/Soap/u/38.0")
    );
}

#[test]
fn partner_v24() {
    let s = fixture("partner-v24.0.wsdl");
    check_counts(
        &s,
        &Counts {
            operations: 50,
            complex_types: 232,
            simple_types: 16,
            headers: 18,
            faults: 9,
            version: "24.0",
        },
    );
}

#[test]
fn enterprise_v23() {
    let s = fixture("enterprise-v23.0-sandbox.wsdl");
    check_counts(
        &s,
        &Counts {
            operations: 32,
            complex_types: 332,
            simple_types: 10,
            headers: 14,
            faults: 9,
            version: "23.0",
        },
    );
    assert_eq!(s.target_namespace, "urn:enterprise.soap.sforce.com");
    let account = &s.complex_types[&q("urn:sobject.enterprise.soap.sforce.com", "Account")];
    assert_eq!(
        account.base,
        Some(q("urn:sobject.enterprise.soap.sforce.com", "sObject"))
    );
    assert!(s
        .operation("query")
        .is_some_and(|o| o.input == q("urn:enterprise.soap.sforce.com", "query")));
}

#[test]
fn apex_v66() {
    let s = fixture("apex-v66.0.wsdl");
    check_counts(
        &s,
        &Counts {
            operations: 6,
            complex_types: 41,
            simple_types: 6,
            headers: 7,
            faults: 0,
            version: "66.0",
        },
    );
    assert_eq!(s.name, "ApexService");
    let names: Vec<&str> = s.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "compileAndTest",
            "compileClasses",
            "compileTriggers",
            "executeAnonymous",
            "runTests",
            "wsdlToApex"
        ]
    );
    let exec = s.operation("executeAnonymous").expect("executeAnonymous");
    assert_eq!(exec.input, q(APEX, "executeAnonymous"));
    assert_eq!(exec.output_headers, [q(APEX, "DebuggingInfo")]);
    assert_eq!(
        exec.documentation.as_deref(),
        Some("Execute an anonymous Apex code block")
    );
}

#[test]
fn metadata_v66() {
    let s = fixture("metadata-v66.0.wsdl");
    check_counts(
        &s,
        &Counts {
            operations: 19,
            complex_types: 2043,
            simple_types: 998,
            headers: 5,
            faults: 0,
            version: "66.0",
        },
    );
    assert_eq!(s.name, "MetadataService");
    let metadata = q(METADATA, "Metadata");
    // 842 direct extensions, 898 in all (checked with an independent script).
    let direct = s
        .complex_types
        .values()
        .filter(|t| t.base.as_ref() == Some(&metadata))
        .count();
    assert_eq!(direct, 842);
    assert_eq!(s.descendants(&metadata).len(), 898);
    let details = &s.complex_types[&q(METADATA, "ExtendedErrorDetails")];
    assert_eq!(
        details.any.as_ref().map(|a| a.namespace.as_str()),
        Some(METADATA)
    );
    let value = s.complex_types[&q(METADATA, "FieldValue")]
        .fields
        .iter()
        .find(|f| f.name == "value")
        .expect("FieldValue.value");
    assert_eq!(value.ty, TypeRef::Builtin(Builtin::AnyType));
    assert!(value.nillable);
    let deploy = s.operation("deploy").expect("deploy");
    assert_eq!(deploy.input, q(METADATA, "deploy"));
    assert_eq!(
        deploy.input_headers,
        [
            q(METADATA, "SessionHeader"),
            q(METADATA, "DebuggingHeader"),
            q(METADATA, "CallOptions")
        ]
    );
}

#[test]
fn tooling_fault_elements_typed_by_a_qualified_type_attribute() {
    // Salesforce's Tooling WSDLs write `<xsd:element name="LoginFault" fns:type="LoginFault"/>`:
    // by the XSD rules a namespace-qualified attribute is not `type`, but the type meant
    // is plainly the one of that name, in the attribute's namespace when the value has no
    // prefix.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tooling_shape.wsdl");
    let service = wsdl::parse_file(&path).unwrap_or_else(|e| panic!("{e}"));
    let faults = fault_types(&service);
    let fault_ns = "urn:fault.tooling.soap.sforce.com";
    assert!(faults.contains(&q(fault_ns, "LoginFault")), "{faults:?}");
    assert!(
        faults.contains(&q(fault_ns, "MalformedQueryFault")),
        "{faults:?}"
    );
    let warned: Vec<&str> = service
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .filter(|m| m.contains("namespace-qualified"))
        .collect();
    assert_eq!(warned.len(), 2, "{:?}", service.warnings);
    assert!(warned[0].contains("fns:type"), "{warned:?}");
}
