"""Request bodies of the emulated operations, read and checked as each version's spec says.

A body that is not a JSON object (or not sent as ``application/json``) is a 400. For the backup
schedule operations, whose spec (2026-07) answers 422 when "the request body could not be
deserialized", a required field that is missing or a field of the wrong JSON type is a 422
(:class:`UnprocessableBody`) and a value out of its range a 400; the older operations answer 400
for both, as they always have here."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any


class InvalidBody(ValueError):
    """A request body the API refuses with a 400; the message says why."""

    status = 400


class UnprocessableBody(InvalidBody):
    """A request body that does not have the request's shape (422): a required field missing, or
    a field of the wrong JSON type."""

    status = 422


FieldCheck = Callable[[object], str | None]
"""What is wrong with a field's value (``None`` if nothing), as the end of a sentence."""

_INDEX_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,43}[a-z0-9])?")
_TAG_KEY = re.compile(r"[A-Za-z0-9_-]{1,80}")
_TAG_VALUE = re.compile(r"[A-Za-z0-9;@_.+ -]{0,120}")
_TAG_VALUE_2026_07 = re.compile(r"[\x20-\x7e]{0,120}")
MAX_TAGS_2026_07 = 20
_DELETION_PROTECTION = ("enabled", "disabled")


def _string(value: object) -> str | None:
    return None if isinstance(value, str) else f"must be a string; got {value!r}"


def _index_name(value: object) -> str | None:
    if isinstance(value, str) and _INDEX_NAME.fullmatch(value):
        return None
    return (
        "must be 1-45 characters long, start and end with an alphanumeric character, and "
        f"consist only of lower case alphanumeric characters or '-'; got {value!r}"
    )


def _tags(value: object) -> str | None:
    if not isinstance(value, dict):
        return f"must be an object of strings; got {value!r}"
    for key, tag in value.items():
        if not _TAG_KEY.fullmatch(key):
            return f"keys must be 1-80 characters: alphanumerics, '_' or '-'; got {key!r}"
        if not isinstance(tag, str) or not _TAG_VALUE.fullmatch(tag):
            return (
                "values must be strings of up to 120 characters: alphanumerics, ';', '@', "
                f"'_', '-', '.', '+' or ' '; got {tag!r}"
            )
    return None


def _tags_2026_07(value: object) -> str | None:
    """API 2026-07's ``IndexTags``: ``null``, or at most 20 tags whose values are printable
    ASCII (spaces included)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        return f"must be an object of strings or null; got {value!r}"
    if len(value) > MAX_TAGS_2026_07:
        return f"must hold at most {MAX_TAGS_2026_07} tags; got {len(value)}"
    for key, tag in value.items():
        if not _TAG_KEY.fullmatch(key):
            return f"keys must be 1-80 characters: alphanumerics, '_' or '-'; got {key!r}"
        if not isinstance(tag, str) or not _TAG_VALUE_2026_07.fullmatch(tag):
            return f"values must be strings of up to 120 printable ASCII characters; got {tag!r}"
    return None


def _deletion_protection(value: object) -> str | None:
    if value in _DELETION_PROTECTION:
        return None
    return f"must be one of {', '.join(_DELETION_PROTECTION)}; got {value!r}"


def _is_int(value: object, least: int) -> bool:
    return type(value) is int and value >= least


def _read_capacity(value: object, *, strict: bool) -> str | None:
    """What is wrong with a ``ReadCapacity`` (``None`` if nothing). ``strict``: API 2026-07's
    shape, where a ``Dedicated`` capacity needs ``node_type``, ``scaling`` and ``manual`` (with
    ``replicas`` and ``shards``) and ``OnDemand`` may carry other keys; 2026-04 makes those
    optional and refuses other keys beside ``OnDemand``."""
    if not isinstance(value, dict):
        return f"must be an object; got {value!r}"
    mode = value.get("mode")
    if mode == "OnDemand":
        extra = sorted(set(value) - {"mode"})
        if extra and not strict:
            return f"with mode OnDemand takes no other key; got {extra[0]!r}"
        return None
    if mode != "Dedicated":
        return f"must have a mode of OnDemand or Dedicated; got {mode!r}"
    dedicated = value.get("dedicated")
    if not isinstance(dedicated, dict):
        return f"with mode Dedicated needs a dedicated object; got {dedicated!r}"
    for key in ("node_type", "scaling", "manual"):
        if strict and key not in dedicated:
            return f"with mode Dedicated needs dedicated.{key}"
    for key in ("node_type", "scaling"):
        if key in dedicated and not isinstance(dedicated[key], str):
            return f"needs a string dedicated.{key}; got {dedicated[key]!r}"
    if "manual" not in dedicated:
        return None
    manual = dedicated["manual"]
    if not isinstance(manual, dict):
        return f"needs an object dedicated.manual; got {manual!r}"
    for key, least in (("replicas", 0), ("shards", 1)):
        if strict and key not in manual:
            return f"needs dedicated.manual.{key}"
        if key in manual and not _is_int(manual[key], least):
            return f"needs dedicated.manual.{key} an integer >= {least}; got {manual[key]!r}"
    return None


def _read_capacity_2026_04(value: object) -> str | None:
    return _read_capacity(value, strict=False)


def _read_capacity_2026_07(value: object) -> str | None:
    return _read_capacity(value, strict=True)


def _backup_name_2026_07(value: object) -> str | None:
    """API 2026-07's rule for a backup's name: that of a resource name."""
    return _index_name(value)


CREATE_BACKUP: Mapping[str, FieldCheck] = {"name": _string, "description": _string}
"""The fields of a ``CreateBackupRequest`` (none required)."""

CREATE_BACKUP_2026_07: Mapping[str, FieldCheck] = {
    "name": _backup_name_2026_07,
    "description": _string,
}
"""API 2026-07's ``CreateBackupRequest``: a ``name`` of 1-45 lowercase alphanumerics or ``-``,
alphanumeric at both ends."""

CREATE_INDEX_FROM_BACKUP: Mapping[str, FieldCheck] = {
    "name": _index_name,
    "tags": _tags,
    "deletion_protection": _deletion_protection,
}
"""The fields of a ``CreateIndexFromBackupRequest`` (``name`` required)."""

CREATE_INDEX_FROM_BACKUP_2026_04: Mapping[str, FieldCheck] = {
    **CREATE_INDEX_FROM_BACKUP,
    "read_capacity": _read_capacity_2026_04,
}
"""API 2026-04 adds ``read_capacity``."""

CREATE_INDEX_FROM_BACKUP_2026_07: Mapping[str, FieldCheck] = {
    **CREATE_INDEX_FROM_BACKUP,
    "tags": _tags_2026_07,
    "read_capacity": _read_capacity_2026_07,
}
"""API 2026-07: tags may be ``null``, at most 20, printable ASCII; a stricter ``Dedicated``
``read_capacity``."""


# -- backup schedules (2026-07): 422 for the wrong shape, 400 for a value out of range ----------

FREQUENCIES = ("daily", "weekly", "monthly")
SCHEDULE_TYPE = "time-based"
MAX_EXPIRE_AFTER_DAYS = 3650
"""The longest retention the emulator accepts (the spec leaves the maximum to the service)."""


def _deserialize(problem: str) -> UnprocessableBody:
    return UnprocessableBody(f"Failed to deserialize the JSON body into the target type: {problem}")


_JSON_TYPES = {str: "a string", int: "an integer", bool: "a boolean", dict: "an object"}


def _member(document: Mapping[str, Any], name: str, kind: type, where: str = "") -> Any:
    """``document[name]`` if it has the JSON type ``kind`` (``None`` if absent); else
    :class:`UnprocessableBody` (``null`` too: no field of these requests is nullable)."""
    if name not in document:
        return None
    value = document[name]
    exact = kind is int or kind is bool  # True is not an integer, 1 is not a boolean
    if not (type(value) is kind if exact else isinstance(value, kind)):
        found = "null" if value is None else type(value).__name__
        raise _deserialize(f"{where}{name}: invalid type: {found}, expected {_JSON_TYPES[kind]}")
    return value


def _required(document: Mapping[str, Any], name: str, kind: type, where: str = "") -> Any:
    value = _member(document, name, kind, where)
    if value is None:
        raise _deserialize(f"missing field `{where}{name}`")
    return value


def _frequency(value: str) -> str:
    if value not in FREQUENCIES:
        raise InvalidBody(
            f"Invalid frequency: it must be one of {', '.join(FREQUENCIES)}; got {value!r}."
        )
    return value


def _expire_after_days(retention: Mapping[str, Any]) -> int:
    days: int = _required(retention, "expire_after_days", int, "retention.")
    if not 1 <= days <= MAX_EXPIRE_AFTER_DAYS:
        raise InvalidBody(
            "Invalid retention.expire_after_days: it must be an integer from 1 to "
            f"{MAX_EXPIRE_AFTER_DAYS}; got {days!r}."
        )
    return days


def schedule_to_create(document: Mapping[str, Any]) -> tuple[str, str, int]:
    """``(name, frequency, expire_after_days)`` of a ``CreateBackupScheduleRequest``."""
    name: str = _required(document, "name", str)
    schedule: dict[str, Any] = _required(document, "schedule", dict)
    retention: dict[str, Any] = _required(document, "retention", dict)
    kind: str = _required(schedule, "type", str, "schedule.")
    frequency: str = _required(schedule, "frequency", str, "schedule.")
    days = _expire_after_days(retention)
    if not name.strip():
        raise InvalidBody("Invalid name: it must not be empty.")
    if kind != SCHEDULE_TYPE:
        raise InvalidBody(
            f"Invalid schedule.type: only {SCHEDULE_TYPE} schedules are supported; got {kind!r}."
        )
    return name, _frequency(frequency), days


def schedule_changes(document: Mapping[str, Any]) -> tuple[str | None, int | None, bool | None]:
    """``(frequency, expire_after_days, enabled)`` of an ``UpdateBackupScheduleRequest``, each
    ``None`` when absent (left unchanged)."""
    frequency: str | None = _member(document, "frequency", str)
    retention: dict[str, Any] | None = _member(document, "retention", dict)
    enabled: bool | None = _member(document, "enabled", bool)
    days = None if retention is None else _expire_after_days(retention)
    return None if frequency is None else _frequency(frequency), days, enabled


def json_object(content_type: str, body: bytes) -> dict[str, Any]:
    """``body`` as a JSON object, sent as ``application/json``; else :class:`InvalidBody`."""
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise InvalidBody(f"Expected Content-Type: application/json; got {content_type!r}.")
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep
        document = None
    if not isinstance(document, dict):
        raise InvalidBody("The request body must be a JSON object.")
    return document


def checked_fields(
    document: Mapping[str, Any], checks: Mapping[str, FieldCheck], required: Sequence[str] = ()
) -> dict[str, Any]:
    """The fields of ``document`` that ``checks`` knows (others are ignored, as the real API
    does), each valid, the ``required`` ones present; else :class:`InvalidBody`."""
    for name in required:
        if name not in document:
            raise InvalidBody(f"Missing required field {name}.")
    fields = {name: document[name] for name in checks if name in document}
    for name, value in fields.items():
        problem = checks[name](value)
        if problem is not None:
            raise InvalidBody(f"Invalid {name}: it {problem}.")
    return fields
