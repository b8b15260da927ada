use pinecone_backups_core::{Client, Config, ListRequest};
use std::time::Instant;
fn main() {
    let t0 = Instant::now();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let t1 = Instant::now();
    let config = Config::builder()
        .api_key("k")
        .host("http://127.0.0.1:18080")
        .ignore_env()
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let t2 = Instant::now();
    let req = ListRequest::new("bench-index", Some(10), None).unwrap();
    rt.block_on(client.list_index_backups(&req)).unwrap();
    let t3 = Instant::now();
    rt.block_on(client.list_index_backups(&req)).unwrap();
    let t4 = Instant::now();
    println!(
        "runtime {:?} client {:?} first {:?} second {:?}",
        t1 - t0,
        t2 - t1,
        t3 - t2,
        t4 - t3
    );
}
