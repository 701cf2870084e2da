//! Structs for complex types, `Kind` enums for bases with descendants, enums and aliases
//! for simple types, with their `FromXml` / `ToXml` / `XmlText` impls.

use proc_macro2::TokenStream;
use quote::quote;

use super::context::{ident, is_enum, is_salesforce_id, Ctx, FieldInfo, Occurs, RustTy};
use super::docs;
use crate::model::{Builtin, ComplexType, QName, SimpleType, TypeOrigin, TypeRef};
use crate::naming::{self, Case, Scope};
use crate::Result;

/// Required elements the client's own logic depends on, with the built-in type they must
/// have: a query's `done` and `size`, a result's `success`. Missing or `xsi:nil`, they are
/// an error rather than a default (`false`, `0`), which would end a query early or report
/// a failed save as neither. Every other required element that is missing reads as its
/// default: a binding for a newer API version meets responses of older servers without the
/// elements added since.
const PROTOCOL_ELEMENTS: &[(&str, Builtin)] = &[
    ("done", Builtin::Boolean),
    ("size", Builtin::Int),
    ("success", Builtin::Boolean),
];

/// True for a required element listed in [`PROTOCOL_ELEMENTS`].
fn is_protocol_element(info: &FieldInfo<'_>) -> bool {
    info.occurs == Occurs::One
        && PROTOCOL_ELEMENTS.iter().any(|(name, builtin)| {
            info.field.name == *name && info.field.ty == TypeRef::Builtin(*builtin)
        })
}

/// All type definitions of the service, handed to `sink` one type at a time (its struct or
/// enum with its impls), so that a caller can format and drop each.
pub(crate) fn emit_types(
    ctx: &Ctx<'_>,
    sink: &mut dyn FnMut(TokenStream) -> Result<()>,
) -> Result<()> {
    // The anonymous types of the request body elements: each call writes its arguments
    // directly, so only code that reads requests wants them (`Settings::request_types`).
    let request_types: std::collections::BTreeSet<&QName> = if ctx.request_types {
        Default::default()
    } else {
        ctx.svc
            .operations
            .iter()
            .filter_map(|op| match ctx.svc.elements.get(&op.input).map(|e| &e.ty) {
                Some(TypeRef::Complex(q)) => Some(q),
                _ => None,
            })
            .filter(|q| {
                ctx.svc.complex_types.get(*q).is_some_and(|t| {
                    matches!(&t.origin, TypeOrigin::Element(_)) && !ctx.is_referenced(q)
                })
            })
            .collect()
    };
    for t in ctx.svc.complex_types.values() {
        if ctx.is_sobject(&t.name) || request_types.contains(&t.name) {
            continue;
        }
        sink(emit_struct(ctx, t))?;
    }
    for base in ctx.kind_names.keys() {
        sink(emit_kind(ctx, base))?;
    }
    for st in ctx.svc.simple_types.values() {
        sink(emit_simple(ctx, st))?;
    }
    Ok(())
}

fn field_doc(info: &FieldInfo<'_>) -> String {
    if let Some(d) = &info.field.documentation {
        let d = docs::clean(d);
        if !d.is_empty() {
            return d;
        }
    }
    let how = match info.occurs {
        Occurs::One => "",
        Occurs::Optional if info.nil_when_none => " (`None` is sent as `xsi:nil`)",
        Occurs::Optional => " (optional)",
        Occurs::Many => " (repeated)",
    };
    format!("The `{}` element{how}.", info.field.name)
}

/// The struct for one complex type, with its reader and writer.
fn emit_struct(ctx: &Ctx<'_>, t: &ComplexType) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&ctx.complex_names[&t.name]);
    let any = ctx.svc.has_any(&t.name);
    let fields = ctx.fields(&t.name, &[]);
    let any_name = if any {
        let mut scope = Scope::with_reserved(
            Case::Snake,
            &fields.iter().map(|f| f.rust.as_str()).collect::<Vec<_>>(),
        );
        Some(ident(&scope.claim("any")))
    } else {
        None
    };

    let what = match &t.origin {
        TypeOrigin::Named => format!("The `{}` complex type.", t.name.name),
        TypeOrigin::Element(el) => format!("The type of the `{}` element.", el.name),
        TypeOrigin::Local { parent, field } => {
            format!("The type of the `{field}` element in `{}`.", parent.name)
        }
    };
    let doc = docs::attrs(&type_doc(t.documentation.as_deref(), &what));
    // One row per field: docs, name, type and how it is read and written (see the
    // runtime's `complex_type!`).
    let mut rows = Vec::new();
    let success = save_result_success(&fields);
    for f in &fields {
        let fname = ident(&f.rust);
        let fty = ctx.field_tokens(f);
        let fdoc = docs::attrs(&field_doc(f));
        let tag = ctx.tag(&f.field.namespace, &f.field.name);
        let kind = match (f.occurs, success) {
            (Occurs::Many, _) => quote!(many(#tag)),
            _ if is_protocol_element(f) => quote!(strict(#tag)),
            (Occurs::Optional, Some(success)) if f.field.name == "id" && f.nil_when_none => {
                let success = ident(success);
                quote!(required_if(#tag, #success))
            }
            (Occurs::Optional, _) if f.nil_when_none => quote!(nillable(#tag)),
            _ => quote!(one(#tag)),
        };
        rows.push((fdoc, fname, fty, kind));
    }
    if let Some(a) = &any_name {
        rows.push((
            quote!(#[doc = " Elements the schema leaves open (`xsd:any`), kept as they came."]),
            a.clone(),
            quote!(Vec<#rt::AnyElement>),
            quote!(any),
        ));
    }

    // Structs carrying secrets (a login result's `sessionId`, a `password` argument) get a
    // `Debug` that prints a placeholder for them, so logging a value leaks nothing.
    let (derive, debug_impl) = if fields.iter().any(|f| naming::is_secret(&f.field.name)) {
        let shown = fields.iter().map(|f| {
            let fname = ident(&f.rust);
            let label = f.rust.trim_start_matches("r#");
            if naming::is_secret(&f.field.name) {
                quote! { .field(#label, &#rt::Redacted) }
            } else {
                quote! { .field(#label, &self.#fname) }
            }
        });
        let any_shown = any_name.iter().map(|a| {
            let label = a.to_string();
            quote! { .field(#label, &self.#a) }
        });
        let label = ctx.complex_names[&t.name].as_str();
        (
            quote! { #[derive(Clone, Default, PartialEq)] },
            quote! {
                impl ::std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.debug_struct(#label)
                            #(#shown)*
                            #(#any_shown)*
                            .finish()
                    }
                }
            },
        )
    } else {
        (
            quote! { #[derive(Debug, Clone, Default, PartialEq)] },
            quote! {},
        )
    };

    let declaration = if ctx.placeholders {
        let rows = rows.iter().map(|(fdoc, fname, fty, kind)| {
            let marker = ident(super::placeholders::FIELD);
            quote! { #fdoc #[#marker(#kind)] pub #fname: #fty, }
        });
        let marker = ident(super::placeholders::COMPLEX_TYPE);
        quote! {
            #[#marker]
            #doc
            #derive
            pub struct #name {
                #(#rows)*
            }
        }
    } else {
        let rows = rows.iter().map(|(fdoc, fname, fty, kind)| {
            quote! { #fdoc pub #fname: #fty = #kind, }
        });
        quote! {
            #rt::complex_type! {
                #doc
                #derive
                pub struct #name {
                    #(#rows)*
                }
            }
        }
    };
    // Header element types get chaining setters: they are what calls are configured with
    // (`QueryOptions::default().batch_size(500)`).
    let setters = if ctx.relaxed.contains(&t.name) {
        let fields = rows
            .iter()
            .map(|(_, fname, fty, _)| (fname.clone(), fty.clone()));
        setters(&name, fields)
    } else {
        TokenStream::new()
    };
    quote! {
        #declaration
        #debug_impl
        #setters
    }
}

/// Method names a setter must not take: an inherent method named like a trait method the
/// generated code or its users call (`Default::default`, `ToXml::write_xml`, …) would
/// shadow it. A field with such a name gets no setter (its field stays public).
const NOT_SETTERS: &[&str] = &[
    "default",
    "clone",
    "clone_from",
    "eq",
    "ne",
    "fmt",
    "read_xml",
    "write_xml",
    "write_fields",
    "into",
    "from",
    "to_owned",
];

/// `impl #name { pub fn field(mut self, value: impl Into<Type>) -> Self … }` for each of
/// `fields`: a setter per field, taking the field's type or anything that converts into it
/// (`T` for an `Option<T>` field).
pub(crate) fn setters(
    name: &proc_macro2::Ident,
    fields: impl Iterator<Item = (proc_macro2::Ident, TokenStream)>,
) -> TokenStream {
    let methods: Vec<TokenStream> = fields
        .filter(|(fname, _)| {
            let plain = fname.to_string();
            !NOT_SETTERS.contains(&plain.trim_start_matches("r#"))
        })
        .map(|(fname, fty)| {
            let doc = docs::attrs(&format!(
                "Sets `{}` and returns the value, for chaining.",
                fname.to_string().trim_start_matches("r#")
            ));
            quote! {
                #doc
                pub fn #fname(mut self, value: impl Into<#fty>) -> Self {
                    self.#fname = value.into();
                    self
                }
            }
        })
        .collect();
    if methods.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl #name {
            #(#methods)*
        }
    }
}

/// The Rust name of the `success` field of a DML result (a type with `id`, `success` and
/// `errors`: `SaveResult`, `UpsertResult`, `DeleteResult`, …), whose `id` is then
/// `required_if(…, success)` when nillable: a successful result must name its record, or
/// the caller cannot tell which record was saved; a failed one's is written `xsi:nil`.
fn save_result_success<'f>(fields: &'f [FieldInfo<'_>]) -> Option<&'f str> {
    let find = |name: &str| fields.iter().find(|f| f.field.name == name);
    find("id").filter(|f| f.occurs == Occurs::Optional)?;
    let success = find("success").filter(|f| is_protocol_element(f))?;
    find("errors").filter(|f| f.occurs == Occurs::Many)?;
    Some(success.rust.as_str())
}

fn type_doc(doc: Option<&str>, what: &str) -> String {
    let head = doc.map(docs::clean).filter(|d| !d.is_empty());
    match head {
        Some(d) => format!("{d}\n\n{what}"),
        None => what.to_owned(),
    }
}

/// The `Kind` enum of a base type: the base and every descendant, by `xsi:type`.
fn emit_kind(ctx: &Ctx<'_>, base: &QName) -> TokenStream {
    let rt = &ctx.rt;
    let kind_name = &ctx.kind_names[base];
    let kind = ident(kind_name);
    let base_name = &ctx.complex_names[base];
    let base_id = ident(base_name);
    let mut members: Vec<&QName> = vec![base];
    members.extend(ctx.descendants[base].iter());

    let mut variants = Vec::new();
    let mut read_arms = Vec::new();
    let mut write_arms = Vec::new();
    let mut froms = Vec::new();
    let mut seen_xml = std::collections::BTreeSet::new();
    seen_xml.insert(base.name.as_str());
    let base_fields = ctx.fields(base, &[]);
    let mut getter_scope = Scope::with_reserved(Case::Snake, &["type_name"]);
    let getter_names: Vec<String> = base_fields
        .iter()
        .map(|f| getter_scope.claim(&f.rust))
        .collect();
    let mut getter_arms: Vec<Vec<TokenStream>> = vec![Vec::new(); base_fields.len()];
    let mut type_name_arms = Vec::new();
    for q in &members {
        let own_fields = ctx.fields(q, &[]);
        for (i, bf) in base_fields.iter().enumerate() {
            let Some(f) = own_fields
                .iter()
                .find(|f| f.field.name == bf.field.name && f.occurs == bf.occurs)
            else {
                continue;
            };
            let v = ident(&ctx.complex_names[*q]);
            let fid = ident(&f.rust);
            let access = match (f.occurs, f.boxed) {
                (Occurs::One, true) => quote!(&*value.#fid),
                (Occurs::One, false) => quote!(&value.#fid),
                (Occurs::Optional, true) => quote!(value.#fid.as_deref()),
                (Occurs::Optional, false) => quote!(value.#fid.as_ref()),
                (Occurs::Many, _) => quote!(&value.#fid),
            };
            getter_arms[i].push(quote! { Self::#v(value) => #access, });
        }
        let v = ident(&ctx.complex_names[*q]);
        let lit = q.name.as_str();
        type_name_arms.push(quote! { Self::#v(_) => #lit, });
    }
    let mut getters = Vec::new();
    for (i, bf) in base_fields.iter().enumerate() {
        if getter_arms[i].len() != members.len() {
            continue;
        }
        let g = ident(&getter_names[i]);
        let inner = ctx.ty_tokens(&ctx.rust_ty(&bf.field.ty), &TokenStream::new());
        let ret = match bf.occurs {
            Occurs::One => quote!(&#inner),
            Occurs::Optional => quote!(Option<&#inner>),
            Occurs::Many => quote!(&[#inner]),
        };
        let arms = &getter_arms[i];
        let gdoc = docs::attrs(&format!(
            "The `{}` element, whichever the variant.",
            bf.field.name
        ));
        getters.push(quote! {
            #gdoc
            pub fn #g(&self) -> #ret {
                match self {
                    #(#arms)*
                }
            }
        });
    }
    for q in &members {
        let vname = &ctx.complex_names[*q];
        let v = ident(vname);
        let vdoc = docs::attrs(&format!("A `{}` (`xsi:type=\"{}\"`).", q.name, q.name));
        variants.push(quote! { #vdoc #v(#v), });
        let xsi = ctx.tag(&q.namespace, &q.name);
        write_arms.push(quote! {
            Self::#v(value) => {
                writer.open_typed(tag, #xsi);
                value.write_fields(writer);
                writer.close(tag);
            }
        });
        if *q != base && seen_xml.insert(q.name.as_str()) {
            let lit = q.name.as_str();
            read_arms.push(quote! {
                Some(#lit) => #rt::read_variant(reader, element, Self::#v),
            });
        }
        let fdoc = docs::attrs(&format!("Wraps a `{}`.", q.name));
        froms.push(quote! {
            impl From<#v> for #kind {
                #fdoc
                fn from(value: #v) -> Self {
                    Self::#v(value)
                }
            }
        });
    }
    let doc = docs::attrs(&format!(
        "A `{}` or a type derived from it; values carry `xsi:type` on the wire. An \
         element without a known `xsi:type` reads as the base type.",
        base.name
    ));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #kind {
            #(#variants)*
        }

        impl Default for #kind {
            fn default() -> Self {
                Self::#base_id(#base_id::default())
            }
        }

        impl #kind {
            /// The XML type name of the value (`xsi:type` without prefix).
            pub fn type_name(&self) -> &'static str {
                match self {
                    #(#type_name_arms)*
                }
            }

            #(#getters)*
        }

        impl #rt::FromXml for #kind {
            fn read_xml(
                reader: &mut #rt::XmlReader<'_>,
                element: &#rt::Element<'_>,
            ) -> Result<Self, #rt::Error> {
                // Each arm reads through a function of its own straight into the result:
                // arms that built the variant here would each get their own stack slot in
                // unoptimized builds, megabytes for a large hierarchy (the enterprise sObjects).
                match element.xsi_type().as_deref() {
                    #(#read_arms)*
                    _ => #rt::read_variant(reader, element, Self::#base_id),
                }
            }
        }

        impl #rt::ToXml for #kind {
            fn write_xml(&self, writer: &mut #rt::XmlWriter, tag: &str) {
                match self {
                    #(#write_arms)*
                }
            }
        }

        #(#froms)*
    }
}

/// An enumeration (enum with `Other`) or an alias of the builtin.
/// The one namespace of an `xsd:QName` enumeration's values (`None` for other types).
fn qname_namespace(st: &SimpleType) -> Option<&str> {
    st.enumeration.first()?.namespace.as_deref()
}

fn emit_simple(ctx: &Ctx<'_>, st: &SimpleType) -> TokenStream {
    let rt = &ctx.rt;
    let name_str = &ctx.simple_names[&st.name];
    let name = ident(name_str);
    if is_salesforce_id(st) {
        return TokenStream::new();
    }
    if !is_enum(st) {
        let doc = docs::attrs(&type_doc(
            st.documentation.as_deref(),
            &format!("The `{}` simple type.", st.name.name),
        ));
        let ty = ctx.ty_tokens(&RustTy::Builtin(st.base), &TokenStream::new());
        return quote! {
            #doc
            pub type #name = #ty;
        };
    }
    let doc = docs::attrs(&type_doc(
        st.documentation.as_deref(),
        &format!("The `{}` enumeration.", st.name.name),
    ));
    let mut scope = Scope::with_reserved(Case::Camel, &["Other"]);
    let mut seen = std::collections::BTreeSet::new();
    let mut variants = Vec::new();
    for v in &st.enumeration {
        if !seen.insert(v.value.as_str()) {
            continue;
        }
        let mut wanted = naming::variant_name(&v.value);
        if wanted == "Other" {
            wanted = "OtherValue".to_owned();
        }
        let vid = ident(&scope.claim(&wanted));
        let value = v.value.as_str();
        // The macro documents each variant with its value; the schema's words follow.
        let vdoc = match v.documentation.as_deref().map(docs::clean) {
            Some(d) if !d.is_empty() => docs::attrs(&d),
            _ if value.is_empty() => docs::attrs("(The empty value.)"),
            _ => TokenStream::new(),
        };
        variants.push(quote! { #vdoc #vid = #value, });
    }
    let xsd = st.name.name.as_str();
    // An `xsd:QName` enumeration (values in one namespace) is matched by namespace URI.
    let qname = qname_namespace(st).map(|ns| {
        let prefix = ctx.prefixes.get(ns).map_or("q", String::as_str);
        quote!(, qname #ns as #prefix)
    });
    if ctx.placeholders {
        let marker = ident(super::placeholders::ENUMERATION);
        quote! {
            #[#marker(#xsd #qname)]
            #doc
            pub enum #name {
                #(#variants)*
            }
        }
    } else {
        quote! {
            #rt::enumeration! {
                #doc
                pub enum #name (#xsd #qname) {
                    #(#variants)*
                }
            }
        }
    }
}
