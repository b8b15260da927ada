"""The quick parse of simple command lines (``pinecone_backups.cli._simple``) against argparse:
whenever the quick parse reads a command line, argparse (the parser ``main`` falls back to) reads
it the same way; the command lines people type most are read quickly; the others go to argparse."""

from __future__ import annotations

import contextlib
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pinecone_backups.cli import COMMANDS, _parser, _simple
from pinecone_backups.cli._command import Group


def command_names() -> list[tuple[str, ...]]:
    """Every command's name, and a command with subcommands' ``(name, subcommand)`` for each
    of them (``("schedule", "list")``)."""
    found: list[tuple[str, ...]] = []
    for entry in COMMANDS:
        spec = __import__(f"pinecone_backups.cli.{entry.name}", fromlist=["COMMAND"]).COMMAND
        if isinstance(spec, Group):
            found += [(entry.name, sub.name) for sub in spec.subcommands]
        else:
            found.append((entry.name,))
    return found


NAMES = command_names()
GLOBALS = [
    *("--json", "--emulator", "-v", "--verbose", "--host", "--host=http://h", "http://h"),
    *("--api-version", "2026-07", "--api-version=2025-10", "--api-version=2024-01"),
]
VALUES = [
    *("5", "0", "1", "100", "-5", "1.5", "abc", "2w", "90m", "0d", "-5d", "10x"),
    *("ready", "Failed", "InitializationFailed", "Faild", "k=v", "=v", "a=1"),
    *("index", "status", "table", "csv", "json", "backup", "job", "enabled", "disabled"),
    *("daily", "hourly", '{"mode": "OnDemand"}', "[1]", "{", "2026-04", "list", "schedule"),
    *("docs-example", "bkp_123abc", "", "x y", "-", "--", "-h", "--help", "--lim", "--versio"),
]
_PARSER, _ = _parser.parser()


def declared(name: tuple[str, ...]) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """A command's (or subcommand's) ``add_argument`` calls."""
    module = __import__("pinecone_backups.cli." + ".".join(name), fromlist=["COMMAND"])
    recorder = _simple._Recorder()
    module.COMMAND.arguments(recorder)
    return recorder.declared


DECLARED = {name: declared(name) for name in NAMES}
OPTIONS = {name: [n for names, _ in DECLARED[name] for n in names if n[0] == "-"] for name in NAMES}


def read(parse: Any, argv: list[str]) -> dict[str, Any] | None:
    """What a parse gives (without the parser object, which differs), or ``None`` when it
    exits (argparse: a usage error, ``--help``)."""
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        try:
            args = parse(argv)
        except SystemExit:
            return None
    if args is None:
        return None
    return {key: value for key, value in vars(args).items() if key != "command_parser"}


def check(argv: list[str]) -> bool:
    """Asserts that argparse reads ``argv`` as the quick parse does, when it reads it; whether
    it did."""
    quick = read(_simple.parse, argv)
    if quick is None:
        return False
    assert read(_PARSER.parse_args, argv) == quick, argv
    return True


@st.composite
def shuffled(draw: st.DrawFn) -> list[str]:
    """Any tokens after the command's name: options, values, anything."""
    name = draw(st.sampled_from(NAMES))
    before = draw(st.lists(st.sampled_from(GLOBALS), max_size=3))
    pool = [*GLOBALS, *OPTIONS[name], *VALUES]
    after = draw(st.lists(st.sampled_from(pool), max_size=8))
    return [*before, *name, *after]


@st.composite
def shaped(draw: st.DrawFn) -> list[str]:
    """Positionals, then options (``--opt v`` or ``--opt=v``): the shape the quick parse reads,
    each value drawn from the argument's choices or from values right or wrong for it."""
    name = draw(st.sampled_from(NAMES))
    before = draw(st.lists(st.sampled_from(GLOBALS[:4]), max_size=2))

    def value(options: dict[str, Any]) -> str:
        choices = [str(choice) for choice in options.get("choices") or ()]
        return draw(st.sampled_from(choices + VALUES[:8] if choices else VALUES[:-6]))

    positionals: list[str] = []
    after: list[str] = []
    for names, options in DECLARED[name]:
        if names[0][0] != "-":
            counts = {None: (1, 1), "?": (0, 1), "*": (0, 3), "+": (1, 3)}[options.get("nargs")]
            positionals += [value(options) for _ in range(draw(st.integers(*counts)))]
        elif options.get("required") or draw(st.booleans()):
            for _ in range(draw(st.integers(1, 2))):  # given twice: appended, or the last wins
                option = draw(st.sampled_from(names))
                if options.get("action") == "store_true":
                    after.append(option)
                elif draw(st.booleans()):
                    after += [option, value(options)]
                else:
                    after.append(f"{option}={value(options)}")
    order = draw(st.permutations(after)) if len(after) < 6 else after
    globals_after = draw(st.lists(st.sampled_from(GLOBALS[:5]), max_size=2))
    return [*before, *name, *positionals, *order, *globals_after]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shuffled())
def test_any_command_line_the_quick_parse_reads_argparse_reads_the_same(argv: list[str]) -> None:
    check(argv)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shaped())
def test_simple_shapes_are_read_as_argparse_reads_them(argv: list[str]) -> None:
    check(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "docs-example"],
        ["list", "docs-example", "--json"],
        ["--json", "list", "--all", "--limit", "100"],
        ["list", "--pagination-token", "abc=="],
        ["list", "--limit=5", "--emulator", "-v"],
        ["describe", "bkp_123abc", "--host", "http://localhost:5080"],
        ["create", "my-index", "--name", "nightly", "--wait", "--timeout", "3600"],
        ["delete", "a", "b", "--yes", "--missing-ok"],
        ["restore", "bkp", "--name", "restored", "--deletion-protection", "enabled", "--wait"],
        ["jobs", "--all", "--json"],
        ["job", "rj-1"],
        ["wait", "backup", "bkp", "--timeout", "60", "--poll-interval", "0.5"],
        ["wait", "index", "my-index", "--timeout", "60"],
        ["prune", "my-index", "--keep-last", "7", "--older-than", "2w", "--status", "ready"],
        ["prune", "a", "b", "--status", "Ready", "--status=Failed", "--yes", "--concurrency", "8"],
        ["list", "x", "--limit", "5", "--limit", "7", "--json", "--host", "h", "--host=i"],
        ["inventory", "--by", "status", "--format", "csv"],
        ["list", "docs-example", "--include-deleted", "--api-version", "2026-04"],
        ["--api-version=2026-07", "list", "docs-example", "--limit", "500"],
        ["restore", "bkp", "--name", "r", "--read-capacity", '{"mode": "OnDemand"}'],
        [
            *("schedule", "create", "idx", "--name", "n", "--frequency", "daily"),
            "--expire-after-days",
            "7",
        ],
        ["schedule", "list", "idx", "--all", "--json", "--api-version", "2026-07"],
        ["--api-version", "2026-07", "schedule", "describe", "s-1"],
        ["schedule", "update", "s-1", "--frequency", "weekly", "--enable"],
        ["schedule", "update", "s-1", "--enable", "--disable"],  # refused by its check
        ["schedule", "delete", "s-1", "--yes", "--missing-ok"],
        ["schedule", "history", "s-1", "--limit", "500"],
    ],
)
def test_the_usual_command_lines_are_read_quickly(argv: list[str]) -> None:
    assert check(argv)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["--version"],
        ["list", "--help"],
        ["lis", "docs-example"],  # not a command
        ["list", "--lim", "5"],  # an abbreviation
        ["list", "--limit", "5", "docs-example"],  # a positional after an option
        ["list", "--limit", "-5"],  # a value that looks like an option
        ["list", "--limit", "five"],  # a bad value
        ["list", "--", "docs-example"],
        ["list", "a", "b"],  # too many
        ["wait", "snapshot", "x"],  # not a choice
        ["restore", "bkp", "--name", "x", "--tag", "a=b"],  # a custom action
        ["restore", "bkp"],  # a required option missing
        ["list", "--host", "http://h", "--emulator"],  # not both
        ["--emulator", "list", "--host", "http://h"],
        ["prune", "--older-than", "0d"],
        ["list", "--api-version", "2024-01"],  # not a version the client speaks
        ["restore", "bkp", "--name", "x", "--read-capacity", "{"],  # not JSON
        ["restore", "bkp", "--name", "x", "--read-capacity", "[1]"],  # not an object
        ["schedule"],  # no subcommand
        ["schedule", "nope"],
        ["schedule", "--json", "list", "idx"],  # an option between command and subcommand
        ["schedule", "create", "idx", "--name", "n"],  # required options missing
        [
            *("schedule", "create", "idx", "--name", "n", "--frequency", "hourly"),
            "--expire-after-days",
            "7",
        ],
    ],
)
def test_the_others_are_left_to_argparse(argv: list[str]) -> None:
    assert read(_simple.parse, argv) is None
