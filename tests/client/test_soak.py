"""Soak: many calls from 8 threads sharing one client against an emulator that faults 1% of
requests at random. It must end with no error reaching the caller and with flat memory.

The test suite runs a short soak; the full one is::

    SOAK_CALLS=20000 python -m pytest tests/client/test_soak.py -s"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
import time
from collections import Counter

import pinecone_backups as pb

API_KEY = "pcsk_soak_0123456789abcdef"
CALLS = int(os.environ.get("SOAK_CALLS", "6000"))
THREADS = 8
FAULT_RATE = 0.01
MAX_RSS_GROWTH_KIB = 4 * 1024


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


SERVER = """
import sys
from pinecone_backups.testing import Emulator
emulator = Emulator(api_key=sys.argv[1]).start()
emulator.random_faults(float(sys.argv[2]), seed=20251129)
print(emulator.url, flush=True)
sys.stdin.read()  # until the test closes our stdin
print(dict(emulator.fault_counts), flush=True)
emulator.stop()
"""


def test_soak() -> None:
    # The emulator runs in its own process: its memory (records, threads) is not the client's.
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, API_KEY, str(FAULT_RATE)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdin is not None and server.stdout is not None
    try:
        url = server.stdout.readline().strip()
        client = pb.Client(
            api_key=API_KEY,
            host=url,
            retry=pb.Retry(backoff_base=0.005, backoff_cap=0.02),
        )
        errors: list[BaseException] = []
        outcomes: Counter[str] = Counter()
        lock = threading.Lock()

        def calls(count: int) -> None:
            for n in range(count):
                try:
                    if n % 50 == 0:
                        got = sum(1 for _ in client.iter_index_backups("big-index", page_size=10))
                        assert got == 25
                        kind = "walk"
                    else:
                        page = client.list_index_backups("big-index", limit=10)
                        assert len(page) == 10
                        kind = "page"
                except BaseException as exc:  # every error counts: reported below
                    with lock:
                        errors.append(exc)
                    continue
                with lock:
                    outcomes[kind] += 1

        # The same threads warm up, then soak: new threads would bring new allocator arenas.
        # The warm-up is as long as the soak, so that pools, caches and arenas reach their
        # steady size; what grows after that is a leak.
        between = threading.Barrier(THREADS + 1)

        def work() -> None:
            calls(CALLS // THREADS)
            between.wait()
            between.wait()
            calls(CALLS // THREADS)

        threads = [threading.Thread(target=work) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        between.wait()
        gc.collect()
        before = rss_kib()
        started = time.monotonic()
        between.wait()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        gc.collect()
        growth = rss_kib() - before
        client.close()
    finally:
        faults, _ = server.communicate(timeout=30)

    print(
        f"\nsoak: {CALLS} calls (after as many to warm up) from {THREADS} threads in "
        f"{elapsed:.1f} s, faults injected in both {faults.strip()}, outcomes "
        f"{dict(outcomes)}, RSS growth {growth} KiB"
    )
    assert errors == [], errors[:5]
    assert "{}" not in faults, "the soak injected no fault"
    assert growth < MAX_RSS_GROWTH_KIB, f"RSS grew by {growth} KiB"
