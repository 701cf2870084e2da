//! A pull reader over a whole response body: no DOM, text borrowed from the input
//! whenever it holds no entity references.
//!
//! The reader is where hostile input is stopped, once for every caller (generated types,
//! the dynamic `SObject`, faults): nesting deeper than [`ReadLimits::max_depth`], more
//! attributes on one element or namespace declarations in scope than the limits, a
//! DOCTYPE, characters XML forbids, input that is not UTF-8, duplicate attributes, content
//! after the root element, and a [`Deadline`] passing are all errors naming the element (or
//! the byte), line and column.

use std::borrow::Cow;
use std::time::Duration;

use crate::time::Instant;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{QName, ResolveResult};
use quick_xml::{NsReader, XmlVersion};

use crate::error::{Error, Stage};

/// The XML Schema instance namespace (`xsi:type`, `xsi:nil`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// How many events are read between two looks at the clock.
const EVENTS_PER_CLOCK_CHECK: u32 = 1024;

/// When a read must give up: the instant and the timeout it came from (for the error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    /// The instant after which reading stops with [`Error::Timeout`].
    pub at: Instant,
    /// The timeout the instant was computed from, reported in the error.
    pub timeout: Duration,
}

impl Deadline {
    /// `timeout` from now.
    pub fn after(timeout: Duration) -> Deadline {
        Deadline {
            at: Instant::now() + timeout,
            timeout,
        }
    }

    /// [`Error::Timeout`] in [`Stage::Parse`] once the deadline has passed.
    pub fn check(&self) -> Result<(), Error> {
        if Instant::now() >= self.at {
            Err(Error::Timeout {
                after: self.timeout,
                stage: Stage::Parse,
            })
        } else {
            Ok(())
        }
    }
}

/// What a reader accepts before it refuses a document. The defaults are far above anything
/// Salesforce sends (its deepest responses nest about 25 elements; its envelopes declare
/// fewer than ten namespaces) and low enough that the recursive readers of generated
/// types and sObjects stay well within a 2 MiB thread stack, also in debug builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// The deepest element nesting accepted; the root element is level 1. Default
    /// [`ReadLimits::DEFAULT_MAX_DEPTH`].
    pub max_depth: u32,
    /// The most attributes one element may have, namespace declarations included. Default
    /// [`ReadLimits::DEFAULT_MAX_ATTRIBUTES`]. (Checking attributes for duplicates is
    /// quadratic in their number; this keeps it small.)
    pub max_attributes: u32,
    /// The most namespace declarations in scope at once. Default
    /// [`ReadLimits::DEFAULT_MAX_NAMESPACES`]. (Resolving a prefix is linear in them.)
    pub max_namespaces: u32,
    /// Stop with [`Error::Timeout`] once this passes (checked every 1,024 events).
    pub deadline: Option<Deadline>,
}

impl ReadLimits {
    /// Default [`max_depth`](Self::max_depth).
    pub const DEFAULT_MAX_DEPTH: u32 = 128;
    /// Default [`max_attributes`](Self::max_attributes).
    pub const DEFAULT_MAX_ATTRIBUTES: u32 = 64;
    /// Default [`max_namespaces`](Self::max_namespaces).
    pub const DEFAULT_MAX_NAMESPACES: u32 = 64;
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_depth: Self::DEFAULT_MAX_DEPTH,
            max_attributes: Self::DEFAULT_MAX_ATTRIBUTES,
            max_namespaces: Self::DEFAULT_MAX_NAMESPACES,
            deadline: None,
        }
    }
}

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
        self.start.local_name().into_inner().as_bytes()
    }

    /// The local name as text (names are ASCII in every Salesforce schema).
    pub fn name(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(self.local_name())
    }

    /// The name as written, prefix included (`sf:Name`).
    pub fn qualified_name(&self) -> &[u8] {
        self.start.name().into_inner().as_bytes()
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
            .find(|a| a.key.local_name().into_inner().as_bytes() == local)
            .and_then(|a| {
                a.normalized_value(XmlVersion::Implicit1_0)
                    .ok()
                    .map(Cow::into_owned)
            })
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
                a.key.local_name().into_inner() == "nil"
                    && a.key.prefix().is_some()
                    && matches!(&*a.value, "true" | "1")
            })
    }

    /// The raw value of `xsi:type` (`sf:sObject`), if present.
    pub fn xsi_type_raw(&self) -> Option<Cow<'_, [u8]>> {
        if self.start.attributes_raw().is_empty() {
            return None;
        }
        self.start
            .attributes()
            .with_checks(false)
            .flatten()
            .find(|a| a.key.local_name().into_inner() == "type" && a.key.prefix().is_some())
            .map(|a| match a.value {
                Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
                Cow::Owned(s) => Cow::Owned(s.into_bytes()),
            })
    }

    /// The local part of `xsi:type` (`sf:sObject` gives `sObject`), if present.
    pub fn xsi_type(&self) -> Option<String> {
        let value = self.xsi_type_raw()?;
        String::from_utf8(local_part(&value).to_vec()).ok()
    }

    /// True when `xsi:type`'s local part is `local` (no allocation).
    pub fn xsi_type_is(&self, local: &[u8]) -> bool {
        self.xsi_type_raw()
            .is_some_and(|value| local_part(&value) == local)
    }
}

/// `b` of `a:b`, or the whole name.
fn local_part(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&c| c == b':') {
        Some(i) => &name[i + 1..],
        None => name,
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

/// Streaming reader over one XML document held in memory. Cloning it is cheap (the
/// namespaces in scope and a position) and gives a reader that goes on from the same place.
#[derive(Clone)]
pub struct XmlReader<'a> {
    inner: NsReader<&'a [u8]>,
    input: &'a [u8],
    /// Bytes skipped before the inner reader's input: a UTF-8 byte order mark and
    /// whitespace before the XML declaration. Positions are in `input`, past these.
    skipped: usize,
    /// Scratch for text that needs unescaping or spans several events.
    scratch: String,
    limits: ReadLimits,
    /// Elements open now (the root is 1).
    depth: u32,
    /// `(depth, declarations)` of the open elements that declare namespaces.
    scopes: Vec<(u32, u32)>,
    /// Namespace declarations in scope.
    namespaces: u32,
    /// Events read since the clock was last checked.
    events: u32,
}

impl std::fmt::Debug for XmlReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlReader")
            .field("position", &self.position())
            .field("depth", &self.depth)
            .finish()
    }
}

impl<'a> XmlReader<'a> {
    /// A reader positioned before the first tag of `input`, with the default limits.
    pub fn new(input: &'a [u8]) -> Self {
        XmlReader::with_limits(input, ReadLimits::default())
    }

    /// A reader positioned before the first tag of `input`, with these limits.
    ///
    /// A UTF-8 byte order mark and whitespace before the first markup (some servers and
    /// proxies write a newline before `<?xml …?>`) are skipped; anything else before the
    /// root element is an error when reading it.
    pub fn with_limits(input: &'a [u8], limits: ReadLimits) -> Self {
        let skipped = leading_bom_and_whitespace(input);
        let mut inner = NsReader::from_reader(&input[skipped..]);
        let config = inner.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        XmlReader {
            inner,
            input,
            skipped,
            scratch: String::new(),
            limits,
            depth: 0,
            scopes: Vec::new(),
            namespaces: 0,
            events: 0,
        }
    }

    /// The limits this reader enforces.
    pub fn limits(&self) -> &ReadLimits {
        &self.limits
    }

    /// Current byte offset in the input.
    pub fn position(&self) -> usize {
        self.skipped + self.inner.buffer_position() as usize
    }

    /// Where the inner reader's last error is, in `input`.
    fn error_position(&self) -> usize {
        self.skipped + self.inner.error_position() as usize
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

    /// The input is not UTF-8 (quick-xml checks each event as it reads it): an error at the
    /// first byte that is not, found again here so the position is exact whichever event
    /// held it (text, a tag, an attribute value, a comment). A sequence cut by the end of
    /// the input is a truncated body.
    #[cold]
    fn not_utf8(&self) -> Error {
        let Err(e) = std::str::from_utf8(self.input) else {
            return self.error_at(self.error_position(), "the input is not UTF-8");
        };
        let at = e.valid_up_to();
        match e.error_len() {
            None => self.truncated(),
            Some(len) => {
                let bytes: Vec<String> = self.input[at..at + len]
                    .iter()
                    .map(|b| format!("0x{b:02X}"))
                    .collect();
                self.error_at(
                    at,
                    format!(
                        "the input is not UTF-8: byte {at} ({}) does not start or continue a \
                         UTF-8 character (SOAP messages are UTF-8)",
                        bytes.join(" ")
                    ),
                )
            }
        }
    }

    fn wrap(&self, e: quick_xml::Error) -> Error {
        if let quick_xml::Error::Encoding(_) = e {
            return self.not_utf8();
        }
        // A markup construct left open at the end of input (`<tag` cut before `>`): the
        // error position is where it started, not the end, but the body was cut.
        let unclosed = matches!(
            e,
            quick_xml::Error::Syntax(
                quick_xml::errors::SyntaxError::UnclosedTag
                    | quick_xml::errors::SyntaxError::UnclosedPI
                    | quick_xml::errors::SyntaxError::UnclosedXmlDecl
                    | quick_xml::errors::SyntaxError::UnclosedComment
                    | quick_xml::errors::SyntaxError::UnclosedCData
                    | quick_xml::errors::SyntaxError::UnclosedDoctype
            )
        );
        if unclosed || self.error_position() >= self.input.len().saturating_sub(1) {
            return self.truncated();
        }
        self.error_at(self.error_position(), e.to_string())
    }

    /// The one place events are read: keeps the depth and the namespaces in scope, checks
    /// each start tag's attributes, refuses a DOCTYPE and looks at the deadline now and
    /// then. Returns the event and the offset it started at.
    #[inline(always)]
    fn event(&mut self) -> Result<(Event<'a>, usize), Error> {
        let offset = self.position();
        let event = self.inner.read_event().map_err(|e| self.wrap(e))?;
        match &event {
            Event::Start(start) => self.enter(start, offset, false)?,
            Event::Empty(start) => self.enter(start, offset, true)?,
            Event::End(_) => self.leave(),
            Event::DocType(_) => {
                return Err(self.error_at(
                    offset,
                    "a DOCTYPE is not allowed in a SOAP message (entity declarations are refused)",
                ))
            }
            _ => {}
        }
        self.events += 1;
        if self.events >= EVENTS_PER_CLOCK_CHECK {
            self.events = 0;
            if let Some(deadline) = &self.limits.deadline {
                deadline.check()?;
            }
        }
        Ok((event, offset))
    }

    #[inline]
    fn enter(&mut self, start: &BytesStart<'_>, offset: usize, empty: bool) -> Result<(), Error> {
        let depth = self.depth + 1;
        if depth > self.limits.max_depth {
            return Err(self.error_at(
                offset,
                format!(
                    "element `{}` is nested {depth} levels deep, deeper than the limit of {} \
                     (ReadLimits::max_depth)",
                    start.local_name().into_inner(),
                    self.limits.max_depth
                ),
            ));
        }
        let name = start.name().into_inner();
        if !is_qname(name.as_bytes()) {
            let mut shown: String = name.chars().take(60).collect();
            if shown.len() < name.len() {
                shown.push('…');
            }
            return Err(self.error_at(offset, format!("`{shown}` is not an XML element name")));
        }
        let declared = if start.attributes_raw().is_empty() {
            0
        } else {
            self.check_attributes(start, offset)?
        };
        if declared > 0 {
            let in_scope = self.namespaces + declared;
            if in_scope > self.limits.max_namespaces {
                return Err(self.error_at(
                    offset,
                    format!(
                        "element `{}` brings the namespace declarations in scope to {in_scope}, \
                         more than the limit of {} (ReadLimits::max_namespaces)",
                        start.local_name().into_inner(),
                        self.limits.max_namespaces
                    ),
                ));
            }
            if !empty {
                self.namespaces = in_scope;
                self.scopes.push((depth, declared));
            }
        }
        if !empty {
            self.depth = depth;
        }
        Ok(())
    }

    #[inline]
    fn leave(&mut self) {
        if let Some(&(depth, declared)) = self.scopes.last() {
            if depth == self.depth {
                self.scopes.pop();
                self.namespaces -= declared;
            }
        }
        self.depth = self.depth.saturating_sub(1);
    }

    /// Checks the attributes of a start tag (count, duplicates, syntax, characters of
    /// escaped values) and returns how many declare a namespace.
    #[inline(never)]
    fn check_attributes(&self, start: &BytesStart<'_>, offset: usize) -> Result<u32, Error> {
        let raw = start.attributes_raw().as_bytes();
        if !raw.contains(&b'&') && raw.iter().filter(|&&b| b == b'=').count() <= 1 {
            // One attribute at most (the usual `xsi:type` or `xsi:nil`), nothing escaped:
            // no duplicate is possible and no limit can be exceeded.
            return Ok(u32::from(raw.trim_ascii_start().starts_with(b"xmlns")));
        }
        self.check_all_attributes(start, offset)
    }

    #[inline(never)]
    fn check_all_attributes(&self, start: &BytesStart<'_>, offset: usize) -> Result<u32, Error> {
        let name = || start.local_name().into_inner();
        let bad = |e: &dyn std::fmt::Display| {
            self.error_at(offset, format!("element `{}`: bad attribute: {e}", name()))
        };
        // Keys seen so far, for the duplicate check without quick-xml's allocation; past
        // this many, quick-xml's own check takes over.
        let mut keys = arrayvec::ArrayVec::<&str, 64>::new();
        let mut checked_all = false;
        let mut count = 0u32;
        let mut declared = 0u32;
        for attribute in start.attributes().with_checks(false) {
            let attribute = attribute.map_err(|e| bad(&e))?;
            count += 1;
            if count > self.limits.max_attributes {
                return Err(self.error_at(
                    offset,
                    format!(
                        "element `{}` has more than {} attributes (ReadLimits::max_attributes)",
                        name(),
                        self.limits.max_attributes
                    ),
                ));
            }
            let key = attribute.key.into_inner();
            if keys.contains(&key) {
                return Err(bad(&format_args!("`{key}` appears twice")));
            }
            if keys.try_push(key).is_err() && !std::mem::replace(&mut checked_all, true) {
                for checked in start.attributes() {
                    checked.map_err(|e| bad(&e))?;
                }
            }
            if attribute.key.as_namespace_binding().is_some() {
                declared += 1;
            }
            if attribute.value.contains('&') {
                let value = attribute
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|e| bad(&e))?;
                if let Some(c) = value.chars().find(|&c| !is_xml_char(c)) {
                    return Err(self.error_at(
                        offset,
                        format!(
                            "element `{}`: an attribute holds U+{:04X}, a character XML does \
                             not allow",
                            name(),
                            c as u32
                        ),
                    ));
                }
            }
        }
        Ok(declared)
    }

    /// The first element of the document (skipping the declaration, comments, whitespace).
    ///
    /// Before reading anything, checks the whole input once for characters XML does not
    /// allow (control characters other than tab, line feed and carriage return; U+FFFE,
    /// U+FFFF).
    pub fn root(&mut self) -> Result<Element<'a>, Error> {
        self.check_characters()?;
        loop {
            let (event, offset) = self.event()?;
            match event {
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
                Event::Text(t) if !t.bytes().all(|b| b.is_ascii_whitespace()) => {
                    return Err(self.error_at(offset, "text before the root element"))
                }
                Event::CData(_) | Event::GeneralRef(_) => {
                    return Err(self.error_at(offset, "text before the root element"))
                }
                _ => {}
            }
        }
    }

    /// After the root element has been read to its end: checks that nothing but
    /// whitespace, comments and processing instructions follows (no second root, no text).
    pub fn finish(&mut self) -> Result<(), Error> {
        loop {
            let (event, offset) = self.event()?;
            match event {
                Event::Eof => return Ok(()),
                Event::Text(t) if t.bytes().all(|b| b.is_ascii_whitespace()) => {}
                Event::Comment(_) | Event::PI(_) => {}
                Event::Start(_) | Event::Empty(_) => {
                    return Err(self.error_at(
                        offset,
                        "a second root element after the end of the document",
                    ))
                }
                _ => return Err(self.error_at(offset, "content after the end of the document")),
            }
        }
    }

    /// The input holds only characters XML allows. (UTF-8 itself is checked by quick-xml as
    /// it reads each event; [`XmlReader::not_utf8`] turns its error into one at the byte.)
    fn check_characters(&self) -> Result<(), Error> {
        if let Some((at, c)) = first_forbidden_char(self.input) {
            return Err(self.error_at(
                at,
                format!("U+{:04X} is a character XML does not allow", c as u32),
            ));
        }
        Ok(())
    }

    /// The next child element of `parent`, or `None` once `parent`'s end tag is read.
    pub fn next_child(&mut self, parent: &Element<'_>) -> Result<Option<Element<'a>>, Error> {
        if parent.empty {
            return Ok(None);
        }
        loop {
            let (event, offset) = self.event()?;
            match event {
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
            ResolveResult::Bound(ns) => ns.into_inner() == uri,
            _ => uri.is_empty(),
        }
    }

    /// The namespace URI of `element` (just returned, not yet consumed), if it has one.
    pub fn namespace_of(&self, element: &Element<'a>) -> Option<String> {
        match self
            .inner
            .resolver()
            .resolve_element(element.start.name())
            .0
        {
            ResolveResult::Bound(ns) => Some(ns.into_inner().to_owned()),
            _ => None,
        }
    }

    /// The namespace URI bound to `prefix` at the current element (for `xsi:type` values).
    pub fn resolve_prefix(&self, prefixed: &str) -> Option<String> {
        let prefix = prefixed.split_once(':').map(|(p, _)| p);
        let name = match prefix {
            Some(p) => format!("{p}:x"),
            None => "x".to_owned(),
        };
        match self.inner.resolver().resolve_element(QName(&name)).0 {
            ResolveResult::Bound(ns) => Some(ns.into_inner().to_owned()),
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
            let (event, offset) = self.event()?;
            match event {
                Event::Text(t) => {
                    push_piece(&mut first, &mut owned, &mut self.scratch, t.into_inner())
                }
                Event::CData(c) => {
                    push_piece(&mut first, &mut owned, &mut self.scratch, c.into_inner())
                }
                Event::GeneralRef(r) => {
                    let resolved: Cow<'a, str> = match r.resolve_char_ref() {
                        Ok(Some(c)) if is_xml_char(c) => Cow::Owned(c.to_string()),
                        Ok(Some(c)) => {
                            return Err(self.error_at(
                                offset,
                                format!(
                                    "element `{}`: the character reference `&{};` is U+{:04X}, \
                                     a character XML does not allow",
                                    element.name(),
                                    &*r,
                                    c as u32
                                ),
                            ))
                        }
                        Ok(None) => {
                            let name = &*r;
                            match quick_xml::escape::resolve_predefined_entity(name) {
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
        let mut open = 1usize;
        loop {
            match self.event()?.0 {
                Event::Start(_) => open += 1,
                Event::End(_) => {
                    open -= 1;
                    if open == 0 {
                        return Ok(());
                    }
                }
                Event::Eof => return Err(self.truncated()),
                _ => {}
            }
        }
    }

    /// The input from `element`'s start tag to the reader's position (after `element`
    /// has been skipped: the element as written), lossily decoded.
    pub fn source_since(&self, element: &Element<'_>) -> Cow<'a, str> {
        let end = self.position().min(self.input.len());
        let start = element.offset.min(end);
        String::from_utf8_lossy(&self.input[start..end])
    }
}

/// The length of a UTF-8 byte order mark and the ASCII whitespace after it at the start of
/// `input`.
fn leading_bom_and_whitespace(input: &[u8]) -> usize {
    let bom = if input.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    bom + input[bom..]
        .iter()
        .take_while(|b| b.is_ascii_whitespace())
        .count()
}

/// `name` is an element name of a namespace-well-formed document: `local` or
/// `prefix:local`, each part a name start character followed by name characters. quick-xml
/// takes everything up to white space as the name (`<a"b/>` gives `a"b`); a record's field
/// names are written back into requests as they were read, so a name that is not one would
/// write ill-formed markup. Bytes of multi-byte characters are all accepted: none can end a
/// tag or start markup (and quick-xml has already refused a name that is not UTF-8).
fn is_qname(name: &[u8]) -> bool {
    fn start(b: u8) -> bool {
        b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
    }
    fn ncname(part: &[u8]) -> bool {
        match part.split_first() {
            Some((&first, rest)) => {
                start(first)
                    && rest
                        .iter()
                        .all(|&b| start(b) || b.is_ascii_digit() || b == b'-' || b == b'.')
            }
            None => false,
        }
    }
    match name.iter().position(|&b| b == b':') {
        Some(colon) => ncname(&name[..colon]) && ncname(&name[colon + 1..]),
        None => ncname(name),
    }
}

/// A character the XML 1.0 `Char` production allows.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The first character of UTF-8 `input` that XML forbids, with its byte offset: a control
/// character other than tab, line feed and carriage return, or U+FFFE / U+FFFF (surrogates
/// cannot occur in valid UTF-8). Looks at 32 bytes at a time without branching inside a
/// block, which compiles to vector code; only blocks with a suspect byte are looked at
/// closely.
fn first_forbidden_char(input: &[u8]) -> Option<(usize, char)> {
    #[inline(always)]
    fn suspect(b: u8) -> u8 {
        // A control byte (tab, LF and CR are ruled out exactly below), or the lead byte of
        // U+F000..U+FFFF.
        ((b < 0x20) | (b == 0xEF)) as u8
    }
    let exact = |at: usize| -> Option<(usize, char)> {
        let b = input[at];
        if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') {
            return Some((at, char::from(b)));
        }
        if b == 0xEF && input.get(at + 1) == Some(&0xBF) {
            match input.get(at + 2) {
                Some(0xBE) => return Some((at, '\u{FFFE}')),
                Some(0xBF) => return Some((at, '\u{FFFF}')),
                _ => {}
            }
        }
        None
    };
    let mut blocks = input.chunks_exact(32);
    let mut base = 0;
    for block in &mut blocks {
        let mut hits = 0u8;
        for &b in block {
            hits |= suspect(b);
        }
        if hits != 0 {
            if let Some(found) = (base..base + 32).find_map(exact) {
                return Some(found);
            }
        }
        base += 32;
    }
    (base..input.len()).find_map(exact)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(xml: &str, limits: ReadLimits) -> Result<(), Error> {
        let mut r = XmlReader::with_limits(xml.as_bytes(), limits);
        let root = r.root()?;
        r.skip(&root)?;
        r.finish()
    }

    fn message(result: Result<(), Error>) -> String {
        match result {
            Err(Error::Xml {
                line,
                column,
                message,
            }) => format!("{line}:{column}: {message}"),
            other => panic!("expected an XML error, got {other:?}"),
        }
    }

    #[test]
    fn forbidden_characters_are_found_in_every_block_position() {
        for at in [0, 1, 31, 32, 33, 63, 64, 100] {
            for (bad, c) in [
                ("\u{0}", '\u{0}'),
                ("\u{1}", '\u{1}'),
                ("\u{FFFE}", '\u{FFFE}'),
            ] {
                let mut text = "a".repeat(101);
                text.insert_str(at, bad);
                assert_eq!(first_forbidden_char(text.as_bytes()), Some((at, c)), "{at}");
            }
        }
        let fine = "tab\t lf\n cr\r é 全角ｱ \u{FFFD} \u{EFFF} 😀".repeat(5);
        assert_eq!(first_forbidden_char(fine.as_bytes()), None);
    }

    #[test]
    fn depth_limit_names_the_element_and_depth() {
        let limits = ReadLimits {
            max_depth: 3,
            ..ReadLimits::default()
        };
        assert!(read_all("<a><b><c/></b></a>", limits).is_ok());
        let text = message(read_all("<a><b><c><d/></c></b></a>", limits));
        assert_eq!(
            text,
            "1:10: element `d` is nested 4 levels deep, deeper than the limit of 3 \
             (ReadLimits::max_depth)"
        );
    }

    #[test]
    fn attribute_and_namespace_limits() {
        let limits = ReadLimits {
            max_attributes: 2,
            max_namespaces: 2,
            ..ReadLimits::default()
        };
        assert!(read_all("<a x='1' y='2'/>", limits).is_ok());
        assert!(message(read_all("<a x='1' y='2' z='3'/>", limits)).contains("more than 2"));
        assert!(read_all(
            "<a xmlns:p='u'><b xmlns:q='v'/><c xmlns:r='w'/></a>",
            limits
        )
        .is_ok());
        let text = message(read_all(
            "<a xmlns:p='u'><b xmlns:q='v'><c xmlns:r='w'/></b></a>",
            limits,
        ));
        assert!(text.starts_with("1:31: element `c`"), "{text}");
    }

    #[test]
    fn element_names_must_be_xml_names() {
        let l = ReadLimits::default();
        for fine in ["<a/>", "<sf:Name__c/>", "<_a.b-c9/>", "<é:ü/>", "<a></a>"] {
            assert!(read_all(fine, l).is_ok(), "{fine}");
        }
        // Found by the `response_dynamic` fuzz target: quick-xml keeps quotes, `=`, `&`
        // and extra colons in a name, and a record's field names are written back as read.
        for bad in [
            "<r><a\"b\"/></r>",
            "<r><sf:Name\"><sf:OwnerId>x</sf:OwnerId><sf:Rating\"/></r>",
            "<r><xmlns=\"http:/a\":nil=\"x\"/></r>",
            "<r><a:b:c/></r>",
            "<r><:a/></r>",
            "<r><a:/></r>",
            "<r><1a/></r>",
            "<r><a&amp;/></r>",
        ] {
            let text = message(read_all(bad, l));
            assert!(text.contains("is not an XML element name"), "{bad}: {text}");
        }
        let text = message(read_all("<r><a=\"1\"/></r>", l));
        assert_eq!(text, "1:4: `a=\"1\"` is not an XML element name");
    }

    #[test]
    fn strict_document_rules() {
        let l = ReadLimits::default();
        assert!(message(read_all("<a x='1' x='2'/>", l)).contains("bad attribute"));
        assert!(message(read_all("<!DOCTYPE a><a/>", l)).contains("DOCTYPE"));
        assert!(message(read_all("<a/><b/>", l)).contains("second root"));
        assert!(message(read_all("<a/>text", l)).contains("after the end"));
        assert!(read_all("<?xml version='1.0'?><a/>\n<!-- c --> \n", l).is_ok());
        assert!(message(read_all("<a>\u{0}</a>", l)).contains("U+0000"));
        assert!(message(read_all("<a x='&#1;'/>", l)).contains("U+0001"));
        let mut r = XmlReader::new(b"<a>&#x1;</a>");
        let root = r.root().unwrap();
        let text = message(r.text(&root).map(|_| ()));
        assert!(text.contains("U+0001"), "{text}");
        let mut r = XmlReader::new("<a>&#xFFFE;</a>".as_bytes());
        let root = r.root().unwrap();
        assert!(message(r.text(&root).map(|_| ())).contains("U+FFFE"));
        assert!(message(read_all("<a>\u{FFFF}</a>", l)).contains("U+FFFF"));
        let mut r = XmlReader::new(b"<a>\xE2\x82</a>");
        let root = r.root().unwrap();
        assert!(message(r.text(&root).map(|_| ())).contains("not UTF-8"));
    }

    #[test]
    fn deadline_in_the_past_stops_a_long_read() {
        let xml = format!("<a>{}</a>", "<b/>".repeat(5000));
        let limits = ReadLimits {
            deadline: Some(Deadline {
                at: Instant::now(),
                timeout: Duration::from_millis(5),
            }),
            ..ReadLimits::default()
        };
        match read_all(&xml, limits) {
            Err(Error::Timeout { after, stage }) => {
                assert_eq!(after, Duration::from_millis(5));
                assert_eq!(stage, Stage::Parse);
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
    }

    #[test]
    fn whitespace_and_a_byte_order_mark_before_the_declaration_are_skipped() {
        // jsforce's tests carry a Salesforce fault that starts with a newline.
        for input in [
            "\n<?xml version=\"1.0\"?><a>x</a>".as_bytes().to_vec(),
            b"\xEF\xBB\xBF<?xml version=\"1.0\"?><a>x</a>".to_vec(),
            b"\xEF\xBB\xBF \r\n\t<?xml version=\"1.0\"?><a>x</a>".to_vec(),
            b" <a>x</a>".to_vec(),
        ] {
            let mut r = XmlReader::new(&input);
            let root = r.root().unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(root.local_name(), b"a");
            assert_eq!(r.position() - root.offset(), 3, "offsets stay in the input");
        }
        // Positions still count the skipped bytes: an error on line 4, column 4.
        let mut r = XmlReader::new(b"\n\n<?xml version=\"1.0\"?>\n<a></b>");
        let root = r.root().unwrap();
        let err = r.skip(&root).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Xml {
                    line: 4,
                    column: 4,
                    ..
                }
            ),
            "{err:?}"
        );
        // Anything else before the root is still refused.
        for input in ["x<?xml version=\"1.0\"?><a/>", "\n text <a/>"] {
            assert!(XmlReader::new(input.as_bytes()).root().is_err(), "{input}");
        }
    }
}
