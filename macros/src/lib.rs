//! `sforce-macros`: `#[sobject]` and `soql!` for sforce. A thin shim: the expansions live
//! in `sforce-codegen` (`sforce_codegen::macros`), so every front end (build.rs,
//! `cargo sforce`, these macros) shares one core. Use them through the runtime's
//! re-exports, `sforce::sobject` and `sforce::soql`.

use proc_macro::TokenStream;
use sforce_codegen::macros::{self, MacroContext};

/// Makes a struct of `Field<T>`s a typed sObject: implements `sforce::SObjectType` (typed
/// ⇄ dynamic, create/update rules) and `sforce::FieldType` (usable as a parent
/// relationship).
///
/// Arguments: `name = "Account"` (the API name; default: the struct's name),
/// `describe = "path"` (dumps to check against, relative to the crate's directory; else
/// `SFORCE_DESCRIBE` or `[package.metadata.sforce] describe`), `crate = "::sforce"` (the
/// runtime's path). Field arguments: `#[sobject(field = "ApiName")]` (default: the field
/// name in UpperCamelCase), `createable = bool`, `updateable = bool` (default: from the
/// dump, else true), `skip` (not an sObject field; filled with `Default`).
///
/// With dumps, an unknown object, an unknown field, or a Rust type that cannot hold the
/// field's describe type is a compile error at the field, all of them at once. Without
/// dumps nothing is checked and nothing is said: the names are trusted, so a misspelt
/// field compiles. Set `SFORCE_DESCRIBE_REQUIRED=1` (in CI, say) to make finding no dumps
/// a compile error.
///
/// A field's `#[cfg(…)]` attributes are repeated on everything generated for it, so the
/// struct compiles with the field configured in or out. The macro cannot evaluate a cfg:
/// a field under `#[cfg]` whose name the dump does not know is not an error (it may exist
/// only in orgs whose dumps are not the ones checked, a managed package's field, say); one
/// the dump knows is checked as any other field.
#[proc_macro_attribute]
pub fn sobject(args: TokenStream, item: TokenStream) -> TokenStream {
    macros::expand_sobject(args.into(), item.into(), &MacroContext::from_env()).into()
}

/// A SOQL query checked at compile time: `soql!("SELECT Id, Name FROM Account WHERE Name =
/// {name}")` returns a `sforce::Query` of an ad hoc row struct; `soql!(Account, "…")` a
/// `sforce::Query<Account>`.
///
/// The statement is parsed at compile time and, with describe dumps, checked: the object,
/// every field and relationship path, subquery relationships, and that each `{expr}`
/// bind's type fits the field it is compared with. Binds are escaped at run time; errors
/// point at the place in the SOQL text, and one about an object without a dump (a parent
/// such as `User` for `Owner.Name`) names the `cargo sforce describe` command that adds it.
/// With a struct, a selected column the struct has no field for fails the build with the
/// SOQL line drawn and the column marked.
///
/// Without dumps, `soql!(Struct, "…")` checks the syntax only, silently (misspelt names
/// compile), and `soql!("…")` is an error (its row type comes from the dumps).
/// `SFORCE_DESCRIBE_REQUIRED=1` makes finding no dumps an error for both.
///
/// Object aliases (`FROM Contact c`, `FROM Contact c, c.Account a`, a subquery's
/// `FROM a.Contacts c`) name nothing in the row: `c.FirstName` is the field `first_name`
/// read from `FirstName`, `a.Name` is `account_name` read from `Account.Name`, as the
/// server answers them.
#[proc_macro]
pub fn soql(input: TokenStream) -> TokenStream {
    macros::expand_soql(input.into(), &MacroContext::from_env()).into()
}
