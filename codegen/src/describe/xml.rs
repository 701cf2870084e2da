//! The SOAP dump format: a `describeSObjectResult` element (what `cargo sforce describe`
//! writes, one per file), or a captured `describeSObjectResponse` /
//! `describeSObjectsResponse` envelope whose `result` elements are the describes.
//!
//! Elements are matched by local name, whatever their namespace; elements the model does
//! not keep are skipped, and an `xsi:nil="true"` element counts as absent.

use std::path::Path;

use roxmltree::Node;

use super::model::{
    ChildRelationship, FieldDescribe, FieldType, Listed, PicklistValue, SObjectDescribe,
};
use crate::xml::Positions;
use crate::{Error, Result};

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Reads one XML dump: its describes in document order, or none for a describeGlobal.
pub(super) fn read(text: &str, origin: &Path) -> Result<Vec<SObjectDescribe>> {
    let file = origin.display().to_string();
    let doc = crate::xml::parse(text, &file)?;
    let reader = Reader {
        positions: Positions::new(text),
        file,
        origin,
    };
    let mut targets = Vec::new();
    let mut global = false;
    let mut fault = None;
    for node in doc.descendants().filter(Node::is_element) {
        match node.tag_name().name() {
            "describeSObjectResult" => targets.push(node),
            "result"
                if node.parent_element().is_some_and(|p| {
                    matches!(
                        p.tag_name().name(),
                        "describeSObjectResponse" | "describeSObjectsResponse"
                    )
                }) =>
            {
                targets.push(node)
            }
            "describeGlobalResult" | "describeGlobalResponse" => global = true,
            "Fault" if fault.is_none() => fault = Some(node),
            _ => {}
        }
    }
    if targets.is_empty() {
        if global {
            return Ok(Vec::new());
        }
        if let Some(fault) = fault {
            let text = fault
                .children()
                .find(|c| c.tag_name().name() == "faultstring")
                .and_then(|c| c.text())
                .unwrap_or("no faultstring");
            return Err(reader.invalid(
                fault,
                format!("the capture is a SOAP fault, not a describe: {text}"),
            ));
        }
        let root = doc.root_element();
        return Err(reader.invalid(
            root,
            format!(
                "expected a `describeSObjectResult` element, or a `describeSObjectResponse` / \
                 `describeSObjectsResponse` envelope with `result` elements; found `<{}>` and \
                 none inside it",
                root.tag_name().name()
            ),
        ));
    }
    targets
        .into_iter()
        .map(|node| reader.object(node))
        .collect()
}

struct Reader<'a> {
    positions: Positions<'a>,
    file: String,
    origin: &'a Path,
}

impl<'a, 'input> Reader<'a> {
    fn invalid(&self, node: Node<'_, '_>, message: String) -> Error {
        let (line, column) = self.positions.at(node.range().start);
        Error::Invalid {
            file: self.file.clone(),
            line,
            column,
            message,
        }
    }

    /// The text of a leaf element; an error when it holds elements.
    fn text(&self, node: Node<'a, 'input>) -> Result<String> {
        if let Some(child) = node.children().find(Node::is_element) {
            return Err(self.invalid(
                child,
                format!(
                    "`<{}>` should hold text, found the element `<{}>`",
                    node.tag_name().name(),
                    child.tag_name().name()
                ),
            ));
        }
        Ok(node
            .children()
            .filter(Node::is_text)
            .filter_map(|t| t.text())
            .collect())
    }

    fn boolean(&self, node: Node<'a, 'input>) -> Result<bool> {
        let text = self.text(node)?;
        match text.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(self.invalid(
                node,
                format!(
                    "`<{}>` should be `true` or `false`, found `{other}`",
                    node.tag_name().name()
                ),
            )),
        }
    }

    fn number(&self, node: Node<'a, 'input>) -> Result<u32> {
        let text = self.text(node)?;
        let trimmed = text.trim();
        trimmed.parse().map_err(|_| {
            self.invalid(
                node,
                format!(
                    "`<{}>` should be a non-negative integer, found `{trimmed}`",
                    node.tag_name().name()
                ),
            )
        })
    }

    /// The element children that are not `xsi:nil`.
    fn children(node: Node<'a, 'input>) -> impl Iterator<Item = Node<'a, 'input>> {
        node.children()
            .filter(Node::is_element)
            .filter(|c| !matches!(c.attribute((XSI, "nil")), Some("true" | "1")))
    }

    fn required(
        &self,
        node: Node<'a, 'input>,
        value: Option<String>,
        child: &str,
    ) -> Result<String> {
        value.ok_or_else(|| {
            self.invalid(
                node,
                format!("`<{}>` without `<{child}>`", node.tag_name().name()),
            )
        })
    }

    fn object(&self, node: Node<'a, 'input>) -> Result<SObjectDescribe> {
        let mut object = SObjectDescribe {
            source: Some(self.origin.to_path_buf()),
            ..SObjectDescribe::default()
        };
        let mut name = None;
        let mut label = None;
        let mut field_nodes = Vec::new();
        let mut child_nodes = Vec::new();
        for child in Self::children(node) {
            match child.tag_name().name() {
                "name" => name = Some(self.text(child)?),
                "label" => label = Some(self.text(child)?),
                "custom" => object.custom = self.boolean(child)?,
                "keyPrefix" => object.key_prefix = Some(self.text(child)?),
                "createable" => object.createable = self.boolean(child)?,
                "updateable" => object.updateable = self.boolean(child)?,
                "deletable" => object.deletable = self.boolean(child)?,
                "queryable" => object.queryable = self.boolean(child)?,
                "fields" => {
                    object.fields.push(self.field(child)?);
                    field_nodes.push(child);
                }
                "childRelationships" => {
                    object.child_relationships.push(self.child(child)?);
                    child_nodes.push(child);
                }
                _ => {}
            }
        }
        object.name = self.required(node, name, "name")?;
        object.label = label.unwrap_or_else(|| object.name.clone());
        if let Some(repeat) = object.repeat() {
            let nodes: Vec<Node<'a, 'input>> = match repeat.list {
                Listed::Field => field_nodes,
                Listed::ChildRelationship => child_nodes,
                Listed::PicklistValue { field } => field_nodes
                    .get(field)
                    .map(|f| {
                        Self::children(*f)
                            .filter(|c| c.tag_name().name() == "picklistValues")
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            if let (Some(first), Some(second)) = (nodes.get(repeat.first), nodes.get(repeat.second))
            {
                let (line, column) = self.positions.at(first.range().start);
                return Err(self.invalid(
                    *second,
                    format!(
                        "{} is listed twice (first on line {line}, column {column}); API names \
                         are unique, so the dump is damaged: remove one",
                        repeat.describe(&object)
                    ),
                ));
            }
        }
        Ok(object)
    }

    fn field(&self, node: Node<'a, 'input>) -> Result<FieldDescribe> {
        let mut field = FieldDescribe::default();
        let mut name = None;
        let mut label = None;
        let mut field_type = None;
        for child in Self::children(node) {
            match child.tag_name().name() {
                "name" => name = Some(self.text(child)?),
                "label" => label = Some(self.text(child)?),
                "type" => field_type = Some(self.text(child)?),
                "soapType" => field.soap_type = self.text(child)?,
                "nillable" => field.nillable = self.boolean(child)?,
                "createable" => field.createable = self.boolean(child)?,
                "updateable" => field.updateable = self.boolean(child)?,
                "custom" => field.custom = self.boolean(child)?,
                "calculated" => field.calculated = self.boolean(child)?,
                "externalId" => field.external_id = self.boolean(child)?,
                "defaultedOnCreate" => field.defaulted_on_create = self.boolean(child)?,
                "unique" => field.unique = self.boolean(child)?,
                "nameField" => field.name_field = self.boolean(child)?,
                "idLookup" => field.id_lookup = self.boolean(child)?,
                "length" => field.length = self.number(child)?,
                "precision" => field.precision = self.number(child)?,
                "scale" => field.scale = self.number(child)?,
                "digits" => field.digits = self.number(child)?,
                "picklistValues" => field.picklist_values.push(self.picklist(child)?),
                "restrictedPicklist" => field.restricted_picklist = self.boolean(child)?,
                "referenceTo" => field.reference_to.push(self.text(child)?),
                "relationshipName" => field.relationship_name = Some(self.text(child)?),
                "compoundFieldName" => field.compound_field_name = Some(self.text(child)?),
                "inlineHelpText" => field.inline_help_text = Some(self.text(child)?),
                _ => {}
            }
        }
        field.name = self.required(node, name, "name")?;
        field.field_type = FieldType::parse(&self.required(node, field_type, "type")?);
        field.label = label.unwrap_or_else(|| field.name.clone());
        Ok(field)
    }

    fn picklist(&self, node: Node<'a, 'input>) -> Result<PicklistValue> {
        let mut entry = PicklistValue {
            active: true,
            ..PicklistValue::default()
        };
        let mut value = None;
        for child in Self::children(node) {
            match child.tag_name().name() {
                "value" => value = Some(self.text(child)?),
                "label" => entry.label = Some(self.text(child)?),
                "active" => entry.active = self.boolean(child)?,
                "defaultValue" => entry.default_value = self.boolean(child)?,
                _ => {}
            }
        }
        entry.value = self.required(node, value, "value")?;
        Ok(entry)
    }

    fn child(&self, node: Node<'a, 'input>) -> Result<ChildRelationship> {
        let mut relationship = ChildRelationship::default();
        let mut child_sobject = None;
        let mut field = None;
        for child in Self::children(node) {
            match child.tag_name().name() {
                "childSObject" => child_sobject = Some(self.text(child)?),
                "field" => field = Some(self.text(child)?),
                "relationshipName" => relationship.relationship_name = Some(self.text(child)?),
                "cascadeDelete" => relationship.cascade_delete = self.boolean(child)?,
                _ => {}
            }
        }
        relationship.child_sobject = self.required(node, child_sobject, "childSObject")?;
        relationship.field = self.required(node, field, "field")?;
        Ok(relationship)
    }
}
