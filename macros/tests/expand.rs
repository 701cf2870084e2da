//! `#[sobject]` and `soql!` used as a user would, checked against the fixture dumps that
//! this crate's `[package.metadata.sforce] describe` names.

use sforce::{
    sobject, soql, Decimal, Field, FieldValue, Id, Query, SObject, SObjectType, WriteFor,
};

#[sobject(name = "Account")]
#[derive(Debug, Clone, Default, PartialEq)]
struct MyAccount {
    id: Field<Id>,
    name: Field<String>,
    #[sobject(field = "AnnualRevenue")]
    revenue: Field<Decimal>,
    owner: Field<SObject>,
    created_date: Field<sforce::DateTime>,
    #[sobject(skip)]
    note: String,
}

#[sobject(name = "Contact")]
#[derive(Debug, Clone, Default, PartialEq)]
struct MyContact {
    id: Field<Id>,
    last_name: Field<String>,
    account: Field<Box<MyAccount>>,
}

const ACME: &str = "001d000000Kj8cAAAR";

#[test]
fn flags_come_from_the_dump_when_not_written() {
    let flags: Vec<_> = MyAccount::FIELDS
        .iter()
        .map(|f| (f.api_name, f.createable, f.updateable))
        .collect();
    assert_eq!(
        flags,
        [
            ("Id", false, false),
            ("Name", true, true),
            ("AnnualRevenue", true, true),
            ("Owner", true, true),
            ("CreatedDate", false, false),
        ]
    );
    assert_eq!(MyAccount::NAME, "Account");
}

#[test]
fn typed_and_dynamic_convert_both_ways() {
    let mut record = SObject::new("Contact").with_id(ACME.replace("001", "003"));
    let mut account = SObject::new("Account").with_id(ACME);
    account.set("Name", "Acme").set_null("AnnualRevenue");
    record.set("LastName", "O'Brien").set("Account", account);
    let contact = MyContact::from_sobject(record).unwrap();
    let parent = contact.account.value().unwrap();
    assert_eq!(parent.name, Field::Value("Acme".to_owned()));
    assert_eq!(parent.revenue, Field::Null);
    assert_eq!(parent.created_date, Field::Absent);
    assert_eq!(parent.id.value().unwrap().as_str(), ACME);

    let mut update = MyAccount {
        id: Field::Value(Id::new(ACME).unwrap()),
        revenue: Field::Null,
        ..MyAccount::default()
    };
    let written = update.to_sobject(WriteFor::Update).unwrap();
    assert_eq!(written.id.as_deref(), Some(ACME));
    assert_eq!(written.fields_to_null, ["AnnualRevenue"]);
    assert_eq!(written.field_names().collect::<Vec<_>>(), ["AnnualRevenue"]);
    assert!(written.is_null("AnnualRevenue"));

    update.created_date = Field::Value(Default::default());
    let error = update.to_sobject(WriteFor::Update).unwrap_err().to_string();
    assert!(error.contains("Account.CreatedDate"), "{error}");
    update.retain_writable(WriteFor::Update);
    assert!(update.created_date.is_absent());
}

#[test]
fn typed_soql_escapes_binds() {
    let name = "O'Brien \\ Sons";
    let min = Decimal::new(150_000_050, 2);
    let query: Query<MyAccount> = soql!(
        MyAccount,
        "SELECT Id, Name FROM Account WHERE Name = {name} AND AnnualRevenue > {min} LIMIT {10}"
    );
    assert_eq!(
        query.as_str(),
        "SELECT Id, Name FROM Account WHERE Name = 'O\\'Brien \\\\ Sons' AND AnnualRevenue > \
         1500000.50 LIMIT 10"
    );
}

#[test]
fn like_binds_are_escaped_once() {
    let prefix = sforce::soql::Like::prefix("50%_off \\ 'x'");
    let plain = "Acme%";
    let query: Query<MyAccount> = soql!(
        MyAccount,
        "SELECT Id FROM Account WHERE Name LIKE {prefix} OR Name LIKE {plain}"
    );
    assert_eq!(
        query.as_str(),
        r"SELECT Id FROM Account WHERE Name LIKE '50\%\_off \\ \'x\'%' OR Name LIKE 'Acme%'"
    );
}

/// Reads one record into the row type of a query (whose name the test cannot write).
fn row_of<T: SObjectType>(_query: &Query<T>, record: SObject) -> T {
    T::from_sobject(record).unwrap()
}

#[test]
fn ad_hoc_rows_are_typed_from_the_dump() {
    let ids = vec![Id::new(ACME).unwrap()];
    let query = soql!(
        "SELECT Id, Name, AnnualRevenue, Parent.Name, (SELECT LastName FROM Contacts) \
         FROM Account WHERE Id IN {&ids}"
    );
    assert!(query
        .as_str()
        .ends_with("WHERE Id IN ('001d000000Kj8cAAAR')"));

    let mut owner = SObject::new("Account");
    owner.set("Name", "Ada");
    let mut record = SObject::new("Account").with_id(ACME);
    record
        .set("Name", "Acme")
        .set("AnnualRevenue", "12.50")
        .set("Parent", owner)
        .set(
            "Contacts",
            sforce::ChildQuery {
                done: true,
                size: 1,
                query_locator: None,
                records: vec![{
                    let mut c = SObject::new("Contact");
                    c.set("LastName", "Lovelace");
                    c
                }],
            },
        );
    let row = row_of(&query, record);
    assert_eq!(row.id.value().map(Id::as_str), Some(ACME));
    let revenue: Option<&Decimal> = row.annual_revenue.value();
    assert_eq!(revenue, Some(&Decimal::new(1250, 2)));
    assert_eq!(row.parent_name, Field::Value("Ada".to_owned()));
    let contacts = row.contacts.value().unwrap();
    assert_eq!(
        contacts.records[0].last_name,
        Field::Value("Lovelace".to_owned())
    );
}

#[test]
fn aggregate_rows_use_aliases() {
    let query = soql!("SELECT Industry, COUNT(Id) total FROM Account GROUP BY Industry");
    let mut record = SObject::new("AggregateResult");
    record
        .set("Industry", "Energy")
        .set("total", FieldValue::from("3"));
    let row = row_of(&query, record);
    assert_eq!(row.total, Field::Value(3));
    assert_eq!(row.industry.value().map(String::as_str), Some("Energy"));
}

#[test]
fn named_structs_take_queries_with_aliases() {
    // The struct is checked for the plain names: `Id`, `LastName`, `Account` (for
    // `a.Name`, `a` being `c.Account`), not for the alias `c`.
    let query: Query<MyContact> = soql!(
        MyContact,
        "SELECT c.Id, c.LastName, a.Name FROM Contact c, c.Account a WHERE a.Name = {\"Acme\"}"
    );
    assert_eq!(
        query.as_str(),
        "SELECT c.Id, c.LastName, a.Name FROM Contact c, c.Account a WHERE a.Name = 'Acme'"
    );
    let mut account = SObject::new("Account");
    account.set("Name", "Acme");
    let mut record = SObject::new("Contact");
    record.set("LastName", "Lovelace").set("Account", account);
    let contact = row_of(&query, record);
    assert_eq!(
        contact.last_name.value().map(String::as_str),
        Some("Lovelace")
    );
    let name = contact
        .account
        .value()
        .and_then(|a| a.name.value().cloned());
    assert_eq!(name.as_deref(), Some("Acme"));
}

#[sobject(name = "Account")]
#[derive(Debug, Clone, Default, PartialEq)]
struct CfgAccount {
    id: Field<Id>,
    #[cfg(not(test))]
    industry: Field<String>,
    #[cfg(test)]
    name: Field<String>,
    #[cfg(test)]
    #[sobject(field = "AnnualRevenue")]
    revenue: Field<Decimal>,
}

#[test]
fn cfg_fields_are_in_or_out_everywhere() {
    let names: Vec<_> = CfgAccount::FIELDS.iter().map(|f| f.api_name).collect();
    assert_eq!(names, ["Id", "Name", "AnnualRevenue"]);
    let mut account = CfgAccount {
        id: Field::Value(Id::new(ACME).unwrap()),
        name: Field::Value("Acme".into()),
        revenue: Field::Null,
    };
    let record = account.to_sobject(WriteFor::Update).unwrap();
    assert_eq!(CfgAccount::from_sobject(record).unwrap(), account);
    account.retain_writable(WriteFor::Create);
    assert!(account.id.is_absent());
    assert_eq!(account.name, Field::Value("Acme".into()));
}
