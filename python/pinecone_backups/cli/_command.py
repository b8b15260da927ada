"""What a command module declares (:class:`Command`), and the exit statuses.

Nothing here imports ``argparse``: a command's ``arguments`` are declared through
:class:`_Arguments` (``add_argument``, as on an ``argparse.ArgumentParser``), which both the
argparse parser and the quick parse of simple command lines (``_simple``) read.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Mapping
    from typing import Any, NoReturn, Protocol, TypeVar

    import pinecone_backups as pb
    from pinecone_backups.cli._registry import Entry

    class _Arguments(Protocol):
        """Where a command declares its arguments: an ``argparse.ArgumentParser``, or the
        recorder of the quick parse."""

        def add_argument(self, *names: str, **options: Any) -> Any: ...

    class _UsageErrors(Protocol):
        """What a usage check reports a bad command line to (``parser.error``: exit status 2)."""

        def error(self, message: str) -> NoReturn: ...

    _F = TypeVar("_F", bound=Callable[[str], Any])

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_FAILED = 3
EXIT_TIMEOUT = 4
EXIT_SOME_FAILED = 5
EXIT_NOT_COVERED = 6
EXIT_INTERRUPTED = 130

EXIT_CODES = (
    (EXIT_OK, "done"),
    (EXIT_ERROR, "an API or connection error (one line on stderr)"),
    (EXIT_USAGE, "bad usage: a bad option or argument (nothing was sent)"),
    (EXIT_FAILED, "the backup, restore job or index waited for failed"),
    (EXIT_TIMEOUT, "the wait timed out (--timeout)"),
    (
        EXIT_SOME_FAILED,
        "some deletions or actions failed (the others were done; the summary says which)",
    ),
    (EXIT_NOT_COVERED, "coverage: an index is stale or unprotected"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C)"),
)
"""Every exit status, and what it means (the ``--help`` of every command lists those it uses)."""
EVERY_COMMAND_EXITS = frozenset((EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED))
"""The exit statuses any command may end with; a command declares the others it uses."""
WAIT_EXITS = (EXIT_FAILED, EXIT_TIMEOUT)
"""The exit statuses of a command that waits (the backup, job or index failed; the wait timed
out)."""

NUMBER_TYPES: set[object] = {int}
"""The argument types that read a number or a duration (see :func:`number_type`)."""


def number_type(function: _F) -> _F:
    """Marks an argument type that reads a number or a duration: such a value may be written
    negative by mistake (``--older-than -5d``), and is then attached to its option so that the
    type's check says what is wrong with it (argparse alone would say "expected one
    argument")."""
    NUMBER_TYPES.add(function)
    return function


class Command:
    """What a command's module declares in its ``COMMAND``: its help (``description``,
    ``examples``), its arguments (``arguments`` adds them to its parser), the checks argparse
    cannot make alone (``check``, before anything is sent: ``parser.error`` or :class:`Refused`),
    what it does (``run``: returns the exit status), the exit statuses it may end with beyond
    :data:`EVERY_COMMAND_EXITS` (``exits``), how its messages name the Python API's parameters
    where the common names do not fit (``cli_names``), whether it is given an id (``by_id``:
    under ``--emulator``, a 404 gets a note), and what to say when Ctrl-C ends it
    (``interrupted``). Its name and one-line summary are in the registry
    (``pinecone_backups.cli._registry.COMMANDS``), so that ``--help`` imports no command."""

    __slots__ = (
        "arguments",
        "by_id",
        "check",
        "cli_names",
        "description",
        "examples",
        "exits",
        "interrupted",
        "run",
    )

    def __init__(
        self,
        *,
        description: str,
        examples: tuple[str, ...],
        arguments: Callable[[_Arguments], None],
        run: Callable[[pb.Client, argparse.Namespace], int],
        check: Callable[[argparse.Namespace, _UsageErrors], None] | None = None,
        exits: tuple[int, ...] = (),
        cli_names: Mapping[str, str] | None = None,
        by_id: bool = False,
        interrupted: Callable[[KeyboardInterrupt], None] | None = None,
    ) -> None:
        self.description = description
        self.examples = examples
        self.arguments = arguments
        self.run = run
        self.check = check
        self.exits = exits
        self.cli_names: Mapping[str, str] = cli_names or {}
        self.by_id = by_id
        self.interrupted = interrupted


class Group:
    """What the module of a command with subcommands (``schedule create``, ``schedule list``...)
    declares in its ``COMMAND``: its help (``description``, ``examples``), the exit statuses its
    subcommands may end with beyond :data:`EVERY_COMMAND_EXITS` (``exits``, for its ``--help``),
    and its subcommands (``subcommands``: a registry of its own, in the order its ``--help``
    lists them). A subcommand is a module of the command's package named as the subcommand,
    declaring a :class:`Command` as any command does; the parsers import only the one run."""

    __slots__ = ("description", "examples", "exits", "subcommands")

    def __init__(
        self,
        *,
        description: str,
        examples: tuple[str, ...],
        subcommands: tuple[Entry, ...],
        exits: tuple[int, ...] = (),
    ) -> None:
        self.description = description
        self.examples = examples
        self.subcommands = subcommands
        self.exits = exits


class Refused(Exception):
    """A command line refused before anything is sent, said in one line (exit status 2): a
    delete that was not confirmed, a prune whose ``--status`` names nothing known, a command or
    option the API version chosen does not have, a ``--limit`` out of that version's range."""
