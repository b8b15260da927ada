"""Planning a policy (``Policy.plan``, a pure function, and ``pb.plan_policy``, which fetches what
it plans from): when a backup is created (running backups count, failed ones and those of unknown
age or of a deleted index do not, ``never``, an index not ready, none at all), its name, what
retention deletes per rule (each keep rule and ``tz`` exactly as ``plan_prune`` with the same
arguments, on the README's 40 backups), the safety rails (a policy never deletes what
``plan_prune`` would not), indexes nothing governs, and the GETs ``plan_policy`` sends."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups._native import Index
from pinecone_backups._policy.plan import backup_name
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY
from tests.toolkit.test_calendar_retention import example_backups, readme_example

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
STAMP = "20261206t120000z"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def backup(
    backup_id: str,
    created: str | None,
    status: str = "Ready",
    *,
    index: str = "prod",
    tags: dict[str, str] | None = None,
    deleted_at: str | None = None,
) -> pb.Backup:
    raw: dict[str, Any] = {
        "backup_id": backup_id,
        "source_index_name": index,
        "source_index_id": f"id-{index}",
        "status": status,
        "cloud": "aws",
        "region": "us-east-1",
        "name": backup_id,
        "tags": tags or {},
    }
    if created is not None:
        raw["created_at"] = created.replace(" ", "T") + ":00Z"
    if deleted_at is not None:
        raw["source_index_deleted_at"] = deleted_at
    return pb.Backup.from_dict(raw)


def index(name: str, state: str = "Ready", ready: bool | None = None) -> Index:
    ready = state == "Ready" if ready is None else ready
    return Index.from_dict({"name": name, "status": {"ready": ready, "state": state}})


def policy(text: str) -> pb.Policy:
    return pb.Policy.from_toml(text, filename="policy.toml")


DAILY = policy('[defaults]\nbackup_every = "24h"\n')


# -- When a backup is created ----------------------------------------------------------------

CREATE_CASES: list[tuple[str, list[pb.Backup], str | None]] = [
    # (what, the index's backups, the create reason; None: no backup created)
    ("no backup at all", [], "no Ready or running backup; backup_every 1d (defaults)"),
    (
        "the newest Ready backup is older than backup_every",
        [backup("a", "2026-12-05 11:59"), backup("b", "2026-12-01 00:00")],
        "newest Ready or running backup a (Ready) created 24h ago, more than backup_every 1d "
        "(defaults)",
    ),
    (
        "exactly backup_every old: not due",
        [backup("a", "2026-12-05 12:00")],
        None,
    ),
    (
        "a running backup within backup_every counts",
        [backup("new", "2026-12-06 03:00", "Initializing"), backup("old", "2026-12-01 00:00")],
        None,
    ),
    (
        "a Pending one too (any status not failed)",
        [backup("new", "2026-12-06 03:00", "Pending")],
        None,
    ),
    (
        "an unknown status is running",
        [backup("new", "2026-12-06 03:00", "FailoverPending")],
        None,
    ),
    (
        "a failed backup does not count",
        [backup("f", "2026-12-06 11:00", "Failed"), backup("old", "2026-12-03 12:00")],
        "newest Ready or running backup old (Ready) created 3d ago, more than backup_every 1d "
        "(defaults)",
    ),
    (
        "InitializationFailed neither",
        [backup("f", "2026-12-06 11:00", "InitializationFailed")],
        "no Ready or running backup; backup_every 1d (defaults)",
    ),
    (
        "nor one whose age is unknown",
        [backup("u", None)],
        "no Ready or running backup; backup_every 1d (defaults)",
    ),
    (
        "nor a backup of a deleted index of that name",
        [backup("d", "2026-12-06 11:00", deleted_at="2026-12-06T11:30:00Z")],
        "no Ready or running backup; backup_every 1d (defaults)",
    ),
    (
        "nor another index's backup",
        [backup("x", "2026-12-06 11:00", index="prod-2")],
        "no Ready or running backup; backup_every 1d (defaults)",
    ),
    (
        "a backup created a few minutes after now (clock skew) is recent",
        [backup("f", "2026-12-06 12:05")],
        None,
    ),
    (
        "but one dated later is of unknown age: it does not count",
        [backup("f", "2026-12-07 00:00"), backup("old", "2026-12-03 12:00")],
        "newest Ready or running backup old (Ready) created 3d ago, more than backup_every 1d "
        "(defaults)",
    ),
    (
        "even when it is the only one",
        [backup("f", "2099-01-01 00:00")],
        "no Ready or running backup of known age (1 dated in the future, not counted); "
        "backup_every 1d (defaults)",
    ),
]


@pytest.mark.parametrize(
    ("backups", "reason"), [case[1:] for case in CREATE_CASES], ids=[c[0] for c in CREATE_CASES]
)
def test_when_a_backup_is_created(backups: list[pb.Backup], reason: str | None) -> None:
    plan = DAILY.plan([index("prod")], backups, now=NOW)
    (planned,) = plan.indexes
    assert planned.index_name == "prod"
    if reason is None:
        assert planned.create is None
        assert "within backup_every 1d (defaults)" in planned.reason, planned.reason
    else:
        assert planned.create == pb.PolicyAction(
            "create", "prod", f"policy-prod-{STAMP}", None, "defaults", reason
        )
        assert planned.reason == reason
    assert plan.creates == (() if reason is None else (planned.create,))
    assert planned.prune is None  # no keep rule: nothing deleted
    assert plan.deletes == ()


def test_the_reason_when_not_due_names_the_newest_backup_and_its_age() -> None:
    plan = DAILY.plan([index("prod")], [backup("a", "2026-12-06 09:00")], now=NOW)
    assert plan.indexes[0].reason == (
        "newest Ready or running backup a (Ready) created 3h ago, within backup_every 1d (defaults)"
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('[defaults]\nbackup_every = "never"\nkeep_last = 1\n', "backup_every never (defaults)"),
        ("[defaults]\nkeep_last = 1\n", "backup_every never (defaults)"),  # left out: never
        (
            '[defaults]\nbackup_every = "1h"\n[[rules]]\nmatch = "p*"\nbackup_every = "never"\n',
            "backup_every never (rules[0])",
        ),
    ],
)
def test_never_creates_nothing(text: str, reason: str) -> None:
    plan = policy(text).plan([index("prod")], [], now=NOW)
    assert plan.indexes[0].create is None and plan.indexes[0].reason == reason


@pytest.mark.parametrize(("state", "ready"), [("Initializing", False), ("Terminating", False)])
def test_an_index_that_is_not_ready_gets_no_backup_now(state: str, ready: bool) -> None:
    plan = DAILY.plan([index("prod", state, ready)], [], now=NOW)
    assert plan.indexes[0].create is None
    assert plan.indexes[0].reason == (
        f"index not ready (state {state}): no backup now; backup_every 1d (defaults)"
    )


def test_an_index_of_unknown_readiness_or_given_by_name_is_backed_up() -> None:
    unknown = Index.from_dict({"name": "prod"})  # no status
    for given in (unknown, "prod"):
        plan = DAILY.plan([given], [], now=NOW)
        assert plan.indexes[0].create is not None


@pytest.mark.parametrize(
    ("name", "now", "expected"),
    [
        ("prod", NOW, "policy-prod-20261206t120000z"),
        (
            "prod",
            dt.datetime(2026, 12, 6, 13, 0, 5, 999, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            "policy-prod-20261206t120005z",
        ),  # in UTC, to the second
        ("a" * 21, NOW, f"policy-{'a' * 21}-{STAMP}"),  # 45 characters
        ("a" * 45, NOW, f"policy-{'a' * 21}-{STAMP}"),  # the index's name cut
        ("abc-" + "d" * 17 + "-e", NOW, f"policy-abc-{'d' * 17}-{STAMP}"),  # no '-' left at a cut
    ],
)
def test_the_name_of_a_new_backup(name: str, now: dt.datetime, expected: str) -> None:
    assert backup_name(name, now) == expected
    assert len(expected) <= 45


def test_the_plan_is_per_index_by_name_and_governs_what_rules_say() -> None:
    text = """\
[[rules]]
match = "prod-*"
backup_every = "12h"
keep_last = 1

[[rules]]
match = "dev-*"
backup_every = "never"
"""
    plan = policy(text).plan(
        [index("zeta"), index("prod-b"), index("dev-a"), index("prod-a"), index("prod-a")],
        [
            backup("p1", "2026-12-06 06:00", index="prod-a"),
            backup("p2", "2026-12-05 06:00", index="prod-a"),
            backup("b1", "2026-12-05 06:00", index="prod-b"),
            backup("z1", "2026-11-01 06:00", index="zeta"),
        ],
        now=NOW,
    )
    assert [p.index_name for p in plan.indexes] == ["dev-a", "prod-a", "prod-b", "zeta"]
    dev, prod_a, prod_b, zeta = plan.indexes
    assert dev.settings is not None and dev.settings.rule == "rules[1]"
    assert dev.create is None and dev.prune is None
    assert prod_a.create is None  # 6h old, within 12h
    assert [a.backup.backup_id for a in prod_a.deletes if a.backup] == ["p2"]
    assert prod_b.create is not None and prod_b.create.name == f"policy-prod-b-{STAMP}"
    assert prod_b.deletes == ()
    assert zeta.settings is None and zeta.create is None and zeta.prune is None
    assert zeta.reason == "not governed: no rule matches it and the policy has no [defaults]"
    assert [(a.kind, a.index_name) for a in plan.actions] == [
        ("delete", "prod-a"),
        ("create", "prod-b"),
    ]
    (delete,) = plan.deletes
    assert delete == pb.PolicyAction(
        "delete",
        "prod-a",
        "p2",
        delete.backup,
        "rules[0]",
        "not the newest Ready backup of its index (keep last 1)",
    )
    assert plan.policy.rules[0].match == ("prod-*",) and plan.now == NOW


# -- What retention deletes: each rule exactly as plan_prune ---------------------------------

EXAMPLE = example_backups(readme_example()[0])  # the README's 40 backups of index "prod"

RULES: list[tuple[str, dict[str, Any]]] = [
    ("keep_last = 5", {"keep_last": 5}),
    ("keep_daily = 7", {"keep_daily": 7}),
    ("keep_weekly = 4", {"keep_weekly": 4}),
    ("keep_monthly = 3", {"keep_monthly": 3}),
    ("keep_yearly = 1", {"keep_yearly": 1}),
    ('keep_within = "10d"', {"keep_within": dt.timedelta(days=10)}),
    ('keep_tags = ["pin=yes"]', {"keep_tags": ["pin=yes"]}),
    ('keep_tags = { pin = "yes" }', {"keep_tags": {"pin": "yes"}}),
    (
        'keep_daily = 7\nkeep_weekly = 4\nkeep_monthly = 3\ntz = "Pacific/Kiritimati"',
        {"keep_daily": 7, "keep_weekly": 4, "keep_monthly": 3, "tz": "Pacific/Kiritimati"},
    ),
    (
        'keep_daily = 7\nkeep_weekly = 4\nkeep_monthly = 3\nkeep_within = "10d"\n'
        'keep_tags = ["pin=yes"]',
        {
            "keep_daily": 7,
            "keep_weekly": 4,
            "keep_monthly": 3,
            "keep_within": dt.timedelta(days=10),
            "keep_tags": ["pin=yes"],
        },
    ),
    ("keep_last = 1\nkeep_yearly = 2", {"keep_last": 1, "keep_yearly": 2}),
]


@pytest.mark.parametrize(("keys", "options"), RULES, ids=[keys for keys, _ in RULES])
def test_each_keep_rule_deletes_what_plan_prune_deletes(keys: str, options: dict[str, Any]) -> None:
    jobs = [pb.RestoreJob.from_dict(job) for job in (RESTORE_OF_B30,)]
    plan = policy(f"[defaults]\n{keys}\n").plan(
        [index("prod")], EXAMPLE, restore_jobs=jobs, now=NOW
    )
    expected = pb.plan_prune(EXAMPLE, **options, indexes=["prod"], restore_jobs=jobs, now=NOW)
    (planned,) = plan.indexes
    assert planned.prune is not None
    assert [b.backup_id for b, _ in planned.prune.delete] == [
        b.backup_id for b, _ in expected.delete
    ]
    assert [why for _, why in planned.prune.delete] == [why for _, why in expected.delete]
    python_words = {
        "allow_empty=True lifts this": "no policy key lifts this",
        "select it with statuses": "select it with prune --status",
    }
    for (kept, why), (same, reason) in zip(planned.prune.keep, expected.keep, strict=True):
        assert kept == same
        for python, policy_words in python_words.items():
            reason = reason.replace(python, policy_words)
        assert why == reason
    assert [a.backup for a in plan.deletes] == [b for b, _ in expected.delete]
    assert "b30" not in {b.backup_id for b, _ in planned.prune.delete}  # restore job uses it


RESTORE_OF_B30 = {
    "restore_job_id": "job-1",
    "backup_id": "b30",
    "target_index_name": "copy",
    "target_index_id": "id-copy",
    "status": "InProgress",
    "created_at": "2026-12-06T11:00:00Z",
    "percent_complete": 50.0,
}


def test_the_rails_stand_a_policy_never_deletes_what_plan_prune_keeps() -> None:
    # keep_within 1h keeps nothing here: every backup is a candidate; the rails still keep the
    # newest Ready one, one a restore job uses, one not final and one of unknown age.
    backups = [
        backup("running", "2026-12-06 10:00", "Initializing"),
        backup("newest", "2026-12-05 12:00"),
        backup("restoring", "2026-12-04 12:00"),
        backup("failed", "2026-12-03 12:00", "Failed"),
        backup("unknown", None),
        backup("old", "2026-12-01 12:00"),
    ]
    job = dict(RESTORE_OF_B30, backup_id="restoring")
    plan = policy('[defaults]\nkeep_within = "1h"\n').plan(
        [index("prod")], backups, restore_jobs=[pb.RestoreJob.from_dict(job)], now=NOW
    )
    (planned,) = plan.indexes
    assert planned.prune is not None
    kept = {b.backup_id: why for b, why in planned.prune.keep}
    assert kept == {
        "running": "safety: status Initializing is not final (select it with prune --status to "
        "delete it)",
        "newest": "safety: newest Ready backup of index 'prod' (no policy key lifts this)",
        "restoring": "safety: restore job job-1 (InProgress) uses it",
        "unknown": "safety: created_at unreadable (absent), so its age is unknown",
    }
    assert {b.backup_id for b, _ in planned.prune.delete} == {"failed", "old"}


def test_zeros_switch_inherited_rules_off_and_without_a_keep_rule_nothing_is_deleted() -> None:
    text = """\
[defaults]
keep_daily = 1
keep_within = "1h"
keep_tags = ["pin=yes"]

[[rules]]
match = "scratch"
keep_daily = 0
keep_within = "0s"
keep_tags = []
"""
    backups = [backup(f"b{day}", f"2026-12-0{day} 12:00", index="scratch") for day in range(1, 6)]
    plan = policy(text).plan([index("scratch")], backups, now=NOW)
    assert plan.indexes[0].prune is None and plan.deletes == ()
    other = policy(text).plan(
        [index("prod")],
        [dataclasses.replace(b, source_index_name="prod") for b in backups],
        now=NOW,
    )
    assert [a.backup.backup_id for a in other.deletes if a.backup] == ["b4", "b3", "b2", "b1"]


def test_the_backup_to_create_is_never_among_the_deletes() -> None:
    # keep_last 1 with a due backup: the plan deletes all but the newest Ready backup it
    # listed; the new one is not listed (it does not exist yet), so it cannot be deleted.
    backups = [backup("b1", "2026-12-04 12:00"), backup("b2", "2026-12-03 12:00")]
    plan = policy('[defaults]\nbackup_every = "1d"\nkeep_last = 1\n').plan(
        [index("prod")], backups, now=NOW
    )
    (planned,) = plan.indexes
    assert planned.create is not None
    assert [a.backup.backup_id for a in planned.deletes if a.backup] == ["b2"]
    assert all(a.name != planned.create.name for a in planned.deletes)
    assert planned.actions == (planned.create, *planned.deletes)


def test_bad_arguments_of_plan() -> None:
    with pytest.raises(pb.ArgumentTypeError, match="indexes must be a collection"):
        DAILY.plan("prod", [])
    with pytest.raises(pb.ArgumentTypeError, match="indexes must be Index objects"):
        DAILY.plan([1], [])  # type: ignore[list-item]
    with pytest.raises(pb.ArgumentTypeError, match="backups must be Backup objects"):
        DAILY.plan(["prod"], ["b"])  # type: ignore[list-item]
    with pytest.raises(pb.ArgumentTypeError, match="restore_jobs must be RestoreJob objects"):
        DAILY.plan(["prod"], [], restore_jobs=["j"])  # type: ignore[list-item]
    with pytest.raises(pb.ValidationError, match="now must be a timezone-aware datetime"):
        DAILY.plan(["prod"], [], now=dt.datetime(2026, 1, 1))


def test_plans_are_frozen_dataclass_like_and_pickle() -> None:
    plan = policy('[defaults]\nbackup_every = "1d"\nkeep_last = 1\n').plan(
        [index("prod")],
        [backup("b1", "2026-12-04 12:00"), backup("b2", "2026-12-03 12:00")],
        now=NOW,
    )
    for obj in (plan, plan.indexes[0], plan.creates[0], plan.deletes[0]):
        assert pickle.loads(pickle.dumps(obj)) == obj
        assert dataclasses.replace(obj) == obj
        assert [f.name for f in dataclasses.fields(obj)] == list(obj.__match_args__)


# -- plan_policy: fetching what to plan from --------------------------------------------------


def seed(emu: Emulator) -> None:
    emu.add_index("prod-a")
    emu.add_index("prod-b")
    emu.add_index("dev")
    emu.add_backup("prod-a", backup_id="a-new", created_at="2026-12-06T06:00:00Z")
    emu.add_backup("prod-a", backup_id="a-old", created_at="2026-12-01T06:00:00Z")
    emu.add_backup("prod-b", backup_id="b-old", created_at="2026-12-01T06:00:00Z")
    emu.add_backup("dev", backup_id="d-old", created_at="2026-12-01T06:00:00Z")


PROD_ONLY = policy('[[rules]]\nmatch = "prod-*"\nbackup_every = "12h"\nkeep_last = 1\n')


def check_prod_only(plan: pb.PolicyPlan, emu: Emulator) -> None:
    names = [p.index_name for p in plan.indexes]
    assert {"prod-a", "prod-b", "dev"} <= set(names)  # every index, governed or not
    assert [(a.kind, a.index_name, a.backup and a.backup.backup_id) for a in plan.actions] == [
        ("delete", "prod-a", "a-old"),
        ("create", "prod-b", None),
    ]
    assert {r.method for r in emu.requests} == {"GET"}
    paths = sorted(r.path for r in emu.requests)
    assert "/indexes" in paths and "/restore-jobs" in paths
    assert "/indexes/dev/backups" not in paths  # nothing governs it: not listed


def test_plan_policy_sends_only_gets(emulator: Emulator, client: pb.Client) -> None:
    seed(emulator)
    plan = pb.plan_policy(PROD_ONLY, client, now=NOW)
    check_prod_only(plan, emulator)


async def test_plan_policy_with_an_async_client(
    emulator: Emulator, aclient: pb.AsyncClient
) -> None:
    seed(emulator)
    plan = await pb.plan_policy(PROD_ONLY, aclient, now=NOW, concurrency=1)
    check_prod_only(plan, emulator)


def test_plan_policy_uses_the_default_client(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    monkeypatch.setenv("PINECONE_CONTROLLER_HOST", emulator.url)
    seed(emulator)
    check_prod_only(pb.plan_policy(PROD_ONLY, now=NOW), emulator)


def test_plan_policy_without_retention_lists_no_restore_jobs(
    emulator: Emulator, client: pb.Client
) -> None:
    seed(emulator)
    pb.plan_policy(policy('[defaults]\nbackup_every = "1h"\n'), client, now=NOW)
    assert "/restore-jobs" not in {r.path for r in emulator.requests}


def test_plan_policy_leaves_out_an_index_deleted_while_it_was_listed(
    emulator: Emulator, client: pb.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(emulator)
    listed = client.list_indexes()
    emulator.delete_index("prod-b")
    monkeypatch.setattr(pb.Client, "list_indexes", lambda self: listed)
    plan = pb.plan_policy(PROD_ONLY, client, now=NOW)
    assert "prod-b" not in [p.index_name for p in plan.indexes]
    assert "prod-a" in [p.index_name for p in plan.indexes]


def test_bad_arguments_of_plan_policy(client: pb.Client) -> None:
    with pytest.raises(pb.ArgumentTypeError, match="policy must be a Policy"):
        pb.plan_policy("policy.toml", client)  # type: ignore[call-overload]
    with pytest.raises(pb.ArgumentTypeError, match="client must be a pinecone_backups Client"):
        pb.plan_policy(DAILY, "client")  # type: ignore[call-overload]
    with pytest.raises(pb.ValidationError, match="concurrency must be between 1 and 64"):
        pb.plan_policy(DAILY, client, concurrency=0)
    with pytest.raises(pb.ValidationError, match="now must be"):
        pb.plan_policy(DAILY, client, now=dt.datetime(2026, 1, 1))
