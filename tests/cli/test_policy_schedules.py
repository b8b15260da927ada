"""``pinecone-backups policy schedules FILE`` against the emulator (API 2026-07): the plan (an
action per index, the current and implied schedule, what changes, why; the rules kept
client-side said per index), the dry run (GETs only: no POST or PATCH reaches the emulator),
``--yes`` (one result line per index) and a second run that leaves everything, ``--json``,
exit statuses 0 / 5 / 2 (a bad file, bad usage, an API version without schedules: nothing
sent), escaping, and Ctrl-C (130, no request after it, what may have happened)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from pinecone_backups.testing import Emulator
from tests.helpers import (
    API_KEY,
    EVIL,
    ROOT,
    RawReply,
    RawRequest,
    RawServer,
    Start,
    cli,
    json_lines,
    json_reply,
)

V = ("--api-version", "2026-07")

POLICY = """\
[defaults]
backup_every = "24h"
keep_within = "30d"

[[rules]]
match = "local"
backup_every = "12h"
keep_daily = 7

[[rules]]
match = "weekly"
backup_every = "7d"
keep_within = "60d"
"""


def write(tmp_path: Path, text: str = POLICY) -> str:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def project(start: Start) -> Emulator:
    """``new`` (create), ``stale`` (keeps 7 days: update), ``local`` (12h, client-side; its
    enabled schedule: disable), ``weekly`` (up to date: leave), ``busy`` (another enabled
    schedule: leave)."""
    emu = start(seed=False, backup_seconds=0)
    for name in ("new", "stale", "local", "weekly", "busy"):
        emu.add_index(name)
    emu.add_backup_schedule("stale", name="policy-stale", expire_after_days=7)
    emu.add_backup_schedule("local", name="policy-local")
    emu.add_backup_schedule(
        "weekly", name="policy-weekly", frequency="weekly", expire_after_days=60
    )
    emu.add_backup_schedule("busy", name="nightly", schedule_id="s-busy")
    return emu


def cells(out: str) -> list[list[str]]:
    """Each row of a table, cut at the header's columns."""
    header, *rows = out.splitlines()
    starts = [m.start() for m in re.finditer(r"(?<!\S)\S+(?: \S+)*", header)]
    bounds = [*zip(starts, [*starts[1:], None], strict=True)]
    return [[row[a:b].strip() for a, b in bounds] for row in [header, *rows]]


@pytest.mark.parametrize("extra", [(), ("--yes",)])
def test_no_index_prints_no_table(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...]
) -> None:
    # no index: no table (a header alone), only the summary on stderr
    emu = start(seed=False)
    assert cli(emu, "policy", "schedules", write(tmp_path), *V, *extra) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "0 left" in err or "0 left as they are" in err


def test_the_dry_run_shows_the_plan_and_sends_no_post_or_patch(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = project(start)
    assert cli(emu, "policy", "schedules", write(tmp_path), *V) == 0
    out, err = capsys.readouterr()
    table = cells(out)
    assert table[0] == ["ACTION", "INDEX", "RULE", "CURRENT", "IMPLIED", "CHANGE", "REASON"]
    assert [row[:6] for row in table[1:]] == [
        ["leave", "busy", "defaults", "-", "daily, keep 30d", "-"],
        ["disable", "local", "rules[0]", "daily, keep 7d, enabled", "client-side", "disable"],
        ["create", "new", "defaults", "-", "daily, keep 30d", "daily, keep 30d"],
        ["update", "stale", "defaults", "daily, keep 7d, enabled", "daily, keep 30d",
         "keep 7d -> 30d"],
        ["leave", "weekly", "rules[1]", "weekly, keep 60d, enabled", "weekly, keep 60d", "-"],
    ]  # fmt: skip
    reasons = {row[1]: row[6] for row in table[1:]}
    assert reasons["busy"].startswith(
        "cannot create policy-busy: schedule 'nightly' (s-busy) of the index is enabled"
    )
    assert reasons["local"] == (
        "stays client-side: backup_every 12h (rules[0]) is no schedule's cadence (24h is "
        "daily, 7d weekly)"
    )
    assert reasons["new"] == (
        "backup_every 1d is daily, keep_within 30d is expire_after_days 30 (defaults)"
    )
    assert reasons["weekly"].startswith("up to date: backup_every 7d is weekly")
    assert err.splitlines() == [
        "note: schedule 'nightly' (s-busy, enabled) of index 'busy' is not the policy's "
        "(policy-busy): left alone",
        "dry run: 1 schedule would be created, 1 updated, 1 disabled and 2 left as they are, in "
        "5 indexes; 1 stays client-side (policy run backs up and prunes what no schedule can); "
        "nothing was changed (add --yes to do it)",
    ]
    assert {r.method for r in emu.requests} == {"GET"}  # no POST, no PATCH
    assert [s["name"] for s in emu.backup_schedules("new")] == []


def test_yes_applies_one_result_line_per_index_then_a_second_run_leaves_all(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = project(start)
    path = write(tmp_path)
    assert cli(emu, "policy", "schedules", path, *V, "--yes") == 0
    out, err = capsys.readouterr()
    table = cells(out)
    assert table[0][:3] == ["RESULT", "ACTION", "INDEX"]
    assert [row[:3] for row in table[1:]] == [
        ["-", "leave", "busy"],
        ["disabled", "disable", "local"],
        ["created", "create", "new"],
        ["updated", "update", "stale"],
        ["-", "leave", "weekly"],
    ]
    assert [row[4] for row in table[1:]] == [  # CURRENT: as the server answered
        "-",
        "daily, keep 7d, disabled",
        "daily, keep 30d, enabled",
        "daily, keep 30d, enabled",
        "weekly, keep 60d, enabled",
    ]
    assert err.splitlines()[-1] == "1 created, 1 updated, 1 disabled, 2 left, 0 failed"
    writes = sorted(r.method for r in emu.requests if r.method != "GET")
    assert writes == ["PATCH", "PATCH", "POST"]
    assert [s["retention_expire_after_days"] for s in emu.backup_schedules("stale")] == [30]

    before = len(emu.requests)
    for extra in ((), ("--yes",)):
        assert cli(emu, "policy", "schedules", path, *V, *extra) == 0
        out, err = capsys.readouterr()
        column = 0 if not extra else 1
        assert {row[column] for row in cells(out)[1:]} == {"leave"}
    assert {r.method for r in emu.requests[before:]} == {"GET"}
    assert err.splitlines()[-1] == "0 created, 0 updated, 0 disabled, 5 left, 0 failed"


def test_json_lines(start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    emu = project(start)
    assert cli(emu, "policy", "schedules", write(tmp_path), *V, "--json") == 0
    lines = {line["index"]: line for line in json_lines(capsys.readouterr().out)}
    assert list(lines) == ["busy", "local", "new", "stale", "weekly"]
    assert lines["new"] == {
        "action": "create",
        "index": "new",
        "rule": "defaults",
        "name": "policy-new",
        "schedule_id": None,
        "implied": {"frequency": "daily", "expire_after_days": 30},
        "change": {"frequency": "daily", "expire_after_days": 30},
        "reason": "backup_every 1d is daily, keep_within 30d is expire_after_days 30 (defaults)",
        "schedule": None,
        "unmanaged": [],
    }
    assert lines["stale"]["change"] == {"expire_after_days": 30}
    assert lines["stale"]["schedule"]["retention_expire_after_days"] == 7
    assert lines["local"]["change"] == {"enabled": False}
    assert lines["local"]["implied"] == {"frequency": None, "expire_after_days": None}
    assert [s["schedule_id"] for s in lines["busy"]["unmanaged"]] == ["s-busy"]

    assert cli(emu, "policy", "schedules", write(tmp_path), *V, "--json", "--yes") == 0
    done = json_lines(capsys.readouterr().out)
    assert [(x["index"], x["result"]) for x in done] == [
        ("busy", "-"),
        ("local", "disabled"),
        ("new", "created"),
        ("stale", "updated"),
        ("weekly", "-"),
    ]
    created = done[2]
    assert created["schedule_id"] == created["schedule"]["schedule_id"]
    assert created["schedule"]["name"] == "policy-new"


def test_a_failed_action_exits_5_and_the_others_are_done(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = project(start)
    emu.plan_includes_schedules = False  # every create and update: 403
    assert cli(emu, "policy", "schedules", write(tmp_path), *V, "--yes") == 5
    out, err = capsys.readouterr()
    assert [row[0] for row in cells(out)[1:]] == ["-", "failed", "failed", "failed", "-"]
    lines = err.splitlines()
    assert lines[1] == "0 created, 0 updated, 0 disabled, 2 left, 3 failed"
    assert lines[2].startswith(
        "pinecone-backups: error: could not disable schedule policy-local of index 'local': "
        "[403 PERMISSION_DENIED]"
    )
    assert len(lines) == 5


def test_a_schedule_created_meanwhile_fails_its_create_only(
    start: Start,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pinecone_backups._policy_schedules as module

    emu = project(start)
    plan_schedules = module.plan_schedules

    def plan_then_someone_adds_a_schedule(*args: Any, **options: Any) -> Any:
        plan = plan_schedules(*args, **options)
        emu.add_backup_schedule("new", name="manual")
        return plan

    monkeypatch.setattr(module, "plan_schedules", plan_then_someone_adds_a_schedule)
    assert cli(emu, "policy", "schedules", write(tmp_path), *V, "--yes") == 5
    out, err = capsys.readouterr()
    assert [row[0] for row in cells(out)[1:]] == ["-", "disabled", "failed", "updated", "-"]
    assert "could not create schedule policy-new of index 'new': [409 ALREADY_EXISTS]" in err


@pytest.mark.parametrize("version", ["2025-10", "2026-04"])
def test_an_api_version_without_schedules_exits_2_and_sends_nothing(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str], version: str
) -> None:
    emu = project(start)
    assert cli(emu, "policy", "schedules", write(tmp_path), "--api-version", version) == 2
    assert capsys.readouterr().err == (
        "pinecone-backups: error: policy schedules needs API version 2026-07 (this command "
        f"would speak {version}): pass --api-version 2026-07 (or set PINECONE_API_VERSION)\n"
    )
    assert emu.requests == []


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        (
            '[defaults]\nbackup_every = "1 day"\n',
            (),
            "policy.toml:2: defaults.backup_every: expected a duration",
        ),
        (POLICY, ("--concurrency", "65"), "expected a whole number from 1 to 64, got '65'"),
        (POLICY, ("--wait",), "unrecognized arguments: --wait"),
    ],
)
def test_a_bad_file_or_usage_exits_2_and_sends_nothing(
    start: Start,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    options: tuple[str, ...],
    message: str,
) -> None:
    emu = project(start)
    assert cli(emu, "policy", "schedules", write(tmp_path, text), *V, *options) == 2
    assert message in capsys.readouterr().err
    assert emu.requests == []


def test_a_missing_file_exits_2(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = project(start)
    missing = tmp_path / "no.toml"
    assert cli(emu, "policy", "schedules", str(missing), *V) == 2
    assert capsys.readouterr().err == (
        f"pinecone-backups: error: {missing}: cannot read: No such file or directory\n"
    )
    assert emu.requests == []


def test_what_the_server_sent_is_escaped(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = start(seed=False)
    emu.add_index("busy")
    emu.add_backup_schedule("busy", name=EVIL, schedule_id="s-evil")
    assert cli(emu, "policy", "schedules", write(tmp_path), *V) == 0
    out, err = capsys.readouterr()
    for text in (out, err):
        assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
        assert "\r" not in text
        assert "evil\\x1b[2J" in text
    assert len(out.splitlines()) == 2  # the header and one row: the \n is escaped
    assert cli(emu, "policy", "schedules", write(tmp_path), *V, "--json") == 0
    (line,) = json_lines(capsys.readouterr().out)
    assert line["unmanaged"][0]["name"] == EVIL  # JSON: exactly what the server sent


def test_help_lists_schedules_and_its_exit_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    from pinecone_backups.__main__ import main

    assert main(["policy", "--help"]) == 0
    assert "schedules" in capsys.readouterr().out
    assert main(["policy", "schedules", "--help"]) == 0
    out = capsys.readouterr().out
    codes = re.findall(r"^  (\d+) ", out.split("exit status:")[1], re.MULTILINE)
    assert codes == ["0", "1", "2", "5", "130"]
    assert "some deletions or actions failed" in out
    assert "pinecone-backups policy schedules policy.toml --api-version 2026-07 --yes" in out


# -- Ctrl-C ---------------------------------------------------------------------------------------


@pytest.mark.timeout(30)
def test_ctrl_c_during_yes_stops_every_request_and_says_what_may_have_happened(
    tmp_path: Path,
) -> None:
    names = [f"idx-{n:02}" for n in range(12)]

    def handle(request: RawRequest) -> RawReply:
        if request.method == "POST":
            return RawReply(503, b"{}", headers=[("Retry-After", "0")], delay=0.3)
        if request.path == "/indexes":
            return json_reply({"indexes": [{"name": n, "status": {"ready": True}} for n in names]})
        return json_reply({"data": [], "pagination": None})

    path = write(tmp_path)
    with RawServer(handle) as server:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PINECONE_API_KEY": API_KEY,
            "PINECONE_CONTROLLER_HOST": server.url,
            "PINECONE_API_VERSION": "2026-07",
        }
        if "PYTHONPATH" in os.environ:
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        process = subprocess.Popen(
            [sys.executable, "-m", "pinecone_backups", "policy", "schedules", path, "--yes"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        deadline = time.monotonic() + 15
        while sum(r.method == "POST" for r in server.requests) < 4:
            assert time.monotonic() < deadline, "it never started creating"
            time.sleep(0.01)
        signalled = time.monotonic()
        process.send_signal(signal.SIGINT)
        try:
            _, stderr_bytes = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail("it went on for 10 s after Ctrl-C")
        ended = time.monotonic() - signalled
        late = [
            r for r in server.requests if r.method == "POST" and r.received_at > signalled + 0.1
        ]
    stderr = stderr_bytes.decode()
    assert process.returncode == 130, stderr
    assert ended < 2.5, f"{ended:.1f} s after Ctrl-C"
    assert not late, f"{len(late)} POSTs reached the server after Ctrl-C"
    assert "pinecone-backups: interrupted" in stderr
    assert "policy schedules stopped: 0 created, 0 updated, 0 disabled, 0 failed; 4 under way" in (
        stderr
    )
    assert "8 not started; no request was started after Ctrl-C" in stderr
    assert "under way: create policy-idx-" in stderr
    assert API_KEY not in stderr


# -- The README's example -------------------------------------------------------------------------


def test_the_readme_example_is_what_the_dry_run_prints(
    start: Start,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- policy-schedules-example -->", 1)[1]
    section = section.split("<!-- /policy-schedules-example -->", 1)[0]
    blocks = dict(re.findall(r"```(\w+)\n(.*?)```", section, re.DOTALL))
    command, expected = blocks["console"].split("\n", 1)
    assert command.startswith("$ pinecone-backups ")
    emu = project(start)
    write(tmp_path, blocks["toml"])
    monkeypatch.chdir(tmp_path)
    assert cli(emu, *command.split()[2:]) == 0
    out, err = capsys.readouterr()
    assert out + err == expected  # stdout, then the notes and the summary on stderr
    assert {r.method for r in emu.requests} == {"GET"}
