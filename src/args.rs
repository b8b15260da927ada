//! The operations' arguments from Python values: the binding checks a value's Python type (a
//! `str`, an `int`...) and hands it to the core, which checks the value itself, once.

use pinecone_backups_core::args::{self as core_args, Arg};
use pinecone_backups_core::Int;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyString};

use crate::convert::{py_to_int, py_to_json_text};
use crate::errors::{wrong_type, CoreResultExt};

/// What a core argument is made from, as Python gives it.
pub trait Raw: Sized {
    /// Its annotation in the stub (for an argument that may be left out, `| None` is added).
    const ANNOTATION: &'static str;
    /// The value of `param`, its type checked.
    fn from_py(value: &Bound<'_, PyAny>, param: &str) -> PyResult<Self>;
}

impl Raw for String {
    const ANNOTATION: &'static str = "str";
    fn from_py(value: &Bound<'_, PyAny>, param: &str) -> PyResult<Self> {
        match value.cast::<PyString>() {
            Ok(text) => Ok(text.to_str()?.to_owned()),
            Err(_) => Err(wrong_type(param, "a str", value)),
        }
    }
}

impl Raw for Int {
    const ANNOTATION: &'static str = "int";
    fn from_py(value: &Bound<'_, PyAny>, param: &str) -> PyResult<Self> {
        py_to_int(value, param)
    }
}

impl Raw for bool {
    const ANNOTATION: &'static str = "bool";
    fn from_py(value: &Bound<'_, PyAny>, param: &str) -> PyResult<Self> {
        value
            .cast::<PyBool>()
            .map(pyo3::types::PyBoolMethods::is_true)
            .map_err(|_| wrong_type(param, "a bool", value))
    }
}

impl Raw for Vec<(String, String)> {
    const ANNOTATION: &'static str = "dict[str, str]";
    fn from_py(value: &Bound<'_, PyAny>, param: &str) -> PyResult<Self> {
        let dict = value
            .cast::<PyDict>()
            .map_err(|_| wrong_type(param, "a dict of str to str", value))?;
        let mut pairs = Vec::with_capacity(dict.len());
        for (key, item) in dict.iter() {
            let key = key
                .cast::<PyString>()
                .map_err(|_| wrong_type(param, "a dict of str to str", &key))?;
            let item = item
                .cast::<PyString>()
                .map_err(|_| wrong_type(param, "a dict of str to str", &item))?;
            pairs.push((key.to_str()?.to_owned(), item.to_str()?.to_owned()));
        }
        Ok(pairs)
    }
}

impl Raw for core_args::JsonObject {
    const ANNOTATION: &'static str = "dict[str, Any]";
    fn from_py(value: &Bound<'_, PyAny>, param: &str) -> PyResult<Self> {
        if !value.is_instance_of::<PyDict>() {
            return Err(wrong_type(param, "a dict", value));
        }
        py_to_json_text(value, param).map(core_args::JsonObject)
    }
}

/// A core argument from a Python value.
pub trait PyArg: Arg {
    const ANNOTATION: &'static str;
    fn from_py(value: &Bound<'_, PyAny>, param: &'static str) -> PyResult<Self>;
}

impl<A: Arg> PyArg for A
where
    A::Raw: Raw,
{
    const ANNOTATION: &'static str = <A::Raw as Raw>::ANNOTATION;
    fn from_py(value: &Bound<'_, PyAny>, param: &'static str) -> PyResult<Self> {
        let raw = <A::Raw as Raw>::from_py(value, param)?;
        A::parse(raw, param).or_raise(value.py())
    }
}

/// A required argument.
pub fn required<A: PyArg>(value: &Bound<'_, PyAny>, param: &'static str) -> PyResult<A> {
    A::from_py(value, param)
}

/// An optional argument: `None` (or not given) is left out.
pub fn optional<A: PyArg>(
    value: Option<&Bound<'_, PyAny>>,
    param: &'static str,
) -> PyResult<Option<A>> {
    value
        .filter(|v| !v.is_none())
        .map(|v| A::from_py(v, param))
        .transpose()
}

/// The options of a walk over pages: `page_size` (default 100) and `max_items`.
pub fn iter_options(
    page_size: Option<&Bound<'_, PyAny>>,
    max_items: Option<&Bound<'_, PyAny>>,
) -> PyResult<pinecone_backups_core::IterOptions> {
    Ok(pinecone_backups_core::IterOptions {
        page_size: optional::<core_args::Limit>(page_size, "page_size")?
            .unwrap_or(core_args::Limit::MAX),
        max_items: optional::<core_args::MaxItems>(max_items, "max_items")?,
    })
}
