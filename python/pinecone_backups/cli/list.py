"""``pinecone-backups list [INDEX]``: the backups of an index, or of the project."""

from __future__ import annotations

from pinecone_backups.cli._command import Command
from pinecone_backups.cli._output import BACKUP_COLUMNS, PROJECT_BACKUP_COLUMNS
from pinecone_backups.cli._paging import list_pages, paging_arguments

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse
    from typing import Any

    import pinecone_backups as pb
    from pinecone_backups.cli._command import _Arguments


def arguments(parser: _Arguments) -> None:
    parser.add_argument(
        "index", metavar="INDEX", nargs="?", help="the index name (none: every index's backups)"
    )
    paging_arguments(parser, "backups")


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

    def page(**options: Any) -> pb.BackupList:
        return client.list_index_backups(index, **options)

    def walk(**options: Any) -> pb.BackupIterator:
        return client.iter_index_backups(index, **options)

    # (functools.partial would import functools, its collections and itertools: 2 ms of start)
    return list_pages(args, page, walk, BACKUP_COLUMNS, "backup", f" of index {index!r}")


COMMAND = Command(
    description="List the backups of an index (or, without INDEX, of every index in the "
    "project), newest first: one page, or all with --all.",
    examples=("list docs-example --emulator", "list --all --json | jq -r .backup_id"),
    arguments=arguments,
    run=run,
)
