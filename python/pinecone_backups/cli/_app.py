"""The application: the registry of commands, the options every command takes, the parser,
``main`` (parse, check, run, turn errors into exit statuses) and logging on stderr.

A run imports only the code of the command it runs: each command's parser is a
:class:`_CommandParser`, which imports the command's module and adds its arguments when argparse
hands it the command line, so ``--help`` and a mistyped command import none. ``logging`` is
imported only to log (``--verbose``, ``PINECONE_BACKUPS_LOG``), ``secrets`` and the emulator only
for ``--emulator``.
"""

from __future__ import annotations

import argparse
import os
import sys

import pinecone_backups as pb
from pinecone_backups._format import printable
from pinecone_backups.cli._arguments import NUMBER_TYPES, attach_negative_values
from pinecone_backups.cli._command import (
    EVERY_COMMAND_EXITS,
    EXIT_CODES,
    EXIT_ERROR,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TIMEOUT,
    EXIT_USAGE,
    Command,
    Refused,
)
from pinecone_backups.cli._output import (
    EMULATOR_NOTE,
    LASTING_EMULATOR,
    PROG,
    note,
    report,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


class Entry:
    """A command in the registry: its name (its module is ``pinecone_backups.cli.<name>``), its
    one-line summary (in ``--help``'s list of commands), and the other ways it has of exiting
    with status 2 (in the ``--help`` of the program and of the command)."""

    __slots__ = ("name", "summary", "usage_note")

    def __init__(self, name: str, summary: str, *, usage_note: str | None = None) -> None:
        self.name = name
        self.summary = summary
        self.usage_note = usage_note


COMMANDS = (
    Entry("list", "list the backups of an index, or of the project"),
    Entry("inventory", "summarise every backup of the project, per index or per status"),
    Entry("describe", "show a backup"),
    Entry("create", "back up an index"),
    Entry(
        "delete",
        "delete backups",
        usage_note="or a delete not confirmed (no --yes when stdin is not a terminal)",
    ),
    Entry(
        "prune",
        "delete the backups that match filters, with safety rails (a dry run without --yes)",
        usage_note="or a prune --status that is not known and no backup has",
    ),
    Entry("restore", "create an index from a backup"),
    Entry("jobs", "list restore jobs"),
    Entry("job", "show a restore job"),
    Entry("wait", "wait for a backup to be ready or a restore job to complete"),
)
"""The registry: every command, in the order ``--help`` lists them. A command is a module of
this package named as the command, declaring its ``COMMAND`` (see ``_command.Command``)."""


def _epilog(entry: Entry | None, command: Command | None) -> str:
    """The end of a ``--help``: the command's examples, the exit statuses it may end with (all of
    them for the program's)."""
    lines = []
    if command is not None:
        lines += ["examples:", *(f"  {PROG} {example}" for example in command.examples), ""]
    lines.append("exit status:")
    for code, meaning in EXIT_CODES:
        if command is None or code in EVERY_COMMAND_EXITS or code in command.exits:
            lines.append(f"  {code:<4} {meaning}")
        if code == EXIT_USAGE:
            for other in COMMANDS if entry is None else (entry,):
                if other.usage_note:
                    lines.append(f"       {other.usage_note}")
    if command is None or EXIT_TIMEOUT in command.exits:
        lines += ["", "After a failed or timed-out wait, the last state seen is printed on stdout."]
    return "\n".join(lines)


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns`` without importing ``shutil`` (it imports ``bz2``,
    ``lzma``, ``fnmatch``...: a few milliseconds a command would pay for nothing)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Formatter(argparse.HelpFormatter):
    """Wraps a one-paragraph description; keeps the lines of the epilogs as written. Its width
    is argparse's (the terminal's, less 2), found without importing ``shutil``."""

    def __init__(self, prog: str, *args: Any, **kwargs: Any) -> None:
        if not args and kwargs.get("width") is None:
            kwargs["width"] = _terminal_columns() - 2
        super().__init__(prog, *args, **kwargs)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


class _CommandParser(argparse.ArgumentParser):
    """The parser of one command, built on first use: registering a command costs nothing, and
    only the command that runs is built (its module imported, its arguments, help and the global
    options added) when argparse hands it the command line. ``--help`` builds none."""

    def __init__(self, *, entry: Entry, **kwargs: Any) -> None:
        self.__dict__["_unbuilt"] = (entry, kwargs)  # ArgumentParser.__init__ runs on first use

    def __getattr__(self, name: str) -> Any:
        """Builds the parser when one of its attributes is first needed (whoever needs it)."""
        unbuilt = self.__dict__.pop("_unbuilt", None)
        if unbuilt is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        entry, kwargs = unbuilt
        super().__init__(**kwargs)
        _global_options(self, main=False)
        module = __import__(f"{__package__}.{entry.name}", fromlist=["COMMAND"])
        command: Command = module.COMMAND
        self.description = command.description
        self.epilog = _epilog(entry, command)
        command.arguments(self)
        self.set_defaults(command_spec=command, command_parser=self)
        return getattr(self, name)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: Any = None
    ) -> tuple[argparse.Namespace, list[str]]:
        numbers = {
            option
            for action in self._actions
            if action.type in NUMBER_TYPES
            for option in action.option_strings
        }
        given = sys.argv[1:] if args is None else args
        return super().parse_known_args(attach_negative_values(given, numbers), namespace)


_GLOBAL_DEFAULTS = {"json": False, "host": None, "emulator": False, "verbose": False}
"""The options every command takes, before or after the command's name, and their defaults."""
LOG_VARIABLE = "PINECONE_BACKUPS_LOG"


def _global_options(parser: argparse.ArgumentParser, *, main: bool) -> None:
    """Adds the options of ``_GLOBAL_DEFAULTS`` to the main parser (``main``: with their
    defaults) or to a command's (with no default: ``SUPPRESS``, so that a command's parser does
    not reset an option given before the command)."""

    def default(name: str) -> Any:
        return _GLOBAL_DEFAULTS[name] if main else argparse.SUPPRESS

    parser.add_argument(
        "--json",
        action="store_true",
        default=default("json"),
        help="print JSON lines (one object a line), not a table",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--host",
        default=default("host"),
        help="API host (default: $PINECONE_CONTROLLER_HOST or https://api.pinecone.io)",
    )
    where.add_argument(
        "--emulator",
        action="store_true",
        default=default("emulator"),
        help="run this command against a bundled emulator and its sample data instead of the "
        "real API: a fresh one for each command, stopped after it, so nothing a command does "
        f"carries over to the next (for one that lasts: {LASTING_EMULATOR})",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=default("verbose"),
        help=f"log every HTTP exchange on stderr (or set {LOG_VARIABLE}=debug)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Manage the backups of Pinecone indexes: list, show, create, delete, prune "
        "and restore them, and follow restore jobs. Every command takes --json (JSON lines instead "
        "of tables), --host, --emulator and --verbose, before or after the command's name. "
        "--emulator runs the command against a bundled emulator with sample data, a fresh one for "
        "each command (nothing carries over to the next command; for an emulator that lasts, run "
        f"{LASTING_EMULATOR}). The API key comes from PINECONE_API_KEY, the host from --host or "
        "PINECONE_CONTROLLER_HOST. Results go to stdout; progress and errors to stderr.",
        epilog=_epilog(None, None),
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {pb.__version__}")
    _global_options(parser, main=True)
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_CommandParser
    )
    for entry in COMMANDS:
        commands.add_parser(entry.name, help=entry.summary, formatter_class=_Formatter, entry=entry)
    return parser


_LOG_LEVELS = {"debug": 10, "info": 20, "warning": 30}
"""``logging.DEBUG``, ``INFO`` and ``WARNING`` (``logging`` is imported only to log)."""


class _BadSetting(Exception):
    """An environment variable of ours with a value we do not know (exit status 2)."""


def _log_level(args: argparse.Namespace) -> int | None:
    """The level to log at on stderr: DEBUG with ``--verbose``, else ``$PINECONE_BACKUPS_LOG``'s;
    ``None``: no logging."""
    if args.verbose:
        return _LOG_LEVELS["debug"]
    name = os.environ.get(LOG_VARIABLE, "").strip()
    if not name:
        return None
    level = _LOG_LEVELS.get(name.lower())
    if level is None:
        raise _BadSetting(f"{LOG_VARIABLE} must be debug, info or warning; got {name!r}")
    return level


def _log_to_stderr(level: int) -> Any:
    """Makes the ``pinecone_backups`` logger write records of ``level`` and above on stderr, one
    concise printable line each (a retry's WARNING quotes the server); returns what undoes it."""
    import logging

    class PrintableFormatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return printable(super().format(record))

    logger = logging.getLogger("pinecone_backups")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        PrintableFormatter("%(asctime)s.%(msecs)03d %(levelname)s %(message)s", "%H:%M:%S")
    )
    handler.setLevel(level)
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(level)

    def undo() -> None:
        logger.setLevel(previous)
        logger.removeHandler(handler)

    return undo


def _check_usage(args: argparse.Namespace, command: Command) -> None:
    """What argparse cannot check alone; before anything is sent."""
    parser: argparse.ArgumentParser = args.command_parser
    if args.host is not None and args.emulator:  # one before the command, one after it
        parser.error("argument --emulator: not allowed with argument --host")
    if command.check is not None:
        command.check(args, parser)


def _run(command: Command, args: argparse.Namespace, log_level: int | None) -> int:
    """Runs the command, logging on stderr at ``log_level`` (``None``: not at all), with the
    client of the real API (or of ``--host``), or of a bundled emulator of its own."""
    stop_logging = None if log_level is None else _log_to_stderr(log_level)
    try:
        if not args.emulator:
            with pb.Client(host=args.host) as client:
                return command.run(client, args)
        import secrets

        from pinecone_backups.testing import Emulator

        key = secrets.token_urlsafe(24)
        with (
            Emulator(api_key=key) as emulator,
            pb.Client(api_key=key, host=emulator.url) as client,
        ):
            return command.run(client, args)
    finally:
        if stop_logging is not None:
            stop_logging()


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command; returns the exit status (see :mod:`pinecone_backups.cli`)."""
    try:
        args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
        command: Command = args.command_spec
        _check_usage(args, command)
        log_level = _log_level(args)
    except SystemExit as exit_:  # --help, --version, or a usage error already reported
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    except (Refused, _BadSetting) as error:
        report(error)
        return EXIT_USAGE
    try:
        return _run(command, args, log_level)
    except (Refused, pb.ValidationError) as error:
        report(error, args)
        return EXIT_USAGE
    except (pb.BackupFailedError, pb.RestoreJobFailedError) as error:
        report(error, args)
        return EXIT_FAILED
    except pb.WaitTimeoutError as error:
        report(error, args)
        return EXIT_TIMEOUT
    except pb.PineconeError as error:
        report(error, args)
        if args.emulator and isinstance(error, pb.NotFoundError) and command.by_id:
            consequence = "it has only the sample data, nothing an earlier command created"
            note(EMULATOR_NOTE.format(consequence=consequence))
        return EXIT_ERROR
    except KeyboardInterrupt as interrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        if command.interrupted is not None:
            command.interrupted(interrupt)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`... | head`): not an error of ours.
        sys.stderr.close()
        return EXIT_OK
