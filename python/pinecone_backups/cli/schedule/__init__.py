"""``pinecone-backups schedule``: backup schedules (API 2026-07), one module per subcommand
(``create``, ``list``, ``describe``, ``update``, ``delete``, ``history``), each declaring its
``COMMAND`` as a command does; this module declares the group (its help and its subcommands).

Every subcommand first checks that the API version chosen has schedules (``--api-version
2026-07``), before anything is sent."""

from __future__ import annotations

from pinecone_backups.cli._command import Group
from pinecone_backups.cli._registry import Entry

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse


COMMAND = Group(
    description="Manage backup schedules (API 2026-07: pass --api-version 2026-07 or set "
    "PINECONE_API_VERSION=2026-07): a schedule backs up an index every day, week or month and "
    "deletes the backups it made once they are older than its retention. An index has at most "
    "one enabled schedule.",
    examples=(
        "schedule create docs-example --name nightly --frequency daily --expire-after-days 7 "
        "--api-version 2026-07",
        "schedule list docs-example --api-version 2026-07",
        "schedule history SCHEDULE_ID --all --json --api-version 2026-07",
    ),
    subcommands=(
        Entry("create", "create a backup schedule of an index"),
        Entry("list", "list the backup schedules of an index"),
        Entry("describe", "show a backup schedule"),
        Entry("update", "change a schedule's frequency or retention, or enable or disable it"),
        Entry(
            "delete",
            "delete a backup schedule",
            usage_note="or a delete not confirmed (no --yes when stdin is not a terminal)",
        ),
        Entry("history", "list what a schedule ran: its backups, and the next one, Scheduled"),
    ),
)


def require_schedules(args: argparse.Namespace, subcommand: str, operation: str) -> None:
    """Refuses (exit status 2) ``schedule <subcommand>`` under an API version without
    schedules, before anything is sent, saying which ``--api-version`` has them."""
    from pinecone_backups.cli._versions import require

    require(args, f"schedule {subcommand}", operation)
