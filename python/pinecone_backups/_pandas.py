"""``to_pandas()`` of the pages and iterators: a ``pandas.DataFrame``, one row per object and one
column per field of its model (in the order of ``dataclasses.fields``), for every page and
iterator of the native module: which model one holds is read from it
(:func:`pinecone_backups._display.item_model`), and each column's type from the field's.

The native classes call :func:`to_pandas`; this module and pandas are imported only then. Column
types: time fields (``created_at``, ``completed_at``, ``source_index_deleted_at``,
``next_scheduled_run``, ``scheduled_execution_at``) are ``datetime64[ns, UTC]`` (``NaT`` when
absent, or when the time is outside what that type holds: 1677-09-21 to 2262-04-11, UTC; the
row stays, and ``to_dict()`` of the object keeps the text the server sent), integer fields the
nullable ``Int64`` (``<NA>`` when absent, as ``dimension`` is under API 2026-07; ``object`` if a
value does not fit in 64 bits), ``percent_complete`` ``float64`` (an integer under 2026-07: the
same numbers), ``enabled`` the nullable ``boolean``, ``tags`` and ``schema`` hold dicts. Without
pandas it raises ``ImportError`` naming the extra to install:
``pip install pinecone-backups[pandas]``.

A page's frame holds its items; a sync iterator's consumes the rest of the iterator (fetching
its remaining pages). An async iterator cannot be consumed without awaiting, so its
``to_pandas()`` returns a coroutine: ``df = await it.to_pandas()``.
"""

from __future__ import annotations

import dataclasses

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine, Iterable
    from datetime import datetime
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
    """The model a page or an iterator holds (``Backup``, ``BackupSchedule``...)."""
    from pinecone_backups._display import item_model

    model = item_model(type(obj))
    if model is None:
        raise TypeError(f"to_pandas() does not know {type(obj).__name__}")
    return model


def _kind(field: dataclasses.Field[Any]) -> str:
    return str(field.type).removesuffix(" | None")


def _in_range(pandas: ModuleType) -> Callable[[datetime | None], datetime | None]:
    """A function that returns a time if ``datetime64[ns]`` holds it, else ``None``."""
    from datetime import timezone

    low = pandas.Timestamp.min.ceil("us").to_pydatetime().replace(tzinfo=timezone.utc)
    high = pandas.Timestamp.max.floor("us").to_pydatetime().replace(tzinfo=timezone.utc)

    def kept(moment: datetime | None) -> datetime | None:
        # Comparing aware datetimes cannot overflow (astimezone could, near year 1 or 9999).
        return moment if moment is not None and low <= moment <= high else None

    return kept


def frame(pandas: ModuleType, model: type[Any], items: Iterable[Any]) -> pd.DataFrame:
    """The ``DataFrame`` of ``items`` (instances of ``model``)."""
    fields = dataclasses.fields(model)
    names = [field.name for field in fields]
    rows = [tuple(getattr(item, name) for name in names) for item in items]
    times = [n for n, field in enumerate(fields) if _kind(field) == "datetime.datetime"]
    if times and rows:  # a time out of datetime64[ns]'s range is missing (NaT), not an error
        kept = _in_range(pandas)
        rows = [
            tuple(kept(value) if n in times else value for n, value in enumerate(row))
            for row in rows
        ]
    df: pd.DataFrame = pandas.DataFrame.from_records(rows, columns=names)
    for field in fields:
        kind = _kind(field)
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
        elif kind == "bool":
            df[field.name] = column.astype("boolean")
        elif kind.startswith("dict"):
            df[field.name] = column.astype(object)
    return df


async def _consume(pandas: ModuleType, model: type[Any], iterator: Any) -> pd.DataFrame:
    return frame(pandas, model, [item async for item in iterator])


def to_pandas(obj: Any) -> pd.DataFrame | Coroutine[Any, Any, pd.DataFrame]:
    """The ``to_pandas()`` of the pages (``BackupList``, ``BackupScheduleList``...) and the
    iterators (for an async iterator, a coroutine of the ``DataFrame``)."""
    pandas = _import_pandas()
    model = _item_class(obj)
    if hasattr(obj, "__aiter__"):
        return _consume(pandas, model, obj)
    return frame(pandas, model, obj)
