//! The HTTP client: one reqwest connection pool; calls with retries, timeouts and a deadline.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::Stream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::config::{Config, ExchangeEvent, ProxyRoute, RetryEvent, RetryPolicy, TCP_KEEPALIVE};
use crate::connections::{certificate_problem, Connections};
use crate::error::{
    one_line, ApiError, ConfigError, DecodeError, Error, Result, TransportError, MAX_ERROR_BODY,
    MAX_SNIPPET,
};
use crate::models::{Backup, CreateIndexFromBackupResponse, RestoreJob};
use crate::page::{decode, BackupList, JsonError, Page, RestoreJobList};
use crate::pager::{Item, IterOptions, Pager, Walk};
use crate::redact::Redactor;
use crate::request::{
    segment, validate_id, validate_index_name, CreateBackup, CreateIndexFromBackup, ListRequest,
    Listing,
};

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
    first: Arc<FirstConnection>,
    redactor: Arc<Redactor>,
    connections: Connections,
    /// The latest a call of this handle may end ([`Client::with_deadline`]).
    call_deadline: Option<tokio::time::Instant>,
    /// Cancelled when the client (or the scope of this handle) is closed.
    closed: tokio_util::sync::CancellationToken,
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

impl Client {
    /// Builds the connection pool. Needs no runtime; requests need a tokio runtime with IO and
    /// time drivers.
    pub fn new(config: Config) -> Result<Client> {
        let connect_timeout = match config.timeout() {
            Some(timeout) => config.connect_timeout().min(timeout),
            None => config.connect_timeout(),
        };
        let connections = Connections::default();
        let mut builder = reqwest::Client::builder()
            .connector_layer(connections.layer())
            .tls_backend_preconfigured(crate::tls::client_config(config.ca_certs())?)
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
        Ok(Client {
            http,
            redactor: Arc::new(Redactor::new(config.api_key().expose())),
            config: Arc::new(config),
            first: Arc::default(),
            connections,
            call_deadline: None,
            closed: tokio_util::sync::CancellationToken::new(),
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Closes the client: every call in flight, of this client and of the handles made from it
    /// ([`Client::scoped`], [`Client::with_deadline`]), ends at once with [`Error::Closed`], and
    /// so does every later call.
    pub fn close(&self) {
        self.closed.cancel();
    }

    /// Whether [`Client::close`] was called (on this handle, or one it was made from).
    pub fn is_closed(&self) -> bool {
        self.closed.is_cancelled()
    }

    /// The same client (its connections shared), whose own [`Client::close`] closes only the
    /// calls made through it: closing the client it was made from closes it too.
    #[must_use]
    pub fn scoped(&self) -> Client {
        Client {
            closed: self.closed.child_token(),
            ..self.clone()
        }
    }

    /// The same client (its connections shared), whose calls end by `at` at the latest, retries
    /// and waits for a turn included, with a timeout error (on top of the configured
    /// `deadline`, whichever comes first).
    #[must_use]
    pub fn with_deadline(&self, at: tokio::time::Instant) -> Client {
        Client {
            call_deadline: Some(self.call_deadline.map_or(at, |mine| mine.min(at))),
            ..self.clone()
        }
    }

    /// One page of `GET /indexes/{index_name}/backups`, retried as the configuration's
    /// [`RetryPolicy`] says, within its deadline.
    pub async fn list_index_backups(&self, request: &ListRequest) -> Result<BackupList> {
        self.list(request).await
    }

    /// One page of `GET /backups`: the backups of every index of the project.
    pub async fn list_project_backups(
        &self,
        limit: Option<i64>,
        pagination_token: Option<String>,
    ) -> Result<BackupList> {
        let request = ListRequest::of(Listing::ProjectBackups, limit, pagination_token)?;
        self.list(&request).await
    }

    /// One page of `GET /restore-jobs`.
    pub async fn list_restore_jobs(
        &self,
        limit: Option<i64>,
        pagination_token: Option<String>,
    ) -> Result<RestoreJobList> {
        let request = ListRequest::of(Listing::RestoreJobs, limit, pagination_token)?;
        self.list(&request).await
    }

    /// One page of any list; `T` must be the listing's item type.
    pub async fn list<T: Item>(&self, request: &ListRequest) -> Result<Page<T>> {
        let url = request.url(self.config.host());
        self.with_retries(
            "GET",
            || request.path(),
            |attempt| self.send(reqwest::Method::GET, &url, None, attempt),
        )
        .await
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
        Ok(self.iter(pager))
    }

    /// Every item of a walk, as a stream.
    pub fn iter<T: Item>(&self, pager: Pager<T>) -> impl Stream<Item = Result<T>> + Send + 'static {
        let client = self.clone();
        let walk = Arc::new(Walk::new(pager));
        futures_util::stream::try_unfold((client, walk), |(client, walk)| async move {
            Ok(walk
                .next(&client, Pager::next_item)
                .await?
                .map(|item| (item, (client, walk))))
        })
    }

    /// `GET /backups/{backup_id}`.
    pub async fn describe_backup(&self, backup_id: &str) -> Result<Backup> {
        validate_id(backup_id, "backup_id")?;
        self.get(&format!("/backups/{}", segment(backup_id))).await
    }

    /// `GET /restore-jobs/{job_id}`.
    pub async fn describe_restore_job(&self, job_id: &str) -> Result<RestoreJob> {
        validate_id(job_id, "job_id")?;
        self.get(&format!("/restore-jobs/{}", segment(job_id)))
            .await
    }

    /// `POST /indexes/{index_name}/backups`: starts a backup of an index (it is `Initializing`
    /// at first). Retried only when the request surely never reached the server, or on 429.
    pub async fn create_backup(&self, index_name: &str, request: &CreateBackup) -> Result<Backup> {
        validate_index_name(index_name)?;
        let path = format!("/indexes/{}/backups", segment(index_name));
        self.post(&path, request).await
    }

    /// `POST /backups/{backup_id}/create-index`: restores a backup into a new index, through a
    /// restore job. Retried only when the request surely never reached the server, or on 429.
    pub async fn create_index_from_backup(
        &self,
        backup_id: &str,
        request: &CreateIndexFromBackup,
    ) -> Result<CreateIndexFromBackupResponse> {
        validate_id(backup_id, "backup_id")?;
        let path = format!("/backups/{}/create-index", segment(backup_id));
        self.post(&path, request).await
    }

    /// `DELETE /backups/{backup_id}`. Retried like a `GET`; a 404 after an attempt that may have
    /// reached the server means that attempt deleted it, and returns. With `missing_ok`, a 404
    /// on the first attempt returns too.
    pub async fn delete_backup(&self, backup_id: &str, missing_ok: bool) -> Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        validate_id(backup_id, "backup_id")?;
        let path = format!("/backups/{}", segment(backup_id));
        let url = format!("{}{path}", self.config.host());
        let reached = std::sync::atomic::AtomicBool::new(false);
        let reached = &reached;
        let url = &url;
        self.with_retries(
            "DELETE",
            || path.clone(),
            move |attempt| async move {
                match self
                    .send::<NoContent>(reqwest::Method::DELETE, url, None, attempt)
                    .await
                {
                    Ok(NoContent) => Ok(()),
                    Err(Error::Api(api))
                        if api.status == 404 && (missing_ok || reached.load(Relaxed)) =>
                    {
                        Ok(())
                    }
                    Err(error) => {
                        if error.may_have_reached_server() {
                            reached.store(true, Relaxed);
                        }
                        Err(error)
                    }
                }
            },
        )
        .await
    }

    async fn get<T: Decode>(&self, path: &str) -> Result<T> {
        let url = format!("{}{path}", self.config.host());
        self.with_retries(
            "GET",
            || path.to_owned(),
            |attempt| self.send(reqwest::Method::GET, &url, None, attempt),
        )
        .await
    }

    async fn post<T: Decode>(&self, path: &str, body: &impl serde::Serialize) -> Result<T> {
        let url = format!("{}{path}", self.config.host());
        let body = serde_json::to_vec(body).expect("request bodies serialize");
        self.with_retries(
            "POST",
            || path.to_owned(),
            |attempt| self.send(reqwest::Method::POST, &url, Some(body.clone()), attempt),
        )
        .await
    }

    /// Runs `attempt` until it succeeds, fails for good, or the retries or the deadline run out,
    /// or the client is closed; the error returned says how many attempts were made. `path`
    /// names the request in retry events (made only when one is reported).
    async fn with_retries<T, F, Fut>(
        &self,
        method: &'static str,
        path: impl Fn() -> String,
        attempt: F,
    ) -> Result<T>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        if self.closed.is_cancelled() {
            return Err(Error::Closed);
        }
        self.closed
            .run_until_cancelled(self.retrying(method, path, attempt))
            .await
            .unwrap_or(Err(Error::Closed))
    }

    async fn retrying<T, F, Fut>(
        &self,
        method: &'static str,
        path: impl Fn() -> String,
        mut attempt: F,
    ) -> Result<T>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let policy = self.config.retry();
        let started = tokio::time::Instant::now();
        let configured = self.config.deadline().map(|d| (started + d, d));
        let deadline = match (configured, self.call_deadline) {
            (Some((at, total)), Some(call)) if at <= call => Some((at, total)),
            (_, Some(call)) => Some((call, call.saturating_duration_since(started))),
            (configured, None) => configured,
        };
        let idempotent = matches!(method, "GET" | "HEAD" | "DELETE" | "PUT" | "OPTIONS");
        let mut attempts = 0;
        // One free attempt on a fresh connection after a spoiled pooled one (as urllib3 does).
        let mut fresh_connection = 0;
        loop {
            attempts += 1;
            let opened = self.connections.opened();
            let outcome = match deadline {
                Some((at, total)) => tokio::time::timeout_at(at, attempt(attempts))
                    .await
                    .unwrap_or_else(|_| Err(self.deadline_error(total))),
                None => attempt(attempts).await,
            };
            let error = match outcome {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            // Only a connection taken from the pool can have gone stale: when one was opened
            // meanwhile, this attempt may have been its first request, which the server may
            // have received.
            let stale = matches!(&error, Error::Connection(t) if t.stale_connection)
                && self.connections.opened() == opened;
            if idempotent && stale && fresh_connection == 0 {
                fresh_connection = 1;
                continue;
            }
            let fits_deadline = |delay: &Duration| {
                deadline.is_none_or(|(at, _)| tokio::time::Instant::now() + *delay < at)
            };
            let delay = (attempts - fresh_connection <= policy.max_retries)
                .then(|| retry_delay(policy, idempotent, &error, attempts))
                .flatten()
                .filter(fits_deadline);
            let Some(delay) = delay else {
                let error = error.with_attempts(attempts);
                if !idempotent && error.may_have_reached_server() {
                    return Err(error.with_unknown_outcome());
                }
                return Err(error);
            };
            if let Some(observer) = self.config.retry_observer() {
                (observer.0)(&RetryEvent {
                    method,
                    path: path(),
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

    /// One attempt of a request whose 2xx body decodes as `T`.
    async fn send<T: Decode>(
        &self,
        method: reqwest::Method,
        url: &str,
        body: Option<Vec<u8>>,
        attempt: u32,
    ) -> Result<T> {
        let Some(observer) = self.config.exchange_observer() else {
            return self.exchange(method, url, body, &mut Seen::default()).await;
        };
        let started = std::time::Instant::now();
        let method_name = match method.as_str() {
            "POST" => "POST",
            "DELETE" => "DELETE",
            _ => "GET",
        };
        let mut seen = Seen::default();
        let result = self.exchange(method, url, body, &mut seen).await;
        let path = url
            .strip_prefix(self.config.host())
            .unwrap_or(url)
            .split('?')
            .next()
            .unwrap_or_default();
        (observer.0)(&ExchangeEvent {
            method: method_name,
            path: path.to_owned(),
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
        method: reqwest::Method,
        url: &str,
        body: Option<Vec<u8>>,
        seen: &mut Seen,
    ) -> Result<T> {
        let mut request = self.http.request(method, url);
        if let Some(body) = body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        let response = self
            .first
            .send(request, self.config.timeout())
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

/// A 2xx body as a value.
pub trait Decode: Sized {
    /// The status says all: the body is not decoded (and may be anything).
    const IGNORES_BODY: bool = false;
    fn decode(body: &[u8]) -> std::result::Result<Self, JsonError>;
}

impl<T: for<'de> serde::Deserialize<'de>> Decode for T {
    fn decode(body: &[u8]) -> std::result::Result<Self, JsonError> {
        decode(body)
    }
}

/// A 2xx answer whose body, if any, means nothing (`DELETE`'s 202).
struct NoContent;

impl Decode for NoContent {
    const IGNORES_BODY: bool = true;
    fn decode(_body: &[u8]) -> std::result::Result<Self, JsonError> {
        Ok(NoContent)
    }
}

/// How long to wait before retrying after `error` (the `attempt`-th failure), or `None` when it
/// is not worth retrying.
fn retry_delay(
    policy: &RetryPolicy,
    idempotent: bool,
    error: &Error,
    attempt: u32,
) -> Option<Duration> {
    let retry_after = match error {
        Error::Api(api) => api.header("retry-after").and_then(parse_retry_after),
        _ => None,
    };
    let retryable = match error {
        Error::Api(api) => {
            policy.statuses.contains(&api.status)
                // A request that creates something: only when the server said it did nothing.
                && (idempotent || api.status == 429)
        }
        Error::Connection(transport) | Error::Timeout(transport) => {
            !transport.permanent && (idempotent || transport.before_sending)
        }
        Error::Decode(decode) => idempotent && decode.incomplete,
        Error::Config(_) | Error::InvalidArgument(_) | Error::Closed => false,
    };
    if !retryable {
        return None;
    }
    Some(match retry_after {
        Some(after) => after.min(policy.retry_after_cap),
        None => {
            let doubling = 1u32 << attempt.saturating_sub(1).min(30);
            let ceiling = policy
                .backoff_base
                .saturating_mul(doubling)
                .min(policy.backoff_cap);
            ceiling.mul_f64(random_unit())
        }
    })
}

/// `Retry-After`: a number of seconds, or an HTTP date in any of the three forms RFC 9110 says
/// recipients must accept (IMF-fixdate, RFC 850, asctime).
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    // A date in the past means "now".
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// A uniformly random number in [0, 1) from a per-thread xorshift generator: jitter needs no
/// more.
fn random_unit() -> f64 {
    use std::cell::Cell;
    use std::hash::{BuildHasher, Hasher};
    thread_local! {
        static STATE: Cell<u64> = Cell::new({
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u64(u64::from(std::process::id()));
            hasher.finish() | 1
        });
    }
    STATE.with(|state| {
        let mut x = state.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        state.set(x);
        (x >> 11) as f64 / (1u64 << 53) as f64
    })
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-pinecone-request-id", "x-request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Whether `err` says the (reused) connection was unusable: the response could not be parsed,
/// or the connection closed before a response began.
fn stale_connection(err: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        if let Some(hyper) = cause.downcast_ref::<hyper::Error>() {
            return hyper.is_parse() || hyper.is_incomplete_message();
        }
        source = cause.source();
    }
    false
}

/// Whether an error of type `T` is among `err`'s sources.
fn caused_by<T: std::error::Error + 'static>(err: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        if cause.is::<T>() {
            return true;
        }
        source = cause.source();
    }
    false
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

/// How much of a plain-text error body becomes the message.
const MAX_PLAIN_MESSAGE: usize = 200;

/// A message for a body that is not an `ErrorResponse`: short plain text on one line (the key
/// redacted before it is cut), otherwise the status's reason phrase.
fn describe_body(status: StatusCode, body: &[u8], redact: &Redactor) -> String {
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

    fn api(status: u16, retry_after: Option<&str>) -> Error {
        ApiError {
            status,
            code: None,
            message: String::new(),
            details: None,
            request_id: None,
            body: String::new(),
            headers: retry_after
                .map(|v| vec![("retry-after".to_owned(), v.to_owned())])
                .unwrap_or_default(),
            attempts: 1,
            maybe_processed: false,
        }
        .into()
    }

    fn transport(before_sending: bool) -> Error {
        Error::Connection(TransportError::new("x", before_sending))
    }

    #[test]
    fn what_is_retried() {
        let policy = RetryPolicy::default();
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(
                retry_delay(&policy, true, &api(status, None), 1).is_some(),
                "{status}"
            );
        }
        for status in [400, 401, 403, 404, 409, 422, 501] {
            assert!(
                retry_delay(&policy, true, &api(status, None), 1).is_none(),
                "{status}"
            );
        }
        // Not idempotent: only when surely not processed, or told when to come back.
        assert!(retry_delay(&policy, false, &api(503, None), 1).is_none());
        assert!(retry_delay(&policy, false, &api(500, Some("1")), 1).is_none());
        // Never after a 5xx, even with Retry-After: the request may have been processed.
        assert!(retry_delay(&policy, false, &api(503, Some("1")), 1).is_none());
        assert!(retry_delay(&policy, false, &api(429, Some("1")), 1).is_some());
        assert!(retry_delay(&policy, false, &api(429, None), 1).is_some());
        assert!(retry_delay(&policy, false, &transport(true), 1).is_some());
        assert!(retry_delay(&policy, false, &transport(false), 1).is_none());
        assert!(retry_delay(&policy, true, &transport(false), 1).is_some());
        let incomplete = |incomplete| {
            Error::from(DecodeError {
                status: 200,
                incomplete,
                attempts: 1,
                ..DecodeError::default()
            })
        };
        assert!(retry_delay(&policy, true, &incomplete(true), 1).is_some());
        assert!(retry_delay(&policy, true, &incomplete(false), 1).is_none());
        assert!(retry_delay(&policy, true, &ConfigError::error("host", "x"), 1).is_none());
    }

    #[test]
    fn backoff_is_full_jitter_under_a_doubling_ceiling() {
        let policy = RetryPolicy {
            backoff_base: Duration::from_millis(100),
            backoff_cap: Duration::from_millis(700),
            ..RetryPolicy::default()
        };
        for (attempt, ceiling) in [(1, 100), (2, 200), (3, 400), (4, 700), (40, 700)] {
            let delays: Vec<Duration> = (0..200)
                .map(|_| retry_delay(&policy, true, &api(503, None), attempt).unwrap())
                .collect();
            let ceiling = Duration::from_millis(ceiling);
            assert!(delays.iter().all(|d| *d <= ceiling), "attempt {attempt}");
            assert!(
                delays.iter().any(|d| *d < ceiling / 4),
                "jitter reaches low values"
            );
            assert!(delays.iter().any(|d| *d > ceiling * 3 / 4), "and high ones");
        }
    }

    #[test]
    fn retry_after_values() {
        assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        let in_a_minute = std::time::SystemTime::now() + Duration::from_secs(61);
        let date = http_date(in_a_minute);
        let parsed = parse_retry_after(&date).unwrap();
        assert!(
            (Duration::from_secs(55)..=Duration::from_secs(61)).contains(&parsed),
            "{date}"
        );
        // RFC 9110: the obsolete RFC 850 and asctime forms must be accepted too.
        for obsolete in ["Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            assert_eq!(
                parse_retry_after(obsolete),
                Some(Duration::ZERO),
                "{obsolete}"
            );
        }
        let future = httpdate::fmt_http_date(in_a_minute);
        let asctime = {
            // `Sun, 06 Nov 2094 08:49:37 GMT` -> `Sun Nov  6 08:49:37 2094`
            let parts: Vec<&str> = future.split(' ').collect();
            let day: u32 = parts[1].parse().unwrap();
            format!(
                "{} {} {day:>2} {} {}",
                &parts[0][..3],
                parts[2],
                parts[4],
                parts[3]
            )
        };
        let parsed = parse_retry_after(&asctime).unwrap();
        assert!(parsed >= Duration::from_secs(55), "{asctime}");
        for bad in ["soon", "-1", "1.5", "Sun, 06 Nov 1994 08:49:37 PST", ""] {
            assert_eq!(parse_retry_after(bad), None, "{bad}");
        }
        let policy = RetryPolicy::default();
        let capped = retry_delay(&policy, true, &api(503, Some("3600")), 1).unwrap();
        assert_eq!(capped, policy.retry_after_cap);
    }

    /// An IMF-fixdate, for the test above.
    fn http_date(at: std::time::SystemTime) -> String {
        httpdate::fmt_http_date(at)
    }

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
