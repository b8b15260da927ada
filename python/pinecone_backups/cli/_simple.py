"""The quick parse: for a simple command line, the namespace argparse would give, without
importing argparse (and with it ``re``, ``enum``, ``gettext`` and ``locale``: about half of what
starting a command would cost).

Simple means: global options, the command's name (and its subcommand's, right after it, for a
command that has subcommands: ``schedule list``), its positional arguments, then options, each
option spelled in full (``--limit 5``, ``--limit=5``, ``-v``) and given a value that does not
start with ``-``, every value valid for its type and choices, every required option given, not
both ``--host`` and ``--emulator``. The options and positionals are read from the command's own
declaration (its ``arguments``, recorded here instead of added to an argparse parser), so
nothing is declared twice. Anything else (``--help``, ``--version``, an abbreviation, ``--``, a
positional after an option, an option taking several values or a custom action such as
``--tag``, a bad value, an unknown option or command) gets ``None``: argparse parses that
command line, with its messages. ``tests/cli/test_parsing.py`` checks that whenever the quick
parse gives a namespace, argparse gives the same.
"""

from __future__ import annotations

import sys

from pinecone_backups.cli._registry import COMMANDS, global_options

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, NoReturn

_Namespace = type(sys.implementation)  # types.SimpleNamespace, without importing types
_ENTRIES = {entry.name: entry for entry in COMMANDS}


class _Recorder:
    """Takes a command's ``add_argument`` calls (and the global options' group) and keeps
    them."""

    def __init__(self) -> None:
        self.declared: list[tuple[tuple[str, ...], dict[str, Any]]] = []

    def add_argument(self, *names: str, **options: Any) -> None:
        self.declared.append((names, options))

    def add_mutually_exclusive_group(self) -> _Recorder:
        return self  # the one group (--host, --emulator) is checked by parse


class _Argument:
    """What the quick parse knows of a declared argument."""

    __slots__ = ("choices", "dest", "kind", "nargs", "required", "type")

    def __init__(self, names: tuple[str, ...], options: dict[str, Any]) -> None:
        action = options.get("action")
        positional = not names[0].startswith("-")
        long_names = [name for name in names if name.startswith("--")]
        self.dest: str = options.get("dest") or (
            names[0] if positional else (long_names or names)[0].lstrip("-").replace("-", "_")
        )
        self.type: Callable[[str], Any] | None = options.get("type")
        self.choices = options.get("choices")
        self.required = bool(options.get("required"))
        self.nargs = options.get("nargs")
        if action in (None, "store"):
            self.kind = "value"
        elif action in ("store_true", "append"):
            self.kind = "flag" if action == "store_true" else action
        else:
            self.kind = "other"  # a custom action: only argparse runs it
        if not positional and self.nargs is not None:
            self.kind = "other"

    def value(self, text: str) -> tuple[bool, Any]:
        """``(True, value)`` when ``text`` converts and is one of the choices, as argparse
        checks it; ``(False, None)`` otherwise (argparse will say why)."""
        try:
            value = text if self.type is None else self.type(text)
        except Exception:
            return False, None
        if self.choices is not None and value not in self.choices:
            return False, None
        return True, value


def _default(options: dict[str, Any]) -> Any:
    """The value argparse gives an argument that is not on the command line (a text default
    goes through the argument's type, as in argparse)."""
    if options.get("nargs") == "*" and options.get("default") is None:
        return []
    default = options.get("default", False if options.get("action") == "store_true" else None)
    kind = options.get("type")
    return kind(default) if isinstance(default, str) and kind is not None else default


def _declare(
    declare: Callable[[_Recorder], None],
) -> tuple[dict[str, _Argument], list[_Argument], dict[str, Any]]:
    """The options (by name), the positionals (in order) and the defaults a declaration gives."""
    recorder = _Recorder()
    declare(recorder)
    options: dict[str, _Argument] = {}
    positionals: list[_Argument] = []
    defaults: dict[str, Any] = {}
    for names, declared in recorder.declared:
        argument = _Argument(names, declared)
        if names[0].startswith("-"):
            options.update(dict.fromkeys(names, argument))
        else:
            positionals.append(argument)
        defaults[argument.dest] = _default(declared)
    return options, positionals, defaults


def _take_option(
    argv: Sequence[str],
    index: int,
    options: dict[str, _Argument],
    values: dict[str, Any],
    given: set[str],
) -> int | None:
    """Reads the option at ``argv[index]`` into ``values``; the index after it, or ``None``
    when it is not simple."""
    token = argv[index]
    text: str | None = None
    if token.startswith("--") and "=" in token:
        token, text = token.split("=", 1)
    argument = options.get(token)
    if argument is None or argument.kind == "other":
        return None
    if argument.kind == "flag":
        if text is not None:
            return None
        values[argument.dest] = True
        given.add(argument.dest)
        return index + 1
    after = index + 1
    if text is None:
        if after == len(argv) or argv[after].startswith("-"):
            return None
        text, after = argv[after], after + 1
    ok, value = argument.value(text)
    if not ok:
        return None
    if argument.kind == "append":
        value = [*(values.get(argument.dest) or []), value]
    values[argument.dest] = value
    given.add(argument.dest)
    return after


def _take_positionals(
    positionals: list[_Argument], tokens: list[str], values: dict[str, Any]
) -> bool:
    """Reads the positional arguments into ``values``, as argparse does when they come together:
    those of one value first, then at most one of a variable number (``?``, ``*``, ``+``) last.
    ``False`` when they do not fit (argparse will say why)."""
    fixed = [p for p in positionals if p.nargs is None]
    variable = positionals[len(fixed) :]
    if positionals[: len(fixed)] != fixed or len(variable) > 1:
        return False
    extra = len(tokens) - len(fixed)
    if extra < 0 or (not variable and extra) or not _fits(variable, extra):
        return False
    for argument, token in zip(fixed, tokens, strict=False):
        ok, values[argument.dest] = argument.value(token)
        if not ok:
            return False
    if variable and extra:
        argument = variable[0]
        read = [argument.value(token) for token in tokens[len(fixed) :]]
        if not all(ok for ok, _ in read):
            return False
        converted = [value for _, value in read]
        values[argument.dest] = converted[0] if argument.nargs == "?" else converted
    return True


def _fits(variable: list[_Argument], extra: int) -> bool:
    if not variable:
        return True
    nargs = variable[0].nargs
    return (nargs == "?" and extra <= 1) or nargs == "*" or (nargs == "+" and extra >= 1)


class _Usage:
    """``error`` of the command's (or subcommand's) argparse parser, built only when a usage
    check fails."""

    def __init__(self, name: str, subcommand: str | None) -> None:
        self._name = name
        self._subcommand = subcommand

    def error(self, message: str) -> NoReturn:
        from pinecone_backups.cli._parser import command_parser, parser

        command_parser(parser()[1], self._name, self._subcommand).error(message)


def parse(argv: Sequence[str]) -> Any:
    """The namespace argparse would give for ``argv``, when it is a simple command line;
    ``None`` otherwise."""
    global_arguments, _, values = _declare(lambda parser: global_options(parser, main=True))
    given: set[str] = set()
    index: int | None = 0
    while index is not None and index < len(argv) and argv[index].startswith("-"):
        index = _take_option(argv, index, global_arguments, values, given)
    if index is None or index == len(argv) or argv[index] not in _ENTRIES:
        return None
    name = argv[index]
    module = f"{__package__}.{name}"
    command = __import__(module, fromlist=["COMMAND"]).COMMAND
    index += 1
    subcommand = None
    if hasattr(command, "subcommands"):  # a Group: its subcommand's name comes right after
        names = {entry.name for entry in command.subcommands}
        if index == len(argv) or argv[index] not in names:
            return None
        subcommand = argv[index]
        command = __import__(f"{module}.{subcommand}", fromlist=["COMMAND"]).COMMAND
        values["subcommand"] = subcommand
        index += 1
    options, positionals, defaults = _declare(command.arguments)
    options = {**global_arguments, **options}
    values.update(defaults)
    start = index
    while index < len(argv) and not argv[index].startswith("-"):
        index += 1
    tokens = list(argv[start:index])
    while index is not None and index < len(argv):
        if not argv[index].startswith("-"):
            return None  # a positional after an option: argparse knows how it is read
        index = _take_option(argv, index, options, values, given)
    if index is None or not _take_positionals(positionals, tokens, values):
        return None
    if any(argument.required and argument.dest not in given for argument in options.values()):
        return None
    if {"host", "emulator"} <= given:
        return None  # one of them is refused: argparse or the usage check says how
    values.update(command=name, command_spec=command, command_parser=_Usage(name, subcommand))
    return _Namespace(**values)
