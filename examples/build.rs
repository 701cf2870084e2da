//! The build.rs front end: bindings generated at build time into `$OUT_DIR`.

fn main() -> Result<(), sforce_codegen::Error> {
    // The Apex API from its WSDL (`apex.rs`).
    sforce_codegen::Builder::new()
        .wsdl("../fixtures/wsdl/apex-v66.0.wsdl")
        .module_name("apex")
        .generate()?;
    // Typed Account and Contact from describe dumps (`sobjects.rs`).
    sforce_codegen::Builder::new()
        .describe("../fixtures/describe")
        .sobjects(["Account", "Contact"])
        .generate()?;
    Ok(())
}
