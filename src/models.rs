//! `Backup`, `Pagination` and `BackupList`: immutable Python objects over the core's Rust values,
//! behaving like frozen dataclasses (fields metadata, `repr`, `==`, `hash`, pickling, `copy`,
//! `__match_args__`). Python objects for a field are made when the field is read.

use std::hash::{Hash, Hasher};

use pinecone_backups_core as core;
use std::sync::Arc;

use pinecone_backups_core::{Field, RawJson, Tags, Timestamp, BACKUP_FIELDS};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDateTime, PyDict, PyList, PySlice, PyString, PyTuple, PyType};

use crate::convert::{
    int_to_py, json_text_to_py, opt_str, opt_str_dict, py_to_int, py_to_json_text, py_to_timestamp,
    req_str, timestamp_to_py,
};
use crate::errors::{bad_value, wrong_type};

/// The bytes of a JSON text given as `str` or `bytes`.
fn json_bytes<'a>(data: &'a Bound<'_, PyAny>) -> PyResult<&'a [u8]> {
    if let Ok(text) = data.cast::<PyString>() {
        Ok(text.to_str()?.as_bytes())
    } else if let Ok(bytes) = data.cast::<PyBytes>() {
        Ok(bytes.as_bytes())
    } else {
        Err(wrong_type("data", "a str or bytes", data))
    }
}

/// A lazily computed class attribute from `pinecone_backups._fields` (dataclass metadata).
fn dataclass_attribute(py: Python<'_>, model: &str, attribute: &str) -> PyResult<Py<PyAny>> {
    Ok(py
        .import("pinecone_backups._fields")?
        .getattr("DataclassAttribute")?
        .call1((model, attribute))?
        .unbind())
}

pub(crate) fn stable_hash(value: impl Hash) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// `Name(field=repr, ...)` from the object's own attributes.
fn dataclass_repr(obj: &Bound<'_, PyAny>, name: &str, fields: &[&str]) -> PyResult<String> {
    let mut parts = Vec::with_capacity(fields.len());
    for field in fields {
        parts.push(format!("{field}={}", obj.getattr(*field)?.repr()?));
    }
    Ok(format!("{name}({})", parts.join(", ")))
}

/// A core value that becomes one Python object.
pub trait IntoPyModel: Send + 'static {
    fn into_py_model(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>>;
}

impl IntoPyModel for core::Backup {
    fn into_py_model(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        Ok(Bound::new(py, Backup { inner: self })?.into_any())
    }
}

impl IntoPyModel for core::BackupList {
    fn into_py_model(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        Ok(Bound::new(py, BackupList::from_core(py, self)?)?.into_any())
    }
}

/// One backup of an index (the spec's `BackupModel`).
#[pyclass(frozen, module = "pinecone_backups", name = "Backup")]
pub struct Backup {
    pub inner: core::Backup,
}

impl Backup {
    fn from_json_text(py: Python<'_>, json: &[u8]) -> PyResult<Backup> {
        core::Backup::from_json(json)
            .map(|inner| Backup { inner })
            .map_err(|reason| bad_value(py, "data", format!("not a valid Backup: {reason}")))
    }
}

#[pymethods]
impl Backup {
    #[new]
    #[pyo3(signature = (
        backup_id, source_index_name, source_index_id, status, cloud, region, name=None,
        description=None, dimension=None, metric=None, schema=None, record_count=None,
        namespace_count=None, size_bytes=None, tags=None, created_at=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        backup_id: &Bound<'_, PyAny>,
        source_index_name: &Bound<'_, PyAny>,
        source_index_id: &Bound<'_, PyAny>,
        status: &Bound<'_, PyAny>,
        cloud: &Bound<'_, PyAny>,
        region: &Bound<'_, PyAny>,
        name: Option<&Bound<'_, PyAny>>,
        description: Option<&Bound<'_, PyAny>>,
        dimension: Option<&Bound<'_, PyAny>>,
        metric: Option<&Bound<'_, PyAny>>,
        schema: Option<&Bound<'_, PyAny>>,
        record_count: Option<&Bound<'_, PyAny>>,
        namespace_count: Option<&Bound<'_, PyAny>>,
        size_bytes: Option<&Bound<'_, PyAny>>,
        tags: Option<&Bound<'_, PyAny>>,
        created_at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let int = |value: Option<&Bound<'_, PyAny>>, what: &str| {
            value
                .filter(|v| !v.is_none())
                .map(|v| py_to_int(v, what))
                .transpose()
                .map(Field::from_option)
        };
        let mut inner = core::Backup::new(
            req_str(backup_id, "backup_id")?,
            req_str(source_index_name, "source_index_name")?,
            req_str(source_index_id, "source_index_id")?,
            req_str(status, "status")?,
            req_str(cloud, "cloud")?,
            req_str(region, "region")?,
        );
        inner.name = Field::from_option(opt_str(name, "name")?);
        inner.description = Field::from_option(opt_str(description, "description")?);
        inner.dimension = int(dimension, "dimension")?;
        inner.metric = Field::from_option(opt_str(metric, "metric")?.map(Arc::from));
        inner.record_count = int(record_count, "record_count")?;
        inner.namespace_count = int(namespace_count, "namespace_count")?;
        inner.size_bytes = int(size_bytes, "size_bytes")?;
        inner.tags = Field::from_option(opt_str_dict(tags, "tags")?.map(Tags::from_pairs));
        if let Some(schema) = schema.filter(|v| !v.is_none()) {
            if !schema.is_instance_of::<PyDict>() {
                return Err(wrong_type("schema", "a dict or None", schema));
            }
            let text = py_to_json_text(schema, "schema")?;
            let raw = RawJson::from_text(text).map_err(|reason| {
                bad_value(schema.py(), "schema", format!("schema holds {reason}"))
            })?;
            inner.schema = Field::Value(raw);
        }
        if let Some(created_at) = created_at.filter(|v| !v.is_none()) {
            let text = if let Ok(dt) = created_at.cast::<PyDateTime>() {
                py_to_timestamp(dt, "created_at")?.to_string()
            } else if let Ok(text) = created_at.cast::<PyString>() {
                text.to_str()?.to_owned()
            } else {
                return Err(wrong_type(
                    "created_at",
                    "a datetime, a str or None",
                    created_at,
                ));
            };
            inner.created_at = Field::Value(text);
        }
        Ok(Backup { inner })
    }

    #[getter]
    fn backup_id(&self) -> &str {
        &self.inner.backup_id
    }
    #[getter]
    fn source_index_name(&self) -> &str {
        &self.inner.source_index_name
    }
    #[getter]
    fn source_index_id(&self) -> &str {
        &self.inner.source_index_id
    }
    #[getter]
    fn status(&self) -> &str {
        &self.inner.status
    }
    #[getter]
    fn cloud(&self) -> &str {
        &self.inner.cloud
    }
    #[getter]
    fn region(&self) -> &str {
        &self.inner.region
    }
    #[getter]
    fn name(&self) -> Option<&str> {
        self.inner.name.get().map(String::as_str)
    }
    #[getter]
    fn description(&self) -> Option<&str> {
        self.inner.description.get().map(String::as_str)
    }
    #[getter]
    fn dimension<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .dimension
            .get()
            .map(|v| int_to_py(py, v))
            .transpose()
    }
    #[getter]
    fn metric(&self) -> Option<&str> {
        self.inner.metric.get().map(|metric| &**metric)
    }
    /// The metadata schema as a plain dict (a new one on each access), or `None`.
    #[getter]
    fn schema<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .schema
            .get()
            .map(|raw| json_text_to_py(py, raw.get()))
            .transpose()
    }
    #[getter]
    fn record_count<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .record_count
            .get()
            .map(|v| int_to_py(py, v))
            .transpose()
    }
    #[getter]
    fn namespace_count<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .namespace_count
            .get()
            .map(|v| int_to_py(py, v))
            .transpose()
    }
    #[getter]
    fn size_bytes<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .size_bytes
            .get()
            .map(|v| int_to_py(py, v))
            .transpose()
    }
    /// The tags as a dict (a new one on each access; empty when the server sent none).
    #[getter]
    fn tags<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        if let Some(tags) = self.inner.tags.get() {
            for (key, value) in tags.pairs() {
                dict.set_item(key, value)?;
            }
        }
        Ok(dict)
    }
    /// A timezone-aware `datetime`, or `None` when absent or not RFC 3339.
    #[getter]
    fn created_at<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDateTime>>> {
        self.inner
            .created_at_timestamp()
            .map(|t: Timestamp| timestamp_to_py(py, &t))
            .transpose()
    }

    /// The backup as JSON-ready data: exactly what the server sent (timestamps as text, `null`s
    /// kept, unknown fields included).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_text_to_py(py, &self.to_json(py)?)
    }

    /// The backup as a JSON text (what `to_dict()` holds).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        serde_json::to_string(&self.inner).map_err(|e| bad_value(py, "self", e.to_string()))
    }

    /// A `Backup` from a dict shaped like the API's `BackupModel` (what `to_dict()` returns).
    #[classmethod]
    fn from_dict(_cls: &Bound<'_, PyType>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        if !data.is_instance_of::<PyDict>() {
            return Err(wrong_type("data", "a dict", data));
        }
        Backup::from_json_text(data.py(), py_to_json_text(data, "data")?.as_bytes())
    }

    /// A `Backup` from a JSON text (`str` or `bytes`) of one `BackupModel`.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Backup::from_json_text(data.py(), json_bytes(data)?)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        dataclass_repr(slf.as_any(), "Backup", &BACKUP_FIELDS)
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner.same_fields(&other.inner)
    }

    fn __hash__(&self) -> u64 {
        // Equal backups have equal ids; the id is a good hash on its own.
        stable_hash(&self.inner.backup_id)
    }

    /// Pickled as its JSON text (`Backup.from_json(backup.to_json())`).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let py = slf.py();
        Ok((
            py.get_type::<Backup>().getattr("from_json")?,
            (slf.get().to_json(py)?,),
        ))
    }

    fn __copy__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __deepcopy__<'py>(slf: Bound<'py, Self>, _memo: &Bound<'py, PyAny>) -> Bound<'py, Self> {
        slf
    }

    #[classattr]
    fn __match_args__(py: Python<'_>) -> PyResult<Py<PyTuple>> {
        Ok(PyTuple::new(py, BACKUP_FIELDS)?.unbind())
    }

    #[classattr]
    fn __dataclass_fields__(py: Python<'_>) -> PyResult<Py<PyAny>> {
        dataclass_attribute(py, "Backup", "__dataclass_fields__")
    }

    #[classattr]
    fn __dataclass_params__(py: Python<'_>) -> PyResult<Py<PyAny>> {
        dataclass_attribute(py, "Backup", "__dataclass_params__")
    }
}

/// The `pagination` of a page that has a next page.
#[pyclass(frozen, module = "pinecone_backups", name = "Pagination")]
pub struct Pagination {
    next: String,
}

#[pymethods]
impl Pagination {
    #[new]
    fn new(next: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = next.py();
        let next = req_str(next, "next")?;
        if next.is_empty() {
            return Err(bad_value(py, "next", "next must be a non-empty str"));
        }
        Ok(Pagination { next })
    }

    /// The token of the next page: pass it as `pagination_token`.
    #[getter]
    fn next(&self) -> &str {
        &self.next
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("next", &self.next)?;
        Ok(dict)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Pagination(next={})",
            PyString::new(py, &self.next).repr()?
        ))
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.next == other.next
    }

    fn __hash__(&self) -> u64 {
        stable_hash(&self.next)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> (Bound<'py, PyType>, (String,)) {
        (py.get_type::<Pagination>(), (self.next.clone(),))
    }

    fn __copy__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __deepcopy__<'py>(slf: Bound<'py, Self>, _memo: &Bound<'py, PyAny>) -> Bound<'py, Self> {
        slf
    }

    #[classattr]
    fn __match_args__(py: Python<'_>) -> PyResult<Py<PyTuple>> {
        Ok(PyTuple::new(py, ["next"])?.unbind())
    }

    #[classattr]
    fn __dataclass_fields__(py: Python<'_>) -> PyResult<Py<PyAny>> {
        dataclass_attribute(py, "Pagination", "__dataclass_fields__")
    }

    #[classattr]
    fn __dataclass_params__(py: Python<'_>) -> PyResult<Py<PyAny>> {
        dataclass_attribute(py, "Pagination", "__dataclass_params__")
    }
}

/// One page of backups (the spec's `BackupList`): a sequence of `Backup` objects plus the
/// `pagination` to the next page (`None` on the last page).
#[pyclass(frozen, sequence, module = "pinecone_backups", name = "BackupList")]
pub struct BackupList {
    data: Vec<Py<Backup>>,
    pagination: Option<Py<Pagination>>,
}

impl BackupList {
    pub fn from_core(py: Python<'_>, page: core::BackupList) -> PyResult<BackupList> {
        let data = page
            .data
            .into_iter()
            .map(|inner| Py::new(py, Backup { inner }))
            .collect::<PyResult<Vec<_>>>()?;
        let pagination = page
            .pagination
            .map(|p| Py::new(py, Pagination { next: p.next }))
            .transpose()?;
        Ok(BackupList { data, pagination })
    }

    fn list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.data.iter().map(|b| b.bind(py)))
    }
}

#[pymethods]
impl BackupList {
    #[new]
    #[pyo3(signature = (data=None, pagination=None))]
    fn new(
        data: Option<&Bound<'_, PyAny>>,
        pagination: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut backups = Vec::new();
        if let Some(data) = data.filter(|d| !d.is_none()) {
            for item in data
                .try_iter()
                .map_err(|_| wrong_type("data", "an iterable of Backup", data))?
            {
                let item = item?;
                let backup = item.cast_into::<Backup>().map_err(|e| {
                    wrong_type("data", "an iterable of Backup", e.into_inner().as_any())
                })?;
                backups.push(backup.unbind());
            }
        }
        let pagination = match pagination.filter(|p| !p.is_none()) {
            Some(p) => Some(
                p.cast::<Pagination>()
                    .map_err(|_| wrong_type("pagination", "a Pagination or None", p))?
                    .clone()
                    .unbind(),
            ),
            None => None,
        };
        Ok(BackupList {
            data: backups,
            pagination,
        })
    }

    /// A page from the JSON text (`str` or `bytes`) of a `BackupList` response body, decoded as
    /// the client decodes responses.
    #[classmethod]
    fn from_json(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        match core::BackupList::from_json(json_bytes(data)?) {
            Ok(page) => BackupList::from_core(py, page),
            Err(reason) => Err(bad_value(
                py,
                "data",
                format!("not a valid BackupList: {reason}"),
            )),
        }
    }

    /// The page as a JSON text (what `to_dict()` holds).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        let page = core::BackupList {
            data: self.data.iter().map(|b| b.get().inner.clone()).collect(),
            pagination: self.pagination.as_ref().map(|p| core::Pagination {
                next: p.get().next.clone(),
            }),
        };
        serde_json::to_string(&page).map_err(|e| bad_value(py, "self", e.to_string()))
    }

    /// The backups of the page (a new list on each access).
    #[getter]
    fn data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.list(py)
    }

    #[getter]
    fn pagination(&self, py: Python<'_>) -> Option<Py<Pagination>> {
        self.pagination.as_ref().map(|p| p.clone_ref(py))
    }

    /// `pagination.next`, or `None` on the last page.
    #[getter]
    fn next_token(&self) -> Option<&str> {
        self.pagination.as_ref().map(|p| p.get().next.as_str())
    }

    fn __len__(&self) -> usize {
        self.data.len()
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        index: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if index.is_instance_of::<PySlice>() {
            return self.list(py)?.as_any().get_item(index);
        }
        let position: isize = index
            .extract()
            .map_err(|_| wrong_type("index", "an int or a slice", index))?;
        let len = self.data.len() as isize;
        let resolved = if position < 0 {
            position + len
        } else {
            position
        };
        if !(0..len).contains(&resolved) {
            return Err(pyo3::exceptions::PyIndexError::new_err(
                "BackupList index out of range",
            ));
        }
        Ok(self.data[resolved as usize].bind(py).clone().into_any())
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.list(py)?.as_any().try_iter()?.into_any())
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.data.len() == other.data.len()
            && self
                .data
                .iter()
                .zip(&other.data)
                .all(|(a, b)| a.get().inner.same_fields(&b.get().inner))
            && self.next_token() == other.next_token()
    }

    fn __hash__(&self) -> u64 {
        let ids: Vec<&str> = self
            .data
            .iter()
            .map(|b| b.get().inner.backup_id.as_str())
            .collect();
        stable_hash((ids, self.next_token()))
    }

    /// `{"data": [backup.to_dict(), ...], "pagination": {"next": ...} or None}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_text_to_py(py, &self.to_json(py)?)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        const SHOWN: usize = 3;
        let mut items = Vec::new();
        for backup in self.data.iter().take(SHOWN) {
            items.push(backup.bind(py).repr()?.to_string());
        }
        if self.data.len() > SHOWN {
            items.push(format!("... {} more", self.data.len() - SHOWN));
        }
        let pagination = match &self.pagination {
            Some(p) => p.get().__repr__(py)?,
            None => "None".to_owned(),
        };
        Ok(format!(
            "BackupList(data=[{}], pagination={pagination})",
            items.join(", ")
        ))
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let args = (self.list(py)?, self.pagination(py));
        PyTuple::new(
            py,
            [
                py.get_type::<BackupList>().into_any(),
                args.into_pyobject(py)?.into_any(),
            ],
        )
    }

    fn __copy__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __deepcopy__<'py>(slf: Bound<'py, Self>, _memo: &Bound<'py, PyAny>) -> Bound<'py, Self> {
        slf
    }

    #[classattr]
    fn __match_args__(py: Python<'_>) -> PyResult<Py<PyTuple>> {
        Ok(PyTuple::new(py, ["data", "pagination"])?.unbind())
    }

    #[classattr]
    fn __dataclass_fields__(py: Python<'_>) -> PyResult<Py<PyAny>> {
        dataclass_attribute(py, "BackupList", "__dataclass_fields__")
    }

    #[classattr]
    fn __dataclass_params__(py: Python<'_>) -> PyResult<Py<PyAny>> {
        dataclass_attribute(py, "BackupList", "__dataclass_params__")
    }
}
