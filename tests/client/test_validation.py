"""Bad input is refused with a typed error before any request is sent: ids, names, tags, limits,
wait numbers, over-long ids and names, keyword-only options, client configurations and the
environment."""

# The tests check on purpose that delete_backup returns None.
# mypy: disable-error-code="func-returns-value"

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import (
    API_KEY,
    RawReply,
    RawRequest,
    RawServer,
    backup_json,
    json_reply,
    ready_backup,
    refused,
)

# -- Arguments, options, configurations -----------------------------------------------------------


AnyClient = pb.Client | pb.AsyncClient
CLIENT_CLASSES = [pb.Client, pb.AsyncClient]

BAD_CALLS: list[tuple[str, Callable[[AnyClient], object], type[pb.ValidationError], str]] = [
    ("empty index name", lambda c: c.list_index_backups(""), pb.ValidationError, "index_name"),
    ("dot index name", lambda c: c.list_index_backups(".."), pb.ValidationError, "index_name"),
    ("None index name", lambda c: c.list_index_backups(None), pb.ArgumentTypeError, "index_name"),  # type: ignore[arg-type]
    ("bytes index name", lambda c: c.list_index_backups(b"x"), pb.ArgumentTypeError, "index_name"),  # type: ignore[arg-type]
    ("limit 0", lambda c: c.list_index_backups("x", limit=0), pb.ValidationError, "limit"),
    ("limit 101", lambda c: c.list_index_backups("x", limit=101), pb.ValidationError, "limit"),
    ("limit -5", lambda c: c.list_index_backups("x", limit=-5), pb.ValidationError, "limit"),
    ("limit 2**70", lambda c: c.list_index_backups("x", limit=2**70), pb.ValidationError, "limit"),
    ("limit True", lambda c: c.list_index_backups("x", limit=True), pb.ArgumentTypeError, "limit"),
    ("limit '10'", lambda c: c.list_index_backups("x", limit="10"), pb.ArgumentTypeError, "limit"),  # type: ignore[arg-type]
    ("limit 1.5", lambda c: c.list_index_backups("x", limit=1.5), pb.ArgumentTypeError, "limit"),  # type: ignore[arg-type]
    (
        "empty token",
        lambda c: c.list_index_backups("x", pagination_token=""),
        pb.ValidationError,
        "pagination_token",
    ),
    (
        "int token",
        lambda c: c.list_index_backups("x", pagination_token=5),  # type: ignore[arg-type]
        pb.ArgumentTypeError,
        "pagination_token",
    ),
    (
        "page_size 0",
        lambda c: c.iter_index_backups("x", page_size=0),
        pb.ValidationError,
        "page_size",
    ),
    (
        "page_size 101",
        lambda c: c.iter_index_backups("x", page_size=101),
        pb.ValidationError,
        "page_size",
    ),
    (
        "page_size False",
        lambda c: c.iter_index_backups("x", page_size=False),
        pb.ArgumentTypeError,
        "page_size",
    ),
    (
        "max_items -1",
        lambda c: c.iter_index_backups("x", max_items=-1),
        pb.ValidationError,
        "max_items",
    ),
    (
        "max_items 1.0",
        lambda c: c.iter_index_backups("x", max_items=1.0),  # type: ignore[arg-type]
        pb.ArgumentTypeError,
        "max_items",
    ),
    ("iter empty name", lambda c: c.iter_index_backups(""), pb.ValidationError, "index_name"),
]


@pytest.fixture(params=CLIENT_CLASSES, ids=lambda cls: cls.__name__)
def any_client(request: pytest.FixtureRequest, emulator: Emulator) -> Iterator[AnyClient]:
    """A client of the emulator, sync or async, that does not retry."""
    client: AnyClient = request.param(api_key=API_KEY, host=emulator.url, max_retries=0)
    yield client
    client.close()


@pytest.mark.parametrize(
    ("call", "cls", "param"),
    [case[1:] for case in BAD_CALLS],
    ids=[case[0] for case in BAD_CALLS],
)
def test_bad_arguments_are_refused_before_any_request(
    any_client: AnyClient,
    emulator: Emulator,
    call: Callable[[AnyClient], object],
    cls: type[pb.ValidationError],
    param: str,
) -> None:
    # AsyncClient too: the error is raised by the call itself, not when the coroutine is awaited.
    with pytest.raises(cls) as caught:
        call(any_client)
    assert type(caught.value) is cls
    assert isinstance(caught.value, ValueError)
    assert caught.value.param == param
    assert param in str(caught.value)
    assert emulator.requests == []


def test_limits_at_the_bounds_are_accepted(client: pb.Client, emulator: Emulator) -> None:
    assert len(client.list_index_backups("big-index", limit=1)) == 1
    assert len(client.list_index_backups("big-index", limit=100)) == 25


def test_options_are_keyword_only(client: pb.Client) -> None:
    with pytest.raises(TypeError):
        client.list_index_backups("x", 10)  # type: ignore[call-arg]


KEY = "pcsk_config_test_key_4321"

BAD_CONFIGS: list[tuple[str, dict[str, Any], type[Exception]]] = [
    ("no key", {}, pb.ConfigurationError),
    ("empty key", {"api_key": ""}, pb.ConfigurationError),
    ("blank key", {"api_key": "   "}, pb.ConfigurationError),
    ("key with newline", {"api_key": "abc\ndef"}, pb.ConfigurationError),
    ("key with a header injection", {"api_key": "abc\r\nX-Evil: 1"}, pb.ConfigurationError),
    ("non-ASCII key", {"api_key": "clé-secrète"}, pb.ConfigurationError),
    ("key not a str", {"api_key": 123}, pb.ArgumentTypeError),
    ("bad host scheme", {"api_key": KEY, "host": "ftp://x"}, pb.ConfigurationError),
    ("empty host", {"api_key": KEY, "host": ""}, pb.ConfigurationError),
    ("host with query", {"api_key": KEY, "host": "https://x?a=1"}, pb.ConfigurationError),
    ("zero timeout", {"api_key": KEY, "timeout": 0}, pb.ConfigurationError),
    ("negative timeout", {"api_key": KEY, "timeout": -1}, pb.ConfigurationError),
    ("nan timeout", {"api_key": KEY, "timeout": float("nan")}, pb.ConfigurationError),
    ("infinite timeout", {"api_key": KEY, "timeout": float("inf")}, pb.ConfigurationError),
    ("str timeout", {"api_key": KEY, "timeout": "30"}, pb.ArgumentTypeError),
    ("bool timeout", {"api_key": KEY, "timeout": True}, pb.ArgumentTypeError),
    (
        "bad header name",
        {"api_key": KEY, "additional_headers": {"a b": "c"}},
        pb.ConfigurationError,
    ),
    (
        "bad header value",
        {"api_key": KEY, "additional_headers": {"X": "a\nb"}},
        pb.ConfigurationError,
    ),
    ("header not str", {"api_key": KEY, "additional_headers": {"X": 1}}, pb.ArgumentTypeError),
    (
        "api-key header",
        {"api_key": KEY, "additional_headers": {"Api-Key": "other"}},
        pb.ConfigurationError,
    ),
    (
        "version header",
        {"api_key": KEY, "additional_headers": {"X-Pinecone-Api-Version": "1"}},
        pb.ConfigurationError,
    ),
    ("empty api version", {"api_key": KEY, "api_version": ""}, pb.ConfigurationError),
    ("empty source tag", {"api_key": KEY, "source_tag": "!!!"}, pb.ConfigurationError),
    ("zero connect_timeout", {"api_key": KEY, "connect_timeout": 0}, pb.ConfigurationError),
    ("str connect_timeout", {"api_key": KEY, "connect_timeout": "1"}, pb.ArgumentTypeError),
    ("zero deadline", {"api_key": KEY, "deadline": 0}, pb.ConfigurationError),
    ("nan deadline", {"api_key": KEY, "deadline": float("nan")}, pb.ConfigurationError),
    ("bool deadline", {"api_key": KEY, "deadline": False}, pb.ArgumentTypeError),
    ("negative max_retries", {"api_key": KEY, "max_retries": -1}, pb.ConfigurationError),
    ("max_retries 101", {"api_key": KEY, "max_retries": 101}, pb.ConfigurationError),
    ("bool max_retries", {"api_key": KEY, "max_retries": True}, pb.ArgumentTypeError),
    ("float max_retries", {"api_key": KEY, "max_retries": 1.0}, pb.ArgumentTypeError),
    ("retry not a Retry", {"api_key": KEY, "retry": {"max_retries": 1}}, pb.ArgumentTypeError),
    ("zero max_response_bytes", {"api_key": KEY, "max_response_bytes": 0}, pb.ConfigurationError),
    ("bool max_response_bytes", {"api_key": KEY, "max_response_bytes": True}, pb.ArgumentTypeError),
    ("ftp proxy", {"api_key": KEY, "proxy": "ftp://proxy"}, pb.ConfigurationError),
    ("ca_certs not a path", {"api_key": KEY, "ca_certs": 1}, pb.ArgumentTypeError),
]


@pytest.mark.parametrize("client_class", CLIENT_CLASSES, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize(
    ("kwargs", "cls"), [case[1:] for case in BAD_CONFIGS], ids=[case[0] for case in BAD_CONFIGS]
)
def test_bad_configurations(
    client_class: type[AnyClient], kwargs: dict[str, Any], cls: type[Exception]
) -> None:
    with pytest.raises(cls) as caught:
        client_class(**kwargs)
    assert isinstance(caught.value, ValueError)
    key = kwargs.get("api_key")
    if isinstance(key, str) and key.strip():
        assert key.strip() not in str(caught.value)


def test_missing_key_names_the_variable() -> None:
    with pytest.raises(pb.ConfigurationError, match="PINECONE_API_KEY"):
        pb.Client()
    with pytest.raises(pb.ConfigurationError, match="PINECONE_API_KEY"):
        pb.list_index_backups("docs-example")


def test_bad_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    monkeypatch.setenv("PINECONE_ADDITIONAL_HEADERS", "not json")
    with pytest.raises(pb.ConfigurationError, match="PINECONE_ADDITIONAL_HEADERS"):
        pb.Client()
    monkeypatch.setenv("PINECONE_ADDITIONAL_HEADERS", '{"X-A": 1}')
    with pytest.raises(pb.ConfigurationError, match="PINECONE_ADDITIONAL_HEADERS"):
        pb.Client()
    monkeypatch.delenv("PINECONE_ADDITIONAL_HEADERS")
    monkeypatch.setenv("PINECONE_CONTROLLER_HOST", "ftp://nope")
    with pytest.raises(pb.ConfigurationError, match="PINECONE_CONTROLLER_HOST"):
        pb.Client()


# -- The lifecycle's arguments: nothing is sent ---------------------------------------------------


ID_METHODS = [
    ("describe_backup", "backup_id"),
    ("delete_backup", "backup_id"),
    ("wait_for_backup", "backup_id"),
    ("describe_restore_job", "job_id"),
    ("wait_for_restore_job", "job_id"),
    ("create_backup", "index_name"),
    ("create_index_from_backup", "backup_id"),
]


@pytest.mark.parametrize(("method", "param"), ID_METHODS)
def test_empty_id(client: pb.Client, emulator: Emulator, method: str, param: str) -> None:
    args: tuple[str, ...] = ("",) if method != "create_index_from_backup" else ("", "new-index")
    refused(emulator, lambda: getattr(client, method)(*args), param, pb.ValidationError)


@pytest.mark.parametrize("bad", [None, 1, b"id", ["id"]])
@pytest.mark.parametrize(("method", "param"), ID_METHODS)
def test_non_str_id(
    client: pb.Client, emulator: Emulator, method: str, param: str, bad: object
) -> None:
    args: tuple[object, ...] = (bad,) if method != "create_index_from_backup" else (bad, "x")
    refused(emulator, lambda: getattr(client, method)(*args), param, pb.ArgumentTypeError)


@pytest.mark.parametrize(
    "name", ["", "a" * 46, "Upper", "-lead", "trail-", "under_score", "dot.ted", "sp ace", "é"]
)
def test_restore_name_rules(client: pb.Client, emulator: Emulator, name: str) -> None:
    refused(
        emulator,
        lambda: client.create_index_from_backup("some-backup", name),
        "name",
        pb.ValidationError,
    )


def test_restore_name_wrong_type(client: pb.Client, emulator: Emulator) -> None:
    call = lambda: client.create_index_from_backup("some-backup", 5)  # type: ignore[arg-type]  # noqa: E731
    refused(emulator, call, "name", pb.ArgumentTypeError)


@pytest.mark.parametrize("name", ["a", "a" * 45, "a-1", "0-z9", "x--y"])
def test_restore_name_accepted(client: pb.Client, emulator: Emulator, name: str) -> None:
    with pytest.raises(pb.NotFoundError):  # valid, so sent: the backup does not exist
        client.create_index_from_backup("no-such-backup", name)
    assert len(emulator.requests) == 1


@pytest.mark.parametrize(
    "tags",
    [
        {"": "v"},
        {"k" * 81: "v"},
        {"a b": "v"},
        {"a.b": "v"},
        {"k": "v" * 121},
        {"k": "a/b"},
        {"k": "ü"},
        {"k": "tab\there"},
    ],
)
def test_bad_tags(client: pb.Client, emulator: Emulator, tags: dict[str, str]) -> None:
    refused(
        emulator,
        lambda: client.create_index_from_backup("some-backup", "new-index", tags=tags),
        "tags",
        pb.ValidationError,
    )


@pytest.mark.parametrize("tags", [["k", "v"], {1: "v"}, {"k": 1}, {"k": None}, "k=v"])
def test_tags_wrong_type(client: pb.Client, emulator: Emulator, tags: Any) -> None:
    refused(
        emulator,
        lambda: client.create_index_from_backup("some-backup", "new-index", tags=tags),
        "tags",
        pb.ValidationError,  # ArgumentTypeError is one
    )


def test_tags_accepted(client: pb.Client, emulator: Emulator) -> None:
    backup = ready_backup(client, emulator)
    tags = {"k" * 80: "v" * 120, "Key_-9": "a;@_-.+ Z", "empty": ""}
    client.create_index_from_backup(backup.backup_id, "tagged", tags=tags)
    assert json.loads(emulator.requests[-1].body)["tags"] == tags


@pytest.mark.parametrize("value", ["Enabled", "on", "", True])
def test_bad_deletion_protection(client: pb.Client, emulator: Emulator, value: Any) -> None:
    refused(
        emulator,
        lambda: client.create_index_from_backup(
            "some-backup", "new-index", deletion_protection=value
        ),
        "deletion_protection",
        pb.ValidationError,
    )


@pytest.mark.parametrize("value", [0, 101, -1])
@pytest.mark.parametrize("method", ["list_project_backups", "list_restore_jobs"])
def test_bad_limit(client: pb.Client, emulator: Emulator, method: str, value: int) -> None:
    refused(emulator, lambda: getattr(client, method)(limit=value), "limit", pb.ValidationError)


@pytest.mark.parametrize("value", [True, 1.5, "10"])
@pytest.mark.parametrize("method", ["list_project_backups", "list_restore_jobs"])
def test_limit_wrong_type(client: pb.Client, emulator: Emulator, method: str, value: Any) -> None:
    refused(emulator, lambda: getattr(client, method)(limit=value), "limit", pb.ArgumentTypeError)


@pytest.mark.parametrize("value", [0, 101])
@pytest.mark.parametrize("method", ["iter_project_backups", "iter_restore_jobs"])
def test_bad_page_size(client: pb.Client, emulator: Emulator, method: str, value: int) -> None:
    def call() -> None:
        for _ in getattr(client, method)(page_size=value):
            pass

    refused(emulator, call, "page_size", pb.ValidationError)


@pytest.mark.parametrize("limit", [1, 100])
def test_limit_bounds_accepted(client: pb.Client, limit: int) -> None:
    assert len(client.list_project_backups(limit=limit)) == min(limit, 30)
    assert len(client.list_restore_jobs(limit=limit)) == 0


@pytest.mark.parametrize("param", ["timeout", "poll_interval"])
@pytest.mark.parametrize("value", [0, -1, 0.0, -0.5, float("nan")])
@pytest.mark.parametrize("method", ["wait_for_backup", "wait_for_restore_job"])
def test_bad_wait_numbers(
    client: pb.Client, emulator: Emulator, method: str, param: str, value: float
) -> None:
    refused(
        emulator,
        lambda: getattr(client, method)("some-id", **{param: value}),
        param,
        pb.ValidationError,
    )


@pytest.mark.parametrize("param", ["timeout", "poll_interval"])
@pytest.mark.parametrize("value", [True, False, "1"])
@pytest.mark.parametrize("method", ["wait_for_backup", "wait_for_restore_job"])
def test_wait_numbers_wrong_type(
    client: pb.Client, emulator: Emulator, method: str, param: str, value: object
) -> None:
    refused(
        emulator,
        lambda: getattr(client, method)("some-id", **{param: value}),
        param,
        pb.ArgumentTypeError,
    )


@pytest.mark.parametrize("method", ["wait_for_backup", "wait_for_restore_job"])
def test_on_progress_not_callable(client: pb.Client, emulator: Emulator, method: str) -> None:
    refused(
        emulator,
        lambda: getattr(client, method)("some-id", on_progress="print"),
        "on_progress",
        pb.ValidationError,
    )


@pytest.mark.parametrize("value", ["yes", 1])
def test_wait_flag_wrong_type(client: pb.Client, emulator: Emulator, value: object) -> None:
    refused(
        emulator,
        lambda: client.create_backup("docs-example", wait=value),  # type: ignore[arg-type]
        "wait",
        pb.ArgumentTypeError,
    )


@pytest.mark.parametrize("param", ["name", "description"])
def test_create_backup_text_wrong_type(client: pb.Client, emulator: Emulator, param: str) -> None:
    wrong: dict[str, Any] = {param: 5}
    refused(
        emulator,
        lambda: client.create_backup("docs-example", **wrong),
        param,
        pb.ArgumentTypeError,
    )


def test_missing_ok_wrong_type(client: pb.Client, emulator: Emulator) -> None:
    refused(
        emulator,
        lambda: client.delete_backup("some-id", missing_ok="yes"),  # type: ignore[arg-type]
        "missing_ok",
        pb.ArgumentTypeError,
    )


# -- Over-long ids and names ----------------------------------------------------------------------


FAST = pb.Retry(max_retries=1, backoff_base=0.01, backoff_cap=0.01)


LONG = "x" * 100_000
SYNC_CALLS: dict[str, Callable[[pb.Client], object]] = {
    "describe_backup(long id)": lambda c: c.describe_backup(LONG),
    "delete_backup(long id)": lambda c: c.delete_backup(LONG),
    "delete_backup(long id, missing_ok=True)": lambda c: c.delete_backup(LONG, missing_ok=True),
    "describe_restore_job(long id)": lambda c: c.describe_restore_job(LONG),
    "wait_for_backup(long id)": lambda c: c.wait_for_backup(LONG, timeout=1),
    "wait_for_restore_job(long id)": lambda c: c.wait_for_restore_job(LONG, timeout=1),
    "create_index_from_backup(long id)": lambda c: c.create_index_from_backup(LONG, "restored"),
    "create_index_from_backup(long index name)": lambda c: c.create_index_from_backup("b-1", LONG),
    "create_backup(long index name)": lambda c: c.create_backup(LONG),
    "create_backup(long index name, wait=True)": lambda c: c.create_backup(LONG, wait=True),
    "create_backup(long backup name)": lambda c: c.create_backup("idx", name=LONG),
    "list_index_backups(long index name)": lambda c: c.list_index_backups(LONG),
    "iter_index_backups(long index name)": lambda c: list(c.iter_index_backups(LONG)),
}


def counting_server() -> RawServer:
    return RawServer(lambda _: json_reply(backup_json("b-1")))


@pytest.mark.timeout(30)
@pytest.mark.parametrize("call", list(SYNC_CALLS))
def test_an_over_long_id_or_name_is_refused_before_sending(call: str) -> None:
    with counting_server() as server, pb.Client(api_key=KEY, host=server.url, retry=FAST) as client:
        with pytest.raises(pb.PineconeError) as caught:
            SYNC_CALLS[call](client)
        assert server.requests == [], "nothing is sent"
    assert isinstance(caught.value, pb.ValidationError), repr(caught.value)[:300]


ASYNC_CALLS: dict[str, Callable[[pb.AsyncClient], Any]] = {
    "describe_backup(long id)": lambda c: c.describe_backup(LONG),
    "delete_backup(long id)": lambda c: c.delete_backup(LONG),
    "create_backup(long backup name)": lambda c: c.create_backup("idx", name=LONG),
    "create_index_from_backup(long index name)": lambda c: c.create_index_from_backup("b-1", LONG),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("call", list(ASYNC_CALLS))
async def test_async_an_over_long_id_or_name_is_refused_before_sending(call: str) -> None:
    with counting_server() as server:
        async with pb.AsyncClient(api_key=KEY, host=server.url, retry=FAST) as client:
            with pytest.raises(pb.PineconeError) as caught:
                await asyncio.wait_for(ASYNC_CALLS[call](client), 10)
        assert server.requests == []
    assert isinstance(caught.value, pb.ValidationError), repr(caught.value)[:300]


@pytest.mark.timeout(30)
def test_an_index_name_of_the_spec_s_45_characters_and_a_long_id_are_still_sent() -> None:
    """Guards: the limits are not below the spec's (an index name of 45 characters) or the
    ids the API hands out (64 characters here)."""
    name, backup_id = "i" * 45, "b" * 64

    def answer(request: RawRequest) -> RawReply:
        if request.path.startswith("/indexes/"):
            return json_reply({"data": [], "pagination": None})
        return json_reply(backup_json(backup_id))

    with RawServer(answer) as server, pb.Client(api_key=KEY, host=server.url) as client:
        client.describe_backup(backup_id)
        client.list_index_backups(name)
        assert server.paths() == [f"GET /backups/{backup_id}", f"GET /indexes/{name}/backups"]
