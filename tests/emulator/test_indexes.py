"""The emulator's indexes, over raw HTTP under each API version, every exchange checked against
the spec of its version: ``GET /indexes`` and ``GET /indexes/{index_name}`` in each version's
``IndexModel`` (2025-10/2026-04: ``spec``, ``dimension``, ``metric``, ``vector_type``; 2026-07:
``deployment``, ``read_capacity``, the typed ``schema``...), 404s, deleted indexes, pod indexes,
sparse ones, and a restored index's course on the emulator's clock (``Initializing`` while its
restore job runs, ``Ready`` ``index_seconds`` after it completed, ``InitializationFailed`` when
it failed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pinecone_backups.testing import Emulator
from tests.helpers import Reply, assert_error, call

VERSIONS = ("2025-10", "2026-04", "2026-07")
BEFORE_2026_07 = ("2025-10", "2026-04")
SEEDED = ["docs-example", "my-index", "empty-index", "big-index"]
"""The active indexes of the sample data, in creation order (``retired-index`` is deleted)."""
READY_BACKUP = "bkp_123abc"  # my-index's older backup: Ready, 1536 dimensions, cosine, a schema
KEYS_2025_10 = [
    "name",
    "dimension",
    "metric",
    "host",
    "deletion_protection",
    "spec",
    "status",
    "vector_type",
]
KEYS_2026_07 = [
    "name",
    "host",
    "status",
    "deployment",
    "read_capacity",
    "schema",
    "tags",
    "deletion_protection",
]


def headers(version: str, *, body: bool = False) -> dict[str, str]:
    sent = {"Api-Key": "test-key", "X-Pinecone-Api-Version": version}
    return {**sent, "Content-Type": "application/json"} if body else sent


def get(emu: Emulator, target: str, version: str = "2025-10") -> Reply:
    return call(emu, target, headers=headers(version))


def ok(reply: Reply) -> Any:
    assert reply.status == 200, reply.body
    return reply.json()


def listed(emu: Emulator, version: str = "2025-10") -> dict[str, Any]:
    """The indexes ``GET /indexes`` lists, by name."""
    document = ok(get(emu, "/indexes", version))
    assert list(document) == ["indexes"]
    return {index["name"]: index for index in document["indexes"]}


def describe(emu: Emulator, name: str, version: str = "2025-10") -> Any:
    return ok(get(emu, f"/indexes/{name}", version))


def restore(
    emu: Emulator, name: str, version: str = "2025-10", backup_id: str = READY_BACKUP, **fields: Any
) -> Any:
    reply = call(
        emu,
        f"/backups/{backup_id}/create-index",
        "POST",
        {"name": name, **fields},
        headers=headers(version, body=True),
    )
    assert reply.status == 202, reply.body
    return reply.json()


# -- Listing and describing ------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_the_sample_data_lists_its_active_indexes_in_creation_order(
    emu: Emulator, version: str
) -> None:
    assert list(listed(emu, version)) == SEEDED


@pytest.mark.parametrize("version", BEFORE_2026_07)
def test_an_index_before_2026_07(emu: Emulator, version: str) -> None:
    index = describe(emu, "my-index", version)
    assert list(index) == KEYS_2025_10
    assert index["name"] == "my-index"
    assert (index["dimension"], index["metric"], index["vector_type"]) == (1536, "cosine", "dense")
    assert index["host"].startswith("my-index-")
    assert index["host"].endswith(".svc.us-east-1-aws.pinecone.io")
    assert index["deletion_protection"] == "disabled"
    assert index["status"] == {"ready": True, "state": "Ready"}
    assert index["spec"] == {
        "serverless": {
            "cloud": "aws",
            "region": "us-east-1",
            "read_capacity": {"mode": "OnDemand", "status": {"state": "Ready"}},
            "schema": {"fields": {"genre": {"filterable": True}, "title": {"filterable": True}}},
        }
    }
    assert listed(emu, version)["my-index"] == index


def test_an_index_under_2026_07(emu: Emulator) -> None:
    index = describe(emu, "my-index", "2026-07")
    assert list(index) == KEYS_2026_07
    assert index["host"] == describe(emu, "my-index")["host"]  # one index, one host
    assert index["status"] == {"ready": True, "state": "Ready"}
    assert index["deployment"] == {
        "deployment_type": "managed",
        "cloud": "aws",
        "region": "us-east-1",
    }
    assert index["read_capacity"] == {"mode": "OnDemand", "status": {"state": "Ready"}}
    assert index["schema"] == {
        "fields": {
            "_values": {"type": "dense_vector", "dimension": 1536, "metric": "cosine"},
            "_sparse_values": {"type": "sparse_vector"},
            "genre": {"filterable": True},
            "title": {"filterable": True},
        }
    }
    assert (index["tags"], index["deletion_protection"]) == (None, "disabled")
    assert listed(emu, "2026-07")["my-index"] == index


@pytest.mark.parametrize("version", VERSIONS)
def test_the_emulator_shows_what_it_serves(emu: Emulator, version: str) -> None:
    assert emu.indexes(api_version=version) == list(listed(emu, version).values())
    assert emu.get_index("big-index", api_version=version) == describe(emu, "big-index", version)
    assert emu.get_index("retired-index") is None
    assert emu.get_index("nowhere") is None


def test_an_index_without_a_dimension_is_a_sparse_one(emu: Emulator) -> None:
    before = describe(emu, "empty-index")
    assert "dimension" not in before
    assert (before["metric"], before["vector_type"]) == ("dotproduct", "sparse")
    after = describe(emu, "empty-index", "2026-07")
    assert after["schema"] == {"fields": {"_sparse_values": {"type": "sparse_vector"}}}


def test_the_fields_given_to_add_index(emu: Emulator) -> None:
    emu.add_index(
        "prod",
        cloud="gcp",
        region="europe-west4",
        dimension=384,
        metric="euclidean",
        tags={"env": "prod"},
        deletion_protection="enabled",
    )
    before = describe(emu, "prod")
    assert before["spec"]["serverless"]["cloud"] == "gcp"
    assert before["spec"]["serverless"]["region"] == "europe-west4"
    assert before["host"].endswith(".svc.europe-west4-gcp.pinecone.io")
    assert (before["dimension"], before["metric"]) == (384, "euclidean")
    assert (before["tags"], before["deletion_protection"]) == ({"env": "prod"}, "enabled")
    after = describe(emu, "prod", "2026-07")
    assert after["deployment"]["cloud"] == "gcp"
    assert after["schema"]["fields"]["_values"]["metric"] == "euclidean"
    assert (after["tags"], after["deletion_protection"]) == ({"env": "prod"}, "enabled")
    emu.add_index("prod", deletion_protection="disabled")  # the tags stay
    assert describe(emu, "prod")["tags"] == {"env": "prod"}
    assert describe(emu, "prod")["deletion_protection"] == "disabled"
    assert list(listed(emu)) == [*SEEDED, "prod"]


def test_a_typed_schema_gives_the_dimension_and_metric_of_2025_10(emu: Emulator) -> None:
    schema = {
        "fields": {
            "embedding": {"type": "dense_vector", "dimension": 8, "metric": "dotproduct"},
            "genre": {"type": "string", "filterable": True},
        }
    }
    emu.add_index("typed", schema=schema)
    before = describe(emu, "typed")
    assert (before["dimension"], before["metric"], before["vector_type"]) == (
        8,
        "dotproduct",
        "dense",
    )
    assert before["spec"]["serverless"]["schema"] == {"fields": {"genre": {"filterable": True}}}
    assert describe(emu, "typed", "2026-07")["schema"] == schema  # as it is


@pytest.mark.parametrize("version", VERSIONS)
def test_a_pod_index(emu: Emulator, version: str) -> None:
    emu.add_index("legacy", pod=True, cloud="gcp", region="us-west1", dimension=128)
    index = describe(emu, "legacy", version)
    assert index["status"] == {"ready": True, "state": "Ready"}
    if version == "2026-07":
        assert index["deployment"] == {
            "deployment_type": "pod",
            "environment": "us-west1-gcp",
            "pod_type": "p1.x1",
            "replicas": 1,
            "shards": 1,
        }
        assert "read_capacity" not in index
    else:
        assert index["spec"] == {
            "pod": {
                "environment": "us-west1-gcp",
                "replicas": 1,
                "shards": 1,
                "pod_type": "p1.x1",
                "pods": 1,
            }
        }
        assert index["dimension"] == 128


def test_a_pod_index_lists_its_indexed_metadata(emu: Emulator) -> None:
    emu.add_index("legacy", pod=True, schema={"fields": {"genre": {"filterable": True}}})
    assert describe(emu, "legacy")["spec"]["pod"]["metadata_config"] == {"indexed": ["genre"]}


# -- 404s and deleted indexes --------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_an_unknown_index_is_a_404(emu: Emulator, version: str) -> None:
    assert_error(
        get(emu, "/indexes/nowhere", version), 404, "NOT_FOUND", "Index nowhere not found."
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_a_deleted_index_is_neither_listed_nor_described(emu: Emulator, version: str) -> None:
    assert "retired-index" not in listed(emu, version)
    reply = get(emu, "/indexes/retired-index", version)
    assert_error(reply, 404, "NOT_FOUND", "Index retired-index not found.")
    emu.delete_index("my-index")
    assert list(listed(emu, version)) == ["docs-example", "empty-index", "big-index"]
    assert_error(get(emu, "/indexes/my-index", version), 404, "NOT_FOUND")
    # Its backups stay.
    assert ok(get(emu, "/backups/bkp_123abc", version))["source_index_name"] == "my-index"


def test_a_name_is_percent_decoded(emu: Emulator) -> None:
    emu.add_index("a b")
    assert describe(emu, "a%20b")["name"] == "a b"


@pytest.mark.parametrize("version", VERSIONS)
def test_the_routes_need_the_api_key(emu: Emulator, version: str) -> None:
    for target in ("/indexes", "/indexes/my-index"):
        reply = call(emu, target, headers={"Api-Key": "wrong", "X-Pinecone-Api-Version": version})
        assert reply.status == 401


def test_only_get_is_served(emu: Emulator) -> None:
    for target in ("/indexes", "/indexes/my-index"):
        reply = call(emu, target, "DELETE", headers=headers("2025-10"))
        assert_error(reply, 405, "UNKNOWN")
        assert reply.headers["Allow"] == "GET"


def test_without_the_lifecycle_there_are_no_index_routes(
    emulators: Callable[..., Emulator],
) -> None:
    emu = emulators(lifecycle=False)
    assert_error(get(emu, "/indexes"), 404, "NOT_FOUND")
    assert_error(get(emu, "/indexes/my-index"), 404, "NOT_FOUND")


def test_without_seed_there_is_no_index(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(seed=False)
    assert ok(get(emu, "/indexes")) == {"indexes": []}


# -- A restored index on the clock ----------------------------------------------------------------


def state(emu: Emulator, name: str, version: str = "2025-10") -> tuple[bool, str]:
    status = describe(emu, name, version)["status"]
    return status["ready"], status["state"]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_restored_index_is_ready_when_its_job_completes(
    emulators: Callable[..., Emulator], version: str
) -> None:
    emu = emulators(restore_seconds=10)
    job = restore(emu, "copy", version)
    assert state(emu, "copy", version) == (False, "Initializing")
    assert "copy" in listed(emu, version)
    emu.advance(9.9)
    assert state(emu, "copy", version) == (False, "Initializing")
    emu.advance(0.1)
    assert ok(get(emu, f"/restore-jobs/{job['restore_job_id']}", version))["status"] == "Completed"
    assert state(emu, "copy", version) == (True, "Ready")


def test_index_seconds_keep_it_initializing_after_its_job(
    emulators: Callable[..., Emulator],
) -> None:
    emu = emulators(restore_seconds=10, index_seconds=5)
    assert emu.index_seconds == 5
    job = restore(emu, "copy")
    emu.advance(10)
    assert ok(get(emu, f"/restore-jobs/{job['restore_job_id']}"))["status"] == "Completed"
    assert state(emu, "copy") == (False, "Initializing")
    emu.advance(4.9)
    assert state(emu, "copy") == (False, "Initializing")
    emu.advance(0.1)
    assert state(emu, "copy") == (True, "Ready")
    emu.index_seconds = 0  # for the restores started from now on
    restore(emu, "copy-2")
    emu.advance(10)
    assert state(emu, "copy-2") == (True, "Ready")


@pytest.mark.parametrize("outcome", ["Failed", "Cancelled"])
@pytest.mark.parametrize("version", VERSIONS)
def test_an_index_whose_restore_failed_failed_to_initialize(
    emulators: Callable[..., Emulator], version: str, outcome: str
) -> None:
    emu = emulators(restore_seconds=10, index_seconds=5)
    emu.fail_next_restores(status=outcome)
    restore(emu, "copy", version)
    emu.advance(10)
    assert state(emu, "copy", version) == (False, "InitializationFailed")
    emu.advance(3600)
    assert state(emu, "copy", version) == (False, "InitializationFailed")


def test_a_restored_index_is_its_backup_s_index_with_the_request_s_settings(
    emulators: Callable[..., Emulator],
) -> None:
    emu = emulators(restore_seconds=0)
    made = restore(
        emu,
        "copy",
        "2026-04",
        tags={"env": "test"},
        deletion_protection="enabled",
        read_capacity={"mode": "Dedicated", "dedicated": {"node_type": "t1"}},
    )
    before = describe(emu, "copy")
    assert (before["dimension"], before["metric"]) == (1536, "cosine")
    assert before["spec"]["serverless"]["schema"]["fields"] == {
        "genre": {"filterable": True},
        "title": {"filterable": True},
    }
    assert (before["tags"], before["deletion_protection"]) == ({"env": "test"}, "enabled")
    dedicated = {
        "mode": "Dedicated",
        "dedicated": {
            "node_type": "t1",
            "scaling": "Manual",
            "manual": {"replicas": 1, "shards": 1},
        },
        "status": {"state": "Ready", "current_replicas": 1, "current_shards": 1},
    }
    assert before["spec"]["serverless"]["read_capacity"] == dedicated
    after = describe(emu, "copy", "2026-07")
    assert after["source_backup_id"] == READY_BACKUP
    assert after["read_capacity"] == dedicated
    assert "source_backup_id" not in before  # no such field before 2026-07
    assert emu.restore_jobs()[0]["target_index_id"] == made["index_id"]


def test_a_restored_index_with_null_tags_has_none(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(restore_seconds=0)
    restore(emu, "copy", "2026-07", tags=None)
    assert describe(emu, "copy", "2026-07")["tags"] is None
    assert "tags" not in describe(emu, "copy")


def test_a_deleted_index_s_name_can_be_restored_into(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(restore_seconds=0)
    emu.delete_index("my-index")
    restore(emu, "my-index")
    assert state(emu, "my-index") == (True, "Ready")


# -- States played -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("played", "ready"),
    [("Terminating", False), ("ScalingUp", True), ("InitializationFailed", False), ("Ready", True)],
)
def test_set_index_state(emu: Emulator, played: str, ready: bool) -> None:
    emu.set_index_state("my-index", played)
    for version in VERSIONS:
        assert state(emu, "my-index", version) == (ready, played)


def test_set_index_state_may_say_whether_it_is_ready(emu: Emulator) -> None:
    emu.set_index_state("my-index", "Disabled", ready=True)
    assert state(emu, "my-index") == (True, "Disabled")


def test_set_index_state_ends_a_restored_index_s_course(
    emulators: Callable[..., Emulator],
) -> None:
    emu = emulators(restore_seconds=10)
    restore(emu, "copy")
    emu.set_index_state("copy", "Terminating")
    emu.advance(60)
    assert state(emu, "copy") == (False, "Terminating")


def test_the_knobs_check_their_arguments(emu: Emulator) -> None:
    with pytest.raises(KeyError):
        emu.set_index_state("nowhere", "Ready")
    with pytest.raises(ValueError, match="state must be a non-empty string"):
        emu.set_index_state("my-index", "")
    with pytest.raises(ValueError, match="deletion_protection must be"):
        emu.add_index("x", deletion_protection="on")
    with pytest.raises(ValueError, match="tags must be a mapping"):
        emu.add_index("x", tags={"a": 1})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="index_seconds"):
        Emulator(index_seconds=-1)
    with pytest.raises(ValueError, match="api_version must be one of"):
        emu.indexes(api_version="2024-01")
