use sforce::{sobject, Field, Id};

#[sobject(name = "Account")]
pub struct CfgAccount {
    pub id: Field<Id>,
    // A field the dump knows is checked under a cfg too.
    #[cfg(any())]
    pub annual_revenue: Field<bool>,
}

fn main() {}
