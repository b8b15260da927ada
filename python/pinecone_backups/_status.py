"""What a status means: whether a backup or a restore job succeeded, failed or is still running.

Decided here once, for the waits (``wait_for_backup``, ``wait_for_restore_job``), the notebook
displays (a status's colour), ``summarize`` (the ``ready``/``failed``/``other`` counts of
``inventory``) and retention (which backups are final, which restore jobs are over). Statuses are
read exactly, as the server spells them:

- a backup succeeded when its status is ``Ready``; it failed when its status is ``Failed`` or
  ends in ``Failed`` (``InitializationFailed``); any other status (``Initializing``,
  ``Pending``, ``Scheduled``: a backup a schedule will make, in its history; ``ready``,
  ``FailoverPending``, one not known) is running;
- a restore job succeeded when ``Completed``; it failed when ``Failed``, ending in ``Failed``,
  ``Cancelled`` or ``Canceled``; any other status (``Pending``, ``InProgress``, ``Cancelling``,
  one not known) is running;
- an index (:func:`index_state`, from its ``status.ready`` and ``status.state``) failed when its
  state ends in ``Failed`` (``InitializationFailed``, ``Failed``) or is ``Terminating`` (it is
  being deleted: it will never be ready); else it succeeded (is ready) when ``ready`` is true;
  any other (``Initializing``, ``ScalingUp`` while not ready, ``Disabled``, one not known, none)
  is running.

Final means succeeded or failed. Where the kind is not known (a display showing a status alone),
``kind=None`` reads a status by either rule. Importing this module imports nothing.
"""

from __future__ import annotations

BACKUP = "backup"
RESTORE_JOB = "restore_job"
"""The two kinds of object that have a status (the waits name them so)."""
INDEX = "index"
"""An index: its status is ``ready`` and a ``state`` (:func:`index_state`)."""

SUCCEEDED = "succeeded"
FAILED = "failed"
RUNNING = "running"
"""What :func:`state` returns."""

READY = "Ready"
"""The status of a backup that succeeded."""
COMPLETED = "Completed"
"""The status of a restore job that succeeded."""
FAILED_SUFFIX = "Failed"
"""A status ending in this is a failure, for either kind (``Failed``, ``InitializationFailed``)."""
CANCELLED = ("Cancelled", "Canceled")
"""The statuses of a restore job that was cancelled (a failure: it will never complete)."""

BACKUP_STATUSES = ("Initializing", "Pending", READY, "Failed", "InitializationFailed")
"""The backup statuses known (the spec names ``Initializing``, ``Ready`` and ``Failed``)."""
KNOWN_RUNNING = frozenset(
    (
        "Initializing",
        "Pending",
        "InProgress",
        "Running",
        "Queued",
        "Creating",
        "Restoring",
        "Cancelling",
        "Canceling",
        "Scheduled",
    )
)
"""Running statuses that are known to mean work under way or planned (a display shows them as
busy; another running status is one not known)."""


def state(status: str, kind: str | None = None) -> str:
    """:data:`SUCCEEDED`, :data:`FAILED` or :data:`RUNNING`: what ``status`` means for an object
    of ``kind`` (:data:`BACKUP`, :data:`RESTORE_JOB`, or ``None``: by either rule)."""
    if kind == BACKUP:
        if status == READY:
            return SUCCEEDED
        return FAILED if status.endswith(FAILED_SUFFIX) else RUNNING
    if kind == RESTORE_JOB:
        if status == COMPLETED:
            return SUCCEEDED
        return FAILED if status.endswith(FAILED_SUFFIX) or status in CANCELLED else RUNNING
    if kind is None:
        if status in (READY, COMPLETED):
            return SUCCEEDED
        return FAILED if status.endswith(FAILED_SUFFIX) or status in CANCELLED else RUNNING
    raise ValueError(f"kind must be {BACKUP!r}, {RESTORE_JOB!r} or None, not {kind!r}")


def succeeded(status: str, kind: str | None = None) -> bool:
    """Whether ``status`` is the success of ``kind`` (``Ready``, ``Completed``)."""
    return state(status, kind) == SUCCEEDED


def failed(status: str, kind: str | None = None) -> bool:
    """Whether ``status`` is a failure of ``kind`` (``Failed``, ``InitializationFailed``; for a
    restore job also ``Cancelled``)."""
    return state(status, kind) == FAILED


def final(status: str, kind: str | None = None) -> bool:
    """Whether ``status`` will not change any more: succeeded or failed."""
    return state(status, kind) != RUNNING


def outcome(kind: str, status: str) -> bool | None:
    """The form the waits use: ``True`` when ``status`` is the success of ``kind``, ``False``
    when it is a failure, ``None`` while it is still running."""
    meaning = state(status, kind)
    return None if meaning == RUNNING else meaning == SUCCEEDED


INDEX_ENDED = ("Terminating",)
"""Index states that are not failures by name but that a wait for it to be ready cannot
outlive: it is being deleted."""


def index_state(ready: bool | None, state: str | None) -> str:
    """:data:`SUCCEEDED`, :data:`FAILED` or :data:`RUNNING`: what an index's ``status`` means
    (``ready`` and ``state``, ``None`` when missing). A failed state wins over ``ready``."""
    if state is not None and (state.endswith(FAILED_SUFFIX) or state in INDEX_ENDED):
        return FAILED
    return SUCCEEDED if ready is True else RUNNING
