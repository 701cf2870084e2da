//! Cross-crate tests for sforce. The library itself is the compile-all-fixtures check:
//! `build.rs` runs `sforce_codegen::Builder` on every WSDL in `fixtures/wsdl/` with the
//! runtime path `::sforce`, and each output file is included below in its own module, so
//! building this crate (and running clippy on it) proves every generated file compiles
//! against the published runtime API. The tests in `tests/` exercise the generated code.

/// Partner API v24.0 (`fixtures/wsdl/partner-v24.0.wsdl`).
pub mod partner_v24 {
    sforce::include_bindings!("partner-v24.0");
}

/// Partner API v38.0 (`fixtures/wsdl/partner-v38.0.wsdl`).
pub mod partner_v38 {
    sforce::include_bindings!("partner-v38.0");
}

/// Partner API v66.0 (`fixtures/wsdl/partner-v66.0.wsdl`), generated against `::sforce`
/// rather than `crate` as the copy inside the runtime is.
pub mod partner_v66 {
    sforce::include_bindings!("partner-v66.0");
}

/// Apex API v66.0 (`fixtures/wsdl/apex-v66.0.wsdl`).
pub mod apex_v66 {
    sforce::include_bindings!("apex-v66.0");
}

/// Enterprise API v23.0 of a sandbox org (`fixtures/wsdl/enterprise-v23.0-sandbox.wsdl`):
/// typed sObjects instead of the dynamic one.
pub mod enterprise_v23 {
    sforce::include_bindings!("enterprise-v23.0-sandbox");
}

/// Metadata API v66.0 (`fixtures/wsdl/metadata-v66.0.wsdl`): ~1,000 types derived from
/// `Metadata`.
pub mod metadata_v66 {
    sforce::include_bindings!("metadata-v66.0");
}

/// Typed sObjects for every describe dump in `fixtures/describe/` (Account, Contact, Case,
/// Event, Lead, OpportunityContactRole, Custom__c, Whizbang__c), as `#[sobject]` structs.
pub mod sobjects {
    sforce::include_bindings!("sobjects");
}

/// Typed sObjects for the hostile describe dumps in `describe-hostile/`: fields whose API
/// names differ only in case (`type`, `Type`) or meet after Rust naming (`My_Field__c`,
/// `MyField__c`), picklist values and child relationships likewise, and non-ASCII names.
/// That this compiles is the test that they all got distinct Rust names.
pub mod hostile_sobjects {
    sforce::include_bindings!("hostile_sobjects");
}

/// The output file stem of every WSDL `build.rs` generates, with the module above that
/// includes it (a test checks this against the files in `fixtures/wsdl/`).
pub const MODULES: &[(&str, &str)] = &[
    ("apex-v66.0", "apex_v66"),
    ("enterprise-v23.0-sandbox", "enterprise_v23"),
    ("metadata-v66.0", "metadata_v66"),
    ("partner-v24.0", "partner_v24"),
    ("partner-v38.0", "partner_v38"),
    ("partner-v66.0", "partner_v66"),
];

/// Where `build.rs` wrote the generated files (`$OUT_DIR` of this crate).
pub const OUT_DIR: &str = env!("OUT_DIR");
