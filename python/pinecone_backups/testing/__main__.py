"""Run a standalone emulator: ``python -m pinecone_backups.testing --port 0 --api-key KEY``.

Prints the emulator's URL on stdout, then serves until Ctrl-C (or SIGTERM). It serves the whole
backup lifecycle (``Emulator(lifecycle=True)``).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from ._api import API_VERSION, LAST_PAGE_STYLES, parse_last_page
from ._emulator import Emulator


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pinecone_backups.testing",
        description=f"Serve a local emulator of Pinecone's backup API ({API_VERSION}).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free)")
    parser.add_argument("--api-key", default="test-key", help="the accepted Api-Key")
    parser.add_argument("--no-seed", action="store_true", help="start without the example data")
    parser.add_argument("--page-size", type=int, default=10, help="default page size")
    parser.add_argument(
        "--api-version",
        action="append",
        dest="api_versions",
        help=f"accepted X-Pinecone-Api-Version (repeatable; default {API_VERSION})",
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
        "--backup-quota", type=int, default=None, help="the most backups (default: no limit)"
    )
    return parser


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    sys.exit(0)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, serve until interrupted, return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        emulator = Emulator(
            args.api_key,
            host=args.host,
            port=args.port,
            seed=not args.no_seed,
            default_page_size=args.page_size,
            api_versions=args.api_versions or (API_VERSION,),
            last_page=parse_last_page(args.last_page),
            latency=args.latency,
            lifecycle=True,
            backup_seconds=args.backup_seconds,
            restore_seconds=args.restore_seconds,
            backup_quota=args.backup_quota,
        )
    except ValueError as error:
        parser.error(str(error))
    try:
        emulator.start()
    except OSError as error:
        print(f"cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        print(emulator.url, flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
