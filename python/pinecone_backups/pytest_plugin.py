"""pytest fixtures for testing your own code against the bundled emulator, offline.

Installing ``pinecone-backups`` registers this plugin with pytest (entry point ``pytest11``,
name ``pinecone_backups``; ``-p no:pinecone_backups`` turns it off). It adds three fixtures:

``pinecone_emulator``
    A running :class:`pinecone_backups.testing.Emulator`, one per test, stopped after it: the
    whole backup lifecycle with the sample data (``docs-example``, ``my-index``, ``empty-index``,
    ``big-index``). While the test runs, ``PINECONE_CONTROLLER_HOST`` and ``PINECONE_API_KEY``
    point at it, so code that builds its own ``pb.Client()`` (or calls ``pb.list_index_backups``
    and the other module-level functions) talks to the emulator, never to a real project.
    ``@pytest.mark.pinecone_emulator(seed=False, backup_seconds=0, ...)`` passes options to
    ``Emulator``.
``pinecone_client``
    A ``pb.Client`` of that emulator (default options: calls are retried), closed after the test.
``pinecone_async_client``
    A ``pb.AsyncClient`` of that emulator, closed after the test; use it in ``async def`` tests
    (run by pytest-asyncio, anyio or the like: the client works in any event loop).

Importing this module imports pytest alone; the emulator is imported by the fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import pinecone_backups as pb
    from pinecone_backups.testing import Emulator

API_KEY = "pinecone-backups-test-key"
"""The API key of the ``pinecone_emulator`` fixture's emulator (unless the marker sets one)."""

_MARKER = "pinecone_emulator"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(**options): options of the pinecone_emulator fixture's Emulator, e.g. "
        "seed=False, backup_seconds=0, restore_seconds=0, api_key='...'",
    )


@pytest.fixture
def pinecone_emulator(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Emulator]:
    """A running emulator of Pinecone's backup API, stopped after the test; the environment
    (``PINECONE_CONTROLLER_HOST``, ``PINECONE_API_KEY``) points at it meanwhile."""
    from pinecone_backups.testing import Emulator

    options: dict[str, Any] = {"api_key": API_KEY}
    marker = request.node.get_closest_marker(_MARKER)
    if marker is not None:
        if marker.args:
            raise pytest.UsageError(
                f"@pytest.mark.{_MARKER} takes keyword arguments only (Emulator's options); "
                f"got {marker.args!r}"
            )
        options.update(marker.kwargs)
    with Emulator(**options) as emulator:
        monkeypatch.setenv("PINECONE_CONTROLLER_HOST", emulator.url)
        monkeypatch.setenv("PINECONE_API_KEY", emulator.api_key)
        yield emulator


@pytest.fixture
def pinecone_client(pinecone_emulator: Emulator) -> Iterator[pb.Client]:
    """A ``pinecone_backups.Client`` of ``pinecone_emulator``, closed after the test."""
    import pinecone_backups as pb

    # proxy="": straight to the local emulator, whatever HTTPS_PROXY says.
    client = pb.Client(api_key=pinecone_emulator.api_key, host=pinecone_emulator.url, proxy="")
    with client:
        yield client


@pytest.fixture
def pinecone_async_client(pinecone_emulator: Emulator) -> Iterator[pb.AsyncClient]:
    """A ``pinecone_backups.AsyncClient`` of ``pinecone_emulator``, closed after the test.

    A plain fixture (no event loop needed to make or close the client), so it works with any
    async test runner."""
    import pinecone_backups as pb

    client = pb.AsyncClient(api_key=pinecone_emulator.api_key, host=pinecone_emulator.url, proxy="")
    try:
        yield client
    finally:
        client.close()
