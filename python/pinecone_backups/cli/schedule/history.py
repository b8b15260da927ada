"""``pinecone-backups schedule history SCHEDULE_ID``: what a backup schedule ran."""

from __future__ import annotations

from pinecone_backups.cli._command import Command
from pinecone_backups.cli._output import RUN_COLUMNS
from pinecone_backups.cli._paging import check_limit, list_pages, paging_arguments
from pinecone_backups.cli.schedule import require_schedules

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse
    from typing import Any

    import pinecone_backups as pb
    from pinecone_backups.cli._command import _Arguments, _UsageErrors


def arguments(parser: _Arguments) -> None:
    parser.add_argument("schedule_id", metavar="SCHEDULE_ID", help="the schedule's id")
    paging_arguments(parser, "runs", uncapped=True)


def check(args: argparse.Namespace, parser: _UsageErrors) -> None:
    require_schedules(args, "history", "list_backup_schedule_history")
    check_limit(args, parser)


def run(client: pb.Client, args: argparse.Namespace) -> int:
    schedule_id: str = args.schedule_id

    def page(**options: Any) -> pb.BackupScheduleHistoryList:
        return client.list_backup_schedule_history(schedule_id, **options)

    def walk(**options: Any) -> pb.BackupScheduleHistoryIterator:
        return client.iter_backup_schedule_history(schedule_id, **options)

    where = f" of backup schedule {schedule_id}"
    return list_pages(args, page, walk, RUN_COLUMNS, "run", where)


COMMAND = Command(
    description="List what a backup schedule ran: the backups it made, and "
    "its next run, Scheduled; one page, or all with --all.",
    examples=("schedule history SCHEDULE_ID --all", "schedule history SCHEDULE_ID --json"),
    arguments=arguments,
    run=run,
    check=check,
    by_id=True,
)
