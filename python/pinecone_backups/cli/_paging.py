"""The listing commands' shared part (``list``, ``jobs``): one page, or every page with
``--all``."""

from __future__ import annotations

import sys

from pinecone_backups import _format
from pinecone_backups.cli._command import EXIT_OK, Refused
from pinecone_backups.cli._output import note, show_all

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterator
    from typing import Any, Protocol

    from pinecone_backups.cli._command import _Arguments, _UsageErrors
    from pinecone_backups.cli._output import _J, _Columns

    class _Page(Protocol):
        """A page of results: ``BackupList`` or ``RestoreJobList``."""

        def __iter__(self) -> Iterator[Any]: ...
        @property
        def next_token(self) -> str | None: ...


LIMIT_CAPPED_BEFORE = "2026-07"
"""The API versions before this one take a page size (``--limit``) of at most
:data:`MAX_LIMIT`; from it on, any positive number. (The client refuses alike;
``tests/cli/test_versions.py`` checks that the two agree.)"""
MAX_LIMIT = 100


def paging_arguments(parser: _Arguments, noun: str, *, uncapped: bool = False) -> None:
    """``--limit``, ``--all`` and ``--pagination-token`` (``uncapped``: a command that only API
    versions without a maximum page size have)."""
    if uncapped:
        sizes = "any positive number (default: the server's, 100; with --all: 100)"
    else:
        sizes = (
            f"1..{MAX_LIMIT}, or any positive number from API {LIMIT_CAPPED_BEFORE} (default: "
            f"the server's, 10, or 100 from {LIMIT_CAPPED_BEFORE}; with --all: 100)"
        )
    parser.add_argument("--limit", type=int, metavar="N", help=f"{noun} per page: {sizes}")
    parser.add_argument("--all", action="store_true", help="list every page")
    parser.add_argument(
        "--pagination-token", metavar="TOKEN", help="start from this page (from a previous run)"
    )


def check_limit(args: argparse.Namespace, parser: _UsageErrors) -> None:
    """Refuses (exit status 2, before anything is sent) a ``--limit`` out of the API version's
    range: not a positive number, or over :data:`MAX_LIMIT` before :data:`LIMIT_CAPPED_BEFORE`
    (saying which version takes more). A ``Command.check``."""
    limit: int | None = args.limit
    if limit is None:
        return
    if limit < 1:
        raise Refused(f"--limit must be a positive number, got {limit}")
    if limit > MAX_LIMIT and args.api_version < LIMIT_CAPPED_BEFORE:
        raise Refused(
            f"--limit must be between 1 and {MAX_LIMIT} under API version {args.api_version}, "
            f"got {limit} (API {LIMIT_CAPPED_BEFORE} takes more: pass --api-version "
            f"{LIMIT_CAPPED_BEFORE})"
        )


def list_pages(
    args: argparse.Namespace,
    page: Callable[..., _Page],
    walk: Callable[..., Iterator[_J]],
    columns: _Columns[_J],
    noun: str,
    where: str = "",
) -> int:
    """Shows one page (``page``), or with ``--all`` every item (``walk``); then, for people, how
    many there were and how to get the next page."""
    next_token: str | None = None
    items: Iterator[_J]
    if args.all:
        page_size = 100 if args.limit is None else args.limit
        items = walk(page_size=page_size, pagination_token=args.pagination_token)
    else:
        first = page(limit=args.limit, pagination_token=args.pagination_token)
        items, next_token = iter(first), first.next_token
    count = show_all(args.json, items, columns)
    sys.stdout.flush()
    if not args.json:
        note(_format.plural(count, noun) + where)
    if next_token:
        note(f"more: add --pagination-token {next_token} (or --all to list every page)")
    return EXIT_OK
