//! `sforce-codegen`: reads Salesforce WSDLs (partner, apex, enterprise, metadata) and emits
//! typed Rust for the `sforce` runtime.
//!
//! One core, three front ends: the `Builder` for `build.rs`, the `cargo sforce` binary
//! (crate `sforce-cli`), and the `sforce-macros` attribute macros all end in
//! [`emit::generate_tokens`].
//!
//! # Names
//!
//! One naming scheme says what a function gives back:
//! - `…_tokens` returns a [`proc_macro2::TokenStream`] (unformatted items):
//!   [`emit::generate_tokens`], [`emit::generate_sobjects_tokens`];
//! - `…_source` returns the formatted source text, `// @generated` line first:
//!   [`emit::generate_source`], [`emit::generate_sobjects_source`];
//! - `write_…` writes a file (only when its contents change) and returns whether it did:
//!   [`write_file`], [`write_sobjects_file`], [`builder::write_if_changed`].
//!
//! [`Builder::generate`] is the `build.rs` entry point: it writes its files into `OUT_DIR`
//! and prints the `cargo:` lines.
//!
//! # Stability
//!
//! The modules shown here are the API. `macros` (the expansions behind `sforce-macros`)
//! and `xml` (the limits in front of roxmltree) exist for the other crates of this
//! workspace and are hidden from the documentation: they are exempt from semver and may
//! change in any release.

pub mod builder;
pub mod describe;
pub mod emit;
pub mod error;
#[doc(hidden)]
pub mod macros;
pub mod model;
pub mod naming;
pub mod settings;
pub mod soql;
pub mod wsdl;
#[doc(hidden)]
pub mod xml;

pub use builder::{write_file, write_sobjects_file, Builder};
pub use error::{Error, Result};
pub use settings::{SObjectSelection, Settings};
