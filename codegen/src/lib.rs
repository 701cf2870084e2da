//! `sforce-codegen`: reads Salesforce WSDLs (partner, apex, enterprise, metadata) and emits
//! typed Rust for the `sforce` runtime.
//!
//! One core, three front ends: the `Builder` for `build.rs`, the `cargo sforce` binary
//! (crate `sforce-cli`), and the `sforce-macros` attribute macros all end in [`emit::generate`].

pub mod builder;
pub mod describe;
pub mod emit;
pub mod error;
pub mod macros;
pub mod model;
pub mod naming;
pub mod settings;
pub mod soql;
pub mod wsdl;
pub mod xml;

pub use builder::{generate_file, generate_sobjects_file, Builder};
pub use error::{Error, Result};
pub use settings::{SObjectSelection, Settings};
