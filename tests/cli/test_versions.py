"""The API version on the command line: ``--api-version`` (else ``PINECONE_API_VERSION``, else
2025-10) is the version every request speaks; an unknown one is bad usage naming the versions
the client speaks; what a version lacks (``list --include-deleted`` and ``restore
--read-capacity`` before 2026-04, ``schedule`` before 2026-07) and a ``--limit`` out of its
range are refused before anything is sent, saying which ``--api-version`` has them."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups.__main__ import main
from pinecone_backups.cli._paging import LIMIT_CAPPED_BEFORE, MAX_LIMIT
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, READY_BACKUP, cli, fields_of, json_lines, run

OLDER = [version for version in pb.API_VERSIONS if version < "2026-07"]
"""The versions without backup schedules."""


@pytest.fixture
def client_of(emu: Emulator) -> Iterator[Callable[[str], pb.Client]]:
    """Clients of ``emu``, one per API version (closed after the test)."""
    clients: list[pb.Client] = []

    def make(version: str) -> pb.Client:
        clients.append(pb.Client(api_key=API_KEY, host=emu.url, api_version=version))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


# -- Choosing the version -------------------------------------------------------------------------


def test_the_versions_are_the_clients() -> None:
    assert pb.API_VERSIONS == ["2025-10", "2026-04", "2026-07"]
    assert pb.API_VERSION == "2025-10"


@pytest.mark.parametrize("where", ["before", "after"])
def test_an_unknown_version_is_bad_usage_naming_the_supported_ones(where: str) -> None:
    option = ("--api-version", "2024-01")
    args = [*option, "list", "docs-example"] if where == "before" else ["list", "x", *option]
    result = run(*args, "--emulator")
    assert result.returncode == 2
    assert result.stdout == ""
    prog = "pinecone-backups" if where == "before" else "pinecone-backups list"
    assert result.stderr.splitlines()[-1] == (
        f"{prog}: error: argument --api-version: '2024-01' is not an API version this client "
        "speaks: use 2025-10, 2026-04 or 2026-07"
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["2024-01", "latest", "2026-07-01"])
def test_an_unknown_version_in_the_environment_is_bad_usage(value: str) -> None:
    result = run("list", "docs-example", "--emulator", env={"PINECONE_API_VERSION": value})
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"pinecone-backups: error: PINECONE_API_VERSION is {value!r}, not an API version this "
        "client speaks: use 2025-10, 2026-04 or 2026-07 (or --api-version)\n"
    )


def test_the_option_wins_over_a_bad_environment() -> None:
    env = {"PINECONE_API_VERSION": "nonsense"}
    result = run("list", "docs-example", "--emulator", "--api-version", "2025-10", env=env)
    assert result.returncode == 0, result.stderr


def test_help_names_the_versions_and_the_variable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--api-version V the API version to speak: 2025-10, 2026-04 or 2026-07" in out
    assert "(default: $PINECONE_API_VERSION, else 2025-10)" in out


# -- What a version lacks, refused before anything is sent ----------------------------------------


SCHEDULE_LINES = [
    (
        "schedule",
        "create",
        "docs-example",
        *("--name", "n", "--frequency", "daily", "--expire-after-days", "7"),
    ),
    ("schedule", "list", "docs-example"),
    ("schedule", "describe", "s-1"),
    ("schedule", "update", "s-1", "--enable"),
    ("schedule", "delete", "s-1", "--yes"),
    ("schedule", "delete", "s-1"),  # the version is said first, not the confirmation
    ("schedule", "history", "s-1", "--all"),
]


@pytest.mark.parametrize("version", OLDER)
@pytest.mark.parametrize("args", SCHEDULE_LINES, ids=lambda args: " ".join(args[:2]))
def test_schedules_under_an_older_version_say_to_pass_2026_07(
    args: tuple[str, ...],
    version: str,
    emu: Emulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    assert cli(emu, *args, "--api-version", version) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"pinecone-backups: error: schedule {args[1]} needs API version 2026-07 (this command "
        f"would speak {version}): pass --api-version 2026-07 (or set PINECONE_API_VERSION)\n"
    )
    assert emu.requests == []


def test_schedules_under_the_default_version_say_so_too(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emu, "schedule", "list", "docs-example") == 2
    assert "(this command would speak 2025-10): pass --api-version 2026-07" in (
        capsys.readouterr().err
    )
    assert emu.requests == []


def test_the_environment_chooses_the_version_when_the_option_is_not_given(
    emu: Emulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PINECONE_API_VERSION", " 2026-04 ")  # spaces ignored, as the client does
    assert cli(emu, "schedule", "list", "docs-example") == 2
    assert "(this command would speak 2026-04)" in capsys.readouterr().err
    assert cli(emu, "schedule", "list", "docs-example", "--api-version", "2025-10") == 2
    assert "(this command would speak 2025-10)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("list", "docs-example", "--include-deleted"), "--include-deleted"),
        (("restore", READY_BACKUP, "--name", "r", "--read-capacity", "{}"), "--read-capacity"),
    ],
)
def test_2026_04_options_under_2025_10_say_which_versions_have_them(
    args: tuple[str, ...], option: str, emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emu, *args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"pinecone-backups: error: {option} needs API version 2026-04 or later (this command "
        "would speak 2025-10): pass --api-version 2026-04 or 2026-07 (or set "
        "PINECONE_API_VERSION)\n"
    )
    assert emu.requests == []


def test_include_deleted_needs_an_index(emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(emu, "list", "--include-deleted", "--api-version", "2026-04") == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        "pinecone-backups list: error: --include-deleted needs INDEX (the indexes that had that "
        "name)"
    )
    assert emu.requests == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{mode: OnDemand}", "expected a JSON object, got '{mode: OnDemand}': Expecting property"),
        ("", "expected a JSON object, got '': Expecting value"),
        ('["OnDemand"]', "expected a JSON object ({...}), got list '[\"OnDemand\"]'"),
        ('"OnDemand"', "expected a JSON object ({...}), got str '\"OnDemand\"'"),
        ("null", "expected a JSON object ({...}), got NoneType 'null'"),
    ],
)
def test_a_read_capacity_that_is_not_a_json_object_is_bad_usage(
    text: str, message: str, emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("restore", READY_BACKUP, "--name", "r", "--api-version", "2026-04")
    assert cli(emu, *args, "--read-capacity", text) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1].startswith(
        f"pinecone-backups restore: error: argument --read-capacity: {message}"
    )
    assert emu.requests == []


def test_a_read_capacity_the_client_refuses_is_bad_usage_in_the_clis_words(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("restore", READY_BACKUP, "--name", "r", "--api-version", "2026-04")
    assert cli(emu, *args, "--read-capacity", '{"mode": "Sometimes"}') == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("pinecone-backups: error: --read-capacity is not a ReadCapacity: ")
    assert emu.requests == []


# -- --limit: a positive number; over 100 only from 2026-07 -------------------------------------


def client_refuses(version: str, limit: int) -> bool:
    """Whether the client refuses ``limit`` under ``version`` (before sending anything)."""
    client = pb.Client(api_key="k", host="http://127.0.0.1:1", api_version=version)
    with client:
        try:
            client.list_index_backups("docs-example", limit=limit)
        except pb.ValidationError:
            return True
        except pb.PineconeConnectionError:  # it was sent (nobody listens there)
            return False
    raise AssertionError("unreachable")


@pytest.mark.parametrize("version", pb.API_VERSIONS)
@pytest.mark.parametrize("limit", [-1, 0, 1, MAX_LIMIT, MAX_LIMIT + 1, 1000])
def test_the_cli_refuses_a_limit_exactly_when_the_client_would(
    version: str, limit: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", "k")
    args = ["list", "docs-example", "--limit", str(limit), "--api-version", version]
    status = main([*args, "--host", "http://127.0.0.1:1"])
    err = capsys.readouterr().err
    if client_refuses(version, limit):
        assert status == 2, err
        assert err.startswith("pinecone-backups: error: --limit must be ")
    else:
        assert status == 1, err  # sent: nobody listens there
        assert "could not connect" in err
    assert (version < LIMIT_CAPPED_BEFORE and limit > MAX_LIMIT) or limit < 1 or status == 1


# -- What each version sends and shows ------------------------------------------------------------


@pytest.mark.parametrize("version", pb.API_VERSIONS)
def test_every_request_speaks_the_version_chosen(
    version: str, emu: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emu, "list", "docs-example", "--api-version", version) == 0
    assert cli(emu, "--api-version", version, "describe", READY_BACKUP) == 0
    monkeypatch.setenv("PINECONE_API_VERSION", version)
    assert cli(emu, "jobs") == 0
    headers = [request.headers["X-Pinecone-Api-Version"] for request in emu.requests]
    assert headers == [version] * 3


def test_without_option_or_variable_the_version_is_2025_10(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PINECONE_API_VERSION", raising=False)
    assert cli(emu, "list", "docs-example") == 0
    monkeypatch.setenv("PINECONE_API_VERSION", "")  # empty: not set, as for the client
    assert cli(emu, "list", "docs-example") == 0
    assert [r.headers["X-Pinecone-Api-Version"] for r in emu.requests] == ["2025-10"] * 2


def test_the_option_wins_over_the_variable(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PINECONE_API_VERSION", "2026-07")
    assert cli(emu, "list", "docs-example", "--api-version", "2026-04") == 0
    assert emu.requests[-1].headers["X-Pinecone-Api-Version"] == "2026-04"


@pytest.mark.parametrize("version", ["2026-04", "2026-07"])
def test_include_deleted_lists_the_backups_of_deleted_indexes(
    version: str,
    emu: Emulator,
    client_of: Callable[[str], pb.Client],
    capsys: pytest.CaptureFixture[str],
) -> None:
    emu.add_backup("gone-index", name="last-one", created_at="2026-01-02T03:04:05Z")
    emu.delete_index("gone-index")
    assert cli(emu, "list", "gone-index", "--api-version", version) == 1  # not an index now
    assert capsys.readouterr().err.startswith("pinecone-backups: error: [404 NOT_FOUND] ")

    assert cli(emu, "list", "gone-index", "--include-deleted", "--api-version", version) == 0
    out, err = capsys.readouterr()
    assert emu.requests[-1].query["include_deleted"] == ["true"]
    lines = out.splitlines()
    assert lines[0].split("  ")[0] == "BACKUP ID"
    assert lines[0].endswith("CREATED AT               INDEX DELETED AT")
    (backup,) = client_of(version).list_index_backups("gone-index", include_deleted=True)
    assert backup.source_index_deleted_at is not None
    deleted_at = backup.source_index_deleted_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    assert lines[1].endswith(f"2026-01-02 03:04:05 UTC  {deleted_at}")
    assert err == "1 backup of index 'gone-index' and of the deleted indexes of that name\n"

    args = ("list", "gone-index", "--include-deleted", "--json", "--api-version", version)
    assert cli(emu, *args) == 0
    assert json_lines(capsys.readouterr().out) == [backup.to_dict()]


def test_without_include_deleted_nothing_is_sent_for_it(emu: Emulator) -> None:
    assert cli(emu, "list", "docs-example", "--api-version", "2026-04") == 0
    assert "include_deleted" not in emu.requests[-1].query


@pytest.mark.parametrize(
    ("version", "read_capacity"),
    [
        ("2026-04", {"mode": "OnDemand"}),
        (
            "2026-07",
            {
                "mode": "Dedicated",
                "dedicated": {
                    "node_type": "t1",
                    "scaling": "Manual",
                    "manual": {"replicas": 2, "shards": 2},
                },
            },
        ),
    ],
)
def test_read_capacity_is_sent_as_given(
    version: str,
    read_capacity: dict[str, Any],
    emu: Emulator,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ("restore", READY_BACKUP, "--name", "restored", "--api-version", version)
    assert cli(emu, *args, "--read-capacity", json.dumps(read_capacity)) == 0
    request = emu.requests[-1]
    assert request.path == f"/backups/{READY_BACKUP}/create-index"
    assert json.loads(request.body) == {"name": "restored", "read_capacity": read_capacity}


def test_without_read_capacity_nothing_is_sent_for_it(emu: Emulator) -> None:
    args = ("restore", READY_BACKUP, "--name", "restored", "--api-version", "2026-04")
    assert cli(emu, *args) == 0
    assert json.loads(emu.requests[-1].body) == {"name": "restored"}


@pytest.mark.parametrize("args", [("list", "docs-example"), ("jobs",), ("list",)])
def test_2026_07_takes_a_limit_over_100(
    args: tuple[str, ...], emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emu, *args, "--limit", "250", "--api-version", "2026-07") == 0
    assert emu.requests[-1].query["limit"] == ["250"]


def test_the_emulator_speaks_the_version_chosen() -> None:
    # 2026-07's backups have no dimension or metric: describe shows them as "-".
    args = ("describe", READY_BACKUP, "--emulator")
    old = fields_of(run(*args).stdout)
    new = fields_of(run(*args, "--api-version", "2026-07").stdout)
    assert old["backup_id"] == new["backup_id"] == READY_BACKUP
    assert old["dimension"] != "-"
    assert (new["dimension"], new["metric"]) == ("-", "-")
