//! The one tokio runtime of the process, and blocking on it from Python.
//!
//! tokio does not survive `fork()`: a child process inherits the runtime's memory but not its
//! worker threads. The runtime is therefore tied to the process id that built it, and a forked
//! child gets a new one on first use (the parent's is leaked in the child, never touched).

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use pyo3::prelude::*;
use tokio::runtime::Runtime;

use crate::errors::internal_error;

/// How often a blocked call wakes up to let Python handle signals (Ctrl-C).
const SIGNAL_CHECK_INTERVAL: Duration = Duration::from_millis(50);
/// Few workers: they only drive I/O; decoding happens on the calling thread.
const WORKER_THREADS: usize = 2;

struct ProcessRuntime {
    pid: u32,
    runtime: Runtime,
}

static CURRENT: AtomicPtr<ProcessRuntime> = AtomicPtr::new(std::ptr::null_mut());
static BUILDING: Mutex<()> = Mutex::new(());

/// The runtime of this process, built on first use (and again in a forked child).
pub fn get() -> PyResult<&'static Runtime> {
    let pid = std::process::id();
    if let Some(current) = unsafe { CURRENT.load(Ordering::Acquire).as_ref() } {
        if current.pid == pid {
            return Ok(&current.runtime);
        }
    }
    let _guard = BUILDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(current) = unsafe { CURRENT.load(Ordering::Acquire).as_ref() } {
        if current.pid == pid {
            return Ok(&current.runtime);
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKER_THREADS)
        .thread_name("pinecone-backups")
        .enable_all()
        .build()
        .map_err(|e| internal_error(format!("could not start the tokio runtime: {e}")))?;
    // Leaked on purpose: it lives as long as the process (and a parent's is unusable in a child).
    let fresh: &'static ProcessRuntime = Box::leak(Box::new(ProcessRuntime { pid, runtime }));
    CURRENT.store(fresh as *const _ as *mut _, Ordering::Release);
    Ok(&fresh.runtime)
}

/// Set by an `atexit` hook: the interpreter is shutting down.
static EXITING: AtomicBool = AtomicBool::new(false);
/// Background threads between their [`EXITING`] check and the end of their Python work.
static IN_PYTHON: AtomicUsize = AtomicUsize::new(0);
/// How long the exit hook waits for background threads to finish with Python.
const EXIT_GRACE: Duration = Duration::from_secs(2);

/// Runs `f` (which attaches to Python) unless the interpreter is exiting. A thread that
/// attaches while CPython finalizes is stopped inside `f` and unwinds while holding Python
/// objects, which corrupts the interpreter's memory; so once the exit hook has run, `f` is
/// dropped instead (dropping Python references without the GIL only queues them).
pub fn unless_exiting(f: impl FnOnce()) {
    IN_PYTHON.fetch_add(1, Ordering::SeqCst);
    if !EXITING.load(Ordering::SeqCst) {
        f();
    }
    IN_PYTHON.fetch_sub(1, Ordering::SeqCst);
}

/// Registers [`python_exiting`] with `atexit`, once, on first use of the async client: as late
/// as possible, because `atexit` runs hooks last-in first-out and no async call can complete
/// after this one has run.
pub fn ensure_exit_hook(py: Python<'_>) -> PyResult<()> {
    static REGISTERED: pyo3::sync::PyOnceLock<()> = pyo3::sync::PyOnceLock::new();
    REGISTERED
        .get_or_try_init(py, || {
            let hook = wrap_pyfunction!(python_exiting, py)?;
            py.import("atexit")?.call_method1("register", (hook,))?;
            Ok::<(), PyErr>(())
        })
        .map(|_| ())
}

/// The `atexit` hook: no background thread may attach to Python from now on; those already on
/// their way are given the GIL (and a moment) to finish.
#[pyfunction]
fn python_exiting(py: Python<'_>) {
    EXITING.store(true, Ordering::SeqCst);
    py.detach(|| {
        let deadline = std::time::Instant::now() + EXIT_GRACE;
        while IN_PYTHON.load(Ordering::SeqCst) > 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}

/// The runtime of this process, for code that cannot report an error (spawning from
/// pyo3-async-runtimes); callers make sure [`get`] succeeded first.
pub fn current() -> &'static Runtime {
    get().expect("the tokio runtime could not be started")
}

/// Runs `future` to completion on the shared runtime with the GIL released, waking up every
/// [`SIGNAL_CHECK_INTERVAL`] to run Python's signal handlers: a `KeyboardInterrupt` drops the
/// future (cancelling the request) and propagates. A panic becomes a Python exception.
pub fn block_on<F, T>(py: Python<'_>, future: F) -> PyResult<T>
where
    F: Future<Output = T> + Send,
    T: Send,
{
    let runtime = get()?;
    let mut future = std::pin::pin!(future);
    loop {
        let slice = py.detach(|| {
            catch_unwind(AssertUnwindSafe(|| {
                runtime.block_on(async {
                    tokio::time::timeout(SIGNAL_CHECK_INTERVAL, &mut future).await
                })
            }))
        });
        match slice {
            Ok(Ok(output)) => return Ok(output),
            Ok(Err(_elapsed)) => py.check_signals()?,
            Err(panic) => return Err(internal_error(panic_message(&panic))),
        }
    }
}

pub fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    format!("internal error in pinecone-backups (please report it): {detail}")
}
