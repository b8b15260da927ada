"""Proxies: ``proxy=``, ``HTTP_PROXY`` / ``HTTPS_PROXY``, ``NO_PROXY`` (``*`` included), and proxy
credentials that never show."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, PROXY_VARIABLES, OneShotServer

# -- proxy=, HTTP_PROXY, NO_PROXY -----------------------------------------------------------------


@pytest.fixture
def proxy() -> Iterator[OneShotServer]:
    server = OneShotServer()
    yield server
    server.close()


def test_proxy_option(proxy: OneShotServer) -> None:
    client = pb.Client(
        api_key=API_KEY,
        host="http://backups.invalid",
        proxy=f"http://127.0.0.1:{proxy.port}",
        max_retries=0,
    )
    assert len(client.list_index_backups("x")) == 1
    # A forward proxy gets the absolute URL.
    assert proxy.heads[0].startswith("GET http://backups.invalid/indexes/x/backups HTTP/1.1")


def test_the_machine_s_proxies_are_cleared_for_the_tests() -> None:
    # conftest's autouse fixture: a developer's proxy must not come between the tests and the
    # local emulator (the tests here that want one set it themselves).
    names = {*PROXY_VARIABLES, *(name.lower() for name in PROXY_VARIABLES)}
    assert len(names) == 8
    assert names.isdisjoint(os.environ)


def test_proxy_from_the_environment(proxy: OneShotServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert (
        len(pb.Client(api_key=API_KEY, host="http://backups.invalid").list_index_backups("x")) == 1
    )
    assert len(proxy.heads) == 1

    # NO_PROXY: straight to the host (which does not exist: the connection fails).
    monkeypatch.setenv("NO_PROXY", "backups.invalid")
    client = pb.Client(api_key=API_KEY, host="http://backups.invalid", max_retries=0)
    with pytest.raises(pb.PineconeConnectionError):
        client.list_index_backups("x")
    assert len(proxy.heads) == 1

    # proxy="" ignores the environment.
    monkeypatch.delenv("NO_PROXY")
    client = pb.Client(api_key=API_KEY, host="http://backups.invalid", proxy="", max_retries=0)
    with pytest.raises(pb.PineconeConnectionError):
        client.list_index_backups("x")
    assert len(proxy.heads) == 1


def test_proxy_credentials_are_not_echoed() -> None:
    with pytest.raises(pb.ConfigurationError) as caught:
        pb.Client(api_key=API_KEY, proxy="ftp://user:hunter2@proxy")
    assert "hunter2" not in str(caught.value)


# -- NO_PROXY=* -----------------------------------------------------------------------------------


@pytest.mark.parametrize("no_proxy", ["NO_PROXY", "no_proxy"])
def test_no_proxy_star_bypasses_every_proxy(
    emulator: Emulator, proxy: OneShotServer, monkeypatch: pytest.MonkeyPatch, no_proxy: str
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv(no_proxy, "*")
    client = pb.Client(api_key=API_KEY, host=emulator.url, max_retries=0)
    # Today: PineconeConnectionError (the request went to the proxy, which hung up).
    assert len(client.list_index_backups("docs-example")) == 3
    assert proxy.connections == 0
    assert len(emulator.requests) == 1
