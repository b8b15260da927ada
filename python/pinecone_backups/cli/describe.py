"""``pinecone-backups describe BACKUP_ID``: one backup, a field per line."""

from __future__ import annotations

import pinecone_backups as pb
from pinecone_backups.cli._command import EXIT_OK, Command
from pinecone_backups.cli._output import fields, show_one

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse

    from pinecone_backups.cli._command import _Arguments


def arguments(parser: _Arguments) -> None:
    parser.add_argument("backup_id", metavar="BACKUP_ID", help="the backup's id")


def run(client: pb.Client, args: argparse.Namespace) -> int:
    show_one(args.json, client.describe_backup(args.backup_id), fields(pb.Backup))
    return EXIT_OK


COMMAND = Command(
    description="Show every field of a backup.",
    examples=("describe 670e8400-e29b-41d4-a716-446655440001",),
    arguments=arguments,
    run=run,
    by_id=True,
)
