//! Runs anonymous Apex through the bindings `build.rs` generated (the build.rs front end).
//!
//! `cargo run -p sforce-examples --example apex_anonymous`

use sforce_examples::apex;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let connection = sforce_examples::connection_from_env()?;
    let client = apex::Client::new(connection);
    let result = client
        .execute_anonymous("System.debug('hello from sforce');")
        .await?;
    println!(
        "compiled={} success={} problem={:?}",
        result.compiled, result.success, result.compile_problem
    );
    Ok(())
}
