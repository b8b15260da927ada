"""``pinecone-backups schedule list INDEX``: the backup schedules of an index."""

from __future__ import annotations

from pinecone_backups.cli._command import Command
from pinecone_backups.cli._output import SCHEDULE_COLUMNS
from pinecone_backups.cli._paging import check_limit, list_pages, paging_arguments
from pinecone_backups.cli.schedule import require_schedules

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse
    from typing import Any

    import pinecone_backups as pb
    from pinecone_backups.cli._command import _Arguments, _UsageErrors


def arguments(parser: _Arguments) -> None:
    parser.add_argument("index", metavar="INDEX", help="the index name")
    paging_arguments(parser, "schedules", uncapped=True)


def check(args: argparse.Namespace, parser: _UsageErrors) -> None:
    require_schedules(args, "list", "list_backup_schedules")
    check_limit(args, parser)


def run(client: pb.Client, args: argparse.Namespace) -> int:
    index: str = args.index

    def page(**options: Any) -> pb.BackupScheduleList:
        return client.list_backup_schedules(index, **options)

    def walk(**options: Any) -> pb.BackupScheduleIterator:
        return client.iter_backup_schedules(index, **options)

    where = f" of index '{index}'"
    return list_pages(args, page, walk, SCHEDULE_COLUMNS, "backup schedule", where)


COMMAND = Command(
    description="List the backup schedules of an index: one page, or all with --all.",
    examples=("schedule list docs-example", "schedule list docs-example --all --json"),
    arguments=arguments,
    run=run,
    check=check,
)
