//! `SERVICE`, fault details, header structs, and the async and blocking clients.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::context::{ident, Ctx, Occurs, RustTy};
use super::docs;
use crate::model::{Operation, QName, TypeRef};
use crate::naming::{self, Case, Scope};
use crate::{Error, Result};

/// Operations whose array argument is sent in chunks, and the chunk size.
const BATCHED: &[(&str, usize)] = &[
    ("create", 200),
    ("update", 200),
    ("upsert", 200),
    ("delete", 200),
    ("undelete", 200),
    ("merge", 200),
    ("process", 200),
    ("convertLead", 200),
    ("emptyRecycleBin", 200),
    ("describeSObjects", 100),
    ("retrieve", 2000),
    ("sendEmail", 10),
];

/// Method names the clients define themselves.
const CLIENT_METHODS: &[&str] = &["new", "with_headers", "headers", "connection", "as_async"];

/// The name of the session header element.
const SESSION_HEADER: &str = "SessionHeader";

/// One header a struct holds.
struct HeaderField {
    /// The header element.
    element: QName,
    /// Rust field name (the same in `Headers` and every `<Op>Headers`).
    rust: String,
    /// Its Rust type.
    ty: RustTy,
}

/// One argument of an operation method.
struct Arg {
    /// Rust name.
    rust: String,
    /// Element tag written in the body (with prefix).
    tag: String,
    /// Its Rust type (before occurrence).
    ty: RustTy,
    /// Occurrence.
    occurs: Occurs,
    /// `None` is written as `xsi:nil` (nillable and required).
    nil_when_none: bool,
}

/// What an operation returns.
enum Output {
    /// Nothing (`()`): no response element or an empty one.
    Unit,
    /// The single field of the wrapper: the wrapper type, the field's Rust name, the
    /// field's type and occurrence.
    Field {
        wrapper: TokenStream,
        field: String,
        ty: RustTy,
        occurs: Occurs,
    },
    /// The wrapper (or non-complex element type) itself.
    Whole(RustTy),
}

/// Everything about one operation the client needs.
struct OpInfo<'a> {
    op: &'a Operation,
    method: String,
    method_with: String,
    headers_struct: String,
    headers: Vec<usize>,
    input_tag: String,
    args: Vec<Arg>,
    output: Output,
    batch: Option<(usize, usize)>,
}

/// `SERVICE`, faults, headers, the async client and (with `blocking`) its blocking twin.
pub(crate) fn emit_service(ctx: &mut Ctx<'_>, blocking: bool) -> Result<TokenStream> {
    let svc = ctx.svc;
    let request_headers = header_fields(ctx, true)?;
    let response_headers = header_fields(ctx, false)?;
    let mut methods = Scope::with_reserved(Case::Snake, CLIENT_METHODS);
    let mut ops = Vec::new();
    for op in &svc.operations {
        ops.push(op_info(ctx, op, &request_headers, &mut methods)?);
    }
    let ctx: &Ctx<'_> = ctx;
    let mut out = TokenStream::new();
    out.extend(emit_service_info(ctx));
    out.extend(emit_faults(ctx));
    out.extend(emit_headers(ctx, &request_headers, &response_headers, &ops));
    out.extend(emit_client(ctx, &request_headers, &ops, false));
    if blocking {
        out.extend(emit_client(ctx, &request_headers, &ops, true));
    }
    Ok(out)
}

/// Request headers (every input header but the session header) or response headers, in
/// the order of the service's header parts, then operation order for any not listed there.
fn header_fields(ctx: &Ctx<'_>, request: bool) -> Result<Vec<HeaderField>> {
    let mut used: Vec<&QName> = Vec::new();
    for op in &ctx.svc.operations {
        let list = if request {
            &op.input_headers
        } else {
            &op.output_headers
        };
        for q in list {
            if request && q.name == SESSION_HEADER {
                continue;
            }
            if !used.contains(&q) {
                used.push(q);
            }
        }
    }
    let mut ordered: Vec<&QName> = Vec::new();
    for part in &ctx.svc.headers {
        if used.contains(&&part.element) && !ordered.contains(&&part.element) {
            ordered.push(&part.element);
        }
    }
    for q in used {
        if !ordered.contains(&q) {
            ordered.push(q);
        }
    }
    let mut scope = Scope::new(Case::Snake);
    let mut seen_local = BTreeSet::new();
    let mut out = Vec::new();
    for q in ordered {
        // Response headers are matched by local name: the first of a name wins.
        if !request && !seen_local.insert(q.name.clone()) {
            continue;
        }
        let element = ctx.svc.elements.get(q).ok_or_else(|| {
            Error::Config(format!(
                "header element {q} is used by an operation's binding but not declared"
            ))
        })?;
        out.push(HeaderField {
            element: q.clone(),
            rust: scope.claim(&naming::snake_name(&q.name)),
            ty: ctx.rust_ty(&element.ty),
        });
    }
    Ok(out)
}

fn op_info<'a>(
    ctx: &mut Ctx<'_>,
    op: &'a Operation,
    request_headers: &[HeaderField],
    methods: &mut Scope,
) -> Result<OpInfo<'a>> {
    let method = methods.claim(&naming::snake_name(&op.name));
    let method_with = methods.claim(&format!("{}_with", method.trim_end_matches('_')));
    let headers_struct = ctx.type_scope.claim(&format!(
        "{}Headers",
        naming::type_name(&op.name).trim_end_matches('_')
    ));
    let headers = op
        .input_headers
        .iter()
        .filter_map(|q| request_headers.iter().position(|h| &h.element == q))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    let input = ctx.svc.elements.get(&op.input).ok_or_else(|| {
        Error::Config(format!(
            "operation `{}`: its input element {} is not declared",
            op.name, op.input
        ))
    })?;
    let input_tag = ctx.tag(&op.input.namespace, &op.input.name);
    let mut arg_scope = Scope::with_reserved(Case::Snake, &["self", "options"]);
    let mut args = Vec::new();
    match &input.ty {
        TypeRef::Complex(q) => {
            for f in ctx.fields(q, &[]) {
                args.push(Arg {
                    rust: arg_scope.claim(&naming::snake_name(&f.field.name)),
                    tag: ctx.tag(&f.field.namespace, &f.field.name),
                    ty: ctx.rust_ty(&f.field.ty),
                    occurs: f.occurs,
                    nil_when_none: f.nil_when_none,
                });
            }
        }
        other => args.push(Arg {
            rust: arg_scope.claim(&naming::snake_name(&op.input.name)),
            tag: input_tag.clone(),
            ty: ctx.rust_ty(other),
            occurs: Occurs::One,
            nil_when_none: false,
        }),
    }

    let output = match &op.output {
        None => Output::Unit,
        Some(q) => {
            let el = ctx.svc.elements.get(q).ok_or_else(|| {
                Error::Config(format!(
                    "operation `{}`: its output element {q} is not declared",
                    op.name
                ))
            })?;
            match &el.ty {
                TypeRef::Complex(t) if !ctx.is_sobject(t) && !ctx.kind_names.contains_key(t) => {
                    let fields = ctx.fields(t, &[]);
                    match fields.len() {
                        0 => Output::Unit,
                        1 if !fields[0].boxed => {
                            let wrapper = ctx.ty_tokens(&ctx.rust_ty(&el.ty), &TokenStream::new());
                            let f = &fields[0];
                            Output::Field {
                                wrapper,
                                field: f.rust.clone(),
                                ty: ctx.rust_ty(&f.field.ty),
                                occurs: f.occurs,
                            }
                        }
                        _ => Output::Whole(ctx.rust_ty(&el.ty)),
                    }
                }
                other => Output::Whole(ctx.rust_ty(other)),
            }
        }
    };

    let batch = BATCHED
        .iter()
        .find(|(name, _)| *name == op.name)
        .and_then(|(_, size)| {
            let many: Vec<usize> = args
                .iter()
                .enumerate()
                .filter(|(_, a)| a.occurs == Occurs::Many)
                .map(|(i, _)| i)
                .collect();
            let returns_vec = matches!(
                output,
                Output::Field {
                    occurs: Occurs::Many,
                    ..
                }
            );
            (many.len() == 1 && returns_vec).then(|| (many[0], *size))
        });

    Ok(OpInfo {
        op,
        method,
        method_with,
        headers_struct,
        headers,
        // A non-complex input element is written as the argument itself, not wrapped.
        input_tag: if matches!(input.ty, TypeRef::Complex(_)) {
            input_tag
        } else {
            String::new()
        },
        args,
        output,
        batch,
    })
}

/// The path of the endpoint before the version, from `soap:address`.
fn endpoint_path(ctx: &Ctx<'_>) -> String {
    let default = "/services/Soap/u/".to_owned();
    let Some(address) = ctx.svc.address.as_deref() else {
        return default;
    };
    let path = match address.find("://") {
        Some(i) => match address[i + 3..].find('/') {
            Some(j) => &address[i + 3 + j..],
            None => return default,
        },
        None => address,
    };
    let segments: Vec<&str> = path.split('/').collect();
    let version_at = segments.iter().position(|s| {
        Some(*s) == ctx.svc.api_version.as_deref()
            || (!s.is_empty()
                && s.chars().all(|c| c.is_ascii_digit() || c == '.')
                && s.contains('.'))
    });
    match version_at {
        Some(i) => format!("{}/", segments[..i].join("/")),
        // Not a Salesforce-style address: the path as it is.
        None if path.len() > 1 => path.to_owned(),
        None => default,
    }
}

fn emit_service_info(ctx: &Ctx<'_>) -> TokenStream {
    let rt = &ctx.rt;
    let name = ctx.svc.name.as_str();
    let namespaces = ctx.prefixes.iter().map(|(ns, p)| {
        let (ns, p) = (ns.as_str(), p.as_str());
        quote!((#p, #ns))
    });
    let session = ctx
        .svc
        .headers
        .iter()
        .find(|h| h.element.name == SESSION_HEADER)
        .map(|h| &h.element);
    let (session_header, session_id_tag) = match session {
        Some(q) => {
            let tag = ctx.tag(&q.namespace, &q.name);
            let id_tag = ctx
                .element_complex(q)
                .and_then(|t| t.fields.iter().find(|f| f.name == "sessionId"))
                .map(|f| ctx.tag(&f.namespace, &f.name))
                .unwrap_or_else(|| ctx.tag(&q.namespace, "sessionId"));
            (quote!(Some(#tag)), id_tag)
        }
        None => (quote!(None), String::new()),
    };
    let endpoint = endpoint_path(ctx);
    let version = ctx.svc.api_version.clone().unwrap_or_default();
    let doc = docs::attrs(&format!(
        "Static description of the `{name}` service: namespaces, session header, endpoint \
         path and API version {version}."
    ));
    quote! {
        #doc
        pub static SERVICE: #rt::ServiceInfo = #rt::ServiceInfo {
            name: #name,
            namespaces: &[#(#namespaces),*],
            session_header: #session_header,
            session_id_tag: #session_id_tag,
            endpoint_path: #endpoint,
            api_version: #version,
            read_fault_detail,
        };
    }
}

/// Fault types: the declared fault elements' types, their descendants and bases, with
/// every global element of those types; without declared faults, `ApiFault`, its
/// descendants and every type named `…Fault`, each read from an element of its name.
fn fault_types(ctx: &Ctx<'_>) -> (Vec<(String, QName)>, Vec<QName>) {
    let mut elements: Vec<(String, QName)> = Vec::new();
    let mut types: BTreeSet<QName> = BTreeSet::new();
    for op in &ctx.svc.operations {
        for f in &op.faults {
            if let Some(TypeRef::Complex(t)) = ctx.svc.elements.get(f).map(|e| &e.ty) {
                if ctx.is_sobject(t) {
                    continue;
                }
                if !elements.iter().any(|(n, _)| *n == f.name) {
                    elements.push((f.name.clone(), t.clone()));
                }
                types.insert(t.clone());
                if let Some(d) = ctx.descendants.get(t) {
                    types.extend(d.iter().cloned());
                }
            }
        }
    }
    if !elements.is_empty() {
        // Their bases too (a detail may come as the base, `xsi:type="sf:ApiFault"`), and
        // every global element of one of these types (`fns:fault`).
        for t in types.clone() {
            let mut cur = ctx.svc.complex_types.get(&t).and_then(|c| c.base.clone());
            let mut steps = 0;
            while let Some(b) = cur {
                steps += 1;
                if steps > 64 || ctx.is_sobject(&b) || !ctx.complex_names.contains_key(&b) {
                    break;
                }
                cur = ctx.svc.complex_types.get(&b).and_then(|c| c.base.clone());
                types.insert(b);
            }
        }
        for e in ctx.svc.elements.values() {
            if let TypeRef::Complex(t) = &e.ty {
                if types.contains(t) && !elements.iter().any(|(n, _)| *n == e.name.name) {
                    elements.push((e.name.name.clone(), t.clone()));
                }
            }
        }
    } else {
        for t in ctx.svc.complex_types.values() {
            if ctx.is_sobject(&t.name) {
                continue;
            }
            if t.name.name == "ApiFault" {
                types.insert(t.name.clone());
                if let Some(d) = ctx.descendants.get(&t.name) {
                    types.extend(d.iter().cloned());
                }
            } else if t.name.name.ends_with("Fault") {
                types.insert(t.name.clone());
            }
        }
        for t in &types {
            if !elements.iter().any(|(n, _)| *n == t.name) {
                elements.push((t.name.clone(), t.clone()));
            }
        }
    }
    elements.sort();
    (elements, types.into_iter().collect())
}

fn emit_faults(ctx: &Ctx<'_>) -> TokenStream {
    let rt = &ctx.rt;
    let (elements, types) = fault_types(ctx);
    let mut out = TokenStream::new();
    for q in &types {
        let name = ident(&ctx.complex_names[q]);
        let fields = ctx.fields(q, &[]);
        let text_of = |xml: &str| -> TokenStream {
            let Some(f) = fields.iter().find(|f| f.field.name == xml) else {
                return quote!(None);
            };
            let ty = ctx.rust_ty(&f.field.ty);
            if !ty.has_as_str() {
                return quote!(None);
            }
            let id = ident(&f.rust);
            match f.occurs {
                Occurs::One => quote!(Some(self.#id.as_str())),
                Occurs::Optional if ty.is_string() => quote!(self.#id.as_deref()),
                Occurs::Optional => quote!(self.#id.as_ref().map(|value| value.as_str())),
                Occurs::Many => quote!(self.#id.first().map(|value| value.as_str())),
            }
        };
        let code = text_of("exceptionCode");
        let message = text_of("exceptionMessage");
        let type_name = q.name.as_str();
        out.extend(quote! {
            impl #rt::FaultDetail for #name {
                fn as_any(&self) -> &dyn ::std::any::Any {
                    self
                }
                fn exception_code(&self) -> Option<&str> {
                    #code
                }
                fn exception_message(&self) -> Option<&str> {
                    #message
                }
                fn type_name(&self) -> &'static str {
                    #type_name
                }
            }
        });
    }

    let doc = docs::attrs(
        "Reads a fault's detail element into its generated type (chosen by `xsi:type`, \
               else by element name), boxed; skips details of unknown types.",
    );
    if types.is_empty() {
        out.extend(quote! {
            #doc
            fn read_fault_detail(
                reader: &mut #rt::XmlReader<'_>,
                element: &#rt::Element<'_>,
            ) -> Result<Option<Box<dyn #rt::FaultDetail>>, #rt::Error> {
                reader.skip(element)?;
                Ok(None)
            }
        });
        return out;
    }
    let mut seen = BTreeSet::new();
    let by_type = types
        .iter()
        .filter(|q| seen.insert(q.name.clone()))
        .map(|q| {
            let lit = q.name.as_str();
            let name = ident(&ctx.complex_names[q]);
            quote! { #lit => return #rt::fault_detail::<#name>(reader, element), }
        });
    let by_element = elements.iter().map(|(el, q)| {
        let lit = Literal::byte_string(el.as_bytes());
        let name = ident(&ctx.complex_names[q]);
        quote! { #lit => #rt::fault_detail::<#name>(reader, element), }
    });
    out.extend(quote! {
        #doc
        fn read_fault_detail(
            reader: &mut #rt::XmlReader<'_>,
            element: &#rt::Element<'_>,
        ) -> Result<Option<Box<dyn #rt::FaultDetail>>, #rt::Error> {
            if let Some(xsi_type) = element.xsi_type() {
                match xsi_type.as_str() {
                    #(#by_type)*
                    _ => {}
                }
            }
            match element.local_name() {
                #(#by_element)*
                _ => {
                    reader.skip(element)?;
                    Ok(None)
                }
            }
        }
    });
    out
}

fn emit_headers(
    ctx: &Ctx<'_>,
    request: &[HeaderField],
    response: &[HeaderField],
    ops: &[OpInfo<'_>],
) -> TokenStream {
    let rt = &ctx.rt;
    let none = TokenStream::new();
    let field_def = |h: &HeaderField| {
        let id = ident(&h.rust);
        let ty = ctx.ty_tokens(&h.ty, &none);
        let doc = docs::attrs(&format!("The `{}` header.", h.element.name));
        quote! { #doc pub #id: Option<#ty>, }
    };
    let setter_field = |h: &HeaderField| {
        let ty = ctx.ty_tokens(&h.ty, &none);
        (ident(&h.rust), quote!(Option<#ty>))
    };
    let all = request.iter().map(field_def);
    let all_setters = super::types::setters(&ident("Headers"), request.iter().map(setter_field));
    let mut out = quote! {
        /// The client's default request headers (every header the service accepts but
        /// `SessionHeader`, which the connection writes); each operation sends the ones
        /// its binding allows. Set them with the chaining setters
        /// (`Headers::default().call_options(..)`) or the public fields.
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct Headers {
            #(#all)*
        }
        #all_setters
    };
    for op in ops {
        let name = ident(&op.headers_struct);
        let fields = op.headers.iter().map(|&i| field_def(&request[i]));
        let op_setters =
            super::types::setters(&name, op.headers.iter().map(|&i| setter_field(&request[i])));
        let doc = docs::attrs(&format!(
            "Headers the `{}` operation accepts; each one set replaces the client's default \
             for one call.",
            op.op.name
        ));
        out.extend(quote! {
            #doc
            #[derive(Debug, Clone, Default, PartialEq)]
            pub struct #name {
                #(#fields)*
            }
            #op_setters
        });
    }
    let defs = response.iter().map(field_def);
    let arms: Vec<TokenStream> = response
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let id = ident(&h.rust);
            let lit = Literal::byte_string(h.element.name.as_bytes());
            let i = Literal::usize_unsuffixed(i);
            quote! { #lit => r.one(&child, #i, &mut out.#id)?, }
        })
        .collect();
    let singular = Literal::usize_unsuffixed(arms.len());
    let read = if arms.is_empty() {
        quote! {
            reader.skip(element)?;
            Ok(Self::default())
        }
    } else {
        quote! {
            let mut out = Self::default();
            let mut r = #rt::Children::<#singular>::new(reader, element);
            while let Some(child) = r.next_child()? {
                match child.local_name() {
                    #(#arms)*
                    _ => r.skip(&child)?,
                }
            }
            Ok(out)
        }
    };
    out.extend(quote! {
        /// Headers a response can carry (`soapenv:Header`), each present when the server sent it.
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct ResponseHeaders {
            #(#defs)*
        }

        impl #rt::FromXml for ResponseHeaders {
            fn read_xml(
                reader: &mut #rt::XmlReader<'_>,
                element: &#rt::Element<'_>,
            ) -> Result<Self, #rt::Error> {
                #read
            }
        }
    });
    out
}

/// The tokens of an argument's parameter type.
fn arg_type(ctx: &Ctx<'_>, arg: &Arg, scope: &TokenStream) -> TokenStream {
    let t = ctx.ty_tokens(&arg.ty, scope);
    let by_value = arg.ty.is_copy();
    let string = arg.ty.is_string();
    match (arg.occurs, by_value, string) {
        (Occurs::Many, _, _) => quote!(&[#t]),
        (Occurs::One, true, _) => t,
        (Occurs::One, false, true) => quote!(&str),
        (Occurs::One, false, false) => quote!(&#t),
        (Occurs::Optional, true, _) => quote!(Option<#t>),
        (Occurs::Optional, false, true) => quote!(Option<&str>),
        (Occurs::Optional, false, false) => quote!(Option<&#t>),
    }
}

/// Statement writing one argument inside the request body.
fn arg_write(ctx: &Ctx<'_>, arg: &Arg) -> TokenStream {
    let rt = &ctx.rt;
    let id = ident(&arg.rust);
    let tag = arg.tag.as_str();
    let by_value = arg.ty.is_copy();
    match arg.occurs {
        Occurs::Many => quote! {
            for item in #id {
                #rt::ToXml::write_xml(item, writer, #tag);
            }
        },
        Occurs::One if by_value => quote! { #rt::ToXml::write_xml(&#id, writer, #tag); },
        Occurs::One => quote! { #rt::ToXml::write_xml(#id, writer, #tag); },
        Occurs::Optional => {
            let value = if by_value {
                quote!(&value)
            } else {
                quote!(value)
            };
            if arg.nil_when_none {
                quote! {
                    match #id {
                        Some(value) => #rt::ToXml::write_xml(#value, writer, #tag),
                        None => writer.nil_element(#tag),
                    }
                }
            } else {
                quote! {
                    if let Some(value) = #id {
                        #rt::ToXml::write_xml(#value, writer, #tag);
                    }
                }
            }
        }
    }
}

/// The method's success type (`Out`).
fn out_type(ctx: &Ctx<'_>, output: &Output, scope: &TokenStream) -> TokenStream {
    match output {
        Output::Unit => quote!(()),
        Output::Field { ty, occurs, .. } => {
            let t = ctx.ty_tokens(ty, scope);
            match occurs {
                Occurs::One => t,
                Occurs::Optional => quote!(Option<#t>),
                Occurs::Many => quote!(Vec<#t>),
            }
        }
        Output::Whole(ty) => ctx.ty_tokens(ty, scope),
    }
}

fn method_doc(op: &OpInfo<'_>) -> String {
    let mut doc = op
        .op
        .documentation
        .as_deref()
        .map(docs::clean)
        .filter(|d| !d.is_empty())
        .map(|d| format!("{d}.").replace("..", "."))
        .unwrap_or_default();
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("Calls the `{}` operation.", op.op.name));
    if !op.op.faults.is_empty() {
        let faults: Vec<String> = op
            .op
            .faults
            .iter()
            .map(|f| format!("`{}`", f.name))
            .collect();
        doc.push_str(&format!(" Declared faults: {}.", faults.join(", ")));
    }
    if let Some((i, size)) = op.batch {
        doc.push_str(&format!(
            "\n\nSends at most {size} items of `{}` per request: a longer slice is split into \
             several calls made in order; the error of a failed call is a `BatchError` holding the \
             results of the batches before it (one per item, in order).",
            op.args[i].rust
        ));
    }
    doc
}

fn emit_client(
    ctx: &Ctx<'_>,
    request: &[HeaderField],
    ops: &[OpInfo<'_>],
    blocking: bool,
) -> TokenStream {
    let rt = &ctx.rt;
    let scope = if blocking {
        quote!(super::)
    } else {
        TokenStream::new()
    };
    let mut methods = Vec::new();
    for op in ops {
        let m = ident(&op.method);
        let m_with = ident(&op.method_with);
        let headers_ty = ident(&op.headers_struct);
        let params: Vec<TokenStream> = op
            .args
            .iter()
            .map(|a| {
                let id = ident(&a.rust);
                let t = arg_type(ctx, a, &scope);
                quote!(#id: #t)
            })
            .collect();
        let names: Vec<_> = op.args.iter().map(|a| ident(&a.rust)).collect();
        let out_ty = out_type(ctx, &op.output, &scope);
        let doc = docs::attrs(&method_doc(op));
        let doc_with = docs::attrs(&format!(
            "Like [`Self::{}`], with per-call headers and settings (timeout, size limit); also returns the \
             response headers.",
            op.method
        ));
        // clippy counts `self`; `_with` adds `options`.
        let allow_many = |extra: usize| {
            if op.args.len() + 1 + extra > 7 {
                quote!(#[allow(clippy::too_many_arguments)])
            } else {
                TokenStream::new()
            }
        };
        let allow_plain = allow_many(0);
        let allow_with = allow_many(1);
        let response_ty = quote!(#rt::Response<#out_ty, #scope ResponseHeaders>);
        // A batched call's error holds the results of the batches before it, typed.
        let err_ty = match (&op.batch, &op.output) {
            (Some(_), Output::Field { ty, .. }) => {
                let item = ctx.ty_tokens(ty, &scope);
                quote!(#rt::BatchError<#item>)
            }
            _ => quote!(#rt::Error),
        };
        if blocking {
            methods.push(quote! {
                #doc
                #allow_plain
                pub fn #m(&self, #(#params),*) -> Result<#out_ty, #err_ty> {
                    self.inner.connection.block_on(self.inner.#m(#(#names),*))
                }

                #doc_with
                #allow_with
                pub fn #m_with(
                    &self,
                    #(#params,)*
                    options: &#rt::RequestOptions<#scope #headers_ty>,
                ) -> Result<#response_ty, #err_ty> {
                    self.inner.connection.block_on(self.inner.#m_with(#(#names,)* options))
                }
            });
            continue;
        }
        let body = emit_call(ctx, op, request);
        methods.push(quote! {
            #doc
            #allow_plain
            pub async fn #m(&self, #(#params),*) -> Result<#out_ty, #err_ty> {
                self.#m_with(#(#names,)* &#rt::RequestOptions::default())
                    .await
                    .map(|response| response.body)
            }

            #doc_with
            #allow_with
            pub async fn #m_with(
                &self,
                #(#params,)*
                options: &#rt::RequestOptions<#headers_ty>,
            ) -> Result<#response_ty, #err_ty> {
                #body
            }
        });
    }

    let service = ctx.svc.name.as_str();
    if blocking {
        let doc = docs::attrs(&format!(
            "Blocking client for the `{service}` service: each method runs the async call \
             to completion on the connection's runtime. Cheap to clone."
        ));
        // Inside the runtime crate itself (`runtime_path = "crate"`), the blocking twin
        // exists only with the runtime's `blocking` feature, like `Connection::block_on`.
        let cfg = if rt.to_string().starts_with("crate ") {
            quote!(#[cfg(feature = "blocking")])
        } else {
            TokenStream::new()
        };
        return quote! {
            /// The blocking twin of the async `Client`.
            #cfg
            pub mod blocking {
                #doc
                #[derive(Clone)]
                pub struct Client {
                    inner: super::Client,
                }

                impl ::std::fmt::Debug for Client {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        self.inner.fmt(f)
                    }
                }

                impl From<super::Client> for Client {
                    fn from(inner: super::Client) -> Self {
                        Client { inner }
                    }
                }

                impl Client {
                    /// A client on `connection` with no default headers.
                    pub fn new(connection: #rt::Connection) -> Self {
                        Client {
                            inner: super::Client::new(connection),
                        }
                    }

                    /// A copy of this client whose default headers `edit` changed.
                    pub fn with_headers(&self, edit: impl FnOnce(&mut super::Headers)) -> Self {
                        Client {
                            inner: self.inner.with_headers(edit),
                        }
                    }

                    /// The default headers sent with every call that allows them.
                    pub fn headers(&self) -> &super::Headers {
                        self.inner.headers()
                    }

                    /// The connection calls go through.
                    pub fn connection(&self) -> &#rt::Connection {
                        self.inner.connection()
                    }

                    /// The async client behind this one.
                    pub fn as_async(&self) -> &super::Client {
                        &self.inner
                    }

                    #(#methods)*
                }
            }
        };
    }
    let doc = docs::attrs(&format!(
        "Async client for the `{service}` service: one method per operation, plus a \
         `_with` variant taking per-call headers and a timeout. Cheap to clone; clones share \
         the connection."
    ));
    quote! {
        #doc
        #[derive(Clone)]
        pub struct Client {
            connection: #rt::Connection,
            headers: ::std::sync::Arc<Headers>,
        }

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Client")
                    .field("service", &SERVICE.name)
                    .field("headers", &self.headers)
                    .finish_non_exhaustive()
            }
        }

        impl Client {
            /// A client on `connection` with no default headers.
            pub fn new(connection: #rt::Connection) -> Self {
                Client {
                    connection,
                    headers: ::std::sync::Arc::default(),
                }
            }

            /// A copy of this client whose default headers `edit` changed (this one keeps
            /// its own).
            pub fn with_headers(&self, edit: impl FnOnce(&mut Headers)) -> Self {
                let mut headers = Headers::clone(&self.headers);
                edit(&mut headers);
                Client {
                    connection: self.connection.clone(),
                    headers: ::std::sync::Arc::new(headers),
                }
            }

            /// The default headers sent with every call that allows them.
            pub fn headers(&self) -> &Headers {
                &self.headers
            }

            /// The connection calls go through.
            pub fn connection(&self) -> &#rt::Connection {
                &self.connection
            }

            #(#methods)*
        }
    }
}

/// The body of `<op>_with`.
fn emit_call(ctx: &Ctx<'_>, op: &OpInfo<'_>, request: &[HeaderField]) -> TokenStream {
    let rt = &ctx.rt;
    let name = op.op.name.as_str();
    let action = op.op.soap_action.as_str();

    let header_writes: Vec<TokenStream> = op
        .headers
        .iter()
        .map(|&i| {
            let h = &request[i];
            let id = ident(&h.rust);
            let tag = ctx.tag(&h.element.namespace, &h.element.name);
            quote! {
                #rt::write_header(writer, #tag, &set.#id, &defaults.#id);
            }
        })
        .collect();
    let write_headers = if header_writes.is_empty() {
        quote! { let write_headers = |_writer: &mut #rt::XmlWriter| {}; }
    } else {
        quote! {
            let (set, defaults): (_, &Headers) = (&options.headers, &self.headers);
            let write_headers = |writer: &mut #rt::XmlWriter| {
                #(#header_writes)*
            };
        }
    };
    let arg_writes: Vec<TokenStream> = op.args.iter().map(|a| arg_write(ctx, a)).collect();
    let write_body = if op.input_tag.is_empty() {
        quote! {
            let write_body = |writer: &mut #rt::XmlWriter| {
                #(#arg_writes)*
            };
        }
    } else {
        let tag = op.input_tag.as_str();
        quote! {
            let write_body = |writer: &mut #rt::XmlWriter| {
                writer.open(#tag);
                #(#arg_writes)*
                writer.close(#tag);
            };
        }
    };
    let none = TokenStream::new();
    let (read_ty, body_expr) = match &op.output {
        Output::Unit => (quote!(()), quote!(response.body)),
        Output::Field { wrapper, field, .. } => {
            let f = ident(field);
            (wrapper.clone(), quote!(response.body.#f))
        }
        Output::Whole(ty) => (ctx.ty_tokens(ty, &none), quote!(response.body)),
    };
    let call = quote! {
        self.connection
            .call(&SERVICE, &OPERATION, &write_headers, &write_body, options.call_settings())
            .await
    };
    let op_static = quote! {
        static OPERATION: #rt::OperationInfo = #rt::OperationInfo {
            name: #name,
            soap_action: #action,
        };
    };
    match op.batch {
        None => {
            let finish = match &op.output {
                Output::Field { .. } => quote! {
                    let response: #rt::Response<#read_ty, ResponseHeaders> = #call?;
                    Ok(#rt::Response {
                        body: #body_expr,
                        headers: response.headers,
                    })
                },
                _ => quote! { #call },
            };
            quote! {
                #op_static
                #write_headers
                #write_body
                #finish
            }
        }
        Some((i, size)) => {
            let items = ident(&op.args[i].rust);
            let size = Literal::usize_unsuffixed(size);
            quote! {
                #op_static
                let last_headers = ::std::sync::Mutex::new(None::<ResponseHeaders>);
                let body = #rt::in_batches(#items, #size, |#items| {
                    let last_headers = &last_headers;
                    async move {
                        #write_headers
                        #write_body
                        let response: #rt::Response<#read_ty, ResponseHeaders> = #call?;
                        if let Ok(mut slot) = last_headers.lock() {
                            *slot = Some(response.headers);
                        }
                        Ok(#body_expr)
                    }
                })
                .await?;
                let headers = last_headers
                    .into_inner()
                    .unwrap_or_else(::std::sync::PoisonError::into_inner)
                    .unwrap_or_default();
                Ok(#rt::Response { body, headers })
            }
        }
    }
}
