"""How values read to people, written once for the command line (``pinecone_backups.cli``) and
the notebook displays (``_display``): each field's text (``-`` for none, counts with thousands
separators, sizes in binary units, times in UTC, percentages, tags), the fields of a model in the
order it declares them, and the rules for text meant for a terminal: :func:`printable` (control
characters escaped) and :func:`json_printable` (the same for a line of JSON, without changing what
it decodes to).

Importing this module imports nothing: the command line's start-up pays only for what it uses
(``json`` and ``datetime`` are imported where they are needed).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from typing import Any


# --- Text for a terminal --------------------------------------------------------------------


def _escape_table() -> dict[int, str]:
    table = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
    table.update({ord("\t"): "\\t", ord("\n"): "\\n", ord("\r"): "\\r", ord("\\"): "\\\\"})
    # Unicode's invisible direction and line controls: they reorder or break what a terminal
    # shows (the "Trojan Source" characters, and the line and paragraph separators).
    for code in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)):
        table[code] = f"\\u{code:04x}"
    table.update({0x2028: "\\u2028", 0x2029: "\\u2029"})
    return table


_ESCAPES = _escape_table()
_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in _ESCAPES if code >= 0x7F}


def printable(text: str) -> str:
    """``text`` safe to write to a terminal: control characters (C0 such as ESC, CR and LF, DEL,
    C1) and Unicode's direction and line controls written as Python would escape them (``\\x1b``,
    ``\\r``, ``\\u202e``), and a backslash doubled so that an escape is never ambiguous. Text
    from a server cannot move the cursor, rewrite a line or recolour the terminal."""
    if text.isprintable() and "\\" not in text:
        return text  # the common case, without building a new string
    return text.translate(_ESCAPES)


def json_printable(line: str) -> str:
    """A line of JSON safe to write to a terminal, decoding to exactly the same value: the raw
    characters :func:`printable` escapes that JSON leaves raw (DEL, C1, the direction and line
    controls; JSON itself escapes C0) written as ``\\u`` escapes. In JSON such characters can
    only be inside strings, where ``\\u007f`` means the same as the raw character."""
    return line if line.isascii() and "\x7f" not in line else line.translate(_JSON_ESCAPES)


# --- Values ---------------------------------------------------------------------------------

_SIZE_UNITS = ("KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB")


def human_size(size: int | None) -> str:
    """``1069169`` -> ``"1.0 MiB"``; ``None`` -> ``"-"``.

    Binary units, one rule everywhere: bytes below 1000 as they are (``"999 B"``), otherwise one
    decimal in the first unit where the rounded value stays below 1000, so a size never has more
    than three digits before the point (``1047552`` is ``"1.0 MiB"``, not ``"1023.0 KiB"``);
    beyond YiB the number grows."""
    if size is None:
        return "-"
    if size < 1000:
        return f"{size} B"
    value = float(size)
    for unit in _SIZE_UNITS:
        value /= 1024
        shown = f"{value:.1f}"
        if float(shown) < 1000 or unit == _SIZE_UNITS[-1]:
            return f"{shown} {unit}"
    raise AssertionError("unreachable")


def exact_size(size: int | None) -> str:
    """``1069169`` -> ``"1.0 MiB (1,069,169 bytes)"``; ``None`` -> ``"-"``."""
    return "-" if size is None else f"{human_size(size)} ({size:,} bytes)"


def text(value: object) -> str:
    """A value as text; ``-`` for ``None`` or an empty text."""
    return "-" if value is None or value == "" else str(value)


def count(value: int | None) -> str:
    """A number with thousands separators (``1,234``); ``-`` for ``None``."""
    return "-" if value is None else f"{value:,}"


def when(moment: datetime | None) -> str:
    """A time as ``2025-03-11 18:29:50 UTC`` (in its own zone); ``-`` for ``None``."""
    return "-" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S %Z")


def percent(value: float | None) -> str:
    """``42.25`` -> ``"42.2%"``, ``100.0`` -> ``"100%"``; ``-`` for ``None``."""
    return "-" if value is None else f"{value:.1f}".removesuffix(".0") + "%"


def tags(values: dict[str, Any]) -> str:
    """``{"env": "dev", "n": 1}`` -> ``"env=dev, n=1"``; ``-`` for none."""
    return ", ".join(f"{key}={value}" for key, value in values.items()) or "-"


def compact_json(value: object) -> str:
    """Nested JSON (a schema) on one line; ``-`` for ``None``."""
    if value is None:
        return "-"
    import json

    return json.dumps(value, separators=(",", ":"))


def plural(number: int, noun: str, *, grouped: bool = False) -> str:
    """``1 backup``, ``3 backups`` (``grouped``: ``1,000 backups``)."""
    shown = f"{number:,}" if grouped else str(number)
    return f"{shown} {noun}" if number == 1 else f"{shown} {noun}s"


# --- Fields of a model ----------------------------------------------------------------------

FIELD_TEXTS: dict[str, Callable[[Any], str]] = {
    "record_count": count,
    "namespace_count": count,
    "size_bytes": exact_size,
    "percent_complete": percent,
    "tags": tags,
    "schema": compact_json,
}
"""How a field of a model reads, where :func:`field_text`'s default (by type) does not fit."""


def field_text(name: str, value: object) -> str:
    """The field ``name`` of a model, holding ``value``, as text: by :data:`FIELD_TEXTS`, else a
    time by :func:`when` and anything else by :func:`text`."""
    if name in FIELD_TEXTS:
        return FIELD_TEXTS[name](value)
    from datetime import datetime

    return when(value) if isinstance(value, datetime) else text(value)


def field_names(model: type) -> tuple[str, ...]:
    """The fields of a model class, in the order it declares them (its ``__match_args__``): a
    field added to a model shows up in every view built from this."""
    names: tuple[str, ...] = model.__match_args__  # type: ignore[attr-defined]
    return names
