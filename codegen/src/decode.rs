//! A model-driven SOAP response reader: `cargo sforce decode`.
//!
//! The CLI cannot compile bindings at run time, so this module interprets a captured
//! response envelope with the WSDL [`Service`] model instead, and turns it into [`Json`]
//! whose object keys keep document order (which is schema order for Salesforce responses).
//!
//! The shape of the output:
//! - a normal response is `{"headers": {…}, "body": {"<bodyElement>": …}}`; `headers` holds
//!   one entry per `soapenv:Header` child (empty object when there are none);
//! - a SOAP fault is `{"fault": {"faultcode", "faultstring", "faultactor"?, "detail"?}}`
//!   (preceded by `headers` only when the envelope has header entries); the detail is
//!   decoded with the fault element's type from the model and always carries `"@type"`.
//!
//! Values follow the schema: a complex type is an object (keys are the XML element names,
//! inherited fields included, present exactly when the element is present); a field with
//! `maxOccurs > 1` is an array even with one element; `int`, `long`, `double` and `decimal`
//! are numbers (`5.0E7` is kept as written; `INF`/`NaN` become strings); `boolean` is a
//! bool; `xsi:nil="true"` is `null`; enumerations and every other built-in are strings.
//! When `xsi:type` selects a type other than the declared complex type, the object starts
//! with `"@type": "<local name>"`. `xsd:anyType` values are typed by their `xsi:type`.
//!
//! The partner `sObject` (the complex type named `sObject` that ends in `xsd:any`) becomes
//! an object with `type`, `Id` (the duplicated `Id` elements of query results collapsed to
//! one) and then the other fields in document order; nested `xsi:type="sf:sObject"`
//! (parent relationships) and `xsi:type="QueryResult"` (child relationships) and compound
//! fields (`xsi:type="address"`) are decoded with their types.
//!
//! Elements the schema does not know (outside an `xsd:any`) are kept, not dropped: an
//! element with only text becomes a string, one with children an object; each one also
//! produces a [`Warning`]. Invalid values for the declared type (`abc` as an `xsd:int`),
//! input that is not XML, not a SOAP 1.1 envelope, or a body element that is not a global
//! element of the WSDL are errors naming file, line and column.

use std::fmt;
use std::path::Path;

use roxmltree::Node;

use crate::error::end_position;
use crate::model::{Builtin, ComplexType, QName, Service, TypeRef, Warning};
use crate::xml::Positions;
use crate::{Error, Result};

/// SOAP 1.1 envelope namespace.
const SOAP_ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// XML Schema instance namespace (`xsi:type`, `xsi:nil`).
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// XML Schema namespace (`xsd:string` in `xsi:type`).
const XSD: &str = "http://www.w3.org/2001/XMLSchema";
/// The deepest XML element nesting [`decode_str`] and [`decode_file`] decode (the
/// envelope is level 1, `soapenv:Body` level 2, the body element level 3); deeper input is
/// an error rather than a stack overflow. [`decode_str_with`] takes another limit.
pub const DEFAULT_MAX_DEPTH: usize = 128;

/// A JSON value whose objects keep their keys in insertion order.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, kept as its (valid JSON) literal so no precision is lost.
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object; keys in order, unique.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The member `key` of an object; `None` for other values or a missing key.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// Pretty-printed JSON (two-space indent, no trailing newline).
    pub fn to_pretty_string(&self) -> String {
        let mut out = String::new();
        self.write_pretty(&mut out, 0);
        out
    }

    fn write_pretty(&self, out: &mut String, indent: usize) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_json_string(out, s),
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    push_indent(out, indent + 1);
                    item.write_pretty(out, indent + 1);
                }
                out.push('\n');
                push_indent(out, indent);
                out.push(']');
            }
            Json::Object(members) if members.is_empty() => out.push_str("{}"),
            Json::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    push_indent(out, indent + 1);
                    write_json_string(out, key);
                    out.push_str(": ");
                    value.write_pretty(out, indent + 1);
                }
                out.push('\n');
                push_indent(out, indent);
                out.push('}');
            }
        }
    }
}

impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_pretty_string())
    }
}

fn push_indent(out: &mut String, indent: usize) {
    for _ in 0..indent {
        out.push_str("  ");
    }
}

fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The result of decoding one envelope.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The typed document (see the module documentation for its shape).
    pub json: Json,
    /// The envelope is a SOAP fault (`cargo sforce decode` exits with code 2).
    pub fault: bool,
    /// Elements the schema did not account for, and other oddities; not fatal.
    pub warnings: Vec<Warning>,
}

/// Reads and decodes the response envelope in the file at `path`, with the limits of
/// [`decode_str`].
pub fn decode_file(service: &Service, path: &Path) -> Result<Decoded> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let file = path.display().to_string();
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let (line, column) = end_position(&String::from_utf8_lossy(&bytes[..e.valid_up_to()]));
        Error::Xml {
            file: file.clone(),
            line,
            column,
            message: "the file is not UTF-8".to_owned(),
        }
    })?;
    decode_str(service, text, &file)
}

/// Decodes the response envelope `text`; `file_name` is used in errors and warnings.
///
/// Limits: elements nested deeper than [`DEFAULT_MAX_DEPTH`] levels (the envelope being
/// level 1) are an error naming the element, its level and its place, so that decoding
/// (which recurses once per level) cannot overflow the stack: 128 levels fit in a 2 MiB
/// thread stack even in a debug build. As for every XML input, an element with more than
/// [`crate::xml::MAX_ATTRIBUTES`] attributes or more than
/// [`crate::xml::MAX_NAMESPACES_IN_SCOPE`] namespace prefixes in scope is an error, and a
/// DTD is refused.
pub fn decode_str(service: &Service, text: &str, file_name: &str) -> Result<Decoded> {
    decode_str_with(service, text, file_name, DEFAULT_MAX_DEPTH)
}

/// [`decode_str`] with another nesting limit: elements nested deeper than `max_depth`
/// levels (the envelope is level 1) are an error. Each level costs a few kilobytes of
/// stack; raise the limit only on a thread with a stack to match.
///
/// ```
/// # let service = sforce_codegen::model::Service::default();
/// let envelope = "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\">\
///                 <e:Body><a><b/></a></e:Body></e:Envelope>";
/// let err = sforce_codegen::decode::decode_str_with(&service, envelope, "x.xml", 1).unwrap_err();
/// assert!(err.to_string().contains("Body is nested more than 1 level deep"), "{err}");
/// ```
pub fn decode_str_with(
    service: &Service,
    text: &str,
    file_name: &str,
    max_depth: usize,
) -> Result<Decoded> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = crate::xml::parse(text, file_name)?;
    let mut ctx = Ctx {
        service,
        positions: Positions::new(text),
        file: file_name,
        warnings: Vec::new(),
        depth: 0,
        max_depth,
    };
    let root = doc.root_element();
    let (json, fault) = ctx.inside(root, |ctx| ctx.envelope(root))?;
    Ok(Decoded {
        json,
        fault,
        warnings: ctx.warnings,
    })
}

/// What an `xsi:type` attribute names.
enum XsiType<'s> {
    Builtin(Builtin),
    Complex(&'s ComplexType),
    Simple(Builtin),
}

/// An object under construction: keys in order; repeated keys become arrays.
#[derive(Default)]
struct Obj {
    members: Vec<(String, Json)>,
    /// Keys whose value is an array built by repetition (or by `maxOccurs > 1`).
    arrays: Vec<String>,
}

impl Obj {
    fn set(&mut self, key: &str, value: Json) {
        self.members.push((key.to_owned(), value));
    }

    /// Appends `value` to the array `key` (created on first use).
    fn push_many(&mut self, key: &str, value: Json) {
        if self.arrays.iter().any(|a| a == key) {
            if let Some((_, Json::Array(items))) = self.members.iter_mut().find(|(k, _)| k == key) {
                items.push(value);
                return;
            }
        }
        self.arrays.push(key.to_owned());
        self.members
            .push((key.to_owned(), Json::Array(vec![value])));
    }

    /// Sets `key`; a second occurrence turns the value into an array. Returns true on a repeat.
    fn push_repeatable(&mut self, key: &str, value: Json) -> bool {
        let is_array = self.arrays.iter().any(|a| a == key);
        match self.members.iter_mut().find(|(k, _)| k == key) {
            None => {
                self.members.push((key.to_owned(), value));
                false
            }
            Some((_, existing)) => {
                if is_array {
                    if let Json::Array(items) = existing {
                        items.push(value);
                    }
                } else {
                    let first = std::mem::replace(existing, Json::Null);
                    *existing = Json::Array(vec![first, value]);
                    self.arrays.push(key.to_owned());
                }
                true
            }
        }
    }

    fn into_json(self) -> Json {
        Json::Object(self.members)
    }
}

struct Ctx<'s, 'a> {
    service: &'s Service,
    positions: Positions<'a>,
    file: &'a str,
    warnings: Vec<Warning>,
    /// The level of the element being decoded (the envelope is 1; 0 before it).
    depth: usize,
    /// The deepest level allowed.
    max_depth: usize,
}

impl<'s, 'a, 'input> Ctx<'s, 'a> {
    fn position(&self, node: Node<'_, '_>) -> (u32, u32) {
        self.positions.at(node.range().start)
    }

    /// Goes one level down, into `node`; an error when that is deeper than the limit.
    /// Every `enter` that succeeds is matched by a [`Ctx::leave`].
    fn enter(&mut self, node: Node<'_, '_>) -> Result<()> {
        if self.depth >= self.max_depth {
            return Err(self.invalid(
                node,
                format!(
                    "element {} is nested more than {} level{} deep (it is at level {}, the \
                     envelope being level 1); this is the decoder's limit",
                    describe(node),
                    self.max_depth,
                    if self.max_depth == 1 { "" } else { "s" },
                    self.depth + 1
                ),
            ));
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Runs `f` one level down, inside `node`.
    fn inside<T>(
        &mut self,
        node: Node<'_, '_>,
        f: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        self.enter(node)?;
        let result = f(self);
        self.leave();
        result
    }

    fn invalid(&self, node: Node<'_, '_>, message: impl Into<String>) -> Error {
        let (line, column) = self.position(node);
        Error::Invalid {
            file: self.file.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }

    fn warn(&mut self, node: Node<'_, '_>, message: impl Into<String>) {
        let (line, column) = self.position(node);
        self.warnings.push(Warning {
            file: self.file.to_owned(),
            line,
            column,
            message: message.into(),
        });
    }

    fn envelope(&mut self, root: Node<'a, 'input>) -> Result<(Json, bool)> {
        if !is(root, SOAP_ENV, "Envelope") {
            return Err(self.invalid(
                root,
                format!(
                    "not a SOAP 1.1 envelope: the root element is {}, expected {{{SOAP_ENV}}}Envelope",
                    describe(root)
                ),
            ));
        }
        let mut header = None;
        let mut body = None;
        for child in root.children().filter(Node::is_element) {
            if is(child, SOAP_ENV, "Header") && header.is_none() && body.is_none() {
                header = Some(child);
            } else if is(child, SOAP_ENV, "Body") && body.is_none() {
                body = Some(child);
            } else {
                self.warn(
                    child,
                    format!("element {} in soapenv:Envelope ignored", describe(child)),
                );
            }
        }
        let Some(body) = body else {
            return Err(self.invalid(root, "the envelope has no soapenv:Body"));
        };
        let headers = match header {
            Some(header) => self.inside(header, |ctx| ctx.headers(header))?,
            None => Json::Object(Vec::new()),
        };
        self.inside(body, |ctx| ctx.body(body, headers))
    }

    /// The `soapenv:Body`: a fault or the response element.
    fn body(&mut self, body: Node<'a, 'input>, headers: Json) -> Result<(Json, bool)> {
        let mut elements = body.children().filter(Node::is_element);
        let Some(first) = elements.next() else {
            return Err(self.invalid(body, "soapenv:Body is empty"));
        };
        for extra in elements {
            self.warn(
                extra,
                format!(
                    "element {} after the first body element ignored",
                    describe(extra)
                ),
            );
        }
        if is(first, SOAP_ENV, "Fault") {
            let fault = self.inside(first, |ctx| ctx.fault(first))?;
            let mut out = Vec::new();
            if matches!(&headers, Json::Object(m) if !m.is_empty()) {
                out.push(("headers".to_owned(), headers));
            }
            out.push(("fault".to_owned(), fault));
            return Ok((Json::Object(out), true));
        }
        let name = qname_of(first);
        let Some(element) = self.service.elements.get(&name) else {
            return Err(self.invalid(
                first,
                format!(
                    "body element {} is not a global element of the WSDL (service `{}`); \
                     was this response produced by another API?",
                    describe(first),
                    self.service.name
                ),
            ));
        };
        let value = self.value(first, Some(&element.ty))?;
        let body = Json::Object(vec![(name.name, value)]);
        Ok((
            Json::Object(vec![
                ("headers".to_owned(), headers),
                ("body".to_owned(), body),
            ]),
            false,
        ))
    }

    fn headers(&mut self, header: Node<'a, 'input>) -> Result<Json> {
        let mut obj = Obj::default();
        for child in header.children().filter(Node::is_element) {
            let name = qname_of(child);
            let value = match self.service.elements.get(&name) {
                Some(element) => self.value(child, Some(&element.ty))?,
                None => {
                    self.warn(
                        child,
                        format!(
                            "header {} is not a global element of the WSDL; shown untyped",
                            describe(child)
                        ),
                    );
                    self.value(child, None)?
                }
            };
            obj.push_repeatable(&name.name, value);
        }
        Ok(obj.into_json())
    }

    fn fault(&mut self, fault: Node<'a, 'input>) -> Result<Json> {
        let mut obj = Obj::default();
        for child in fault.children().filter(Node::is_element) {
            let name = child.tag_name().name();
            match name {
                "faultcode" | "faultstring" | "faultactor" => {
                    let text = self.leaf_text(child, "a string")?;
                    obj.push_repeatable(name, Json::String(text.trim().to_owned()));
                }
                "detail" => {
                    let detail = self.inside(child, |ctx| ctx.fault_detail(child))?;
                    obj.push_repeatable(name, detail);
                }
                _ => {
                    self.warn(
                        child,
                        format!(
                            "element {} in soapenv:Fault; shown untyped",
                            describe(child)
                        ),
                    );
                    let value = self.value(child, None)?;
                    obj.push_repeatable(name, value);
                }
            }
        }
        Ok(obj.into_json())
    }

    fn fault_detail(&mut self, detail: Node<'a, 'input>) -> Result<Json> {
        let mut entries = detail.children().filter(Node::is_element);
        let Some(first) = entries.next() else {
            return Ok(Json::Null);
        };
        for extra in entries {
            self.warn(
                extra,
                format!(
                    "element {} after the first fault detail ignored",
                    describe(extra)
                ),
            );
        }
        let service = self.service;
        let name = qname_of(first);
        let declared = service.elements.get(&name).map(|e| &e.ty);
        if declared.is_none() {
            self.warn(
                first,
                format!(
                    "fault detail {} is not a global element of the WSDL; shown untyped",
                    describe(first)
                ),
            );
        }
        if is_nil(first) {
            return Ok(Json::Null);
        }
        // The detail names its type: from xsi:type when present, else from the element.
        let ty = match self.xsi_type(first) {
            Some(XsiType::Complex(ty)) => Some(ty),
            _ => match declared {
                Some(TypeRef::Complex(q)) => service.complex_types.get(q),
                _ => None,
            },
        };
        match ty {
            Some(ty) => self.inside(first, |ctx| ctx.complex(first, ty, Some(&ty.name.name))),
            None => {
                let value = self.value(first, declared)?;
                Ok(match value {
                    Json::Object(mut members) => {
                        members.insert(0, ("@type".to_owned(), Json::String(name.name.clone())));
                        Json::Object(members)
                    }
                    other => other,
                })
            }
        }
    }

    /// Decodes `node` as a value of `declared` (`None`: untyped, e.g. inside `xsd:any`).
    fn value(&mut self, node: Node<'a, 'input>, declared: Option<&TypeRef>) -> Result<Json> {
        self.inside(node, |ctx| ctx.value_inner(node, declared))
    }

    fn value_inner(&mut self, node: Node<'a, 'input>, declared: Option<&TypeRef>) -> Result<Json> {
        if is_nil(node) {
            return Ok(Json::Null);
        }
        match self.xsi_type(node) {
            Some(XsiType::Builtin(builtin) | XsiType::Simple(builtin)) => {
                return self.builtin(node, builtin)
            }
            Some(XsiType::Complex(ty)) => {
                let tag = match declared {
                    Some(TypeRef::Complex(q)) if *q != ty.name => Some(ty.name.name.as_str()),
                    _ => None,
                };
                return self.complex(node, ty, tag);
            }
            None => {}
        }
        let service = self.service;
        match declared {
            None | Some(TypeRef::Builtin(Builtin::AnyType)) => self.untyped(node),
            Some(TypeRef::Builtin(builtin)) => self.builtin(node, *builtin),
            Some(TypeRef::Simple(q)) => match service.simple_types.get(q) {
                Some(simple) => self.builtin(node, simple.base),
                None => {
                    self.warn(node, format!("simple type {q} is not in the WSDL model"));
                    self.untyped(node)
                }
            },
            Some(TypeRef::Complex(q)) => match service.complex_types.get(q) {
                Some(ty) => self.complex(node, ty, None),
                None => {
                    self.warn(node, format!("complex type {q} is not in the WSDL model"));
                    self.untyped(node)
                }
            },
        }
    }

    /// The type named by `xsi:type` on `node`, if any and known; unknown names warn.
    fn xsi_type(&mut self, node: Node<'a, 'input>) -> Option<XsiType<'s>> {
        let raw = node.attribute((XSI, "type"))?.trim();
        let (prefix, local) = match raw.split_once(':') {
            Some((prefix, local)) => (Some(prefix), local),
            None => (None, raw),
        };
        let namespace = node.lookup_namespace_uri(prefix);
        if namespace == Some(XSD) {
            return match Builtin::from_xsd_name(local) {
                Some(b) => Some(XsiType::Builtin(b)),
                None => {
                    self.warn(
                        node,
                        format!(
                            "xsi:type=\"{raw}\" is not a supported XML Schema type; read as text"
                        ),
                    );
                    Some(XsiType::Builtin(Builtin::String))
                }
            };
        }
        let service = self.service;
        if let Some(ns) = namespace {
            let q = QName::new(ns, local);
            if let Some(ty) = service.complex_types.get(&q) {
                return Some(XsiType::Complex(ty));
            }
            if let Some(simple) = service.simple_types.get(&q) {
                return Some(XsiType::Simple(simple.base));
            }
        }
        // An undeclared prefix or a namespace the model does not have: fall back to a
        // type with that local name when exactly one exists.
        let mut complex = service
            .complex_types
            .values()
            .filter(|t| t.name.name == local);
        if let (Some(ty), None) = (complex.next(), complex.next()) {
            return Some(XsiType::Complex(ty));
        }
        let mut simple = service
            .simple_types
            .values()
            .filter(|t| t.name.name == local);
        if let (Some(ty), None) = (simple.next(), simple.next()) {
            return Some(XsiType::Simple(ty.base));
        }
        self.warn(
            node,
            format!("xsi:type=\"{raw}\" names no type of the WSDL; using the declared type"),
        );
        None
    }

    /// A complex-typed element; `tag` becomes a leading `"@type"` member.
    fn complex(
        &mut self,
        node: Node<'a, 'input>,
        ty: &'s ComplexType,
        tag: Option<&str>,
    ) -> Result<Json> {
        if ty.name.name == "sObject" && ty.any.is_some() {
            return self.sobject(node, ty, tag);
        }
        let service = self.service;
        let fields = service.all_fields(&ty.name);
        let has_any = self.service.has_any(&ty.name);
        let mut obj = Obj::default();
        if let Some(tag) = tag {
            obj.set("@type", Json::String(tag.to_owned()));
        }
        self.stray_text(node, &ty.name.name);
        for child in node.children().filter(Node::is_element) {
            let name = child.tag_name().name();
            match fields.iter().find(|f| f.name == name) {
                Some(field) => {
                    let value = self.value(child, Some(&field.ty))?;
                    if field.max_occurs.is_many() {
                        obj.push_many(name, value);
                    } else if obj.push_repeatable(name, value) {
                        self.warn(
                            child,
                            format!(
                                "`{name}` of {} occurs more than once; shown as an array",
                                ty.name.name
                            ),
                        );
                    }
                }
                None => {
                    if !has_any {
                        self.warn(
                            child,
                            format!(
                                "element {} is not a field of {}; shown untyped",
                                describe(child),
                                ty.name.name
                            ),
                        );
                    }
                    let value = self.value(child, None)?;
                    obj.push_repeatable(name, value);
                }
            }
        }
        Ok(obj.into_json())
    }

    /// The partner `sObject`: `type`, one `Id`, then the other fields in document order.
    fn sobject(
        &mut self,
        node: Node<'a, 'input>,
        ty: &'s ComplexType,
        tag: Option<&str>,
    ) -> Result<Json> {
        let service = self.service;
        let fields = service.all_fields(&ty.name);
        let mut type_value = None;
        let mut id: Option<Json> = None;
        let mut rest = Obj::default();
        self.stray_text(node, &ty.name.name);
        for child in node.children().filter(Node::is_element) {
            let name = child.tag_name().name();
            let field = fields.iter().find(|f| f.name == name);
            match (name, field) {
                ("type", Some(field)) if type_value.is_none() => {
                    type_value = Some(self.value(child, Some(&field.ty))?);
                }
                ("Id", Some(field)) => {
                    let value = self.value(child, Some(&field.ty))?;
                    match &id {
                        None | Some(Json::Null) => id = Some(value),
                        Some(first) if value != Json::Null && value != *first => self.warn(
                            child,
                            "a second sObject Id differs from the first; the first is kept",
                        ),
                        Some(_) => {}
                    }
                }
                (_, Some(field)) if field.max_occurs.is_many() => {
                    let value = self.value(child, Some(&field.ty))?;
                    rest.push_many(name, value);
                }
                (_, Some(field)) => {
                    let value = self.value(child, Some(&field.ty))?;
                    rest.push_repeatable(name, value);
                }
                (_, None) => {
                    let value = self.value(child, None)?;
                    rest.push_repeatable(name, value);
                }
            }
        }
        let mut members = Vec::new();
        if let Some(tag) = tag {
            members.push(("@type".to_owned(), Json::String(tag.to_owned())));
        }
        if let Some(value) = type_value {
            members.push(("type".to_owned(), value));
        }
        if let Some(value) = id {
            members.push(("Id".to_owned(), value));
        }
        members.extend(rest.members);
        Ok(Json::Object(members))
    }

    /// Warns about non-whitespace text directly inside a complex-typed element.
    fn stray_text(&mut self, node: Node<'a, 'input>, type_name: &str) {
        if let Some(text) = node
            .children()
            .find(|c| c.is_text() && !c.text().unwrap_or_default().trim().is_empty())
        {
            self.warn(
                text,
                format!("text inside an element of complex type {type_name} ignored"),
            );
        }
    }

    /// An element without a schema type: typed by `xsi:type` (done by the caller), else a
    /// string when it has no child elements, else an object of untyped members.
    fn untyped(&mut self, node: Node<'a, 'input>) -> Result<Json> {
        if !node.children().any(|c| c.is_element()) {
            return Ok(Json::String(text_of(node)));
        }
        let mut obj = Obj::default();
        for child in node.children().filter(Node::is_element) {
            let value = self.value(child, None)?;
            obj.push_repeatable(child.tag_name().name(), value);
        }
        Ok(obj.into_json())
    }

    /// The text of a leaf element; an error if it has child elements.
    fn leaf_text(&self, node: Node<'a, 'input>, what: &str) -> Result<String> {
        if let Some(child) = node.children().find(|c| c.is_element()) {
            return Err(self.invalid(
                child,
                format!(
                    "`{}` should hold {what}, but has a child element {}",
                    node.tag_name().name(),
                    describe(child)
                ),
            ));
        }
        Ok(text_of(node))
    }

    /// A leaf value of a built-in type.
    fn builtin(&mut self, node: Node<'a, 'input>, builtin: Builtin) -> Result<Json> {
        if builtin == Builtin::AnyType {
            return self.untyped(node);
        }
        let what = builtin.xsd_name();
        let text = self.leaf_text(node, &format!("an xsd:{what} value"))?;
        let trimmed = text.trim();
        let bad = || {
            self.invalid(
                node,
                format!(
                    "`{}` holds \"{}\", which is not a valid xsd:{what}",
                    node.tag_name().name(),
                    shorten(trimmed)
                ),
            )
        };
        Ok(match builtin {
            Builtin::Boolean => match trimmed {
                "true" | "1" => Json::Bool(true),
                "false" | "0" => Json::Bool(false),
                _ => return Err(bad()),
            },
            Builtin::Int => Json::Number(trimmed.parse::<i32>().map_err(|_| bad())?.to_string()),
            Builtin::Long => Json::Number(trimmed.parse::<i64>().map_err(|_| bad())?.to_string()),
            Builtin::Double => match trimmed {
                "INF" | "-INF" | "NaN" => Json::String(trimmed.to_owned()),
                _ if is_json_number(trimmed) => Json::Number(trimmed.to_owned()),
                _ => match trimmed.parse::<f64>() {
                    Ok(v) if v.is_finite() => Json::Number(format!("{v:?}")),
                    _ => return Err(bad()),
                },
            },
            Builtin::Decimal => {
                let normalized = normalize_decimal(trimmed);
                if is_json_number(&normalized) && !normalized.contains(['e', 'E']) {
                    Json::Number(normalized)
                } else {
                    return Err(bad());
                }
            }
            Builtin::Date | Builtin::DateTime | Builtin::Time | Builtin::Base64Binary => {
                Json::String(trimmed.to_owned())
            }
            Builtin::String | Builtin::AnyType => Json::String(text),
        })
    }
}

/// `node` is the element `{ns}name`.
fn is(node: Node<'_, '_>, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(ns) && node.tag_name().name() == name
}

fn qname_of(node: Node<'_, '_>) -> QName {
    QName::new(
        node.tag_name().namespace().unwrap_or_default(),
        node.tag_name().name(),
    )
}

/// `{namespace}name` (or `name` without a namespace) for messages.
fn describe(node: Node<'_, '_>) -> String {
    let name = node.tag_name();
    match name.namespace() {
        Some(ns) => format!("{{{ns}}}{}", name.name()),
        None => name.name().to_owned(),
    }
}

fn is_nil(node: Node<'_, '_>) -> bool {
    matches!(
        node.attribute((XSI, "nil")).map(str::trim),
        Some("true" | "1")
    )
}

/// The concatenated text (and CDATA) children of `node`.
fn text_of(node: Node<'_, '_>) -> String {
    let mut out = String::new();
    for child in node.children().filter(Node::is_text) {
        out.push_str(child.text().unwrap_or_default());
    }
    out
}

/// At most 60 characters of `text`, for error messages.
fn shorten(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(60).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.first() == Some(&b'-') {
        i += 1;
    }
    let int_start = i;
    let n = digits(&mut i);
    if n == 0 || (n > 1 && b[int_start] == b'0') {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `+1.5` → `1.5`, `.5` → `0.5`, `5.` → `5`, `007` → `7`: XSD decimals as JSON numbers.
fn normalize_decimal(s: &str) -> String {
    let (sign, rest) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_numbers() {
        for ok in ["0", "-1", "5.0E7", "1.5e-3", "12.25", "1E+2"] {
            assert!(is_json_number(ok), "{ok}");
        }
        for bad in [
            "", "-", "01", "+1", ".5", "5.", "1e", "1e+", "0x1", "NaN", "1 ",
        ] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }

    #[test]
    fn decimals_normalize() {
        assert_eq!(normalize_decimal("+1.50"), "1.50");
        assert_eq!(normalize_decimal(".5"), "0.5");
        assert_eq!(normalize_decimal("-007"), "-7");
        assert_eq!(normalize_decimal("5."), "5");
    }

    #[test]
    fn pretty_printing_escapes_and_keeps_order() {
        let json = Json::Object(vec![
            ("z".into(), Json::String("a\"b\\c\n\u{1}".into())),
            ("a".into(), Json::Array(vec![Json::Null, Json::Bool(true)])),
            ("e".into(), Json::Object(Vec::new())),
            ("n".into(), Json::Number("5.0E7".into())),
        ]);
        assert_eq!(
            json.to_pretty_string(),
            "{\n  \"z\": \"a\\\"b\\\\c\\n\\u0001\",\n  \"a\": [\n    null,\n    true\n  ],\n  \"e\": {},\n  \"n\": 5.0E7\n}"
        );
    }
}
