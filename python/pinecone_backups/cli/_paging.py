"""The listing commands' shared part (``list``, ``jobs``): one page, or every page with
``--all``."""

from __future__ import annotations

import sys

from pinecone_backups import _format
from pinecone_backups.cli._command import EXIT_OK
from pinecone_backups.cli._output import note, show_all

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterator
    from typing import Any, Protocol

    from pinecone_backups.cli._command import _Arguments
    from pinecone_backups.cli._output import _J, _Columns

    class _Page(Protocol):
        """A page of results: ``BackupList`` or ``RestoreJobList``."""

        def __iter__(self) -> Iterator[Any]: ...
        @property
        def next_token(self) -> str | None: ...


def paging_arguments(parser: _Arguments, noun: str) -> None:
    parser.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help=f"{noun} per page, 1..100 (default: the server's, 10; with --all: 100)",
    )
    parser.add_argument("--all", action="store_true", help="list every page")
    parser.add_argument(
        "--pagination-token", metavar="TOKEN", help="start from this page (from a previous run)"
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
