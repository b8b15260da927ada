"""Fixtures of the command line's tests: emulators that ``main`` reaches with the key from the
environment (``start``, ``emu``: fast backups and restores), and one whose texts carry control
characters (``evil``)."""

from __future__ import annotations

import pytest

from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, EVIL, Start


@pytest.fixture
def start(emulators: Start, monkeypatch: pytest.MonkeyPatch) -> Start:
    """Starts spec-checked emulators (fast by default) that ``main`` reaches with the key from
    the environment."""
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)

    def start(**options: object) -> Emulator:
        options = {"backup_seconds": 0.2, "restore_seconds": 0.2, **options}
        return emulators(api_key=API_KEY, **options)

    return start


@pytest.fixture
def emu(start: Start) -> Emulator:
    return start()


@pytest.fixture
def evil(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Backups, a restore job and an index whose texts carry control characters; ``main`` reaches
    the emulator with the key from the environment."""
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    old = emulator.add_backup(
        "evil-index",
        name=EVIL,
        description=EVIL,
        tags={"k": EVIL},
        status="Ready",
        created_at="2025-01-01T00:00:00Z",
        size_bytes=1047552,
    )
    new = emulator.add_backup(
        "evil-index", name="newest", status="Ready", created_at="2025-02-01T00:00:00Z"
    )
    odd = emulator.add_backup(
        "odd-index", source_index_name=EVIL, status=EVIL, created_at="2025-01-15T00:00:00Z"
    )
    job = emulator.add_restore_job(
        new["backup_id"], "target", target_index_name=EVIL, status="Pending"
    )
    return {
        "old": old["backup_id"],
        "new": new["backup_id"],
        "odd": odd["backup_id"],
        "job": job["restore_job_id"],
    }
