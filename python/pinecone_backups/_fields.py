"""Dataclass metadata for the native model classes.

``Backup``, ``BackupList`` and ``Pagination`` are native classes that behave like frozen
dataclasses: they carry ``__dataclass_fields__`` and ``__dataclass_params__``, so
``dataclasses.is_dataclass``, ``fields``, ``asdict``, ``astuple`` and ``replace`` (and libraries
built on them, such as ``pandas.DataFrame(list_of_backups)``) work on them.

The metadata is copied from equivalent pure-Python dataclasses, built on first use: importing
``dataclasses`` costs several milliseconds that a script listing backups should not pay at import.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms at start-up)
if TYPE_CHECKING:
    from typing import Any

_models: dict[str, Any] = {}


def _build() -> dict[str, Any]:
    import dataclasses
    import datetime

    @dataclasses.dataclass(frozen=True)
    class Backup:
        backup_id: str
        source_index_name: str
        source_index_id: str
        status: str
        cloud: str
        region: str
        name: str | None = None
        description: str | None = None
        dimension: int | None = None
        metric: str | None = None
        schema: dict[str, Any] | None = None
        record_count: int | None = None
        namespace_count: int | None = None
        size_bytes: int | None = None
        tags: dict[str, str] = dataclasses.field(default_factory=dict)
        created_at: datetime.datetime | None = None

    @dataclasses.dataclass(frozen=True)
    class Pagination:
        next: str

    @dataclasses.dataclass(frozen=True)
    class BackupList:
        data: list[Backup] = dataclasses.field(default_factory=list)
        pagination: Pagination | None = None

    return {"Backup": Backup, "Pagination": Pagination, "BackupList": BackupList}


def _model(name: str) -> Any:
    if not _models:
        # Two threads may both build on first use: harmless, the results are equivalent.
        _models.update(_build())
    return _models[name]


class DataclassAttribute:
    """A class attribute computed on first access from the equivalent Python dataclass."""

    def __init__(self, model: str, attribute: str) -> None:
        self._model = model
        self._attribute = attribute

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        return getattr(_model(self._model), self._attribute)
