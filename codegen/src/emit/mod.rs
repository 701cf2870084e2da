//! The emitter: [`crate::model::Service`] in, Rust tokens out. Knows nothing about XML syntax.
//!
//! [`generate_tokens`] writes one module's worth of items (meant for `include!` inside a `mod`, or
//! a file of its own); everything the generated code needs from the runtime is named
//! through `<runtime_path>::__private::…` ([`Settings::runtime_path`]: `::sforce`, a
//! re-export, or `crate` inside the runtime itself). Output depends only on the model and
//! the settings: every collection is iterated in sorted or document order.
//!
//! # What is generated
//!
//! **Names** follow [`crate::naming`]: types `UpperCamelCase`, fields, arguments and methods
//! `snake_case`, keywords with a trailing `_` (`type_`), collisions numbered; non-ASCII
//! characters are transliterated to ASCII (`café` → `cafe`, `名前` → `ming_qian`), and one
//! with no transliteration becomes `u<hex>` (`u10ffff`). The XML name is kept verbatim in
//! the readers and writers. A WSDL type named like an item at the runtime's root
//! ([`crate::naming::RUNTIME_TYPES`]: `Error`, `Address`, `Field`, …) is `<Name>Type`
//! (`ErrorType`), or `<Name>Def` when that is taken (`FieldDef`, `SObjectDef`), so that `use sforce::*; use sforce::partner::*;` leaves no name ambiguous;
//! generated code itself names runtime items only by full path. Type names are claimed in
//! this order: the
//! fixed names (`Client`, `Headers`, `ResponseHeaders`, prelude names such as `String`),
//! types of the target namespace, named before synthesized (anonymous element types), then
//! other namespaces; then `<Type>Kind` enums; then `<Op>Headers` structs. A synthesized
//! type whose name is taken becomes `<Name>Request` (an operation's input wrapper, such as
//! `describeLayout` next to the `DescribeLayout` type; generated only with
//! `Settings::request_types`) or `<Name>Element`; any other later claimant of a taken name
//! gets a number (`Client2`, `FetchHeaders2`).
//!
//! **Prefixes**: `sf` for `urn:sobject.partner.soap.sforce.com` (the runtime `SObject`
//! writes `sf:` fields; otherwise the first `urn:sobject.*` namespace), `p` for the target
//! namespace, `fns` for the first namespace with `fault` in it, `ns1`, `ns2`, … for the
//! rest in sorted order. `SERVICE.namespaces` declares them on every request envelope.
//!
//! **Declarations**: the generated code declares; the mechanics live in the runtime. A
//! complex type is one `__private::complex_type!` table (each field once: docs, name, type
//! and `one`/`nillable`/`strict`/`required_if`/`many`/`any` with its tag), an enumeration
//! one `__private::enumeration!` table (`Variant = "value"`, each value once); the runtime
//! macros expand them into the struct or enum and its reader and writer. `Kind` enums read
//! through `__private::read_variant`, fault details through `__private::fault_detail`,
//! request headers are written through `__private::write_header` (one call per header).
//! `generate_source` formats these declarations through placeholder items (`placeholders.rs`).
//!
//! **Complex types** become structs deriving `Debug, Clone, Default, PartialEq`. Inherited
//! fields are flattened in, base first (a field redeclaring a base field's XML name is
//! dropped). A field is `T` (exactly once), `Option<T>` (`minOccurs="0"` or nillable) or
//! `Vec<T>` (`maxOccurs` > 1). Readers are one runtime `Children` loop with one call per
//! field: they match children by local name, skip unknown children (a newer server may
//! add elements), refuse a second occurrence of a singular element, keep `Default` for
//! required elements that are missing or `xsi:nil`, and push the item type's default for
//! an `xsi:nil` list item (so positions still line up, as `retrieve` needs). The
//! exceptions are the protocol elements (`PROTOCOL_ELEMENTS` in `types.rs`: a required
//! `done`/`success` boolean or `size` int), which must be present and not nil, and a
//! DML result (`id`, `success`, `errors`), whose `id` must be there when `success` is. Writers use static `prefix:name` tags;
//! a nillable required `None` is written as `xsi:nil="true"`, an optional `None` is
//! omitted. A type with `xsd:any` (itself or a base) gets `any: Vec<AnyElement>` collecting
//! the unknown children. The partner `sObject` (named `sObject` with an `xsd:any`) is the
//! runtime's dynamic `SObject`; no struct is generated for it.
//!
//! **Derived types**: a base type with descendants gets `enum <Type>Kind` with one variant
//! per concrete type (the base included, the default), named like the structs; it is used
//! for every field, argument and result declared with the base type. It reads by the
//! local part of `xsi:type` (unknown or absent: the base) and writes `xsi:type="p:Name"`
//! on every variant. `From<Variant>` is implemented for each variant; `type_name()` gives
//! the variant's XML type name, and each base field has a getter (`&T`, `Option<&T>` or
//! `&[T]`) that works whatever the variant. `Kind` enums carry
//! `#[allow(clippy::large_enum_variant)]`: variants are stored inline, and their sizes
//! are not known here.
//!
//! **Recursion**: a field that is not a `Vec` and whose type lies on a cycle of inline
//! containment with the struct (through fields and `Kind` variants) is `Box`ed.
//!
//! **Simple types**: an enumeration is an enum with a variant per value (`UpperCamelCase`;
//! values that are not identifiers or collide are fixed per [`crate::naming`]; a value
//! spelled `Other` is `OtherValue`), the first one the `Default`, plus `Other(String)`
//! for values the binding does not know; it has `as_str`, `Display`, `FromStr` and
//! `From<&str>` (both infallible) and `XmlText`/`FromXml`/`ToXml`. Each variant's doc is its
//! value, followed by the schema's documentation of it. Other simple types
//! are aliases of their builtin's Rust type, except Salesforce's `ID`, which is the runtime's `Id`.
//! An `xsd:QName` enumeration (the partner `FaultCode`) is `enumeration!` with `qname URI as
//! "prefix"`: values are local names matched by namespace URI.
//!
//! **Faults**: every fault element the operations declare (and the descendants of its
//! type) implements `FaultDetail` (`exception_code`/`exception_message` from the
//! `exceptionCode`/`exceptionMessage` fields); `read_fault_detail` picks the concrete type
//! by `xsi:type`, else by element name, and boxes the concrete struct (downcast with
//! `SoapFault::detail::<LoginFault>()`). A WSDL that declares no faults uses `ApiFault`,
//! its descendants and any type named `…Fault`; with none of those details are skipped.
//!
//! **Headers and client**: `SERVICE` (`ServiceInfo`), `Headers` (every request header but
//! `SessionHeader`, each `Option`), `<Op>Headers` per operation (the headers its binding
//! allows; a header set there replaces the client default for that call). In the types
//! of request header elements every single-valued field is an `Option` omitted when
//! `None`, whatever the schema says: the server treats header fields as optional and the
//! schema is stricter (v66 `QueryOptions` requires `scope`, and sending a default scope
//! would change what a query returns). `Headers`, each `<Op>Headers` and each header
//! element type get a chaining setter per field (`fn field(self, impl Into<FieldType>) ->
//! Self`, so `QueryHeaders::default().query_options(QueryOptions::default().batch_size(500))`);
//! a field named like a trait method the code calls (`default`, `write_xml`, …) gets none.
//! `ResponseHeaders` (read from `soapenv:Header` by
//! local name, each at most once) holds every response header, each `Option`. `Client` has
//! `op(args…)` and `op_with(args…, &RequestOptions<OpHeaders>)`; the call passes
//! `options.call_settings()` (timeout, size limit) to the connection, so settings added
//! later need no regeneration. Arguments are the input
//! wrapper's fields: strings as `&str`, lists as `&[T]`, `bool`, numbers, `Decimal` and the
//! date/time types by value, anything else by reference; optional ones as `Option<…>`.
//! The result is the output wrapper's single field, the wrapper itself when it has
//! several, `()` when it has none. The DML-style operations (`create`, `update`,
//! `upsert`, `delete`, `undelete`, `merge`, `process`, `convertLead`, `emptyRecycleBin`:
//! 200 items per call; `describeSObjects`: 100; `retrieve`: 2000; `sendEmail`: 10) split
//! their one array argument with `in_batches` when they return a list (the response
//! headers are those of the last chunk). Methods with more than seven parameters
//! (`self` included) carry `#[allow(clippy::too_many_arguments)]`. `pub mod blocking`
//! holds the blocking twin (each method is `connection.block_on(async method)`) when
//! [`Settings::blocking`] is set; it needs the runtime's `blocking` feature, and in the
//! runtime's own bindings (`runtime_path = "crate"`) carries `#[cfg(feature = "blocking")]`.
//!
//! **sObject structs** come from describe dumps, not a WSDL: [`generate_sobjects_source`] writes
//! one `#[sobject]` struct per selected object (its rules are documented there).
//!
//! Readers allocate only the values they keep, except that choosing a `Kind` variant or
//! a fault type reads `xsi:type` into a short `String`.

mod client;
mod context;
mod docs;
mod placeholders;
mod sobjects;
mod types;

pub use sobjects::{generate_sobjects_source, generate_sobjects_tokens};

use proc_macro2::TokenStream;

use crate::model::Service;
use crate::{Error, Result, Settings};

/// Generates the Rust items for `service`: pure, no I/O, deterministic.
pub fn generate_tokens(service: &Service, settings: &Settings) -> Result<TokenStream> {
    let service = &*selected_operations(service, settings)?;
    let mut out = TokenStream::new();
    emit_parts(service, settings, false, |part| {
        out.extend(part);
        Ok(())
    })?;
    Ok(out)
}

/// `service`, or a copy with only the operations [`Settings::operations`] names.
fn selected_operations<'s>(
    service: &'s Service,
    settings: &Settings,
) -> Result<std::borrow::Cow<'s, Service>> {
    if settings.operations.is_empty() {
        return Ok(std::borrow::Cow::Borrowed(service));
    }
    let mut selected = service.clone();
    selected.retain_operations(&settings.operations)?;
    Ok(std::borrow::Cow::Owned(selected))
}

/// The parts of [`generate_tokens`] in order (each type, the helpers, the service and client),
/// handed to `sink` one at a time so that a caller can format and drop each.
///
/// With `placeholders`, declarations are placeholder items for formatting (see
/// [`placeholders`]).
fn emit_parts(
    service: &Service,
    settings: &Settings,
    placeholders: bool,
    mut sink: impl FnMut(TokenStream) -> Result<()>,
) -> Result<()> {
    let mut ctx = context::Ctx::new(service, settings)?;
    ctx.placeholders = placeholders;
    types::emit_types(&ctx, &mut sink)?;
    sink(client::emit_service(&mut ctx, settings.blocking)?)
}

/// [`generate_tokens`], formatted with prettyplease, starting with the line
/// `// @generated by sforce-codegen from <service name>; do not edit.`
///
/// Each part (one type and its impls, the helpers, the client) is formatted on its own and
/// dropped (the same text as formatting the whole file at once), so memory stays near the
/// largest part plus the output instead of a syntax tree of everything.
pub fn generate_source(service: &Service, settings: &Settings) -> Result<String> {
    let service = &*selected_operations(service, settings)?;
    let mut out = format!(
        "// @generated by sforce-codegen from {}; do not edit.\n\n",
        service.name
    );
    let what = format!("the code generated for `{}`", service.name);
    let runtime = settings.runtime_path.trim();
    let mut formatted = String::new();
    emit_parts(service, settings, true, |part| {
        formatted.clear();
        format_part(part, &mut formatted, &what)?;
        out.push_str(&placeholders::expand(&formatted, runtime));
        Ok(())
    })?;
    Ok(out)
}

/// Formats `tokens` (whole items) with prettyplease and appends them to `out`; `what`
/// names the code in the error for tokens that do not parse (a bug of the emitter).
pub(crate) fn format_part(tokens: TokenStream, out: &mut String, what: &str) -> Result<()> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Internal {
        what: format!("formatting {what}"),
        message: format!("the tokens do not parse as Rust: {e}"),
    })?;
    out.push_str(&prettyplease::unparse(&file));
    Ok(())
}
