"""The backup and restore commands under every API version, against the spec-checked emulator:
each sends its version's header, reads its version's answers (2026-07: create answers 200,
percent_complete an integer, no dimension), and exits 0 (the cells of the issue-19 matrix that
the other command tests leave out: ``create``, ``delete``, ``job`` and the ``--all`` walks
beyond 2025-10)."""

from __future__ import annotations

import json

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import cli, json_lines

VERSIONS = pb.API_VERSIONS


def _sent(emu: Emulator, method: str) -> list[str]:
    return [r.headers["X-Pinecone-Api-Version"] for r in emu.requests if r.method == method]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_lifecycle_commands_speak_every_version(
    emu: Emulator, version: str, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ("--api-version", version, "--json")
    assert cli(emu, "create", "docs-example", "--name", "by-the-cli", *common) == 0
    created = json.loads(capsys.readouterr().out)
    assert created["name"] == "by-the-cli"
    assert ("dimension" in created) is (version != "2026-07")
    assert cli(emu, "wait", "backup", created["backup_id"], *common) == 0
    capsys.readouterr()
    assert (
        cli(emu, "restore", created["backup_id"], "--name", "restored-by-cli", "--wait", *common)
        == 0
    )
    restored = json_lines(capsys.readouterr().out)[-1]
    job_id = restored["restore_job_id"]
    assert cli(emu, "job", job_id, *common) == 0
    job = json.loads(capsys.readouterr().out)
    assert job["status"] == "Completed"
    assert job["percent_complete"] == 100
    assert type(job["percent_complete"]) is (int if version == "2026-07" else float)
    assert cli(emu, "delete", created["backup_id"], "--yes", *common) == 0
    capsys.readouterr()
    assert emu.get_backup(created["backup_id"]) is None
    for method in ("GET", "POST", "DELETE"):
        assert _sent(emu, method) and set(_sent(emu, method)) == {version}, method


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "arguments",
    [("list", "big-index", "--all"), ("list", "--all"), ("jobs", "--all")],
    ids=["list-index", "list-project", "jobs"],
)
def test_the_walks_speak_every_version(
    emu: Emulator, version: str, arguments: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    if arguments[0] == "jobs":
        ready = [b for b in emu.backups("docs-example") if b["status"] == "Ready"]
        for n in range(12):
            emu.add_restore_job(ready[0]["backup_id"], f"copy-{n}", status="Completed")
    expected = (
        len(emu.backups("big-index"))
        if arguments[1] == "big-index"
        else len(emu.backups())
        if arguments[0] == "list"
        else len(emu.restore_jobs())
    )
    assert cli(emu, *arguments, "--limit", "5", "--api-version", version, "--json") == 0
    rows = json_lines(capsys.readouterr().out)
    assert len(rows) == expected
    gets = _sent(emu, "GET")
    assert len(gets) > 1 and set(gets) == {version}  # more than one page, each in the version
