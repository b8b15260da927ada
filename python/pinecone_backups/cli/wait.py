"""``pinecone-backups wait backup|job|index ID``: wait until a backup is ready, a restore job is
complete or an index is ready, then show it."""

from __future__ import annotations

import pinecone_backups as pb
from pinecone_backups.cli._command import EXIT_OK, WAIT_EXITS, Command
from pinecone_backups.cli._output import fields
from pinecone_backups.cli._waiting import INDEX_FIELDS, index_status, wait_and_show, wait_arguments

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse

    from pinecone_backups.cli._command import _Arguments


def arguments(parser: _Arguments) -> None:
    parser.add_argument(
        "kind",
        choices=("backup", "job", "index"),
        metavar="backup|job|index",
        help="what to wait for",
    )
    parser.add_argument(
        "id", metavar="ID", help="the backup's or restore job's id, or the index's name"
    )
    wait_arguments(parser, flag=None)


def run(client: pb.Client, args: argparse.Namespace) -> int:
    if args.kind == "backup":
        wait_and_show(args, client.wait_for_backup, "backup", args.id, fields(pb.Backup))
    elif args.kind == "job":
        wait_and_show(
            args, client.wait_for_restore_job, "restore job", args.id, fields(pb.RestoreJob)
        )
    else:
        wait_and_show(args, client.wait_for_index, "index", args.id, INDEX_FIELDS, index_status)
    return EXIT_OK


COMMAND = Command(
    description="Wait until a backup is Ready, a restore job is Completed or an index is ready "
    "(an index that fails or is being deleted ends the wait: exit status 3), then show it. "
    "Progress goes to stderr.",
    examples=("wait backup BACKUP_ID --timeout 3600", "wait job JOB_ID", "wait index my-index"),
    arguments=arguments,
    run=run,
    exits=WAIT_EXITS,
    # its id is ID, whatever it is the id (or an index's name) of
    cli_names={"backup_id": "ID", "job_id": "ID", "index_name": "ID"},
    by_id=True,
)
