"""The pytest plugin (``pinecone_backups.pytest_plugin``): its fixtures, run by pytester on a
user's test file that tests a user's backup script."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

PLUGIN = "pinecone_backups.pytest_plugin"

# A user's backup script: takes a nightly backup, then deletes the failed ones; the same with
# asyncio; and a report that builds its client from the environment (module-level functions).
BACKUP_SCRIPT = """
import pinecone_backups as pb


def nightly(client: pb.Client, index: str) -> pb.Backup:
    backup = client.create_backup(index, name="nightly", wait=True)
    for old in client.iter_index_backups(index):
        if old.status == "Failed":
            client.delete_backup(old.backup_id)
    return backup


async def nightly_async(client: pb.AsyncClient, index: str) -> pb.Backup:
    backup = await client.create_backup(index, name="nightly", wait=True)
    async for old in client.iter_index_backups(index):
        if old.status == "Failed":
            await client.delete_backup(old.backup_id)
    return backup


def report(index: str) -> str:
    backups = list(pb.iter_index_backups(index))
    ready = sum(backup.status == "Ready" for backup in backups)
    return f"{index}: {len(backups)} backups, {ready} ready"
"""

# The user's tests of it, with the plugin's fixtures.
USER_TESTS = """
import os

import pytest

from backup_script import nightly, nightly_async, report

seen = []


@pytest.mark.pinecone_emulator(seed=False, backup_seconds=0)
def test_nightly_deletes_failed_backups(pinecone_emulator, pinecone_client):
    pinecone_emulator.add_index("prod")
    pinecone_emulator.add_backup("prod", name="broken", status="Failed")
    backup = nightly(pinecone_client, "prod")
    assert (backup.name, backup.status) == ("nightly", "Ready")
    assert [b["name"] for b in pinecone_emulator.backups("prod")] == ["nightly"]
    seen.append((pinecone_emulator, pinecone_client))


@pytest.mark.asyncio
@pytest.mark.pinecone_emulator(seed=False, backup_seconds=0)
async def test_nightly_async(pinecone_emulator, pinecone_async_client):
    pinecone_emulator.add_index("prod")
    pinecone_emulator.add_backup("prod", name="broken", status="Failed")
    backup = await nightly_async(pinecone_async_client, "prod")
    assert backup.status == "Ready"
    assert [b["name"] for b in pinecone_emulator.backups("prod")] == ["nightly"]
    methods = [exchange.request.method for exchange in pinecone_emulator.exchanges]
    assert methods[0] == "POST" and methods[-1] == "DELETE"
    seen.append((pinecone_emulator, pinecone_async_client))


def test_the_environment_points_at_the_emulator(pinecone_emulator):
    assert os.environ["PINECONE_CONTROLLER_HOST"] == pinecone_emulator.url
    assert os.environ["PINECONE_API_KEY"] == pinecone_emulator.api_key
    assert report("docs-example") == "docs-example: 3 backups, 2 ready"  # the sample data
    assert pinecone_emulator.requests


def test_the_client_retries_faults(pinecone_emulator, pinecone_client):
    pinecone_emulator.fail_next(503)
    assert len(pinecone_client.list_index_backups("my-index")) == 2
    assert [e.status for e in pinecone_emulator.exchanges] == [503, 200]


def test_one_emulator_per_test_stopped_and_closed_after(pinecone_emulator):
    assert len(seen) == 2
    assert seen[0][0] is not seen[1][0] is not pinecone_emulator
    for emulator, client in seen:
        assert not emulator.running
        assert client.closed
"""

INI = """
[pytest]
asyncio_mode = strict
asyncio_default_fixture_loop_scope = function
filterwarnings = error
"""


def plugin_args() -> list[str]:
    """``-p`` the plugin unless its entry point is installed (pytest loads it then, and would
    refuse it twice)."""
    installed = any(ep.value == PLUGIN for ep in entry_points(group="pytest11"))
    return [] if installed else ["-p", PLUGIN]


@pytest.fixture
def user_project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(INI)
    pytester.makepyfile(backup_script=BACKUP_SCRIPT)
    return pytester


def test_fixtures_run_a_users_tests_of_a_backup_script(user_project: pytest.Pytester) -> None:
    pytest.importorskip("pytest_asyncio")
    user_project.makepyfile(test_nightly=USER_TESTS)
    result = user_project.runpytest(*plugin_args(), "-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=5)
    # The environment the fixture pointed at the emulator is restored.
    assert "PINECONE_CONTROLLER_HOST" not in os.environ
    assert "PINECONE_API_KEY" not in os.environ


def test_the_marker_is_registered_and_checked(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(
        test_marker="""
        import pytest

        @pytest.mark.pinecone_emulator(False)
        def test_positional(pinecone_emulator):
            pass

        @pytest.mark.pinecone_emulator(api_key="mine", seed=False)
        def test_options(pinecone_emulator, pinecone_client):
            assert pinecone_emulator.api_key == "mine"
            assert pinecone_emulator.index_names() == []
            assert len(pinecone_client.list_project_backups()) == 0
        """
    )
    result = user_project.runpytest(*plugin_args(), "-p", "no:cacheprovider", "--strict-markers")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*takes keyword arguments only*"])
    markers = user_project.runpytest(*plugin_args(), "-p", "no:cacheprovider", "--markers")
    markers.stdout.fnmatch_lines(["@pytest.mark.pinecone_emulator(**options):*"])


def test_importing_the_plugin_is_cheap() -> None:
    code = textwrap.dedent(
        f"""
        import sys
        import {PLUGIN}
        heavy = ("pinecone_backups.testing", "pytest_asyncio", "asyncio")
        print(sorted(name for name in sys.modules if name.startswith(heavy)))
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "[]\n", "")


def test_the_entry_point_is_declared() -> None:
    tomllib = pytest.importorskip("tomllib")
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    assert project["entry-points"]["pytest11"] == {"pinecone_backups": PLUGIN}


def readme_block(after: str, language: str) -> str:
    """The first ``language`` code block of the README after the line ``after``."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"\n{after}\n", 1)[1]
    return section.split(f"```{language}\n", 1)[1].split("```", 1)[0]


def test_the_readme_example_runs_as_written(user_project: pytest.Pytester) -> None:
    example = readme_block("### Testing your own code", "python")
    user_project.makepyfile(my_jobs=BACKUP_SCRIPT, test_readme=example)
    result = user_project.runpytest(*plugin_args(), "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
