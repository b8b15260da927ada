"""A local emulator of Pinecone's backup API, for tests.

:class:`Emulator` serves ``GET /indexes/{index_name}/backups`` (operation ``list_index_backups``)
on 127.0.0.1 and, with ``lifecycle=True`` (the default), the whole backup lifecycle and backup
schedules, written from the official OpenAPI specs alone and independent of the rest of
``pinecone_backups``. It speaks API versions 2025-10, 2026-04 and 2026-07, each request in the
version its ``X-Pinecone-Api-Version`` header names, over one set of data. It uses only the
Python standard library, so it can run in any test suite, and records every request and
response::

    import json
    import urllib.request

    from pinecone_backups.testing import Emulator

    with Emulator(api_key="test-key") as emu:
        emu.add_backup("my-index", name="nightly", record_count=5, tags={"env": "prod"})
        request = urllib.request.Request(
            f"{emu.url}/indexes/my-index/backups?limit=1",
            headers={"Api-Key": emu.api_key, "X-Pinecone-Api-Version": "2025-10"},
        )
        with urllib.request.urlopen(request) as response:
            page = json.load(response)
        assert page["data"][0]["name"] == "nightly"  # newest first
        assert emu.requests[0].query == {"limit": ["1"]}

        emu.fail_next(503, times=2)  # the next two requests get a 503 ErrorResponse
        emu.hang_next()  # the one after that is never answered

The lifecycle (``Emulator(lifecycle=True)``, or ``emu.lifecycle = True``) adds
``create_backup`` (``POST /indexes/{index_name}/backups``), ``list_project_backups``
(``GET /backups``), ``describe_backup`` and ``delete_backup`` (``GET``/``DELETE
/backups/{backup_id}``), ``create_index_from_backup_operation`` (``POST
/backups/{backup_id}/create-index``), ``list_restore_jobs`` (``GET /restore-jobs``) and
``describe_restore_job`` (``GET /restore-jobs/{job_id}``). Statuses follow the emulator's clock,
which tests move with ``advance`` instead of sleeping::

    with Emulator(lifecycle=True, backup_seconds=600) as emu:
        ...  # POST a backup: "Initializing"; restoring it now answers 412
        emu.advance(600)  # the backup is "Ready"; a restore job is "Pending" for restore_seconds
        emu.fail_next_backups(status="InitializationFailed")  # the next backup fails
        emu.backup_quota = 10  # the 11th backup of the project answers 403 FORBIDDEN
        emu.repeat_restore_jobs = True  # restore-job pages repeat the previous page's last job

Under API 2026-07 it also serves the backup schedules (``create_backup_schedule``,
``list_backup_schedules``, ``describe_backup_schedule``, ``update_backup_schedule``,
``delete_backup_schedule``, ``list_backup_schedule_history``), which run on the same clock::

    with Emulator(backup_seconds=0) as emu:
        ...  # POST /indexes/docs-example/backup-schedules: daily, expire_after_days 7
        emu.advance(86_400)  # its first run made a backup, shown in its history
        emu.advance(7 * 86_400)  # the first backup has expired (and 7 more were made)
        emu.add_index("legacy", pod=True)  # a schedule of it answers 400
        emu.plan_includes_schedules = False  # creating one answers 403 PERMISSION_DENIED

What differs between the versions (the error codes, the 401 in plain text, the page sizes,
``create_backup``'s 200, the backups' ``dimension``/``metric``/``schema``, ``include_deleted``
and ``source_index_deleted_at``, ``read_capacity``, the names and tags accepted...) is declared
in ``pinecone_backups/testing/_versions.py``.

Read the data with ``backups()``, ``get_backup(id)``, ``restore_jobs()`` (each as a version
shows it: ``api_version=``), ``index_names()`` and ``backup_schedules()``; add to it with
``add_index``, ``add_backup``, ``add_restore_job`` and ``add_backup_schedule``, and
``delete_index`` (its backups stay, shown with ``source_index_deleted_at``).

Faults queue up in FIFO order (thread-safe); each applies to the next ``times`` requests that
reach the server (``times=1`` by default). Each is a ``*_next`` method of :class:`Emulator`,
declared with what it sends in ``pinecone_backups/testing/_faults.py`` (``help(Emulator)``
lists them): an error status (``fail_next(503, headers={"Retry-After": "2"})``), any canned
answer (``respond_next``), bodies that do not decode (``malformed_next``,
``gzip_garbage_next``, ``huge_body_next``), answers mangled on the wire (``reset_next``,
``trickle_next``, ``wrong_length_next``, ``chunked_cut_next``...), late or no answers
(``delay_next``, ``drop_next``, ``hang_next``).

``random_faults(rate, kinds=..., seed=...)`` also gives each request, with probability
``rate``, a random fault (by default a 503, a 500, a drop or a reset; any
:data:`RandomFaultKind` by name); queued faults win and ``random_faults(0)`` turns it off.
:attr:`Emulator.fault_counts` counts the faults injected by kind; faults that send an answer
are recorded as :class:`Exchange` objects with ``fault`` set (a delayed answer is recorded with
``fault=None``), the others (a reset, a cut, a drop, a hang) only in :attr:`Emulator.requests`.

Seed data (``seed=True``, the default): ``docs-example`` (the docs page's backup,
:data:`DOCS_EXAMPLE_BACKUP`, plus two older ones), ``my-index`` (the two backups of
:data:`SPEC_EXAMPLE_RESPONSE`), ``empty-index`` (no backups), ``big-index`` (25 backups, made by
its disabled daily schedule ``big-index-daily``) and ``retired-index``, deleted (no backups:
listed only with ``include_deleted=true``).

Pagination tokens are opaque; each carries its page size, so a ``limit`` sent with a token is
range-checked but otherwise ignored. Every token contains ``+``, ``/`` and ``=``: a client that
does not percent-encode it gets a 400.

Run a standalone emulator with ``python -m pinecone_backups.testing --port 0 --api-key KEY``.
"""

from ._api import LAST_PAGE_STYLES, LastPageStyle
from ._emulator import Emulator, Observer
from ._examples import DOCS_EXAMPLE_BACKUP, DOCS_EXAMPLE_RESPONSE, SPEC_EXAMPLE_RESPONSE
from ._faults import Body, FaultKind, RandomFaultKind
from ._records import Exchange, Headers, RecordedRequest

__all__ = [
    "DOCS_EXAMPLE_BACKUP",
    "DOCS_EXAMPLE_RESPONSE",
    "LAST_PAGE_STYLES",
    "SPEC_EXAMPLE_RESPONSE",
    "Body",
    "Emulator",
    "Exchange",
    "FaultKind",
    "Headers",
    "LastPageStyle",
    "Observer",
    "RandomFaultKind",
    "RecordedRequest",
]
