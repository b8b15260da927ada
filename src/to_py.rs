//! Rust values -> Python objects: what the core decoded, as Python sees it. Nothing here can
//! fail on a bad argument (that is `convert`'s side), so this module raises no exception of the
//! package.

use pinecone_backups_core::{Int, Timestamp};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyBytes, PyDateTime, PyDelta, PyDict, PyFloat, PyInt, PyList, PyString, PyTzInfo,
};
use serde_json::{Number, Value};

/// A Python `int` of any size. Big ones are built from their bytes, so that Python's limit on
/// int/str conversions (`sys.set_int_max_str_digits`) does not apply.
pub fn int_to_py<'py>(py: Python<'py>, value: &Int) -> PyResult<Bound<'py, PyAny>> {
    match value {
        Int::Small(small) => Ok(small.into_pyobject(py)?.into_any()),
        Int::Big(digits) => {
            let (negative, digits) = match digits.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, &**digits),
            };
            let bytes = PyBytes::new(py, &decimal_to_be_bytes(digits));
            let int = py
                .get_type::<PyInt>()
                .call_method1("from_bytes", (bytes, "big"))?;
            if negative {
                int.neg()
            } else {
                Ok(int)
            }
        }
    }
}

/// The big-endian bytes of a decimal number (ASCII digits only, as [`Int`] keeps them).
fn decimal_to_be_bytes(digits: &str) -> Vec<u8> {
    // Little-endian base-2^32 limbs, fed nine digits at a time.
    let mut limbs: Vec<u32> = vec![0];
    for chunk in digits.as_bytes().chunks(9) {
        let (mut multiplier, mut addend) = (1u64, 0u64);
        for digit in chunk {
            multiplier *= 10;
            addend = addend * 10 + u64::from(digit - b'0');
        }
        let mut carry = addend;
        for limb in &mut limbs {
            let value = u64::from(*limb) * multiplier + carry;
            *limb = value as u32;
            carry = value >> 32;
        }
        if carry > 0 {
            limbs.push(carry as u32);
        }
    }
    let mut bytes: Vec<u8> = limbs
        .iter()
        .rev()
        .flat_map(|limb| limb.to_be_bytes())
        .collect();
    let leading_zeros = bytes.iter().take_while(|b| **b == 0).count();
    bytes.drain(..leading_zeros.min(bytes.len().saturating_sub(1)));
    bytes
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

/// `json.loads(text)`: kept JSON (schema, unknown fields, whole backups) as Python values, with
/// integers of any size exact, as Python's own `json` reads them.
pub fn json_text_to_py<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    LOADS.import(py, "json", "loads")?.call1((text,))
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
