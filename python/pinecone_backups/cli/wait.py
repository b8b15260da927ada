"""``pinecone-backups wait backup|job ID``: wait until a backup is ready or a restore job is
complete, then show it."""

from __future__ import annotations

import pinecone_backups as pb
from pinecone_backups.cli._command import EXIT_OK, WAIT_EXITS, Command
from pinecone_backups.cli._output import fields
from pinecone_backups.cli._waiting import wait_and_show, wait_arguments

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse

    from pinecone_backups.cli._command import _Arguments


def arguments(parser: _Arguments) -> None:
    parser.add_argument(
        "kind", choices=("backup", "job"), metavar="backup|job", help="what to wait for"
    )
    parser.add_argument("id", metavar="ID", help="the backup's or restore job's id")
    wait_arguments(parser, flag=None)


def run(client: pb.Client, args: argparse.Namespace) -> int:
    if args.kind == "backup":
        wait_and_show(args, client.wait_for_backup, "backup", args.id, fields(pb.Backup))
    else:
        wait_and_show(
            args, client.wait_for_restore_job, "restore job", args.id, fields(pb.RestoreJob)
        )
    return EXIT_OK


COMMAND = Command(
    description="Wait until a backup is Ready or a restore job is Completed, then show it. "
    "Progress goes to stderr.",
    examples=("wait backup BACKUP_ID --timeout 3600", "wait job JOB_ID"),
    arguments=arguments,
    run=run,
    exits=WAIT_EXITS,
    cli_names={"backup_id": "ID", "job_id": "ID"},  # its id is ID, whatever it is the id of
    by_id=True,
)
