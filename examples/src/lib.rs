//! Examples of the ways to use sforce. Each file in `examples/` runs against a real org
//! with credentials from the environment:
//!
//! - `SFORCE_USERNAME`, `SFORCE_PASSWORD`, `SFORCE_TOKEN` (security token; may be empty)
//! - `SFORCE_LOGIN_URL` (optional; `https://test.salesforce.com` for a sandbox)
//!
//! This library is the build.rs front end: `build.rs` runs `sforce_codegen::Builder` on the
//! Apex WSDL and [`apex`] includes the result with `sforce::include_bindings!`.

/// The Apex API, generated at build time by `build.rs`.
pub mod apex {
    sforce::include_bindings!("apex");
}

/// Typed `Account` and `Contact`, generated at build time from the describe dumps in
/// `fixtures/describe/` by `build.rs`.
pub mod sobjects {
    sforce::include_bindings!("sobjects");
}

/// A connection from the `SFORCE_*` environment variables, logging in with SOAP `login()`.
pub fn connection_from_env() -> Result<sforce::Connection, Box<dyn std::error::Error>> {
    let var = |name: &str| {
        std::env::var(name).map_err(|_| format!("set {name} to run this example against an org"))
    };
    let mut builder = sforce::Connection::builder().password_login(
        var("SFORCE_USERNAME")?,
        var("SFORCE_PASSWORD")?,
        std::env::var("SFORCE_TOKEN").unwrap_or_default(),
    );
    if let Ok(url) = std::env::var("SFORCE_LOGIN_URL") {
        builder = builder.login_url(url);
    }
    Ok(builder.build()?)
}
