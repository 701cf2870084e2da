//! Typed sObjects: generated structs, a hand-written `#[sobject]` struct, and SOQL checked
//! at compile time against the describe dumps named in this crate's `Cargo.toml`
//! (`[package.metadata.sforce] describe = "../fixtures/describe"`).
//!
//! `cargo run -p sforce-examples --example typed_sobjects`

use futures_util::TryStreamExt;
use sforce::SObjectType;
use sforce::{partner, sobject, soql, Decimal, Field, Id, WriteFor};
use sforce_examples::sobjects::{AccountIndustry, Contact};

/// Only the fields this job needs. The macro checks each against the Account dump: a
/// misspelt field or a type that cannot hold it does not compile.
#[sobject(name = "Account")]
#[derive(Debug, Clone, Default, PartialEq)]
struct BigAccount {
    id: Field<Id>,
    name: Field<String>,
    #[sobject(field = "AnnualRevenue")]
    revenue: Field<Decimal>,
    industry: Field<AccountIndustry>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let connection = sforce_examples::connection_from_env()?;
    let client = partner::Client::new(connection);
    let typed = client.typed();

    // A checked query typed to a struct; `{min}` is escaped at run time.
    let min = Decimal::from(1_000_000);
    let query = soql!(
        BigAccount,
        "SELECT Id, Name, AnnualRevenue, Industry FROM Account \
         WHERE AnnualRevenue > {min} ORDER BY AnnualRevenue DESC NULLS LAST LIMIT 10"
    );
    let big: Vec<BigAccount> = query.stream(&client).try_collect().await?;
    for account in &big {
        println!(
            "{:?} {:?} {:?}",
            account.name, account.revenue, account.industry
        );
    }

    // An ad hoc row: the struct is made by the macro from the SELECT list.
    let name = "Acme%";
    let mut rows = soql!(
        "SELECT Id, Name, Parent.Name, (SELECT LastName, Email FROM Contacts) \
         FROM Account WHERE Name LIKE {name}"
    )
    .stream(&client);
    while let Some(row) = rows.try_next().await? {
        let contacts = row.contacts.value().map_or(0, |c| c.records.len());
        println!(
            "{:?} (parent {:?}): {contacts} contacts",
            row.name, row.parent_name
        );
    }

    // Generated structs: create a Contact, then clear its email (sent as fieldsToNull).
    let contact = Contact {
        last_name: Field::Value("Lovelace".to_owned()),
        email: Field::Value("ada@example.com".to_owned()),
        ..Contact::default()
    };
    let saved = typed.create(std::slice::from_ref(&contact)).await?;
    if let Some(id) = saved[0].id {
        let update = Contact {
            id: Field::Value(id),
            email: Field::Null,
            ..Contact::default()
        };
        typed.update(&[update]).await?;
        // Typed and dynamic records convert both ways.
        let dynamic = contact.to_sobject(WriteFor::Unchecked)?;
        println!("sent {} fields", dynamic.len());
    }
    Ok(())
}
