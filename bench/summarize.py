"""From rounds to results: medians, pair-by-pair ratios, the targets, and the chart's data.

A ratio is computed per round (the entry's value over its reference's value in the same round)
and then the median of those per-round ratios is taken; the same for differences (cold start and
memory over a bare interpreter). Nothing is compared across rounds.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass

from measure import Stats, Workload

Summary = dict[str, float | None]


def per_call(summary: Summary) -> float | None:
    """Requests per second of sequential calls (from the p50 latency)."""
    p50 = summary.get("p50_us")
    return 1e6 / p50 if p50 else None


def per_walk(page_size: int) -> Callable[[Summary], float | None]:
    """Requests per second of a walk: one request per page of ``page_size``."""

    def rate(summary: Summary) -> float | None:
        milliseconds, items = summary.get("median_ms"), summary.get("items")
        if not milliseconds or not items:
            return None
        return math.ceil(items / page_size) / (milliseconds / 1000)

    return rate


def per_batch(summary: Summary) -> float | None:
    return summary.get("calls_per_s")


def request_rates(page_size: int) -> dict[str, tuple[str, Callable[[Summary], float | None]]]:
    """Which capacity each workload's requests draw on, and the request rate of an entry."""
    return {
        "warm_10": ("limit_10", per_call),
        "warm_100": ("limit_100", per_call),
        "walk": ("limit_100", per_walk(page_size)),
        "concurrency": ("limit_10", per_batch),
    }


def paired(
    mine: list[Stats | None],
    reference: list[Stats | None],
    stat: str,
    combine: Callable[[float, float], float],
) -> float | None:
    """The median over rounds of ``combine(mine, reference)``, rounds where both ran."""
    values = [
        combine(a[stat], b[stat])
        for a, b in zip(mine, reference, strict=False)
        if a is not None and b is not None and stat in a and stat in b and b[stat] != 0
    ]
    return statistics.median(values) if values else None


def ratio(a: float, b: float) -> float:
    return a / b


def difference(a: float, b: float) -> float:
    return a - b


@dataclass(frozen=True)
class Comparisons:
    """What a workload's entries are compared with."""

    stats: tuple[str, ...]  # the stats that get ratios (the first one is the chart's)
    floor: str | None = None  # the key of the floor's entry


def summarize(workload: Workload, comparisons: Comparisons) -> dict[str, Summary]:
    """Per entry: the median of each stat, and ratios to the official SDK (latest) and to the
    floor (``STAT_x_official``, ``STAT_x_floor``), an async entry's ratio to the same client's
    sync entry (``STAT_x_sync``), and differences to the entry's bare interpreter
    (``STAT_over_bare``) where it has one."""
    results = workload.results
    floor = results.get(comparisons.floor or "")
    summaries: dict[str, Summary] = {}
    for entry in workload.entries:
        rounds = results.get(entry.key, [])
        done = [r for r in rounds if r is not None]
        summary: Summary = {"rounds": float(len(done))}
        for stat in sorted({k for r in done for k in r}):
            summary[stat] = statistics.median(r[stat] for r in done if stat in r)
        official = results.get(entry.official or "")
        bare = results.get(entry.bare) if entry.bare else None
        sync = (
            results.get(entry.key.removesuffix("-async") + "-sync")
            if entry.key.endswith("-async")
            else None
        )
        for stat in comparisons.stats:
            summary[f"{stat}_x_official"] = (
                paired(rounds, official, stat, ratio) if official else None
            )
            summary[f"{stat}_x_floor"] = paired(rounds, floor, stat, ratio) if floor else None
            if bare is not None:
                summary[f"{stat}_over_bare"] = paired(rounds, bare, stat, difference)
            if sync is not None:
                summary[f"{stat}_x_sync"] = paired(rounds, sync, stat, ratio)
        summaries[entry.key] = summary
    return summaries


def load_shares(
    workload_key: str, summaries: dict[str, Summary], capacity: dict[str, object], page_size: int
) -> dict[str, float]:
    """Each entry's request rate as a share of the server's capacity (when it applies);
    ``page_size``: the walk's."""
    rates = request_rates(page_size)
    if workload_key not in rates:
        return {}
    capacity_key, rate_of = rates[workload_key]
    limit = capacity.get(capacity_key)
    if not isinstance(limit, (int, float)) or limit <= 0:
        return {}
    shares = {}
    for key, summary in summaries.items():
        rate = rate_of(summary)
        if rate is not None:
            shares[key] = rate / limit
    return shares


@dataclass(frozen=True)
class Target:
    name: str
    goal: str
    measured: str
    met: bool | None  # None: not measured in this run

    def status(self) -> str:
        return "not measured" if self.met is None else "met" if self.met else "not met"


def get(
    summaries: dict[str, dict[str, Summary]], workload: str, entry: str, stat: str
) -> float | None:
    return summaries.get(workload, {}).get(entry, {}).get(stat)


def fmt(value: float | None, spec: str, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:{spec}}{unit}"


def at_most(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def targets(
    summaries: dict[str, dict[str, Summary]],
    in_flight: int,
    threads: int,
    threads_scaling: float | None,
    cli_over_library: float | None,
    decode_2026_07: float | None,
    decode_control: float | None,
    wheel_bytes: int | None,
    dependencies: int | None,
) -> list[Target]:
    """The issue's targets, each with the pair-by-pair ratio it is judged on; ``in_flight``
    and ``threads``: the async tasks of workload 5 and the sync threads of 5b;
    ``cli_over_library``: the command line's ``list`` process over the library's one-call
    process (cold start, wall time); ``decode_2026_07`` and ``decode_control``: workload 7's
    2026-07 page decode and its second 2025-10 one (the A/A control), each over the first
    2025-10 one (p50)."""
    s = summaries
    warm100 = get(s, "warm_100", "ours-sync", "p50_us_x_floor")
    warm10 = get(s, "warm_10", "ours-sync", "p50_us_x_floor")
    walk = get(s, "walk", "ours-sync", "median_ms_x_floor")
    cold = get(s, "cold", "ours-sync", "wall_ms_over_bare")
    rss = get(s, "memory", "ours-sync", "rss_mib_over_bare")
    peak = get(s, "memory", "ours-sync", "peak_mib_x_official")
    asyncio = get(s, "concurrency", "ours-async", "calls_per_s_x_official")
    async_call = get(s, "warm_10", "ours-async", "p50_us_x_sync")
    async_walk = get(s, "walk", "ours-async", "median_ms_x_floor")
    return [
        Target(
            "Warm call, limit=100 (sync, p50)",
            "at most 1.3x the floor",
            fmt(warm100, ".2f", "x the floor"),
            at_most(warm100, 1.3),
        ),
        Target(
            "Warm call, limit=10 (sync, p50)",
            "at most 1.5x the floor",
            fmt(warm10, ".2f", "x the floor"),
            at_most(warm10, 1.5),
        ),
        Target(
            "Full walk of the index, page size 100 (sync)",
            "at most 1.3x the floor",
            fmt(walk, ".2f", "x the floor"),
            at_most(walk, 1.3),
        ),
        Target(
            "Cold start: import, construct, one call (sync)",
            "at most `python -c pass` + 6 ms",
            fmt(cold, "+.1f", " ms over `python -c pass`"),
            at_most(cold, 6.0),
        ),
        Target(
            "Cold start of the command line: `pinecone-backups list INDEX`",
            "CLI list process at most 2x the library one-call process",
            fmt(cli_over_library, ".2f", "x the library one-call process"),
            at_most(cli_over_library, 2.0),
        ),
        Target(
            "RSS after the first call (sync)",
            "at most a bare interpreter + 6 MiB",
            fmt(rss, "+.1f", " MiB over a bare interpreter"),
            at_most(rss, 6.0),
        ),
        Target(
            "Peak RSS holding the whole walk (sync)",
            "at most 0.6x the official SDK's (latest)",
            fmt(peak, ".2f", "x the official SDK's"),
            at_most(peak, 0.6),
        ),
        Target(
            "Async warm call, limit=10 (p50)",
            "at most 1.3x the sync call",
            fmt(async_call, ".2f", "x the sync call"),
            at_most(async_call, 1.3),
        ),
        Target(
            "Full walk of the index, page size 100 (async)",
            "at most 1.3x the floor",
            fmt(async_walk, ".2f", "x the floor"),
            at_most(async_walk, 1.3),
        ),
        Target(
            f"Async throughput, {in_flight} in flight",
            "at least 2x the official SDK's (latest, async)",
            fmt(asyncio, ".2f", "x the official SDK's"),
            None if asyncio is None else asyncio >= 2.0,
        ),
        Target(
            "Sync threads scale (the GIL is released while waiting)",
            f"{threads} threads at least 4x the calls/s of 1 when calls wait on the network (5b)",
            fmt(threads_scaling, ".2f", "x the calls/s of 1 thread"),
            None if threads_scaling is None else threads_scaling >= 4.0,
        ),
        Target(
            "Decoding a page of 100 backups, API 2026-07 (`BackupList.from_json`, p50)",
            "2026-07 page decode at most 1.05x the 2025-10 one (pair by pair; the A/A "
            "control's ratio shown beside it)",
            fmt(decode_2026_07, ".2f", "x the 2025-10 decode")
            + f" (A/A control: {fmt(decode_control, '.2f', 'x')})",
            at_most(decode_2026_07, 1.05),
        ),
        Target(
            "Wheel size",
            "under 5 MB",
            "n/a" if wheel_bytes is None else f"{wheel_bytes / 1e6:.2f} MB",
            None if wheel_bytes is None else wheel_bytes < 5_000_000,
        ),
        Target(
            "Runtime Python dependencies",
            "zero",
            "n/a" if dependencies is None else str(dependencies),
            None if dependencies is None else dependencies == 0,
        ),
    ]
