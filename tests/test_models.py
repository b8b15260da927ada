"""Backup, BackupList and Pagination: decoding the documented responses, and behaving like frozen
dataclasses."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import pickle
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import (
    DOCS_EXAMPLE_RESPONSE,
    SPEC_EXAMPLE_RESPONSE,
    Emulator,
)

UTC = dt.timezone.utc
FIELDS = [
    "backup_id",
    "source_index_name",
    "source_index_id",
    "status",
    "cloud",
    "region",
    "name",
    "description",
    "dimension",
    "metric",
    "schema",
    "record_count",
    "namespace_count",
    "size_bytes",
    "tags",
    "created_at",
]


def minimal(**extra: Any) -> dict[str, Any]:
    return {
        "backup_id": "b-1",
        "source_index_name": "idx",
        "source_index_id": "idx-1",
        "status": "Ready",
        "cloud": "aws",
        "region": "us-east-1",
        **extra,
    }


def serve(emulator: Emulator, client: pb.Client, body: Any) -> pb.BackupList:
    emulator.respond_next(200, body=body if isinstance(body, str) else json.dumps(body))
    return client.list_index_backups("docs-example")


# -- the documented responses -------------------------------------------------------------


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


# -- lenient where the API is loose ------------------------------------------------------


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-11T18:29:50.549505Z", dt.datetime(2025, 3, 11, 18, 29, 50, 549505, tzinfo=UTC)),
        ("2025-05-15T00:52:10.809305882Z", dt.datetime(2025, 5, 15, 0, 52, 10, 809305, tzinfo=UTC)),
        ("2024-03-15T10:30:00Z", dt.datetime(2024, 3, 15, 10, 30, tzinfo=UTC)),
        (
            "2024-03-15T10:30:00.5+05:30",
            dt.datetime(
                2024, 3, 15, 10, 30, 0, 500000, tzinfo=dt.timezone(dt.timedelta(hours=5.5))
            ),
        ),
        ("2024-03-15 10:30:00z", dt.datetime(2024, 3, 15, 10, 30, tzinfo=UTC)),
        ("yesterday", None),
        ("2024-02-30T10:30:00Z", None),
        ("2024-03-15T10:30:00", None),
        # Any number of fraction digits and `+0000` offsets (issue 17, item 1).
        (
            "2024-03-15T10:30:00.1234567890Z",
            dt.datetime(2024, 3, 15, 10, 30, 0, 123456, tzinfo=UTC),
        ),
        ("2024-03-15T10:30:00+0000", dt.datetime(2024, 3, 15, 10, 30, tzinfo=UTC)),
        # Instants whose year, in UTC, Python cannot hold (issue 17, item 17).
        ("9999-12-31T23:59:59-01:00", None),
        ("0001-01-01T00:00:00+01:00", None),
        ("", None),
    ],
)
def test_created_at(text: str, expected: dt.datetime | None) -> None:
    backup = pb.Backup.from_dict(minimal(created_at=text))
    assert backup.created_at == expected
    if expected is not None:
        assert backup.created_at is not None
        assert backup.created_at.utcoffset() == expected.utcoffset()
    assert backup.to_dict()["created_at"] == text, "the text is kept as sent"


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


# -- dataclass behaviour -------------------------------------------------------------------


@pytest.fixture
def backup() -> pb.Backup:
    return pb.Backup.from_dict(json.loads(DOCS_EXAMPLE_RESPONSE)["data"][0])


def test_dataclass_functions(backup: pb.Backup) -> None:
    assert dataclasses.is_dataclass(backup) and dataclasses.is_dataclass(pb.Backup)
    assert [f.name for f in dataclasses.fields(backup)] == FIELDS
    as_dict = dataclasses.asdict(backup)
    assert list(as_dict) == FIELDS
    assert as_dict["created_at"] == backup.created_at
    assert dataclasses.astuple(backup)[0] == backup.backup_id
    changed = dataclasses.replace(backup, status="Ready", tags={"a": "b"})
    assert (changed.status, changed.tags, changed.name) == ("Ready", {"a": "b"}, backup.name)
    assert changed != backup
    assert dataclasses.replace(backup) == backup
    for cls in (pb.BackupList, pb.Pagination):
        assert dataclasses.is_dataclass(cls)
    page = pb.BackupList([backup], pb.Pagination("t"))
    assert dataclasses.asdict(page) == {"data": [as_dict], "pagination": {"next": "t"}}


def test_frozen(backup: pb.Backup) -> None:
    with pytest.raises(AttributeError):
        backup.status = "Ready"  # type: ignore[misc]
    backup.tags["new"] = "tag"
    assert backup.tags == {}, "attributes hand out copies"


def test_repr(backup: pb.Backup) -> None:
    text = repr(backup)
    assert text.startswith("Backup(backup_id='9947520e-d5a1-4418-a78d-9f464c9969da', ")
    assert "tags={}" in text and "metric=None" in text
    assert "created_at=datetime.datetime(2025, 3, 11, 18, 29, 50, 549505, tzinfo=" in text
    assert repr(pb.Pagination("abc")) == "Pagination(next='abc')"
    page = pb.BackupList([backup] * 5, None)
    assert repr(page).startswith("BackupList(data=[Backup(")
    assert repr(page).endswith("... 2 more], pagination=None)")


def test_equality_and_hash(backup: pb.Backup) -> None:
    same = pb.Backup.from_dict(backup.to_dict())
    assert same == backup and hash(same) == hash(backup)
    assert backup != dataclasses.replace(backup, record_count=99)
    assert backup != "not a backup"
    assert len({backup, same}) == 1
    # Equality compares values, like a dataclass: the same instant in another offset is equal.
    assert backup.created_at is not None
    moved = dataclasses.replace(
        backup, created_at=backup.created_at.astimezone(dt.timezone(dt.timedelta(hours=2)))
    )
    assert moved == backup
    assert moved.to_dict()["created_at"] == "2025-03-11T20:29:50.549505+02:00"


def test_pickle_and_copy(backup: pb.Backup) -> None:
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(backup, protocol))
        assert again == backup and again.to_dict() == backup.to_dict()
    assert copy.copy(backup) is backup and copy.deepcopy(backup) is backup
    page = pb.BackupList([backup, backup], pb.Pagination("tok"))
    again_page = pickle.loads(pickle.dumps(page))
    assert again_page == page and again_page.next_token == "tok"
    assert pickle.loads(pickle.dumps(pb.Pagination("x"))) == pb.Pagination("x")


def test_match_args(backup: pb.Backup) -> None:
    match backup:
        case pb.Backup(backup_id, _, _, "Pending", cloud="aws"):
            assert backup_id == backup.backup_id
        case _:
            pytest.fail("no match")
    match pb.BackupList([backup], None):
        case pb.BackupList([pb.Backup(status=status)], None):
            assert status == "Pending"
        case _:
            pytest.fail("no match")


def test_from_dict_round_trip_and_errors(backup: pb.Backup) -> None:
    assert pb.Backup.from_dict(backup.to_dict()) == backup
    assert pb.Backup.from_json(backup.to_json()) == backup
    assert pb.Backup.from_json(backup.to_json().encode()) == backup
    with pytest.raises(pb.ValidationError, match="missing field `cloud`"):
        pb.Backup.from_dict({k: v for k, v in backup.to_dict().items() if k != "cloud"})
    with pytest.raises(pb.ArgumentTypeError):
        pb.Backup.from_dict([1, 2])  # type: ignore[arg-type]
    with pytest.raises(pb.ValidationError):
        pb.Backup.from_json("{")


def test_constructor_validates_types() -> None:
    required = minimal()
    with pytest.raises(TypeError):
        pb.Backup()  # type: ignore[call-arg]
    with pytest.raises(pb.ArgumentTypeError):
        pb.Backup(**{**required, "status": 1})
    with pytest.raises(pb.ArgumentTypeError):
        pb.Backup(**required, record_count=True)
    with pytest.raises(pb.ArgumentTypeError):
        pb.Backup(**required, tags=["a"])  # type: ignore[arg-type]
    with pytest.raises(pb.ValidationError, match="timezone-aware"):
        pb.Backup(**required, created_at=dt.datetime(2025, 1, 1))
    built = pb.Backup(**required, record_count=2**70, created_at="2025-01-01T00:00:00Z")
    assert built.record_count == 2**70
    assert built.to_dict() == {
        **required,
        "record_count": 2**70,
        "created_at": "2025-01-01T00:00:00Z",
    }


def test_schema_given_in_python_is_kept_exactly_and_bounded() -> None:
    def nest(levels: int) -> Any:
        value: Any = 1
        for _ in range(levels - 1):
            value = [value]
        return {"deep": value}

    required = minimal()
    schema = {"fields": {"a": {"filterable": True}}, "big": 2**70, "x": 0.5, "t": (1, None)}
    built = pb.Backup(**required, schema=schema)
    assert built.schema == {**schema, "t": [1, None]}
    assert built.to_dict()["schema"]["big"] == 2**70
    assert pb.Backup(**required, schema=nest(127)).schema == nest(127)
    # As deep as the decoder reads, no deeper; a structure that contains itself is refused too.
    with pytest.raises(pb.ValidationError, match="nested more than 127 levels"):
        pb.Backup(**required, schema=nest(128))
    cyclic: dict[str, Any] = {}
    cyclic["self"] = cyclic
    with pytest.raises(pb.ValidationError, match="nested"):
        pb.Backup(**required, schema=cyclic)
    with pytest.raises(pb.ValidationError, match="not finite"):
        pb.Backup(**required, schema={"x": float("nan")})
    with pytest.raises(pb.ArgumentTypeError):
        pb.Backup(**required, schema={1: "non-str key"})  # type: ignore[dict-item]


def test_backup_list_is_a_sequence(backup: pb.Backup) -> None:
    other = dataclasses.replace(backup, backup_id="other")
    page = pb.BackupList([backup, other], pb.Pagination("t"))
    assert len(page) == 2 and bool(page) and not pb.BackupList()
    assert page[0] == backup and page[-1] == other and page[1:] == [other]
    with pytest.raises(IndexError):
        page[2]
    assert list(page) == [backup, other] == page.data
    assert other in page
    assert page == pb.BackupList([backup, other], pb.Pagination("t"))
    assert page != pb.BackupList([backup, other], None)
    with pytest.raises(pb.ArgumentTypeError):
        pb.BackupList([1])  # type: ignore[list-item]
