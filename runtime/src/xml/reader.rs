//! A pull reader over a whole response body: no DOM, text borrowed from the input
//! whenever it holds no entity references.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{QName, ResolveResult};
use quick_xml::NsReader;

use crate::error::Error;

/// The XML Schema instance namespace (`xsi:type`, `xsi:nil`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// A start tag the reader has just returned.
///
/// Every element returned by [`XmlReader::next_child`] must be consumed before the next
/// call: read as text ([`XmlReader::text`]), skipped ([`XmlReader::skip`]), or walked to its
/// end with `next_child` until it returns `None`.
#[derive(Debug, Clone)]
pub struct Element<'a> {
    start: BytesStart<'a>,
    empty: bool,
    /// Byte offset of the `<` of this tag, for error positions.
    offset: usize,
}

impl<'a> Element<'a> {
    /// The local name (no prefix).
    pub fn local_name(&self) -> &[u8] {
        self.start.local_name().into_inner()
    }

    /// The local name as text (names are ASCII in every Salesforce schema).
    pub fn name(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(self.local_name())
    }

    /// The name as written, prefix included (`sf:Name`).
    pub fn qualified_name(&self) -> &[u8] {
        self.start.name().into_inner()
    }

    /// `<x/>`: no content at all.
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// Byte offset of the tag in the input.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The value of the first attribute whose local name is `local` (any prefix), unescaped.
    pub fn attribute(&self, local: &[u8]) -> Option<String> {
        if self.start.attributes_raw().is_empty() {
            return None;
        }
        self.start
            .attributes()
            .with_checks(false)
            .flatten()
            .find(|a| a.key.local_name().into_inner() == local)
            .and_then(|a| a.unescape_value().ok().map(Cow::into_owned))
    }

    /// `xsi:nil="true"` (or `"1"`) is present.
    pub fn is_nil(&self) -> bool {
        if self.start.attributes_raw().is_empty() {
            return false;
        }
        self.start
            .attributes()
            .with_checks(false)
            .flatten()
            .any(|a| {
                a.key.local_name().into_inner() == b"nil"
                    && a.key.prefix().is_some()
                    && matches!(&*a.value, b"true" | b"1")
            })
    }

    /// The local part of `xsi:type` (`sf:sObject` gives `sObject`), if present.
    pub fn xsi_type(&self) -> Option<String> {
        if self.start.attributes_raw().is_empty() {
            return None;
        }
        let attr = self
            .start
            .attributes()
            .with_checks(false)
            .flatten()
            .find(|a| a.key.local_name().into_inner() == b"type" && a.key.prefix().is_some())?;
        let value = &*attr.value;
        let local = match value.iter().rposition(|&c| c == b':') {
            Some(i) => &value[i + 1..],
            None => value,
        };
        String::from_utf8(local.to_vec()).ok()
    }

    /// True when `xsi:type`'s local part is `local` (no allocation).
    pub fn xsi_type_is(&self, local: &[u8]) -> bool {
        if self.start.attributes_raw().is_empty() {
            return false;
        }
        self.start
            .attributes()
            .with_checks(false)
            .flatten()
            .any(|a| {
                if a.key.local_name().into_inner() != b"type" || a.key.prefix().is_none() {
                    return false;
                }
                let value = &*a.value;
                let l = match value.iter().rposition(|&c| c == b':') {
                    Some(i) => &value[i + 1..],
                    None => value,
                };
                l == local
            })
    }
}

/// What [`XmlReader::text_or_child`] found inside an element.
#[derive(Debug)]
pub enum Content<'a> {
    /// The element holds only text (possibly none); its end tag has been read.
    Text(Cow<'a, str>),
    /// The element holds elements: this is the first one, not yet consumed.
    Child(Element<'a>),
}

/// Streaming reader over one XML document held in memory.
pub struct XmlReader<'a> {
    inner: NsReader<&'a [u8]>,
    input: &'a [u8],
    /// Scratch for text that needs unescaping or spans several events.
    scratch: String,
}

impl std::fmt::Debug for XmlReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlReader")
            .field("position", &self.inner.buffer_position())
            .finish()
    }
}

impl<'a> XmlReader<'a> {
    /// A reader positioned before the first tag of `input`.
    pub fn new(input: &'a [u8]) -> Self {
        let mut inner = NsReader::from_reader(input);
        let config = inner.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        XmlReader {
            inner,
            input,
            scratch: String::new(),
        }
    }

    /// Current byte offset in the input.
    pub fn position(&self) -> usize {
        self.inner.buffer_position() as usize
    }

    /// An [`Error::Xml`] at `offset`, with line and column worked out from the input.
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> Error {
        let (line, column) = line_column(self.input, offset);
        Error::Xml {
            line,
            column,
            message: message.into(),
        }
    }

    fn truncated(&self) -> Error {
        Error::Truncated {
            received: self.input.len(),
        }
    }

    fn wrap(&self, e: quick_xml::Error) -> Error {
        // A markup construct left open at the end of input (`<tag` cut before `>`): the
        // error position is where it started, not the end, but the body was cut.
        let unclosed = matches!(
            e,
            quick_xml::Error::Syntax(
                quick_xml::errors::SyntaxError::UnclosedTag
                    | quick_xml::errors::SyntaxError::UnclosedPIOrXmlDecl
                    | quick_xml::errors::SyntaxError::UnclosedComment
                    | quick_xml::errors::SyntaxError::UnclosedCData
                    | quick_xml::errors::SyntaxError::UnclosedDoctype
            )
        );
        if unclosed || self.inner.error_position() as usize >= self.input.len().saturating_sub(1) {
            return self.truncated();
        }
        self.error_at(self.inner.error_position() as usize, e.to_string())
    }

    /// The first element of the document (skipping the declaration, comments, whitespace).
    pub fn root(&mut self) -> Result<Element<'a>, Error> {
        loop {
            let offset = self.position();
            match self.inner.read_event().map_err(|e| self.wrap(e))? {
                Event::Start(start) => {
                    return Ok(Element {
                        start,
                        empty: false,
                        offset,
                    })
                }
                Event::Empty(start) => {
                    return Ok(Element {
                        start,
                        empty: true,
                        offset,
                    })
                }
                Event::Eof => {
                    return Err(if self.input.iter().all(u8::is_ascii_whitespace) {
                        self.error_at(0, "empty document")
                    } else {
                        self.error_at(0, "no root element")
                    })
                }
                Event::Text(t) if !t.iter().all(u8::is_ascii_whitespace) => {
                    return Err(self.error_at(offset, "text before the root element"))
                }
                _ => {}
            }
        }
    }

    /// The next child element of `parent`, or `None` once `parent`'s end tag is read.
    pub fn next_child(&mut self, parent: &Element<'_>) -> Result<Option<Element<'a>>, Error> {
        if parent.empty {
            return Ok(None);
        }
        loop {
            let offset = self.position();
            match self.inner.read_event().map_err(|e| self.wrap(e))? {
                Event::Start(start) => {
                    return Ok(Some(Element {
                        start,
                        empty: false,
                        offset,
                    }))
                }
                Event::Empty(start) => {
                    return Ok(Some(Element {
                        start,
                        empty: true,
                        offset,
                    }))
                }
                Event::End(_) => return Ok(None),
                Event::Eof => return Err(self.truncated()),
                _ => {}
            }
        }
    }

    /// True when `element` (just returned, not yet consumed) is in namespace `uri`.
    pub fn namespace_is(&self, element: &Element<'a>, uri: &str) -> bool {
        match self
            .inner
            .resolver()
            .resolve_element(element.start.name())
            .0
        {
            ResolveResult::Bound(ns) => ns.into_inner() == uri.as_bytes(),
            _ => uri.is_empty(),
        }
    }

    /// The namespace URI bound to `prefix` at the current element (for `xsi:type` values).
    pub fn resolve_prefix(&self, prefixed: &str) -> Option<String> {
        let prefix = prefixed.split_once(':').map(|(p, _)| p);
        let name = match prefix {
            Some(p) => format!("{p}:x"),
            None => "x".to_owned(),
        };
        match self
            .inner
            .resolver()
            .resolve_element(QName(name.as_bytes()))
            .0
        {
            ResolveResult::Bound(ns) => Some(String::from_utf8_lossy(ns.into_inner()).into_owned()),
            _ => None,
        }
    }

    /// Reads the text content of `element` up to its end tag. An element that holds
    /// elements instead of text (a schema violation for a text value) is skipped whole and
    /// reads as empty text.
    pub fn text(&mut self, element: &Element<'_>) -> Result<Cow<'a, str>, Error> {
        match self.text_or_child(element)? {
            Content::Text(text) => Ok(text),
            Content::Child(child) => {
                self.skip(&child)?;
                while let Some(rest) = self.next_child(element)? {
                    self.skip(&rest)?;
                }
                Ok(Cow::Borrowed(""))
            }
        }
    }

    /// Reads `element` as text when it holds only text (the end tag is then consumed), or
    /// stops at its first child element and returns it, unconsumed, when it holds elements
    /// (text before that child, such as indentation, is dropped). After a
    /// [`Content::Child`], consume the child and go on with `next_child(element)`.
    pub fn text_or_child(&mut self, element: &Element<'_>) -> Result<Content<'a>, Error> {
        if element.empty {
            return Ok(Content::Text(Cow::Borrowed("")));
        }
        let mut first: Option<Cow<'a, str>> = None;
        let mut owned = false;
        self.scratch.clear();
        loop {
            let offset = self.position();
            match self.inner.read_event().map_err(|e| self.wrap(e))? {
                Event::Text(t) => {
                    let piece = t.decode().map_err(|e| {
                        self.error_at(element.offset, format!("text is not UTF-8: {e}"))
                    })?;
                    push_piece(&mut first, &mut owned, &mut self.scratch, piece);
                }
                Event::CData(c) => {
                    let piece = c.decode().map_err(|e| {
                        self.error_at(element.offset, format!("CDATA is not UTF-8: {e}"))
                    })?;
                    push_piece(&mut first, &mut owned, &mut self.scratch, piece);
                }
                Event::GeneralRef(r) => {
                    let resolved: Cow<'a, str> = match r.resolve_char_ref() {
                        Ok(Some(c)) => Cow::Owned(c.to_string()),
                        Ok(None) => {
                            let name = r.decode().map_err(|e| {
                                self.error_at(element.offset, format!("bad entity: {e}"))
                            })?;
                            match quick_xml::escape::resolve_predefined_entity(&name) {
                                Some(s) => Cow::Borrowed(s),
                                None => {
                                    return Err(self.error_at(
                                        element.offset,
                                        format!("unknown entity `&{name};`"),
                                    ))
                                }
                            }
                        }
                        Err(e) => {
                            return Err(self
                                .error_at(element.offset, format!("bad character reference: {e}")))
                        }
                    };
                    push_piece(&mut first, &mut owned, &mut self.scratch, resolved);
                }
                Event::Start(start) => {
                    return Ok(Content::Child(Element {
                        start,
                        empty: false,
                        offset,
                    }))
                }
                Event::Empty(start) => {
                    return Ok(Content::Child(Element {
                        start,
                        empty: true,
                        offset,
                    }))
                }
                Event::End(_) => break,
                Event::Eof => return Err(self.truncated()),
                _ => {}
            }
        }
        if owned {
            Ok(Content::Text(Cow::Owned(std::mem::take(&mut self.scratch))))
        } else {
            Ok(Content::Text(first.unwrap_or(Cow::Borrowed(""))))
        }
    }

    /// Skips `element` and everything inside it.
    pub fn skip(&mut self, element: &Element<'_>) -> Result<(), Error> {
        if element.empty {
            return Ok(());
        }
        let mut depth = 1usize;
        loop {
            match self.inner.read_event().map_err(|e| self.wrap(e))? {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Event::Eof => return Err(self.truncated()),
                _ => {}
            }
        }
    }
}

fn push_piece<'a>(
    first: &mut Option<Cow<'a, str>>,
    owned: &mut bool,
    scratch: &mut String,
    piece: Cow<'a, str>,
) {
    if *owned {
        scratch.push_str(&piece);
    } else if let Some(prev) = first.take() {
        scratch.push_str(&prev);
        scratch.push_str(&piece);
        *owned = true;
    } else {
        *first = Some(piece);
    }
}

/// 1-based line and column of byte `offset` in `input`.
pub fn line_column(input: &[u8], offset: usize) -> (u32, u32) {
    let offset = offset.min(input.len());
    let before = &input[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line as u32, column as u32)
}
