//! Conversions between Python objects and the core's Rust values, and argument parsing.

use pinecone_backups_core::{Int, Timestamp};
use pyo3::exceptions::PyOverflowError;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyDateTime, PyDelta, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyTzInfo,
};
use pyo3::types::{PyDateAccess, PyDeltaAccess, PyTimeAccess};
use serde_json::{Map, Number, Value};

use crate::errors::{bad_value, wrong_type};

/// JSON nested deeper than this is refused (and cannot come from the server: serde_json stops
/// at 128).
const MAX_DEPTH: usize = 128;

/// A Python `int` of any size.
pub fn int_to_py<'py>(py: Python<'py>, value: &Int) -> PyResult<Bound<'py, PyAny>> {
    match value {
        Int::Small(small) => Ok(small.into_pyobject(py)?.into_any()),
        Int::Big(digits) => py.get_type::<PyInt>().call1((&**digits,)),
    }
}

/// JSON -> Python (`dict`, `list`, `str`, `int` of any size, `float`, `bool`, `None`).
pub fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(number) => number_to_py(py, number)?,
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map {
                dict.set_item(key, json_to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

fn number_to_py<'py>(py: Python<'py>, number: &Number) -> PyResult<Bound<'py, PyAny>> {
    if let Some(small) = number.as_i64() {
        return Ok(small.into_pyobject(py)?.into_any());
    }
    let text = number.to_string();
    match Int::parse(&text) {
        Some(int) => int_to_py(py, &int),
        None => py.get_type::<PyFloat>().call1((text,)),
    }
}

/// Python -> JSON, for values that must be JSON-compatible (`schema`, `from_dict`).
pub fn py_to_json(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    py_to_json_at(value, what, 0)
}

fn py_to_json_at(value: &Bound<'_, PyAny>, what: &str, depth: usize) -> PyResult<Value> {
    let py = value.py();
    if depth > MAX_DEPTH {
        return Err(bad_value(
            py,
            what,
            format!("{what} is nested more than {MAX_DEPTH} levels deep"),
        ));
    }
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        let int = py_to_int(value, what)?;
        return Ok(Value::Number(
            int.to_string()
                .parse::<Number>()
                .expect("an integer is a JSON number"),
        ));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| {
                bad_value(py, what, format!("{what} holds a float that is not finite"))
            });
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_owned()));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::with_capacity(dict.len());
        for (key, item) in dict.iter() {
            let key = key
                .cast::<PyString>()
                .map_err(|_| wrong_type(what, "a JSON object with str keys", &key))?;
            map.insert(
                key.to_str()?.to_owned(),
                py_to_json_at(&item, what, depth + 1)?,
            );
        }
        return Ok(Value::Object(map));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let items = value
            .try_iter()?
            .map(|item| py_to_json_at(&item?, what, depth + 1))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok(Value::Array(items));
    }
    Err(wrong_type(
        what,
        "JSON-compatible (dict, list, str, int, float, bool or None)",
        value,
    ))
}

/// A Python `int` (not a `bool`) as an [`Int`].
pub fn py_to_int(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Int> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(wrong_type(what, "an int", value));
    }
    match value.extract::<i64>() {
        Ok(small) => Ok(Int::Small(small)),
        Err(_) => Ok(Int::Big(value.str()?.to_str()?.into())),
    }
}

/// An optional `int` argument (`limit`, `max_items`...) as an `i64`: `bool` is refused, and an
/// int beyond `i64` is reported as out of range.
pub fn opt_i64(value: Option<&Bound<'_, PyAny>>, what: &str, range: &str) -> PyResult<Option<i64>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(wrong_type(what, "an int", value));
    }
    match value.extract::<i64>() {
        Ok(v) => Ok(Some(v)),
        Err(err) if err.is_instance_of::<PyOverflowError>(value.py()) => Err(bad_value(
            value.py(),
            what,
            format!("{what} must be {range}, got {}", value.repr()?),
        )),
        Err(err) => Err(err),
    }
}

/// A required `str` argument.
pub fn req_str(value: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    match value.cast::<PyString>() {
        Ok(s) => Ok(s.to_str()?.to_owned()),
        Err(_) => Err(wrong_type(what, "a str", value)),
    }
}

/// An optional `str` argument (`None` for absent).
pub fn opt_str(value: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<String>> {
    match value.filter(|v| !v.is_none()) {
        Some(value) => req_str(value, what).map(Some),
        None => Ok(None),
    }
}

/// An optional `dict[str, str]` argument, in iteration order.
pub fn opt_str_dict(
    value: Option<&Bound<'_, PyAny>>,
    what: &str,
) -> PyResult<Option<Vec<(String, String)>>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    let dict = value
        .cast::<PyDict>()
        .map_err(|_| wrong_type(what, "a dict of str to str", value))?;
    let mut pairs = Vec::with_capacity(dict.len());
    for (key, item) in dict.iter() {
        let key = key
            .cast::<PyString>()
            .map_err(|_| wrong_type(what, "a dict of str to str", &key))?;
        let item = item
            .cast::<PyString>()
            .map_err(|_| wrong_type(what, "a dict of str to str", &item))?;
        pairs.push((key.to_str()?.to_owned(), item.to_str()?.to_owned()));
    }
    Ok(Some(pairs))
}

/// A timezone-aware `datetime` for a parsed timestamp.
pub fn timestamp_to_py<'py>(py: Python<'py>, t: &Timestamp) -> PyResult<Bound<'py, PyDateTime>> {
    let tz = if t.offset_minutes == 0 {
        PyTzInfo::utc(py)?.to_owned()
    } else {
        let delta = PyDelta::new(py, 0, i32::from(t.offset_minutes) * 60, 0, true)?;
        PyTzInfo::fixed_offset(py, delta)?
    };
    PyDateTime::new(
        py,
        i32::from(t.year),
        t.month,
        t.day,
        t.hour,
        t.minute,
        t.second,
        t.microsecond(),
        Some(&tz),
    )
}

/// A timezone-aware `datetime` as a [`Timestamp`] (naive ones are refused: their instant is
/// unknown).
pub fn py_to_timestamp(value: &Bound<'_, PyDateTime>, what: &str) -> PyResult<Timestamp> {
    let py = value.py();
    let offset = value
        .call_method0("utcoffset")?
        .cast_into::<PyDelta>()
        .map_err(|_| {
            bad_value(
                py,
                what,
                format!("{what} must be a timezone-aware datetime"),
            )
        })?;
    let offset_seconds = offset.get_days() * 86_400 + offset.get_seconds();
    if offset_seconds % 60 != 0 || offset.get_microseconds() != 0 {
        return Err(bad_value(
            py,
            what,
            format!("{what} has a UTC offset that is not whole minutes"),
        ));
    }
    Ok(Timestamp {
        year: u16::try_from(value.get_year()).unwrap_or(1),
        month: value.get_month(),
        day: value.get_day(),
        hour: value.get_hour(),
        minute: value.get_minute(),
        second: value.get_second(),
        nanosecond: value.get_microsecond() * 1000,
        offset_minutes: (offset_seconds / 60) as i16,
    })
}
