//! `sforce-localorg`: a local Salesforce org on a port, for any SOAP client.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::Parser;
use sforce_localorg::LocalOrg;

/// A local Salesforce org: the partner SOAP API on SQLite.
#[derive(Debug, Parser)]
#[command(name = "sforce-localorg", version)]
struct Args {
    /// The port to listen on
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Also serve the objects of these describe dumps (a file or a directory); repeatable
    #[arg(long, value_name = "PATH")]
    describe: Vec<PathBuf>,
    /// Keep the records in this SQLite file (default: in memory)
    #[arg(long, value_name = "FILE")]
    db: Option<PathBuf>,
    /// The username that logs in
    #[arg(long, default_value = "admin@localorg.test")]
    username: String,
    /// The password that logs in (followed by the security token)
    #[arg(long, default_value = "localorg-password")]
    password: String,
    /// The security token
    #[arg(long, default_value = "LOCALTOKEN")]
    security_token: String,
    /// Accept the password without the security token
    #[arg(long)]
    trusted: bool,
    /// Create these records on start: a .json file, a directory of .json/.csv files, or
    /// `demo` for the bundled demo data set; repeatable
    #[arg(long, value_name = "FILE|DIR|demo")]
    seed: Vec<PathBuf>,
    /// A URL the AJAX proxy (/services/proxy) may call, with the paths below it; repeatable
    #[arg(long, value_name = "URL")]
    remote_site: Vec<String>,
    /// API requests answered before REQUEST_LIMIT_EXCEEDED
    #[arg(long, default_value_t = 15_000)]
    api_request_limit: u64,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let mut builder = LocalOrg::builder()
        .address(SocketAddr::new(args.host, args.port))
        .username(&args.username)
        .password(&args.password)
        .security_token(&args.security_token)
        .trusted(args.trusted);
    for path in &args.describe {
        builder = builder.describe(path);
    }
    for seed in &args.seed {
        builder = if seed.as_os_str() == "demo" {
            builder.seed_demo()
        } else {
            builder.seed(seed)
        };
    }
    for site in &args.remote_site {
        builder = builder.remote_site(site);
    }
    builder = builder
        .api_request_limit(args.api_request_limit)
        // The request log is read in process only (`LocalOrg::requests`): none here.
        .request_log(0);
    if let Some(db) = &args.db {
        builder = builder.database(db);
    }
    let org = match builder.start().await {
        Ok(org) => org,
        Err(error) => {
            eprintln!("sforce-localorg: {error}");
            std::process::exit(1);
        }
    };
    println!("sforce-localorg listening on {}", org.url());
    println!("  login URL:      {}", org.url());
    println!("  SOAP endpoint:  {}", org.soap_url("64.0"));
    println!("  username:       {}", org.username());
    println!("  password:       {}", org.password());
    println!("  security token: {}", org.security_token());
    println!(
        "  fault injection: POST {}/_localorg/inject (see the crate README)",
        org.url()
    );
    // Serves until the process is stopped (Ctrl-C).
    std::future::pending::<()>().await;
}
