"""Fixtures of the client's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, INSTANT


@pytest.fixture
def retrying(emulator: Emulator) -> Iterator[pb.Client]:
    """A client that retries (at once) up to twice, with a short per-attempt timeout."""
    with pb.Client(api_key=API_KEY, host=emulator.url, retry=INSTANT, timeout=0.3) as client:
        yield client
