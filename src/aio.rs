//! The async machinery of `AsyncClient` and the async iterators: Rust futures spawned on the
//! same shared tokio runtime as the blocking client, and `_Call`, the coroutine object the async
//! methods return.
//!
//! The Rust futures return Rust data (`core::BackupList`, `core::Backup`, `core::Error`) and never
//! touch Python. How a result reaches the event loop:
//! - on a loop that watches file descriptors (`loop.add_reader`: asyncio's selector loops,
//!   uvloop), the finished task queues its result in the loop's [`Dispatcher`] and writes one
//!   byte to a socket the loop watches, without the GIL; the loop then builds the Python
//!   objects (the `IntoPyObject` impls below) and resolves the asyncio futures itself, on its
//!   own thread, for every result queued meanwhile. No other thread takes the GIL.
//! - elsewhere (the proactor loop of Windows), pyo3-async-runtimes' `future_into_py` hands the
//!   result to a blocking-pool thread that takes the GIL, builds the objects and resolves the
//!   future with `loop.call_soon_threadsafe`.
//!
//! Cancelling the call (the task awaiting it is cancelled, or the coroutine is closed or dropped)
//! drops the Rust future, which aborts the request.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use pinecone_backups_core as core;
use pyo3::exceptions::{PyBaseException, PyStopAsyncIteration, PyStopIteration};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyWeakrefReference;
use pyo3::IntoPyObjectExt;
use pyo3_async_runtimes::generic::{ContextExt, Runtime};
use pyo3_async_runtimes::TaskLocals;
use tokio::task::AbortHandle;

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
/// loop with `future`'s output converted to Python. The task is aborted when the returned
/// [`Abort`] is dropped (unless it has finished); `None` when pyo3-async-runtimes runs it (its
/// future cancels the task itself).
pub fn spawn<'py, T>(
    py: Python<'py>,
    future: impl Future<Output = T> + Send + 'static,
) -> PyResult<Spawned<'py>>
where
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    let shared = runtime::get()?; // built (or rebuilt after a fork) before anything is spawned on it
    let event_loop = running_loop(py)?;
    if let Some(dispatcher) = Dispatcher::of(&event_loop)? {
        let asyncio_future = event_loop.call_method0(pyo3::intern!(py, "create_future"))?;
        let target = asyncio_future.clone().unbind();
        let task = shared.spawn_async(async move {
            let output = future.await;
            dispatcher.complete(Completion {
                future: target,
                value: Box::new(move |py| output.into_bound_py_any(py)),
            });
        });
        return Ok((asyncio_future, Some(Abort(task.abort_handle()))));
    }
    runtime::ensure_exit_hook(py)?;
    let asyncio_future =
        pyo3_async_runtimes::generic::future_into_py::<SharedRuntime, _, _>(py, async move {
            Ok(future.await)
        })?;
    Ok((asyncio_future, None))
}

/// Aborts a spawned task when dropped (nothing happens if it has finished).
pub struct Abort(AbortHandle);

impl Drop for Abort {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// `asyncio.get_running_loop()` (a `RuntimeError` outside a running loop).
fn running_loop(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    GET_RUNNING_LOOP
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("asyncio")?.getattr("get_running_loop")?.unbind())
        })?
        .bind(py)
        .call0()
}

/// A finished task's output, as the Python object (or exception) it becomes on the loop.
type Output = Box<dyn for<'py> FnOnce(Python<'py>) -> PyResult<Bound<'py, PyAny>> + Send>;

/// A finished task's output, waiting for its loop to turn it into Python.
struct Completion {
    future: Py<PyAny>,
    value: Output,
}

impl Completion {
    /// Resolves the asyncio future, unless it was cancelled meanwhile (nobody awaits it then).
    fn resolve(self, py: Python<'_>) -> PyResult<()> {
        let future = self.future.bind(py);
        if future
            .call_method0(pyo3::intern!(py, "done"))?
            .is_truthy()?
        {
            return Ok(());
        }
        match (self.value)(py) {
            Ok(value) => future.call_method1(pyo3::intern!(py, "set_result"), (value,))?,
            Err(err) => {
                future.call_method1(pyo3::intern!(py, "set_exception"), (err.into_value(py),))?
            }
        };
        Ok(())
    }
}

/// The results of one event loop's calls, and the socket that wakes the loop when there are
/// some: finished tasks queue their output and write one byte (once until the loop has
/// looked), the loop watches the other end (`loop.add_reader`) and resolves every queued call.
struct Dispatcher {
    done: Mutex<Vec<Completion>>,
    /// A byte was written and the loop has not looked since.
    awake: AtomicBool,
    #[cfg(unix)]
    bell: std::os::unix::net::UnixStream,
    #[cfg(unix)]
    watched: std::os::unix::net::UnixStream,
}

/// The dispatchers of the event loops this thread ran, by loop (a weak reference to it), and
/// `None` for a loop that cannot watch a socket; tied to the process that made them.
struct Known {
    pid: u32,
    event_loop: Py<PyWeakrefReference>,
    dispatcher: Option<Arc<Dispatcher>>,
}

thread_local! {
    static KNOWN: RefCell<Vec<Known>> = const { RefCell::new(Vec::new()) };
}

impl Dispatcher {
    /// The dispatcher of `event_loop` (the running loop of this thread), made and registered
    /// with it on first use; `None` if the loop cannot watch a socket.
    fn of(event_loop: &Bound<'_, PyAny>) -> PyResult<Option<Arc<Dispatcher>>> {
        let pid = std::process::id();
        let known = KNOWN.with_borrow(|known| {
            known
                .iter()
                .find(|k| {
                    k.pid == pid
                        && k.event_loop
                            .bind(event_loop.py())
                            .upgrade()
                            .is_some_and(|l| l.is(event_loop))
                })
                .map(|k| k.dispatcher.clone())
        });
        if let Some(dispatcher) = known {
            return Ok(dispatcher);
        }
        let dispatcher = Dispatcher::register(event_loop)?;
        let py = event_loop.py();
        let weak = PyWeakrefReference::new(event_loop)?.unbind();
        // Taken out while Python code runs (a loop's `is_closed` could, in theory, call back).
        let mut known = KNOWN.take();
        // Forget the loops that are gone or closed (a closed loop dropped its readers).
        known.retain(|k| {
            k.pid == pid
                && k.event_loop.bind(py).upgrade().is_some_and(|l| {
                    !l.call_method0(pyo3::intern!(py, "is_closed"))
                        .and_then(|closed| closed.is_truthy())
                        .unwrap_or(true)
                })
        });
        known.push(Known {
            pid,
            event_loop: weak,
            dispatcher: dispatcher.clone(),
        });
        KNOWN.set(known);
        Ok(dispatcher)
    }

    /// A new dispatcher, watched by `event_loop`; `None` if the loop does not support
    /// `add_reader` (or this platform has no socket pairs).
    #[cfg(unix)]
    fn register(event_loop: &Bound<'_, PyAny>) -> PyResult<Option<Arc<Dispatcher>>> {
        use std::os::fd::AsRawFd;
        let py = event_loop.py();
        let Ok((bell, watched)) = std::os::unix::net::UnixStream::pair() else {
            return Ok(None);
        };
        if bell.set_nonblocking(true).is_err() || watched.set_nonblocking(true).is_err() {
            return Ok(None);
        }
        let fd = watched.as_raw_fd();
        let dispatcher = Arc::new(Dispatcher {
            done: Mutex::new(Vec::new()),
            awake: AtomicBool::new(false),
            bell,
            watched,
        });
        let drain = Drain(dispatcher.clone());
        match event_loop.call_method1(pyo3::intern!(py, "add_reader"), (fd, drain)) {
            Ok(_) => Ok(Some(dispatcher)),
            // The proactor loop has no add_reader (NotImplementedError), a custom loop may not
            // either (AttributeError), or may refuse a Unix socket.
            Err(_) => Ok(None),
        }
    }

    #[cfg(not(unix))]
    fn register(_event_loop: &Bound<'_, PyAny>) -> PyResult<Option<Arc<Dispatcher>>> {
        Ok(None)
    }

    /// Queues a finished call (any thread, no GIL) and wakes the loop if it is not awake yet.
    fn complete(&self, completion: Completion) {
        self.done
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(completion);
        if !self.awake.swap(true, Ordering::SeqCst) {
            self.ring();
        }
    }

    #[cfg(unix)]
    fn ring(&self) {
        use std::io::Write;
        // A full socket buffer means the loop has a byte to read already.
        let _ = (&self.bell).write(&[1]);
    }

    #[cfg(not(unix))]
    fn ring(&self) {}

    /// On the loop: resolves every call queued so far. The bytes are read before `awake` is
    /// cleared, and the queue taken after: a call queued before the clear is in the queue taken,
    /// a call queued after it rings again.
    fn drain(&self, py: Python<'_>) {
        #[cfg(unix)]
        {
            use std::io::Read;
            let mut bytes = [0u8; 64];
            while matches!((&self.watched).read(&mut bytes), Ok(n) if n == bytes.len()) {}
        }
        self.awake.store(false, Ordering::SeqCst);
        let done = std::mem::take(&mut *self.done.lock().unwrap_or_else(PoisonError::into_inner));
        for completion in done {
            if let Err(err) = completion.resolve(py) {
                err.write_unraisable(py, None);
            }
        }
    }
}

/// The callback a loop runs when its dispatcher's socket is readable.
#[pyclass(frozen, module = "pinecone_backups", name = "_Drain")]
struct Drain(Arc<Dispatcher>);

#[pymethods]
impl Drain {
    fn __call__(&self, py: Python<'_>) {
        self.0.drain(py);
    }
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

/// An awaitable that is done already: `await` returns `value` without a trip through the event
/// loop (items of an async walk already fetched, `async with`, `aclose()`). A coroutine of its
/// own (`__await__`, `send`, `throw`, `close`), so `asyncio.iscoroutine` and
/// `collections.abc.Coroutine` recognize it.
pub fn ready(value: Bound<'_, PyAny>) -> PyResult<Bound<'_, PyAny>> {
    let py = value.py();
    Ok(Bound::new(
        py,
        Ready {
            value: Mutex::new(Some(value.unbind())),
        },
    )?
    .into_any())
}

#[pyclass(frozen, module = "pinecone_backups._native", name = "_Ready")]
pub struct Ready {
    /// Taken by the first step.
    value: Mutex<Option<Py<PyAny>>>,
}

impl Ready {
    /// The value, as the `StopIteration` that returns it to `await` (once).
    fn finish(&self) -> PyErr {
        let value = self
            .value
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match value {
            Some(value) => PyStopIteration::new_err((value,)),
            None => PyStopIteration::new_err(()),
        }
    }
}

#[pymethods]
impl Ready {
    fn __await__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __iter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __next__(&self) -> PyResult<()> {
        Err(self.finish())
    }

    fn send(&self, _value: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(self.finish())
    }

    #[pyo3(signature = (typ, val=None, _tb=None))]
    fn throw(
        &self,
        typ: &Bound<'_, PyAny>,
        val: Option<&Bound<'_, PyAny>>,
        _tb: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        self.value
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let exception = if typ.is_instance_of::<PyBaseException>() {
            typ.clone()
        } else {
            match val {
                Some(val) if val.is_instance_of::<PyBaseException>() => val.clone(),
                Some(val) if !val.is_none() => typ.call1((val,))?,
                _ => typ.call0()?,
            }
        };
        Err(PyErr::from_value(exception))
    }

    fn close(&self) {
        self.value
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
    }
}

/// What [`spawn`] returns: the asyncio future that will hold the result, and what aborts the task.
pub type Spawned<'py> = (Bound<'py, PyAny>, Option<Abort>);

/// Starts a call: spawns its Rust future (see [`spawn`]).
pub type Start = Box<dyn FnOnce(Python<'_>) -> PyResult<Spawned<'_>> + Send>;

enum CallState {
    /// Not awaited yet: nothing sent.
    Pending(Start),
    /// Awaited: the asyncio future, the iterator of its `__await__`, and what aborts the task
    /// when the call ends early (the state is replaced, or the call dropped).
    Running {
        future: Py<PyAny>,
        iterator: Py<PyAny>,
        _abort: Option<Abort>,
    },
    Finished,
}

impl CallState {
    fn running((future, abort): Spawned<'_>) -> PyResult<CallState> {
        let iterator = future.call_method0(pyo3::intern!(future.py(), "__await__"))?;
        Ok(CallState::Running {
            future: future.unbind(),
            iterator: iterator.unbind(),
            _abort: abort,
        })
    }
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

    /// A call started already (the next page of an async iterator).
    pub fn started(spawned: Spawned<'_>) -> PyResult<Call> {
        Ok(Call {
            state: Mutex::new(CallState::running(spawned)?),
        })
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
        let running = CallState::running(start(py)?)?;
        let CallState::Running { iterator, .. } = &running else {
            unreachable!("CallState::running makes a running state");
        };
        let iterator = iterator.bind(py).clone();
        *self.lock() = running;
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
