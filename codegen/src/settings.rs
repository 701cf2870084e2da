//! The one settings struct behind every front end: the `build.rs` [`crate::Builder`],
//! the `cargo sforce` flags and the macro arguments all fill this in.

/// What to generate and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Path of the runtime crate as generated code should name it (`::sforce`, or a
    /// re-export such as `::my_sdk::sforce`).
    pub runtime_path: String,
    /// Also emit the blocking twin of the client (`blocking::Client`).
    pub blocking: bool,
    /// Also emit the types of the request body elements (`Create`, `Login`, …). A client
    /// never needs them (each call writes its arguments directly); code that reads
    /// requests, such as a server or a test double, does. Off by default.
    pub request_types: bool,
    /// Generate only these operations (as the WSDL names them: `query`, `queryMore`) and
    /// the types they reach ([`crate::model::Service::retain_operations`]); empty, the
    /// default, generates every operation. What keeps bindings of a large WSDL (tooling,
    /// metadata) small.
    pub operations: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            runtime_path: "::sforce".to_owned(),
            blocking: true,
            request_types: false,
            operations: Vec::new(),
        }
    }
}

/// Which sObjects of the describe dumps get a generated struct (the `Builder`'s
/// `sobjects`/`depth`, `cargo sforce generate --objects … --depth …`).
///
/// ```
/// let selection = sforce_codegen::SObjectSelection {
///     objects: vec!["Account".into(), "Contact".into()],
///     depth: 1, // also their parents and children
/// };
/// assert!(sforce_codegen::SObjectSelection::default().objects.is_empty()); // everything
/// # let _ = selection;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SObjectSelection {
    /// API names (any case); empty selects every object in the dumps.
    pub objects: Vec<String>,
    /// Also generate the objects reachable from these within this many relationship
    /// hops (single-target parents and named child relationships); 0: only the listed.
    pub depth: u32,
}
