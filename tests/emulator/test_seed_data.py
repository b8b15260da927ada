"""The emulator's data: the seeded indexes (the docs' and the spec's examples byte for byte, an
empty index, a big one), the same on every run or none, and ``add_backup`` / ``add_index``."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from pinecone_backups.testing import (
    DOCS_EXAMPLE_BACKUP,
    DOCS_EXAMPLE_RESPONSE,
    SPEC_EXAMPLE_RESPONSE,
    Emulator,
)
from tests.helpers import (
    API_HEADERS,
    RFC3339_MICROS,
    assert_error,
    backups_path,
    call,
)
from tests.spec_validation import SpecValidator

VERSION = "X-Pinecone-Api-Version"


def test_docs_example_constants_match_the_docs_text() -> None:
    document = json.loads(DOCS_EXAMPLE_RESPONSE)
    assert document["pagination"] is None
    assert document["data"] == [DOCS_EXAMPLE_BACKUP]
    assert DOCS_EXAMPLE_BACKUP["created_at"] == "2025-03-11T18:29:50.549505Z"
    assert DOCS_EXAMPLE_BACKUP["tags"] == {}


def test_spec_example_constant_matches_the_spec_file() -> None:
    operation = SpecValidator().app.spec / "paths" / "/indexes/{index_name}/backups" / "get"
    media_type = operation / "responses" / "200" / "content" / "application/json"
    assert (media_type / "examples" / "backups" / "value").read_value() == SPEC_EXAMPLE_RESPONSE
    assert [b["created_at"] for b in SPEC_EXAMPLE_RESPONSE["data"]] == [
        "2024-03-15T10:30:00Z",
        "2024-03-20T15:45:00Z",
    ]


def test_seeded_docs_example_serves_the_docs_backup_byte_for_byte(emu: Emulator) -> None:
    docs_item = DOCS_EXAMPLE_RESPONSE[len('{"data":[') : -len('],"pagination":null}')]
    reply = call(emu, backups_path("docs-example"))
    assert reply.status == 200
    assert reply.body.startswith(b'{"data":[' + docs_item.encode() + b",")
    document = reply.json()
    assert len(document["data"]) == 3
    assert document["data"][0] == DOCS_EXAMPLE_BACKUP
    assert document["pagination"] is None
    created = [backup["created_at"] for backup in document["data"]]
    assert created == sorted(created, reverse=True)
    for older in document["data"][1:]:
        assert older["source_index_id"] == DOCS_EXAMPLE_BACKUP["source_index_id"]
        assert older["source_index_name"] == "docs-example"


def test_seeded_my_index_serves_the_spec_example_newest_first(emu: Emulator) -> None:
    document = call(emu, backups_path("my-index")).json()
    assert document == {"data": SPEC_EXAMPLE_RESPONSE["data"][::-1], "pagination": None}
    assert [b["backup_id"] for b in document["data"]] == ["bkp_789xyz", "bkp_123abc"]


def test_seeded_empty_index(emu: Emulator) -> None:
    reply = call(emu, backups_path("empty-index"))
    assert reply.status == 200
    assert reply.body == b'{"data":[],"pagination":null}'


def test_seeded_big_index(emu: Emulator) -> None:
    backups = emu.backups("big-index")
    assert len(backups) == 25
    created = [backup["created_at"] for backup in backups]
    assert len(set(created)) == 25
    assert created == sorted(created, reverse=True)
    assert all(RFC3339_MICROS.fullmatch(value) for value in created)
    assert len({backup["backup_id"] for backup in backups}) == 25
    assert {backup["source_index_id"] for backup in backups} == {emu.add_index("big-index")}
    assert call(emu, backups_path("big-index", limit="100")).json()["data"] == backups


def test_seed_is_the_same_on_every_run(emulators: Callable[..., Emulator]) -> None:
    assert emulators().backups("big-index") == emulators().backups("big-index")


def test_no_seed(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(seed=False)
    for name in ("docs-example", "my-index", "empty-index", "big-index"):
        assert_error(call(emu, backups_path(name)), 404, "NOT_FOUND", f"Index {name} not found.")


def test_add_backup_fills_required_fields(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(seed=False)
    backup = emu.add_backup("my-index", name="nightly", record_count=5, tags={"env": "prod"})
    assert uuid.UUID(backup["backup_id"]).version == 4
    assert backup["source_index_name"] == "my-index"
    assert backup["source_index_id"] == emu.add_index("my-index")
    assert uuid.UUID(backup["source_index_id"]).version == 4
    assert (backup["status"], backup["cloud"], backup["region"]) == ("Ready", "aws", "us-east-1")
    assert RFC3339_MICROS.fullmatch(backup["created_at"])
    assert (backup["name"], backup["record_count"], backup["tags"]) == (
        "nightly",
        5,
        {"env": "prod"},
    )
    second = emu.add_backup("my-index")
    assert second["source_index_id"] == backup["source_index_id"]
    assert second["backup_id"] != backup["backup_id"]
    assert call(emu, backups_path("my-index")).json()["data"] == [second, backup]


def test_add_backup_serves_extra_fields_as_given() -> None:
    with Emulator() as emu:  # a field the spec does not have: no spec check
        backup = emu.add_backup("extra", future_field={"x": [1, 2]}, dimension=8)
        assert backup["future_field"] == {"x": [1, 2]} and backup["dimension"] == 8
        assert call(emu, backups_path("extra")).json()["data"] == [backup]
        seen = call(emu, backups_path("extra"), headers={**API_HEADERS, VERSION: "2026-07"})
    assert seen.json()["data"][0]["future_field"] == {"x": [1, 2]}  # in every version


def test_add_backup_serves_none_as_null_which_the_spec_rejects() -> None:
    with Emulator(seed=False) as emu:
        backup = emu.add_backup("nulls", description=None, cloud=None)
        reply = call(emu, backups_path("nulls"))
    assert backup["description"] is None and backup["cloud"] is None
    assert b'"description":null' in reply.body and b'"cloud":null' in reply.body
    assert reply.json()["data"] == [backup]
    with pytest.raises(AssertionError, match=r"\.cloud: None for not nullable"):
        SpecValidator().validate(emu.exchanges[0])


def test_add_index_is_idempotent(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(seed=False)
    index_id = emu.add_index("fresh")
    assert emu.add_index("fresh") == index_id
    assert emu.add_index("fresh", index_id=index_id) == index_id
    with pytest.raises(ValueError, match="already exists"):
        emu.add_index("fresh", index_id="other")
    assert call(emu, backups_path("fresh")).body == b'{"data":[],"pagination":null}'
    assert emu.add_index("given", index_id="idx_1") == "idx_1"
    assert emu.add_backup("given")["source_index_id"] == "idx_1"


@pytest.mark.parametrize("name", ["", None])
def test_add_index_rejects_an_empty_name(emu: Emulator, name: Any) -> None:
    with pytest.raises(ValueError, match="non-empty"):
        emu.add_index(name)
