"""``pinecone-backups prune [INDEX...]``: deletes the backups that no keep rule keeps and that
match every filter given, with safety rails (``plan_prune``); without ``--yes``, a dry run
that shows the plan."""

from __future__ import annotations

import argparse
import sys

from pinecone_backups import _format, _status
from pinecone_backups.cli._arguments import TagAction, tag
from pinecone_backups.cli._command import EXIT_OK, EXIT_SOME_FAILED, Command, Refused, number_type
from pinecone_backups.cli._output import PROG, note, show_all

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import timedelta

    import pinecone_backups as pb
    from pinecone_backups.cli._command import _Arguments, _UsageErrors
    from pinecone_backups.cli._output import _Columns


class PruneLine:
    """One backup of a prune: what the plan says (``action``: delete or keep) or, with
    ``--yes``, what was done (``result``: deleted, skipped, failed or kept), and why."""

    __slots__ = ("backup", "key", "reason", "value")

    def __init__(self, key: str, value: str, backup: pb.Backup, reason: str) -> None:
        self.key = key  # "action" or "result"
        self.value = value
        self.backup = backup
        self.reason = reason

    def to_json(self) -> str:
        import json

        line = {
            self.key: self.value,
            "backup_id": self.backup.backup_id,
            "reason": self.reason,
            "backup": self.backup.to_dict(),
        }
        return json.dumps(line, separators=(",", ":"))


COLUMNS: _Columns[PruneLine] = (
    ("BACKUP ID", lambda line: line.backup.backup_id),
    ("INDEX", lambda line: line.backup.source_index_name),
    ("NAME", lambda line: _format.text(line.backup.name)),
    ("STATUS", lambda line: line.backup.status),
    ("CREATED AT", lambda line: _format.when(line.backup.created_at)),
    ("REASON", lambda line: line.reason),
)


# --- _Arguments ------------------------------------------------------------------------------


@number_type
def _count(text: str) -> int:
    """``--keep-last``, ``--keep-daily``...: a whole number >= 0."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return value


def _duration_type(flag: str, negative: str, zero: str) -> Callable[[str], timedelta]:
    """The type of a duration flag (``--older-than``, ``--keep-within``); ``negative`` and
    ``zero`` say what to write instead of a negative or zero duration."""

    @number_type
    def duration(text: str) -> timedelta:
        from pinecone_backups._durations import parse_duration

        if text.strip().startswith("-"):
            raise argparse.ArgumentTypeError(
                f"a duration cannot be negative, got {text!r} ({negative}: {flag} 5d)"
            )
        try:
            return parse_duration(text)
        except ValueError as error:
            if str(error).endswith("it must be more than 0"):
                raise argparse.ArgumentTypeError(
                    f"must be more than 0, got {text!r} ({zero})"
                ) from None
            raise argparse.ArgumentTypeError(str(error)) from None

    duration.__name__ = f"duration ({flag})"
    return duration


_older_than = _duration_type(
    "--older-than",
    "backups created more than 5 days ago",
    "every backup is older than 0; to select backups whatever their age, leave --older-than out",
)
_keep_within = _duration_type(
    "--keep-within",
    "to keep the backups created in the last 5 days",
    "--keep-within 0 keeps no backup; leave it out",
)


def _tz(text: str) -> str:
    """``--tz``: an IANA time zone name the system knows (checked before anything is sent)."""
    from pinecone_backups._prune import zone_info

    try:
        zone_info(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("tz ")) from None
    return text


BACKUP_STATUSES = _status.BACKUP_STATUSES
"""The backup statuses this command knows; ``--status`` matches them whatever the case."""


def _status_argument(text: str) -> str:
    """A ``--status``: a known status in its own spelling (``ready`` -> ``Ready``), or the text
    as given (checked against the listed backups by ``_selected_statuses``)."""
    status = text.strip()
    if not status:
        raise argparse.ArgumentTypeError(f"expected a status, got {text!r}")
    for known in BACKUP_STATUSES:
        if known.casefold() == status.casefold():
            return known
    return status


def _selected_statuses(given: list[str] | None, backups: list[pb.Backup]) -> list[str] | None:
    """The statuses ``--status`` selects: each given one, and every status of the listed backups
    that equals one of them but for case. A status this command does not know is accepted when
    a listed backup has it (with a note: the server may send statuses that are new to us), and
    refused otherwise: a typo must not select nothing in silence."""
    if given is None:
        return None
    seen = sorted({backup.status for backup in backups})
    selected: list[str] = []
    for status in given:
        matches = [s for s in seen if s.casefold() == status.casefold()]
        if status not in BACKUP_STATUSES:
            if not matches:
                raise Refused(
                    f"--status {status!r} is not a status pinecone-backups knows "
                    f"({', '.join(BACKUP_STATUSES)}; any case) and no backup listed has it; "
                    "nothing was deleted"
                )
            note(
                f"note: --status {status!r} is not a status pinecone-backups knows "
                f"({', '.join(BACKUP_STATUSES)}); it selects the backups the server lists as "
                + ", ".join(repr(s) for s in matches)
            )
        selected += [status, *matches]
    return list(dict.fromkeys(selected))


@number_type
def _concurrency(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 64, got {text!r}")
    return value


def arguments(parser: _Arguments) -> None:
    parser.add_argument(
        "indexes",
        metavar="INDEX",
        nargs="*",
        help="the indexes whose backups to prune (none: every index of the project)",
    )
    parser.add_argument(
        "--keep-last",
        type=_count,
        metavar="N",
        help="keep the N newest Ready backups of each index",
    )
    periods = (("daily", "days"), ("weekly", "ISO weeks"), ("monthly", "months"))
    for period, unit in (*periods, ("yearly", "years")):
        parser.add_argument(
            f"--keep-{period}",
            type=_count,
            metavar="N",
            help=f"keep the newest Ready backup of each of the N most recent {unit} that have one "
            "(per index, in --tz)",
        )
    parser.add_argument(
        "--keep-within",
        type=_keep_within,
        metavar="DURATION",
        help="keep every backup created DURATION ago or less, whatever its status: 36h, 7d, 2w, "
        "1d12h",
    )
    parser.add_argument(
        "--keep-tag",
        dest="keep_tags",
        type=tag,
        action="append",
        metavar="K=V",
        help="keep every backup with tag K=V, whatever its status (repeat: any of them)",
    )
    parser.add_argument(
        "--tz",
        type=_tz,
        metavar="ZONE",
        help="the time zone of the days, weeks, months and years of --keep-daily... (an IANA "
        "name such as Europe/Berlin; default: UTC)",
    )
    parser.add_argument(
        "--older-than",
        type=_older_than,
        metavar="DURATION",
        help="only backups created more than DURATION ago: 90m, 36h, 30d, 2w",
    )
    parser.add_argument(
        "--status",
        dest="statuses",
        type=_status_argument,
        action="append",
        metavar="S",
        help=f"only backups in status S ({', '.join(BACKUP_STATUSES)}, in any case; another "
        "status only if a listed backup has it; repeat for several); naming a status that is "
        "not final (Initializing, Pending) lets prune delete such backups",
    )
    parser.add_argument(
        "--tag",
        dest="tags",
        type=tag,
        action=TagAction,
        metavar="K=V",
        help="only backups with tag K=V (repeat: all of them)",
    )
    parser.add_argument(
        "--allow-empty",
        action="store_true",
        help="may delete the newest Ready backup of an index",
    )
    parser.add_argument(
        "--concurrency",
        type=_concurrency,
        default=4,
        metavar="N",
        help="deletions in parallel, 1..64 (default: 4)",
    )
    parser.add_argument(
        "--yes", "-y", action="store_true", help="delete (without it: a dry run, the plan only)"
    )


KEEP_RULES = (
    "keep_last",
    "keep_daily",
    "keep_weekly",
    "keep_monthly",
    "keep_yearly",
    "keep_within",
    "keep_tags",
)
"""The keep rules, as ``plan_prune`` and the ``args`` of this command name them."""


def check(args: argparse.Namespace, parser: _UsageErrors) -> None:
    rules = (*KEEP_RULES, "older_than", "statuses", "tags")
    if all(getattr(args, name) is None for name in rules):
        parser.error(
            "give at least one rule or filter: --keep-last, --keep-daily, --keep-weekly, "
            "--keep-monthly, --keep-yearly, --keep-within, --keep-tag, --older-than, --status "
            "or --tag"
        )


# --- Running --------------------------------------------------------------------------------


def _backups(client: pb.Client, indexes: Sequence[str]) -> list[pb.Backup]:
    """The backups of ``indexes`` (each once), or of the whole project without any."""
    if not indexes:
        return list(client.iter_project_backups())
    return [
        backup for index in dict.fromkeys(indexes) for backup in client.iter_index_backups(index)
    ]


def run(client: pb.Client, args: argparse.Namespace) -> int:
    from pinecone_backups._prune import CLI_OPTIONS, make_plan, order_key

    backups = _backups(client, args.indexes)
    plan = make_plan(  # plan_prune, whose reasons name the command's flags
        backups,
        indexes=args.indexes or None,  # a backup of another index is kept
        options=CLI_OPTIONS,
        keep_last=args.keep_last,
        keep_daily=args.keep_daily,
        keep_weekly=args.keep_weekly,
        keep_monthly=args.keep_monthly,
        keep_yearly=args.keep_yearly,
        keep_within=args.keep_within,
        keep_tags=None if args.keep_tags is None else [f"{k}={v}" for k, v in args.keep_tags],
        tz=args.tz,
        older_than=args.older_than,
        statuses=_selected_statuses(args.statuses, backups),
        tags=args.tags,
        allow_empty=args.allow_empty,
        restore_jobs=client.iter_restore_jobs(),  # the backups of Pending jobs are kept
    )
    planned = [("delete", *pair) for pair in plan.delete] + [("keep", *pair) for pair in plan.keep]
    planned.sort(key=lambda entry: order_key(entry[1]))  # per index, newest first
    if not args.yes:
        lines = [PruneLine("action", action, backup, why) for action, backup, why in planned]
        show_all(args.json, lines, (("ACTION", lambda line: line.value), *COLUMNS))
        sys.stdout.flush()
        note(
            f"dry run: {len(plan.delete)} of {_format.plural(len(planned), 'backup')} would be "
            f"deleted, {len(plan.keep)} kept; nothing was deleted (add --yes to delete them)"
        )
        return EXIT_OK

    report = client.prune(plan, concurrency=args.concurrency)
    done: dict[str, tuple[str, str]] = {
        backup.backup_id: ("deleted", "") for backup in report.deleted
    }
    done.update((backup.backup_id, ("skipped", why)) for backup, why in report.skipped)
    done.update(
        (backup.backup_id, ("failed", " ".join(str(error).split())))
        for backup, error in report.failed
    )
    lines = []
    for action, backup, why in planned:
        result, detail = done[backup.backup_id] if action == "delete" else ("kept", why)
        lines.append(PruneLine("result", result, backup, detail or why))
    show_all(args.json, lines, (("RESULT", lambda line: line.value), *COLUMNS))
    sys.stdout.flush()
    reasons = sorted({why for _, why in report.skipped})
    counts = [sum(why == reason for _, why in report.skipped) for reason in reasons]
    skipped = ", ".join(f"{count} {reason}" for count, reason in zip(counts, reasons, strict=True))
    note(
        f"{len(report.deleted)} deleted, {len(report.skipped)} skipped"
        + (f" ({skipped})" if skipped else "")
        + f", {len(report.failed)} failed, {len(plan.keep)} kept"
    )
    for backup, error in report.failed:
        message = " ".join(str(error).split())
        note(
            f"{PROG}: error: could not delete backup {backup.backup_id} of index "
            f"'{backup.source_index_name}': {message}"
        )
    return EXIT_SOME_FAILED if report.failed else EXIT_OK


def interrupted(interrupt: KeyboardInterrupt) -> None:
    """After Ctrl-C during ``prune --yes``: which deletions happened, which may have (their
    request was under way), and how many were never started."""
    from pinecone_backups._prune import PruneInterrupted

    if not isinstance(interrupt, PruneInterrupted):
        return
    report, in_flight = interrupt.report, interrupt.in_flight
    note(
        f"{PROG}: prune stopped: {len(report.deleted)} deleted, {len(in_flight)} may have been "
        f"deleted (their DELETE was under way: list them again to know), "
        f"{len(report.skipped)} skipped, {len(report.failed)} failed, "
        f"{len(interrupt.not_started)} not started; no request was started after Ctrl-C"
    )
    for label, backups in (("deleted", report.deleted), ("may have been deleted", in_flight)):
        if backups:
            note(f"{label}: " + ", ".join(backup.backup_id for backup in backups))


COMMAND = Command(
    description="Delete the backups of the INDEXes (or of every index) that no keep rule keeps "
    "and that match every filter given (at least one rule or filter). Keep rules, per index: "
    "--keep-last N (the N newest Ready backups), --keep-daily/--keep-weekly/--keep-monthly/"
    "--keep-yearly N (the newest Ready backup of each of the N most recent days, ISO weeks, "
    "months, years that have one, in UTC or --tz), --keep-within D (created D ago or less), "
    "--keep-tag K=V; a kept backup's reason names every rule and bucket that keeps it (daily "
    "2026-12-05; weekly 2026-W49). Filters: --older-than, --status, --tag. Without --yes, show "
    "the plan only: each backup, delete or keep, and why. Safety rails: the newest Ready backup "
    "of an index is kept (--allow-empty lifts this); so is a backup that a Pending restore "
    "job uses (the server's 412 while deleting is reported as skipped: restore pending), "
    "and one whose status is not final (Initializing, Pending) unless --status names it. "
    "A backup deleted meanwhile by someone else (404) is skipped as already gone.",
    examples=(
        "prune my-index --keep-last 7",
        "prune --keep-daily 7 --keep-weekly 4 --keep-monthly 12 --tz Europe/Berlin",
        "prune --status Failed --older-than 2w --yes",
    ),
    arguments=arguments,
    run=run,
    check=check,
    exits=(EXIT_SOME_FAILED,),
    interrupted=interrupted,
)
