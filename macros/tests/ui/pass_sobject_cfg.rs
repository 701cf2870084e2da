use sforce::{sobject, soql, Field, Id, SObjectType};

#[sobject(name = "Account")]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CfgAccount {
    pub id: Field<Id>,
    // A valid field, configured out: no E0560/E0609 from the generated code.
    #[cfg(any())]
    pub industry: Field<String>,
    // Configured in: checked against the dump as any other field.
    #[cfg(all())]
    pub name: Field<String>,
    // Configured out and unknown to the dump (a field of some other org): allowed.
    #[cfg(any())]
    #[sobject(field = "OnlyElsewhere__c")]
    pub only_elsewhere: Field<String>,
    #[cfg(any())]
    #[sobject(skip)]
    pub scratch: u8,
}

fn main() {
    assert_eq!(CfgAccount::FIELDS.len(), 2);
    let _query = soql!(CfgAccount, "SELECT Id, Name FROM Account");
}
