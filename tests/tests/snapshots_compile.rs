//! The emitter snapshots of `codegen/tests/snapshots/` compiled against the runtime, not
//! only compared as text (`codegen/tests/emit_snapshots.rs`, `emit_sobjects.rs`), and
//! exercised where they show a rule: recursion through `Box`, enumeration values,
//! `xsi:type` dispatch of derived types, and a `#[sobject]` struct.
//!
//! Each snapshot is included in a module of its own. The ones generated with the runtime
//! path `crate` (as the bindings inside the runtime are) see this test crate's root, which
//! re-exports what they name from `sforce` below.

// What the `crate::…` paths of the `_in_runtime` snapshots (and of the `#[sobject]`
// expansion with `crate = "crate"`) name: the runtime's root, as inside the runtime.
pub use sforce::*;

macro_rules! snapshot {
    ($(#[$doc:meta])* $module:ident, $file:literal) => {
        $(#[$doc])*
        #[allow(dead_code, missing_docs, unreachable_pub, clippy::all)]
        pub mod $module {
            include!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../codegen/tests/snapshots/",
                $file
            ));
        }
    };
}

snapshot!(
    /// `tooling_shape.wsdl`: fault elements typed by `fns:type`, as the Tooling WSDLs write them.
    tooling_shape,
    "tooling_shape.rs"
);

snapshot!(
    /// The metadata v66.0 WSDL with only `deploy` and `checkDeployStatus`.
    metadata_deploy_only,
    "metadata_deploy_only.rs"
);

snapshot!(
    /// `enumeration.wsdl`: enumerations, awkward names, built-in types.
    enumeration,
    "enumeration.rs"
);
snapshot!(
    /// `extension_kind.wsdl`: derived types and their `…Kind` enums, typed faults.
    extension_kind,
    "extension_kind.rs"
);
snapshot!(
    /// `headers.wsdl`: SOAP headers per operation.
    headers,
    "headers.rs"
);
snapshot!(
    /// `recursive.wsdl`: types that contain themselves.
    recursive,
    "recursive.rs"
);
snapshot!(
    /// `sobject_any.wsdl`: the partner `sObject` as the runtime's dynamic `SObject`.
    sobject_any,
    "sobject_any.rs"
);
snapshot!(
    /// The same, generated with the runtime path `crate`.
    sobject_any_in_runtime,
    "sobject_any_in_runtime.rs"
);
snapshot!(
    /// `#[sobject]` structs from the describe fixtures.
    sobjects_fixtures,
    "sobjects_fixtures.rs"
);
snapshot!(
    /// An `#[sobject]` struct generated with the runtime path `crate`.
    sobjects_custom_in_runtime,
    "sobjects_custom_in_runtime.rs"
);

use sforce::xml::{FromXml, ToXml, XmlReader, XmlWriter};

/// Reads `xml` (one element) as `T`.
fn read<T: FromXml>(xml: &str) -> T {
    let mut reader = XmlReader::new(xml.as_bytes());
    let root = reader.root().unwrap();
    let value = T::read_xml(&mut reader, &root).unwrap_or_else(|e| panic!("{xml}: {e}"));
    reader.finish().unwrap();
    value
}

/// Writes `value` as the element `tag`.
fn write<T: ToXml>(value: &T, tag: &str) -> String {
    let mut writer = XmlWriter::new();
    value.write_xml(&mut writer, tag);
    writer.into_string()
}

#[test]
fn recursive_types_read_and_write_through_boxes() {
    use recursive::Node;
    let xml = "<n><label>root</label>\
               <children><label>a</label><owner><name>Ann</name></owner></children>\
               <children><label>b</label><parent><label>root</label><owner/></parent><owner/></children>\
               <owner><name>Bo</name></owner></n>";
    let node: Node = read(xml);
    assert_eq!(node.label, "root");
    assert_eq!(node.children.len(), 2);
    assert_eq!(node.children[0].owner.name, "Ann");
    assert_eq!(
        node.children[1].parent.as_ref().map(|p| p.label.as_str()),
        Some("root")
    );
    let again: Node = read(&write(&node, "n"));
    assert_eq!(again, node, "written and read back");
}

#[test]
fn enumeration_values_and_unknown_ones() {
    use enumeration::Odd;
    assert_eq!(read::<Odd>("<v>1.0</v>"), Odd::V10);
    assert_eq!(read::<Odd>("<v>10</v>"), Odd::V102);
    assert_eq!(read::<Odd>("<v></v>"), Odd::Empty);
    let unknown = read::<Odd>("<v>newer</v>");
    assert_eq!(
        write(&unknown, "v"),
        "<v>newer</v>",
        "an unknown value is kept"
    );
    assert_eq!(write(&Odd::OtherValue, "v"), "<v>Other</v>");
}

#[test]
fn derived_types_dispatch_on_xsi_type() {
    use extension_kind::ShapeKind;
    let xsi = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";
    let circle: ShapeKind = read(&format!("<s {xsi} xsi:type=\"Circle\"><name>c</name></s>"));
    assert_eq!(circle.type_name(), "Circle");
    assert_eq!(circle.name(), "c");
    let plain: ShapeKind = read(&format!("<s {xsi}><name>p</name></s>"));
    assert_eq!(plain.type_name(), "Shape");
    let square: ShapeKind = read(&format!("<s {xsi} xsi:type=\"Square\"><name>q</name></s>"));
    assert_eq!(square.type_name(), "Square");
    assert!(
        write(&square, "s").contains("Square"),
        "the writer names the type"
    );
}

#[test]
fn services_describe_themselves() {
    assert_eq!(enumeration::SERVICE.name, "EnumService");
    assert_eq!(extension_kind::SERVICE.name, "ShapeService");
    assert_eq!(headers::SERVICE.name, "HeaderService");
    assert_eq!(recursive::SERVICE.name, "TreeService");
    assert_eq!(sobject_any::SERVICE.name, "SforceService");
    assert_eq!(sobject_any_in_runtime::SERVICE.name, "SforceService");
}

#[test]
fn sobject_structs_convert_through_the_dynamic_sobject() {
    use sforce::{SObject, SObjectType, WriteFor};
    use sobjects_custom_in_runtime::CustomC;
    assert_eq!(CustomC::NAME, "Custom__c");
    let mut record = SObject::new("Custom__c");
    record.set("Name", "thing").set("CustomField__c", "value");
    let typed = CustomC::from_sobject(record).unwrap();
    assert_eq!(typed.name, Field::Value("thing".to_owned()));
    assert_eq!(typed.custom_field_c, Field::Value("value".to_owned()));
    assert!(typed.id.is_absent());
    let back = typed.to_sobject(WriteFor::Create).unwrap();
    assert_eq!(back.get_str("CustomField__c").unwrap(), Some("value"));
    let mut read_only = typed.clone();
    read_only.id = Field::Value(Id::new("a0B5000000AbCdE").unwrap());
    assert!(
        read_only.to_sobject(WriteFor::Create).is_err(),
        "the Id is not createable"
    );
    assert_eq!(sobjects_fixtures::Account::NAME, "Account");
}

/// The snapshots included above; a test checks the list against the folder.
const INCLUDED: &[&str] = &[
    "enumeration.rs",
    "extension_kind.rs",
    "headers.rs",
    "metadata_deploy_only.rs",
    "recursive.rs",
    "sobject_any.rs",
    "sobject_any_in_runtime.rs",
    "sobjects_custom_in_runtime.rs",
    "sobjects_fixtures.rs",
    "tooling_shape.rs",
];

#[test]
fn every_snapshot_is_compiled() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../codegen/tests/snapshots");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".rs"))
        .collect();
    on_disk.sort();
    assert_eq!(
        on_disk, INCLUDED,
        "codegen/tests/snapshots/ and this file differ: include each new snapshot with `snapshot!`"
    );
}
