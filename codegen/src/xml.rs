//! The one way the generator reads XML: WSDLs ([`crate::wsdl`]) and SOAP describe dumps
//! ([`crate::describe`]) both go through `parse`, which puts limits in front of roxmltree so that the work stays linear in the
//! size of the input, and through `Positions`, which turns byte offsets into line and
//! column without rescanning the text for every warning.
//!
//! roxmltree checks each attribute of an element against the element's earlier ones, each
//! namespace declaration against the element's earlier ones, and copies the namespaces in
//! scope of the parent into every element that declares one of its own (comparing each
//! against the new ones). So one element with `n` attributes costs `n²`, and an element
//! that declares a namespace under `m` prefixes in scope costs `m²`. The limits below
//! bound `n` and `m`; Salesforce WSDLs, envelopes and dumps have at most 7 attributes on
//! an element and 6 prefixes in scope.
//!
//! (Captured response envelopes are not read here: `cargo sforce decode` reads them with
//! the runtime's reader, in crate `sforce-cli`.)

use std::collections::HashMap;
use std::sync::OnceLock;

use roxmltree::{Document, ParsingOptions};

use crate::{Error, Result};

/// Most attributes one element may have, namespace declarations (`xmlns`, `xmlns:p`)
/// included. At the limit on every element, 50 MB of WSDL read in 0.8 s (release build;
/// 0.6 s for 50 MB of one-attribute elements); one element with 40,000 attributes took
/// 1.5 s before the limit, and its cost grows with the square of the count.
pub const MAX_ATTRIBUTES: usize = 64;

/// Most namespace prefixes (the default namespace counts as one) that may be in scope at
/// an element: declared on it or on its ancestors, each prefix counted once however often
/// it is redeclared. At the limit, 50 MB of elements that each declare a namespace read in
/// 1.4 s (release build); 64 prefixes would take about three times as long.
pub const MAX_NAMESPACES_IN_SCOPE: usize = 32;

/// Parses `text` (named `file` in errors) with roxmltree, after checking the limits:
/// an element with more than [`MAX_ATTRIBUTES`] attributes (namespace declarations
/// included), or one with more than [`MAX_NAMESPACES_IN_SCOPE`] namespace prefixes in
/// scope, is an [`Error::Invalid`] at the element's `<`, naming it. The check is one pass
/// over the bytes that skips comments, CDATA sections, processing instructions and quoted
/// attribute values; what it cannot read (a DTD, a broken tag) it leaves to roxmltree,
/// which reports it. DTDs are refused (roxmltree's default), so entities cannot expand.
pub(crate) fn parse<'input>(text: &'input str, file: &str) -> Result<Document<'input>> {
    check_limits(text, file)?;
    let options = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|e| Error::from_roxmltree(text, file, &e))
}

/// What went wrong at which byte of the input.
struct Breach<'t> {
    at: usize,
    element: &'t str,
    message: String,
}

fn check_limits(text: &str, file: &str) -> Result<()> {
    match scan(text) {
        None => Ok(()),
        Some(breach) => {
            let (line, column) = Positions::new(text).at(breach.at);
            Err(Error::Invalid {
                file: file.to_owned(),
                line,
                column,
                message: format!("element <{}> {}", shorten(breach.element), breach.message),
            })
        }
    }
}

/// At most 60 characters of an element name, for messages.
fn shorten(name: &str) -> String {
    let mut chars = name.chars();
    let head: String = chars.by_ref().take(60).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The index just past the first `needle` at or after `from`.
fn past(text: &str, from: usize, needle: &str) -> Option<usize> {
    text.get(from..)?
        .find(needle)
        .map(|i| from + i + needle.len())
}

/// Finds the first element over a limit. `None` also when the scan meets something it
/// does not read (roxmltree then reports the document as it sees it).
fn scan(text: &str) -> Option<Breach<'_>> {
    let b = text.as_bytes();
    // Namespace prefixes declared by the open elements, innermost last, with how many
    // open elements declare each one.
    let mut declared: Vec<&[u8]> = Vec::new();
    let mut frames: Vec<usize> = Vec::new();
    let mut active: HashMap<&[u8], u32> = HashMap::new();
    let mut i = 0;
    while let Some(offset) = b.get(i..)?.iter().position(|&c| c == b'<') {
        let start = i + offset;
        let rest = &b[start..];
        if rest.starts_with(b"<!--") {
            i = past(text, start + 4, "-->")?;
            continue;
        }
        if rest.starts_with(b"<![CDATA[") {
            i = past(text, start + 9, "]]>")?;
            continue;
        }
        if rest.starts_with(b"<?") {
            i = past(text, start + 2, "?>")?;
            continue;
        }
        if rest.starts_with(b"<!") {
            // A DTD or a broken tag: roxmltree refuses both.
            return None;
        }
        if rest.starts_with(b"</") {
            let frame = frames.pop()?;
            for prefix in declared.drain(frame..) {
                if let Some(count) = active.get_mut(prefix) {
                    *count -= 1;
                    if *count == 0 {
                        active.remove(prefix);
                    }
                }
            }
            i = past(text, start + 2, ">")?;
            continue;
        }
        // A start tag: its name, then `name = "value"` pairs up to `>` or `/>`.
        let mut j = start + 1;
        while j < b.len() && !is_space(b[j]) && b[j] != b'>' && b[j] != b'/' {
            j += 1;
        }
        let element = &text[start + 1..j];
        let frame = declared.len();
        let mut attributes = 0usize;
        let open = loop {
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            match b.get(j)? {
                b'>' => {
                    j += 1;
                    break true;
                }
                b'/' => {
                    j += 1;
                    break false;
                }
                _ => {}
            }
            let name_start = j;
            while j < b.len() && !is_space(b[j]) && !matches!(b[j], b'=' | b'>' | b'/') {
                j += 1;
            }
            let name = &b[name_start..j];
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            if name.is_empty() || b.get(j) != Some(&b'=') {
                return None;
            }
            j += 1;
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            let quote = *b.get(j)?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            j += 1 + b.get(j + 1..)?.iter().position(|&c| c == quote)? + 1;
            attributes += 1;
            if attributes > MAX_ATTRIBUTES {
                return Some(Breach {
                    at: start,
                    element,
                    message: format!(
                        "has more than {MAX_ATTRIBUTES} attributes (namespace declarations \
                         included); this is the limit for one element"
                    ),
                });
            }
            if name == b"xmlns" || name.starts_with(b"xmlns:") {
                declared.push(name);
                *active.entry(name).or_insert(0) += 1;
                if active.len() > MAX_NAMESPACES_IN_SCOPE {
                    return Some(Breach {
                        at: start,
                        element,
                        message: format!(
                            "has more than {MAX_NAMESPACES_IN_SCOPE} namespace prefixes in \
                             scope (declared on it and its ancestors); this is the limit"
                        ),
                    });
                }
            }
        };
        if open {
            frames.push(frame);
        } else {
            for prefix in declared.drain(frame..) {
                if let Some(count) = active.get_mut(prefix) {
                    *count -= 1;
                    if *count == 0 {
                        active.remove(prefix);
                    }
                }
            }
        }
        i = j;
    }
    None
}

/// Bytes between two char-count marks of [`Positions`].
const MARK_EVERY: usize = 256;

/// Line and column (1-based; columns count characters, as roxmltree does) of byte
/// offsets into one text. The index is built on the first question, in one pass, and
/// answers each one in logarithmic time plus at most [`MARK_EVERY`] bytes, where
/// roxmltree's `text_pos_at` rescans the text from its start (a document with many
/// warnings would take quadratic time).
pub(crate) struct Positions<'t> {
    text: &'t str,
    index: OnceLock<Index>,
}

struct Index {
    /// Byte offset of the start of each line.
    lines: Vec<usize>,
    /// `(byte offset, characters before it)`, every [`MARK_EVERY`] bytes at a char boundary.
    marks: Vec<(usize, usize)>,
}

impl<'t> Positions<'t> {
    /// Positions in `text`.
    pub(crate) fn new(text: &'t str) -> Self {
        Positions {
            text,
            index: OnceLock::new(),
        }
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let mut lines = vec![0];
            let mut marks = vec![(0, 0)];
            let mut next_mark = MARK_EVERY;
            for (chars, (offset, c)) in self.text.char_indices().enumerate() {
                if offset >= next_mark {
                    marks.push((offset, chars));
                    next_mark = offset + MARK_EVERY;
                }
                if c == '\n' {
                    lines.push(offset + 1);
                }
            }
            Index { lines, marks }
        })
    }

    /// Characters before byte `offset` (a char boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let index = self.index();
        let mark = index
            .marks
            .partition_point(|m| m.0 <= offset)
            .saturating_sub(1);
        let (from, chars) = index.marks.get(mark).copied().unwrap_or((0, 0));
        chars + self.text.get(from..offset).map_or(0, |s| s.chars().count())
    }

    /// 1-based line and column of byte `offset` (clamped to the text).
    pub(crate) fn at(&self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let index = self.index();
        let line = index.lines.partition_point(|&start| start <= offset);
        let line_start = index.lines[line.saturating_sub(1)];
        let column = self.chars_before(offset) - self.chars_before(line_start) + 1;
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What roxmltree's `text_pos_at` computes, by rescanning.
    fn rescan(text: &str, offset: usize) -> (u32, u32) {
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        (line as u32, column as u32)
    }

    #[test]
    fn positions_match_a_rescan() {
        let mut text = String::new();
        for i in 0..2000 {
            text.push_str(if i % 7 == 0 { "é名\n" } else { "ab" });
        }
        let positions = Positions::new(&text);
        for (offset, _) in text.char_indices().step_by(3) {
            assert_eq!(positions.at(offset), rescan(&text, offset), "{offset}");
        }
        assert_eq!(positions.at(text.len()), rescan(&text, text.len()));
    }

    #[test]
    fn limits_are_checked_outside_comments_cdata_and_values() {
        let many = |n: usize| (0..n).map(|i| format!(" a{i}=\"\"")).collect::<String>();
        let at_limit = format!("<r{}/>", many(MAX_ATTRIBUTES));
        assert!(scan(&at_limit).is_none());
        let over = format!("<r>\n  <e{}/></r>", many(MAX_ATTRIBUTES + 1));
        let breach = scan(&over).expect("over the limit");
        assert_eq!((breach.at, breach.element), (6, "e"));
        for hidden in [
            format!("<r><!--<e{}/>--></r>", many(100)),
            format!("<r><![CDATA[<e{}/>]]></r>", many(100)),
            format!("<r><?pi <e{}/>?></r>", many(100)),
            format!("<r a='<e{}/>'/>", many(100).replace('"', "")),
        ] {
            assert!(scan(&hidden).is_none(), "{hidden}");
        }
    }

    #[test]
    fn namespaces_in_scope_count_prefixes_once() {
        let ns = |from: usize, to: usize| {
            (from..to)
                .map(|i| format!(" xmlns:p{i}=\"u\""))
                .collect::<String>()
        };
        // Redeclaring the same prefixes on every level does not add up.
        let same = format!(
            "<r{0}>{1}{2}</r>",
            ns(0, MAX_NAMESPACES_IN_SCOPE),
            format!("<e{}>", ns(0, MAX_NAMESPACES_IN_SCOPE)).repeat(10),
            "</e>".repeat(10)
        );
        assert!(scan(&same).is_none());
        // Siblings' declarations go out of scope at their end.
        let siblings = format!(
            "<r><e{}/><e{}></e></r>",
            ns(0, MAX_NAMESPACES_IN_SCOPE),
            ns(100, 100 + MAX_NAMESPACES_IN_SCOPE)
        );
        assert!(scan(&siblings).is_none());
        // Nested new prefixes do.
        let nested = format!(
            "<r{}><e{}/></r>",
            ns(0, MAX_NAMESPACES_IN_SCOPE),
            ns(100, 101)
        );
        let breach = scan(&nested).expect("over the limit");
        assert_eq!(breach.element, "e");
    }
}
