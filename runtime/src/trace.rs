//! Making text safe to leave the library: envelopes written to trace files
//! (`SFORCE_TRACE_DIR`), and error messages that quote what a server sent.
//!
//! Two mechanisms, both applied wherever text leaves: [`mask_secrets`] blanks the content
//! of elements that hold secrets by their name (`sessionId`, `password`, …), and the
//! connection's known secrets (every password, security token, session id, access and
//! refresh token, client secret, JWT assertion and private key it holds or held) are
//! replaced wherever they occur, raw or escaped as XML, JSON or a form field would escape
//! them, so that a server echoing a request back cannot make one appear in an error or a
//! trace file. The forms: as is; XML-escaped three ways (`&<>` only, also `"`, also `'`),
//! each also escaped twice, as an XML echo of our own escaped request has it; JSON-escaped
//! (with and without `\/`); form- and URL-encoded. Secrets shorter than four characters
//! are not searched for. A typed fault detail that would still show one (a form not in
//! this list) is replaced by its masked `Debug` text.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::Mutex;

/// What replaces a secret.
pub const MASK: &str = "********";

/// Local names of the elements whose content is secret (compared ignoring ASCII case):
/// session ids, passwords, tokens, client secrets, private keys.
pub const SECRET_ELEMENTS: &[&str] = &[
    "sessionId",
    "password",
    "newPassword",
    "oldPassword",
    "securityToken",
    "accessToken",
    "access_token",
    "refreshToken",
    "refresh_token",
    "oauthToken",
    "oauthRefreshToken",
    "clientSecret",
    "client_secret",
    "consumerSecret",
    "privateKey",
    "private_key",
];

fn is_secret(local: &str) -> bool {
    SECRET_ELEMENTS
        .iter()
        .any(|s| s.eq_ignore_ascii_case(local))
}

/// Byte index of the `>` closing the tag that starts `tag` (at its `<`), skipping `>`
/// inside quoted attribute values.
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, b) in tag.bytes().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i),
            (None, _) => {}
        }
    }
    None
}

/// Byte index in `rest` of the end tag `</qname>` (whitespace allowed before `>`).
fn end_tag(rest: &str, qname: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = rest[from..].find("</") {
        let at = from + i;
        let after = &rest[at + 2..];
        if let Some(tail) = after.strip_prefix(qname) {
            if tail.trim_start().starts_with('>') {
                return Some(at);
            }
        }
        from = at + 2;
    }
    None
}

/// A copy of `envelope` with the content of every secret element (see
/// [`SECRET_ELEMENTS`]: `sessionId`, `password`, `newPassword`, … under any prefix)
/// replaced by `********`, up to the element's end tag (a truncated envelope is masked to
/// its end). Works on any text, well-formed or not; everything else is kept as is.
pub fn mask_secrets(envelope: &str) -> String {
    let mut out = String::with_capacity(envelope.len());
    walk(envelope, &mut |piece, secret| {
        if !secret {
            out.push_str(piece);
        } else if !piece.is_empty() {
            out.push_str(MASK);
        }
    });
    out
}

/// The contents of the secret elements of `envelope` (a request about to be sent: a
/// `setPassword` password, a session id), unescaped: what the connection learns before
/// sending, so that a server echoing them cannot make them show.
pub(crate) fn secret_values(envelope: &str) -> Vec<String> {
    let mut out = Vec::new();
    walk(envelope, &mut |piece, secret| {
        if secret && !piece.is_empty() {
            let value = quick_xml::escape::unescape(piece)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| piece.to_owned());
            out.push(value);
        }
    });
    out
}

/// Walks `text`, handing each piece to `visit` with `true` for the content of a secret
/// element and `false` for everything else (in order, covering all of `text`).
fn walk(text: &str, visit: &mut dyn FnMut(&str, bool)) {
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        visit(&rest[..lt], false);
        let tail = &rest[lt..];
        // Comments are walked inside too; CDATA sections, declarations and processing
        // instructions are kept whole.
        if let Some(comment) = tail.strip_prefix("<!--") {
            let end = comment.find("-->").unwrap_or(comment.len());
            visit("<!--", false);
            walk(&comment[..end], visit);
            rest = &comment[end..];
            if let Some(after) = rest.strip_prefix("-->") {
                visit("-->", false);
                rest = after;
            }
            continue;
        }
        let special_end = if tail.starts_with("<![CDATA[") {
            Some(tail.find("]]>").map(|i| i + 3))
        } else if tail.starts_with("<!") || tail.starts_with("<?") {
            Some(tail.find('>').map(|i| i + 1))
        } else {
            None
        };
        if let Some(end) = special_end {
            let end = end.unwrap_or(tail.len());
            visit(&tail[..end], false);
            rest = &tail[end..];
            continue;
        }
        let Some(gt) = tag_end(tail) else {
            visit(tail, false);
            return;
        };
        visit(&tail[..=gt], false);
        let tag = &tail[1..gt];
        rest = &tail[gt + 1..];
        if tag.starts_with('/') || tag.ends_with('/') {
            continue;
        }
        let qname = tag
            .split(|c: char| c.is_ascii_whitespace())
            .next()
            .unwrap_or("");
        let local = qname.rsplit(':').next().unwrap_or(qname);
        if !is_secret(local) {
            continue;
        }
        let end = end_tag(rest, qname).unwrap_or(rest.len());
        visit(&rest[..end], true);
        rest = &rest[end..];
    }
    visit(rest, false);
}

/// Secrets shorter than this are not searched for in text: one or two characters would
/// match ordinary words everywhere and wreck every message. (Salesforce passwords have at
/// least 8 characters, security tokens 24 or 25, session ids about 100.)
pub(crate) const MIN_MASKED_LEN: usize = 4;

/// How many secrets learnt at run time (session ids, rotated refresh tokens, assertions)
/// are remembered; older ones are long invalid.
const REMEMBERED: usize = 32;

/// One secret in every form it can take in text a server sends back, longest first.
#[derive(Clone)]
struct Forms(Vec<String>);

impl Forms {
    fn of(secret: &str) -> Forms {
        let mut forms = vec![secret.to_owned()];
        let mut push = |form: String| {
            if !forms.contains(&form) {
                forms.push(form);
            }
        };
        // XML as our writer escapes text (`&<>"` and CR), as most servers escape text
        // (`&<>` only), and with `'` too; each also escaped twice, as in a server's XML
        // echo of our own (escaped) request.
        let ours = |text: &str| {
            let mut xml = crate::xml::XmlWriter::new();
            xml.text(text);
            xml.into_string()
        };
        let minimal = |text: &str| {
            text.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        };
        let full = |text: &str| minimal(text).replace('"', "&quot;").replace('\'', "&apos;");
        for escape in [&ours as &dyn Fn(&str) -> String, &minimal, &full] {
            push(escape(secret));
            push(escape(&escape(secret)));
        }
        // JSON string content.
        if let Ok(json) = serde_json::to_string(secret) {
            push(json[1..json.len() - 1].to_owned());
            push(json[1..json.len() - 1].replace('/', "\\/"));
        }
        // A form field (`application/x-www-form-urlencoded`) and a URL component.
        push(url::form_urlencoded::byte_serialize(secret.as_bytes()).collect());
        push(
            url::form_urlencoded::byte_serialize(secret.as_bytes())
                .collect::<String>()
                .replace('+', "%20"),
        );
        forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        Forms(forms)
    }
}

/// Every secret a connection knows, for masking. Fixed ones (credentials, keys) are given
/// when the connection is built; those learnt later (session ids, refresh tokens,
/// assertions) are added as they arrive.
#[derive(Default)]
pub(crate) struct KnownSecrets {
    fixed: Vec<Forms>,
    learnt: Mutex<VecDeque<Forms>>,
}

impl KnownSecrets {
    /// Secrets known from the start. Values shorter than [`MIN_MASKED_LEN`] are ignored.
    pub(crate) fn new<'s>(secrets: impl IntoIterator<Item = &'s str>) -> KnownSecrets {
        let mut fixed: Vec<Forms> = Vec::new();
        for secret in secrets {
            if secret.len() >= MIN_MASKED_LEN && !fixed.iter().any(|f| f.0[0] == secret) {
                fixed.push(Forms::of(secret));
            }
        }
        KnownSecrets {
            fixed,
            learnt: Mutex::new(VecDeque::new()),
        }
    }

    /// Remembers a secret learnt at run time.
    pub(crate) fn learn(&self, secret: &str) {
        if secret.len() < MIN_MASKED_LEN {
            return;
        }
        let mut learnt = self.learnt.lock().unwrap_or_else(|e| e.into_inner());
        if learnt.iter().any(|f| f.0[0] == secret) || self.fixed.iter().any(|f| f.0[0] == secret) {
            return;
        }
        if learnt.len() == REMEMBERED {
            learnt.pop_front();
        }
        learnt.push_back(Forms::of(secret));
    }

    /// Every form of every secret, longest first (so that a password is masked before the
    /// token that ends it).
    fn forms(&self) -> Vec<String> {
        let learnt = self.learnt.lock().unwrap_or_else(|e| e.into_inner());
        let mut all: Vec<String> = self
            .fixed
            .iter()
            .chain(learnt.iter())
            .flat_map(|f| f.0.iter().cloned())
            .collect();
        all.sort_by_key(|f| std::cmp::Reverse(f.len()));
        all
    }

    /// True when some form of a known secret occurs in `bytes`.
    pub(crate) fn occur_in(&self, bytes: &[u8]) -> bool {
        let text = String::from_utf8_lossy(bytes);
        self.forms().iter().any(|f| text.contains(f.as_str()))
    }

    /// `text` with every form of every known secret replaced by [`MASK`].
    pub(crate) fn mask<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = Cow::Borrowed(text);
        for form in self.forms() {
            if out.contains(form.as_str()) {
                out = Cow::Owned(out.replace(form.as_str(), MASK));
            }
        }
        out
    }

    /// [`KnownSecrets::mask`], then [`mask_secrets`]: what goes into a trace file.
    pub(crate) fn mask_envelope(&self, text: &str) -> String {
        mask_secrets(&self.mask(text))
    }
}

impl std::fmt::Debug for KnownSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let learnt = self.learnt.lock().map(|l| l.len()).unwrap_or(0);
        write!(
            f,
            "KnownSecrets({} fixed, {learnt} learnt)",
            self.fixed.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_secrets_are_masked_in_every_form() {
        let known = KnownSecrets::new(["pa<ss&\"w'rd/1 +x", "TOKEN9", "", "S"]);
        known.learn("00D!SESSION");
        let forms = [
            "pa<ss&\"w'rd/1 +x",
            "pa&lt;ss&amp;&quot;w'rd/1 +x",
            "pa&lt;ss&amp;&quot;w&apos;rd/1 +x",
            "pa&amp;lt;ss&amp;amp;&amp;quot;w'rd/1 +x",
            "pa<ss&\\\"w'rd/1 +x",
            "pa<ss&\\\"w'rd\\/1 +x",
            "pa%3Css%26%22w%27rd%2F1+%2Bx",
            "pa%3Css%26%22w%27rd%2F1%20%2Bx",
        ];
        for form in forms {
            let text = format!("echo: [{form}] TOKEN9 00D!SESSION");
            let masked = known.mask(&text);
            assert_eq!(masked, format!("echo: [{MASK}] {MASK} {MASK}"), "{form}");
            assert!(known.occur_in(text.as_bytes()));
        }
        assert!(!known.occur_in(b"nothing secret, no SESSION"));
        assert!(matches!(known.mask("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn the_longest_secret_is_masked_first() {
        // The password login sends password + token; the token alone is a secret too.
        let known = KnownSecrets::new(["TOKEN", "hunter2TOKEN", "hunter2"]);
        assert_eq!(known.mask("<p>hunter2TOKEN</p>"), format!("<p>{MASK}</p>"));
    }

    #[test]
    fn learnt_secrets_are_bounded() {
        let known = KnownSecrets::new([]);
        for i in 0..100 {
            known.learn(&format!("SESSION{i:03}"));
        }
        assert_eq!(known.learnt.lock().unwrap().len(), REMEMBERED);
        assert!(known.occur_in(b"SESSION099"));
        assert!(!known.occur_in(b"SESSION000"));
    }

    #[test]
    fn masks_secret_elements_under_any_prefix() {
        let text = "<a><urn:sessionId>00D!AR.x</urn:sessionId><sessionId>S2</sessionId>\
                    <p:password xsi:type=\"xsd:string\">pw&amp;1</p:password><name>kept</name></a>";
        let masked = mask_secrets(text);
        assert_eq!(
            masked,
            "<a><urn:sessionId>********</urn:sessionId><sessionId>********</sessionId>\
             <p:password xsi:type=\"xsd:string\">********</p:password><name>kept</name></a>"
        );
    }

    #[test]
    fn secret_values_are_found_and_unescaped() {
        let envelope = "<e><p:sessionId>00D!S</p:sessionId><p:setPassword><p:userId>005</p:userId>\
                        <p:password>n&amp;w&lt;pw</p:password></p:setPassword><x/></e>";
        assert_eq!(secret_values(envelope), ["00D!S", "n&w<pw"]);
        assert!(secret_values("<a>no secrets</a>").is_empty());
    }

    #[test]
    fn masks_cdata_nested_markup_and_truncated_input() {
        let masked = mask_secrets("<newPassword><![CDATA[a<b]]></newPassword><x/>");
        assert_eq!(masked, "<newPassword>********</newPassword><x/>");
        let masked = mask_secrets("<x><sessionId>00D!truncated");
        assert_eq!(masked, "<x><sessionId>********");
        let masked = mask_secrets("<sessionId/><password></password><b a='>'>t</b>");
        assert_eq!(masked, "<sessionId/><password></password><b a='>'>t</b>");
        assert_eq!(mask_secrets("no markup"), "no markup");
        assert_eq!(
            mask_secrets("<!-- <password>x</password> --><y>1</y>"),
            "<!-- <password>********</password> --><y>1</y>"
        );
    }
}
