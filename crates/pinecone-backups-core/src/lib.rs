//! A pure-Rust client for Pinecone's control-plane backup API (API versions 2025-10, 2026-04 and
//! 2026-07): backups (list, create, describe, delete), restores into new indexes, restore jobs,
//! backup schedules (2026-07), and the indexes themselves (read only).
//!
//! - [`Config`]: the API key, host, version, timeout and headers, with environment fallbacks.
//! - [`operations`]: every operation declared once ([`for_each_operation!`]), expanded into an
//!   argument struct each ([`ListIndexBackups`]...), a [`Client`] method each, and
//!   [`OPERATIONS`] (the table as data); [`args`]: the arguments, each validated once.
//! - [`Client`]: runs operations through the [`transport`] (one reqwest pool: retries, timeouts,
//!   deadlines, redaction, typed errors); closing it ends the calls in flight.
//! - [`Backup`], [`RestoreJob`], [`CreateIndexFromBackupResponse`], [`Page`]: the spec's models,
//!   each declared once in [`for_each_model!`], decoded leniently where the API is loose
//!   (`"pagination": null`, missing optional fields, unknown fields, huge integers) and
//!   re-serialized with the values as received.
//! - [`Pager`] (the pagination rules as a state machine without I/O) and [`Walk`] (the one loop
//!   that drives it with a client, for every front end).
//! - [`Error`]: configuration and argument errors (raised before any request), [`ApiError`]s that
//!   keep the status, `error.code` and raw body, [`DecodeError`]s, connection errors, timeouts.
//!
//! This crate does not depend on Python; the `pinecone-backups` Python package is a thin binding
//! over it.

pub mod args;
mod client;
mod config;
mod error;
#[doc(hidden)]
pub mod field;
mod index;
mod json;
mod methods;
mod models;
pub mod operations;
#[doc(hidden)]
pub mod page;
mod pager;
mod timestamp;
#[doc(hidden)]
pub mod transport;
mod walk;
pub mod wire;

pub use client::Client;
pub use config::{
    ApiKey, Config, ConfigBuilder, ExchangeEvent, ExchangeObserver, ProxyRoute, RetryEvent,
    RetryObserver, RetryPolicy, API_VERSION, API_VERSIONS, DEFAULT_CONNECT_TIMEOUT, DEFAULT_HOST,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, ENV_ADDITIONAL_HEADERS,
    ENV_API_KEY, ENV_API_VERSION, ENV_HOST, TCP_KEEPALIVE, VERSION,
};
pub use error::{
    ApiError, ConfigError, Cycle, DecodeError, Error, InvalidArgument, JsonError, Result,
    TransportError, MAX_ERROR_BODY, MAX_SNIPPET, MAYBE_PROCESSED_NOTE,
};
pub use field::{Field, FieldValue, RawTimestamp, Shared};
pub use index::IndexList;
pub use json::{Float, Int, RawJson, Tags, MAX_JSON_DEPTH};
pub use models::Item;
pub use models::{
    Backup, BackupSchedule, BackupScheduleHistoryItem, CreateIndexFromBackupResponse, Index,
    RestoreJob,
};
// Every operation's argument struct (`ListIndexBackups`...), `Operation`, `OPERATIONS`.
pub use operations::*;
pub use page::{
    BackupList, BackupScheduleHistoryList, BackupScheduleList, Page, Pagination, RestoreJobList,
};
pub use pager::{IterOptions, Pager, Step};
pub use timestamp::Timestamp;
pub use transport::redact::REDACTED;
pub use walk::Walk;
pub use wire::{Decode, Method, NoContent, OperationInfo, ParamInfo, Place, Repeat, Request};
