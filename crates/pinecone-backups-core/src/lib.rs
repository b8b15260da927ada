//! A pure-Rust client for Pinecone's control-plane backup API (API version 2025-10), centred on
//! `GET /indexes/{index_name}/backups` (`list_index_backups`).
//!
//! - [`Config`]: the API key, host, version, timeout and headers, with environment fallbacks.
//! - [`Client`]: a pooled HTTP client (reqwest, rustls); [`Client::list_index_backups`] fetches one
//!   page, [`Client::iter_index_backups`] streams every backup of an index.
//! - [`Backup`], [`BackupList`]: the spec's models, decoded leniently where the API is loose
//!   (`"pagination": null`, missing optional fields, unknown fields, huge integers) and
//!   re-serialized exactly as received.
//! - [`Error`]: configuration and argument errors (raised before any request), [`ApiError`]s that
//!   keep the status, `error.code` and raw body, [`DecodeError`]s, connection errors, timeouts.
//! - [`Pager`]: the pagination rules as a state machine without I/O, for other front ends.
//!
//! This crate does not depend on Python; the `pinecone-backups` Python package is a thin binding
//! over it.

mod client;
mod config;
mod error;
mod model;
mod pager;
mod request;
mod timestamp;
mod tls;

pub use client::Client;
pub use config::{
    ApiKey, Config, ConfigBuilder, RetryEvent, RetryObserver, RetryPolicy, API_VERSION,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_HOST, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT,
    ENV_ADDITIONAL_HEADERS, ENV_API_KEY, ENV_HOST, TCP_KEEPALIVE, VERSION,
};
pub use error::{
    ApiError, DecodeError, Error, ErrorCode, InvalidArgument, Result, TransportError,
    MAX_ERROR_BODY, MAX_SNIPPET,
};
pub use model::{
    Backup, BackupList, Field, Int, Pagination, RawJson, Tags, BACKUP_FIELDS, MAX_JSON_DEPTH,
};
pub use pager::{IterOptions, Pager, Step};
pub use request::{validate_index_name, validate_page_size, ListRequest, MAX_PAGE_SIZE};
pub use timestamp::Timestamp;
