"""Measuring: the server, its capacity, and the interleaved rounds of every workload.

Every measurement is a fresh subprocess (a driver in the client's venv, or the Rust floor) that
prints one JSON object. A workload's entries run A B C ... in each round, the order rotated from
one round to the next, so that noise and drift fall on every entry alike.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from environments import Binaries, say

Stats = dict[str, float]

#: Environment variables the clients would read (a key, a host, extra headers): not passed on.
CLIENT_VARIABLES = re.compile(r"^(PINECONE_|PYTHONPATH$|PYTHONHOME$)")


def clean_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not CLIENT_VARIABLES.match(k)}


@dataclass(frozen=True)
class Cpus:
    """Where things run: the server on the last CPU, single-threaded clients on the first."""

    all: frozenset[int]
    server: int | None
    client: int | None

    @staticmethod
    def detect() -> Cpus:
        available = sorted(os.sched_getaffinity(0))
        if len(available) >= 2 and shutil.which("taskset"):
            return Cpus(frozenset(available), available[-1], available[0])
        return Cpus(frozenset(available), None, None)

    @contextlib.contextmanager
    def pinned(self, pin: bool) -> Iterator[None]:
        """Runs the block (and every child it starts) on the client CPU if ``pin``."""
        if not pin or self.client is None:
            yield
            return
        os.sched_setaffinity(0, {self.client})
        try:
            yield
        finally:
            os.sched_setaffinity(0, self.all)


class Server:
    """``bench-server`` in the background, pinned to the server CPU."""

    def __init__(
        self, binaries: Binaries, backups: int, cpus: Cpus, log: Path, delay_ms: int = 0
    ) -> None:
        command = [str(binaries.server), "--backups", str(backups), "--delay-ms", str(delay_ms)]
        if cpus.server is not None:
            command = ["taskset", "-c", str(cpus.server), *command]
        self.log = log.open("w")
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=self.log, text=True, env=clean_environment()
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith("http://"):
            self.stop()
            raise RuntimeError(f"bench-server did not start: {line!r} (log: {log})")
        self.url = line

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def load_average() -> float:
    """The 1-minute load average (other work on the machine shows here)."""
    try:
        with open("/proc/loadavg") as loadavg:
            return float(loadavg.read().split()[0])
    except (OSError, ValueError, IndexError):
        return -1.0


def backups_path(limit: int) -> str:
    return f"/indexes/bench-index/backups?limit={limit}"


def capacity_wrk(wrk: str, url: str, limit: int, seconds: int, connections: int) -> float:
    command = [
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "-H",
        "Api-Key: bench-key",
        "-H",
        "X-Pinecone-Api-Version: 2025-10",
        url + backups_path(limit),
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)
    if re.search(r"Non-2xx", out.stdout):
        raise RuntimeError(f"wrk got errors:\n{out.stdout}")
    found = re.search(r"Requests/sec:\s*([0-9.]+)", out.stdout)
    if not found:
        raise RuntimeError(f"no Requests/sec in wrk's output:\n{out.stdout}")
    return float(found.group(1))


def capacity_floor(floor: Path, url: str, limit: int, seconds: int, connections: int) -> float:
    command = [str(floor), url, "load", str(limit), str(seconds), str(connections)]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)
    return float(json.loads(out.stdout)["requests_per_second"])


def measure_capacity(
    binaries: Binaries, url: str, wrk: str | None, cpus: Cpus, seconds: int
) -> dict[str, object]:
    """Requests per second the server answers for ``limit=10`` and ``limit=100`` pages, with
    the load generator on the client CPU (the median of three runs)."""
    connections = 32
    wrk_failed = False  # once wrk fails, every later run uses bench-floor load
    result: dict[str, object] = {"connections": connections, "seconds": seconds}
    with cpus.pinned(True):
        for limit in (10, 100):
            runs: list[float] = []
            for _ in range(3):
                if wrk is not None and not wrk_failed:
                    try:
                        runs.append(capacity_wrk(wrk, url, limit, seconds, connections))
                        continue
                    except (subprocess.SubprocessError, RuntimeError) as failure:
                        say(f"wrk failed ({failure}): falling back to bench-floor load")
                        wrk_failed = True
                runs.append(capacity_floor(binaries.floor, url, limit, seconds, connections))
            result[f"limit_{limit}"] = statistics.median(runs)
            result[f"limit_{limit}_runs"] = runs
    if wrk is None:
        result["tool"] = "bench-floor load (wrk not available)"
    else:
        result["tool"] = "bench-floor load" if wrk_failed else "wrk"
    return result


@dataclass(frozen=True)
class Entry:
    """One row of a workload: a command run once per round, parsed into this round's stats."""

    key: str
    label: str
    client: str  # the client's key (e.g. "ours-sync"), "floor" or "bare"
    command: list[str]
    official: str | None = None  # the key of the entry it is compared with (official, latest)
    bare: str | None = None  # the key of its bare-interpreter entry (cold start, memory)
    pin: bool | None = None  # pinned to the client CPU or not (None: as the workload says)
    env: tuple[tuple[str, str], ...] = ()  # variables added to its (clean) environment
    prints_json: bool = True  # False: its stdout is not a driver's JSON (a command's output)


@dataclass
class Workload:
    key: str
    title: str
    metric: str  # the stat that ratios and the chart use
    entries: list[Entry]
    parse: Callable[[dict[str, object]], Stats]
    pinned: bool
    rounds: int
    timeout: float = 600.0
    warmup_round: bool = False  # one discarded round first (file caches, .pyc files)
    results: dict[str, list[Stats | None]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def run_once(
    command: list[str],
    timeout: float,
    env: tuple[tuple[str, str], ...] = (),
    prints_json: bool = True,
) -> tuple[dict[str, object], float]:
    """Runs a measurement (``env`` added to the clean environment); its JSON output (``{}`` when
    it does not print JSON) and the process's wall time in seconds."""
    started = time.perf_counter()
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**clean_environment(), **dict(env)},
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-6:])
        raise RuntimeError(f"exit code {done.returncode}: {tail}")
    lines = done.stdout.strip().splitlines()
    output = json.loads(lines[-1]) if lines and prints_json else {}
    return output, wall


def run_workload(workload: Workload, cpus: Cpus, server: Server) -> None:
    """Rounds of every entry, interleaved, the order rotated each round."""
    entries = workload.entries
    workload.results = {e.key: [] for e in entries}
    say(
        f"{workload.title}: {len(entries)} entries x {workload.rounds} rounds"
        + (f" (client on CPU {cpus.client})" if workload.pinned and cpus.client is not None else "")
    )
    started = time.perf_counter()
    rounds = range(-1 if workload.warmup_round else 0, workload.rounds)
    for round_ in rounds:
        shift = max(round_, 0) % len(entries)
        for entry in entries[shift:] + entries[:shift]:
            stats: Stats | None
            try:
                with cpus.pinned(workload.pinned if entry.pin is None else entry.pin):
                    output, wall = run_once(
                        entry.command, workload.timeout, entry.env, entry.prints_json
                    )
                output.setdefault("wall_seconds", wall)
                stats = workload.parse(output)
            except (RuntimeError, subprocess.SubprocessError, ValueError, KeyError) as error:
                stats = None
                if round_ >= 0:
                    workload.errors.append(f"{entry.label}, round {round_ + 1}: {error}")
                    say(f"  failed: {entry.label}: {error}")
            if round_ >= 0:
                workload.results[entry.key].append(stats)
            if not server.alive():
                raise RuntimeError("bench-server died")
    say(f"  done in {time.perf_counter() - started:.0f} s")


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` in 0..1) of ``values``."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def floats(output: dict[str, object], key: str) -> list[float]:
    values = output[key]
    if not isinstance(values, list) or not values:
        raise ValueError(f"no {key} in the output")
    return [float(v) for v in values]


def number(output: dict[str, object], key: str) -> float:
    value = output[key]
    if not isinstance(value, (int, float)):
        raise ValueError(f"{key} is not a number: {value!r}")
    return float(value)


def parse_latencies(output: dict[str, object]) -> Stats:
    latencies = floats(output, "latencies_us")
    return {
        "p50_us": statistics.median(latencies),
        "p99_us": percentile(latencies, 0.99),
        "mean_us": statistics.fmean(latencies),
        "min_us": min(latencies),
        "calls": float(len(latencies)),
    }


def parse_decode(output: dict[str, object]) -> Stats:
    """Latencies, and the size of the body decoded when the output gives it (``decode`` mode;
    a ``warm`` run's output does not)."""
    stats = parse_latencies(output)
    if "bytes" in output:
        stats["bytes"] = number(output, "bytes")
    return stats


def parse_walk(expected_items: int) -> Callable[[dict[str, object]], Stats]:
    def parse(output: dict[str, object]) -> Stats:
        seconds = floats(output, "seconds")
        items = int(number(output, "items"))
        if items != expected_items:
            raise ValueError(f"walked {items} backups, not {expected_items}")
        return {
            "median_ms": statistics.median(seconds) * 1000,
            "min_ms": min(seconds) * 1000,
            "walks": float(len(seconds)),
            "items": float(items),
        }

    return parse


def parse_wall(output: dict[str, object]) -> Stats:
    return {"wall_ms": number(output, "wall_seconds") * 1000}


def parse_memory(output: dict[str, object]) -> Stats:
    return {
        "rss_mib": number(output, "rss_after_first_call_kib") / 1024,
        "peak_mib": number(output, "peak_rss_kib") / 1024,
        "items": number(output, "items"),
    }


def parse_concurrent(calls: int) -> Callable[[dict[str, object]], Stats]:
    def parse(output: dict[str, object]) -> Stats:
        seconds = number(output, "seconds")
        return {"seconds": seconds, "calls_per_s": calls / seconds}

    return parse


def python_version(python: Path) -> str:
    done = subprocess.run(
        [str(python), "-c", "import sys; print(sys.version.split()[0])"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def driver_info(python: Path, driver: Path) -> dict[str, object]:
    output, _ = run_once([str(python), str(driver), "sync", "info"], 120)
    return output
