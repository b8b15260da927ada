"""The installed wheel, as `scripts/test-wheel` runs it: from a copy of the tests, in a fresh
virtualenv holding the wheel, with only that virtualenv's bin/ on PATH. Skipped in the ordinary
test run (``PINECONE_BACKUPS_WHEEL_TEST=1`` turns it on)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

import pytest

import pinecone_backups as pb
from pinecone_backups import _native

pytestmark = pytest.mark.skipif(
    os.environ.get("PINECONE_BACKUPS_WHEEL_TEST") != "1",
    reason="checks an installed wheel: run scripts/test-wheel",
)


def test_the_package_is_the_installed_one() -> None:
    print(f"pinecone_backups.__file__ = {pb.__file__}")
    assert pb.__file__ is not None and _native.__file__ is not None
    site_packages = Path(sysconfig.get_paths()["platlib"]).resolve()
    package = Path(pb.__file__).resolve().parent
    assert package == site_packages / "pinecone_backups"
    assert Path(_native.__file__).resolve().parent == package
    # Not a source tree: no Cargo.toml or pyproject.toml next to the package or above it.
    for parent in package.parents:
        assert not (parent / "Cargo.toml").exists(), parent
        assert not (parent / "pyproject.toml").exists(), parent


def test_installed_from_a_wheel_file_with_its_stubs_and_license() -> None:
    dist = metadata.distribution("pinecone-backups")
    assert dist.version == pb.__version__
    direct_url = json.loads(dist.read_text("direct_url.json") or "{}")
    assert direct_url["url"].endswith(".whl"), direct_url
    assert not direct_url.get("dir_info", {}).get("editable", False)
    files = {str(f) for f in dist.files or ()}
    for name in (
        "pinecone_backups/_native.abi3.so",
        "pinecone_backups/_native.pyi",
        "pinecone_backups/py.typed",
        f"pinecone_backups-{dist.version}.dist-info/licenses/LICENSE",
    ):
        assert name in files, sorted(files)
    assert not any("/tests/" in name or name.endswith(".yaml") for name in files)


def test_no_rust_toolchain_or_build_tool_on_path() -> None:
    for tool in ("cargo", "rustc", "maturin", "cc", "gcc"):
        assert shutil.which(tool) is None, tool


def test_the_command_lists_the_sample_index() -> None:
    command = shutil.which("pinecone-backups")
    assert command is not None
    assert Path(command).resolve().parent == Path(sys.prefix).resolve() / "bin"
    result = subprocess.run(
        [command, "list", "docs-example", "--emulator"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "example-backup" in result.stdout
