"""What the package adds to the native classes: notebook displays (``_repr_html_``,
``_repr_pretty_``), ``to_pandas()`` and the dataclass metadata of the models.

The native module imports nothing of the package but its exceptions; these methods are attached
to its classes here, once, when the package is imported. Each is a thin function that imports
what it needs on first use (``_display``, ``_pandas``, ``dataclasses``), so that importing the
package stays cheap.
"""

from __future__ import annotations

from pinecone_backups import _native
from pinecone_backups._fields import DataclassAttribute

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms at start-up)
if TYPE_CHECKING:
    from typing import Any

MODELS = tuple(
    cls
    for cls in vars(_native).values()
    if isinstance(cls, type) and hasattr(cls, "__model_fields__")
)
"""The classes that behave like frozen dataclasses: the models and the pages."""

PAGES = tuple(
    model for model in MODELS if any(name == "data" for name, *_ in model.__model_fields__)
)
"""The pages: a ``data`` list of items, and the ``pagination``."""

ITERATORS = tuple(
    cls
    for name, cls in vars(_native).items()
    if isinstance(cls, type) and name.endswith("Iterator") and not name.endswith("PageIterator")
)
"""The iterators over the items of a list (sync and async)."""

DISPLAYED = (*(model for model in MODELS if model is not _native.Pagination), *ITERATORS)
"""The classes with a notebook display (an iterator's never fetches a page)."""

TABULAR = (*PAGES, *ITERATORS)
"""The classes with ``to_pandas()``."""


def _repr_html_(self: Any) -> str:
    """An HTML table for Jupyter."""
    from pinecone_backups._display import html

    return html(self)


def _repr_pretty_(self: Any, printer: Any, cycle: bool) -> None:
    """The text display of IPython."""
    from pinecone_backups._display import pretty

    pretty(self, printer, cycle)


def to_pandas(self: Any) -> Any:
    """A ``pandas.DataFrame``: one row per item, one column per field (needs the ``pandas``
    extra: ``pip install pinecone-backups[pandas]``). On an async iterator, an awaitable."""
    from pinecone_backups._pandas import to_pandas as frame

    return frame(self)


def extend() -> None:
    """Attaches the package's methods and metadata to the native classes."""
    for displayed in DISPLAYED:
        setattr(displayed, "_repr_html_", _repr_html_)  # noqa: B010 (the stub declares it)
        setattr(displayed, "_repr_pretty_", _repr_pretty_)  # noqa: B010
    for tabular in TABULAR:
        setattr(tabular, "to_pandas", to_pandas)  # noqa: B010
    for model in MODELS:
        for attribute in ("__dataclass_fields__", "__dataclass_params__"):
            setattr(model, attribute, DataclassAttribute(model.__name__, attribute))
