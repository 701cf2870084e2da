//! `sforce::Id`: the 18-character checksum on real Ids, case repair, and clear errors.

use std::collections::HashSet;

use sforce::__private::{XmlText, XmlWriter};
use sforce::{Id, IdError};

/// Real 18-character Ids in the captures of fixtures/soap.
const REAL_IDS: &[&str] = &[
    "005i0000000Fi7vAAC",
    "006A000000LZhwNIAT",
    "006A000000LaF4xIAF",
    "006A000000LbiizIAB",
    "006A000000LbkT5IAJ",
    "00DA0000000YpZ4MAK",
    "04gi00000009u5PAAQ",
    "04gi00000009u5ZAAQ",
    "04ii000000098uLAAQ",
    "a00i0000007JBLJAA4",
];

/// Ids in the captures that were hand-edited upstream (redacted): their suffixes are wrong.
const REDACTED_IDS: &[&str] = &[
    "001140000000000AA4",
    "001150000000000AAO",
    "001160000000000AAG",
    "005A000000AAAAAIAY",
    "00eA0000000AAAAAA2",
    "00eA0000000AAAAIA2",
];

/// All of the captures' text.
fn captures() -> String {
    let dir = format!("{}/../fixtures/soap", env!("CARGO_MANIFEST_DIR"));
    let mut all = String::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        all.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    all
}

#[test]
fn checksum_of_real_ids_round_trips() {
    let captures = captures();
    for full in REAL_IDS.iter().chain(REDACTED_IDS) {
        assert!(
            captures.contains(&format!(">{full}<")),
            "{full} is in a capture"
        );
    }
    for full in REAL_IDS {
        let short = &full[..15];
        let from_15 = Id::new(short).unwrap_or_else(|e| panic!("{short}: {e}"));
        assert_eq!(from_15.as_str(), *full, "suffix computed from {short}");
        assert_eq!(from_15.to_15(), short);
        assert_eq!(from_15.key_prefix(), &full[..3]);
        let from_18 = Id::new(full).unwrap();
        assert_eq!(from_18, from_15);
        assert_eq!(from_18.to_string(), *full);
    }
    // The suffix decides the letter case (Salesforce reads 18-character Ids that way): a
    // redacted Id is either rejected or read with other letter case than written.
    let mut rejected = 0;
    for fake in REDACTED_IDS {
        match Id::new(fake) {
            Err(e) => {
                assert!(e.reason().contains("not the checksum"), "{fake}: {e}");
                rejected += 1;
            }
            Ok(id) => {
                assert_ne!(id.as_str(), *fake);
                assert!(id.as_str().eq_ignore_ascii_case(fake), "{id} from {fake}");
            }
        }
    }
    assert_eq!(rejected, 3, "the digit-only redactions cannot be repaired");
}

#[test]
fn known_ids_and_conversions() {
    let id = Id::new("006A000000LZhwN").unwrap();
    assert_eq!(id.as_str(), "006A000000LZhwNIAT");
    assert_eq!(id.key_prefix(), "006");
    let id: Id = "001d000000Kj8cA".parse().unwrap();
    assert_eq!(id.as_str(), "001d000000Kj8cAAAR");
    assert_eq!(Id::try_from("001d000000Kj8cAAAR".to_owned()).unwrap(), id);
    assert_eq!(Id::try_from("001d000000Kj8cA").unwrap(), id);
    assert_eq!(AsRef::<str>::as_ref(&id), "001d000000Kj8cAAAR");
    assert_eq!(format!("{id:?}"), "Id(001d000000Kj8cAAAR)");
    assert_eq!(String::from(id), "001d000000Kj8cAAAR");
    // All-uppercase and all-digit groups use the full suffix alphabet.
    assert_eq!(
        Id::new("AAAAAAAAAAAAAAA").unwrap().as_str(),
        "AAAAAAAAAAAAAAA555"
    );
    assert_eq!(
        Id::new("000000000000000").unwrap().as_str(),
        "000000000000000AAA"
    );
    // Ordering and hashing are by the 18-character form.
    let a = Id::new("001000000000001").unwrap();
    let b = Id::new("001000000000002").unwrap();
    assert!(a < b);
    let set: HashSet<Id> = [a, b, Id::new(a.as_str()).unwrap()].into_iter().collect();
    assert_eq!(set.len(), 2);
}

#[test]
fn case_is_repaired_from_the_suffix() {
    for full in REAL_IDS {
        for mangled in [full.to_ascii_uppercase(), full.to_ascii_lowercase()] {
            let id = Id::new(&mangled).unwrap_or_else(|e| panic!("{mangled}: {e}"));
            assert_eq!(id.as_str(), *full, "repaired from {mangled}");
        }
    }
    assert_eq!(
        Id::new("001D000000KJ8CAAAR").unwrap().as_str(),
        "001d000000Kj8cAAAR"
    );
    // The suffix itself may come in lowercase.
    assert_eq!(
        Id::new("001d000000Kj8cAaar").unwrap().as_str(),
        "001d000000Kj8cAAAR"
    );
}

fn error(s: &str) -> IdError {
    match Id::new(s) {
        Ok(id) => panic!("{s:?} was accepted as {id}"),
        Err(e) => e,
    }
}

#[test]
fn bad_ids_are_clear_errors() {
    let e = error("001d000000Kj8c");
    assert_eq!(e.value(), "001d000000Kj8c");
    assert_eq!(
        e.to_string(),
        "`001d000000Kj8c` is not a Salesforce Id: it is 14 characters long; an Id has 15 or 18"
    );
    assert!(error("").to_string().contains("0 characters long"));
    assert!(error("001d000000Kj8cAAARX")
        .to_string()
        .contains("19 characters"));

    let e = error("001d000000Kj-cA");
    assert!(e.reason().contains("character 13 is '-'"), "{e}");
    let e = error("001d000000Kj8cé");
    assert!(e.to_string().contains("not a Salesforce Id"), "{e}");

    // A suffix asking for an uppercase digit: case repair cannot make it match.
    let e = error("001d000000Kj8cAAA5");
    assert_eq!(
        e.to_string(),
        "`001d000000Kj8cAAA5` is not a Salesforce Id: its last 3 characters `AA5` are not \
         the checksum of the first 15 (expected `AAR`)"
    );
    // Another suffix that fits the letters is read as that case, as Salesforce does.
    assert_eq!(
        Id::new("001d000000Kj8cAAAS").unwrap().as_str(),
        "001d000000kJ8cAAAS"
    );
    // Not a suffix character at all.
    assert!(error("001d000000Kj8cAAA9").reason().contains("checksum"));

    // Long junk is cut short in the message.
    let long = "x".repeat(500);
    let e = error(&long);
    assert!(e.to_string().len() < 150, "{e}");
    let boxed: Box<dyn std::error::Error> = Box::new(e);
    assert!(boxed.to_string().contains("500 characters long"));
}

#[test]
fn xml_text_reads_and_writes_the_18_character_form() {
    assert_eq!(
        Id::parse_text(" 006A000000LZhwN ").map(|id| id.to_string()),
        Some("006A000000LZhwNIAT".to_owned())
    );
    assert_eq!(Id::parse_text("nope"), None);
    let mut w = XmlWriter::new();
    Id::new("006A000000LZhwN").unwrap().write_text(&mut w);
    assert_eq!(w.as_str(), "006A000000LZhwNIAT");
    assert_eq!(Id::XSD_TYPE, "ID");
}
