//! The envelope walk: the runtime's [`XmlReader`] (the reader every response goes through)
//! driven by the WSDL [`Service`] model instead of generated types.
//!
//! The wire rules are the runtime's, called rather than restated: `xsi:nil` is
//! [`Element::is_nil`], the parts of an sObject are [`sobject_part`], the duplicated `Id`
//! is [`takes_id`], and the `xsi:type` dispatch of sObject fields is [`field_kind`]. The
//! limits (depth, attributes, namespaces in scope, DOCTYPE, forbidden characters, trailing
//! content) are the reader's.

use sforce::sobject::{field_kind, sobject_part, takes_id, FieldKind, SObjectPart};
use sforce::xml::{line_column, Content, Element, XmlReader};
use sforce_codegen::model::{Builtin, ComplexType, QName, Service, TypeRef, Warning};

use super::json::{is_json_number, normalize_decimal, Json};
use super::Error;

/// SOAP 1.1 envelope namespace.
const SOAP_ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// XML Schema namespace (`xsd:string` in `xsi:type`).
const XSD: &str = "http://www.w3.org/2001/XMLSchema";

type Result<T, E = Error> = std::result::Result<T, E>;

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

/// The children of `parent`, starting with `first` when the caller already took it (from
/// [`XmlReader::text_or_child`]).
fn next<'a>(
    r: &mut XmlReader<'a>,
    parent: &Element<'_>,
    first: &mut Option<Element<'a>>,
) -> Result<Option<Element<'a>>, sforce::Error> {
    match first.take() {
        Some(child) => Ok(Some(child)),
        None => r.next_child(parent),
    }
}

/// One decoding: the model, the input (for positions) and the warnings so far.
pub(super) struct Ctx<'s, 'a> {
    pub(super) service: &'s Service,
    pub(super) input: &'a [u8],
    pub(super) file: &'a str,
    pub(super) warnings: Vec<Warning>,
}

impl<'s, 'a> Ctx<'s, 'a> {
    /// A reader error (not XML, too deep, cut short) with the file name.
    pub(super) fn xml_error(&self, e: sforce::Error) -> Error {
        let (line, column, message) = match e {
            sforce::Error::Xml {
                line,
                column,
                message,
            } => (line, column, message),
            sforce::Error::Truncated { .. } => {
                let (line, column) = line_column(self.input, self.input.len());
                (
                    line,
                    column,
                    "the document ends before its root element does".to_owned(),
                )
            }
            other => (1, 1, other.to_string()),
        };
        Error::Xml {
            file: self.file.to_owned(),
            line,
            column,
            message,
        }
    }

    fn invalid(&self, offset: usize, message: impl Into<String>) -> Error {
        let (line, column) = line_column(self.input, offset);
        Error::Invalid {
            file: self.file.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }

    fn warn(&mut self, offset: usize, message: impl Into<String>) {
        let (line, column) = line_column(self.input, offset);
        self.warnings.push(Warning {
            file: self.file.to_owned(),
            line,
            column,
            message: message.into(),
        });
    }

    /// Reads the next child of `parent` (after `first`), with the file name on errors.
    fn child(
        &self,
        r: &mut XmlReader<'a>,
        parent: &Element<'_>,
        first: &mut Option<Element<'a>>,
    ) -> Result<Option<Element<'a>>> {
        next(r, parent, first).map_err(|e| self.xml_error(e))
    }

    fn skip(&self, r: &mut XmlReader<'a>, el: &Element<'_>) -> Result<()> {
        r.skip(el).map_err(|e| self.xml_error(e))
    }

    /// The document: the envelope, then nothing but comments and white space.
    pub(super) fn document(&mut self, r: &mut XmlReader<'a>) -> Result<(Json, bool)> {
        let root = r.root().map_err(|e| self.xml_error(e))?;
        let out = self.envelope(r, &root)?;
        r.finish().map_err(|e| self.xml_error(e))?;
        Ok(out)
    }

    fn envelope(&mut self, r: &mut XmlReader<'a>, root: &Element<'a>) -> Result<(Json, bool)> {
        if !(root.local_name() == b"Envelope" && r.namespace_is(root, SOAP_ENV)) {
            return Err(self.invalid(
                root.offset(),
                format!(
                    "not a SOAP 1.1 envelope: the root element is {}, expected {{{SOAP_ENV}}}Envelope",
                    describe(r, root)
                ),
            ));
        }
        let mut headers = None;
        let mut body = None;
        while let Some(child) = self.child(r, root, &mut None)? {
            let in_soap = r.namespace_is(&child, SOAP_ENV);
            if in_soap && child.local_name() == b"Header" && headers.is_none() && body.is_none() {
                headers = Some(self.headers(r, &child)?);
            } else if in_soap && child.local_name() == b"Body" && body.is_none() {
                let headers = headers.take().unwrap_or(Json::Object(Vec::new()));
                body = Some(self.body(r, &child, headers)?);
            } else {
                self.warn(
                    child.offset(),
                    format!(
                        "element {} in soapenv:Envelope ignored",
                        describe(r, &child)
                    ),
                );
                self.skip(r, &child)?;
            }
        }
        body.ok_or_else(|| self.invalid(root.offset(), "the envelope has no soapenv:Body"))
    }

    /// The `soapenv:Body`: a fault or the response element.
    fn body(
        &mut self,
        r: &mut XmlReader<'a>,
        body: &Element<'a>,
        headers: Json,
    ) -> Result<(Json, bool)> {
        let Some(first) = self.child(r, body, &mut None)? else {
            return Err(self.invalid(body.offset(), "soapenv:Body is empty"));
        };
        let out = if first.local_name() == b"Fault" && r.namespace_is(&first, SOAP_ENV) {
            let fault = self.fault(r, &first)?;
            let mut out = Vec::new();
            if matches!(&headers, Json::Object(m) if !m.is_empty()) {
                out.push(("headers".to_owned(), headers));
            }
            out.push(("fault".to_owned(), fault));
            (Json::Object(out), true)
        } else {
            let name = qname_of(r, &first);
            let service = self.service;
            let Some(element) = service.elements.get(&name) else {
                return Err(self.invalid(
                    first.offset(),
                    format!(
                        "body element {} is not a global element of the WSDL (service `{}`); \
                         was this response produced by another API?",
                        describe(r, &first),
                        service.name
                    ),
                ));
            };
            let value = self.value(r, &first, Some(&element.ty))?;
            let body = Json::Object(vec![(name.name, value)]);
            (
                Json::Object(vec![
                    ("headers".to_owned(), headers),
                    ("body".to_owned(), body),
                ]),
                false,
            )
        };
        while let Some(extra) = self.child(r, body, &mut None)? {
            self.warn(
                extra.offset(),
                format!(
                    "element {} after the first body element ignored",
                    describe(r, &extra)
                ),
            );
            self.skip(r, &extra)?;
        }
        Ok(out)
    }

    fn headers(&mut self, r: &mut XmlReader<'a>, header: &Element<'a>) -> Result<Json> {
        let mut obj = Obj::default();
        let service = self.service;
        while let Some(child) = self.child(r, header, &mut None)? {
            let name = qname_of(r, &child);
            let value = match service.elements.get(&name) {
                Some(element) => self.value(r, &child, Some(&element.ty))?,
                None => {
                    self.warn(
                        child.offset(),
                        format!(
                            "header {} is not a global element of the WSDL; shown untyped",
                            describe(r, &child)
                        ),
                    );
                    self.value(r, &child, None)?
                }
            };
            obj.push_repeatable(&name.name, value);
        }
        Ok(obj.into_json())
    }

    fn fault(&mut self, r: &mut XmlReader<'a>, fault: &Element<'a>) -> Result<Json> {
        let mut obj = Obj::default();
        while let Some(child) = self.child(r, fault, &mut None)? {
            let name = child.name().into_owned();
            match name.as_str() {
                "faultcode" | "faultstring" | "faultactor" => {
                    let text = self.leaf_text(r, &child, "a string")?;
                    obj.push_repeatable(&name, Json::String(text.trim().to_owned()));
                }
                "detail" => {
                    let detail = self.fault_detail(r, &child)?;
                    obj.push_repeatable(&name, detail);
                }
                _ => {
                    self.warn(
                        child.offset(),
                        format!(
                            "element {} in soapenv:Fault; shown untyped",
                            describe(r, &child)
                        ),
                    );
                    let value = self.value(r, &child, None)?;
                    obj.push_repeatable(&name, value);
                }
            }
        }
        Ok(obj.into_json())
    }

    fn fault_detail(&mut self, r: &mut XmlReader<'a>, detail: &Element<'a>) -> Result<Json> {
        let Some(first) = self.child(r, detail, &mut None)? else {
            return Ok(Json::Null);
        };
        let value = self.fault_entry(r, &first)?;
        while let Some(extra) = self.child(r, detail, &mut None)? {
            self.warn(
                extra.offset(),
                format!(
                    "element {} after the first fault detail ignored",
                    describe(r, &extra)
                ),
            );
            self.skip(r, &extra)?;
        }
        Ok(value)
    }

    /// The first element of a fault's `detail`, which always names its type (`"@type"`).
    fn fault_entry(&mut self, r: &mut XmlReader<'a>, first: &Element<'a>) -> Result<Json> {
        let service = self.service;
        let name = qname_of(r, first);
        let declared = service.elements.get(&name).map(|e| &e.ty);
        if declared.is_none() {
            self.warn(
                first.offset(),
                format!(
                    "fault detail {} is not a global element of the WSDL; shown untyped",
                    describe(r, first)
                ),
            );
        }
        if first.is_nil() {
            self.skip(r, first)?;
            return Ok(Json::Null);
        }
        // The detail names its type: from xsi:type when present, else from the element.
        let ty = match self.xsi_type(r, first) {
            Some(XsiType::Complex(ty)) => Some(ty),
            _ => match declared {
                Some(TypeRef::Complex(q)) => service.complex_types.get(q),
                _ => None,
            },
        };
        match ty {
            Some(ty) => self.complex(r, first, ty, Some(&ty.name.name)),
            None => {
                let value = self.value(r, first, declared)?;
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

    /// Decodes `el` as a value of `declared` (`None`: untyped, e.g. inside `xsd:any`).
    fn value(
        &mut self,
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
        declared: Option<&TypeRef>,
    ) -> Result<Json> {
        if el.is_nil() {
            self.skip(r, el)?;
            return Ok(Json::Null);
        }
        match self.xsi_type(r, el) {
            Some(XsiType::Builtin(builtin) | XsiType::Simple(builtin)) => {
                return self.builtin(r, el, builtin)
            }
            Some(XsiType::Complex(ty)) => {
                let tag = match declared {
                    Some(TypeRef::Complex(q)) if *q != ty.name => Some(ty.name.name.as_str()),
                    _ => None,
                };
                return self.complex(r, el, ty, tag);
            }
            None => {}
        }
        let service = self.service;
        match declared {
            None | Some(TypeRef::Builtin(Builtin::AnyType)) => self.untyped(r, el),
            Some(TypeRef::Builtin(builtin)) => self.builtin(r, el, *builtin),
            Some(TypeRef::Simple(q)) => match service.simple_types.get(q) {
                Some(simple) => self.builtin(r, el, simple.base),
                None => {
                    self.warn(
                        el.offset(),
                        format!("simple type {q} is not in the WSDL model"),
                    );
                    self.untyped(r, el)
                }
            },
            Some(TypeRef::Complex(q)) => match service.complex_types.get(q) {
                Some(ty) => self.complex(r, el, ty, None),
                None => {
                    self.warn(
                        el.offset(),
                        format!("complex type {q} is not in the WSDL model"),
                    );
                    self.untyped(r, el)
                }
            },
        }
    }

    /// The type named by `xsi:type` on `el`, if any and known; unknown names warn.
    fn xsi_type(&mut self, r: &XmlReader<'a>, el: &Element<'a>) -> Option<XsiType<'s>> {
        let raw = String::from_utf8_lossy(&el.xsi_type_raw()?)
            .trim()
            .to_owned();
        let local = raw
            .rsplit_once(':')
            .map_or(raw.as_str(), |(_, local)| local);
        let namespace = r.resolve_prefix(&raw);
        if namespace.as_deref() == Some(XSD) {
            return match Builtin::from_xsd_name(local) {
                Some(b) => Some(XsiType::Builtin(b)),
                None => {
                    self.warn(
                        el.offset(),
                        format!(
                            "xsi:type=\"{raw}\" is not a supported XML Schema type; read as text"
                        ),
                    );
                    Some(XsiType::Builtin(Builtin::String))
                }
            };
        }
        let service = self.service;
        if let Some(ns) = &namespace {
            let q = QName::new(ns.as_str(), local);
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
            el.offset(),
            format!("xsi:type=\"{raw}\" names no type of the WSDL; using the declared type"),
        );
        None
    }

    /// A complex-typed element; `tag` becomes a leading `"@type"` member.
    fn complex(
        &mut self,
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
        ty: &'s ComplexType,
        tag: Option<&str>,
    ) -> Result<Json> {
        if is_sobject(ty) {
            return self.sobject(r, el, ty, tag, None);
        }
        let service = self.service;
        let fields = service.all_fields(&ty.name);
        let has_any = service.has_any(&ty.name);
        let mut obj = Obj::default();
        if let Some(tag) = tag {
            obj.set("@type", Json::String(tag.to_owned()));
        }
        while let Some(child) = self.child(r, el, &mut None)? {
            let name = child.name().into_owned();
            match fields.iter().find(|f| f.name == name) {
                Some(field) => {
                    let value = self.value(r, &child, Some(&field.ty))?;
                    if field.max_occurs.is_many() {
                        obj.push_many(&name, value);
                    } else if obj.push_repeatable(&name, value) {
                        self.warn(
                            child.offset(),
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
                            child.offset(),
                            format!(
                                "element {} is not a field of {}; shown untyped",
                                describe(r, &child),
                                ty.name.name
                            ),
                        );
                    }
                    let value = self.value(r, &child, None)?;
                    obj.push_repeatable(&name, value);
                }
            }
        }
        Ok(obj.into_json())
    }

    /// The partner `sObject`: `type`, one `Id`, then the other fields in document order.
    /// `first` is its first child when the caller already read it.
    fn sobject(
        &mut self,
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
        ty: &'s ComplexType,
        tag: Option<&str>,
        mut first: Option<Element<'a>>,
    ) -> Result<Json> {
        let service = self.service;
        let fields = service.all_fields(&ty.name);
        let declared = |name: &str| fields.iter().find(|f| f.name == name).map(|f| &f.ty);
        let mut type_value = None;
        let mut id: Option<Json> = None;
        let mut have_id = false;
        let mut rest = Obj::default();
        while let Some(child) = self.child(r, el, &mut first)? {
            let name = child.name().into_owned();
            match sobject_part(r, &child) {
                SObjectPart::Type if type_value.is_none() => {
                    type_value = Some(self.value(r, &child, declared("type"))?);
                }
                SObjectPart::Type => {
                    let value = self.value(r, &child, declared("type"))?;
                    rest.push_repeatable(&name, value);
                }
                SObjectPart::Id if takes_id(have_id, &child) => {
                    have_id = true;
                    id = Some(self.value(r, &child, declared("Id"))?);
                }
                SObjectPart::Id if child.is_nil() => {
                    self.skip(r, &child)?;
                    id.get_or_insert(Json::Null);
                }
                SObjectPart::Id => {
                    let value = self.value(r, &child, declared("Id"))?;
                    if id.as_ref().is_some_and(|first| *first != value) {
                        self.warn(
                            child.offset(),
                            "a second sObject Id differs from the first; the first is kept",
                        );
                    }
                }
                SObjectPart::FieldsToNull => {
                    let value = self.value(r, &child, declared("fieldsToNull"))?;
                    rest.push_many(&name, value);
                }
                SObjectPart::Field => {
                    let value = self.sobject_field(r, &child, ty)?;
                    rest.push_repeatable(&name, value);
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

    /// One field of an sObject (the `xsd:any` part), dispatched as the runtime's sObject
    /// reader dispatches it ([`field_kind`]).
    fn sobject_field(
        &mut self,
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
        sobject: &'s ComplexType,
    ) -> Result<Json> {
        match field_kind(el) {
            FieldKind::Nil => {
                self.skip(r, el)?;
                Ok(Json::Null)
            }
            // Typed by `xsi:type`, which the model resolves (`sObject`, `QueryResult`,
            // `address`, `location`, `xsd:int`, …).
            FieldKind::SObject
            | FieldKind::Query
            | FieldKind::Address
            | FieldKind::Location
            | FieldKind::Typed => self.value(r, el, None),
            FieldKind::Untyped => match r.text_or_child(el).map_err(|e| self.xml_error(e))? {
                Content::Text(text) => Ok(Json::String(text.into_owned())),
                // Element content without `xsi:type`: a nested sObject.
                Content::Child(first) => self.sobject(r, el, sobject, None, Some(first)),
            },
        }
    }

    /// An element without a schema type: a string when it has no child elements, else an
    /// object of untyped members.
    fn untyped(&mut self, r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<Json> {
        let mut first = match r.text_or_child(el).map_err(|e| self.xml_error(e))? {
            Content::Text(text) => return Ok(Json::String(text.into_owned())),
            Content::Child(first) => Some(first),
        };
        let mut obj = Obj::default();
        while let Some(child) = self.child(r, el, &mut first)? {
            let value = self.value(r, &child, None)?;
            obj.push_repeatable(&child.name(), value);
        }
        Ok(obj.into_json())
    }

    /// The text of a leaf element; an error if it has child elements.
    fn leaf_text(&self, r: &mut XmlReader<'a>, el: &Element<'a>, what: &str) -> Result<String> {
        match r.text_or_child(el).map_err(|e| self.xml_error(e))? {
            Content::Text(text) => Ok(text.into_owned()),
            Content::Child(child) => Err(self.invalid(
                child.offset(),
                format!(
                    "`{}` should hold {what}, but has a child element {}",
                    el.name(),
                    describe(r, &child)
                ),
            )),
        }
    }

    /// A leaf value of a built-in type.
    fn builtin(
        &mut self,
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
        builtin: Builtin,
    ) -> Result<Json> {
        if builtin == Builtin::AnyType {
            return self.untyped(r, el);
        }
        let what = builtin.xsd_name();
        let text = self.leaf_text(r, el, &format!("an xsd:{what} value"))?;
        let trimmed = text.trim();
        let bad = || {
            self.invalid(
                el.offset(),
                format!(
                    "`{}` holds \"{}\", which is not a valid xsd:{what}",
                    el.name(),
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

/// The partner `sObject`: the complex type of that name that ends in `xsd:any`.
fn is_sobject(ty: &ComplexType) -> bool {
    ty.name.name == "sObject" && ty.any.is_some()
}

/// The qualified name of `el` (just returned by `r`).
fn qname_of(r: &XmlReader<'_>, el: &Element<'_>) -> QName {
    QName::new(r.namespace_of(el).unwrap_or_default(), el.name())
}

/// `{namespace}name` (or `name` without a namespace) for messages.
fn describe(r: &XmlReader<'_>, el: &Element<'_>) -> String {
    match r.namespace_of(el) {
        Some(ns) => format!("{{{ns}}}{}", el.name()),
        None => el.name().into_owned(),
    }
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
