"""``pinecone-backups inventory``: every backup of the project, summed per index or per status
(``pb.summarize``), as a table, CSV or JSON lines."""

from __future__ import annotations

import sys

from pinecone_backups import _format
from pinecone_backups._format import human_size, json_printable
from pinecone_backups.cli._command import EXIT_OK, Command
from pinecone_backups.cli._output import note, print_table

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import Any

    import pinecone_backups as pb
    from pinecone_backups.cli._command import _Arguments, _UsageErrors

TABLE: dict[str, Callable[[Any], str]] = {
    "size_bytes": human_size,
    "record_count": _format.count,
    "newest_ready": _format.when,
    "oldest_ready": _format.when,
    "newest": _format.when,
    "oldest": _format.when,
}
"""How the table shows a value (the others: as counts)."""
TITLES = {"size_bytes": "SIZE", "record_count": "RECORDS"}


def _iso(value: object) -> object:
    """An inventory value for CSV and JSON: times as RFC 3339 UTC text, the rest as is."""
    from datetime import datetime, timezone

    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return value


def arguments(parser: _Arguments) -> None:
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        help="table (sizes in human units, control characters escaped; the default), csv (RFC "
        "4180, with a header; data exactly as the server sent it, quoted where needed) or json "
        "(one object a line); csv and json give sizes in bytes and times in RFC 3339",
    )
    parser.add_argument(
        "--by",
        choices=("index", "status"),
        default="index",
        help="one row per index (the default) or per status",
    )


def check(args: argparse.Namespace, parser: _UsageErrors) -> None:
    if args.json and args.format not in (None, "json"):
        parser.error(f"--json conflicts with --format {args.format}")


def run(client: pb.Client, args: argparse.Namespace) -> int:
    import json

    from pinecone_backups import _inventory

    rows = _inventory.summarize(client.iter_project_backups(page_size=100), by=args.by)
    keys = _inventory.BY_INDEX_KEYS if args.by == "index" else _inventory.BY_STATUS_KEYS
    output = "json" if args.json else args.format or "table"
    if output == "json":
        for row in rows:
            line = json.dumps({key: _iso(row[key]) for key in keys}, separators=(",", ":"))
            print(json_printable(line))
    elif output == "csv":
        import csv

        # RFC 4180: CRLF line ends, quotes where needed. CSV is data: fields are written exactly
        # as the server sent them, control characters included (quoted), not escaped.
        writer = csv.writer(sys.stdout)
        writer.writerow(keys)
        for row in rows:
            writer.writerow(["" if row[key] is None else _iso(row[key]) for key in keys])
    else:
        header = [TITLES.get(key, key.replace("_", " ").upper()) for key in keys]
        print_table(
            (
                [row[keys[0]], *(TABLE.get(key, _format.count)(row[key]) for key in keys[1:])]
                for row in rows
            ),
            header,
        )
    sys.stdout.flush()
    total = _inventory.totals(rows)
    noun = "index" if args.by == "index" else "status"
    groups = f"{len(rows)} {noun}" if len(rows) == 1 else f"{len(rows)} {noun}es"
    note(
        f"{_format.plural(total['backups'], 'backup')} in {groups}, "
        f"{human_size(total['size_bytes'])} ({total['size_bytes']:,} bytes), "
        f"{total['record_count']:,} records"
    )
    return EXIT_OK


COMMAND = Command(
    description="Walk every backup of the project and summarise them per index (count, Ready, "
    "failed and other counts, total size and records, newest and oldest Ready backup) or, with "
    "--by status, per status. --json is --format json.",
    examples=("inventory --emulator", "inventory --by status --format csv > backups.csv"),
    arguments=arguments,
    run=run,
    check=check,
)
