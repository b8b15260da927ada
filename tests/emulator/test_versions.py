"""The emulator under each API version (2025-10, 2026-04, 2026-07), over raw HTTP, every exchange
checked against the spec of its version: the version header, 401s, error codes, page sizes,
``create_backup``'s status and names, the shapes of backups and restore jobs, deleted indexes
and ``include_deleted``, ``read_capacity``, tags, deleting a backup being restored, the plan
without backups, pod indexes; one store seen through every version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import SPEC_EXAMPLE_RESPONSE, Emulator
from tests.helpers import Reply, assert_error, call

VERSIONS = ("2025-10", "2026-04", "2026-07")
BEFORE_2026_07 = ("2025-10", "2026-04")
READY_SEEDED_BACKUP = "bkp_123abc"  # my-index's older backup, Ready


def headers(version: str, *, body: bool = False) -> dict[str, str]:
    """The headers of a request of API ``version`` (with a JSON content type for a body)."""
    sent = {"Api-Key": "test-key", "X-Pinecone-Api-Version": version}
    return {**sent, "Content-Type": "application/json"} if body else sent


def get(emu: Emulator, target: str, version: str) -> Reply:
    return call(emu, target, headers=headers(version))


def send(emu: Emulator, target: str, version: str, document: object, method: str = "POST") -> Reply:
    return call(emu, target, method, document, headers=headers(version, body=True))


def ok(reply: Reply, status: int = 200) -> Any:
    assert reply.status == status, reply.body
    return reply.json()


# -- The version header, 401s and error codes -----------------------------------------------------


def test_every_version_is_accepted_by_default(emu: Emulator) -> None:
    assert emu.api_versions == VERSIONS
    for version in VERSIONS:
        assert get(emu, "/indexes/my-index/backups", version).status == 200


@pytest.mark.parametrize("version", BEFORE_2026_07)
def test_a_401_is_an_error_response_before_2026_07(emu: Emulator, version: str) -> None:
    reply = call(emu, "/backups", headers={"Api-Key": "wrong", "X-Pinecone-Api-Version": version})
    assert_error(reply, 401, "UNAUTHENTICATED", "Invalid API key.")


def test_a_401_is_plain_text_under_2026_07(emu: Emulator) -> None:
    for target in ("/backups", "/indexes/big-index/backup-schedules", "/nowhere"):
        reply = call(emu, target, headers={"X-Pinecone-Api-Version": "2026-07"})
        assert (reply.status, reply.body) == (401, b"Invalid API key")
        assert reply.headers["Content-Type"] == "text/plain"


def test_a_401_to_an_unknown_version_is_an_error_response(emu: Emulator) -> None:
    reply = call(emu, "/backups", headers={"Api-Key": "wrong", "X-Pinecone-Api-Version": "2027-01"})
    assert_error(reply, 401, "UNAUTHENTICATED")


def test_a_version_not_accepted_is_a_clear_400(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(api_versions=("2025-10",))
    reply = get(emu, "/backups", "2026-07")
    assert_error(reply, 400, "INVALID_ARGUMENT")
    message = reply.json()["error"]["message"]
    assert "'2026-07'" in message and "Supported versions: 2025-10." in message


@pytest.mark.parametrize(
    ("status", "codes"),
    [
        (503, ("UNAVAILABLE", "UNAVAILABLE", "SERVICE_UNAVAILABLE")),
        (501, ("UNIMPLEMENTED", "UNIMPLEMENTED", "UNKNOWN")),
        (413, ("UNKNOWN", "UNKNOWN", "PAYLOAD_TOO_LARGE")),
        (429, ("RESOURCE_EXHAUSTED",) * 3),
        (403, ("FORBIDDEN",) * 3),
    ],
)
def test_an_injected_error_has_the_code_of_the_request_version(
    emu: Emulator, status: int, codes: tuple[str, str, str]
) -> None:
    for version, code in zip(VERSIONS, codes, strict=True):
        emu.fail_next(status)
        assert_error(get(emu, "/backups", version), status, code)
    emu.random_faults(1, kinds=[503], seed=1)
    assert_error(get(emu, "/backups", "2026-07"), 503, "SERVICE_UNAVAILABLE")
    assert_error(get(emu, "/backups", "2025-10"), 503, "UNAVAILABLE")


def test_an_injected_error_keeps_a_given_code_and_a_401_is_text_under_2026_07(
    emu: Emulator,
) -> None:
    emu.fail_next(503, code="UNAVAILABLE")
    assert_error(get(emu, "/backups", "2026-07"), 503, "UNAVAILABLE")  # as asked
    emu.fail_next(401, times=2)
    reply = get(emu, "/backups", "2026-07")
    assert (reply.status, reply.body, reply.headers["Content-Type"]) == (
        401,
        b"Invalid API key",
        "text/plain",
    )
    assert_error(get(emu, "/backups", "2025-10"), 401, "UNAUTHENTICATED")


@pytest.mark.parametrize("version", BEFORE_2026_07)
def test_the_schedule_routes_are_unknown_before_2026_07(emu: Emulator, version: str) -> None:
    for target in (
        "/indexes/big-index/backup-schedules",
        "/backup-schedules/x",
        "/backup-schedules/x/history",
    ):
        assert_error(get(emu, target, version), 404, "NOT_FOUND")
    reply = send(emu, "/indexes/big-index/backup-schedules", version, {"name": "x"})
    assert_error(reply, 404, "NOT_FOUND")


# -- Listings: page sizes ---------------------------------------------------------------------


def test_the_default_page_size_is_the_version_s(emulators: Callable[..., Emulator]) -> None:
    emu = emulators()
    assert emu.default_page_size is None
    for version, size in (("2025-10", 10), ("2026-04", 10), ("2026-07", 25)):
        page = ok(get(emu, "/indexes/big-index/backups", version))
        assert len(page["data"]) == size
    assert ok(get(emu, "/backups", "2026-07"))["pagination"] is None  # 30 backups, one page
    small = emulators(default_page_size=3)
    for version in VERSIONS:
        assert len(ok(get(small, "/indexes/big-index/backups", version))["data"]) == 3


@pytest.mark.parametrize("limit", ["101", "1000", "99999999999999999999999", "0" * 50 + "200"])
def test_a_limit_has_no_maximum_under_2026_07(emu: Emulator, limit: str) -> None:
    assert len(ok(get(emu, f"/indexes/big-index/backups?limit={limit}", "2026-07"))["data"]) == 25
    assert_error(
        get(emu, f"/indexes/big-index/backups?limit={limit}", "2025-10"), 400, "INVALID_ARGUMENT"
    )


@pytest.mark.parametrize("query", ["limit=0", "limit=-1", "limit=abc", "limit=", "limit=1.5"])
def test_a_limit_must_be_positive_under_2026_07(emu: Emulator, query: str) -> None:
    reply = get(emu, f"/indexes/big-index/backups?{query}", "2026-07")
    assert_error(reply, 400, "INVALID_ARGUMENT")
    assert "a positive integer" in reply.json()["error"]["message"]


def test_a_token_for_a_page_too_large_for_the_version_is_400(emu: Emulator) -> None:
    for _ in range(110):
        emu.add_backup("crowded")
    first = ok(get(emu, "/indexes/crowded/backups?limit=101", "2026-07"))
    assert len(first["data"]) == 101
    target = f"/indexes/crowded/backups?paginationToken={quote(first['pagination']['next'])}"
    assert len(ok(get(emu, target, "2026-07"))["data"]) == 9
    assert_error(get(emu, target, "2025-10"), 400, "INVALID_ARGUMENT")


def test_the_last_page_is_null_in_every_version(emu: Emulator) -> None:
    for version in VERSIONS:
        assert get(emu, "/indexes/empty-index/backups", version).body == (
            b'{"data":[],"pagination":null}'
        )


# -- Backups and restore jobs in each version's shape ---------------------------------------------


def test_2025_10_and_2026_04_serve_the_spec_example_alike(emu: Emulator) -> None:
    bodies = {get(emu, "/indexes/my-index/backups", v).body for v in BEFORE_2026_07}
    assert len(bodies) == 1
    assert (
        ok(get(emu, "/indexes/my-index/backups", "2026-04"))["data"]
        == (SPEC_EXAMPLE_RESPONSE["data"][::-1])
    )


def test_2026_07_backups_have_a_typed_schema_and_no_dimension_or_metric(emu: Emulator) -> None:
    newest, oldest = ok(get(emu, "/indexes/my-index/backups", "2026-07"))["data"]
    old = SPEC_EXAMPLE_RESPONSE["data"][0]
    assert oldest == {
        key: value for key, value in old.items() if key not in ("dimension", "metric", "schema")
    } | {
        "schema": {
            "fields": {
                "_values": {"type": "dense_vector", "dimension": 1536, "metric": "cosine"},
                "_sparse_values": {"type": "sparse_vector"},
                "genre": {"filterable": True},
                "title": {"filterable": True},
            }
        }
    }
    assert "dimension" not in newest and "metric" not in newest
    docs = ok(get(emu, "/indexes/docs-example/backups", "2026-07"))["data"][0]
    # The docs' backup has a dimension but no metric and no schema: cosine, the default.
    assert docs["schema"] == {
        "fields": {
            "_values": {"type": "dense_vector", "dimension": 1024, "metric": "cosine"},
            "_sparse_values": {"type": "sparse_vector"},
        }
    }
    assert list(docs)[list(docs).index("region") + 1] == "schema"  # where dimension was


def test_2026_07_keeps_a_typed_schema_and_drops_what_is_not_one(
    emulators: Callable[..., Emulator],
) -> None:
    emu = emulators(seed=False)
    typed = {"fields": {"year": {"type": "float", "filterable": True}}}
    emu.add_backup("typed", backup_id="t", schema=typed, dimension=8, metric="dotproduct")
    emu.add_backup("bare", backup_id="b")
    assert ok(get(emu, "/backups/t", "2026-07"))["schema"] == typed
    assert "schema" not in ok(get(emu, "/backups/b", "2026-07"))
    assert emu.get_backup("t") == emu.get_backup("t", api_version="2025-10")
    assert emu.get_backup("t", api_version="2026-04") == emu.get_backup("t")
    assert emu.get_backup("t")["dimension"] == 8  # type: ignore[index]


def test_2026_07_restore_jobs_have_an_integer_percent_or_none(
    emulators: Callable[..., Emulator],
) -> None:
    emu = emulators(restore_seconds=60)
    job_id = ok(
        send(emu, f"/backups/{READY_SEEDED_BACKUP}/create-index", "2026-07", {"name": "copy"}), 202
    )["restore_job_id"]
    pending = ok(get(emu, f"/restore-jobs/{job_id}", "2026-07"))
    assert pending["status"] == "Pending" and "percent_complete" not in pending
    assert ok(get(emu, f"/restore-jobs/{job_id}", "2025-10"))["percent_complete"] is None
    emu.advance(60)
    done = get(emu, f"/restore-jobs/{job_id}", "2026-07")
    assert done.body.endswith(b'"percent_complete":100}')
    assert get(emu, f"/restore-jobs/{job_id}", "2025-10").body.endswith(
        b'"percent_complete":100.0}'
    )
    assert ok(get(emu, "/restore-jobs", "2026-07"))["data"][0]["percent_complete"] == 100
    assert emu.restore_jobs(api_version="2026-07")[0]["percent_complete"] == 100


def test_create_backup_answers_201_then_200(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(backup_seconds=0)
    for version, status in (("2025-10", 201), ("2026-04", 201), ("2026-07", 200)):
        backup = ok(send(emu, "/indexes/my-index/backups", version, {"name": "b"}), status)
        assert ("dimension" in backup) == (version != "2026-07")
    # One store: the backup made under 2026-07 has its index's dimension under 2025-10.
    assert emu.backups("my-index")[0]["dimension"] == 1536
    assert "dimension" not in emu.backups("my-index", api_version="2026-07")[0]
    with pytest.raises(ValueError, match="api_version must be one of"):
        emu.backups(api_version="2027-01")


@pytest.mark.parametrize("name", ["nightly", "a", "a-1", "0" * 45, "backup-2025-03-15"])
def test_a_2026_07_backup_name_may_be_a_resource_name(emu: Emulator, name: str) -> None:
    assert ok(send(emu, "/indexes/my-index/backups", "2026-07", {"name": name}))["name"] == name


@pytest.mark.parametrize("name", ["", "-a", "a-", "Nightly", "night_ly", "a b", "a" * 46, 5])
def test_a_2026_07_backup_name_that_is_not_a_resource_name_is_400(
    emu: Emulator, name: object
) -> None:
    reply = send(emu, "/indexes/my-index/backups", "2026-07", {"name": name})
    assert_error(reply, 400, "INVALID_ARGUMENT")
    assert len(emu.backups("my-index")) == 2


def test_older_versions_take_any_backup_name(emu: Emulator) -> None:
    for version in BEFORE_2026_07:
        backup = ok(send(emu, "/indexes/my-index/backups", version, {"name": "Nightly_1 x"}), 201)
        assert backup["name"] == "Nightly_1 x"


# -- Deleted indexes and include_deleted ----------------------------------------------------------


def test_a_deleted_index_s_backups_stay_and_say_when_it_was_deleted(emu: Emulator) -> None:
    emu.delete_index("my-index", deleted_at="2024-04-01T00:00:00Z")
    assert "my-index" not in emu.index_names()
    for version in VERSIONS:
        assert_error(get(emu, "/indexes/my-index/backups", version), 404, "NOT_FOUND")
    assert "source_index_deleted_at" not in ok(
        get(emu, f"/backups/{READY_SEEDED_BACKUP}", "2025-10")
    )
    for version in ("2026-04", "2026-07"):
        backup = ok(get(emu, f"/backups/{READY_SEEDED_BACKUP}", version))
        assert backup["source_index_deleted_at"] == "2024-04-01T00:00:00.000000Z"
        keys = list(backup)
        assert keys[keys.index("source_index_id") + 1] == "source_index_deleted_at"
    listed = ok(get(emu, "/backups?limit=100", "2026-04"))["data"]
    assert len(listed) == 30
    assert sum("source_index_deleted_at" in backup for backup in listed) == 2


def test_include_deleted_lists_every_index_that_had_the_name(
    emulators: Callable[..., Emulator],
) -> None:
    emu = emulators(backup_seconds=0)
    emu.delete_index("my-index")
    assert_error(
        get(emu, "/indexes/my-index/backups?include_deleted=false", "2026-04"), 404, "NOT_FOUND"
    )
    old = ok(get(emu, "/indexes/my-index/backups?include_deleted=true", "2026-04"))["data"]
    assert [b["backup_id"] for b in old] == ["bkp_789xyz", "bkp_123abc"]
    # A new index takes the name: without include_deleted, only its own backups.
    emu.add_index("my-index", dimension=3)
    new = ok(send(emu, "/indexes/my-index/backups", "2026-07", {"name": "fresh"}))
    assert new["source_index_id"] != "idx_456"
    for version in ("2026-04", "2026-07"):
        active = ok(get(emu, "/indexes/my-index/backups", version))["data"]
        assert [b["backup_id"] for b in active] == [new["backup_id"]]
        every = ok(get(emu, "/indexes/my-index/backups?include_deleted=true", version))["data"]
        assert [b["backup_id"] for b in every] == [new["backup_id"], "bkp_789xyz", "bkp_123abc"]
        assert ["source_index_deleted_at" in b for b in every] == [False, True, True]
    # Its tokens serve that listing only.
    first = ok(get(emu, "/indexes/my-index/backups?include_deleted=true&limit=2", "2026-07"))
    token = quote(first["pagination"]["next"])
    target = f"/indexes/my-index/backups?include_deleted=true&paginationToken={token}"
    assert [b["backup_id"] for b in ok(get(emu, target, "2026-07"))["data"]] == ["bkp_123abc"]
    reply = get(emu, f"/indexes/my-index/backups?paginationToken={token}", "2026-07")
    assert_error(reply, 400, "INVALID_ARGUMENT")


def test_include_deleted_is_404_only_for_a_name_never_used(emu: Emulator) -> None:
    target = "/indexes/{}/backups?include_deleted=true"
    assert ok(get(emu, target.format("retired-index"), "2026-04")) == {
        "data": [],
        "pagination": None,
    }
    assert_error(get(emu, "/indexes/retired-index/backups", "2026-04"), 404, "NOT_FOUND")
    assert_error(get(emu, target.format("never"), "2026-07"), 404, "NOT_FOUND")
    assert len(ok(get(emu, target.format("big-index"), "2026-04"))["data"]) == 10


@pytest.mark.parametrize("value", ["yes", "1", "True", ""])
def test_include_deleted_must_be_true_or_false(emu: Emulator, value: str) -> None:
    reply = get(emu, f"/indexes/my-index/backups?include_deleted={value}", "2026-04")
    assert_error(reply, 400, "INVALID_ARGUMENT")


def test_include_deleted_is_ignored_before_2026_04() -> None:
    with Emulator() as emu:  # the parameter is not in the 2025-10 spec: no spec check
        emu.delete_index("my-index")
        reply = get(emu, "/indexes/my-index/backups?include_deleted=true", "2025-10")
    assert_error(reply, 404, "NOT_FOUND")


# -- Restores: read_capacity, tags, not Ready, pod indexes -----------------------------------------


def restore(emu: Emulator, version: str, **fields: object) -> Reply:
    document = {"name": "restored", **fields}
    return send(emu, f"/backups/{READY_SEEDED_BACKUP}/create-index", version, document)


DEDICATED: dict[str, Any] = {
    "mode": "Dedicated",
    "dedicated": {"node_type": "t1", "scaling": "Manual", "manual": {"replicas": 2, "shards": 1}},
}


@pytest.mark.parametrize(
    ("version", "capacity"),
    [
        ("2026-04", {"mode": "OnDemand"}),
        ("2026-07", {"mode": "OnDemand"}),
        ("2026-04", DEDICATED),
        ("2026-07", DEDICATED),
        ("2026-04", {"mode": "Dedicated", "dedicated": {}}),
        ("2026-04", {"mode": "Dedicated", "dedicated": {"manual": {"replicas": 0}}}),
    ],
)
def test_read_capacity_of_the_spec_s_shapes_is_accepted(
    emu: Emulator, version: str, capacity: dict[str, Any]
) -> None:
    assert restore(emu, version, read_capacity=capacity).status == 202


@pytest.mark.parametrize(
    ("version", "capacity"),
    [
        ("2026-04", "OnDemand"),
        ("2026-04", {}),
        ("2026-04", {"mode": "Auto"}),
        ("2026-04", {"mode": "OnDemand", "dedicated": {}}),
        ("2026-04", {"mode": "Dedicated"}),
        ("2026-04", {"mode": "Dedicated", "dedicated": {"node_type": 1}}),
        ("2026-04", {"mode": "Dedicated", "dedicated": {"manual": {"shards": 0}}}),
        ("2026-04", {"mode": "Dedicated", "dedicated": {"manual": {"replicas": -1}}}),
        ("2026-04", {"mode": "Dedicated", "dedicated": {"manual": {"replicas": True}}}),
        ("2026-07", {"mode": "Dedicated", "dedicated": {}}),
        ("2026-07", {"mode": "Dedicated", "dedicated": {**DEDICATED["dedicated"], "manual": {}}}),
        ("2026-07", {"mode": "Dedicated", "dedicated": {"node_type": "t1", "scaling": "Manual"}}),
    ],
)
def test_read_capacity_of_another_shape_is_400(
    emu: Emulator, version: str, capacity: object
) -> None:
    reply = restore(emu, version, read_capacity=capacity)
    assert_error(reply, 400, "INVALID_ARGUMENT")
    assert "read_capacity" in reply.json()["error"]["message"]
    assert emu.restore_jobs() == []


def test_read_capacity_is_ignored_under_2025_10() -> None:
    with Emulator() as emu:  # not in the 2025-10 spec: no spec check
        assert restore(emu, "2025-10", read_capacity="anything").status == 202


def test_2026_07_tags_at_most_20_printable_ascii_or_null(emu: Emulator) -> None:
    assert restore(emu, "2026-07", tags={f"k{i}": "v" for i in range(20)}).status == 202
    assert restore(emu, "2026-07", name="slash", tags={"path": "a/b#c~"}).status == 202
    assert restore(emu, "2026-07", name="nulls", tags=None).status == 202
    refused: list[dict[str, str]] = [
        {f"k{i}": "v" for i in range(21)},
        {"k": "é"},
        {"k": "a\tb"},
        {"k": "v" * 121},
    ]
    for tags in refused:
        assert_error(restore(emu, "2026-07", name="bad", tags=tags), 400, "INVALID_ARGUMENT")
    for version in BEFORE_2026_07:
        for old_refused in ({"path": "a/b"}, None):
            reply = restore(emu, version, name="bad", tags=old_refused)
            assert_error(reply, 400, "INVALID_ARGUMENT")
        many = {f"k{i}": "v" for i in range(21)}
        assert restore(emu, version, name=f"many-{version}", tags=many).status == 202


@pytest.mark.parametrize("version", VERSIONS)
def test_restoring_a_backup_not_ready_is_412(
    emulators: Callable[..., Emulator], version: str
) -> None:
    emu = emulators(backup_seconds=60)
    backup = emu.add_backup("my-index", status="Initializing")
    reply = send(emu, f"/backups/{backup['backup_id']}/create-index", version, {"name": "x"})
    assert_error(reply, 412, "FAILED_PRECONDITION")


@pytest.mark.parametrize("version", VERSIONS)
def test_restoring_a_backup_of_a_pod_index_is_400(emu: Emulator, version: str) -> None:
    emu.add_index("pods", pod=True)
    backup = emu.add_backup("pods")
    reply = send(emu, f"/backups/{backup['backup_id']}/create-index", version, {"name": "x"})
    assert_error(reply, 400, "INVALID_ARGUMENT")
    assert "pod-based" in reply.json()["error"]["message"]


@pytest.mark.parametrize("version", BEFORE_2026_07)
def test_deleting_a_backup_being_restored_is_412_before_2026_07(
    emulators: Callable[..., Emulator], version: str
) -> None:
    emu = emulators(restore_seconds=60)
    assert restore(emu, version).status == 202
    reply = call(emu, f"/backups/{READY_SEEDED_BACKUP}", "DELETE", headers=headers(version))
    assert_error(reply, 412, "FAILED_PRECONDITION")
    assert emu.get_backup(READY_SEEDED_BACKUP) is not None


def test_deleting_a_backup_being_restored_is_accepted_under_2026_07(
    emulators: Callable[..., Emulator],
) -> None:
    emu = emulators(restore_seconds=60)
    job_id = ok(restore(emu, "2026-07"), 202)["restore_job_id"]
    reply = call(emu, f"/backups/{READY_SEEDED_BACKUP}", "DELETE", headers=headers("2026-07"))
    assert (reply.status, reply.body) == (202, b"")
    assert emu.get_backup(READY_SEEDED_BACKUP) is None
    emu.advance(60)  # the restore goes on
    assert ok(get(emu, f"/restore-jobs/{job_id}", "2026-07"))["status"] == "Completed"


# -- The plan ---------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_a_plan_without_backups_refuses_to_create_one(
    emulators: Callable[..., Emulator], version: str
) -> None:
    emu = emulators(plan_includes_backups=False)
    assert emu.plan_includes_backups is False
    reply = send(emu, "/indexes/my-index/backups", version, {"name": "x"})
    assert_error(
        reply,
        403,
        "PERMISSION_DENIED",
        "Your organization's plan does not include backups. Upgrade your plan to create backups.",
    )
    assert len(ok(get(emu, "/indexes/my-index/backups", version))["data"]) == 2
    emu.plan_includes_backups = True
    assert send(emu, "/indexes/my-index/backups", version, {"name": "x"}).status in (200, 201)


# -- Through the client -------------------------------------------------------------------------


def test_the_client_under_each_version_sees_the_same_backups(emu: Emulator) -> None:
    ids = []
    for version in VERSIONS:
        with pb.Client(api_key=emu.api_key, host=emu.url, api_version=version) as client:
            backups = list(client.iter_project_backups())
            ids.append([backup.backup_id for backup in backups])
            spec = client.describe_backup(READY_SEEDED_BACKUP)
            if version == "2026-07":
                assert (spec.dimension, spec.metric) == (None, None)
                assert spec.schema is not None and "_values" in spec.schema["fields"]
            else:
                assert (spec.dimension, spec.metric) == (1536, "cosine")
    assert ids[0] == ids[1] == ids[2] and len(ids[0]) == 30


def test_the_client_under_2026_07(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(backup_seconds=0, restore_seconds=0)
    with pb.Client(
        api_key=emu.api_key, host=emu.url, api_version="2026-07", max_retries=0
    ) as client:
        backup = client.create_backup("docs-example", name="nightly-1", wait=True)
        assert backup.status == "Ready" and backup.dimension is None
        assert emu.exchanges[0].status == 200
        job = client.create_index_from_backup(
            backup.backup_id,
            "restored",
            tags={"env": "test"},
            read_capacity={"mode": "OnDemand"},
        )
        done = client.wait_for_restore_job(job.restore_job_id, timeout=10)
        assert done.percent_complete == 100 and isinstance(done.percent_complete, int)
        emu.fail_next(503)
        with pytest.raises(pb.ServiceUnavailableError):
            client.describe_backup(backup.backup_id)
    with (
        pb.Client(api_key="wrong", host=emu.url, api_version="2026-07", max_retries=0) as bad,
        pytest.raises(pb.UnauthenticatedError, match="Invalid API key"),
    ):
        bad.list_project_backups()


def test_the_client_lists_a_deleted_index_s_backups_under_2026_04(emu: Emulator) -> None:
    emu.delete_index("my-index")
    with pb.Client(api_key=emu.api_key, host=emu.url, api_version="2026-04") as client:
        with pytest.raises(pb.NotFoundError):
            client.list_index_backups("my-index")
        page = client.list_index_backups("my-index", include_deleted=True)
        assert [b.backup_id for b in page] == ["bkp_789xyz", "bkp_123abc"]
        assert all(b.source_index_deleted_at is not None for b in page)
        every = list(client.iter_index_backups("my-index", include_deleted=True, page_size=1))
        assert [b.backup_id for b in every] == ["bkp_789xyz", "bkp_123abc"]


# -- The sample data ------------------------------------------------------------------------------


def walk(emu: Emulator, path: str, version: str) -> list[Any]:
    """Every item of listing ``path`` under ``version``, 7 a page."""
    items: list[Any] = []
    target = f"{path}{'&' if '?' in path else '?'}limit=7"
    while True:
        page = ok(get(emu, target, version))
        items += page["data"]
        if page.get("pagination") is None:
            return items
        token = quote(page["pagination"]["next"], safe="")
        target = f"{path}{'&' if '?' in path else '?'}paginationToken={token}"


@pytest.mark.parametrize("version", VERSIONS)
def test_the_sample_data_is_served_in_every_version(emu: Emulator, version: str) -> None:
    project = walk(emu, "/backups", version)
    assert len(project) == 30
    for name, count in (
        ("docs-example", 3),
        ("my-index", 2),
        ("empty-index", 0),
        ("big-index", 25),
    ):
        assert len(walk(emu, f"/indexes/{name}/backups", version)) == count
    assert walk(emu, "/restore-jobs", version) == []
    if version != "2025-10":
        assert walk(emu, "/indexes/retired-index/backups?include_deleted=true", version) == []
    if version == "2026-07":
        [schedule] = walk(emu, "/indexes/big-index/backup-schedules", version)
        rows = walk(emu, f"/backup-schedules/{schedule['schedule_id']}/history", version)
        assert len(rows) == 25
