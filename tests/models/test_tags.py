"""Tags whose values are not strings (off-spec) decode as sent: ``backup.tags == {"a": 1}``,
``to_dict()`` exact, on the model and through the client."""

from __future__ import annotations

import json
from typing import Any

import pytest

import pinecone_backups as pb
from tests.helpers import (
    RawServer,
    assert_same_json,
    backup_json,
    json_reply,
)

KEY = "pcsk_models_trust_0123456789"


TAGS: list[dict[str, Any]] = [
    {"a": 1},
    {"a": 1, "b": "two", "c": True, "d": None, "e": 1.5},
    {"nested": {"list": [1, "x", None], "object": {"k": False}}},
    {"big": 2**70, "negative": -3},
]


@pytest.mark.parametrize("tags", TAGS, ids=lambda t: json.dumps(t, sort_keys=True))
def test_tags_with_values_that_are_not_strings_decode(tags: dict[str, Any]) -> None:
    sent = backup_json("b-1", tags=tags)
    for backup in (
        pb.Backup.from_dict(sent),
        pb.Backup.from_json(json.dumps(sent)),
        pb.BackupList.from_json(json.dumps({"data": [sent]}))[0],
    ):
        assert backup.tags == tags
        assert_same_json(backup.tags, tags, "tags")
        assert_same_json(backup.to_dict(), sent)
        assert_same_json(json.loads(backup.to_json()), sent)
        assert pb.Backup.from_dict(backup.to_dict()) == backup


def test_tags_with_values_that_are_not_strings_through_the_client() -> None:
    page = {"data": [backup_json("b-1", tags={"a": 1}), backup_json("b-2")], "pagination": None}
    with (
        RawServer(lambda _: json_reply(page)) as server,
        pb.Client(api_key=KEY, host=server.url, max_retries=0) as client,
    ):
        got = client.list_index_backups("idx")
    tags: Any = got[0].tags  # (typed dict[str, str] in 0.1.0's stubs)
    assert tags == {"a": 1}
    assert_same_json(got[0].to_dict()["tags"], {"a": 1})
