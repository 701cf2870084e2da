//! The plain-data model every input is parsed into and every output is emitted from.
//!
//! Parsers (`wsdl`, later `describe`) know nothing about tokens; the emitter knows nothing
//! about XML. Collections are `BTreeMap`s or ordered `Vec`s so that output never depends on
//! hash order.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// An XML qualified name: namespace URI plus local name. Ordered by namespace, then name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QName {
    /// Namespace URI (`urn:partner.soap.sforce.com`); empty for no namespace.
    pub namespace: String,
    /// Local name (`QueryResult`).
    pub name: String,
}

impl QName {
    /// Builds a qualified name.
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        QName {
            namespace: namespace.into(),
            name: name.into(),
        }
    }
}

impl fmt::Display for QName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{}}}{}", self.namespace, self.name)
    }
}

/// One WSDL service: its types, global elements, operations and where it lives.
#[derive(Debug, Clone, Default)]
pub struct Service {
    /// `<service name>` (`SforceService`, `MetadataService`, `ApexService`).
    pub name: String,
    /// `<definitions targetNamespace>`.
    pub target_namespace: String,
    /// `<service><documentation>`.
    pub documentation: Option<String>,
    /// `soap:address location`; not to be trusted as an endpoint (see WIRE-NOTES).
    pub address: Option<String>,
    /// API version taken from the address path (`…/Soap/u/66.0` gives `66.0`).
    pub api_version: Option<String>,
    /// Every named complex type and every anonymous one (named after its element).
    pub complex_types: BTreeMap<QName, ComplexType>,
    /// Every named simple type.
    pub simple_types: BTreeMap<QName, SimpleType>,
    /// Global elements (operation wrappers, headers, faults).
    pub elements: BTreeMap<QName, Element>,
    /// Operations in portType order.
    pub operations: Vec<Operation>,
    /// Every part of the WSDL message(s) used as SOAP headers, in document order,
    /// deduplicated by element.
    pub headers: Vec<HeaderPart>,
    /// Constructs that were skipped, with where they were.
    pub warnings: Vec<Warning>,
}

/// A complex type: a sequence of elements, optionally extending a base type.
#[derive(Debug, Clone)]
pub struct ComplexType {
    /// Its qualified name; for an anonymous type, the name chosen for it (see `origin`).
    pub name: QName,
    /// `complexContent/extension base`, if any.
    pub base: Option<QName>,
    /// The type's own sequence, in order (base fields are not repeated here).
    pub fields: Vec<Field>,
    /// An `xsd:any` particle in the own sequence (the partner `sObject`, `ExtendedErrorDetails`).
    pub any: Option<AnyParticle>,
    /// Where the type came from.
    pub origin: TypeOrigin,
    /// `<annotation><documentation>` text.
    pub documentation: Option<String>,
}

/// How a complex type got its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeOrigin {
    /// `<complexType name="…">` at schema level.
    Named,
    /// The anonymous type of the global element with this name.
    Element(QName),
    /// The anonymous type of a local element `field` inside complex type `parent`.
    Local {
        /// The enclosing type.
        parent: QName,
        /// The element's local name.
        field: String,
    },
}

/// An `xsd:any` particle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnyParticle {
    /// The `namespace` attribute, resolved: `##targetNamespace` becomes the schema's namespace.
    pub namespace: String,
    /// `maxOccurs` of the particle.
    pub max_occurs: MaxOccurs,
}

/// One element of a sequence.
#[derive(Debug, Clone)]
pub struct Field {
    /// Local name on the wire (`queryLocator`, `Id`, `type`).
    pub name: String,
    /// Namespace of the element on the wire (the schema's target namespace when
    /// `elementFormDefault="qualified"`, else empty).
    pub namespace: String,
    /// The element's type.
    pub ty: TypeRef,
    /// `minOccurs` (default 1).
    pub min_occurs: u32,
    /// `maxOccurs` (default 1).
    pub max_occurs: MaxOccurs,
    /// `nillable="true"`.
    pub nillable: bool,
    /// `<annotation><documentation>` text.
    pub documentation: Option<String>,
}

/// `maxOccurs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxOccurs {
    /// A number (usually 1).
    Bounded(u32),
    /// `unbounded`.
    Unbounded,
}

impl MaxOccurs {
    /// More than one occurrence allowed.
    pub fn is_many(self) -> bool {
        !matches!(self, MaxOccurs::Bounded(0 | 1))
    }
}

/// What an element's `type` points at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A built-in XML Schema type.
    Builtin(Builtin),
    /// A named (or synthesized) simple type in `Service::simple_types`.
    Simple(QName),
    /// A named (or synthesized) complex type in `Service::complex_types`.
    Complex(QName),
}

/// The XML Schema built-in types Salesforce WSDLs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Builtin {
    /// `xsd:string` (also `anyURI`, `QName`, `token` and other string-like types).
    String,
    /// `xsd:boolean`.
    Boolean,
    /// `xsd:int` (also `short`, `byte`, `integer` when small).
    Int,
    /// `xsd:long`.
    Long,
    /// `xsd:double` (also `float`).
    Double,
    /// `xsd:decimal`.
    Decimal,
    /// `xsd:date`.
    Date,
    /// `xsd:dateTime`.
    DateTime,
    /// `xsd:time`.
    Time,
    /// `xsd:base64Binary`.
    Base64Binary,
    /// `xsd:anyType`: the value names its own type with `xsi:type`.
    AnyType,
}

impl Builtin {
    /// The built-in for the local name of an XML Schema type (`int`, `dateTime`), as every
    /// part of the generator maps it; `None` for names it does not support.
    pub fn from_xsd_name(name: &str) -> Option<Builtin> {
        Some(match name {
            "string" | "normalizedString" | "token" | "anyURI" | "QName" | "NCName" | "Name"
            | "ID" | "IDREF" | "NMTOKEN" | "ENTITY" | "language" | "anySimpleType" => {
                Builtin::String
            }
            "boolean" => Builtin::Boolean,
            "int" | "short" | "byte" | "integer" | "unsignedShort" | "unsignedByte"
            | "nonNegativeInteger" | "positiveInteger" | "nonPositiveInteger"
            | "negativeInteger" => Builtin::Int,
            "long" | "unsignedInt" => Builtin::Long,
            "unsignedLong" | "decimal" => Builtin::Decimal,
            "double" | "float" => Builtin::Double,
            "date" => Builtin::Date,
            "dateTime" => Builtin::DateTime,
            "time" => Builtin::Time,
            "base64Binary" => Builtin::Base64Binary,
            "anyType" => Builtin::AnyType,
            _ => return None,
        })
    }

    /// The XML Schema name of the built-in (`dateTime`).
    pub fn xsd_name(self) -> &'static str {
        match self {
            Builtin::String => "string",
            Builtin::Boolean => "boolean",
            Builtin::Int => "int",
            Builtin::Long => "long",
            Builtin::Double => "double",
            Builtin::Decimal => "decimal",
            Builtin::Date => "date",
            Builtin::DateTime => "dateTime",
            Builtin::Time => "time",
            Builtin::Base64Binary => "base64Binary",
            Builtin::AnyType => "anyType",
        }
    }
}

/// A named simple type: a restriction of a built-in, possibly an enumeration.
#[derive(Debug, Clone)]
pub struct SimpleType {
    /// Its qualified name.
    pub name: QName,
    /// The built-in it restricts (following chains of restrictions).
    pub base: Builtin,
    /// Enumerated values in document order; empty when it is not an enumeration.
    pub enumeration: Vec<EnumValue>,
    /// `<annotation><documentation>` text.
    pub documentation: Option<String>,
}

/// One `<enumeration value>`.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// The value on the wire; for an `xsd:QName` enumeration, the local name.
    pub value: String,
    /// For an `xsd:QName` enumeration, the namespace URI the value's prefix is bound to in
    /// the schema (values are matched by it, never by the prefix as written).
    pub namespace: Option<String>,
    /// Its documentation, if any.
    pub documentation: Option<String>,
}

/// A global element.
#[derive(Debug, Clone)]
pub struct Element {
    /// Its qualified name.
    pub name: QName,
    /// Its type (for an anonymous type, `TypeRef::Complex` of the synthesized type).
    pub ty: TypeRef,
    /// `nillable="true"`.
    pub nillable: bool,
}

/// A SOAP header part: `<part element="tns:CallOptions" name="CallOptions"/>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderPart {
    /// The part name, as the binding's `soap:header part=` refers to it.
    pub part: String,
    /// The global element sent as the header.
    pub element: QName,
}

/// One operation, merged from portType, messages and binding.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Operation name (`query`).
    pub name: String,
    /// `<documentation>` from the portType.
    pub documentation: Option<String>,
    /// `soap:operation soapAction` (often empty).
    pub soap_action: String,
    /// The body element sent (document/literal wrapped: `query`).
    pub input: QName,
    /// The body element received (`queryResponse`); `None` for one-way operations.
    pub output: Option<QName>,
    /// Header elements the binding allows on the request, in binding order.
    pub input_headers: Vec<QName>,
    /// Header elements the binding declares on the response, in binding order.
    pub output_headers: Vec<QName>,
    /// Fault detail elements the operation declares, in order.
    pub faults: Vec<QName>,
}

/// A construct the reader skipped: not fatal, reported to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Input file, as given.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What was skipped and why.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl Service {
    /// Keeps only the operations named `names` (as the WSDL spells them) and what they
    /// need: their body, header and fault elements, the header parts, and every type those
    /// reach through fields and bases, with each reached type's descendants (a field of a
    /// base type may hold any of them, by `xsi:type`). An unknown name is an error naming
    /// it (with the closest operation), and nothing is changed.
    ///
    /// ```
    /// # let mut service = sforce_codegen::model::Service::default();
    /// let err = service.retain_operations(&["qurey"]).unwrap_err();
    /// assert!(err.to_string().contains("qurey"));
    /// ```
    pub fn retain_operations<S: AsRef<str>>(&mut self, names: &[S]) -> crate::Result<()> {
        let wanted: BTreeSet<&str> = names.iter().map(|n| n.as_ref().trim()).collect();
        for name in &wanted {
            if !self.operations.iter().any(|op| op.name == *name) {
                let hint = crate::naming::did_you_mean(
                    name,
                    self.operations.iter().map(|op| op.name.as_str()),
                );
                return Err(crate::Error::Config(format!(
                    "operations: `{name}` is not an operation of `{}`{hint}",
                    self.name
                )));
            }
        }
        self.operations
            .retain(|op| wanted.contains(op.name.as_str()));
        let mut elements: BTreeSet<QName> = BTreeSet::new();
        for op in &self.operations {
            elements.insert(op.input.clone());
            elements.extend(op.output.iter().cloned());
            elements.extend(op.input_headers.iter().cloned());
            elements.extend(op.output_headers.iter().cloned());
            elements.extend(op.faults.iter().cloned());
        }
        self.headers.retain(|h| elements.contains(&h.element));
        self.elements.retain(|name, _| elements.contains(name));

        let mut derived: BTreeMap<&QName, Vec<&QName>> = BTreeMap::new();
        for t in self.complex_types.values() {
            if let Some(base) = &t.base {
                derived.entry(base).or_default().push(&t.name);
            }
        }
        let mut complex: BTreeSet<QName> = BTreeSet::new();
        let mut simple: BTreeSet<QName> = BTreeSet::new();
        let mut todo: Vec<TypeRef> = self.elements.values().map(|e| e.ty.clone()).collect();
        while let Some(ty) = todo.pop() {
            let name = match ty {
                TypeRef::Builtin(_) => continue,
                TypeRef::Simple(name) => {
                    simple.insert(name);
                    continue;
                }
                TypeRef::Complex(name) => name,
            };
            if complex.contains(&name) {
                continue;
            }
            if let Some(t) = self.complex_types.get(&name) {
                todo.extend(t.fields.iter().map(|f| f.ty.clone()));
                todo.extend(t.base.iter().cloned().map(TypeRef::Complex));
            }
            let descendants = derived.get(&name).into_iter().flatten();
            todo.extend(descendants.map(|d| TypeRef::Complex((*d).clone())));
            complex.insert(name);
        }
        self.complex_types.retain(|name, _| complex.contains(name));
        self.simple_types.retain(|name, _| simple.contains(name));
        Ok(())
    }

    /// All complex types that extend `base`, directly or through other types, sorted by name.
    pub fn descendants(&self, base: &QName) -> Vec<&ComplexType> {
        let mut out: Vec<&ComplexType> = self
            .complex_types
            .values()
            .filter(|t| t.name != *base && self.extends(&t.name, base))
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// `ty` and then its bases, nearest first, each type once: on a cyclic model (which
    /// the WSDL reader refuses, but one can be built by hand) the walk stops before the
    /// first type it would repeat, so it always ends.
    pub fn base_chain<'s>(&'s self, ty: &QName) -> impl Iterator<Item = &'s ComplexType> + 's {
        let mut seen: BTreeSet<&'s QName> = BTreeSet::new();
        let mut next = self.complex_types.get(ty);
        std::iter::from_fn(move || {
            let t = next.take()?;
            if !seen.insert(&t.name) {
                return None;
            }
            next = t.base.as_ref().and_then(|b| self.complex_types.get(b));
            Some(t)
        })
    }

    /// The first cycle of `complexContent` extensions, if any: types `[A, B, …, Z]` where
    /// A extends B, …, and Z extends A (`[A]` for a type extending itself). Types are
    /// visited in name order, so the result is deterministic; the work is linear in the
    /// number of types.
    pub fn extension_cycle(&self) -> Option<Vec<&QName>> {
        // 1: on the walk being followed, 2: known to reach no cycle (or already reported).
        let mut state: BTreeMap<&QName, u8> = BTreeMap::new();
        for start in self.complex_types.keys() {
            let mut path: Vec<&QName> = Vec::new();
            let mut cur = Some(start);
            while let Some(q) = cur {
                match state.get(q) {
                    Some(1) => {
                        let from = path.iter().position(|p| *p == q).unwrap_or(0);
                        return Some(path.split_off(from));
                    }
                    Some(_) => break,
                    None => {}
                }
                state.insert(q, 1);
                path.push(q);
                cur = self
                    .complex_types
                    .get(q)
                    .and_then(|t| t.base.as_ref())
                    .filter(|b| self.complex_types.contains_key(*b));
            }
            for q in path {
                state.insert(q, 2);
            }
        }
        None
    }

    /// `"A" extends "B" extends "A"` for a cycle from [`Service::extension_cycle`]; a
    /// cycle of more than eight types shows its first six and last one.
    pub fn describe_cycle(cycle: &[&QName]) -> String {
        let name = |q: &QName| format!("\"{}\"", q.name);
        let mut names: Vec<String> = if cycle.len() > 8 {
            let mut shown: Vec<String> = cycle[..6].iter().map(|q| name(q)).collect();
            shown.push(format!("… ({} types in all) …", cycle.len()));
            shown.extend(cycle[cycle.len() - 1..].iter().map(|q| name(q)));
            shown
        } else {
            cycle.iter().map(|q| name(q)).collect()
        };
        if let Some(first) = cycle.first() {
            names.push(name(first));
        }
        names.join(" extends ")
    }

    /// True when `ty` is `base` or extends it through any number of steps.
    pub fn extends(&self, ty: &QName, base: &QName) -> bool {
        ty == base || self.base_chain(ty).any(|t| t.name == *base)
    }

    /// True when `ty` or one of its bases has an `xsd:any` particle.
    pub fn has_any(&self, ty: &QName) -> bool {
        self.base_chain(ty).any(|t| t.any.is_some())
    }

    /// The fields of `ty` including those inherited from its bases, base first.
    pub fn all_fields(&self, ty: &QName) -> Vec<&Field> {
        let chain: Vec<&ComplexType> = self.base_chain(ty).collect();
        chain.iter().rev().flat_map(|t| t.fields.iter()).collect()
    }

    /// The operation named `name`.
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.name == name)
    }
}
