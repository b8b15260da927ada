"""``pinecone-backups list [INDEX]``: the backups of an index, or of the project."""

from __future__ import annotations

from pinecone_backups.cli._command import Command
from pinecone_backups.cli._output import (
    BACKUP_COLUMNS,
    DELETED_INDEX_BACKUP_COLUMNS,
    PROJECT_BACKUP_COLUMNS,
)
from pinecone_backups.cli._paging import check_limit, list_pages, paging_arguments

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse
    from typing import Any

    import pinecone_backups as pb
    from pinecone_backups.cli._command import _Arguments, _UsageErrors


def arguments(parser: _Arguments) -> None:
    parser.add_argument(
        "index", metavar="INDEX", nargs="?", help="the index name (none: every index's backups)"
    )
    paging_arguments(parser, "backups")
    parser.add_argument(
        "--include-deleted",
        action="store_true",
        help="also the backups of deleted indexes that had the name INDEX, with the time each "
        "was deleted (API 2026-04 and later)",
    )


def check(args: argparse.Namespace, parser: _UsageErrors) -> None:
    if args.include_deleted:
        if args.index is None:
            parser.error("--include-deleted needs INDEX (the indexes that had that name)")
        from pinecone_backups.cli._versions import require

        require(args, "--include-deleted", "list_index_backups", "include_deleted")
    check_limit(args, parser)


def run(client: pb.Client, args: argparse.Namespace) -> int:
    if args.index is None:
        return list_pages(
            args,
            client.list_project_backups,
            client.iter_project_backups,
            PROJECT_BACKUP_COLUMNS,
            "backup",
            " in the project",
        )
    index: str = args.index
    include_deleted = True if args.include_deleted else None  # not sent unless given

    def page(**options: Any) -> pb.BackupList:
        return client.list_index_backups(index, include_deleted=include_deleted, **options)

    def walk(**options: Any) -> pb.BackupIterator:
        return client.iter_index_backups(index, include_deleted=include_deleted, **options)

    # (functools.partial would import functools, its collections and itertools: 2 ms of start)
    columns = DELETED_INDEX_BACKUP_COLUMNS if args.include_deleted else BACKUP_COLUMNS
    where = f" of index '{index}'"
    if args.include_deleted:
        where += " and of the deleted indexes of that name"
    return list_pages(args, page, walk, columns, "backup", where)


COMMAND = Command(
    description="List the backups of an index (or, without INDEX, of every index in the "
    "project), newest first: one page, or all with --all. With --include-deleted (API 2026-04 "
    "and later), also the backups of deleted indexes that had the name.",
    examples=(
        "list docs-example --emulator",
        "list --all --json | jq -r .backup_id",
        "list docs-example --include-deleted --api-version 2026-04",
    ),
    arguments=arguments,
    run=run,
    check=check,
)
