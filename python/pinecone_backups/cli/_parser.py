"""The argparse parser: ``--help`` and its epilogs, usage errors, and every command line the quick
parse (``_simple``) leaves to it (abbreviated options, options before positionals, ``--``,
values that look like options, ``--tag``, anything wrong).

Each command's parser is built on first use (:class:`_CommandParser`): registering the commands
costs nothing, and only the command argparse hands the command line to is built (its module
imported, its arguments, help and the global options added). ``--help`` builds none. A command
with subcommands (a ``Group``: ``schedule``) registers them the same way, each built on first
use.
"""

from __future__ import annotations

import argparse

import pinecone_backups as pb
from pinecone_backups.cli._command import (
    EVERY_COMMAND_EXITS,
    EXIT_CODES,
    EXIT_TIMEOUT,
    EXIT_USAGE,
    NUMBER_TYPES,
    Command,
    Group,
)
from pinecone_backups.cli._output import LASTING_EMULATOR, PROG
from pinecone_backups.cli._registry import COMMANDS, Entry, global_options

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


def _epilog(entry: Entry | None, command: Command | Group | None) -> str:
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


class _Formatter(argparse.HelpFormatter):
    """Wraps a one-paragraph description; keeps the lines of the epilogs as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def attach_negative_values(argv: Sequence[str], options: set[str]) -> list[str]:
    """``--older-than -5d`` as ``--older-than=-5d``, for the ``options`` whose values are
    numbers: argparse takes ``-5d`` for an option and says only "expected one argument";
    attached, the value reaches its check, which says what is wrong with it."""
    result: list[str] = []
    for number, token in enumerate(argv):
        if token == "--":  # the rest are arguments, whatever they look like
            return [*result, *argv[number:]]
        previous = result[-1] if result else ""
        if previous in options and token[:1] == "-" and token[1:2].isdigit():
            result[-1] = f"{previous}={token}"
        else:
            result.append(token)
    return result


class _CommandParser(argparse.ArgumentParser):
    """The parser of one command (or subcommand: its ``module`` is then the command's package
    and its name), built on first use (whoever first needs one of its attributes): its module
    imported, its help, its arguments (or its subcommands' parsers, unbuilt) and the global
    options added."""

    def __init__(self, *, entry: Entry, module: str | None = None, **kwargs: Any) -> None:
        module = module or f"{__package__}.{entry.name}"
        self.__dict__["_unbuilt"] = (entry, module, kwargs)  # __init__ runs on first use

    def __getattr__(self, name: str) -> Any:
        unbuilt = self.__dict__.pop("_unbuilt", None)
        if unbuilt is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        entry, module_name, kwargs = unbuilt
        super().__init__(**kwargs)
        global_options(self, main=False)
        command: Command | Group = __import__(module_name, fromlist=["COMMAND"]).COMMAND
        self.description = command.description
        self.epilog = _epilog(entry, command)
        if isinstance(command, Group):
            subcommands = self.add_subparsers(
                dest="subcommand", required=True, metavar="SUBCOMMAND", parser_class=_CommandParser
            )
            for sub in command.subcommands:
                subcommands.add_parser(
                    sub.name,
                    help=sub.summary,
                    formatter_class=_Formatter,
                    entry=sub,
                    module=f"{module_name}.{sub.name}",
                )
            self.__dict__["subcommand_parsers"] = subcommands.choices
        else:
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
        given = [] if args is None else args
        return super().parse_known_args(attach_negative_values(given, numbers), namespace)


def parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The program's parser, and each command's (by name)."""
    main = argparse.ArgumentParser(
        prog=PROG,
        description="Manage the backups of Pinecone indexes: list, show, create, delete, prune "
        "and restore them, follow restore jobs, and manage backup schedules. Every command takes "
        "--json (JSON lines instead of tables), --host, --emulator, --api-version and --verbose, "
        "before or after the command's name. "
        "--emulator runs the command against a bundled emulator with sample data, a fresh one for "
        "each command (nothing carries over to the next command; for an emulator that lasts, run "
        f"{LASTING_EMULATOR}). The API key comes from PINECONE_API_KEY, the host from --host or "
        "PINECONE_CONTROLLER_HOST, the API version from --api-version or PINECONE_API_VERSION "
        f"(else {pb.API_VERSION}). Results go to stdout; progress and errors to stderr.",
        epilog=_epilog(None, None),
        formatter_class=_Formatter,
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {pb.__version__}")
    global_options(main, main=True)
    commands = main.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_CommandParser
    )
    parsers: dict[str, argparse.ArgumentParser] = {
        entry.name: commands.add_parser(
            entry.name, help=entry.summary, formatter_class=_Formatter, entry=entry
        )
        for entry in COMMANDS
    }
    return main, parsers


def command_parser(
    parsers: dict[str, argparse.ArgumentParser], name: str, subcommand: str | None = None
) -> argparse.ArgumentParser:
    """The parser of the command ``name`` (of its ``subcommand``, if given), from ``parsers``
    (:func:`parser`'s second value)."""
    found = parsers[name]
    if subcommand is not None:
        found = found.subcommand_parsers[subcommand]  # type: ignore[attr-defined]
    return found
