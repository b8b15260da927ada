"""``pinecone-backups schedule delete SCHEDULE_ID``: shows the schedule, then deletes it when
confirmed, as ``delete`` does (``--yes``, or ``y`` on a terminal; without ``--yes`` it refuses
when stdin is not a terminal)."""

from __future__ import annotations

import sys

import pinecone_backups as pb
from pinecone_backups.cli._command import EXIT_ERROR, EXIT_OK, Command, Refused
from pinecone_backups.cli._output import (
    SCHEDULE_COLUMNS,
    note,
    print_table,
    report,
    show_all,
)
from pinecone_backups.cli.schedule import require_schedules

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse

    from pinecone_backups.cli._command import _Arguments, _UsageErrors
    from pinecone_backups.cli._output import _Columns


class Deleted:
    """What ``schedule delete`` did: ``result`` is "deleted" or "not found"."""

    __slots__ = ("result", "schedule_id")

    def __init__(self, schedule_id: str, result: str) -> None:
        self.schedule_id = schedule_id
        self.result = result

    def to_json(self) -> str:
        import json

        return json.dumps(
            {"schedule_id": self.schedule_id, "result": self.result}, separators=(",", ":")
        )


DELETED_COLUMNS: _Columns[Deleted] = (
    ("SCHEDULE ID", lambda d: d.schedule_id),
    ("RESULT", lambda d: d.result),
)


def arguments(parser: _Arguments) -> None:
    parser.add_argument("schedule_id", metavar="SCHEDULE_ID", help="the schedule's id")
    parser.add_argument(
        "--missing-ok", action="store_true", help="a schedule that does not exist is no error"
    )
    parser.add_argument("--yes", "-y", action="store_true", help="delete without asking")


def check(args: argparse.Namespace, parser: _UsageErrors) -> None:
    require_schedules(args, "delete", "delete_backup_schedule")
    if not args.yes and not sys.stdin.isatty():
        raise Refused(
            "refusing to delete without confirmation: stdin is not a terminal "
            "(add --yes to delete anyway)"
        )


def run(client: pb.Client, args: argparse.Namespace) -> int:
    schedule_id: str = args.schedule_id
    try:
        schedule = client.describe_backup_schedule(schedule_id)
    except pb.NotFoundError as error:
        if not args.missing_ok:
            report(error, args)
            note("nothing was deleted (--missing-ok: a schedule that does not exist is no error)")
            return EXIT_ERROR
        note(f"not found, skipped (--missing-ok): {schedule_id}")
        show_all(args.json, [Deleted(schedule_id, "not found")], DELETED_COLUMNS)
        return EXIT_OK
    note("backup schedule to delete:")
    rows = [[cell(schedule) for _, cell in SCHEDULE_COLUMNS]]
    print_table(rows, [title for title, _ in SCHEDULE_COLUMNS], file=sys.stderr)
    if not args.yes:
        sys.stderr.write("Delete 1 backup schedule? [y/N] ")
        sys.stderr.flush()
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            raise Refused("not confirmed; nothing was deleted")
    client.delete_backup_schedule(schedule_id, missing_ok=args.missing_ok)
    show_all(args.json, [Deleted(schedule_id, "deleted")], DELETED_COLUMNS)
    return EXIT_OK


COMMAND = Command(
    description="Delete a backup schedule. Shows it first, then asks for confirmation on a "
    "terminal; without --yes it refuses when stdin is not a terminal.",
    examples=("schedule delete SCHEDULE_ID", "schedule delete SCHEDULE_ID --yes --missing-ok"),
    arguments=arguments,
    run=run,
    check=check,
    by_id=True,
)
