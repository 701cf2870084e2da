//! The readers on hostile input, all of it built here: XML that is expensive to parse
//! (many attributes, many namespace declarations), envelopes nested deep enough to
//! overflow a small stack. Each must end in an error naming the place, quickly.

use std::path::Path;
use std::time::{Duration, Instant};

use sforce_codegen::model::{QName, Service};
use sforce_codegen::xml::{MAX_ATTRIBUTES, MAX_NAMESPACES_IN_SCOPE};
use sforce_codegen::{describe, wsdl, Error};

/// `(file, line, column, message)` of an `Error::Invalid`.
fn invalid<T>(result: Result<T, Error>) -> (String, u32, u32, String) {
    match result {
        Err(Error::Invalid {
            file,
            line,
            column,
            message,
        }) => (file, line, column, message),
        Err(other) => panic!("expected Error::Invalid, got {other}"),
        Ok(_) => panic!("expected Error::Invalid, got Ok"),
    }
}

/// ` a0="v" a1="v" …`
fn attributes(n: usize) -> String {
    (0..n).map(|i| format!(" a{i}=\"v\"")).collect()
}

/// ` xmlns:p0="urn:p0" …`
fn namespaces(n: usize) -> String {
    (0..n)
        .map(|i| format!(" xmlns:p{i}=\"urn:p{i}\""))
        .collect()
}

/// Fails when `f` takes longer than `limit` (in a debug build; generous on purpose: the
/// unguarded parse of these inputs takes minutes).
fn quickly<T>(limit: Duration, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < limit, "took {took:?}, more than {limit:?}");
    out
}

#[test]
fn forty_thousand_attributes_on_one_element_are_refused_at_once() {
    // The 430 KB case: 40,000 attributes on the root of a WSDL.
    let text = format!(
        "<?xml version=\"1.0\"?>\n<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\"{}/>",
        attributes(40_000)
    );
    assert!(text.len() > 400_000);
    let (file, line, column, message) = quickly(Duration::from_secs(2), || {
        invalid(wsdl::parse_str(&text, "big.wsdl"))
    });
    assert_eq!((file.as_str(), line, column), ("big.wsdl", 2, 1));
    assert!(
        message.contains("element <definitions> has more than 64 attributes"),
        "{message}"
    );
}

#[test]
fn a_hundred_thousand_namespace_declarations_are_refused_at_once() {
    let text = format!(
        "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\"{}/>",
        namespaces(100_000)
    );
    let (_, line, column, message) = quickly(Duration::from_secs(2), || {
        invalid(wsdl::parse_str(&text, "ns.wsdl"))
    });
    assert_eq!((line, column), (1, 1));
    assert!(
        message.contains("element <definitions> has more than 32 namespace prefixes in scope"),
        "{message}"
    );

    // Namespace declarations also count as attributes.
    let text = format!(
        "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\"{}{}/>",
        namespaces(MAX_NAMESPACES_IN_SCOPE - 1),
        attributes(MAX_ATTRIBUTES - MAX_NAMESPACES_IN_SCOPE + 1)
    );
    let (_, _, _, message) = invalid(wsdl::parse_str(&text, "ns.wsdl"));
    assert!(message.contains("more than 64 attributes"), "{message}");

    let text = format!(
        "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\">\n  <types{}/></definitions>",
        namespaces(MAX_NAMESPACES_IN_SCOPE)
    );
    let (_, line, column, message) = invalid(wsdl::parse_str(&text, "ns.wsdl"));
    assert_eq!((line, column), (2, 3));
    assert!(
        message.contains("element <types> has more than 32 namespace prefixes in scope"),
        "{message}"
    );
}

#[test]
fn nested_namespace_declarations_are_bounded_in_scope() {
    // Each level declares a new prefix: roxmltree copies every prefix in scope into every
    // element that declares one, cubic in the depth without a bound.
    let depth = 2_000;
    let mut text = String::new();
    for i in 0..depth {
        text.push_str(&format!("<e xmlns:p{i}=\"urn:x\">"));
    }
    text.push_str(&"</e>".repeat(depth));
    let (_, line, column, message) = quickly(Duration::from_secs(2), || {
        invalid(wsdl::parse_str(&text, "deep.wsdl"))
    });
    let at = text
        .match_indices("<e ")
        .nth(MAX_NAMESPACES_IN_SCOPE)
        .map(|(i, _)| i)
        .unwrap_or_default();
    assert_eq!((line, column as usize), (1, at + 1));
    assert!(message.contains("namespace prefixes in scope"), "{message}");
}

#[test]
fn every_reader_applies_the_limits() {
    let element = format!("<x{}/>", attributes(MAX_ATTRIBUTES + 1));
    let dump = format!("<describeSObjectResult>{element}</describeSObjectResult>");
    let (file, _, _, message) = invalid(describe::read_str(&dump, Path::new("Thing.xml")));
    assert_eq!(file, "Thing.xml");
    assert!(message.contains("element <x> has more than"), "{message}");
}

#[test]
fn elements_at_the_limits_everywhere_still_read() {
    // Just under the limits on every element: accepted, and the work stays linear.
    let mut text = format!(
        "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\"{}>",
        namespaces(MAX_NAMESPACES_IN_SCOPE - 1)
    );
    let element = format!("<documentation{}/>", attributes(MAX_ATTRIBUTES));
    while text.len() < 2_000_000 {
        text.push_str(&element);
    }
    text.push_str("</definitions>");
    let service = quickly(Duration::from_secs(20), || {
        wsdl::parse_str(&text, "wide.wsdl").unwrap_or_else(|e| panic!("{e}"))
    });
    assert!(service.operations.is_empty());
}

#[test]
fn dtds_stay_refused() {
    let text = "<!DOCTYPE definitions [<!ENTITY a \"aaaaaaaaaa\">]><definitions>&a;</definitions>";
    let err = wsdl::parse_str(text, "dtd.wsdl").unwrap_err();
    assert!(matches!(err, Error::Xml { .. }), "{err:?}");
    assert!(err.to_string().contains("dtd.wsdl:"), "{err}");
}

/// A WSDL with one schema (`urn:t`, prefix `tns`) holding `schema`, and no operations.
fn schema_wsdl(schema: &str) -> String {
    format!(
        "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\" \
         xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:tns=\"urn:t\" targetNamespace=\"urn:t\">\n\
         <types>\n<xsd:schema targetNamespace=\"urn:t\" elementFormDefault=\"qualified\">\n{schema}\n\
         </xsd:schema>\n</types>\n</definitions>\n"
    )
}

/// `<complexType name>` extending `base` with one element `field`.
fn extending(name: &str, base: &str, field: &str) -> String {
    format!(
        "<xsd:complexType name=\"{name}\"><xsd:complexContent><xsd:extension base=\"tns:{base}\">\
         <xsd:sequence><xsd:element name=\"{field}\" type=\"xsd:string\"/></xsd:sequence>\
         </xsd:extension></xsd:complexContent></xsd:complexType>"
    )
}

#[test]
fn a_type_extending_itself_is_an_error_at_the_type() {
    let text = schema_wsdl(&extending("A", "A", "a"));
    let (file, line, column, message) = invalid(wsdl::parse_str(&text, "self.wsdl"));
    assert_eq!((file.as_str(), line, column), ("self.wsdl", 4, 1));
    assert_eq!(
        message,
        "complexType \"A\" extends \"A\": the extension chain is a cycle"
    );
}

#[test]
fn extension_cycles_of_any_length_are_errors_naming_the_cycle() {
    let text = schema_wsdl(&format!(
        "{}\n{}",
        extending("A", "B", "a"),
        extending("B", "A", "b")
    ));
    let (_, line, column, message) = invalid(wsdl::parse_str(&text, "ab.wsdl"));
    // B closes the cycle that starts at A.
    assert_eq!((line, column), (5, 1));
    assert_eq!(
        message,
        "complexType \"A\" extends \"B\" extends \"A\": the extension chain is a cycle"
    );

    // A long cycle, declared in reverse order, reached from a type outside it.
    let n = 500;
    let mut schema = extending("Outside", "T0", "o");
    for i in (0..n).rev() {
        schema.push('\n');
        schema.push_str(&extending(
            &format!("T{i}"),
            &format!("T{}", (i + 1) % n),
            "x",
        ));
    }
    let text = schema_wsdl(&schema);
    let (_, _, _, message) = quickly(Duration::from_secs(5), || {
        invalid(wsdl::parse_str(&text, "long.wsdl"))
    });
    assert!(
        message.starts_with(
            "complexType \"T0\" extends \"T1\" extends \"T2\" extends \"T3\" extends \"T4\" \
             extends \"T5\" extends … (500 types in all) … extends \"T499\" extends \"T0\""
        ),
        "{message}"
    );
    assert!(
        message.ends_with("extends \"T0\": the extension chain is a cycle"),
        "{message}"
    );
}

#[test]
fn base_chains_end_on_a_cyclic_model_built_by_hand() {
    use sforce_codegen::model::{ComplexType, QName, TypeOrigin};
    let q = |name: &str| QName::new("urn:t", name);
    let mut service = Service::default();
    for (name, base) in [("A", "B"), ("B", "C"), ("C", "A"), ("D", "A")] {
        service.complex_types.insert(
            q(name),
            ComplexType {
                name: q(name),
                base: Some(q(base)),
                fields: Vec::new(),
                any: None,
                origin: TypeOrigin::Named,
                documentation: None,
            },
        );
    }
    let chain: Vec<&str> = service
        .base_chain(&q("D"))
        .map(|t| t.name.name.as_str())
        .collect();
    assert_eq!(chain, ["D", "A", "B", "C"]);
    assert!(service.extends(&q("D"), &q("C")));
    assert!(!service.extends(&q("A"), &q("D")));
    assert!(service.all_fields(&q("A")).is_empty());
    assert_eq!(service.descendants(&q("A")).len(), 3);
    let cycle: Vec<&str> = service
        .extension_cycle()
        .expect("a cycle")
        .iter()
        .map(|q| q.name.as_str())
        .collect();
    assert_eq!(cycle, ["A", "B", "C"]);
    let err = sforce_codegen::emit::generate_tokens(&service, &Default::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("\"A\" extends \"B\" extends \"C\" extends \"A\""),
        "{err}"
    );
}

#[test]
fn an_element_declared_twice_in_one_sequence_is_an_error_at_the_second() {
    let text = schema_wsdl(
        "<xsd:complexType name=\"Pair\"><xsd:sequence>\n\
         <xsd:element name=\"left\" type=\"xsd:string\"/>\n\
         <xsd:element name=\"right\" type=\"xsd:string\"/>\n\
         <xsd:element name=\"left\" type=\"xsd:int\"/>\n\
         </xsd:sequence></xsd:complexType>",
    );
    let (file, line, column, message) = invalid(wsdl::parse_str(&text, "pair.wsdl"));
    assert_eq!((file.as_str(), line, column), ("pair.wsdl", 7, 1));
    assert!(
        message.starts_with(
            "complexType \"Pair\": element \"left\" is declared twice in one sequence (first on \
             line 5, column 1)"
        ),
        "{message}"
    );

    // The same in the sequence of an extension, and through `ref`.
    let text = schema_wsdl(
        "<xsd:element name=\"shared\" type=\"xsd:string\"/>\
         <xsd:complexType name=\"Base\"><xsd:sequence/></xsd:complexType>\
         <xsd:complexType name=\"Derived\"><xsd:complexContent><xsd:extension base=\"tns:Base\">\
         <xsd:sequence><xsd:element ref=\"tns:shared\"/><xsd:element name=\"shared\" type=\"xsd:int\"/>\
         </xsd:sequence></xsd:extension></xsd:complexContent></xsd:complexType>",
    );
    let (_, _, _, message) = invalid(wsdl::parse_str(&text, "ref.wsdl"));
    assert!(
        message.starts_with("complexType \"Derived\": element \"shared\" is declared twice"),
        "{message}"
    );
}

#[test]
fn a_derived_type_may_still_redeclare_a_base_element() {
    let text = schema_wsdl(
        "<xsd:complexType name=\"Base\"><xsd:sequence><xsd:element name=\"id\" type=\"xsd:string\"/>\
         </xsd:sequence></xsd:complexType>\n{}",
    )
    .replace("{}", &extending("Derived", "Base", "id"));
    let service = wsdl::parse_str(&text, "redeclare.wsdl").unwrap_or_else(|e| panic!("{e}"));
    let derived = QName::new("urn:t", "Derived");
    assert_eq!(service.all_fields(&derived).len(), 2);
    let code = sforce_codegen::emit::generate_source(&service, &Default::default())
        .unwrap_or_else(|e| panic!("{e}"));
    // One Rust field for both declarations (the documented rule).
    let start = code.find("pub struct Derived {").expect("struct Derived");
    let body = &code[start..start + code[start..].find("\n}").unwrap_or_default()];
    assert_eq!(body.matches("pub id:").count(), 1, "{body}");
}

/// A REST describe of `name` with `fields` (each `(name, type)` plus extra members) and
/// `children` (relationship names of children that are the object itself).
fn rest_dump(name: &str, fields: &[serde_json::Value], children: &[&str]) -> String {
    let children: Vec<serde_json::Value> = children
        .iter()
        .map(|r| serde_json::json!({"childSObject": name, "field": "Parent__c", "relationshipName": r}))
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "name": name,
        "custom": true,
        "createable": true,
        "updateable": true,
        "queryable": true,
        "fields": fields,
        "childRelationships": children,
    }))
    .unwrap_or_default()
}

fn field(name: &str, ty: &str) -> serde_json::Value {
    serde_json::json!({"name": name, "type": ty, "createable": true, "updateable": true, "nillable": true})
}

fn picklist(name: &str, values: &[&str]) -> serde_json::Value {
    let values: Vec<serde_json::Value> = values
        .iter()
        .map(|v| serde_json::json!({"value": v, "active": true}))
        .collect();
    let mut f = field(name, "picklist");
    f["picklistValues"] = serde_json::Value::Array(values);
    f
}

fn reference(name: &str, to: &str, relationship: &str) -> serde_json::Value {
    let mut f = field(name, "reference");
    f["referenceTo"] = serde_json::json!([to]);
    f["relationshipName"] = serde_json::json!(relationship);
    f
}

#[test]
fn a_field_listed_twice_in_a_json_dump_is_an_error_at_both_places() {
    let text = rest_dump(
        "Thing__c",
        &[
            field("Id", "id"),
            field("Name", "string"),
            field("Name", "string"),
        ],
        &[],
    );
    let (file, line, column, message) =
        invalid(describe::read_str(&text, Path::new("Thing__c.json")));
    let second = text
        .match_indices("{\n      \"createable\"")
        .nth(2)
        .map(|(i, _)| i);
    let first = text
        .match_indices("{\n      \"createable\"")
        .nth(1)
        .map(|(i, _)| i);
    let pos = |at: Option<usize>| {
        let before = &text[..at.unwrap_or_default()];
        (
            before.matches('\n').count() as u32 + 1,
            before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1,
        )
    };
    assert_eq!(file, "Thing__c.json");
    assert_eq!((line, column), pos(second));
    let (first_line, first_column) = pos(first);
    assert_eq!(
        message,
        format!(
            "field `Name` of sObject `Thing__c` is listed twice (first on line {first_line}, \
             column {first_column}); API names are unique, so the dump is damaged: remove one"
        )
    );

    // The same inside the `sf` wrapper, for a picklist value and a child relationship.
    let wrapped = format!(
        "{{\"status\": 0, \"result\": {}}}",
        rest_dump(
            "Thing__c",
            &[field("Id", "id"), picklist("Stage__c", &["a", "b", "a"])],
            &[]
        )
    );
    let (_, line, _, message) = invalid(describe::read_str(&wrapped, Path::new("w.json")));
    assert!(line > 1, "{line}");
    assert!(
        message.starts_with("picklist value `a` of `Thing__c.Stage__c` is listed twice"),
        "{message}"
    );
    let text = rest_dump("Thing__c", &[field("Id", "id")], &["Kids", "Kids"]);
    let (_, _, _, message) = invalid(describe::read_str(&text, Path::new("c.json")));
    assert!(
        message.starts_with("child relationship `Kids` of sObject `Thing__c` is listed twice"),
        "{message}"
    );
}

#[test]
fn a_field_listed_twice_in_an_xml_dump_is_an_error_at_both_places() {
    let field = |name: &str| format!("<fields><name>{name}</name><type>string</type></fields>\n");
    let text = format!(
        "<describeSObjectResult>\n<name>Thing__c</name>\n{}{}{}</describeSObjectResult>",
        field("Id"),
        field("Type"),
        field("Type")
    );
    let (file, line, column, message) =
        invalid(describe::read_str(&text, Path::new("Thing__c.xml")));
    assert_eq!((file.as_str(), line, column), ("Thing__c.xml", 5, 1));
    assert!(
        message.starts_with(
            "field `Type` of sObject `Thing__c` is listed twice (first on line 4, column 1)"
        ),
        "{message}"
    );
    // Names that differ only in case are two fields.
    let text = text.replacen("<name>Type</name>", "<name>type</name>", 1);
    let objects =
        describe::read_str(&text, Path::new("Thing__c.xml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(objects[0].fields.len(), 3);
    assert_eq!(
        objects[0].field("Type").map(|f| f.name.as_str()),
        Some("Type")
    );
    assert_eq!(
        objects[0].field("type").map(|f| f.name.as_str()),
        Some("type")
    );
    assert_eq!(
        objects[0].field("TYPE").map(|f| f.name.as_str()),
        Some("type")
    );

    let picklist = "<fields><name>Stage</name><type>picklist</type>\
        <picklistValues><value>a</value></picklistValues>\n<picklistValues><value>a</value></picklistValues></fields>";
    let text = format!("<describeSObjectResult><name>T</name>{picklist}</describeSObjectResult>");
    let (_, line, _, message) = invalid(describe::read_str(&text, Path::new("p.xml")));
    assert_eq!(line, 2);
    assert!(
        message.starts_with("picklist value `a` of `T.Stage` is listed twice"),
        "{message}"
    );
}

/// Every `#[sobject(field = "…")]` with the Rust name of its field, per struct, from
/// generated code.
fn rust_names(code: &str) -> Vec<(String, Vec<(String, String)>)> {
    let file: syn::File = syn::parse_str(code).unwrap_or_else(|e| panic!("{e}\n{code}"));
    let mut out = Vec::new();
    for item in file.items {
        let syn::Item::Struct(s) = item else { continue };
        let mut fields = Vec::new();
        for f in &s.fields {
            let mut api = String::new();
            for attr in &f.attrs {
                if attr.path().is_ident("sobject") {
                    let _ = attr.parse_nested_meta(|meta| {
                        if meta.path.is_ident("field") {
                            api = meta.value()?.parse::<syn::LitStr>()?.value();
                        } else {
                            let _ = meta.value()?.parse::<syn::Expr>()?;
                        }
                        Ok(())
                    });
                }
            }
            let ident = f
                .ident
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            fields.push((ident, api));
        }
        out.push((s.ident.to_string(), fields));
    }
    out
}

/// The hostile collision set: API names that differ only in case or meet after Rust
/// naming, and non-ASCII names.
fn colliding_dumps(dir: &Path) {
    let collide = rest_dump(
        "Collide__c",
        &[
            field("Id", "id"),
            field("type", "string"),
            picklist(
                "Type",
                &["hot", "Hot", "Café", "名前", "\u{1F600}", "\u{10FFFF}"],
            ),
            field("My_Field__c", "string"),
            field("MyField__c", "double"),
            field("Parent_r", "string"),
            reference("Parent__c", "Collide__c", "Parent__r"),
            field("Café__c", "string"),
            field("名前__c", "boolean"),
        ],
        &["Children", "children"],
    );
    std::fs::write(dir.join("Collide__c.json"), collide).unwrap_or_else(|e| panic!("{e}"));
    let unicode = rest_dump(
        "Ünïcode__c",
        &[field("Id", "id"), field("Größe", "string")],
        &[],
    );
    std::fs::write(dir.join("Unicode.json"), unicode).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn colliding_and_non_ascii_describe_names_get_distinct_readable_rust_names() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    colliding_dumps(dir.path());
    let schema = describe::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let generate = || {
        sforce_codegen::emit::generate_sobjects_source(
            &schema,
            &Default::default(),
            &Default::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let code = generate();
    assert_eq!(code, generate(), "deterministic");
    let structs = rust_names(&code);
    let pairs = |name: &str| -> Vec<(String, String)> {
        structs
            .iter()
            .find(|(s, _)| s == name)
            .map(|(_, f)| f.clone())
            .unwrap_or_else(|| panic!("no struct {name} in\n{code}"))
    };
    let expect = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    assert_eq!(
        pairs("CollideC"),
        expect(&[
            ("id", "Id"),
            ("type_", "type"),
            ("type_2", "Type"),
            ("my_field_c", "My_Field__c"),
            ("my_field_c_2", "MyField__c"),
            ("parent_r", "Parent_r"),
            ("parent_c", "Parent__c"),
            ("parent_r_2", "Parent__r"),
            ("cafe_c", "Café__c"),
            ("ming_qian_c", "名前__c"),
            ("children", "Children"),
            ("children_2", "children"),
        ])
    );
    assert_eq!(
        pairs("UnicodeC"),
        expect(&[("id", "Id"), ("grosse", "Größe")])
    );
    // Picklist values: numbered on collision, transliterated, spelled when unreadable.
    for variant in [
        "Hot = \"hot\"",
        "Hot2 = \"Hot\"",
        "Cafe = \"Café\"",
        "MingQian = \"名前\"",
        "Grinning = \"\u{1F600}\"",
        // (A noncharacter: written escaped.)
        "U10ffff = \"\\u{10ffff}\"",
    ] {
        assert!(code.contains(variant), "{variant} in\n{code}");
    }

    // With the describe check of #[sobject] on (as in a crate whose Cargo.toml points at
    // the dumps), every generated struct expands without an error.
    let ctx = sforce_codegen::macros::MacroContext {
        manifest_dir: None,
        describe_env: Some(dir.path().display().to_string()),
        describe_required: false,
    };
    let file: syn::File = syn::parse_str(&code).unwrap_or_else(|e| panic!("{e}"));
    let mut expanded = 0;
    for item in file.items {
        let syn::Item::Struct(mut s) = item else {
            continue;
        };
        let Some(at) = s.attrs.iter().position(|a| {
            a.path()
                .segments
                .last()
                .is_some_and(|seg| seg.ident == "sobject")
        }) else {
            continue;
        };
        let attr = s.attrs.remove(at);
        let args = match attr.meta {
            syn::Meta::List(list) => list.tokens,
            other => panic!("unexpected attribute {}", quote::quote!(#other)),
        };
        let out = sforce_codegen::macros::expand_sobject(args, quote::quote!(#s), &ctx).to_string();
        assert!(!out.contains("compile_error"), "{}: {out}", s.ident);
        expanded += 1;
    }
    assert_eq!(expanded, 2);
}

#[test]
fn a_hand_built_schema_with_a_repeated_field_is_an_error() {
    use sforce_codegen::describe::{FieldDescribe, SObjectDescribe, Schema};
    let mut schema = Schema::new();
    let f = FieldDescribe {
        name: "Name".into(),
        ..Default::default()
    };
    schema.insert(SObjectDescribe {
        name: "Thing__c".into(),
        fields: vec![f.clone(), f],
        ..Default::default()
    });
    let err = sforce_codegen::emit::generate_sobjects_source(
        &schema,
        &Default::default(),
        &Default::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("field `Name` of sObject `Thing__c` is listed twice"),
        "{err}"
    );
}

#[test]
fn the_sobject_check_tells_type_from_type_by_spelling() {
    // `type` is a boolean and `Type` text: each struct field must be checked against its
    // own describe field, not the first one that matches ignoring case.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dump = rest_dump(
        "Thing__c",
        &[
            field("Id", "id"),
            field("type", "boolean"),
            field("Type", "string"),
        ],
        &[],
    );
    std::fs::write(dir.path().join("Thing__c.json"), dump).unwrap_or_else(|e| panic!("{e}"));
    let ctx = sforce_codegen::macros::MacroContext {
        manifest_dir: None,
        describe_env: Some(dir.path().display().to_string()),
        describe_required: false,
    };
    let item = quote::quote! {
        struct Thing {
            #[sobject(field = "type")]
            type_: Field<bool>,
            #[sobject(field = "Type")]
            type_2: Field<String>,
        }
    };
    let out = sforce_codegen::macros::expand_sobject(quote::quote!(name = "Thing__c"), item, &ctx)
        .to_string();
    assert!(!out.contains("compile_error"), "{out}");
}
