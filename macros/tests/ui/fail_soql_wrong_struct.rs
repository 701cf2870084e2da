use sforce::{sobject, soql, Field, Id};

#[sobject(name = "Account")]
pub struct MyAccount {
    pub id: Field<Id>,
    pub name: Field<String>,
}

fn main() {
    let _ = soql!(MyAccount, "SELECT Id, Name FROM Contact");
    let _ = soql!(MyAccount, "SELECT Id, Industry FROM Account");
}
