"""``pinecone-backups policy``: a backup policy file (TOML), one module per subcommand
(``check``, ``run``, ``schedules``), each declaring its ``COMMAND`` as a command does; this
module declares the group (its help and its subcommands) and what they share: the ``FILE``
argument and reading it (:func:`read_policy`, in a subcommand's usage check: a file that does
not parse or validate exits with status 2 before anything is sent, each problem on its own
line, ``FILE:LINE: KEY: problem``).

A subcommand reads the policy from ``args.policy`` (a ``pinecone_backups.Policy``), set by
:func:`read_policy`. Adding one: its module here, an ``Entry`` in ``COMMAND.subcommands``.
"""

from __future__ import annotations

from pinecone_backups.cli._command import Group
from pinecone_backups.cli._registry import Entry

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse

    from pinecone_backups.cli._command import _Arguments


COMMAND = Group(
    description="Back up and prune by a policy written in a TOML file: [defaults] and "
    "[[rules]] tables, each with backup_every (a duration, or never) and keep rules (keep_last, "
    "keep_daily, keep_weekly, keep_monthly, keep_yearly, keep_within, keep_tags) and tz; the "
    "first rule whose match (a glob, or a list of globs, over index names) fits an index "
    "governs it, [defaults] filling what the rule leaves out and governing the indexes no rule "
    "matches. policy check validates the file and shows what governs each index; policy run "
    "creates the backups that are due and deletes what retention lets go (a dry run without "
    "--yes); policy schedules brings the server's backup schedules (API 2026-07) in line with "
    "it where the server can express it (a dry run without --yes).",
    examples=(
        "policy check policy.toml",
        "policy run policy.toml",
        "policy run policy.toml --yes --wait --timeout 3600",
        "policy schedules policy.toml --api-version 2026-07",
    ),
    subcommands=(
        Entry(
            "check",
            "validate a policy file and show which rule governs each index",
            usage_note="or a policy file that does not parse or validate",
        ),
        Entry(
            "run",
            "create the backups that are due and prune by the policy (a dry run without --yes)",
            usage_note="or a policy file that does not parse or validate",
        ),
        Entry(
            "schedules",
            "create, update or disable the server's backup schedules (API 2026-07) as the "
            "policy implies (a dry run without --yes)",
            usage_note="or a policy file that does not parse or validate, or an API version "
            "without schedules",
        ),
    ),
)


def file_argument(parser: _Arguments) -> None:
    """The ``FILE`` argument of every subcommand."""
    parser.add_argument("file", metavar="FILE", help="the policy file (TOML)")


def read_policy(args: argparse.Namespace) -> None:
    """Reads ``args.file`` into ``args.policy``, before anything is sent. A file that cannot be
    read or is not a valid policy is refused (exit status 2): every problem on stderr, one a
    line (``policy.toml:7: rules[1].keep_daily: expected a whole number >= 0, got -1``)."""
    from pinecone_backups._policy.file import PolicyError, load_policy
    from pinecone_backups.cli._command import Refused
    from pinecone_backups.cli._output import PROG, note

    try:
        args.policy = load_policy(args.file)
    except PolicyError as error:  # a file that cannot be read too (FILE: cannot read: ...)
        messages = error.messages()
        for message in messages[:-1]:
            note(f"{PROG}: error: {message}")
        raise Refused(messages[-1]) from None
