//! The async machinery of `AsyncClient` and the async iterators: pyo3-async-runtimes'
//! `future_into_py` over the same shared tokio runtime as the blocking client, and `_Call`, the
//! coroutine object the async methods return.
//!
//! The Rust futures return Rust data (`core::BackupList`, `core::Backup`, `core::Error`) and never
//! touch Python; pyo3-async-runtimes hands the result to a blocking-pool thread that takes the GIL,
//! builds the Python objects (the `IntoPyObject` impls below) and resolves the asyncio future on
//! its loop. Cancelling the asyncio future drops the Rust future, which aborts the request.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard, PoisonError};

use pinecone_backups_core as core;
use pyo3::exceptions::{PyBaseException, PyStopAsyncIteration, PyStopIteration};
use pyo3::prelude::*;
use pyo3_async_runtimes::generic::{ContextExt, Runtime};
use pyo3_async_runtimes::TaskLocals;

use crate::errors::{to_pyerr, PineconeError};
use crate::models::IntoPyModel;
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
pub fn spawn<'py, T>(
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
pub struct Outcome<T>(pub Result<T, core::Error>);

impl<'py, T: IntoPyModel> IntoPyObject<'py> for Outcome<T> {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        self.0.map_err(|err| to_pyerr(py, err))?.into_py_model(py)
    }
}

/// The next item of an async walk: `None` ends the iteration.
pub struct NextItem<T>(pub Result<Option<T>, core::Error>);

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
pub struct Ready {
    value: Mutex<Option<Py<PyAny>>>,
}

impl Ready {
    pub fn new(value: Bound<'_, PyAny>) -> Ready {
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
pub type Start = Box<dyn FnOnce(Python<'_>) -> PyResult<Bound<'_, PyAny>> + Send>;

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
    pub fn new(start: Start) -> Call {
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
                "this call was already awaited: call the method again",
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
            // `throw(instance)`, `throw(type)` or the old `throw(type, value)`, as a coroutine
            // of an `async def` takes them.
            let exception = if typ.is_instance_of::<PyBaseException>() {
                typ.clone()
            } else {
                match val {
                    Some(val) if val.is_instance_of::<PyBaseException>() => val.clone(),
                    Some(val) if !val.is_none() => typ.call1((val,))?,
                    _ => typ.call0()?,
                }
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
