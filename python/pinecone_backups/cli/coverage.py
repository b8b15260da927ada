"""``pinecone-backups coverage``: every index of the project with its newest ``Ready`` backup and
a verdict (``ok``, ``stale``, ``unprotected``), and the backups of indexes that no longer exist
(``orphaned``), as a table, CSV or JSON lines (``Client.coverage``); exit status 6 when an index
is not ``ok``, so that it can drive an alert."""

from __future__ import annotations

import sys

from pinecone_backups import _format
from pinecone_backups._format import human_size, json_printable
from pinecone_backups.cli._command import EXIT_NOT_COVERED, EXIT_OK, Command, number_type
from pinecone_backups.cli._output import note, print_table

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from datetime import timedelta
    from typing import Any

    import pinecone_backups as pb
    from pinecone_backups.cli._command import _Arguments, _UsageErrors

DEFAULT_MAX_AGE = "26h"


@number_type
def _max_age(text: str) -> timedelta:
    """``--max-age``: a duration more than 0 (``26h``, ``7d``, ``1d12h``)."""
    from pinecone_backups._durations import parse_duration

    try:
        if text.strip().startswith("-"):
            raise ValueError(f"a duration cannot be negative, got {text!r}")
        return parse_duration(text)
    except ValueError as error:
        import argparse

        message = str(error)
        if message.endswith("it must be more than 0"):
            message = f"must be more than 0, got {text!r}"
        raise argparse.ArgumentTypeError(message) from None


_max_age.__name__ = "duration (--max-age)"


def _schedule(row: dict[str, Any]) -> str:
    """``daily, keep 7d``, ``weekly, keep 30d, disabled``, ``none``, ``n/a``; ``-`` for an
    orphaned index."""
    if row["schedule"] is None:
        return "-"
    if row["schedule_frequency"] is None:
        return str(row["schedule"])
    text = f"{row['schedule_frequency']}, keep {row['schedule_expire_after_days']}d"
    return text if row["schedule"] == "enabled" else f"{text}, {row['schedule']}"


def _columns() -> tuple[tuple[str, Callable[[dict[str, Any]], str]], ...]:
    from pinecone_backups._coverage import age_text

    return (
        ("INDEX", lambda row: row["index"]),
        ("VERDICT", lambda row: row["verdict"]),
        ("NEWEST READY", lambda row: _format.text(row["newest_ready_id"])),
        ("AGE", lambda row: age_text(row["age_seconds"])),
        ("READY", lambda row: _format.count(row["ready"])),
        ("RUNNING", lambda row: _format.count(row["running"])),
        ("FAILED", lambda row: _format.count(row["failed"])),
        ("SIZE", lambda row: human_size(row["size_bytes"])),
        ("SCHEDULE", _schedule),
        ("REASON", lambda row: row["reason"]),
    )


def _iso(value: object) -> object:
    """A value for CSV and JSON: times as RFC 3339 UTC text, the rest as is."""
    from datetime import datetime, timezone

    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return value


def arguments(parser: _Arguments) -> None:
    parser.add_argument(
        "--max-age",
        type=_max_age,
        default=DEFAULT_MAX_AGE,
        metavar="DURATION",
        help="an index whose newest Ready backup is older than this is stale: 90m, 26h, 7d, "
        f"1d12h (default: {DEFAULT_MAX_AGE})",
    )
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        help="table (sizes in human units, control characters escaped; the default), csv (RFC "
        "4180, with a header; data exactly as the server sent it, quoted where needed) or json "
        "(one object a line); csv and json give sizes in bytes, ages in seconds and times in "
        "RFC 3339",
    )


def check(args: argparse.Namespace, parser: _UsageErrors) -> None:
    if args.json and args.format not in (None, "json"):
        parser.error(f"--json conflicts with --format {args.format}")


def run(client: pb.Client, args: argparse.Namespace) -> int:
    import json

    from pinecone_backups._coverage import KEYS, ORPHANED, VERDICTS

    rows = client.coverage(max_age=args.max_age)
    output = "json" if args.json else args.format or "table"
    if output == "json":
        for row in rows:
            line = json.dumps({key: _iso(row[key]) for key in KEYS}, separators=(",", ":"))
            print(json_printable(line))
    elif output == "csv":
        import csv

        # RFC 4180, as inventory: data written exactly, quoted where needed, not escaped.
        writer = csv.writer(sys.stdout)
        writer.writerow(KEYS)
        for row in rows:
            writer.writerow(["" if row[key] is None else _iso(row[key]) for key in KEYS])
    elif rows:  # a table; none without an index (the summary says 0)
        columns = _columns()
        print_table(([cell(row) for _, cell in columns] for row in rows), [t for t, _ in columns])
    sys.stdout.flush()

    indexes = [row for row in rows if row["verdict"] != ORPHANED]
    orphaned = [row for row in rows if row["verdict"] == ORPHANED]
    verdicts = [row["verdict"] for row in indexes]
    counts = ", ".join(
        f"{verdicts.count(verdict)} {verdict}"
        for verdict in VERDICTS[:3]
        if verdicts.count(verdict) or verdict == "ok"
    )
    from pinecone_backups._durations import format_duration

    number = f"{len(indexes)} index" if len(indexes) == 1 else f"{len(indexes)} indexes"
    summary = f"{number}: {counts} (max age {format_duration(args.max_age)})"
    if orphaned:
        size = sum(row["size_bytes"] for row in orphaned)
        summary += (
            f"; {_format.plural(sum(row['backups'] for row in orphaned), 'backup')} of "
            f"{len(orphaned)} deleted {'index' if len(orphaned) == 1 else 'indexes'} "
            f"(orphaned), {human_size(size)} ({size:,} bytes)"
        )
    note(summary)
    return EXIT_OK if all(verdict == "ok" for verdict in verdicts) else EXIT_NOT_COVERED


COMMAND = Command(
    description="Show every index of the project with its newest Ready backup (its id and "
    "age), its Ready, running and failed backups, its backup schedule (API 2026-07) and a "
    "verdict: ok, stale (the newest Ready backup is older than --max-age, or none has a known "
    "age) or unprotected (no Ready backup); then the backups of indexes that no longer exist, "
    "orphaned, with their total size. Exit status 6 when an index is stale or unprotected "
    "(orphaned backups alone do not count). --json is --format json.",
    examples=(
        "coverage --emulator",
        "coverage --max-age 7d --format csv > coverage.csv",
        "coverage --max-age 26h > /dev/null || alert 'an index has no recent backup'",
    ),
    arguments=arguments,
    run=run,
    check=check,
    exits=(EXIT_NOT_COVERED,),
)
