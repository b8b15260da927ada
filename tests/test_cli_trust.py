"""Issue 17, the command line's part: server text cannot drive the terminal (item 8), the hints
under ``--emulator`` (21), global options before the command (22), ``prune --status`` and
``--older-than`` checks (23), the command line's own words in its messages (24), sizes and
``summarize`` (25) and the README's set-up (26).

The tests run ``main([...])`` in-process against an emulator (spec-checked) or the command in a
subprocess; each fails on the code before the fix (see /work/notes/cli.md).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import pinecone_backups as pb
from conftest import API_KEY
from pinecone_backups.__main__ import main
from pinecone_backups.cli._waiting import Progress as _Progress
from pinecone_backups.testing import SPEC_EXAMPLE_RESPONSE, Emulator

ROOT = Path(__file__).resolve().parent.parent
READY_BACKUP = SPEC_EXAMPLE_RESPONSE["data"][0]["backup_id"]

# Erase the screen, set the window title, return to the start of the line, a new line, the C1
# control sequence introducer, DEL, and a right-to-left override: what a hostile server could put
# in a name to rewrite what the user sees (or confirms).
EVIL = "evil\x1b[2J\x1b]0;title\x07\rok\nnext\x9b31m\x7f\u202eend\\x"
SHOWN = "evil\\x1b[2J\\x1b]0;title\\x07\\rok\\nnext\\x9b31m\\x7f\\u202eend\\\\x"
"""``EVIL`` as the command line shows it: each control character escaped as Python would, and
the backslash doubled so that the escapes are unambiguous."""
RAW = ("\x1b", "\x07", "\x9b", "\x7f", "\u202e")
"""Characters that must never reach the terminal raw (CR and LF are checked line by line)."""


class Terminal(io.StringIO):
    """A stdin that says it is a terminal, with the user's answers in it."""

    def isatty(self) -> bool:
        return True


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


def cli(emulator: Emulator, *args: str) -> int:
    return main([*args, "--host", emulator.url])


def assert_printable(text: str) -> None:
    """No control character reaches the terminal raw: none of ``RAW``, and no CR or LF inside a
    line (each line ends with the one LF that ``print`` writes)."""
    for character in RAW:
        assert character not in text, (character, text)
    assert "\r" not in text, text
    for line in text.split("\n"):
        assert not re.search(r"[\x00-\x1f\x7f-\x9f]", line), line


# --- Item 8: control characters are escaped in every human-readable output --------------------


def test_list_describe_jobs_and_job_escape_control_characters(
    emulator: Emulator, evil: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (
        ("list", "evil-index"),
        ("list", "--all"),
        ("describe", evil["old"]),
        ("jobs", "--all"),
        ("job", evil["job"]),
    ):
        assert cli(emulator, *args) == 0, args
        out, err = capsys.readouterr()
        assert_printable(out + err)
        assert SHOWN in out, args
    assert cli(emulator, "describe", evil["old"]) == 0
    fields = dict(line.split(None, 1) for line in capsys.readouterr().out.splitlines())
    assert fields["name"] == fields["description"] == SHOWN
    assert fields["tags"] == f"k={SHOWN}"


def test_the_delete_confirmation_shows_escaped_names(
    emulator: Emulator,
    evil: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    assert cli(emulator, "delete", evil["old"], evil["odd"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert_printable(err)
    table = err.split("2 backups to delete:\n")[1].split("Delete 2 backups?")[0]
    assert len(table.splitlines()) == 3  # the header and one line per backup, whatever the names
    assert SHOWN in table.splitlines()[1] or SHOWN in table.splitlines()[2]


def test_prune_plan_and_results_escape(
    emulator: Emulator, evil: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator, "prune", "evil-index", "--keep-last", "1") == 0
    out, err = capsys.readouterr()
    assert_printable(out + err)
    assert SHOWN in out
    assert cli(emulator, "prune", "evil-index", "--keep-last", "1", "--yes") == 0
    out, err = capsys.readouterr()
    assert_printable(out + err)
    deleted = [line for line in out.splitlines() if line.startswith("deleted ")]
    assert len(deleted) == 1 and SHOWN in deleted[0]


def test_the_inventory_table_escapes_and_csv_keeps_the_data_exact(
    emulator: Emulator, evil: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    for by in ("index", "status"):
        assert cli(emulator, "inventory", "--by", by) == 0
        out, err = capsys.readouterr()
        assert_printable(out + err)
        assert any(line.startswith(SHOWN + " ") for line in out.splitlines()), out
    # CSV is data: written exactly (quoted), for programs to read back.
    assert cli(emulator, "inventory", "--by", "status", "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert EVIL in [row["status"] for row in rows]


def test_wait_progress_lines_escape(
    emulator: Emulator, evil: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    # A status the wait does not know keeps it waiting: the timeout ends it (exit 4), after a
    # progress line and the last state, both escaped.
    args = ("wait", "backup", evil["odd"], "--timeout", "0.3", "--poll-interval", "0.05")
    assert cli(emulator, *args) == 4
    out, err = capsys.readouterr()
    assert_printable(out + err)
    assert f"backup {evil['odd']}: {SHOWN}, " in err
    assert "\n" + f"status             {SHOWN}" in "\n" + out

    stream = io.StringIO()
    live: _Progress[pb.Backup] = _Progress("backup b", stream, live=True, tick=3600)
    live(pb.Backup.from_dict(emulator.get_backup(evil["odd"]) or {}))
    live.close()
    assert stream.getvalue() == f"\rbackup b: {SHOWN}, 0s elapsed\n"  # only our own CR


def test_error_messages_escape_server_text(
    emulator: Emulator, evil: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    emulator.fail_next(400, "INVALID_ARGUMENT", message=f"bad name {EVIL}")
    assert cli(emulator, "list", "evil-index") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert_printable(err)
    assert err.count("\n") == 1 and err.startswith(
        "pinecone-backups: error: [400 INVALID_ARGUMENT]"
    )
    assert "bad name evil\\x1b[2J\\x1b]0;title\\x07" in err


def test_log_lines_escape_server_text(
    emulator: Emulator,
    evil: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The retry WARNING quotes the server's message; --verbose and PINECONE_BACKUPS_LOG print it.
    monkeypatch.setenv("PINECONE_BACKUPS_LOG", "info")
    emulator.fail_next(503, "UNAVAILABLE", message=EVIL, headers={"Retry-After": "0"})
    assert cli(emulator, "list", "evil-index") == 0
    out, err = capsys.readouterr()
    assert_printable(out + err)
    warning = [line for line in err.splitlines() if " WARNING retrying GET " in line]
    assert len(warning) == 1 and "evil\\x1b[2J" in warning[0]


def test_json_output_stays_exact(
    emulator: Emulator, evil: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator, "list", "evil-index", "--json") == 0
    out = capsys.readouterr().out
    names = [json.loads(line)["name"] for line in out.splitlines()]
    assert names == ["newest", EVIL]  # exactly what the server sent
    assert_printable(out)  # C1, DEL and the direction controls as \u escapes, the same value
    assert cli(emulator, "describe", evil["old"], "--json") == 0
    assert json.loads(capsys.readouterr().out) == emulator.get_backup(evil["old"])
    assert cli(emulator, "prune", "evil-index", "--keep-last", "1", "--json") == 0
    plan = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert EVIL in [line["backup"]["name"] for line in plan]
    assert cli(emulator, "inventory", "--by", "status", "--format", "json") == 0
    out = capsys.readouterr().out
    assert EVIL in [json.loads(line)["status"] for line in out.splitlines()]
    assert_printable(out)


# --- Item 21: --emulator is a fresh emulator per command, and its hints say so ----------------


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PINECONE_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "pinecone_backups", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
    )


LASTING = "python -m pinecone_backups.testing"


@pytest.mark.parametrize("command", [None, "list", "create", "wait"])
def test_help_says_the_emulator_is_fresh_for_each_command(
    command: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--help"] if command else ["--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # unwrapped
    assert "a fresh one for each command" in out
    assert LASTING in out


def test_create_under_the_emulator_points_at_a_lasting_emulator() -> None:
    result = run("create", "docs-example", "--emulator")
    assert result.returncode == 0, result.stderr
    assert "pinecone-backups wait backup" not in result.stderr  # it would 404
    assert LASTING in result.stderr
    assert "fresh emulator" in result.stderr


def test_restore_under_the_emulator_points_at_a_lasting_emulator() -> None:
    result = run("restore", READY_BACKUP, "--name", "restored", "--emulator")
    assert result.returncode == 0, result.stderr
    assert "pinecone-backups wait job" not in result.stderr
    assert LASTING in result.stderr


def test_against_a_lasting_server_the_hint_is_the_wait_command(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    assert cli(emulator, "create", "docs-example") == 0
    err = capsys.readouterr().err
    assert "; wait for it: pinecone-backups wait backup " in err
    assert LASTING not in err


# --- Item 22: global options before the command ---------------------------------------------


def test_global_options_before_the_command() -> None:
    after = run("list", "docs-example", "--emulator")
    before = run("--emulator", "list", "docs-example")
    assert before.returncode == after.returncode == 0, before.stderr
    assert before.stdout == after.stdout
    as_json = run("--json", "--emulator", "list", "docs-example")
    assert as_json.returncode == 0, as_json.stderr
    assert len([json.loads(line) for line in as_json.stdout.splitlines()]) == 3


def test_global_options_mix_before_and_after(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    assert main(["--host", emulator.url, "-v", "list", "my-index", "--json"]) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line)["backup_id"] for line in out.splitlines()] == [
        "bkp_789xyz",
        "bkp_123abc",
    ]
    assert "GET /indexes/my-index/backups -> 200" in err  # -v before the command
    # --host and --emulator exclude each other wherever they are.
    assert main(["--host", emulator.url, "list", "my-index", "--emulator"]) == 2
    assert "not allowed with argument --host" in capsys.readouterr().err


# --- Item 23: prune --status and --older-than -------------------------------------------------


def test_prune_status_matches_whatever_the_case(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    assert cli(emulator, "prune", "docs-example", "--status", "ready", "--allow-empty") == 0
    out, err = capsys.readouterr()
    planned = [line.split()[0] for line in out.splitlines()[1:]]
    assert planned.count("delete") == 2  # the two Ready backups of docs-example
    assert "dry run: 2 of 3 backups would be deleted" in err


def test_prune_refuses_a_status_nothing_has_and_it_does_not_know(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    assert cli(emulator, "prune", "docs-example", "--status", "Faild", "--yes") == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "--status 'Faild' is not a status pinecone-backups knows" in err
    assert "Initializing, Pending, Ready, Failed, InitializationFailed" in err
    assert "nothing was deleted" in err
    assert [r.method for r in emulator.requests if r.method == "DELETE"] == []


def test_prune_accepts_a_status_the_server_sends_with_a_note(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    archived = emulator.add_backup("docs-example", status="Archived")["backup_id"]
    assert cli(emulator, "prune", "docs-example", "--status", "archived") == 0
    out, err = capsys.readouterr()
    planned = {line.split()[1]: line.split()[0] for line in out.splitlines()[1:]}
    assert planned[archived] == "delete"
    assert list(planned.values()).count("delete") == 1
    assert "--status 'archived' is not a status pinecone-backups knows" in err
    assert "'Archived'" in err


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0d", "argument --older-than: must be more than 0, got '0d'"),
        ("-5d", "argument --older-than: a duration cannot be negative, got '-5d'"),
        ("5x", "argument --older-than: expected a duration like 90m, 36h, 30d or 2w"),
    ],
)
def test_older_than_zero_or_negative_is_a_clear_error(
    value: str,
    message: str,
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    assert cli(emulator, "prune", "--older-than", value, "--yes") == 2
    assert message in capsys.readouterr().err
    assert emulator.requests == []


# --- Item 24: the command line's words, not the Python API's ---------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("list", "docs-example", "--all", "--limit", "200"),
        ("list", "docs-example", "--all", "--limit", "0"),
        ("jobs", "--all", "--limit", "-1"),
        ("list", "docs-example", "--limit", "0"),
    ],
)
def test_limit_errors_name_the_option(
    args: tuple[str, ...],
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    assert cli(emulator, *args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("pinecone-backups: error: --limit must be between 1 and 100, got ")
    assert "page_size" not in err
    assert emulator.requests == []


def test_prune_reasons_name_the_flags(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", API_KEY)
    assert cli(emulator, "prune", "docs-example", "--keep-last", "0") == 0
    out = capsys.readouterr().out
    assert "(--allow-empty lifts this)" in out
    assert "select it with --status to delete it" in out
    for python_name in ("allow_empty", "statuses", "keep_last", "older_than"):
        assert python_name not in out


def test_a_missing_api_key_says_to_set_the_variable() -> None:
    for env in ({}, {"PINECONE_API_KEY": "  "}):
        result = run("list", "docs-example", env=env)
        assert result.returncode == 1
        assert "set the PINECONE_API_KEY environment variable" in result.stderr
        assert "--emulator" in result.stderr
        assert "pass api_key" not in result.stderr
        assert "api_key" not in result.stderr


# --- Item 25: sizes, and summarize is public -------------------------------------------------


def test_sizes_switch_unit_before_four_digits(
    emulator: Emulator, evil: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator, "list", "docs-example") == 0  # the sample's 1,047,552 bytes
    sizes = re.findall(r"\b(\d+(?:\.\d)?) (B|KiB|MiB|GiB)\b", capsys.readouterr().out)
    assert ("1.0", "MiB") in sizes
    assert all(len(number.split(".")[0]) <= 3 for number, _ in sizes), sizes
    assert cli(emulator, "describe", evil["old"]) == 0
    assert "1.0 MiB (1,047,552 bytes)" in capsys.readouterr().out


def test_summarize_is_public() -> None:
    from pinecone_backups import _inventory

    assert "summarize" in pb.__all__
    assert pb.summarize is _inventory.summarize
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pb.summarize(" in readme
    assert "pinecone_backups._inventory" not in readme


# --- Item 26: the README's set-up says what a fresh machine needs -----------------------------


def test_the_readme_set_up_says_what_a_fresh_machine_needs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    set_up = readme.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    text = " ".join(set_up.split())
    assert "Rust >= 1.88" in text
    assert "C compiler" in text
    assert "crates.io" in text and "PyPI" in text  # network access to the registries
    assert len(re.findall(r"about [\d.]+ minutes?", text)) == 2  # how long each command takes
    assert "its own `.venv`" in text
