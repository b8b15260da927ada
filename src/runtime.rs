//! The one tokio runtime of the process, and blocking on it from Python.
//!
//! tokio does not survive `fork()`: a child process inherits the runtime's memory but not its
//! worker threads. The runtime is therefore tied to the process id that built it, and a forked
//! child gets a new one on first use (the parent's is leaked in the child, never touched).

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicPtr, Ordering};
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
