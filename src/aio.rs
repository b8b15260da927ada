//! `AsyncClient` and its async iterators, on pyo3-async-runtimes' `future_into_py` over the same
//! shared tokio runtime as the blocking client.
//!
//! The Rust futures return Rust data (`core::BackupList`, `core::Backup`, `core::Error`) and never
//! touch Python; pyo3-async-runtimes hands the result to a blocking-pool thread that takes the GIL,
//! builds the Python objects (the `IntoPyObject` impls below) and resolves the asyncio future on
//! its loop. Cancelling the asyncio future drops the Rust future, which aborts the request.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use pinecone_backups_core as core;
use pinecone_backups_core::{Pager, Step};
use pyo3::exceptions::{PyStopAsyncIteration, PyStopIteration};
use pyo3::prelude::*;
use pyo3_async_runtimes::generic::{ContextExt, Runtime};
use pyo3_async_runtimes::TaskLocals;

use crate::client::{list_request, pager, pager_repr, ClientCore};
use crate::errors::{to_pyerr, PineconeError};
use crate::models::IntoPyModel;
use crate::options::{ClientArgs, RetryLogging, TimeoutArg};
use crate::runtime;

/// pyo3-async-runtimes' view of the shared runtime (rebuilt in a forked child, unlike the
/// crate's own static tokio runtime, which a child inherits dead).
struct SharedRuntime;

tokio::task_local! {
    static TASK_LOCALS: TaskLocals;
}

impl Runtime for SharedRuntime {
    type JoinError = tokio::task::JoinError;
    type JoinHandle = tokio::task::JoinHandle<()>;

    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        runtime::current().spawn_async(fut)
    }

    /// pyo3-async-runtimes hands results back to Python from here (taking the GIL): once the
    /// interpreter is exiting, that is skipped (see [`runtime::Shared::spawn_blocking`]).
    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        runtime::current().spawn_blocking(f)
    }
}

impl ContextExt for SharedRuntime {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        Box::pin(TASK_LOCALS.scope(locals, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS.try_with(Clone::clone).ok()
    }
}

/// Runs `future` on the shared runtime; the asyncio future it returns resolves on the running
/// loop with `future`'s output converted to Python.
fn spawn<'py, T>(
    py: Python<'py>,
    future: impl Future<Output = T> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>>
where
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    runtime::get()?; // built (or rebuilt after a fork) before anything is spawned on it
    runtime::ensure_exit_hook(py)?;
    pyo3_async_runtimes::generic::future_into_py::<SharedRuntime, _, _>(py, async move {
        Ok(future.await)
    })
}

/// A core result, converted to Python (value or exception) once handed back.
struct Outcome<T>(Result<T, core::Error>);

impl<'py, T: IntoPyModel> IntoPyObject<'py> for Outcome<T> {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        self.0.map_err(|err| to_pyerr(py, err))?.into_py_model(py)
    }
}

/// The next item of an async walk: `None` ends the iteration.
struct NextItem<T>(Result<Option<T>, core::Error>);

impl<'py, T: IntoPyModel> IntoPyObject<'py> for NextItem<T> {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        match self.0.map_err(|err| to_pyerr(py, err))? {
            Some(item) => item.into_py_model(py),
            None => Err(PyStopAsyncIteration::new_err(())),
        }
    }
}

/// An awaitable that is already done: `await` returns its value without a trip through the
/// event loop (used for items already fetched, and for `async with`).
#[pyclass(module = "pinecone_backups", name = "_Ready")]
struct Ready {
    value: Mutex<Option<Py<PyAny>>>,
}

impl Ready {
    fn new(value: Bound<'_, PyAny>) -> Ready {
        Ready {
            value: Mutex::new(Some(value.unbind())),
        }
    }
}

#[pymethods]
impl Ready {
    fn __await__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self) -> PyResult<()> {
        let value = self
            .value
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        Err(PyStopIteration::new_err((value,)))
    }
}

/// Starts a call: spawns its Rust future and returns the asyncio future that will hold its result.
type Start = Box<dyn FnOnce(Python<'_>) -> PyResult<Bound<'_, PyAny>> + Send>;

enum CallState {
    /// Not awaited yet: nothing sent.
    Pending(Start),
    /// Awaited: the asyncio future, and the iterator of its `__await__`.
    Running {
        future: Py<PyAny>,
        iterator: Py<PyAny>,
    },
    Finished,
}

/// The coroutine `AsyncClient.list_index_backups` returns. Like a coroutine of an `async def`, it
/// starts when first awaited (or scheduled with `asyncio.run`, `create_task`, `gather`...), so
/// it needs no running event loop to be created; unlike one, it has validated its arguments
/// already.
#[pyclass(frozen, module = "pinecone_backups", name = "_Call")]
pub struct Call {
    state: Mutex<CallState>,
}

impl Call {
    fn new(start: Start) -> Call {
        Call {
            state: Mutex::new(CallState::Pending(start)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, CallState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The iterator to drive, starting the call on first use; `None` once finished.
    fn iterator<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let start = {
            let mut state = self.lock();
            if let CallState::Running { iterator, .. } = &*state {
                return Ok(Some(iterator.bind(py).clone()));
            }
            match std::mem::replace(&mut *state, CallState::Finished) {
                CallState::Pending(start) => start,
                _ => return Ok(None), // finished
            }
        };
        // Started without the lock: starting runs Python code.
        let future = start(py)?;
        let iterator = future.call_method0(pyo3::intern!(py, "__await__"))?;
        *self.lock() = CallState::Running {
            future: future.unbind(),
            iterator: iterator.clone().unbind(),
        };
        Ok(Some(iterator))
    }

    /// Forwards to the iterator; a raised exception (`StopIteration` included) ends the call.
    fn forward<'py>(
        &self,
        py: Python<'py>,
        call: impl FnOnce(&Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let Some(iterator) = self.iterator(py)? else {
            return Err(PineconeError::new_err(
                "this call was already awaited: call list_index_backups again",
            ));
        };
        call(&iterator).inspect_err(|_| *self.lock() = CallState::Finished)
    }
}

#[pymethods]
impl Call {
    fn __await__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.forward(py, |it| {
            it.call_method1(pyo3::intern!(py, "send"), (py.None(),))
        })
    }

    fn send<'py>(&self, py: Python<'py>, value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        self.forward(py, |it| {
            it.call_method1(pyo3::intern!(py, "send"), (value,))
        })
    }

    #[pyo3(signature = (typ, val=None, tb=None))]
    fn throw<'py>(
        &self,
        py: Python<'py>,
        typ: &Bound<'py, PyAny>,
        val: Option<&Bound<'py, PyAny>>,
        tb: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let was_pending = {
            let mut state = self.lock();
            let pending = matches!(*state, CallState::Pending(_));
            if pending {
                // Thrown into before it started: nothing to cancel, the exception propagates.
                *state = CallState::Finished;
            }
            pending
        };
        if was_pending {
            let exception = match val {
                Some(val) if !val.is_none() => val.clone(),
                _ => typ.call0()?,
            };
            return Err(PyErr::from_value(exception));
        }
        self.forward(py, |it| {
            it.call_method1(pyo3::intern!(py, "throw"), (typ, val, tb))
        })
    }

    /// Cancels the call if it is running.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let state = std::mem::replace(&mut *self.lock(), CallState::Finished);
        if let CallState::Running { future, .. } = state {
            future.bind(py).call_method0(pyo3::intern!(py, "cancel"))?;
        }
        Ok(())
    }
}

/// An asyncio client of Pinecone's backup API: the same options, validation, objects and
/// errors as `Client`, with awaitable calls.
#[pyclass(frozen, module = "pinecone_backups", name = "AsyncClient")]
pub struct AsyncClient {
    core: Arc<ClientCore>,
}

#[pymethods]
impl AsyncClient {
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
        let config = args.build(py, RetryLogging::Background)?;
        Ok(AsyncClient {
            core: Arc::new(ClientCore::new(config)),
        })
    }

    /// One page of backups of an index (awaitable).
    #[pyo3(signature = (index_name, *, limit=None, pagination_token=None))]
    fn list_index_backups<'py>(
        &self,
        py: Python<'py>,
        index_name: &Bound<'py, PyAny>,
        limit: Option<&Bound<'py, PyAny>>,
        pagination_token: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Call> {
        let request = list_request(py, index_name, limit, pagination_token)?;
        self.core.check_open()?;
        let core = self.core.clone();
        Ok(Call::new(Box::new(move |py| {
            let http = core.http(py)?;
            spawn(py, async move {
                Outcome(http.list_index_backups(&request).await)
            })
        })))
    }

    /// Every backup of an index, fetched page by page as the async iterator is consumed.
    #[pyo3(signature = (index_name, *, page_size=None, max_items=None, pagination_token=None), text_signature = "($self, index_name, *, page_size=100, max_items=None, pagination_token=None)")]
    fn iter_index_backups(
        &self,
        py: Python<'_>,
        index_name: &Bound<'_, PyAny>,
        page_size: Option<&Bound<'_, PyAny>>,
        max_items: Option<&Bound<'_, PyAny>>,
        pagination_token: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<AsyncBackupIterator> {
        let pager = pager(py, index_name, page_size, max_items, pagination_token)?;
        Ok(AsyncBackupIterator {
            walk: Arc::new(AsyncWalk {
                client: self.core.clone(),
                pager: Mutex::new(pager),
                fetching: tokio::sync::Mutex::new(()),
            }),
        })
    }

    /// Closes the connection pool. Later calls raise `ClientClosedError`.
    fn close(&self) {
        self.core.close();
    }

    /// `close()`, as an awaitable.
    fn aclose(&self, py: Python<'_>) -> Ready {
        self.core.close();
        Ready::new(py.None().into_bound(py))
    }

    #[getter]
    fn closed(&self) -> bool {
        self.core.is_closed()
    }

    #[getter]
    fn host(&self) -> &str {
        self.core.config().host()
    }

    #[getter]
    fn api_version(&self) -> &str {
        self.core.config().api_version()
    }

    fn __aenter__(slf: Bound<'_, Self>) -> Ready {
        Ready::new(slf.into_any())
    }

    fn __aexit__(
        &self,
        py: Python<'_>,
        _exc_type: &Bound<'_, PyAny>,
        _exc_value: &Bound<'_, PyAny>,
        _traceback: &Bound<'_, PyAny>,
    ) -> Ready {
        self.core.close();
        Ready::new(pyo3::types::PyBool::new(py, false).to_owned().into_any())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        self.core.repr(py, "AsyncClient")
    }
}

/// The state of one async walk, shared by an iterator and its `pages()` view.
struct AsyncWalk {
    client: Arc<ClientCore>,
    /// Locked only briefly, never across an await.
    pager: Mutex<Pager>,
    /// Held across a fetch, so that concurrent `__anext__` calls fetch each page once.
    fetching: tokio::sync::Mutex<()>,
}

impl AsyncWalk {
    fn pager(&self) -> MutexGuard<'_, Pager> {
        self.pager.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next item (or page): immediately when it is already fetched (a `Ready`), otherwise
    /// an asyncio future that fetches pages until it has one.
    fn next<'py, T: IntoPyModel>(
        self: &Arc<Self>,
        py: Python<'py>,
        step: fn(&mut Pager) -> Step<T>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let now = step(&mut self.pager());
        match now {
            Step::Ready(item) => {
                let value = item.into_py_model(py)?;
                return Ok(Some(Bound::new(py, Ready::new(value))?.into_any()));
            }
            Step::Done => return Ok(None),
            Step::Fetch(_) => {}
        }
        let http = self.client.http(py)?;
        let walk = self.clone();
        let future = spawn(py, async move {
            let _fetching = walk.fetching.lock().await;
            loop {
                let now = step(&mut walk.pager());
                let request = match now {
                    Step::Ready(item) => return NextItem(Ok(Some(item))),
                    Step::Done => return NextItem(Ok(None)),
                    Step::Fetch(request) => request,
                };
                let fed = match http.list_index_backups(&request).await {
                    Ok(page) => walk.pager().feed(page),
                    Err(err) => Err(err),
                };
                if let Err(err) = fed {
                    return NextItem(Err(err));
                }
            }
        })?;
        Ok(Some(future))
    }

    fn repr(&self, py: Python<'_>, class_name: &str) -> PyResult<String> {
        pager_repr(py, class_name, &self.pager())
    }
}

/// Iterates asynchronously over every backup of an index, fetching pages lazily.
#[pyclass(frozen, module = "pinecone_backups", name = "AsyncBackupIterator")]
pub struct AsyncBackupIterator {
    walk: Arc<AsyncWalk>,
}

#[pymethods]
impl AsyncBackupIterator {
    fn __aiter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.walk.next(py, Pager::next_item)
    }

    /// The remaining backups page by page (`BackupList` objects), sharing this iterator's
    /// position and `max_items`.
    fn pages(&self) -> AsyncBackupPageIterator {
        AsyncBackupPageIterator {
            walk: self.walk.clone(),
        }
    }

    /// Where to resume: the token of the page after the last page fully handed out.
    #[getter]
    fn next_token(&self) -> Option<String> {
        self.walk.pager().next_token().map(str::to_owned)
    }

    /// How many backups have been handed out.
    #[getter]
    fn handed_out(&self) -> u64 {
        self.walk.pager().handed_out()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        self.walk.repr(py, "AsyncBackupIterator")
    }
}

/// Iterates asynchronously over the pages of a walk; see `AsyncBackupIterator.pages()`.
#[pyclass(frozen, module = "pinecone_backups", name = "AsyncBackupPageIterator")]
pub struct AsyncBackupPageIterator {
    walk: Arc<AsyncWalk>,
}

#[pymethods]
impl AsyncBackupPageIterator {
    fn __aiter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.walk.next(py, Pager::next_page)
    }

    #[getter]
    fn next_token(&self) -> Option<String> {
        self.walk.pager().next_token().map(str::to_owned)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        self.walk.repr(py, "AsyncBackupPageIterator")
    }
}
