//! WSDL 1.1 + embedded XML Schema reader (roxmltree) producing a [`crate::model::Service`].
//!
//! Reads what Salesforce WSDLs (partner, enterprise, apex, metadata, tooling) contain:
//! document/literal wrapped operations, SOAP 1.1 headers, schemas with sequences,
//! `complexContent` extensions, `xsd:any`, and simple types that restrict built-ins
//! (enumerations or facets). Constructs the model cannot hold (attributes, `choice`,
//! `group`, `simpleContent`, `list`, `union`, external schema imports, …) are skipped with a
//! [`crate::model::Warning`] in [`Service::warnings`]; references that resolve nowhere,
//! malformed attribute values, a cycle of `complexContent` extensions and an element
//! declared twice in one sequence are errors with file, line and column.

mod ctx;
mod defs;
mod schema;
#[cfg(test)]
mod tests;

use std::path::Path;

use crate::model::Service;
use crate::{Error, Result};

/// Reads the WSDL file at `path`. Errors and warnings name the file as `path` displays.
pub fn parse_file(path: &Path) -> Result<Service> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_str(&text, &path.display().to_string())
}

/// Reads a WSDL document from `text`; `file_name` is used in errors and warnings.
///
/// Limits: an element with more than [`crate::xml::MAX_ATTRIBUTES`] attributes or more
/// than [`crate::xml::MAX_NAMESPACES_IN_SCOPE`] namespace prefixes in scope is an error
/// (so reading stays linear in the size of the WSDL); a DTD is refused.
pub fn parse_str(text: &str, file_name: &str) -> Result<Service> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = crate::xml::parse(text, file_name)?;
    let mut ctx = ctx::Ctx::new(text, file_name);
    let root = doc.root_element();
    if !ctx::is(root, ctx::WSDL_NS, "definitions") {
        return Err(ctx.invalid(
            root,
            format!(
                "not a WSDL 1.1 document: the root element is {{{}}}{}, expected {{{}}}definitions",
                root.tag_name().namespace().unwrap_or_default(),
                root.tag_name().name(),
                ctx::WSDL_NS
            ),
        ));
    }
    let mut service = Service {
        target_namespace: root
            .attribute("targetNamespace")
            .unwrap_or_default()
            .to_owned(),
        ..Service::default()
    };
    schema::read(&mut ctx, root, &mut service)?;
    defs::read(&mut ctx, root, &mut service)?;
    service.warnings = ctx.warnings;
    Ok(service)
}
