//! What the server answered, read for errors: the request id, and an error body of any shape.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::error::one_line;
use crate::transport::redact::Redactor;

pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-pinecone-request-id", "x-request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

#[derive(Default)]
pub(crate) struct ParsedErrorBody {
    pub code: Option<String>,
    pub message: Option<String>,
    pub details: Option<serde_json::Value>,
}

/// Reads an `ErrorResponse` (`{"error": {"code", "message", "details"}, "status"}`), tolerating the
/// shapes proxies and older endpoints use (`{"error": "text"}`, `{"message": "text"}`).
pub(crate) fn parse_error_body(body: &[u8]) -> ParsedErrorBody {
    let Ok(serde_json::Value::Object(object)) = serde_json::from_slice(body) else {
        return ParsedErrorBody::default();
    };
    let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_owned);
    match object.get("error") {
        Some(serde_json::Value::Object(error)) => ParsedErrorBody {
            code: text(error.get("code")).filter(|c| !c.is_empty()),
            message: text(error.get("message")),
            details: error.get("details").filter(|d| !d.is_null()).cloned(),
        },
        Some(serde_json::Value::String(message)) => ParsedErrorBody {
            message: Some(message.clone()),
            ..Default::default()
        },
        _ => ParsedErrorBody {
            message: text(object.get("message")),
            ..Default::default()
        },
    }
}

/// How much of a plain-text error body becomes the message.
const MAX_PLAIN_MESSAGE: usize = 200;

/// A message for a body that is not an `ErrorResponse`: short plain text on one line (the key
/// redacted before it is cut), otherwise the status's reason phrase.
pub(crate) fn describe_body(status: StatusCode, body: &[u8], redact: &Redactor) -> String {
    let reason = status.canonical_reason().unwrap_or("HTTP error").to_owned();
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let looks_like_markup = text.starts_with('<');
    if text.is_empty() || looks_like_markup || text.starts_with('{') || text.starts_with('[') {
        reason
    } else {
        redact.cut_text(&one_line(text), MAX_PLAIN_MESSAGE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies() {
        let parsed = parse_error_body(
            br#"{"error":{"code":"NOT_FOUND","message":"Index x not found.","details":{"a":1}},"status":404}"#,
        );
        assert_eq!(parsed.code.as_deref(), Some("NOT_FOUND"));
        assert_eq!(parsed.message.as_deref(), Some("Index x not found."));
        assert_eq!(parsed.details, Some(serde_json::json!({"a": 1})));
        assert_eq!(
            parse_error_body(br#"{"error":"nope"}"#).message.as_deref(),
            Some("nope")
        );
        assert_eq!(
            parse_error_body(br#"{"message":"nope"}"#)
                .message
                .as_deref(),
            Some("nope")
        );
        assert!(parse_error_body(b"<html>bad gateway</html>").code.is_none());
        assert!(parse_error_body(b"").message.is_none());

        let bad_gateway = StatusCode::BAD_GATEWAY;
        let redact = Redactor::new("SECRET");
        assert_eq!(
            describe_body(bad_gateway, b"<html><body>502</body></html>", &redact),
            "Bad Gateway"
        );
        assert_eq!(describe_body(bad_gateway, b"", &redact), "Bad Gateway");
        assert_eq!(
            describe_body(bad_gateway, b"upstream\nconnect error", &redact),
            "upstream connect error"
        );
        // The key is redacted before the message is cut at 200 characters.
        for start in 180..205 {
            let text = format!("{}SECRET tail", "x".repeat(start));
            let message = describe_body(bad_gateway, text.as_bytes(), &redact);
            assert!(!message.contains("SEC"), "{start}: {message}");
        }
    }
}
