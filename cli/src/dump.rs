//! The describe dump files `cargo sforce describe` writes, and how two of them differ.
//!
//! One file per sObject, `DIR/<Name>.xml`: the partner `DescribeSObjectResult` as the
//! generated [`sforce::partner::DescribeSObjectResult`] writes it, pretty-printed with
//! 2-space indentation, one element per line, a trailing newline:
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <describeSObjectResult xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
//!   <activateable>false</activateable>
//!   ...
//!   <fields>
//!     <aggregatable>true</aggregatable>
//!     ...
//!   </fields>
//! </describeSObjectResult>
//! ```
//!
//! The order is stable, so dumps diff well in review: `fields` sorted by name,
//! `childRelationships` by (childSObject, field, relationshipName); everything else as the
//! server sent it (picklist order is meaningful).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use quick_xml::events::Event;
use sforce::partner::DescribeSObjectResult;
use sforce::xml::{FromXml, ToXml, XmlReader, XmlWriter};

/// The namespace of the partner API, the dump's default namespace.
pub const PARTNER_NS: &str = "urn:partner.soap.sforce.com";
/// The XML Schema instance namespace (`xsi:nil`, `xsi:type`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// The root element of a dump.
pub const ROOT: &str = "describeSObjectResult";

/// The tag the generated writer is given: the partner types write their children with the
/// `p:` prefix, which the pretty printer drops (the dump's default namespace is partner).
const PREFIXED_ROOT: &str = "p:describeSObjectResult";

/// Sorts what the dump keeps in a stable order: fields by name, child relationships by
/// (childSObject, field, relationshipName).
pub fn sort(result: &mut DescribeSObjectResult) {
    result.fields.sort_by(|a, b| a.name.cmp(&b.name));
    result.child_relationships.sort_by(|a, b| {
        (&a.child_s_object, &a.field, a.relationship_name.as_deref()).cmp(&(
            &b.child_s_object,
            &b.field,
            b.relationship_name.as_deref(),
        ))
    });
}

/// The dump file contents for one sObject (sorted copy of `result`, pretty-printed, with a
/// trailing newline).
pub fn render(result: &DescribeSObjectResult) -> Result<String, String> {
    let mut sorted = result.clone();
    sort(&mut sorted);
    let mut writer = XmlWriter::with_capacity(64 * 1024);
    sorted.write_xml(&mut writer, PREFIXED_ROOT);
    pretty(writer.as_str())
}

/// Reads a dump (or any document whose root is a `describeSObjectResult`, by local name).
pub fn parse(text: &str) -> Result<DescribeSObjectResult, sforce::Error> {
    let mut reader = XmlReader::new(text.as_bytes());
    let root = reader.root()?;
    if root.local_name() != ROOT.as_bytes() {
        return Err(reader.error_at(
            root.offset(),
            format!(
                "the root element is <{}>, not <{ROOT}>",
                String::from_utf8_lossy(root.qualified_name())
            ),
        ));
    }
    DescribeSObjectResult::read_xml(&mut reader, &root)
}

/// Re-indents the compact XML the runtime's writer produced: the `p:` prefix dropped, the
/// root given the partner and `xsi` namespace declarations, one element per line, 2 spaces
/// per level, an XML declaration first and a newline last.
fn pretty(compact: &str) -> Result<String, String> {
    let mut out = String::with_capacity(compact.len() * 2);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let mut reader = quick_xml::Reader::from_str(compact);
    let mut depth = 0usize;
    // A start tag not yet written: it is written on one line with its text when the end
    // tag follows, or on a line of its own when a child follows.
    let mut pending: Option<String> = None;
    let mut text = String::new();
    let indent = |out: &mut String, depth: usize| {
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("the writer produced malformed XML: {e}"))?;
        match event {
            Event::Start(start) => {
                if let Some(open) = pending.take() {
                    indent(&mut out, depth - 1);
                    out.push_str(&open);
                    out.push('\n');
                }
                check_no_text(&text)?;
                let qname = start.name();
                let name = local(qname.as_ref())?;
                let open = if depth == 0 {
                    format!("<{ROOT} xmlns=\"{PARTNER_NS}\" xmlns:xsi=\"{XSI_NS}\">")
                } else {
                    format!("<{name}{}>", start.attributes_raw())
                };
                pending = Some(open);
                depth += 1;
            }
            Event::Empty(start) => {
                if let Some(open) = pending.take() {
                    indent(&mut out, depth - 1);
                    out.push_str(&open);
                    out.push('\n');
                }
                check_no_text(&text)?;
                let qname = start.name();
                let name = local(qname.as_ref())?;
                indent(&mut out, depth);
                out.push_str(&format!("<{name}{}/>\n", start.attributes_raw()));
            }
            Event::End(end) => {
                let qname = end.name();
                let name = local(qname.as_ref())?;
                let name = if depth == 1 { ROOT } else { name };
                depth = depth
                    .checked_sub(1)
                    .ok_or("the writer produced an unbalanced end tag")?;
                indent(&mut out, depth);
                match pending.take() {
                    Some(open) => {
                        out.push_str(&open);
                        out.push_str(&text);
                    }
                    None => check_no_text(&text)?,
                }
                text.clear();
                out.push_str(&format!("</{name}>\n"));
            }
            // Text stays escaped exactly as the writer escaped it.
            Event::Text(t) => text.push_str(&t),
            Event::GeneralRef(r) => {
                text.push('&');
                text.push_str(&r);
                text.push(';');
            }
            Event::Eof => break,
            other => return Err(format!("the writer produced unexpected markup: {other:?}")),
        }
    }
    if depth != 0 {
        return Err("the writer produced an unclosed element".to_owned());
    }
    Ok(out)
}

/// The element name without its `p:` prefix; other prefixes would be undeclared in a dump.
fn local(name: &str) -> Result<&str, String> {
    match name.split_once(':') {
        None => Ok(name),
        Some(("p", local)) => Ok(local),
        Some(_) => Err(format!(
            "the element <{name}> has a prefix a describe dump does not declare"
        )),
    }
}

/// Text between elements: the writer writes none, and a dump keeps none.
fn check_no_text(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        Ok(())
    } else {
        Err(format!("the writer produced mixed content: {text:?}"))
    }
}

/// How a dump on disk differs from what the org describes now, by field name and by
/// top-level element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DumpDiff {
    /// Fields the org has and the dump lacks.
    pub fields_added: Vec<String>,
    /// Fields the dump has and the org no longer has.
    pub fields_removed: Vec<String>,
    /// Fields in both whose describe differs (type, length, picklist values, …).
    pub fields_changed: Vec<String>,
    /// Other top-level elements that differ (`childRelationships`, `label`, …).
    pub other: Vec<String>,
}

impl DumpDiff {
    /// Nothing differs in content (the files may still differ in formatting).
    pub fn is_empty(&self) -> bool {
        self.fields_added.is_empty()
            && self.fields_removed.is_empty()
            && self.fields_changed.is_empty()
            && self.other.is_empty()
    }
}

impl fmt::Display for DumpDiff {
    /// One line per kind of difference, each `fields added in the org: A, B`, joined by
    /// `; ` (`formatting only` when nothing differs in content).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        let mut part = |what: &str, names: &[String]| {
            if !names.is_empty() {
                parts.push(format!("{what}: {}", names.join(", ")));
            }
        };
        part("fields added in the org", &self.fields_added);
        part("fields removed from the org", &self.fields_removed);
        part("fields changed", &self.fields_changed);
        part("other elements changed", &self.other);
        if parts.is_empty() {
            f.write_str("formatting only")
        } else {
            f.write_str(&parts.join("; "))
        }
    }
}

/// Compares two rendered dumps ([`render`] output): `old` on disk, `new` from the org.
pub fn diff(old: &str, new: &str) -> DumpDiff {
    let old = blocks(old);
    let new = blocks(new);
    let old_fields = fields(&old);
    let new_fields = fields(&new);
    let mut result = DumpDiff::default();
    for (name, block) in &new_fields {
        match old_fields.get(name) {
            None => result.fields_added.push(name.clone()),
            Some(old_block) if old_block != block => result.fields_changed.push(name.clone()),
            Some(_) => {}
        }
    }
    for name in old_fields.keys() {
        if !new_fields.contains_key(name) {
            result.fields_removed.push(name.clone());
        }
    }
    let group = |blocks: &[(String, String)]| {
        let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, block) in blocks.iter().filter(|(name, _)| name != "fields") {
            by_name.entry(name.clone()).or_default().push(block.clone());
        }
        by_name
    };
    let old_groups = group(&old);
    let new_groups = group(&new);
    let names: BTreeSet<&String> = old_groups.keys().chain(new_groups.keys()).collect();
    for name in names {
        if old_groups.get(name) != new_groups.get(name) {
            result.other.push(name.clone());
        }
    }
    result
}

/// The top-level elements of a rendered dump: (local name, its lines).
fn blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("  ") else {
            continue; // the declaration and the root's tags
        };
        let starts_element = rest.starts_with('<') && !rest.starts_with("</");
        if starts_element {
            let name: String = rest[1..]
                .chars()
                .take_while(|c| !matches!(c, ' ' | '>' | '/'))
                .collect();
            blocks.push((name, String::new()));
        }
        if let Some((_, block)) = blocks.last_mut() {
            block.push_str(line);
            block.push('\n');
        }
    }
    blocks
}

/// The `fields` blocks by the field's name.
fn fields(blocks: &[(String, String)]) -> BTreeMap<String, String> {
    blocks
        .iter()
        .filter(|(name, _)| name == "fields")
        .map(|(_, block)| {
            let name = block
                .lines()
                .find_map(|line| {
                    line.strip_prefix("    <name>")
                        .and_then(|rest| rest.strip_suffix("</name>"))
                })
                .unwrap_or_default()
                .to_owned();
            (name, block.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    // The describe `Field` is `FieldDef` (`Field` is the runtime's).
    use sforce::partner::{ChildRelationship, FieldDef as Field, FieldType, PicklistEntry};
    use sforce::AnyValue;

    fn field(name: &str) -> Field {
        Field {
            name: name.to_owned(),
            label: format!("{name} <label> & \"more\""),
            type_: FieldType::String,
            ..Field::default()
        }
    }

    fn sample() -> DescribeSObjectResult {
        let mut picklist = field("Rating");
        picklist.picklist_values = vec![
            PicklistEntry {
                value: "Warm".to_owned(),
                active: true,
                ..PicklistEntry::default()
            },
            PicklistEntry {
                value: "Hot".to_owned(),
                active: true,
                ..PicklistEntry::default()
            },
        ];
        picklist.default_value = Some(AnyValue::new("boolean", "false"));
        DescribeSObjectResult {
            name: "Account".to_owned(),
            label: "Account".to_owned(),
            fields: vec![field("Name"), picklist, field("Id")],
            child_relationships: vec![
                ChildRelationship {
                    child_s_object: "Contact".to_owned(),
                    field: "AccountId".to_owned(),
                    relationship_name: Some("Contacts".to_owned()),
                    ..ChildRelationship::default()
                },
                ChildRelationship {
                    child_s_object: "Case".to_owned(),
                    field: "AccountId".to_owned(),
                    relationship_name: Some("Cases".to_owned()),
                    ..ChildRelationship::default()
                },
            ],
            ..DescribeSObjectResult::default()
        }
    }

    #[test]
    fn renders_sorted_indented_with_a_trailing_newline() {
        let text = render(&sample()).unwrap();
        assert!(text.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<describeSObjectResult \
             xmlns=\"urn:partner.soap.sforce.com\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n  <activateable>false\
             </activateable>\n"
        ));
        assert!(text.ends_with("</describeSObjectResult>\n"));
        assert!(!text.contains("<p:") && !text.contains("</p:"), "{text}");
        // Nil values, escaped text, and an xsd:anyType default on one line each.
        assert!(text.contains("\n  <keyPrefix xsi:nil=\"true\"/>\n"));
        assert!(text.contains("\n    <label>Name &lt;label&gt; &amp; &quot;more&quot;</label>\n"));
        assert!(text.contains(
            "\n    <defaultValue xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" \
             xsi:type=\"xsd:boolean\">false</defaultValue>\n"
        ));
        assert!(text.contains("\n  <fields>\n    <aggregatable>false</aggregatable>\n"));
        assert!(text.contains("\n  </fields>\n"));
        // Fields by name, child relationships by child object; picklist order kept.
        let position = |needle: &str| text.find(needle).unwrap();
        assert!(position("<name>Id</name>") < position("<name>Name</name>"));
        assert!(position("<name>Name</name>") < position("<name>Rating</name>"));
        assert!(position("<childSObject>Case<") < position("<childSObject>Contact<"));
        assert!(position("<value>Warm</value>") < position("<value>Hot</value>"));
        // Every line is one element (or a closing tag), indented by 2 per level.
        for line in text.lines().skip(1) {
            let indent = line.len() - line.trim_start().len();
            assert_eq!(indent % 2, 0, "{line:?}");
            assert!(line.trim_start().starts_with('<'), "{line:?}");
            assert!(line.ends_with('>'), "{line:?}");
        }
    }

    #[test]
    fn reads_back_what_it_writes() {
        let text = render(&sample()).unwrap();
        let read = parse(&text).unwrap();
        let mut expected = sample();
        sort(&mut expected);
        assert_eq!(read, expected);
        assert_eq!(render(&read).unwrap(), text);

        let err = parse("<?xml version=\"1.0\"?>\n<other/>").unwrap_err();
        assert!(
            err.to_string().contains("not <describeSObjectResult>"),
            "{err}"
        );
    }

    #[test]
    fn diff_names_fields_and_elements() {
        let old = sample();
        let mut new = sample();
        new.fields.retain(|f| f.name != "Name");
        new.fields.push(field("Phone"));
        new.fields[0].length = 80;
        new.label = "Company".to_owned();
        let diff = diff(&render(&old).unwrap(), &render(&new).unwrap());
        assert_eq!(diff.fields_added, ["Phone"]);
        assert_eq!(diff.fields_removed, ["Name"]);
        assert_eq!(diff.fields_changed, ["Rating"]);
        assert_eq!(diff.other, ["label"]);
        assert_eq!(
            diff.to_string(),
            "fields added in the org: Phone; fields removed from the org: Name; \
             fields changed: Rating; other elements changed: label"
        );
        let same = super::diff(&render(&old).unwrap(), &render(&old).unwrap());
        assert!(same.is_empty());
        assert_eq!(same.to_string(), "formatting only");
    }
}
