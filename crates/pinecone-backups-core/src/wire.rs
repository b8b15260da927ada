//! What crosses the wire, in both directions: a [`Request`] ready to send (made by an
//! operation, described by its [`OperationInfo`]), and [`Decode`], what a 2xx answer's body is
//! read as. The transport sends the one and reads the other; the operations make the one and say
//! which other.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::JsonError;

/// An HTTP method of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// Whether a retry may send a request again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Repeat {
    /// Doing it twice does no harm (`GET`, `DELETE`): retried on any transient failure.
    Safe,
    /// It creates or changes something (`POST`, `PATCH`): sent again only when it surely never
    /// reached the server (a refused connection) or the server said it did nothing (429).
    IfUnsent,
}

/// Where an argument goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// A segment of the path (percent-encoded).
    Path,
    /// A query parameter.
    Query,
    /// A query parameter that says which page of a list (`limit`, `pagination_token`): a walk
    /// sets it itself.
    Paging,
    /// A key of the JSON body.
    Body,
    /// The client's own: never sent (`missing_ok`).
    Local,
}

/// One argument of an operation, as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamInfo {
    /// Its name for callers (`index_name`, `pagination_token`).
    pub name: &'static str,
    /// Its name on the wire (`paginationToken`; the name itself elsewhere).
    pub key: &'static str,
    pub place: Place,
    /// Required (positional for callers), or optional (keyword, `None` when not given).
    pub required: bool,
    /// The API version it came in, when later than the operation's.
    pub since: Option<&'static str>,
}

/// One operation, as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// The method name (`list_index_backups`), as the spec's `operationId`.
    pub name: &'static str,
    /// What it does, in one sentence.
    pub doc: &'static str,
    pub method: Method,
    /// The path template (`/indexes/{index_name}/backups`).
    pub path: &'static str,
    /// The arguments in the order callers give them: required ones first.
    pub params: &'static [ParamInfo],
    /// The statuses the spec gives for success (the client takes any 2xx).
    pub success: &'static [u16],
    pub repeat: Repeat,
    /// The API versions that have it.
    pub versions: &'static [&'static str],
    /// The iterator over its pages (`iter_index_backups`), for a list.
    pub iterator: Option<&'static str>,
}

/// A request ready for the transport: the path percent-encoded, the body serialized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub info: &'static OperationInfo,
    pub path: String,
    /// Query parameters, not yet encoded.
    pub query: Vec<(&'static str, String)>,
    pub body: Option<Vec<u8>>,
    /// A `DELETE` of something already gone (404) is done.
    pub missing_ok: bool,
}

impl Request {
    /// The full URL under `base` (a host as [`crate::Config::host`] gives it).
    pub fn url(&self, base: &str) -> String {
        let mut url = format!("{base}{}", self.path);
        for (i, (key, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(key);
            url.push('=');
            url.push_str(&segment(value).to_string());
        }
        url
    }
}

/// Everything but RFC 3986 unreserved characters is encoded, so an index name is exactly one path
/// segment (`a/b` is sent as `a%2Fb`) and a token survives any character (`+`, `/`, `=`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `text` percent-encoded as one path segment or query value.
pub fn segment(text: &str) -> percent_encoding::PercentEncode<'_> {
    utf8_percent_encode(text, COMPONENT)
}

/// A 2xx body as a value.
pub trait Decode: Sized {
    /// The status says all: the body is not decoded (and may be anything).
    const IGNORES_BODY: bool = false;
    fn decode(body: &[u8]) -> std::result::Result<Self, JsonError>;
    /// What a `DELETE` of something already gone returns (see [`Transport::send`]).
    fn gone() -> Option<Self> {
        None
    }
}

impl<T: for<'de> serde::Deserialize<'de>> Decode for T {
    fn decode(body: &[u8]) -> std::result::Result<Self, JsonError> {
        crate::page::decode(body)
    }
}

/// A 2xx answer whose body, if any, means nothing (`DELETE`'s 202).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoContent;

impl Decode for NoContent {
    const IGNORES_BODY: bool = true;
    fn decode(_body: &[u8]) -> std::result::Result<Self, JsonError> {
        Ok(NoContent)
    }
    fn gone() -> Option<Self> {
        Some(NoContent)
    }
}
