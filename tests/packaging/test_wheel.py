"""The installed wheel, as `scripts/test-wheel` runs it: from a copy of the tests, in a fresh
virtualenv holding the wheel, with only that virtualenv's bin/ on PATH (for aarch64, an arm64
Python under qemu). Skipped in the ordinary test run (``PINECONE_BACKUPS_WHEEL_TEST=1`` turns it
on; ``PINECONE_BACKUPS_WHEEL_MACHINE`` names the machine the interpreter must be)."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

import pytest

import pinecone_backups as pb
from pinecone_backups import _native
from pinecone_backups.testing import Emulator

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


# ELF e_machine values: the extension must be built for the machine that runs it.
ELF_MACHINES = {"x86_64": 62, "aarch64": 183}


def test_the_wheel_and_the_interpreter_are_of_the_expected_machine() -> None:
    machine = platform.machine()
    print(f"platform.machine() = {machine}, {sys.version}")
    expected = os.environ.get("PINECONE_BACKUPS_WHEEL_MACHINE")
    if expected is not None:
        assert machine == expected
    dist = metadata.distribution("pinecone-backups")
    tags = [
        line.split(":", 1)[1].strip()
        for line in (dist.read_text("WHEEL") or "").splitlines()
        if line.startswith("Tag:")
    ]
    assert tags and all(
        tag.startswith("cp310-abi3-") and tag.endswith(f"_{machine}") for tag in tags
    ), tags
    try:  # glibc answers with its version; musl does not know the name
        glibc: str | None = os.confstr("CS_GNU_LIBC_VERSION")
    except (ValueError, OSError):
        glibc = None
    print(f"wheel tags {tags}, libc {glibc or 'not glibc'}")
    assert all(("musllinux" in tag) == (glibc is None) for tag in tags), (tags, glibc)
    assert _native.__file__ is not None
    header = Path(_native.__file__).read_bytes()[:20]
    assert header[:4] == b"\x7fELF"
    assert int.from_bytes(header[18:20], "little") == ELF_MACHINES[machine]


def test_a_lifecycle_round_trip_against_the_bundled_emulator() -> None:
    with (
        Emulator(backup_seconds=0.2, restore_seconds=0.2) as emu,
        pb.Client(api_key=emu.api_key, host=emu.url) as client,
    ):
        backup = client.create_backup("docs-example", name="wheel-smoke", description="smoke")
        assert backup.status == "Initializing"
        ready = client.wait_for_backup(backup.backup_id, poll_interval=0.05, timeout=60)
        assert ready.status == "Ready" and ready.name == "wheel-smoke"
        assert client.describe_backup(backup.backup_id) == ready
        listed = [b.backup_id for b in client.iter_index_backups("docs-example", page_size=2)]
        assert backup.backup_id in listed and len(listed) == len(emu.backups("docs-example"))
        restored = client.create_index_from_backup(backup.backup_id, "docs-example-restored")
        job = client.wait_for_restore_job(restored.restore_job_id, poll_interval=0.05, timeout=60)
        assert job.status == "Completed" and job.target_index_name == "docs-example-restored"
        client.delete_backup(backup.backup_id)
        with pytest.raises(pb.NotFoundError):
            client.describe_backup(backup.backup_id)


def test_an_async_listing_against_the_bundled_emulator() -> None:
    async def main(url: str, key: str) -> list[str | None]:
        async with pb.AsyncClient(api_key=key, host=url) as client:
            page, big = await asyncio.gather(
                client.list_index_backups("docs-example", limit=2),
                client.list_index_backups("big-index"),
            )
            assert len(big) == 10
            return [backup.name for backup in page]

    with Emulator() as emu:
        names = asyncio.run(main(emu.url, emu.api_key))
    assert names == [b["name"] for b in emu.backups("docs-example")][:2]
