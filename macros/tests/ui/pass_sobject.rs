use sforce::{sobject, soql, Decimal, Field, Id};

#[sobject(name = "Account")]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MyAccount {
    pub id: Field<Id>,
    pub name: Field<String>,
    #[sobject(field = "AnnualRevenue")]
    pub revenue: Field<Decimal>,
    pub contacts: Field<sforce::ChildRecords<MyContact>>,
}

#[sobject(name = "Contact")]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MyContact {
    pub id: Field<Id>,
    pub email: Field<String>,
    pub account: Field<Box<MyAccount>>,
}

fn main() {
    let name = String::from("Acme");
    let since = sforce::Date::from_ymd_opt(2024, 1, 31).unwrap();
    let _accounts = soql!(
        MyAccount,
        "SELECT Id, Name, AnnualRevenue, (SELECT Id, Email FROM Contacts) FROM Account \
         WHERE Name LIKE {name} AND CreatedDate > {since.and_hms_opt(0, 0, 0).unwrap().and_utc()} \
         AND LastActivityDate < {since}"
    );
}
