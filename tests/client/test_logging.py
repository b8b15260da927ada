"""Logging: one DEBUG record per HTTP exchange on the ``pinecone_backups`` logger, a WARNING per
retry, never the API key; and the CLI's ``--verbose`` / ``PINECONE_BACKUPS_LOG``."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

import pinecone_backups as pb
from pinecone_backups.__main__ import main
from pinecone_backups.testing import Emulator
from tests.helpers import wait_for

KEY = "pcsk_LOGTEST_7Qz9xW2vK4mN8bR1"  # distinctive: found anywhere only if it leaked
FAST = pb.Retry(max_retries=3, backoff_base=0.01, backoff_cap=0.02)
EXCHANGE = re.compile(
    r"(?P<method>GET|POST|DELETE) (?P<path>/\S*) -> (?P<status>\d{3}|no response) "
    r"\(attempt (?P<attempt>\d+), \d+\.\d ms, request_id (?P<request_id>[\w-]+)\)"
)
TIME_LEVEL = r"\d\d:\d\d:\d\d\.\d\d\d (?:DEBUG|INFO|WARNING) "
"""What the CLI's handler writes before each message."""


@pytest.fixture
def server() -> Iterator[Emulator]:
    with Emulator(api_key=KEY, backup_seconds=0) as emulator:
        yield emulator


def ours(caplog: pytest.LogCaptureFixture, level: int | None = None) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name == "pinecone_backups" and (level is None or record.levelno == level)
    ]


def exchanges(records: list[logging.LogRecord]) -> list[re.Match[str]]:
    matches = [EXCHANGE.fullmatch(record.getMessage()) for record in records]
    assert all(matches), [record.getMessage() for record in records]
    return [match for match in matches if match is not None]


def assert_no_key(caplog: pytest.LogCaptureFixture) -> None:
    assert KEY not in caplog.text
    for record in caplog.records:
        assert KEY not in record.getMessage()
        assert KEY not in repr(record.args)


def test_one_debug_record_per_exchange(server: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="pinecone_backups")
    with pb.Client(api_key=KEY, host=server.url, retry=FAST) as client:
        assert len(client.list_index_backups("docs-example")) == 3
        backup = client.create_backup("my-index", name="logged")
        client.delete_backup(backup.backup_id)
    records = ours(caplog)
    assert [record.levelno for record in records] == [logging.DEBUG] * 3
    got = [m.group("method", "path", "status", "attempt") for m in exchanges(records)]
    assert got == [
        ("GET", "/indexes/docs-example/backups", "200", "1"),
        ("POST", "/indexes/my-index/backups", "201", "1"),
        ("DELETE", f"/backups/{backup.backup_id}", "202", "1"),
    ]
    served = [exchange.headers["x-pinecone-request-id"] for exchange in server.exchanges]
    assert [m["request_id"] for m in exchanges(records)] == served
    assert_no_key(caplog)


def test_a_retry_is_two_exchanges_and_one_warning(
    server: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="pinecone_backups")
    server.fail_next(503, message=f"echoing {KEY}")
    with pb.Client(api_key=KEY, host=server.url, retry=FAST) as client:
        assert len(client.list_index_backups("docs-example")) == 3
    debug = exchanges(ours(caplog, logging.DEBUG))
    assert [m.group("status", "attempt") for m in debug] == [("503", "1"), ("200", "2")]
    (warning,) = ours(caplog, logging.WARNING)
    assert (
        warning.getMessage().startswith("retrying GET /indexes/docs-example/backups in ")
        and "(attempt 1 of 4): [503 UNAVAILABLE] echoing [REDACTED]" in warning.getMessage()
    )
    assert len(ours(caplog)) == 3
    assert_no_key(caplog)


def test_an_exchange_without_a_response_is_logged(
    server: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="pinecone_backups")
    server.hang_next()
    with (
        pb.Client(api_key=KEY, host=server.url, max_retries=0, timeout=0.2) as client,
        pytest.raises(pb.PineconeTimeoutError),
    ):
        client.list_index_backups("docs-example")
    (record,) = ours(caplog)
    match = EXCHANGE.fullmatch(record.getMessage())
    assert match is not None and match.group("status", "request_id") == ("no response", "-")


def test_a_refused_key_is_not_logged(server: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="pinecone_backups")
    wrong = KEY + "_WRONG"
    with (
        pb.Client(api_key=wrong, host=server.url) as client,
        pytest.raises(pb.UnauthenticatedError),
    ):
        client.list_project_backups()
    assert [m["status"] for m in exchanges(ours(caplog))] == ["401"]
    assert wrong not in caplog.text and KEY not in caplog.text


def test_no_debug_records_unless_debug_is_on(
    server: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="pinecone_backups")
    server.fail_next(503)
    with pb.Client(api_key=KEY, host=server.url, retry=FAST) as client:
        client.list_index_backups("docs-example")
    assert [record.levelno for record in ours(caplog)] == [logging.WARNING]


def test_calls_do_not_import_logging_but_log_once_it_is_configured(server: Emulator) -> None:
    # Importing logging doubles the cold start of a one-call script: until the application
    # imports it, nothing can take the records, and the client does not import it either.
    script = f"""
import sys
import pinecone_backups as pb
client = pb.Client(api_key={KEY!r}, host={server.url!r})
client.list_index_backups("docs-example")
print("logging" in sys.modules)
import logging
logging.basicConfig(level=logging.DEBUG, stream=sys.stdout, format="%(name)s %(message)s")
client.list_index_backups("docs-example")
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    first, *records = result.stdout.splitlines()
    assert first == "False"
    assert [line.split(" ", 1)[0] for line in records] == ["pinecone_backups"]
    assert EXCHANGE.fullmatch(records[0].split(" ", 1)[1])


async def test_async_exchanges_are_logged_too(
    server: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="pinecone_backups")
    server.fail_next(503)
    async with pb.AsyncClient(api_key=KEY, host=server.url, retry=FAST) as client:
        assert len(await client.list_index_backups("docs-example")) == 3
        assert len(await client.list_restore_jobs()) == 0
    wait_for(lambda: len(ours(caplog)) >= 4)  # logged from a background thread: maybe later
    records = ours(caplog)
    assert [record.levelno for record in records].count(logging.WARNING) == 1
    debug = exchanges(ours(caplog, logging.DEBUG))
    assert [m.group("path", "status", "attempt") for m in debug] == [
        ("/indexes/docs-example/backups", "503", "1"),
        ("/indexes/docs-example/backups", "200", "2"),
        ("/restore-jobs", "200", "1"),
    ]
    assert_no_key(caplog)


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PINECONE_")}
    return {**env, "PYTHONPATH": os.pathsep.join(sys.path), "PINECONE_API_KEY": KEY, **extra}


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pinecone_backups", *args],
        capture_output=True,
        text=True,
        env=cli_env(**env),
        timeout=60,
    )


@pytest.mark.parametrize(
    ("before", "after", "env"),
    [
        (["-v"], [], {}),
        ([], ["--verbose"], {}),
        ([], [], {"PINECONE_BACKUPS_LOG": "debug"}),
        ([], [], {"PINECONE_BACKUPS_LOG": " DEBUG "}),
        (["--verbose"], [], {"PINECONE_BACKUPS_LOG": "warning"}),  # the flag wins
    ],
)
def test_cli_logs_exchanges_on_stderr_only(
    server: Emulator, before: list[str], after: list[str], env: dict[str, str]
) -> None:
    command = ["list", "my-index", "--json", "--host", server.url]
    quiet = run_cli(*command)
    server.reset()
    loud = run_cli(*before, *command, *after, **env)
    assert (quiet.returncode, loud.returncode) == (0, 0), loud.stderr
    assert loud.stdout == quiet.stdout and len(quiet.stdout.splitlines()) == 2
    logged = [line for line in loud.stderr.splitlines() if line not in quiet.stderr.splitlines()]
    (exchange,) = server.exchanges
    request_id = exchange.headers["x-pinecone-request-id"]
    assert len(logged) == 1, loud.stderr
    assert re.fullmatch(
        TIME_LEVEL + r"GET /indexes/my-index/backups -> 200 "
        rf"\(attempt 1, \d+\.\d ms, request_id {request_id}\)",
        logged[0],
    ), logged
    assert KEY not in loud.stderr + loud.stdout


def test_cli_warning_level_logs_retries_only(server: Emulator) -> None:
    server.fail_next(503)
    result = run_cli("list", "docs-example", "--host", server.url, PINECONE_BACKUPS_LOG="warning")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2, lines
    assert re.fullmatch(TIME_LEVEL + r"retrying GET /indexes/docs-example/backups in .*", lines[0])
    assert lines[1] == "3 backups of index 'docs-example'"


def test_cli_without_logging_is_quiet_about_retries(server: Emulator) -> None:
    server.fail_next(503)
    result = run_cli("list", "docs-example", "--host", server.url)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "3 backups of index 'docs-example'\n"


def test_cli_rejects_an_unknown_log_level(
    server: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PINECONE_API_KEY", KEY)
    monkeypatch.setenv("PINECONE_BACKUPS_LOG", "loud")
    assert main(["list", "--host", server.url]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "pinecone-backups: error: PINECONE_BACKUPS_LOG must be debug, info or warning; got 'loud'\n"
    )
    assert server.requests == []  # nothing was sent


def test_cli_in_process_leaves_the_logger_as_it_was(
    server: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    logger = logging.getLogger("pinecone_backups")
    handlers, level = list(logger.handlers), logger.level
    monkeypatch.setenv("PINECONE_API_KEY", KEY)
    assert main(["-v", "describe", "bkp_123abc", "--host", server.url, "--json"]) == 0
    out, err = capsys.readouterr()
    assert '"backup_id":"bkp_123abc"' in out and "DEBUG" not in out
    assert re.fullmatch(TIME_LEVEL + r"GET /backups/bkp_123abc -> 200 .*\n", err), err
    assert (logger.handlers, logger.level) == (handlers, level)
