//! Shared plumbing of the reader: namespaces, positions, errors, warnings, QName resolution.

use roxmltree::Node;

use crate::model::{QName, Warning};
use crate::xml::Positions;
use crate::Error;

/// WSDL 1.1 namespace.
pub(super) const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
/// WSDL 1.1 SOAP 1.1 binding namespace.
pub(super) const SOAP_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
/// WSDL 1.1 SOAP 1.2 binding namespace.
pub(super) const SOAP12_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
/// XML Schema namespace.
pub(super) const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";
/// `soap:binding transport` of SOAP over HTTP.
pub(super) const SOAP_HTTP: &str = "http://schemas.xmlsoap.org/soap/http";

/// The document being read, its file name and the warnings gathered so far.
pub(super) struct Ctx<'a> {
    positions: Positions<'a>,
    file: &'a str,
    pub(super) warnings: Vec<Warning>,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(text: &'a str, file: &'a str) -> Self {
        Ctx {
            positions: Positions::new(text),
            file,
            warnings: Vec::new(),
        }
    }

    /// 1-based line and column where `node` starts.
    pub(super) fn position(&self, node: Node<'_, '_>) -> (u32, u32) {
        self.positions.at(node.range().start)
    }

    /// An [`Error::Invalid`] located at `node`.
    pub(super) fn invalid(&self, node: Node<'_, '_>, message: impl Into<String>) -> Error {
        let (line, column) = self.position(node);
        Error::Invalid {
            file: self.file.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }

    /// Records a skipped construct located at `node`.
    pub(super) fn warn(&mut self, node: Node<'_, '_>, message: impl Into<String>) {
        let (line, column) = self.position(node);
        self.warnings.push(Warning {
            file: self.file.to_owned(),
            line,
            column,
            message: message.into(),
        });
    }

    /// Resolves the QName `raw` (an attribute value of `node`) with the namespace
    /// declarations in scope at `node`. `what` names the construct for error messages.
    pub(super) fn qname(&self, node: Node<'_, '_>, raw: &str, what: &str) -> crate::Result<QName> {
        let value = raw.trim();
        let (prefix, local) = match value.split_once(':') {
            Some((prefix, local)) => (Some(prefix), local),
            None => (None, value),
        };
        if local.is_empty() || local.contains(':') || prefix == Some("") {
            return Err(self.invalid(node, format!("{what}: \"{raw}\" is not a valid QName")));
        }
        let namespace = match prefix {
            Some(prefix) => node.lookup_namespace_uri(Some(prefix)).ok_or_else(|| {
                self.invalid(
                    node,
                    format!("{what}: prefix \"{prefix}\" of \"{raw}\" is not declared"),
                )
            })?,
            None => node.lookup_namespace_uri(None).unwrap_or(""),
        };
        Ok(QName::new(namespace, local))
    }

    /// The attribute `name` of `node`, or an error saying that `what` lacks it.
    pub(super) fn required<'n>(
        &self,
        node: Node<'n, '_>,
        name: &str,
        what: &str,
    ) -> crate::Result<&'n str> {
        node.attribute(name)
            .ok_or_else(|| self.invalid(node, format!("{what} has no \"{name}\" attribute")))
    }
}

/// True when `node` is the element `{ns}local`.
pub(super) fn is(node: Node<'_, '_>, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(ns) && node.tag_name().name() == local
}

/// The local name of `node` when it is an element in namespace `ns`.
pub(super) fn local_in<'n>(node: Node<'n, '_>, ns: &str) -> Option<&'n str> {
    if node.is_element() && node.tag_name().namespace() == Some(ns) {
        Some(node.tag_name().name())
    } else {
        None
    }
}

/// The child elements of `node`.
pub(super) fn elements<'a, 'input: 'a>(
    node: Node<'a, 'input>,
) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children().filter(|n| n.is_element())
}

/// The first child element `{ns}local` of `node`.
pub(super) fn child<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    ns: &str,
    local: &str,
) -> Option<Node<'a, 'input>> {
    node.children().find(|n| is(*n, ns, local))
}

/// How `node` is written in messages: its tag as in the source (`xsd:choice`, `attribute`).
pub(super) fn tag(node: Node<'_, '_>) -> String {
    let local = node.tag_name().name();
    match node
        .tag_name()
        .namespace()
        .and_then(|ns| node.lookup_prefix(ns))
    {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}:{local}"),
        _ => local.to_owned(),
    }
}

/// `tag` plus the `name` attribute, if any: `attribute "foo"`.
pub(super) fn describe(node: Node<'_, '_>) -> String {
    match node.attribute("name") {
        Some(name) => format!("<{}> \"{name}\"", tag(node)),
        None => format!("<{}>", tag(node)),
    }
}

/// All text below `node`, trimmed; `None` when empty.
fn text(node: Node<'_, '_>) -> Option<String> {
    let mut out = String::new();
    for n in node.descendants().filter(|n| n.is_text()) {
        if let Some(t) = n.text() {
            out.push_str(t);
        }
    }
    let trimmed = out.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Joins the texts of several documentation elements with blank lines.
fn join_docs<'a, 'input: 'a>(docs: impl Iterator<Item = Node<'a, 'input>>) -> Option<String> {
    let parts: Vec<String> = docs.filter_map(text).collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// XML Schema documentation: the text of `annotation/documentation` children of `node`.
pub(super) fn xsd_documentation(node: Node<'_, '_>) -> Option<String> {
    join_docs(
        node.children()
            .filter(|n| is(*n, XSD_NS, "annotation"))
            .flat_map(|a| a.children().filter(|n| is(*n, XSD_NS, "documentation"))),
    )
}

/// WSDL documentation: the text of `documentation` children of `node`.
pub(super) fn wsdl_documentation(node: Node<'_, '_>) -> Option<String> {
    join_docs(node.children().filter(|n| is(*n, WSDL_NS, "documentation")))
}
