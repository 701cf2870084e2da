use sforce::{sobject, Field, Id};

#[sobject(name = "Acount")]
pub struct MyAccount {
    pub id: Field<Id>,
}

fn main() {}
