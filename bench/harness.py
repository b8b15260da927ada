"""The benchmark of pinecone-backups against the official SDK and the Rust floor.

Run it as ``./bench/run`` (``--quick`` for a smoke run); ``bench/README.md`` says what each
workload measures. Standard library only: the clients run in their own virtualenvs, as fresh
subprocesses, and the chart is drawn by ``chart.py`` in the ``report`` venv.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import environments as env
import measure
import report
import summarize
from environments import BENCH, REPO, WORK, SetupError, Venv, say
from measure import Cpus, Entry, Server, Workload

DRIVERS = BENCH / "drivers"
ONE_CALL = "import pinecone_backups as pb; pb.list_index_backups('bench-index', limit=10)"
"""The library's one-call process (cold start), configured from the environment."""
CLI_LIST = ("list", "bench-index", "--limit", "10")
"""The command line's ``list`` (cold start), the same call as :data:`ONE_CALL`, with its table."""
DECODE_VERSIONS = (
    ("ours-decode-2025-10", "2025-10", "API 2025-10"),
    ("ours-decode-2025-10-again", "2025-10", "API 2025-10 again (A/A control)"),
    ("ours-decode-2026-07", "2026-07", "API 2026-07"),
)
"""Workload 7's decoding entries: key, the API version of the page, label."""
DECODE_PAGE = 100
"""The backups of workload 7's page (``DECODE_PAGE`` of ``drivers/common.py``)."""
DECODE_RATIOS = {
    "ours-decode-2025-10-again": "ours-decode-2025-10",
    "ours-decode-2026-07": "ours-decode-2025-10",
    "ours-call-2026-07": "ours-call-2025-10",
}
"""Workload 7's pair-by-pair ratios (of p50 and of min, the fastest call: the uncontended
cost): each entry over the 2025-10 entry of its kind."""


@dataclass(frozen=True)
class Settings:
    """How much of everything a run does."""

    quick: bool
    backups: int
    warm_calls: int
    warm_rounds: int
    walk_repeats: int
    walk_rounds: int
    cold_rounds: int
    memory_rounds: int
    concurrent_calls: int
    in_flight: int
    threads: int
    concurrency_rounds: int
    capacity_seconds: int
    latency_calls: int
    decode_calls: int
    decode_http_calls: int
    decode_rounds: int
    page_size: int = 100
    latency_ms: int = 2

    @staticmethod
    def full(rounds: int | None) -> Settings:
        r = rounds or 7
        return Settings(
            quick=False,
            backups=10_000,
            warm_calls=1000,
            warm_rounds=r,
            walk_repeats=5,
            walk_rounds=r,
            cold_rounds=40,
            memory_rounds=5,
            concurrent_calls=1000,
            in_flight=64,
            threads=8,
            concurrency_rounds=r,
            capacity_seconds=5,
            latency_calls=400,
            decode_calls=2000,
            decode_http_calls=1000,
            decode_rounds=r,
        )

    @staticmethod
    def quick_run(rounds: int | None) -> Settings:
        r = rounds or 1
        return Settings(
            quick=True,
            backups=1000,
            warm_calls=20,
            warm_rounds=r,
            walk_repeats=1,
            walk_rounds=r,
            cold_rounds=2,
            memory_rounds=r,
            concurrent_calls=40,
            in_flight=8,
            threads=8,
            concurrency_rounds=r,
            capacity_seconds=1,
            latency_calls=16,
            decode_calls=40,
            decode_http_calls=20,
            decode_rounds=rounds or 3,
        )


@dataclass(frozen=True)
class Client:
    """A Python client: which venv, which driver, sync or async."""

    key: str
    label: str
    venv: str
    driver: str
    cold: str
    flavour: str

    @property
    def official(self) -> str:
        """The key of the official SDK (latest) client of the same flavour."""
        return f"official-latest-{self.flavour}"


def clients(venvs: dict[str, Venv], versions: dict[str, str]) -> list[Client]:
    """The Python clients whose venv is there, in the report's order."""
    return [
        Client(
            f"{c.name}-{flavour}",
            f"{c.label.format(version=versions.get(c.name, '?'))} ({flavour})",
            c.name,
            c.driver,
            c.cold,
            flavour,
        )
        for c in env.CLIENT_VENVS
        if c.name in venvs
        for flavour in ("sync", "async")
    ]


def build_workloads(
    settings: Settings,
    all_clients: list[Client],
    venvs: dict[str, Venv],
    floor: Path,
    url: str,
    latency_url: str,
) -> list[tuple[Workload, summarize.Comparisons]]:
    """A placement check, then workloads 1-5, 5b and 7 (the sixth, package weight, needs no
    rounds). 5b runs against ``latency_url``, a server that waits before each answer."""
    s = settings

    def python(client: Client) -> str:
        return str(venvs[client.venv].python)

    def driver(client: Client, mode: str, *args: object, url: str = url) -> list[str]:
        return [python(client), str(DRIVERS / client.driver), client.flavour, mode, url] + [
            str(a) for a in args
        ]

    def thread_entries(client: Client, calls: int, url: str) -> list[Entry]:
        """A sync client's ``calls`` calls (limit=10) on ``s.threads`` threads, then on 1."""
        return [
            Entry(
                f"{client.key}-t{threads}",
                f"{client.label}, {threads} thread{'s' if threads > 1 else ''}",
                client.key,
                driver(client, "concurrent", calls, threads, 10, url=url),
                f"{client.official}-t{threads}",
            )
            for threads in (s.threads, 1)
        ]

    def floor_entry(
        label: str,
        *args: object,
        key: str = "floor",
        official: str | None = "official-latest-sync",
        pin: bool | None = None,
    ) -> Entry:
        return Entry(
            key, label, "floor", [str(floor), url] + [str(a) for a in args], official, pin=pin
        )

    ours_python = str(venvs["ours"].python)
    workloads: list[tuple[Workload, summarize.Comparisons]] = []
    floor_warm = ("warm", 10, s.warm_calls)
    workloads.append(
        (
            Workload(
                "placement",
                "Placement check: the Rust floor's warm call (limit=10), pinned or not",
                "p50_us",
                [
                    floor_entry(
                        "Rust floor, client on the client CPU (as in workloads 1-4)",
                        *floor_warm,
                        official=None,
                        pin=True,
                    ),
                    floor_entry(
                        "Rust floor, client not pinned",
                        *floor_warm,
                        key="floor-unpinned",
                        official=None,
                        pin=False,
                    ),
                ],
                measure.parse_latencies,
                pinned=True,
                rounds=s.warm_rounds,
            ),
            summarize.Comparisons(("p50_us", "p99_us"), floor="floor"),
        )
    )
    for limit in (10, 100):
        entries = [
            Entry(c.key, c.label, c.key, driver(c, "warm", limit, s.warm_calls), c.official)
            for c in all_clients
        ]
        entries.append(floor_entry("Rust floor", "warm", limit, s.warm_calls))
        workloads.append(
            (
                Workload(
                    f"warm_{limit}",
                    f"1. Warm call, limit={limit}",
                    "p50_us",
                    entries,
                    measure.parse_latencies,
                    pinned=True,
                    rounds=s.warm_rounds,
                ),
                summarize.Comparisons(("p50_us", "p99_us"), floor="floor"),
            )
        )
    entries = [
        Entry(c.key, c.label, c.key, driver(c, "walk", s.page_size, s.walk_repeats), c.official)
        for c in all_clients
    ]
    entries.append(floor_entry("Rust floor", "walk", s.page_size, s.walk_repeats))
    workloads.append(
        (
            Workload(
                "walk",
                f"2. Full walk of {s.backups:,} backups, page size {s.page_size}",
                "median_ms",
                entries,
                measure.parse_walk(s.backups),
                pinned=True,
                rounds=s.walk_rounds,
            ),
            summarize.Comparisons(("median_ms",), floor="floor"),
        )
    )

    def bare_of(client: Client) -> str:
        return "bare-asyncio" if client.flavour == "async" else "bare"

    entries = [
        Entry(
            c.key,
            c.label,
            c.key,
            [python(c), str(DRIVERS / c.cold), c.flavour, url],
            c.official,
            bare=bare_of(c),
        )
        for c in all_clients
    ]
    # The command line beside the library: `pinecone-backups list` (the console script) and the
    # one-call process it is judged against, both configured from the environment.
    from_environment = (("PINECONE_API_KEY", "bench-key"), ("PINECONE_CONTROLLER_HOST", url))
    script = venvs["ours"].python.parent / "pinecone-backups"
    cli = [str(script)] if script.exists() else [ours_python, "-m", "pinecone_backups"]
    shown = "pinecone-backups" if script.exists() else "python -m pinecone_backups"
    entries += [
        Entry(
            "ours-library",
            "pinecone-backups, library one-call process (`pb.list_index_backups`)",
            "ours-sync",
            [ours_python, "-c", ONE_CALL],
            bare="bare",
            env=from_environment,
        ),
        Entry(
            "ours-cli",
            f"pinecone-backups, CLI `{shown} {' '.join(CLI_LIST)}`",
            "ours-sync",
            [*cli, *CLI_LIST],
            bare="bare",
            env=from_environment,
            prints_json=False,
        ),
        Entry("bare", "bare `python -c pass`", "bare", [ours_python, "-c", "pass"], bare="bare"),
        Entry(
            "bare-asyncio",
            "bare + asyncio (`asyncio.run()` of nothing)",
            "bare",
            [ours_python, "-c", "import asyncio; asyncio.run(asyncio.sleep(0))"],
            bare="bare",
        ),
        replace(floor_entry("Rust floor (`once`)", "once", 10), bare="bare"),
    ]
    workloads.append(
        (
            Workload(
                "cold",
                "3. Cold start: import, construct, one call (whole process)",
                "wall_ms",
                entries,
                measure.parse_wall,
                pinned=True,
                rounds=s.cold_rounds,
                warmup_round=True,
            ),
            summarize.Comparisons(("wall_ms",), floor="floor"),
        )
    )
    entries = [
        Entry(c.key, c.label, c.key, driver(c, "memory", s.page_size), c.official, bare=bare_of(c))
        for c in all_clients
    ]
    bare_memory = [ours_python, str(DRIVERS / "bare.py")]
    entries += [
        Entry("bare", "bare interpreter", "bare", bare_memory, bare="bare"),
        Entry(
            "bare-asyncio",
            "bare + asyncio (`asyncio.run()` of nothing)",
            "bare",
            [*bare_memory, "asyncio"],
            bare="bare",
        ),
        replace(floor_entry("Rust floor", "memory", s.page_size), bare="bare"),
    ]
    workloads.append(
        (
            Workload(
                "memory",
                f"4. Memory: RSS after the first call, peak holding all {s.backups:,} backups",
                "rss_mib",
                entries,
                measure.parse_memory,
                pinned=True,
                rounds=s.memory_rounds,
            ),
            summarize.Comparisons(("rss_mib", "peak_mib"), floor="floor"),
        )
    )
    entries = []
    for c in all_clients:
        if c.flavour == "async":
            args = (s.concurrent_calls, s.in_flight, 10)
            entries.append(
                Entry(
                    c.key,
                    f"{c.label}, {s.in_flight} in flight",
                    c.key,
                    driver(c, "concurrent", *args),
                    c.official,
                )
            )
        else:
            entries += thread_entries(c, s.concurrent_calls, url)
    entries.append(
        floor_entry(
            f"Rust floor, {s.in_flight} in flight",
            "concurrent",
            s.concurrent_calls,
            s.in_flight,
            10,
            official="official-latest-async",
        )
    )
    workloads.append(
        (
            Workload(
                "concurrency",
                f"5. Concurrency: {s.concurrent_calls:,} calls (limit=10)",
                "seconds",
                entries,
                measure.parse_concurrent(s.concurrent_calls),
                pinned=False,
                rounds=s.concurrency_rounds,
            ),
            summarize.Comparisons(("seconds", "calls_per_s"), floor="floor"),
        )
    )
    entries = [
        e
        for c in all_clients
        if c.flavour == "sync"
        for e in thread_entries(c, s.latency_calls, latency_url)
    ]
    workloads.append(
        (
            Workload(
                "latency",
                f"5b. Sync threads when calls wait on the network: {s.latency_calls:,} calls "
                f"(limit=10), {s.latency_ms} ms of server latency",
                "seconds",
                entries,
                measure.parse_concurrent(s.latency_calls),
                pinned=False,
                rounds=s.concurrency_rounds,
            ),
            summarize.Comparisons(("seconds", "calls_per_s")),
        )
    )
    # 7: this package's response decoder on one page of 100 backups as each API version writes
    # it (2025-10 twice: the A/A control shows the noise band), and beside it the whole call
    # (limit=100) under each version, bench-server answering each in its version's shape.
    ours_sync = next(c for c in all_clients if c.key == "ours-sync")
    entries = [
        Entry(
            key,
            f"pinecone-backups, decoding (`BackupList.from_json`), {label}",
            ours_sync.key,
            driver(ours_sync, "decode", version, s.decode_calls),
        )
        for key, version, label in DECODE_VERSIONS
    ]
    entries += [
        Entry(
            f"ours-call-{version}",
            f"pinecone-backups (sync), whole call (`limit={DECODE_PAGE}`), API {version}",
            ours_sync.key,
            driver(ours_sync, "warm", DECODE_PAGE, s.decode_http_calls),
            env=(("PINECONE_API_VERSION", version),),
        )
        for version in ("2025-10", "2026-07")
    ]
    workloads.append(
        (
            Workload(
                "decode",
                f"7. Decoding a page of {DECODE_PAGE} backups per API version",
                "p50_us",
                entries,
                measure.parse_decode,
                pinned=True,
                rounds=s.decode_rounds,
            ),
            summarize.Comparisons(("p50_us", "p99_us")),
        )
    )
    return workloads


def machine(cpus: Cpus) -> dict[str, object]:
    model = "unknown"
    virtual = False
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and model == "unknown":
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags") and " hypervisor" in line:
                virtual = True
    except OSError:
        pass
    memory_kib = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    except OSError:
        pass
    return {
        "cpu_model": model,
        "cores": os.cpu_count(),
        "cpus_available": sorted(cpus.all),
        "server_cpu": cpus.server,
        "client_cpu": cpus.client,
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "virtual_machine": virtual,
        "kernel": platform.release(),
        "shared": True,
    }


def git_revision() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return done.stdout.strip()

    revision = git("rev-parse", "--short", "HEAD") or "unknown"
    return revision + (" (with local changes)" if git("status", "--porcelain") else "")


def packages(
    settings: Settings, venvs: dict[str, Venv], versions: dict[str, str]
) -> dict[str, dict[str, object]]:
    """Workload 6: each package's wheel and what ``pip install`` adds to a fresh venv."""
    out: dict[str, dict[str, object]] = {}
    for client in env.CLIENT_VENVS:
        name, package, own = client.name, client.package, client.own
        venv = venvs.get(name)
        if venv is None:
            continue
        if name == "ours" and settings.quick:
            declared = env.declared_dependencies()
            out[name] = {
                "package": package,
                "version": versions.get(name),
                "wheel_bytes": None,
                "dependencies": len(declared),
                "dependency_names": declared,
                "method": "quick mode: the installed package's declared Requires-Dist "
                "(no wheel built)",
            }
            continue
        added = [p for p in venv.added if p.split("==")[0] not in own]
        out[name] = {
            "package": package,
            "version": versions.get(name),
            "wheel": venv.stamp.get("wheel"),
            "wheel_bytes": venv.wheel_bytes,
            "dependencies": len(added),
            "dependency_names": added,
            "method": "packages pip install added to a fresh venv, the package itself excluded",
        }
    return out


def chart_data(
    settings: Settings,
    summaries: dict[str, dict[str, summarize.Summary]],
    all_clients: list[Client],
) -> dict[str, object]:
    """Ratio to the floor per workload (groups) and client (series): cost, lower is better."""
    groups = [
        ("warm_10", "p50_us", "warm call\nlimit=10 (p50)"),
        ("warm_100", "p50_us", "warm call\nlimit=100 (p50)"),
        ("walk", "median_ms", "full walk"),
        ("cold", "wall_ms", "cold start"),
        ("memory", "rss_mib", "RSS after\nfirst call"),
        ("memory", "peak_mib", "peak RSS\nholding walk"),
        (
            "concurrency",
            "seconds",
            f"{settings.concurrent_calls:,} calls\n"
            f"({settings.in_flight} tasks / {settings.threads} threads)",
        ),
    ]
    series = []
    for client in all_clients:
        values: list[float | None] = []
        threaded = f"{client.key}-t{settings.threads}"  # a sync client's entries in workload 5
        for workload, stat, _ in groups:
            entries = summaries.get(workload, {})
            summary = entries.get(client.key) or entries.get(threaded) or {}
            values.append(summary.get(f"{stat}_x_floor"))
        series.append({"key": client.key, "label": client.label, "values": values})
    return {"groups": [label for _, _, label in groups], "series": series}


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke run with tiny counts")
    parser.add_argument(
        "--output", type=Path, default=BENCH, help="where the report, chart and JSON go"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        help="rounds of the placement check and workloads 1, 2, 5, 5b and 7, and of 4 in quick "
        "mode (default: 7; quick: 1, and 3 for 7); cold start runs 40 (quick: 2), memory 5 in a "
        "full run",
    )
    parser.add_argument(
        "--network",
        action="store_true",
        help="the network benchmark instead (TLS, 20 ms and 2 ms round trips; root for the "
        "network namespaces): writes network.json, network.png and its section of BENCHMARKS.md",
    )
    parser.add_argument(
        "--wheel", help="--network: install this wheel of the package instead of building one"
    )
    options = parser.parse_args()
    if options.network:
        import network

        return network.main(options)
    settings = (
        Settings.quick_run(options.rounds) if options.quick else Settings.full(options.rounds)
    )
    output: Path = options.output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)

    try:
        binaries = env.build_binaries(release=not settings.quick)
        venvs = env.setup_quick() if settings.quick else env.setup_all()
        wrk = env.ensure_wrk(may_install=not settings.quick)
    except SetupError as failure:
        say(f"setup failed: {failure}")
        return 2
    report_python = Path(sys.executable) if settings.quick else venvs["report"].python
    check = subprocess.run([str(report_python), "-c", "import matplotlib"], capture_output=True)
    if check.returncode != 0:
        say(f"matplotlib cannot be imported by {report_python}: the chart cannot be drawn")
        return 2

    versions: dict[str, str] = {}
    api_versions: dict[str, str] = {}
    for client in env.CLIENT_VENVS:
        if client.name in venvs:
            try:
                info = measure.driver_info(venvs[client.name].python, DRIVERS / client.driver)
            except (RuntimeError, subprocess.SubprocessError, ValueError) as failure:
                say(f"setup failed: the {client.name} driver's info: {failure}")
                return 2
            versions[client.name] = str(info.get("version"))
            api_versions[client.name] = str(info.get("api_version"))
    pinned_api = api_versions.get("official-2025-10", env.API_VERSION)
    if pinned_api != env.API_VERSION:
        say(
            f"setup failed: official-2025-10 speaks API version {pinned_api}, not {env.API_VERSION}"
        )
        return 2
    all_clients = clients(venvs, versions)

    cpus = Cpus.detect()
    server = Server(binaries, settings.backups, cpus, WORK / "bench-server.log")
    say(f"bench-server at {server.url} ({settings.backups:,} backups, CPU {cpus.server})")
    slow = Server(
        binaries,
        settings.backups,
        cpus,
        WORK / "bench-server-latency.log",
        delay_ms=settings.latency_ms,
    )
    say(f"bench-server with {settings.latency_ms} ms of latency at {slow.url}")
    try:
        capacity = measure.measure_capacity(
            binaries, server.url, wrk, cpus, settings.capacity_seconds
        )
        say(
            f"server capacity ({capacity['tool']}): limit=10: {capacity['limit_10']:,.0f} req/s, "
            f"limit=100: {capacity['limit_100']:,.0f} req/s"
        )
        workloads = build_workloads(
            settings, all_clients, venvs, binaries.floor, server.url, slow.url
        )
        loads = [measure.load_average()]
        for workload, _ in workloads:
            measure.run_workload(workload, cpus, slow if workload.key == "latency" else server)
            loads.append(measure.load_average())
    finally:
        server.stop()
        slow.stop()

    summaries = {w.key: summarize.summarize(w, c) for w, c in workloads}
    shares = {
        w.key: summarize.load_shares(w.key, summaries[w.key], capacity, settings.page_size)
        for w, _ in workloads
    }
    by_key = {w.key: w for w, _ in workloads}

    def threads_over_one(workload: str) -> float | None:
        results = by_key[workload].results
        return summarize.paired(
            results.get(f"ours-sync-t{settings.threads}", []),
            results.get("ours-sync-t1", []),
            "calls_per_s",
            summarize.ratio,
        )

    threads_scaling = threads_over_one("latency")
    cli_over_library = summarize.paired(
        by_key["cold"].results.get("ours-cli", []),
        by_key["cold"].results.get("ours-library", []),
        "wall_ms",
        summarize.ratio,
    )
    threads_scaling_local = threads_over_one("concurrency")
    decode_results = by_key["decode"].results
    decode_over_2025_10 = {
        key: {
            stat: summarize.paired(
                decode_results.get(key, []),
                decode_results.get(reference, []),
                stat,
                summarize.ratio,
            )
            for stat in ("p50_us", "min_us")
        }
        for key, reference in DECODE_RATIOS.items()
    }
    weights = packages(settings, venvs, versions)
    ours_weight = weights.get("ours", {})
    wheel_bytes = ours_weight.get("wheel_bytes")
    dependencies = ours_weight.get("dependencies")
    goals = summarize.targets(
        summaries,
        settings.in_flight,
        settings.threads,
        threads_scaling,
        cli_over_library,
        decode_over_2025_10["ours-decode-2026-07"]["p50_us"],
        decode_over_2025_10["ours-decode-2025-10-again"]["p50_us"],
        wheel_bytes if isinstance(wheel_bytes, int) else None,
        dependencies if isinstance(dependencies, int) else None,
    )
    tool_versions = {
        "python": measure.python_version(venvs["ours"].python),
        "rustc": env.tool_version(["rustc", "--version"]),
        "wrk": env.tool_version(["wrk", "-v"]).split(" Copyright")[0] if wrk else "not available",
        "floor_profile": binaries.profile,
        "matplotlib": env.tool_version(
            [str(report_python), "-c", "import matplotlib; print(matplotlib.__version__)"]
        ),
    }
    results: dict[str, object] = {
        "meta": {
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "mode": "quick" if settings.quick else "full",
            "command": "./bench/run" + (" --quick" if settings.quick else ""),
            "git": git_revision(),
            "machine": machine(cpus),
            "settings": settings.__dict__,
            "versions": versions,
            "api_versions": api_versions,
            "tools": tool_versions,
            "official_2025_10": env.OFFICIAL_2025_10,
            "duration_seconds": round(time.perf_counter() - started, 1),
            "load_averages": loads,
        },
        "capacity": capacity,
        "clients": [c.__dict__ for c in all_clients],
        "workloads": {
            w.key: {
                "title": w.title,
                "metric": w.metric,
                "pinned": w.pinned,
                "rounds": w.rounds,
                "entries": [
                    {
                        "key": e.key,
                        "label": e.label,
                        "client": e.client,
                        "command": e.command,
                        **({"env": dict(e.env)} if e.env else {}),
                    }
                    for e in w.entries
                ],
                "results": w.results,
                "summary": summaries[w.key],
                "load_share": shares[w.key],
                "errors": w.errors,
            }
            for w, _ in workloads
        },
        "threads_scaling": threads_scaling,
        "threads_scaling_local": threads_scaling_local,
        "cli_over_library": cli_over_library,
        "decode_over_2025_10": decode_over_2025_10,
        "packages": weights,
        "targets": [
            {"name": t.name, "goal": t.goal, "measured": t.measured, "status": t.status()}
            for t in goals
        ],
        "chart": chart_data(settings, summaries, all_clients),
    }
    json_path = output / "benchmarks.json"
    json_path.write_text(json.dumps(results, indent=1) + "\n")
    chart_path = output / "benchmarks.png"
    drawn = subprocess.run(
        [str(report_python), str(BENCH / "chart.py"), str(json_path), str(chart_path)],
        capture_output=True,
        text=True,
    )
    if drawn.returncode != 0:
        say(f"the chart failed:\n{drawn.stderr}")
        return 2
    markdown = report.render(results, [w for w, _ in workloads], summaries, goals, chart_path.name)
    previous = output / "BENCHMARKS.md"
    old = previous.read_text() if previous.exists() else ""
    if "<!-- network:begin -->" in old and "<!-- network:end -->" in old:  # keep --network's part
        start, end = old.index("<!-- network:begin -->"), old.index("<!-- network:end -->")
        markdown = markdown.rstrip("\n") + "\n\n" + old[start:end] + "<!-- network:end -->\n"
    previous.write_text(markdown)
    errors = sum(len(w.errors) for w, _ in workloads)
    say(
        f"wrote {output / 'BENCHMARKS.md'}, {chart_path.name} and {json_path.name} "
        f"in {time.perf_counter() - started:.0f} s" + (f" ({errors} failed runs)" if errors else "")
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
