"""Dataclass metadata for the native model classes.

The native model classes (``Backup``, ``RestoreJob``, the pages...) behave like frozen
dataclasses: they carry ``__dataclass_fields__`` and ``__dataclass_params__``, so
``dataclasses.is_dataclass``, ``fields``, ``asdict``, ``astuple`` and ``replace`` (and libraries
built on them, such as ``pandas.DataFrame(list_of_backups)``) work on them.

The metadata is copied from equivalent pure-Python dataclasses, built on first use from the
fields each native class declares (``__model_fields__``, generated from the core's one
declaration of the model): importing
``dataclasses`` costs several milliseconds that a script listing backups should not pay at import.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms at start-up)
if TYPE_CHECKING:
    from typing import Any

_models: dict[str, Any] = {}


def _build(name: str) -> Any:
    """The frozen dataclass equivalent to the native class ``name``, from the fields it
    declares (``__model_fields__``: name, annotation, required, what absence reads as)."""
    import dataclasses

    from pinecone_backups import _native

    fields: list[Any] = []
    for field, annotation, required, absent in getattr(_native, name).__model_fields__:
        if required:
            fields.append((field, annotation))
        elif absent == "dict":
            fields.append((field, annotation, dataclasses.field(default_factory=dict)))
        elif absent == "list":
            fields.append((field, annotation, dataclasses.field(default_factory=list)))
        else:
            fields.append((field, f"{annotation} | None", dataclasses.field(default=None)))
    return dataclasses.make_dataclass(name, fields, frozen=True)


def _model(name: str) -> Any:
    if name not in _models:
        # Two threads may both build on first use: harmless, the results are equivalent.
        _models[name] = _build(name)
    return _models[name]


class DataclassAttribute:
    """A class attribute computed on first access from the equivalent Python dataclass."""

    def __init__(self, model: str, attribute: str) -> None:
        self._model = model
        self._attribute = attribute

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        return getattr(_model(self._model), self._attribute)
