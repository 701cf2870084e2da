//! `soql!("…")` and `soql!(Struct, "…")`: parses (and with dumps, checks) the statement at
//! compile time and expands to code that builds the text with escaped binds and returns a
//! `Query` typed to the struct or to an ad hoc row struct.

use std::collections::BTreeSet;
use std::path::PathBuf;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned};
use syn::{LitStr, Token};

use super::sobject::{implement, row_field};
use super::{describe_command, track_files, MacroContext};
use crate::describe::types::rust_type;
use crate::describe::Schema;
use crate::soql::{self, Bind, Segment, Selected, SelectedKind};

/// `soql!` input: an optional struct type, then the SOQL string literal.
struct Input {
    target: Option<syn::Type>,
    text: LitStr,
}

impl syn::parse::Parse for Input {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(LitStr) {
            let text = input.parse()?;
            let _ = input.parse::<Option<Token![,]>>()?;
            return Ok(Input { target: None, text });
        }
        let target = input.parse()?;
        input.parse::<Token![,]>()?;
        let text = input.parse()?;
        let _ = input.parse::<Option<Token![,]>>()?;
        Ok(Input {
            target: Some(target),
            text,
        })
    }
}

/// Expands `soql!(…)`. Errors come back as `compile_error!`s on the string literal whose
/// message draws the SOQL line with carets under the place.
pub fn expand_soql(input: TokenStream, ctx: &MacroContext) -> TokenStream {
    match expand(input, ctx) {
        Ok(tokens) => tokens,
        Err(error) => {
            // In expression position: several `compile_error!`s need a block around them.
            let errors = error.to_compile_error();
            quote!({ #errors })
        }
    }
}

fn expand(input: TokenStream, ctx: &MacroContext) -> syn::Result<TokenStream> {
    let input: Input = syn::parse2(input)?;
    let text = input.text.value();
    let span = input.text.span();
    let runtime: syn::Path = syn::parse_quote!(::sforce);
    let dumps = ctx
        .dumps(None)
        .map_err(|message| syn::Error::new(span, message))?;
    let schema = dumps.as_ref().map(|d| d.schema.clone());
    let dir = dumps.as_ref().map(|d| d.dir.as_str());

    let (object, binds, segments, checked) = match &schema {
        Some(schema) => {
            let checked = soql::check(&text, schema).map_err(|e| errors(&e, &text, span, dir))?;
            (
                checked.object.clone(),
                checked.binds.clone(),
                checked.segments(),
                Some(checked),
            )
        }
        None => {
            let query = soql::parse(&text).map_err(|e| errors(&e, &text, span, None))?;
            if input.target.is_some() {
                if let Some(message) = ctx.missing_dumps(query.object(), false) {
                    return Err(syn::Error::new(span, message));
                }
            }
            (
                query.object().to_owned(),
                query.binds().to_vec(),
                query.segments(),
                None,
            )
        }
    };

    let build = build_text(&runtime, &binds, &segments, &text, span)?;
    let private = quote!(#runtime::__private);
    let mut tracked: Vec<PathBuf> = Vec::new();
    if let (Some(schema), Some(checked)) = (&schema, &checked) {
        track_objects(schema, &checked.selected, &checked.object, &mut tracked);
    }
    let track = track_files(tracked.iter().map(PathBuf::as_path));

    match input.target {
        Some(target) => {
            // Const checks, spanned at the SOQL literal: the struct's fields are known only
            // once it is type-checked. A message that draws the SOQL text with carets under
            // the column is what the panic says.
            let mut checks = Vec::new();
            let struct_name = quote!(#target).to_string().replace(' ', "");
            let message =
                format!("soql!: the struct `{struct_name}`'s #[sobject(name)] is not `{object}`");
            checks.push(quote_spanned! {span=>
                const _: () = if !#private::same_api_name(
                    <#target as #runtime::SObjectType>::NAME, #object
                ) {
                    ::core::panic!("{}", #message)
                };
            });
            if let Some(checked) = &checked {
                for (column, at) in top_level_columns(&checked.selected) {
                    let error = soql::SoqlError::new(
                        at,
                        format!(
                            "the struct `{struct_name}` has no #[sobject] field for `{column}`"
                        ),
                    );
                    let rendered = error.render(&text);
                    let message = format!(
                        "soql!: {}",
                        rendered
                            .strip_prefix("error: ")
                            .unwrap_or(&rendered)
                            .trim_end()
                    );
                    checks.push(quote_spanned! {span=>
                        const _: () = if !#private::has_api_name::<#target>(#column) {
                            ::core::panic!("{}", #message)
                        };
                    });
                }
            }
            Ok(quote! {{
                #track
                #(#checks)*
                #build
                #runtime::Query::<#target>::new(__soql)
            }})
        }
        None => {
            let Some(checked) = checked else {
                return Err(syn::Error::new(
                    span,
                    "soql! without a struct types its rows from describe dumps, and none are \
                     configured: set `[package.metadata.sforce] describe = \"…\"` in Cargo.toml \
                     (or SFORCE_DESCRIBE), or name a #[sobject] struct: soql!(MyStruct, \"…\")",
                ));
            };
            let mut items = TokenStream::new();
            let row = row_struct(
                &runtime,
                &object,
                &format!("{}Row", object.to_upper_camel_case()),
                &checked.selected,
                &mut items,
            )?;
            Ok(quote! {{
                #track
                #items
                #build
                #runtime::Query::<#row>::new(__soql)
            }})
        }
    }
}

/// All SOQL errors as one compile error on the literal; an error about missing dumps
/// ends with the command that adds them to `dir`, the dumps' directory.
fn errors(errors: &[soql::SoqlError], text: &str, span: Span, dir: Option<&str>) -> syn::Error {
    let mut all: Option<syn::Error> = None;
    for error in errors {
        let rendered = error.render(text);
        let mut message = rendered
            .strip_prefix("error: ")
            .unwrap_or(&rendered)
            .trim_end()
            .to_owned();
        if let (Some(dir), false) = (dir, error.missing_dumps.is_empty()) {
            let objects: Vec<&str> = error.missing_dumps.iter().map(String::as_str).collect();
            message.push_str(&format!(
                "\n  = help: `{}` adds the dump",
                describe_command(&objects, dir)
            ));
        }
        let one = syn::Error::new(span, message);
        match &mut all {
            Some(all) => all.combine(one),
            None => all = Some(one),
        }
    }
    all.unwrap_or_else(|| syn::Error::new(span, "invalid SOQL statement"))
}

/// The statements that build `__soql`: literal pieces and escaped binds.
fn build_text(
    runtime: &syn::Path,
    binds: &[Bind],
    segments: &[Segment],
    text: &str,
    span: Span,
) -> syn::Result<TokenStream> {
    let private = quote!(#runtime::__private);
    let mut pushes = Vec::new();
    let mut literal_len = 0usize;
    for segment in segments {
        match segment {
            Segment::Text(piece) => {
                literal_len += piece.len();
                pushes.push(quote!(__soql.push_str(#piece);));
            }
            Segment::Bind(index) => {
                let bind = &binds[*index];
                let expr = bind_expr(bind, text, span)?;
                let kind = format_ident!("{}", bind.kind.marker());
                let kind = quote!(#runtime::soql::kind::#kind);
                pushes.push(if bind.list {
                    quote!(#private::push_bind_list::<#kind, _>(&mut __soql, #expr);)
                } else {
                    quote!(#private::push_bind::<#kind, _>(&mut __soql, &(#expr));)
                });
            }
        }
    }
    let capacity = literal_len + 16 * binds.len();
    Ok(quote! {
        let mut __soql = ::std::string::String::with_capacity(#capacity);
        #(#pushes)*
    })
}

/// The bind's Rust expression, with every token spanned at the SOQL literal so that type
/// errors point there.
fn bind_expr(bind: &Bind, text: &str, span: Span) -> syn::Result<TokenStream> {
    let expr: syn::Expr = syn::parse_str(&bind.expr).map_err(|e| {
        let error = soql::SoqlError::new(
            bind.span.clone(),
            format!("`{}` is not a Rust expression: {e}", bind.expr),
        );
        let rendered = error.render(text);
        syn::Error::new(
            span,
            rendered
                .strip_prefix("error: ")
                .unwrap_or(&rendered)
                .trim_end(),
        )
    })?;
    Ok(respan(quote!(#expr), span))
}

fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let TokenTree::Group(group) = &tree {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                inner.set_span(span);
                tree = TokenTree::Group(inner);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

/// The first path segment of every plain item, where the item is in the SOQL text: what
/// a named struct needs a field for. Each name once, at its first place.
fn top_level_columns(selected: &[Selected]) -> Vec<(String, std::ops::Range<usize>)> {
    let mut seen = BTreeSet::new();
    let mut columns = Vec::new();
    for item in selected {
        let column = match &item.kind {
            SelectedKind::Field | SelectedKind::TypeOf { .. } | SelectedKind::Subquery(_) => {
                item.path.split('.').next().unwrap_or(&item.path).to_owned()
            }
            SelectedKind::Function { .. } => item.column.clone(),
            SelectedKind::Fields { .. } => continue,
        };
        if seen.insert(column.to_ascii_lowercase()) {
            columns.push((column, item.span.clone()));
        }
    }
    columns
}

/// Emits the ad hoc row struct for `selected` (and one per subquery) into `items`;
/// returns the row's name.
fn row_struct(
    runtime: &syn::Path,
    object: &str,
    name: &str,
    selected: &[Selected],
    items: &mut TokenStream,
) -> syn::Result<syn::Ident> {
    let ident = format_ident!("{}", name);
    let runtime_text = quote!(#runtime).to_string().replace(' ', "");
    let mut used = BTreeSet::new();
    let mut fields = Vec::new();
    let mut add = |column: &str, path: String, ty: syn::Type, fields: &mut Vec<_>| {
        let mut rust = column.replace('.', "_").to_snake_case();
        if rust.is_empty()
            || crate::naming::is_keyword(&rust)
            || rust.starts_with(|c: char| c.is_ascii_digit())
        {
            rust = format!("f_{rust}");
        }
        let mut unique = rust.clone();
        let mut n = 2;
        while !used.insert(unique.clone()) {
            unique = format!("{rust}_{n}");
            n += 1;
        }
        fields.push((format_ident!("{}", unique), ty, path));
    };
    for item in selected {
        match &item.kind {
            SelectedKind::Fields { fields: all, .. } => {
                for field in all {
                    let ty = parse_type(&rust_type(field).to_source(&runtime_text))?;
                    add(&field.name, field.name.clone(), ty, &mut fields);
                }
            }
            SelectedKind::Subquery(sub) => {
                let child = row_struct(
                    runtime,
                    &sub.object,
                    &format!("{name}{}", sub.relationship.to_upper_camel_case()),
                    &sub.selected,
                    items,
                )?;
                let ty: syn::Type = syn::parse_quote!(#runtime::ChildRecords<#child>);
                add(&item.column, sub.relationship.clone(), ty, &mut fields);
            }
            _ => {
                let ty = parse_type(&item.rust_type.to_source(&runtime_text))?;
                add(&item.column, item.column.clone(), ty, &mut fields);
            }
        }
    }
    let names: Vec<_> = fields.iter().map(|(i, _, _)| i.clone()).collect();
    let types: Vec<_> = fields.iter().map(|(_, t, _)| t.clone()).collect();
    let doc = format!("A row of a `soql!` query on {object}.");
    let row_fields: Vec<_> = fields
        .into_iter()
        .map(|(i, t, p)| row_field(i, t, p))
        .collect();
    let body = implement(&ident, object, runtime, &row_fields);
    items.extend(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        #[allow(dead_code)]
        struct #ident {
            #(pub #names: #runtime::Field<#types>,)*
        }
        #body
    });
    Ok(ident)
}

fn parse_type(source: &str) -> syn::Result<syn::Type> {
    syn::parse_str(source).map_err(|e| syn::Error::new(Span::call_site(), format!("{source}: {e}")))
}

/// The dump files of the objects a query read.
fn track_objects(schema: &Schema, selected: &[Selected], object: &str, out: &mut Vec<PathBuf>) {
    let mut add = |name: &str| {
        if let Some(source) = schema.get(name).and_then(|o| o.source.clone()) {
            if !out.contains(&source) {
                out.push(source);
            }
        }
    };
    add(object);
    for item in selected {
        if let Some(name) = &item.field_object {
            add(name);
        }
        if let SelectedKind::Subquery(sub) = &item.kind {
            add(&sub.object);
            for inner in &sub.selected {
                if let Some(name) = &inner.field_object {
                    add(name);
                }
            }
        }
    }
}
