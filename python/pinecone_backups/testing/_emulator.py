"""The public :class:`Emulator`: data, the clock, recording and the server's lifecycle; its fault
injection (the ``*_next`` methods, ``random_faults``) is inherited from ``_faults.py``."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, TypeAlias, final

from ._api import (
    API_VERSION,
    API_VERSIONS,
    ApiSettings,
    LastPageStyle,
    Reply,
    answer,
    check_page_size,
    check_versions,
    parse_last_page,
)
from ._bodies import FREQUENCIES, MAX_EXPIRE_AFTER_DAYS
from ._checks import check_count, check_seconds
from ._examples import seed_indexes
from ._faults import FaultInjection
from ._http import EmulatorHTTPServer, Response, Whole, response_to
from ._records import Exchange, Headers, RecordedRequest
from ._store import INDEX_FIELDS, BackupStore, timestamp_ns
from ._versions import ApiVersion, version_named

Observer: TypeAlias = Callable[[Exchange], object]
"""A callback given every exchange (see :meth:`Emulator.add_observer`)."""


def _decoded(body: bytes | None) -> dict[str, Any] | None:
    return None if body is None else dict(json.loads(body))


def _check_index_name(name: str) -> str:
    if not isinstance(name, str) or not name:
        raise ValueError(f"an index name must be a non-empty string; got {name!r}")
    return name


def _check_quota(quota: int | None) -> int | None:
    return None if quota is None else check_count(quota, "backup_quota", 0, "None or an int >= 0")


def _version(name: str) -> ApiVersion:
    """The version ``name`` (``ValueError`` if the emulator does not speak it)."""
    version = version_named(name)
    if version is None:
        raise ValueError(f"api_version must be one of {', '.join(API_VERSIONS)}; got {name!r}")
    return version


def _time(value: str | None, name: str) -> int | None:
    """An RFC 3339 timestamp in ns (``None`` stays ``None``), else ``ValueError``."""
    if value is None:
        return None
    ns = timestamp_ns(value)
    if ns is None:
        raise ValueError(f"{name} must be an RFC 3339 timestamp; got {value!r}")
    return ns


def _check_outcome(status: str) -> str:
    if not isinstance(status, str) or not status:
        raise ValueError(f"status must be a non-empty string; got {status!r}")
    return status


@final
class Emulator(FaultInjection):
    """A local HTTP server emulating Pinecone's ``GET /indexes/{index_name}/backups`` and, with
    ``lifecycle=True``, the whole backup lifecycle and backup schedules.

    It follows the control-plane OpenAPI spec of API versions 2025-10, 2026-04 and 2026-07: each
    request is answered in the shapes, statuses and error codes of the version its
    ``X-Pinecone-Api-Version`` header names (another version gets a 400), over one set of data.
    It records every request and response so that tests can inspect them. Use it as a context
    manager::

        with Emulator(api_key="test-key") as emu:
            emu.add_backup("my-index", name="nightly")
            ...  # point the client under test at emu.url, with emu.api_key

    With :attr:`lifecycle` on it also serves ``create_backup``, ``list_project_backups``,
    ``describe_backup``, ``delete_backup``, ``create_index_from_backup_operation``,
    ``list_restore_jobs``, ``describe_restore_job``, ``list_indexes`` and ``describe_index``,
    and under API 2026-07 the six backup schedule operations. Backups, restore jobs and restored
    indexes created through the API change status on the emulator's own clock, which
    :meth:`advance` moves forward, and schedules run on it::

        emu = Emulator(lifecycle=True, backup_seconds=600)
        ...  # POST /indexes/docs-example/backups: the backup is "Initializing"
        emu.advance(600)  # now it is "Ready"

    Args:
        api_key: The only ``Api-Key`` accepted; any other value, or none, gets a 401.
        host: The address to listen on.
        port: The port to listen on; 0 picks a free one (read it from :attr:`url`).
        seed: Start with the example data: indexes ``docs-example`` (the docs page's backup
            and two older ones), ``my-index`` (the spec example's two backups), ``empty-index``
            (none) and ``big-index`` (25 backups, made by its disabled daily schedule
            ``big-index-daily``, seen under API 2026-07), and a deleted ``retired-index``.
        default_page_size: The page size when a request has neither ``limit`` nor a token
            (``None``: the spec's, 10 before API 2026-07 and 100 from then).
        api_versions: The accepted values of the ``X-Pinecone-Api-Version`` header, among
            ``"2025-10"``, ``"2026-04"`` and ``"2026-07"`` (by default all three).
        last_page: How the last page's ``pagination`` is written; see :attr:`last_page`.
        latency: Seconds to wait before answering every request.
        lifecycle: Serve every backup route, not only ``list_index_backups``; see
            :attr:`lifecycle`.
        backup_seconds: How long a backup created through the API (or by a schedule) is
            ``Initializing``.
        restore_seconds: How long a restore job created through the API is ``Pending``.
        index_seconds: How long an index restored through the API stays ``Initializing``
            after its restore job completed (0: it is ``Ready`` when the job completes).
        backup_quota: The most backups the project may hold (``None``: no limit).
        repeat_restore_jobs: Repeat a restore job on the next page; see
            :attr:`repeat_restore_jobs`.
        plan_includes_backups: False plays a plan without backups; see
            :attr:`plan_includes_backups`.
        plan_includes_schedules: False plays a plan without scheduled backups; see
            :attr:`plan_includes_schedules`.
    """

    def __init__(
        self,
        api_key: str = "test-key",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: bool = True,
        default_page_size: int | None = None,
        api_versions: Sequence[str] = API_VERSIONS,
        last_page: LastPageStyle = "null",
        latency: float = 0.0,
        lifecycle: bool = True,
        backup_seconds: float = 1.0,
        restore_seconds: float = 1.0,
        index_seconds: float = 0.0,
        backup_quota: int | None = None,
        repeat_restore_jobs: bool = False,
        plan_includes_backups: bool = True,
        plan_includes_schedules: bool = True,
    ) -> None:
        self._settings = ApiSettings(
            api_key=api_key,
            api_versions=check_versions(api_versions),
            default_page_size=check_page_size(default_page_size, "default_page_size"),
            last_page=parse_last_page(last_page),
            lifecycle=bool(lifecycle),
            backup_seconds=check_seconds(backup_seconds, "backup_seconds"),
            restore_seconds=check_seconds(restore_seconds, "restore_seconds"),
            index_seconds=check_seconds(index_seconds, "index_seconds"),
            backup_quota=_check_quota(backup_quota),
            repeat_restore_jobs=bool(repeat_restore_jobs),
            plan_includes_backups=bool(plan_includes_backups),
            plan_includes_schedules=bool(plan_includes_schedules),
        )
        self._latency = check_seconds(latency, "latency")
        self._host = host
        self._port = port
        self._store = BackupStore(self._settings)
        self._lock = threading.Lock()
        self._init_faults()
        self._requests: list[RecordedRequest] = []
        self._exchanges: list[Exchange] = []
        self._observers: list[Observer] = []
        self._observer_errors: list[Exception] = []
        self._server: EmulatorHTTPServer | None = None
        if seed:
            self._seed()

    def _seed(self) -> None:
        for index in seed_indexes():
            self.add_index(index.name, index_id=index.index_id, **index.fields)
            for backup in index.backups:
                self.add_backup(index.name, **backup)
            if index.schedule is not None:
                made = [backup["backup_id"] for backup in index.backups]
                self.add_backup_schedule(index.name, **index.schedule, backups=made)
            if index.deleted_at is not None:
                self.delete_index(index.name, deleted_at=index.deleted_at)

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
    def default_page_size(self) -> int | None:
        """The page size of a request with neither ``limit`` nor ``paginationToken`` (``None``:
        the spec's, 10 before API 2026-07 and 100 from then)."""
        return self._settings.default_page_size

    @property
    def project_id(self) -> str:
        """The project's id, shown as the ``project_id`` of backup schedules."""
        return self._store.project_id

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
        self._latency = check_seconds(seconds, "latency")

    @property
    def lifecycle(self) -> bool:
        """Whether every backup route is served (may be changed while running).

        Off, only ``GET /indexes/{index_name}/backups`` exists: other paths answer 404 and
        other methods on that path 405, as in earlier releases. On (the default), the emulator
        also serves ``POST /indexes/{index_name}/backups``, ``GET /backups``, ``GET`` and
        ``DELETE`` ``/backups/{backup_id}``, ``POST /backups/{backup_id}/create-index``,
        ``GET /restore-jobs``, ``GET /restore-jobs/{job_id}``, ``GET /indexes`` and ``GET
        /indexes/{index_name}`` and, to requests of API
        2026-07, ``GET`` and ``POST /indexes/{index_name}/backup-schedules``, ``GET``,
        ``PATCH`` and ``DELETE /backup-schedules/{schedule_id}`` and ``GET
        /backup-schedules/{schedule_id}/history`` (a 404 under the older versions, which do
        not have them).
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
        self._settings.backup_seconds = check_seconds(seconds, "backup_seconds")

    @property
    def restore_seconds(self) -> float:
        """Emulator seconds a restore job created through the API stays ``Pending`` before it is
        ``Completed`` (or fails: :meth:`fail_next_restores`). Applies to jobs created from then
        on."""
        return self._settings.restore_seconds

    @restore_seconds.setter
    def restore_seconds(self, seconds: float) -> None:
        self._settings.restore_seconds = check_seconds(seconds, "restore_seconds")

    @property
    def index_seconds(self) -> float:
        """Emulator seconds an index restored through the API stays ``Initializing`` after its
        restore job completed (0, the default: it is ``Ready`` as the job completes). Until the
        job ends the index is ``Initializing`` whatever this is; a job that fails (or is
        cancelled: :meth:`fail_next_restores`) leaves it ``InitializationFailed`` from then on.
        Applies to restores started from then on."""
        return self._settings.index_seconds

    @index_seconds.setter
    def index_seconds(self, seconds: float) -> None:
        self._settings.index_seconds = check_seconds(seconds, "index_seconds")

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

    @property
    def plan_includes_backups(self) -> bool:
        """Whether the organization's plan includes backups (may be changed while running).

        False, creating a backup answers 403 ``PERMISSION_DENIED`` ("Your organization's plan
        does not include backups. Upgrade your plan to create backups."), under every version,
        and so do creating and changing a backup schedule (as without
        :attr:`plan_includes_schedules`). Reading and deleting still work.
        """
        return self._settings.plan_includes_backups

    @plan_includes_backups.setter
    def plan_includes_backups(self, on: bool) -> None:
        self._settings.plan_includes_backups = bool(on)

    @property
    def plan_includes_schedules(self) -> bool:
        """Whether the organization's plan includes scheduled backups (may be changed while
        running).

        False, creating or changing a backup schedule (API 2026-07) answers 403
        ``PERMISSION_DENIED`` ("Scheduled backups are not available for your plan"), as the
        spec says; listing, describing, deleting them and their history still work, and the
        schedules there are keep running.
        """
        return self._settings.plan_includes_schedules

    @plan_includes_schedules.setter
    def plan_includes_schedules(self, on: bool) -> None:
        self._settings.plan_includes_schedules = bool(on)

    # -- the clock ---------------------------------------------------------------------------

    def advance(self, seconds: float) -> None:
        """Move the emulator's clock ``seconds`` forward at once.

        Emulator time is the real time plus every advance so far; it dates what is created
        (``created_at``) and drives the statuses of backups and restore jobs, computed when
        read, so tests make time pass without sleeping. Backup schedules run on it too: every
        run due by the time of the next request (or read of the data) makes its backup, dated
        when the run was due, and the backups a schedule made expire after its
        ``expire_after_days`` (see :meth:`add_backup_schedule`).
        """
        self._store.advance(check_seconds(seconds, "seconds"))

    def fail_next_backups(self, times: int = 1, status: str = "Failed") -> None:
        """Make the next ``times`` backups created through the API or by a schedule end in
        ``status`` (e.g. ``"InitializationFailed"``, what the real API reports) instead of
        ``Ready``."""
        check_count(times, "times", 1, "a positive integer")
        self._store.queue_failures("backup", _check_outcome(status), times)

    def fail_next_restores(self, times: int = 1, status: str = "Failed") -> None:
        """Make the next ``times`` restore jobs created through the API end in ``status``
        instead of ``Completed`` (``percent_complete`` stays null)."""
        check_count(times, "times", 1, "a positive integer")
        self._store.queue_failures("restore", _check_outcome(status), times)

    # -- data --------------------------------------------------------------------------------

    def add_index(
        self,
        name: str,
        *,
        index_id: str | None = None,
        pod: bool | None = None,
        tags: Mapping[str, str] | None = None,
        deletion_protection: str | None = None,
        **fields: Any,
    ) -> str:
        """Create index ``name`` with no backups, unless it exists; return its id.

        The id (served as ``source_index_id``) is ``index_id`` or a new uuid4. Calling again
        with the same name is harmless; with a different ``index_id`` it is a ``ValueError``.
        ``fields`` describe the index (added to what it had): ``cloud``, ``region``,
        ``dimension``, ``metric``, ``schema``, ``record_count``, ``namespace_count`` and
        ``size_bytes``, copied into the backups the API creates of it (a seeded index has those
        of its newest backup; without them a backup is in ``aws``, ``us-east-1``).

        ``pod=True`` makes it a pod-based index (``False`` serverless, the default; ``None``
        leaves it as it is): creating a backup schedule of it answers 400, and so does
        restoring one of its backups, as the real API does; ``list_indexes`` and
        ``describe_index`` show it with a ``pod`` spec (2026-07: a ``pod`` deployment).
        ``tags`` and ``deletion_protection`` (``"enabled"`` or ``"disabled"``, the default) are
        shown by ``describe_index`` (``None`` leaves them as they are). An index without a
        ``dimension`` (nor a dense vector field in its ``schema``) is shown as a sparse index.
        An index is ``Ready`` unless restored through the API (see :attr:`index_seconds`) or
        given a state (:meth:`set_index_state`).
        """
        unknown = sorted(set(fields) - set(INDEX_FIELDS))
        if unknown:
            raise ValueError(f"unknown index fields {unknown}; known: {', '.join(INDEX_FIELDS)}")
        if deletion_protection not in (None, "enabled", "disabled"):
            raise ValueError(
                "deletion_protection must be 'enabled', 'disabled' or None; "
                f"got {deletion_protection!r}"
            )
        if tags is not None and not (
            isinstance(tags, Mapping)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in tags.items())
        ):
            raise ValueError(f"tags must be a mapping of strings to strings; got {tags!r}")
        index_id = self._store.add_index(_check_index_name(name), index_id, fields, pod)
        if tags is not None or deletion_protection is not None:
            self._store.update_index(name, tags=tags, deletion_protection=deletion_protection)
        return index_id

    def set_index_state(self, name: str, state: str, *, ready: bool | None = None) -> None:
        """Give the index ``name`` (``KeyError`` if there is none) the ``status.state``
        ``state`` from now on (``"Initializing"``, ``"InitializationFailed"``,
        ``"Terminating"``, ``"Ready"``...), with ``status.ready`` ``ready`` (by default true for
        ``Ready`` and the ``Scaling...`` states, false otherwise). It ends a restored index's
        own course (Initializing, then Ready)."""
        if not isinstance(state, str) or not state:
            raise ValueError(f"state must be a non-empty string; got {state!r}")
        self._store.update_index(name, state=state, ready=ready)

    def indexes(self, *, api_version: str = API_VERSION) -> list[dict[str, Any]]:
        """Every index (not the deleted ones) as ``list_indexes`` serves it now under
        ``api_version`` (an ``IndexModel`` each), in the order they were created."""
        return self._store.indexes(_version(api_version))

    def get_index(self, name: str, *, api_version: str = API_VERSION) -> dict[str, Any] | None:
        """Index ``name`` as ``describe_index`` serves it now under ``api_version``, or
        ``None`` if there is none (or it was deleted)."""
        return self._store.get_index(name, _version(api_version))

    def delete_index(self, name: str, *, deleted_at: str | None = None) -> None:
        """Delete the index ``name`` (``KeyError`` if there is none), now or at ``deleted_at``
        (an RFC 3339 timestamp).

        Its backups stay, listed with the project's and shown with ``source_index_deleted_at``
        from API 2026-04 on; ``list_indexes`` no longer shows it and ``describe_index`` answers
        404; ``list_index_backups`` of the name answers 404 unless it is given
        ``include_deleted=true`` (2026-04 on) or a new index takes the name (``add_index``, a
        restore). Its backup schedules are deleted.
        """
        self._store.delete_index(name, _time(deleted_at, "deleted_at"))

    def index_names(self) -> list[str]:
        """The name of every index, in the order they were created (restored ones included,
        deleted ones not)."""
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

    def backups(
        self, index_name: str | None = None, *, api_version: str = API_VERSION
    ) -> list[dict[str, Any]]:
        """The backups of ``index_name``, or without one of the whole project, as served now
        under ``api_version``, in the order they are listed (newest first); ``KeyError`` for an
        unknown (or deleted) index."""
        return self._store.backups(index_name, _version(api_version).position)

    def get_backup(
        self, backup_id: str, *, api_version: str = API_VERSION
    ) -> dict[str, Any] | None:
        """Backup ``backup_id`` as served now under ``api_version``, or ``None`` if there is
        none."""
        return _decoded(self._store.get_backup(backup_id, _version(api_version).position))

    def add_restore_job(
        self, backup_id: str, target_index_name: str, /, **fields: Any
    ) -> dict[str, Any]:
        """Store a restore job from ``backup_id`` into ``target_index_name`` (creating the index
        if needed); return it as served. Its status never changes by itself.

        Neither the backup nor the index is checked. Fields not given are filled in:
        ``restore_job_id`` (a new uuid4), ``target_index_id`` (the index's id), ``status``
        (``"Completed"``), ``created_at`` (now), and ``completed_at`` (now) and
        ``percent_complete`` (100.0) for a ``Completed`` job, else null. Every given field is
        served as given. A ``Pending`` job keeps its backup from being deleted (412) before API
        2026-07 (whose spec has no 412 there: the delete is accepted, 202, and the backup gone).
        """
        return self._store.add_restore_job(backup_id, _check_index_name(target_index_name), fields)

    def restore_jobs(self, *, api_version: str = API_VERSION) -> list[dict[str, Any]]:
        """Every restore job as served now under ``api_version``, in the order they are listed
        (newest first)."""
        return self._store.restore_jobs(_version(api_version).position)

    def add_backup_schedule(
        self,
        index_name: str,
        /,
        *,
        name: str,
        frequency: str = "daily",
        expire_after_days: int = 7,
        enabled: bool = True,
        schedule_id: str | None = None,
        created_at: str | None = None,
        backups: Sequence[str] = (),
    ) -> dict[str, Any]:
        """Store a backup schedule of ``index_name`` (creating the index if needed); return it
        as served (API 2026-07's ``BackupScheduleResponse``).

        ``frequency`` is ``"daily"``, ``"weekly"`` or ``"monthly"``; ``created_at`` (RFC 3339,
        now by default) is when its cadence starts; ``backups`` are ids of backups of the index
        that count as made by it (its history; they expire with it). ``ValueError`` for a bad
        value, a pod index, a second enabled schedule of the index or a known ``schedule_id``.

        An enabled schedule runs on the emulator's clock (:meth:`advance`): daily every 24
        hours from ``created_at``, weekly every 7 days, monthly on the same day of the month at
        the same time (the 31st runs on the last day of shorter months). Each run makes a backup
        of the index named ``{name}-{YYYYMMDDTHHMMSSZ}`` (its time), ``Initializing`` for
        :attr:`backup_seconds`, then ``Ready``, unless the project holds its
        :attr:`backup_quota` already. A backup it made is deleted once it is
        ``expire_after_days`` old (also while the schedule is disabled; no longer once it is
        deleted). Runs whose backup would have expired by the time they are reached are
        skipped. Through the API: a change of frequency restarts the cadence from then,
        disabling stops the runs (``next_scheduled_run`` null), re-enabling makes a backup at
        once and restarts the cadence from then.
        """
        if not isinstance(name, str) or not name:
            raise ValueError(f"name must be a non-empty string; got {name!r}")
        if frequency not in FREQUENCIES:
            raise ValueError(
                f"frequency must be one of {', '.join(FREQUENCIES)}; got {frequency!r}"
            )
        check_count(
            expire_after_days,
            "expire_after_days",
            1,
            f"an integer from 1 to {MAX_EXPIRE_AFTER_DAYS}",
        )
        if expire_after_days > MAX_EXPIRE_AFTER_DAYS:
            raise ValueError(
                f"expire_after_days must be an integer from 1 to {MAX_EXPIRE_AFTER_DAYS}; "
                f"got {expire_after_days!r}"
            )
        return self._store.add_schedule(
            _check_index_name(index_name),
            name=name,
            frequency=frequency,
            days=expire_after_days,
            enabled=bool(enabled),
            schedule_id=schedule_id,
            created_at=_time(created_at, "created_at"),
            made=list(backups),
        )

    def backup_schedules(self, index_name: str | None = None) -> list[dict[str, Any]]:
        """The backup schedules of ``index_name``, or without one of the whole project, as
        served now (newest first); ``KeyError`` for an unknown index."""
        return self._store.schedules(index_name)

    def get_backup_schedule(self, schedule_id: str) -> dict[str, Any] | None:
        """Backup schedule ``schedule_id`` as served now, or ``None`` if there is none."""
        return _decoded(self._store.get_schedule(schedule_id))

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
        """Forget recorded requests, exchanges and fault counts and drop pending faults.

        Keeps the data, the settings (:attr:`latency`, :meth:`random_faults`...), the observers
        and :attr:`observer_errors`.
        """
        with self._lock:
            self._requests.clear()
            self._exchanges.clear()
            self._forget_faults()

    # -- serving -----------------------------------------------------------------------------

    def _respond(self, request: RecordedRequest, stopping: threading.Event) -> Response | None:
        with self._lock:
            self._requests.append(request)
            fault = self._take_fault()
        if fault is not None and fault.hangs:
            stopping.wait()
            return None
        delay = self._latency + (fault.seconds if fault is not None else 0.0)
        if delay > 0 and stopping.wait(delay):
            return None
        if fault is not None and not fault.answered:
            return None
        canned = fault.reply if fault is not None else None
        if canned is None:
            reply = answer(request, self._settings, self._store)
        elif isinstance(canned, Reply):
            reply = canned
        else:  # an error in the request's API version
            reply = canned.reply(request)
        response = response_to(reply, fault.delivery if fault is not None else Whole())
        if fault is not None and not fault.recorded:
            return response  # cut to nothing usable: in self._requests only, like a drop
        kind = fault.kind if fault is not None and fault.shown else None
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
