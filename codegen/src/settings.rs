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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            runtime_path: "::sforce".to_owned(),
            blocking: true,
        }
    }
}
