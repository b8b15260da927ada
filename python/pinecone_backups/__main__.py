"""The ``pinecone-backups`` command (also ``python -m pinecone_backups``).

Commands::

    list [INDEX] [--limit N] [--all] [--pagination-token T]   an index's backups, or the project's
    describe BACKUP_ID                                         one backup, every field
    create INDEX [--name N] [--description D] [--wait]         take a backup of an index
    delete BACKUP_ID... [--missing-ok] [--yes]                 delete backups (after confirmation)
    restore BACKUP_ID --name INDEX [--tag K=V]...              create an index from a backup
            [--deletion-protection enabled|disabled] [--wait]
    jobs [--limit N] [--all] [--pagination-token T]            the project's restore jobs
    job JOB_ID                                                 one restore job
    wait backup|job ID [--timeout S] [--poll-interval S]       wait for a backup or a restore job
    prune [INDEX...] [--keep-last N] [--older-than D]          delete backups that match filters
          [--status S]... [--tag K=V]... [--allow-empty] [--yes]   (a dry run without --yes)
    inventory [--format table|csv|json] [--by index|status]    every backup, summed per index

``create`` and ``restore`` take ``--timeout`` and ``--poll-interval`` with ``--wait``. Every
command takes, before or after its name, ``--json`` (one JSON object a line, as the server sent
it, instead of a table), ``--host H`` and ``--emulator`` (a bundled emulator with its sample
data instead of the real API: a fresh one for each command, stopped after it, so the hints that
name a later command point at ``python -m pinecone_backups.testing`` instead, an emulator that
lasts). The API key comes from ``PINECONE_API_KEY``, the host from ``--host`` or
``PINECONE_CONTROLLER_HOST``. ``--verbose`` (``-v``) logs every HTTP exchange on stderr (method,
path, status, attempt, time, request id; never the API key), as does
``PINECONE_BACKUPS_LOG=debug``; ``PINECONE_BACKUPS_LOG=info`` or ``warning`` logs only retries.

Results go to stdout; progress, summaries and errors (one line each) to stderr. While waiting,
a live status line is rewritten in place when stderr is a terminal, otherwise a line is written
per status change. ``delete`` shows what it will delete and asks for confirmation on a
terminal; without ``--yes`` it refuses when stdin is not a terminal. ``prune`` without
``--yes`` only shows its plan (each backup: delete or keep, and why); ``--status`` matches the
statuses it knows in any case, and another status only when a listed backup has it.

Everything written for people (tables, detail views, progress, notes, errors) goes through
``_display.printable``: control characters from the server are escaped (``\\x1b``), so a
backup's name cannot move the cursor or rewrite what the user confirms. JSON lines decode to
exactly what the server sent (``_display.json_printable``); CSV is data, written exactly.
Messages use the command line's names (``--limit``, ``PINECONE_API_KEY``), not the Python
API's (``page_size``, ``api_key``).

Exit status: 0 done, 1 API or connection error, 2 bad usage (nothing was sent) or a delete not
confirmed, 3 the backup or restore job failed, 4 the wait timed out, 5 some deletions of a
prune failed (the others were done), 130 interrupted. After a failed or timed-out wait, the
last state seen is still printed on stdout.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import math
import os
import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import partial
from typing import Any, Generic, Protocol, TextIO, TypeVar

import pinecone_backups as pb
from pinecone_backups import _format
from pinecone_backups._format import human_size, json_printable, printable

PROG = "pinecone-backups"

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_FAILED = 3
EXIT_TIMEOUT = 4
EXIT_SOME_FAILED = 5
EXIT_INTERRUPTED = 130


class _Json(Protocol):
    def to_json(self) -> str: ...


class _Page(Protocol):
    """A page of results: ``BackupList`` or ``RestoreJobList``."""

    def __iter__(self) -> Iterator[Any]: ...
    @property
    def next_token(self) -> str | None: ...


class _Polled(Protocol):
    """What a wait polls: a ``Backup`` or a ``RestoreJob``."""

    @property
    def status(self) -> str: ...
    def to_json(self) -> str: ...


J = TypeVar("J", bound=_Json)
P = TypeVar("P", bound=_Polled)

Columns = Sequence[tuple[str, Callable[[J], str]]]
"""How to show a model: (title, cell) pairs, for a table's columns or a detail view's rows."""


class _Refused(Exception):
    """A delete that was not confirmed, or a prune whose ``--status`` names nothing known (exit
    status 2)."""


LASTING_EMULATOR = "python -m pinecone_backups.testing"
_EMULATOR_NOTE = (
    "note: --emulator starts a fresh emulator with the sample data for each command and stops "
    "it after: {consequence}; for an emulator that lasts, run "
    f"`{LASTING_EMULATOR}` in another shell, paste the two export lines it prints, and leave "
    "out --emulator"
)
"""What the hints say under ``--emulator``, instead of a command that would not find the object."""
_BY_ID = frozenset(("describe", "delete", "job", "wait", "restore"))
"""The commands given an id: under ``--emulator``, a 404 gets the note above."""


# --- Formatting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Deleted:
    """What ``delete`` did with one backup id."""

    backup_id: str
    result: str  # "deleted" or "not found"

    def to_json(self) -> str:
        return json.dumps(
            {"backup_id": self.backup_id, "result": self.result}, separators=(",", ":")
        )


_BACKUP_COLUMNS: Columns[pb.Backup] = (
    ("BACKUP ID", lambda b: b.backup_id),
    ("NAME", lambda b: _format.text(b.name)),
    ("STATUS", lambda b: b.status),
    ("RECORDS", lambda b: _format.count(b.record_count)),
    ("SIZE", lambda b: human_size(b.size_bytes)),
    ("CREATED AT", lambda b: _format.when(b.created_at)),
)
_PROJECT_BACKUP_COLUMNS: Columns[pb.Backup] = (
    *_BACKUP_COLUMNS[:2],
    ("INDEX", lambda b: b.source_index_name),
    *_BACKUP_COLUMNS[2:],
)
_JOB_COLUMNS: Columns[pb.RestoreJob] = (
    ("RESTORE JOB ID", lambda j: j.restore_job_id),
    ("BACKUP ID", lambda j: j.backup_id),
    ("TARGET INDEX", lambda j: j.target_index_name),
    ("STATUS", lambda j: j.status),
    ("PROGRESS", lambda j: _format.percent(j.percent_complete)),
    ("CREATED AT", lambda j: _format.when(j.created_at)),
    ("COMPLETED AT", lambda j: _format.when(j.completed_at)),
)


def _fields(model: type[J]) -> Columns[J]:
    """One line per field of a model, in the order the model declares them: a field added to
    the model shows up here without a change."""
    return tuple(
        (name, lambda obj, name=name: _format.field_text(name, getattr(obj, name)))
        for name in _format.field_names(model)
    )


_DELETED_COLUMNS: Columns[_Deleted] = (
    ("BACKUP ID", lambda d: d.backup_id),
    ("RESULT", lambda d: d.result),
)


# --- Output: tables for people, JSON lines for programs -------------------------------------


def _print_table(
    rows: Iterable[Sequence[str]], header: Sequence[str] | None = None, file: TextIO | None = None
) -> int:
    """Prints aligned columns (after a header, if any); returns the number of rows. Every cell
    is made printable (control characters escaped): text from the server cannot drive the
    terminal."""
    body = [tuple(printable(cell) for cell in row) for row in rows]
    lines = [tuple(header), *body] if header else body
    if lines:
        widths = [max(len(cell) for cell in column) for column in zip(*lines, strict=True)]
        for line in lines:
            cells = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
            print("  ".join(cells).rstrip(), file=file or sys.stdout)
    return len(body)


def _print_json_lines(objects: Iterable[_Json]) -> int:
    """Prints one JSON object a line (decoding to exactly what the object holds; see
    ``json_printable``); returns how many."""
    count = 0
    for obj in objects:
        print(json_printable(obj.to_json()))
        count += 1
    return count


def _show_all(as_json: bool, objects: Iterable[J], columns: Columns[J]) -> int:
    """Shows a list: a table, or JSON lines. Returns how many objects there were."""
    if as_json:
        return _print_json_lines(objects)
    rows = ([cell(obj) for _, cell in columns] for obj in objects)
    return _print_table(rows, [title for title, _ in columns])


def _show_one(as_json: bool, obj: J, fields: Columns[J]) -> None:
    """Shows one object: a field per line, or one JSON line."""
    if as_json:
        _print_json_lines([obj])
    else:
        _print_table([(name, cell(obj)) for name, cell in fields])
    sys.stdout.flush()


def _note(message: str) -> None:
    """A line of progress or diagnostics on stderr, made printable (it may quote the server)."""
    print(printable(message), file=sys.stderr, flush=True)


# --- Waiting --------------------------------------------------------------------------------


class _Progress(Generic[P]):
    """The ``on_progress`` of a wait: on a terminal, one status line rewritten in place (and
    ticking every second); elsewhere, one line per status change. ``last`` is the last object
    seen."""

    def __init__(self, what: str, stream: TextIO, *, live: bool, tick: float = 1.0) -> None:
        self.last: P | None = None
        self._what = what
        self._stream = stream
        self._live = live
        self._tick = tick
        self._start = time.monotonic()
        self._lock = threading.Lock()
        self._width = 0  # of the live line on screen
        self._stopped = threading.Event()
        self._ticker: threading.Thread | None = None

    def __call__(self, obj: P) -> None:
        with self._lock:
            changed = self.last is None or self.last.status != obj.status
            self.last = obj
            if self._live:
                self._draw()
            elif changed:
                self._stream.write(self._line() + "\n")
                self._stream.flush()
        if self._live and self._ticker is None:
            self._ticker = threading.Thread(target=self._run_ticker, daemon=True)
            self._ticker.start()

    def close(self) -> None:
        """Stops the ticker and ends the live line."""
        self._stopped.set()
        if self._ticker is not None:
            self._ticker.join()
        with self._lock:
            if self._width:
                self._stream.write("\n")
                self._stream.flush()
                self._width = 0

    def _line(self) -> str:
        assert self.last is not None
        parts = [f"{self._what}: {self.last.status}"]
        percent: float | None = getattr(self.last, "percent_complete", None)
        if percent is not None:
            parts.append(f"{_format.percent(percent)} complete")
        parts.append(f"{time.monotonic() - self._start:.0f}s elapsed")
        return printable(", ".join(parts))

    def _draw(self) -> None:
        line = self._line()
        self._stream.write("\r" + line.ljust(self._width))
        self._stream.flush()
        self._width = len(line)

    def _run_ticker(self) -> None:
        while not self._stopped.wait(self._tick):
            with self._lock:
                if not self._stopped.is_set():
                    self._draw()


def _wait_and_show(
    args: argparse.Namespace,
    wait: Callable[..., P],
    what: str,
    ident: str,
    fields: Columns[P],
) -> None:
    """Waits with progress on stderr, then shows the final state, even a failed one (the
    exception is raised again for the exit status)."""
    progress: _Progress[P] = _Progress(f"{what} {ident}", sys.stderr, live=sys.stderr.isatty())
    try:
        final = wait(
            ident, timeout=args.timeout, poll_interval=args.poll_interval, on_progress=progress
        )
    except (pb.BackupFailedError, pb.RestoreJobFailedError, pb.WaitTimeoutError):
        progress.close()
        if progress.last is not None:
            _show_one(args.json, progress.last, fields)
        raise
    finally:
        progress.close()
    _show_one(args.json, final, fields)


# --- The commands ---------------------------------------------------------------------------


def _list_pages(
    args: argparse.Namespace,
    page: Callable[..., _Page],
    walk: Callable[..., Iterator[J]],
    columns: Columns[J],
    noun: str,
    where: str = "",
) -> int:
    next_token: str | None = None
    items: Iterator[J]
    if args.all:
        page_size = 100 if args.limit is None else args.limit
        items = walk(page_size=page_size, pagination_token=args.pagination_token)
    else:
        first = page(limit=args.limit, pagination_token=args.pagination_token)
        items, next_token = iter(first), first.next_token
    count = _show_all(args.json, items, columns)
    sys.stdout.flush()
    if not args.json:
        _note(_format.plural(count, noun) + where)
    if next_token:
        _note(f"more: add --pagination-token {next_token} (or --all to list every page)")
    return EXIT_OK


def _run_list(client: pb.Client, args: argparse.Namespace) -> int:
    if args.index is None:
        return _list_pages(
            args,
            client.list_project_backups,
            client.iter_project_backups,
            _PROJECT_BACKUP_COLUMNS,
            "backup",
            " in the project",
        )
    return _list_pages(
        args,
        partial(client.list_index_backups, args.index),
        partial(client.iter_index_backups, args.index),
        _BACKUP_COLUMNS,
        "backup",
        f" of index {args.index!r}",
    )


def _run_describe(client: pb.Client, args: argparse.Namespace) -> int:
    _show_one(args.json, client.describe_backup(args.backup_id), _fields(pb.Backup))
    return EXIT_OK


def _run_create(client: pb.Client, args: argparse.Namespace) -> int:
    backup = client.create_backup(args.index, name=args.name, description=args.description)
    about = f"backup {backup.backup_id} of index {args.index!r}"
    if not args.wait:
        _show_one(args.json, backup, _fields(pb.Backup))
        if args.emulator:
            _note(f"created {about}")
            _note(_EMULATOR_NOTE.format(consequence="the next command will not find this backup"))
        else:
            _note(f"created {about}; wait for it: {PROG} wait backup {backup.backup_id}")
        return EXIT_OK
    _note(f"created {about}; waiting until it is ready")
    _wait_and_show(args, client.wait_for_backup, "backup", backup.backup_id, _fields(pb.Backup))
    return EXIT_OK


def _run_delete(client: pb.Client, args: argparse.Namespace) -> int:
    targets: dict[str, pb.Backup | None] = {}  # each id once, in order; None: not found
    for backup_id in args.backup_ids:
        if backup_id in targets:
            continue
        try:
            targets[backup_id] = client.describe_backup(backup_id)
        except pb.NotFoundError as error:
            if not args.missing_ok:
                _report(error, args)
                _note("nothing was deleted (--missing-ok skips backups that do not exist)")
                return EXIT_ERROR
            targets[backup_id] = None
    found = [backup for backup in targets.values() if backup is not None]
    missing = [backup_id for backup_id, backup in targets.items() if backup is None]
    if found:
        _note(f"{_format.plural(len(found), 'backup')} to delete:")
        rows = ([cell(b) for _, cell in _PROJECT_BACKUP_COLUMNS] for b in found)
        _print_table(rows, [title for title, _ in _PROJECT_BACKUP_COLUMNS], file=sys.stderr)
    if missing:
        _note(f"not found, skipped (--missing-ok): {', '.join(missing)}")
    if found and not args.yes:
        sys.stderr.write(f"Delete {_format.plural(len(found), 'backup')}? [y/N] ")
        sys.stderr.flush()
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            raise _Refused("not confirmed; nothing was deleted")

    results: list[_Deleted] = []
    status = EXIT_OK
    for backup_id, backup in targets.items():
        if backup is None:
            results.append(_Deleted(backup_id, "not found"))
            continue
        try:
            client.delete_backup(backup_id, missing_ok=args.missing_ok)
        except pb.PineconeError as error:  # report it and go on with the others, as rm does
            _report(error, args)
            status = EXIT_ERROR
        else:
            results.append(_Deleted(backup_id, "deleted"))
    _show_all(args.json, results, _DELETED_COLUMNS)
    if args.emulator and found:
        _note(_EMULATOR_NOTE.format(consequence="the next command will find them again"))
    return status


def _run_restore(client: pb.Client, args: argparse.Namespace) -> int:
    response = client.create_index_from_backup(
        args.backup_id, args.name, tags=args.tags, deletion_protection=args.deletion_protection
    )
    job_id = response.restore_job_id
    about = f"restoring backup {args.backup_id} into new index {args.name!r}: restore job {job_id}"
    if not args.wait:
        _show_one(args.json, response, _fields(pb.CreateIndexFromBackupResponse))
        if args.emulator:
            _note(about)
            _note(_EMULATOR_NOTE.format(consequence="the next command will not find this job"))
        else:
            _note(f"{about}; follow it: {PROG} wait job {job_id}")
        return EXIT_OK
    _note(f"{about}; waiting until it is complete")
    _wait_and_show(args, client.wait_for_restore_job, "restore job", job_id, _fields(pb.RestoreJob))
    return EXIT_OK


def _run_jobs(client: pb.Client, args: argparse.Namespace) -> int:
    return _list_pages(
        args, client.list_restore_jobs, client.iter_restore_jobs, _JOB_COLUMNS, "restore job"
    )


def _run_job(client: pb.Client, args: argparse.Namespace) -> int:
    _show_one(args.json, client.describe_restore_job(args.job_id), _fields(pb.RestoreJob))
    return EXIT_OK


def _run_wait(client: pb.Client, args: argparse.Namespace) -> int:
    if args.kind == "backup":
        _wait_and_show(args, client.wait_for_backup, "backup", args.id, _fields(pb.Backup))
    else:
        _wait_and_show(
            args, client.wait_for_restore_job, "restore job", args.id, _fields(pb.RestoreJob)
        )
    return EXIT_OK


# --- prune ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PruneLine:
    """One backup of a prune: what the plan says (``action``: delete or keep) or, with
    ``--yes``, what was done (``result``: deleted, skipped, failed or kept), and why."""

    key: str  # "action" or "result"
    value: str
    backup: pb.Backup
    reason: str

    def to_json(self) -> str:
        line = {
            self.key: self.value,
            "backup_id": self.backup.backup_id,
            "reason": self.reason,
            "backup": self.backup.to_dict(),
        }
        return json.dumps(line, separators=(",", ":"))


_PRUNE_COLUMNS: Columns[_PruneLine] = (
    ("BACKUP ID", lambda line: line.backup.backup_id),
    ("INDEX", lambda line: line.backup.source_index_name),
    ("NAME", lambda line: _format.text(line.backup.name)),
    ("STATUS", lambda line: line.backup.status),
    ("CREATED AT", lambda line: _format.when(line.backup.created_at)),
    ("REASON", lambda line: line.reason),
)


def _prune_backups(client: pb.Client, indexes: Sequence[str]) -> list[pb.Backup]:
    """The backups of ``indexes`` (each once), or of the whole project without any."""
    if not indexes:
        return list(client.iter_project_backups())
    return [
        backup for index in dict.fromkeys(indexes) for backup in client.iter_index_backups(index)
    ]


def _run_prune(client: pb.Client, args: argparse.Namespace) -> int:
    from pinecone_backups._prune import CLI_OPTIONS, make_plan, order_key

    backups = _prune_backups(client, args.indexes)
    plan = make_plan(  # plan_prune, whose reasons name the command's flags
        backups,
        indexes=args.indexes or None,  # a backup of another index is kept
        options=CLI_OPTIONS,
        keep_last=args.keep_last,
        older_than=args.older_than,
        statuses=_selected_statuses(args.statuses, backups),
        tags=args.tags,
        allow_empty=args.allow_empty,
        restore_jobs=client.iter_restore_jobs(),  # the backups of Pending jobs are kept
    )
    planned = [("delete", *pair) for pair in plan.delete] + [("keep", *pair) for pair in plan.keep]
    planned.sort(key=lambda entry: order_key(entry[1]))  # per index, newest first
    if not args.yes:
        lines = [_PruneLine("action", action, backup, why) for action, backup, why in planned]
        _show_all(args.json, lines, (("ACTION", lambda line: line.value), *_PRUNE_COLUMNS))
        sys.stdout.flush()
        _note(
            f"dry run: {len(plan.delete)} of {_format.plural(len(planned), 'backup')} would be "
            f"deleted, {len(plan.keep)} kept; nothing was deleted (add --yes to delete them)"
        )
        return EXIT_OK

    report = client.prune(plan, concurrency=args.concurrency)
    done: dict[str, tuple[str, str]] = {
        backup.backup_id: ("deleted", "") for backup in report.deleted
    }
    done.update((backup.backup_id, ("skipped", why)) for backup, why in report.skipped)
    done.update(
        (backup.backup_id, ("failed", " ".join(str(error).split())))
        for backup, error in report.failed
    )
    lines = []
    for action, backup, why in planned:
        result, detail = done[backup.backup_id] if action == "delete" else ("kept", why)
        lines.append(_PruneLine("result", result, backup, detail or why))
    _show_all(args.json, lines, (("RESULT", lambda line: line.value), *_PRUNE_COLUMNS))
    sys.stdout.flush()
    reasons = sorted({why for _, why in report.skipped})
    counts = [sum(why == reason for _, why in report.skipped) for reason in reasons]
    skipped = ", ".join(f"{count} {reason}" for count, reason in zip(counts, reasons, strict=True))
    _note(
        f"{len(report.deleted)} deleted, {len(report.skipped)} skipped"
        + (f" ({skipped})" if skipped else "")
        + f", {len(report.failed)} failed, {len(plan.keep)} kept"
    )
    for backup, error in report.failed:
        message = " ".join(str(error).split())
        _note(
            f"{PROG}: error: could not delete backup {backup.backup_id} of index "
            f"{backup.source_index_name!r}: {message}"
        )
    return EXIT_SOME_FAILED if report.failed else EXIT_OK


def _say_what_an_interrupted_prune_did(interrupt: KeyboardInterrupt) -> None:
    """After Ctrl-C during ``prune --yes``: which deletions happened, which may have (their
    request was under way), and how many were never started."""
    from pinecone_backups._prune import PruneInterrupted

    if not isinstance(interrupt, PruneInterrupted):
        return
    report, in_flight = interrupt.report, interrupt.in_flight
    _note(
        f"{PROG}: prune stopped: {len(report.deleted)} deleted, {len(in_flight)} may have been "
        f"deleted (their DELETE was under way: list them again to know), "
        f"{len(report.skipped)} skipped, {len(report.failed)} failed, "
        f"{len(interrupt.not_started)} not started; no request was started after Ctrl-C"
    )
    for label, backups in (("deleted", report.deleted), ("may have been deleted", in_flight)):
        if backups:
            _note(f"{label}: " + ", ".join(backup.backup_id for backup in backups))


def _iso(value: object) -> object:
    """An inventory value for CSV and JSON: times as RFC 3339 UTC text, the rest as is."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return value


_INVENTORY_TABLE: dict[str, Callable[[Any], str]] = {
    "size_bytes": human_size,
    "record_count": _format.count,
    "newest_ready": _format.when,
    "oldest_ready": _format.when,
    "newest": _format.when,
    "oldest": _format.when,
}
_INVENTORY_TITLES = {"size_bytes": "SIZE", "record_count": "RECORDS"}


def _run_inventory(client: pb.Client, args: argparse.Namespace) -> int:
    from pinecone_backups import _inventory

    rows = _inventory.summarize(client.iter_project_backups(page_size=100), by=args.by)
    keys = _inventory.BY_INDEX_KEYS if args.by == "index" else _inventory.BY_STATUS_KEYS
    output = "json" if args.json else args.format or "table"
    if output == "json":
        for row in rows:
            line = json.dumps({key: _iso(row[key]) for key in keys}, separators=(",", ":"))
            print(json_printable(line))
    elif output == "csv":
        # RFC 4180: CRLF line ends, quotes where needed. CSV is data: fields are written exactly
        # as the server sent them, control characters included (quoted), not escaped.
        writer = csv.writer(sys.stdout)
        writer.writerow(keys)
        for row in rows:
            writer.writerow(["" if row[key] is None else _iso(row[key]) for key in keys])
    else:
        header = [_INVENTORY_TITLES.get(key, key.replace("_", " ").upper()) for key in keys]
        _print_table(
            (
                [
                    row[keys[0]],
                    *(_INVENTORY_TABLE.get(key, _format.count)(row[key]) for key in keys[1:]),
                ]
                for row in rows
            ),
            header,
        )
    sys.stdout.flush()
    total = _inventory.totals(rows)
    noun = "index" if args.by == "index" else "status"
    groups = f"{len(rows)} {noun}" if len(rows) == 1 else f"{len(rows)} {noun}es"
    _note(
        f"{_format.plural(total['backups'], 'backup')} in {groups}, "
        f"{human_size(total['size_bytes'])} ({total['size_bytes']:,} bytes), "
        f"{total['record_count']:,} records"
    )
    return EXIT_OK


# --- The parser -----------------------------------------------------------------------------


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _tag(text: str) -> tuple[str, str]:
    key, equals, value = text.partition("=")
    if not equals or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


class _TagAction(argparse.Action):
    """Collects ``--tag K=V`` into a dict; a key given twice is an error."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        key, value = values
        tags = dict(getattr(namespace, self.dest) or {})
        if key in tags:
            raise argparse.ArgumentError(self, f"tag {key!r} given twice")
        tags[key] = value
        setattr(namespace, self.dest, tags)


def _paging_arguments(parser: argparse.ArgumentParser, noun: str) -> None:
    parser.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help=f"{noun} per page, 1..100 (default: the server's, 10; with --all: 100)",
    )
    parser.add_argument("--all", action="store_true", help="list every page")
    parser.add_argument(
        "--pagination-token", metavar="TOKEN", help="start from this page (from a previous run)"
    )


def _wait_arguments(parser: argparse.ArgumentParser, *, flag: str | None) -> None:
    if flag:
        parser.add_argument("--wait", action="store_true", help=flag)
    when = "with --wait: " if flag else ""
    parser.add_argument(
        "--timeout",
        type=_seconds,
        metavar="S",
        help=f"{when}give up after S seconds, exit status 4 (default: wait as long as it takes)",
    )
    parser.add_argument(
        "--poll-interval",
        type=_seconds,
        metavar="S",
        help=f"{when}poll every S seconds (default: adaptive, from 1 s growing to 15 s)",
    )


def _list_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "index", metavar="INDEX", nargs="?", help="the index name (none: every index's backups)"
    )
    _paging_arguments(parser, "backups")


def _describe_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("backup_id", metavar="BACKUP_ID", help="the backup's id")


def _create_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("index", metavar="INDEX", help="the index to back up")
    parser.add_argument("--name", metavar="N", help="the backup's name")
    parser.add_argument("--description", metavar="D", help="the backup's description")
    _wait_arguments(parser, flag="wait until the backup is ready and show it then")


def _delete_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("backup_ids", metavar="BACKUP_ID", nargs="+", help="the backups' ids")
    parser.add_argument(
        "--missing-ok", action="store_true", help="skip backups that do not exist (no error)"
    )
    parser.add_argument("--yes", "-y", action="store_true", help="delete without asking")


def _restore_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("backup_id", metavar="BACKUP_ID", help="the backup to restore")
    parser.add_argument(
        "--name", metavar="INDEX", required=True, help="the name of the new index (must be free)"
    )
    parser.add_argument(
        "--tag",
        dest="tags",
        type=_tag,
        action=_TagAction,
        metavar="K=V",
        help="a tag of the new index (repeat for several)",
    )
    parser.add_argument(
        "--deletion-protection",
        choices=("enabled", "disabled"),
        help="the new index's deletion protection (default: the server's, disabled)",
    )
    _wait_arguments(parser, flag="wait until the restore job is complete and show it then")


def _jobs_arguments(parser: argparse.ArgumentParser) -> None:
    _paging_arguments(parser, "restore jobs")


def _job_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("job_id", metavar="JOB_ID", help="the restore job's id")


def _inventory_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        help="table (sizes in human units, control characters escaped; the default), csv (RFC "
        "4180, with a header; data exactly as the server sent it, quoted where needed) or json "
        "(one object a line); csv and json give sizes in bytes and times in RFC 3339",
    )
    parser.add_argument(
        "--by",
        choices=("index", "status"),
        default="index",
        help="one row per index (the default) or per status",
    )


def _keep_last(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return value


def _duration(text: str) -> timedelta:
    from pinecone_backups._prune import parse_duration

    number = text.strip()[:-1]
    if text.strip().startswith("-"):
        raise argparse.ArgumentTypeError(
            f"a duration cannot be negative, got {text!r} (backups created more than 5 days "
            "ago: --older-than 5d)"
        )
    if number.isascii() and number.isdigit() and int(number) == 0:
        raise argparse.ArgumentTypeError(
            f"must be more than 0, got {text!r} (every backup is older than 0; to select backups "
            "whatever their age, leave --older-than out)"
        )
    try:
        return parse_duration(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a duration like 90m, 36h, 30d or 2w (a whole number >= 1 and a unit: s, "
            f"m, h, d or w), got {text!r}"
        ) from None


BACKUP_STATUSES = ("Initializing", "Pending", "Ready", "Failed", "InitializationFailed")
"""The backup statuses this command knows; ``--status`` matches them whatever the case."""


def _status(text: str) -> str:
    """A ``--status``: a known status in its own spelling (``ready`` -> ``Ready``), or the text
    as given (checked against the listed backups by ``_selected_statuses``)."""
    status = text.strip()
    if not status:
        raise argparse.ArgumentTypeError(f"expected a status, got {text!r}")
    for known in BACKUP_STATUSES:
        if known.casefold() == status.casefold():
            return known
    return status


def _selected_statuses(given: list[str] | None, backups: list[pb.Backup]) -> list[str] | None:
    """The statuses ``--status`` selects: each given one, and every status of the listed backups
    that equals one of them but for case. A status this command does not know is accepted when
    a listed backup has it (with a note: the server may send statuses that are new to us), and
    refused otherwise: a typo must not select nothing in silence."""
    if given is None:
        return None
    seen = sorted({backup.status for backup in backups})
    selected: list[str] = []
    for status in given:
        matches = [s for s in seen if s.casefold() == status.casefold()]
        if status not in BACKUP_STATUSES:
            if not matches:
                raise _Refused(
                    f"--status {status!r} is not a status pinecone-backups knows "
                    f"({', '.join(BACKUP_STATUSES)}; any case) and no backup listed has it; "
                    "nothing was deleted"
                )
            _note(
                f"note: --status {status!r} is not a status pinecone-backups knows "
                f"({', '.join(BACKUP_STATUSES)}); it selects the backups the server lists as "
                + ", ".join(repr(s) for s in matches)
            )
        selected += [status, *matches]
    return list(dict.fromkeys(selected))


def _concurrency(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 64, got {text!r}")
    return value


def _prune_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "indexes",
        metavar="INDEX",
        nargs="*",
        help="the indexes whose backups to prune (none: every index of the project)",
    )
    parser.add_argument(
        "--keep-last",
        type=_keep_last,
        metavar="N",
        help="spare the N newest Ready backups of each index",
    )
    parser.add_argument(
        "--older-than",
        type=_duration,
        metavar="DURATION",
        help="only backups created more than DURATION ago: 90m, 36h, 30d, 2w",
    )
    parser.add_argument(
        "--status",
        dest="statuses",
        type=_status,
        action="append",
        metavar="S",
        help=f"only backups in status S ({', '.join(BACKUP_STATUSES)}, in any case; another "
        "status only if a listed backup has it; repeat for several); naming a status that is "
        "not final (Initializing, Pending) lets prune delete such backups",
    )
    parser.add_argument(
        "--tag",
        dest="tags",
        type=_tag,
        action=_TagAction,
        metavar="K=V",
        help="only backups with tag K=V (repeat: all of them)",
    )
    parser.add_argument(
        "--allow-empty",
        action="store_true",
        help="may delete the newest Ready backup of an index",
    )
    parser.add_argument(
        "--concurrency",
        type=_concurrency,
        default=4,
        metavar="N",
        help="deletions in parallel, 1..64 (default: 4)",
    )
    parser.add_argument(
        "--yes", "-y", action="store_true", help="delete (without it: a dry run, the plan only)"
    )


def _wait_command_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "kind", choices=("backup", "job"), metavar="backup|job", help="what to wait for"
    )
    parser.add_argument("id", metavar="ID", help="the backup's or restore job's id")
    _wait_arguments(parser, flag=None)


@dataclass(frozen=True)
class _Command:
    name: str
    summary: str
    description: str
    examples: tuple[str, ...]
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[pb.Client, argparse.Namespace], int]
    waits: bool = False


_COMMANDS = (
    _Command(
        "list",
        "list the backups of an index, or of the project",
        "List the backups of an index (or, without INDEX, of every index in the project), "
        "newest first: one page, or all with --all.",
        ("list docs-example --emulator", "list --all --json | jq -r .backup_id"),
        _list_arguments,
        _run_list,
    ),
    _Command(
        "inventory",
        "summarise every backup of the project, per index or per status",
        "Walk every backup of the project and summarise them per index (count, Ready, failed "
        "and other counts, total size and records, newest and oldest Ready backup) or, with "
        "--by status, per status. --json is --format json.",
        ("inventory --emulator", "inventory --by status --format csv > backups.csv"),
        _inventory_arguments,
        _run_inventory,
    ),
    _Command(
        "describe",
        "show a backup",
        "Show every field of a backup.",
        ("describe 670e8400-e29b-41d4-a716-446655440001",),
        _describe_arguments,
        _run_describe,
    ),
    _Command(
        "create",
        "back up an index",
        "Create a backup of an index; with --wait, wait until it is ready.",
        ("create my-index --name nightly --wait",),
        _create_arguments,
        _run_create,
        waits=True,
    ),
    _Command(
        "delete",
        "delete backups",
        "Delete backups. Shows what it will delete first, then asks for confirmation on a "
        "terminal; without --yes it refuses when stdin is not a terminal.",
        ("delete BACKUP_ID BACKUP_ID", "delete BACKUP_ID --yes --missing-ok"),
        _delete_arguments,
        _run_delete,
    ),
    _Command(
        "prune",
        "delete the backups that match filters, with safety rails (a dry run without --yes)",
        "Delete the backups of the INDEXes (or of every index) that match every filter given: "
        "--keep-last, --older-than, --status, --tag (at least one). Without --yes, show the "
        "plan only: each backup, delete or keep, and why. Safety rails: the newest Ready backup "
        "of an index is kept (--allow-empty lifts this); so is a backup that a Pending restore "
        "job uses (the server's 412 while deleting is reported as skipped: restore pending), "
        "and one whose status is not final (Initializing, Pending) unless --status names it. "
        "A backup deleted meanwhile by someone else (404) is skipped as already gone.",
        ("prune my-index --keep-last 7", "prune --status Failed --older-than 2w --yes"),
        _prune_arguments,
        _run_prune,
    ),
    _Command(
        "restore",
        "create an index from a backup",
        "Create a new index from a backup; this starts a restore job. With --wait, wait until "
        "the job is complete.",
        ("restore BACKUP_ID --name restored --tag env=dev --wait",),
        _restore_arguments,
        _run_restore,
        waits=True,
    ),
    _Command(
        "jobs",
        "list restore jobs",
        "List the project's restore jobs: one page, or all with --all.",
        ("jobs --all",),
        _jobs_arguments,
        _run_jobs,
    ),
    _Command(
        "job",
        "show a restore job",
        "Show every field of a restore job.",
        ("job JOB_ID --json",),
        _job_arguments,
        _run_job,
    ),
    _Command(
        "wait",
        "wait for a backup to be ready or a restore job to complete",
        "Wait until a backup is Ready or a restore job is Completed, then show it. Progress goes "
        "to stderr.",
        ("wait backup BACKUP_ID --timeout 3600", "wait job JOB_ID"),
        _wait_command_arguments,
        _run_wait,
        waits=True,
    ),
)

_EXIT_CODES = (
    (EXIT_OK, "done"),
    (EXIT_ERROR, "an API or connection error (one line on stderr)"),
    (EXIT_USAGE, "bad usage: a bad option or argument (nothing was sent)"),
    (EXIT_FAILED, "the backup or restore job failed"),
    (EXIT_TIMEOUT, "the wait timed out (--timeout)"),
    (EXIT_SOME_FAILED, "some deletions failed (the others were done; the summary says which)"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C)"),
)


def _exit_status_applies(command: _Command | None, code: int) -> bool:
    if command is None:
        return True
    if code in (EXIT_FAILED, EXIT_TIMEOUT):
        return command.waits
    return code != EXIT_SOME_FAILED or command.name == "prune"


def _epilog(command: _Command | None) -> str:
    lines = []
    if command is not None:
        lines += ["examples:", *(f"  {PROG} {example}" for example in command.examples), ""]
    lines.append("exit status:")
    for code, meaning in _EXIT_CODES:
        if _exit_status_applies(command, code):
            lines.append(f"  {code:<4} {meaning}")
        if code == EXIT_USAGE and (command is None or command.name == "delete"):
            lines.append("       or a delete not confirmed (no --yes when stdin is not a terminal)")
        if code == EXIT_USAGE and (command is None or command.name == "prune"):
            lines.append("       or a prune --status that is not known and no backup has")
    if command is None or command.waits:
        lines += ["", "After a failed or timed-out wait, the last state seen is printed on stdout."]
    return "\n".join(lines)


class _Formatter(argparse.HelpFormatter):
    """Wraps a one-paragraph description; keeps the lines of the epilogs as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


_GLOBAL_DEFAULTS = {"json": False, "host": None, "emulator": False, "verbose": False}
"""The options every command takes, before or after the command's name, and their defaults."""


def _global_options(parser: argparse.ArgumentParser, *, main: bool) -> None:
    """Adds the options of ``_GLOBAL_DEFAULTS`` to the main parser (``main``: with their
    defaults) or to a command's (with no default: ``SUPPRESS``, so that a command's parser does
    not reset an option given before the command)."""

    def default(name: str) -> Any:
        return _GLOBAL_DEFAULTS[name] if main else argparse.SUPPRESS

    parser.add_argument(
        "--json",
        action="store_true",
        default=default("json"),
        help="print JSON lines (one object a line), not a table",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--host",
        default=default("host"),
        help="API host (default: $PINECONE_CONTROLLER_HOST or https://api.pinecone.io)",
    )
    where.add_argument(
        "--emulator",
        action="store_true",
        default=default("emulator"),
        help="run this command against a bundled emulator and its sample data instead of the "
        "real API: a fresh one for each command, stopped after it, so nothing a command does "
        f"carries over to the next (for one that lasts: {LASTING_EMULATOR})",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=default("verbose"),
        help=f"log every HTTP exchange on stderr (or set {LOG_VARIABLE}=debug)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Manage the backups of Pinecone indexes: list, show, create, delete, prune "
        "and restore them, and follow restore jobs. Every command takes --json (JSON lines instead "
        "of tables), --host, --emulator and --verbose, before or after the command's name. "
        "--emulator runs the command against a bundled emulator with sample data, a fresh one for "
        "each command (nothing carries over to the next command; for an emulator that lasts, run "
        f"{LASTING_EMULATOR}). The API key comes from PINECONE_API_KEY, the host from --host or "
        "PINECONE_CONTROLLER_HOST. Results go to stdout; progress and errors to stderr.",
        epilog=_epilog(None),
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {pb.__version__}")
    _global_options(parser, main=True)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, main=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in _COMMANDS:
        sub = commands.add_parser(
            command.name,
            parents=[common],
            help=command.summary,
            description=command.description,
            epilog=_epilog(command),
            formatter_class=_Formatter,
        )
        command.arguments(sub)
        sub.set_defaults(run=command.run, command_parser=sub)
    return parser


LOG_VARIABLE = "PINECONE_BACKUPS_LOG"
_LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}


class _BadSetting(Exception):
    """An environment variable of ours with a value we do not know (exit status 2)."""


def _log_level(args: argparse.Namespace) -> int | None:
    """The level to log at on stderr: DEBUG with ``--verbose``, else ``$PINECONE_BACKUPS_LOG``'s;
    ``None``: no logging."""
    if args.verbose:
        return logging.DEBUG
    name = os.environ.get(LOG_VARIABLE, "").strip()
    if not name:
        return None
    level = _LOG_LEVELS.get(name.lower())
    if level is None:
        raise _BadSetting(f"{LOG_VARIABLE} must be debug, info or warning; got {name!r}")
    return level


class _PrintableFormatter(logging.Formatter):
    """One concise line per record, made printable: a retry's WARNING quotes the server."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


@contextmanager
def _logging_to_stderr(level: int | None) -> Iterator[None]:
    """While in the block, the ``pinecone_backups`` logger writes records of ``level`` and above
    on stderr, one concise line each (nothing if ``level`` is ``None``)."""
    if level is None:
        yield
        return
    logger = logging.getLogger("pinecone_backups")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        _PrintableFormatter("%(asctime)s.%(msecs)03d %(levelname)s %(message)s", "%H:%M:%S")
    )
    handler.setLevel(level)
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(previous)
        logger.removeHandler(handler)


def _check_usage(args: argparse.Namespace) -> None:
    """What argparse cannot check alone; before anything is sent."""
    parser: argparse.ArgumentParser = args.command_parser
    if args.host is not None and args.emulator:  # one before the command, one after it
        parser.error("argument --emulator: not allowed with argument --host")
    if not getattr(args, "wait", True):
        for option in ("timeout", "poll_interval"):
            if getattr(args, option) is not None:
                parser.error(f"--{option.replace('_', '-')} needs --wait")
    if args.command == "inventory" and args.json and args.format not in (None, "json"):
        parser.error(f"--json conflicts with --format {args.format}")
    if args.command == "prune" and all(
        getattr(args, name) is None for name in ("keep_last", "older_than", "statuses", "tags")
    ):
        parser.error("give at least one filter: --keep-last, --older-than, --status or --tag")
    if args.command == "delete" and not args.yes and not sys.stdin.isatty():
        raise _Refused(
            "refusing to delete without confirmation: stdin is not a terminal "
            "(add --yes to delete anyway)"
        )


# --- Running --------------------------------------------------------------------------------


@contextmanager
def _open_client(args: argparse.Namespace) -> Iterator[pb.Client]:
    """The client of the real API (or of ``--host``), or of a bundled emulator of its own."""
    with ExitStack() as stack:
        if args.emulator:
            from pinecone_backups.testing import Emulator

            key = secrets.token_urlsafe(24)
            emulator = stack.enter_context(Emulator(api_key=key))
            client = pb.Client(api_key=key, host=emulator.url)
        else:
            client = pb.Client(host=args.host)
        yield stack.enter_context(client)


_CLI_NAMES = {
    "page_size": "--limit",
    "limit": "--limit",
    "pagination_token": "--pagination-token",
    "index_name": "INDEX",
    "backup_id": "BACKUP_ID",
    "job_id": "JOB_ID",
    "name": "--name",
    "description": "--description",
    "tags": "--tag",
    "deletion_protection": "--deletion-protection",
    "timeout": "--timeout",
    "poll_interval": "--poll-interval",
    "keep_last": "--keep-last",
    "older_than": "--older-than",
    "statuses": "--status",
    "allow_empty": "--allow-empty",
    "concurrency": "--concurrency",
}
"""The command line's name for each parameter of the Python API that its messages may name."""


def _cli_name(param: str, args: argparse.Namespace | None) -> str:
    if args is not None and getattr(args, "command", None) == "wait" and param.endswith("_id"):
        return "ID"
    return _CLI_NAMES[param]


def _in_cli_words(error: BaseException, args: argparse.Namespace | None) -> str:
    """An error's message with the command line's names instead of the Python API's: a
    ``ValidationError`` names the option (``--limit must be...``, not ``page_size must
    be...``), and a missing API key says to set ``PINECONE_API_KEY`` (there is no option to
    pass one)."""
    message = str(error)
    if isinstance(error, pb.ValidationError) and error.param in _CLI_NAMES:
        param = error.param
        if message.startswith(f"{param} "):
            rest = message[len(param) :].replace(" or None", "", 1)
            message = _cli_name(param, args) + rest
    elif (
        isinstance(error, pb.ConfigurationError)
        and error.setting == "api_key"
        and "pass api_key" in message
    ):
        message = (
            message.split(":", 1)[0] + ": set the PINECONE_API_KEY environment variable "
            "(or try the bundled emulator and its sample data with --emulator)"
        )
    return message


def _report(error: BaseException, args: argparse.Namespace | None = None) -> None:
    """Prints an error as one printable line on stderr, in the command line's words."""
    message = " ".join(_in_cli_words(error, args).split())
    print(f"{PROG}: error: {printable(message)}", file=sys.stderr, flush=True)


_VALUE_OPTIONS = frozenset(
    ("--older-than", "--keep-last", "--limit", "--timeout", "--poll-interval", "--concurrency")
)
"""Options whose value may be written negative by mistake."""


def _attach_negative_values(argv: Sequence[str]) -> list[str]:
    """``--older-than -5d`` as ``--older-than=-5d``: argparse takes ``-5d`` for an option and
    says only "expected one argument"; attached, the value reaches its check, which says what
    is wrong with it."""
    result: list[str] = []
    for number, token in enumerate(argv):
        if token == "--":  # the rest are arguments, whatever they look like
            return [*result, *argv[number:]]
        previous = result[-1] if result else ""
        if previous in _VALUE_OPTIONS and token[:1] == "-" and token[1:2].isdigit():
            result[-1] = f"{previous}={token}"
        else:
            result.append(token)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command; returns the exit status (see the module's docstring)."""
    try:
        args = _parser().parse_args(_attach_negative_values(sys.argv[1:] if argv is None else argv))
        _check_usage(args)
        log_level = _log_level(args)
    except SystemExit as exit_:  # --help, --version, or a usage error already reported
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    except (_Refused, _BadSetting) as error:
        _report(error)
        return EXIT_USAGE
    try:
        with _logging_to_stderr(log_level), _open_client(args) as client:
            status: int = args.run(client, args)
            return status
    except (_Refused, pb.ValidationError) as error:
        _report(error, args)
        return EXIT_USAGE
    except (pb.BackupFailedError, pb.RestoreJobFailedError) as error:
        _report(error, args)
        return EXIT_FAILED
    except pb.WaitTimeoutError as error:
        _report(error, args)
        return EXIT_TIMEOUT
    except pb.PineconeError as error:
        _report(error, args)
        if args.emulator and isinstance(error, pb.NotFoundError) and args.command in _BY_ID:
            consequence = "it has only the sample data, nothing an earlier command created"
            _note(_EMULATOR_NOTE.format(consequence=consequence))
        return EXIT_ERROR
    except KeyboardInterrupt as interrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        _say_what_an_interrupted_prune_did(interrupt)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`... | head`): not an error of ours.
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
