"""``BENCHMARKS.md``: the tables of a run, from the same data as ``benchmarks.json``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from environments import CLIENT_VENVS, OFFICIAL_2025_10
from measure import Workload
from summarize import Summary, Target

Column = tuple[str, Callable[[Summary], str]]


def number(value: object, spec: str, suffix: str = "") -> str:
    if not isinstance(value, (int, float)):
        return "-"
    return f"{value:{spec}}{suffix}"


def stat(name: str, spec: str, suffix: str = "") -> Callable[[Summary], str]:
    return lambda summary: number(summary.get(name), spec, suffix)


def times(name: str) -> Callable[[Summary], str]:
    return stat(name, ".2f", "x")


def plural(count: object, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> list[str]:
    """A Markdown table; ``align``: ``l`` or ``r`` per column (default: the first column left,
    the others right)."""
    align = align or "l" + "r" * (len(headers) - 1)
    rules = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rules) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def workload_table(
    workload: Workload, summaries: dict[str, Summary], columns: Sequence[Column]
) -> list[str]:
    rows = []
    for entry in workload.entries:
        summary = summaries.get(entry.key, {})
        if not summary.get("rounds"):
            rows.append([entry.label] + ["failed"] * len(columns))
            continue
        rows.append([entry.label] + [render(summary) for _, render in columns])
    return table(["client"] + [title for title, _ in columns], rows)


def as_dict(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def load_note(loads: object) -> str:
    """The load average seen before and after the workloads (other work on the machine)."""
    if not isinstance(loads, list) or not loads:
        return ""
    values = [v for v in loads if isinstance(v, (int, float)) and v >= 0]
    if not values:
        return ""
    return (
        f" The 1-minute load average, read between workloads, ranged from {min(values):.1f} "
        f"to {max(values):.1f}; the benchmark itself accounts for about 1 to 2 (a client and "
        "the server), more means other work ran on the machine at the same time."
    )


def decode_section(
    workload: Workload,
    summaries: dict[str, Summary],
    results: dict[str, object],
    settings: dict[str, object],
) -> list[str]:
    """Workload 7: this package's decoder on a page of each API version, and the whole call."""
    ratios = as_dict(results.get("decode_over_2025_10"))
    out = [
        f"### {workload.title}",
        "",
        "This package's response decoder, `pb.BackupList.from_json(body)` (the core's decoder "
        "of a list response, then the Python objects a call returns: the same path), on one page "
        "of 100 backups from `bench-server`: the 2025-10 body it serves, and the same backups as "
        "API 2026-07 writes them (no `dimension` or `metric`; `schema` an `IndexSchema` whose "
        "`embedding` field, `dense_vector`, carries them, beside the metadata fields, typed; "
        "`Pending` is `Initializing`; `pagination` 2026-07's nullable inline object), made by "
        "the driver and checked against the page `bench-server` sends to a 2026-07 request. "
        f"{settings.get('decode_calls'):,} decodes per process after 20, each reading every "
        "backup's id. Two entries decode the same 2025-10 page: their ratio (the A/A control) "
        "is the noise band. Beside them, the whole call (`limit=100`, "
        f"{settings.get('decode_http_calls'):,} calls per process after 20) with the client "
        "speaking each version (`PINECONE_API_VERSION`), `bench-server` answering in that "
        f"version's shape. {plural(workload.rounds, 'round')}; *x 2025-10* is the entry's "
        "value over the 2025-10 entry of its kind, pair by pair, for the p50 (the target's) and "
        "for the fastest call (min: the cost without interruptions, which on a shared machine "
        "move the p50 of a whole process at a time).",
        "",
    ]
    headers = ["entry", "p50 µs", "min µs", "p99 µs", "body bytes", "p50 x 2025-10"]
    rows = []
    for entry in workload.entries:
        summary = summaries.get(entry.key, {})
        if not summary.get("rounds"):
            rows.append([entry.label] + ["failed"] * (len(headers) - 1))
            continue
        if entry.key in ratios:
            ratio = as_dict(ratios[entry.key])
            over = [number(ratio.get(s), ".3f", "x") for s in ("p50_us", "min_us")]
        else:
            over = ["reference", "reference"]
        rows.append(
            [
                entry.label,
                number(summary.get("p50_us"), ",.1f"),
                number(summary.get("min_us"), ",.1f"),
                number(summary.get("p99_us"), ",.1f"),
                number(summary.get("bytes"), ",.0f"),
                *over,
            ]
        )
    out += table([*headers, "min x 2025-10"], rows)
    out.append("")
    return out


def render(
    results: dict[str, object],
    workloads: list[Workload],
    summaries: dict[str, dict[str, Summary]],
    goals: list[Target],
    chart: str,
) -> str:
    """The report of a run: ``results`` is what ``benchmarks.json`` holds."""
    meta = as_dict(results["meta"])
    machine = as_dict(meta["machine"])
    settings = as_dict(meta["settings"])
    versions = as_dict(meta["versions"])
    api_versions = as_dict(meta["api_versions"])
    tools = as_dict(meta["tools"])
    capacity = as_dict(results["capacity"])
    packages = as_dict(results["packages"])
    data = as_dict(results["workloads"])
    quick = meta["mode"] == "quick"
    by_key = {w.key: w for w in workloads}

    out = [
        "# Benchmarks: pinecone-backups, the official SDK and the Rust floor",
        "",
        f"`GET /indexes/{{index_name}}/backups` (API 2025-10; workload 7 also 2026-07) against "
        "a local server, measured "
        f"by `{meta['command']}` on {meta['date']} (git {meta['git']}, "
        f"{meta['duration_seconds']} s). Raw numbers: `benchmarks.json`; how to run and read "
        "this: `README.md`.",
        "",
    ]
    if quick:
        out += [
            "> **Quick run** (`--quick`): tiny counts, a 1,000-backup server, debug binaries and "
            "this package as built in the harness's own Python. It checks the pipeline; its "
            "numbers mean nothing.",
            "",
        ]
    cpu_server, cpu_client = machine.get("server_cpu"), machine.get("client_cpu")
    pinning = (
        f"`bench-server` runs pinned to CPU {cpu_server} (`taskset`); in workloads 1-4 and 7 "
        f"(single-threaded) the client process is pinned to CPU {cpu_client}, so that client "
        "and server never share a core; workloads 5 and 5b (concurrency) are not pinned."
        if cpu_server is not None
        else "Fewer than 2 CPUs: nothing is pinned, client and server share the CPU."
    )
    out += [
        "## Machine and method",
        "",
        f"- **Machine**: {machine.get('cpu_model')}, {machine.get('cores')} cores, "
        f"{machine.get('memory_gib')} GiB, Linux {machine.get('kernel')}"
        + (" (virtual machine)" if machine.get("virtual_machine") else "")
        + ". It is **shared and noisy** (a Firecracker VM): absolute times are indicative only; "
        "compare the ratios." + load_note(meta.get("load_averages")),
        f"- **Pinning**: {pinning}",
        f"- **Server**: `bench-server` ({settings.get('backups'):,} backups, "
        f"{tools.get('floor_profile')} build), cached complete responses, HTTP/1.1 keep-alive.",
        "- **Interleaving**: every measurement is a fresh process (the client's venv Python "
        "running a driver of `bench/drivers/`, or `bench-floor`) that prints JSON. In each round "
        "every entry of a workload runs once, in an order rotated from round to round.",
        "- **Ratios** are pair by pair: within a round, the entry's value over its reference's, "
        "then the median of those per-round ratios (so a ratio is not the quotient of the two "
        "medians shown). *x official* compares with the official SDK, latest release, of the "
        "same kind (sync with sync, async with async; the floor with sync). For times and "
        "memory lower is better; for calls/s higher is better.",
        "- Async clients run on asyncio's default event loop. Every call reads the id of every "
        "backup it returns.",
        "",
        "## Versions",
        "",
    ]
    rows = []
    for client in CLIENT_VENVS:
        name, label = client.name, client.description
        if name == "ours":
            version = f"{versions.get(name, '?')}" + ("" if quick else " (release wheel)")
            rows.append([label, version, str(api_versions.get(name, "?"))])
        elif name in versions:
            rows.append([label, str(versions[name]), str(api_versions.get(name, "?"))])
        else:
            rows.append([label, "not run (no venv: quick mode)", "-"])
    rows.append(
        [
            "Rust floor (`bench-floor`: the core crate, no Python)",
            str(tools.get("rustc")),
            "2025-10",
        ]
    )
    out += table(["client", "version", "API version sent"], rows, align="lll")
    out += [
        "",
        f"Python {tools.get('python')}; load generator: {tools.get('wrk')}; chart: matplotlib "
        f"{tools.get('matplotlib')}.",
        "",
        f"**Which official release speaks 2025-10**: pinecone {OFFICIAL_2025_10}. Each release "
        "ships the API version it sends as a constant: `CONTROL_PLANE_API_VERSION` in "
        '`pinecone/_internal/constants.py` is "2025-10" in 9.0.x and 9.1.0 and "2026-07" from '
        '10.0.0 on (8.x: `API_VERSION = "2025-10"` in `pinecone/core/openapi/db_control/'
        "__init__.py`). The harness reads that constant from each installed release (the "
        "*API version sent* column) and stops if the 2025-10 venv does not send 2025-10.",
        "",
        "## Server capacity",
        "",
    ]
    out += table(
        ["page", "requests/s (median of 3)"],
        [
            ["limit=10", number(capacity.get("limit_10"), ",.0f")],
            ["limit=100", number(capacity.get("limit_100"), ",.0f")],
        ],
    )
    out += [
        "",
        f"Measured with {capacity.get('tool')}: 1 thread, {capacity.get('connections')} "
        f"keep-alive connections, {capacity.get('seconds')} s, on the client CPU against the "
        "server's CPU: a lower bound of what the server can answer.",
        "",
    ]
    heavy = []
    for workload in workloads:
        shares = as_dict(as_dict(data[workload.key]).get("load_share"))
        labels = {e.key: e.label for e in workload.entries}
        for key, share in shares.items():
            if isinstance(share, float) and share > 1 / 3:
                heavy.append(
                    f"- {workload.title}: {labels.get(key, key)} reached {share:.0%} of the "
                    "server's capacity."
                )
    if heavy:
        out += [
            "**Clients above a third of the server's capacity** (their numbers may include "
            "some waiting on the server):",
            "",
            *heavy,
            "",
        ]
    else:
        out += ["No client reached a third of the server's capacity in any workload.", ""]

    placement = by_key["placement"]
    out += [
        "### Placement check",
        "",
        "The Rust floor's warm `limit=10` call, client pinned to the client CPU (as in "
        "workloads 1-4: client and server on different cores) and not pinned (the scheduler "
        "may put it on the server's core), interleaved. On a VM, a request/response round trip "
        "between two vCPUs has to wake the other vCPU each time, which can cost more than the "
        "call itself; whatever the difference below is, it is part of every pinned "
        "measurement, and it makes the ratios of the fastest clients look closer to 1 than "
        "they would be on one core.",
        "",
    ]
    out += workload_table(
        placement,
        summaries["placement"],
        [
            ("p50 µs", stat("p50_us", ",.1f")),
            ("p99 µs", stat("p99_us", ",.1f")),
            ("p50 ratio", times("p50_us_x_floor")),
            ("p99 ratio", times("p99_us_x_floor")),
        ],
    )
    out.append("")

    out += ["## Targets", ""]
    out += table(
        ["target", "goal", "measured (pair by pair)", "status"],
        [[t.name, t.goal, t.measured, f"**{t.status()}**"] for t in goals],
        align="llll",
    )
    out += [
        "",
        "The package's targets are judged on its sync client, except those that say async.",
        "",
        "What an async call costs over a sync one. A sync call runs on the calling thread: "
        "request, wait, decoding, Python objects, with no hand-off. An async call cannot wait "
        "on the event loop's thread, so its request runs on the runtime's thread, which "
        "finishes it and wakes the loop through a socket the loop watches; the loop then "
        "builds the Python objects itself. That is two hand-offs between threads per call "
        "(each a context switch, on the one CPU the client is pinned to) plus two turns of "
        "asyncio's loop, written in Python: against a local server that answers in tens of "
        "microseconds they are a visible share of a call, and of each page of a walk (the "
        "floor and the sync client make none). Over a real network they vanish in the round "
        "trip (the network section below: async within a few percent of the floor).",
        "",
        "## Results",
        "",
    ]

    for limit in (10, 100):
        workload = by_key[f"warm_{limit}"]
        out += [
            f"### {workload.title}",
            "",
            f"{settings.get('warm_calls'):,} sequential calls per process after a warm-up, "
            f"{plural(workload.rounds, 'round')}: p50 and p99 are the medians of the rounds' "
            "values.",
            "",
        ]
        out += workload_table(
            workload,
            summaries[workload.key],
            [
                ("p50 µs", stat("p50_us", ",.1f")),
                ("p99 µs", stat("p99_us", ",.1f")),
                ("p50 x official", times("p50_us_x_official")),
                ("p99 x official", times("p99_us_x_official")),
                ("p50 x floor", times("p50_us_x_floor")),
                ("p99 x floor", times("p99_us_x_floor")),
            ],
        )
        out.append("")

    workload = by_key["walk"]
    out += [
        f"### {workload.title}",
        "",
        f"Every backup materialised (its id read) and held in a list; the median of "
        f"{plural(settings.get('walk_repeats'), 'walk')} per process after a warm-up walk, "
        f"{plural(workload.rounds, 'round')}.",
        "",
    ]
    out += workload_table(
        workload,
        summaries["walk"],
        [
            ("ms per walk", stat("median_ms", ",.1f")),
            ("x official", times("median_ms_x_official")),
            ("x floor", times("median_ms_x_floor")),
        ],
    )
    workload = by_key["cold"]
    ratio = results.get("cli_over_library")
    cli_ratio = f"{ratio:.2f}x" if isinstance(ratio, (int, float)) else "n/a (not measured)"
    out += [
        "",
        f"### {workload.title}",
        "",
        "Wall time of the whole process as the harness sees it (fork, exec, interpreter start, "
        "import, construct, one `limit=10` call, exit); the median of "
        f"{plural(workload.rounds, 'round')} after a discarded one. *Over bare* is over "
        "`python -c pass` for sync clients and over a bare interpreter that imports asyncio and "
        "runs an empty `asyncio.run()` for async clients (pair by pair). The command line beside "
        "the library: the library's one-call process (`python -c \"import pinecone_backups as "
        "pb; pb.list_index_backups('bench-index', limit=10)\"`) and the same call from the "
        "console script with its table (`pinecone-backups list bench-index --limit 10`), both "
        "configured from `PINECONE_API_KEY` and `PINECONE_CONTROLLER_HOST`; the CLI took "
        f"{cli_ratio} the library's time, pair by pair.",
        "",
    ]
    out += workload_table(
        workload,
        summaries["cold"],
        [
            ("ms", stat("wall_ms", ",.1f")),
            ("over bare", stat("wall_ms_over_bare", "+,.1f", " ms")),
            ("x official", times("wall_ms_x_official")),
            ("x floor", times("wall_ms_x_floor")),
        ],
    )
    workload = by_key["memory"]
    out += [
        "",
        f"### {workload.title}",
        "",
        "In-process: `VmRSS` right after the first call (import, construct, one `limit=10` "
        "call), then `VmHWM` (peak RSS) after walking every backup into a list. *Over bare* is "
        "over a bare interpreter for sync clients, and over a bare interpreter that imported "
        "asyncio and ran an empty `asyncio.run()` for async clients.",
        "",
    ]
    out += workload_table(
        workload,
        summaries["memory"],
        [
            ("RSS after 1st call MiB", stat("rss_mib", ",.1f")),
            ("over bare", stat("rss_mib_over_bare", "+,.1f", " MiB")),
            ("peak MiB", stat("peak_mib", ",.1f")),
            ("peak over bare", stat("peak_mib_over_bare", "+,.1f", " MiB")),
            ("peak x official", times("peak_mib_x_official")),
        ],
    )
    workload = by_key["concurrency"]
    out += [
        "",
        f"### {workload.title}",
        "",
        f"Async clients: {settings.get('in_flight')} tasks sharing one client; sync clients: "
        f"{settings.get('threads')} threads (and 1 for reference) sharing one client; the Rust "
        f"floor: {settings.get('in_flight')} in flight on a 2-thread runtime. Not pinned. "
        "*x official* is a ratio of calls/s (higher is better), *time x floor* a ratio of "
        "times (lower is better).",
        "",
    ]
    out += workload_table(
        workload,
        summaries["concurrency"],
        [
            ("calls/s", stat("calls_per_s", ",.0f")),
            ("calls/s x official", times("calls_per_s_x_official")),
            ("time x floor", times("seconds_x_floor")),
        ],
    )
    out += [
        "",
        f"This package's sync client, {settings.get('threads')} threads over 1 thread (calls/s, "
        f"pair by pair): {number(results.get('threads_scaling_local'), '.2f', 'x')}. Against "
        "a local server that answers at once, the calls are CPU-bound, and the second core is "
        "the server's: there is nothing for more threads to gain (5b shows what they gain "
        "when calls wait on the network).",
    ]
    workload = by_key["latency"]
    out += [
        "",
        f"### {workload.title}",
        "",
        f"The same server, waiting {settings.get('latency_ms')} ms before each answer, as a "
        f"network would; sync clients with {settings.get('threads')} threads and 1 thread "
        "sharing one client. Not pinned. Threads help only if the client releases the GIL "
        "while it waits.",
        "",
    ]
    out += workload_table(
        workload,
        summaries["latency"],
        [
            ("calls/s", stat("calls_per_s", ",.0f")),
            ("calls/s x official", times("calls_per_s_x_official")),
        ],
    )
    out += [
        "",
        f"This package's sync client, {settings.get('threads')} threads over 1 thread (calls/s, "
        f"pair by pair): {number(results.get('threads_scaling'), '.2f', 'x')}.",
        "",
        "### 6. Package weight",
        "",
    ]
    rows = []
    for weight in packages.values():
        w = as_dict(weight)
        names = w.get("dependency_names")
        listed = ", ".join(str(n) for n in names) if isinstance(names, list) else ""
        size = w.get("wheel_bytes")
        rows.append(
            [
                str(w.get("version"))
                if w.get("package") == "httpx + orjson"
                else f"{w.get('package')} {w.get('version')}",
                number(size / 1e6, ".2f", " MB") if isinstance(size, int) else "not built",
                str(w.get("dependencies")),
                listed or "-",
            ]
        )
    out += table(
        ["package", "wheel", "runtime dependencies", "what pip install adds"], rows, align="lrrl"
    )
    out += [
        "",
        "Dependencies: the packages `pip install` added to a fresh venv, the package itself "
        "excluded (for httpx + orjson: besides those two). The wheel of this package is the "
        "release wheel pip built from the repository; the official ones are PyPI's "
        "manylinux wheels.",
        "",
    ]
    out += decode_section(by_key["decode"], summaries["decode"], results, settings)
    out += [
        "## Chart",
        "",
        f"![Ratio to the Rust floor per workload and client]({chart})",
        "",
        "Each bar: the client's cost over the Rust floor's in the same round (time, or memory), "
        "median over rounds; log scale, 1 = the floor, lower is better.",
        "",
    ]
    errors = [e for w in workloads for e in w.errors]
    if errors:
        out += ["## Failed runs", "", *[f"- {e}" for e in errors], ""]
    return "\n".join(out)
