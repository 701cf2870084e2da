//! Splits SOQL text into tokens. Binds (`{expr}`) are cut out here: the braces are matched
//! with Rust's rules (nested braces, string, raw string and char literals, comments), the
//! expression is checked to be a Rust expression, and the bind becomes one token.

use super::ast::Span;
use super::{Bind, SoqlError};
use crate::describe::types::BindKind;

/// Token kinds. Names and keywords are all `Ident` (the parser compares them
/// case-insensitively); the text of `Ident`, `Number`, `Date`, `DateTime` and `Time` is the
/// span's text.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Ident,
    Number,
    /// A string literal, escapes decoded.
    Str(String),
    Date,
    DateTime,
    Time,
    /// The index of the bind.
    Bind(usize),
    LParen,
    RParen,
    Comma,
    Dot,
    Colon,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Eof,
}

/// A token and where it is.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) span: Span,
}

/// Tokens (ending with `Eof`) and binds, or every lexical error.
pub(super) fn lex(text: &str) -> Result<(Vec<Token>, Vec<Bind>), Vec<SoqlError>> {
    let mut lexer = Lexer {
        text,
        bytes: text.as_bytes(),
        at: 0,
        tokens: Vec::new(),
        binds: Vec::new(),
        errors: Vec::new(),
    };
    lexer.run();
    if lexer.errors.is_empty() {
        Ok((lexer.tokens, lexer.binds))
    } else {
        Err(lexer.errors)
    }
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    tokens: Vec<Token>,
    binds: Vec<Bind>,
    errors: Vec<SoqlError>,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.at + ahead).copied()
    }

    fn push(&mut self, tok: Tok, start: usize) {
        self.tokens.push(Token {
            tok,
            span: start..self.at,
        });
    }

    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(SoqlError::new(span, message));
    }

    fn run(&mut self) {
        while let Some(b) = self.peek(0) {
            let start = self.at;
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.at += 1,
                b'(' => self.single(Tok::LParen),
                b')' => self.single(Tok::RParen),
                b',' => self.single(Tok::Comma),
                b'.' => self.single(Tok::Dot),
                b':' => self.single(Tok::Colon),
                b'=' => self.single(Tok::Eq),
                b'+' => self.single(Tok::Plus),
                b'-' => self.single(Tok::Minus),
                b'!' => {
                    if self.peek(1) == Some(b'=') {
                        self.at += 2;
                        self.push(Tok::Ne, start);
                    } else {
                        self.at += 1;
                        self.error(start..self.at, "unexpected `!`; the operator is `!=`");
                    }
                }
                b'<' => match self.peek(1) {
                    Some(b'=') => self.double(Tok::Le),
                    Some(b'>') => self.double(Tok::Ne),
                    _ => self.single(Tok::Lt),
                },
                b'>' => match self.peek(1) {
                    Some(b'=') => self.double(Tok::Ge),
                    _ => self.single(Tok::Gt),
                },
                b'\'' => self.string(),
                b'"' => {
                    let end = self.text[start + 1..]
                        .find('"')
                        .map_or(self.text.len(), |i| start + i + 2);
                    self.at = end;
                    self.error(
                        start..end,
                        "SOQL strings are written in single quotes ('text'), not double quotes",
                    );
                }
                b'{' => self.bind(),
                b'}' => {
                    self.at += 1;
                    self.error(start..self.at, "unmatched `}`: no bind `{` opens it");
                }
                b'0'..=b'9' => self.number(),
                b if is_ident_start(b) => {
                    while self.peek(0).is_some_and(is_ident_char) {
                        self.at += 1;
                    }
                    self.push(Tok::Ident, start);
                }
                _ => {
                    let c = self.text[start..].chars().next().unwrap_or('?');
                    self.at += c.len_utf8();
                    self.error(start..self.at, format!("unexpected character `{c}`"));
                }
            }
        }
        let end = self.text.len();
        self.tokens.push(Token {
            tok: Tok::Eof,
            span: end..end,
        });
    }

    fn single(&mut self, tok: Tok) {
        let start = self.at;
        self.at += 1;
        self.push(tok, start);
    }

    fn double(&mut self, tok: Tok) {
        let start = self.at;
        self.at += 2;
        self.push(tok, start);
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.peek(0).is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        self.at - start
    }

    /// A number, date, datetime or time.
    fn number(&mut self) {
        let start = self.at;
        let count = self.digits();
        let next_is_digit =
            |l: &Self, ahead: usize| l.peek(ahead).is_some_and(|b| b.is_ascii_digit());
        if count == 4 && self.peek(0) == Some(b'-') && next_is_digit(self, 1) {
            self.date(start);
            return;
        }
        if count == 2 && self.peek(0) == Some(b':') && next_is_digit(self, 1) {
            self.at = start;
            if self.time_of_day() && self.zone() {
                self.push(Tok::Time, start);
            } else {
                self.skip_word();
                self.error(
                    start..self.at,
                    "malformed time literal: expected hh:mm:ss[.sss]Z",
                );
            }
            return;
        }
        if self.peek(0) == Some(b'.') && next_is_digit(self, 1) {
            self.at += 1;
            self.digits();
        }
        if self.peek(0).is_some_and(is_ident_char) {
            self.skip_word();
            self.error(
                start..self.at,
                format!("malformed number `{}`", &self.text[start..self.at]),
            );
            return;
        }
        self.push(Tok::Number, start);
    }

    fn skip_word(&mut self) {
        while self
            .peek(0)
            .is_some_and(|b| is_ident_char(b) || matches!(b, b'-' | b':' | b'.' | b'+'))
        {
            self.at += 1;
        }
    }

    /// `YYYY-MM-DD` then optionally `Thh:mm:ss[.sss](Z|±hh:mm)`; `at` is after `YYYY`.
    fn date(&mut self, start: usize) {
        let ok = self.expect_byte(b'-')
            && self.fixed_digits(2, 1, 12)
            && self.expect_byte(b'-')
            && self.fixed_digits(2, 1, 31);
        if !ok {
            self.skip_word();
            self.error(
                start..self.at,
                format!(
                    "malformed date `{}`: expected YYYY-MM-DD",
                    &self.text[start..self.at]
                ),
            );
            return;
        }
        if self.peek(0) != Some(b'T') {
            if self.peek(0).is_some_and(is_ident_char) {
                self.skip_word();
                self.error(
                    start..self.at,
                    format!(
                        "malformed date `{}`: expected YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ",
                        &self.text[start..self.at]
                    ),
                );
                return;
            }
            self.push(Tok::Date, start);
            return;
        }
        self.at += 1;
        if self.time_of_day() && self.zone() && !self.peek(0).is_some_and(is_ident_char) {
            self.push(Tok::DateTime, start);
        } else {
            self.skip_word();
            self.error(
                start..self.at,
                format!(
                    "malformed datetime `{}`: expected YYYY-MM-DDThh:mm:ss[.sss] followed by Z or +hh:mm / -hh:mm",
                    &self.text[start..self.at]
                ),
            );
        }
    }

    /// `hh:mm:ss[.sss]`.
    fn time_of_day(&mut self) -> bool {
        let ok = self.fixed_digits(2, 0, 23)
            && self.expect_byte(b':')
            && self.fixed_digits(2, 0, 59)
            && self.expect_byte(b':')
            && self.fixed_digits(2, 0, 60);
        if ok && self.peek(0) == Some(b'.') {
            self.at += 1;
            return self.digits() > 0;
        }
        ok
    }

    /// `Z` or `±hh:mm`.
    fn zone(&mut self) -> bool {
        match self.peek(0) {
            Some(b'Z') | Some(b'z') => {
                self.at += 1;
                true
            }
            Some(b'+') | Some(b'-') => {
                self.at += 1;
                self.fixed_digits(2, 0, 23) && self.expect_byte(b':') && self.fixed_digits(2, 0, 59)
            }
            _ => false,
        }
    }

    fn expect_byte(&mut self, b: u8) -> bool {
        if self.peek(0) == Some(b) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn fixed_digits(&mut self, count: usize, min: u32, max: u32) -> bool {
        let start = self.at;
        if self.digits() != count {
            return false;
        }
        let value: u32 = self.text[start..self.at].parse().unwrap_or(u32::MAX);
        (min..=max).contains(&value)
    }

    /// `'…'` with SOQL escapes.
    fn string(&mut self) {
        let start = self.at;
        self.at += 1;
        let mut value = String::new();
        loop {
            let Some(c) = self.text[self.at..].chars().next() else {
                self.error(
                    start..self.text.len(),
                    "unterminated string: missing the closing `'`",
                );
                return;
            };
            match c {
                '\'' => {
                    self.at += 1;
                    self.push(Tok::Str(value), start);
                    return;
                }
                '\\' => {
                    let escape_start = self.at;
                    self.at += 1;
                    let Some(e) = self.text[self.at..].chars().next() else {
                        continue;
                    };
                    self.at += e.len_utf8();
                    match e {
                        'n' | 'N' => value.push('\n'),
                        'r' | 'R' => value.push('\r'),
                        't' | 'T' => value.push('\t'),
                        'b' | 'B' => value.push('\u{8}'),
                        'f' | 'F' => value.push('\u{c}'),
                        '"' | '\'' | '\\' => value.push(e),
                        '_' | '%' => {
                            value.push('\\');
                            value.push(e);
                        }
                        'u' => {
                            let hex = self.text.get(self.at..self.at + 4).unwrap_or("");
                            match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                                Some(ch) if hex.len() == 4 && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                                    self.at += 4;
                                    value.push(ch);
                                }
                                _ => self.error(
                                    escape_start..self.at,
                                    "malformed `\\u` escape: expected four hex digits (\\uXXXX)",
                                ),
                            }
                        }
                        other => self.error(
                            escape_start..self.at,
                            format!(
                                "unknown escape `\\{other}` in string; SOQL accepts \\n \\r \\t \\b \\f \\\" \\' \\\\ \\_ \\% and \\uXXXX"
                            ),
                        ),
                    }
                }
                c => {
                    self.at += c.len_utf8();
                    value.push(c);
                }
            }
        }
    }

    /// `{expr}`: matches braces with Rust's lexical rules.
    fn bind(&mut self) {
        let start = self.at;
        match rust_block_end(self.text, start) {
            Ok(end) => {
                self.at = end;
                let expr = self.text[start + 1..end - 1].trim();
                if expr.is_empty() {
                    self.error(
                        start..end,
                        "empty bind `{}`: write a Rust expression between the braces",
                    );
                    return;
                }
                if let Err(e) = syn::parse_str::<syn::Expr>(expr) {
                    self.error(
                        start..end,
                        format!("bind `{{{expr}}}` is not a Rust expression: {e}"),
                    );
                    return;
                }
                let index = self.binds.len();
                self.binds.push(Bind {
                    span: start..end,
                    expr: expr.to_owned(),
                    kind: BindKind::Any,
                    list: false,
                });
                self.push(Tok::Bind(index), start);
            }
            Err(message) => {
                self.at = self.text.len();
                self.error(start..self.text.len(), message);
            }
        }
    }
}

/// The end (after the matching `}`) of the Rust block starting with `{` at `start`.
fn rust_block_end(text: &str, start: usize) -> Result<usize, String> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut at = start;
    let unclosed = || "unbalanced braces in bind: this `{` has no matching `}`".to_owned();
    while at < bytes.len() {
        match bytes[at] {
            b'{' => {
                depth += 1;
                at += 1;
            }
            b'}' => {
                depth -= 1;
                at += 1;
                if depth == 0 {
                    return Ok(at);
                }
            }
            b'"' => {
                at = quoted_end(bytes, at + 1).ok_or_else(|| {
                    "unterminated Rust string literal in bind: missing the closing `\"`".to_owned()
                })?;
            }
            b'r' | b'b' if raw_string_start(bytes, at).is_some() => {
                let (hashes, body) = raw_string_start(bytes, at).unwrap_or((0, at));
                let closing: String = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                let end = text[body..]
                    .find(&closing)
                    .ok_or_else(|| "unterminated Rust raw string literal in bind".to_owned())?;
                at = body + end + closing.len();
            }
            b'\'' => at = char_literal_end(text, at),
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                at = text[at..].find('\n').map_or(bytes.len(), |i| at + i + 1);
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                at = text[at + 2..]
                    .find("*/")
                    .map(|i| at + 2 + i + 2)
                    .ok_or_else(|| "unterminated comment in bind".to_owned())?;
            }
            b if is_ident_start(b) => {
                // Skip the whole identifier so that `r` / `b` inside one is not a prefix.
                while at < bytes.len() && is_ident_char(bytes[at]) {
                    at += 1;
                }
            }
            _ => at += 1,
        }
    }
    Err(unclosed())
}

/// After an opening `"`: the index after the closing one (backslash escapes honored).
fn quoted_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

/// `r"`, `r#"`, `br"`, `br#"` at `at`: the number of `#` and where the body starts.
fn raw_string_start(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut i = at;
    if bytes.get(i) == Some(&b'b') {
        i += 1;
    }
    if bytes.get(i) != Some(&b'r') {
        return None;
    }
    i += 1;
    let mut hashes = 0;
    while bytes.get(i) == Some(&b'#') {
        hashes += 1;
        i += 1;
    }
    (bytes.get(i) == Some(&b'"')).then_some((hashes, i + 1))
}

/// At a `'`: the end of a char literal (`'x'`, `'\n'`, `'\u{7b}'`), or just after the `'`
/// when it starts a lifetime or label.
fn char_literal_end(text: &str, at: usize) -> usize {
    let rest = &text[at + 1..];
    let mut chars = rest.char_indices();
    match chars.next() {
        Some((_, '\\')) => {
            // An escape: the literal ends at the next `'` (escapes are short).
            match rest[1..].find('\'') {
                Some(i) if i < 12 => at + 1 + 1 + i + 1,
                _ => at + 1,
            }
        }
        Some((_, c)) => match chars.next() {
            Some((i, '\'')) if i == c.len_utf8() => at + 1 + i + 1,
            _ => at + 1,
        },
        None => at + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Tok> {
        lex(text).unwrap().0.into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn dates_times_and_numbers() {
        assert_eq!(
            kinds("2024-01-02 2024-01-02T10:00:00Z 2024-01-02T10:00:00.000+05:30 10:30:00.000Z 1.5 42"),
            vec![Tok::Date, Tok::DateTime, Tok::DateTime, Tok::Time, Tok::Number, Tok::Number, Tok::Eof]
        );
        let errors = lex("2024-13-02").unwrap_err();
        assert!(errors[0].message.contains("malformed date"), "{errors:?}");
        let errors = lex("2024-01-02T25:00:00Z").unwrap_err();
        assert!(
            errors[0].message.contains("malformed datetime"),
            "{errors:?}"
        );
    }

    #[test]
    fn string_escapes() {
        let (tokens, _) = lex(r"'O\'Brien\n\_%\u00e9'").unwrap();
        assert_eq!(tokens[0].tok, Tok::Str("O'Brien\n\\_%é".into()));
        let errors = lex(r"'a\qb'").unwrap_err();
        assert_eq!(errors[0].span, 2..4);
        assert!(errors[0].message.contains("unknown escape `\\q`"));
    }

    #[test]
    fn binds_follow_rust_rules() {
        let text = r##"x = {format!("{}}", '{')} AND y = {r#"}"#.len()} AND z = {'a: loop { break 'a 1 }}"##;
        let (tokens, binds) = lex(text).unwrap();
        assert_eq!(binds.len(), 3);
        assert_eq!(binds[0].expr, r#"format!("{}}", '{')"#);
        assert_eq!(binds[1].expr, r##"r#"}"#.len()"##);
        assert_eq!(binds[2].expr, "'a: loop { break 'a 1 }");
        assert_eq!(&text[binds[0].span.clone()], r#"{format!("{}}", '{')}"#);
        assert!(tokens.iter().any(|t| t.tok == Tok::Bind(2)));
    }

    #[test]
    fn unbalanced_binds() {
        let errors = lex("Name = {name.trim(").unwrap_err();
        assert_eq!(errors[0].span, 7..18);
        assert!(errors[0].message.contains("no matching `}`"));
        let errors = lex("Name = x}").unwrap_err();
        assert_eq!(errors[0].span, 8..9);
        let errors = lex("Name = {}").unwrap_err();
        assert!(errors[0].message.contains("empty bind"));
        let errors = lex("Name = {a +}").unwrap_err();
        assert!(
            errors[0].message.contains("not a Rust expression"),
            "{errors:?}"
        );
    }
}
