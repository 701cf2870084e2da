//! `sforce-macros`: attribute macros for sforce. A thin shim: the logic lives in
//! `sforce-codegen`, so every front end (build.rs, `cargo sforce`, these macros) shares it.
//!
//! The `#[sobject]` attribute for typed sObject structs arrives with describe-dump support;
//! this crate holds its place in the workspace until then.
