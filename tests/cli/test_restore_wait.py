"""``restore --wait`` (the restore job, then the new index, within one ``--timeout``) and
``wait index NAME``, in-process against spec-checked emulators under every API version, and
Ctrl-C during ``restore --wait`` in a child process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups.cli import _waiting
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, READY_BACKUP, Start, cli, fields_of, json_lines

FAST = ("--poll-interval", "0.05")


def _polled(emu: Emulator) -> list[str]:
    """What each GET asked for: ``job`` or ``index``, in order."""
    return [
        "index" if r.path.startswith("/indexes/") else "job"
        for r in emu.requests
        if r.method == "GET"
    ]


def _progress(err: str, what: str) -> list[str]:
    """The statuses (or states) of the progress lines of ``what`` (``restore job``, ``index``)."""
    return [
        line.split(": ", 1)[1].split(",")[0]
        for line in err.splitlines()
        if line.startswith(f"{what} ")
    ]


@pytest.mark.parametrize("version", pb.API_VERSIONS)
def test_restore_wait_waits_for_the_job_then_the_index(
    start: Start, version: str, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = start(restore_seconds=0.3, index_seconds=0.3)
    common = ("--api-version", version, "--json")
    assert cli(emu, "restore", READY_BACKUP, "--name", "copy", "--wait", *FAST, *common) == 0
    out, err = capsys.readouterr()
    [job] = json_lines(out)
    assert (job["status"], job["target_index_name"]) == ("Completed", "copy")
    polled = _polled(emu)
    assert polled[0] == "job" and polled[-1] == "index"
    assert polled == sorted(polled, key=["job", "index"].index), polled  # the job, then the index
    assert emu.get_index("copy", api_version=version)["status"]["ready"] is True  # type: ignore[index]
    assert _progress(err, "restore job")[-1] == "Completed"
    states = _progress(err, "index copy:")
    assert states[-1] == "Ready" and set(states[:-1]) <= {"Initializing"}, states
    assert err.splitlines()[0].endswith("waiting until it is complete and the index is ready")
    assert {r.headers["X-Pinecone-Api-Version"] for r in emu.requests} == {version}


def test_restore_wait_shows_the_job_as_a_table(
    start: Start, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = start(restore_seconds=0.1, index_seconds=0.1)
    assert cli(emu, "restore", READY_BACKUP, "--name", "copy", "--wait", *FAST) == 0
    out, _err = capsys.readouterr()
    fields = fields_of(out)
    assert (fields["status"], fields["target_index_name"]) == ("Completed", "copy")


def test_one_timeout_covers_the_job_and_the_index(
    start: Start, capsys: pytest.CaptureFixture[str]
) -> None:
    """The job takes 0.6 s and the index 0.6 s more: each within --timeout 1, not both."""
    emu = start(restore_seconds=0.6, index_seconds=0.6)
    started = time.monotonic()
    code = cli(emu, "restore", READY_BACKUP, "--name", "copy", "--wait", "--timeout", "1", *FAST)
    elapsed = time.monotonic() - started
    assert code == 4
    assert 0.9 < elapsed < 2.0, elapsed
    out, err = capsys.readouterr()
    index = fields_of(out)  # the last state seen: the index's
    assert (index["name"], index["state"], index["ready"]) == ("copy", "Initializing", "False")
    [job] = emu.restore_jobs()[-1:]
    assert err.splitlines()[-1] == (
        f"pinecone-backups: error: index copy is being restored (restore job "
        f"{job['restore_job_id']}); waiting for it failed: index copy was not ready within 1.0s "
        "(last state 'Initializing', ready False)"
    )
    assert [r.method for r in emu.requests].count("POST") == 1


def test_a_job_that_times_out_shows_the_job(
    start: Start, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = start(restore_seconds=3600)
    assert cli(emu, "restore", READY_BACKUP, "--name", "copy", "--wait", "--timeout", "0.3") == 4
    out, err = capsys.readouterr()
    assert fields_of(out)["status"] == "Pending"
    assert "waiting for it failed: restore job " in err.splitlines()[-1]
    assert "index" not in _polled(emu)


def test_a_failed_job_names_the_job_and_the_index(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    emu.fail_next_restores()
    assert cli(emu, "restore", READY_BACKUP, "--name", "doomed", "--wait", *FAST, "--json") == 3
    out, err = capsys.readouterr()
    job = json_lines(out)[-1]
    assert job["status"] == "Failed"
    job_id = job["restore_job_id"]
    assert err.splitlines()[-1] == (
        f"pinecone-backups: error: index doomed is being restored (restore job {job_id}); "
        f"waiting for it failed: restore job {job_id} failed: its status is 'Failed'"
    )


def test_an_index_that_fails_after_its_job(
    start: Start, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu = start(restore_seconds=0.1, index_seconds=60)
    shown = _waiting.Progress.__call__

    def fail_the_index(self: _waiting.Progress[Any], obj: Any) -> None:
        shown(self, obj)
        if isinstance(obj, pb.Index):
            emu.set_index_state("copy", "InitializationFailed")

    monkeypatch.setattr(_waiting.Progress, "__call__", fail_the_index)
    assert cli(emu, "restore", READY_BACKUP, "--name", "copy", "--wait", *FAST) == 3
    out, err = capsys.readouterr()
    assert fields_of(out)["state"] == "InitializationFailed"
    assert _progress(err, "index copy:") == ["Initializing", "InitializationFailed"]
    [job] = emu.restore_jobs()[-1:]
    assert err.splitlines()[-1] == (
        f"pinecone-backups: error: index copy is being restored (restore job "
        f"{job['restore_job_id']}); waiting for it failed: index copy failed: its state is "
        "'InitializationFailed'; it will not be ready"
    )


def test_timeout_and_poll_interval_need_wait(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emu, "restore", READY_BACKUP, "--name", "copy", "--poll-interval", "1") == 2
    assert "--poll-interval needs --wait" in capsys.readouterr().err
    assert emu.requests == []


# -- wait index NAME ------------------------------------------------------------------------------


@pytest.mark.parametrize("version", pb.API_VERSIONS)
def test_wait_index(start: Start, version: str, capsys: pytest.CaptureFixture[str]) -> None:
    emu = start(restore_seconds=0.1, index_seconds=0.2)
    assert cli(emu, "restore", READY_BACKUP, "--name", "copy", "--api-version", version) == 0
    capsys.readouterr()
    assert cli(emu, "wait", "index", "copy", *FAST, "--api-version", version) == 0
    out, err = capsys.readouterr()
    index = fields_of(out)
    assert (index["name"], index["state"], index["ready"]) == ("copy", "Ready", "True")
    assert (index["cloud"], index["region"], index["dimension"]) == ("aws", "us-east-1", "1536")
    states = _progress(err, "index copy:")
    assert states[-1] == "Ready" and set(states[:-1]) <= {"Initializing"}, states

    assert cli(emu, "wait", "index", "copy", "--json", "--api-version", version) == 0
    assert json_lines(capsys.readouterr().out) == [emu.get_index("copy", api_version=version)]


@pytest.mark.parametrize(
    ("state", "going"), [("Terminating", "is being deleted"), ("Failed", "failed")]
)
def test_wait_index_exits_3_when_it_will_not_be_ready(
    emu: Emulator, state: str, going: str, capsys: pytest.CaptureFixture[str]
) -> None:
    emu.set_index_state("my-index", state)
    assert cli(emu, "wait", "index", "my-index") == 3
    out, err = capsys.readouterr()
    assert fields_of(out)["state"] == state
    assert err.splitlines()[-1] == (
        f"pinecone-backups: error: index my-index {going}: its state is {state!r}; "
        "it will not be ready"
    )


def test_wait_index_exits_4_on_timeout(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    emu.set_index_state("my-index", "Initializing")
    assert cli(emu, "wait", "index", "my-index", "--timeout", "0.3", *FAST, "--json") == 4
    out, err = capsys.readouterr()
    assert json_lines(out)[0]["status"] == {"ready": False, "state": "Initializing"}
    assert "index my-index was not ready within 0.3s" in err.splitlines()[-1]


def test_wait_index_of_no_index(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(emu, "wait", "index", "nowhere") == 1
    assert "Index nowhere not found" in capsys.readouterr().err
    assert cli(emu, "wait", "index", "x" * 46) == 2  # refused before sending
    assert "ID" in capsys.readouterr().err
    assert [r.path for r in emu.requests] == ["/indexes/nowhere"]


# -- Ctrl-C ----------------------------------------------------------------------------------------


@pytest.mark.timeout(60)
def test_ctrl_c_during_restore_wait_says_the_restore_began(start: Start) -> None:
    emu = start(restore_seconds=3600)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PINECONE_")}
    env["PINECONE_API_KEY"] = API_KEY
    child = subprocess.Popen(
        [
            *(sys.executable, "-m", "pinecone_backups", "restore", READY_BACKUP),
            *("--name", "copy", "--wait", "--poll-interval", "0.2", "--host", emu.url),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stderr is not None
        lines = [child.stderr.readline(), child.stderr.readline()]
        assert lines[1].startswith("restore job "), lines
        sent_at = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=10)
        ended = time.monotonic() - sent_at
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130, err
    assert ended < 2, ended
    assert out == ""
    [job] = emu.restore_jobs()[-1:]
    job_id = job["restore_job_id"]
    assert err.splitlines()[-2:] == [
        "pinecone-backups: interrupted",
        f"pinecone-backups: the restore began (restore job {job_id}, new index 'copy') and goes "
        f"on; follow it: pinecone-backups wait job {job_id}, then pinecone-backups wait index "
        "copy",
    ]
    assert API_KEY not in err
    assert [r.method for r in emu.requests].count("POST") == 1
