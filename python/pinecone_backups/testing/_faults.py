"""The emulator's faults, each declared here once.

A fault is its kind (in :data:`FaultKind`, and in :data:`RandomFaultKind` when
:meth:`Emulator.random_faults` may pick it by name), the :class:`Fault` that its factory makes
(what the request that takes it gets: a canned reply, a delivery that mangles how the answer goes
on the wire, a wait, no answer), and its ``*_next`` method in :class:`FaultInjection`, which
:class:`Emulator` inherits; the method's docstring says what the fault does (its first line is
the one-line summary ``help(Emulator)`` shows). A factory registered with ``@_random`` is what
``random_faults`` injects for that kind: the fault of the method of that name with its default
arguments.

Adding a fault touches this file only: its name in the literals, a delivery if none fits, a
factory, its ``*_next`` method (its tests: ``tests/emulator/test_faults.py``, which also checks
that the literals, the factories and the methods agree).
"""

from __future__ import annotations

import random
import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias, TypeVar

from ._api import ErrorAnswer, Reply
from ._checks import check_count, check_seconds, check_status
from ._http import Delivery, Whole, Wire
from ._store import encode_json

# -- the kinds -------------------------------------------------------------------------------------

RandomFaultKind: TypeAlias = Literal[
    "malformed",
    "gzip_garbage",
    "huge_body",
    "trickle",
    "wrong_length",
    "reset",
    "chunked_cut",
    "drop",
    "hang",
]
"""A fault :meth:`Emulator.random_faults` can pick by name (an ``int`` picks an error status)."""

FaultKind: TypeAlias = Literal["fail", "respond", "delay", RandomFaultKind]
"""A kind of injected fault, named after the method that queues it (``fail_next`` is ``"fail"``).

The kinds that send an answer appear as :attr:`Exchange.fault` (a delayed answer as ``None``);
the others send nothing usable (a reset, a cut, a drop, a hang: each ``*_next`` method says)
and show in :attr:`Emulator.requests` and :attr:`Emulator.fault_counts` only.
"""

Body: TypeAlias = str | bytes | Mapping[str, Any] | list[Any]
"""A response body to inject: bytes as they are, a str as UTF-8, a dict or list as JSON."""


@dataclass(frozen=True, slots=True)
class Fault:
    """One queued fault: what the request that takes it gets.

    ``reply`` replaces the emulated API's answer (``None`` keeps it; an :class:`ErrorAnswer` is
    written in the version of the request that takes it), ``delivery`` says how the
    answer goes on the wire and ``seconds`` is waited before answering, on top of the latency.
    ``answered`` False closes the connection unanswered, and with ``hangs`` only once the server
    stops. ``recorded`` False keeps no :class:`Exchange` (an answer cut to nothing usable);
    ``shown`` False records the exchange with ``fault=None`` (an answer merely late).
    """

    kind: FaultKind
    reply: Reply | ErrorAnswer | None = None
    delivery: Delivery = field(default_factory=Whole)
    seconds: float = 0.0
    answered: bool = True
    hangs: bool = False
    recorded: bool = True
    shown: bool = True


# -- deliveries: an answer mangled on the wire -----------------------------------------------------

_STREAM_BLOCK = 64 * 1024


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode("ascii") + data + b"\r\n"


@dataclass(frozen=True, slots=True)
class Overstated:
    """Send the response with a ``Content-Length`` ``extra`` bytes too large, then close."""

    extra: int

    def framing(self, body: bytes) -> tuple[str, str]:
        return ("Content-Length", str(len(body) + self.extra))

    def write(self, wire: Wire, head: bytes, body: bytes) -> None:
        wire.close_after()
        wire.write(head + body)


@dataclass(frozen=True, slots=True)
class ResetAfter:
    """Send the head and the first ``after_bytes`` bytes of the body, then reset (TCP RST).

    At most all but the last byte of the body is sent, so the body is always incomplete.
    """

    after_bytes: int

    def framing(self, body: bytes) -> tuple[str, str]:
        return ("Content-Length", str(len(body)))

    def write(self, wire: Wire, head: bytes, body: bytes) -> None:
        wire.write(head + body[: min(self.after_bytes, max(len(body) - 1, 0))])
        wire.reset()


@dataclass(frozen=True, slots=True)
class Trickle:
    """Send the head, then the body ``chunk`` bytes at a time, ``interval`` seconds apart."""

    interval: float
    chunk: int

    def framing(self, body: bytes) -> tuple[str, str]:
        return ("Content-Length", str(len(body)))

    def write(self, wire: Wire, head: bytes, body: bytes) -> None:
        wire.write(head)
        for start in range(0, len(body), self.chunk):
            if wire.stopping.wait(self.interval):
                wire.close_after()
                return
            wire.write(body[start : start + self.chunk])


@dataclass(frozen=True, slots=True)
class CutChunked:
    """Send the body chunked: a first chunk, then half of a second one, then close (no end)."""

    def framing(self, body: bytes) -> tuple[str, str]:
        return ("Transfer-Encoding", "chunked")

    def write(self, wire: Wire, head: bytes, body: bytes) -> None:
        wire.close_after()
        half = len(body) // 2
        rest = body[half:]
        cut = _chunk(body[:half]) if half else b""
        cut += f"{len(rest):x}\r\n".encode("ascii") + rest[: len(rest) // 2]
        wire.write(head + (cut if body else b""))


@dataclass(frozen=True, slots=True)
class Stream:
    """Send ``size`` bytes: the response's body, then spaces, in blocks, never all in memory.

    Framed by ``Content-Length``, or with ``chunked`` by complete chunked encoding.
    """

    size: int
    chunked: bool = False

    def framing(self, body: bytes) -> tuple[str, str]:
        if self.chunked:
            return ("Transfer-Encoding", "chunked")
        return ("Content-Length", str(self.size))

    def write(self, wire: Wire, head: bytes, body: bytes) -> None:
        wire.write(head)
        if wire.command == "HEAD":
            return
        padding = b" " * _STREAM_BLOCK
        left = self.size
        block = body[:left]
        while block:
            if wire.stopping.is_set():
                wire.close_after()
                return
            wire.write(_chunk(block) if self.chunked else block)
            left -= len(block)
            block = padding[: min(left, _STREAM_BLOCK)]
        if self.chunked:
            wire.write(b"0\r\n\r\n")


# -- the faults: factories, with the defaults of their *_next methods ------------------------------

_GZIP_GARBAGE = (
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # a valid gzip header (deflate, no flags)
    b"\xff\xff this is not deflate data \x00\x01\x02\x03"  # block type 3: invalid at once
)
_UNFINISHED_JSON = b'{"data": ['  # malformed_next's default body; huge_body_next's body starts so
_RESET_AFTER_BYTES = 200
_TRICKLE_INTERVAL = 0.5
_TRICKLE_CHUNK = 16
_WRONG_LENGTH_EXTRA = 100
_HUGE_BODY_SIZE = 100 * 1024 * 1024

_RANDOM: dict[str, Callable[[], Fault]] = {}
"""The fault of each kind :meth:`Emulator.random_faults` can pick by name (``@_random``)."""


_Factory = TypeVar("_Factory", bound=Callable[..., Fault])


def _random(kind: RandomFaultKind) -> Callable[[_Factory], _Factory]:
    """Registers a factory, called without arguments, as the random fault of ``kind``."""

    def register(factory: _Factory) -> _Factory:
        _RANDOM[kind] = factory
        return factory

    return register


def _body_bytes(body: Body) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return encode_json(body)


def _header_pairs(headers: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    pairs = tuple((headers or {}).items())
    for name, value in pairs:
        text = name + value
        if not name or ":" in name or "\r" in text or "\n" in text or not text.isascii():
            raise ValueError(f"invalid header {name!r}: {value!r}")
    return pairs


def _fail(
    status: int,
    code: str | None = None,
    body: Body | None = None,
    *,
    message: str | None = None,
    headers: Mapping[str, str] | None = None,
    content_type: str = "application/json",
) -> Fault:
    check_status(status)
    pairs = _header_pairs(headers)
    reply: Reply | ErrorAnswer
    if body is None:
        reply = ErrorAnswer(status, message, code, pairs)
    elif code is not None or message is not None:
        raise ValueError("code and message only apply when no body is given")
    else:
        reply = Reply(status, _body_bytes(body), content_type, pairs)
    return Fault("fail", reply=reply)


def _respond(
    status: int = 200,
    body: Body = b"",
    *,
    headers: Mapping[str, str] | None = None,
    content_type: str = "application/json",
) -> Fault:
    reply = Reply(check_status(status), _body_bytes(body), content_type, _header_pairs(headers))
    return Fault("respond", reply=reply)


def _delay(seconds: float) -> Fault:
    return Fault("delay", seconds=check_seconds(seconds, "seconds"), shown=False)


@_random("malformed")
def _malformed(body: bytes = _UNFINISHED_JSON) -> Fault:
    return Fault("malformed", reply=Reply(200, body))


@_random("gzip_garbage")
def _gzip_garbage() -> Fault:
    headers = (("Content-Encoding", "gzip"),)
    return Fault("gzip_garbage", reply=Reply(200, _GZIP_GARBAGE, headers=headers))


@_random("huge_body")
def _huge_body(size: int = _HUGE_BODY_SIZE, chunked: bool = False) -> Fault:
    size = check_count(size, "size", 0)
    reply = Reply(200, _UNFINISHED_JSON[:size])
    return Fault("huge_body", reply=reply, delivery=Stream(size, chunked=bool(chunked)))


@_random("trickle")
def _trickle(interval: float = _TRICKLE_INTERVAL, chunk: int = _TRICKLE_CHUNK) -> Fault:
    delivery = Trickle(check_seconds(interval, "interval"), check_count(chunk, "chunk", 1))
    return Fault("trickle", delivery=delivery)


@_random("wrong_length")
def _wrong_length(extra: int = _WRONG_LENGTH_EXTRA) -> Fault:
    return Fault("wrong_length", delivery=Overstated(check_count(extra, "extra", 1)))


@_random("reset")
def _reset(after_bytes: int = _RESET_AFTER_BYTES) -> Fault:
    delivery = ResetAfter(check_count(after_bytes, "after_bytes", 0))
    return Fault("reset", delivery=delivery, recorded=False)


@_random("chunked_cut")
def _chunked_cut() -> Fault:
    return Fault("chunked_cut", delivery=CutChunked(), recorded=False)


@_random("drop")
def _drop() -> Fault:
    return Fault("drop", answered=False, recorded=False)


@_random("hang")
def _hang() -> Fault:
    return Fault("hang", answered=False, hangs=True, recorded=False)


def _random_fault(kind: int | str) -> Fault:
    """The fault :meth:`Emulator.random_faults` injects for one of its ``kinds``."""
    if isinstance(kind, int) and not isinstance(kind, bool):
        return Fault("fail", reply=ErrorAnswer(check_status(kind)))
    make = _RANDOM.get(kind) if isinstance(kind, str) else None
    if make is not None:
        return make()
    raise ValueError(
        f"a random fault kind must be an HTTP status (200 to 599) or one of "
        f"{', '.join(_RANDOM)}; got {kind!r}"
    )


@dataclass(slots=True)
class _RandomFaults:
    rate: float
    faults: tuple[Fault, ...]
    rng: random.Random

    def draw(self) -> Fault | None:
        if self.rng.random() < self.rate:
            return self.rng.choice(self.faults)
        return None


# -- the *_next methods, and the queue they fill ---------------------------------------------------


class FaultInjection:
    """Fault injection, which :class:`Emulator` inherits.

    Faults queue up in FIFO order (thread-safe); each of the next requests to reach the server
    takes the next one. :meth:`random_faults` also faults a share of all requests.
    """

    _lock: threading.Lock
    _faults: deque[Fault]
    _random_faults: _RandomFaults | None
    _fault_counts: dict[FaultKind, int]

    def _init_faults(self) -> None:
        self._faults = deque()
        self._random_faults = None
        self._fault_counts = {}

    def fail_next(
        self,
        status: int,
        code: str | None = None,
        body: Body | None = None,
        times: int = 1,
        *,
        message: str | None = None,
        headers: Mapping[str, str] | None = None,
        content_type: str = "application/json",
    ) -> None:
        """Answer the next ``times`` requests with an error ``status``.

        Without ``body``, the answer is an ErrorResponse with ``code`` (by default the usual one
        for the status in the request's API version, e.g. 429 ``RESOURCE_EXHAUSTED``, 503
        ``UNAVAILABLE``, or ``SERVICE_UNAVAILABLE`` under 2026-07, else ``UNKNOWN``) and
        ``message`` (by default the status's reason phrase); under 2026-07 a 401 without a
        ``code`` is plain text, as that version sends it (``message``, by default ``Invalid
        API key``). With ``body``, that is sent
        verbatim instead (an HTML page, an empty body, plain text...; set ``content_type`` to
        match). ``headers`` are added or replace defaults, e.g. ``{"Retry-After": "2"}`` or
        ``{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}`` (sent as given).
        """
        fault = _fail(
            status, code, body, message=message, headers=headers, content_type=content_type
        )
        self._queue(fault, times)

    def respond_next(
        self,
        status: int = 200,
        body: Body = b"",
        times: int = 1,
        *,
        headers: Mapping[str, str] | None = None,
        content_type: str = "application/json",
    ) -> None:
        """Answer the next ``times`` requests with a canned response (any body, even invalid).

        For example ``emu.respond_next(200, DOCS_EXAMPLE_RESPONSE)``.
        """
        self._queue(_respond(status, body, headers=headers, content_type=content_type), times)

    def malformed_next(self, times: int = 1, body: bytes = _UNFINISHED_JSON) -> None:
        """Answer the next ``times`` requests with a 200 whose JSON body is cut short."""
        self._queue(_malformed(body), times)

    def delay_next(self, seconds: float, times: int = 1) -> None:
        """Wait ``seconds`` (on top of :attr:`latency`) before answering the next requests."""
        self._queue(_delay(seconds), times)

    def drop_next(self, times: int = 1) -> None:
        """Read each of the next ``times`` requests, then close its connection unanswered."""
        self._queue(_drop(), times)

    def hang_next(self, times: int = 1) -> None:
        """Read each of the next ``times`` requests and never answer (until :meth:`stop`)."""
        self._queue(_hang(), times)

    def reset_next(self, times: int = 1, *, after_bytes: int = _RESET_AFTER_BYTES) -> None:
        """Reset the connection (TCP RST) in the middle of each of the next ``times`` answers.

        The emulated API's answer is sent with its status line and headers, including the full
        ``Content-Length``, then the first ``after_bytes`` bytes of its body (at most all but its
        last byte, so the body is always incomplete; ``0`` sends the head alone), then the
        connection is closed with ``SO_LINGER`` set to zero, which sends an RST instead of a FIN:
        the client's next read fails with "connection reset by peer". No :class:`Exchange` is
        recorded (the request is in :attr:`requests`).
        """
        self._queue(_reset(after_bytes), times)

    def trickle_next(
        self, times: int = 1, *, interval: float = _TRICKLE_INTERVAL, chunk: int = _TRICKLE_CHUNK
    ) -> None:
        """Send each of the next ``times`` answers slowly: the body arrives too slowly.

        The emulated API's answer is sent with correct headers at once, then its body ``chunk``
        bytes at a time, waiting ``interval`` seconds before each write. The response is
        complete and correct in the end, and the connection stays open. :meth:`stop` interrupts
        it at once. Recorded with ``fault="trickle"``.
        """
        self._queue(_trickle(interval, chunk), times)

    def wrong_length_next(self, times: int = 1, *, extra: int = _WRONG_LENGTH_EXTRA) -> None:
        """Send each of the next ``times`` answers with a ``Content-Length`` ``extra`` too large.

        The emulated API's whole answer is sent, announced ``extra`` bytes longer than it is,
        then the connection is closed (a FIN): the client sees the body end early. Recorded with
        ``fault="wrong_length"`` and the overstated ``Content-Length`` in its headers.
        """
        self._queue(_wrong_length(extra), times)

    def chunked_cut_next(self, times: int = 1) -> None:
        """Cut each of the next ``times`` answers short in the middle of a chunk.

        The emulated API's answer is sent with ``Transfer-Encoding: chunked`` (no
        ``Content-Length``): a first chunk holding the first half of the body, then the size line
        of a second chunk holding the rest, then only half of that chunk's data; then the
        connection is closed (a FIN) without the terminating ``0`` chunk. No :class:`Exchange`
        is recorded (the request is in :attr:`requests`).
        """
        self._queue(_chunked_cut(), times)

    def gzip_garbage_next(self, times: int = 1) -> None:
        """Answer the next ``times`` requests with a 200 whose gzip body cannot be decoded.

        The response has ``Content-Encoding: gzip`` (whatever the request's
        ``Accept-Encoding``), ``Content-Type: application/json`` and a correct
        ``Content-Length``; the body is a valid gzip header followed by bytes that are not
        deflate data, so decompressing it fails. Recorded with ``fault="gzip_garbage"``.
        """
        self._queue(_gzip_garbage(), times)

    def huge_body_next(
        self, times: int = 1, *, size: int = _HUGE_BODY_SIZE, chunked: bool = False
    ) -> None:
        """Answer the next ``times`` requests with a 200 whose body is ``size`` bytes long.

        The body is ``{"data": [`` followed by spaces: a valid JSON prefix all the way, that
        never ends. It is streamed in 64 KiB blocks, never held in memory, framed by
        ``Content-Length: size`` or, with ``chunked``, by complete chunked encoding. If the
        client hangs up early, the server stops writing quietly; :meth:`stop` stops it at once.
        Recorded with ``fault="huge_body"`` and only ``{"data": [`` as its body.
        """
        self._queue(_huge_body(size, chunked), times)

    def random_faults(
        self,
        rate: float,
        *,
        kinds: Sequence[int | RandomFaultKind] = (503, 500, "drop", "reset"),
        seed: int | str | None = None,
    ) -> None:
        """Inject faults at random, or with ``rate`` 0 stop doing so.

        While on, each request that reaches the server gets, with probability ``rate`` (0 to
        1), a fault picked uniformly from ``kinds``: an ``int`` is an error status answered with
        an ErrorResponse as by :meth:`fail_next`, a name (a :data:`RandomFaultKind`) is the
        fault of the ``*_next`` method of that name with its default arguments (``"drop"`` that
        of :meth:`drop_next`...). The default is a 503, a 500, a dropped connection and a reset
        mid-body.

        Queued faults win: a request that takes a queued fault gets no random one. The random
        draw is made for every request all the same, so with a ``seed`` the n-th request to
        reach the server always draws the same fault, whatever was queued. Calling again
        replaces the settings and restarts the sequence. Injected faults are counted in
        :attr:`fault_counts` and recorded like queued ones.
        """
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError(f"rate must be a probability from 0 to 1; got {rate!r}")
        if rate == 0:
            with self._lock:
                self._random_faults = None
            return
        if isinstance(kinds, (str, bytes)) or not kinds:
            raise ValueError(f"kinds must be a non-empty sequence of fault kinds; got {kinds!r}")
        faults = tuple(_random_fault(kind) for kind in kinds)
        chaos = _RandomFaults(float(rate), faults, random.Random(seed))
        with self._lock:
            self._random_faults = chaos

    def clear_faults(self) -> None:
        """Drop every pending fault (random faults stay on: see :meth:`random_faults`)."""
        with self._lock:
            self._faults.clear()

    @property
    def fault_counts(self) -> dict[FaultKind, int]:
        """How many faults of each kind were injected so far, queued and random (a copy).

        Kinds never injected are absent. Every request that takes a fault counts once, under the
        kind that queued it (``fail_next`` counts as ``"fail"``, ``delay_next`` as ``"delay"``;
        see :data:`FaultKind`); a random error status counts as ``"fail"``.
        """
        with self._lock:
            return dict(self._fault_counts)

    def _queue(self, fault: Fault, times: int) -> None:
        check_count(times, "times", 1, "a positive integer")
        with self._lock:
            self._faults.extend([fault] * times)

    def _forget_faults(self) -> None:
        """Drop pending faults and the counts (call with ``self._lock`` held)."""
        self._faults.clear()
        self._fault_counts.clear()

    def _take_fault(self) -> Fault | None:
        """The fault of the request just read, counted (call with ``self._lock`` held)."""
        chaos = self._random_faults
        drawn = chaos.draw() if chaos is not None else None
        fault = self._faults.popleft() if self._faults else drawn
        if fault is not None:
            self._fault_counts[fault.kind] = self._fault_counts.get(fault.kind, 0) + 1
        return fault
