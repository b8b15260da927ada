"""Backup, BackupList and Pagination behave like frozen dataclasses: dataclass functions, repr,
equality and hash, pickle and copy, ``__match_args__``, ``from_dict``, their constructors, a kept
``schema``, a page as a sequence."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import pickle
from typing import Any

import pytest

import pinecone_backups as pb
from tests.helpers import FIELDS, minimal


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
