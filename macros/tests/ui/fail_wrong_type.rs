use sforce::{sobject, Field, Id};

#[sobject(name = "Account")]
pub struct MyAccount {
    pub id: Field<Id>,
    pub annual_revenue: Field<bool>,
    pub number_of_employees: Field<String>,
    pub owner: Field<i32>,
}

fn main() {}
