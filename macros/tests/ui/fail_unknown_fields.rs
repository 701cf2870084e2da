use sforce::{sobject, Field, Id};

// Every unknown field is reported, not only the first.
#[sobject(name = "Account")]
pub struct MyAccount {
    pub id: Field<Id>,
    pub nmae: Field<String>,
    #[sobject(field = "AnualRevenue")]
    pub revenue: Field<f64>,
}

fn main() {}
