//! A pure-Rust client for Pinecone's control-plane backup API (API version 2025-10): backups
//! (list, create, describe, delete), restores into new indexes, and restore jobs.
//!
//! - [`Config`]: the API key, host, version, timeout and headers, with environment fallbacks.
//! - [`Client`]: a pooled HTTP client (reqwest, rustls) with one method per operation;
//!   [`Client::iter`] streams every item of a list.
//! - [`Backup`], [`RestoreJob`], [`CreateIndexFromBackupResponse`], [`Page`]: the spec's models,
//!   each declared once in [`for_each_model!`], decoded leniently where the API is loose
//!   (`"pagination": null`, missing optional fields, unknown fields, huge integers) and
//!   re-serialized with the values as received.
//! - [`Error`]: configuration and argument errors (raised before any request), [`ApiError`]s that
//!   keep the status, `error.code` and raw body, [`DecodeError`]s, connection errors, timeouts.
//! - [`Pager`], [`Walk`]: the pagination rules as a state machine without I/O, and the one loop
//!   that drives it, for every front end.
//!
//! This crate does not depend on Python; the `pinecone-backups` Python package is a thin binding
//! over it.

mod client;
mod config;
mod connections;
mod error;
#[doc(hidden)]
pub mod field;
mod json;
mod models;
#[doc(hidden)]
pub mod page;
mod pager;
mod redact;
mod request;
mod timestamp;
mod tls;

pub use client::{Client, Decode};
pub use config::{
    ApiKey, Config, ConfigBuilder, ExchangeEvent, ExchangeObserver, ProxyRoute, RetryEvent,
    RetryObserver, RetryPolicy, API_VERSION, DEFAULT_CONNECT_TIMEOUT, DEFAULT_HOST,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, ENV_ADDITIONAL_HEADERS, ENV_API_KEY, ENV_HOST,
    TCP_KEEPALIVE, VERSION,
};
pub use error::{
    ApiError, ConfigError, Cycle, DecodeError, Error, ErrorCode, InvalidArgument, Result,
    TransportError, MAX_ERROR_BODY, MAX_SNIPPET, MAYBE_PROCESSED_NOTE,
};
pub use field::{Field, FieldValue, RawTimestamp, Shared};
pub use json::{Float, Int, RawJson, Tags, MAX_JSON_DEPTH};
pub use models::{Backup, CreateIndexFromBackupResponse, RestoreJob};
pub use page::{BackupList, JsonError, Page, Pagination, RestoreJobList};
pub use pager::{Item, IterOptions, Pager, Step, Walk};
pub use redact::REDACTED;
pub use request::{
    validate_id, validate_index_name, validate_page_size, CreateBackup, CreateIndexFromBackup,
    ListRequest, Listing, MAX_BACKUP_NAME_LENGTH, MAX_ID_LENGTH, MAX_INDEX_NAME_LENGTH,
    MAX_PAGE_SIZE,
};
pub use timestamp::Timestamp;

/// The names of [`Backup`]'s fields: the required ones, then the optional ones.
pub const BACKUP_FIELDS: &[&str] = Backup::FIELDS;
