"""``pinecone-backups create INDEX``: back up an index (and, with ``--wait``, wait until the
backup is ready)."""

from __future__ import annotations

import pinecone_backups as pb
from pinecone_backups.cli._command import EXIT_OK, WAIT_EXITS, Command
from pinecone_backups.cli._output import EMULATOR_NOTE, PROG, fields, note, show_one
from pinecone_backups.cli._waiting import check_wait_options, wait_and_show, wait_arguments

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse

    from pinecone_backups.cli._command import _Arguments


def arguments(parser: _Arguments) -> None:
    parser.add_argument("index", metavar="INDEX", help="the index to back up")
    parser.add_argument("--name", metavar="N", help="the backup's name")
    parser.add_argument("--description", metavar="D", help="the backup's description")
    wait_arguments(parser, flag="wait until the backup is ready and show it then")


def run(client: pb.Client, args: argparse.Namespace) -> int:
    backup = client.create_backup(args.index, name=args.name, description=args.description)
    about = f"backup {backup.backup_id} of index '{args.index}'"
    if not args.wait:
        show_one(args.json, backup, fields(pb.Backup))
        if args.emulator:
            note(f"created {about}")
            note(EMULATOR_NOTE.format(consequence="the next command will not find this backup"))
        else:
            note(f"created {about}; wait for it: {PROG} wait backup {backup.backup_id}")
        return EXIT_OK
    note(f"created {about}; waiting until it is ready")
    wait_and_show(args, client.wait_for_backup, "backup", backup.backup_id, fields(pb.Backup))
    return EXIT_OK


COMMAND = Command(
    description="Create a backup of an index; with --wait, wait until it is ready.",
    examples=("create my-index --name nightly --wait",),
    arguments=arguments,
    run=run,
    check=check_wait_options,
    exits=WAIT_EXITS,
)
