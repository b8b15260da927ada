//! What a client holds: its configuration and, once used, its connection pool (rebuilt in a
//! forked child, where the parent's belongs to the parent's runtime); shared by a client and the
//! iterators it made.

use std::sync::{Mutex, MutexGuard, PoisonError};

use pinecone_backups_core as core;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::errors::{ClientClosedError, CoreResultExt};

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
    /// `operation` under this client's API version (its rules, the arguments it has), before
    /// anything is made of it: a `ValidationError` at the call, not when a coroutine is awaited.
    pub fn check<O: core::Operation>(&self, py: Python<'_>, operation: &O) -> PyResult<()> {
        operation.check(self.config.api_version()).or_raise(py)
    }

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

pub fn closed_error() -> PyErr {
    ClientClosedError::new_err("the client is closed: create a new client to make requests")
}
