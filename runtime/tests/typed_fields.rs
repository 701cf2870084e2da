//! `Field` states, every `FieldType` impl through `FieldValue` and back, picklists made
//! with `picklist!`, `MultiPicklist`, and SOQL bind literals.

mod typed_support;

use std::fmt::Debug;

use chrono::TimeZone;
use sforce::__private::{push_bind, push_bind_list};
use sforce::sobject::Text;
use sforce::soql::{kind, SoqlValue};
use sforce::{
    Address, AnyValue, Binary, ChildQuery, ChildRecords, Date, DateTime, Decimal, Field, FieldType,
    FieldValue, Id, Location, MultiPicklist, Picklist, SObject, Shape, Time,
};
use typed_support::{Contact, Stage, User};

// ----- Field ---------------------------------------------------------------------------

#[test]
fn field_states_and_methods() {
    struct NoDefault;
    assert!(Field::<NoDefault>::default().is_absent());

    let mut f: Field<i32> = Field::default();
    assert_eq!(f, Field::Absent);
    assert!(f.is_absent() && !f.is_null() && !f.is_value());
    assert_eq!(f.value(), None);
    assert_eq!(f.as_option(), None);

    f.set_null();
    assert!(f.is_null() && !f.is_absent() && !f.is_value());
    assert_eq!(f.as_option(), Some(None));
    assert_eq!(f.clone().into_value(), None);

    f.set(4);
    assert!(f.is_value());
    assert_eq!(f.as_option(), Some(Some(&4)));
    *f.value_mut().unwrap() += 1;
    assert_eq!(f.value(), Some(&5));
    assert_eq!(f.as_ref(), Field::Value(&5));
    assert_eq!(
        f.clone().map(|v| v.to_string()),
        Field::Value("5".to_owned())
    );
    assert_eq!(Field::<i32>::Null.map(|v| v + 1), Field::Null);
    assert_eq!(Field::<i32>::Absent.map(|v| v + 1), Field::Absent);

    let taken = f.take();
    assert_eq!(taken, Field::Value(5));
    assert!(f.is_absent(), "take leaves Absent");

    assert_eq!(Field::from(7), Field::Value(7));
    assert_eq!(Field::from_option(Some(1)), Field::Value(1));
    assert_eq!(Field::<i32>::from_option(None), Field::Null);
    assert_eq!(Field::Value(3).into_value(), Some(3));

    let mut set = std::collections::HashSet::new();
    set.insert(Field::<i32>::Absent);
    set.insert(Field::Null);
    set.insert(Field::Value(1));
    set.insert(Field::Value(1));
    assert_eq!(set.len(), 3);
    assert_eq!(format!("{:?}", Field::Value("x")), "Value(\"x\")");
}

// ----- FieldType round trips -----------------------------------------------------------

/// `value` → `to_field` gives `wire`; `from_field(wire)` gives `value` back.
fn round_trip<T: FieldType + PartialEq + Debug>(value: T, wire: FieldValue) {
    let written = value
        .to_field()
        .unwrap_or_else(|e| panic!("{value:?}: {e}"));
    assert_eq!(written, wire, "to_field of {value:?}");
    let read = T::from_field(wire).unwrap_or_else(|e| panic!("{value:?}: {e}"));
    assert_eq!(read, value);
}

fn text(s: &str) -> FieldValue {
    FieldValue::Text(Text::new(s))
}

#[test]
fn scalar_types_round_trip() {
    round_trip("Acme & Sons".to_owned(), text("Acme & Sons"));
    round_trip(Text::new("inline"), text("inline"));
    round_trip(true, text("true"));
    round_trip(false, text("false"));
    round_trip(-42i32, text("-42"));
    round_trip(9_000_000_000i64, text("9000000000"));
    round_trip(0.25f64, text("0.25"));
    round_trip("1234.50".parse::<Decimal>().unwrap(), text("1234.50"));
    round_trip(Date::from_ymd_opt(2024, 2, 29).unwrap(), text("2024-02-29"));
    round_trip(
        chrono::Utc
            .with_ymd_and_hms(2013, 5, 22, 17, 7, 44)
            .unwrap(),
        text("2013-05-22T17:07:44.000Z"),
    );
    round_trip(
        Time::from_hms_milli_opt(13, 5, 0, 250).unwrap(),
        text("13:05:00.250Z"),
    );
    round_trip(Binary(b"hello".to_vec()), text("aGVsbG8="));
    round_trip(
        Id::new("006A000000LZhwN").unwrap(),
        text("006A000000LZhwNIAT"),
    );
    assert_eq!(<String as FieldType>::SHAPE, Shape::Scalar);
    assert_eq!(<Id as FieldType>::SHAPE, Shape::Scalar);
    assert_eq!(<Address as FieldType>::SHAPE, Shape::Scalar);
}

#[test]
fn scalars_read_the_forms_the_server_sends() {
    // Number fields with scale 0 come as decimals, doubles Java-style.
    assert_eq!(i32::from_field(text("42.0")), Ok(42));
    assert_eq!(i64::from_field(text("5.0E7")), Ok(50_000_000));
    assert_eq!(f64::from_field(text("5.0E7")), Ok(5.0e7));
    assert_eq!(
        Decimal::from_field(text("5.0E7")),
        Ok(Decimal::from(50_000_000))
    );
    assert_eq!(bool::from_field(text("1")), Ok(true));
    // Aggregate results: `xsi:type="xsd:int"` values.
    assert_eq!(
        i32::from_field(FieldValue::from(AnyValue::new("int", "17"))),
        Ok(17)
    );
    assert_eq!(
        String::from_field(FieldValue::from(AnyValue::string("x"))),
        Ok("x".to_owned())
    );
    // A 15-character Id is read into the 18-character form.
    assert_eq!(
        Id::from_field(text("006A000000LZhwN")).unwrap().as_str(),
        "006A000000LZhwNIAT"
    );
    assert_eq!(
        DateTime::from_field(text("2013-05-22T19:07:44+02:00")),
        Ok(chrono::Utc
            .with_ymd_and_hms(2013, 5, 22, 17, 7, 44)
            .unwrap())
    );
}

#[test]
fn conversion_errors_name_the_expected_type_and_the_value() {
    assert_eq!(
        i32::from_field(text("4.5")).unwrap_err(),
        "expected an int, found text `4.5`"
    );
    assert_eq!(
        i32::from_field(text("99999999999")).unwrap_err(),
        "expected an int, found text `99999999999`"
    );
    assert_eq!(
        bool::from_field(text("yes")).unwrap_err(),
        "expected a boolean, found text `yes`"
    );
    assert_eq!(
        Date::from_field(text("2023-02-29")).unwrap_err(),
        "expected a date (YYYY-MM-DD), found text `2023-02-29`"
    );
    assert_eq!(
        f64::from_field(FieldValue::from(SObject::new("User"))).unwrap_err(),
        "expected a double, found a nested User sObject"
    );
    assert_eq!(
        String::from_field(FieldValue::from(Address::default())).unwrap_err(),
        "expected text, found an address"
    );
    assert_eq!(
        Address::from_field(text("Main St")).unwrap_err(),
        "expected an address, found text `Main St`"
    );
    assert_eq!(
        DateTime::from_field(FieldValue::from(AnyValue::new("int", "3"))).unwrap_err(),
        "expected a dateTime, found int `3`"
    );
    let e = Id::from_field(text("001abc")).unwrap_err();
    assert!(
        e.starts_with("expected an Id, found text `001abc`: it is 6 characters long"),
        "{e}"
    );
    // Long values are cut short.
    let long = "y".repeat(1000);
    let e = Decimal::from_field(text(&long)).unwrap_err();
    assert!(e.len() < 200, "{e}");
    assert!(e.contains("(1000 bytes)"), "{e}");
    // Numbers Salesforce cannot store are not written.
    assert_eq!(
        f64::NAN.to_field().unwrap_err(),
        "`NaN` is not a finite number; Salesforce number fields cannot hold it"
    );
    assert!(f64::INFINITY.to_field().is_err());
}

#[test]
fn compound_dynamic_and_boxed_types_round_trip() {
    let address = Address {
        city: Some("San Francisco".into()),
        street: Some("415 Mission St".into()),
        latitude: Some(37.79),
        longitude: Some(-122.39),
        ..Address::default()
    };
    round_trip(address.clone(), FieldValue::from(address.clone()));
    let location = Location {
        latitude: Some(1.5),
        longitude: Some(-2.5),
    };
    round_trip(location.clone(), FieldValue::from(location.clone()));
    // A location reads the coordinates of an address too.
    assert_eq!(
        Location::from_field(FieldValue::from(address)),
        Ok(Location {
            latitude: Some(37.79),
            longitude: Some(-122.39)
        })
    );

    let any = AnyValue::new("boolean", "true");
    round_trip(any.clone(), FieldValue::from(any));
    assert_eq!(
        AnyValue::from_field(text("plain")),
        Ok(AnyValue {
            xsi_type: None,
            text: "plain".into()
        })
    );

    for value in [
        FieldValue::Null,
        text("x"),
        FieldValue::from(SObject::new("Account").with("Name", "A")),
        FieldValue::from(ChildQuery::default()),
    ] {
        round_trip(value.clone(), value);
    }

    let owner = SObject::new("Group")
        .with_id("00G000000000001AAA")
        .with("Name", "Q");
    round_trip(owner.clone(), FieldValue::from(owner));
    assert_eq!(<SObject as FieldType>::SHAPE, Shape::Parent);
    assert_eq!(
        SObject::from_field(text("x")).unwrap_err(),
        "expected a nested sObject, found text `x`"
    );

    round_trip(Box::new(12i32), text("12"));
    assert_eq!(<Box<User> as FieldType>::SHAPE, Shape::Parent);
    assert_eq!(<Box<i32> as FieldType>::SHAPE, Shape::Scalar);
}

#[test]
fn typed_parent_and_children_round_trip() {
    let user = User {
        id: Field::Value(Id::new("005i0000000Fi7v").unwrap()),
        name: Field::Value("Ann".into()),
        email: Field::Null,
    };
    let wire = user.to_field().unwrap();
    let FieldValue::SObject(nested) = &wire else {
        panic!("{wire:?}")
    };
    assert_eq!(nested.r#type, "User");
    assert_eq!(nested.id.as_deref(), Some("005i0000000Fi7vAAC"));
    assert_eq!(nested.get_str("Name").unwrap(), Some("Ann"));
    assert_eq!(nested.fields_to_null, ["Email"]);
    assert_eq!(User::from_field(wire).unwrap(), user);

    let contacts = ChildRecords {
        done: false,
        query_locator: Some("01gD0000002HU6KIAW-500".into()),
        size: 501,
        records: vec![
            Contact {
                last_name: Field::Value("One".into()),
                ..Contact::default()
            },
            Contact {
                last_name: Field::Value("Two".into()),
                owner: Field::Value(Box::new(user.clone())),
                ..Contact::default()
            },
        ],
    };
    let wire = contacts.to_field().unwrap();
    let query = wire.as_query().unwrap();
    assert_eq!(query.size, 501);
    assert!(!query.done);
    assert_eq!(query.records.len(), 2);
    assert_eq!(query.records[1].get_str("Owner.Name").unwrap(), Some("Ann"));
    assert_eq!(ChildRecords::<Contact>::from_field(wire).unwrap(), contacts);
    assert_eq!(<ChildRecords<Contact> as FieldType>::SHAPE, Shape::Children);

    // A child record that does not convert names its index and field.
    let bad = ChildQuery {
        done: true,
        size: 2,
        records: vec![
            SObject::new("Contact"),
            SObject::new("Contact").with("Owner", "not a record"),
        ],
        ..ChildQuery::default()
    };
    assert_eq!(
        ChildRecords::<Contact>::from_field(FieldValue::from(bad)).unwrap_err(),
        "child record 1: `Contact.Owner` expected a nested User sObject, found text `not a record`"
    );
    assert_eq!(
        User::from_field(text("x")).unwrap_err(),
        "expected a nested User sObject, found text `x`"
    );
}

// ----- picklists -----------------------------------------------------------------------

sforce::__private::picklist! {
    /// `Account.Rating`: unrestricted.
    #[allow(missing_docs)]
    pub enum Rating (restricted = false) {
        /// Hot
        Hot = "Hot",
        Warm = "Warm",
        Cold = "Cold"
    }
}

#[test]
fn picklist_macro() {
    assert_eq!(
        Stage::VALUES,
        ["Prospecting", "Value Proposition", "Closed Won"]
    );
    assert_eq!([Stage::RESTRICTED, Rating::RESTRICTED], [true, false]);
    assert_eq!(
        Stage::from_api("Value Proposition"),
        Stage::ValueProposition
    );
    assert_eq!(Stage::ClosedWon.as_str(), "Closed Won");
    assert_eq!(Stage::ClosedWon.to_string(), "Closed Won");
    assert_eq!(Stage::from("Prospecting"), Stage::Prospecting);
    assert_eq!("Closed Won".parse::<Stage>(), Ok(Stage::ClosedWon));
    let other = Stage::from_api("Negotiation/Review");
    assert_eq!(other, Stage::Other("Negotiation/Review".into()));
    assert_eq!(other.as_str(), "Negotiation/Review");
    assert!(!other.is_known());
    assert!(Stage::Other("Closed Won".into()).is_known());
    assert!(Stage::Prospecting.is_known());

    // Reading never fails on a new value.
    assert_eq!(
        Stage::from_field(text("Value Proposition")),
        Ok(Stage::ValueProposition)
    );
    assert_eq!(
        Stage::from_field(text("Brand New")),
        Ok(Stage::Other("Brand New".into()))
    );
    assert_eq!(
        Stage::from_field(FieldValue::from(SObject::new("X"))).unwrap_err(),
        "expected a Stage picklist value, found a nested X sObject"
    );
    assert_eq!(Stage::ClosedWon.to_field(), Ok(text("Closed Won")));
    // Writing an unknown value fails only when restricted.
    assert_eq!(
        other.to_field().unwrap_err(),
        "`Negotiation/Review` is not a value of the restricted picklist Stage \
         (known values: Prospecting, Value Proposition, Closed Won)"
    );
    assert_eq!(Rating::Other("Tepid".into()).to_field(), Ok(text("Tepid")));
    assert_eq!(<Rating as FieldType>::SHAPE, Shape::Scalar);

    let mut soql = String::new();
    push_bind::<kind::Text, _>(&mut soql, &Rating::Other("It's".into()));
    push_bind::<kind::Any, _>(&mut soql, &Stage::ClosedWon);
    assert_eq!(soql, r"'It\'s''Closed Won'");
}

#[test]
fn multi_picklists() {
    let mut days: MultiPicklist<String> = MultiPicklist::from_field(text("Mon;Wed;Mon")).unwrap();
    assert_eq!(days.len(), 2, "duplicates are dropped: {days:?}");
    assert!(days.contains(&"Wed".to_owned()));
    assert!(!days.insert("Mon".to_owned()));
    assert!(days.insert("Fri".to_owned()));
    assert!(days.remove(&"Wed".to_owned()));
    assert!(!days.remove(&"Wed".to_owned()));
    assert_eq!(days.to_field(), Ok(text("Mon;Fri")));
    assert_eq!(days.iter().collect::<Vec<_>>(), ["Mon", "Fri"]);
    // Set equality ignores order.
    let other: MultiPicklist<String> = ["Fri", "Mon"].into_iter().map(String::from).collect();
    assert_eq!(days, other);
    assert_ne!(days, MultiPicklist::new());
    assert_eq!(format!("{days:?}"), r#"{"Mon", "Fri"}"#);

    let empty = MultiPicklist::<String>::from_field(text("")).unwrap();
    assert!(empty.is_empty());
    assert_eq!(empty.to_field(), Ok(text("")));
    assert_eq!(
        MultiPicklist::<String>::from_field(FieldValue::from(Address::default())).unwrap_err(),
        "expected a multi-select picklist value (`a;b;c`), found an address"
    );
    let bad: MultiPicklist<String> = ["a;b".to_owned()].into_iter().collect();
    assert_eq!(
        bad.to_field().unwrap_err(),
        "multi-select picklist value `a;b` contains `;`, which separates values"
    );

    let stages = MultiPicklist::<Stage>::from_field(text("Closed Won;Lost")).unwrap();
    assert_eq!(
        stages.clone().into_iter().collect::<Vec<_>>(),
        [Stage::ClosedWon, Stage::Other("Lost".into())]
    );
    assert_eq!(
        stages.to_field().unwrap_err(),
        "`Lost` is not a value of the restricted picklist Stage \
         (known values: Prospecting, Value Proposition, Closed Won)"
    );
    let ratings = MultiPicklist::<Rating>::from_field(text("Hot;Tepid")).unwrap();
    assert_eq!(ratings.to_field(), Ok(text("Hot;Tepid")));
    let mut known: MultiPicklist<Stage> = MultiPicklist::default();
    known.extend([Stage::Prospecting, Stage::ClosedWon, Stage::Prospecting]);
    assert_eq!(known.to_field(), Ok(text("Prospecting;Closed Won")));
}

// ----- SOQL binds ----------------------------------------------------------------------

fn bind<K, V: SoqlValue<K> + ?Sized>(value: &V) -> String {
    let mut out = String::new();
    push_bind::<K, V>(&mut out, value);
    out
}

#[test]
fn bind_literals() {
    assert_eq!(bind::<kind::Text, _>("plain"), "'plain'");
    assert_eq!(
        bind::<kind::Text, _>(r#"O'Brien \ "x" "#),
        r#"'O\'Brien \\ \"x\" '"#
    );
    assert_eq!(bind::<kind::Text, _>("a\nb\tc"), r"'a\nb\tc'");
    assert_eq!(
        bind::<kind::Text, str>("' OR Name != '"),
        r"'\' OR Name != \''"
    );
    assert_eq!(bind::<kind::Text, _>(&"x\\".to_owned()), r"'x\\'");
    assert_eq!(bind::<kind::Text, _>(&Text::new("t")), "'t'");
    let id = Id::new("006A000000LZhwN").unwrap();
    assert_eq!(bind::<kind::Id, _>(&id), "'006A000000LZhwNIAT'");
    assert_eq!(bind::<kind::Id, _>("001'x"), r"'001\'x'");
    assert_eq!(bind::<kind::Boolean, _>(&true), "true");
    assert_eq!(bind::<kind::Boolean, _>(&false), "false");
    assert_eq!(bind::<kind::Int, _>(&-7i8), "-7");
    assert_eq!(bind::<kind::Int, _>(&u64::MAX), "18446744073709551615");
    assert_eq!(bind::<kind::Number, _>(&3usize), "3");
    assert_eq!(bind::<kind::Number, _>(&5.0e7f64), "50000000");
    assert_eq!(bind::<kind::Number, _>(&0.5f32), "0.5");
    assert_eq!(
        bind::<kind::Number, _>(&"12.50".parse::<Decimal>().unwrap()),
        "12.50"
    );
    assert_eq!(bind::<kind::Number, _>(&f64::NAN), "NaN");
    let date = Date::from_ymd_opt(2024, 1, 2).unwrap();
    assert_eq!(bind::<kind::Date, _>(&date), "2024-01-02");
    let datetime = chrono::Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap()
        + chrono::Duration::milliseconds(678);
    assert_eq!(bind::<kind::DateTime, _>(&datetime), "2024-01-02T03:04:05Z");
    let time = Time::from_hms_milli_opt(3, 4, 5, 6).unwrap();
    assert_eq!(bind::<kind::Time, _>(&time), "03:04:05.006Z");
    // Any takes everything; references and options too.
    assert_eq!(bind::<kind::Any, _>(&&&"x"), "'x'");
    assert_eq!(bind::<kind::Any, _>(&date), "2024-01-02");
    assert_eq!(bind::<kind::Any, _>(&id), "'006A000000LZhwNIAT'");
    assert_eq!(bind::<kind::Id, _>(&None::<Id>), "null");
    assert_eq!(bind::<kind::Int, _>(&Some(4i64)), "4");
}

#[test]
fn bind_lists() {
    let mut out = String::from("SELECT Id FROM Account WHERE Name IN ");
    push_bind_list::<kind::Text, _>(&mut out, ["a", "b'c"]);
    assert_eq!(out, r"SELECT Id FROM Account WHERE Name IN ('a','b\'c')");

    let ids = vec![
        Id::new("006A000000LZhwN").unwrap(),
        Id::new("006A000000LaF4x").unwrap(),
    ];
    let mut out = String::new();
    push_bind_list::<kind::Id, _>(&mut out, &ids);
    assert_eq!(out, "('006A000000LZhwNIAT','006A000000LaF4xIAF')");

    let mut out = String::new();
    push_bind_list::<kind::Number, _>(&mut out, vec![1i32, 2, 3]);
    assert_eq!(out, "(1,2,3)");

    let mut out = String::new();
    push_bind_list::<kind::Text, _>(&mut out, [Stage::Prospecting, Stage::ClosedWon]);
    assert_eq!(out, "('Prospecting','Closed Won')");

    // An empty list is `()`: the server rejects it rather than matching wrongly.
    let mut out = String::new();
    push_bind_list::<kind::Text, _>(&mut out, Vec::<String>::new());
    assert_eq!(out, "()");
}

#[test]
fn an_id_field_reads_what_the_server_wrote() {
    // Test doubles and captures carry made-up suffixes; a typed field reads them as written,
    // as the untyped reader does (`Id::from_server`), and still refuses what is no Id.
    let made_up = Id::from_field(text("001A000000000000AA")).unwrap();
    assert_eq!(made_up.as_str(), "001A000000000000AA");
    assert_eq!(
        Id::from_field(text("001d000000Kj8cA")).unwrap().as_str(),
        "001d000000Kj8cAAAR"
    );
    let err = Id::from_field(text("001A00000000000AA")).unwrap_err();
    assert!(err.contains("17 characters"), "{err}");
}
