"""``pinecone-backups schedule describe SCHEDULE_ID``: one backup schedule, a field per line."""

from __future__ import annotations

import pinecone_backups as pb
from pinecone_backups.cli._command import EXIT_OK, Command
from pinecone_backups.cli._output import fields, show_one
from pinecone_backups.cli.schedule import require_schedules

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse

    from pinecone_backups.cli._command import _Arguments, _UsageErrors


def arguments(parser: _Arguments) -> None:
    parser.add_argument("schedule_id", metavar="SCHEDULE_ID", help="the schedule's id")


def check(args: argparse.Namespace, parser: _UsageErrors) -> None:
    require_schedules(args, "describe", "describe_backup_schedule")


def run(client: pb.Client, args: argparse.Namespace) -> int:
    schedule = client.describe_backup_schedule(args.schedule_id)
    show_one(args.json, schedule, fields(pb.BackupSchedule))
    return EXIT_OK


COMMAND = Command(
    description="Show every field of a backup schedule.",
    examples=("schedule describe SCHEDULE_ID --json",),
    arguments=arguments,
    run=run,
    check=check,
    by_id=True,
)
