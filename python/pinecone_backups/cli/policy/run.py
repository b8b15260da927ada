"""``pinecone-backups policy run FILE``: what a policy would do now, per index: create a backup
(when its newest ``Ready`` or running backup is older than ``backup_every``) and delete what its
keep rules let go (``plan_policy``); without ``--yes``, a dry run that only shows it (GETs
only). With ``--yes`` it creates, waits (``--wait``), then deletes (``run_policy``), one result
line per action."""

from __future__ import annotations

import sys

from pinecone_backups import _format
from pinecone_backups.cli._command import EXIT_OK, EXIT_SOME_FAILED, Command, number_type
from pinecone_backups.cli._output import PROG, note, show_all
from pinecone_backups.cli._waiting import seconds
from pinecone_backups.cli.policy import file_argument, read_policy

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse

    import pinecone_backups as pb
    from pinecone_backups._policy.plan import PolicyAction, PolicyPlan
    from pinecone_backups._policy.run import PolicyReport
    from pinecone_backups.cli._command import _Arguments, _UsageErrors
    from pinecone_backups.cli._output import _Columns


class ActionLine:
    """One action of a policy run: what the plan says (``result`` ``None``) or, with ``--yes``,
    what was done (``result``: created, deleted, skipped or failed), the backup concerned (the
    one deleted; the one created, as last seen) and why."""

    __slots__ = ("action", "backup", "reason", "result")

    def __init__(
        self, action: PolicyAction, result: str | None, backup: pb.Backup | None, reason: str
    ) -> None:
        self.action = action
        self.result = result
        self.backup = backup
        self.reason = reason

    def to_json(self) -> str:
        import json

        line: dict[str, object] = {"action": self.action.kind}
        if self.result is not None:
            line["result"] = self.result
        line.update(
            index=self.action.index_name,
            rule=self.action.rule,
            name=self.action.name,
            backup_id=None if self.backup is None else self.backup.backup_id,
            reason=self.reason,
            backup=None if self.backup is None else self.backup.to_dict(),
        )
        return json.dumps(line, separators=(",", ":"))


COLUMNS: _Columns[ActionLine] = (
    ("ACTION", lambda line: line.action.kind),
    ("INDEX", lambda line: line.action.index_name),
    ("RULE", lambda line: line.action.rule),
    ("BACKUP ID", lambda line: "-" if line.backup is None else line.backup.backup_id),
    ("NAME", lambda line: _format.text(line.action.name)),
    ("STATUS", lambda line: "-" if line.backup is None else line.backup.status),
    (
        "CREATED AT",
        lambda line: "-" if line.backup is None else _format.when(line.backup.created_at),
    ),
    ("REASON", lambda line: line.reason),
)


@number_type
def _concurrency(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 64:
        import argparse

        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 64, got {text!r}")
    return value


def arguments(parser: _Arguments) -> None:
    file_argument(parser)
    parser.add_argument(
        "--yes",
        "-y",
        action="store_true",
        help="create and delete (without it: a dry run that shows the plan and sends only GETs)",
    )
    parser.add_argument(
        "--wait",
        action="store_true",
        help="with --yes: wait until the backups created are Ready before deleting; the "
        "deletes of an index whose new backup fails or is not Ready in time are skipped",
    )
    parser.add_argument(
        "--timeout",
        type=seconds,
        metavar="S",
        help="with --wait: wait S seconds at most for all of them; a backup not Ready by then "
        "fails its action, exit status 5 (default: as long as it takes)",
    )
    parser.add_argument(
        "--poll-interval",
        type=seconds,
        metavar="S",
        help="with --wait: poll every S seconds (default: adaptive, from 1 s growing to 15 s)",
    )
    parser.add_argument(
        "--concurrency",
        type=_concurrency,
        default=4,
        metavar="N",
        help="requests in parallel, 1..64, for listing, creating, polling and deleting "
        "(default: 4)",
    )


def check(args: argparse.Namespace, parser: _UsageErrors) -> None:
    if args.wait and not args.yes:
        parser.error("--wait needs --yes (a dry run creates nothing to wait for)")
    if not args.wait:
        for option in ("timeout", "poll_interval"):
            if getattr(args, option) is not None:
                parser.error(f"--{option.replace('_', '-')} needs --wait")
    read_policy(args)


def run(client: pb.Client, args: argparse.Namespace) -> int:
    from pinecone_backups._policy.plan import plan_policy

    plan = plan_policy(args.policy, client, concurrency=args.concurrency)
    if not args.yes:
        lines = [ActionLine(action, None, action.backup, action.reason) for action in plan.actions]
        if lines:  # nothing to do: no table (the summary says 0)
            show_all(args.json, lines, COLUMNS)
            sys.stdout.flush()
        note(f"dry run: {_planned(plan)}; nothing was created or deleted (add --yes to do it)")
        return EXIT_OK

    from pinecone_backups._policy.run import run_policy

    report = run_policy(
        plan,
        client,
        wait=args.wait,
        timeout=args.timeout,
        poll_interval=args.poll_interval,
        concurrency=args.concurrency,
    )
    _show_results(args, report)
    return EXIT_OK if report.ok else EXIT_SOME_FAILED


def _planned(plan: PolicyPlan) -> str:
    """``2 backups would be created and 29 deleted, in 3 of 5 indexes (1 not governed)``."""
    creates, deletes = len(plan.creates), len(plan.deletes)
    busy = sum(bool(index.actions) for index in plan.indexes)
    ungoverned = sum(index.settings is None for index in plan.indexes)
    text = (
        f"{_format.plural(creates, 'backup')} would be created and {deletes} deleted, in {busy} "
        f"of {len(plan.indexes)} index{'es' if len(plan.indexes) != 1 else ''}"
    )
    return text + (f" ({ungoverned} not governed)" if ungoverned else "")


def _show_results(args: argparse.Namespace, report: PolicyReport) -> None:
    lines = [
        ActionLine(result.action, result.result, result.backup, result.reason)
        for result in report.results
    ]
    columns = (("RESULT", lambda line: line.result or "-"), *COLUMNS)
    if lines:  # nothing done: no table (the summary says 0)
        show_all(args.json, lines, columns)
        sys.stdout.flush()
    note(_done(report))
    for result in report.failed:
        action = result.action
        if action.kind == "delete":
            assert action.backup is not None
            what = f"could not delete backup {action.backup.backup_id} of index "
        elif result.backup is not None:
            what = f"backup {result.backup.backup_id} ({action.name}) of index "
        else:
            what = f"could not create backup {action.name} of index "
        # quoted, not repr(): note() escapes the line once
        note(f"{PROG}: error: {what}'{action.index_name}': {result.reason}")


def _done(report: PolicyReport) -> str:
    """``2 created, 29 deleted, 1 skipped (1 already gone), 0 failed``."""
    reasons = sorted({result.reason for result in report.skipped})
    counts = [sum(r.reason == reason for r in report.skipped) for reason in reasons]
    skipped = ", ".join(f"{count} {reason}" for count, reason in zip(counts, reasons, strict=True))
    return (
        f"{len(report.created)} created, {len(report.deleted)} deleted, "
        f"{len(report.skipped)} skipped"
        + (f" ({skipped})" if skipped else "")
        + f", {len(report.failed)} failed"
    )


def interrupted(interrupt: KeyboardInterrupt) -> None:
    """After Ctrl-C during ``policy run --yes``: what was done, what may have been (its request
    was under way), and how many actions were never started."""
    from pinecone_backups._policy.run import PolicyInterrupted

    if not isinstance(interrupt, PolicyInterrupted):
        return
    report, in_flight = interrupt.report, interrupt.in_flight
    note(
        f"{PROG}: policy run stopped: {_done(report)}; {len(in_flight)} under way (may have "
        f"been done: list the backups again to know), {len(interrupt.not_started)} not "
        "started; no request was started after Ctrl-C"
    )
    created = [r.backup.backup_id for r in report.created if r.backup is not None]
    deleted = [r.backup.backup_id for r in report.deleted if r.backup is not None]
    maybe = [
        f"{action.kind} {action.name if action.backup is None else action.backup.backup_id}"
        for action in in_flight
    ]
    for label, items in (("created", created), ("deleted", deleted), ("under way", maybe)):
        if items:
            note(f"{label}: " + ", ".join(items))


COMMAND = Command(
    description="Do what a policy file says, index by index: create a backup of each index "
    "whose newest Ready or running backup is older than its backup_every (or that has none), "
    "named policy-<index>-<UTC time>, and delete the backups its keep rules do not keep, with "
    "prune's safety rails (the newest Ready backup, backups of unfinished restore jobs, "
    "backups not final or of unknown age are kept). Without --yes, show the plan only: each "
    "action (create, delete) and why; only GETs are sent. With --yes: create, wait (--wait), "
    "then delete, --concurrency requests at a time, one result line per action (created, "
    "deleted, skipped, failed). The deletes of an index whose new backup could not be created "
    "(or, with --wait, did not become Ready) are skipped, so its older backups stay; a backup "
    "the run created is never deleted. Exit status 5 when some action failed (the others were "
    "done).",
    examples=(
        "policy run policy.toml",
        "policy run policy.toml --yes",
        "policy run policy.toml --yes --wait --timeout 3600 --json",
    ),
    arguments=arguments,
    run=run,
    check=check,
    exits=(EXIT_SOME_FAILED,),
    interrupted=interrupted,
)
