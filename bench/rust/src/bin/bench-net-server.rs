//! The server of the network benchmark (`bench/run --network`): the catalog of `bench-server`
//! behind TLS (rustls), HTTP/1.1 or HTTP/2 as ALPN decides (hyper), with a simulated network in
//! front of it and counters of what crossed it.
//!
//! ```text
//! bench-net-server --cert PEM --key PEM [--bind ADDR] [--backups N] [--rtt-ms MS]
//!                  [--alpn h2,http/1.1 | --alpn http/1.1]
//!                  [--indexes N] [--index-backups M] [--round-gap-ms MS]
//! ```
//! Prints `https://ADDR:PORT` on stdout once listening.
//!
//! - `--rtt-ms`: the round trip of a simulated network, for kernels without `tc netem` (0 when
//!   netem does it). Each accepted connection waits one round trip before its first byte is read
//!   (the TCP handshake a real client pays before it can send), then every chunk read waits half
//!   a round trip before the server sees it and every chunk written half a round trip before it
//!   is sent: a fixed propagation delay in each direction, order kept, no bandwidth limit.
//! - Routes: `GET /indexes/{name}/backups` for `bench-index` and `bench-index-N` (the same
//!   catalog), and `GET /backups/{id}`: a backup whose status, for ids starting `wait-`, moves
//!   one step per poll through Initializing, Pending, Processing, Uploading, Finalizing, Ready
//!   (five status changes), `Ready` for any other id.
//! - `--indexes N` (default 0: none) adds a project of N indexes, `bench-prj-000`..., each with
//!   `--index-backups M` (default 50) backups of its own (`project.rs`): `GET /indexes`, each
//!   index's `GET /indexes/{name}/backups`, the project's `GET /backups` and `GET /restore-jobs`
//!   (none), as a `policy run` or a script going through every index needs them.
//! - Counters: a line `stats` on stdin prints one JSON object on stdout (TCP connections, TLS
//!   handshakes full and resumed, TLS versions, ALPN protocols, requests, the most connections
//!   open at once) and resets them. Also counted: the rounds of requests and of connections,
//!   the round trips a client waited for one after the other: a request (a connection) that
//!   arrives at least `--round-gap-ms` (default: 0.9 of the `--rtt-ms`) after the first of the
//!   current round starts a new one: a request sent after the answer to another arrives at
//!   least a round trip after it, so requests sent one after the other each count, and
//!   requests in flight together count once. A client needs, at the least, 2 round
//!   trips per connection round (TCP, then TLS 1.3) and one per request round.

#[path = "../catalog.rs"]
mod catalog;
#[path = "../project.rs"]
mod project;

use std::collections::HashMap;
use std::convert::Infallible;
use std::io::BufRead;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use catalog::{handle, page_for_query, Catalog, Shape};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::time::Instant;

use project::Project;

const WAIT_STATUSES: [&str; 6] = [
    "Initializing",
    "Pending",
    "Processing",
    "Uploading",
    "Finalizing",
    "Ready",
];

#[derive(Default)]
struct Counters {
    connections: AtomicU64,
    open: AtomicU64,
    max_open: AtomicU64,
    tls_full: AtomicU64,
    tls_resumed: AtomicU64,
    tls13: AtomicU64,
    tls12: AtomicU64,
    h2: AtomicU64,
    http11: AtomicU64,
    tls_failed: AtomicU64,
    requests: AtomicU64,
    list_requests: AtomicU64,
    describe_requests: AtomicU64,
    index_list_requests: AtomicU64,
    project_requests: AtomicU64,
    request_rounds: Rounds,
    connection_rounds: Rounds,
}

/// Events grouped into rounds: one that comes at least `gap` after the first of the current
/// round starts a new round.
#[derive(Default)]
struct Rounds {
    gap: Duration,
    state: Mutex<(Option<Instant>, u64)>,
}

impl Rounds {
    fn new(gap: Duration) -> Rounds {
        Rounds {
            gap,
            state: Mutex::new((None, 0)),
        }
    }

    fn record(&self) {
        let now = Instant::now();
        let mut state = self.state.lock().expect("rounds");
        if state
            .0
            .is_none_or(|start| now.duration_since(start) >= self.gap)
        {
            *state = (Some(now), state.1 + 1);
        }
    }

    fn take(&self) -> u64 {
        std::mem::take(&mut *self.state.lock().expect("rounds")).1
    }
}

impl Counters {
    fn take(&self) -> serde_json::Value {
        let t = |c: &AtomicU64| c.swap(0, Relaxed);
        let open = self.open.load(Relaxed);
        let max_open = self.max_open.swap(open, Relaxed);
        serde_json::json!({
            "connections": t(&self.connections),
            "max_open": max_open,
            "tls_full": t(&self.tls_full),
            "tls_resumed": t(&self.tls_resumed),
            "tls13": t(&self.tls13),
            "tls12": t(&self.tls12),
            "h2": t(&self.h2),
            "http11": t(&self.http11),
            "tls_failed": t(&self.tls_failed),
            "requests": t(&self.requests),
            "list_requests": t(&self.list_requests),
            "describe_requests": t(&self.describe_requests),
            "index_list_requests": t(&self.index_list_requests),
            "project_requests": t(&self.project_requests),
            "request_rounds": self.request_rounds.take(),
            "connection_rounds": self.connection_rounds.take(),
        })
    }
}

struct State {
    catalog: Catalog,
    project: Option<Project>,
    counters: Counters,
    polls: Mutex<HashMap<String, usize>>,
}

/// Copies `from` to `to`, each chunk sent `delay` after it was read.
async fn delayed_pump<R, W>(mut from: R, mut to: W, delay: Duration)
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (sender, mut receiver) = mpsc::unbounded_channel::<(Instant, Option<Vec<u8>>)>();
    let reader = tokio::spawn(async move {
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            match from.read(&mut buffer).await {
                Ok(0) | Err(_) => {
                    let _ = sender.send((Instant::now(), None));
                    return;
                }
                Ok(n) => {
                    if sender
                        .send((Instant::now(), Some(buffer[..n].to_vec())))
                        .is_err()
                    {
                        return;
                    }
                }
            }
        }
    });
    while let Some((read_at, chunk)) = receiver.recv().await {
        tokio::time::sleep_until(read_at + delay).await;
        match chunk {
            Some(chunk) => {
                if to.write_all(&chunk).await.is_err() {
                    break;
                }
            }
            None => break,
        }
    }
    let _ = to.shutdown().await;
    reader.abort();
}

fn reply(status: u16, body: Bytes) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-pinecone-request-id", "bench")
        .body(Full::new(body))
        .expect("a response")
}

/// A catalog response (head and body, HTTP/1.1 bytes) as a hyper response.
fn from_raw(raw: &[u8]) -> Response<Full<Bytes>> {
    let status = std::str::from_utf8(&raw[9..12])
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(500);
    let start = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(raw.len(), |i| i + 4);
    reply(status, Bytes::copy_from_slice(&raw[start..]))
}

/// The project's answer to a request (`None`: not one of its routes).
fn project_answer(
    request: &Request<Incoming>,
    project: &Project,
    counters: &Counters,
) -> Option<Response<Full<Bytes>>> {
    let path = request.uri().path();
    let catalog = match path {
        "/indexes" | "/restore-jobs" | "/backups" => None,
        _ => Some(
            path.strip_prefix("/indexes/")
                .and_then(|rest| rest.strip_suffix("/backups"))
                .and_then(|name| project.indexes.get(&catalog::percent_decode(name)))?,
        ),
    };
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
    };
    if header("api-key").is_none() {
        return Some(from_raw(&catalog::error(
            401,
            "UNAUTHENTICATED",
            "Invalid API key.",
        )));
    }
    let version = header("x-pinecone-api-version").unwrap_or("2025-10");
    counters.project_requests.fetch_add(1, Relaxed);
    let query = request.uri().query().unwrap_or("");
    Some(match (path, catalog) {
        ("/indexes", _) => {
            counters.index_list_requests.fetch_add(1, Relaxed);
            let list = match Shape::of_version(version) {
                Shape::Untyped => &project.list_2025_10,
                Shape::Typed => &project.list_2026_07,
            };
            reply(200, Bytes::from(list.clone()))
        }
        ("/restore-jobs", _) => reply(
            200,
            Bytes::from_static(b"{\"data\":[],\"pagination\":null}"),
        ),
        ("/backups", _) => {
            counters.list_requests.fetch_add(1, Relaxed);
            from_raw(&page_for_query(&project.all, version, query))
        }
        (_, Some(catalog)) => {
            counters.list_requests.fetch_add(1, Relaxed);
            from_raw(&page_for_query(catalog, version, query))
        }
        (_, None) => unreachable!("a route of the project"),
    })
}

fn answer(request: &Request<Incoming>, state: &State) -> Response<Full<Bytes>> {
    state.counters.requests.fetch_add(1, Relaxed);
    state.counters.request_rounds.record();
    if let Some(project) = &state.project {
        if let Some(response) = project_answer(request, project, &state.counters) {
            return response;
        }
    }
    let path = request.uri().path();
    let query = request.uri().query();
    let has = |name: &str| request.headers().contains_key(name);
    if let Some(id) = path.strip_prefix("/backups/") {
        state.counters.describe_requests.fetch_add(1, Relaxed);
        if !has("api-key") || !has("x-pinecone-api-version") {
            return from_raw(&catalog::error(401, "UNAUTHENTICATED", "Invalid API key."));
        }
        let status = if id.starts_with("wait-") {
            let mut polls = state.polls.lock().expect("polls");
            let seen = polls.entry(id.to_owned()).or_insert(0);
            let status = WAIT_STATUSES[(*seen).min(WAIT_STATUSES.len() - 1)];
            *seen += 1;
            status
        } else {
            "Ready"
        };
        let mut backup: serde_json::Value =
            serde_json::from_str(&state.catalog.backups[0]).expect("a backup");
        backup["backup_id"] = id.into();
        backup["status"] = status.into();
        return reply(200, Bytes::from(backup.to_string()));
    }
    state.counters.list_requests.fetch_add(1, Relaxed);
    // `bench-index-N` is `bench-index` (the fan-out's 20 indexes share one catalog).
    let path = match path
        .strip_prefix("/indexes/bench-index-")
        .and_then(|rest| rest.split_once('/'))
    {
        Some((n, rest)) if n.bytes().all(|b| b.is_ascii_digit()) => {
            format!("/indexes/bench-index/{rest}")
        }
        _ => path.to_owned(),
    };
    let mut head = format!(
        "{} {}{}{} HTTP/1.1\r\n",
        request.method(),
        path,
        if query.is_some() { "?" } else { "" },
        query.unwrap_or("")
    );
    for name in request.headers().keys() {
        head.push_str(name.as_str());
        head.push_str(": x\r\n");
    }
    from_raw(&handle(&head, &state.catalog))
}

async fn serve_tls<S>(io: S, acceptor: tokio_rustls::TlsAcceptor, state: Arc<State>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let Ok(stream) = acceptor.accept(io).await else {
        state.counters.tls_failed.fetch_add(1, Relaxed);
        return;
    };
    let h2 = {
        let (_, connection) = stream.get_ref();
        let counters = &state.counters;
        match connection.handshake_kind() {
            Some(rustls::HandshakeKind::Resumed) => counters.tls_resumed.fetch_add(1, Relaxed),
            _ => counters.tls_full.fetch_add(1, Relaxed),
        };
        match connection.protocol_version() {
            Some(rustls::ProtocolVersion::TLSv1_3) => counters.tls13.fetch_add(1, Relaxed),
            _ => counters.tls12.fetch_add(1, Relaxed),
        };
        let h2 = connection.alpn_protocol() == Some(b"h2");
        if h2 {
            counters.h2.fetch_add(1, Relaxed)
        } else {
            counters.http11.fetch_add(1, Relaxed)
        };
        h2
    };
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let response = answer(&request, &state);
        async move { Ok::<_, Infallible>(response) }
    });
    let io = TokioIo::new(stream);
    if h2 {
        let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
            .serve_connection(io, service)
            .await;
    } else {
        let _ = hyper::server::conn::http1::Builder::new()
            .serve_connection(io, service)
            .await;
    }
}

fn main() {
    let mut bind = "127.0.0.1:0".to_owned();
    let mut count = 10_000usize;
    let mut rtt = Duration::ZERO;
    let mut alpn = "h2,http/1.1".to_owned();
    let (mut indexes, mut per_index) = (0usize, 50usize);
    let mut round_gap: Option<Duration> = None;
    let (mut cert, mut key) = (String::new(), String::new());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_default();
        match arg.as_str() {
            "--bind" => bind = value,
            "--backups" => count = value.parse().expect("--backups takes a number"),
            "--rtt-ms" => {
                rtt = Duration::from_millis(value.parse().expect("--rtt-ms takes a number"));
            }
            "--alpn" => alpn = value,
            "--indexes" => indexes = value.parse().expect("--indexes takes a number"),
            "--index-backups" => {
                per_index = value.parse().expect("--index-backups takes a number");
            }
            "--round-gap-ms" => {
                let ms: f64 = value.parse().expect("--round-gap-ms takes a number");
                round_gap = Some(Duration::from_secs_f64(ms / 1000.0));
            }
            "--cert" => cert = value,
            "--key" => key = value,
            other => panic!("unknown argument {other}"),
        }
    }
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cert)
        .expect("--cert: a PEM file")
        .collect::<Result<_, _>>()
        .expect("--cert: certificates");
    let key = PrivateKeyDer::from_pem_file(&key).expect("--key: a PEM private key");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("the certificate and key");
    config.alpn_protocols = alpn
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| p.as_bytes().to_vec())
        .collect();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let catalog = Catalog::new("bench-index", count);
    for size in [10, 100] {
        let mut offset = 0;
        while offset < count {
            catalog.page(Shape::Untyped, offset, size);
            offset += size;
        }
    }
    let project = (indexes > 0).then(|| {
        let project = Project::new(indexes, per_index);
        project.warm(100);
        project
    });
    let gap = round_gap.unwrap_or(rtt.mul_f64(0.9));
    let state = Arc::new(State {
        catalog,
        project,
        counters: Counters {
            request_rounds: Rounds::new(gap),
            connection_rounds: Rounds::new(gap),
            ..Counters::default()
        },
        polls: Mutex::new(HashMap::new()),
    });
    let control = state.clone();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            match line {
                Ok(line) if line.trim() == "stats" => println!("{}", control.counters.take()),
                Ok(_) => {}
                Err(_) => break,
            }
        }
        std::process::exit(0); // stdin closed: the harness is gone
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let listener = TcpListener::bind(&bind).await.expect("bind");
        println!("https://{}", listener.local_addr().expect("address"));
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                continue;
            };
            let _ = socket.set_nodelay(true);
            let (state, acceptor) = (state.clone(), acceptor.clone());
            tokio::spawn(async move {
                let counters = &state.counters;
                counters.connections.fetch_add(1, Relaxed);
                counters.connection_rounds.record();
                let open = counters.open.fetch_add(1, Relaxed) + 1;
                counters.max_open.fetch_max(open, Relaxed);
                if rtt.is_zero() {
                    serve_tls(socket, acceptor, state.clone()).await;
                } else {
                    tokio::time::sleep(rtt).await; // the TCP handshake
                    let (near, far) = tokio::io::duplex(256 * 1024);
                    let (socket_read, socket_write) = socket.into_split();
                    let (far_read, far_write) = tokio::io::split(far);
                    let half = rtt / 2;
                    let inbound = tokio::spawn(delayed_pump(socket_read, far_write, half));
                    let outbound = tokio::spawn(delayed_pump(far_read, socket_write, half));
                    serve_tls(near, acceptor, state.clone()).await;
                    let _ = outbound.await;
                    inbound.abort();
                }
                state.counters.open.fetch_sub(1, Relaxed);
            });
        }
    });
}
