//! Formatting the declarations: prettyplease prints a macro body as one run of tokens, so
//! [`super::generate_file`] emits each `complex_type!` / `enumeration!` declaration as a
//! plain item marked with a placeholder attribute, formats it, and [`expand`] rewrites the
//! formatted item into the invocation (the same tokens [`super::generate`] writes).
//!
//! ```text
//! #[__sforce_complex_type]             <runtime>::__private::complex_type! {
//! /// docs                                 /// docs
//! pub struct Thing {                       pub struct Thing {
//!     /// docs                                 /// docs
//!     #[__sforce_field(one("p:a"))]  →         pub a: String = one("p:a"),
//!     pub a: String,                       }
//! }                                    }
//!
//! #[__sforce_enumeration("Level")]     <runtime>::__private::enumeration! {
//! pub enum Level {                  →      pub enum Level ("Level") {
//!     Low = "low",                             Low = "low",
//! }                                        }
//!                                      }
//! ```

/// The marker attribute of a placeholder struct.
pub(crate) const COMPLEX_TYPE: &str = "__sforce_complex_type";
/// The marker attribute of a placeholder struct field; its argument is the field's kind.
pub(crate) const FIELD: &str = "__sforce_field";
/// The marker attribute of a placeholder enumeration; its argument is the XSD type name.
pub(crate) const ENUMERATION: &str = "__sforce_enumeration";

/// Which declaration is being rewritten.
enum State {
    Outside,
    Struct {
        /// The kind of the next field's declaration.
        kind: Option<String>,
        /// A marker attribute prettyplease broke over lines, as far as read.
        partial: Option<String>,
    },
    Enum {
        xsd: String,
    },
    /// An enumeration marker prettyplease broke over lines, as far as read.
    EnumMarker {
        partial: String,
    },
}

/// Rewrites every placeholder item of `formatted` (prettyplease output) into its macro
/// invocation; `runtime` is the runtime path (`::sforce`, `crate`).
pub(crate) fn expand(formatted: &str, runtime: &str) -> String {
    let mut out = String::with_capacity(formatted.len());
    let mut state = State::Outside;
    let struct_marker = format!("#[{COMPLEX_TYPE}]");
    let field_marker = format!("    #[{FIELD}(");
    let enum_marker = format!("#[{ENUMERATION}(");
    for line in formatted.lines() {
        match &mut state {
            State::Outside => {
                if line == struct_marker {
                    out.push_str(runtime);
                    out.push_str("::__private::complex_type! {\n");
                    state = State::Struct {
                        kind: None,
                        partial: None,
                    };
                    continue;
                }
                if let Some(rest) = line.strip_prefix(enum_marker.as_str()) {
                    match rest.strip_suffix(")]") {
                        Some(xsd) => {
                            out.push_str(runtime);
                            out.push_str("::__private::enumeration! {\n");
                            state = State::Enum {
                                xsd: xsd.to_owned(),
                            };
                        }
                        None => {
                            state = State::EnumMarker {
                                partial: rest.trim().to_owned(),
                            }
                        }
                    }
                    continue;
                }
                out.push_str(line);
                out.push('\n');
            }
            State::Struct { kind, partial } => {
                if let Some(so_far) = partial {
                    // A long marker: `#[__sforce_field(`, the kind on lines of its own, `)]`.
                    if continue_marker(so_far, line, false) {
                        *kind = partial.take();
                    }
                    continue;
                }
                if let Some(k) = line.strip_prefix(field_marker.as_str()) {
                    match k.strip_suffix(")]") {
                        Some(k) => *kind = Some(k.to_owned()),
                        None => *partial = Some(k.to_owned()),
                    }
                    continue;
                }
                let field_end =
                    line.starts_with("    ") && !line.starts_with("     ") && line.ends_with(',');
                match kind.take() {
                    Some(k) if field_end => {
                        let head = &line[..line.len() - 1];
                        push_indented(&mut out, &format!("{head} = {k},"));
                    }
                    other => {
                        *kind = other;
                        push_indented(&mut out, line);
                    }
                }
                if line == "}" || (line.starts_with("pub struct ") && line.ends_with("{}")) {
                    out.push_str("}\n");
                    state = State::Outside;
                }
            }
            State::EnumMarker { partial } => {
                // A long marker: `#[__sforce_enumeration(`, its arguments on lines of their
                // own, `)]`.
                if continue_marker(partial, line, true) {
                    let xsd = partial.trim_end().trim_end_matches(',').to_owned();
                    out.push_str(runtime);
                    out.push_str("::__private::enumeration! {\n");
                    state = State::Enum { xsd };
                }
            }
            State::Enum { xsd } => {
                match line
                    .strip_prefix("pub enum ")
                    .and_then(|l| l.strip_suffix(" {"))
                {
                    Some(name) => push_indented(&mut out, &format!("pub enum {name} ({xsd}) {{")),
                    None => push_indented(&mut out, line),
                }
                if line == "}" {
                    out.push_str("}\n");
                    state = State::Outside;
                }
            }
        }
    }
    out
}

/// Adds one more line of a marker attribute prettyplease broke over lines to `so_far`,
/// followed by a space after a comma (or after every line, with `spaced`: the words of an
/// enumeration marker); true when the line closed it (`)]`).
fn continue_marker(so_far: &mut String, line: &str, spaced: bool) -> bool {
    match line.trim().strip_suffix(")]") {
        Some(rest) => {
            so_far.push_str(rest);
            true
        }
        None => {
            so_far.push_str(line.trim());
            if spaced || so_far.ends_with(',') {
                so_far.push(' ');
            }
            false
        }
    }
}

/// Appends `line` indented by one level (blank lines stay blank).
fn push_indented(out: &mut String, line: &str) {
    if !line.is_empty() {
        out.push_str("    ");
    }
    out.push_str(line);
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::expand;

    #[test]
    fn rewrites_structs_enums_and_wrapped_markers() {
        let formatted = "\
#[__sforce_complex_type]
/// A thing.
#[derive(Debug)]
pub struct Thing {
    /// A.
    #[__sforce_field(one(\"p:a\"))]
    pub a: String,
    #[__sforce_field(
        one(\"p:aVeryLongName\")
    )]
    pub a_very_long_name: Option<
        bool,
    >,
}
#[__sforce_complex_type]
pub struct Empty {}
#[__sforce_enumeration(\"Level\")]
pub enum Level {
    Low = \"low\",
}
fn other() {}
";
        let want = "\
crate::__private::complex_type! {
    /// A thing.
    #[derive(Debug)]
    pub struct Thing {
        /// A.
        pub a: String = one(\"p:a\"),
        pub a_very_long_name: Option<
            bool,
        > = one(\"p:aVeryLongName\"),
    }
}
crate::__private::complex_type! {
    pub struct Empty {}
}
crate::__private::enumeration! {
    pub enum Level (\"Level\") {
        Low = \"low\",
    }
}
fn other() {}
";
        assert_eq!(expand(formatted, "crate"), want);
    }
}
