"""Durations as people write them for retention and schedules: ``90m``, ``36h``, ``7d``,
``2w``, ``1d12h``. :func:`parse_duration` reads one (``prune --older-than``/``--keep-within``,
``plan_prune(keep_within=...)``, and a policy file's durations); :func:`format_duration` writes
one back.

The grammar, after surrounding whitespace is stripped: one or more parts, each a whole number
in ASCII digits followed at once by a unit, ``w`` (7 days), ``d`` (24 hours), ``h``, ``m``
(minutes) or ``s``, in any case; each unit at most once and largest first (``1d12h``, not
``12h1d``); no sign, fraction, space or other text inside; the total more than 0. Years and
months are refused: they have no fixed length (``365d`` and ``30d`` say what is meant).

Importing this module imports nothing (``datetime`` is imported where it is used).
"""

from __future__ import annotations

from pinecone_backups.errors import ArgumentTypeError, ValidationError

FUTURE_SKEW_SECONDS = 300
"""A ``created_at`` up to this many seconds after now is read as age 0 (clocks differ a
little); later, the backup's age is unknown: coverage does not count it, retention never deletes
it nor lets it fill a slot, and a policy does not take it for a recent backup (a backup dated
years ahead must not make an index look covered, nor push its real backups out)."""

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    import datetime

__all__ = ["UNITS", "format_duration", "parse_duration"]

UNITS = (("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1))
"""Duration units, largest first, in seconds."""

_CALENDAR_UNITS = frozenset({"y", "yr", "year", "mo", "mon", "month"})
"""Units refused with a word of why (a plural ``s`` is dropped first)."""

EXAMPLES = "90m, 36h, 30d or 2w"
"""The examples every error about a duration starts with."""


def parse_duration(text: str, *, param: str = "duration") -> datetime.timedelta:
    """``"90m"``, ``"36h"``, ``"30d"``, ``"2w"``, ``"45s"`` or parts of them largest first
    (``"1d12h"``), as a ``timedelta`` (see the module's docstring for the grammar).

    ``ArgumentTypeError`` when ``text`` is not a str; ``ValidationError`` (a ``ValueError``)
    when it is not a duration, saying why; ``param`` names the argument in both.

    >>> parse_duration("1d12h")
    datetime.timedelta(days=1, seconds=43200)
    """
    import datetime as dt

    if not isinstance(text, str):
        raise ArgumentTypeError(
            f"{param} must be a duration (a str like {EXAMPLES}), not {type(text).__name__}",
            param=param,
        )
    seconds = _seconds(text.strip())
    if isinstance(seconds, str):
        raise ValidationError(
            f"expected a duration like {EXAMPLES} (whole numbers, each followed by a unit: s, m, "
            f"h, d or w, largest first as in 1d12h), got {_quoted(text)}{seconds}",
            param=param,
        )
    try:
        return dt.timedelta(seconds=seconds)
    except OverflowError:
        raise ValidationError(
            f"expected a duration like {EXAMPLES}, got {_quoted(text)}: longer than Python's "
            f"timedelta holds (999999999 days)",
            param=param,
        ) from None


def _quoted(text: str) -> str:
    """``text`` quoted (``repr``) for an error, cut to 60 characters."""
    quoted = repr(text)
    return quoted if len(quoted) <= 60 else quoted[:57] + "..."


def _seconds(text: str) -> int | str:
    """The seconds ``text`` says, or why it says none (text to add to the error)."""
    lowered = text.lower()
    units = dict(UNITS)
    order = [unit for unit, _ in UNITS]
    total, last, position = 0, -1, 0
    while position < len(lowered):
        end = position
        while end < len(lowered) and lowered[end] in "0123456789":
            end += 1
        unit = lowered[end : end + 1]
        if end == position or unit not in units or lowered[end : end + 2] == "mo":
            if end > position and lowered[end:].rstrip("s") in _CALENDAR_UNITS:
                return ": years and months have no fixed length (write days: 365d, 30d)"
            return ""
        if order.index(unit) <= last:
            return f": unit {unit} given twice or out of order (largest first: 1d12h)"
        last = order.index(unit)
        digits = lowered[position:end].lstrip("0")
        # more than 18 digits overflows a timedelta whatever the unit (and int() refuses
        # thousands of them): counted as too many seconds
        total += 10**30 if len(digits) > 18 else int(digits or "0") * units[unit]
        position = end + 1
    if position == 0:
        return ""
    if total == 0:
        return ": it must be more than 0"
    return total


def format_duration(duration: datetime.timedelta) -> str:
    """A duration in the largest unit up to days that states it exactly: ``14d``, ``36h``,
    ``90m``, ``45s`` (``1.5s`` for a fraction, ``0s`` for nothing)."""
    total = duration.days * 86_400 + duration.seconds
    if duration.microseconds or total <= 0:
        return f"{duration.total_seconds():g}s"
    for unit, seconds in UNITS[1:]:
        if total % seconds == 0:
            return f"{total // seconds}{unit}"
    raise AssertionError("unreachable: seconds divide every whole number of seconds")
