"""The public :class:`Emulator`: data, the clock, fault injection, recording and the server's
lifecycle."""

from __future__ import annotations

import json
import random
import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypeAlias, final

from ._api import (
    API_VERSION,
    ApiSettings,
    LastPageStyle,
    Reply,
    answer,
    check_page_size,
    check_versions,
    error_reply,
    parse_last_page,
)
from ._examples import seed_indexes
from ._http import (
    CutChunked,
    Delivery,
    EmulatorHTTPServer,
    Overstated,
    ResetAfter,
    Response,
    Stream,
    Trickle,
    Whole,
    response_to,
)
from ._records import Exchange, FaultKind, Headers, RandomFaultKind, RecordedRequest
from ._store import INDEX_FIELDS, BackupStore, encode_json

Body: TypeAlias = str | bytes | Mapping[str, Any] | list[Any]
"""A response body to inject: bytes as they are, a str as UTF-8, a dict or list as JSON."""

Observer: TypeAlias = Callable[[Exchange], object]
"""A callback given every exchange (see :meth:`Emulator.add_observer`)."""

_GZIP_GARBAGE = (
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # a valid gzip header (deflate, no flags)
    b"\xff\xff this is not deflate data \x00\x01\x02\x03"  # block type 3: invalid at once
)
_UNFINISHED_JSON = b'{"data": ['  # malformed_next's default body; huge_body_next's body starts so

# The defaults of the *_next methods' arguments, also used by random_faults.
_RESET_AFTER_BYTES = 200
_TRICKLE_INTERVAL = 0.5
_TRICKLE_CHUNK = 16
_WRONG_LENGTH_EXTRA = 100
_HUGE_BODY_SIZE = 100 * 1024 * 1024

_UNRECORDED: frozenset[FaultKind] = frozenset({"reset", "chunked_cut", "drop", "hang"})


@dataclass(frozen=True, slots=True)
class _Fault:
    """One queued fault: what to do with the request that takes it.

    ``kind`` names it (see :data:`FaultKind`); a ``"drop"`` closes the connection unanswered and a
    ``"hang"`` never answers. Otherwise the request is answered: ``reply`` replaces the emulated
    API's answer (``None`` keeps it), ``delivery`` says how the answer is sent and ``seconds`` is
    waited before answering, on top of the latency.
    """

    kind: FaultKind
    reply: Reply | None = None
    delivery: Delivery = field(default_factory=Whole)
    seconds: float = 0.0

    @property
    def recorded(self) -> bool:
        """Whether an :class:`Exchange` is kept: not for answers cut to nothing usable (nor for
        drops and hangs, which answer nothing)."""
        return self.kind not in _UNRECORDED


_DROP_FAULT = _Fault("drop")
_HANG_FAULT = _Fault("hang")


@dataclass(slots=True)
class _RandomFaults:
    rate: float
    faults: tuple[_Fault, ...]
    rng: random.Random

    def draw(self) -> _Fault | None:
        if self.rng.random() < self.rate:
            return self.rng.choice(self.faults)
        return None


def _decoded(body: bytes | None) -> dict[str, Any] | None:
    return None if body is None else dict(json.loads(body))


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


def _check_status(status: int) -> int:
    if type(status) is not int or not 200 <= status <= 599:
        raise ValueError(f"status must be an integer from 200 to 599; got {status!r}")
    return status


def _check_seconds(seconds: float, name: str) -> float:
    if not isinstance(seconds, (int, float)) or not 0 <= seconds < float("inf"):
        raise ValueError(f"{name} must be a finite number of seconds >= 0; got {seconds!r}")
    return float(seconds)


def _check_count(value: int, name: str, minimum: int, what: str | None = None) -> int:
    """``value`` if it is an ``int`` >= ``minimum``, else ``ValueError`` saying it must be ``what``
    (by default "an integer >= minimum")."""
    if type(value) is not int or value < minimum:
        what = what or f"an integer >= {minimum}"
        raise ValueError(f"{name} must be {what}; got {value!r}")
    return value


def _check_index_name(name: str) -> str:
    if not isinstance(name, str) or not name:
        raise ValueError(f"an index name must be a non-empty string; got {name!r}")
    return name


def _check_quota(quota: int | None) -> int | None:
    return None if quota is None else _check_count(quota, "backup_quota", 0, "None or an int >= 0")


def _check_outcome(status: str) -> str:
    if not isinstance(status, str) or not status:
        raise ValueError(f"status must be a non-empty string; got {status!r}")
    return status


def _reset_fault(after_bytes: int = _RESET_AFTER_BYTES) -> _Fault:
    return _Fault("reset", delivery=ResetAfter(_check_count(after_bytes, "after_bytes", 0)))


def _trickle_fault(interval: float = _TRICKLE_INTERVAL, chunk: int = _TRICKLE_CHUNK) -> _Fault:
    delivery = Trickle(_check_seconds(interval, "interval"), _check_count(chunk, "chunk", 1))
    return _Fault("trickle", delivery=delivery)


def _wrong_length_fault(extra: int = _WRONG_LENGTH_EXTRA) -> _Fault:
    return _Fault("wrong_length", delivery=Overstated(_check_count(extra, "extra", 1)))


def _chunked_cut_fault() -> _Fault:
    return _Fault("chunked_cut", delivery=CutChunked())


def _gzip_garbage_fault() -> _Fault:
    headers = (("Content-Encoding", "gzip"),)
    return _Fault("gzip_garbage", reply=Reply(200, _GZIP_GARBAGE, headers=headers))


def _huge_body_fault(size: int = _HUGE_BODY_SIZE, chunked: bool = False) -> _Fault:
    size = _check_count(size, "size", 0)
    reply = Reply(200, _UNFINISHED_JSON[:size])
    return _Fault("huge_body", reply=reply, delivery=Stream(size, chunked=bool(chunked)))


def _malformed_fault(body: bytes = _UNFINISHED_JSON) -> _Fault:
    return _Fault("malformed", reply=Reply(200, body))


_RANDOM_FAULTS: dict[str, Callable[[], _Fault]] = {
    "malformed": _malformed_fault,
    "gzip_garbage": _gzip_garbage_fault,
    "huge_body": _huge_body_fault,
    "trickle": _trickle_fault,
    "wrong_length": _wrong_length_fault,
    "reset": _reset_fault,
    "chunked_cut": _chunked_cut_fault,
    "drop": lambda: _DROP_FAULT,
    "hang": lambda: _HANG_FAULT,
}
"""The fault of each kind :meth:`Emulator.random_faults` can pick by name, with the defaults of
the ``*_next`` method of that name."""

_RANDOM_FAULT_KINDS = tuple(_RANDOM_FAULTS)


def _random_fault(kind: int | str) -> _Fault:
    """The fault :meth:`Emulator.random_faults` injects for one of its ``kinds``."""
    if isinstance(kind, int) and not isinstance(kind, bool):
        return _Fault("fail", reply=error_reply(_check_status(kind)))
    make = _RANDOM_FAULTS.get(kind) if isinstance(kind, str) else None
    if make is not None:
        return make()
    raise ValueError(
        f"a random fault kind must be an HTTP status (200 to 599) or one of "
        f"{', '.join(_RANDOM_FAULT_KINDS)}; got {kind!r}"
    )


@final
class Emulator:
    """A local HTTP server emulating Pinecone's ``GET /indexes/{index_name}/backups`` and, with
    ``lifecycle=True``, the whole backup lifecycle.

    It follows the control-plane OpenAPI spec, API version 2025-10, and records every request
    and response so that tests can inspect them. Use it as a context manager::

        with Emulator(api_key="test-key") as emu:
            emu.add_backup("my-index", name="nightly")
            ...  # point the client under test at emu.url, with emu.api_key

    With :attr:`lifecycle` on it also serves ``create_backup``, ``list_project_backups``,
    ``describe_backup``, ``delete_backup``, ``create_index_from_backup_operation``,
    ``list_restore_jobs`` and ``describe_restore_job``. Backups and restore jobs created through
    the API change status on the emulator's own clock, which :meth:`advance` moves forward::

        emu = Emulator(lifecycle=True, backup_seconds=600)
        ...  # POST /indexes/docs-example/backups: the backup is "Initializing"
        emu.advance(600)  # now it is "Ready"

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
        lifecycle: Serve every backup route, not only ``list_index_backups``; see
            :attr:`lifecycle`.
        backup_seconds: How long a backup created through the API is ``Initializing``.
        restore_seconds: How long a restore job created through the API is ``Pending``.
        backup_quota: The most backups the project may hold (``None``: no limit).
        repeat_restore_jobs: Repeat a restore job on the next page; see
            :attr:`repeat_restore_jobs`.
    """

    def __init__(
        self,
        api_key: str = "test-key",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: bool = True,
        default_page_size: int = 10,
        api_versions: Sequence[str] = (API_VERSION,),
        last_page: LastPageStyle = "null",
        latency: float = 0.0,
        lifecycle: bool = True,
        backup_seconds: float = 1.0,
        restore_seconds: float = 1.0,
        backup_quota: int | None = None,
        repeat_restore_jobs: bool = False,
    ) -> None:
        self._settings = ApiSettings(
            api_key=api_key,
            api_versions=check_versions(api_versions),
            default_page_size=check_page_size(default_page_size, "default_page_size"),
            last_page=parse_last_page(last_page),
            lifecycle=bool(lifecycle),
            backup_seconds=_check_seconds(backup_seconds, "backup_seconds"),
            restore_seconds=_check_seconds(restore_seconds, "restore_seconds"),
            backup_quota=_check_quota(backup_quota),
            repeat_restore_jobs=bool(repeat_restore_jobs),
        )
        self._latency = _check_seconds(latency, "latency")
        self._host = host
        self._port = port
        self._store = BackupStore()
        self._lock = threading.Lock()
        self._faults: deque[_Fault] = deque()
        self._random_faults: _RandomFaults | None = None
        self._fault_counts: dict[FaultKind, int] = {}
        self._requests: list[RecordedRequest] = []
        self._exchanges: list[Exchange] = []
        self._observers: list[Observer] = []
        self._observer_errors: list[Exception] = []
        self._server: EmulatorHTTPServer | None = None
        if seed:
            for index in seed_indexes():
                self.add_index(index.name, index_id=index.index_id, **index.fields)
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

    @property
    def lifecycle(self) -> bool:
        """Whether every backup route is served (may be changed while running).

        Off (the default), only ``GET /indexes/{index_name}/backups`` exists: other paths answer
        404 and other methods on that path 405, as in earlier releases. On, the emulator also
        serves ``POST /indexes/{index_name}/backups``, ``GET /backups``, ``GET`` and ``DELETE``
        ``/backups/{backup_id}``, ``POST /backups/{backup_id}/create-index``,
        ``GET /restore-jobs`` and ``GET /restore-jobs/{job_id}``. ``python -m
        pinecone_backups.testing`` turns it on.
        """
        return self._settings.lifecycle

    @lifecycle.setter
    def lifecycle(self, on: bool) -> None:
        self._settings.lifecycle = bool(on)

    @property
    def backup_seconds(self) -> float:
        """Emulator seconds a backup created through the API stays ``Initializing`` before it is
        ``Ready`` (or fails: :meth:`fail_next_backups`); 0 makes it ``Ready`` at once. Applies to
        backups created from then on."""
        return self._settings.backup_seconds

    @backup_seconds.setter
    def backup_seconds(self, seconds: float) -> None:
        self._settings.backup_seconds = _check_seconds(seconds, "backup_seconds")

    @property
    def restore_seconds(self) -> float:
        """Emulator seconds a restore job created through the API stays ``Pending`` before it is
        ``Completed`` (or fails: :meth:`fail_next_restores`). Applies to jobs created from then
        on."""
        return self._settings.restore_seconds

    @restore_seconds.setter
    def restore_seconds(self, seconds: float) -> None:
        self._settings.restore_seconds = _check_seconds(seconds, "restore_seconds")

    @property
    def backup_quota(self) -> int | None:
        """The most backups the project may hold, whatever their status (``None``: no limit).

        Creating one more answers 403 ``FORBIDDEN`` ("Backup quota exceeded. Increase your quota
        or upgrade to create more backups."). The seed data holds 30.
        """
        return self._settings.backup_quota

    @backup_quota.setter
    def backup_quota(self, quota: int | None) -> None:
        self._settings.backup_quota = _check_quota(quota)

    @property
    def repeat_restore_jobs(self) -> bool:
        """Whether each page of ``GET /restore-jobs`` after the first starts by repeating the
        last job of the previous page, as the real backend has been seen to do (clients must
        de-duplicate by ``restore_job_id``).

        Pages stay at most ``limit`` long: the spec defines ``limit`` as "the number of results
        to return per page", so a page one longer would break it. Such a page holds the repeated
        job then ``limit - 1`` new ones, so no job is skipped (it takes more pages); with
        ``limit`` 1 nothing is repeated (the walk would never move on).
        """
        return self._settings.repeat_restore_jobs

    @repeat_restore_jobs.setter
    def repeat_restore_jobs(self, on: bool) -> None:
        self._settings.repeat_restore_jobs = bool(on)

    # -- the clock ---------------------------------------------------------------------------

    def advance(self, seconds: float) -> None:
        """Move the emulator's clock ``seconds`` forward at once.

        Emulator time is the real time plus every advance so far; it dates what is created
        (``created_at``) and drives the statuses of backups and restore jobs, computed when
        read, so tests make time pass without sleeping.
        """
        self._store.advance(_check_seconds(seconds, "seconds"))

    def fail_next_backups(self, times: int = 1, status: str = "Failed") -> None:
        """Make the next ``times`` backups created through the API end in ``status`` (e.g.
        ``"InitializationFailed"``, what the real API reports) instead of ``Ready``."""
        _check_count(times, "times", 1, "a positive integer")
        self._store.queue_failures("backup", _check_outcome(status), times)

    def fail_next_restores(self, times: int = 1, status: str = "Failed") -> None:
        """Make the next ``times`` restore jobs created through the API end in ``status``
        instead of ``Completed`` (``percent_complete`` stays null)."""
        _check_count(times, "times", 1, "a positive integer")
        self._store.queue_failures("restore", _check_outcome(status), times)

    # -- data --------------------------------------------------------------------------------

    def add_index(self, name: str, *, index_id: str | None = None, **fields: Any) -> str:
        """Create index ``name`` with no backups, unless it exists; return its id.

        The id (served as ``source_index_id``) is ``index_id`` or a new uuid4. Calling again
        with the same name is harmless; with a different ``index_id`` it is a ``ValueError``.
        ``fields`` describe the index (added to what it had): ``cloud``, ``region``,
        ``dimension``, ``metric``, ``schema``, ``record_count``, ``namespace_count`` and
        ``size_bytes``, copied into the backups the API creates of it (a seeded index has those
        of its newest backup; without them a backup is in ``aws``, ``us-east-1``).
        """
        unknown = sorted(set(fields) - set(INDEX_FIELDS))
        if unknown:
            raise ValueError(f"unknown index fields {unknown}; known: {', '.join(INDEX_FIELDS)}")
        return self._store.add_index(_check_index_name(name), index_id, fields)

    def index_names(self) -> list[str]:
        """The name of every index, in the order they were created (restored ones included)."""
        return self._store.index_names()

    def add_backup(self, index_name: str, /, **fields: Any) -> dict[str, Any]:
        """Store a backup of ``index_name`` (creating the index if needed); return it as served.

        Fields not given are filled in: ``backup_id`` (a new uuid4), ``source_index_name``
        (``index_name``), ``source_index_id`` (the index's id), ``status`` (``"Ready"``),
        ``cloud`` (``"aws"``), ``region`` (``"us-east-1"``) and ``created_at`` (now, UTC,
        RFC 3339 with a ``Z``). Every given field, even one the spec does not know, is served
        as given; ``None`` is served as ``null``. Listings are newest first by ``created_at``.
        """
        return self._store.add_backup(_check_index_name(index_name), fields)

    def backups(self, index_name: str | None = None) -> list[dict[str, Any]]:
        """The backups of ``index_name``, or without one of the whole project, as served now, in
        the order they are listed (newest first); ``KeyError`` for an unknown index."""
        return self._store.backups(index_name)

    def get_backup(self, backup_id: str) -> dict[str, Any] | None:
        """Backup ``backup_id`` as served now, or ``None`` if there is none."""
        return _decoded(self._store.get_backup(backup_id))

    def add_restore_job(
        self, backup_id: str, target_index_name: str, /, **fields: Any
    ) -> dict[str, Any]:
        """Store a restore job from ``backup_id`` into ``target_index_name`` (creating the index
        if needed); return it as served. Its status never changes by itself.

        Neither the backup nor the index is checked. Fields not given are filled in:
        ``restore_job_id`` (a new uuid4), ``target_index_id`` (the index's id), ``status``
        (``"Completed"``), ``created_at`` (now), and ``completed_at`` (now) and
        ``percent_complete`` (100.0) for a ``Completed`` job, else null. Every given field is
        served as given. A ``Pending`` job keeps its backup from being deleted (412).
        """
        return self._store.add_restore_job(backup_id, _check_index_name(target_index_name), fields)

    def restore_jobs(self) -> list[dict[str, Any]]:
        """Every restore job as served now, in the order they are listed (newest first)."""
        return self._store.restore_jobs()

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

    @property
    def fault_counts(self) -> dict[FaultKind, int]:
        """How many faults of each kind were injected so far, queued and random (a copy).

        Kinds never injected are absent. Every request that takes a fault counts once, under the
        kind that queued it (``fail_next`` counts as ``"fail"``, ``delay_next`` as ``"delay"``;
        see :data:`FaultKind`); a random error status counts as ``"fail"``.
        """
        with self._lock:
            return dict(self._fault_counts)

    def reset(self) -> None:
        """Forget recorded requests, exchanges and fault counts and drop pending faults.

        Keeps the data, the settings (:attr:`latency`, :meth:`random_faults`...), the observers
        and :attr:`observer_errors`.
        """
        with self._lock:
            self._requests.clear()
            self._exchanges.clear()
            self._faults.clear()
            self._fault_counts.clear()

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
        match). ``headers`` are added or replace defaults, e.g. ``{"Retry-After": "2"}`` or
        ``{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}`` (sent as given).
        """
        _check_status(status)
        pairs = _header_pairs(headers)
        if body is None:
            reply = error_reply(status, message, code=code, headers=pairs)
        elif code is not None or message is not None:
            raise ValueError("code and message only apply when no body is given")
        else:
            reply = Reply(status, _body_bytes(body), content_type, pairs)
        self._queue(_Fault("fail", reply=reply), times)

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
            _check_status(status), _body_bytes(body), content_type, _header_pairs(headers)
        )
        self._queue(_Fault("respond", reply=reply), times)

    def malformed_next(self, times: int = 1, body: bytes = _UNFINISHED_JSON) -> None:
        """Answer the next ``times`` requests with a 200 whose JSON body is cut short."""
        self._queue(_malformed_fault(body), times)

    def delay_next(self, seconds: float, times: int = 1) -> None:
        """Wait ``seconds`` (on top of :attr:`latency`) before answering the next requests."""
        self._queue(_Fault("delay", seconds=_check_seconds(seconds, "seconds")), times)

    def drop_next(self, times: int = 1) -> None:
        """Read each of the next ``times`` requests, then close its connection unanswered."""
        self._queue(_DROP_FAULT, times)

    def hang_next(self, times: int = 1) -> None:
        """Read each of the next ``times`` requests and never answer (until :meth:`stop`)."""
        self._queue(_HANG_FAULT, times)

    def reset_next(self, times: int = 1, *, after_bytes: int = _RESET_AFTER_BYTES) -> None:
        """Reset the connection (TCP RST) in the middle of each of the next ``times`` answers.

        The emulated API's answer is sent with its status line and headers, including the full
        ``Content-Length``, then the first ``after_bytes`` bytes of its body (at most all but its
        last byte, so the body is always incomplete; ``0`` sends the head alone), then the
        connection is closed with ``SO_LINGER`` set to zero, which sends an RST instead of a FIN:
        the client's next read fails with "connection reset by peer". No :class:`Exchange` is
        recorded (the request is in :attr:`requests`).
        """
        self._queue(_reset_fault(after_bytes), times)

    def trickle_next(
        self, times: int = 1, *, interval: float = _TRICKLE_INTERVAL, chunk: int = _TRICKLE_CHUNK
    ) -> None:
        """Send each of the next ``times`` answers slowly: the body arrives too slowly.

        The emulated API's answer is sent with correct headers at once, then its body ``chunk``
        bytes at a time, waiting ``interval`` seconds before each write. The response is
        complete and correct in the end, and the connection stays open. :meth:`stop` interrupts
        it at once. Recorded with ``fault="trickle"``.
        """
        self._queue(_trickle_fault(interval, chunk), times)

    def wrong_length_next(self, times: int = 1, *, extra: int = _WRONG_LENGTH_EXTRA) -> None:
        """Send each of the next ``times`` answers with a ``Content-Length`` ``extra`` too large.

        The emulated API's whole answer is sent, announced ``extra`` bytes longer than it is,
        then the connection is closed (a FIN): the client sees the body end early. Recorded with
        ``fault="wrong_length"`` and the overstated ``Content-Length`` in its headers.
        """
        self._queue(_wrong_length_fault(extra), times)

    def chunked_cut_next(self, times: int = 1) -> None:
        """Cut each of the next ``times`` answers short in the middle of a chunk.

        The emulated API's answer is sent with ``Transfer-Encoding: chunked`` (no
        ``Content-Length``): a first chunk holding the first half of the body, then the size line
        of a second chunk holding the rest, then only half of that chunk's data; then the
        connection is closed (a FIN) without the terminating ``0`` chunk. No :class:`Exchange`
        is recorded (the request is in :attr:`requests`).
        """
        self._queue(_chunked_cut_fault(), times)

    def gzip_garbage_next(self, times: int = 1) -> None:
        """Answer the next ``times`` requests with a 200 whose gzip body cannot be decoded.

        The response has ``Content-Encoding: gzip`` (whatever the request's
        ``Accept-Encoding``), ``Content-Type: application/json`` and a correct
        ``Content-Length``; the body is a valid gzip header followed by bytes that are not
        deflate data, so decompressing it fails. Recorded with ``fault="gzip_garbage"``.
        """
        self._queue(_gzip_garbage_fault(), times)

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
        self._queue(_huge_body_fault(size, chunked), times)

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
        an ErrorResponse as by :meth:`fail_next`, a name is the fault of the ``*_next`` method of
        that name with its default arguments (``"drop"``, ``"hang"``, ``"reset"``, ``"trickle"``,
        ``"wrong_length"``, ``"chunked_cut"``, ``"gzip_garbage"``, ``"huge_body"``,
        ``"malformed"``). The default is a 503, a 500, a dropped connection and a reset
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

    def _queue(self, fault: _Fault, times: int) -> None:
        _check_count(times, "times", 1, "a positive integer")
        with self._lock:
            self._faults.extend([fault] * times)

    # -- serving -----------------------------------------------------------------------------

    def _take_fault(self) -> _Fault | None:
        """The fault of the request just read, counted (call with ``self._lock`` held)."""
        chaos = self._random_faults
        drawn = chaos.draw() if chaos is not None else None
        fault = self._faults.popleft() if self._faults else drawn
        if fault is not None:
            self._fault_counts[fault.kind] = self._fault_counts.get(fault.kind, 0) + 1
        return fault

    def _respond(self, request: RecordedRequest, stopping: threading.Event) -> Response | None:
        with self._lock:
            self._requests.append(request)
            fault = self._take_fault()
        if fault is not None and fault.kind == "hang":
            stopping.wait()
            return None
        delay = self._latency + (fault.seconds if fault is not None else 0.0)
        if delay > 0 and stopping.wait(delay):
            return None
        if fault is not None and fault.kind == "drop":
            return None
        if fault is not None and fault.reply is not None:
            reply = fault.reply
        else:
            reply = answer(request, self._settings, self._store)
        response = response_to(reply, fault.delivery if fault is not None else Whole())
        if fault is not None and not fault.recorded:
            return response  # cut to nothing usable: in self._requests only, like a drop
        kind = fault.kind if fault is not None and fault.kind != "delay" else None
        exchange = Exchange(request, reply.status, Headers(response.headers), reply.body, kind)
        with self._lock:
            self._exchanges.append(exchange)
            observers = list(self._observers)
        for observer in observers:
            try:
                observer(exchange)
            except Exception as error:  # kept for the test to see
                with self._lock:
                    self._observer_errors.append(error)
        return response
