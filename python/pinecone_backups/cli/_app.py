"""The application: ``main`` (parse, check, run, turn errors into exit statuses) and logging on
stderr. The registry of commands and the options every command takes are in ``_registry``.

A run imports only what it uses. A simple command line (``list docs-example --json``) is parsed
without argparse (``_simple``); argparse (``_parser``) parses the others, and prints ``--help``
and usage errors, building only the parser of the command it is handed. The command's module is
the only one imported; ``logging`` only to log (``--verbose``, ``PINECONE_BACKUPS_LOG``),
``secrets`` and the emulator only for ``--emulator``.
"""

from __future__ import annotations

import os
import sys

import pinecone_backups as pb
from pinecone_backups._format import printable
from pinecone_backups.cli._command import (
    EXIT_ERROR,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TIMEOUT,
    EXIT_USAGE,
    Command,
    Refused,
)
from pinecone_backups.cli._output import EMULATOR_NOTE, PROG, note, report
from pinecone_backups.cli._registry import LOG_VARIABLE, VERSION_VARIABLE, versions_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Any


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

    class _PrintableFormatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return printable(super().format(record))

    logger = logging.getLogger("pinecone_backups")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        _PrintableFormatter("%(asctime)s.%(msecs)03d %(levelname)s %(message)s", "%H:%M:%S")
    )
    handler.setLevel(level)
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(level)

    def undo() -> None:
        logger.setLevel(previous)
        logger.removeHandler(handler)

    return undo


def _api_version(args: argparse.Namespace) -> str:
    """The API version to speak: ``--api-version``'s (argparse checked it), else
    ``$PINECONE_API_VERSION``'s (as the client reads it: spaces around it ignored, empty is
    unset), else the client's default."""
    if args.api_version is not None:
        return str(args.api_version)
    name = os.environ.get(VERSION_VARIABLE, "").strip()
    if not name:
        return pb.API_VERSION
    if name not in pb.API_VERSIONS:
        raise _BadSetting(
            f"{VERSION_VARIABLE} is {name!r}, not an API version this client speaks: use "
            f"{versions_text()} (or --api-version)"
        )
    return name


def _check_usage(args: argparse.Namespace, command: Command) -> None:
    """What argparse cannot check alone; before anything is sent. Settles ``args.api_version``
    first (the commands' checks read it)."""
    args.api_version = _api_version(args)
    parser = args.command_parser
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
            with pb.Client(host=args.host, api_version=args.api_version) as client:
                return command.run(client, args)
        import secrets

        from pinecone_backups.testing import Emulator

        key = secrets.token_urlsafe(24)
        with (
            Emulator(api_key=key, api_versions=(args.api_version,)) as emulator,
            pb.Client(api_key=key, host=emulator.url, api_version=args.api_version) as client,
        ):
            return command.run(client, args)
    finally:
        if stop_logging is not None:
            stop_logging()


def _parse(argv: Sequence[str]) -> Any:
    """The command line read: quickly when it is simple, otherwise by argparse (which exits on
    ``--help``, ``--version`` and bad usage)."""
    from pinecone_backups.cli import _simple

    args = _simple.parse(argv)
    if args is None:
        from pinecone_backups.cli import _parser

        args = _parser.parser()[0].parse_args(argv)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command; returns the exit status (see :mod:`pinecone_backups.cli`)."""
    try:
        args = _parse(sys.argv[1:] if argv is None else list(argv))
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
    except (pb.BackupFailedError, pb.RestoreJobFailedError, pb.IndexFailedError) as error:
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
