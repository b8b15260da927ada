//! Client configuration: explicit settings first, then the environment, then defaults.
//!
//! | setting              | environment variable          | default                  |
//! |----------------------|-------------------------------|--------------------------|
//! | API key              | `PINECONE_API_KEY`            | none: an error           |
//! | host                 | `PINECONE_CONTROLLER_HOST`    | `https://api.pinecone.io`|
//! | additional headers   | `PINECONE_ADDITIONAL_HEADERS` (a JSON object) | none     |
//!
//! Everything is validated when the configuration is built, so that a bad key, host or header is
//! reported before any request, with a message that never contains the key.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT};

use crate::error::{ConfigError, Result};

/// The API version used when none is given.
pub const API_VERSION: &str = "2025-10";
/// The API versions this crate speaks, oldest first.
pub const API_VERSIONS: &[&str] = &["2025-10", "2026-04", "2026-07"];
/// Where requests go when no host is configured.
pub const DEFAULT_HOST: &str = "https://api.pinecone.io";
/// The default per-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default number of retries after a failed attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 3;
/// The default cap on a response body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
/// This crate's version, sent in the `User-Agent`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub const ENV_API_KEY: &str = "PINECONE_API_KEY";
pub const ENV_HOST: &str = "PINECONE_CONTROLLER_HOST";
pub const ENV_ADDITIONAL_HEADERS: &str = "PINECONE_ADDITIONAL_HEADERS";
pub const ENV_API_VERSION: &str = "PINECONE_API_VERSION";

/// Headers the client sets itself and that additional headers may not replace.
const RESERVED_HEADERS: [(&str, &str); 2] = [
    ("api-key", "pass the key as the api key instead"),
    ("x-pinecone-api-version", "set the api version instead"),
];

/// The default time allowed to open a connection (TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// TCP keepalive probes on idle pooled connections.
pub const TCP_KEEPALIVE: Duration = Duration::from_secs(30);

/// When and how to retry a failed request.
///
/// Idempotent requests (`GET`, `DELETE`) are retried on connection failures, timeouts, bodies
/// cut short and the statuses in [`RetryPolicy::statuses`]; other requests only when they surely
/// never reached the server (connection refused) or on 429/503 with a `Retry-After`. The wait
/// before retry `n` (1-based) is the server's `Retry-After` (seconds or an HTTP date, at most
/// [`RetryPolicy::retry_after_cap`]) when it sent one, otherwise a random duration between zero
/// and `min(backoff_cap, backoff_base * 2^(n-1))` ("full jitter").
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 turns retrying off).
    pub max_retries: u32,
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    pub retry_after_cap: Duration,
    /// HTTP statuses worth retrying.
    pub statuses: Vec<u16>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
            backoff_base: Duration::from_millis(250),
            backoff_cap: Duration::from_secs(8),
            retry_after_cap: Duration::from_secs(60),
            statuses: vec![408, 429, 500, 502, 503, 504],
        }
    }
}

/// What is about to be retried, for logging.
#[derive(Debug, Clone)]
pub struct RetryEvent {
    /// `GET`, ...
    pub method: &'static str,
    /// The request path (no host, no query).
    pub path: String,
    /// The attempt that failed (1-based).
    pub attempt: u32,
    /// The most attempts the policy allows.
    pub max_attempts: u32,
    /// How long the client waits before the next attempt.
    pub delay: Duration,
    /// The failure, as one line (it never contains the API key).
    pub reason: String,
}

/// Called before each retry (e.g. to log it).
#[derive(Clone)]
pub struct RetryObserver(pub std::sync::Arc<dyn Fn(&RetryEvent) + Send + Sync>);

impl fmt::Debug for RetryObserver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RetryObserver")
    }
}

/// One HTTP exchange (an attempt of a call), for logging.
#[derive(Debug, Clone)]
pub struct ExchangeEvent {
    /// `GET`, `POST`, `DELETE`.
    pub method: &'static str,
    /// The request path (no host, no query).
    pub path: String,
    /// The response's status; `None` when no response came (a connection failure, a timeout).
    pub status: Option<u16>,
    /// The attempt of the call (1-based).
    pub attempt: u32,
    /// From sending the request to reading the whole body (or failing).
    pub elapsed: Duration,
    /// The `x-pinecone-request-id` (or `x-request-id`) response header.
    pub request_id: Option<String>,
}

/// Called after each HTTP exchange (e.g. to log it).
#[derive(Clone)]
pub struct ExchangeObserver(pub std::sync::Arc<dyn Fn(&ExchangeEvent) + Send + Sync>);

impl fmt::Debug for ExchangeObserver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ExchangeObserver")
    }
}

/// An API key. Its `Debug` and [`ApiKey::masked`] forms show at most its last four characters.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// The key itself, for the `Api-Key` header. Never log or display it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `...abcd` (the last four characters) for keys of 12 characters or more, `...` otherwise.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() >= 12 {
            let tail: String = chars[chars.len() - 4..].iter().collect();
            format!("...{tail}")
        } else {
            "...".to_owned()
        }
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({})", self.masked())
    }
}

/// A validated client configuration. Build it with [`Config::builder`].
#[derive(Debug, Clone)]
pub struct Config {
    api_key: ApiKey,
    host: String,
    api_version: String,
    timeout: Option<Duration>,
    additional_headers: Vec<(String, String)>,
    source_tag: Option<String>,
    user_agent: String,
    max_response_bytes: usize,
    connect_timeout: Duration,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    proxy: Option<String>,
    ca_certs: Option<Vec<Vec<u8>>>,
    observer: Option<RetryObserver>,
    exchange_observer: Option<ExchangeObserver>,
    /// Parsed once, here: the headers every request carries, and the proxy.
    headers: HeaderMap,
    proxy_route: ProxyRoute,
}

/// Where requests go through, parsed from the `proxy` setting.
#[derive(Debug, Clone)]
pub enum ProxyRoute {
    /// As the environment says (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`).
    Environment,
    /// No proxy at all (`proxy=""`, or `NO_PROXY=*`).
    Direct,
    /// This proxy for every request.
    Proxy(Box<reqwest::Proxy>),
}

impl Config {
    /// A builder that falls back to the environment for what it is not given.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    pub fn api_key(&self) -> &ApiKey {
        &self.api_key
    }
    /// The base URL, with a scheme and without a trailing slash (`https://api.pinecone.io`).
    pub fn host(&self) -> &str {
        &self.host
    }
    pub fn api_version(&self) -> &str {
        &self.api_version
    }
    /// The per-request timeout; `None` waits forever.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }
    pub fn additional_headers(&self) -> &[(String, String)] {
        &self.additional_headers
    }
    /// The normalized source tag, when one was given.
    pub fn source_tag(&self) -> Option<&str> {
        self.source_tag.as_deref()
    }
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }
    /// The time allowed to open a connection.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }
    /// The time allowed for a whole call, retries and waits included.
    pub fn deadline(&self) -> Option<Duration> {
        self.deadline
    }
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }
    /// The proxy for every request: `Some("")` means none at all (not even from the
    /// environment); `None` follows `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`.
    pub fn proxy(&self) -> Option<&str> {
        self.proxy.as_deref()
    }
    /// The headers every request carries: `Api-Key` (marked sensitive), the API version,
    /// `Accept` and the additional headers.
    pub fn default_headers(&self) -> &HeaderMap {
        &self.headers
    }
    /// The proxy setting, parsed.
    pub fn proxy_route(&self) -> &ProxyRoute {
        &self.proxy_route
    }
    /// Extra trusted root certificates (DER), added to the system's.
    pub fn ca_certs(&self) -> Option<&[Vec<u8>]> {
        self.ca_certs.as_deref()
    }
    pub fn retry_observer(&self) -> Option<&RetryObserver> {
        self.observer.as_ref()
    }
    pub fn exchange_observer(&self) -> Option<&ExchangeObserver> {
        self.exchange_observer.as_ref()
    }
}

/// Collects settings; [`ConfigBuilder::build`] validates them and fills the rest from the
/// environment and the defaults.
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    api_key: Option<String>,
    host: Option<String>,
    api_version: Option<String>,
    timeout: Option<Option<Duration>>,
    additional_headers: Option<Vec<(String, String)>>,
    source_tag: Option<String>,
    user_agent_comment: Option<String>,
    max_response_bytes: Option<usize>,
    connect_timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: Option<RetryPolicy>,
    proxy: Option<String>,
    ca_certs_pem: Option<Vec<u8>>,
    observer: Option<RetryObserver>,
    exchange_observer: Option<ExchangeObserver>,
    ignore_env: bool,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "..."))
            .field("host", &self.host)
            .field("api_version", &self.api_version)
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }
    /// `api.pinecone.io`, `https://api.pinecone.io`, `http://127.0.0.1:8080`...: a host without a
    /// scheme gets `https://`.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }
    pub fn api_version(mut self, api_version: impl Into<String>) -> Self {
        self.api_version = Some(api_version.into());
        self
    }
    /// The timeout of each request, connection and body included; `None` for no timeout.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = Some(timeout);
        self
    }
    /// Extra headers for every request. Replaces `PINECONE_ADDITIONAL_HEADERS`.
    pub fn additional_headers<K, V>(mut self, headers: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        self.additional_headers = Some(
            headers
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        );
        self
    }
    /// A tag appended to the `User-Agent` (`source_tag=...`), normalized to lowercase
    /// `[a-z0-9_:]`, with runs of spaces turned into `_`.
    pub fn source_tag(mut self, source_tag: impl Into<String>) -> Self {
        self.source_tag = Some(source_tag.into());
        self
    }
    /// A comment for the `User-Agent`, e.g. `python 3.11.7`.
    pub fn user_agent_comment(mut self, comment: impl Into<String>) -> Self {
        self.user_agent_comment = Some(comment.into());
        self
    }
    /// Responses with a larger body are refused.
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = Some(max);
        self
    }
    /// The time allowed to open a connection (default 10 s, and never more than `timeout`).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }
    /// The time allowed for a whole call, retries and waits included (default: none).
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }
    /// A proxy URL for every request (`http://` or `https://`, credentials allowed); `""` for no
    /// proxy at all, not even from the environment.
    pub fn proxy(mut self, proxy: impl Into<String>) -> Self {
        self.proxy = Some(proxy.into());
        self
    }
    /// Extra trusted root certificates: the contents of a PEM file (one or more certificates).
    pub fn ca_certs_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_certs_pem = Some(pem.into());
        self
    }
    /// Called before each retry.
    pub fn on_retry(mut self, observer: impl Fn(&RetryEvent) + Send + Sync + 'static) -> Self {
        self.observer = Some(RetryObserver(std::sync::Arc::new(observer)));
        self
    }
    /// Called after each HTTP exchange.
    pub fn on_exchange(
        mut self,
        observer: impl Fn(&ExchangeEvent) + Send + Sync + 'static,
    ) -> Self {
        self.exchange_observer = Some(ExchangeObserver(std::sync::Arc::new(observer)));
        self
    }
    /// Do not read the environment: only explicit settings and defaults.
    pub fn ignore_env(mut self) -> Self {
        self.ignore_env = true;
        self
    }

    /// Validates the settings, reading the process environment for missing ones.
    pub fn build(self) -> Result<Config> {
        let ignore_env = self.ignore_env;
        self.build_with_env(|name| {
            if ignore_env {
                None
            } else {
                std::env::var(name).ok()
            }
        })
    }

    /// Like [`ConfigBuilder::build`] with `env` in place of the process environment.
    pub fn build_with_env(self, env: impl Fn(&str) -> Option<String>) -> Result<Config> {
        let env = |name: &str| env(name).filter(|value| !value.trim().is_empty());

        let api_key = match self.api_key.or_else(|| env(ENV_API_KEY)) {
            Some(key) => validate_api_key(&key)?,
            None => {
                return Err(ConfigError::error(
                    "api_key",
                    format!(
                        "no API key: pass api_key or set the {ENV_API_KEY} environment variable"
                    ),
                ))
            }
        };

        let host = match self.host {
            Some(host) => normalize_host(&host, "host")?,
            None => match env(ENV_HOST) {
                Some(host) => normalize_host(&host, ENV_HOST)?,
                None => DEFAULT_HOST.to_owned(),
            },
        };

        let (api_version, source) = match self.api_version {
            Some(version) => (version, "api_version"),
            None => match env(ENV_API_VERSION) {
                Some(version) => (version.trim().to_owned(), ENV_API_VERSION),
                None => (API_VERSION.to_owned(), "api_version"),
            },
        };
        if !API_VERSIONS.contains(&api_version.as_str()) {
            return Err(ConfigError::error(
                "api_version",
                format!(
                    "{source} must be one of the API versions this client speaks ({}), got \
                     {api_version:?}",
                    API_VERSIONS.join(", ")
                ),
            ));
        }

        let timeout = self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT));
        if timeout == Some(Duration::ZERO) {
            return Err(ConfigError::error(
                "timeout",
                "timeout must be positive (or None for no timeout)",
            ));
        }

        let additional_headers = match self.additional_headers {
            Some(headers) => validate_headers(headers, "additional_headers")?,
            None => match env(ENV_ADDITIONAL_HEADERS) {
                Some(json) => validate_headers(parse_headers_json(&json)?, ENV_ADDITIONAL_HEADERS)?,
                None => Vec::new(),
            },
        };

        let source_tag = self
            .source_tag
            .map(|t| normalize_source_tag(&t))
            .transpose()?;

        let mut user_agent = format!("pinecone-backups/{VERSION}");
        if let Some(comment) = self.user_agent_comment.filter(|c| is_header_text(c)) {
            user_agent.push_str(&format!(" ({comment})"));
        }
        if let Some(tag) = &source_tag {
            user_agent.push_str(&format!("; source_tag={tag}"));
        }

        let max_response_bytes = self
            .max_response_bytes
            .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
        if max_response_bytes == 0 {
            return Err(ConfigError::error(
                "max_response_bytes",
                "max_response_bytes must be positive",
            ));
        }

        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        if connect_timeout.is_zero() {
            return Err(ConfigError::error(
                "connect_timeout",
                "connect_timeout must be positive",
            ));
        }
        if self.deadline == Some(Duration::ZERO) {
            return Err(ConfigError::error(
                "deadline",
                "deadline must be positive (or None for no deadline)",
            ));
        }
        let retry = self.retry.unwrap_or_default();
        if retry.backoff_base > retry.backoff_cap {
            return Err(ConfigError::error(
                "retry",
                "the retry backoff base must not exceed its cap",
            ));
        }
        let proxy = self.proxy.map(|p| p.trim().to_owned());
        if let Some(proxy) = proxy.as_deref().filter(|p| !p.is_empty()) {
            // The URL may hold credentials: say what is wrong, never echo it.
            let url = reqwest::Url::parse(proxy).map_err(|e| {
                ConfigError::error("proxy", format!("proxy is not a valid URL ({e})"))
            })?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(ConfigError::error(
                    "proxy",
                    format!("proxy must be an http or https URL, not {}", url.scheme()),
                ));
            }
        }
        let ca_certs = self.ca_certs_pem.map(|pem| parse_pem(&pem)).transpose()?;
        let headers = default_headers(&api_key, &api_version, &additional_headers)?;
        let proxy_route = match proxy.as_deref() {
            Some("") => ProxyRoute::Direct,
            Some(url) => ProxyRoute::Proxy(Box::new(reqwest::Proxy::all(url).map_err(|e| {
                ConfigError::error("proxy", format!("proxy is not a valid proxy URL: {e}"))
            })?)),
            // `NO_PROXY=*` (curl's, requests' and httpx's "no proxy for any host").
            None if no_proxy_for_any_host(&env) => ProxyRoute::Direct,
            None => ProxyRoute::Environment,
        };

        Ok(Config {
            api_key,
            host,
            api_version,
            timeout,
            additional_headers,
            source_tag,
            user_agent,
            max_response_bytes,
            connect_timeout,
            deadline: self.deadline,
            retry,
            proxy,
            ca_certs,
            observer: self.observer,
            exchange_observer: self.exchange_observer,
            headers,
            proxy_route,
        })
    }
}

/// The headers of every request, parsed (the values were checked already).
fn default_headers(
    api_key: &ApiKey,
    api_version: &str,
    additional: &[(String, String)],
) -> Result<HeaderMap> {
    let value = |text: &str, setting: &'static str| {
        HeaderValue::from_str(text).map_err(|_| {
            ConfigError::error(
                setting,
                format!("{setting} cannot be sent in an HTTP header"),
            )
        })
    };
    let mut headers = HeaderMap::new();
    let mut key = value(api_key.expose(), "api_key")?;
    key.set_sensitive(true);
    headers.insert(HeaderName::from_static("api-key"), key);
    headers.insert(
        HeaderName::from_static("x-pinecone-api-version"),
        value(api_version, "api_version")?,
    );
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    for (name, text) in additional {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            ConfigError::error(
                "additional_headers",
                format!("{name:?} is not a valid header name"),
            )
        })?;
        headers.insert(name, value(text, "additional_headers")?);
    }
    Ok(headers)
}

/// Whether `NO_PROXY` (or `no_proxy`) is `*`.
fn no_proxy_for_any_host(env: &impl Fn(&str) -> Option<String>) -> bool {
    ["NO_PROXY", "no_proxy"]
        .iter()
        .filter_map(|name| env(name))
        .any(|value| value.split(',').any(|entry| entry.trim() == "*"))
}

/// The certificates of a PEM bundle, as DER.
fn parse_pem(pem: &[u8]) -> Result<Vec<Vec<u8>>> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let certs = CertificateDer::pem_slice_iter(pem)
        .map(|cert| cert.map(|c| c.as_ref().to_vec()))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| {
            ConfigError::error("ca_certs", format!("ca_certs is not a valid PEM file: {e}"))
        })?;
    if certs.is_empty() {
        return Err(ConfigError::error(
            "ca_certs",
            "ca_certs holds no certificate (expected PEM `BEGIN CERTIFICATE` blocks)",
        ));
    }
    Ok(certs)
}

/// Visible ASCII, spaces and tabs: what an HTTP header value may hold.
fn is_header_text(text: &str) -> bool {
    text.bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
}

fn validate_api_key(key: &str) -> Result<ApiKey> {
    let key = key.trim();
    if key.is_empty() {
        return Err(ConfigError::error(
            "api_key",
            format!(
                "the API key is empty: pass api_key or set the {ENV_API_KEY} environment variable"
            ),
        ));
    }
    // The message must not echo the key: say where the bad character is, not what the key is.
    if let Some(position) = key.chars().position(|c| !c.is_ascii_graphic()) {
        return Err(ConfigError::error(
            "api_key",
            format!(
                "the API key has a character that cannot be sent in an HTTP header \
                 (a space, a control character or a non-ASCII character at position {position})"
            ),
        ));
    }
    Ok(ApiKey(key.to_owned()))
}

fn normalize_host(raw: &str, source: &str) -> Result<String> {
    let bad = |why: &str| {
        ConfigError::error(
            "host",
            format!(
                "{source} {:?} is not a valid host: {why}",
                without_credentials(raw)
            ),
        )
    };
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(bad("it is empty"));
    }
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        format!("https://{trimmed}")
    };
    let url = reqwest::Url::parse(&with_scheme).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("the scheme must be http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host name"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it may not have a query or a fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("it may not carry credentials"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// A host as typed, its user name and password (`https://user:pass@host`) masked: what an error
/// may show of it.
fn without_credentials(raw: &str) -> String {
    let (scheme, rest) = match raw.find("://") {
        Some(at) => raw.split_at(at + 3),
        None => ("", raw),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}***@{}", &rest[at + 1..]),
        None => raw.to_owned(),
    }
}

fn parse_headers_json(json: &str) -> Result<Vec<(String, String)>> {
    let bad = || {
        ConfigError::error(
            "additional_headers",
            format!(
                "{ENV_ADDITIONAL_HEADERS} must be a JSON object of string values, \
                 like {{\"X-Name\": \"value\"}}"
            ),
        )
    };
    let value: serde_json::Value = serde_json::from_str(json).map_err(|_| bad())?;
    let object = value.as_object().ok_or_else(bad)?;
    object
        .iter()
        .map(|(k, v)| Ok((k.clone(), v.as_str().ok_or_else(bad)?.to_owned())))
        .collect()
}

fn validate_headers(headers: Vec<(String, String)>, source: &str) -> Result<Vec<(String, String)>> {
    for (name, value) in &headers {
        if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(ConfigError::error(
                "additional_headers",
                format!("{source}: {name:?} is not a valid HTTP header name"),
            ));
        }
        if let Some((_, hint)) = RESERVED_HEADERS
            .iter()
            .find(|(reserved, _)| name.eq_ignore_ascii_case(reserved))
        {
            return Err(ConfigError::error(
                "additional_headers",
                format!("{source}: the client sets {name:?} itself; {hint}"),
            ));
        }
        if !is_header_text(value) {
            return Err(ConfigError::error(
                "additional_headers",
                format!(
                    "{source}: the value of {name:?} has a character that cannot be sent in an \
                     HTTP header (a control or non-ASCII character)"
                ),
            ));
        }
    }
    Ok(headers)
}

fn normalize_source_tag(raw: &str) -> Result<String> {
    let mut tag = String::new();
    for word in raw.split_whitespace() {
        if !tag.is_empty() {
            tag.push('_');
        }
        tag.extend(
            word.chars()
                .map(|c| c.to_ascii_lowercase())
                .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | ':')),
        );
    }
    let tag = tag.trim_matches('_').to_owned();
    if tag.is_empty() {
        return Err(ConfigError::error(
            "source_tag",
            format!("source_tag {raw:?} has no usable characters (letters, digits, '_' or ':')"),
        ));
    }
    Ok(tag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn explicit_settings_and_defaults() {
        let config = Config::builder()
            .api_key("  pcsk_123456789abcd\n")
            .build_with_env(no_env)
            .unwrap();
        assert_eq!(config.api_key().expose(), "pcsk_123456789abcd");
        assert_eq!(config.host(), DEFAULT_HOST);
        assert_eq!(config.api_version(), API_VERSION);
        assert_eq!(config.timeout(), Some(DEFAULT_TIMEOUT));
        assert!(config.user_agent().starts_with("pinecone-backups/"));
        let debug = format!("{config:?}");
        assert!(!debug.contains("pcsk_123456789abcd"), "{debug}");
        assert!(debug.contains("...abcd"));
    }

    #[test]
    fn environment_fallbacks() {
        let env = |name: &str| match name {
            ENV_API_KEY => Some("env-key".to_owned()),
            ENV_HOST => Some("localhost:8080/".to_owned()),
            ENV_ADDITIONAL_HEADERS => Some(r#"{"X-Team": "search"}"#.to_owned()),
            _ => None,
        };
        let config = Config::builder().build_with_env(env).unwrap();
        assert_eq!(config.api_key().expose(), "env-key");
        assert_eq!(config.host(), "https://localhost:8080");
        assert_eq!(
            config.additional_headers(),
            &[("X-Team".to_owned(), "search".to_owned())]
        );
        // Explicit settings win over the environment.
        let config = Config::builder()
            .api_key("explicit")
            .host("http://127.0.0.1:1")
            .additional_headers(Vec::<(String, String)>::new())
            .build_with_env(env)
            .unwrap();
        assert_eq!(config.api_key().expose(), "explicit");
        assert_eq!(config.host(), "http://127.0.0.1:1");
        assert!(config.additional_headers().is_empty());
    }

    #[test]
    fn missing_or_bad_keys_are_config_errors_without_the_key() {
        let err = Config::builder().build_with_env(no_env).unwrap_err();
        assert!(
            matches!(&err, Error::Config(e) if e.message.contains(ENV_API_KEY) && e.setting == "api_key"),
            "{err}"
        );
        let empty_env = |_: &str| Some("   ".to_owned());
        assert!(matches!(
            Config::builder().build_with_env(empty_env),
            Err(Error::Config(_))
        ));
        for key in [
            "secret key",
            "secret\u{7}key",
            "sécret",
            "secret\r\nX-Evil: 1",
        ] {
            let err = Config::builder()
                .api_key(key)
                .build_with_env(no_env)
                .unwrap_err();
            assert!(!err.to_string().contains("secret"), "{err}");
        }
    }

    #[test]
    fn hosts_are_normalized_or_refused() {
        let host = |h: &str| {
            Config::builder()
                .api_key("k")
                .host(h)
                .build_with_env(no_env)
                .map(|c| c.host().to_owned())
        };
        assert_eq!(host("api.pinecone.io").unwrap(), "https://api.pinecone.io");
        assert_eq!(
            host("http://127.0.0.1:5000/").unwrap(),
            "http://127.0.0.1:5000"
        );
        assert_eq!(
            host("https://proxy.local/pinecone/").unwrap(),
            "https://proxy.local/pinecone"
        );
        for bad in [
            "",
            "ftp://x",
            "http://",
            "https://x?y=1",
            "https://user:pw@x",
            "http://[::1",
        ] {
            assert!(matches!(host(bad), Err(Error::Config(_))), "{bad}");
            // Credentials are refused, and never shown: the user name and password are masked.
            for with_credentials in [
                "https://user:hunter2pass@api.example.com",
                "user:hunter2pass@api.example.com/path",
                "http://:hunter2pass@127.0.0.1:8080",
                "https://user:p@ss:hunter2pass@h",
                "https://user:hunter2pass@",
            ] {
                let Err(Error::Config(err)) = host(with_credentials) else {
                    panic!("{with_credentials}")
                };
                assert!(!err.message.contains("hunter2"), "{}", err.message);
                assert!(!err.message.contains("user"), "{}", err.message);
            }
            assert_eq!(
                without_credentials("https://u:p@h/x@y"),
                "https://***@h/x@y"
            );
        }
    }

    #[test]
    fn headers_are_validated() {
        let build = |k: &str, v: &str| {
            Config::builder()
                .api_key("k")
                .additional_headers([(k, v)])
                .build_with_env(no_env)
        };
        assert!(build("X-Ok", "fine value").is_ok());
        assert!(build("Bad Name", "v").is_err());
        assert!(build("X-Ok", "line\r\nbreak").is_err());
        assert!(build("API-KEY", "v").is_err());
        assert!(build("x-pinecone-api-version", "2024-07").is_err());
        let env = |name: &str| (name == ENV_ADDITIONAL_HEADERS).then(|| "[1,2]".to_owned());
        let err = Config::builder()
            .api_key("k")
            .build_with_env(env)
            .unwrap_err();
        assert!(err.to_string().contains(ENV_ADDITIONAL_HEADERS));
    }

    #[test]
    fn source_tags_are_normalized() {
        assert_eq!(
            normalize_source_tag("  My App:v2  beta ").unwrap(),
            "my_app:v2_beta"
        );
        assert_eq!(normalize_source_tag("a-b!c").unwrap(), "abc");
        assert!(normalize_source_tag("!!!").is_err());
        let config = Config::builder()
            .api_key("k")
            .source_tag("Notebook")
            .user_agent_comment("python 3.11")
            .build_with_env(no_env)
            .unwrap();
        assert!(config
            .user_agent()
            .ends_with(" (python 3.11); source_tag=notebook"));
    }

    #[test]
    fn masking() {
        assert_eq!(ApiKey("short".into()).masked(), "...");
        assert_eq!(ApiKey("pcsk_abcdefgh1234".into()).masked(), "...1234");
    }
}
