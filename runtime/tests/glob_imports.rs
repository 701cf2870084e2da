//! The runtime and the partner bindings glob-import together: no generated type takes a
//! name exported at the runtime's root (the save result's `Error` is `ErrorType`, the
//! describe `Field` is `FieldDef`), and the WSDL's `ID` is the runtime's `Id`.

use sforce::partner::*;
use sforce::*;

#[test]
fn runtime_and_partner_names_do_not_clash() {
    let error: Option<Error> = None;
    let saved = SaveResult {
        errors: vec![ErrorTypeKind::ErrorType(ErrorType::default())],
        ..SaveResult::default()
    };
    let id: Option<Id> = saved.id;
    let any: Option<(Address, Location, AddressType, LocationType)> = None;
    let describe = FieldDef::default();
    // `FieldType` is both the partner enumeration and the runtime's conversion trait (which
    // users rarely name): name it by path.
    assert_eq!(describe.type_, partner::FieldType::default());
    assert!(error.is_none() && id.is_none() && any.is_none());
    assert_eq!(saved.errors.len(), 1);
}
