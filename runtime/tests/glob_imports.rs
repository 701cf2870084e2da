//! The runtime and the partner bindings glob-import together: no generated type takes a
//! name exported at the runtime's root (the save result's `Error` is `ErrorType`).

use sforce::partner::*;
use sforce::*;

#[test]
fn runtime_and_partner_names_do_not_clash() {
    let error: Option<Error> = None;
    let saved = SaveResult {
        errors: vec![ErrorType::default()],
        ..SaveResult::default()
    };
    let id: Option<Id> = None;
    let any: Option<(Address, Location, AddressType, LocationType, IdType)> = None;
    assert!(error.is_none() && id.is_none() && any.is_none());
    assert_eq!(saved.errors.len(), 1);
}
