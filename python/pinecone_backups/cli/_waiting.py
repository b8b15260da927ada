"""The waiting commands' shared part (``create --wait``, ``restore --wait``, ``wait``): the
``--timeout`` and ``--poll-interval`` options, the progress line on stderr, and the final state
on stdout. An index's progress reads its ``state`` where a backup's or job's reads its
``status``."""

from __future__ import annotations

import math
import sys
import threading
import time
from typing import Generic, TypeVar

import pinecone_backups as pb
from pinecone_backups import _format
from pinecone_backups._format import printable
from pinecone_backups.cli._command import number_type
from pinecone_backups.cli._output import show_one

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import Protocol, TextIO

    from pinecone_backups.cli._command import _Arguments, _UsageErrors
    from pinecone_backups.cli._output import _Columns

    class _Polled(Protocol):
        """What a wait polls: a ``Backup``, a ``RestoreJob`` or an ``Index``."""

        def to_json(self) -> str: ...


P = TypeVar("P", bound="_Polled")


def _status_of(obj: _Polled) -> str:
    """What a backup's or a restore job's progress line says: its status."""
    status: str = obj.status  # type: ignore[attr-defined]
    return status


def index_status(index: pb.Index) -> str:
    """What an index's progress line says: its state (``Initializing``, ``Ready``...), or
    whether it is ready when it has none."""
    if index.state is not None:
        return index.state
    return "ready" if index.ready else "not ready"


def _index_field(name: str) -> tuple[str, Callable[[pb.Index], str]]:
    return name, lambda index: _format.field_text(name, getattr(index, name))


INDEX_FIELDS: _Columns[pb.Index] = tuple(
    _index_field(name)
    for name in (
        "name",
        "state",
        "ready",
        "host",
        "cloud",
        "region",
        "dimension",
        "metric",
        "deletion_protection",
        "tags",
    )
)
"""An index as ``wait index`` and ``restore --wait`` show it: the values every API version has
(``--json`` shows the whole object)."""


@number_type
def seconds(text: str) -> float:
    """A ``--timeout`` or ``--poll-interval``: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (value > 0 and math.isfinite(value)):
        import argparse

        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def wait_arguments(parser: _Arguments, *, flag: str | None) -> None:
    """``--timeout`` and ``--poll-interval``, and the ``--wait`` option (its help: ``flag``) of
    a command that waits only when asked."""
    if flag:
        parser.add_argument("--wait", action="store_true", help=flag)
    when = "with --wait: " if flag else ""
    parser.add_argument(
        "--timeout",
        type=seconds,
        metavar="S",
        help=f"{when}give up after S seconds, exit status 4 (default: wait as long as it takes)",
    )
    parser.add_argument(
        "--poll-interval",
        type=seconds,
        metavar="S",
        help=f"{when}poll every S seconds (default: adaptive, from 1 s growing to 15 s)",
    )


def check_wait_options(args: argparse.Namespace, parser: _UsageErrors) -> None:
    """``--timeout`` and ``--poll-interval`` mean something only with ``--wait``."""
    if not args.wait:
        for option in ("timeout", "poll_interval"):
            if getattr(args, option) is not None:
                parser.error(f"--{option.replace('_', '-')} needs --wait")


class Progress(Generic[P]):
    """The ``on_progress`` of a wait: on a terminal, one status line rewritten in place (and
    ticking every second); elsewhere, one line per status change. ``last`` is the last object
    seen."""

    def __init__(
        self,
        what: str,
        stream: TextIO,
        *,
        live: bool,
        tick: float = 1.0,
        status: Callable[[P], str] | None = None,
    ) -> None:
        self.last: P | None = None
        self._what = what
        self._status: Callable[[P], str] = status or _status_of
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
            changed = self.last is None or self._status(self.last) != self._status(obj)
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
        parts = [f"{self._what}: {self._status(self.last)}"]
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


WAIT_ENDED = (
    pb.BackupFailedError,
    pb.RestoreJobFailedError,
    pb.IndexFailedError,
    pb.WaitTimeoutError,
)
"""The errors that end a wait with a last state to show (exit status 3 or 4)."""


def wait_and_show(
    args: argparse.Namespace,
    wait: Callable[..., P],
    what: str,
    ident: str,
    fields: _Columns[P],
    status: Callable[[P], str] | None = None,
) -> None:
    """Waits with progress on stderr (``status`` reads what each line says), then shows the
    final state, even a failed one (the exception is raised again for the exit status)."""
    live = sys.stderr.isatty()
    progress: Progress[P] = Progress(f"{what} {ident}", sys.stderr, live=live, status=status)
    try:
        final = wait(
            ident, timeout=args.timeout, poll_interval=args.poll_interval, on_progress=progress
        )
    except WAIT_ENDED:
        progress.close()
        if progress.last is not None:
            show_one(args.json, progress.last, fields)
        raise
    finally:
        progress.close()
    show_one(args.json, final, fields)


def restore_and_show(
    args: argparse.Namespace,
    client: pb.Client,
    response: pb.CreateIndexFromBackupResponse,
    job_fields: _Columns[pb.RestoreJob],
) -> None:
    """``restore --wait``: waits for the restore job to complete, then for the new index
    (``args.name``) to be ready, both within one ``--timeout``, each with its progress lines;
    then shows the completed job. A failed or timed-out wait shows the last state seen (the
    index's once its wait began) and raises the library's error, whose message names the
    restore job and the index (the restore began: it is not to be started again)."""
    from pinecone_backups import _wait

    live = sys.stderr.isatty()
    job: Progress[pb.RestoreJob] = Progress(
        f"restore job {response.restore_job_id}", sys.stderr, live=live
    )
    index: Progress[pb.Index] = Progress(
        f"index {args.name}", sys.stderr, live=live, status=index_status
    )

    def on_progress(polled: pb.RestoreJob | pb.Index) -> None:
        if isinstance(polled, pb.Index):
            if index.last is None:
                job.close()  # its line is done: the index's follows
            index(polled)
        else:
            job(polled)

    try:
        _wait.restored_sync(
            client, args.name, response, args.timeout, args.poll_interval, on_progress
        )
    except WAIT_ENDED:
        job.close()
        index.close()
        if index.last is not None:
            show_one(args.json, index.last, INDEX_FIELDS)
        elif job.last is not None:
            show_one(args.json, job.last, job_fields)
        raise
    finally:
        job.close()
        index.close()
    assert job.last is not None  # the job was polled until it completed
    show_one(args.json, job.last, job_fields)
