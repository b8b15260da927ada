"""Fixtures: an emulator whose every exchange is checked against the official spec, and a client
pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from spec_validation import SpecValidator

API_KEY = "pcsk_test_0123456789abcdef"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine's own Pinecone settings must not leak into the tests."""
    for name in ("PINECONE_API_KEY", "PINECONE_CONTROLLER_HOST", "PINECONE_ADDITIONAL_HEADERS"):
        monkeypatch.delenv(name, raising=False)


def pytest_configure(config: pytest.Config) -> None:
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
    (the retrying default is tested in test_faults.py)."""
    with pb.Client(api_key=API_KEY, host=emulator.url, max_retries=0) as client:
        yield client
