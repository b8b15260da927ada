"""Bad input is refused with a typed error before any request is sent."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import pinecone_backups as pb
from conftest import API_KEY
from pinecone_backups.testing import Emulator

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


def test_retry_policy_class() -> None:
    default = pb.Retry()
    assert (default.max_retries, default.backoff_base, default.backoff_cap) == (3, 0.25, 8.0)
    assert default.retry_after_cap == 60.0
    assert default.statuses == (408, 429, 500, 502, 503, 504)
    assert repr(default) == (
        "Retry(max_retries=3, backoff_base=0.25, backoff_cap=8.0, retry_after_cap=60.0, "
        "statuses=(408, 429, 500, 502, 503, 504))"
    )
    one = pb.Retry(max_retries=1, statuses=[503, 429, 503])
    assert one.statuses == (429, 503)
    assert repr(pb.Retry(statuses=[429])).endswith("statuses=(429,))")
    assert one == pb.Retry(max_retries=1, statuses=(429, 503)) and one != default
    assert hash(one) == hash(pb.Retry(max_retries=1, statuses=(503, 429)))
    assert pickle.loads(pickle.dumps(one)) == one
    for bad_status in (True, 99, 600, "503", None):
        with pytest.raises(pb.ConfigurationError, match="statuses"):
            pb.Retry(statuses=[bad_status])  # type: ignore[list-item]
    with pytest.raises(pb.ConfigurationError, match="backoff_base"):
        pb.Retry(backoff_base=2.0, backoff_cap=1.0)
    with pytest.raises(pb.ConfigurationError, match="backoff_cap"):
        pb.Retry(backoff_cap=-1.0)
    with pytest.raises(pb.ConfigurationError, match="max_retries"):
        pb.Retry(max_retries=101)
    # Client options: max_retries overrides the policy's; None for either timeout is the default.
    pb.Client(api_key=KEY, retry=one, max_retries=0, connect_timeout=None, deadline=None)
