//! The error type of the crate.
//!
//! Every fallible function returns [`Result`]. [`Error`] says where a failure came from: the
//! caller's configuration or arguments (caught before any request is sent), the server (an
//! [`ApiError`] that keeps the status, the `error.code`, and the raw body), an undecodable 2xx
//! body ([`DecodeError`]), the network, or a timeout.

use std::fmt;
use std::str::FromStr;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Bodies kept in errors are cut to this many bytes.
pub const MAX_ERROR_BODY: usize = 64 * 1024;
/// Snippets of undecodable bodies are cut to this many bytes.
pub const MAX_SNIPPET: usize = 512;

/// Everything that can go wrong.
/// Not `#[non_exhaustive]` on purpose: front ends match it exhaustively, so a new variant
/// cannot go unmapped.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The client configuration is unusable (no API key, bad host, bad header...).
    Config(ConfigError),
    /// An argument of a call is out of range or of the wrong type; no request was sent.
    InvalidArgument(InvalidArgument),
    /// The server answered with a non-2xx status.
    Api(Box<ApiError>),
    /// The server answered 2xx with a body that is not a valid `BackupList`.
    Decode(Box<DecodeError>),
    /// The request could not be sent or the response could not be read (refused, reset...).
    Connection(Box<TransportError>),
    /// The request did not complete in time (one attempt's `timeout`, or the overall
    /// `deadline`).
    Timeout(Box<TransportError>),
}

/// An unusable client configuration, detected before any request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The setting at fault, as the caller knows it (`api_key`, `host`, `proxy`...).
    pub setting: &'static str,
    /// What is wrong, as one sentence (never the API key).
    pub message: String,
}

impl ConfigError {
    /// `Error::Config` for `setting`.
    pub(crate) fn error(setting: &'static str, message: impl Into<String>) -> Error {
        Error::Config(ConfigError {
            setting,
            message: message.into(),
        })
    }
}

/// A failure of the network (or of the clock) rather than of the server's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    /// What happened, as one line.
    pub message: String,
    /// `true` when the request surely never reached the server (connection refused, name
    /// resolution or TLS handshake failed): then any request, even a `POST`, is safe to retry.
    pub before_sending: bool,
    /// `true` when a reused connection turned out to be unusable (stray bytes after the last
    /// response, closed as the request went out): a request safe to repeat is sent again at
    /// once on a fresh connection, outside the retry budget.
    pub stale_connection: bool,
    /// How many attempts were made.
    pub attempts: u32,
}

impl TransportError {
    pub(crate) fn new(message: impl Into<String>, before_sending: bool) -> Box<TransportError> {
        Box::new(TransportError {
            message: message.into(),
            before_sending,
            stale_connection: false,
            attempts: 1,
        })
    }
}

impl Error {
    /// How many attempts the call made before this error (1 when it was not retried); 0 for
    /// errors raised before any request.
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Config(_) | Error::InvalidArgument(_) => 0,
            Error::Api(err) => err.attempts,
            Error::Decode(err) => err.attempts,
            Error::Connection(err) | Error::Timeout(err) => err.attempts,
        }
    }

    /// Whether the request may have been processed although the call failed: the server
    /// answered 5xx, the connection was lost or timed out after sending, or a 2xx body did not
    /// decode. (Never for errors raised before sending, or 4xx answers.)
    pub fn may_have_reached_server(&self) -> bool {
        match self {
            Error::Config(_) | Error::InvalidArgument(_) => false,
            Error::Api(err) => err.status >= 500,
            Error::Decode(_) => true,
            Error::Connection(err) | Error::Timeout(err) => !err.before_sending,
        }
    }

    /// Says in the message that the request may have been processed (for requests that create
    /// something, which are therefore not retried).
    pub(crate) fn with_unknown_outcome(mut self) -> Error {
        const NOTE: &str = " (the request may have been processed: check before trying again)";
        match &mut self {
            Error::Config(_) | Error::InvalidArgument(_) => {}
            Error::Api(err) => err.message.push_str(NOTE),
            Error::Decode(err) => err.reason.push_str(NOTE),
            Error::Connection(err) | Error::Timeout(err) => err.message.push_str(NOTE),
        }
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Error {
        match &mut self {
            Error::Config(_) | Error::InvalidArgument(_) => {}
            Error::Api(err) => err.attempts = attempts,
            Error::Decode(err) => err.attempts = attempts,
            Error::Connection(err) | Error::Timeout(err) => err.attempts = attempts,
        }
        self
    }
}

/// ` (after 3 attempts)`, or nothing for a single attempt.
fn attempts_suffix(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

/// A bad argument, detected before any request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidArgument {
    /// The name of the parameter, as the caller knows it (`limit`, `index_name`...).
    pub param: &'static str,
    /// What is wrong with it, as one sentence.
    pub message: String,
    /// `true` when the value has the wrong type rather than a wrong value.
    pub wrong_type: bool,
}

impl InvalidArgument {
    pub(crate) fn value(param: &'static str, message: impl Into<String>) -> Error {
        Error::InvalidArgument(InvalidArgument {
            param,
            message: message.into(),
            wrong_type: false,
        })
    }
}

/// A non-2xx answer from the server.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// `error.code` from an `ErrorResponse` body, verbatim, when the body is one.
    pub code: Option<String>,
    /// `error.message` when present, otherwise a short description of the body or status.
    pub message: String,
    /// `error.details` when present (any JSON value, usually an object).
    pub details: Option<serde_json::Value>,
    /// The `x-pinecone-request-id` (or `x-request-id`) response header.
    pub request_id: Option<String>,
    /// The raw body as text (lossy UTF-8), cut to [`MAX_ERROR_BODY`] bytes.
    pub body: String,
    /// The response headers, minus anything that could carry a secret.
    pub headers: Vec<(String, String)>,
    /// How many attempts were made.
    pub attempts: u32,
}

impl ApiError {
    /// A response header by name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `error.code` as a known [`ErrorCode`], if it is one.
    pub fn error_code(&self) -> Option<ErrorCode> {
        self.code.as_deref().and_then(|c| c.parse().ok())
    }
}

/// A 2xx answer whose body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// HTTP status code of the response (or 0 when decoding data that did not come from HTTP).
    pub status: u16,
    /// Why decoding failed, with the JSON path when known (`data[3].cloud: missing field`).
    pub reason: String,
    /// The start of the body (lossy UTF-8), cut to [`MAX_SNIPPET`] bytes.
    pub snippet: String,
    /// The `x-pinecone-request-id` (or `x-request-id`) response header.
    pub request_id: Option<String>,
    /// `true` when the body was cut short (the connection closed or failed mid-body): a
    /// network failure, retried like one.
    pub incomplete: bool,
    /// How many attempts were made.
    pub attempts: u32,
}

macro_rules! error_codes {
    ($($variant:ident => $text:literal),* $(,)?) => {
        /// The `error.code` values the spec lists for `ErrorResponse`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode { $($variant),* }

        impl ErrorCode {
            /// Every code, in the spec's order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The code as it appears on the wire (`NOT_FOUND`).
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $text),* }
            }
        }

        impl FromStr for ErrorCode {
            type Err = ();
            fn from_str(s: &str) -> std::result::Result<Self, ()> {
                match s { $($text => Ok(ErrorCode::$variant),)* _ => Err(()) }
            }
        }
    };
}

error_codes! {
    Ok => "OK",
    Unknown => "UNKNOWN",
    InvalidArgument => "INVALID_ARGUMENT",
    DeadlineExceeded => "DEADLINE_EXCEEDED",
    QuotaExceeded => "QUOTA_EXCEEDED",
    NotFound => "NOT_FOUND",
    AlreadyExists => "ALREADY_EXISTS",
    PermissionDenied => "PERMISSION_DENIED",
    Unauthenticated => "UNAUTHENTICATED",
    ResourceExhausted => "RESOURCE_EXHAUSTED",
    FailedPrecondition => "FAILED_PRECONDITION",
    Aborted => "ABORTED",
    OutOfRange => "OUT_OF_RANGE",
    Unimplemented => "UNIMPLEMENTED",
    Internal => "INTERNAL",
    Unavailable => "UNAVAILABLE",
    DataLoss => "DATA_LOSS",
    Forbidden => "FORBIDDEN",
    UnprocessableEntity => "UNPROCESSABLE_ENTITY",
    PaymentRequired => "PAYMENT_REQUIRED",
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "[{} {}] {}", self.status, code, self.message)?,
            None => write!(f, "[{}] {}", self.status, self.message)?,
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request_id: {id})")?;
        }
        f.write_str(&attempts_suffix(self.attempts))
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.incomplete {
            write!(f, "incomplete response: {}", self.reason)?;
        } else {
            write!(f, "could not decode the response: {}", self.reason)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request_id: {id})")?;
        }
        f.write_str(&attempts_suffix(self.attempts))
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        f.write_str(&attempts_suffix(self.attempts))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(err) => f.write_str(&err.message),
            Error::InvalidArgument(arg) => f.write_str(&arg.message),
            Error::Api(err) => err.fmt(f),
            Error::Decode(err) => err.fmt(f),
            Error::Connection(err) | Error::Timeout(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

impl From<ApiError> for Error {
    fn from(err: ApiError) -> Self {
        Error::Api(Box::new(err))
    }
}

impl From<DecodeError> for Error {
    fn from(err: DecodeError) -> Self {
        Error::Decode(Box::new(err))
    }
}

/// Cuts `text` to at most `max` bytes on a character boundary, marking the cut.
pub(crate) fn truncate_text(mut text: String, max: usize) -> String {
    if text.len() > max {
        let total = text.len();
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str(&format!("... [{} more bytes]", total - end));
    }
    text
}

/// A lossy UTF-8 view of at most `max` bytes of `bytes`.
pub(crate) fn snippet(bytes: &[u8], max: usize) -> String {
    let cut = bytes.len().min(max);
    let mut text = String::from_utf8_lossy(&bytes[..cut]).into_owned();
    if bytes.len() > cut {
        text.push_str(&format!("... [{} more bytes]", bytes.len() - cut));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        assert_eq!(ErrorCode::ALL.len(), 20);
        for code in ErrorCode::ALL {
            assert_eq!(code.as_str().parse::<ErrorCode>(), Ok(*code));
        }
        assert!("NOPE".parse::<ErrorCode>().is_err());
    }

    #[test]
    fn api_error_display_is_one_line() {
        let err = ApiError {
            status: 404,
            code: Some("NOT_FOUND".into()),
            message: "Index docs-example not found.".into(),
            details: None,
            request_id: Some("abc".into()),
            body: String::new(),
            headers: vec![],
            attempts: 1,
        };
        assert_eq!(
            err.to_string(),
            "[404 NOT_FOUND] Index docs-example not found. (request_id: abc)"
        );
        assert_eq!(err.error_code(), Some(ErrorCode::NotFound));
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        let text = "é".repeat(10); // 20 bytes
        let cut = truncate_text(text, 5);
        assert!(cut.starts_with("éé"));
        assert!(cut.ends_with("[16 more bytes]"), "{cut}");
        assert_eq!(snippet(b"abcdef", 3), "abc... [3 more bytes]");
        assert_eq!(snippet(b"ab", 3), "ab");
    }
}
