"""What the commands write: tables and detail views for people, JSON lines for programs, notes
and errors on stderr, in the command line's words.

Everything written for people goes through ``printable`` (control characters from the server
escaped); JSON lines through ``json_printable`` (decoding to exactly what the server sent).
"""

from __future__ import annotations

import sys

from pinecone_backups import _format
from pinecone_backups._format import human_size, json_printable, printable

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterable, Sequence
    from typing import Protocol, TextIO, TypeVar

    import pinecone_backups as pb

    class _Json(Protocol):
        def to_json(self) -> str: ...

    _J = TypeVar("_J", bound=_Json)

    _Columns = Sequence[tuple[str, Callable[[_J], str]]]
    """How to show a model: (title, cell) pairs, for a table's columns or a detail view's
    rows."""

PROG = "pinecone-backups"
LASTING_EMULATOR = "python -m pinecone_backups.testing"
EMULATOR_NOTE = (
    "note: --emulator starts a fresh emulator with the sample data for each command and stops "
    "it after: {consequence}; for an emulator that lasts, run "
    f"`{LASTING_EMULATOR}` in another shell, paste the two export lines it prints, and leave "
    "out --emulator"
)
"""What the hints say under ``--emulator``, instead of a command that would not find the object."""


# --- How the models show --------------------------------------------------------------------

BACKUP_COLUMNS: _Columns[pb.Backup] = (
    ("BACKUP ID", lambda b: b.backup_id),
    ("NAME", lambda b: _format.text(b.name)),
    ("STATUS", lambda b: b.status),
    ("RECORDS", lambda b: _format.count(b.record_count)),
    ("SIZE", lambda b: human_size(b.size_bytes)),
    ("CREATED AT", lambda b: _format.when(b.created_at)),
)
"""The backups of an index."""
PROJECT_BACKUP_COLUMNS: _Columns[pb.Backup] = (
    *BACKUP_COLUMNS[:2],
    ("INDEX", lambda b: b.source_index_name),
    *BACKUP_COLUMNS[2:],
)
"""Backups of any index."""
DELETED_INDEX_BACKUP_COLUMNS: _Columns[pb.Backup] = (
    *BACKUP_COLUMNS,
    ("INDEX DELETED AT", lambda b: _format.when(b.source_index_deleted_at)),
)
"""The backups of an index and of the deleted indexes that had its name (``--include-deleted``)."""
SCHEDULE_COLUMNS: _Columns[pb.BackupSchedule] = (
    ("SCHEDULE ID", lambda s: s.schedule_id),
    ("NAME", lambda s: s.name),
    ("FREQUENCY", lambda s: s.frequency),
    ("KEEP", lambda s: _format.plural(s.retention_expire_after_days, "day", grouped=True)),
    ("ENABLED", lambda s: "yes" if s.enabled else "no"),
    ("NEXT RUN", lambda s: _format.when(s.next_scheduled_run)),
    ("CREATED AT", lambda s: _format.when(s.created_at)),
)
"""The backup schedules of an index."""
RUN_COLUMNS: _Columns[pb.BackupScheduleHistoryItem] = (
    ("BACKUP ID", lambda r: r.backup_id),
    ("NAME", lambda r: _format.text(r.name)),
    ("STATUS", lambda r: r.status),
    ("SCHEDULED FOR", lambda r: _format.when(r.scheduled_execution_at)),
    ("RECORDS", lambda r: _format.count(r.record_count)),
    ("SIZE", lambda r: human_size(r.size_bytes)),
    ("CREATED AT", lambda r: _format.when(r.created_at)),
)
"""What a backup schedule ran (its history): the backups it made, and the next one,
``Scheduled``."""


def fields(model: type[_J]) -> _Columns[_J]:
    """One line per field of a model, in the order the model declares them: a field added to
    the model shows up here without a change."""
    return tuple(
        (name, lambda obj, name=name: _format.field_text(name, getattr(obj, name)))
        for name in _format.field_names(model)
    )


# --- Tables for people, JSON lines for programs ---------------------------------------------


def print_table(
    rows: Iterable[Sequence[str]], header: Sequence[str] | None = None, file: TextIO | None = None
) -> int:
    """Prints aligned columns (after a header, if any); returns the number of rows. Every cell
    is made printable (control characters escaped): text from the server cannot drive the
    terminal."""
    body = [list(map(printable, row)) for row in rows]
    lines = [list(header), *body] if header else body
    if lines:
        widths = [max(map(len, column)) for column in zip(*lines, strict=True)]
        last = len(widths) - 1
        for line in lines:  # padded in place: a table may have thousands of rows
            for column in range(last):
                line[column] = line[column].ljust(widths[column])
        text = "\n".join("  ".join(line).rstrip() for line in lines)
        (file or sys.stdout).write(text + "\n")
    return len(body)


def print_json_lines(objects: Iterable[_Json]) -> int:
    """Prints one JSON object a line (decoding to exactly what the object holds; see
    ``json_printable``); returns how many."""
    number = 0
    for obj in objects:
        print(json_printable(obj.to_json()))
        number += 1
    return number


def show_all(as_json: bool, objects: Iterable[_J], columns: _Columns[_J]) -> int:
    """Shows a list: a table, or JSON lines. Returns how many objects there were."""
    if as_json:
        return print_json_lines(objects)
    rows = ([cell(obj) for _, cell in columns] for obj in objects)
    return print_table(rows, [title for title, _ in columns])


def show_one(as_json: bool, obj: _J, fields: _Columns[_J]) -> None:
    """Shows one object: a field per line, or one JSON line."""
    if as_json:
        print_json_lines([obj])
    else:
        print_table([(name, cell(obj)) for name, cell in fields])
    sys.stdout.flush()


def note(message: str) -> None:
    """A line of progress or diagnostics on stderr, made printable (it may quote the server)."""
    print(printable(message), file=sys.stderr, flush=True)


# --- Errors ---------------------------------------------------------------------------------

CLI_NAMES = {
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
    "include_deleted": "--include-deleted",
    "read_capacity": "--read-capacity",
    "schedule_id": "SCHEDULE_ID",
    "frequency": "--frequency",
    "expire_after_days": "--expire-after-days",
}
"""The command line's name for each parameter of the Python API that its messages may name (a
command may name some otherwise: its ``cli_names``)."""


def in_cli_words(error: BaseException, args: argparse.Namespace | None) -> str:
    """An error's message with the command line's names instead of the Python API's: a
    ``ValidationError`` names the option (``--limit must be...``, not ``page_size must
    be...``), and a missing API key says to set ``PINECONE_API_KEY`` (there is no option to
    pass one)."""
    import pinecone_backups as pb

    message = str(error)
    if isinstance(error, pb.ValidationError) and error.param in CLI_NAMES:
        param = error.param
        if message.startswith(f"{param} "):
            rest = message[len(param) :].replace(" or None", "", 1)
            spec = getattr(args, "command_spec", None)
            names = CLI_NAMES if spec is None else {**CLI_NAMES, **spec.cli_names}
            message = names[param] + rest
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


def report(error: BaseException, args: argparse.Namespace | None = None) -> None:
    """Prints an error as one printable line on stderr, in the command line's words."""
    message = " ".join(in_cli_words(error, args).split())
    print(f"{PROG}: error: {printable(message)}", file=sys.stderr, flush=True)
