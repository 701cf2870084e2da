//! `#[sobject(name = "Account")]` on a struct whose fields are `Field<T>`: implements
//! `SObjectType` (typed ⇄ dynamic sObject) and `FieldType` (so the struct can be a parent
//! relationship of another), and checks the struct against a describe dump when one is
//! configured.

use heck::ToUpperCamelCase;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Fields, ItemStruct, LitBool, LitStr, Token};

use super::{describe_command, runtime_path, track_files, MacroContext};
use crate::describe::{types, SObjectDescribe, Schema};
use crate::naming;

/// The struct-level arguments: `name = "…"`, `describe = "…"`, `crate = "…"`.
#[derive(Default)]
struct StructArgs {
    name: Option<LitStr>,
    describe: Option<LitStr>,
    runtime: Option<LitStr>,
}

impl syn::parse::Parse for StructArgs {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        let mut args = StructArgs::default();
        while !input.is_empty() {
            let key: syn::Ident = if input.peek(Token![crate]) {
                let token: Token![crate] = input.parse()?;
                syn::Ident::new("crate", token.span)
            } else {
                input.parse()?
            };
            input.parse::<Token![=]>()?;
            let value: LitStr = input.parse()?;
            match key.to_string().as_str() {
                "name" => args.name = Some(value),
                "describe" => args.describe = Some(value),
                "crate" => args.runtime = Some(value),
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown #[sobject] argument `{other}`; expected `name`, `describe` \
                             or `crate`"
                        ),
                    ))
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(args)
    }
}

/// One field's `#[sobject(…)]` arguments.
#[derive(Default)]
struct FieldArgs {
    api_name: Option<LitStr>,
    createable: Option<bool>,
    updateable: Option<bool>,
    skip: bool,
}

fn field_args(attrs: &[syn::Attribute]) -> syn::Result<FieldArgs> {
    let mut args = FieldArgs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("sobject")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("field") {
                args.api_name = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("createable") {
                args.createable = Some(meta.value()?.parse::<LitBool>()?.value);
            } else if meta.path.is_ident("updateable") {
                args.updateable = Some(meta.value()?.parse::<LitBool>()?.value);
            } else if meta.path.is_ident("skip") {
                args.skip = true;
            } else {
                return Err(meta.error(
                    "unknown #[sobject] field argument; expected `field = \"ApiName\"`, \
                     `createable = bool`, `updateable = bool` or `skip`",
                ));
            }
            Ok(())
        })?;
    }
    Ok(args)
}

/// One struct field, resolved.
pub(super) struct SField {
    ident: syn::Ident,
    /// `T` of `Field<T>`; `None` for skipped fields.
    value_type: Option<syn::Type>,
    api_name: String,
    api_span: Span,
    createable: Option<bool>,
    updateable: Option<bool>,
    skip: bool,
    span: Span,
    /// The field's `#[cfg(…)]` attributes, repeated on everything generated for it.
    cfgs: Vec<syn::Attribute>,
}

/// Expands `#[sobject(args)] item`. Errors come back as `compile_error!`s pointing at the
/// offending argument or field, all of them at once.
pub fn expand_sobject(args: TokenStream, item: TokenStream, ctx: &MacroContext) -> TokenStream {
    match expand(args, item, ctx) {
        Ok(tokens) => tokens,
        Err(error) => error.to_compile_error(),
    }
}

fn expand(args: TokenStream, item: TokenStream, ctx: &MacroContext) -> syn::Result<TokenStream> {
    let args: StructArgs = syn::parse2(args)?;
    let mut item: ItemStruct = syn::parse2(item)?;
    if !item.generics.params.is_empty() {
        return Err(syn::Error::new(
            item.generics.span(),
            "#[sobject] structs cannot be generic",
        ));
    }
    let object = match &args.name {
        Some(name) => name.value(),
        None => item.ident.to_string(),
    };
    let object_span = args.name.as_ref().map_or(item.ident.span(), LitStr::span);
    let runtime = match &args.runtime {
        Some(path) => runtime_path(&path.value(), path.span())?,
        None => syn::parse_quote!(::sforce),
    };

    let Fields::Named(named) = &mut item.fields else {
        return Err(syn::Error::new(
            item.ident.span(),
            "#[sobject] needs a struct with named fields",
        ));
    };
    let mut errors: Option<syn::Error> = None;
    let mut push = |error: syn::Error| match &mut errors {
        Some(all) => all.combine(error),
        None => errors = Some(error),
    };
    let mut fields = Vec::new();
    for field in named.named.iter_mut() {
        let Some(ident) = field.ident.clone() else {
            continue; // named fields always have one
        };
        let parsed = match field_args(&field.attrs) {
            Ok(parsed) => parsed,
            Err(error) => {
                push(error);
                continue;
            }
        };
        field.attrs.retain(|a| !a.path().is_ident("sobject"));
        let cfgs: Vec<syn::Attribute> = field
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("cfg"))
            .cloned()
            .collect();
        let value_type = if parsed.skip {
            None
        } else {
            match field_value_type(&field.ty) {
                Some(ty) => Some(ty.clone()),
                None => {
                    push(syn::Error::new(
                        field.ty.span(),
                        format!(
                            "#[sobject] field `{ident}` must have type `Field<T>` (or be marked \
                             `#[sobject(skip)]`)"
                        ),
                    ));
                    continue;
                }
            }
        };
        let (api_name, api_span) = match &parsed.api_name {
            Some(lit) => (lit.value(), lit.span()),
            None => (
                ident
                    .to_string()
                    .trim_end_matches('_')
                    .to_upper_camel_case(),
                ident.span(),
            ),
        };
        fields.push(SField {
            span: field.span(),
            ident,
            value_type,
            api_name,
            api_span,
            createable: parsed.createable,
            updateable: parsed.updateable,
            skip: parsed.skip,
            cfgs,
        });
    }

    let describe_arg = args.describe.as_ref().map(LitStr::value);
    let mut tracked = Vec::new();
    match ctx.dumps(describe_arg.as_deref()) {
        Ok(Some(dumps)) => {
            let schema = &dumps.schema;
            let at = (object.as_str(), object_span, dumps.dir.as_str());
            if let Err(error) = check(schema, at, &mut fields, &mut tracked) {
                push(error);
            }
        }
        Ok(None) => {
            if let Some(message) = ctx.missing_dumps(&object, true) {
                push(syn::Error::new(object_span, message));
            }
        }
        Err(message) => push(syn::Error::new(
            args.describe
                .as_ref()
                .map_or(Span::call_site(), LitStr::span),
            message,
        )),
    }
    if let Some(errors) = errors {
        // Keep the struct itself, so that its uses elsewhere do not add errors of their own.
        let errors = errors.to_compile_error();
        return Ok(quote! {
            #item
            #errors
        });
    }
    let track = track_files(tracked.iter().map(|p: &std::path::PathBuf| p.as_path()));
    let body = implement(&item.ident, &object, &runtime, &fields);
    Ok(quote! {
        #item
        #body
        #track
    })
}

/// `T` when `ty` is `Field<T>` (any path ending in `Field`).
fn field_value_type(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Field" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// The name the type check looks at: the last path segment, through `Box<…>`.
fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => {
            let last = path.path.segments.last()?;
            if last.ident == "Box" {
                if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
                    if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                        return type_name(inner);
                    }
                }
            }
            Some(last.ident.to_string())
        }
        syn::Type::Reference(_) => Some("&".to_owned()),
        _ => None,
    }
}

/// Checks every field against the dump; fills in `createable`/`updateable` the struct
/// left out. Collects all errors.
/// `at` is the object's name, its span and the dumps' directory as configured.
fn check(
    schema: &Schema,
    (object, object_span, dir): (&str, Span, &str),
    fields: &mut [SField],
    tracked: &mut Vec<std::path::PathBuf>,
) -> syn::Result<()> {
    let Some(describe) = schema.get(object) else {
        let names: Vec<&str> = schema.objects().map(|o| o.name.as_str()).collect();
        let close = naming::closest(object, names);
        let add = if close.is_empty() {
            format!(
                "; if it is an sObject of the org, `{}` adds its dump",
                describe_command(&[object], dir)
            )
        } else {
            String::new()
        };
        return Err(syn::Error::new(
            object_span,
            format!(
                "no sObject `{object}` in the describe dumps{}{add}",
                hint(&close)
            ),
        ));
    };
    tracked.extend(describe.source.clone());
    let mut errors: Option<syn::Error> = None;
    for field in fields.iter_mut().filter(|f| !f.skip) {
        // A field under `#[cfg]` may be compiled only for orgs whose dumps are not the
        // ones here (a managed package's field, say): the macro cannot evaluate the cfg,
        // so a name the dump does not know is allowed; a name it knows is checked.
        if !field.cfgs.is_empty() && !known(describe, &field.api_name) {
            continue;
        }
        if let Err(error) = check_field(describe, field) {
            match &mut errors {
                Some(all) => all.combine(error),
                None => errors = Some(error),
            }
        }
    }
    errors.map_or(Ok(()), Err)
}

/// Whether the dump has a field, parent relationship or child relationship named `api`.
fn known(describe: &SObjectDescribe, api: &str) -> bool {
    describe.field(api).is_some()
        || describe.parent_relationship(api).is_some()
        || describe.child_relationship(api).is_some()
}

fn check_field(describe: &SObjectDescribe, field: &mut SField) -> syn::Result<()> {
    let object = &describe.name;
    let api = field.api_name.clone();
    let type_span = field.value_type.as_ref().map_or(field.span, |ty| ty.span());
    let name = field.value_type.as_ref().and_then(type_name);
    if let Some(found) = describe.field(&api) {
        field.createable.get_or_insert(found.createable);
        field.updateable.get_or_insert(found.updateable);
        if let Some(name) = &name {
            if let Err(fits) = types::accepts(found, name) {
                return Err(syn::Error::new(
                    type_span,
                    format!(
                        "`{name}` cannot hold {object}.{} (describe type `{}`); use {}",
                        found.name,
                        found.field_type.as_str(),
                        fits.iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                ));
            }
        }
        return Ok(());
    }
    if let Some(reference) = describe.parent_relationship(&api) {
        field.createable.get_or_insert(reference.createable);
        field.updateable.get_or_insert(reference.updateable);
        if let Some(name) = name.filter(|n| types::is_scalar(n)) {
            return Err(syn::Error::new(
                type_span,
                format!(
                    "{object}.{api} is a parent relationship (to {}): its type must be the \
                     parent's #[sobject] struct (boxed) or `SObject`, not `{name}`",
                    reference.reference_to.join(", ")
                ),
            ));
        }
        return Ok(());
    }
    if describe.child_relationship(&api).is_some() {
        field.createable.get_or_insert(false);
        field.updateable.get_or_insert(false);
        if let Some(name) = name.filter(|n| types::is_scalar(n) || n == "SObject") {
            return Err(syn::Error::new(
                type_span,
                format!(
                    "{object}.{api} is a child relationship: its type must be `ChildRecords<…>`, \
                     not `{name}`"
                ),
            ));
        }
        return Ok(());
    }
    let candidates = describe
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .chain(
            describe
                .fields
                .iter()
                .filter_map(|f| f.relationship_name.as_deref()),
        )
        .chain(
            describe
                .child_relationships
                .iter()
                .filter_map(|c| c.relationship_name.as_deref()),
        );
    let how = if api.contains('.') {
        "relationship paths are for soql! rows; name the parent relationship instead"
    } else {
        ""
    };
    Err(syn::Error::new(
        field.api_span,
        format!(
            "no field `{api}` on {object}{}{how}",
            hint(&naming::closest(&api, candidates))
        ),
    ))
}

fn hint(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        names => format!(
            " (did you mean {}?)",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    }
}

/// The impls of `SObjectType` and `FieldType`.
pub(super) fn implement(
    ident: &syn::Ident,
    object: &str,
    runtime: &syn::Path,
    fields: &[SField],
) -> TokenStream {
    let private = quote!(#runtime::__private);
    let mut infos = Vec::new();
    let mut reads = Vec::new();
    let mut writes = Vec::new();
    let mut retains = Vec::new();
    for field in fields {
        let name = &field.ident;
        let cfgs = &field.cfgs;
        let Some(value_type) = &field.value_type else {
            reads.push(quote!(#(#cfgs)* #name: ::core::default::Default::default()));
            continue;
        };
        let rust_name = name.to_string();
        let api = &field.api_name;
        let createable = field.createable.unwrap_or(true);
        let updateable = field.updateable.unwrap_or(true);
        infos.push((
            cfgs,
            quote_spanned! {value_type.span()=>
                #runtime::FieldInfo {
                    rust_name: #rust_name,
                    api_name: #api,
                    createable: #createable,
                    updateable: #updateable,
                    shape: <#value_type as #runtime::FieldType>::SHAPE,
                }
            },
        ));
        reads.push(quote! {
            #(#cfgs)*
            #name: #private::read_field_noting::<#value_type>(
                &mut record, #object, #api, &mut first_error,
            )
        });
        writes.push((cfgs, quote!(&self.#name as &dyn #private::DynField)));
        retains.push((cfgs, quote!(&mut self.#name as &mut dyn #private::DynField)));
    }
    let (field_infos, write_values, retain_values) = if fields.iter().all(|f| f.cfgs.is_empty()) {
        let infos = infos.iter().map(|(_, info)| info);
        let writes = writes.iter().map(|(_, value)| value);
        let retains = retains.iter().map(|(_, value)| value);
        (
            quote!(&[#(#infos),*]),
            quote!(&[#(#writes),*]),
            quote!(&mut [#(#retains),*]),
        )
    } else {
        (
            cfg_field_infos(runtime, &infos),
            cfg_values(&quote!(&dyn #private::DynField), &writes, quote!(&)),
            cfg_values(&quote!(&mut dyn #private::DynField), &retains, quote!(&mut)),
        )
    };
    quote! {
        impl #runtime::SObjectType for #ident {
            const NAME: &'static str = #object;
            const FIELDS: &'static [#runtime::FieldInfo] = #field_infos;

            fn from_sobject(
                mut record: #runtime::SObject,
            ) -> ::core::result::Result<Self, #runtime::Error> {
                // No `?` per field: one error check after the struct is built keeps the
                // code linear in the number of fields.
                let mut first_error = ::core::option::Option::None;
                let _ = (&mut record, &mut first_error);
                let value = Self { #(#reads),* };
                match first_error {
                    ::core::option::Option::Some(error) => ::core::result::Result::Err(error),
                    ::core::option::Option::None => ::core::result::Result::Ok(value),
                }
            }

            fn to_sobject(
                &self,
                purpose: #runtime::WriteFor,
            ) -> ::core::result::Result<#runtime::SObject, #runtime::Error> {
                let mut record = #runtime::SObject::new(#object);
                #private::write_fields(
                    &mut record,
                    #object,
                    Self::FIELDS,
                    #write_values,
                    purpose,
                )?;
                ::core::result::Result::Ok(record)
            }

            fn retain_writable(&mut self, purpose: #runtime::WriteFor) {
                #private::retain_fields(Self::FIELDS, #retain_values, purpose);
            }
        }

        impl #runtime::FieldType for #ident {
            const SHAPE: #runtime::Shape = #runtime::Shape::Parent;

            fn from_field(
                value: #runtime::FieldValue,
            ) -> ::core::result::Result<Self, ::std::string::String> {
                #private::sobject_from_field::<Self>(value)
            }

            fn to_field(
                &self,
            ) -> ::core::result::Result<#runtime::FieldValue, ::std::string::String> {
                #private::sobject_to_field(self)
            }
        }
    }
}

/// `FIELDS` when some fields are under `#[cfg]`: array elements cannot be configured out,
/// so the slice is filled in a const block whose statements carry the cfgs.
fn cfg_field_infos(
    runtime: &syn::Path,
    infos: &[(&Vec<syn::Attribute>, TokenStream)],
) -> TokenStream {
    let counts = infos
        .iter()
        .map(|(cfgs, _)| quote!(#(#cfgs)* { len += 1; }));
    let sets = infos
        .iter()
        .map(|(cfgs, info)| quote!(#(#cfgs)* { all[i] = #info; i += 1; }));
    quote! {{
        const LEN: usize = {
            let mut len = 0usize;
            #(#counts)*
            len
        };
        #[allow(unused_assignments)]
        const ALL: [#runtime::FieldInfo; LEN] = {
            const EMPTY: #runtime::FieldInfo = #runtime::FieldInfo {
                rust_name: "",
                api_name: "",
                createable: false,
                updateable: false,
                shape: #runtime::Shape::Scalar,
            };
            let mut all = [EMPTY; LEN];
            let mut i = 0usize;
            #(#sets)*
            all
        };
        &ALL
    }}
}

/// The fields' values for `write_fields` / `retain_fields` when some are under `#[cfg]`:
/// pushed one statement each, in `FIELDS` order.
fn cfg_values(
    item: &TokenStream,
    values: &[(&Vec<syn::Attribute>, TokenStream)],
    reference: TokenStream,
) -> TokenStream {
    let pushes = values
        .iter()
        .map(|(cfgs, value)| quote!(#(#cfgs)* values.push(#value);));
    quote! {
        #reference {
            let mut values: ::std::vec::Vec<#item> = ::std::vec::Vec::new();
            #(#pushes)*
            values
        }[..]
    }
}

/// A field of an ad hoc `soql!` row: read by its API path, never written.
pub(super) fn row_field(ident: syn::Ident, value_type: syn::Type, api_path: String) -> SField {
    SField {
        span: ident.span(),
        api_span: ident.span(),
        ident,
        value_type: Some(value_type),
        api_name: api_path,
        createable: Some(false),
        updateable: Some(false),
        skip: false,
        cfgs: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_str(args: &str, item: &str) -> String {
        let ctx = MacroContext::default();
        expand_sobject(args.parse().unwrap(), item.parse().unwrap(), &ctx).to_string()
    }

    #[test]
    fn api_names_default_to_upper_camel_and_attributes_are_stripped() {
        let out = expand_str(
            "name = \"Account\"",
            "struct A { id: Field<Id>, annual_revenue: Field<Decimal>, \
             #[sobject(field = \"Custom__c\", createable = false)] custom: Field<String> }",
        );
        assert!(out.contains("\"AnnualRevenue\""), "{out}");
        assert!(out.contains("\"Custom__c\""), "{out}");
        assert!(!out.contains("# [sobject"), "{out}");
        assert!(out.contains("createable : false"), "{out}");
    }

    #[test]
    fn cfg_attributes_follow_the_field_everywhere() {
        let out = expand_str(
            "name = \"Account\"",
            "struct A { id: Field<Id>, #[cfg(feature = \"x\")] #[sobject(field = \"Custom__c\")] \
             custom: Field<String>, #[cfg(test)] #[sobject(skip)] scratch: u8 }",
        );
        // On the struct field, FIELDS (counted and set), the read, the write and the
        // retain; and on the skipped field and its default.
        assert_eq!(out.matches("# [cfg (feature = \"x\")]").count(), 6, "{out}");
        assert_eq!(out.matches("# [cfg (test)]").count(), 2, "{out}");
        let info = out.find("\"Custom__c\"").unwrap();
        let cfg = out[..info].rfind("# [cfg (feature").unwrap();
        assert!(out[cfg..info].contains("FieldInfo"), "{out}");
    }

    #[test]
    fn non_field_types_are_rejected_with_all_errors() {
        let out = expand_str("", "struct A { a: String, b: Option<i32>, c: Field<i32> }");
        assert_eq!(out.matches("compile_error").count(), 2, "{out}");
        assert!(out.contains("must have type `Field<T>`"), "{out}");
    }
}
