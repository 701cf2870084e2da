//! Turning WSDL documentation into doc comments that neither rustdoc nor clippy trip on.

use proc_macro2::TokenStream;
use quote::quote;

/// Normalizes documentation text: paragraphs (separated by blank lines) are kept, the
/// lines inside one are trimmed and joined with single spaces (no indented code blocks,
/// no lazy list continuations, no tabs); backticks become quotes (no doctests); `[`, `]`,
/// `<`, `>` are escaped (no intra-doc links or HTML tags).
pub(crate) fn clean(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(words.join(" "));
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }
    let joined = paragraphs.join("\n\n");
    let mut out = String::with_capacity(joined.len());
    for c in joined.chars() {
        match c {
            '`' => out.push('\''),
            '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Doc attributes for `text`, one `#[doc]` per line with a leading space, so that
/// prettyplease prints them as `/// line`.
pub(crate) fn attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote! { #(#[doc = #lines])* }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_whitespace_and_markup() {
        assert_eq!(
            clean("  Describe\n\t   an sObject\n\n    code-like line "),
            "Describe an sObject\n\ncode-like line"
        );
        assert_eq!(clean("a [b] <c> `d`"), "a \\[b\\] \\<c\\> 'd'");
        assert_eq!(clean("   \n  "), "");
    }
}
