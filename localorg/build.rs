//! Generates the partner and apex types the org reads requests into and writes responses
//! from, with the project's own generator: the same WSDLs and the same rules as the
//! client.

fn main() {
    generate("partner-v66.0.wsdl", "wire", &OPERATIONS);
    generate(
        "apex-v66.0.wsdl",
        "apex_wire",
        &["executeAnonymous", "runTests"],
    );
}

fn generate(file: &str, module: &str, operations: &[&str]) {
    let wsdl = format!("{}/../fixtures/wsdl/{file}", env!("CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed={wsdl}");
    sforce_codegen::Builder::new()
        .wsdl(&wsdl)
        .blocking(false)
        .request_types(true)
        .operations(operations.iter().copied())
        .module_name(module)
        .generate()
        .unwrap_or_else(|error| panic!("generating the {module} bindings from {file}: {error}"));
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
