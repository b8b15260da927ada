"""``pinecone-backups delete BACKUP_ID...``: shows the backups, then deletes them when confirmed
(``--yes``, or ``y`` on a terminal; without ``--yes`` it refuses when stdin is not a terminal)."""

from __future__ import annotations

import sys

import pinecone_backups as pb
from pinecone_backups import _format
from pinecone_backups.cli._command import EXIT_ERROR, EXIT_OK, Command, Refused
from pinecone_backups.cli._output import (
    EMULATOR_NOTE,
    PROJECT_BACKUP_COLUMNS,
    note,
    print_table,
    report,
    show_all,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse

    from pinecone_backups.cli._command import _Arguments, _UsageErrors
    from pinecone_backups.cli._output import _Columns


class Deleted:
    """What ``delete`` did with one backup id: ``result`` is "deleted" or "not found"."""

    __slots__ = ("backup_id", "result")

    def __init__(self, backup_id: str, result: str) -> None:
        self.backup_id = backup_id
        self.result = result

    def to_json(self) -> str:
        import json

        return json.dumps(
            {"backup_id": self.backup_id, "result": self.result}, separators=(",", ":")
        )


DELETED_COLUMNS: _Columns[Deleted] = (
    ("BACKUP ID", lambda d: d.backup_id),
    ("RESULT", lambda d: d.result),
)


def arguments(parser: _Arguments) -> None:
    parser.add_argument("backup_ids", metavar="BACKUP_ID", nargs="+", help="the backups' ids")
    parser.add_argument(
        "--missing-ok", action="store_true", help="skip backups that do not exist (no error)"
    )
    parser.add_argument("--yes", "-y", action="store_true", help="delete without asking")


def check(args: argparse.Namespace, parser: _UsageErrors) -> None:
    if not args.yes and not sys.stdin.isatty():
        raise Refused(
            "refusing to delete without confirmation: stdin is not a terminal "
            "(add --yes to delete anyway)"
        )


def run(client: pb.Client, args: argparse.Namespace) -> int:
    targets: dict[str, pb.Backup | None] = {}  # each id once, in order; None: not found
    for backup_id in args.backup_ids:
        if backup_id in targets:
            continue
        try:
            targets[backup_id] = client.describe_backup(backup_id)
        except pb.NotFoundError as error:
            if not args.missing_ok:
                report(error, args)
                note("nothing was deleted (--missing-ok skips backups that do not exist)")
                return EXIT_ERROR
            targets[backup_id] = None
    found = [backup for backup in targets.values() if backup is not None]
    missing = [backup_id for backup_id, backup in targets.items() if backup is None]
    if found:
        note(f"{_format.plural(len(found), 'backup')} to delete:")
        rows = ([cell(b) for _, cell in PROJECT_BACKUP_COLUMNS] for b in found)
        print_table(rows, [title for title, _ in PROJECT_BACKUP_COLUMNS], file=sys.stderr)
    if missing:
        note(f"not found, skipped (--missing-ok): {', '.join(missing)}")
    if found and not args.yes:
        sys.stderr.write(f"Delete {_format.plural(len(found), 'backup')}? [y/N] ")
        sys.stderr.flush()
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            raise Refused("not confirmed; nothing was deleted")

    results: list[Deleted] = []
    status = EXIT_OK
    for backup_id, backup in targets.items():
        if backup is None:
            results.append(Deleted(backup_id, "not found"))
            continue
        try:
            client.delete_backup(backup_id, missing_ok=args.missing_ok)
        except pb.PineconeError as error:  # report it and go on with the others, as rm does
            report(error, args)
            status = EXIT_ERROR
        else:
            results.append(Deleted(backup_id, "deleted"))
    show_all(args.json, results, DELETED_COLUMNS)
    if args.emulator and found:
        note(EMULATOR_NOTE.format(consequence="the next command will find them again"))
    return status


COMMAND = Command(
    description="Delete backups. Shows what it will delete first, then asks for confirmation on "
    "a terminal; without --yes it refuses when stdin is not a terminal.",
    examples=("delete BACKUP_ID BACKUP_ID", "delete BACKUP_ID --yes --missing-ok"),
    arguments=arguments,
    run=run,
    check=check,
    by_id=True,
)
