"""``pinecone-backups schedule update SCHEDULE_ID [--frequency F] [--expire-after-days D]
[--enable | --disable]``."""

from __future__ import annotations

import pinecone_backups as pb
from pinecone_backups.cli._command import EXIT_OK, Command
from pinecone_backups.cli._output import fields, note, show_one
from pinecone_backups.cli.schedule import require_schedules
from pinecone_backups.cli.schedule.create import FREQUENCIES

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse

    from pinecone_backups.cli._command import _Arguments, _UsageErrors


def arguments(parser: _Arguments) -> None:
    parser.add_argument("schedule_id", metavar="SCHEDULE_ID", help="the schedule's id")
    parser.add_argument(
        "--frequency", choices=FREQUENCIES, help="back up daily, weekly or monthly from now on"
    )
    parser.add_argument(
        "--expire-after-days",
        type=int,
        metavar="D",
        help="keep each backup it makes D days (at least 1)",
    )
    # Two flags, checked below (not an argparse group: the quick parse reads flags alone).
    parser.add_argument(
        "--enable",
        action="store_true",
        help="enable it (re-enabling a disabled schedule starts a backup at once; refused "
        "while another schedule of the index is enabled)",
    )
    parser.add_argument("--disable", action="store_true", help="disable it (no more backups)")


def check(args: argparse.Namespace, parser: _UsageErrors) -> None:
    require_schedules(args, "update", "update_backup_schedule")
    if args.enable and args.disable:
        parser.error("argument --disable: not allowed with argument --enable")
    if (
        args.frequency is None
        and args.expire_after_days is None
        and not (args.enable or args.disable)
    ):
        parser.error(
            "nothing to change: give --frequency, --expire-after-days, --enable or --disable"
        )


def run(client: pb.Client, args: argparse.Namespace) -> int:
    enabled = True if args.enable else False if args.disable else None
    schedule = client.update_backup_schedule(
        args.schedule_id,
        frequency=args.frequency,
        expire_after_days=args.expire_after_days,
        enabled=enabled,
    )
    show_one(args.json, schedule, fields(pb.BackupSchedule))
    note(f"updated backup schedule {schedule.schedule_id}")
    return EXIT_OK


COMMAND = Command(
    description="Change a backup schedule: its frequency, how long its backups are kept, or "
    "whether it is enabled (at least one). Re-enabling a disabled schedule starts a backup at "
    "once; an index has at most one enabled schedule (409 ALREADY_EXISTS).",
    examples=(
        "schedule update SCHEDULE_ID --frequency weekly --expire-after-days 30",
        "schedule update SCHEDULE_ID --disable",
    ),
    arguments=arguments,
    run=run,
    check=check,
    cli_names={"enabled": "--enable/--disable"},
    by_id=True,
)
