use sforce::{sobject, Field};

#[sobject(name = "Account")]
pub struct MyAccount {
    pub id: String,
    pub name: Field<String>,
}

fn main() {}
