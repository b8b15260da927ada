"""``pinecone-backups policy schedules FILE``: the backup schedule (API 2026-07) the policy
implies for each index, where the server can express it, against the schedules that exist, like
a ``terraform plan``: create, update, disable or leave, and why (``plan_schedules``); the
indexes whose rules the server cannot express stay client-side, and the plan says so. Without
``--yes``, a dry run (GETs only). With ``--yes`` it applies the plan (``apply_schedules``), one
result line per action."""

from __future__ import annotations

import sys

from pinecone_backups.cli._command import EXIT_OK, EXIT_SOME_FAILED, Command
from pinecone_backups.cli._output import PROG, note, show_all
from pinecone_backups.cli.policy import file_argument, read_policy
from pinecone_backups.cli.policy.run import _concurrency

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the CLI starts faster)
if TYPE_CHECKING:
    import argparse

    import pinecone_backups as pb
    from pinecone_backups._policy_schedules import ScheduleAction, SchedulePlan, ScheduleReport
    from pinecone_backups.cli._command import _Arguments, _UsageErrors
    from pinecone_backups.cli._output import _Columns


def change(action: ScheduleAction) -> str:
    """What the action sends, in one cell: ``daily, keep 30d`` (create), ``frequency weekly ->
    daily, keep 7d -> 30d, enable`` (update), ``disable``; ``-`` (leave)."""
    if action.kind == "create":
        return f"{action.frequency}, keep {action.expire_after_days}d"
    if action.kind == "disable":
        return "disable"
    if action.kind == "leave":
        return "-"
    current = action.schedule
    assert current is not None
    parts = []
    if action.frequency is not None:
        parts.append(f"frequency {current.frequency} -> {action.frequency}")
    if action.expire_after_days is not None:
        parts.append(f"keep {current.retention_expire_after_days}d -> {action.expire_after_days}d")
    if action.enabled:
        parts.append("enable")
    return ", ".join(parts)


class ScheduleLine:
    """One index of the plan: what the plan says (``result`` ``None``) or, with ``--yes``, what
    was done (``created``, ``updated``, ``disabled``, ``failed``; ``-`` for ``leave``), the
    schedule as it is now (as the server answered, after an action that succeeded) and why."""

    __slots__ = ("action", "reason", "result", "schedule")

    def __init__(
        self,
        action: ScheduleAction,
        result: str | None,
        schedule: pb.BackupSchedule | None,
        reason: str,
    ) -> None:
        self.action = action
        self.result = result
        self.schedule = schedule
        self.reason = reason

    def to_json(self) -> str:
        import json

        action = self.action
        line: dict[str, object] = {"action": action.kind}
        if self.result is not None:
            line["result"] = self.result
        implied = action.implied
        line.update(
            index=action.index_name,
            rule=action.rule,
            name=action.name,
            schedule_id=None if self.schedule is None else self.schedule.schedule_id,
            implied={
                "frequency": implied.frequency,
                "expire_after_days": implied.expire_after_days,
            },
            change={
                key: value
                for key, value in (
                    ("frequency", action.frequency),
                    ("expire_after_days", action.expire_after_days),
                    ("enabled", action.enabled),
                )
                if value is not None
            },
            reason=self.reason,
            schedule=None if self.schedule is None else self.schedule.to_dict(),
            unmanaged=[schedule.to_dict() for schedule in action.unmanaged],
        )
        return json.dumps(line, separators=(",", ":"))


def _current(line: ScheduleLine) -> str:
    from pinecone_backups._policy_schedules import describe_schedule

    return describe_schedule(line.schedule)


COLUMNS: _Columns[ScheduleLine] = (
    ("ACTION", lambda line: line.action.kind),
    ("INDEX", lambda line: line.action.index_name),
    ("RULE", lambda line: line.action.rule or "-"),
    ("CURRENT", _current),
    ("IMPLIED", lambda line: line.action.implied.describe()),
    ("CHANGE", lambda line: change(line.action)),
    ("REASON", lambda line: line.reason),
)


def arguments(parser: _Arguments) -> None:
    file_argument(parser)
    parser.add_argument(
        "--yes",
        "-y",
        action="store_true",
        help="create, update and disable the schedules (without it: a dry run that shows the "
        "plan and sends only GETs)",
    )
    parser.add_argument(
        "--concurrency",
        type=_concurrency,
        default=4,
        metavar="N",
        help="requests in parallel, 1..64, for listing and changing schedules (default: 4)",
    )


def check(args: argparse.Namespace, parser: _UsageErrors) -> None:
    from pinecone_backups.cli._versions import require

    require(args, "policy schedules", "create_backup_schedule")
    read_policy(args)


def run(client: pb.Client, args: argparse.Namespace) -> int:
    from pinecone_backups._policy_schedules import apply_schedules, plan_schedules

    plan = plan_schedules(args.policy, client, concurrency=args.concurrency)
    if not args.yes:
        lines = [ScheduleLine(a, None, a.schedule, a.reason) for a in plan.indexes]
        if lines:  # no index: no table (the summary says 0)
            show_all(args.json, lines, COLUMNS)
            sys.stdout.flush()
        _notes(plan)
        note(f"dry run: {_planned(plan)}; nothing was changed (add --yes to do it)")
        return EXIT_OK

    report = apply_schedules(plan, client, concurrency=args.concurrency)
    _show_results(args, plan, report)
    return EXIT_OK if report.ok else EXIT_SOME_FAILED


def _notes(plan: SchedulePlan) -> None:
    """The schedules the policy leaves alone (not named ``policy-<index>``), one note each."""
    for index_name, schedule in plan.unmanaged:
        state = "enabled" if schedule.enabled else "disabled"
        note(
            f"note: schedule '{schedule.name}' ({schedule.schedule_id}, {state}) of index "
            f"'{index_name}' is not the policy's (policy-{index_name}): left alone"
        )


def _planned(plan: SchedulePlan) -> str:
    """``1 schedule would be created, 1 updated, 1 disabled and 2 left as they are, in 5
    indexes; 3 stay client-side (policy run backs them up and prunes them)``."""
    creates, updates, disables = len(plan.creates), len(plan.updates), len(plan.disables)
    count = len(plan.indexes)
    client_side = sum(
        action.rule is not None and not action.implied.server for action in plan.indexes
    )
    text = (
        f"{creates} schedule{'s' if creates != 1 else ''} would be created, {updates} updated, "
        f"{disables} disabled and {len(plan.leaves)} left as they are, in {count} "
        f"index{'es' if count != 1 else ''}"
    )
    if client_side:
        text += (
            f"; {client_side} stay{'s' if client_side == 1 else ''} client-side (policy run "
            "backs up and prunes what no schedule can)"
        )
    return text


def _show_results(args: argparse.Namespace, plan: SchedulePlan, report: ScheduleReport) -> None:
    results = {id(result.action): result for result in report.results}
    lines = []
    for action in plan.indexes:
        result = results.get(id(action))
        if result is None:  # leave: nothing sent
            lines.append(ScheduleLine(action, "-", action.schedule, action.reason))
        else:
            schedule = action.schedule if result.schedule is None else result.schedule
            lines.append(ScheduleLine(action, result.result, schedule, result.reason))
    columns = (("RESULT", lambda line: line.result or "-"), *COLUMNS)
    if lines:  # no index: no table (the summary says 0)
        show_all(args.json, lines, columns)
        sys.stdout.flush()
    _notes(plan)
    note(_done(report, plan))
    for result in report.failed:
        action = result.action
        note(
            f"{PROG}: error: could not {action.kind} schedule {action.name} of index "
            f"'{action.index_name}': {result.reason}"
        )


def _done(report: ScheduleReport, plan: SchedulePlan | None = None) -> str:
    """``1 created, 1 updated, 1 disabled, 2 left, 0 failed``."""
    done = [result.result for result in report.results]
    text = (
        f"{done.count('created')} created, {done.count('updated')} updated, "
        f"{done.count('disabled')} disabled, "
    )
    if plan is not None:
        text += f"{len(plan.leaves)} left, "
    return text + f"{len(report.failed)} failed"


def interrupted(interrupt: KeyboardInterrupt) -> None:
    """After Ctrl-C during ``policy schedules --yes``: what was done, what may have been (its
    request was under way), and how many actions were never started."""
    from pinecone_backups._policy_schedules import SchedulesInterrupted

    if not isinstance(interrupt, SchedulesInterrupted):
        return
    report, in_flight = interrupt.report, interrupt.in_flight
    note(
        f"{PROG}: policy schedules stopped: {_done(report)}; {len(in_flight)} under way (may "
        "have been done: list the index's schedules again to know, pinecone-backups schedule "
        f"list INDEX), {len(interrupt.not_started)} not started; no request was started after "
        "Ctrl-C"
    )
    for label, actions in (
        ("done", [result.action for result in report.done]),
        ("failed", [result.action for result in report.failed]),
        ("under way", list(in_flight)),
    ):
        if actions:
            items = (
                f"{action.kind} {action.name} (index '{action.index_name}')" for action in actions
            )
            note(f"{label}: " + ", ".join(items))


COMMAND = Command(
    description="Bring the server's backup schedules (API 2026-07) in line with a policy file, "
    "like a terraform plan. For each index, the schedule the policy implies where the server "
    "can express it: backup_every 24h is daily, 7d weekly, and keep_within (whole days, the only "
    "keep rule in effect) is expire_after_days; every other rule (another cadence, a keep "
    "count, keep_tags, no keep rule) stays client-side, for policy run, and the plan says why. "
    "Each index gets one action on its schedule policy-<index>: create, update (its frequency "
    "or retention differs, or it is disabled: re-enabling starts a backup at once), disable "
    "(the policy implies none, or no longer governs the index) or leave (up to date; or another "
    "enabled schedule of the index, left alone, would make the server refuse). Without --yes, "
    "show the plan only (only GETs are sent). With --yes: apply it, --concurrency requests at a "
    "time, one result line per index (created, updated, disabled, failed; - for leave). Exit "
    "status 5 when some action failed (the others were done).",
    examples=(
        "policy schedules policy.toml --api-version 2026-07",
        "policy schedules policy.toml --api-version 2026-07 --yes",
        "policy schedules policy.toml --api-version 2026-07 --yes --json",
    ),
    arguments=arguments,
    run=run,
    check=check,
    exits=(EXIT_SOME_FAILED,),
    interrupted=interrupted,
)
