"""Fixtures: an emulator whose every exchange is checked against the official spec, and a client
pointed at it (sync and async); for the emulator's own tests, emulators started with options
(``emulators``, ``emu``), also checked against the spec; a raw server scripted per generated
example. A folder's own ``conftest.py`` adds what only its tests use; helpers (functions,
classes, constants) are in ``tests/helpers``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, PROXY_VARIABLES, Scripted
from tests.spec_validation import SpecCheck, SpecValidator, attach


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine's own Pinecone settings and proxies must not leak into the tests (a proxy
    would come between the client and the local emulator). Tests that want them set them."""
    for name in ("PINECONE_API_KEY", "PINECONE_CONTROLLER_HOST", "PINECONE_ADDITIONAL_HEADERS"):
        monkeypatch.delenv(name, raising=False)
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "bench: the benchmark harness's smoke run (slow; not run by default: `-m bench`, as "
        ".ci/run does)",
    )
    config.addinivalue_line(
        "markers",
        "off_spec_responses: the test serves responses the spec does not allow on purpose "
        "(broken bodies, or the nulls the real API sends); only requests are checked",
    )


@pytest.fixture(scope="session")
def spec_validator() -> SpecValidator:
    # Every request the client sends must be one the spec allows, even a refused one.
    return SpecValidator(strict_requests=True)


@pytest.fixture
def emulator(request: pytest.FixtureRequest, spec_validator: SpecValidator) -> Iterator[Emulator]:
    """A seeded emulator; at teardown, every request it saw, and every response (unless the test
    is marked ``off_spec_responses``), must match the official spec."""
    check_responses = request.node.get_closest_marker("off_spec_responses") is None
    with Emulator(api_key=API_KEY) as emu:
        yield emu
        exchanges = emu.exchanges
    problems: list[str] = []
    for exchange in exchanges:
        where = f"{exchange.request.method} {exchange.request.path}?{exchange.request.raw_query}"
        problems += [f"{where}: {p}" for p in spec_validator.request_errors(exchange.request)]
        if check_responses:
            problems += [f"{where}: {p}" for p in spec_validator.response_errors(exchange)]
    assert not problems, "exchanges that break the spec:\n" + "\n".join(problems)


@pytest.fixture
def client(emulator: Emulator) -> Iterator[pb.Client]:
    """A client of the emulator that does not retry: each injected fault is seen as it is
    (the retrying default is tested in client/test_retries.py)."""
    with pb.Client(api_key=API_KEY, host=emulator.url, max_retries=0) as client:
        yield client


@pytest.fixture
async def aclient(emulator: Emulator) -> AsyncIterator[pb.AsyncClient]:
    """An async client of the emulator that does not retry."""
    async with pb.AsyncClient(api_key=API_KEY, host=emulator.url, max_retries=0) as client:
        yield client


@pytest.fixture(scope="module")
def scripted() -> Iterator[Scripted]:
    """A raw server told what to answer for each generated example, one per test module."""
    server = Scripted()
    yield server
    server.server.close()


# The emulator tests (emulator/) start their own emulators, with options, and speak HTTP to
# them directly; each is checked against the spec as it goes (``spec_validation.attach``).


@pytest.fixture
def emulators() -> Iterator[Callable[..., Emulator]]:
    """Start emulators with a spec check attached; on teardown stop them and assert clean."""
    started: list[tuple[Emulator, SpecCheck]] = []

    def start(**options: Any) -> Emulator:
        emulator = Emulator(**options).start()
        started.append((emulator, attach(emulator)))
        return emulator

    yield start
    for emulator, check in started:
        emulator.stop()
        check.assert_clean()


@pytest.fixture
def emu(emulators: Callable[..., Emulator]) -> Emulator:
    return emulators()
