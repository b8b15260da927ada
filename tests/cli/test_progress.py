"""A wait's progress: a line per status change off a terminal, one line rewritten on a terminal,
and the live line while waiting."""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass

import pytest

from pinecone_backups.cli._waiting import Progress as _Progress
from tests.helpers import Start, cli, json_lines

FAST = ("--poll-interval", "0.05")


@dataclass(frozen=True)
class Polled:
    status: str
    percent_complete: float | None = None

    def to_json(self) -> str:
        return json.dumps({"status": self.status})


def test_progress_off_a_terminal_writes_a_line_per_status_change() -> None:
    stream = io.StringIO()
    progress: _Progress[Polled] = _Progress("restore job rj", stream, live=False)
    for polled in (Polled("Pending"), Polled("Pending", 50.0), Polled("Completed", 100.0)):
        progress(polled)
    progress.close()
    assert stream.getvalue() == (
        "restore job rj: Pending, 0s elapsed\n"
        "restore job rj: Completed, 100% complete, 0s elapsed\n"
    )
    assert progress.last == Polled("Completed", 100.0)


def test_progress_on_a_terminal_rewrites_one_line() -> None:
    stream = io.StringIO()
    progress: _Progress[Polled] = _Progress("restore job rj", stream, live=True, tick=3600)
    for polled in (Polled("Pending"), Polled("Pending", 42.25), Polled("Done")):
        progress(polled)
    progress.close()
    progress.close()  # once is enough
    assert stream.getvalue() == (
        "\rrestore job rj: Pending, 0s elapsed"
        "\rrestore job rj: Pending, 42.2% complete, 0s elapsed"
        "\rrestore job rj: Done, 0s elapsed                   "  # blanks over the longer line
        "\n"
    )


def test_waiting_on_a_terminal_shows_a_live_line(
    start: Start, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    emu = start(backup_seconds=1.0)  # long enough to be seen Initializing first
    assert cli(emu, "create", "my-index", "--wait", *FAST, "--json") == 0
    out, err = capsys.readouterr()
    assert "\r" not in out and json_lines(out)[0]["status"] == "Ready"
    live = err.split("\n")[1]  # (splitlines() would split at \r too)
    assert live.startswith("\rbackup ") and live.count("\r") >= 2
    assert ": Ready, " in live.rsplit("\r", 1)[1]
