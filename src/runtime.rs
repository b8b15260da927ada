//! The one tokio runtime of the process, shared by `Client` and `AsyncClient`.
//!
//! It is a current-thread runtime driven by whoever needs it:
//! - a blocking call drives it itself, on the calling thread, with the GIL released: the
//!   request, the HTTP connection's task and the decoding all run there, with no hand-off
//!   between threads (measured: a warm 10-backup call in about half the time a worker-thread
//!   runtime needs, close to the pure-Rust floor);
//! - async calls are driven by one "async driver" thread, which runs only while async calls are
//!   in flight and waits outside the runtime otherwise, leaving it to blocking callers; it
//!   never takes the GIL (results reach the event loop through `aio`'s dispatcher).
//!
//! Several threads calling at once share it as tokio allows: one drives I/O, the others poll
//! their own futures on their own threads (decoding stays parallel).
//!
//! tokio does not survive `fork()`: a child inherits the runtime's memory (its epoll instance
//! included, shared with the parent) but not its threads. The runtime is therefore tied to the
//! process id that built it, and a forked child builds its own on first use (the parent's is
//! leaked in the child, never touched).

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use pyo3::prelude::*;
use tokio::runtime::Runtime;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::errors::internal_error;

/// How often a blocked call wakes up to let Python handle signals (Ctrl-C).
const SIGNAL_CHECK_INTERVAL: Duration = Duration::from_millis(50);
/// How long the runtime is driven after a call is interrupted, so that the cancelled request's
/// connection is closed at once rather than at the next call.
const CANCEL_DRAIN: Duration = Duration::from_millis(5);

/// The runtime of one process, and the state of its async driver.
pub struct Shared {
    pid: u32,
    runtime: Runtime,
    /// Async tasks spawned and not finished.
    async_tasks: AtomicUsize,
    /// Signalled (with `async_tasks` checked under it) when async work arrives.
    async_work: (Mutex<()>, Condvar),
    /// Notified when the last async task finishes.
    async_idle: Notify,
    driver_started: AtomicBool,
}

static CURRENT: AtomicPtr<Shared> = AtomicPtr::new(std::ptr::null_mut());
static BUILDING: Mutex<()> = Mutex::new(());

/// The runtime of this process, built on first use (and again in a forked child).
pub fn get() -> PyResult<&'static Shared> {
    let pid = std::process::id();
    #[allow(unsafe_code)]
    // SAFETY: `CURRENT` is null or points to a `Shared` leaked with `Box::leak` below, never
    // freed nor mutated through the pointer: a valid `&'static Shared` for the whole process.
    // The Release store after it was built, paired with this Acquire load, makes it fully
    // initialised when seen.
    let current = || unsafe { CURRENT.load(Ordering::Acquire).as_ref() }.filter(|s| s.pid == pid);
    if let Some(shared) = current() {
        return Ok(shared);
    }
    let _building = BUILDING.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(shared) = current() {
        return Ok(shared);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .thread_name("pinecone-backups")
        .build()
        .map_err(|e| internal_error(format!("could not start the tokio runtime: {e}")))?;
    // Leaked on purpose: it lives as long as the process (and a parent's is unusable in a child).
    let fresh: &'static Shared = Box::leak(Box::new(Shared {
        pid,
        runtime,
        async_tasks: AtomicUsize::new(0),
        async_work: (Mutex::new(()), Condvar::new()),
        async_idle: Notify::new(),
        driver_started: AtomicBool::new(false),
    }));
    CURRENT.store(fresh as *const Shared as *mut Shared, Ordering::Release);
    Ok(fresh)
}

/// The runtime of this process, for code that cannot report an error (pyo3-async-runtimes'
/// spawning, background logging); callers make sure [`get`] succeeded first.
pub fn current() -> &'static Shared {
    get().expect("the tokio runtime could not be started")
}

/// Runs `future` to completion on the calling thread with the GIL released, waking up every
/// [`SIGNAL_CHECK_INTERVAL`] to let Python handle signals (Ctrl-C): a `KeyboardInterrupt` drops
/// the future (cancelling the request) and propagates. A panic becomes a Python exception.
pub fn block_on<F, T>(py: Python<'_>, future: F) -> PyResult<T>
where
    F: Future<Output = T> + Send,
    T: Send,
{
    let shared = get()?;
    // Boxed (not pinned on the stack) so that it can be dropped before the drain below.
    let mut future = Box::pin(future);
    let mut first = true;
    loop {
        let slice = py.detach(|| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                shared.runtime.block_on(async {
                    if std::mem::take(&mut first) {
                        catch_up().await;
                    }
                    tokio::time::timeout(SIGNAL_CHECK_INTERVAL, &mut future).await
                })
            }))
        });
        match slice {
            Ok(Ok(output)) => return Ok(output),
            Ok(Err(_elapsed)) => {
                if let Err(interrupt) = py.check_signals() {
                    // Drop the request, then let its connection task see it and hang up.
                    drop(future);
                    py.detach(|| {
                        shared
                            .runtime
                            .block_on(async { tokio::time::sleep(CANCEL_DRAIN).await });
                    });
                    return Err(interrupt);
                }
            }
            Err(panic) => return Err(internal_error(panic_message(&panic))),
        }
    }
}

/// Lets the runtime look at what happened on the network while nobody was driving it, before
/// a request picks a pooled connection: a server (or load balancer) may have closed an idle
/// one meanwhile, and its connection task must see that first, or the request would be written
/// to a dead socket. A yield makes the scheduler poll the I/O driver, then run the tasks that
/// became ready.
async fn catch_up() {
    tokio::task::yield_now().await;
}

impl Shared {
    /// Spawns an async task (an async call, from `aio::spawn` or pyo3-async-runtimes) and makes
    /// sure the driver runs it.
    pub fn spawn_async<F>(&'static self, future: F) -> JoinHandle<()>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        struct Finished(&'static Shared);
        impl Drop for Finished {
            fn drop(&mut self) {
                if self.0.async_tasks.fetch_sub(1, Ordering::SeqCst) == 1 {
                    self.0.async_idle.notify_one();
                }
            }
        }
        self.async_tasks.fetch_add(1, Ordering::SeqCst);
        let finished = Finished(self);
        let handle = self.runtime.spawn(async move {
            let _finished = finished;
            catch_up().await;
            future.await;
        });
        self.wake_driver();
        handle
    }

    /// Runs `f`, which attaches to Python, on the blocking pool, unless the interpreter is
    /// exiting by then (see [`unless_exiting`]).
    pub fn spawn_blocking<F>(&'static self, f: F) -> JoinHandle<()>
    where
        F: FnOnce() + Send + 'static,
    {
        self.runtime.spawn_blocking(move || unless_exiting(f))
    }

    fn wake_driver(&'static self) {
        if !self.driver_started.swap(true, Ordering::SeqCst) {
            let spawned = std::thread::Builder::new()
                .name("pinecone-backups-async".into())
                .spawn(move || self.drive_async());
            if spawned.is_err() {
                // No thread: drive from here on the next call instead of never.
                self.driver_started.store(false, Ordering::SeqCst);
            }
        }
        let (lock, work) = &self.async_work;
        let _guard = lock.lock().unwrap_or_else(PoisonError::into_inner);
        work.notify_one();
    }

    /// The async driver: drives the runtime while async tasks are in flight, and waits outside
    /// it (leaving it to blocking callers) otherwise.
    fn drive_async(&'static self) {
        let (lock, work) = &self.async_work;
        loop {
            {
                let mut guard = lock.lock().unwrap_or_else(PoisonError::into_inner);
                while self.async_tasks.load(Ordering::SeqCst) == 0 {
                    guard = work.wait(guard).unwrap_or_else(PoisonError::into_inner);
                }
            }
            self.runtime.block_on(async {
                loop {
                    let idle = self.async_idle.notified();
                    tokio::pin!(idle);
                    idle.as_mut().enable();
                    if self.async_tasks.load(Ordering::SeqCst) == 0 {
                        return;
                    }
                    idle.await;
                }
            });
        }
    }
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
fn unless_exiting(f: impl FnOnce()) {
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

pub fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let detail = panic
        .downcast_ref::<&str>()
        .map(std::string::ToString::to_string)
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    format!("internal error in pinecone-backups (please report it): {detail}")
}
