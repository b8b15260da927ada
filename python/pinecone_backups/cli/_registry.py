"""The registry of commands (every command, in the order ``--help`` lists them) and the options
every command takes: what the application, the quick parse and the argparse parser all read."""

from __future__ import annotations

from pinecone_backups import API_VERSION, API_VERSIONS
from pinecone_backups.cli._output import LASTING_EMULATOR

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
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
    Entry("coverage", "show which indexes lack a recent Ready backup (exit status 6 if any)"),
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
    Entry(
        "policy",
        "check a backup policy file, run it (back up what is due, prune what its keep rules "
        "let go) or reconcile the server's backup schedules with it (dry runs without --yes)",
        usage_note="or a policy file that does not parse or validate (FILE:LINE: KEY: problem)",
    ),
    Entry("restore", "create an index from a backup"),
    Entry("jobs", "list restore jobs"),
    Entry("job", "show a restore job"),
    Entry("wait", "wait for a backup, a restore job or an index to be ready"),
    Entry(
        "schedule",
        "create, list, show, change and delete backup schedules, and see what they ran "
        "(API 2026-07)",
        usage_note="or a schedule delete not confirmed (no --yes when stdin is not a terminal)",
    ),
)
"""The registry: every command, in the order ``--help`` lists them. A command is a module of
this package named as the command, declaring its ``COMMAND`` (see ``_command.Command``)."""


GLOBAL_DEFAULTS = {
    "json": False,
    "host": None,
    "emulator": False,
    "api_version": None,
    "verbose": False,
}
"""The options every command takes, before or after the command's name, and their defaults
(``api_version``: ``None`` until the application reads ``$PINECONE_API_VERSION``)."""
LOG_VARIABLE = "PINECONE_BACKUPS_LOG"
VERSION_VARIABLE = "PINECONE_API_VERSION"


def versions_text() -> str:
    """``2025-10, 2026-04 or 2026-07``: the API versions the client speaks."""
    return ", ".join(API_VERSIONS[:-1]) + " or " + API_VERSIONS[-1]


def api_version(text: str) -> str:
    """An ``--api-version``: one of ``API_VERSIONS``."""
    if text not in API_VERSIONS:
        import argparse

        raise argparse.ArgumentTypeError(
            f"{text!r} is not an API version this client speaks: use {versions_text()}"
        )
    return text


def global_options(parser: Any, *, main: bool) -> None:
    """Adds the options of ``GLOBAL_DEFAULTS`` to the program's parser (``main``: with their
    defaults) or to a command's (with no default: ``SUPPRESS``, so that a command's parser does
    not reset an option given before the command)."""

    def default(name: str) -> Any:
        if main:
            return GLOBAL_DEFAULTS[name]
        import argparse

        return argparse.SUPPRESS

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
        "--api-version",
        type=api_version,
        metavar="V",
        default=default("api_version"),
        help=f"the API version to speak: {versions_text()} (default: ${VERSION_VARIABLE}, "
        f"else {API_VERSION}); schedules need 2026-07",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=default("verbose"),
        help=f"log every HTTP exchange on stderr (or set {LOG_VARIABLE}=debug)",
    )
