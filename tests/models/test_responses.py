"""Decoding responses: the documented examples (the docs' and the spec's), every last-page shape,
optional and unknown fields, big numbers, and the decode errors of wrong types and missing
fields."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import DOCS_EXAMPLE_RESPONSE, SPEC_EXAMPLE_RESPONSE, Emulator
from tests.helpers import FIELDS, minimal

UTC = dt.timezone.utc


def serve(emulator: Emulator, client: pb.Client, body: Any) -> pb.BackupList:
    emulator.respond_next(200, body=body if isinstance(body, str) else json.dumps(body))
    return client.list_index_backups("docs-example")


def test_docs_example_response(client: pb.Client, emulator: Emulator) -> None:
    page = serve(emulator, client, DOCS_EXAMPLE_RESPONSE)
    assert page.pagination is None and page.next_token is None
    assert len(page) == 1
    backup = page[0]
    assert backup == pb.Backup(
        backup_id="9947520e-d5a1-4418-a78d-9f464c9969da",
        source_index_name="docs-example",
        source_index_id="8433941a-dae7-43b5-ac2c-d3dab4a56b2b",
        status="Pending",
        cloud="aws",
        region="us-east-1",
        name="example-backup",
        description="Monthly backup of production index",
        dimension=1024,
        metric=None,
        schema=None,
        record_count=98,
        namespace_count=3,
        size_bytes=1069169,
        tags={},
        created_at=dt.datetime(2025, 3, 11, 18, 29, 50, 549505, tzinfo=UTC),
    )
    # Attribute by attribute, with types.
    assert backup.status == "Pending" and backup.metric is None and backup.schema is None
    assert backup.tags == {} and isinstance(backup.tags, dict)
    assert backup.created_at == dt.datetime(2025, 3, 11, 18, 29, 50, 549505, tzinfo=UTC)
    assert backup.created_at is not None and backup.created_at.utcoffset() == dt.timedelta(0)
    # to_dict gives back exactly what the server sent.
    assert backup.to_dict() == json.loads(DOCS_EXAMPLE_RESPONSE)["data"][0]
    assert page.to_dict() == json.loads(DOCS_EXAMPLE_RESPONSE)


def test_spec_example_response(client: pb.Client, emulator: Emulator) -> None:
    page = serve(emulator, client, SPEC_EXAMPLE_RESPONSE)
    assert page.next_token == "dXNlcl9pZD11c2VyXzE="
    assert page.pagination == pb.Pagination("dXNlcl9pZD11c2VyXzE=")
    first, second = page
    assert first.backup_id == "bkp_123abc" and second.backup_id == "bkp_789xyz"
    assert first.schema == {
        "fields": {"genre": {"filterable": True}, "title": {"filterable": True}}
    }
    assert first.tags == {"environment": "production", "type": "monthly"}
    assert first.created_at == dt.datetime(2024, 3, 15, 10, 30, tzinfo=UTC)
    assert (first.dimension, first.metric, first.record_count) == (1536, "cosine", 120000)
    assert (first.namespace_count, first.size_bytes) == (3, 10000000)
    assert [b.to_dict() for b in page] == SPEC_EXAMPLE_RESPONSE["data"]


@pytest.mark.parametrize(
    "last_page",
    [
        {"data": [minimal()]},
        {"data": [minimal()], "pagination": None},
        {"data": [minimal()], "pagination": {}},
        {"data": [minimal()], "pagination": {"next": None}},
        {"data": [minimal()], "pagination": {"next": ""}},
    ],
    ids=["missing", "null", "empty", "next-null", "next-empty"],
)
def test_last_page_shapes(client: pb.Client, emulator: Emulator, last_page: Any) -> None:
    page = serve(emulator, client, last_page)
    assert page.pagination is None and page.next_token is None
    assert [b.backup_id for b in page] == ["b-1"]


@pytest.mark.parametrize("style", ["null", "missing", "empty", "next-null", "next-empty"])
def test_walk_ends_on_each_last_page_style(
    client: pb.Client, emulator: Emulator, style: Any
) -> None:
    emulator.last_page = style
    assert len(list(client.iter_index_backups("big-index", page_size=10))) == 25
    assert len(emulator.requests) == 3


@pytest.mark.off_spec_responses
def test_page_without_data_is_empty(client: pb.Client, emulator: Emulator) -> None:
    assert len(serve(emulator, client, {})) == 0
    assert len(serve(emulator, client, {"data": None, "pagination": None})) == 0
    assert len(client.list_index_backups("empty-index")) == 0


@pytest.mark.off_spec_responses
def test_optional_fields_absent_or_null(client: pb.Client, emulator: Emulator) -> None:
    nulls = {name: None for name in FIELDS[6:]}
    page = serve(emulator, client, {"data": [minimal(), minimal(**nulls)]})
    absent, null = page
    for backup in (absent, null):
        assert backup.tags == {}
        for name in FIELDS[6:]:
            if name != "tags":
                assert getattr(backup, name) is None, name
    assert absent == null
    assert absent.to_dict() == minimal()
    assert null.to_dict() == minimal(**nulls)


def test_unknown_fields_and_big_numbers_are_kept(client: pb.Client, emulator: Emulator) -> None:
    body = (
        '{"data": [{"backup_id": "b", "source_index_name": "i", "source_index_id": "x",'
        ' "status": "Archived", "cloud": "gcp", "region": "r", "metric": "hamming",'
        ' "record_count": 123456789012345678901234567890, "size_bytes": 4294967296,'
        ' "namespace_count": -1, "encryption": {"kms": "k", "bits": 18446744073709551617},'
        ' "labels": ["a", 1.5, true, null]}], "pagination": null}'
    )
    (backup,) = serve(emulator, client, body)
    assert backup.record_count == 123456789012345678901234567890
    assert backup.size_bytes == 2**32
    assert backup.namespace_count == -1
    assert (backup.status, backup.metric) == ("Archived", "hamming"), "free text stays text"
    as_dict = backup.to_dict()
    assert as_dict["encryption"] == {"kms": "k", "bits": 18446744073709551617}
    assert as_dict["labels"] == ["a", 1.5, True, None]
    assert as_dict == json.loads(body)["data"][0]
    assert pb.Backup.from_dict(as_dict).to_dict() == as_dict


@pytest.mark.off_spec_responses
@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"backup_id": None}, "backup_id"),
        ({"cloud": 5}, "cloud"),
        ({"record_count": "many"}, "record_count"),
        ({"dimension": 1.5}, "dimension"),
        ({"tags": ["a"]}, "tags"),
    ],
)
def test_wrong_types_are_decode_errors_with_a_path(
    client: pb.Client, emulator: Emulator, change: dict[str, Any], where: str
) -> None:
    emulator.respond_next(200, body=json.dumps({"data": [minimal(), minimal(**change)]}))
    with pytest.raises(pb.ResponseDecodeError) as caught:
        client.list_index_backups("docs-example")
    assert caught.value.reason.startswith(f"data[1].{where}"), caught.value.reason
    assert caught.value.status == 200


@pytest.mark.off_spec_responses
def test_missing_required_field_is_a_decode_error(client: pb.Client, emulator: Emulator) -> None:
    incomplete = minimal()
    del incomplete["region"]
    emulator.respond_next(200, body=json.dumps({"data": [incomplete]}))
    with pytest.raises(pb.ResponseDecodeError, match=r"data\[0\]: missing field `region`"):
        client.list_index_backups("docs-example")
