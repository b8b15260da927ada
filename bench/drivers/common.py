"""The workloads of the Python drivers, the same for every client (standard library only).

A driver defines its client's sync and async adapters (classes built from the URL; the async
one is built inside the event loop) and calls :func:`main`::

    python DRIVER.py sync|async MODE URL ARGS...

Modes, each printing one JSON object on stdout:

    info                              {"version": ..., "api_version": ...}
    warm LIMIT CALLS                  {"latencies_us": [...]}: CALLS sequential calls, after
                                      WARMUP_CALLS calls; each call reads every backup's id
    walk PAGE_SIZE REPEATS            {"seconds": [...], "items": N}: full walks after one
                                      warm-up walk, every backup read and held in a list
    memory PAGE_SIZE                  {"rss_after_first_call_kib", "peak_rss_kib", "items"}
    concurrent CALLS IN_FLIGHT LIMIT  {"seconds": x}: CALLS calls, IN_FLIGHT threads (sync) or
                                      tasks (async) at a time, after one warm-up call
    decode VERSION CALLS              {"latencies_us": [...], "bytes": n} (sync; drivers whose
                                      adapter has ``decode``, this package's only): one page of
                                      DECODE_PAGE backups from bench-server (the 2025-10 body it
                                      serves), as API VERSION writes it (2025-10: that body;
                                      2026-07: the same backups turned into 2026-07's shape by
                                      :func:`page_2026_07`, checked against the page bench-server
                                      sends to a 2026-07 request), decoded CALLS times by the
                                      client's response decoder after WARMUP_CALLS decodes, each
                                      decode reading every backup's id; ``bytes``: the body's size

The network benchmark (``bench/run --network``) adds, the client's construction included where
it says so (``BENCH_CA_CERTS``, when set, names the PEM file of the CA each client is told to
trust, the way its users would tell it):

    sequence CALLS LIMIT              {"seconds": x}: construct, then CALLS sequential calls
    fanout CALLS INDEXES IN_FLIGHT LIMIT  {"seconds": x} (async): construct, then CALLS calls
                                      over INDEXES indexes (bench-index-0..), IN_FLIGHT at a time
    waitfor BACKUP_ID POLL_SECONDS    {"seconds": x, "polls": n}: construct, then wait until
                                      the backup is Ready, polling every POLL_SECONDS

Nothing but ``sys`` and ``time`` (and the client) is imported before the memory is read, so
that the numbers belong to the client: ``asyncio`` is imported for async runs only, ``json``
and ``threading`` after or outside the measurement.
"""

from __future__ import annotations

import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Protocol

    class SyncApi(Protocol):
        """One client, used from one or several threads."""

        def page(self, limit: int) -> int:
            """One ``limit``-sized page; reads each backup's id; returns the backup count."""

        def walk(self, page_size: int) -> list[object]:
            """Every backup of the index, each one read, in a list."""

        def close(self) -> None: ...

    class AsyncApi(Protocol):
        """One client, used by tasks of one event loop."""

        async def page(self, limit: int) -> int: ...

        async def walk(self, page_size: int) -> list[object]: ...

        async def close(self) -> None: ...


INDEX = "bench-index"
API_KEY = "bench-key"
WARMUP_CALLS = 20
DECODE_PAGE = 100
"""The backups in the page that the ``decode`` mode decodes."""
METADATA_TYPES = {"genre": "string", "year": "float"}
"""The type of each metadata field of bench-server's backups in a 2026-07 ``IndexSchema``."""
STATUSES_2026_07 = {
    "Pending": "Initializing",
    "Initializing": "Initializing",
    "Ready": "Ready",
    "Failed": "InitializationFailed",
    "InitializationFailed": "InitializationFailed",
}
"""A 2025-10 backup status as 2026-07 writes it."""


def ca_option(name: str) -> dict[str, str]:
    """``{name: $BENCH_CA_CERTS}`` when the network benchmark set it, else nothing."""
    import os  # already imported by the interpreter's start-up: costs nothing

    path = os.environ.get("BENCH_CA_CERTS")
    return {name: path} if path else {}


def status_kib(field: str) -> int:
    """``VmRSS`` or ``VmHWM`` of this process, in KiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def emit(result: dict[str, object]) -> None:
    import json

    sys.stdout.write(json.dumps(result) + "\n")


def backup_2026_07(backup: dict[str, object]) -> dict[str, object]:
    """A 2025-10 backup as API 2026-07 writes the same backup: no ``dimension`` or ``metric``;
    ``schema`` an ``IndexSchema`` whose ``embedding`` field is the dense vector (that dimension
    and metric) beside the metadata fields, each typed (:data:`METADATA_TYPES`); the status as
    2026-07 names it (:data:`STATUSES_2026_07`). Every other field as it is, in its place."""
    typed: dict[str, object] = {}
    for key, value in backup.items():
        if key in ("dimension", "metric"):
            continue
        if key == "status":
            value = STATUSES_2026_07[str(value)]
        elif key == "schema":
            assert isinstance(value, dict), value
            fields: dict[str, object] = {
                "embedding": {
                    "type": "dense_vector",
                    "dimension": backup["dimension"],
                    "metric": backup["metric"],
                }
            }
            for name, field in value["fields"].items():
                fields[name] = {"type": METADATA_TYPES[name], **field}
            value = {"fields": fields}
        typed[key] = value
    return typed


def page_2026_07(body: bytes) -> bytes:
    """A 2025-10 ``BackupList`` body as API 2026-07 writes the same page (compact JSON): each
    backup by :func:`backup_2026_07`; ``pagination`` the nullable inline object, ``{"next":
    ...}``, or ``null`` on the last page."""
    import json

    page = json.loads(body)
    pagination = page.get("pagination") or {}
    typed = {
        "data": [backup_2026_07(backup) for backup in page["data"]],
        "pagination": {"next": pagination["next"]} if pagination.get("next") else None,
    }
    return json.dumps(typed, separators=(",", ":")).encode()


def fetch(url: str, path: str, version: str) -> bytes:
    """The body of bench-server's answer to ``GET path`` (API ``version``), over a connection
    of its own (no proxy, whatever the environment says)."""
    import http.client
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        headers = {"Api-Key": API_KEY, "X-Pinecone-Api-Version": version}
        connection.request("GET", path, headers=headers)
        answer = connection.getresponse()
        body = answer.read()
    finally:
        connection.close()
    if answer.status != 200:
        raise SystemExit(f"GET {path} (API {version}): {answer.status} {body[:200]!r}")
    return body


def page_body(url: str, version: str) -> bytes:
    """The first page of DECODE_PAGE backups as API ``version`` writes it (``decode`` mode)."""
    import json

    path = f"/indexes/{INDEX}/backups?limit={DECODE_PAGE}"
    body = fetch(url, path, "2025-10")
    if version == "2025-10":
        return body
    if version == "2026-07":
        typed = page_2026_07(body)
        if json.loads(typed) != json.loads(fetch(url, path, "2026-07")):
            raise SystemExit("the 2026-07 page made here differs from the one bench-server sends")
        return typed
    raise SystemExit(f"decode: no page shape for API version {version!r}: 2025-10 or 2026-07")


def number(args: list[str], i: int) -> int:
    try:
        return int(args[i])
    except (IndexError, ValueError):
        raise SystemExit(f"argument {i} must be a number: {args}") from None


def run_sync(make: Callable[[str], SyncApi], mode: str, url: str, args: list[str]) -> None:
    clock = time.perf_counter_ns
    constructed = clock()
    api = make(url)
    if mode == "sequence":
        calls, limit = number(args, 0), number(args, 1)
        for _ in range(calls):
            assert api.page(limit) == limit
        emit({"seconds": (clock() - constructed) / 1e9})
    elif mode == "waitfor":
        polls = api.wait(args[0], float(args[1]))
        emit({"seconds": (clock() - constructed) / 1e9, "polls": polls})
    elif mode == "memory":
        api.page(10)
        after_first_call = status_kib("VmRSS")
        held = api.walk(number(args, 0))
        emit(
            {
                "rss_after_first_call_kib": after_first_call,
                "peak_rss_kib": status_kib("VmHWM"),
                "items": len(held),
            }
        )
    elif mode == "warm":
        limit, calls = number(args, 0), number(args, 1)
        for _ in range(WARMUP_CALLS):
            api.page(limit)
        latencies = []
        for _ in range(calls):
            started = clock()
            count = api.page(limit)
            latencies.append((clock() - started) / 1000)
            assert count == limit, count
        emit({"latencies_us": latencies})
    elif mode == "decode":
        decode = getattr(api, "decode", None)
        if decode is None:
            raise SystemExit("mode decode: this driver's client has no decoder to time")
        version, calls = args[0] if args else "", number(args, 1)
        body = page_body(url, version)
        for _ in range(WARMUP_CALLS):
            decode(body)
        latencies = []
        for _ in range(calls):
            started = clock()
            count = decode(body)
            latencies.append((clock() - started) / 1000)
            assert count == DECODE_PAGE, count
        emit({"latencies_us": latencies, "bytes": len(body)})
    elif mode == "walk":
        page_size, repeats = number(args, 0), number(args, 1)
        api.walk(page_size)
        seconds = []
        items = 0
        for _ in range(repeats):
            started = clock()
            items = len(api.walk(page_size))
            seconds.append((clock() - started) / 1e9)
        emit({"seconds": seconds, "items": items})
    elif mode == "concurrent":
        import itertools
        import threading

        calls, threads, limit = number(args, 0), number(args, 1), number(args, 2)
        api.page(limit)
        tickets = itertools.count()  # next() on it is atomic under the GIL

        def worker() -> None:
            while next(tickets) < calls:
                api.page(limit)

        workers = [threading.Thread(target=worker) for _ in range(threads)]
        started = clock()
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        emit({"seconds": (clock() - started) / 1e9})
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    api.close()


async def run_async(make: Callable[[str], AsyncApi], mode: str, url: str, args: list[str]) -> None:
    clock = time.perf_counter_ns
    constructed = clock()
    api = make(url)  # constructed inside the running event loop
    if mode == "sequence":
        calls, limit = number(args, 0), number(args, 1)
        for _ in range(calls):
            assert await api.page(limit) == limit
        emit({"seconds": (clock() - constructed) / 1e9})
    elif mode == "waitfor":
        polls = await api.wait(args[0], float(args[1]))
        emit({"seconds": (clock() - constructed) / 1e9, "polls": polls})
    elif mode == "fanout":
        import asyncio

        calls, indexes = number(args, 0), number(args, 1)
        in_flight, limit = number(args, 2), number(args, 3)
        names = [f"{INDEX}-{i}" for i in range(indexes)]
        tickets = iter(range(calls))

        async def fan_worker() -> None:
            for ticket in tickets:
                assert await api.page(limit, names[ticket % indexes]) == limit

        await asyncio.gather(*(fan_worker() for _ in range(in_flight)))
        emit({"seconds": (clock() - constructed) / 1e9})
    elif mode == "memory":
        await api.page(10)
        after_first_call = status_kib("VmRSS")
        held = await api.walk(number(args, 0))
        emit(
            {
                "rss_after_first_call_kib": after_first_call,
                "peak_rss_kib": status_kib("VmHWM"),
                "items": len(held),
            }
        )
    elif mode == "warm":
        limit, calls = number(args, 0), number(args, 1)
        for _ in range(WARMUP_CALLS):
            await api.page(limit)
        latencies = []
        for _ in range(calls):
            started = clock()
            count = await api.page(limit)
            latencies.append((clock() - started) / 1000)
            assert count == limit, count
        emit({"latencies_us": latencies})
    elif mode == "walk":
        page_size, repeats = number(args, 0), number(args, 1)
        await api.walk(page_size)
        seconds = []
        items = 0
        for _ in range(repeats):
            started = clock()
            items = len(await api.walk(page_size))
            seconds.append((clock() - started) / 1e9)
        emit({"seconds": seconds, "items": items})
    elif mode == "concurrent":
        import asyncio

        calls, in_flight, limit = number(args, 0), number(args, 1), number(args, 2)
        await api.page(limit)
        tickets = iter(range(calls))

        async def worker() -> None:
            for _ in tickets:
                await api.page(limit)

        started = clock()
        await asyncio.gather(*(worker() for _ in range(in_flight)))
        emit({"seconds": (clock() - started) / 1e9})
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    await api.close()


def main(
    make_sync: Callable[[str], SyncApi],
    make_async: Callable[[str], AsyncApi],
    info: Callable[[], dict[str, object]],
) -> None:
    """Runs the workload named by the command line (see the module's docstring)."""
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    flavour, mode, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    if mode == "info":
        emit(info())
        return
    if not rest:
        raise SystemExit("missing URL")
    url, args = rest[0], rest[1:]
    if flavour == "sync":
        run_sync(make_sync, mode, url, args)
    elif flavour == "async":
        import asyncio

        asyncio.run(run_async(make_async, mode, url, args))
    else:
        raise SystemExit(f"unknown flavour {flavour!r}: sync or async")
