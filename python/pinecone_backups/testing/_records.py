"""What the emulator saw and what it answered: requests, exchanges and their headers."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._faults import FaultKind


class Headers(Mapping[str, str]):
    """An immutable, case-insensitive view of HTTP headers.

    Looking a name up (``headers["api-key"]``, ``headers.get("Api-Key")``) gives the first value
    sent under that name, whatever its case; :meth:`get_all` gives every value, in order. Iterating
    yields each distinct name once, spelt as it was first sent. :attr:`raw` keeps every
    ``(name, value)`` pair exactly as sent.
    """

    __slots__ = ("_first", "raw")

    raw: tuple[tuple[str, str], ...]
    _first: dict[str, tuple[str, str]]

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self.raw = tuple(pairs)
        self._first = {}
        for name, value in self.raw:
            self._first.setdefault(name.lower(), (name, value))

    def __getitem__(self, name: str) -> str:
        return self._first[name.lower()][1]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._first

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._first.values())

    def __len__(self) -> int:
        return len(self._first)

    def get_all(self, name: str) -> list[str]:
        """Every value sent under ``name`` (case-insensitive), in order; ``[]`` if none."""
        wanted = name.lower()
        return [value for key, value in self.raw if key.lower() == wanted]

    def __repr__(self) -> str:
        return f"Headers({list(self.raw)!r})"


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One HTTP request as the emulator read it off the wire.

    Attributes:
        method: The request method, e.g. ``"GET"``.
        path: The path exactly as sent, still percent-encoded, without the query string
            (``"/indexes/a%2Fb/backups"``).
        raw_query: The query string exactly as sent, without the ``?`` (``""`` if none).
        query: The decoded query parameters, every value of each name in order (decoded with
            form rules, so an unencoded ``+`` reads as a space, as on the real API).
        headers: The request headers (case-insensitive; see :class:`Headers`).
        index_name: The percent-decoded ``{index_name}`` segment when the path has the shape
            ``/indexes/{index_name}/backups``, else ``None``.
        body: The request body (``b""`` if none).
        received_at: ``time.monotonic()`` when the request had been read, to measure the
            spacing of retries.
    """

    method: str
    path: str
    raw_query: str
    query: dict[str, list[str]]
    headers: Headers
    index_name: str | None
    body: bytes
    received_at: float


@dataclass(frozen=True, slots=True)
class Exchange:
    """A request together with the response the emulator wrote for it.

    Attributes:
        request: The request.
        status: The HTTP status code of the response.
        headers: The response headers chosen by the emulator (``Content-Type``,
            ``Content-Length``, ``x-pinecone-request-id`` and any injected ones). A
            ``Connection: close`` is not recorded; it is sent only when the request asked to close
            (``Connection: close``, or HTTP/1.0), never when the emulator closes the connection
            after the response (``"wrong_length"``, or a response cut short by
            :meth:`Emulator.stop`).
        body: The response body, byte for byte (for a ``HEAD`` request, the body a ``GET`` would
            have had; none is sent).
        fault: ``None`` for a response computed by the emulated API and sent normally
            (including delayed ones), else the kind of fault that produced or mangled it (see
            :data:`FaultKind`): a canned answer (``"fail"``, ``"respond"``, ``"malformed"``...)
            or the emulated API's answer sent badly (``"trickle"``, ``"wrong_length"``...); each
            ``*_next`` method of :class:`Emulator` says whether its answers are recorded. For
            ``"huge_body"``, :attr:`body` holds only the JSON prefix of the streamed body (the
            rest is padding) and ``headers`` give its real framing.
    """

    request: RecordedRequest
    status: int
    headers: Headers
    body: bytes
    fault: FaultKind | None

    def json(self) -> Any:
        """The response body decoded as JSON (raises ``ValueError`` if it is not JSON)."""
        return json.loads(self.body)
