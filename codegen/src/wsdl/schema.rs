//! The embedded XML Schemas: complex types, simple types and global elements.

use std::collections::{HashMap, HashSet, VecDeque};

use roxmltree::Node;

use super::ctx::{self, child, describe, elements, local_in, Ctx, XSD_NS};
use crate::model::{
    AnyParticle, Builtin, ComplexType, Element, EnumValue, Field, MaxOccurs, QName, Service,
    SimpleType, TypeOrigin, TypeRef,
};
use crate::Result;

/// Facets of a restriction that carry no information for the model.
const IGNORED_FACETS: &[&str] = &[
    "length",
    "minLength",
    "maxLength",
    "pattern",
    "whiteSpace",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "totalDigits",
    "fractionDigits",
];

/// One `<schema>` element.
struct Schema<'a, 'input> {
    node: Node<'a, 'input>,
    tns: String,
    qualified: bool,
}

/// A complex type still to be read.
struct Job<'a, 'input> {
    node: Node<'a, 'input>,
    name: QName,
    origin: TypeOrigin,
    schema: usize,
    /// How the type is named in messages: `complexType "Bar"`, `element "query"`.
    what: String,
}

/// The base of a simple type before restriction chains are followed.
enum RawBase {
    Builtin(Builtin),
    Named(QName),
}

/// A simple type before restriction chains are followed.
struct RawSimple<'a, 'input> {
    node: Node<'a, 'input>,
    name: QName,
    base: RawBase,
    enumeration: Vec<EnumValue>,
    documentation: Option<String>,
    what: String,
}

/// The synthesized type of a global element with an anonymous type.
#[derive(Clone, Copy)]
enum AnonKind {
    Complex,
    Simple,
}

struct SchemaReader<'c, 'a, 'input> {
    ctx: &'c mut Ctx<'a>,
    schemas: Vec<Schema<'a, 'input>>,
    complex: HashMap<QName, Node<'a, 'input>>,
    simple: HashMap<QName, Node<'a, 'input>>,
    /// Global elements in document order, with their schema.
    globals: Vec<(QName, Node<'a, 'input>, usize)>,
    global_index: HashMap<QName, usize>,
    /// Synthesized type names of global elements with anonymous types.
    anon: HashMap<QName, (QName, AnonKind)>,
    /// Resolved types of global elements, for `ref=`.
    global_types: HashMap<QName, (TypeRef, bool)>,
    /// Every type name in use (named and synthesized, complex and simple).
    taken: HashSet<QName>,
    raw_simple: Vec<RawSimple<'a, 'input>>,
    queue: VecDeque<Job<'a, 'input>>,
}

/// Reads every `<types><schema>` of `definitions` into `service`.
pub(super) fn read<'a, 'input>(
    ctx: &mut Ctx<'a>,
    definitions: Node<'a, 'input>,
    service: &mut Service,
) -> Result<()> {
    let mut reader = SchemaReader {
        ctx,
        schemas: Vec::new(),
        complex: HashMap::new(),
        simple: HashMap::new(),
        globals: Vec::new(),
        global_index: HashMap::new(),
        anon: HashMap::new(),
        global_types: HashMap::new(),
        taken: HashSet::new(),
        raw_simple: Vec::new(),
        queue: VecDeque::new(),
    };
    reader.collect(definitions)?;
    reader.index()?;
    reader.reserve_anonymous();
    reader.named_simple_types()?;
    reader.global_element_types()?;
    reader.complex_types(service)?;
    reader.global_elements(service);
    reader.simple_types(service)
}

impl<'a, 'input> SchemaReader<'_, 'a, 'input> {
    /// Finds the `<schema>` elements below `<types>`.
    fn collect(&mut self, definitions: Node<'a, 'input>) -> Result<()> {
        for types in definitions
            .children()
            .filter(|n| ctx::is(*n, ctx::WSDL_NS, "types"))
        {
            for node in elements(types) {
                if ctx::is(node, XSD_NS, "schema") {
                    let qualified = match node.attribute("elementFormDefault") {
                        None | Some("unqualified") => false,
                        Some("qualified") => true,
                        Some(other) => {
                            return Err(self.ctx.invalid(
                                node,
                                format!("schema: bad elementFormDefault \"{other}\""),
                            ))
                        }
                    };
                    self.schemas.push(Schema {
                        node,
                        tns: node.attribute("targetNamespace").unwrap_or("").to_owned(),
                        qualified,
                    });
                } else if !ctx::is(node, ctx::WSDL_NS, "documentation") {
                    self.ctx.warn(
                        node,
                        format!("{} in <types> is not supported; skipped", describe(node)),
                    );
                }
            }
        }
        Ok(())
    }

    /// Indexes the named types and global elements of every schema.
    fn index(&mut self) -> Result<()> {
        for i in 0..self.schemas.len() {
            let schema = self.schemas[i].node;
            let tns = self.schemas[i].tns.clone();
            for node in elements(schema) {
                match local_in(node, XSD_NS) {
                    Some(kind @ ("complexType" | "simpleType")) => {
                        let name = self.ctx.required(node, "name", &format!("global {kind}"))?;
                        let q = QName::new(tns.as_str(), name);
                        if let Some(first) = self.complex.get(&q).or_else(|| self.simple.get(&q)) {
                            let (line, _) = self.ctx.position(*first);
                            return Err(self.ctx.invalid(
                                node,
                                format!(
                                    "{kind} \"{name}\": type {q} is already defined on line {line}"
                                ),
                            ));
                        }
                        self.taken.insert(q.clone());
                        if kind == "complexType" {
                            self.complex.insert(q, node);
                        } else {
                            self.simple.insert(q, node);
                        }
                    }
                    Some("element") => {
                        let name = self.ctx.required(node, "name", "global element")?;
                        let q = QName::new(tns.as_str(), name);
                        if let Some(&first) = self.global_index.get(&q) {
                            let (line, _) = self.ctx.position(self.globals[first].1);
                            return Err(self.ctx.invalid(
                                node,
                                format!("element \"{name}\": element {q} is already defined on line {line}"),
                            ));
                        }
                        self.global_index.insert(q.clone(), self.globals.len());
                        self.globals.push((q, node, i));
                    }
                    Some("import") => {
                        if let Some(location) = node.attribute("schemaLocation") {
                            self.ctx.warn(
                                node,
                                format!("import of schemaLocation \"{location}\" is not followed; only schemas inside the WSDL are read"),
                            );
                        }
                    }
                    Some("annotation") => {}
                    _ => self.ctx.warn(
                        node,
                        format!(
                            "{} at schema level is not supported; skipped",
                            describe(node)
                        ),
                    ),
                }
            }
        }
        Ok(())
    }

    /// A type name in `namespace` based on `base` that no other type uses yet.
    /// Tries `base`, then `base{word}`, `base{word}2`, … (`base2`, `base3`, … without a word).
    fn unique_name(&mut self, namespace: &str, base: &str, word: &str) -> QName {
        let mut candidate = QName::new(namespace, base);
        let mut n: u32 = 1;
        while self.taken.contains(&candidate) {
            candidate.name = match (word.is_empty(), n) {
                (false, 1) => format!("{base}{word}"),
                (false, _) => format!("{base}{word}{n}"),
                (true, _) => format!("{base}{}", n + 1),
            };
            n = n.saturating_add(1);
        }
        self.taken.insert(candidate.clone());
        candidate
    }

    /// Chooses names for the anonymous types of global elements, in document order.
    fn reserve_anonymous(&mut self) {
        for i in 0..self.globals.len() {
            let (q, node, _) = self.globals[i].clone();
            if type_attribute(node).is_some() || node.attribute("ref").is_some() {
                continue;
            }
            let kind = if child(node, XSD_NS, "complexType").is_some() {
                AnonKind::Complex
            } else if child(node, XSD_NS, "simpleType").is_some() {
                AnonKind::Simple
            } else {
                continue;
            };
            let name = self.unique_name(&q.namespace, &q.name, "Element");
            self.anon.insert(q, (name, kind));
        }
    }

    /// Resolves `raw` (a `type` or `base` attribute of `node`) to a type. `what` names the
    /// construct, `label` the attribute (`type`, `extension base`).
    fn resolve_type(
        &mut self,
        node: Node<'a, 'input>,
        raw: &str,
        what: &str,
        label: &str,
    ) -> Result<TypeRef> {
        let q = self.ctx.qname(node, raw, what)?;
        if q.namespace == XSD_NS {
            return Ok(TypeRef::Builtin(self.builtin(node, &q.name, what)));
        }
        self.known_type(q).ok_or_else(|| {
            self.ctx
                .invalid(node, format!("{what}: {label} \"{raw}\" is not defined"))
        })
    }

    /// `q` as a complex or simple type of the schemas, if it is one.
    fn known_type(&self, q: QName) -> Option<TypeRef> {
        if self.complex.contains_key(&q) {
            Some(TypeRef::Complex(q))
        } else if self.simple.contains_key(&q) {
            Some(TypeRef::Simple(q))
        } else {
            None
        }
    }

    /// The type an element's `type` attribute names. A namespace-qualified one
    /// (`fns:type="LoginFault"`, as Salesforce's Tooling WSDLs write fault elements) is not
    /// the `type` attribute by the XSD rules, but it plainly means the type of that name:
    /// it is read with a warning, an unprefixed value naming a type in the attribute's own
    /// namespace.
    fn resolve_element_type(
        &mut self,
        node: Node<'a, 'input>,
        attr: roxmltree::Attribute<'a, 'input>,
        what: &str,
    ) -> Result<TypeRef> {
        let raw = attr.value();
        let Some(namespace) = attr.namespace() else {
            return self.resolve_type(node, raw, what, "type");
        };
        let shown = match node.lookup_prefix(namespace) {
            Some(prefix) => format!("{prefix}:type"),
            None => format!("{{{namespace}}}type"),
        };
        self.ctx.warn(
            node,
            format!(
                "{what}: `{shown}=\"{raw}\"` is a namespace-qualified attribute, which XML \
                 Schema does not read as the element's type; read as the type it names, as \
                 Salesforce means it"
            ),
        );
        if raw.contains(':') {
            return self.resolve_type(node, raw, what, &shown);
        }
        match self.known_type(QName::new(namespace, raw.trim())) {
            Some(ty) => Ok(ty),
            // Not in the attribute's namespace: as an unprefixed QName would be read.
            None => self.resolve_type(node, raw, what, &shown),
        }
    }

    /// The built-in `name`; unknown ones are read as strings with a warning.
    fn builtin(&mut self, node: Node<'a, 'input>, name: &str, what: &str) -> Builtin {
        Builtin::from_xsd_name(name).unwrap_or_else(|| {
            self.ctx.warn(
                node,
                format!("{what}: XML Schema type \"{name}\" is not supported; read as a string"),
            );
            Builtin::String
        })
    }

    /// Reads the named simple types.
    fn named_simple_types(&mut self) -> Result<()> {
        for i in 0..self.schemas.len() {
            let schema = self.schemas[i].node;
            let tns = self.schemas[i].tns.clone();
            for node in elements(schema).filter(|n| ctx::is(*n, XSD_NS, "simpleType")) {
                let name = node.attribute("name").unwrap_or_default();
                let what = format!("simpleType \"{name}\"");
                self.raw_simple_type(node, QName::new(tns.as_str(), name), what)?;
            }
        }
        Ok(())
    }

    /// Reads one simple type (named or anonymous) as `name`.
    fn raw_simple_type(&mut self, node: Node<'a, 'input>, name: QName, what: String) -> Result<()> {
        let mut base = None;
        let mut enumeration = Vec::new();
        for part in elements(node) {
            match local_in(part, XSD_NS) {
                Some("annotation") => {}
                Some("restriction") if base.is_none() => {
                    base = Some(self.restriction(part, &what, &mut enumeration)?);
                }
                Some("list" | "union") => {
                    self.ctx.warn(
                        part,
                        format!(
                            "{what}: <{}> is not supported; read as a string",
                            ctx::tag(part)
                        ),
                    );
                    base = Some(RawBase::Builtin(Builtin::String));
                }
                _ => self.ctx.warn(
                    part,
                    format!("{} in {what} is not supported; skipped", describe(part)),
                ),
            }
        }
        let base = match base {
            Some(base) => base,
            None => {
                self.ctx.warn(
                    node,
                    format!("{what} has no <restriction>; read as a string"),
                );
                RawBase::Builtin(Builtin::String)
            }
        };
        self.raw_simple.push(RawSimple {
            node,
            name,
            base,
            enumeration,
            documentation: ctx::xsd_documentation(node),
            what,
        });
        Ok(())
    }

    /// Reads a simple type's `<restriction>`: its base and enumeration.
    fn restriction(
        &mut self,
        node: Node<'a, 'input>,
        what: &str,
        enumeration: &mut Vec<EnumValue>,
    ) -> Result<RawBase> {
        let mut base = match node.attribute("base") {
            Some(raw) => match self.resolve_type(node, raw, what, "restriction base")? {
                TypeRef::Builtin(b) => Some(RawBase::Builtin(b)),
                TypeRef::Simple(q) => Some(RawBase::Named(q)),
                TypeRef::Complex(_) => {
                    let message = format!("{what}: restriction base \"{raw}\" is a complexType");
                    return Err(self.ctx.invalid(node, message));
                }
            },
            None => None,
        };
        // An enumeration of `xsd:QName` values: each value's prefix is resolved here.
        let qname_base = match node.attribute("base") {
            Some(raw) => {
                let q = self.ctx.qname(node, raw, what)?;
                q.namespace == XSD_NS && q.name == "QName"
            }
            None => false,
        };
        for facet in elements(node) {
            match local_in(facet, XSD_NS) {
                Some("enumeration") => {
                    let what = format!("<{}> in {what}", ctx::tag(facet));
                    let value = self.ctx.required(facet, "value", &what)?;
                    let (value, namespace) = if qname_base {
                        let q = self.ctx.qname(facet, value, &what)?;
                        (q.name, Some(q.namespace))
                    } else {
                        (value.to_owned(), None)
                    };
                    enumeration.push(EnumValue {
                        value,
                        namespace,
                        documentation: ctx::xsd_documentation(facet),
                    });
                }
                Some("annotation") => {}
                Some("simpleType") if base.is_none() => {
                    self.ctx.warn(
                        facet,
                        format!("{what}: a restriction of an anonymous simpleType is not supported; read as a string"),
                    );
                    base = Some(RawBase::Builtin(Builtin::String));
                }
                Some(name) if IGNORED_FACETS.contains(&name) => {}
                _ => self.ctx.warn(
                    facet,
                    format!("{} in {what} is not supported; skipped", describe(facet)),
                ),
            }
        }
        match base {
            Some(base) => Ok(base),
            None => Err(self.ctx.invalid(
                node,
                format!("{what}: <restriction> has no \"base\" attribute"),
            )),
        }
    }

    /// Resolves the types of all global elements (needed by `ref=` and `Service::elements`).
    fn global_element_types(&mut self) -> Result<()> {
        for i in 0..self.globals.len() {
            let (q, node, _) = self.globals[i].clone();
            let what = format!("element \"{}\"", q.name);
            let nillable = self.nillable(node, &what)?;
            let ty = if let Some(attr) = type_attribute(node) {
                if let Some(inline) = inline_type(node) {
                    self.ctx.warn(
                        inline,
                        format!("{what} has both a \"type\" attribute and an anonymous type; the anonymous type is skipped"),
                    );
                }
                self.resolve_element_type(node, attr, &what)?
            } else if let Some((name, kind)) = self.anon.get(&q) {
                match kind {
                    AnonKind::Complex => TypeRef::Complex(name.clone()),
                    AnonKind::Simple => TypeRef::Simple(name.clone()),
                }
            } else {
                if node.attribute("ref").is_some() {
                    self.ctx.warn(
                        node,
                        format!("{what}: \"ref\" on a global element is ignored"),
                    );
                }
                TypeRef::Builtin(Builtin::AnyType)
            };
            self.global_types.insert(q, (ty, nillable));
        }
        Ok(())
    }

    /// Reads every complex type: named ones and anonymous ones of global elements in
    /// document order, then the anonymous ones of local elements as they are found.
    fn complex_types(&mut self, service: &mut Service) -> Result<()> {
        for i in 0..self.schemas.len() {
            let schema = self.schemas[i].node;
            let tns = self.schemas[i].tns.clone();
            for node in elements(schema) {
                match local_in(node, XSD_NS) {
                    Some("complexType") => {
                        let name = node.attribute("name").unwrap_or_default();
                        self.queue.push_back(Job {
                            node,
                            name: QName::new(tns.as_str(), name),
                            origin: TypeOrigin::Named,
                            schema: i,
                            what: format!("complexType \"{name}\""),
                        });
                    }
                    Some("element") => {
                        let name = node.attribute("name").unwrap_or_default();
                        let element = QName::new(tns.as_str(), name);
                        let Some((type_name, kind)) = self.anon.get(&element).cloned() else {
                            continue;
                        };
                        let what = format!("element \"{name}\"");
                        match kind {
                            AnonKind::Complex => {
                                if let Some(ct) = child(node, XSD_NS, "complexType") {
                                    self.queue.push_back(Job {
                                        node: ct,
                                        name: type_name,
                                        origin: TypeOrigin::Element(element),
                                        schema: i,
                                        what,
                                    });
                                }
                            }
                            AnonKind::Simple => {
                                if let Some(st) = child(node, XSD_NS, "simpleType") {
                                    self.raw_simple_type(st, type_name, what)?;
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut nodes: HashMap<QName, Node<'a, 'input>> = HashMap::new();
        while let Some(job) = self.queue.pop_front() {
            let ty = self.complex_type(&job)?;
            nodes.insert(ty.name.clone(), job.node);
            service.complex_types.insert(ty.name.clone(), ty);
        }
        // A cycle of extensions would make a type its own ancestor: refuse it here, before
        // anything walks the chains.
        if let Some(cycle) = service.extension_cycle() {
            let message = format!(
                "complexType {}: the extension chain is a cycle",
                Service::describe_cycle(&cycle)
            );
            let closing = cycle.last().and_then(|q| nodes.get(*q)).copied();
            return Err(
                match closing.or_else(|| self.schemas.first().map(|s| s.node)) {
                    Some(node) => self.ctx.invalid(node, message),
                    None => crate::Error::Config(message),
                },
            );
        }
        Ok(())
    }

    /// Reads one complex type.
    fn complex_type(&mut self, job: &Job<'a, 'input>) -> Result<ComplexType> {
        let mut ty = ComplexType {
            name: job.name.clone(),
            base: None,
            fields: Vec::new(),
            any: None,
            origin: job.origin.clone(),
            documentation: ctx::xsd_documentation(job.node),
        };
        if job.node.attribute("mixed") == Some("true") {
            self.ctx.warn(
                job.node,
                format!(
                    "{}: mixed content is not supported; text is ignored",
                    job.what
                ),
            );
        }
        let mut declared = HashMap::new();
        for part in elements(job.node) {
            match local_in(part, XSD_NS) {
                Some("annotation") => {}
                Some("sequence") => self.sequence(part, job, &mut ty, &mut declared)?,
                Some("complexContent") => {
                    self.complex_content(part, job, &mut ty, &mut declared)?
                }
                _ => self.skip(part, &job.what),
            }
        }
        Ok(ty)
    }

    /// Warns that `node` inside `what` was skipped.
    fn skip(&mut self, node: Node<'a, 'input>, what: &str) {
        self.ctx.warn(
            node,
            format!("{} in {what} is not supported; skipped", describe(node)),
        );
    }

    /// Reads `<complexContent>`: an extension of a base type.
    fn complex_content(
        &mut self,
        node: Node<'a, 'input>,
        job: &Job<'a, 'input>,
        ty: &mut ComplexType,
        declared: &mut HashMap<String, Node<'a, 'input>>,
    ) -> Result<()> {
        for part in elements(node) {
            match local_in(part, XSD_NS) {
                Some("annotation") => {}
                Some("extension") => {
                    let what = &job.what;
                    let raw = self.ctx.required(
                        part,
                        "base",
                        &format!("<{}> in {what}", ctx::tag(part)),
                    )?;
                    ty.base = match self.resolve_type(part, raw, what, "extension base")? {
                        TypeRef::Complex(q) => Some(q),
                        TypeRef::Builtin(Builtin::AnyType) => None,
                        _ => {
                            return Err(self.ctx.invalid(
                                part,
                                format!("{what}: extension base \"{raw}\" is not a complex type"),
                            ))
                        }
                    };
                    for inner in elements(part) {
                        match local_in(inner, XSD_NS) {
                            Some("annotation") => {}
                            Some("sequence") => self.sequence(inner, job, ty, declared)?,
                            _ => self.skip(inner, what),
                        }
                    }
                }
                _ => self.skip(part, &job.what),
            }
        }
        Ok(())
    }

    /// Reads a `<sequence>` into `ty.fields` and `ty.any`. `declared` holds the elements
    /// the type has declared so far (by local name, which is how readers match them): a
    /// second one of the same name is an error. (A derived type redeclaring an element of
    /// its base is not: that one is in another sequence, and the emitter drops it.)
    fn sequence(
        &mut self,
        node: Node<'a, 'input>,
        job: &Job<'a, 'input>,
        ty: &mut ComplexType,
        declared: &mut HashMap<String, Node<'a, 'input>>,
    ) -> Result<()> {
        let what = &job.what;
        let seq_what = format!("<{}> in {what}", ctx::tag(node));
        let min = self.min_occurs(node, &seq_what)?;
        let max = self.max_occurs(node, &seq_what)?;
        if min != 1 || max != MaxOccurs::Bounded(1) {
            self.ctx.warn(
                node,
                format!("{seq_what}: minOccurs/maxOccurs on a sequence are not supported; ignored"),
            );
        }
        for part in elements(node) {
            match local_in(part, XSD_NS) {
                Some("annotation") => {}
                Some("element") => {
                    let field = self.field(part, job)?;
                    if let Some(first) = declared.get(&field.name) {
                        let (line, column) = self.ctx.position(*first);
                        return Err(self.ctx.invalid(
                            part,
                            format!(
                                "{what}: element \"{}\" is declared twice in one sequence (first \
                                 on line {line}, column {column}); each element of a type needs \
                                 its own name",
                                field.name
                            ),
                        ));
                    }
                    declared.insert(field.name.clone(), part);
                    ty.fields.push(field);
                }
                Some("any") => {
                    let any_what = format!("<{}> in {what}", ctx::tag(part));
                    self.min_occurs(part, &any_what)?;
                    let max_occurs = self.max_occurs(part, &any_what)?;
                    let tns = &self.schemas[job.schema].tns;
                    let namespace = part
                        .attribute("namespace")
                        .unwrap_or("##any")
                        .split_whitespace()
                        .map(|t| {
                            if t == "##targetNamespace" {
                                tns.as_str()
                            } else {
                                t
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" ");
                    if ty.any.is_some() {
                        self.ctx.warn(
                            part,
                            format!("{any_what}: a second <any> is not supported; skipped"),
                        );
                    } else {
                        ty.any = Some(AnyParticle {
                            namespace,
                            max_occurs,
                        });
                    }
                }
                _ => self.skip(part, what),
            }
        }
        Ok(())
    }

    /// Reads one local `<element>` of a sequence.
    fn field(&mut self, node: Node<'a, 'input>, job: &Job<'a, 'input>) -> Result<Field> {
        let owner = &job.what;
        let schema = &self.schemas[job.schema];
        let (tns, qualified) = (schema.tns.clone(), schema.qualified);
        if let Some(raw) = node.attribute("ref") {
            let what = format!("element ref \"{raw}\" in {owner}");
            let q = self.ctx.qname(node, raw, &what)?;
            let Some((ty, nillable)) = self.global_types.get(&q).cloned() else {
                return Err(self
                    .ctx
                    .invalid(node, format!("{what}: element \"{raw}\" is not defined")));
            };
            let min_occurs = self.min_occurs(node, &what)?;
            let max_occurs = self.max_occurs(node, &what)?;
            let documentation = ctx::xsd_documentation(node).or_else(|| {
                self.global_index
                    .get(&q)
                    .and_then(|&i| ctx::xsd_documentation(self.globals[i].1))
            });
            return Ok(Field {
                name: q.name,
                namespace: q.namespace,
                ty,
                min_occurs,
                max_occurs,
                nillable,
                documentation,
            });
        }
        let name = self
            .ctx
            .required(node, "name", &format!("<{}> in {owner}", ctx::tag(node)))?;
        let what = format!("element \"{name}\" in {owner}");
        let min_occurs = self.min_occurs(node, &what)?;
        let max_occurs = self.max_occurs(node, &what)?;
        let nillable = self.nillable(node, &what)?;
        let namespace = match node.attribute("form") {
            Some("qualified") => tns.clone(),
            Some("unqualified") => String::new(),
            None if qualified => tns.clone(),
            None => String::new(),
            Some(other) => {
                return Err(self
                    .ctx
                    .invalid(node, format!("{what}: bad form \"{other}\"")))
            }
        };
        let inline = inline_type(node);
        let ty = if let Some(attr) = type_attribute(node) {
            if let Some(inline) = inline {
                self.ctx.warn(
                    inline,
                    format!("{what} has both a \"type\" attribute and an anonymous type; the anonymous type is skipped"),
                );
            }
            self.resolve_element_type(node, attr, &what)?
        } else if let Some(inline) = inline {
            let type_name = self.unique_name(&tns, &format!("{}_{name}", job.name.name), "");
            if ctx::is(inline, XSD_NS, "complexType") {
                self.queue.push_back(Job {
                    node: inline,
                    name: type_name.clone(),
                    origin: TypeOrigin::Local {
                        parent: job.name.clone(),
                        field: name.to_owned(),
                    },
                    schema: job.schema,
                    what: what.clone(),
                });
                TypeRef::Complex(type_name)
            } else {
                self.raw_simple_type(inline, type_name.clone(), what.clone())?;
                TypeRef::Simple(type_name)
            }
        } else {
            TypeRef::Builtin(Builtin::AnyType)
        };
        for extra in elements(node) {
            match local_in(extra, XSD_NS) {
                Some("annotation" | "complexType" | "simpleType") => {}
                _ => self.skip(extra, &what),
            }
        }
        Ok(Field {
            name: name.to_owned(),
            namespace,
            ty,
            min_occurs,
            max_occurs,
            nillable,
            documentation: ctx::xsd_documentation(node),
        })
    }

    /// `minOccurs` of `node` (default 1).
    fn min_occurs(&self, node: Node<'a, 'input>, what: &str) -> Result<u32> {
        match node.attribute("minOccurs") {
            None => Ok(1),
            Some(raw) => raw.trim().parse::<u32>().map_err(|_| {
                self.ctx.invalid(
                    node,
                    format!("{what}: bad minOccurs \"{raw}\" (expected a non-negative integer)"),
                )
            }),
        }
    }

    /// `maxOccurs` of `node` (default 1).
    fn max_occurs(&self, node: Node<'a, 'input>, what: &str) -> Result<MaxOccurs> {
        match node.attribute("maxOccurs") {
            None => Ok(MaxOccurs::Bounded(1)),
            Some(raw) if raw.trim() == "unbounded" => Ok(MaxOccurs::Unbounded),
            Some(raw) => raw.trim().parse::<u32>().map(MaxOccurs::Bounded).map_err(|_| {
                self.ctx.invalid(
                    node,
                    format!("{what}: bad maxOccurs \"{raw}\" (expected a non-negative integer or \"unbounded\")"),
                )
            }),
        }
    }

    /// `nillable` of `node` (default false).
    fn nillable(&self, node: Node<'a, 'input>, what: &str) -> Result<bool> {
        match node.attribute("nillable").map(str::trim) {
            None | Some("false" | "0") => Ok(false),
            Some("true" | "1") => Ok(true),
            Some(other) => Err(self.ctx.invalid(
                node,
                format!("{what}: bad nillable \"{other}\" (expected true or false)"),
            )),
        }
    }

    /// Fills `Service::elements` in document order of the schemas.
    fn global_elements(&mut self, service: &mut Service) {
        for (q, _, _) in &self.globals {
            if let Some((ty, nillable)) = self.global_types.get(q) {
                service.elements.insert(
                    q.clone(),
                    Element {
                        name: q.clone(),
                        ty: ty.clone(),
                        nillable: *nillable,
                    },
                );
            }
        }
    }

    /// Follows restriction chains and fills `Service::simple_types`.
    fn simple_types(&mut self, service: &mut Service) -> Result<()> {
        let by_name: HashMap<&QName, usize> = self
            .raw_simple
            .iter()
            .enumerate()
            .map(|(i, t)| (&t.name, i))
            .collect();
        for raw in &self.raw_simple {
            let mut enumeration = &raw.enumeration;
            let mut cur = raw;
            let mut steps = 0usize;
            let base = loop {
                match &cur.base {
                    RawBase::Builtin(b) => break *b,
                    RawBase::Named(q) => {
                        steps += 1;
                        let next = by_name.get(q).map(|&i| &self.raw_simple[i]);
                        let Some(next) = next.filter(|_| steps <= self.raw_simple.len()) else {
                            return Err(self.ctx.invalid(
                                raw.node,
                                format!("{}: restriction chain through {q} is circular", raw.what),
                            ));
                        };
                        if enumeration.is_empty() {
                            enumeration = &next.enumeration;
                        }
                        cur = next;
                    }
                }
            };
            service.simple_types.insert(
                raw.name.clone(),
                SimpleType {
                    name: raw.name.clone(),
                    base,
                    enumeration: enumeration.clone(),
                    documentation: raw.documentation.clone(),
                },
            );
        }
        Ok(())
    }
}

/// An element's `type` attribute: the plain one, else one in any namespace.
fn type_attribute<'a, 'input>(node: Node<'a, 'input>) -> Option<roxmltree::Attribute<'a, 'input>> {
    let mut qualified = None;
    for attr in node.attributes() {
        if attr.name() == "type" {
            if attr.namespace().is_none() {
                return Some(attr);
            }
            qualified.get_or_insert(attr);
        }
    }
    qualified
}

/// The anonymous `<complexType>` or `<simpleType>` child of an element, if any.
fn inline_type<'a, 'input>(node: Node<'a, 'input>) -> Option<Node<'a, 'input>> {
    elements(node).find(|n| ctx::is(*n, XSD_NS, "complexType") || ctx::is(*n, XSD_NS, "simpleType"))
}
