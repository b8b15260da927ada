//! A fast local server of `GET /indexes/{index_name}/backups` for benchmarks: one index of N
//! backups with realistic fields, pages of any size served from a cache of complete responses,
//! HTTP/1.1 keep-alive, on all cores. It is meant not to be the bottleneck, not to be an
//! emulator: the tests use `pinecone_backups.testing.Emulator`.
//!
//! ```text
//! bench-server [--port P] [--backups N] [--index NAME] [--delay-ms MS]
//! ```
//! Prints `http://127.0.0.1:PORT` on stdout once listening. Tokens look like `b{offset}x{size}==`.
//! `--delay-ms` waits that long before each answer, as a network would (for the workloads where
//! calls wait on the network rather than on the CPU). A request sent with
//! `X-Pinecone-Api-Version: 2026-07` gets the same backups as API 2026-07 writes them.

#[path = "../catalog.rs"]
mod catalog;

use std::sync::Arc;
use std::time::Duration;

use catalog::{handle, Catalog, Shape};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn serve(mut socket: TcpStream, catalog: Arc<Catalog>, delay: Duration) {
    let _ = socket.set_nodelay(true);
    let mut buffer: Vec<u8> = Vec::with_capacity(8192);
    loop {
        let end = loop {
            if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break end;
            }
            match socket.read_buf(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        };
        let reply = handle(&String::from_utf8_lossy(&buffer[..end]), &catalog);
        buffer.drain(..end + 4);
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        if socket.write_all(&reply).await.is_err() {
            return;
        }
    }
}

#[tokio::main]
async fn main() {
    let mut port = 0u16;
    let mut count = 10_000usize;
    let mut index = "bench-index".to_owned();
    let mut delay = Duration::ZERO;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_default();
        match arg.as_str() {
            "--port" => port = value.parse().expect("--port takes a number"),
            "--backups" => count = value.parse().expect("--backups takes a number"),
            "--index" => index = value,
            "--delay-ms" => {
                delay = Duration::from_millis(value.parse().expect("--delay-ms takes a number"));
            }
            other => panic!("unknown argument {other}"),
        }
    }
    let catalog = Arc::new(Catalog::new(&index, count));
    for shape in [Shape::Untyped, Shape::Typed] {
        for size in [10, 100] {
            let mut offset = 0;
            while offset < count {
                catalog.page(shape, offset, size);
                offset += size;
            }
        }
    }
    let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind");
    println!("http://{}", listener.local_addr().expect("address"));
    loop {
        if let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(serve(socket, catalog.clone(), delay));
        }
    }
}
