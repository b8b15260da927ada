"""Run a standalone emulator: ``python -m pinecone_backups.testing --port 0 --api-key KEY``.

Prints two shell lines on stdout that point the ``pinecone-backups`` command (and Pinecone's
SDKs) at it::

    export PINECONE_CONTROLLER_HOST=http://127.0.0.1:PORT
    export PINECONE_API_KEY=KEY

then serves until Ctrl-C (or SIGTERM). It serves the whole backup lifecycle
(``Emulator(lifecycle=True)``), with the sample data or, with ``--seed FILE``, the indexes,
backups and restore jobs of a JSON file instead (the format is described in ``_seed.py`` and
the README). A seed file that cannot be read or does not follow the format exits with status 2
and says what is wrong.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from ._api import API_VERSIONS, LAST_PAGE_STYLES, parse_last_page
from ._emulator import Emulator
from ._seed import SeedError, read_seed


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pinecone_backups.testing",
        description="Serve a local emulator of Pinecone's backup API (versions "
        f"{', '.join(API_VERSIONS)}).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free)")
    parser.add_argument("--api-key", default="test-key", help="the accepted Api-Key")
    parser.add_argument("--no-seed", action="store_true", help="start without the example data")
    parser.add_argument(
        "--seed",
        metavar="FILE",
        help="start with the indexes, backups and restore jobs of a JSON file instead of the "
        'example data: {"indexes": [{"name": ...}], "backups": [{"source_index_name": ..., '
        '...}], "restore_jobs": [{"backup_id": ..., "target_index_name": ..., ...}]}',
    )
    parser.add_argument(
        "--page-size",
        type=int,
        default=None,
        help="default page size (default: the spec's, 10 before API 2026-07, 100 from then)",
    )
    parser.add_argument(
        "--api-version",
        action="append",
        dest="api_versions",
        choices=API_VERSIONS,
        help="accepted X-Pinecone-Api-Version (repeatable; default: all of "
        f"{', '.join(API_VERSIONS)})",
    )
    parser.add_argument(
        "--last-page",
        choices=LAST_PAGE_STYLES,
        default="null",
        help="how the last page writes pagination",
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    parser.add_argument(
        "--backup-seconds", type=float, default=1.0, help="how long a new backup initializes"
    )
    parser.add_argument(
        "--restore-seconds", type=float, default=1.0, help="how long a restore job is pending"
    )
    parser.add_argument(
        "--index-seconds",
        type=float,
        default=0.0,
        help="how long an index restored through the API stays Initializing after its restore "
        "job completed (default: 0, Ready when the job completes)",
    )
    parser.add_argument(
        "--backup-quota", type=int, default=None, help="the most backups (default: no limit)"
    )
    parser.add_argument(
        "--plan-without-backups",
        action="store_true",
        help="play a plan without backups: creating one is a 403 PERMISSION_DENIED",
    )
    parser.add_argument(
        "--plan-without-schedules",
        action="store_true",
        help="play a plan without scheduled backups: creating or changing a schedule is a 403 "
        "PERMISSION_DENIED",
    )
    return parser


def _exports(emulator: Emulator) -> str:
    """The shell lines that point the CLI and the SDKs at ``emulator``."""
    return (
        f"export PINECONE_CONTROLLER_HOST={shlex.quote(emulator.url)}\n"
        f"export PINECONE_API_KEY={shlex.quote(emulator.api_key)}\n"
    )


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    sys.exit(0)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, serve until interrupted, return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        seed = read_seed(args.seed) if args.seed is not None else None
    except SeedError as error:
        parser.error(str(error))
    try:
        emulator = Emulator(
            args.api_key,
            host=args.host,
            port=args.port,
            seed=not args.no_seed and seed is None,
            default_page_size=args.page_size,
            api_versions=args.api_versions or API_VERSIONS,
            last_page=parse_last_page(args.last_page),
            latency=args.latency,
            lifecycle=True,
            backup_seconds=args.backup_seconds,
            restore_seconds=args.restore_seconds,
            index_seconds=args.index_seconds,
            backup_quota=args.backup_quota,
            plan_includes_backups=not args.plan_without_backups,
            plan_includes_schedules=not args.plan_without_schedules,
        )
        if seed is not None:
            seed.apply(emulator)
    except ValueError as error:
        parser.error(str(error))
    try:
        emulator.start()
    except OSError as error:
        print(f"cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        sys.stdout.write(_exports(emulator))  # one write: a reader sees both lines or none
        sys.stdout.flush()
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
