//! Keeping the API key out of everything made of the server's text: a server (or a proxy) may
//! echo the key anywhere, in an error message, a code, a header or a body.
//!
//! The rule: redact first, cut after. Text is only ever cut once the key is out of it, and a
//! body read for display is read a little past its cut, so that a key straddling the cut is
//! whole when it is redacted.

use std::borrow::Cow;

use serde_json::Value;

/// What the key is replaced with.
pub const REDACTED: &str = "[REDACTED]";

/// The spellings of one API key to look for: as is, and as a JSON string would escape it.
#[derive(Debug, Clone)]
pub(crate) struct Redactor {
    forms: Vec<String>,
}

impl Redactor {
    /// A redactor of `key` (any non-empty key, however short).
    pub(crate) fn new(key: &str) -> Redactor {
        let mut forms = Vec::new();
        if !key.is_empty() {
            forms.push(key.to_owned());
            // JSON escapes `"` and `\`, and may escape `/`.
            let escaped = key.replace('\\', "\\\\").replace('"', "\\\"");
            for form in [escaped.clone(), escaped.replace('/', "\\/")] {
                if !forms.contains(&form) {
                    forms.push(form);
                }
            }
        }
        // Longest first, so that no shorter spelling is replaced inside a longer one.
        forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
        Redactor { forms }
    }

    /// How far past a cut a text must be read so that a key starting before the cut is whole.
    pub(crate) fn margin(&self) -> usize {
        self.forms.first().map_or(0, String::len)
    }

    /// `text` without the key.
    pub(crate) fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for form in &self.forms {
            if out.contains(form.as_str()) {
                out = Cow::Owned(out.replace(form.as_str(), REDACTED));
            }
        }
        out
    }

    /// `text` without the key, as an owned string.
    pub(crate) fn string(&self, text: String) -> String {
        match self.text(&text) {
            Cow::Borrowed(_) => text,
            Cow::Owned(redacted) => redacted,
        }
    }

    /// Whether `text` holds the key.
    pub(crate) fn finds(&self, text: &str) -> bool {
        self.forms.iter().any(|form| text.contains(form.as_str()))
    }

    /// Whether `text` holds the key in any case (HTTP lowercases header names).
    pub(crate) fn finds_in_any_case(&self, text: &str) -> bool {
        let text = text.to_ascii_lowercase();
        self.forms
            .iter()
            .any(|form| text.contains(form.to_ascii_lowercase().as_str()))
    }

    /// A JSON value without the key in any string or object key.
    pub(crate) fn json(&self, value: Value) -> Value {
        match value {
            Value::String(text) => Value::String(self.string(text)),
            Value::Array(items) => Value::Array(items.into_iter().map(|v| self.json(v)).collect()),
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(key, value)| (self.string(key), self.json(value)))
                    .collect(),
            ),
            other => other,
        }
    }

    /// At most `max` bytes of `bytes` as text (lossy UTF-8), the key redacted before the cut.
    /// `total` is how long the whole was, when known (`bytes` may be only the start of it); a
    /// cut says so.
    pub(crate) fn cut(&self, bytes: &[u8], max: usize, total: Option<usize>) -> String {
        let read = bytes.len().min(max.saturating_add(self.margin()));
        let text = String::from_utf8_lossy(&bytes[..read]);
        let mut text = self.text(&text).into_owned();
        if text.len() > max || total.is_none_or(|total| total > read) {
            let mut end = max.min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
            match total {
                Some(total) => text.push_str(&format!("... [cut: {total} bytes in all]")),
                None => text.push_str("... [cut]"),
            }
        }
        text
    }

    /// At most `max` bytes of `text` (cut on a character boundary, the cut marked), the key
    /// redacted first.
    pub(crate) fn cut_text(&self, text: &str, max: usize) -> String {
        let text = self.text(text);
        if text.len() <= max {
            return text.into_owned();
        }
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &text[..end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_any_key_is_redacted() {
        let r = Redactor::new("k");
        assert_eq!(r.text("kick"), "[REDACTED]ic[REDACTED]");
        let r = Redactor::new(r#"a/b"c\d"#);
        assert_eq!(r.text(r#"x a/b"c\d y"#), "x [REDACTED] y");
        assert_eq!(r.text(r#"{"m":"a/b\"c\\d"}"#), r#"{"m":"[REDACTED]"}"#);
        assert_eq!(r.text(r#"{"m":"a\/b\"c\\d"}"#), r#"{"m":"[REDACTED]"}"#);
        assert!(matches!(r.text("nothing here"), Cow::Borrowed(_)));
        assert_eq!(Redactor::new("").text("abc"), "abc");
    }

    #[test]
    fn json_keys_and_values_nested() {
        let r = Redactor::new("SECRET");
        let value = serde_json::json!({"SECRET": ["x SECRET", {"k": "SECRETSECRET"}], "n": 1});
        assert_eq!(
            r.json(value),
            serde_json::json!({"[REDACTED]": ["x [REDACTED]", {"k": "[REDACTED][REDACTED]"}], "n": 1})
        );
    }

    #[test]
    fn a_key_straddling_a_cut_is_redacted_whole() {
        let key = "pcsk_0123456789abcdef";
        let r = Redactor::new(key);
        for start in 0..40 {
            let body = format!("{}{key}{}", "x".repeat(start), "y".repeat(60));
            let cut = r.cut(body.as_bytes(), 30, Some(body.len()));
            assert!(!cut.contains("pcsk_0123"), "{start}: {cut}");
            assert!(!cut.contains("0123"), "{start}: {cut}");
            let cut = r.cut_text(&body, 30);
            assert!(!cut.contains("0123"), "{start}: {cut}");
        }
        assert_eq!(r.cut(b"short", 30, Some(5)), "short");
        assert_eq!(r.cut(b"abcdef", 3, Some(6)), "abc... [cut: 6 bytes in all]");
        assert_eq!(r.cut(b"abcdef", 3, None), "abc... [cut]");
        assert_eq!(r.cut(b"abc", 3, None), "abc... [cut]");
        assert_eq!(
            r.cut("é".repeat(4).as_bytes(), 3, Some(8)),
            "é... [cut: 8 bytes in all]"
        );
    }
}
