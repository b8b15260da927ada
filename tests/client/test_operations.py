"""Every operation of the core's table (``_native.OPERATIONS``) is served by the emulator, and
shows the same way everywhere: a method of both clients, a module-level function, the stub. A
new operation declared in the table is tested here without a line of this file changing, but
for a sample value if it takes an argument of a new name."""

from __future__ import annotations

import asyncio
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

import pinecone_backups as pb
from pinecone_backups import _native
from pinecone_backups.testing import Emulator

OPERATIONS: list[dict[str, Any]] = list(_native.OPERATIONS)


def _samples(emu: Emulator) -> dict[str, object]:
    """A value for each required argument name of the operations, from the sample data."""
    backup = next(b for b in emu.backups("docs-example") if b["status"] == "Ready")
    job = emu.add_restore_job(backup["backup_id"], "restored-for-test", status="Completed")
    return {
        "index_name": "docs-example",
        "backup_id": backup["backup_id"],
        "job_id": job["restore_job_id"],
        "name": "restored-by-the-table-test",
    }


def _call_arguments(operation: dict[str, Any], samples: dict[str, object]) -> list[object]:
    return [samples[name] for name, _key, _place, required in operation["params"] if required]


def _path_pattern(operation: dict[str, Any]) -> re.Pattern[str]:
    return re.compile(re.sub(r"\{[a-z_]+\}", "[^/]+", operation["path"]))


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: o["name"])
def test_the_emulator_serves_every_operation(operation: dict[str, Any]) -> None:
    with Emulator() as emu, pb.Client(api_key=emu.api_key, host=emu.url, max_retries=0) as client:
        arguments = _call_arguments(operation, _samples(emu))
        result = getattr(client, operation["name"])(*arguments)
        returns = operation["returns"]
        assert (result is None) if returns == "None" else type(result).__name__ == returns
        sent = [r for r in emu.requests if r.method == operation["method"]]
        assert sent and _path_pattern(operation).fullmatch(sent[-1].path), emu.requests
        if operation["iterator"]:
            iterator = getattr(client, operation["iterator"])(*arguments, max_items=3)
            assert type(iterator).__name__ == operation["iterator_classes"][0]
            assert list(iterator), "the walk hands out items"


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: o["name"])
def test_the_async_client_serves_every_operation(operation: dict[str, Any]) -> None:
    with Emulator() as emu:
        arguments = _call_arguments(operation, _samples(emu))

        async def call() -> object:
            async with pb.AsyncClient(api_key=emu.api_key, host=emu.url) as client:
                coroutine = getattr(client, operation["name"])(*arguments)
                assert inspect.isawaitable(coroutine)
                return await coroutine

        result = asyncio.run(call())
        returns = operation["returns"]
        assert (result is None) if returns == "None" else type(result).__name__ == returns


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: o["name"])
def test_every_operation_is_a_method_a_function_and_in_the_stub(
    operation: dict[str, Any],
) -> None:
    text = (Path(pb.__file__).parent / "_native.pyi").read_text()
    names = [operation["name"]] + ([operation["iterator"]] if operation["iterator"] else [])
    for name in names:
        for client in (pb.Client, pb.AsyncClient):
            assert callable(getattr(client, name)), (client, name)
        assert name in pb.__all__ and callable(getattr(pb, name)), name
        assert text.count(f"def {name}(") == 2, name  # Client and AsyncClient
    parameters = [p for p in inspect.signature(getattr(pb, operation["name"])).parameters]
    declared = [name for name, _key, _place, _required in operation["params"]]
    if operation["name"] != "create_backup":  # the package's adds `wait`
        assert parameters == declared
