"""What goes on the wire: path, query and headers of a request, and the configuration they come
from (options, the environment, the API version)."""

from __future__ import annotations

import json
import platform

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY


def test_first_page_request(client: pb.Client, emulator: Emulator) -> None:
    client.list_index_backups("docs-example")
    (request,) = emulator.requests
    assert request.method == "GET"
    assert request.path == "/indexes/docs-example/backups"
    assert request.query == {}, "limit is sent only when given"
    assert request.headers["Api-Key"] == API_KEY
    assert request.headers.get_all("X-Pinecone-Api-Version") == ["2025-10"]
    assert request.headers["Accept"] == "application/json"
    user_agent = request.headers["User-Agent"]
    assert user_agent.startswith(f"pinecone-backups/{pb.__version__} ")
    assert f"python {platform.python_version()}" in user_agent


def test_limit_and_token_in_the_query(client: pb.Client, emulator: Emulator) -> None:
    first = client.list_index_backups("big-index", limit=7)
    token = first.next_token
    assert token is not None and any(c in token for c in "+/="), token
    second = client.list_index_backups("big-index", pagination_token=token)
    assert [r.query for r in emulator.requests] == [
        {"limit": ["7"]},
        {"paginationToken": [token]},
    ]
    # The raw query is percent-encoded: '+', '/' and '=' never travel as themselves.
    raw_query = emulator.requests[1].raw_query
    assert raw_query.startswith("paginationToken=")
    assert not any(c in raw_query.partition("=")[2] for c in "+/="), raw_query
    assert len(second) == 7
    assert {b.backup_id for b in first}.isdisjoint(b.backup_id for b in second)


@pytest.mark.parametrize(
    ("index_name", "encoded"),
    [
        ("a/b", "a%2Fb"),
        ("with space", "with%20space"),
        ("q?x#y", "q%3Fx%23y"),
        ("pct%2F", "pct%252F"),
        ("ünï", "%C3%BCn%C3%AF"),
    ],
)
def test_index_name_is_one_encoded_path_segment(
    client: pb.Client, emulator: Emulator, index_name: str, encoded: str
) -> None:
    emulator.add_backup(index_name, name="only")
    page = client.list_index_backups(index_name)
    assert [b.name for b in page] == ["only"]
    assert emulator.requests[0].path == f"/indexes/{encoded}/backups"
    assert emulator.requests[0].index_name == index_name


def test_additional_headers_and_source_tag(emulator: Emulator) -> None:
    with pb.Client(
        api_key=API_KEY,
        host=emulator.url,
        additional_headers={"X-Team": "search", "X-Trace": "abc"},
        source_tag="My Notebook",
    ) as client:
        client.list_index_backups("docs-example")
    headers = emulator.requests[0].headers
    assert headers["X-Team"] == "search"
    assert headers["X-Trace"] == "abc"
    assert headers["User-Agent"].endswith("; source_tag=my_notebook")


def test_environment_configuration(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    monkeypatch.setenv("PINECONE_CONTROLLER_HOST", emulator.url)
    monkeypatch.setenv("PINECONE_ADDITIONAL_HEADERS", json.dumps({"X-From-Env": "yes"}))
    with pb.Client() as client:
        assert client.host == emulator.url
        client.list_index_backups("docs-example")
    assert emulator.requests[0].headers["X-From-Env"] == "yes"


def test_host_without_scheme_gets_https() -> None:
    assert pb.Client(api_key="k", host="api.pinecone.io").host == "https://api.pinecone.io"
    assert pb.Client(api_key="k").host == "https://api.pinecone.io"
    assert pb.Client(api_key="k", host="http://127.0.0.1:9/").host == "http://127.0.0.1:9"


def test_api_version_option(emulator: Emulator) -> None:
    with pb.Client(api_key=API_KEY, host=emulator.url, api_version="2026-04") as client:
        assert client.api_version == "2026-04"
        client.list_index_backups("docs-example")
    assert emulator.requests[0].headers.get_all("X-Pinecone-Api-Version") == ["2026-04"]
    assert pb.API_VERSIONS == ["2025-10", "2026-04", "2026-07"]
    assert pb.API_VERSION == "2025-10"


@pytest.mark.parametrize("version", ["2026-01", "2025-10 ", "", "latest", "2027-01"])
def test_an_unknown_api_version_is_refused_before_sending(emulator: Emulator, version: str) -> None:
    with pytest.raises(pb.ConfigurationError) as caught:
        pb.Client(api_key=API_KEY, host=emulator.url, api_version=version)
    assert "2025-10, 2026-04, 2026-07" in str(caught.value)
    assert emulator.requests == []


def test_the_api_version_comes_from_the_environment(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PINECONE_API_VERSION", "2026-07")
    with pb.Client(api_key=API_KEY, host=emulator.url) as client:
        assert client.api_version == "2026-07"
    # The option wins over the environment.
    with pb.Client(api_key=API_KEY, host=emulator.url, api_version="2026-04") as client:
        assert client.api_version == "2026-04"
    monkeypatch.setenv("PINECONE_API_VERSION", "2031-01")
    with pytest.raises(pb.ConfigurationError, match="PINECONE_API_VERSION"):
        pb.Client(api_key=API_KEY, host=emulator.url)


def test_module_level_functions_use_the_environment(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    monkeypatch.setenv("PINECONE_CONTROLLER_HOST", emulator.url)
    page = pb.list_index_backups("docs-example", limit=1)
    assert len(page) == 1 and page.next_token is not None
    assert len(list(pb.iter_index_backups("big-index", page_size=10))) == 25
    # A changed environment gives a new default client.
    monkeypatch.setenv("PINECONE_API_KEY", "pcsk_wrong_key_000000")
    with pytest.raises(pb.UnauthenticatedError):
        pb.list_index_backups("docs-example")
