"""The command line as a package (``pinecone_backups.cli``): one module per command, a registry
of their names, and a start that imports only what the command run uses.

What a run imports is checked here in a fresh interpreter (``sys.modules`` after the command),
never its time: the start-up target (``pinecone-backups list`` at most twice the library's
one-call process) lives in the benchmark (``bench/``, cold start)."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from collections.abc import Iterable

import pytest

import pinecone_backups.cli
from pinecone_backups.cli import COMMANDS
from pinecone_backups.cli._command import EXIT_CODES, Command, Group
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY

NAMES = [entry.name for entry in COMMANDS]
HEAVY = (
    *("logging", "dataclasses", "inspect", "secrets", "hashlib", "typing", "shutil", "json"),
    *("argparse", "re", "gettext", "locale"),
)
"""What the start of ``list`` used to import and no longer needs (its command line is read
without argparse, and with it ``re``)."""


def command_modules(path: Iterable[str]) -> set[str]:
    """The modules of a package (``pinecone_backups.cli`` or a command's) that are commands
    (not ``_shared`` ones)."""
    found = pkgutil.iter_modules(path)
    return {module.name for module in found if not module.name.startswith("_")}


def check_command(command: object, name: str) -> None:
    assert isinstance(command, (Command, Group)), name
    assert command.examples and all(isinstance(e, str) for e in command.examples), name
    assert set(command.exits) <= {code for code, _ in EXIT_CODES}, name


def test_every_command_module_is_registered_and_every_registered_command_has_one() -> None:
    assert command_modules(pinecone_backups.cli.__path__) == set(NAMES)
    assert len(NAMES) == len(set(NAMES))
    for name in NAMES:
        module = __import__(f"pinecone_backups.cli.{name}", fromlist=["COMMAND"])
        command = module.COMMAND
        check_command(command, name)
        if isinstance(command, Group):  # its subcommands, the same way
            subcommands = [entry.name for entry in command.subcommands]
            assert command_modules(module.__path__) == set(subcommands), name
            assert len(subcommands) == len(set(subcommands)), name
            for sub in subcommands:
                full = f"{name}.{sub}"
                spec = __import__(f"pinecone_backups.cli.{full}", fromlist=["COMMAND"]).COMMAND
                assert isinstance(spec, Command), full
                check_command(spec, full)


def imported_by(args: list[str], env: dict[str, str] | None = None) -> tuple[int, set[str]]:
    """Runs ``main(args)`` in a fresh interpreter; its exit status and the modules it imported
    (its output is thrown away)."""
    code = (
        "import io, sys\n"
        "out = sys.stdout\n"
        "sys.stdout = sys.stderr = io.StringIO()\n"
        "from pinecone_backups.__main__ import main\n"
        f"status = main({args!r})\n"
        "modules = sorted(sys.modules)\n"
        "import json\n"  # after the modules are listed
        "out.write(json.dumps([status, modules]))\n"
    )
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PINECONE_")}
    full_env.update(env or {})
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=full_env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    status, modules = json.loads(result.stdout)
    return status, set(modules)


def test_help_imports_no_command() -> None:
    status, modules = imported_by(["--help"])
    assert status == 0
    assert not {f"pinecone_backups.cli.{name}" for name in NAMES} & modules


@pytest.mark.parametrize("name", NAMES)
def test_a_commands_help_imports_only_that_command(name: str) -> None:
    status, modules = imported_by([name, "--help"])
    assert status == 0
    commands = {m for m in modules if m.removeprefix("pinecone_backups.cli.") in NAMES}
    assert commands == {f"pinecone_backups.cli.{name}"}


def test_a_subcommands_help_imports_only_that_subcommand() -> None:
    status, modules = imported_by(["schedule", "--help"])
    assert status == 0
    assert not {m for m in modules if m.startswith("pinecone_backups.cli.schedule.")}
    status, modules = imported_by(["schedule", "history", "--help"])
    assert status == 0
    subcommands = {m for m in modules if m.startswith("pinecone_backups.cli.schedule.")}
    assert subcommands == {"pinecone_backups.cli.schedule.history"}


def test_a_simple_schedule_command_line_is_read_without_argparse() -> None:
    # Refused before anything is sent (2025-10 has no schedules): read quickly all the same.
    status, modules = imported_by(["schedule", "list", "docs-example"], {"PINECONE_API_KEY": "k"})
    assert status == 2
    assert "argparse" not in modules
    assert "pinecone_backups.cli.schedule.list" in modules


def test_list_imports_only_what_it_uses(emulator: Emulator) -> None:
    env = {"PINECONE_API_KEY": API_KEY, "PINECONE_CONTROLLER_HOST": emulator.url}
    status, modules = imported_by(["list", "docs-example"], env)
    assert status == 0
    commands = {m for m in modules if m.removeprefix("pinecone_backups.cli.") in NAMES}
    assert commands == {"pinecone_backups.cli.list"}
    assert not set(HEAVY) & modules, sorted(set(HEAVY) & modules)
    # Nothing beyond what the library's one-call process imports (and datetime, for the CREATED
    # AT column) but the command's own modules.
    library = imported_by_code(
        "import pinecone_backups as pb; pb.list_index_backups('docs-example'); import datetime",
        env,
    )
    own = {"pinecone_backups.__main__", "pinecone_backups._format"}
    own |= {m for m in modules if m.startswith("pinecone_backups.cli")}
    assert modules - library <= own, sorted(modules - library - own)


def imported_by_code(code: str, env: dict[str, str]) -> set[str]:
    """The modules a fresh interpreter has imported after running ``code``."""
    script = f"{code}\nimport sys\nmodules = sorted(sys.modules)\nprint(' '.join(modules))\n"
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PINECONE_")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**full_env, **env},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_logging_is_imported_only_to_log(emulator: Emulator) -> None:
    env = {"PINECONE_API_KEY": API_KEY, "PINECONE_CONTROLLER_HOST": emulator.url}
    assert "logging" in imported_by(["list", "docs-example", "-v"], env)[1]
    logged = {**env, "PINECONE_BACKUPS_LOG": "warning"}
    assert "logging" in imported_by(["list", "docs-example"], logged)[1]
