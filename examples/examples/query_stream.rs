//! Streams every Account with the async partner client; `queryMore` happens behind the
//! stream, one batch in memory at a time.
//!
//! `cargo run -p sforce-examples --example query_stream`

use futures_util::TryStreamExt;
use sforce::partner;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let connection = sforce_examples::connection_from_env()?;
    let client = partner::Client::new(connection).with_headers(|h| {
        h.query_options = Some(partner::QueryOptions {
            batch_size: Some(2000),
            ..Default::default()
        });
    });

    let soql = format!(
        "SELECT Id, Name, AnnualRevenue, CreatedDate FROM Account WHERE Name LIKE {}",
        sforce::soql::Like::prefix("Acme")
    );
    let mut accounts = client.query_stream(soql);
    let mut count = 0;
    while let Some(account) = accounts.try_next().await? {
        count += 1;
        println!(
            "{} {:?} revenue={:?} created={:?}",
            account.id.as_deref().unwrap_or("-"),
            account.get_str("Name")?,
            account.get_decimal("AnnualRevenue")?,
            account.get_datetime("CreatedDate")?,
        );
    }
    println!("{count} accounts");
    Ok(())
}
