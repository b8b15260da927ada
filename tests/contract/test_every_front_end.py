"""Every operation of the table, under every API version, through the front ends
``tests/client/test_operations.py`` leaves out: the module-level functions (configured from the
environment, ``PINECONE_API_VERSION`` included) and the async iterators, each exchange checked
against the spec of its version; and under every version that lacks an operation, its refusal
before anything is sent, by the sync client, the async client and the module alike. As there,
a new operation of the table is tested here without this file changing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.client.test_operations import (
    CALL_IDS,
    CALLS,
    OPERATIONS,
    _call_arguments,
    _returned,
    _samples,
)
from tests.spec_validation import attach

MISSING = [
    (operation, version)
    for operation in OPERATIONS
    for version in pb.API_VERSIONS
    if version not in operation["versions"]
]
"""Each operation with each API version that lacks it (the schedules before 2026-07)."""
MISSING_IDS = [f"{operation['name']}-{version}" for operation, version in MISSING]


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Any:
    """An emulator, and the environment the module-level functions read pointing at it."""

    def configure(emu: Emulator, version: str) -> None:
        monkeypatch.setenv("PINECONE_API_KEY", emu.api_key)
        monkeypatch.setenv("PINECONE_CONTROLLER_HOST", emu.url)
        monkeypatch.setenv("PINECONE_API_VERSION", version)

    return configure


@pytest.mark.parametrize(("operation", "version"), CALLS, ids=CALL_IDS)
def test_the_module_functions_serve_every_operation(
    operation: dict[str, Any], version: str, environment: Any
) -> None:
    with Emulator() as emu:
        arguments, options = _call_arguments(operation, _samples(emu))
        environment(emu, version)
        check = attach(emu)
        result = getattr(pb, operation["name"])(*arguments, **options)
        assert _returned(result, operation["returns"]), (result, operation["returns"])
        if operation["iterator"]:
            walk = getattr(pb, operation["iterator"])(*arguments, page_size=2, max_items=5)
            assert list(walk), "the walk hands out items"
        assert emu.requests, "nothing was sent"
        assert {r.headers["X-Pinecone-Api-Version"] for r in emu.requests} == {version}
        check.assert_clean()


ITERATING = [(operation, version) for operation, version in CALLS if operation["iterator"]]


@pytest.mark.parametrize(
    ("operation", "version"),
    ITERATING,
    ids=[f"{operation['iterator']}-{version}" for operation, version in ITERATING],
)
def test_the_async_iterators_walk_every_list(operation: dict[str, Any], version: str) -> None:
    with Emulator() as emu:
        arguments, _options = _call_arguments(operation, _samples(emu))
        check = attach(emu)

        async def walk() -> tuple[list[object], list[Any]]:
            async with pb.AsyncClient(
                api_key=emu.api_key, host=emu.url, api_version=version
            ) as client:
                iterate = getattr(client, operation["iterator"])
                items = [item async for item in iterate(*arguments, page_size=2, max_items=5)]
                pages = [page async for page in iterate(*arguments, page_size=2).pages()]
                return items, pages

        items, pages = asyncio.run(walk())
        assert items and pages
        assert type(pages[0]).__name__ == operation["returns"]
        walked = [item for page in pages for item in page]
        assert walked[: len(items)] == items  # the same list, page by page
        paged = [r for r in emu.requests if r.method == "GET"]
        versions = {r.headers["X-Pinecone-Api-Version"] for r in paged}
        assert len(paged) >= 2 and versions == {version}
        check.assert_clean()


@pytest.mark.parametrize(("operation", "version"), MISSING, ids=MISSING_IDS)
def test_an_operation_a_version_lacks_is_refused_everywhere_before_sending(
    operation: dict[str, Any], version: str, environment: Any
) -> None:
    with Emulator() as emu:
        arguments, options = _call_arguments(operation, _samples(emu))
        environment(emu, version)
        needs = f"{operation['name']} needs API version {' or '.join(operation['versions'])}"
        with pb.Client(api_version=version) as client:
            with pytest.raises(pb.ValidationError, match=needs):
                getattr(client, operation["name"])(*arguments, **options)
            if operation["iterator"]:
                with pytest.raises(pb.ValidationError, match=needs):
                    getattr(client, operation["iterator"])(*arguments)

        async def refused() -> None:
            async with pb.AsyncClient(api_version=version) as client:
                # Refused at the call, before a coroutine exists: nothing to await.
                with pytest.raises(pb.ValidationError, match=needs):
                    getattr(client, operation["name"])(*arguments, **options)
                if operation["iterator"]:
                    with pytest.raises(pb.ValidationError, match=needs):
                        getattr(client, operation["iterator"])(*arguments)

        asyncio.run(refused())
        with pytest.raises(pb.ValidationError, match=needs):
            getattr(pb, operation["name"])(*arguments, **options)
        assert emu.requests == [], "a refused call sent a request"
