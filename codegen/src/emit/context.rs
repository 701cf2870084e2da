//! Everything the emitter decides before writing a token: namespace prefixes, the Rust
//! name of every type, which bases get a `Kind` enum, which fields are boxed, and how a
//! model type maps to a Rust type.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Builtin, ComplexType, Field, QName, Service, SimpleType, TypeOrigin, TypeRef};
use crate::naming::{self, Case, Scope};
use crate::{Error, Result, Settings};

/// The namespace of the partner `sObject`, whose prefix must be `sf` (the runtime's
/// `SObject` writes its fields as `sf:Name`).
pub(crate) const SOBJECT_PARTNER_NS: &str = "urn:sobject.partner.soap.sforce.com";

/// Type names the generated module defines itself.
pub(crate) const FIXED_TYPES: &[&str] = &["Client", "Headers", "ResponseHeaders"];

/// An identifier token (the names come from [`naming`], so they are valid).
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// A complex type's field after flattening, with its Rust name.
#[derive(Debug)]
pub(crate) struct FieldInfo<'a> {
    /// The model field.
    pub field: &'a Field,
    /// Rust field name.
    pub rust: String,
    /// Stored as `Box<T>` / `Option<Box<T>>` to break a cycle of inline types.
    pub boxed: bool,
    /// `T`, `Option<T>` or `Vec<T>`.
    pub occurs: Occurs,
    /// `None` is written as `xsi:nil` (nillable and required; also in header types, whose
    /// other required fields are merely omitted when `None`).
    pub nil_when_none: bool,
}

/// The Rust shape of a model type (before occurrence: `Option`/`Vec`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RustTy {
    /// A builtin.
    Builtin(Builtin),
    /// A simple type that is an enumeration: its enum name.
    Enum(String),
    /// A simple type that is not an enumeration: alias name and the builtin behind it.
    Alias(String, Builtin),
    /// A complex type without descendants: the struct name.
    Struct(String),
    /// A complex type with descendants: the `Kind` enum name.
    Kind(String),
    /// The partner `sObject`: the runtime's dynamic `SObject`.
    SObject,
    /// Salesforce's `ID` simple type: the runtime's `Id`.
    Id,
}

impl RustTy {
    /// The builtin behind the type, if it is one or an alias of one.
    pub(crate) fn builtin(&self) -> Option<Builtin> {
        match self {
            RustTy::Builtin(b) | RustTy::Alias(_, b) => Some(*b),
            _ => None,
        }
    }

    /// Passed and returned by value (`bool`, numbers, dates).
    pub(crate) fn is_copy(&self) -> bool {
        matches!(self, RustTy::Id)
            || matches!(
                self.builtin(),
                Some(
                    Builtin::Boolean
                        | Builtin::Int
                        | Builtin::Long
                        | Builtin::Double
                        | Builtin::Decimal
                        | Builtin::Date
                        | Builtin::DateTime
                        | Builtin::Time
                )
            )
    }

    /// A string (`&str` as an argument).
    pub(crate) fn is_string(&self) -> bool {
        self.builtin() == Some(Builtin::String)
    }

    /// Has an `as_str()` (strings and enumerations).
    pub(crate) fn has_as_str(&self) -> bool {
        self.is_string() || matches!(self, RustTy::Enum(_))
    }
}

/// How often a field occurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Occurs {
    /// Exactly once: `T`.
    One,
    /// At most once or nillable: `Option<T>`.
    Optional,
    /// Repeated: `Vec<T>`.
    Many,
}

/// The occurrence of a field.
pub(crate) fn occurs(field: &Field) -> Occurs {
    if field.max_occurs.is_many() {
        Occurs::Many
    } else if field.min_occurs == 0 || field.nillable {
        Occurs::Optional
    } else {
        Occurs::One
    }
}

/// Everything decided about one service.
pub(crate) struct Ctx<'a> {
    /// The model.
    pub svc: &'a Service,
    /// `<runtime>::__private`.
    pub rt: TokenStream,
    /// Namespace URI → prefix.
    pub prefixes: BTreeMap<String, String>,
    /// Complex type → struct name (the partner `sObject` has none).
    pub complex_names: BTreeMap<QName, String>,
    /// Simple type → enum or alias name.
    pub simple_names: BTreeMap<QName, String>,
    /// Base type → its `Kind` enum name.
    pub kind_names: BTreeMap<QName, String>,
    /// Base type → every descendant, sorted by name (transitive).
    pub descendants: BTreeMap<QName, Vec<QName>>,
    /// `(type, index in all_fields)` of fields stored boxed.
    pub boxed: BTreeSet<(QName, usize)>,
    /// The partner `sObject` complex type, if the service has it.
    pub sobject: Option<QName>,
    /// Type-namespace names taken so far (for `<Op>Headers`).
    pub type_scope: Scope,
    /// Types of request header elements: every single field is optional; `None` is
    /// omitted, or `xsi:nil` where the schema requires a nillable element (servers treat
    /// header fields as optional; the schema is stricter).
    pub relaxed: BTreeSet<QName>,
    /// Write `complex_type!` / `enumeration!` declarations as placeholder items for
    /// prettyplease (which prints a macro body as one run of tokens), rewritten into the
    /// invocations after formatting (`super::placeholders`).
    pub placeholders: bool,
    /// Emit the request body types too ([`Settings::request_types`]).
    pub request_types: bool,
}

impl<'a> Ctx<'a> {
    /// Analyses `svc`.
    pub(crate) fn new(svc: &'a Service, settings: &Settings) -> Result<Self> {
        let path: syn::Path = syn::parse_str(settings.runtime_path.trim()).map_err(|e| {
            Error::Config(format!(
                "runtime_path `{}` is not a Rust path: {e}",
                settings.runtime_path
            ))
        })?;
        let rt = quote!(#path::__private);

        let sobject = svc
            .complex_types
            .values()
            .find(|t| t.name.name == "sObject" && t.any.is_some())
            .map(|t| t.name.clone());

        let mut ctx = Ctx {
            svc,
            rt,
            prefixes: assign_prefixes(svc),
            complex_names: BTreeMap::new(),
            simple_names: BTreeMap::new(),
            kind_names: BTreeMap::new(),
            descendants: BTreeMap::new(),
            boxed: BTreeSet::new(),
            sobject,
            type_scope: Scope::new(Case::Camel),
            relaxed: BTreeSet::new(),
            placeholders: false,
            request_types: settings.request_types,
        };
        for op in &svc.operations {
            for h in &op.input_headers {
                if h.name == "SessionHeader" {
                    continue;
                }
                if let Some(TypeRef::Complex(t)) = svc.elements.get(h).map(|e| &e.ty) {
                    ctx.relaxed.insert(t.clone());
                }
            }
        }
        check_model(svc)?;
        ctx.compute_descendants();
        ctx.assign_type_names();
        ctx.check_references()?;
        ctx.compute_boxes();
        Ok(ctx)
    }

    fn compute_descendants(&mut self) {
        let mut children: BTreeMap<&QName, Vec<&QName>> = BTreeMap::new();
        for t in self.svc.complex_types.values() {
            if let Some(base) = &t.base {
                if base != &t.name {
                    children.entry(base).or_default().push(&t.name);
                }
            }
        }
        for base in children.keys() {
            let mut seen: BTreeSet<QName> = BTreeSet::new();
            let mut stack: Vec<&QName> = children[base].clone();
            while let Some(q) = stack.pop() {
                if q == *base || !seen.insert(q.clone()) {
                    continue;
                }
                if let Some(more) = children.get(q) {
                    stack.extend(more.iter().copied());
                }
            }
            // Only types the model actually has can be variants.
            let list: Vec<QName> = seen
                .into_iter()
                .filter(|q| self.svc.complex_types.contains_key(q))
                .collect();
            if !list.is_empty() && self.svc.complex_types.contains_key(*base) {
                self.descendants.insert((*base).clone(), list);
            }
        }
    }

    /// True when `q` is the partner `sObject` (mapped to the runtime type).
    pub(crate) fn is_sobject(&self, q: &QName) -> bool {
        self.sobject.as_ref() == Some(q)
    }

    fn assign_type_names(&mut self) {
        let mut scope = Scope::with_reserved(Case::Camel, naming::PRELUDE_TYPES);
        for name in FIXED_TYPES {
            scope.reserve(name);
        }
        // Priority: the target namespace first, named types before synthesized ones,
        // then by qualified name; complex before simple on equal keys.
        let tns = &self.svc.target_namespace;
        let mut all: Vec<(bool, bool, &QName, bool)> = Vec::new();
        for t in self.svc.complex_types.values() {
            if self.is_sobject(&t.name) {
                continue;
            }
            all.push((
                t.name.namespace != *tns,
                t.origin != TypeOrigin::Named,
                &t.name,
                false,
            ));
        }
        for t in self.svc.simple_types.values() {
            all.push((t.name.namespace != *tns, false, &t.name, true));
        }
        all.sort();
        let inputs: BTreeSet<&QName> = self.svc.operations.iter().map(|o| &o.input).collect();
        let plain_names: BTreeSet<String> = all
            .iter()
            .map(|(_, _, q, _)| naming::type_name(&q.name))
            .collect();
        for (_, _, q, simple) in all {
            let mut wanted =
                naming::generated_type_name(&q.name, |name| plain_names.contains(name));
            if !simple && scope.contains(&wanted) {
                // A synthesized type whose name is taken: an operation's request wrapper
                // becomes `<Name>Request`, another element's type `<Name>Element`.
                if let Some(TypeOrigin::Element(el)) =
                    self.svc.complex_types.get(q).map(|t| &t.origin)
                {
                    let suffix = if inputs.contains(el) {
                        "Request"
                    } else {
                        "Element"
                    };
                    let alt = format!("{}{suffix}", wanted.trim_end_matches('_'));
                    if !scope.contains(&alt) {
                        wanted = alt;
                    }
                }
            }
            let name = scope.claim(&wanted);
            if simple {
                self.simple_names.insert(q.clone(), name);
            } else {
                self.complex_names.insert(q.clone(), name);
            }
        }
        for base in self.descendants.keys() {
            if self.is_sobject(base) {
                continue;
            }
            let name = scope.claim(&format!("{}Kind", self.complex_names[base]));
            self.kind_names.insert(base.clone(), name);
        }
        self.type_scope = scope;
    }

    /// True when a field or an extension of some complex type names `q`.
    pub(crate) fn is_referenced(&self, q: &QName) -> bool {
        self.svc.complex_types.values().any(|t| {
            t.base.as_ref() == Some(q)
                || t.fields
                    .iter()
                    .any(|f| matches!(&f.ty, TypeRef::Complex(c) if c == q))
        })
    }

    fn check_references(&self) -> Result<()> {
        for t in self.svc.complex_types.values() {
            for f in &t.fields {
                self.check_ref(&f.ty, &format!("field `{}` of type {}", f.name, t.name))?;
            }
        }
        for e in self.svc.elements.values() {
            self.check_ref(&e.ty, &format!("element {}", e.name))?;
        }
        Ok(())
    }

    fn check_ref(&self, ty: &TypeRef, what: &str) -> Result<()> {
        let ok = match ty {
            TypeRef::Builtin(_) => true,
            TypeRef::Simple(q) => self.svc.simple_types.contains_key(q),
            TypeRef::Complex(q) => self.svc.complex_types.contains_key(q),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::Config(format!(
                "{what} refers to a type the service does not define: {ty:?}"
            )))
        }
    }

    /// Boxes every inline (non-`Vec`) field edge inside a strongly connected component of
    /// the "contains inline" graph (structs → field types, `Kind` enums → variants).
    fn compute_boxes(&mut self) {
        // Nodes: ("s", type) for structs, ("k", base) for Kind enums.
        type Node = (bool, QName); // (is_kind, name)
        let mut edges: BTreeMap<Node, Vec<(Node, Option<usize>)>> = BTreeMap::new();
        for t in self.svc.complex_types.values() {
            if self.is_sobject(&t.name) {
                continue;
            }
            let from: Node = (false, t.name.clone());
            let mut out = Vec::new();
            for (i, f) in self.svc.all_fields(&t.name).iter().enumerate() {
                if occurs(f) == Occurs::Many {
                    continue;
                }
                if let TypeRef::Complex(q) = &f.ty {
                    if self.is_sobject(q) {
                        continue;
                    }
                    let to = (self.kind_names.contains_key(q), q.clone());
                    out.push((to, Some(i)));
                }
            }
            edges.insert(from, out);
        }
        for (base, desc) in &self.descendants {
            if !self.kind_names.contains_key(base) {
                continue;
            }
            let mut out = vec![((false, base.clone()), None)];
            out.extend(desc.iter().map(|d| ((false, d.clone()), None)));
            edges.insert((true, base.clone()), out);
        }
        let comp = scc(&edges);
        for (from, out) in &edges {
            for (to, idx) in out {
                if let Some(i) = idx {
                    if comp.contains_key(from) && comp.get(from) == comp.get(to) {
                        self.boxed.insert((from.1.clone(), *i));
                    }
                }
            }
        }
    }

    /// The Rust shape of a type reference.
    pub(crate) fn rust_ty(&self, ty: &TypeRef) -> RustTy {
        match ty {
            TypeRef::Builtin(b) => RustTy::Builtin(*b),
            TypeRef::Simple(q) => match self.svc.simple_types.get(q) {
                Some(st) if is_enum(st) => RustTy::Enum(self.simple_names[q].clone()),
                Some(st) if is_salesforce_id(st) => RustTy::Id,
                Some(st) => RustTy::Alias(self.simple_names[q].clone(), st.base),
                None => RustTy::Builtin(Builtin::String),
            },
            TypeRef::Complex(q) => {
                if self.is_sobject(q) {
                    RustTy::SObject
                } else if let Some(k) = self.kind_names.get(q) {
                    RustTy::Kind(k.clone())
                } else {
                    RustTy::Struct(
                        self.complex_names
                            .get(q)
                            .cloned()
                            .unwrap_or_else(|| naming::type_name(&q.name)),
                    )
                }
            }
        }
    }

    /// Tokens naming a Rust type; `scope` is prepended to generated names (`super::`).
    pub(crate) fn ty_tokens(&self, ty: &RustTy, scope: &TokenStream) -> TokenStream {
        let rt = &self.rt;
        match ty {
            RustTy::Builtin(b) => builtin_tokens(*b, rt),
            RustTy::Enum(n) | RustTy::Alias(n, _) | RustTy::Struct(n) | RustTy::Kind(n) => {
                let id = ident(n);
                quote!(#scope #id)
            }
            RustTy::SObject => quote!(#rt::SObject),
            RustTy::Id => quote!(#rt::Id),
        }
    }

    /// Tokens of a field's full type (`Option<Box<T>>`, `Vec<T>`, …).
    pub(crate) fn field_tokens(&self, info: &FieldInfo<'_>) -> TokenStream {
        let inner = self.ty_tokens(&self.rust_ty(&info.field.ty), &TokenStream::new());
        let inner = if info.boxed {
            quote!(Box<#inner>)
        } else {
            inner
        };
        match info.occurs {
            Occurs::One => inner,
            Occurs::Optional => quote!(Option<#inner>),
            Occurs::Many => quote!(Vec<#inner>),
        }
    }

    /// The fields of a complex type, base first, with unique Rust names. A field whose
    /// XML name repeats an earlier one (a derived type redeclaring a base field) is dropped.
    pub(crate) fn fields(&self, q: &QName, reserved: &[&str]) -> Vec<FieldInfo<'a>> {
        let mut scope = Scope::with_reserved(Case::Snake, reserved);
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (i, f) in self.svc.all_fields(q).into_iter().enumerate() {
            if !seen.insert(f.name.as_str()) {
                continue;
            }
            let relaxed = self.relaxed.contains(q);
            let occurs = match occurs(f) {
                Occurs::One if relaxed => Occurs::Optional,
                o => o,
            };
            out.push(FieldInfo {
                field: f,
                rust: scope.claim(&naming::snake_name(&f.name)),
                boxed: self.boxed.contains(&(q.clone(), i)),
                occurs,
                nil_when_none: f.nillable && f.min_occurs > 0 && occurs == Occurs::Optional,
            });
        }
        out
    }

    /// `prefix:name` for an element in `namespace` (just `name` without a namespace).
    pub(crate) fn tag(&self, namespace: &str, name: &str) -> String {
        match self.prefixes.get(namespace) {
            Some(p) if !namespace.is_empty() => format!("{p}:{name}"),
            _ => name.to_owned(),
        }
    }

    /// The complex type behind an element, if its type is complex.
    pub(crate) fn element_complex(&self, q: &QName) -> Option<&'a ComplexType> {
        match &self.svc.elements.get(q)?.ty {
            TypeRef::Complex(t) => self.svc.complex_types.get(t),
            _ => None,
        }
    }
}

/// What the WSDL reader refuses, checked again for models built by hand: a cycle of
/// extensions (a type would be its own ancestor) and a type declaring one element twice
/// (its struct would have one field for two elements).
fn check_model(svc: &Service) -> Result<()> {
    if let Some(cycle) = svc.extension_cycle() {
        return Err(Error::Config(format!(
            "complexType {}: the extension chain is a cycle",
            Service::describe_cycle(&cycle)
        )));
    }
    for t in svc.complex_types.values() {
        let mut names = BTreeSet::new();
        for f in &t.fields {
            if !names.insert(f.name.as_str()) {
                return Err(Error::Config(format!(
                    "complex type {} declares the element \"{}\" twice",
                    t.name, f.name
                )));
            }
        }
    }
    Ok(())
}

/// An enumeration simple type (as opposed to a restricted builtin).
/// Salesforce's `ID` simple type (a restriction of `xsd:string`, 15 or 18 characters): it
/// is the runtime's `Id` in generated code, so that an Id one call returns is the
/// argument of the next.
pub(crate) fn is_salesforce_id(st: &SimpleType) -> bool {
    st.name.name == "ID" && st.base == Builtin::String && st.enumeration.is_empty()
}

pub(crate) fn is_enum(st: &SimpleType) -> bool {
    !st.enumeration.is_empty()
}

/// Tokens of a builtin's Rust type.
pub(crate) fn builtin_tokens(b: Builtin, rt: &TokenStream) -> TokenStream {
    match b {
        Builtin::String => quote!(String),
        Builtin::Boolean => quote!(bool),
        Builtin::Int => quote!(i32),
        Builtin::Long => quote!(i64),
        Builtin::Double => quote!(f64),
        Builtin::Decimal => quote!(#rt::Decimal),
        Builtin::Date => quote!(#rt::Date),
        Builtin::DateTime => quote!(#rt::DateTime),
        Builtin::Time => quote!(#rt::Time),
        Builtin::Base64Binary => quote!(#rt::Binary),
        Builtin::AnyType => quote!(#rt::AnyValue),
    }
}

/// Gives every namespace the service uses a prefix: the partner sObject namespace `sf`
/// (else the first `urn:sobject.*` namespace), the target namespace `p`, the first
/// namespace with `fault` in it `fns`, the others `ns1`, `ns2`, … in sorted order.
fn assign_prefixes(svc: &Service) -> BTreeMap<String, String> {
    let mut all: BTreeSet<&str> = BTreeSet::new();
    for t in svc.complex_types.values() {
        all.insert(&t.name.namespace);
        for f in &t.fields {
            all.insert(&f.namespace);
        }
    }
    for q in svc.simple_types.keys().chain(svc.elements.keys()) {
        all.insert(&q.namespace);
    }
    all.insert(&svc.target_namespace);
    all.remove("");

    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let sf = if all.contains(SOBJECT_PARTNER_NS) {
        Some(SOBJECT_PARTNER_NS)
    } else {
        all.iter()
            .copied()
            .find(|ns| ns.starts_with("urn:sobject."))
    };
    if let Some(ns) = sf {
        out.insert(ns.to_owned(), "sf".to_owned());
    }
    if !out.contains_key(svc.target_namespace.as_str()) && !svc.target_namespace.is_empty() {
        out.insert(svc.target_namespace.clone(), "p".to_owned());
    }
    if let Some(ns) = all
        .iter()
        .copied()
        .find(|ns| ns.contains("fault") && !out.contains_key(*ns))
    {
        out.insert(ns.to_owned(), "fns".to_owned());
    }
    let mut n = 1;
    for ns in all {
        if !out.contains_key(ns) {
            out.insert(ns.to_owned(), format!("ns{n}"));
            n += 1;
        }
    }
    out
}

/// Tarjan's strongly connected components (iterative); returns node → component id.
fn scc<N: Ord + Clone, L>(edges: &BTreeMap<N, Vec<(N, L)>>) -> BTreeMap<N, usize> {
    let mut index: BTreeMap<N, usize> = BTreeMap::new();
    let mut low: BTreeMap<N, usize> = BTreeMap::new();
    let mut on_stack: BTreeSet<N> = BTreeSet::new();
    let mut stack: Vec<N> = Vec::new();
    let mut comp: BTreeMap<N, usize> = BTreeMap::new();
    let mut next = 0usize;
    let mut comps = 0usize;
    let empty = Vec::new();

    for root in edges.keys() {
        if index.contains_key(root) {
            continue;
        }
        // Frames: (node, next edge position).
        let mut work: Vec<(N, usize)> = vec![(root.clone(), 0)];
        index.insert(root.clone(), next);
        low.insert(root.clone(), next);
        next += 1;
        stack.push(root.clone());
        on_stack.insert(root.clone());
        while let Some((node, pos)) = work.pop() {
            let out = edges.get(&node).unwrap_or(&empty);
            if pos < out.len() {
                work.push((node.clone(), pos + 1));
                let to = &out[pos].0;
                if !index.contains_key(to) {
                    index.insert(to.clone(), next);
                    low.insert(to.clone(), next);
                    next += 1;
                    stack.push(to.clone());
                    on_stack.insert(to.clone());
                    work.push((to.clone(), 0));
                } else if on_stack.contains(to) {
                    let l = low[&node].min(index[to]);
                    low.insert(node.clone(), l);
                }
            } else {
                if low[&node] == index[&node] {
                    while let Some(top) = stack.pop() {
                        on_stack.remove(&top);
                        comp.insert(top.clone(), comps);
                        if top == node {
                            break;
                        }
                    }
                    comps += 1;
                }
                if let Some((parent, _)) = work.last() {
                    let l = low[parent].min(low[&node]);
                    low.insert(parent.clone(), l);
                }
            }
        }
    }
    // A node alone in its component without a self edge is not a cycle: give it a unique
    // id so that only real cycles box. (Self edges keep the shared id.)
    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for c in comp.values() {
        *sizes.entry(*c).or_default() += 1;
    }
    let mut out = BTreeMap::new();
    for (node, c) in comp {
        let self_loop = edges
            .get(&node)
            .is_some_and(|es| es.iter().any(|(to, _)| *to == node));
        if sizes[&c] > 1 || self_loop {
            out.insert(node, c);
        }
    }
    out
}
