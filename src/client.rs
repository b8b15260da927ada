//! `Client` and its iterators: argument parsing, then the core does the work on the shared
//! runtime with the GIL released.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use pinecone_backups_core as core;
use pinecone_backups_core::{IterOptions, ListRequest, Pager, Step};
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::convert::{opt_i64, opt_str, req_str};
use crate::errors::{ClientClosedError, CoreResultExt};
use crate::models::{Backup, BackupList};
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

    /// Closes the connection pool; later calls raise `ClientClosedError`.
    pub fn close(&self) {
        if let State::Ready { pid, http } = std::mem::replace(&mut *self.lock(), State::Closed) {
            if pid != std::process::id() {
                std::mem::forget(http);
            }
        }
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

    /// One page, blocking with the GIL released.
    pub fn list_blocking(
        &self,
        py: Python<'_>,
        request: ListRequest,
    ) -> PyResult<core::BackupList> {
        let http = self.http(py)?;
        runtime::block_on(py, async move { http.list_index_backups(&request).await })?.or_raise(py)
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

/// Validated arguments of `list_index_backups`.
pub fn list_request(
    py: Python<'_>,
    index_name: &Bound<'_, PyAny>,
    limit: Option<&Bound<'_, PyAny>>,
    pagination_token: Option<&Bound<'_, PyAny>>,
) -> PyResult<ListRequest> {
    ListRequest::new(
        req_str(index_name, "index_name")?,
        opt_i64(limit, "limit", "between 1 and 100")?,
        opt_str(pagination_token, "pagination_token")?,
    )
    .or_raise(py)
}

/// Validated arguments of `iter_index_backups`.
pub fn pager(
    py: Python<'_>,
    index_name: &Bound<'_, PyAny>,
    page_size: Option<&Bound<'_, PyAny>>,
    max_items: Option<&Bound<'_, PyAny>>,
    pagination_token: Option<&Bound<'_, PyAny>>,
) -> PyResult<Pager> {
    let options = IterOptions {
        page_size: opt_i64(page_size, "page_size", "between 1 and 100")?
            .unwrap_or(core::MAX_PAGE_SIZE as i64),
        max_items: opt_i64(max_items, "max_items", "0 or more")?,
        pagination_token: opt_str(pagination_token, "pagination_token")?,
    };
    Pager::new(req_str(index_name, "index_name")?, options).or_raise(py)
}

/// A client of Pinecone's backup API (`list_index_backups`).
///
/// ```python
/// with pb.Client(api_key="...") as client:
///     for backup in client.iter_index_backups("docs-example"):
///         print(backup.backup_id, backup.status)
/// ```
#[pyclass(frozen, module = "pinecone_backups", name = "Client")]
pub struct Client {
    core: Arc<ClientCore>,
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(
        signature = (
            api_key=None, *, host=None, api_version=None, timeout=TimeoutArg::DEFAULT,
            connect_timeout=None, deadline=None,
            max_retries=None, retry=None, proxy=None, ca_certs=None, max_response_bytes=None,
            additional_headers=None, source_tag=None
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
        let config = args.build(py, RetryLogging::Inline)?;
        Ok(Client {
            core: Arc::new(ClientCore::new(config)),
        })
    }

    /// One page of backups of an index.
    #[pyo3(signature = (index_name, *, limit=None, pagination_token=None))]
    fn list_index_backups(
        &self,
        py: Python<'_>,
        index_name: &Bound<'_, PyAny>,
        limit: Option<&Bound<'_, PyAny>>,
        pagination_token: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<BackupList> {
        let request = list_request(py, index_name, limit, pagination_token)?;
        let page = self.core.list_blocking(py, request)?;
        BackupList::from_core(py, page)
    }

    /// Every backup of an index, fetched page by page as the iterator is consumed.
    #[pyo3(signature = (index_name, *, page_size=None, max_items=None, pagination_token=None), text_signature = "($self, index_name, *, page_size=100, max_items=None, pagination_token=None)")]
    fn iter_index_backups(
        &self,
        py: Python<'_>,
        index_name: &Bound<'_, PyAny>,
        page_size: Option<&Bound<'_, PyAny>>,
        max_items: Option<&Bound<'_, PyAny>>,
        pagination_token: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<BackupIterator> {
        let pager = pager(py, index_name, page_size, max_items, pagination_token)?;
        Ok(BackupIterator::new(self.core.clone(), pager))
    }

    /// Closes the connection pool. Later calls raise `ClientClosedError`.
    fn close(&self) {
        self.core.close();
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

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        self.core.repr(py, "Client")
    }
}

/// The state of one walk, shared by an iterator and its `pages()` view.
struct Walk {
    client: Arc<ClientCore>,
    pager: Mutex<Pager>,
}

impl Walk {
    /// Locks the pager without ever blocking while holding the GIL (another thread holding the
    /// lock may be waiting for the GIL to build Python objects).
    fn lock(&self, py: Python<'_>) -> PyResult<MutexGuard<'_, Pager>> {
        loop {
            match self.pager.try_lock() {
                Ok(guard) => return Ok(guard),
                Err(std::sync::TryLockError::Poisoned(poisoned)) => {
                    return Ok(poisoned.into_inner())
                }
                Err(std::sync::TryLockError::WouldBlock) => {
                    py.detach(|| std::thread::sleep(Duration::from_micros(200)));
                    py.check_signals()?;
                }
            }
        }
    }

    /// Steps the pager, fetching pages as it asks (blocking, GIL released, interruptible).
    fn next<T>(&self, py: Python<'_>, step: impl Fn(&mut Pager) -> Step<T>) -> PyResult<Option<T>> {
        let mut pager = self.lock(py)?;
        loop {
            match step(&mut pager) {
                Step::Ready(item) => return Ok(Some(item)),
                Step::Done => return Ok(None),
                Step::Fetch(request) => {
                    let page = self.client.list_blocking(py, request)?;
                    pager.feed(page).or_raise(py)?;
                }
            }
        }
    }

    fn repr(&self, py: Python<'_>, class_name: &str) -> PyResult<String> {
        pager_repr(py, class_name, &*self.lock(py)?)
    }
}

/// `BackupIterator(index_name='x', page_size=100, max_items=None, handed_out=0, next_token=None)`,
/// for the sync and async iterators alike.
pub fn pager_repr(py: Python<'_>, class_name: &str, pager: &Pager) -> PyResult<String> {
    let max_items = pager
        .max_items()
        .map_or("None".to_owned(), |m| m.to_string());
    let next_token = match pager.next_token() {
        Some(token) => PyString::new(py, token).repr()?.to_string(),
        None => "None".to_owned(),
    };
    Ok(format!(
        "{class_name}(index_name={}, page_size={}, max_items={max_items}, handed_out={}, next_token={next_token})",
        PyString::new(py, pager.index_name()).repr()?,
        pager.page_size(),
        pager.handed_out(),
    ))
}

/// Iterates over every backup of an index, fetching pages lazily.
#[pyclass(frozen, module = "pinecone_backups", name = "BackupIterator")]
pub struct BackupIterator {
    walk: Arc<Walk>,
}

impl BackupIterator {
    pub fn new(client: Arc<ClientCore>, pager: Pager) -> BackupIterator {
        BackupIterator {
            walk: Arc::new(Walk {
                client,
                pager: Mutex::new(pager),
            }),
        }
    }
}

#[pymethods]
impl BackupIterator {
    fn __iter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Backup>> {
        Ok(self
            .walk
            .next(py, Pager::next_item)?
            .map(|inner| Backup { inner }))
    }

    /// The remaining backups page by page (`BackupList` objects), sharing this iterator's
    /// position and `max_items`.
    fn pages(&self) -> BackupPageIterator {
        BackupPageIterator {
            walk: self.walk.clone(),
        }
    }

    /// Where to resume: the token of the page after the last page fully handed out (`None` at
    /// the start of an index, or once every backup has been handed out).
    #[getter]
    fn next_token(&self, py: Python<'_>) -> PyResult<Option<String>> {
        Ok(self.walk.lock(py)?.next_token().map(str::to_owned))
    }

    /// How many backups have been handed out.
    #[getter]
    fn handed_out(&self, py: Python<'_>) -> PyResult<u64> {
        Ok(self.walk.lock(py)?.handed_out())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        self.walk.repr(py, "BackupIterator")
    }
}

/// Iterates over the pages (`BackupList`) of a walk; see `BackupIterator.pages()`.
#[pyclass(frozen, module = "pinecone_backups", name = "BackupPageIterator")]
pub struct BackupPageIterator {
    walk: Arc<Walk>,
}

#[pymethods]
impl BackupPageIterator {
    fn __iter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<BackupList>> {
        match self.walk.next(py, Pager::next_page)? {
            Some(page) => Ok(Some(BackupList::from_core(py, page)?)),
            None => Ok(None),
        }
    }

    #[getter]
    fn next_token(&self, py: Python<'_>) -> PyResult<Option<String>> {
        Ok(self.walk.lock(py)?.next_token().map(str::to_owned))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        self.walk.repr(py, "BackupPageIterator")
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

/// One page of backups, with a client configured from the environment
/// (`PINECONE_API_KEY`, `PINECONE_CONTROLLER_HOST`, `PINECONE_ADDITIONAL_HEADERS`).
#[pyfunction]
#[pyo3(signature = (index_name, *, limit=None, pagination_token=None))]
pub fn list_index_backups(
    py: Python<'_>,
    index_name: &Bound<'_, PyAny>,
    limit: Option<&Bound<'_, PyAny>>,
    pagination_token: Option<&Bound<'_, PyAny>>,
) -> PyResult<BackupList> {
    let request = list_request(py, index_name, limit, pagination_token)?;
    let page = default_client(py)?.list_blocking(py, request)?;
    BackupList::from_core(py, page)
}

/// Every backup of an index, with a client configured from the environment.
#[pyfunction]
#[pyo3(signature = (index_name, *, page_size=None, max_items=None, pagination_token=None), text_signature = "(index_name, *, page_size=100, max_items=None, pagination_token=None)")]
pub fn iter_index_backups(
    py: Python<'_>,
    index_name: &Bound<'_, PyAny>,
    page_size: Option<&Bound<'_, PyAny>>,
    max_items: Option<&Bound<'_, PyAny>>,
    pagination_token: Option<&Bound<'_, PyAny>>,
) -> PyResult<BackupIterator> {
    let pager = pager(py, index_name, page_size, max_items, pagination_token)?;
    Ok(BackupIterator::new(default_client(py)?, pager))
}
