//! The transport: one reqwest connection pool, and the one way a request is sent: attempts and
//! their retries within the timeouts and the deadline, the body read within its cap, the answer
//! decoded or made into a typed error, and the server's text redacted before it is kept.
//!
//! - [`answer`]: error bodies of any shape, request ids;
//! - [`failure`]: what reqwest's layered errors say (a stale connection, a refused certificate);
//! - [`retry`]: when to retry, and after how long;
//! - [`redact`]: the API key out of everything the server sent;
//! - [`connections`]: counting the connections opened;
//! - [`tls`]: rustls with the platform's roots, loaded on first use.

mod answer;
mod connections;
mod failure;
pub mod redact;
mod retry;
mod tls;

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::config::{Config, ExchangeEvent, ProxyRoute, RetryEvent, TCP_KEEPALIVE};
use crate::error::{
    ApiError, ConfigError, DecodeError, Error, Result, TransportError, MAX_ERROR_BODY, MAX_SNIPPET,
};
use crate::wire::{Decode, Method, Repeat, Request};
use answer::{describe_body, parse_error_body, request_id};
use connections::Connections;
use failure::{cause_chain, caused_by, certificate_problem, stale_connection};
use redact::Redactor;
use retry::retry_delay;

/// How long an idle pooled connection is kept: below common load-balancer idle timeouts (60 s
/// and more), so that the client drops an idle connection before a balancer silently does.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// How long requests wait for a fresh client's first response before going out on connections
/// of their own (see [`FirstConnection`]): long enough for a connection and TLS handshake over a
/// slow network, short enough that a first request that hangs does not hold the others.
const FIRST_RESPONSE_GRACE: Duration = Duration::from_secs(1);

/// Response headers never copied into errors.
const SECRET_HEADERS: [&str; 5] = [
    "api-key",
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// The connection pool and what sends requests through it.
#[derive(Debug)]
pub struct Transport {
    http: reqwest::Client,
    config: Config,
    first: FirstConnection,
    redactor: Redactor,
    connections: Connections,
}

/// Until the first response has come back, requests go out one at a time: calls started
/// together (an async fan-out) would otherwise each open a connection and shake hands before any
/// finished, where over HTTP/2 one connection serves them all (measured: 64 TLS handshakes for a
/// fan-out of 200 calls, 64 in flight). Once a connection is up they run freely (over HTTP/1.1,
/// opening more connections as needed). A request waits at most [`FIRST_RESPONSE_GRACE`] for
/// its turn (a first request that hangs holds nobody longer), and the wait counts in its
/// `timeout`.
#[derive(Debug, Default)]
struct FirstConnection {
    open: std::sync::atomic::AtomicBool,
    turn: tokio::sync::Mutex<()>,
}

impl FirstConnection {
    /// Sends `request`, whose whole exchange may take `timeout` from now.
    async fn send(
        &self,
        request: reqwest::RequestBuilder,
        timeout: Option<Duration>,
    ) -> reqwest::Result<reqwest::Response> {
        use std::sync::atomic::Ordering::{Acquire, Release};
        if self.open.load(Acquire) {
            return request.send().await;
        }
        let queued = tokio::time::Instant::now();
        let turn = tokio::time::timeout(FIRST_RESPONSE_GRACE, self.turn.lock())
            .await
            .ok();
        // The time spent waiting for a turn counts in the request's timeout.
        let request = match timeout {
            Some(timeout) => request.timeout(timeout.saturating_sub(queued.elapsed())),
            None => request,
        };
        let Some(turn) = turn.filter(|_| !self.open.load(Acquire)) else {
            return request.send().await;
        };
        let response = request.send().await;
        if response.is_ok() {
            self.open.store(true, Release);
        }
        drop(turn);
        response
    }
}

impl Transport {
    /// Builds the connection pool. Needs no runtime; requests need a tokio runtime with IO and
    /// time drivers.
    pub fn new(config: Config) -> Result<Transport> {
        let connect_timeout = match config.timeout() {
            Some(timeout) => config.connect_timeout().min(timeout),
            None => config.connect_timeout(),
        };
        let connections = Connections::default();
        let mut builder = reqwest::Client::builder()
            .connector_layer(connections.layer())
            .tls_backend_preconfigured(tls::client_config(config.ca_certs())?)
            .default_headers(config.default_headers().clone())
            .user_agent(config.user_agent())
            // Never follow redirects: the Api-Key header would follow them to any host.
            .redirect(reqwest::redirect::Policy::none())
            .tcp_nodelay(true)
            .tcp_keepalive(TCP_KEEPALIVE)
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .connect_timeout(connect_timeout);
        if let Some(timeout) = config.timeout() {
            builder = builder.timeout(timeout);
        }
        match config.proxy_route() {
            ProxyRoute::Environment => {}
            ProxyRoute::Direct => builder = builder.no_proxy(),
            ProxyRoute::Proxy(proxy) => builder = builder.proxy((**proxy).clone()),
        }
        let http = builder.build().map_err(|e| {
            ConfigError::error("client", format!("could not build the HTTP client: {e}"))
        })?;
        Ok(Transport {
            http,
            redactor: Redactor::new(config.api_key().expose()),
            config,
            first: FirstConnection::default(),
            connections,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sends `request` until it succeeds, fails for good, or the retries or `deadline` (the
    /// earlier of the call's and the configuration's) run out; the error says how many attempts
    /// were made.
    ///
    /// A `DELETE` answered 404 after an attempt that may have reached the server was done by
    /// that attempt, and succeeds; with `missing_ok`, any 404 does.
    pub async fn send<T: Decode>(
        &self,
        request: &Request,
        call_deadline: Option<tokio::time::Instant>,
    ) -> Result<T> {
        let info = request.info;
        let policy = self.config.retry();
        let url = request.url(self.config.host());
        let started = tokio::time::Instant::now();
        let configured = self.config.deadline().map(|d| (started + d, d));
        let deadline = match (configured, call_deadline) {
            (Some((at, total)), Some(call)) if at <= call => Some((at, total)),
            (_, Some(call)) => Some((call, call.saturating_duration_since(started))),
            (configured, None) => configured,
        };
        let mut attempts = 0;
        // One free attempt on a fresh connection after a spoiled pooled one (as urllib3 does).
        let mut fresh_connection = 0;
        // Whether an attempt may have reached the server (a DELETE's later 404 is then done).
        let mut reached = false;
        loop {
            attempts += 1;
            let opened = self.connections.opened();
            let attempt = self.attempt::<T>(request, &url, attempts);
            let outcome = match deadline {
                Some((at, total)) => tokio::time::timeout_at(at, attempt)
                    .await
                    .unwrap_or_else(|_| Err(self.deadline_error(total))),
                None => attempt.await,
            };
            let error = match outcome {
                Ok(value) => return Ok(value),
                Err(Error::Api(api))
                    if info.method == Method::Delete
                        && api.status == 404
                        && (request.missing_ok || reached) =>
                {
                    return T::gone().ok_or(Error::Api(api));
                }
                Err(error) => error,
            };
            reached |= error.may_have_reached_server();
            let repeat = info.repeat;
            // Only a connection taken from the pool can have gone stale: when one was opened
            // meanwhile, this attempt may have been its first request, which the server may
            // have received.
            let stale = matches!(&error, Error::Connection(t) if t.stale_connection)
                && self.connections.opened() == opened;
            if repeat == Repeat::Safe && stale && fresh_connection == 0 {
                fresh_connection = 1;
                continue;
            }
            let fits_deadline = |delay: &Duration| {
                deadline.is_none_or(|(at, _)| tokio::time::Instant::now() + *delay < at)
            };
            let delay = (attempts - fresh_connection <= policy.max_retries)
                .then(|| retry_delay(policy, repeat, &error, attempts))
                .flatten()
                .filter(fits_deadline);
            let Some(delay) = delay else {
                let error = error.with_attempts(attempts);
                if repeat == Repeat::IfUnsent && error.may_have_reached_server() {
                    return Err(error.with_unknown_outcome());
                }
                return Err(error);
            };
            if let Some(observer) = self.config.retry_observer() {
                (observer.0)(&RetryEvent {
                    method: info.method.as_str(),
                    path: request.path.clone(),
                    attempt: attempts,
                    max_attempts: policy.max_retries + 1,
                    delay,
                    reason: error.to_string(),
                });
            }
            tokio::time::sleep(delay).await;
        }
    }

    fn deadline_error(&self, deadline: Duration) -> Error {
        Error::Timeout(TransportError::new(
            format!(
                "the call to {} did not complete within its deadline of {}s",
                self.config.host(),
                (deadline.as_secs_f64() * 1000.0).round() / 1000.0
            ),
            false,
        ))
    }

    /// One attempt, reported to the exchange observer when there is one.
    async fn attempt<T: Decode>(&self, request: &Request, url: &str, attempt: u32) -> Result<T> {
        let Some(observer) = self.config.exchange_observer() else {
            return self.exchange(request, url, &mut Seen::default()).await;
        };
        let started = std::time::Instant::now();
        let mut seen = Seen::default();
        let result = self.exchange(request, url, &mut seen).await;
        (observer.0)(&ExchangeEvent {
            method: request.info.method.as_str(),
            path: request.path.clone(),
            status: seen.status,
            attempt,
            elapsed: started.elapsed(),
            request_id: seen.request_id,
        });
        result
    }

    /// The exchange itself; `seen` gets the status and request id once the response begins.
    async fn exchange<T: Decode>(
        &self,
        request: &Request,
        url: &str,
        seen: &mut Seen,
    ) -> Result<T> {
        let method = match request.info.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.http.request(method, url);
        if let Some(body) = &request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let response = self
            .first
            .send(builder, self.config.timeout())
            .await
            .map_err(|e| self.transport_error(&e))?;
        let status = response.status();
        let headers = response.headers().clone();
        // A server (or proxy) may echo the key anywhere, even in its request id.
        let request_id = request_id(&headers).map(|id| self.redactor.string(id));
        seen.status = Some(status.as_u16());
        seen.request_id.clone_from(&request_id);
        if !status.is_success() {
            // An error body is only ever shown cut short: read no more than that (and enough
            // past the cut for a key that straddles it to be redacted whole).
            let cap = MAX_ERROR_BODY + self.redactor.margin();
            let (body, complete) = self.read_body(response, cap, status, &request_id).await?;
            return Err(self
                .api_error(status, &headers, request_id, &body, complete)
                .into());
        }
        if T::IGNORES_BODY {
            // The status says it all (a DELETE's 202): whatever the body holds, or however it
            // fails, the request succeeded. Read a little of it, so that the connection can be
            // reused, and never fail on it.
            if response
                .content_length()
                .is_none_or(|n| n <= DRAIN_LIMIT as u64)
            {
                let drain = self.read_body(response, DRAIN_LIMIT, status, &request_id);
                let _ = tokio::time::timeout(DRAIN_TIME, drain).await;
            }
            return T::decode(&[]).map_err(|_| unreachable!("a body that is ignored decodes"));
        }
        let cap = self.config.max_response_bytes();
        let (body, _) = self.read_body(response, cap, status, &request_id).await?;
        T::decode(&body).map_err(|reason| {
            DecodeError {
                status: status.as_u16(),
                reason: self.redactor.string(reason.to_string()),
                snippet: self.redactor.cut(&body, MAX_SNIPPET, Some(body.len())),
                request_id,
                attempts: 1,
                ..DecodeError::default()
            }
            .into()
        })
    }

    /// Reads at most `cap` bytes of body, and says whether that was all of it. A 2xx body over
    /// the cap is an error; an error body is cut at the cap (it is only kept for display). A body
    /// cut short is an incomplete [`DecodeError`] (retried like a network failure).
    async fn read_body(
        &self,
        mut response: reqwest::Response,
        cap: usize,
        status: StatusCode,
        request_id: &Option<String>,
    ) -> Result<(Vec<u8>, bool)> {
        let failure = |reason: String, incomplete: bool| -> Error {
            DecodeError {
                status: status.as_u16(),
                reason: self.redactor.string(reason),
                request_id: request_id.clone(),
                incomplete,
                attempts: 1,
                ..DecodeError::default()
            }
            .into()
        };
        let declared = response.content_length().unwrap_or(0);
        if status.is_success() && declared > cap as u64 {
            return Err(failure(
                format!("the response body ({declared} bytes) exceeds the limit of {cap} bytes"),
                false,
            ));
        }
        let mut body =
            Vec::with_capacity((declared as usize).min(cap).clamp(1024.min(cap), 1 << 20));
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => return Ok((body, true)),
                Err(err) if err.is_timeout() => return Err(self.transport_error(&err)),
                // reqwest reports every body error as a "decode" error when decompression is
                // on; a hyper error underneath means the connection failed, not the data.
                Err(err) if err.is_decode() && !caused_by::<hyper::Error>(&err) => {
                    let reason =
                        format!("the body could not be decompressed: {}", cause_chain(&err));
                    return Err(failure(reason, false));
                }
                Err(err) => {
                    let expected = match declared {
                        0 => String::new(),
                        n => format!(" of {n}"),
                    };
                    let reason = format!(
                        "the body was cut short after {}{expected} bytes: {}",
                        body.len(),
                        cause_chain(&err)
                    );
                    return Err(failure(reason, true));
                }
            };
            if body.len() + chunk.len() > cap {
                if status.is_success() {
                    let reason = format!("the response body exceeds the limit of {cap} bytes");
                    return Err(failure(reason, false));
                }
                body.extend_from_slice(&chunk[..cap - body.len()]);
                return Ok((body, false));
            }
            body.extend_from_slice(&chunk);
        }
    }

    /// The error for a non-2xx answer; `body` is all of it when `complete`. Every text taken
    /// from the server is redacted before it is kept or cut.
    fn api_error(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        request_id: Option<String>,
        body: &[u8],
        complete: bool,
    ) -> ApiError {
        let redact = &self.redactor;
        let parsed = parse_error_body(body);
        let message = match parsed.message {
            Some(message) => redact.string(message),
            None => describe_body(status, body, redact),
        };
        ApiError {
            status: status.as_u16(),
            code: parsed.code.map(|code| redact.string(code)),
            message,
            details: parsed.details.map(|details| redact.json(details)),
            request_id,
            body: redact.cut(body, MAX_ERROR_BODY, complete.then_some(body.len())),
            headers: self.safe_headers(headers),
            attempts: 1,
            maybe_processed: false,
        }
    }

    /// The response headers minus the secret ones and any whose name or value holds the key.
    fn safe_headers(&self, headers: &HeaderMap) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::with_capacity(headers.len());
        for (name, value) in headers {
            if SECRET_HEADERS.contains(&name.as_str())
                || self.redactor.finds_in_any_case(name.as_str())
            {
                continue;
            }
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            if self.redactor.finds(&value) {
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
        if let Some(problem) = certificate_problem(err, origin) {
            // A certificate refused now will be refused again: say why, and do not retry.
            let mut failure = TransportError::new(
                format!(
                    "could not connect to {origin}: TLS certificate verification failed: {problem}"
                ),
                true,
            );
            failure.permanent = true;
            return Error::Connection(failure);
        }
        if err.is_builder() {
            // The request could not even be made (a URL too long for the HTTP library, say):
            // nothing was sent, and trying again would fail the same way.
            let mut failure = TransportError::new(
                self.redactor
                    .string(format!("could not make the request: {}", cause_chain(err))),
                true,
            );
            failure.permanent = true;
            return Error::Connection(failure);
        }
        // A connect error means the request never left: refused, no route, DNS or TLS failure.
        let before_sending = err.is_connect();
        if err.is_timeout() {
            let (what, limit) = if before_sending {
                ("connecting to", Some(self.config.connect_timeout()))
            } else {
                ("the request to", self.config.timeout())
            };
            let after = limit
                .map(|t| format!(" after {}s", t.as_secs_f64()))
                .unwrap_or_default();
            let message = format!("{what} {origin} timed out{after}");
            Error::Timeout(TransportError::new(message, before_sending))
        } else if before_sending {
            let message = format!("could not connect to {origin}: {}", cause_chain(err));
            Error::Connection(TransportError::new(self.redactor.string(message), true))
        } else {
            let message = format!("the request to {origin} failed: {}", cause_chain(err));
            let mut failure = TransportError::new(self.redactor.string(message), false);
            failure.stale_connection = stale_connection(err);
            Error::Connection(failure)
        }
    }
}

/// What an exchange saw of its response, for [`ExchangeEvent`]s.
#[derive(Default)]
struct Seen {
    status: Option<u16>,
    request_id: Option<String>,
}

/// How much of a body that is ignored is read, so that its connection can be reused.
const DRAIN_LIMIT: usize = 64 * 1024;
/// How long such a body is waited for (a body that is slow to come is dropped, and so is its
/// connection).
const DRAIN_TIME: Duration = Duration::from_millis(500);
