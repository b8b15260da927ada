//! The floor of the benchmarks: the same calls as the Python clients, made by the core crate
//! directly (no Python), on one keep-alive connection. Prints one JSON object on stdout.
//!
//! ```text
//! bench-floor URL warm LIMIT N              per-call latencies of N sequential calls (µs)
//! bench-floor URL walk PAGE_SIZE REPEATS    seconds per full walk, every backup decoded
//! bench-floor URL once LIMIT                one call (for cold-start timing)
//! bench-floor URL memory PAGE_SIZE          RSS after one call, peak RSS holding a full walk
//! bench-floor URL concurrent N IN_FLIGHT LIMIT   seconds for N calls, IN_FLIGHT at a time
//! bench-floor URL load LIMIT SECONDS CONNECTIONS  requests/s of raw keep-alive GETs (no client)
//! bench-floor URL sequence N LIMIT          seconds for N sequential calls, the client built first
//! bench-floor URL fanout N INDEXES IN_FLIGHT LIMIT  seconds for N calls over INDEXES indexes
//!                                           (`bench-index-0`..), IN_FLIGHT at a time, no warm-up
//! bench-floor URL waitfor BACKUP_ID POLL_MS  seconds to poll `describe_backup` until `Ready`
//! ```
//! `BENCH_CA_CERTS` (a PEM file), when set, is trusted besides the system's roots (the network
//! benchmark's TLS server).
//! `load` is a minimal load generator (the fallback of the harness when `wrk` is missing): it
//! writes the request bytes and skips the response by its `content-length`, on CONNECTIONS
//! connections for SECONDS seconds, without the core crate.
//! The index is `bench-index`; the API key is anything (the bench server only checks presence).

use std::time::{Duration, Instant};

use futures_util::{StreamExt, TryStreamExt};
use pinecone_backups_core::args::{Arg, Limit};
use pinecone_backups_core::{
    Backup, Client, Config, DescribeBackup, Int, IterOptions, ListIndexBackups,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const INDEX: &str = "bench-index";

fn arg(args: &[String], i: usize) -> usize {
    args.get(i)
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("argument {i} must be a number"))
}

/// `VmRSS` or `VmHWM` of this process, in KiB.
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// One page of `index`'s backups, `limit` of them.
fn list_request(index: String, limit: usize) -> ListIndexBackups {
    let mut request = ListIndexBackups::new(index).expect("index");
    request.limit = Some(Limit::parse(Int::Small(limit as i64), "limit").expect("limit"));
    request
}

async fn walk(client: &Client, page_size: usize) -> Vec<Backup> {
    let options = IterOptions {
        page_size: Limit::parse(Int::Small(page_size as i64), "page_size").expect("page size"),
        ..IterOptions::default()
    };
    client
        .iter_index_backups(ListIndexBackups::new(INDEX).expect("index"), options)
        .expect("valid options")
        .try_collect()
        .await
        .expect("the walk succeeds")
}

/// The `content-length` of a response head.
fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .split("\r\n")
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())
                .flatten()
        })
        .expect("a content-length header")
}

/// Requests sent on one keep-alive connection until `deadline`; responses skipped unparsed.
async fn load_connection(address: String, request: Vec<u8>, deadline: Instant) -> u64 {
    let mut socket = TcpStream::connect(&address).await.expect("connect");
    socket.set_nodelay(true).expect("nodelay");
    let mut buffer: Vec<u8> = Vec::with_capacity(64 * 1024);
    let mut done = 0;
    while Instant::now() < deadline {
        socket.write_all(&request).await.expect("write");
        let head_end = loop {
            if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            assert!(
                socket.read_buf(&mut buffer).await.expect("read") > 0,
                "closed"
            );
        };
        let total = head_end + content_length(&buffer[..head_end]);
        while buffer.len() < total {
            assert!(
                socket.read_buf(&mut buffer).await.expect("read") > 0,
                "closed"
            );
        }
        buffer.drain(..total);
        done += 1;
    }
    done
}

/// `load LIMIT SECONDS CONNECTIONS`: requests per second the server answers.
fn load(url: &str, args: &[String]) -> serde_json::Value {
    let (limit, seconds, connections) = (arg(args, 2), arg(args, 3), arg(args, 4));
    let address = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let request = format!(
        "GET /indexes/{INDEX}/backups?limit={limit} HTTP/1.1\r\nhost: {address}\r\n\
         api-key: bench-key\r\nx-pinecone-api-version: 2025-10\r\n\r\n"
    )
    .into_bytes();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds as u64);
    let counts = runtime.block_on(futures_util::future::join_all(
        (0..connections).map(|_| load_connection(address.clone(), request.clone(), deadline)),
    ));
    let requests: u64 = counts.iter().sum();
    let elapsed = started.elapsed().as_secs_f64();
    serde_json::json!({
        "requests": requests,
        "seconds": elapsed,
        "requests_per_second": requests as f64 / elapsed,
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args
        .first()
        .expect("usage: bench-floor URL MODE ...")
        .clone();
    let mode = args.get(1).map_or("", String::as_str);
    if mode == "load" {
        println!("{}", load(&url, &args));
        return;
    }
    let build = || {
        let mut config = Config::builder()
            .api_key("bench-key")
            .host(url.clone())
            .ignore_env();
        if let Ok(path) = std::env::var("BENCH_CA_CERTS") {
            config = config.ca_certs_pem(std::fs::read(path).expect("BENCH_CA_CERTS"));
        }
        Client::new(config.build().expect("configuration")).expect("client")
    };
    let built = Instant::now();
    let client = build();
    let runtime = if mode == "concurrent" || mode == "fanout" {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    }
    .expect("runtime");
    let request = |limit: usize| list_request(INDEX.to_owned(), limit);

    let output = runtime.block_on(async {
        match mode {
            "warm" => {
                let (limit, n) = (arg(&args, 2), arg(&args, 3));
                let request = request(limit);
                client.list_index_backups(&request).await.expect("call"); // warm up
                let mut latencies = Vec::with_capacity(n);
                for _ in 0..n {
                    let started = Instant::now();
                    let page = client.list_index_backups(&request).await.expect("call");
                    latencies.push(started.elapsed().as_secs_f64() * 1e6);
                    assert_eq!(page.data.len(), limit);
                }
                serde_json::json!({ "latencies_us": latencies })
            }
            "walk" => {
                let (page_size, repeats) = (arg(&args, 2), arg(&args, 3));
                let mut seconds = Vec::with_capacity(repeats);
                let mut items = 0;
                walk(&client, page_size).await; // warm up
                for _ in 0..repeats {
                    let started = Instant::now();
                    items = walk(&client, page_size).await.len();
                    seconds.push(started.elapsed().as_secs_f64());
                }
                serde_json::json!({ "seconds": seconds, "items": items })
            }
            "once" => {
                let page = client
                    .list_index_backups(&request(arg(&args, 2)))
                    .await
                    .expect("call");
                serde_json::json!({ "items": page.data.len() })
            }
            "memory" => {
                client.list_index_backups(&request(10)).await.expect("call");
                let after_first_call = status_kib("VmRSS:");
                let held = walk(&client, arg(&args, 2)).await;
                serde_json::json!({
                    "rss_after_first_call_kib": after_first_call,
                    "peak_rss_kib": status_kib("VmHWM:"),
                    "items": held.len(),
                })
            }
            "concurrent" => {
                let (n, in_flight, limit) = (arg(&args, 2), arg(&args, 3), arg(&args, 4));
                let request = request(limit);
                client.list_index_backups(&request).await.expect("call"); // warm up
                let started = Instant::now();
                let done = futures_util::stream::iter(0..n)
                    .map(|_| client.list_index_backups(&request))
                    .buffer_unordered(in_flight)
                    .try_fold(0, |count, _| async move { Ok(count + 1) })
                    .await
                    .expect("calls");
                assert_eq!(done, n);
                serde_json::json!({ "seconds": started.elapsed().as_secs_f64() })
            }
            "sequence" => {
                let (n, limit) = (arg(&args, 2), arg(&args, 3));
                let request = request(limit);
                for _ in 0..n {
                    client.list_index_backups(&request).await.expect("call");
                }
                serde_json::json!({ "seconds": built.elapsed().as_secs_f64() })
            }
            "fanout" => {
                let (n, indexes, in_flight, limit) =
                    (arg(&args, 2), arg(&args, 3), arg(&args, 4), arg(&args, 5));
                let requests: Vec<ListIndexBackups> = (0..indexes)
                    .map(|i| list_request(format!("{INDEX}-{i}"), limit))
                    .collect();
                let started = Instant::now();
                let done = futures_util::stream::iter(0..n)
                    .map(|i| client.list_index_backups(&requests[i % indexes]))
                    .buffer_unordered(in_flight)
                    .try_fold(0, |count, _| async move { Ok(count + 1) })
                    .await
                    .expect("calls");
                assert_eq!(done, n);
                serde_json::json!({ "seconds": started.elapsed().as_secs_f64() })
            }
            "waitfor" => {
                let id = args.get(2).expect("a backup id");
                let poll = Duration::from_millis(arg(&args, 3) as u64);
                let started = Instant::now();
                let mut polls = 0;
                loop {
                    polls += 1;
                    let describe = DescribeBackup::new(id.clone()).expect("id");
                    let backup = client.describe_backup(&describe).await.expect("describe");
                    if &*backup.status == "Ready" {
                        break;
                    }
                    assert!(polls < 100, "never Ready");
                    tokio::time::sleep(poll).await;
                }
                serde_json::json!({ "seconds": started.elapsed().as_secs_f64(), "polls": polls })
            }
            other => panic!("unknown mode {other:?}"),
        }
    });
    println!("{output}");
}
