"""Request bodies of the emulated operations, read and checked as the spec (2025-10) says."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any


class InvalidBody(ValueError):
    """A request body the API refuses with a 400; the message says why."""


FieldCheck = Callable[[object], str | None]
"""What is wrong with a field's value (``None`` if nothing), as the end of a sentence."""

_INDEX_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,43}[a-z0-9])?")
_TAG_KEY = re.compile(r"[A-Za-z0-9_-]{1,80}")
_TAG_VALUE = re.compile(r"[A-Za-z0-9;@_.+ -]{0,120}")
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


def _deletion_protection(value: object) -> str | None:
    if value in _DELETION_PROTECTION:
        return None
    return f"must be one of {', '.join(_DELETION_PROTECTION)}; got {value!r}"


CREATE_BACKUP: Mapping[str, FieldCheck] = {"name": _string, "description": _string}
"""The fields of a ``CreateBackupRequest`` (none required)."""

CREATE_INDEX_FROM_BACKUP: Mapping[str, FieldCheck] = {
    "name": _index_name,
    "tags": _tags,
    "deletion_protection": _deletion_protection,
}
"""The fields of a ``CreateIndexFromBackupRequest`` (``name`` required)."""


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
