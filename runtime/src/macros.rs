//! Macros for users of generated bindings.

/// Includes the bindings a `build.rs` generated with `sforce_codegen::Builder`: expands to
/// `include!(concat!(env!("OUT_DIR"), "/<name>.rs"))`, where `<name>` is the WSDL file's stem
/// (or the builder's `module_name`). Use it inside a module; `examples/` does exactly this.
///
/// ```text
/// // build.rs (with `sforce-codegen` in [build-dependencies])
/// fn main() -> Result<(), sforce_codegen::Error> {
///     sforce_codegen::Builder::new()
///         .wsdl("salesforce/partner.wsdl")
///         .generate()?; // writes $OUT_DIR/partner.rs
///     Ok(())
/// }
///
/// // src/lib.rs
/// pub mod partner {
///     sforce::include_bindings!("partner");
/// }
/// ```
#[macro_export]
macro_rules! include_bindings {
    ($name:literal) => {
        include!(concat!(env!("OUT_DIR"), "/", $name, ".rs"));
    };
}
