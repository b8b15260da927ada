"""The standalone emulator (``python -m pinecone_backups.testing``): its options, serving until
interrupted, the lifecycle, and a seed file, driven by the ``pinecone-backups`` command through
the ``export`` lines it prints."""

from __future__ import annotations

import http.client
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from pinecone_backups.testing._seed import SeedError, parse_seed
from tests.helpers import JSON_HEADERS, json_lines

# -- Serving until interrupted, options -----------------------------------------------------------


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pinecone_backups.testing", *args]


def _command_env() -> dict[str, str]:
    """The environment, with this process's import path (wherever pinecone_backups came from)."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_command_line_serves_until_interrupted(stop_signal: signal.Signals) -> None:
    with subprocess.Popen(
        _command("--port", "0", "--api-key", "K", "--no-seed", "--last-page", "missing"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_command_env(),
    ) as process:
        try:
            assert process.stdout is not None
            exports = process.stdout.readline() + process.stdout.readline()
            url = re.fullmatch(
                r"export PINECONE_CONTROLLER_HOST=(http://127\.0\.0\.1:\d+)\n"
                r"export PINECONE_API_KEY=K\n",
                exports,
            )
            assert url is not None, exports
            address = urlsplit(url[1])
            assert address.hostname is not None and address.port is not None
            conn = http.client.HTTPConnection(address.hostname, address.port, timeout=5)
            headers = {"Api-Key": "K", "X-Pinecone-Api-Version": "2025-10"}
            conn.request("GET", "/indexes/docs-example/backups", headers=headers)
            response = conn.getresponse()
            assert response.status == 404  # --no-seed
            assert json.loads(response.read())["error"]["code"] == "NOT_FOUND"
            conn.close()
            process.send_signal(stop_signal)
            stdout, stderr = process.communicate(timeout=5)
        finally:
            process.kill()
    assert (process.returncode, stdout, stderr) == (0, "", "")


def test_command_line_rejects_bad_options() -> None:
    result = subprocess.run(
        _command("--page-size", "0"),
        check=False,
        capture_output=True,
        text=True,
        env=_command_env(),
        timeout=10,
    )
    assert result.returncode == 2 and "default_page_size" in result.stderr


# -- A seed file, and the pinecone-backups command through the export lines -----------------------


KEY = "seed'key$HOME"  # printed shell-quoted

SEED: dict[str, Any] = {
    "indexes": [
        {"name": "prod", "index_id": "idx-prod", "dimension": 1536, "metric": "cosine"},
        {"name": "empty"},
    ],
    "backups": [
        {
            "source_index_name": "prod",
            "backup_id": "bkp-new",
            "name": "nightly-2",
            "status": "Ready",
            "size_bytes": 2048,
            "record_count": 10,
            "tags": {"env": "prod"},
            "created_at": "2025-06-02T02:00:00Z",
        },
        {
            "source_index_name": "prod",
            "backup_id": "bkp-old",
            "name": "nightly-1",
            "status": "Failed",
            "created_at": "2025-06-01T02:00:00Z",
        },
        {"source_index_name": "other", "backup_id": "bkp-other", "description": None},
    ],
    "restore_jobs": [
        {
            "restore_job_id": "job-1",
            "backup_id": "bkp-new",
            "target_index_name": "prod-copy",
            "status": "Pending",
            "created_at": "2025-06-03T00:00:00Z",
        }
    ],
}


def environment(**extra: str) -> dict[str, str]:
    """This process's environment without Pinecone settings, with its import path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PINECONE_")}
    return {**env, "PYTHONPATH": os.pathsep.join(sys.path), **extra}


def emulator_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pinecone_backups.testing", *args]


def write_seed(directory: Path, seed: object) -> Path:
    path = directory / "seed.json"
    path.write_text(json.dumps(seed), encoding="utf-8")
    return path


@pytest.fixture
def exports(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A standalone emulator serving ``SEED``: the variables its export lines set."""
    seed = write_seed(tmp_path, SEED)
    command = emulator_command("--port", "0", "--api-key", KEY, "--seed", str(seed))
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment()
    ) as process:
        try:
            assert process.stdout is not None
            lines = [process.stdout.readline(), process.stdout.readline()]
            assert re.fullmatch(
                r"export PINECONE_CONTROLLER_HOST=http://127\.0\.0\.1:\d+\n", lines[0]
            ), lines
            assert lines[1] == "export PINECONE_API_KEY='seed'\"'\"'key$HOME'\n"
            yield {
                "PINECONE_CONTROLLER_HOST": lines[0].strip().partition("=")[2],
                "PINECONE_API_KEY": KEY,
            }
        finally:
            process.terminate()
            _, stderr = process.communicate(timeout=10)
    assert (process.returncode, stderr) == (0, "")


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pinecone_backups", *args],
        capture_output=True,
        text=True,
        env=environment(**env),
        timeout=60,
    )


def test_cli_commands_in_a_row_against_one_seeded_emulator(exports: dict[str, str]) -> None:
    listed = cli(exports, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    backups = json_lines(listed.stdout)
    # Newest first: bkp-other has no created_at, so it was created now.
    assert [b["backup_id"] for b in backups] == ["bkp-other", "bkp-new", "bkp-old"]
    assert backups[1]["source_index_id"] == "idx-prod" and backups[1]["tags"] == {"env": "prod"}

    table = cli(exports, "list", "prod")
    assert table.returncode == 0, table.stderr
    assert [line.split()[:3] for line in table.stdout.splitlines()[1:]] == [
        ["bkp-new", "nightly-2", "Ready"],
        ["bkp-old", "nightly-1", "Failed"],
    ]
    assert "2 backups of index 'prod'" in table.stderr

    described = cli(exports, "describe", "bkp-new")
    assert described.returncode == 0, described.stderr
    fields = dict(line.split(None, 1) for line in described.stdout.splitlines())
    assert fields["name"] == "nightly-2"
    assert fields["size_bytes"] == "2.0 KiB (2,048 bytes)"
    assert fields["tags"] == "env=prod"
    assert fields["created_at"] == "2025-06-02 02:00:00 UTC"

    created = cli(exports, "create", "prod", "--name", "manual", "--json")
    assert created.returncode == 0, created.stderr
    backup = json.loads(created.stdout)
    assert (backup["name"], backup["status"]) == ("manual", "Initializing")
    # It copies the seeded index's fields.
    assert (backup["source_index_id"], backup["dimension"], backup["metric"]) == (
        "idx-prod",
        1536,
        "cosine",
    )

    again = cli(exports, "list", "prod", "--json")
    assert [b["name"] for b in json_lines(again.stdout)] == ["manual", "nightly-2", "nightly-1"]

    jobs = cli(exports, "jobs")
    assert jobs.returncode == 0, jobs.stderr
    rows = [line.split() for line in jobs.stdout.splitlines()[1:]]
    assert [row[:4] for row in rows] == [["job-1", "bkp-new", "prod-copy", "Pending"]]

    # The pending restore job keeps its backup: the emulator answers 412, the CLI exits 1.
    refused = cli(exports, "delete", "bkp-new", "--yes")
    assert refused.returncode == 1
    assert "412" in refused.stderr and "pending restore jobs" in refused.stderr

    missing = cli(exports, "describe", "nope")
    assert (missing.returncode, missing.stdout) == (1, "")
    assert "[404 NOT_FOUND] Backup nope not found." in missing.stderr


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_the_export_lines_work_in_a_shell(tmp_path: Path) -> None:
    """What the README shows: start it in the background, source its output, run commands."""
    seed = write_seed(tmp_path, SEED)
    script = f"""
        set -e
        {sys.executable} -m pinecone_backups.testing --port 0 --seed {seed} \\
            --api-key {shlex.quote(KEY)} > emulator.env &
        trap 'kill $!' EXIT
        tries=0
        until [ -s emulator.env ]; do
            tries=$((tries + 1)); [ $tries -lt 300 ] || exit 9; sleep 0.05
        done
        . ./emulator.env
        {sys.executable} -m pinecone_backups list empty
        {sys.executable} -m pinecone_backups describe bkp-other --json
    """
    result = subprocess.run(
        ["sh", "-c", script],
        capture_output=True,
        text=True,
        env=environment(),
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "0 backups of index 'empty'" in result.stderr
    other = json.loads(result.stdout.splitlines()[-1])
    assert (other["backup_id"], other["source_index_name"]) == ("bkp-other", "other")
    assert other["description"] is None and other["status"] == "Ready"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "is not valid JSON: Expecting property name"),
        ('{"indexes": [{"name": "x", "size_bytes": NaN}]}', "is not valid JSON: NaN is not JSON"),
        ("[]", "expected a JSON object with indexes, backups, restore_jobs, got a list"),
        ('{"backup": []}', "unknown key 'backup' (known: indexes, backups, restore_jobs)"),
        ('{"backups": {}}', "backups: expected a list of objects, got an object"),
        ('{"backups": [3]}', "backups[0]: expected an object, got 3"),
        ('{"backups": [{"name": "x"}]}', "backups[0]: 'source_index_name' is required"),
        (
            '{"backups": [{"source_index_name": "p", "sise_bytes": 1}]}',
            "backups[0]: unknown field 'sise_bytes' (known: backup_id, ",
        ),
        (
            '{"backups": [{"source_index_name": "p", "size_bytes": "1 KiB"}]}',
            'backups[0].size_bytes: expected an integer >= 0 or null, got "1 KiB"',
        ),
        (
            '{"backups": [{"source_index_name": "p", "created_at": "yesterday"}]}',
            'backups[0].created_at: expected an RFC 3339 timestamp such as "2025-06-01T02:00:00Z"',
        ),
        (
            '{"backups": [{"source_index_name": "p", "tags": {"n": 1}}]}',
            "backups[0].tags: expected an object of strings or null",
        ),
        (
            '{"backups": [{"source_index_name": "p", "backup_id": "b"},'
            ' {"source_index_name": "q", "backup_id": "b"}]}',
            "backups[1].backup_id: 'b' is given twice",
        ),
        ('{"indexes": [{"name": "p"}, {"name": "p"}]}', "indexes[1].name: 'p' is given twice"),
        (
            '{"indexes": [{"name": "p", "index_id": "i"}],'
            ' "backups": [{"source_index_name": "p", "source_index_id": "j"}]}',
            "backups[0].source_index_id: 'j', but index 'p' has index_id 'i'",
        ),
        (
            '{"restore_jobs": [{"backup_id": "b", "target_index_name": "t"}]}',
            "restore_jobs[0].backup_id: no backup of the file has backup_id 'b'",
        ),
        (
            '{"backups": [{"source_index_name": "p", "backup_id": "b"}],'
            ' "restore_jobs": [{"backup_id": "b", "target_index_name": "t",'
            ' "percent_complete": 101}]}',
            "restore_jobs[0].percent_complete: expected a number from 0 to 100 or null, got 101",
        ),
    ],
)
def test_a_bad_seed_file_exits_2_with_a_clear_message(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "seed.json"
    path.write_text(content, encoding="utf-8")
    result = subprocess.run(
        emulator_command("--port", "0", "--seed", str(path)),
        capture_output=True,
        text=True,
        env=environment(),
        timeout=30,
    )
    assert (result.returncode, result.stdout) == (2, "")
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"python -m pinecone_backups.testing: error: seed file '{path}'"), last
    assert message in last


def test_a_missing_seed_file_exits_2(tmp_path: Path) -> None:
    result = subprocess.run(
        emulator_command("--seed", str(tmp_path / "nope.json")),
        capture_output=True,
        text=True,
        env=environment(),
        timeout=30,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert "error: cannot read seed file" in result.stderr and "nope.json" in result.stderr


def test_an_empty_seed_is_an_empty_project() -> None:
    seed = parse_seed({})
    assert (seed.indexes, seed.backups, seed.restore_jobs) == ((), (), ())
    with pytest.raises(SeedError, match=r"indexes\[0\]\.name: expected a non-empty string"):
        parse_seed({"indexes": [{"name": ""}]})


def test_the_readme_seed_file_is_valid() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("\n### On its own\n", 1)[1].split("```json\n", 1)[1].split("```")[0]
    seed = parse_seed(json.loads(example))
    assert [len(seed.indexes), len(seed.backups), len(seed.restore_jobs)] == [1, 1, 1]


# -- The lifecycle --------------------------------------------------------------------------------


def test_command_line_serves_the_lifecycle() -> None:
    command = [sys.executable, "-m", "pinecone_backups.testing", "--backup-seconds", "0"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as process:
        try:
            assert process.stdout is not None
            host_line = process.stdout.readline().strip()  # export PINECONE_CONTROLLER_HOST=URL
            address = urlsplit(host_line.partition("=")[2])
            assert address.hostname is not None and address.port is not None
            conn = http.client.HTTPConnection(address.hostname, address.port, timeout=5)
            with closing(conn):
                conn.request("POST", "/indexes/my-index/backups", body=b"{}", headers=JSON_HEADERS)
                response = conn.getresponse()
                assert (response.status, json.load(response)["status"]) == (201, "Ready")
        finally:
            process.terminate()
            process.wait(timeout=5)


@pytest.mark.parametrize(
    ("options", "state"), [((), "Ready"), (("--index-seconds", "60"), "Initializing")]
)
def test_index_seconds_keeps_a_restored_index_initializing(
    tmp_path: Path, options: tuple[str, ...], state: str
) -> None:
    # the Python Emulator's index_seconds, beside --backup-seconds and --restore-seconds
    seed = tmp_path / "seed.json"
    seed.write_text(
        json.dumps(
            {
                "indexes": [{"name": "prod"}],
                "backups": [{"source_index_name": "prod", "backup_id": "bkp-1"}],
            }
        )
    )
    command = _command("--seed", str(seed), "--restore-seconds", "0", *options)
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env=_command_env()
    ) as process:
        try:
            assert process.stdout is not None
            host_line = process.stdout.readline().strip()  # export PINECONE_CONTROLLER_HOST=URL
            address = urlsplit(host_line.partition("=")[2])
            assert address.hostname is not None and address.port is not None
            conn = http.client.HTTPConnection(address.hostname, address.port, timeout=5)
            with closing(conn):
                body = json.dumps({"name": "copy"}).encode()
                conn.request("POST", "/backups/bkp-1/create-index", body=body, headers=JSON_HEADERS)
                response = conn.getresponse()
                assert response.status == 202, response.read()
                response.read()
                conn.request("GET", "/indexes/copy", headers=JSON_HEADERS)
                response = conn.getresponse()
                assert response.status == 200
                assert json.load(response)["status"]["state"] == state
        finally:
            process.terminate()
            process.wait(timeout=5)


def test_index_seconds_is_in_the_help_and_checked() -> None:
    env = _command_env()
    helped = subprocess.run(
        _command("--help"), check=True, capture_output=True, text=True, env=env, timeout=10
    )
    assert "--index-seconds" in helped.stdout
    refused = subprocess.run(
        _command("--index-seconds", "-1"),
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=10,
    )
    assert refused.returncode == 2 and "index_seconds" in refused.stderr


# -- API versions, plans, and what a seed file says of indexes -----------------------------------


def test_command_line_api_versions_and_plans() -> None:
    command = _command(
        "--no-seed",
        "--api-version",
        "2026-07",
        "--plan-without-backups",
        "--plan-without-schedules",
    )
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_command_env()
    ) as process:
        try:
            assert process.stdout is not None
            host = process.stdout.readline().strip().partition("=")[2]
            process.stdout.readline()
            address = urlsplit(host)
            hostname, port = address.hostname, address.port
            assert hostname is not None and port is not None

            def status(target: str, version: str, method: str = "GET") -> tuple[int, Any]:
                conn = http.client.HTTPConnection(hostname, port, timeout=5)
                headers = {**JSON_HEADERS, "X-Pinecone-Api-Version": version}
                conn.request(
                    method, target, body=b"{}" if method == "POST" else None, headers=headers
                )
                response = conn.getresponse()
                document = json.loads(response.read())
                conn.close()
                return response.status, document["error"]["code"]

            assert status("/backups", "2025-10") == (400, "INVALID_ARGUMENT")
            assert status("/indexes/x/backups", "2026-07", "POST") == (403, "PERMISSION_DENIED")
            schedules = "/indexes/x/backup-schedules"
            assert status(schedules, "2026-07", "POST") == (403, "PERMISSION_DENIED")
        finally:
            process.terminate()
            process.communicate(timeout=10)


def test_command_line_refuses_a_version_it_does_not_speak() -> None:
    result = subprocess.run(
        _command("--api-version", "2027-01"),
        check=False,
        capture_output=True,
        text=True,
        env=_command_env(),
        timeout=10,
    )
    assert result.returncode == 2 and "2025-10" in result.stderr and "2027-01" in result.stderr


def test_a_seed_file_may_have_pod_and_deleted_indexes() -> None:
    from pinecone_backups.testing import Emulator

    seed = parse_seed(
        {
            "indexes": [
                {"name": "old", "index_id": "idx-old", "deleted_at": "2025-05-01T00:00:00Z"},
                {"name": "pods", "pod": True},
            ],
            "backups": [{"source_index_name": "old", "backup_id": "bkp-old"}],
        }
    )
    emulator = Emulator(seed=False)
    seed.apply(emulator)
    assert emulator.index_names() == ["pods"]
    assert emulator.get_backup("bkp-old", api_version="2026-04") == {
        **emulator.get_backup("bkp-old"),  # type: ignore[dict-item]
        "source_index_deleted_at": "2025-05-01T00:00:00.000000Z",
    }
    with pytest.raises(ValueError, match="pod-based"):
        emulator.add_backup_schedule("pods", name="never")
    for index, problem in (
        ({"name": "x", "pod": "yes"}, "indexes[0].pod: expected true or false"),
        ({"name": "x", "deleted_at": "soon"}, "indexes[0].deleted_at: expected an RFC 3339"),
    ):
        with pytest.raises(SeedError, match=re.escape(problem)):
            parse_seed({"indexes": [index]})
