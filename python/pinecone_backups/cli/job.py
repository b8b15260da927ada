"""``pinecone-backups job JOB_ID``: one restore job, a field per line."""

from __future__ import annotations

import pinecone_backups as pb
from pinecone_backups.cli._command import EXIT_OK, Command
from pinecone_backups.cli._output import fields, show_one

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse

    from pinecone_backups.cli._command import _Arguments


def arguments(parser: _Arguments) -> None:
    parser.add_argument("job_id", metavar="JOB_ID", help="the restore job's id")


def run(client: pb.Client, args: argparse.Namespace) -> int:
    show_one(args.json, client.describe_restore_job(args.job_id), fields(pb.RestoreJob))
    return EXIT_OK


COMMAND = Command(
    description="Show every field of a restore job.",
    examples=("job JOB_ID --json",),
    arguments=arguments,
    run=run,
    by_id=True,
)
