"""How calls run: Ctrl-C, fork, threads, the GIL, a running event loop."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import pinecone_backups as pb
from pinecone_backups.testing import Emulator
from tests.helpers import API_KEY, SilentServer, run_in_fork


def test_ctrl_c_interrupts_a_hanging_request_and_cancels_it() -> None:
    server = SilentServer()
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import time, pinecone_backups as pb
                client = pb.Client(api_key={API_KEY!r}, host={server.url!r}, timeout=None)
                print("calling", flush=True)
                try:
                    client.list_index_backups("docs-example")
                except KeyboardInterrupt:
                    print("interrupted", time.time(), flush=True)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "calling"
        assert server.requests_seen.wait(10), "the request never arrived"
        time.sleep(0.3)
        sent_at = time.time()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=10)
    finally:
        child.kill()
        server.close()
    assert child.returncode == 0, err
    word, interrupted_at = out.split()
    assert word == "interrupted"
    latency = float(interrupted_at) - sent_at
    print(f"KeyboardInterrupt {latency * 1000:.0f} ms after SIGINT")
    assert latency < 1.0, f"KeyboardInterrupt took {latency:.3f} s"
    # The request was cancelled: the connection was closed, at the latest when the child exited.
    assert server.hung_up_at, "the connection was never closed"
    assert server.hung_up_at[0] - sent_at < 2.0


def test_works_after_fork(client: pb.Client, emulator: Emulator) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    assert len(client.list_index_backups("docs-example")) == 3  # runtime and pool in use

    def in_child() -> bool:
        same = client.list_index_backups("docs-example")
        fresh = pb.Client(api_key=API_KEY, host=emulator.url).list_index_backups("big-index")
        walked = list(client.iter_index_backups("big-index", page_size=10))
        return (len(same), len(fresh), len(walked)) == (3, 10, 25)

    assert run_in_fork(in_child) == 0
    assert len(client.list_index_backups("docs-example")) == 3, "the parent still works"


def test_eight_threads_share_one_client(client: pb.Client, emulator: Emulator) -> None:
    expected = [b["backup_id"] for b in emulator.backups("big-index")]
    results: dict[int, list[str]] = {}
    failures: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for _ in range(5):
                ids = [b.backup_id for b in client.iter_index_backups("big-index", page_size=7)]
                assert ids == expected
                assert len(client.list_index_backups("docs-example")) == 3
            results[n] = ids
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures, failures
    assert sorted(results) == list(range(8))


def test_the_gil_is_released_while_waiting(client: pb.Client, emulator: Emulator) -> None:
    emulator.delay_next(0.5)
    counter = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal counter
        while not stop.is_set():
            counter += 1

    spinner = threading.Thread(target=spin)
    spinner.start()
    try:
        client.list_index_backups("docs-example")
    finally:
        stop.set()
        spinner.join()
    # With the GIL held during the 0.5 s wait the spinner would barely run.
    assert counter > 10_000, counter


def test_sync_calls_work_inside_a_running_event_loop(client: pb.Client) -> None:
    # As in a Jupyter cell: a loop is running in this thread; nothing may call asyncio.run.
    async def cell() -> int:
        return len(client.list_index_backups("docs-example"))

    assert asyncio.run(cell()) == 3


def test_a_one_call_script_imports_none_of_the_toolkit(emulator: Emulator) -> None:
    # What a one-call script pays at start-up (the bench's cold start): the native module, the
    # clients, the errors and the module-level functions. Retention, inventory, coverage,
    # policies, displays and durations are imported where they are first used.
    script = (
        "import sys, pinecone_backups as pb\n"
        f"pb.Client(api_key={API_KEY!r}, host={emulator.url!r}).list_index_backups("
        "'docs-example', limit=1)\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('pinecone_backups'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    imported = set(done.stdout.split())
    lazy = {"_prune", "_durations", "_status", "_inventory", "_coverage", "_display", "_format"}
    lazy |= {"_policy", "_policy_schedules", "_wait", "_pandas"}
    assert not {f"pinecone_backups.{name}" for name in lazy} & imported, sorted(imported)
    # ... and each is there on first use, under its public name
    assert pb.plan_prune.__module__ == "pinecone_backups._prune"
    assert pb.PruneInterrupted.__module__ == "pinecone_backups._prune"
