//! The options shared by `Client` and `AsyncClient`, the `Retry` policy class, and the logging of
//! retries.

use std::time::Duration;

use pinecone_backups_core as core;
use std::sync::atomic::{AtomicBool, Ordering};

use pinecone_backups_core::{ExchangeEvent, RetryEvent, RetryPolicy};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple};

use crate::convert::{opt_str, opt_str_dict, require_int, require_number};
use crate::errors::{config_error, wrong_type, CoreResultExt};
use crate::models::stable_hash;
use crate::runtime;

/// A number of seconds option: an `int` or `float` > 0 (and finite), or `None`.
fn seconds(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Option<Duration>> {
    if value.is_none() {
        return Ok(None);
    }
    require_number(value, what)?;
    let seconds: f64 = value.extract()?;
    match Duration::try_from_secs_f64(seconds) {
        Ok(duration) if seconds > 0.0 => Ok(Some(duration)),
        _ => Err(config_error(
            what,
            format!("{what} must be a positive, finite number of seconds, got {seconds}"),
        )),
    }
}

/// When and how to retry failed requests (pass as `retry=` to a client).
///
/// Idempotent requests (all of this package's) are retried on connection failures, timeouts,
/// bodies cut short and the `statuses`; the wait before retry `n` is the server's `Retry-After`
/// (seconds or an HTTP date, at most `retry_after_cap`) when given, otherwise a random time
/// between 0 and `min(backoff_cap, backoff_base * 2**(n-1))` seconds.
#[pyclass(frozen, module = "pinecone_backups", name = "Retry")]
pub struct Retry {
    pub policy: RetryPolicy,
}

fn non_negative_seconds(value: f64, what: &str) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        config_error(
            what,
            format!("{what} must be a finite number of seconds >= 0, got {value}"),
        )
    })
}

#[pymethods]
impl Retry {
    #[new]
    #[pyo3(
        signature = (
            *, max_retries=None, backoff_base=None, backoff_cap=None, retry_after_cap=None,
            statuses=None
        ),
        text_signature = "(*, max_retries=3, backoff_base=0.25, backoff_cap=8.0, retry_after_cap=60.0, statuses=None)"
    )]
    fn new(
        max_retries: Option<&Bound<'_, PyAny>>,
        backoff_base: Option<&Bound<'_, PyAny>>,
        backoff_cap: Option<&Bound<'_, PyAny>>,
        retry_after_cap: Option<&Bound<'_, PyAny>>,
        statuses: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let defaults = RetryPolicy::default();
        let seconds = |value: Option<&Bound<'_, PyAny>>, what: &str, default: Duration| match value
            .filter(|v| !v.is_none())
        {
            Some(value) => {
                require_number(value, what)?;
                non_negative_seconds(value.extract()?, what)
            }
            None => Ok(default),
        };
        let mut policy = RetryPolicy {
            max_retries: match max_retries.filter(|m| !m.is_none()) {
                Some(max_retries) => parse_max_retries(max_retries)?,
                None => RetryPolicy::default().max_retries,
            },
            backoff_base: seconds(backoff_base, "backoff_base", defaults.backoff_base)?,
            backoff_cap: seconds(backoff_cap, "backoff_cap", defaults.backoff_cap)?,
            retry_after_cap: seconds(retry_after_cap, "retry_after_cap", defaults.retry_after_cap)?,
            ..defaults.clone()
        };
        if policy.backoff_base > policy.backoff_cap {
            return Err(config_error(
                "backoff_base",
                "backoff_base must not exceed backoff_cap",
            ));
        }
        if let Some(statuses) = statuses.filter(|s| !s.is_none()) {
            let mut codes = Vec::new();
            let items = statuses
                .try_iter()
                .map_err(|_| wrong_type("statuses", "an iterable of int", statuses))?;
            for status in items {
                let status = status?;
                let code: u16 = status
                    .extract()
                    .ok()
                    // (`True` and `False` read as 1 and 0: refused too.)
                    .filter(|c| (100..600).contains(c))
                    .ok_or_else(|| {
                        config_error(
                            "statuses",
                            format!(
                                "statuses must hold HTTP statuses (100..599), got {}",
                                status.repr().map(|r| r.to_string()).unwrap_or_default()
                            ),
                        )
                    })?;
                codes.push(code);
            }
            codes.sort_unstable();
            codes.dedup();
            policy.statuses = codes;
        }
        Ok(Retry { policy })
    }

    #[getter]
    fn max_retries(&self) -> u32 {
        self.policy.max_retries
    }
    #[getter]
    fn backoff_base(&self) -> f64 {
        self.policy.backoff_base.as_secs_f64()
    }
    #[getter]
    fn backoff_cap(&self) -> f64 {
        self.policy.backoff_cap.as_secs_f64()
    }
    #[getter]
    fn retry_after_cap(&self) -> f64 {
        self.policy.retry_after_cap.as_secs_f64()
    }
    /// The HTTP statuses that are retried, sorted.
    #[getter]
    fn statuses<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.policy.statuses)
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.policy == other.policy
    }

    fn __hash__(&self) -> u64 {
        let p = &self.policy;
        stable_hash((
            p.max_retries,
            p.backoff_base,
            p.backoff_cap,
            p.retry_after_cap,
            &p.statuses,
        ))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let p = &self.policy;
        Ok(format!(
            "Retry(max_retries={}, backoff_base={:?}, backoff_cap={:?}, retry_after_cap={:?}, statuses={})",
            p.max_retries,
            p.backoff_base.as_secs_f64(),
            p.backoff_cap.as_secs_f64(),
            p.retry_after_cap.as_secs_f64(),
            self.statuses(py)?.repr()?
        ))
    }

    /// Pickling: rebuilt as `Retry(**kwargs)`.
    fn __getnewargs_ex__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, pyo3::types::PyDict>)> {
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("max_retries", self.policy.max_retries)?;
        kwargs.set_item("backoff_base", self.backoff_base())?;
        kwargs.set_item("backoff_cap", self.backoff_cap())?;
        kwargs.set_item("retry_after_cap", self.retry_after_cap())?;
        kwargs.set_item("statuses", self.statuses(py)?)?;
        Ok((PyTuple::empty(py), kwargs))
    }
}

fn parse_max_retries(value: &Bound<'_, PyAny>) -> PyResult<u32> {
    require_int(value, "max_retries")?;
    value
        .extract::<u32>()
        .ok()
        .filter(|n| *n <= 100)
        .ok_or_else(|| {
            config_error(
                "max_retries",
                format!(
                    "max_retries must be between 0 and 100, got {}",
                    value.repr().map(|r| r.to_string()).unwrap_or_default()
                ),
            )
        })
}

/// The options of `Client(...)` and `AsyncClient(...)`, as given (`default()`: none given).
/// What not passing an option means.
#[derive(Debug, Clone, Copy)]
pub enum OptionDefault {
    None,
    Float(f64),
    Int(u64),
}

/// One option of `Client` and `AsyncClient`.
#[derive(Debug, Clone, Copy)]
pub struct ClientOption {
    pub name: &'static str,
    /// Its annotation in the stub.
    pub annotation: &'static str,
    pub default: OptionDefault,
    /// What it does, in a few words.
    pub doc: &'static str,
}

/// The options of `Client` and `AsyncClient`, declared once: the constructor takes `api_key`
/// (positionally too) and the others as keywords; the package builds the classes' signature, and
/// the stub is generated, from this list.
pub const CLIENT_OPTIONS: &[ClientOption] = &[
    ClientOption {
        name: "api_key",
        annotation: "str | None",
        default: OptionDefault::None,
        doc: "the API key (None: PINECONE_API_KEY)",
    },
    ClientOption {
        name: "host",
        annotation: "str | None",
        default: OptionDefault::None,
        doc: "the API's base URL (None: PINECONE_CONTROLLER_HOST, else https://api.pinecone.io)",
    },
    ClientOption {
        name: "api_version",
        annotation: "str | None",
        default: OptionDefault::None,
        doc: "the API version: 2025-10, 2026-04 or 2026-07 (None: PINECONE_API_VERSION, else \
              2025-10); each call follows its spec",
    },
    ClientOption {
        name: "timeout",
        annotation: "float | None",
        default: OptionDefault::Float(core::DEFAULT_TIMEOUT.as_secs_f64()),
        doc: "seconds per attempt, body included (None: no timeout)",
    },
    ClientOption {
        name: "connect_timeout",
        annotation: "float | None",
        default: OptionDefault::Float(core::DEFAULT_CONNECT_TIMEOUT.as_secs_f64()),
        doc: "seconds to open a connection, never more than timeout",
    },
    ClientOption {
        name: "deadline",
        annotation: "float | None",
        default: OptionDefault::None,
        doc: "the longest a whole call may take, retries included (None: no deadline)",
    },
    ClientOption {
        name: "max_retries",
        annotation: "int | None",
        default: OptionDefault::Int(core::DEFAULT_MAX_RETRIES as u64),
        doc: "retries after a failed attempt (0: none)",
    },
    ClientOption {
        name: "retry",
        annotation: "Retry | None",
        default: OptionDefault::None,
        doc: "the backoff and the statuses retried (a pinecone_backups.Retry)",
    },
    ClientOption {
        name: "proxy",
        annotation: "str | None",
        default: OptionDefault::None,
        doc: "a proxy URL (None: from the environment; \"\": no proxy)",
    },
    ClientOption {
        name: "ca_certs",
        annotation: "str | os.PathLike[str] | None",
        default: OptionDefault::None,
        doc: "a PEM file of certificates to trust besides the system's",
    },
    ClientOption {
        name: "max_response_bytes",
        annotation: "int",
        default: OptionDefault::Int(core::DEFAULT_MAX_RESPONSE_BYTES as u64),
        doc: "the largest response body read",
    },
    ClientOption {
        name: "additional_headers",
        annotation: "dict[str, str] | None",
        default: OptionDefault::None,
        doc: "headers sent with every request (None: PINECONE_ADDITIONAL_HEADERS)",
    },
    ClientOption {
        name: "source_tag",
        annotation: "str | None",
        default: OptionDefault::None,
        doc: "appended to the User-Agent",
    },
];

/// The options given to a constructor: `api_key`, and the others by name.
#[derive(Default)]
pub struct ClientArgs<'a, 'py> {
    pub api_key: Option<&'a Bound<'py, PyAny>>,
    pub options: Option<&'a Bound<'py, PyDict>>,
}

/// How a client's retries are logged: on the thread of the call (blocking clients), or handed
/// to a background thread (async clients: the runtime's thread must not wait for the GIL).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RetryLogging {
    Inline,
    Background,
}

impl<'py> ClientArgs<'_, 'py> {
    /// The option `name` when given (`None` included: for `timeout`, it means no timeout).
    fn given(&self, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        match self.options {
            Some(options) => options.get_item(name),
            None => Ok(None),
        }
    }

    /// The option `name`, `None` when not given or `None`.
    fn value(&self, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(self.given(name)?.filter(|v| !v.is_none()))
    }

    /// Validates the options into a core configuration (environment fallbacks included).
    pub fn build(
        self,
        py: Python<'py>,
        class: &str,
        logging: RetryLogging,
    ) -> PyResult<core::Config> {
        if let Some(options) = self.options {
            for name in options.keys() {
                let known = name
                    .cast::<PyString>()
                    .ok()
                    .and_then(|n| n.to_str().ok().map(str::to_owned))
                    .filter(|n| n != "api_key" && CLIENT_OPTIONS.iter().any(|o| o.name == n));
                if known.is_none() {
                    return Err(PyTypeError::new_err(format!(
                        "{class}() got an unexpected keyword argument {}",
                        name.repr()?
                    )));
                }
            }
        }
        let timeout = match self.given("timeout")? {
            Some(value) => seconds(&value, "timeout")?,
            None => Some(core::DEFAULT_TIMEOUT),
        };
        // `None` for either: the default (10 s; no deadline).
        let connect_timeout = self
            .value("connect_timeout")?
            .map(|v| seconds(&v, "connect_timeout"))
            .transpose()?
            .flatten();
        let deadline = self
            .value("deadline")?
            .map(|v| seconds(&v, "deadline"))
            .transpose()?
            .flatten();
        let version = py.version_info();
        let mut builder = core::Config::builder()
            .timeout(timeout)
            .deadline(deadline)
            .user_agent_comment(format!(
                "python {}.{}.{}",
                version.major, version.minor, version.patch
            ));
        if let Some(connect_timeout) = connect_timeout {
            builder = builder.connect_timeout(connect_timeout);
        }
        if let Some(key) = opt_str(self.api_key, "api_key")? {
            builder = builder.api_key(key);
        }
        if let Some(host) = opt_str(self.value("host")?.as_ref(), "host")? {
            builder = builder.host(host);
        }
        if let Some(api_version) = opt_str(self.value("api_version")?.as_ref(), "api_version")? {
            builder = builder.api_version(api_version);
        }
        let headers = self.value("additional_headers")?;
        if let Some(headers) = opt_str_dict(headers.as_ref(), "additional_headers")? {
            builder = builder.additional_headers(headers);
        }
        if let Some(tag) = opt_str(self.value("source_tag")?.as_ref(), "source_tag")? {
            builder = builder.source_tag(tag);
        }
        if let Some(proxy) = opt_str(self.value("proxy")?.as_ref(), "proxy")? {
            builder = builder.proxy(proxy);
        }
        if let Some(path) = self.value("ca_certs")? {
            builder = builder.ca_certs_pem(read_ca_certs(&path)?);
        }
        if let Some(max) = self.value("max_response_bytes")? {
            require_int(&max, "max_response_bytes")?;
            let max: usize = max.extract().ok().filter(|m| *m > 0).ok_or_else(|| {
                config_error(
                    "max_response_bytes",
                    "max_response_bytes must be a positive int",
                )
            })?;
            builder = builder.max_response_bytes(max);
        }
        let mut policy = match self.value("retry")? {
            Some(retry) => retry
                .cast::<Retry>()
                .map_err(|_| wrong_type("retry", "a pinecone_backups.Retry or None", &retry))?
                .get()
                .policy
                .clone(),
            None => RetryPolicy::default(),
        };
        if let Some(max_retries) = self.value("max_retries")? {
            policy.max_retries = parse_max_retries(&max_retries)?;
        }
        builder = builder
            .retry(policy)
            .on_retry(move |event| log_retry(event, logging))
            .on_exchange(move |event| log_exchange(event, logging));
        builder.build().or_raise(py)
    }
}

/// `CLIENT_OPTIONS` for Python: `(name, annotation, default, doc)` tuples.
pub fn client_options_py(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    let mut items = Vec::with_capacity(CLIENT_OPTIONS.len());
    for option in CLIENT_OPTIONS {
        let default = match option.default {
            OptionDefault::None => py.None().into_bound(py),
            OptionDefault::Float(value) => value.into_pyobject(py)?.into_any(),
            OptionDefault::Int(value) => value.into_pyobject(py)?.into_any(),
        };
        items.push((option.name, option.annotation, default, option.doc));
    }
    PyTuple::new(py, items)
}

/// The bytes of a PEM file named by a `str` or `os.PathLike`.
fn read_ca_certs(path: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let py = path.py();
    let fspath = py
        .import("os")?
        .getattr("fspath")?
        .call1((path,))
        .map_err(|_| wrong_type("ca_certs", "a path (str or os.PathLike) or None", path))?;
    let path = fspath
        .cast::<PyString>()
        .map_err(|_| wrong_type("ca_certs", "a path (str or os.PathLike) or None", path))?
        .to_str()?
        .to_owned();
    std::fs::read(&path)
        .map_err(|e| config_error("ca_certs", format!("cannot read ca_certs {path:?}: {e}")))
}

/// Runs `log` with the GIL: on the thread of the call (blocking clients), or on a background
/// thread (async clients: the runtime's thread must not wait for the GIL).
fn with_logger(
    logging: RetryLogging,
    log: impl FnOnce(&Bound<'_, PyAny>) -> PyResult<()> + Send + 'static,
) {
    let run = move || {
        Python::attach(|py| {
            if let Err(err) = logger(py).and_then(|logger| log(logger.bind(py))) {
                err.write_unraisable(py, None);
            }
        });
    };
    match logging {
        RetryLogging::Inline => run(),
        RetryLogging::Background => {
            runtime::current().spawn_blocking(run);
        }
    }
}

/// The `pinecone_backups` logger.
fn logger(py: Python<'_>) -> PyResult<&Py<PyAny>> {
    static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    LOGGER.get_or_try_init(py, || {
        let logging = py.import("logging")?;
        let logger = logging.call_method1("getLogger", ("pinecone_backups",))?;
        // As urllib3 does: no output unless the application configures logging (otherwise
        // Python's last-resort handler would print every retry on stderr).
        logger.call_method1("addHandler", (logging.getattr("NullHandler")?.call0()?,))?;
        Ok::<_, PyErr>(logger.unbind())
    })
}

/// Logs a retry on the `pinecone_backups` logger (WARNING, like urllib3's retries).
fn log_retry(event: &RetryEvent, logging: RetryLogging) {
    let event = event.clone();
    with_logger(logging, move |logger| {
        logger.call_method1(
            "warning",
            (
                "retrying %s %s in %.2fs (attempt %d of %d): %s",
                event.method,
                &event.path,
                event.delay.as_secs_f64(),
                event.attempt,
                event.max_attempts,
                &event.reason,
            ),
        )?;
        Ok(())
    });
}

/// Whether the `pinecone_backups` logger takes DEBUG records, as last seen by a call: read with
/// the GIL when a call starts ([`refresh_exchange_logging`]), so that exchanges are not handed
/// to Python for nothing.
static EXCHANGE_LOGGING: AtomicBool = AtomicBool::new(false);

/// Reads whether exchanges are to be logged (at the start of every call, with the GIL). While
/// the application has not imported `logging`, nothing can take the records, and the module is
/// not imported for this (its import alone would double the cold start of a one-call script).
pub fn refresh_exchange_logging(py: Python<'_>) -> PyResult<()> {
    let enabled = logging_imported(py)?
        && logger(py)?
            .bind(py)
            .call_method1("isEnabledFor", (10,))?
            .is_truthy()?;
    EXCHANGE_LOGGING.store(enabled, Ordering::Relaxed);
    Ok(())
}

/// Whether `logging` is in `sys.modules`.
fn logging_imported(py: Python<'_>) -> PyResult<bool> {
    static SYS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    SYS.get_or_try_init(py, || Ok::<_, PyErr>(py.import("sys")?.unbind()))?
        .bind(py)
        .getattr(pyo3::intern!(py, "modules"))?
        .contains(pyo3::intern!(py, "logging"))
}

/// Logs one HTTP exchange at DEBUG: method, path, status, attempt, time, request id (never the
/// API key: it is not part of any of them).
fn log_exchange(event: &ExchangeEvent, logging: RetryLogging) {
    if !EXCHANGE_LOGGING.load(Ordering::Relaxed) {
        return;
    }
    let event = event.clone();
    with_logger(logging, move |logger| {
        let status = event
            .status
            .map_or("no response".to_owned(), |s| s.to_string());
        logger.call_method1(
            "debug",
            (
                "%s %s -> %s (attempt %d, %.1f ms, request_id %s)",
                event.method,
                &event.path,
                status,
                event.attempt,
                event.elapsed.as_secs_f64() * 1000.0,
                event.request_id.as_deref().unwrap_or("-"),
            ),
        )?;
        Ok(())
    });
}
