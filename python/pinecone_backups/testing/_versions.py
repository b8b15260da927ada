"""The API versions the emulator speaks, and what differs between them, declared once.

Each request is answered in the version of its ``X-Pinecone-Api-Version`` header. An
:class:`ApiVersion` holds what that version's spec says: its error codes, how a 401 is written,
the page sizes, the success status of ``create_backup``, the rules of the request bodies, which
query parameters and routes exist, and how a backup and a restore job are shown. The data is kept
once, in the form API 2025-10 shows it (as given to ``add_backup``...); :func:`backup_view` and
:func:`job_view` show it in each version's shape, and the store writes every version's bytes when
it stores an item, so a listing only joins ready-made bytes whatever the version.

Adding a version: its spec's differences as one more :class:`ApiVersion` in :data:`VERSIONS`
(its checks in ``_bodies.py`` if its bodies have new rules), then the views below if its models
changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._bodies import (
    CREATE_BACKUP,
    CREATE_BACKUP_2026_07,
    CREATE_INDEX_FROM_BACKUP,
    CREATE_INDEX_FROM_BACKUP_2026_04,
    CREATE_INDEX_FROM_BACKUP_2026_07,
    FieldCheck,
)

_ERROR_CODES_2025_10: Mapping[int, str] = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    402: "PAYMENT_REQUIRED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    412: "FAILED_PRECONDITION",
    422: "UNPROCESSABLE_ENTITY",
    429: "RESOURCE_EXHAUSTED",
    500: "UNKNOWN",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
"""The ``error.code`` for each HTTP status (else ``UNKNOWN``), with the codes of 2025-10 and
2026-04 (which has the same list)."""

_ERROR_CODES_2026_07: Mapping[int, str] = {
    **{status: code for status, code in _ERROR_CODES_2025_10.items() if status != 501},
    413: "PAYLOAD_TOO_LARGE",
    503: "SERVICE_UNAVAILABLE",
}
"""2026-07 dropped ``QUOTA_EXCEEDED``, ``UNIMPLEMENTED``, ``UNAVAILABLE`` and ``DATA_LOSS`` and
added ``SERVICE_UNAVAILABLE`` and ``PAYLOAD_TOO_LARGE``: a 503 is ``SERVICE_UNAVAILABLE``, a 413
``PAYLOAD_TOO_LARGE``, a 501 ``UNKNOWN``."""

UNAUTHORIZED_TEXT = "Invalid API key"
"""The ``text/plain`` body of a 401 from API 2026-07 (the spec's ``UnauthorizedMessage``)."""

UNAUTHORIZED_MESSAGE = "Invalid API key."
"""The ``error.message`` of a 401 ``ErrorResponse`` before API 2026-07."""


@dataclass(frozen=True, slots=True)
class ApiVersion:
    """One API version: what its spec says where the versions differ.

    ``position`` is its place in :data:`VERSIONS`, and in the bodies the store keeps for each
    item. ``default_page_size`` is a listing's page size without ``limit``; ``max_page_size``
    the largest ``limit`` (``None``: any positive integer). ``include_deleted`` says whether
    ``list_index_backups`` reads that parameter; ``delete_waits_for_restores`` whether a backup
    with a pending restore job is refused a delete (412); ``schedules`` whether the backup
    schedule routes exist; ``unauthorized_as_text`` whether a 401 is plain text rather than an
    ``ErrorResponse``.
    """

    name: str
    position: int
    error_codes: Mapping[int, str]
    unauthorized_as_text: bool
    create_backup_status: int
    create_backup_fields: Mapping[str, FieldCheck]
    create_index_fields: Mapping[str, FieldCheck]
    default_page_size: int
    max_page_size: int | None
    include_deleted: bool
    delete_waits_for_restores: bool
    schedules: bool

    def error_code(self, status: int) -> str:
        """The ``error.code`` of an error with HTTP ``status`` (``"UNKNOWN"`` if none fits)."""
        return self.error_codes.get(status, "UNKNOWN")


V2025_10 = ApiVersion(
    name="2025-10",
    position=0,
    error_codes=_ERROR_CODES_2025_10,
    unauthorized_as_text=False,
    create_backup_status=201,
    create_backup_fields=CREATE_BACKUP,
    create_index_fields=CREATE_INDEX_FROM_BACKUP,
    default_page_size=10,
    max_page_size=100,
    include_deleted=False,
    delete_waits_for_restores=True,
    schedules=False,
)
V2026_04 = ApiVersion(
    name="2026-04",
    position=1,
    error_codes=_ERROR_CODES_2025_10,
    unauthorized_as_text=False,
    create_backup_status=201,
    create_backup_fields=CREATE_BACKUP,
    create_index_fields=CREATE_INDEX_FROM_BACKUP_2026_04,
    default_page_size=10,
    max_page_size=100,
    include_deleted=True,
    delete_waits_for_restores=True,
    schedules=False,
)
V2026_07 = ApiVersion(
    name="2026-07",
    position=2,
    error_codes=_ERROR_CODES_2026_07,
    unauthorized_as_text=True,
    create_backup_status=200,
    create_backup_fields=CREATE_BACKUP_2026_07,
    create_index_fields=CREATE_INDEX_FROM_BACKUP_2026_07,
    default_page_size=100,
    max_page_size=None,
    include_deleted=True,
    delete_waits_for_restores=False,
    schedules=True,
)

VERSIONS: tuple[ApiVersion, ...] = (V2025_10, V2026_04, V2026_07)
"""Every version the emulator speaks, oldest first (each one's ``position`` is its index)."""

VERSION_NAMES: tuple[str, ...] = tuple(version.name for version in VERSIONS)

_BY_NAME = {version.name: version for version in VERSIONS}

SCHEDULES_VERSION = V2026_07
"""The version whose shapes backup schedules and their history are written in."""


def version_named(name: str | None) -> ApiVersion | None:
    """The version called ``name``, or ``None`` if the emulator does not speak it."""
    return _BY_NAME.get(name) if isinstance(name, str) else None


# -- how each version shows a backup and a restore job -----------------------------------------

_DELETED_AT_AFTER = "source_index_id"
"""``source_index_deleted_at`` is shown right after this field (the spec's order)."""


def _with_deleted_at(item: Mapping[str, Any], deleted_at: str) -> dict[str, Any]:
    if "source_index_deleted_at" in item:
        return dict(item)  # given: served as given
    shown: dict[str, Any] = {}
    for key, value in item.items():
        shown[key] = value
        if key == _DELETED_AT_AFTER:
            shown["source_index_deleted_at"] = deleted_at
    shown.setdefault("source_index_deleted_at", deleted_at)
    return shown


def index_schema(item: Mapping[str, Any]) -> dict[str, Any] | None:
    """A backup's ``schema`` as API 2026-07's ``IndexSchema``, from what 2025-10 shows.

    A schema whose fields are already typed (a field with a ``type``) is kept as it is. Else the
    dense vectors of a backup with a ``dimension`` are the reserved field ``_values``
    (``dense_vector``, its ``metric``, ``cosine`` by default) beside ``_sparse_values``, as the
    spec says indexes made from ``dimension`` and ``metric`` report them, and the metadata fields
    (``{"filterable": true}``) are kept as legacy fields. ``None`` when there is nothing to say
    (no schema, no dimension) or the schema is not an object with ``fields``.
    """
    schema = item.get("schema")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if schema is not None and not isinstance(fields, dict):
        return None
    fields = fields or {}
    typed = any(isinstance(field, dict) and "type" in field for field in fields.values())
    dimension = item.get("dimension")
    if typed or type(dimension) is not int:
        return {**schema, "fields": dict(fields)} if isinstance(schema, dict) else None
    metric = item.get("metric")
    vectors = {
        "_values": {
            "type": "dense_vector",
            "dimension": dimension,
            "metric": metric if isinstance(metric, str) else "cosine",
        },
        "_sparse_values": {"type": "sparse_vector"},
    }
    return {**(schema or {}), "fields": {**vectors, **fields}}


_STATUSES_2026_07 = {"Pending": "Initializing", "Failed": "InitializationFailed"}
"""2025-10's other names of the statuses 2026-07 lists (``Initializing``, ``Ready``,
``InitializationFailed``): the docs' ``Pending``, the spec's description's ``Failed``."""


def backup_view(item: Mapping[str, Any], deleted_at: str | None, version: ApiVersion) -> Any:
    """Backup ``item`` (as 2025-10 shows it) as ``version`` shows it; ``deleted_at`` is when
    its source index was deleted (``None``: it was not)."""
    if version is V2025_10:
        return item
    shown = item if deleted_at is None else _with_deleted_at(item, deleted_at)
    if version is V2026_04:
        return shown
    shown = dict(shown)
    shown.pop("dimension", None)
    shown.pop("metric", None)
    status = shown.get("status")
    if isinstance(status, str) and status in _STATUSES_2026_07:
        shown["status"] = _STATUSES_2026_07[status]
    if "schema" in item or type(item.get("dimension")) is int:
        schema = index_schema(item)
        if schema is None:
            shown.pop("schema", None)
        elif "schema" in shown:
            shown["schema"] = schema
        else:  # where 2025-10 has the dimension: before the counts
            shown = _inserted_before(shown, "schema", schema, ("record_count", "created_at"))
    return shown


def _inserted_before(
    item: Mapping[str, Any], key: str, value: Any, before: tuple[str, ...]
) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for name, field in item.items():
        if key not in shown and name in before:
            shown[key] = value
        shown[name] = field
    shown.setdefault(key, value)
    return shown


def job_view(item: Mapping[str, Any], version: ApiVersion) -> Any:
    """Restore job ``item`` (as 2025-10 shows it) as ``version`` shows it: from 2026-07,
    ``percent_complete`` is an integer, absent when it is null (pending or failed)."""
    if version is not V2026_07 or "percent_complete" not in item:
        return item
    shown = dict(item)
    percent = shown.pop("percent_complete")
    if isinstance(percent, float) and percent.is_integer():
        shown["percent_complete"] = int(percent)
    elif percent is not None:
        shown["percent_complete"] = percent  # given: served as given
    return _reordered(shown, item)


def _reordered(shown: dict[str, Any], like: Mapping[str, Any]) -> dict[str, Any]:
    """``shown`` with its keys in the order of ``like`` (others last)."""
    ordered = {key: shown[key] for key in like if key in shown}
    ordered.update(shown)
    return ordered


# -- how each version shows an index (IndexModel) ----------------------------------------------

READY_STATES = ("Ready", "ScalingUp", "ScalingDown", "ScalingUpPodSize", "ScalingDownPodSize")
"""The states in which an index serves (``status.ready`` true): ready, or ready and scaling."""

_VECTOR_TYPES = ("dense_vector", "sparse_vector", "semantic_text")
_POD_TYPE = "p1.x1"


@dataclass(frozen=True, slots=True)
class IndexShown:
    """What the store knows of an index at one moment, whatever the version: its description
    (``fields``: cloud, region, dimension, metric, schema...), whether it is pod-based, its state
    then, and what a restore (or ``add_index``) gave it."""

    name: str
    index_id: str
    fields: Mapping[str, Any]
    pod: bool
    state: str
    ready: bool
    tags: Mapping[str, Any]
    deletion_protection: str
    read_capacity: Mapping[str, Any] | None
    source_backup_id: str | None


def _host(index: IndexShown, cloud: str, region: str) -> str:
    """Where the index would be served: its name, a short digest of its id, its environment."""
    digest = hashlib.sha256(index.index_id.encode()).hexdigest()[:7]
    return f"{index.name}-{digest}.svc.{region}-{cloud}.pinecone.io"


def _location(fields: Mapping[str, Any]) -> tuple[str, str]:
    cloud, region = fields.get("cloud"), fields.get("region")
    return (
        cloud if isinstance(cloud, str) else "aws",
        region if isinstance(region, str) else "us-east-1",
    )


def _schema_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The ``fields`` of the index's ``schema`` (``{}`` if it has none of that shape)."""
    schema = fields.get("schema")
    found = schema.get("fields") if isinstance(schema, dict) else None
    return dict(found) if isinstance(found, dict) else {}


def _dense_vector(fields: Mapping[str, Any]) -> tuple[int | None, str | None]:
    """The dimension and metric of the index's dense vectors: its own ``dimension`` and
    ``metric``, else a typed schema's ``dense_vector`` field's."""
    dimension, metric = fields.get("dimension"), fields.get("metric")
    if type(dimension) is not int:
        dimension = None
        for field in _schema_fields(fields).values():
            if isinstance(field, dict) and field.get("type") == "dense_vector":
                found = field.get("dimension")
                dimension = found if type(found) is int else None
                metric = metric if isinstance(metric, str) else field.get("metric")
                break
    return dimension, metric if isinstance(metric, str) else None


def _metadata_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata fields of the index's schema that filter (``{name: {"filterable": ...}}``):
    a legacy field as it is, a typed one (not a vector) by its ``filterable``."""
    found = {}
    for name, field in _schema_fields(fields).items():
        if not isinstance(field, dict) or field.get("type") in _VECTOR_TYPES:
            continue
        if isinstance(field.get("filterable"), bool):
            found[name] = {"filterable": field["filterable"]}
    return found


def _read_capacity_response(given: Mapping[str, Any] | None) -> dict[str, Any]:
    """A ``ReadCapacityResponse``: ``OnDemand`` unless a ``Dedicated`` one was asked for (its
    ``node_type``, ``scaling`` and ``manual`` filled in where the request left them out), ready."""
    if given is None or given.get("mode") != "Dedicated":
        return {"mode": "OnDemand", "status": {"state": "Ready"}}
    asked = given.get("dedicated")
    asked = asked if isinstance(asked, dict) else {}
    manual = {"replicas": 1, "shards": 1, **(asked.get("manual") or {})}
    dedicated = {"node_type": "b1", "scaling": "Manual", **asked, "manual": manual}
    status = {
        "state": "Ready",
        "current_replicas": manual["replicas"],
        "current_shards": manual["shards"],
    }
    return {"mode": "Dedicated", "dedicated": dedicated, "status": status}


def _index_2025_10(index: IndexShown) -> dict[str, Any]:
    """An ``IndexModel`` as 2025-10 (and 2026-04) writes it: ``dimension``, ``metric`` and
    ``vector_type`` (an index without a dimension is a sparse one, ``dotproduct``), and a
    ``spec``: ``serverless`` (cloud, region, read capacity, the metadata schema) or ``pod``."""
    cloud, region = _location(index.fields)
    dimension, metric = _dense_vector(index.fields)
    shown: dict[str, Any] = {"name": index.name}
    if dimension is not None:
        shown["dimension"] = dimension
    shown["metric"] = metric or ("cosine" if dimension is not None else "dotproduct")
    shown["host"] = _host(index, cloud, region)
    shown["deletion_protection"] = index.deletion_protection
    if index.tags:
        shown["tags"] = dict(index.tags)
    metadata = _metadata_fields(index.fields)
    if index.pod:
        pod: dict[str, Any] = {
            "environment": f"{region}-{cloud}",
            "replicas": 1,
            "shards": 1,
            "pod_type": _POD_TYPE,
            "pods": 1,
        }
        if metadata:
            pod["metadata_config"] = {"indexed": list(metadata)}
        shown["spec"] = {"pod": pod}
    else:
        serverless: dict[str, Any] = {
            "cloud": cloud,
            "region": region,
            "read_capacity": _read_capacity_response(index.read_capacity),
        }
        if metadata:
            serverless["schema"] = {"fields": metadata}
        shown["spec"] = {"serverless": serverless}
    shown["status"] = {"ready": index.ready, "state": index.state}
    shown["vector_type"] = "dense" if dimension is not None else "sparse"
    return shown


def _index_2026_07(index: IndexShown) -> dict[str, Any]:
    """An ``IndexModel`` as 2026-07 writes it: a ``deployment`` (``managed`` or ``pod``), the
    ``read_capacity`` of a managed index, the typed ``schema`` (:func:`index_schema`; an index
    without dense vectors reports ``_sparse_values``), ``source_backup_id`` for a restored index,
    ``tags`` (``null`` when it has none) and ``deletion_protection``."""
    cloud, region = _location(index.fields)
    shown: dict[str, Any] = {
        "name": index.name,
        "host": _host(index, cloud, region),
        "status": {"ready": index.ready, "state": index.state},
    }
    if index.pod:
        shown["deployment"] = {
            "deployment_type": "pod",
            "environment": f"{region}-{cloud}",
            "pod_type": _POD_TYPE,
            "replicas": 1,
            "shards": 1,
        }
    else:
        shown["deployment"] = {"deployment_type": "managed", "cloud": cloud, "region": region}
        shown["read_capacity"] = _read_capacity_response(index.read_capacity)
    if index.source_backup_id is not None:
        shown["source_backup_id"] = index.source_backup_id
    dimension, metric = _dense_vector(index.fields)
    described = dict(index.fields)
    if dimension is not None:
        described.update(dimension=dimension, metric=metric or "cosine")
    schema = index_schema(described) or {"fields": {}}
    typed = any(isinstance(f, dict) and "type" in f for f in schema["fields"].values())
    if not typed:  # no vector field: a sparse index
        schema = {
            **schema,
            "fields": {"_sparse_values": {"type": "sparse_vector"}, **schema["fields"]},
        }
    shown["schema"] = schema
    shown["tags"] = dict(index.tags) if index.tags else None
    shown["deletion_protection"] = index.deletion_protection
    return shown


def index_view(index: IndexShown, version: ApiVersion) -> dict[str, Any]:
    """Index ``index`` as an ``IndexModel`` of ``version``."""
    return _index_2026_07(index) if version is V2026_07 else _index_2025_10(index)
