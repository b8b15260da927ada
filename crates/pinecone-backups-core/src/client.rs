//! The HTTP client: one reqwest connection pool, one call.

use std::sync::Arc;
use std::time::Duration;

use futures_util::Stream;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT};
use reqwest::StatusCode;

use crate::config::Config;
use crate::error::{
    snippet, truncate_text, ApiError, DecodeError, Error, Result, MAX_ERROR_BODY, MAX_SNIPPET,
};
use crate::model::{Backup, BackupList};
use crate::pager::{IterOptions, Pager, Step};
use crate::request::ListRequest;

/// How long an idle pooled connection is kept (below common load-balancer idle timeouts).
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(50);
/// Connecting may take at most this long, whatever the request timeout.
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Response headers never copied into errors.
const SECRET_HEADERS: [&str; 5] = [
    "api-key",
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// A client of the backup API. Cheap to clone (the connection pool is shared), and safe to use
/// from many tasks at once.
///
/// ```no_run
/// # async fn demo() -> pinecone_backups_core::Result<()> {
/// use pinecone_backups_core::{Client, Config, ListRequest};
/// let client = Client::new(Config::builder().api_key("...").build()?)?;
/// let page = client.list_index_backups(&ListRequest::new("docs-example", Some(10), None)?).await?;
/// for backup in &page.data {
///     println!("{} {}", backup.backup_id, backup.status);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
    config: Arc<Config>,
}

impl Client {
    /// Builds the connection pool. Needs no runtime; requests need a tokio runtime with IO and
    /// time drivers.
    pub fn new(config: Config) -> Result<Client> {
        let mut headers = HeaderMap::new();
        let mut key = HeaderValue::from_str(config.api_key().expose())
            .map_err(|_| Error::Config("the API key cannot be sent in an HTTP header".into()))?;
        key.set_sensitive(true);
        headers.insert(HeaderName::from_static("api-key"), key);
        headers.insert(
            HeaderName::from_static("x-pinecone-api-version"),
            header_value(config.api_version())?,
        );
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        for (name, value) in config.additional_headers() {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("{name:?} is not a valid header name")))?;
            headers.insert(name, header_value(value)?);
        }

        let mut builder = reqwest::Client::builder()
            .tls_backend_preconfigured(crate::tls::client_config()?)
            .default_headers(headers)
            .user_agent(config.user_agent())
            // Never follow redirects: the Api-Key header would follow them to any host.
            .redirect(reqwest::redirect::Policy::none())
            .tcp_nodelay(true)
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .connect_timeout(
                config
                    .timeout()
                    .map_or(MAX_CONNECT_TIMEOUT, |t| t.min(MAX_CONNECT_TIMEOUT)),
            );
        if let Some(timeout) = config.timeout() {
            builder = builder.timeout(timeout);
        }
        let http = builder
            .build()
            .map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))?;
        Ok(Client {
            http,
            config: Arc::new(config),
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// One page of `GET /indexes/{index_name}/backups`.
    pub async fn list_index_backups(&self, request: &ListRequest) -> Result<BackupList> {
        let url = request.url(self.config.host());
        let response = self
            .http
            .get(&url)
            .send()
            .await
            .map_err(|e| self.transport_error(&e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let request_id = request_id(&headers);
        if status.is_success() {
            let body = self
                .read_body(
                    response,
                    self.config.max_response_bytes(),
                    status,
                    &request_id,
                )
                .await?;
            BackupList::from_json(&body).map_err(|reason| {
                DecodeError {
                    status: status.as_u16(),
                    reason,
                    snippet: self.redact(snippet(&body, MAX_SNIPPET)),
                    request_id,
                }
                .into()
            })
        } else {
            // An error body is only ever shown cut short: read no more than that.
            let body = self
                .read_body(response, MAX_ERROR_BODY, status, &request_id)
                .await?;
            Err(self.api_error(status, &headers, request_id, &body).into())
        }
    }

    /// Every backup of an index, page after page, as a stream.
    ///
    /// Sends `limit` (`page_size`) on the first request only: later requests send only the
    /// token, which carries the page size.
    pub fn iter_index_backups(
        &self,
        index_name: impl Into<String>,
        options: IterOptions,
    ) -> Result<impl Stream<Item = Result<Backup>> + Send + 'static> {
        let pager = Pager::new(index_name, options)?;
        let client = self.clone();
        Ok(futures_util::stream::try_unfold(
            (client, pager),
            |(client, mut pager)| async move {
                loop {
                    match pager.next_item() {
                        Step::Ready(backup) => return Ok(Some((backup, (client, pager)))),
                        Step::Done => return Ok(None),
                        Step::Fetch(request) => {
                            let page = client.list_index_backups(&request).await?;
                            pager.feed(page)?;
                        }
                    }
                }
            },
        ))
    }

    /// Reads at most `cap` bytes of body. A 2xx body over the cap is an error; an error body is
    /// cut at the cap (it is only kept for display).
    async fn read_body(
        &self,
        mut response: reqwest::Response,
        cap: usize,
        status: StatusCode,
        request_id: &Option<String>,
    ) -> Result<Vec<u8>> {
        let too_large = |size: String| -> Error {
            DecodeError {
                status: status.as_u16(),
                reason: format!("the response body ({size}) exceeds the limit of {cap} bytes"),
                snippet: String::new(),
                request_id: request_id.clone(),
            }
            .into()
        };
        let declared = response.content_length().unwrap_or(0);
        if status.is_success() && declared > cap as u64 {
            return Err(too_large(format!("{declared} bytes")));
        }
        let mut body = Vec::with_capacity((declared as usize).clamp(1024, cap.min(1 << 20)));
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport_error(&e))?
        {
            if body.len() + chunk.len() > cap {
                if status.is_success() {
                    return Err(too_large("more".into()));
                }
                body.extend_from_slice(&chunk[..cap - body.len()]);
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn api_error(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        request_id: Option<String>,
        body: &[u8],
    ) -> ApiError {
        let parsed = parse_error_body(body);
        let message = parsed
            .message
            .map(|m| one_line(&m))
            .unwrap_or_else(|| describe_body(status, body));
        ApiError {
            status: status.as_u16(),
            code: parsed.code,
            message: self.redact(message),
            details: parsed.details,
            request_id,
            body: self.redact(truncate_text(
                String::from_utf8_lossy(body).into_owned(),
                MAX_ERROR_BODY,
            )),
            headers: self.safe_headers(headers),
        }
    }

    /// Removes the API key from text that came from the server, in case it echoes it.
    fn redact(&self, text: String) -> String {
        let key = self.config.api_key().expose();
        if key.len() >= 8 && text.contains(key) {
            text.replace(key, "[REDACTED]")
        } else {
            text
        }
    }

    fn safe_headers(&self, headers: &HeaderMap) -> Vec<(String, String)> {
        let key = self.config.api_key().expose();
        let mut out: Vec<(String, String)> = Vec::with_capacity(headers.len());
        for (name, value) in headers {
            if SECRET_HEADERS.contains(&name.as_str()) {
                continue;
            }
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            if value.contains(key) {
                continue;
            }
            match out.iter_mut().find(|(n, _)| n == name.as_str()) {
                Some((_, existing)) => {
                    existing.push_str(", ");
                    existing.push_str(&value);
                }
                None => out.push((name.as_str().to_owned(), value)),
            }
        }
        out
    }

    fn transport_error(&self, err: &reqwest::Error) -> Error {
        let origin = self.config.host();
        let cause = cause_chain(err);
        if err.is_timeout() {
            let after = self
                .config
                .timeout()
                .map(|t| format!(" after {}s", t.as_secs_f64()))
                .unwrap_or_default();
            Error::Timeout(format!("request to {origin} timed out{after}"))
        } else if err.is_decode() {
            DecodeError {
                status: err.status().map_or(0, |s| s.as_u16()),
                reason: format!("could not decode the response body: {cause}"),
                snippet: String::new(),
                request_id: None,
            }
            .into()
        } else if err.is_connect() {
            Error::Connection(format!("could not connect to {origin}: {cause}"))
        } else if err.is_body() {
            Error::Connection(format!(
                "the connection to {origin} failed while reading the response: {cause}"
            ))
        } else {
            Error::Connection(format!("the request to {origin} failed: {cause}"))
        }
    }
}

fn header_value(value: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(value)
        .map_err(|_| Error::Config(format!("{value:?} cannot be sent in an HTTP header")))
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-pinecone-request-id", "x-request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The messages of an error's sources, outermost first, without repeats: the useful part of
/// reqwest's layered errors ("tcp connect error: Connection refused (os error 111)").
fn cause_chain(err: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let text = cause.to_string();
        // hyper's "client error (Connect)" layer says nothing its sources do not say better.
        let is_label = text.starts_with("client error (") && text.ends_with(')');
        if !is_label && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    if parts.is_empty() {
        parts.push(err.to_string());
    }
    parts.join(": ")
}

#[derive(Default)]
struct ParsedErrorBody {
    code: Option<String>,
    message: Option<String>,
    details: Option<serde_json::Value>,
}

/// Reads an `ErrorResponse` (`{"error": {"code", "message", "details"}, "status"}`), tolerating the
/// shapes proxies and older endpoints use (`{"error": "text"}`, `{"message": "text"}`).
fn parse_error_body(body: &[u8]) -> ParsedErrorBody {
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

/// A message for a body that is not an `ErrorResponse`: short plain text as is, otherwise the
/// status's reason phrase.
fn describe_body(status: StatusCode, body: &[u8]) -> String {
    let reason = status.canonical_reason().unwrap_or("HTTP error").to_owned();
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let looks_like_markup = text.starts_with('<');
    if text.is_empty() || looks_like_markup || text.starts_with('{') || text.starts_with('[') {
        reason
    } else {
        one_line(&truncate_text(text.to_owned(), 200))
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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
        assert_eq!(
            describe_body(bad_gateway, b"<html><body>502</body></html>"),
            "Bad Gateway"
        );
        assert_eq!(describe_body(bad_gateway, b""), "Bad Gateway");
        assert_eq!(
            describe_body(bad_gateway, b"upstream\nconnect error"),
            "upstream connect error"
        );
    }
}
