//! The structs generated from the hostile describe dumps (`describe-hostile/`) in use:
//! every colliding API name has a Rust name of its own, and writes go to the right one.

use sforce::{Field, Picklist, SObjectType, WriteFor};
use sforce_tests::hostile_sobjects::{CollideC, CollideCType, UnicodeC, UnicodeCGrosseC};

/// `(rust_name, api_name)` of every field of `T`.
fn fields<T: SObjectType>() -> Vec<(&'static str, &'static str)> {
    T::FIELDS
        .iter()
        .map(|f| (f.rust_name, f.api_name))
        .collect()
}

#[test]
fn colliding_api_names_have_distinct_rust_names() {
    assert_eq!(
        fields::<CollideC>(),
        [
            ("id", "Id"),
            ("type_", "type"),
            ("type_2", "Type"),
            ("my_field_c", "My_Field__c"),
            ("my_field_c_2", "MyField__c"),
            ("parent_r", "Parent_r"),
            ("owner_id", "OwnerId"),
            ("owner", "Owner"),
            ("cafe_c", "Café__c"),
            ("ming_qian_c", "名前__c"),
            ("parent_c", "Parent__c"),
            ("parent_r_2", "Parent__r"),
            ("children", "Children"),
            ("children_2", "children"),
        ]
    );
    assert_eq!(
        fields::<UnicodeC>(),
        [
            ("id", "Id"),
            ("ming_qian_c", "名前__c"),
            ("grosse_c", "Größe__c")
        ]
    );
    assert_eq!(<UnicodeC as SObjectType>::NAME, "Ünïcode__c");
}

#[test]
fn picklist_values_that_collide_keep_their_api_values() {
    assert_eq!(CollideCType::Hot.as_str(), "hot");
    assert_eq!(CollideCType::Hot2.as_str(), "Hot");
    assert_eq!(CollideCType::Cafe.as_str(), "Café");
    assert_eq!(CollideCType::MingQian.as_str(), "名前");
    assert_eq!(CollideCType::Grinning.as_str(), "\u{1F600}");
    assert_eq!(CollideCType::from_api("Hot"), CollideCType::Hot2);
    assert_eq!(UnicodeCGrosseC::Gross.as_str(), "Groß");
    assert_eq!(UnicodeCGrosseC::Gross2.as_str(), "groß");
}

#[test]
fn writes_name_each_field_by_its_own_api_name() {
    // (Non-ASCII API names are not sent as they are: the runtime writes only ASCII
    // letters, digits and `_` in field names, and Salesforce API names are ASCII.)
    let record = CollideC {
        type_: Field::Value("lower".to_owned()),
        my_field_c: Field::Value("text".to_owned()),
        my_field_c_2: Field::Value(2.5),
        parent_r: Field::Value("not a relationship".to_owned()),
        ..CollideC::default()
    };
    let sobject = record.to_sobject(WriteFor::Create).unwrap();
    assert_eq!(sobject.get_str("My_Field__c").unwrap(), Some("text"));
    assert_eq!(sobject.get_double("MyField__c").unwrap(), Some(2.5));
    assert_eq!(
        sobject.get_str("Parent_r").unwrap(),
        Some("not a relationship")
    );
    assert_eq!(sobject.get_str("type").unwrap(), Some("lower"));
}
