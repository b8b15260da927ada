//! The error type of the crate.
//!
//! Every fallible function returns [`Result`]. [`Error`] says where a failure came from: the
//! caller's configuration or arguments (caught before any request is sent), the server (an
//! [`ApiError`] that keeps the status, the `error.code`, and the raw body), an undecodable 2xx
//! body ([`DecodeError`]), the network, or a timeout.

use std::fmt;

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
    /// The client was closed ([`crate::Client::close`]) before or while the call ran.
    Closed,
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
    /// `true` when retrying cannot help (the server's TLS certificate was refused).
    pub permanent: bool,
    /// How many attempts were made.
    pub attempts: u32,
    /// The request may have been processed although the call failed (see
    /// [`Error::maybe_processed`]).
    pub maybe_processed: bool,
}

impl TransportError {
    pub(crate) fn new(message: impl Into<String>, before_sending: bool) -> Box<TransportError> {
        Box::new(TransportError {
            message: message.into(),
            before_sending,
            stale_connection: false,
            permanent: false,
            attempts: 1,
            maybe_processed: false,
        })
    }
}

/// What the message of a failed request that may have been processed says, after the rest.
pub const MAYBE_PROCESSED_NOTE: &str =
    " (the request may have been processed: check before trying again)";

impl Error {
    /// How many attempts the call made before this error (1 when it was not retried); 0 for
    /// errors raised before any request.
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Config(_) | Error::InvalidArgument(_) | Error::Closed => 0,
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
            Error::Config(_) | Error::InvalidArgument(_) | Error::Closed => false,
            Error::Api(err) => err.status >= 500,
            Error::Decode(_) => true,
            Error::Connection(err) | Error::Timeout(err) => !err.before_sending,
        }
    }

    /// Marks a failed request that creates or changes something (and is therefore not retried)
    /// as possibly processed: [`Error::maybe_processed`] is then `true`, and the error's display
    /// says so after the server's own words, which stay as they were.
    pub(crate) fn with_unknown_outcome(mut self) -> Error {
        match &mut self {
            Error::Config(_) | Error::InvalidArgument(_) | Error::Closed => {}
            Error::Api(err) => err.maybe_processed = true,
            Error::Decode(err) => err.maybe_processed = true,
            Error::Connection(err) | Error::Timeout(err) => err.maybe_processed = true,
        }
        self
    }

    /// Whether the failed request may have been processed: set on the errors of requests that
    /// create or change something when the server may have acted on them.
    pub fn maybe_processed(&self) -> bool {
        match self {
            Error::Config(_) | Error::InvalidArgument(_) | Error::Closed => false,
            Error::Api(err) => err.maybe_processed,
            Error::Decode(err) => err.maybe_processed,
            Error::Connection(err) | Error::Timeout(err) => err.maybe_processed,
        }
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Error {
        match &mut self {
            Error::Config(_) | Error::InvalidArgument(_) | Error::Closed => {}
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

/// A non-2xx answer from the server. Every text in it is the server's, with the API key
/// replaced by `[REDACTED]` wherever it appeared.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// `error.code` from an `ErrorResponse` body, verbatim, when the body is one.
    pub code: Option<String>,
    /// `error.message` exactly as sent when present, otherwise a short description of the body
    /// or status.
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
    /// The request may have been processed (see [`Error::maybe_processed`]).
    pub maybe_processed: bool,
}

impl ApiError {
    /// A response header by name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A 2xx answer whose body could not be decoded, or a walk over pages that went wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    /// The request may have been processed (see [`Error::maybe_processed`]).
    pub maybe_processed: bool,
    /// Set when a walk over pages was given a pagination token it had seen before.
    pub cycle: Option<Cycle>,
}

/// A pagination token seen twice in one walk: following it would go round for ever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cycle {
    /// The page (1 for the first page fetched) whose `pagination.next` repeats a token.
    pub page: u32,
    /// The page that gave that token first (0: the token the walk was started from).
    pub first_page: u32,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = one_line(&self.message);
        match &self.code {
            Some(code) => write!(f, "[{} {}] {message}", self.status, one_line(code))?,
            None => write!(f, "[{}] {message}", self.status)?,
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request_id: {id})")?;
        }
        f.write_str(&attempts_suffix(self.attempts))?;
        note(f, self.maybe_processed)
    }
}

fn note(f: &mut fmt::Formatter<'_>, maybe_processed: bool) -> fmt::Result {
    if maybe_processed {
        f.write_str(MAYBE_PROCESSED_NOTE)?;
    }
    Ok(())
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.cycle.is_some() {
            f.write_str(&self.reason)?;
        } else if self.incomplete {
            write!(f, "incomplete response: {}", self.reason)?;
        } else {
            write!(f, "could not decode the response: {}", self.reason)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request_id: {id})")?;
        }
        f.write_str(&attempts_suffix(self.attempts))?;
        note(f, self.maybe_processed)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        f.write_str(&attempts_suffix(self.attempts))?;
        note(f, self.maybe_processed)
    }
}

/// Text on one line: runs of whitespace (newlines included) become one space.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(err) => f.write_str(&err.message),
            Error::Closed => f.write_str("the client is closed"),
            Error::InvalidArgument(arg) => f.write_str(&arg.message),
            Error::Api(err) => err.fmt(f),
            Error::Decode(err) => err.fmt(f),
            Error::Connection(err) | Error::Timeout(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

/// Why a JSON text does not decode as the expected value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Where the problem is (`data[3].cloud`), empty at the root.
    pub path: String,
    /// What the problem is.
    pub message: String,
}

impl JsonError {
    #[doc(hidden)]
    pub fn at_root(message: impl Into<String>) -> JsonError {
        JsonError {
            path: String::new(),
            message: message.into(),
        }
    }
}

/// `data[3].cloud: missing field ...`, or just the message for a problem at the root.
impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for JsonError {}

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

#[cfg(test)]
mod tests {
    use super::*;

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
            maybe_processed: false,
        };
        assert_eq!(
            err.to_string(),
            "[404 NOT_FOUND] Index docs-example not found. (request_id: abc)"
        );
    }
}
