//! Creates 450 contacts with the blocking partner client: the call is split into batches
//! of 200 and every record gets its result, in order.
//!
//! `cargo run -p sforce-examples --example blocking_create`

use sforce::{partner, SObject};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let connection = sforce_examples::connection_from_env()?;
    let client = partner::blocking::Client::new(connection);

    let contacts: Vec<SObject> = (0..450)
        .map(|i| {
            SObject::new("Contact")
                .with("LastName", format!("Example {i}"))
                .with_null("Email")
        })
        .collect();
    let results = client.create(&contacts)?;
    for (contact, result) in contacts.iter().zip(&results) {
        match (&result.id, result.success) {
            (Some(id), true) => println!("created {id}"),
            _ => println!(
                "failed {:?}: {:?}",
                contact.get_str("LastName"),
                result.errors
            ),
        }
    }

    let ids: Vec<sforce::Id> = results.into_iter().filter_map(|r| r.id).collect();
    let deleted = client.delete(&ids)?;
    println!("deleted {}", deleted.iter().filter(|r| r.success).count());
    Ok(())
}
