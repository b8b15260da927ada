"""Listing an index's backups from the emulator, over HTTP, each exchange checked against the
spec: limits, pagination tokens, page sizes, walks, last-page styles, the index name as one path
segment, unknown indexes, newest first."""

from __future__ import annotations

import base64
from collections.abc import Callable
from urllib.parse import quote

import pytest

from pinecone_backups.testing import (
    LAST_PAGE_STYLES,
    Emulator,
    LastPageStyle,
)
from tests.helpers import (
    Reply,
    assert_error,
    backups_path,
    call,
)

LAST_PAGE_ENDINGS: dict[LastPageStyle, bytes] = {
    "null": b'],"pagination":null}',
    "missing": b"]}",
    "empty": b'],"pagination":{}}',
    "next-null": b'],"pagination":{"next":null}}',
    "next-empty": b'],"pagination":{"next":""}}',
}


def walk(emu: Emulator, index_name: str, limit: int) -> list[Reply]:
    """Every page of ``index_name``, sending ``limit`` on the first request only."""
    pages = [call(emu, backups_path(index_name, limit=str(limit)))]
    while (pagination := pages[-1].json().get("pagination")) and pagination.get("next"):
        pages.append(call(emu, backups_path(index_name, paginationToken=pagination["next"])))
    return pages


@pytest.mark.parametrize(("limit", "count"), [("1", 1), ("7", 7), ("010", 10), ("100", 25)])
def test_valid_limit(emu: Emulator, limit: str, count: int) -> None:
    reply = call(emu, backups_path("big-index", limit=limit))
    assert reply.status == 200
    assert len(reply.json()["data"]) == count


def test_a_zero_padded_limit_of_any_length_is_read() -> None:
    # Beyond what the spec validator parses (Python refuses int() of over 4,300 digits): no
    # spec check here.
    with Emulator() as emu:
        reply = call(emu, backups_path("big-index", limit="0" * 5000 + "10"))
    assert reply.status == 200
    assert len(reply.json()["data"]) == 10


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=101", "limit=-1", "limit=abc", "limit=", "limit=1.5", "limit=1e1"]
)
def test_invalid_limit_is_400(emu: Emulator, query: str) -> None:
    assert_error(call(emu, f"/indexes/big-index/backups?{query}"), 400, "INVALID_ARGUMENT")


def test_repeated_limit_is_400(emu: Emulator) -> None:
    reply = call(emu, "/indexes/big-index/backups?limit=5&limit=5")
    assert_error(reply, 400, "INVALID_ARGUMENT")


def test_default_page_size(emulators: Callable[..., Emulator]) -> None:
    assert len(call(emulators(), backups_path("big-index")).json()["data"]) == 10
    small = emulators(default_page_size=3)
    assert small.default_page_size == 3
    assert len(call(small, backups_path("big-index")).json()["data"]) == 3


def test_token_looks_like_padded_standard_base64_with_plus_and_slash(emu: Emulator) -> None:
    for limit in ("1", "2", "3", "10"):  # different payload lengths
        token = call(emu, backups_path("big-index", limit=limit)).json()["pagination"]["next"]
        assert "+" in token and "/" in token and token.endswith("=")
        assert len(token) % 4 == 0
        assert base64.b64encode(base64.b64decode(token, validate=True)).decode() == token


def test_token_round_trips_when_percent_encoded(emu: Emulator) -> None:
    token = call(emu, backups_path("big-index", limit="4")).json()["pagination"]["next"]
    reply = call(emu, f"/indexes/big-index/backups?paginationToken={quote(token, safe='')}")
    assert reply.status == 200
    assert reply.json()["data"] == emu.backups("big-index")[4:8]
    recorded = emu.requests[-1]
    assert recorded.query == {"paginationToken": [token]}
    assert "%2B" in recorded.raw_query and "%2F" in recorded.raw_query


def test_unencoded_token_is_rejected(emu: Emulator) -> None:
    token = call(emu, backups_path("big-index", limit="4")).json()["pagination"]["next"]
    reply = call(emu, f"/indexes/big-index/backups?paginationToken={token}")
    assert_error(reply, 400, "INVALID_ARGUMENT", "Invalid pagination token.")
    assert emu.requests[-1].query["paginationToken"][0].startswith(" /")  # "+" read as a space


def test_page_size_comes_from_the_token(emu: Emulator) -> None:
    token = call(emu, backups_path("big-index", limit="7")).json()["pagination"]["next"]
    second = call(emu, backups_path("big-index", limit="2", paginationToken=token))
    assert second.status == 200
    assert second.json()["data"] == emu.backups("big-index")[7:14]
    third_token = second.json()["pagination"]["next"]
    third = call(emu, backups_path("big-index", paginationToken=third_token))
    assert third.json()["data"] == emu.backups("big-index")[14:21]


@pytest.mark.parametrize("limit", ["0", "101", "x"])
def test_limit_sent_with_a_token_is_still_validated(emu: Emulator, limit: str) -> None:
    token = call(emu, backups_path("big-index", limit="7")).json()["pagination"]["next"]
    reply = call(emu, backups_path("big-index", limit=limit, paginationToken=token))
    assert_error(reply, 400, "INVALID_ARGUMENT")


def _forged(payload: bytes) -> str:
    return base64.b64encode(payload).decode()


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not a token",
        "dXNlcl9pZD11c2VyXzE=",  # the spec example's token
        "+/8fxqokeyJpbmRleCI6",  # cut short
        _forged(b'\xfb\xff\x00\x00\x00\x00{"index":"big-index","offset":0,"size":10}'),
        _forged(b'\xfb\xff\x00\x00\x00\x00{"index":"big-index","offset":10,"size":101}'),
        _forged(b'\xfb\xff\x00\x00\x00\x00{"index":"big-index","offset":true,"size":10}'),
        _forged(b'\x00\x00\x00\x00\x00\x00{"index":"big-index","offset":10,"size":10}'),
    ],
)
def test_invalid_token_is_400(emu: Emulator, token: str) -> None:
    reply = call(emu, backups_path("big-index", paginationToken=token))
    assert_error(reply, 400, "INVALID_ARGUMENT")


def test_token_of_another_index_is_400(emu: Emulator) -> None:
    token = call(emu, backups_path("big-index", limit="1")).json()["pagination"]["next"]
    reply = call(emu, backups_path("docs-example", paginationToken=token))
    assert_error(reply, 400, "INVALID_ARGUMENT")
    assert "docs-example" in reply.json()["error"]["message"]


def test_repeated_token_is_400(emu: Emulator) -> None:
    token = quote(call(emu, backups_path("big-index", limit="1")).json()["pagination"]["next"])
    reply = call(emu, f"/indexes/big-index/backups?paginationToken={token}&paginationToken={token}")
    assert_error(reply, 400, "INVALID_ARGUMENT")


@pytest.mark.parametrize("style", LAST_PAGE_STYLES)
def test_walk_big_index_in_three_pages(
    emulators: Callable[..., Emulator], style: LastPageStyle
) -> None:
    emu = emulators(last_page=style)
    pages = walk(emu, "big-index", limit=10)
    assert [len(page.json()["data"]) for page in pages] == [10, 10, 5]
    assert [item for page in pages for item in page.json()["data"]] == emu.backups("big-index")
    for page in pages[:2]:
        assert page.body.endswith(
            b'],"pagination":{"next":"' + page.json()["pagination"]["next"].encode() + b'"}}'
        )
    assert pages[2].body.endswith(LAST_PAGE_ENDINGS[style])
    assert emu.requests[0].query == {"limit": ["10"]}
    assert all("limit" not in r.query for r in emu.requests[1:])


@pytest.mark.parametrize("style", LAST_PAGE_STYLES)
def test_last_page_style_can_change_while_running(emu: Emulator, style: LastPageStyle) -> None:
    emu.last_page = style
    assert emu.last_page == style
    assert call(emu, backups_path("empty-index")).body == b'{"data":[' + LAST_PAGE_ENDINGS[style]
    assert call(emu, backups_path("my-index")).body.endswith(LAST_PAGE_ENDINGS[style])


def test_unknown_index_is_404(emu: Emulator) -> None:
    reply = call(emu, backups_path("no-such-index"))
    assert reply.json() == {
        "error": {"code": "NOT_FOUND", "message": "Index no-such-index not found."},
        "status": 404,
    }


def test_backups_are_listed_newest_first(emulators: Callable[..., Emulator]) -> None:
    emu = emulators(seed=False)
    emu.add_backup("idx", name="b", created_at="2025-02-01T00:00:00Z")
    emu.add_backup("idx", name="no-date", created_at="yesterday")  # oldest: not a timestamp
    emu.add_backup("idx", name="d", created_at="2025-03-01T00:00:00.000000001Z")
    emu.add_backup("idx", name="a", created_at="2025-01-01T00:00:00Z")
    emu.add_backup("idx", name="tie-1", created_at="2025-02-15T12:00:00Z")
    emu.add_backup("idx", name="tie-2", created_at="2025-02-15T13:00:00+01:00")  # same instant
    emu.add_backup("idx", name="c", created_at="2025-03-01T00:00:00Z")
    names = [backup["name"] for backup in call(emu, backups_path("idx")).json()["data"]]
    assert names == ["d", "c", "tie-2", "tie-1", "b", "a", "no-date"]
    assert [backup["name"] for backup in emu.backups("idx")] == names


@pytest.mark.parametrize("name", ["a/b", "ünï cödé", "50%+1?#"])
def test_index_name_is_one_percent_decoded_path_segment(emu: Emulator, name: str) -> None:
    emu.add_backup(name, name="x")
    path = f"/indexes/{quote(name, safe='')}/backups"
    reply = call(emu, path)
    assert reply.status == 200
    assert reply.json()["data"][0]["source_index_name"] == name
    recorded = emu.requests[-1]
    assert recorded.path == path
    assert recorded.index_name == name


def test_unencoded_slash_in_index_name_is_404(emu: Emulator) -> None:
    emu.add_backup("a/b")
    reply = call(emu, "/indexes/a/b/backups")
    assert_error(reply, 404, "NOT_FOUND")
    assert emu.requests[-1].index_name is None


def test_last_page_setter_validates(emu: Emulator) -> None:
    with pytest.raises(ValueError, match="last_page"):
        emu.last_page = "none"  # type: ignore[assignment]
    assert emu.last_page == "null"
