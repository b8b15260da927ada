"""``pinecone-backups schedule create INDEX --name N --frequency F --expire-after-days D``."""

from __future__ import annotations

import pinecone_backups as pb
from pinecone_backups import _format
from pinecone_backups.cli._command import EXIT_OK, Command
from pinecone_backups.cli._output import fields, note, show_one
from pinecone_backups.cli.schedule import require_schedules

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse

    from pinecone_backups.cli._command import _Arguments, _UsageErrors

FREQUENCIES = ("daily", "weekly", "monthly")


def arguments(parser: _Arguments) -> None:
    parser.add_argument("index", metavar="INDEX", help="the index to back up")
    parser.add_argument("--name", metavar="N", required=True, help="the schedule's name")
    parser.add_argument(
        "--frequency",
        choices=FREQUENCIES,
        required=True,
        help="how often it backs the index up: daily, weekly or monthly",
    )
    parser.add_argument(
        "--expire-after-days",
        type=int,
        metavar="D",
        required=True,
        help="how long each backup it makes is kept, in days (at least 1)",
    )


def check(args: argparse.Namespace, parser: _UsageErrors) -> None:
    require_schedules(args, "create", "create_backup_schedule")


def run(client: pb.Client, args: argparse.Namespace) -> int:
    schedule = client.create_backup_schedule(
        args.index,
        name=args.name,
        frequency=args.frequency,
        expire_after_days=args.expire_after_days,
    )
    show_one(args.json, schedule, fields(pb.BackupSchedule))
    note(
        f"created backup schedule {schedule.schedule_id} of index '{args.index}': "
        f"{schedule.frequency}, each backup kept "
        f"{_format.plural(schedule.retention_expire_after_days, 'day', grouped=True)}; next run: "
        f"{_format.when(schedule.next_scheduled_run)}"
    )
    return EXIT_OK


COMMAND = Command(
    description="Create a backup schedule of an index: a backup every day, week or month, each "
    "kept --expire-after-days days. An index has at most one enabled schedule (a second is "
    "refused: 409 ALREADY_EXISTS).",
    examples=(
        "schedule create docs-example --name nightly --frequency daily --expire-after-days 7",
    ),
    arguments=arguments,
    run=run,
    check=check,
)
