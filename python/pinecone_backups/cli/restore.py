"""``pinecone-backups restore BACKUP_ID --name INDEX``: create an index from a backup (and,
with ``--wait``, wait until the restore job is complete and the new index is ready)."""

from __future__ import annotations

import pinecone_backups as pb
from pinecone_backups.cli._arguments import TagAction, json_object, tag
from pinecone_backups.cli._command import EXIT_OK, WAIT_EXITS, Command
from pinecone_backups.cli._output import EMULATOR_NOTE, PROG, fields, note, show_one
from pinecone_backups.cli._versions import require
from pinecone_backups.cli._waiting import check_wait_options, restore_and_show, wait_arguments

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse

    from pinecone_backups.cli._command import _Arguments, _UsageErrors


def arguments(parser: _Arguments) -> None:
    parser.add_argument("backup_id", metavar="BACKUP_ID", help="the backup to restore")
    parser.add_argument(
        "--name", metavar="INDEX", required=True, help="the name of the new index (must be free)"
    )
    parser.add_argument(
        "--tag",
        dest="tags",
        type=tag,
        action=TagAction,
        metavar="K=V",
        help="a tag of the new index (repeat for several)",
    )
    parser.add_argument(
        "--deletion-protection",
        choices=("enabled", "disabled"),
        help="the new index's deletion protection (default: the server's, disabled)",
    )
    parser.add_argument(
        "--read-capacity",
        type=json_object,
        metavar="JSON",
        help='the new index\'s read capacity, a JSON object: \'{"mode": "OnDemand"}\' or '
        '\'{"mode": "Dedicated", "dedicated": {...}}\' (API 2026-04 and later; default: the '
        "server's)",
    )
    wait_arguments(
        parser,
        flag="wait until the restore job is complete and the new index is ready (one --timeout "
        "for both), then show the job",
    )


def check(args: argparse.Namespace, parser: _UsageErrors) -> None:
    if args.read_capacity is not None:
        require(args, "--read-capacity", "create_index_from_backup", "read_capacity")
    check_wait_options(args, parser)


def run(client: pb.Client, args: argparse.Namespace) -> int:
    response = client.create_index_from_backup(
        args.backup_id,
        args.name,
        tags=args.tags,
        deletion_protection=args.deletion_protection,
        read_capacity=args.read_capacity,
    )
    job_id = response.restore_job_id
    about = f"restoring backup {args.backup_id} into new index '{args.name}': restore job {job_id}"
    if not args.wait:
        show_one(args.json, response, fields(pb.CreateIndexFromBackupResponse))
        if args.emulator:
            note(about)
            note(EMULATOR_NOTE.format(consequence="the next command will not find this job"))
        else:
            note(f"{about}; follow it: {PROG} wait job {job_id}")
        return EXIT_OK
    note(f"{about}; waiting until it is complete and the index is ready")
    try:
        restore_and_show(args, client, response, fields(pb.RestoreJob))
    except KeyboardInterrupt:
        raise _Interrupted(job_id, args.name) from None
    return EXIT_OK


class _Interrupted(KeyboardInterrupt):
    """Ctrl-C during ``restore --wait``, after the restore began."""

    def __init__(self, job_id: str, name: str) -> None:
        super().__init__(job_id, name)
        self.job_id = job_id
        self.name = name


def interrupted(interrupt: KeyboardInterrupt) -> None:
    """After Ctrl-C: whether the restore began (its job and index), so that it is not started
    twice."""
    if isinstance(interrupt, _Interrupted):
        note(
            f"{PROG}: the restore began (restore job {interrupt.job_id}, new index "
            f"'{interrupt.name}') and goes on; follow it: {PROG} wait job {interrupt.job_id}, "
            f"then {PROG} wait index {interrupt.name}"
        )
    else:
        note(f"{PROG}: the restore may have begun: see {PROG} jobs before restoring again")


COMMAND = Command(
    description="Create a new index from a backup; this starts a restore job. With --wait, wait "
    "until the job is complete and then until the new index is ready (progress on stderr), and "
    "show the job; a failed or timed-out wait shows the last state seen (the index's once its "
    "wait began) and names the restore job and the index.",
    examples=(
        "restore BACKUP_ID --name restored --tag env=dev --wait",
        'restore BACKUP_ID --name restored --read-capacity \'{"mode": "OnDemand"}\' '
        "--api-version 2026-04",
    ),
    arguments=arguments,
    run=run,
    check=check,
    exits=WAIT_EXITS,
    by_id=True,
    interrupted=interrupted,
)
