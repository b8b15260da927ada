"""Checks of the emulator's arguments, shared by its settings and its faults."""

from __future__ import annotations


def check_status(status: int) -> int:
    """``status`` if it is an HTTP status from 200 to 599, else ``ValueError``."""
    if type(status) is not int or not 200 <= status <= 599:
        raise ValueError(f"status must be an integer from 200 to 599; got {status!r}")
    return status


def check_seconds(seconds: float, name: str) -> float:
    """``seconds`` as a float if it is a finite number >= 0, else ``ValueError`` naming ``name``."""
    if not isinstance(seconds, (int, float)) or not 0 <= seconds < float("inf"):
        raise ValueError(f"{name} must be a finite number of seconds >= 0; got {seconds!r}")
    return float(seconds)


def check_count(value: int, name: str, minimum: int, what: str | None = None) -> int:
    """``value`` if it is an ``int`` >= ``minimum``, else ``ValueError`` saying it must be ``what``
    (by default "an integer >= minimum")."""
    if type(value) is not int or value < minimum:
        what = what or f"an integer >= {minimum}"
        raise ValueError(f"{name} must be {what}; got {value!r}")
    return value
