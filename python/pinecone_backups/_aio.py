"""The awaitable the native module hands out for a result it has at hand already."""

from __future__ import annotations

import types
from collections.abc import Generator
from typing import Any, TypeVar

T = TypeVar("T")


@types.coroutine
def ready(value: T) -> Generator[Any, None, T]:
    """``await ready(x)`` is ``x``, without a trip through the event loop: a generator-based
    coroutine returns its value to ``await`` without raising ``StopIteration`` (which an
    ``__await__`` written in Rust would have to raise for every item of an async walk)."""
    return value
    yield  # unreachable: makes this a generator function
