//! Writes XML straight into one growing buffer: tags are `&'static str` with their prefix,
//! text is escaped in place, nothing else is allocated.

/// Appends elements to a request body. Tags include their prefix (`p:queryString`);
/// the envelope declares every prefix once.
#[derive(Debug, Default)]
pub struct XmlWriter {
    buf: String,
    results: bool,
}

impl XmlWriter {
    /// An empty writer.
    pub fn new() -> Self {
        XmlWriter::default()
    }

    /// An empty writer with room for `bytes`.
    pub fn with_capacity(bytes: usize) -> Self {
        XmlWriter {
            buf: String::with_capacity(bytes),
            results: false,
        }
    }

    /// An empty writer for a response (server side), with room for `bytes`: sObjects are
    /// written as the server writes query results, not as a client writes requests (see
    /// [`crate::SObject`]).
    pub fn for_results(bytes: usize) -> Self {
        XmlWriter {
            buf: String::with_capacity(bytes),
            results: true,
        }
    }

    /// Whether this writer writes a response ([`XmlWriter::for_results`]).
    pub fn writes_results(&self) -> bool {
        self.results
    }

    /// What has been written so far.
    pub fn as_str(&self) -> &str {
        &self.buf
    }

    /// Gives back the written text.
    pub fn into_string(self) -> String {
        self.buf
    }

    /// Appends markup as is (the caller guarantees it is well-formed).
    pub fn raw(&mut self, markup: &str) {
        self.buf.push_str(markup);
    }

    /// `<tag>`.
    pub fn open(&mut self, tag: &str) {
        self.buf.push('<');
        self.buf.push_str(tag);
        self.buf.push('>');
    }

    /// `<tag xsi:type="xsi_type">`, for values of a derived type.
    pub fn open_typed(&mut self, tag: &str, xsi_type: &str) {
        self.buf.push('<');
        self.buf.push_str(tag);
        self.buf.push_str(" xsi:type=\"");
        self.buf.push_str(xsi_type);
        self.buf.push_str("\">");
    }

    /// `<tag xmlns:prefix="uri">`: an element that declares the namespace its own content
    /// names (a `QName` value written as `prefix:local`).
    pub fn open_declaring(&mut self, tag: &str, prefix: &str, uri: &str) {
        self.buf.push('<');
        self.buf.push_str(tag);
        self.buf.push_str(" xmlns:");
        self.buf.push_str(prefix);
        self.buf.push_str("=\"");
        self.text(uri);
        self.buf.push_str("\">");
    }

    /// `</tag>`.
    pub fn close(&mut self, tag: &str) {
        self.buf.push_str("</");
        self.buf.push_str(tag);
        self.buf.push('>');
    }

    /// `<tag>text</tag>` with `text` escaped.
    pub fn text_element(&mut self, tag: &str, text: &str) {
        self.open(tag);
        self.text(text);
        self.close(tag);
    }

    /// `<tag xsi:nil="true"/>`.
    pub fn nil_element(&mut self, tag: &str) {
        self.buf.push('<');
        self.buf.push_str(tag);
        self.buf.push_str(" xsi:nil=\"true\"/>");
    }

    /// Escaped character data.
    pub fn text(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut last = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let replacement = match b {
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'&' => "&amp;",
                b'"' => "&quot;",
                b'\r' => "&#13;",
                _ => continue,
            };
            self.buf.push_str(&text[last..i]);
            self.buf.push_str(replacement);
            last = i + 1;
        }
        self.buf.push_str(&text[last..]);
    }

    /// Writes a displayable value (numbers) without an intermediate `String`.
    pub fn display(&mut self, value: impl std::fmt::Display) {
        use std::fmt::Write;
        // Writing into a String cannot fail.
        let _ = write!(self.buf, "{value}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_characters() {
        let mut w = XmlWriter::new();
        w.text_element("p:a", "x<y & \"z\" >\r");
        assert_eq!(
            w.as_str(),
            "<p:a>x&lt;y &amp; &quot;z&quot; &gt;&#13;</p:a>"
        );
    }

    #[test]
    fn nil_and_typed() {
        let mut w = XmlWriter::new();
        w.nil_element("sf:Name");
        w.open_typed("p:m", "p:CustomObject");
        w.close("p:m");
        assert_eq!(
            w.as_str(),
            "<sf:Name xsi:nil=\"true\"/><p:m xsi:type=\"p:CustomObject\"></p:m>"
        );
    }
}
