"""``pinecone-backups policy check FILE`` and ``policy run FILE`` against the emulator: the rule
that governs each index, a bad file's every problem (exit 2, nothing sent), the dry run (GETs
only: no POST or DELETE reaches the emulator), ``--yes`` (creates, then deletes; one result line
per action), ``--wait``, ``--json``, exit statuses 0 / 5 / 2, Ctrl-C (130, no request after it);
and the README's worked example, read from the README and run again."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from pinecone_backups._policy import plan as policy_plan
from pinecone_backups.testing import Emulator
from tests.helpers import (
    API_KEY,
    ROOT,
    RawReply,
    RawRequest,
    RawServer,
    Start,
    backup_json,
    cli,
    json_lines,
    json_reply,
)

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
STAMP = "20261206t120000z"


# -- The README's worked example ------------------------------------------------------------------


def readme_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("<!-- policy-example -->", 1)[1].split("<!-- /policy-example -->", 1)[0]


def readme_blocks() -> dict[str, str]:
    """The worked example's code blocks: ``toml`` (the policy), ``json`` (the project's indexes
    and backups, as a seed file), ``console`` (the commands and what they print)."""
    blocks = re.findall(r"```(\w+)\n(.*?)```", readme_section(), re.DOTALL)
    return {kind: text for kind, text in blocks}


def console_runs() -> list[tuple[list[str], str]]:
    """Each ``$ pinecone-backups ...`` line of the console block and the output under it."""
    runs: list[tuple[list[str], str]] = []
    for line in readme_blocks()["console"].splitlines():
        if line.startswith("$ "):
            runs.append((line[2:].split()[1:], ""))
        else:
            command, out = runs[-1]
            runs[-1] = (command, out + line + "\n")
    return runs


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plans are made at 2026-12-06 12:00 UTC, the README's now."""
    monkeypatch.setattr(policy_plan, "current_time", lambda: NOW)


@pytest.fixture
def example(start: Start, tmp_path: Path, pinned: None) -> tuple[Emulator, Path]:
    """The README's project in an emulator, its policy in ``policy.toml`` (the working
    directory)."""
    seed = json.loads(readme_blocks()["json"])
    emu = start(seed=False, backup_seconds=0)
    for index in seed["indexes"]:
        emu.add_index(index["name"])
    for backup in seed["backups"]:
        emu.add_backup(backup["source_index_name"], **backup)
    path = tmp_path / "policy.toml"
    path.write_text(readme_blocks()["toml"], encoding="utf-8")
    return emu, path


def test_the_readme_example_is_what_check_and_the_dry_run_print(
    example: tuple[Emulator, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    emu, path = example
    monkeypatch.chdir(path.parent)
    runs = console_runs()
    assert [command[:2] for command, _ in runs] == [["policy", "check"], ["policy", "run"]]
    for command, expected in runs:
        assert cli(emu, *command) == 0
        out, err = capsys.readouterr()
        assert out + err == expected  # stdout, then the summary on stderr
    assert {r.method for r in emu.requests} == {"GET"}  # check and the dry run: GETs only


def test_the_readme_example_run_for_real(
    example: tuple[Emulator, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    emu, path = example
    assert cli(emu, "policy", "run", str(path), "--yes", "--wait") == 0
    out, err = capsys.readouterr()
    results = [line.split()[:3] for line in out.splitlines()[1:]]
    assert results == [
        ["created", "create", "analytics"],
        ["deleted", "delete", "dev-scratch"],
        ["deleted", "delete", "prod-search"],
        ["deleted", "delete", "prod-search"],
        ["deleted", "delete", "prod-search"],
        ["created", "create", "prod-users"],
        ["deleted", "delete", "staging"],
    ]
    assert err == "2 created, 5 deleted, 0 skipped, 0 failed\n"
    names = {b.get("name") for b in emu.backups("analytics")}
    assert names == {f"policy-analytics-{STAMP}"}
    assert f"policy-prod-users-{STAMP}" in {b.get("name") for b in emu.backups("prod-users")}
    assert sorted(b["backup_id"] for b in emu.backups("prod-search")) == [
        "ps1",
        "ps2",
        "ps4",
        "ps6",
        "ps7",
    ]


# -- policy check ---------------------------------------------------------------------------------

POLICY = """\
[defaults]
backup_every = "24h"
keep_daily = 7

[[rules]]
match = "prod-*"
backup_every = "12h"
keep_monthly = 12

[[rules]]
match = ["dev-*", "scratch"]
backup_every = "never"
keep_last = 2

[[rules]]
match = "prod-archive"   # prod-* matches it first
keep_yearly = 5

[[rules]]
match = "nothing-*"
"""


def write(tmp_path: Path, text: str, name: str = "policy.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def project(start: Start, **options: Any) -> Emulator:
    emu = start(seed=False, **options)
    for name in ("prod-a", "prod-archive", "dev-1", "scratch", "other"):
        emu.add_index(name)
    return emu


def test_check_shows_the_rule_that_governs_each_index(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = project(start)
    path = write(tmp_path, POLICY)
    assert cli(emu, "policy", "check", path) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "INDEX         RULE      MATCH           BACKUP EVERY  KEEP",
        "dev-1         rules[1]  dev-*, scratch  never         last 2, daily 7",
        "other         defaults  -               1d            daily 7",
        "prod-a        rules[0]  prod-*          12h           daily 7, monthly 12",
        "prod-archive  rules[0]  prod-*          12h           daily 7, monthly 12",
        "scratch       rules[1]  dev-*, scratch  never         last 2, daily 7",
    ]
    assert err.splitlines() == [
        f"{path}: a valid policy ([defaults] and 4 rules); 5 indexes: 1 by defaults, 2 by "
        "rules[0], 2 by rules[1]",
        "note: rules[2] (match 'prod-archive') governs no index of the project: an earlier rule "
        "governs every index it matches",
        "note: rules[3] (match 'nothing-*') governs no index of the project: it matches none",
    ]
    assert [(r.method, r.path) for r in emu.requests] == [("GET", "/indexes")]


def test_check_in_json(start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    emu = project(start)
    text = POLICY.replace(
        "keep_monthly = 12",
        'keep_monthly = 12\nkeep_within = "36h"\nkeep_tags = { pin = "yes" }\ntz = "Europe/Berlin"',
    )
    text = text.replace("[defaults]\n", "")  # no [defaults]: "other" is not governed
    text = text.replace('backup_every = "24h"\nkeep_daily = 7\n', "", 1)
    assert cli(emu, "policy", "check", write(tmp_path, text), "--json") == 0
    lines = {line["index"]: line for line in json_lines(capsys.readouterr().out)}
    assert lines["other"] == {"index": "other", "rule": None}
    assert lines["prod-a"] == {
        "index": "prod-a",
        "rule": "rules[0]",
        "match": ["prod-*"],
        "backup_every": "12h",
        "keep": {"keep_monthly": 12, "keep_within": "36h", "keep_tags": {"pin": "yes"}},
        "tz": "Europe/Berlin",
    }
    assert lines["dev-1"]["keep"] == {"keep_last": 2}
    assert lines["dev-1"]["backup_every"] == "never"


def test_check_of_a_bad_file_lists_every_problem_and_sends_nothing(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = project(start)
    path = write(
        tmp_path,
        '[defaults]\nbackup_every = "1 day"\n\n[[rules]]\nmatch = "prod-*"\nkeep_dayly = 7\n',
    )
    for command in ("check", "run"):
        assert cli(emu, "policy", command, path) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert err.splitlines() == [
            f"pinecone-backups: error: {path}:2: defaults.backup_every: expected a duration "
            "like 90m, 36h, 30d or 2w (whole numbers, each followed by a unit: s, m, h, d or w, "
            "largest first as in 1d12h), got '1 day'",
            f"pinecone-backups: error: {path}:6: rules[0].keep_dayly: unknown key, not a key "
            "of a [[rules]] table (did you mean keep_daily? known: match, backup_every, "
            "keep_last, keep_daily, keep_weekly, keep_monthly, keep_yearly, keep_within, "
            "keep_tags, tz)",
        ]
    assert emu.requests == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[defaults\n",
            "policy.toml:1:10: invalid TOML: Expected ']' at the end of a table declaration",
        ),
        (
            "",
            "policy.toml: no [defaults] table and no [[rules]] table: the policy governs no index",
        ),
    ],
)
def test_a_file_that_is_no_policy_exits_2(
    start: Start,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    message: str,
) -> None:
    emu = project(start)
    write(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    assert cli(emu, "policy", "check", "policy.toml") == 2
    assert capsys.readouterr().err == f"pinecone-backups: error: {message}\n"
    assert emu.requests == []


def test_a_missing_file_exits_2(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = project(start)
    missing = tmp_path / "missing.toml"
    assert cli(emu, "policy", "run", str(missing)) == 2
    assert capsys.readouterr().err == (
        f"pinecone-backups: error: {missing}: cannot read: No such file or directory\n"
    )
    assert cli(emu, "policy", "check", str(tmp_path)) == 2
    assert capsys.readouterr().err == (
        f"pinecone-backups: error: {tmp_path}: cannot read: Is a directory\n"
    )
    assert emu.requests == []


# -- policy run -----------------------------------------------------------------------------------

RUN_POLICY = """\
[defaults]
backup_every = "24h"
keep_last = 1

[[rules]]
match = "dev"
backup_every = "never"
"""


def seeded(start: Start, **options: Any) -> Emulator:
    """``prod`` (due; 3 backups), ``fresh`` (not due; 2), ``dev`` (never; 2)."""
    emu = start(seed=False, **{"backup_seconds": 0, **options})
    for name in ("prod", "fresh", "dev"):
        emu.add_index(name)
    for number, days in enumerate((2, 3, 4)):
        emu.add_backup("prod", backup_id=f"prod-{number}", created_at=ago(days))
    emu.add_backup("fresh", backup_id="fresh-0", created_at=ago(0.1))
    emu.add_backup("fresh", backup_id="fresh-1", created_at=ago(1))
    emu.add_backup("dev", backup_id="dev-0", created_at=ago(1))
    emu.add_backup("dev", backup_id="dev-1", created_at=ago(2))
    return emu


def ago(days: float) -> str:
    return (NOW - dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


PLANNED = [
    ("delete", "dev", "dev-1"),
    ("delete", "fresh", "fresh-1"),
    ("create", "prod", "-"),
    ("delete", "prod", "prod-1"),
    ("delete", "prod", "prod-2"),
]


def test_the_dry_run_shows_the_plan_and_sends_no_post_or_delete(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str], pinned: None
) -> None:
    emu = seeded(start)
    assert cli(emu, "policy", "run", write(tmp_path, RUN_POLICY)) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split() == [
        *("ACTION", "INDEX", "RULE", "BACKUP", "ID", "NAME", "STATUS", "CREATED", "AT", "REASON")
    ]
    assert [(line.split()[0], line.split()[1], line.split()[3]) for line in lines[1:]] == PLANNED
    create = lines[3]
    assert f"policy-prod-{STAMP}" in create
    assert create.endswith(
        "newest Ready or running backup prod-0 (Ready) created 2d ago, more than backup_every "
        "1d (defaults)"
    )
    assert lines[1].endswith("not the newest Ready backup of its index (keep last 1)")
    assert err == (
        "dry run: 1 backup would be created and 4 deleted, in 3 of 3 indexes; nothing was "
        "created or deleted (add --yes to do it)\n"
    )
    assert {r.method for r in emu.requests} == {"GET"}  # no POST, no DELETE
    assert len(emu.backups("prod")) == 3


@pytest.mark.parametrize("extra", [(), ("--yes",), ("--yes", "--wait")])
def test_nothing_to_do_prints_no_table(
    start: Start,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    pinned: None,
    extra: tuple[str, ...],
) -> None:
    # no index due, nothing to prune: no table (a header alone), only the summary on stderr
    emu = start(seed=False, backup_seconds=0)
    emu.add_index("fresh")
    emu.add_backup("fresh", backup_id="fresh-0", created_at=ago(0.1))
    assert cli(emu, "policy", "run", write(tmp_path, RUN_POLICY), *extra) == 0
    out, err = capsys.readouterr()
    assert out == ""
    summary = "0 created, 0 deleted" if extra else "dry run: 0 backups would be created and 0"
    assert err.startswith(summary)
    assert cli(emu, "policy", "check", write(tmp_path, RUN_POLICY)) == 0
    assert capsys.readouterr().out.startswith("INDEX")  # an index: its table
    empty = start(seed=False)
    assert cli(empty, "policy", "check", write(tmp_path, RUN_POLICY)) == 0
    out, err = capsys.readouterr()
    assert out == "" and "0 indexes" in err


def test_names_and_globs_are_escaped_once_on_stderr(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the error line quotes the index as the table shows it (escaped once, not repr() escaped
    # again); so does check's note of a rule that governs nothing (its glob a backslash)
    emu = start(seed=False, backup_quota=0)
    emu.add_index("ev\x1b]0;pwn\x07il")
    shown = "ev\\x1b]0;pwn\\x07il"
    assert cli(emu, "policy", "run", write(tmp_path, RUN_POLICY), "--yes") == 5
    out, err = capsys.readouterr()
    assert shown in out.splitlines()[1]
    (line,) = [line for line in err.splitlines() if "error:" in line]
    assert f"of index '{shown}': " in line
    assert "\\\\" not in line and "\x1b" not in line
    glob = '[defaults]\nkeep_last = 1\n[[rules]]\nmatch = "a\\\\"\nkeep_last = 2\n'
    assert cli(emu, "policy", "check", write(tmp_path, glob)) == 0
    err = capsys.readouterr().err
    assert "note: rules[0] (match 'a\\\\') governs no index of the project" in err


def test_the_dry_run_in_json(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str], pinned: None
) -> None:
    emu = seeded(start)
    assert cli(emu, "policy", "run", write(tmp_path, RUN_POLICY), "--json") == 0
    lines = json_lines(capsys.readouterr().out)
    assert [(x["action"], x["index"], x["backup_id"]) for x in lines] == [
        (kind, index, None if backup == "-" else backup) for kind, index, backup in PLANNED
    ]
    create = lines[2]
    assert create == {
        "action": "create",
        "index": "prod",
        "rule": "defaults",
        "name": f"policy-prod-{STAMP}",
        "backup_id": None,
        "reason": "newest Ready or running backup prod-0 (Ready) created 2d ago, more than "
        "backup_every 1d (defaults)",
        "backup": None,
    }
    assert lines[0]["backup"]["backup_id"] == "dev-1" and "result" not in lines[0]
    assert {r.method for r in emu.requests} == {"GET"}


@pytest.mark.parametrize("wait", [False, True])
def test_yes_creates_then_deletes_one_result_line_per_action(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str], wait: bool
) -> None:
    emu = seeded(start, backup_seconds=0.2)
    args = ["policy", "run", write(tmp_path, RUN_POLICY), "--yes"]
    args += ["--wait", "--poll-interval", "0.1"] if wait else []
    assert cli(emu, *args) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["RESULT", "ACTION", "INDEX"]
    results = [line.split()[:3] for line in lines[1:]]
    assert results == [
        ["deleted", "delete", "dev"],
        ["deleted", "delete", "fresh"],
        ["created", "create", "prod"],
        ["deleted", "delete", "prod"],
        ["deleted", "delete", "prod"],
    ]
    status = lines[3][lines[0].index("STATUS") :].split()[0]
    assert status == ("Ready" if wait else "Initializing")
    assert err == "1 created, 4 deleted, 0 skipped, 0 failed\n"
    assert sorted(r.method for r in emu.requests if r.method != "GET") == ["DELETE"] * 4 + ["POST"]
    assert len(emu.backups("prod")) == 2  # the newest and the new one


def test_yes_in_json(start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    emu = seeded(start)
    assert cli(emu, "policy", "run", write(tmp_path, RUN_POLICY), "--yes", "--json") == 0
    lines = json_lines(capsys.readouterr().out)
    assert [(x["action"], x["result"], x["index"]) for x in lines] == [
        ("delete", "deleted", "dev"),
        ("delete", "deleted", "fresh"),
        ("create", "created", "prod"),
        ("delete", "deleted", "prod"),
        ("delete", "deleted", "prod"),
    ]
    created = lines[2]
    assert created["backup"]["name"] == created["name"]
    assert created["backup_id"] == created["backup"]["backup_id"]


def test_a_failed_backup_exits_5_and_keeps_its_index_older_backups(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = seeded(start, backup_seconds=0.2)
    emu.fail_next_backups(status="InitializationFailed")
    path = write(tmp_path, RUN_POLICY)
    assert cli(emu, "policy", "run", path, "--yes", "--wait", "--poll-interval", "0.1") == 5
    out, err = capsys.readouterr()
    results = [line.split()[:3] for line in out.splitlines()[1:]]
    assert results == [
        ["deleted", "delete", "dev"],
        ["deleted", "delete", "fresh"],
        ["failed", "create", "prod"],
        ["skipped", "delete", "prod"],
        ["skipped", "delete", "prod"],
    ]
    assert out.splitlines()[4].endswith("not deleted: its new backup did not become Ready")
    summary, error = err.splitlines()
    assert summary == (
        "0 created, 2 deleted, 2 skipped (2 not deleted: its new backup did "
        "not become Ready), 1 failed"
    )
    assert re.fullmatch(
        r"pinecone-backups: error: backup \S+ \(policy-prod-\d{8}t\d{6}z\) of index 'prod': "
        r"created, but backup \S+ failed: its status is 'InitializationFailed'",
        error,
    ), error
    assert len(emu.backups("prod")) == 4  # the three old ones and the failed one


def test_a_refused_backup_exits_5(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = seeded(start, plan_includes_backups=False)
    assert cli(emu, "policy", "run", write(tmp_path, RUN_POLICY), "--yes") == 5
    out, err = capsys.readouterr()
    assert [line.split()[0] for line in out.splitlines()[1:]] == [
        *("deleted", "deleted", "failed", "skipped", "skipped")
    ]
    assert re.search(
        r"pinecone-backups: error: could not create backup policy-prod-\d{8}t\d{6}z of index "
        r"'prod': \[403 PERMISSION_DENIED\]",
        err,
    ), err


def test_a_backup_not_ready_in_time_exits_5(
    start: Start, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = seeded(start, backup_seconds=3600)
    path = write(tmp_path, RUN_POLICY)
    assert cli(emu, "policy", "run", path, "--yes", "--wait", "--timeout", "0.3") == 5
    out, err = capsys.readouterr()
    assert "was not Ready within 0.3s (last status: 'Initializing')" in out
    assert err.startswith("0 created, 2 deleted, 2 skipped")
    assert len(emu.backups("prod")) == 4


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--wait"], "--wait needs --yes (a dry run creates nothing to wait for)"),
        (["--yes", "--timeout", "5"], "--timeout needs --wait"),
        (["--yes", "--poll-interval", "5"], "--poll-interval needs --wait"),
        (
            ["--concurrency", "0"],
            "argument --concurrency: expected a whole number from 1 to 64, got '0'",
        ),
        (
            ["--yes", "--wait", "--timeout", "-1"],
            "argument --timeout: expected a positive number of seconds, got '-1'",
        ),
    ],
)
def test_bad_usage_exits_2_and_sends_nothing(
    start: Start,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    options: list[str],
    message: str,
) -> None:
    emu = seeded(start)
    assert cli(emu, "policy", "run", write(tmp_path, RUN_POLICY), *options) == 2
    assert capsys.readouterr().err.splitlines()[-1].endswith(f"error: {message}")
    assert emu.requests == []


def test_help_lists_the_subcommands_and_run_s_exit_statuses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pinecone_backups.__main__ import main

    assert main(["policy", "--help"]) == 0
    out = capsys.readouterr().out
    assert "check" in out and "run" in out
    assert main(["policy", "run", "--help"]) == 0
    out = capsys.readouterr().out
    codes = re.findall(r"^  (\d+) ", out.split("exit status:")[1], re.MULTILINE)
    assert codes == ["0", "1", "2", "5", "130"]
    assert "pinecone-backups policy run policy.toml --yes" in out


# -- Ctrl-C ---------------------------------------------------------------------------------------


@pytest.mark.timeout(30)
def test_ctrl_c_during_run_yes_stops_every_request_and_says_what_may_have_happened(
    tmp_path: Path,
) -> None:
    now = dt.datetime.now(UTC)
    backups = [
        backup_json(
            f"b{n:02}",
            created_at=(now - dt.timedelta(minutes=n + 1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        for n in range(40)
    ]

    def handle(request: RawRequest) -> RawReply:
        if request.method == "DELETE":
            return RawReply(503, b"{}", headers=[("Retry-After", "0")], delay=0.3)
        if request.path == "/indexes":
            return json_reply({"indexes": [{"name": "idx", "status": {"ready": True}}]})
        if request.path == "/restore-jobs":
            return json_reply({"data": [], "pagination": None})
        return json_reply({"data": backups, "pagination": None})

    path = write(tmp_path, '[defaults]\nbackup_every = "1d"\nkeep_last = 1\n')
    with RawServer(handle) as server:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PINECONE_API_KEY": API_KEY,
            "PINECONE_CONTROLLER_HOST": server.url,
        }
        if "PYTHONPATH" in os.environ:
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        process = subprocess.Popen(
            [sys.executable, "-m", "pinecone_backups", "policy", "run", path, "--yes"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        deadline = time.monotonic() + 15
        while sum(r.method == "DELETE" for r in server.requests) < 6:
            assert time.monotonic() < deadline, "the run never started deleting"
            time.sleep(0.01)
        signalled = time.monotonic()
        process.send_signal(signal.SIGINT)
        try:
            _, stderr_bytes = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail("the run went on for 10 s after Ctrl-C")
        ended = time.monotonic() - signalled
        late = [
            r for r in server.requests if r.method == "DELETE" and r.received_at > signalled + 0.1
        ]
    stderr = stderr_bytes.decode()
    assert process.returncode == 130, stderr
    assert ended < 2.5, f"{ended:.1f} s after Ctrl-C"
    assert not late, f"{len(late)} DELETEs reached the server after Ctrl-C"
    assert "pinecone-backups: interrupted" in stderr
    assert "may have been done" in stderr and "no request was started after Ctrl-C" in stderr
    assert "under way: delete b" in stderr, stderr
