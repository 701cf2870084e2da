//! Generates the partner types the org reads requests into and writes responses from,
//! with the project's own generator: the same WSDL and the same rules as the client.

fn main() {
    let wsdl = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/wsdl/partner-v66.0.wsdl"
    );
    println!("cargo:rerun-if-changed={wsdl}");
    sforce_codegen::Builder::new()
        .wsdl(wsdl)
        .blocking(false)
        .request_types(true)
        .operations(OPERATIONS)
        .module_name("wire")
        .generate()
        .unwrap_or_else(|error| panic!("generating the partner bindings: {error}"));
}

/// The partner operations the org answers.
const OPERATIONS: [&str; 28] = [
    "login",
    "logout",
    "query",
    "queryAll",
    "queryMore",
    "create",
    "update",
    "upsert",
    "delete",
    "undelete",
    "emptyRecycleBin",
    "retrieve",
    "merge",
    "convertLead",
    "process",
    "search",
    "getDeleted",
    "getUpdated",
    "getServerTimestamp",
    "getUserInfo",
    "resetPassword",
    "setPassword",
    "sendEmail",
    "describeGlobal",
    "describeSObject",
    "describeSObjects",
    "describeLayout",
    "describeTabs",
];
