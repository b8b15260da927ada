"""The ``pinecone-backups`` command (also ``python -m pinecone_backups``).

    pinecone-backups list INDEX [--limit N] [--all] [--json] [--pagination-token T] [--emulator]

Lists an index's backups as a table (or JSON lines with ``--json``). The API key comes from
``PINECONE_API_KEY`` and the host from ``--host`` or ``PINECONE_CONTROLLER_HOST``; ``--emulator``
starts the bundled emulator with its sample data instead. Errors are one line on stderr and exit
with status 1.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack

import pinecone_backups as pb

_COLUMNS = ("BACKUP ID", "NAME", "STATUS", "RECORDS", "SIZE", "CREATED AT")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pinecone-backups",
        description="List the backups of a Pinecone index.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {pb.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    list_ = commands.add_parser(
        "list",
        help="list the backups of an index",
        description="List the backups of an index, newest first: one page, or all with --all.",
    )
    list_.add_argument("index", metavar="INDEX", help="the index name")
    list_.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="backups per page, 1..100 (default: the server's, 10; with --all: 100)",
    )
    list_.add_argument("--all", action="store_true", help="list every page")
    list_.add_argument("--json", action="store_true", help="print JSON lines, one per backup")
    list_.add_argument(
        "--pagination-token", metavar="TOKEN", help="start from this page (from a previous run)"
    )
    list_.add_argument(
        "--host", help="API host (default: $PINECONE_CONTROLLER_HOST or https://api.pinecone.io)"
    )
    list_.add_argument(
        "--emulator",
        action="store_true",
        help="list from the bundled emulator and its sample data instead of the real API",
    )
    return parser


def _human_size(size: int | None) -> str:
    if size is None:
        return "-"
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def _row(backup: pb.Backup) -> tuple[str, ...]:
    created = backup.created_at
    return (
        backup.backup_id,
        backup.name or "-",
        backup.status,
        "-" if backup.record_count is None else f"{backup.record_count:,}",
        _human_size(backup.size_bytes),
        created.strftime("%Y-%m-%d %H:%M:%S %Z") if created else "-",
    )


def _print_table(backups: Iterable[pb.Backup]) -> int:
    rows = [_row(b) for b in backups]
    widths = [max(len(cell) for cell in column) for column in zip(_COLUMNS, *rows, strict=True)]
    for row in (_COLUMNS, *rows):
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return len(rows)


def _print_json(backups: Iterable[pb.Backup]) -> int:
    count = 0
    for backup in backups:
        print(backup.to_json(), flush=False)
        count += 1
    return count


def _list(args: argparse.Namespace) -> None:
    with ExitStack() as stack:
        if args.emulator:
            from pinecone_backups.testing import Emulator

            key = secrets.token_urlsafe(24)
            emulator = stack.enter_context(Emulator(api_key=key))
            client = pb.Client(api_key=key, host=emulator.url)
        else:
            client = pb.Client(host=args.host)
        stack.enter_context(client)

        next_token: str | None
        backups: Iterator[pb.Backup]
        if args.all:
            walk = client.iter_index_backups(
                args.index, page_size=args.limit or 100, pagination_token=args.pagination_token
            )
            backups, next_token = walk, None
        else:
            page = client.list_index_backups(
                args.index, limit=args.limit, pagination_token=args.pagination_token
            )
            backups, next_token = iter(page), page.next_token

        count = (_print_json if args.json else _print_table)(backups)
        sys.stdout.flush()
        if not args.json:
            noun = "backup" if count == 1 else "backups"
            print(f"{count} {noun} of index {args.index!r}", file=sys.stderr)
        if next_token:
            print(
                f"more: add --pagination-token {next_token} (or --all to list every page)",
                file=sys.stderr,
            )


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command; returns the exit status (0, 1 on error, 130 on Ctrl-C)."""
    args = _parser().parse_args(argv)
    try:
        _list(args)
    except pb.PineconeError as error:
        message = " ".join(str(error).split())
        print(f"pinecone-backups: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("pinecone-backups: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`... | head`): not an error of ours.
        sys.stderr.close()
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
