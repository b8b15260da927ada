"""The notebook displays of the models, pages and iterators: ``_repr_html_`` (an HTML table for
Jupyter) and ``_repr_pretty_`` (IPython's text display). The native classes call :func:`html` and
:func:`pretty`; this module is imported the first time one of them is displayed.

Every value is escaped (``html.escape``): a backup named ``<script>`` shows as that text. A page
(``BackupList``, ``BackupScheduleList``...) shows a table, one row per item, long texts cut (the
full text on hover): the compact columns chosen for its model (``Backup``, ``RestoreJob``,
``BackupSchedule``, ``BackupScheduleHistoryItem``, ``Index``), every field of a model without
such a choice. A single object shows every field but nested JSON (a schema, an index's ``spec``:
``to_dict()`` has them), then the values the model derives from its fields (an index's
``ready``, ``state``, ``cloud``...). An iterator shows its state (page size, how many
items it handed out, where it would resume) and never fetches a page: displaying it sends no
request.

Which class is a model, a page or an iterator, and which model a page or an iterator holds, is
read from the native module (:func:`item_model`), never from a list here: a model, page or
iterator added to it is displayed without a change to this module.

Values read as on the command line: the field formatters, :func:`printable` (control characters
escaped, for IPython's text display) and :func:`human_size` are :mod:`pinecone_backups._format`'s,
shared with the CLI; a value's cell adds its tooltip (a time's exact value, a size in bytes). A
status's colour follows :mod:`pinecone_backups._status`.
"""

from __future__ import annotations

import ast
from datetime import datetime
from html import escape

from pinecone_backups import _format, _status
from pinecone_backups._format import human_size as human_size  # (the tests read it here)
from pinecone_backups._format import printable

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    Cell = tuple[str, str | None]
    """A cell's text, and its tooltip (``None``: none)."""
    Columns = Sequence[tuple[str, Callable[[Any], Cell]]]

MAX_ROWS = 200
"""The most rows an HTML or text table shows; the rest are counted in a last row."""
MAX_CELL = 40
"""The most characters of a cell of an HTML page or iterator table: a longer text is cut (ending
with ``…``) and shown whole on hover. An object's own table wraps long values instead."""

_GOOD = ("#1a7f37", "#dafbe1")
_BUSY = ("#9a6700", "#fff8c5")
_BAD = ("#cf222e", "#ffebe9")
_OTHER = ("#57606a", "#eaeef2")

_TABLE = "border-collapse:collapse;font-size:12px;text-align:left"
_CELL = "padding:2px 8px;text-align:left;white-space:nowrap"
_NOTE = "font-size:11px;color:#57606a;padding:2px 0"
_CAPTION = "caption-side:top;text-align:left;font-weight:bold;padding:2px 0"


# --- Values ---------------------------------------------------------------------------------


def status_colors(status: str) -> tuple[str, str]:
    """The (text, background) colours of a status: green when it succeeded (``Ready``,
    ``Completed``), red when it failed or was cancelled, amber while it runs (a status known to
    mean work under way), grey otherwise (a status not known). A status alone says nothing of
    its kind: it is read by the rules of both (:mod:`pinecone_backups._status`)."""
    meaning = _status.state(status)
    if meaning == _status.SUCCEEDED:
        return _GOOD
    if meaning == _status.FAILED:
        return _BAD
    if status in _status.KNOWN_RUNNING:
        return _BUSY
    return _OTHER


# A cell is the value's text by ``_format`` and its tooltip.


def _text(value: object) -> Cell:
    return _format.text(value), None


def _count(value: int | None) -> Cell:
    return _format.count(value), None


def _size(value: int | None) -> Cell:
    return human_size(value), (None if value is None else f"{value:,} bytes")


def _when(moment: datetime | None) -> Cell:
    return _format.when(moment), (None if moment is None else moment.isoformat())


def _percent(value: float | None) -> Cell:
    return _format.percent(value), None


def _status_cell(status: str) -> Cell:
    return status, None


def _days(value: int | None) -> Cell:
    return ("-" if value is None else _format.plural(value, "day", grouped=True)), None


# --- Which class is which ------------------------------------------------------------------

_item_models: dict[type, type | None] = {}


def item_model(cls: type) -> type | None:
    """The model a page or an iterator class holds (``BackupList`` and ``AsyncBackupIterator``:
    ``Backup``; ``BackupScheduleHistoryList``: ``BackupScheduleHistoryItem``), ``None`` for any
    other class. Read from the native module: a page's ``data`` field (``list[Backup]`` in its
    ``__model_fields__``), an iterator's operation in ``OPERATIONS`` (one that names it among its
    ``iterator_classes``, and the page it ``returns``)."""
    if cls not in _item_models:
        _item_models[cls] = _find_item_model(cls)
    return _item_models[cls]


def _find_item_model(cls: type) -> type | None:
    from pinecone_backups import _native

    for name, kind, *_ in getattr(cls, "__model_fields__", ()):
        if name == "data" and kind.startswith("list[") and kind.endswith("]"):
            model = getattr(_native, kind.removeprefix("list[").removesuffix("]"), None)
            return model if isinstance(model, type) else None
    for operation in _native.OPERATIONS:
        if cls.__name__ in (operation.get("iterator_classes") or ()):
            page = getattr(_native, operation.get("returns") or "", None)
            return item_model(page) if isinstance(page, type) else None
    return None


def _is_model(cls: type) -> bool:
    """Whether ``cls`` declares its fields as the native models and pages do. A page is such a
    class with an :func:`item_model`; an iterator is a class with one that declares none."""
    return hasattr(cls, "__model_fields__")


# --- What each class shows ------------------------------------------------------------------

_BACKUP_COLUMNS: Columns = (
    ("backup_id", lambda b: _text(b.backup_id)),
    ("name", lambda b: _text(b.name)),
    ("index", lambda b: _text(b.source_index_name)),
    ("status", lambda b: _status_cell(b.status)),
    ("size", lambda b: _size(b.size_bytes)),
    ("created_at", lambda b: _when(b.created_at)),
    ("records", lambda b: _count(b.record_count)),
    ("namespaces", lambda b: _count(b.namespace_count)),
)
_JOB_COLUMNS: Columns = (
    ("restore_job_id", lambda j: _text(j.restore_job_id)),
    ("backup_id", lambda j: _text(j.backup_id)),
    ("target_index", lambda j: _text(j.target_index_name)),
    ("status", lambda j: _status_cell(j.status)),
    ("percent", lambda j: _percent(j.percent_complete)),
    ("created_at", lambda j: _when(j.created_at)),
    ("completed_at", lambda j: _when(j.completed_at)),
)
_SCHEDULE_COLUMNS: Columns = (
    ("schedule_id", lambda s: _text(s.schedule_id)),
    ("name", lambda s: _text(s.name)),
    ("frequency", lambda s: _text(s.frequency)),
    ("retention", lambda s: _days(s.retention_expire_after_days)),
    ("enabled", lambda s: _text(s.enabled)),
    ("next_run", lambda s: _when(s.next_scheduled_run)),
    ("created_at", lambda s: _when(s.created_at)),
)
_INDEX_COLUMNS: Columns = (
    ("name", lambda i: _text(i.name)),
    ("state", lambda i: _status_cell(i.state)),
    ("ready", lambda i: _text(i.ready)),
    ("cloud", lambda i: _text(i.cloud)),
    ("region", lambda i: _text(i.region)),
    ("dimension", lambda i: _count(i.dimension)),
    ("metric", lambda i: _text(i.metric)),
    ("deletion_protection", lambda i: _text(i.deletion_protection)),
    ("host", lambda i: _text(i.host)),
)
_RUN_COLUMNS: Columns = (
    ("backup_id", lambda r: _text(r.backup_id)),
    ("name", lambda r: _text(r.name)),
    ("status", lambda r: _status_cell(r.status)),
    ("scheduled_for", lambda r: _when(r.scheduled_execution_at)),
    ("created_at", lambda r: _when(r.created_at)),
    ("size", lambda r: _size(r.size_bytes)),
    ("records", lambda r: _count(r.record_count)),
)
COMPACT: dict[str, Columns] = {
    "Backup": _BACKUP_COLUMNS,
    "RestoreJob": _JOB_COLUMNS,
    "BackupSchedule": _SCHEDULE_COLUMNS,
    "BackupScheduleHistoryItem": _RUN_COLUMNS,
    "Index": _INDEX_COLUMNS,
}
"""The columns of a page, by the name of its model; a page of a model not named here shows
every field (:func:`_fields`)."""
NOUNS = {"BackupScheduleHistoryItem": "run"}
"""What a page's caption calls its items where the model's name in words (``restore job``,
``backup schedule``) would read badly."""
_NESTED = "dict[str, Any]"
"""The kind (in ``__model_fields__``) of a field of nested JSON (a schema, an index's
``status``, ``spec`` or ``deployment``): too wide for a table; ``to_dict()`` has it."""
_STATUSES = ("status", "state")
"""The rows and columns whose value is a status (coloured by its meaning)."""
_FIELD_CELLS: dict[str, Callable[[Any], Cell]] = {
    "status": _status_cell,
    "dimension": _count,
}
"""How a field shows here, where the command line's text (``_format.field_text``) does not fit."""


def _field_cell(name: str, value: Any) -> Cell:
    if name in _FIELD_CELLS and (name != "status" or isinstance(value, str)):
        return _FIELD_CELLS[name](value)
    if isinstance(value, datetime):
        return _when(value)  # with its exact value as a tooltip
    return _format.field_text(name, value), None


def _fields(model: type) -> Columns:
    """A row (or column) per field of a model, in the order the model declares them
    (``_format.field_names``) but for ``name``, shown right after the id, and without nested
    JSON; then a row per value it derives from them (``__model_derived__``): a field or a
    derived value added to the model shows up here without a change."""
    nested = {name for name, kind, *_ in getattr(model, "__model_fields__", ()) if kind == _NESTED}
    names = [name for name in _format.field_names(model) if name not in nested]
    if "name" in names[1:]:  # (an index's id is its name)
        names.insert(1, names.pop(names.index("name")))
    names += [name for name, _kind in getattr(model, "__model_derived__", None) or ()]
    return tuple((name, lambda o, name=name: _field_cell(name, getattr(o, name))) for name in names)


def _words(name: str) -> str:
    """``BackupScheduleHistoryItem`` -> ``backup schedule history item``."""
    return "".join(f" {c.lower()}" if c.isupper() and n else c.lower() for n, c in enumerate(name))


def page_columns(model: type) -> tuple[Columns, str]:
    """The columns of a page of ``model`` (:data:`COMPACT`'s, else every field) and the noun
    of its items (:data:`NOUNS`', else the model's name in words)."""
    name = model.__name__
    return COMPACT.get(name) or _fields(model), NOUNS.get(name) or _words(name)


def _page_caption(page: Any, noun: str) -> str:
    token = page.next_token
    more = f"next page: {token}" if token else "last page"
    return f"{type(page).__name__}: {_format.plural(len(page), noun, grouped=True)}, {more}"


def iterator_state(iterator: Any) -> list[tuple[str, Any]]:
    """What an iterator's repr says (``index_name``, ``page_size``, ``max_items``,
    ``handed_out``, ``next_token``), as (name, value) pairs; read from the repr, so that nothing
    is fetched."""
    text = repr(iterator)
    try:
        call = ast.parse(text, mode="eval").body
        if not isinstance(call, ast.Call) or call.args:
            raise ValueError(text)
        return [(keyword.arg or "", ast.literal_eval(keyword.value)) for keyword in call.keywords]
    except (SyntaxError, ValueError):
        return [("handed_out", iterator.handed_out), ("next_token", iterator.next_token)]


def _state_cell(value: Any) -> Cell:
    """A value of an iterator's state, shown as the tables show values (``-`` for none)."""
    return _count(value) if isinstance(value, int) and not isinstance(value, bool) else _text(value)


def _iterator_note(iterator: Any) -> str:
    if type(iterator).__name__.startswith("Async"):
        how = "async for, or all at once with await it.to_pandas()"
    else:
        how = "for, or all at once with it.to_pandas()"
    return f"Nothing was fetched to display this: items are fetched as it is iterated ({how})."


# --- HTML -----------------------------------------------------------------------------------


def _td(cell: Cell, *, status: bool = False, cut: bool = False) -> str:
    """A table cell; a text longer than ``MAX_CELL`` is cut (``cut``: a page's or an iterator's
    table, the full text on hover) or wraps (an object's table)."""
    text, title = cell
    style = _CELL
    if len(text) > MAX_CELL:
        if cut:
            text, title = text[: MAX_CELL - 1] + "\u2026", text
        else:
            style += ";white-space:normal;overflow-wrap:anywhere;min-width:40ch;max-width:80ch"
    attributes = f' style="{style}"'
    if title is not None:
        attributes += f' title="{escape(title)}"'
    body = escape(text)
    if status:
        color, background = status_colors(text)
        body = (
            f'<span class="pb-status" data-status="{escape(text)}" style="color:{color};'
            f"background:{background};border-radius:8px;padding:0 6px;font-weight:600"
            f'">{body}</span>'
        )
    return f"<td{attributes}>{body}</td>"


def _th(text: str) -> str:
    return f'<th style="{_CELL};font-weight:600">{escape(text)}</th>'


def _table(caption: str, header: Sequence[str] | None, rows: list[str], kind: str) -> str:
    head = "<thead><tr>" + "".join(_th(title) for title in header or ()) + "</tr></thead>"
    return (
        f'<table class="pinecone-backups pb-{escape(kind)}" style="{_TABLE}">'
        f'<caption style="{_CAPTION}">{escape(caption)}</caption>'
        + (head if header else "")
        + "<tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _page_html(page: Any, columns: Columns, noun: str) -> str:
    items = list(page)
    rows = [
        "<tr>"
        + "".join(_td(cell(item), status=title in _STATUSES, cut=True) for title, cell in columns)
        + "</tr>"
        for item in items[:MAX_ROWS]
    ]
    if len(items) > MAX_ROWS:
        more = f"... and {_format.plural(len(items) - MAX_ROWS, 'more ' + noun, grouped=True)}"
        rows.append(f'<tr><td colspan="{len(columns)}" style="{_CELL}">{escape(more)}</td></tr>')
    return _table(_page_caption(page, noun), [title for title, _ in columns], rows, "page")


def _object_html(obj: Any, fields: Columns) -> str:
    rows = [
        f"<tr>{_th(name)}{_td(cell(obj), status=name in _STATUSES)}</tr>" for name, cell in fields
    ]
    return _table(type(obj).__name__, None, rows, "object")


def _iterator_html(iterator: Any) -> str:
    rows = [
        f"<tr>{_th(name)}{_td(_state_cell(value), cut=True)}</tr>"
        for name, value in iterator_state(iterator)
    ]
    note = f'<div style="{_NOTE}">{escape(_iterator_note(iterator))}</div>'
    return f"<div>{_table(type(iterator).__name__, None, rows, 'iterator')}{note}</div>"


def html(obj: Any) -> str:
    """The ``_repr_html_`` of a model, a page or an iterator."""
    cls = type(obj)
    model = item_model(cls)
    if model is not None:
        return _page_html(obj, *page_columns(model)) if _is_model(cls) else _iterator_html(obj)
    if _is_model(cls):
        return _object_html(obj, _fields(cls))
    return f"<pre>{escape(repr(obj))}</pre>"


# --- Text (IPython) -------------------------------------------------------------------------


def _aligned(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Aligned columns of text, every cell made printable (control characters escaped)."""
    shown = [tuple(printable(cell) for cell in row) for row in rows]
    widths = [max(len(cell) for cell in column) for column in zip(*shown, strict=True)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in shown
    ]


def text(obj: Any) -> str:
    """The text display of a model, a page or an iterator (what ``pretty`` prints)."""
    cls = type(obj)
    name = cls.__name__
    model = item_model(cls)
    if model is not None and _is_model(cls):  # a page
        columns, noun = page_columns(model)
        items = list(obj)
        rows = [tuple(title.upper() for title, _ in columns)]
        rows += [tuple(cell(item)[0] for _, cell in columns) for item in items[:MAX_ROWS]]
        lines = [printable(_page_caption(obj, noun))]
        lines += _aligned(rows) if items else []
        if len(items) > MAX_ROWS:
            lines.append(
                f"... and {_format.plural(len(items) - MAX_ROWS, 'more ' + noun, grouped=True)}"
            )
        return "\n".join(lines)
    if _is_model(cls):
        fields = _fields(cls)
        return "\n".join([name, *_aligned([(field, cell(obj)[0]) for field, cell in fields])])
    if model is not None:  # an iterator
        state = [(field, _state_cell(value)[0]) for field, value in iterator_state(obj)]
        return "\n".join([name, *_aligned(state), _iterator_note(obj)])
    return printable(repr(obj))


def pretty(obj: Any, printer: Any, cycle: bool) -> None:
    """The ``_repr_pretty_`` of a model, a page or an iterator: IPython's pretty-printer
    protocol (``printer.text`` for each line, ``printer.break_()`` between them)."""
    if cycle:
        printer.text(f"{type(obj).__name__}(...)")
        return
    for number, line in enumerate(text(obj).split("\n")):
        if number:
            printer.break_()
        printer.text(line)
