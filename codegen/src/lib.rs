//! `sforce-codegen`: reads Salesforce WSDLs (partner, apex, enterprise, metadata) and emits
//! typed Rust for the `sforce` runtime.
//!
//! One core, three front ends: the `Builder` for `build.rs`, the `cargo sforce` binary
//! (feature `cli`), and the `sforce-macros` attribute macros all end in [`emit::generate`].

pub mod builder;
#[cfg(feature = "cli")]
pub mod cli;
pub mod decode;
pub mod emit;
pub mod error;
pub mod model;
pub mod naming;
pub mod settings;
pub mod wsdl;

pub use builder::{generate_file, Builder};
pub use error::{Error, Result};
pub use settings::Settings;
