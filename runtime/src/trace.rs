//! Making envelopes safe to log or write to trace files (`SFORCE_TRACE_DIR`).

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
    let mut rest = envelope;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let tail = &rest[lt..];
        // Comments are masked inside too; CDATA sections, declarations and processing
        // instructions are copied through.
        if let Some(comment) = tail.strip_prefix("<!--") {
            let end = comment.find("-->").unwrap_or(comment.len());
            out.push_str("<!--");
            out.push_str(&mask_secrets(&comment[..end]));
            rest = &comment[end..];
            if let Some(after) = rest.strip_prefix("-->") {
                out.push_str("-->");
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
            out.push_str(&tail[..end]);
            rest = &tail[end..];
            continue;
        }
        let Some(gt) = tag_end(tail) else {
            out.push_str(tail);
            return out;
        };
        out.push_str(&tail[..=gt]);
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
        if end > 0 {
            out.push_str(MASK);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
