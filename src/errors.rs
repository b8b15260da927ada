//! The core error enum, mapped onto the exception classes of `pinecone_backups/errors.py`.

use pinecone_backups_core::{ApiError, DecodeError, Error, TransportError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::to_py::json_to_py;

pyo3::import_exception!(pinecone_backups.errors, PineconeError);
pyo3::import_exception!(pinecone_backups.errors, ConfigurationError);
pyo3::import_exception!(pinecone_backups.errors, ValidationError);
pyo3::import_exception!(pinecone_backups.errors, ArgumentTypeError);
pyo3::import_exception!(pinecone_backups.errors, ClientClosedError);
pyo3::import_exception!(pinecone_backups.errors, PineconeConnectionError);
pyo3::import_exception!(pinecone_backups.errors, PineconeTimeoutError);
pyo3::import_exception!(pinecone_backups.errors, ResponseDecodeError);
pyo3::import_exception!(pinecone_backups.errors, IncompleteResponseError);
pyo3::import_exception!(pinecone_backups.errors, PaginationCycleError);

/// Converts a core result into a Python one.
pub trait CoreResultExt<T> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> CoreResultExt<T> for Result<T, Error> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|err| to_pyerr(py, err))
    }
}

/// Every core error has exactly one Python class.
pub fn to_pyerr(py: Python<'_>, err: Error) -> PyErr {
    let built = match err {
        Error::Config(config) => configuration_error(py, config.setting, config.message),
        Error::InvalidArgument(arg) if arg.wrong_type => {
            argument_error(py, true, arg.param, arg.message)
        }
        Error::InvalidArgument(arg) => argument_error(py, false, arg.param, arg.message),
        Error::Api(api) => api_error(py, *api),
        Error::Decode(decode) => decode_error(py, &decode),
        Error::Connection(failure) => {
            transport_error(py, &py.get_type::<PineconeConnectionError>(), &failure)
        }
        Error::Timeout(failure) => {
            transport_error(py, &py.get_type::<PineconeTimeoutError>(), &failure)
        }
        Error::Closed => Ok(ClientClosedError::new_err(
            "the client is closed: create a new client to make requests",
        )),
    };
    built.unwrap_or_else(|failure| failure)
}

/// `ConfigurationError` for `setting`.
pub fn configuration_error(
    py: Python<'_>,
    setting: &str,
    message: impl Into<String>,
) -> PyResult<PyErr> {
    let kwargs = PyDict::new(py);
    kwargs.set_item("setting", setting)?;
    Ok(PyErr::from_value(
        py.get_type::<ConfigurationError>()
            .call((message.into(),), Some(&kwargs))?,
    ))
}

/// `ConfigurationError` for `setting` (the class's own failure if it cannot be built).
pub fn config_error(setting: &str, message: impl Into<String>) -> PyErr {
    Python::attach(|py| configuration_error(py, setting, message).unwrap_or_else(|e| e))
}

/// A bad argument of the given type-ness, raised before any request.
pub fn argument_error(
    py: Python<'_>,
    wrong_type: bool,
    param: &str,
    message: impl Into<String>,
) -> PyResult<PyErr> {
    let class = if wrong_type {
        py.get_type::<ArgumentTypeError>()
    } else {
        py.get_type::<ValidationError>()
    };
    let kwargs = PyDict::new(py);
    kwargs.set_item("param", param)?;
    Ok(PyErr::from_value(
        class.call((message.into(),), Some(&kwargs))?,
    ))
}

/// `ArgumentTypeError` for `param`, which must be `expected`.
pub fn wrong_type(param: &str, expected: &str, got: &Bound<'_, PyAny>) -> PyErr {
    let py = got.py();
    let got = got
        .get_type()
        .name()
        .map_or_else(|_| "?".into(), |n| n.to_string());
    let message = format!("{param} must be {expected}, not {got}");
    argument_error(py, true, param, message).unwrap_or_else(|failure| failure)
}

/// `ValidationError` for `param`.
pub fn bad_value(py: Python<'_>, param: &str, message: impl Into<String>) -> PyErr {
    argument_error(py, false, param, message).unwrap_or_else(|failure| failure)
}

/// A bug of ours, as a `PineconeError` rather than a panic.
pub fn internal_error(message: impl Into<String>) -> PyErr {
    PineconeError::new_err(message.into())
}

fn api_error(py: Python<'_>, err: ApiError) -> PyResult<PyErr> {
    static FACTORY: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();
    let factory = FACTORY.import(py, "pinecone_backups.errors", "_api_error")?;
    let details = err
        .details
        .as_ref()
        .map(|d| json_to_py(py, d))
        .transpose()?;
    let headers = PyDict::new(py);
    for (name, value) in &err.headers {
        headers.set_item(name, value)?;
    }
    let exception = factory.call1((
        err.status,
        err.code,
        PyString::new(py, &err.message),
        details,
        err.request_id,
        err.body,
        headers,
        err.attempts,
        err.maybe_processed,
    ))?;
    Ok(PyErr::from_value(exception))
}

fn decode_error(py: Python<'_>, err: &DecodeError) -> PyResult<PyErr> {
    let kwargs = PyDict::new(py);
    kwargs.set_item("status", err.status)?;
    kwargs.set_item("reason", &err.reason)?;
    kwargs.set_item("snippet", &err.snippet)?;
    kwargs.set_item("request_id", &err.request_id)?;
    kwargs.set_item("attempts", err.attempts)?;
    kwargs.set_item("maybe_processed", err.maybe_processed)?;
    let class = if let Some(cycle) = err.cycle {
        kwargs.set_item("page", cycle.page)?;
        kwargs.set_item("first_page", cycle.first_page)?;
        py.get_type::<PaginationCycleError>()
    } else if err.incomplete {
        py.get_type::<IncompleteResponseError>()
    } else {
        py.get_type::<ResponseDecodeError>()
    };
    let exception = class.call((err.to_string(),), Some(&kwargs))?;
    Ok(PyErr::from_value(exception))
}

fn transport_error(
    py: Python<'_>,
    class: &Bound<'_, pyo3::types::PyType>,
    failure: &TransportError,
) -> PyResult<PyErr> {
    let kwargs = PyDict::new(py);
    kwargs.set_item("attempts", failure.attempts)?;
    kwargs.set_item("maybe_processed", failure.maybe_processed)?;
    Ok(PyErr::from_value(
        class.call((failure.to_string(),), Some(&kwargs))?,
    ))
}
