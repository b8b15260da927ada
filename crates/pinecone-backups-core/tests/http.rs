//! The client against a scripted HTTP server on 127.0.0.1: what goes on the wire, and how each
//! kind of answer comes back.

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use std::sync::{Arc, Mutex};

use pinecone_backups_core::args::Arg;
use pinecone_backups_core::Int;

use pinecone_backups_core::{
    Client, Config, DeleteBackup, DescribeBackup, Error, IterOptions, ListIndexBackups, RetryEvent,
    RetryPolicy,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

const KEY: &str = "pcsk_test_key_0123456789";

enum Reply {
    Send(Vec<u8>),
    HangUp,
    Never,
}

/// Serves each connection's requests with `respond(request_head)`, and reports every request head.
async fn server(
    respond: impl Fn(&str) -> Reply + Send + Sync + 'static,
) -> (String, mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    let respond = std::sync::Arc::new(respond);
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let tx = tx.clone();
            let respond = respond.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                loop {
                    let mut chunk = [0u8; 4096];
                    let n = match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    buffer.extend_from_slice(&chunk[..n]);
                    while let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
                        buffer.drain(..end + 4);
                        let _ = tx.send(head.clone());
                        match respond(&head) {
                            Reply::Send(response) => socket.write_all(&response).await.unwrap(),
                            Reply::HangUp => return,
                            Reply::Never => std::future::pending::<()>().await,
                        }
                    }
                }
            });
        }
    });
    (url, rx)
}

fn response(status: &str, headers: &[&str], body: &str) -> Reply {
    let mut out = format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\n", body.len());
    for header in headers {
        out.push_str(header);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    out.push_str(body);
    Reply::Send(out.into_bytes())
}

/// A client that does not retry (the retry tests below build their own).
fn client(url: &str) -> Client {
    client_with(url, |b| b)
}

fn no_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 0,
        ..RetryPolicy::default()
    }
}

fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        backoff_base: Duration::from_millis(1),
        backoff_cap: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

fn client_with(
    url: &str,
    tweak: impl FnOnce(pinecone_backups_core::ConfigBuilder) -> pinecone_backups_core::ConfigBuilder,
) -> Client {
    let builder = Config::builder()
        .api_key(KEY)
        .host(url)
        .ignore_env()
        .retry(no_retries())
        .additional_headers([("X-Team", "search")])
        .source_tag("tests");
    Client::new(tweak(builder).build().unwrap()).unwrap()
}

const PAGE: &str = r#"{"data":[{"backup_id":"b1","source_index_name":"a/b","source_index_id":"i","status":"Ready","cloud":"aws","region":"us-east-1"}],"pagination":{"next":"t+/="}}"#;

#[tokio::test]
async fn request_on_the_wire() {
    let (url, mut heads) = server(|_| response("200 OK", &[], PAGE)).await;
    let client = client(&url);
    let mut request = ListIndexBackups::new("a/b").unwrap();
    request.limit = Some(Arg::parse(Int::Small(7), "limit").unwrap());
    request.pagination_token = Some(Arg::parse("tok+/=".to_owned(), "pagination_token").unwrap());
    let page = client.list_index_backups(&request).await.unwrap();
    assert_eq!(page.data[0].backup_id, "b1");
    assert_eq!(page.next_token(), Some("t+/="));

    let head = heads.recv().await.unwrap();
    let lower = head.to_ascii_lowercase();
    assert!(
        head.starts_with(
            "GET /indexes/a%2Fb/backups?limit=7&paginationToken=tok%2B%2F%3D HTTP/1.1\r\n"
        ),
        "{head}"
    );
    assert!(lower.contains(&format!("\r\napi-key: {}", KEY.to_ascii_lowercase())));
    assert_eq!(lower.matches("x-pinecone-api-version: 2025-10").count(), 1);
    assert!(lower.contains("\r\naccept: application/json"));
    assert!(lower.contains("\r\nx-team: search"));
    assert!(lower.contains("\r\nuser-agent: pinecone-backups/"));
    assert!(lower.contains("source_tag=tests"));
}

#[tokio::test]
async fn stream_walks_pages_sending_limit_once() {
    let (url, mut heads) = server(|head| {
        let body = if head.contains("paginationToken=p2") {
            r#"{"data":[{"backup_id":"b3","source_index_name":"x","source_index_id":"i","status":"Ready","cloud":"aws","region":"r"}],"pagination":null}"#
        } else {
            r#"{"data":[{"backup_id":"b1","source_index_name":"x","source_index_id":"i","status":"Ready","cloud":"aws","region":"r"},{"backup_id":"b2","source_index_name":"x","source_index_id":"i","status":"Ready","cloud":"aws","region":"r"}],"pagination":{"next":"p2"}}"#
        };
        response("200 OK", &[], body)
    })
    .await;
    let client = client(&url);
    let options = IterOptions {
        page_size: Arg::parse(Int::Small(2), "page_size").unwrap(),
        ..IterOptions::default()
    };
    let ids: Vec<String> = client
        .iter_index_backups(ListIndexBackups::new("x").unwrap(), options)
        .unwrap()
        .map_ok(|b| b.backup_id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["b1", "b2", "b3"]);
    assert!(heads
        .recv()
        .await
        .unwrap()
        .starts_with("GET /indexes/x/backups?limit=2 "));
    assert!(heads
        .recv()
        .await
        .unwrap()
        .starts_with("GET /indexes/x/backups?paginationToken=p2 "));
}

#[tokio::test]
async fn api_errors_keep_status_code_message_and_body() {
    let (url, _) = server(|head| {
        if head.contains("/indexes/missing/") {
            response(
                "404 Not Found",
                &["x-pinecone-request-id: req-1", "set-cookie: session=secret"],
                r#"{"error":{"code":"NOT_FOUND","message":"Index missing not found."},"status":404}"#,
            )
        } else if head.contains("/indexes/proxy/") {
            response("502 Bad Gateway", &["content-type: text/html"], "<html><h1>502</h1></html>")
        } else {
            response("503 Service Unavailable", &[], "")
        }
    })
    .await;
    let client = client(&url);
    let list = |name: &str| {
        let client = client.clone();
        let request = ListIndexBackups::new(name).unwrap();
        async move { client.list_index_backups(&request).await.unwrap_err() }
    };

    let Error::Api(err) = list("missing").await else {
        panic!()
    };
    assert_eq!(err.status, 404);
    assert_eq!(err.code.as_deref(), Some("NOT_FOUND"));
    assert_eq!(err.message, "Index missing not found.");
    assert_eq!(err.request_id.as_deref(), Some("req-1"));
    assert!(err.body.contains("NOT_FOUND"));
    assert!(err.headers.iter().all(|(name, _)| name != "set-cookie"));
    assert_eq!(
        err.to_string(),
        "[404 NOT_FOUND] Index missing not found. (request_id: req-1)"
    );

    let Error::Api(err) = list("proxy").await else {
        panic!()
    };
    assert_eq!((err.status, err.code.as_deref()), (502, None));
    assert_eq!(err.message, "Bad Gateway");
    assert_eq!(err.body, "<html><h1>502</h1></html>");

    let Error::Api(err) = list("empty").await else {
        panic!()
    };
    assert_eq!(
        (err.status, err.message.as_str(), err.body.as_str()),
        (503, "Service Unavailable", "")
    );
}

#[tokio::test]
async fn undecodable_success_bodies() {
    let (url, _) = server(|head| {
        if head.contains("/indexes/html/") {
            response("200 OK", &[], "<html>captive portal</html>")
        } else {
            response(
                "200 OK",
                &["x-request-id: r2"],
                r#"{"data":[{"backup_id":"b"}]}"#,
            )
        }
    })
    .await;
    let client = client(&url);
    for (name, reason) in [
        ("html", "expected value"),
        ("partial", "data[0]: missing field"),
    ] {
        let request = ListIndexBackups::new(name).unwrap();
        match client.list_index_backups(&request).await {
            Err(Error::Decode(err)) => {
                assert_eq!(err.status, 200);
                assert!(err.reason.contains(reason), "{}", err.reason);
                assert!(!err.snippet.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused() {
    let big = format!(r#"{{"data":[],"padding":"{}"}}"#, "x".repeat(10_000));
    let (url, _) = server(move |_| response("200 OK", &[], &big)).await;
    let client = client_with(&url, |b| b.max_response_bytes(1_000));
    let request = ListIndexBackups::new("x").unwrap();
    match client.list_index_backups(&request).await {
        Err(Error::Decode(err)) => {
            assert!(err.reason.contains("exceeds the limit"), "{}", err.reason);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn redirects_are_not_followed_and_echoed_keys_are_redacted() {
    let (url, mut heads) = server(|_| {
        response(
            "307 Temporary Redirect",
            &["location: http://evil.example/steal"],
            &format!(r#"{{"error":{{"code":"UNKNOWN","message":"bad key {KEY}"}},"status":307}}"#),
        )
    })
    .await;
    let client = client(&url);
    let request = ListIndexBackups::new("x").unwrap();
    let Error::Api(err) = client.list_index_backups(&request).await.unwrap_err() else {
        panic!()
    };
    assert_eq!(err.status, 307);
    assert!(!err.message.contains(KEY) && !err.body.contains(KEY));
    assert!(err.message.contains("[REDACTED]"));
    heads.recv().await.unwrap();
    assert!(heads.try_recv().is_err(), "the redirect was not followed");
}

#[tokio::test]
async fn connection_failures_and_timeouts() {
    // Connection refused: bind a port, then free it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let request = ListIndexBackups::new("x").unwrap();
    match client(&url).list_index_backups(&request).await {
        Err(Error::Connection(failure)) => {
            assert!(failure.message.contains("could not connect"), "{failure}");
            assert!(failure.before_sending);
            assert!(!failure.message.contains(KEY));
        }
        other => panic!("{other:?}"),
    }

    // A server that reads the request and never answers.
    let (url, _) = server(|_| Reply::Never).await;
    let slow = client_with(&url, |b| b.timeout(Some(Duration::from_millis(300))));
    let started = Instant::now();
    match slow.list_index_backups(&request).await {
        Err(Error::Timeout(failure)) => assert!(failure.message.contains("timed out"), "{failure}"),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(3));

    // A server that hangs up without answering.
    let (url, _) = server(|_| Reply::HangUp).await;
    match client(&url).list_index_backups(&request).await {
        Err(Error::Connection(_)) => {}
        other => panic!("{other:?}"),
    }
}

/// Records the retry events of a client.
fn recording(
    url: &str,
    policy: RetryPolicy,
    tweak: impl FnOnce(pinecone_backups_core::ConfigBuilder) -> pinecone_backups_core::ConfigBuilder,
) -> (Client, Arc<Mutex<Vec<RetryEvent>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let client = client_with(url, |b| {
        tweak(
            b.retry(policy)
                .on_retry(move |event| sink.lock().unwrap().push(event.clone())),
        )
    });
    (client, events)
}

#[tokio::test]
async fn a_503_then_a_200_is_retried_once() {
    let count = Arc::new(Mutex::new(0));
    let seen = count.clone();
    let (url, _) = server(move |_| {
        let mut n = seen.lock().unwrap();
        *n += 1;
        if *n == 1 {
            response(
                "503 Service Unavailable",
                &[],
                r#"{"error":{"code":"UNAVAILABLE","message":"busy"},"status":503}"#,
            )
        } else {
            response("200 OK", &[], PAGE)
        }
    })
    .await;
    let (client, events) = recording(&url, fast_retries(3), |b| b);
    let request = ListIndexBackups::new("x").unwrap();
    let page = client.list_index_backups(&request).await.unwrap();
    assert_eq!(page.data.len(), 1);
    assert_eq!(*count.lock().unwrap(), 2);
    let events = events.lock().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].attempt, events[0].max_attempts), (1, 4));
    assert_eq!(events[0].path, "/indexes/x/backups");
    assert!(
        events[0].reason.starts_with("[503 UNAVAILABLE] busy"),
        "{}",
        events[0].reason
    );
    assert!(events[0].delay <= Duration::from_millis(1));
}

#[tokio::test]
async fn retry_after_is_honoured_and_attempts_are_counted() {
    let (url, mut heads) = server(|_| {
        response(
            "429 Too Many Requests",
            &["retry-after: 0"],
            r#"{"error":{"code":"RESOURCE_EXHAUSTED","message":"slow down"},"status":429}"#,
        )
    })
    .await;
    let (client, events) = recording(&url, fast_retries(2), |b| b);
    let request = ListIndexBackups::new("x").unwrap();
    let Error::Api(err) = client.list_index_backups(&request).await.unwrap_err() else {
        panic!()
    };
    assert_eq!((err.status, err.attempts), (429, 3));
    assert!(err.to_string().ends_with("(after 3 attempts)"), "{err}");
    let delays: Vec<Duration> = events.lock().unwrap().iter().map(|e| e.delay).collect();
    assert_eq!(delays, [Duration::ZERO; 2]);
    for _ in 0..3 {
        heads.recv().await.unwrap();
    }
}

#[tokio::test]
async fn statuses_outside_the_policy_are_not_retried() {
    let (url, mut heads) = server(|_| {
        response(
            "404 Not Found",
            &[],
            r#"{"error":{"code":"NOT_FOUND","message":"no"},"status":404}"#,
        )
    })
    .await;
    let (client, events) = recording(&url, fast_retries(3), |b| b);
    let request = ListIndexBackups::new("x").unwrap();
    let err = client.list_index_backups(&request).await.unwrap_err();
    assert_eq!(err.attempts(), 1);
    assert!(events.lock().unwrap().is_empty());
    heads.recv().await.unwrap();
    assert!(heads.try_recv().is_err());
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported_with_the_count() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let (client, events) = recording(&url, fast_retries(2), |b| b);
    let request = ListIndexBackups::new("x").unwrap();
    match client.list_index_backups(&request).await {
        Err(Error::Connection(failure)) => {
            assert_eq!(failure.attempts, 3);
            assert!(failure.to_string().ends_with("(after 3 attempts)"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(events.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn the_deadline_bounds_the_whole_call() {
    let (url, _) = server(|_| Reply::Never).await;
    let (client, _) = recording(&url, fast_retries(10), |b| {
        b.timeout(Some(Duration::from_millis(100)))
            .deadline(Some(Duration::from_millis(350)))
    });
    let request = ListIndexBackups::new("x").unwrap();
    let started = Instant::now();
    let err = client.list_index_backups(&request).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(err.attempts() >= 2, "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn closing_the_client_ends_calls_in_flight() {
    let (url, _heads) = server(|_| Reply::Never).await;
    let client = client_with(&url, |b| b.timeout(None));
    let call = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .describe_backup(&DescribeBackup::new("b").unwrap())
                .await
        }
    });
    let scoped = client.scoped();
    let scoped_call = tokio::spawn({
        let scoped = scoped.clone();
        async move {
            scoped
                .describe_backup(&DescribeBackup::new("c").unwrap())
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Closing a scope closes only its own calls.
    scoped.close();
    let started = Instant::now();
    assert!(matches!(scoped_call.await.unwrap(), Err(Error::Closed)));
    assert!(!call.is_finished() && !client.is_closed());
    client.close();
    assert!(matches!(call.await.unwrap(), Err(Error::Closed)));
    assert!(started.elapsed() < Duration::from_secs(2));
    // Later calls end at once, without a request.
    assert!(matches!(
        client
            .describe_backup(&DescribeBackup::new("d").unwrap())
            .await,
        Err(Error::Closed)
    ));
    assert!(client.scoped().is_closed());
}

#[tokio::test]
async fn a_call_deadline_bounds_retries_and_hangs() {
    let (url, _heads) = server(|_| Reply::Never).await;
    let client = client_with(&url, |b| b.timeout(None));
    let started = Instant::now();
    let bounded = client.with_deadline(tokio::time::Instant::now() + Duration::from_millis(300));
    match bounded
        .describe_backup(&DescribeBackup::new("b").unwrap())
        .await
    {
        Err(Error::Timeout(failure)) => assert!(failure.message.contains("deadline")),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
    // 429 with a long Retry-After: the retry's wait does not fit, the 429 is returned.
    let (url, _heads) =
        server(|_| response("429 Too Many Requests", &["retry-after: 20"], "{}")).await;
    let client = client_with(&url, |b| b.retry(fast_retries(3)));
    let started = Instant::now();
    let bounded = client.with_deadline(tokio::time::Instant::now() + Duration::from_secs(1));
    match bounded
        .describe_backup(&DescribeBackup::new("b").unwrap())
        .await
    {
        Err(Error::Api(api)) => assert_eq!(api.status, 429),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_fresh_connection_closed_without_an_answer_is_not_sent_again() {
    let (url, mut heads) = server(|_| Reply::HangUp).await;
    let client = client(&url);
    assert!(matches!(
        client
            .describe_backup(&DescribeBackup::new("b").unwrap())
            .await,
        Err(Error::Connection(_))
    ));
    assert!(client
        .delete_backup(&DeleteBackup::new("b").unwrap())
        .await
        .is_err());
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut count = 0;
    while heads.try_recv().is_ok() {
        count += 1;
    }
    assert_eq!(count, 2, "one GET and one DELETE, each sent once");
}

#[tokio::test]
async fn a_delete_answered_2xx_succeeds_whatever_its_body() {
    for reply in [
        "HTTP/1.1 202 Accepted\r\ncontent-encoding: gzip\r\ncontent-length: 9\r\n\r\nnot gzip!",
        "HTTP/1.1 202 Accepted\r\ncontent-length: 999999999\r\n\r\n{}",
        "HTTP/1.1 202 Accepted\r\ncontent-length: 100\r\n\r\ncut short",
    ] {
        let (url, _heads) = server(move |_| Reply::Send(reply.as_bytes().to_vec())).await;
        let client = client_with(&url, |b| b.max_response_bytes(1024));
        client
            .delete_backup(&DeleteBackup::new("b").unwrap())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_hung_first_request_holds_the_others_only_briefly() {
    let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (url, _heads) = server({
        let calls = calls.clone();
        move |_| {
            if calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                Reply::Never
            } else {
                response("200 OK", &[], PAGE)
            }
        }
    })
    .await;
    let client = client_with(&url, |b| b.timeout(Some(Duration::from_secs(30))));
    let hung = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .describe_backup(&DescribeBackup::new("hung").unwrap())
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    let request = ListIndexBackups::new("a").unwrap();
    let quick =
        futures_util::future::join_all((0..10).map(|_| client.list_index_backups(&request))).await;
    assert!(quick.iter().all(Result::is_ok));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    hung.abort();
    // The wait for a turn counts in each call's timeout.
    let (url, _heads) = server(|_| Reply::Never).await;
    let client = client_with(&url, |b| b.timeout(Some(Duration::from_millis(1500))));
    let started = Instant::now();
    let describe = DescribeBackup::new("b").unwrap();
    let calls =
        futures_util::future::join_all((0..5).map(|_| client.describe_backup(&describe))).await;
    assert!(calls.iter().all(|r| matches!(r, Err(Error::Timeout(_)))));
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}
