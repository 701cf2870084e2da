//! The build.rs front end: bindings generated at build time into `$OUT_DIR`.

fn main() -> Result<(), sforce_codegen::Error> {
    sforce_codegen::Builder::new()
        .wsdl("../fixtures/wsdl/apex-v66.0.wsdl")
        .module_name("apex")
        .generate()?;
    Ok(())
}
