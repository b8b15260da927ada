//! Python objects -> the core's Rust values (arguments, model fields), with the package's
//! `ValidationError` / `ArgumentTypeError` for what does not fit.

use pinecone_backups_core::{Int, Timestamp, MAX_JSON_DEPTH};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDateTime, PyDelta, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use pyo3::types::{PyDateAccess, PyDeltaAccess, PyTimeAccess};
use serde_json::Number;

use crate::errors::{bad_value, wrong_type};

/// JSON nested deeper than this is refused, as the core refuses it (a cyclic structure too).
const MAX_DEPTH: usize = MAX_JSON_DEPTH;

/// `ArgumentTypeError` unless `value` is an `int` or a `float` (a `bool` is not a number here).
pub fn require_number(value: &Bound<'_, PyAny>, what: &str) -> PyResult<()> {
    if value.is_instance_of::<PyBool>()
        || !(value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>())
    {
        return Err(wrong_type(what, "a number", value));
    }
    Ok(())
}

/// A finite `float` (or `int`, not `bool`).
pub fn py_to_finite_float(value: &Bound<'_, PyAny>, what: &str) -> PyResult<f64> {
    require_number(value, what)?;
    let number: f64 = value
        .extract()
        .map_err(|_| bad_value(value.py(), what, format!("{what} is out of range")))?;
    if !number.is_finite() {
        return Err(bad_value(
            value.py(),
            what,
            format!("{what} must be finite"),
        ));
    }
    Ok(number)
}

/// Python -> compact JSON text, for values that must be JSON-compatible (`schema`,
/// `from_dict`): `dict` with `str` keys, `list`, `tuple`, `str`, `int` of any size, finite
/// `float`, `bool` and `None`. Integers are written exactly.
pub fn py_to_json_text(value: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    let mut out = String::new();
    write_json(&mut out, value, what, 0)?;
    Ok(out)
}

fn write_json(
    out: &mut String,
    value: &Bound<'_, PyAny>,
    what: &str,
    depth: usize,
) -> PyResult<()> {
    let py = value.py();
    if depth > MAX_DEPTH {
        return Err(bad_value(
            py,
            what,
            format!("{what} is nested more than {MAX_DEPTH} levels deep"),
        ));
    }
    if value.is_none() {
        out.push_str("null");
    } else if let Ok(b) = value.cast::<PyBool>() {
        out.push_str(if b.is_true() { "true" } else { "false" });
    } else if value.is_instance_of::<PyInt>() {
        out.push_str(&py_to_int(value, what)?.to_string());
    } else if let Ok(f) = value.cast::<PyFloat>() {
        let number = Number::from_f64(f.value()).ok_or_else(|| {
            bad_value(py, what, format!("{what} holds a float that is not finite"))
        })?;
        out.push_str(&number.to_string());
    } else if let Ok(s) = value.cast::<PyString>() {
        write_json_string(out, s.to_str()?);
    } else if let Ok(dict) = value.cast::<PyDict>() {
        out.push('{');
        for (i, (key, item)) in dict.iter().enumerate() {
            let key = key
                .cast::<PyString>()
                .map_err(|_| wrong_type(what, "a JSON object with str keys", &key))?;
            if i > 0 {
                out.push(',');
            }
            write_json_string(out, key.to_str()?);
            out.push(':');
            write_json(out, &item, what, depth + 1)?;
        }
        out.push('}');
    } else if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        out.push('[');
        for (i, item) in value.try_iter()?.enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_json(out, &item?, what, depth + 1)?;
        }
        out.push(']');
    } else {
        return Err(wrong_type(
            what,
            "JSON-compatible (dict, list, str, int, float, bool or None)",
            value,
        ));
    }
    Ok(())
}

fn write_json_string(out: &mut String, text: &str) {
    out.push_str(&serde_json::to_string(text).expect("a str serializes"));
}

/// `ArgumentTypeError` unless `value` is an `int` (a `bool` is not one here).
pub fn require_int(value: &Bound<'_, PyAny>, what: &str) -> PyResult<()> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(wrong_type(what, "an int", value));
    }
    Ok(())
}

/// A Python `int` (not a `bool`) as an [`Int`].
pub fn py_to_int(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Int> {
    require_int(value, what)?;
    match value.extract::<i64>() {
        Ok(small) => Ok(Int::Small(small)),
        // `int.__repr__`, not `str()`: a subclass may print itself otherwise.
        Err(_) => {
            let digits = value
                .py()
                .get_type::<PyInt>()
                .call_method1("__repr__", (value,))
                .map_err(|_| bad_value(value.py(), what, format!("{what} has too many digits")))?;
            Int::parse(digits.cast::<PyString>()?.to_str()?)
                .ok_or_else(|| bad_value(value.py(), what, format!("{what} is not an integer")))
        }
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
