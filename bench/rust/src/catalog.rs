//! The catalog both bench servers serve: one index of N backups with realistic fields, pages of
//! any size as complete HTTP/1.1 responses built once, and the routing of
//! `GET /indexes/{index_name}/backups`. Included by `bench-server` and `bench-net-server` with
//! `#[path = "../catalog.rs"] mod catalog;`.
//!
//! The backups are written as API 2025-10 writes them, or, to a request whose
//! `X-Pinecone-Api-Version` is `2026-07`, as 2026-07 writes the same backups ([`to_2026_07`]).

#![allow(dead_code)] // each binary uses its part

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Complete responses by (shape, offset, page size).
type PageCache = RwLock<HashMap<(Shape, usize, usize), Arc<Vec<u8>>>>;

/// How a version of the API writes a backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// 2025-10 (and 2026-04): `dimension`, `metric`, a `schema` of metadata fields,
    /// `Pending`/`Ready`.
    Untyped,
    /// 2026-07: no `dimension` or `metric`, a typed `IndexSchema`,
    /// `Initializing`/`Ready`/`InitializationFailed`.
    Typed,
}

impl Shape {
    /// The shape of the version a request names (`X-Pinecone-Api-Version`).
    pub fn of_version(version: &str) -> Shape {
        if version.trim() == "2026-07" {
            Shape::Typed
        } else {
            Shape::Untyped
        }
    }
}

pub struct Catalog {
    pub index: String,
    /// The backups as API 2025-10 writes them (JSON texts, newest first).
    pub backups: Vec<String>,
    /// The same backups as API 2026-07 writes them.
    pub typed_backups: Vec<String>,
    pages: PageCache,
}

/// A deterministic generator, so every run serves the same data.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 16
    }

    pub fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            b >> 52,
            b & 0xffff_ffff_ffff
        )
    }
}

impl Catalog {
    pub fn new(index: &str, count: usize) -> Catalog {
        let mut rng = Lcg(20_251_129);
        let index_id = rng.uuid();
        let backups = (0..count)
            .map(|i| {
                let day = count - i; // newest first
                serde_json::json!({
                    "backup_id": rng.uuid(),
                    "source_index_name": index,
                    "source_index_id": index_id,
                    "status": if i % 17 == 0 { "Pending" } else { "Ready" },
                    "cloud": "aws",
                    "region": "us-east-1",
                    "name": format!("{index}-nightly-{day:05}"),
                    "description": format!("Scheduled nightly backup #{day}"),
                    "dimension": 1536,
                    "metric": "cosine",
                    "schema": {"fields": {"genre": {"filterable": true}, "year": {"filterable": true}}},
                    "record_count": 100_000 + (rng.next() % 900_000),
                    "namespace_count": 1 + rng.next() % 8,
                    "size_bytes": 50_000_000 + rng.next() % 950_000_000,
                    "tags": {"environment": "production", "team": "search"},
                    "created_at": format!(
                        "20{:02}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
                        10 + (day / 336) % 80,
                        1 + (day / 28) % 12,
                        1 + day % 28,
                        rng.next() % 24,
                        rng.next() % 60,
                        rng.next() % 60,
                        rng.next() % 1_000_000
                    ),
                })
            })
            .collect::<Vec<_>>();
        Catalog::from_values(index, &backups)
    }

    /// A catalog of the given backups (as API 2025-10 writes them, newest first) of `index`.
    pub fn from_values(index: &str, values: &[serde_json::Value]) -> Catalog {
        let (backups, typed_backups) = values
            .iter()
            .map(|value| (value.to_string(), to_2026_07(value).to_string()))
            .unzip();
        Catalog {
            index: index.to_owned(),
            backups,
            typed_backups,
            pages: RwLock::new(HashMap::new()),
        }
    }

    /// The complete response (head and body) for a page, built once. The `pagination` is the
    /// same in both shapes: `{"next": ...}`, `null` on the last page (2026-07's nullable inline
    /// object).
    pub fn page(&self, shape: Shape, offset: usize, size: usize) -> Arc<Vec<u8>> {
        if let Some(page) = self.pages.read().unwrap().get(&(shape, offset, size)) {
            return page.clone();
        }
        let backups = match shape {
            Shape::Untyped => &self.backups,
            Shape::Typed => &self.typed_backups,
        };
        let end = (offset + size).min(backups.len());
        let mut body = String::from("{\"data\":[");
        body.push_str(&backups[offset.min(end)..end].join(","));
        body.push_str("],\"pagination\":");
        if end < backups.len() {
            body.push_str(&format!("{{\"next\":\"b{end}x{size}==\"}}}}"));
        } else {
            body.push_str("null}");
        }
        let page = Arc::new(response(200, &body));
        self.pages
            .write()
            .unwrap()
            .insert((shape, offset, size), page.clone());
        page
    }
}

/// A 2025-10 backup as API 2026-07 writes the same backup: `dimension` and `metric` become the
/// `embedding` field (`dense_vector`) of an `IndexSchema`, beside the metadata fields, each with
/// its type ([`metadata_type`]); `Pending` is `Initializing` and `Failed`
/// `InitializationFailed`. Every other field stays as it is, in its place.
pub fn to_2026_07(backup: &serde_json::Value) -> serde_json::Value {
    let mut typed = serde_json::Map::new();
    for (key, value) in backup.as_object().expect("a backup is an object") {
        match key.as_str() {
            "dimension" | "metric" => {}
            "status" => {
                let status = match value.as_str().expect("a status is a string") {
                    "Pending" | "Initializing" => "Initializing",
                    "Failed" | "InitializationFailed" => "InitializationFailed",
                    "Ready" => "Ready",
                    other => panic!("no 2026-07 status for {other:?}"),
                };
                typed.insert(key.clone(), status.into());
            }
            "schema" => {
                let mut fields = serde_json::Map::new();
                fields.insert(
                    "embedding".into(),
                    serde_json::json!({
                        "type": "dense_vector",
                        "dimension": backup["dimension"],
                        "metric": backup["metric"],
                    }),
                );
                for (name, field) in value["fields"].as_object().expect("schema.fields") {
                    let mut field = field.as_object().expect("a field is an object").clone();
                    field.shift_insert(0, "type".into(), metadata_type(name).into());
                    fields.insert(name.clone(), field.into());
                }
                typed.insert(key.clone(), serde_json::json!({ "fields": fields }));
            }
            _ => {
                typed.insert(key.clone(), value.clone());
            }
        }
    }
    typed.into()
}

/// The type of a metadata field of the catalog in a 2026-07 `IndexSchema`.
pub fn metadata_type(name: &str) -> &'static str {
    match name {
        "genre" => "string",
        "year" => "float",
        other => panic!("no type known for the metadata field {other:?}"),
    }
}

pub fn response(status: u16, body: &str) -> Vec<u8> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        _ => "Error",
    };
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         x-pinecone-request-id: bench\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

pub fn error(status: u16, code: &str, message: &str) -> Arc<Vec<u8>> {
    let body = serde_json::json!({"error": {"code": code, "message": message}, "status": status});
    Arc::new(response(status, &body.to_string()))
}

pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(value) => {
                out.push(value);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn handle(head: &str, catalog: &Catalog) -> Arc<Vec<u8>> {
    let mut lines = head.split("\r\n");
    let target = lines
        .next()
        .and_then(|line| line.strip_prefix("GET "))
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or("");
    let header = |name: &str| {
        head.split("\r\n").skip(1).find_map(|line| {
            line.split_once(':')
                .filter(|(n, _)| n.trim().eq_ignore_ascii_case(name))
                .map(|(_, value)| value.trim())
        })
    };
    if header("api-key").is_none() {
        return error(401, "UNAUTHENTICATED", "Invalid API key.");
    }
    let Some(version) = header("x-pinecone-api-version") else {
        return error(400, "INVALID_ARGUMENT", "Missing X-Pinecone-Api-Version.");
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let Some(index) = path
        .strip_prefix("/indexes/")
        .and_then(|rest| rest.strip_suffix("/backups"))
    else {
        return error(404, "NOT_FOUND", "Not found.");
    };
    if percent_decode(index) != catalog.index {
        return error(404, "NOT_FOUND", &format!("Index {index} not found."));
    }
    page_for_query(catalog, version, query)
}

/// The page a list request's query asks for (`limit`, `paginationToken`), in the shape of API
/// `version`.
pub fn page_for_query(catalog: &Catalog, version: &str, query: &str) -> Arc<Vec<u8>> {
    let mut offset = 0;
    let mut size = 10;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "limit" => match value.parse::<usize>() {
                Ok(limit @ 1..=100) => size = limit,
                _ => return error(400, "INVALID_ARGUMENT", "limit must be in 1..100."),
            },
            "paginationToken" => {
                let token = percent_decode(value);
                let parsed = token
                    .strip_prefix('b')
                    .and_then(|t| t.strip_suffix("=="))
                    .and_then(|t| t.split_once('x'))
                    .and_then(|(o, s)| Some((o.parse().ok()?, s.parse().ok()?)));
                match parsed {
                    Some((o, s)) => (offset, size) = (o, s),
                    None => return error(400, "INVALID_ARGUMENT", "Invalid pagination token."),
                }
            }
            _ => {}
        }
    }
    catalog.page(Shape::of_version(version), offset, size)
}
