"""The public :class:`Emulator`: data, fault injection, recording and the server's lifecycle."""

from __future__ import annotations

import threading
import uuid
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, TypeAlias, final

from ._api import (
    ApiSettings,
    LastPageStyle,
    Reply,
    answer,
    check_page_size,
    check_versions,
    error_body,
    error_code_for,
    parse_last_page,
    status_phrase,
)
from ._examples import seed_indexes
from ._http import EmulatorHTTPServer
from ._records import Exchange, Headers, RecordedRequest
from ._store import BackupStore, encode_json

Body: TypeAlias = str | bytes | Mapping[str, Any] | list[Any]
"""A response body to inject: bytes as they are, a str as UTF-8, a dict or list as JSON."""

Observer: TypeAlias = Callable[[Exchange], object]
"""A callback given every exchange (see :meth:`Emulator.add_observer`)."""


@dataclass(frozen=True, slots=True)
class _Fault:
    action: Literal["reply", "delay", "drop", "hang"]
    reply: Reply | None = None
    seconds: float = 0.0


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


def _merge_headers(
    defaults: list[tuple[str, str]], overrides: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str], ...]:
    """``defaults`` with each override replacing the default of the same name, or appended."""
    merged = list(defaults)
    for name, value in overrides:
        same = (i for i, (key, _) in enumerate(merged) if key.lower() == name.lower())
        position = next(same, None)
        if position is None:
            merged.append((name, value))
        else:
            merged[position] = (name, value)
    return tuple(merged)


def _check_status(status: int) -> int:
    if type(status) is not int or not 200 <= status <= 599:
        raise ValueError(f"status must be an integer from 200 to 599; got {status!r}")
    return status


def _check_times(times: int) -> int:
    if type(times) is not int or times < 1:
        raise ValueError(f"times must be a positive integer; got {times!r}")
    return times


def _check_seconds(seconds: float, name: str) -> float:
    if not isinstance(seconds, (int, float)) or not seconds >= 0:
        raise ValueError(f"{name} must be a number of seconds >= 0; got {seconds!r}")
    return float(seconds)


@final
class Emulator:
    """A local HTTP server emulating Pinecone's ``GET /indexes/{index_name}/backups``.

    It follows the control-plane OpenAPI spec, API version 2025-10, and records every request
    and response so that tests can inspect them. Use it as a context manager::

        with Emulator(api_key="test-key") as emu:
            emu.add_backup("my-index", name="nightly")
            ...  # point the client under test at emu.url, with emu.api_key

    Args:
        api_key: The only ``Api-Key`` accepted; any other value, or none, gets a 401.
        host: The address to listen on.
        port: The port to listen on; 0 picks a free one (read it from :attr:`url`).
        seed: Start with the example data: indexes ``docs-example`` (the docs page's backup
            and two older ones), ``my-index`` (the spec example's two backups), ``empty-index``
            (none) and ``big-index`` (25 backups).
        default_page_size: The page size when a request has neither ``limit`` nor a token.
        api_versions: The accepted values of the ``X-Pinecone-Api-Version`` header.
        last_page: How the last page's ``pagination`` is written; see :attr:`last_page`.
        latency: Seconds to wait before answering every request.
    """

    def __init__(
        self,
        api_key: str = "test-key",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: bool = True,
        default_page_size: int = 10,
        api_versions: Sequence[str] = ("2025-10",),
        last_page: LastPageStyle = "null",
        latency: float = 0.0,
    ) -> None:
        self._settings = ApiSettings(
            api_key=api_key,
            api_versions=check_versions(api_versions),
            default_page_size=check_page_size(default_page_size, "default_page_size"),
            last_page=parse_last_page(last_page),
        )
        self._latency = _check_seconds(latency, "latency")
        self._host = host
        self._port = port
        self._store = BackupStore()
        self._lock = threading.Lock()
        self._faults: deque[_Fault] = deque()
        self._requests: list[RecordedRequest] = []
        self._exchanges: list[Exchange] = []
        self._observers: list[Observer] = []
        self._observer_errors: list[Exception] = []
        self._server: EmulatorHTTPServer | None = None
        if seed:
            for index in seed_indexes():
                self.add_index(index.name, index_id=index.index_id)
                for backup in index.backups:
                    self.add_backup(index.name, **backup)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Emulator:
        """Start serving in the background (no-op if running); return ``self``."""
        if self._server is None:
            server = EmulatorHTTPServer(self._host, self._port, self._respond)
            server.start()
            self._server = server
        return self

    def stop(self) -> None:
        """Stop serving (no-op if stopped).

        Returns promptly even while requests hang or are delayed: their connections are closed
        without an answer, as are idle keep-alive connections.
        """
        server, self._server = self._server, None
        if server is not None:
            server.stop()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """Whether the server is running."""
        return self._server is not None

    @property
    def url(self) -> str:
        """The base URL, ``"http://HOST:PORT"`` without a trailing slash (only while running)."""
        server = self._server
        if server is None:
            raise RuntimeError("the emulator is not running: call start() or use it in a with")
        return f"http://{self._host}:{server.server_port}"

    def __repr__(self) -> str:
        where = self.url if self._server is not None else "stopped"
        return f"<Emulator {where}>"

    # -- settings ----------------------------------------------------------------------------

    @property
    def api_key(self) -> str:
        """The API key the emulator accepts."""
        return self._settings.api_key

    @property
    def api_versions(self) -> tuple[str, ...]:
        """The accepted values of the ``X-Pinecone-Api-Version`` header."""
        return self._settings.api_versions

    @property
    def default_page_size(self) -> int:
        """The page size of a request with neither ``limit`` nor ``paginationToken``."""
        return self._settings.default_page_size

    @property
    def last_page(self) -> LastPageStyle:
        """How the last page (of any index, including an empty one) writes ``pagination``.

        ``"null"`` (``"pagination": null``, what the real API sends), ``"missing"`` (no key),
        ``"empty"`` (``{}``), ``"next-null"`` (``{"next": null}``) or ``"next-empty"``
        (``{"next": ""}``). May be changed while the server runs.
        """
        return self._settings.last_page

    @last_page.setter
    def last_page(self, style: LastPageStyle) -> None:
        self._settings.last_page = parse_last_page(style)

    @property
    def latency(self) -> float:
        """Seconds to wait before answering every request (may be changed while running)."""
        return self._latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self._latency = _check_seconds(seconds, "latency")

    # -- data --------------------------------------------------------------------------------

    def add_index(self, name: str, *, index_id: str | None = None) -> str:
        """Create index ``name`` with no backups, unless it exists; return its id.

        The id (served as ``source_index_id``) is ``index_id`` or a new uuid4. Calling again
        with the same name is harmless; with a different ``index_id`` it is a ``ValueError``.
        """
        if not isinstance(name, str) or not name:
            raise ValueError(f"an index name must be a non-empty string; got {name!r}")
        return self._store.add_index(name, index_id)

    def add_backup(self, index_name: str, /, **fields: Any) -> dict[str, Any]:
        """Store a backup of ``index_name`` (creating the index if needed); return it as served.

        Fields not given are filled in: ``backup_id`` (a new uuid4), ``source_index_name``
        (``index_name``), ``source_index_id`` (the index's id), ``status`` (``"Ready"``),
        ``cloud`` (``"aws"``), ``region`` (``"us-east-1"``) and ``created_at`` (now, UTC,
        RFC 3339 with a ``Z``). Every given field, even one the spec does not know, is served
        as given; ``None`` is served as ``null``. Listings are newest first by ``created_at``.
        """
        self.add_index(index_name)
        return self._store.add_backup(index_name, fields)

    def backups(self, index_name: str) -> list[dict[str, Any]]:
        """The backups of ``index_name`` in the order they are listed (newest first)."""
        return self._store.backups(index_name)

    # -- recording ---------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request read so far, oldest first (a copy), including unanswered ones."""
        with self._lock:
            return list(self._requests)

    @property
    def exchanges(self) -> list[Exchange]:
        """Every answered request with its response, oldest first (a copy).

        Requests closed without an answer (:meth:`drop_next`, :meth:`hang_next`) have none.
        """
        with self._lock:
            return list(self._exchanges)

    @property
    def observer_errors(self) -> list[Exception]:
        """Exceptions raised by observers, oldest first (a copy)."""
        with self._lock:
            return list(self._observer_errors)

    def add_observer(self, observer: Observer) -> None:
        """Call ``observer(exchange)`` for every exchange from now on.

        It runs on the server thread once the response is decided and just before it is
        written, so a client has its answer only after its observers ran. Exceptions it raises
        are kept in :attr:`observer_errors` and never reach the server.
        """
        with self._lock:
            self._observers.append(observer)

    def remove_observer(self, observer: Observer) -> None:
        """Stop calling ``observer`` (``ValueError`` if it was not added)."""
        with self._lock:
            self._observers.remove(observer)

    def reset(self) -> None:
        """Forget recorded requests and exchanges and drop pending faults; keep the data."""
        with self._lock:
            self._requests.clear()
            self._exchanges.clear()
            self._faults.clear()

    # -- fault injection ---------------------------------------------------------------------
    # Faults queue up in FIFO order; each of the next requests to arrive takes the next one.

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
        for the status, e.g. 429 ``RESOURCE_EXHAUSTED``, 503 ``UNAVAILABLE``, else ``UNKNOWN``)
        and ``message`` (by default the status's reason phrase). With ``body``, that is sent
        verbatim instead (an HTML page, an empty body, plain text...; set ``content_type`` to
        match). ``headers`` (e.g. ``{"Retry-After": "1"}``) are added or replace defaults.
        """
        _check_status(status)
        if body is None:
            data = error_body(
                status, code or error_code_for(status), message or status_phrase(status) or "Error"
            )
        elif code is not None or message is not None:
            raise ValueError("code and message only apply when no body is given")
        else:
            data = _body_bytes(body)
        reply = Reply(status, data, content_type, _header_pairs(headers), fault="fail")
        self._queue(_Fault("reply", reply=reply), times)

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
        reply = Reply(
            _check_status(status),
            _body_bytes(body),
            content_type,
            _header_pairs(headers),
            fault="respond",
        )
        self._queue(_Fault("reply", reply=reply), times)

    def malformed_next(self, times: int = 1, body: bytes = b'{"data": [') -> None:
        """Answer the next ``times`` requests with a 200 whose JSON body is cut short."""
        self._queue(_Fault("reply", reply=Reply(200, body, fault="malformed")), times)

    def delay_next(self, seconds: float, times: int = 1) -> None:
        """Wait ``seconds`` (on top of :attr:`latency`) before answering the next requests."""
        self._queue(_Fault("delay", seconds=_check_seconds(seconds, "seconds")), times)

    def drop_next(self, times: int = 1) -> None:
        """Read each of the next ``times`` requests, then close its connection unanswered."""
        self._queue(_Fault("drop"), times)

    def hang_next(self, times: int = 1) -> None:
        """Read each of the next ``times`` requests and never answer (until :meth:`stop`)."""
        self._queue(_Fault("hang"), times)

    def clear_faults(self) -> None:
        """Drop every pending fault."""
        with self._lock:
            self._faults.clear()

    def _queue(self, fault: _Fault, times: int) -> None:
        _check_times(times)
        with self._lock:
            self._faults.extend([fault] * times)

    # -- serving -----------------------------------------------------------------------------

    def _respond(self, request: RecordedRequest, stopping: threading.Event) -> Exchange | None:
        with self._lock:
            self._requests.append(request)
            fault = self._faults.popleft() if self._faults else None
        if fault is not None and fault.action == "hang":
            stopping.wait()
            return None
        delay = self._latency + (fault.seconds if fault is not None else 0.0)
        if delay > 0 and stopping.wait(delay):
            return None
        if fault is not None and fault.action == "drop":
            return None
        if fault is not None and fault.reply is not None:
            reply = fault.reply
        else:
            reply = answer(request, self._settings, self._store)
        headers = _merge_headers(
            [
                ("Content-Type", reply.content_type),
                ("Content-Length", str(len(reply.body))),
                ("x-pinecone-request-id", str(uuid.uuid4())),
            ],
            reply.headers,
        )
        exchange = Exchange(request, reply.status, Headers(headers), reply.body, reply.fault)
        with self._lock:
            self._exchanges.append(exchange)
            observers = list(self._observers)
        for observer in observers:
            try:
                observer(exchange)
            except Exception as error:  # kept for the test to see
                with self._lock:
                    self._observer_errors.append(error)
        return exchange
