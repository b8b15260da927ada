//! `Client` and `AsyncClient`: one declaration of their options and operations
//! ([`client_class!`]) expanded into both classes; the sync class blocks on the shared runtime
//! with the GIL released, the async one returns coroutine objects. The core does the work.

use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use pinecone_backups_core as core;
use pinecone_backups_core::{IterOptions, ListRequest, Listing, Pager};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyString};

use crate::aio::{ready, spawn, Call, Outcome};
use crate::convert::{opt_i64, opt_str, opt_str_dict, req_str};
use crate::errors::{wrong_type, ClientClosedError, CoreResultExt};
use crate::iter::{
    AsyncBackupIterator, AsyncRestoreJobIterator, BackupIterator, RestoreJobIterator,
};
use crate::models::IntoPyModel;
use crate::options::{ClientArgs, RetryLogging, TimeoutArg};
use crate::runtime;

/// What a client needs to make requests; shared by the client and its iterators.
pub struct ClientCore {
    config: core::Config,
    state: Mutex<State>,
}

enum State {
    /// No request made yet in this process.
    Idle,
    /// The connection pool, and the process it belongs to.
    Ready {
        pid: u32,
        http: core::Client,
    },
    Closed,
}

impl ClientCore {
    pub fn new(config: core::Config) -> ClientCore {
        ClientCore {
            config,
            state: Mutex::new(State::Idle),
        }
    }

    pub fn config(&self) -> &core::Config {
        &self.config
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The connection pool, built on first use, and rebuilt in a forked child: the child's copy
    /// of the parent's pool belongs to the parent's runtime.
    pub fn http(&self, py: Python<'_>) -> PyResult<core::Client> {
        crate::options::refresh_exchange_logging(py)?;
        let pid = std::process::id();
        let mut state = self.lock();
        match &*state {
            State::Ready { pid: owner, http } if *owner == pid => return Ok(http.clone()),
            State::Closed => return Err(closed_error()),
            State::Idle | State::Ready { .. } => {}
        }
        let http = core::Client::new(self.config.clone()).or_raise(py)?;
        let fresh = State::Ready {
            pid,
            http: http.clone(),
        };
        if let State::Ready { http: parents, .. } = std::mem::replace(&mut *state, fresh) {
            // Dropping the parent's pool would touch the parent's runtime: leak it.
            std::mem::forget(parents);
        }
        Ok(http)
    }

    /// Closes the connection pool: calls in flight end at once, and later calls, with
    /// `ClientClosedError`.
    pub fn close(&self) {
        if let State::Ready { pid, http } = std::mem::replace(&mut *self.lock(), State::Closed) {
            if pid == std::process::id() {
                http.close();
            } else {
                std::mem::forget(http);
            }
        }
    }

    /// A client over this one's connections, made by `derive` from its HTTP client (a scope of
    /// its own, a deadline). In a process forked afterwards it starts afresh from the
    /// configuration, without what `derive` added.
    pub fn derive(
        &self,
        py: Python<'_>,
        derive: impl FnOnce(&core::Client) -> core::Client,
    ) -> PyResult<ClientCore> {
        let http = derive(&self.http(py)?);
        Ok(ClientCore {
            config: self.config.clone(),
            state: Mutex::new(State::Ready {
                pid: std::process::id(),
                http,
            }),
        })
    }

    pub fn is_closed(&self) -> bool {
        matches!(*self.lock(), State::Closed)
    }

    /// `ClientClosedError` once the client is closed (checked before a call is even started).
    pub fn check_open(&self) -> PyResult<()> {
        if self.is_closed() {
            return Err(closed_error());
        }
        Ok(())
    }

    /// `Client(host='...', api_version='...', api_key='...abcd')`.
    pub fn repr(&self, py: Python<'_>, class_name: &str) -> PyResult<String> {
        let quote =
            |text: &str| -> PyResult<String> { Ok(PyString::new(py, text).repr()?.to_string()) };
        let closed = if self.is_closed() {
            ", closed=True"
        } else {
            ""
        };
        Ok(format!(
            "{class_name}(host={}, api_version={}, api_key={}{closed})",
            quote(self.config.host())?,
            quote(self.config.api_version())?,
            quote(&self.config.api_key().masked())?,
        ))
    }
}

fn closed_error() -> PyErr {
    ClientClosedError::new_err("the client is closed: create a new client to make requests")
}

/// The listing of an index's backups, its name checked.
fn index_listing(py: Python<'_>, index_name: &Bound<'_, PyAny>) -> PyResult<Listing> {
    let name = req_str(index_name, "index_name")?;
    core::validate_index_name(&name).or_raise(py)?;
    Ok(Listing::IndexBackups(name))
}

/// Validated arguments of one page of a list.
pub fn list_request(
    py: Python<'_>,
    listing: Listing,
    limit: Option<&Bound<'_, PyAny>>,
    pagination_token: Option<&Bound<'_, PyAny>>,
) -> PyResult<ListRequest> {
    ListRequest::of(
        listing,
        opt_i64(limit, "limit", "between 1 and 100")?,
        opt_str(pagination_token, "pagination_token")?,
    )
    .or_raise(py)
}

/// Validated arguments of a walk over a list.
pub fn pager<T: core::Item>(
    py: Python<'_>,
    listing: Listing,
    page_size: Option<&Bound<'_, PyAny>>,
    max_items: Option<&Bound<'_, PyAny>>,
    pagination_token: Option<&Bound<'_, PyAny>>,
) -> PyResult<Pager<T>> {
    let options = IterOptions {
        page_size: opt_i64(page_size, "page_size", "between 1 and 100")?
            .unwrap_or(i64::from(core::MAX_PAGE_SIZE)),
        max_items: opt_i64(max_items, "max_items", "0 or more")?,
        pagination_token: opt_str(pagination_token, "pagination_token")?,
    };
    Pager::of(listing, options).or_raise(py)
}

/// An identifier argument (`backup_id`, `job_id`).
fn id_arg(py: Python<'_>, value: &Bound<'_, PyAny>, param: &'static str) -> PyResult<String> {
    let id = req_str(value, param)?;
    core::validate_id(&id, param).or_raise(py)?;
    Ok(id)
}

/// A `bool` argument, `False` when not given (nothing else is taken for one).
fn flag(value: Option<&Bound<'_, PyAny>>, param: &str) -> PyResult<bool> {
    match value {
        None => Ok(false),
        Some(value) => value
            .cast::<PyBool>()
            .map(pyo3::types::PyBoolMethods::is_true)
            .map_err(|_| wrong_type(param, "a bool", value)),
    }
}

/// Calls `pinecone_backups._wait.<function>(*args)`: the waits poll through the client's own
/// methods, in Python, so that progress callbacks, `time.sleep` and `asyncio.sleep` behave as
/// Python code expects (Ctrl-C, cancellation).
fn wait_helper<'py>(py: Python<'py>, function: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("pinecone_backups._wait")?.getattr(function)
}

impl Client {
    /// Runs one core call to completion, blocking with the GIL released (interruptible).
    fn run<'py, T, F, Fut>(&self, py: Python<'py>, call: F) -> PyResult<Bound<'py, PyAny>>
    where
        T: IntoPyModel,
        F: FnOnce(core::Client) -> Fut,
        Fut: Future<Output = core::Result<T>> + Send,
    {
        let http = self.core.http(py)?;
        runtime::block_on(py, call(http))?
            .or_raise(py)?
            .into_py_model(py)
    }

    /// `Client` over the module-level functions' default client.
    pub fn from_core(core: Arc<ClientCore>) -> Client {
        Client { core }
    }
}

impl AsyncClient {
    /// A coroutine object that runs one core call when awaited.
    fn run<'py, T, F, Fut>(&self, py: Python<'py>, call: F) -> PyResult<Bound<'py, PyAny>>
    where
        T: IntoPyModel,
        F: FnOnce(core::Client) -> Fut + Send + 'static,
        Fut: Future<Output = core::Result<T>> + Send + 'static,
    {
        self.core.check_open()?;
        let core = self.core.clone();
        let call = Call::new(Box::new(move |py| {
            let http = core.http(py)?;
            spawn(py, async move { Outcome(call(http).await) })
        }));
        Ok(Bound::new(py, call)?.into_any())
    }
}

/// The options, the operations and the plumbing of a client class, written once for
/// `Client` and `AsyncClient`. `$mode` names the `_wait` helpers (`sync` or `async`).
macro_rules! client_class {
    (
        $(#[$meta:meta])*
        $class:ident, logging = $logging:expr, mode = $mode:literal,
        backups = $backups:ident, restore_jobs = $jobs:ident,
        { $($extra:tt)* }
    ) => {
        $(#[$meta])*
        #[pyclass(frozen, module = "pinecone_backups")]
        pub struct $class {
            core: Arc<ClientCore>,
        }

        #[pymethods]
        impl $class {
            #[new]
            #[pyo3(
                signature = (
                    api_key=None, *, host=None, api_version=None, timeout=TimeoutArg::DEFAULT,
                    connect_timeout=None, deadline=None,
                    max_retries=None, retry=None, proxy=None, ca_certs=None,
                    max_response_bytes=None, additional_headers=None, source_tag=None
                ),
                text_signature = "(api_key=None, *, host=None, api_version='2025-10', timeout=30.0, connect_timeout=10.0, deadline=None, max_retries=3, retry=None, proxy=None, ca_certs=None, max_response_bytes=67108864, additional_headers=None, source_tag=None)"
            )]
            #[allow(clippy::too_many_arguments)]
            fn new(
                py: Python<'_>,
                api_key: Option<&Bound<'_, PyAny>>,
                host: Option<&Bound<'_, PyAny>>,
                api_version: Option<&Bound<'_, PyAny>>,
                timeout: TimeoutArg,
                connect_timeout: Option<&Bound<'_, PyAny>>,
                deadline: Option<&Bound<'_, PyAny>>,
                max_retries: Option<&Bound<'_, PyAny>>,
                retry: Option<&Bound<'_, PyAny>>,
                proxy: Option<&Bound<'_, PyAny>>,
                ca_certs: Option<&Bound<'_, PyAny>>,
                max_response_bytes: Option<&Bound<'_, PyAny>>,
                additional_headers: Option<&Bound<'_, PyAny>>,
                source_tag: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Self> {
                let args = ClientArgs {
                    api_key,
                    host,
                    api_version,
                    timeout,
                    connect_timeout,
                    deadline,
                    max_retries,
                    retry,
                    proxy,
                    ca_certs,
                    max_response_bytes,
                    additional_headers,
                    source_tag,
                };
                let config = args.build(py, $logging)?;
                Ok($class {
                    core: Arc::new(ClientCore::new(config)),
                })
            }

            /// One page of backups of an index (`limit`: 1..100, server default 10).
            #[pyo3(signature = (index_name, *, limit=None, pagination_token=None))]
            fn list_index_backups<'py>(
                &self,
                py: Python<'py>,
                index_name: &Bound<'py, PyAny>,
                limit: Option<&Bound<'py, PyAny>>,
                pagination_token: Option<&Bound<'py, PyAny>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let listing = index_listing(py, index_name)?;
                let request = list_request(py, listing, limit, pagination_token)?;
                self.run(py, move |http| async move { http.list_index_backups(&request).await })
            }

            /// Every backup of an index, newest first, fetched lazily `page_size` at a time.
            #[pyo3(
                signature = (index_name, *, page_size=None, max_items=None, pagination_token=None),
                text_signature = "($self, index_name, *, page_size=100, max_items=None, pagination_token=None)"
            )]
            fn iter_index_backups(
                &self,
                py: Python<'_>,
                index_name: &Bound<'_, PyAny>,
                page_size: Option<&Bound<'_, PyAny>>,
                max_items: Option<&Bound<'_, PyAny>>,
                pagination_token: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<$backups> {
                let listing = index_listing(py, index_name)?;
                let pager = pager(py, listing, page_size, max_items, pagination_token)?;
                Ok($backups::new(self.core.clone(), pager))
            }

            /// One page of the backups of every index of the project.
            #[pyo3(signature = (*, limit=None, pagination_token=None))]
            fn list_project_backups<'py>(
                &self,
                py: Python<'py>,
                limit: Option<&Bound<'py, PyAny>>,
                pagination_token: Option<&Bound<'py, PyAny>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let request = list_request(py, Listing::ProjectBackups, limit, pagination_token)?;
                self.run(py, move |http| async move {
                    http.list::<core::Backup>(&request).await
                })
            }

            /// Every backup of the project, fetched lazily `page_size` at a time.
            #[pyo3(
                signature = (*, page_size=None, max_items=None, pagination_token=None),
                text_signature = "($self, *, page_size=100, max_items=None, pagination_token=None)"
            )]
            fn iter_project_backups(
                &self,
                py: Python<'_>,
                page_size: Option<&Bound<'_, PyAny>>,
                max_items: Option<&Bound<'_, PyAny>>,
                pagination_token: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<$backups> {
                let listing = Listing::ProjectBackups;
                let pager = pager(py, listing, page_size, max_items, pagination_token)?;
                Ok($backups::new(self.core.clone(), pager))
            }

            /// One page of the restore jobs of the project.
            #[pyo3(signature = (*, limit=None, pagination_token=None))]
            fn list_restore_jobs<'py>(
                &self,
                py: Python<'py>,
                limit: Option<&Bound<'py, PyAny>>,
                pagination_token: Option<&Bound<'py, PyAny>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let request = list_request(py, Listing::RestoreJobs, limit, pagination_token)?;
                self.run(py, move |http| async move {
                    http.list::<core::RestoreJob>(&request).await
                })
            }

            /// Every restore job of the project (each once, even when the server repeats one
            /// on a later page), fetched lazily `page_size` at a time.
            #[pyo3(
                signature = (*, page_size=None, max_items=None, pagination_token=None),
                text_signature = "($self, *, page_size=100, max_items=None, pagination_token=None)"
            )]
            fn iter_restore_jobs(
                &self,
                py: Python<'_>,
                page_size: Option<&Bound<'_, PyAny>>,
                max_items: Option<&Bound<'_, PyAny>>,
                pagination_token: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<$jobs> {
                let listing = Listing::RestoreJobs;
                let pager = pager(py, listing, page_size, max_items, pagination_token)?;
                Ok($jobs::new(self.core.clone(), pager))
            }

            /// One backup.
            fn describe_backup<'py>(
                &self,
                py: Python<'py>,
                backup_id: &Bound<'py, PyAny>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let id = id_arg(py, backup_id, "backup_id")?;
                self.run(py, move |http| async move { http.describe_backup(&id).await })
            }

            /// One restore job.
            fn describe_restore_job<'py>(
                &self,
                py: Python<'py>,
                job_id: &Bound<'py, PyAny>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let id = id_arg(py, job_id, "job_id")?;
                self.run(py, move |http| async move { http.describe_restore_job(&id).await })
            }

            /// Starts a backup of an index (`Initializing` at first); with `wait=True`, waits
            /// until it is `Ready` and returns it then.
            #[pyo3(
                signature = (index_name, *, name=None, description=None, wait=None),
                text_signature = "($self, index_name, *, name=None, description=None, wait=False)"
            )]
            fn create_backup<'py>(
                slf: &Bound<'py, Self>,
                index_name: &Bound<'py, PyAny>,
                name: Option<&Bound<'py, PyAny>>,
                description: Option<&Bound<'py, PyAny>>,
                wait: Option<&Bound<'py, PyAny>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let wait = flag(wait, "wait")?;
                let py = slf.py();
                let index = req_str(index_name, "index_name")?;
                core::validate_index_name(&index).or_raise(py)?;
                let body = core::CreateBackup::new(
                    opt_str(name, "name")?,
                    opt_str(description, "description")?,
                )
                .or_raise(py)?;
                let created = slf.get().run(py, move |http| async move {
                    http.create_backup(&index, &body).await
                })?;
                if !wait {
                    return Ok(created);
                }
                wait_helper(py, concat!("created_", $mode))?.call1((slf, created))
            }

            /// Deletes a backup. `missing_ok=True` returns when there is no such backup.
            #[pyo3(
                signature = (backup_id, *, missing_ok=None),
                text_signature = "($self, backup_id, *, missing_ok=False)"
            )]
            fn delete_backup<'py>(
                &self,
                py: Python<'py>,
                backup_id: &Bound<'py, PyAny>,
                missing_ok: Option<&Bound<'py, PyAny>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let id = id_arg(py, backup_id, "backup_id")?;
                let missing_ok = flag(missing_ok, "missing_ok")?;
                self.run(py, move |http| async move {
                    http.delete_backup(&id, missing_ok).await
                })
            }

            /// Restores a backup into a new index `name`: returns the restore job's and the new
            /// index's ids at once (follow it with `wait_for_restore_job`).
            #[pyo3(signature = (backup_id, name, *, tags=None, deletion_protection=None))]
            fn create_index_from_backup<'py>(
                &self,
                py: Python<'py>,
                backup_id: &Bound<'py, PyAny>,
                name: &Bound<'py, PyAny>,
                tags: Option<&Bound<'py, PyAny>>,
                deletion_protection: Option<&Bound<'py, PyAny>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let id = id_arg(py, backup_id, "backup_id")?;
                let body = core::CreateIndexFromBackup::new(
                    req_str(name, "name")?,
                    opt_str_dict(tags, "tags")?,
                    opt_str(deletion_protection, "deletion_protection")?,
                )
                .or_raise(py)?;
                self.run(py, move |http| async move {
                    http.create_index_from_backup(&id, &body).await
                })
            }

            /// Polls a backup until it is `Ready` (returned) or failed (`BackupFailedError`);
            /// see the README for `timeout`, `poll_interval` and `on_progress`.
            #[pyo3(signature = (backup_id, *, timeout=None, poll_interval=None, on_progress=None))]
            fn wait_for_backup<'py>(
                slf: &Bound<'py, Self>,
                backup_id: &Bound<'py, PyAny>,
                timeout: Option<&Bound<'py, PyAny>>,
                poll_interval: Option<&Bound<'py, PyAny>>,
                on_progress: Option<&Bound<'py, PyAny>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let py = slf.py();
                let id = id_arg(py, backup_id, "backup_id")?;
                let (timeout, poll_interval, on_progress) =
                    wait_args(py, timeout, poll_interval, on_progress)?;
                wait_helper(py, concat!("wait_", $mode))?
                    .call1((slf, "backup", id, timeout, poll_interval, on_progress))
            }

            /// Polls a restore job until it is `Completed` (returned) or failed
            /// (`RestoreJobFailedError`); see `wait_for_backup`.
            #[pyo3(signature = (job_id, *, timeout=None, poll_interval=None, on_progress=None))]
            fn wait_for_restore_job<'py>(
                slf: &Bound<'py, Self>,
                job_id: &Bound<'py, PyAny>,
                timeout: Option<&Bound<'py, PyAny>>,
                poll_interval: Option<&Bound<'py, PyAny>>,
                on_progress: Option<&Bound<'py, PyAny>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let py = slf.py();
                let id = id_arg(py, job_id, "job_id")?;
                let (timeout, poll_interval, on_progress) =
                    wait_args(py, timeout, poll_interval, on_progress)?;
                wait_helper(py, concat!("wait_", $mode))?
                    .call1((slf, "restore_job", id, timeout, poll_interval, on_progress))
            }

            /// Deletes what a `PrunePlan` (from `pb.plan_prune`) plans to delete, `concurrency`
            /// at a time: a `PruneReport` (`.deleted`, `.skipped`, `.failed`).
            #[pyo3(
                signature = (plan, *, concurrency=None),
                text_signature = "($self, plan, *, concurrency=4)"
            )]
            fn prune<'py>(
                slf: &Bound<'py, Self>,
                plan: &Bound<'py, PyAny>,
                concurrency: Option<&Bound<'py, PyAny>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let py = slf.py();
                let concurrency = match concurrency.filter(|c| !c.is_none()) {
                    Some(value) => {
                        crate::convert::require_int(value, "concurrency")?;
                        value.extract::<u32>().ok().filter(|c| (1..=64).contains(c)).ok_or_else(
                            || {
                                crate::errors::bad_value(
                                    py,
                                    "concurrency",
                                    "concurrency must be between 1 and 64",
                                )
                            },
                        )?
                    }
                    None => 4,
                };
                crate::models::python_hook(
                    py,
                    "pinecone_backups._prune",
                    concat!("prune_", $mode),
                    (slf, plan, concurrency),
                )
            }

            /// Closes the connection pool: calls in flight (in other threads or tasks) and later
            /// calls raise `ClientClosedError`.
            fn close(&self) {
                self.core.close();
            }

            /// A client over this one's connections whose `close()` ends only the calls made
            /// through it (closing this client ends them too). For the package's own use.
            fn _scoped(&self, py: Python<'_>) -> PyResult<Self> {
                let core = self.core.derive(py, core::Client::scoped)?;
                Ok($class { core: Arc::new(core) })
            }

            /// A client over this one's connections whose every call ends within `seconds`
            /// (retries and waits included), with `PineconeTimeoutError`. For the package's own
            /// use (waits).
            fn _with_deadline(&self, py: Python<'_>, seconds: f64) -> PyResult<Self> {
                let seconds = if seconds.is_finite() { seconds.clamp(0.0, 1e9) } else { 1e9 };
                let at = tokio::time::Instant::now() + std::time::Duration::from_secs_f64(seconds);
                let core = self
                    .core
                    .derive(py, |http| http.scoped().with_deadline(at))?;
                Ok($class { core: Arc::new(core) })
            }

            #[getter]
            fn closed(&self) -> bool {
                self.core.is_closed()
            }

            /// The base URL requests go to.
            #[getter]
            fn host(&self) -> &str {
                self.core.config().host()
            }

            #[getter]
            fn api_version(&self) -> &str {
                self.core.config().api_version()
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                self.core.repr(py, stringify!($class))
            }

            $($extra)*
        }
    };
}

/// `timeout` and `poll_interval` (positive numbers or `None`) and `on_progress` (a callable or
/// `None`), checked before anything is sent.
#[allow(clippy::type_complexity)]
fn wait_args<'py>(
    py: Python<'py>,
    timeout: Option<&Bound<'py, PyAny>>,
    poll_interval: Option<&Bound<'py, PyAny>>,
    on_progress: Option<&Bound<'py, PyAny>>,
) -> PyResult<(Option<f64>, Option<f64>, Option<Bound<'py, PyAny>>)> {
    let seconds = |value: Option<&Bound<'py, PyAny>>, param: &'static str| {
        let Some(value) = value.filter(|v| !v.is_none()) else {
            return Ok(None);
        };
        let number = crate::convert::py_to_finite_float(value, param)?;
        if number <= 0.0 {
            return Err(crate::errors::bad_value(
                py,
                param,
                format!("{param} must be a positive number of seconds or None, got {number}"),
            ));
        }
        Ok(Some(number))
    };
    let on_progress = match on_progress.filter(|v| !v.is_none()) {
        Some(callback) if callback.is_callable() => Some(callback.clone()),
        Some(other) => return Err(wrong_type("on_progress", "a callable or None", other)),
        None => None,
    };
    Ok((
        seconds(timeout, "timeout")?,
        seconds(poll_interval, "poll_interval")?,
        on_progress,
    ))
}

client_class! {
    /// A client of Pinecone's backup API.
    ///
    /// ```python
    /// with pb.Client(api_key="...") as client:
    ///     for backup in client.iter_index_backups("docs-example"):
    ///         print(backup.backup_id, backup.status)
    /// ```
    Client, logging = RetryLogging::Inline, mode = "sync",
    backups = BackupIterator, restore_jobs = RestoreJobIterator,
    {
        fn __enter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
            slf
        }

        fn __exit__(
            &self,
            _exc_type: &Bound<'_, PyAny>,
            _exc_value: &Bound<'_, PyAny>,
            _traceback: &Bound<'_, PyAny>,
        ) -> bool {
            self.core.close();
            false
        }
    }
}

client_class! {
    /// An asyncio client of Pinecone's backup API: the same options, validation, objects and
    /// errors as `Client`, with awaitable calls.
    AsyncClient, logging = RetryLogging::Background, mode = "async",
    backups = AsyncBackupIterator, restore_jobs = AsyncRestoreJobIterator,
    {
        /// `close()`, as an awaitable.
        fn aclose<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            self.core.close();
            ready(py.None().into_bound(py))
        }

        fn __aenter__(slf: Bound<'_, Self>) -> PyResult<Bound<'_, PyAny>> {
            ready(slf.into_any())
        }

        fn __aexit__<'py>(
            &self,
            py: Python<'py>,
            _exc_type: &Bound<'_, PyAny>,
            _exc_value: &Bound<'_, PyAny>,
            _traceback: &Bound<'_, PyAny>,
        ) -> PyResult<Bound<'py, PyAny>> {
            self.core.close();
            ready(PyBool::new(py, false).to_owned().into_any())
        }
    }
}

/// The client of the module-level functions, built from the environment, rebuilt when the
/// environment it was built from changes.
static DEFAULT_CLIENT: Mutex<Option<DefaultClient>> = Mutex::new(None);

/// The environment a default client was built from, and the client.
type DefaultClient = (Vec<Option<String>>, Arc<ClientCore>);

fn default_client(py: Python<'_>) -> PyResult<Arc<ClientCore>> {
    let env: Vec<Option<String>> = [
        core::ENV_API_KEY,
        core::ENV_HOST,
        core::ENV_ADDITIONAL_HEADERS,
    ]
    .iter()
    .map(|name| std::env::var(name).ok())
    .collect();
    let mut cached = DEFAULT_CLIENT
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some((built_from, client)) = &*cached {
        if *built_from == env {
            return Ok(client.clone());
        }
    }
    let config = ClientArgs::default().build(py, RetryLogging::Inline)?;
    let client = Arc::new(ClientCore::new(config));
    *cached = Some((env, client.clone()));
    Ok(client)
}

/// The `Client` of the module-level functions, configured from the environment
/// (`PINECONE_API_KEY`, `PINECONE_CONTROLLER_HOST`, `PINECONE_ADDITIONAL_HEADERS`) and rebuilt
/// when it changes.
#[pyfunction(name = "_default_client")]
pub fn default_client_object(py: Python<'_>) -> PyResult<Client> {
    Ok(Client::from_core(default_client(py)?))
}
