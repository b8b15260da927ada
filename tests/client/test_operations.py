"""Every operation of the core's table (``_native.OPERATIONS``) is served by the emulator under
every API version the operation declares, and shows the same way everywhere: a method of both
clients, a module-level function, the stub. A new operation declared in the table is tested here
without a line of this file changing, but for a sample value if it takes an argument of a new
name: each argument that has a sample is passed (the required ones by position), so that an
operation which needs one of its optional arguments (an update) gets one."""

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
CALLS = [(operation, version) for operation in OPERATIONS for version in operation["versions"]]
"""Each operation with each API version that has it."""
CALL_IDS = [f"{operation['name']}-{version}" for operation, version in CALLS]
WAIT_PARAMETERS = ("wait", "timeout", "poll_interval", "on_progress")
"""What a Python method may add to an operation's parameters, after them: a wait."""


def _samples(emu: Emulator) -> dict[str, object]:
    """A value for each argument name of the operations that needs one, from the sample data
    (the schedule is disabled, so that creating one is no conflict, and made the index's
    backups, so that its history has rows; they are kept ten years, so that none expires)."""
    backups = emu.backups("docs-example")
    backup = next(b for b in backups if b["status"] == "Ready")
    job = emu.add_restore_job(backup["backup_id"], "restored-for-test", status="Completed")
    made = [b["backup_id"] for b in backups]
    schedule = emu.add_backup_schedule(
        "docs-example", name="table", enabled=False, expire_after_days=3650, backups=made
    )
    return {
        "index_name": "docs-example",
        "backup_id": backup["backup_id"],
        "job_id": job["restore_job_id"],
        "schedule_id": schedule["schedule_id"],
        "name": "restored-by-the-table-test",
        "frequency": "daily",
        "expire_after_days": 7,
    }


def _call_arguments(
    operation: dict[str, Any], samples: dict[str, object]
) -> tuple[list[object], dict[str, object]]:
    """The required arguments of ``operation`` in order, and its optional ones that have a
    sample, by name."""
    params = operation["params"]
    required = [samples[name] for name, _key, _place, needed in params if needed]
    optional = {
        name: samples[name]
        for name, _key, _place, needed in params
        if not needed and name in samples
    }
    return required, optional


def _returned(result: object, returns: str) -> bool:
    """Whether ``result`` is what the table says the operation returns: ``None``, an object of
    the class it names, or a non-empty list of them (``list[Index]``)."""
    if returns == "None":
        return result is None
    listed = re.fullmatch(r"list\[(\w+)\]", returns)
    if listed is None:
        return type(result).__name__ == returns
    return (
        type(result) is list
        and bool(result)
        and all(type(item).__name__ == listed[1] for item in result)
    )


def _path_pattern(operation: dict[str, Any]) -> re.Pattern[str]:
    return re.compile(re.sub(r"\{[a-z_]+\}", "[^/]+", operation["path"]))


def test_every_version_is_covered() -> None:
    assert {version for _operation, version in CALLS} == set(pb.API_VERSIONS)


@pytest.mark.parametrize(("operation", "version"), CALLS, ids=CALL_IDS)
def test_the_emulator_serves_every_operation(operation: dict[str, Any], version: str) -> None:
    with (
        Emulator() as emu,
        pb.Client(api_key=emu.api_key, host=emu.url, max_retries=0, api_version=version) as client,
    ):
        arguments, options = _call_arguments(operation, _samples(emu))
        result = getattr(client, operation["name"])(*arguments, **options)
        assert _returned(result, operation["returns"]), (result, operation["returns"])
        sent = [r for r in emu.requests if r.method == operation["method"]]
        assert sent and _path_pattern(operation).fullmatch(sent[-1].path), emu.requests
        assert sent[-1].headers["X-Pinecone-Api-Version"] == version
        assert 200 <= emu.exchanges[-1].status < 300
        if operation["iterator"]:
            iterator = getattr(client, operation["iterator"])(*arguments, max_items=3)
            assert type(iterator).__name__ == operation["iterator_classes"][0]
            assert list(iterator), "the walk hands out items"


@pytest.mark.parametrize(("operation", "version"), CALLS, ids=CALL_IDS)
def test_the_async_client_serves_every_operation(operation: dict[str, Any], version: str) -> None:
    with Emulator() as emu:
        arguments, options = _call_arguments(operation, _samples(emu))

        async def call() -> object:
            async with pb.AsyncClient(
                api_key=emu.api_key, host=emu.url, api_version=version
            ) as client:
                coroutine = getattr(client, operation["name"])(*arguments, **options)
                assert inspect.isawaitable(coroutine)
                return await coroutine

        result = asyncio.run(call())
        assert _returned(result, operation["returns"]), (result, operation["returns"])
        assert emu.requests[-1].headers["X-Pinecone-Api-Version"] == version


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
    # The package's create_backup and create_index_from_backup add a wait and its options.
    assert parameters[: len(declared)] == declared
    assert set(parameters[len(declared) :]) <= set(WAIT_PARAMETERS), parameters
