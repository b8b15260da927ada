"""``to_pandas()`` of the pages and iterators: a ``pandas.DataFrame``, one row per object and one
column per field (in the order of ``dataclasses.fields``).

The native classes call :func:`to_pandas`; this module and pandas are imported only then. Column
types: ``created_at`` and ``completed_at`` are ``datetime64[ns, UTC]`` (``NaT`` when absent),
integer fields the nullable ``Int64`` (``<NA>`` when absent; ``object`` if a value does not fit
in 64 bits), ``tags`` and ``schema`` hold dicts. Without pandas it raises ``ImportError`` naming
the extra to install: ``pip install pinecone-backups[pandas]``.

A page's frame holds its items; a sync iterator's consumes the rest of the iterator (fetching
its remaining pages). An async iterator cannot be consumed without awaiting, so its
``to_pandas()`` returns a coroutine: ``df = await it.to_pandas()``.
"""

from __future__ import annotations

import dataclasses

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Coroutine, Iterable
    from types import ModuleType
    from typing import Any

    import pandas as pd

EXTRA_HINT = "pip install pinecone-backups[pandas]"
_TIMESTAMP_DTYPE = "datetime64[ns, UTC]"


def _import_pandas() -> ModuleType:
    try:
        import pandas
    except ImportError as error:
        raise ImportError(
            f"to_pandas() needs pandas, which is not installed: {EXTRA_HINT}"
        ) from error
    return pandas


def _item_class(obj: Any) -> type[Any]:
    """The model a page or an iterator holds: ``Backup`` or ``RestoreJob``."""
    from pinecone_backups import _native

    name = type(obj).__name__
    if "Backup" in name:
        return _native.Backup
    if "RestoreJob" in name:
        return _native.RestoreJob
    raise TypeError(f"to_pandas() does not know {name}")


def frame(pandas: ModuleType, model: type[Any], items: Iterable[Any]) -> pd.DataFrame:
    """The ``DataFrame`` of ``items`` (instances of ``model``)."""
    fields = dataclasses.fields(model)
    names = [field.name for field in fields]
    rows = [tuple(getattr(item, name) for name in names) for item in items]
    df: pd.DataFrame = pandas.DataFrame.from_records(rows, columns=names)
    for field in fields:
        kind = str(field.type).removesuffix(" | None")
        column = df[field.name]
        if kind == "datetime.datetime":
            df[field.name] = pandas.to_datetime(column, utc=True).astype(_TIMESTAMP_DTYPE)
        elif kind == "int":
            try:
                df[field.name] = column.astype("Int64")
            except (OverflowError, TypeError, ValueError):
                df[field.name] = column.astype(object)  # an integer beyond 64 bits
        elif kind == "float":
            df[field.name] = column.astype("float64")
        elif kind.startswith("dict"):
            df[field.name] = column.astype(object)
    return df


async def _consume(pandas: ModuleType, model: type[Any], iterator: Any) -> pd.DataFrame:
    return frame(pandas, model, [item async for item in iterator])


def to_pandas(obj: Any) -> pd.DataFrame | Coroutine[Any, Any, pd.DataFrame]:
    """The ``to_pandas()`` of ``BackupList``, ``RestoreJobList`` and the iterators (for an async
    iterator, a coroutine of the ``DataFrame``)."""
    pandas = _import_pandas()
    model = _item_class(obj)
    if hasattr(obj, "__aiter__"):
        return _consume(pandas, model, obj)
    return frame(pandas, model, obj)
