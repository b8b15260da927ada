"""The examples (the README's among them) run as written."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_quickstart(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2 backups, next page: ")
    assert len(lines) == 1 + 12 + 1
    assert lines[-1].startswith("[404 NOT_FOUND] Index no-such-index not found. (request_id: ")


def test_resume_walk(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLES / "resume_walk.py"), run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["batch 1", "batch 2", "batch 3"]
    assert [int(line.split()[2]) for line in lines] == [10, 10, 5]
