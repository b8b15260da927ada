"""The network benchmark (``./bench/run --network``): TLS and a real round trip.

The same catalog as the loopback benchmark, served by ``bench-net-server`` over TLS (a local CA
made by ``trustme``, passed to every client as its users would: ``ca_certs=`` for this package,
``ssl_ca_certs=`` for the official SDK, ``Config::ca_certs_pem`` for the floor), with a round
trip of 20 ms and of 2 ms. The server counts what crosses the network (TCP connections, TLS
handshakes full and resumed, ALPN protocols, requests, and the rounds of requests and of
connections: the round trips a client waited for one after the other) for every run.

The policy workload: the server also holds a project of ``PROJECT_INDEXES`` indexes of
``INDEX_BACKUPS`` backups each (``bench-net-server --indexes``); ``pinecone-backups policy run``
in dry run with ``drivers/policy.toml`` (every index governed) against a plain script using the
official SDK that lists each index's backups in turn (``drivers/policy_official.py``), each a
whole process; the target: ours at most a tenth of the official script's wall time, pair by pair.

Where: as root with ``ip``, the server runs in a network namespace ``pbbench-srv`` and the
clients in ``pbbench-cli``, joined by a veth pair (10.200.0.1/30 and 10.200.0.2/30, inside those
two namespaces only: nothing is routed anywhere else). The round trip is added by ``tc netem``
on both veth ends when the kernel has it, and otherwise by the server itself (each connection
waits one round trip before its first byte, each chunk half a round trip each way). Without
root or ``ip``, everything runs on 127.0.0.1 with the server's delay. The report says which.
Namespaces and qdiscs are removed on exit (normal, error, SIGINT or SIGTERM).
"""

from __future__ import annotations

import argparse
import atexit
import datetime
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import environments as env
from environments import BENCH, WORK, SetupError, Venv, say

DRIVERS = BENCH / "drivers"
SERVER_NS, CLIENT_NS = "pbbench-srv", "pbbench-cli"
VETH_SERVER, VETH_CLIENT = "pbbench-s", "pbbench-c"
SERVER_IP, CLIENT_IP = "10.200.0.1", "10.200.0.2"
BEGIN, END = "<!-- network:begin -->", "<!-- network:end -->"
PROJECT_INDEXES, INDEX_BACKUPS = 200, 50  # the policy workload's project: 10,000 backups
QUICK_PROJECT = (40, 25)  # --quick: 1,000
POLICY_FILE = DRIVERS / "policy.toml"
POLICY_CONCURRENCY = 64  # policy run --concurrency: as many listings in flight as the fan-out
POLICY_TARGET = 0.1  # ours at most a tenth of the official script's wall time, pair by pair
WHOLE_PROCESS = ("cold", "policy")  # the workloads timed as whole processes (wall time)
PYTHON_CLIENTS = (  # venv, driver, cold driver, label
    ("ours", "ours.py", "cold_ours.py", "pinecone-backups"),
    ("official-latest", "official.py", "cold_official.py", "official {v}"),
    ("official-2025-10", "official.py", "cold_official.py", "official {v}"),
)


def run(command: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=check, timeout=60)


@dataclass
class Network:
    """Where the server listens and how clients reach it; ``prefix`` runs a client there."""

    mode: str  # "netns+netem", "netns+server-delay" or "loopback+server-delay"
    host: str
    client_prefix: list[str]
    server_prefix: list[str]
    netem: bool
    notes: list[str] = field(default_factory=list)

    def set_rtt(self, rtt_ms: int) -> None:
        if not self.netem:
            return
        for ns, dev in ((SERVER_NS, VETH_SERVER), (CLIENT_NS, VETH_CLIENT)):
            run(
                [
                    "ip",
                    "netns",
                    "exec",
                    ns,
                    "tc",
                    "qdisc",
                    "replace",
                    "dev",
                    dev,
                    "root",
                    "netem",
                    "delay",
                    f"{rtt_ms / 2}ms",
                ]
            )


def teardown() -> None:
    """Removes what ``setup`` made (and what a crashed run left); safe to call twice."""
    if shutil.which("ip") is None or os.geteuid() != 0:
        return
    for ns in (SERVER_NS, CLIENT_NS):
        run(["ip", "netns", "del", ns], check=False)  # takes its veth end and qdiscs along


def netem_available() -> bool:
    """Whether ``tc qdisc ... netem`` works here (tried on a dummy veth in a throwaway netns)."""
    probe = "pbbench-probe"
    try:
        run(["ip", "netns", "add", probe])
        run(["ip", "-n", probe, "link", "add", "pbp0", "type", "veth", "peer", "name", "pbp1"])
        done = run(
            [
                "ip",
                "netns",
                "exec",
                probe,
                "tc",
                "qdisc",
                "add",
                "dev",
                "pbp0",
                "root",
                "netem",
                "delay",
                "1ms",
            ],
            check=False,
        )
        return done.returncode == 0
    finally:
        run(["ip", "netns", "del", probe], check=False)


def setup() -> Network:
    """The namespace pair, or loopback when it cannot be made (the reason in ``notes``)."""
    notes: list[str] = []
    if os.geteuid() != 0:
        notes.append("not root: no network namespaces, everything on 127.0.0.1")
    elif shutil.which("ip") is None or shutil.which("tc") is None:
        if shutil.which("apt-get"):
            say("installing iproute2 (apt-get)")
            run(["apt-get", "install", "-y", "-qq", "iproute2"], check=False)
        if shutil.which("ip") is None or shutil.which("tc") is None:
            notes.append("no `ip`/`tc` (iproute2): everything on 127.0.0.1")
    if notes:
        return Network("loopback+server-delay", "127.0.0.1", [], [], False, notes)
    teardown()
    atexit.register(teardown)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: sys.exit(130))
    netem = netem_available()
    if not netem:
        notes.append(
            "this kernel has no `netem` qdisc (CONFIG_NET_SCH_NETEM is not set): the round trip "
            "is added by bench-net-server instead (see the method)"
        )
    for ns in (SERVER_NS, CLIENT_NS):
        run(["ip", "netns", "add", ns])
        run(["ip", "-n", ns, "link", "set", "lo", "up"])
    run(
        [
            "ip",
            "-n",
            SERVER_NS,
            "link",
            "add",
            VETH_SERVER,
            "type",
            "veth",
            "peer",
            "name",
            VETH_CLIENT,
            "netns",
            CLIENT_NS,
        ]
    )
    for ns, dev, ip in ((SERVER_NS, VETH_SERVER, SERVER_IP), (CLIENT_NS, VETH_CLIENT, CLIENT_IP)):
        run(["ip", "-n", ns, "addr", "add", f"{ip}/30", "dev", dev])
        run(["ip", "-n", ns, "link", "set", dev, "up"])
    return Network(
        "netns+netem" if netem else "netns+server-delay",
        SERVER_IP,
        ["ip", "netns", "exec", CLIENT_NS],
        ["ip", "netns", "exec", SERVER_NS],
        netem,
        notes,
    )


class NetServer:
    """``bench-net-server`` with its counters read over stdin/stdout."""

    def __init__(
        self,
        binary: Path,
        network: Network,
        tls: Path,
        rtt_ms: int,
        alpn: str,
        backups: int,
        log: Path,
        project: tuple[int, int] | None = None,
    ) -> None:
        command = [
            *network.server_prefix,
            str(binary),
            "--bind",
            f"{network.host}:0",
            "--backups",
            str(backups),
            "--cert",
            str(tls / "cert.pem"),
            "--key",
            str(tls / "key.pem"),
            "--alpn",
            alpn,
            "--rtt-ms",
            "0" if network.netem else str(rtt_ms),
            "--round-gap-ms",
            str(rtt_ms * 0.9),
        ]
        if project is not None:
            command += ["--indexes", str(project[0]), "--index-backups", str(project[1])]
        self.log = log.open("w")
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith("https://"):
            self.stop()
            raise RuntimeError(f"bench-net-server did not start: {line!r} (log: {log})")
        self.url = line

    def stats(self) -> dict[str, int]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("stats\n")
        self.process.stdin.flush()
        counted: dict[str, int] = json.loads(self.process.stdout.readline())
        return counted

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)  # "@URL", "@CA": the server's, its CA's


def make_tls(venv: Venv, where: Path, host: str) -> None:
    script = (
        "import sys, trustme; ca = trustme.CA(); c = ca.issue_cert(sys.argv[2], 'localhost');"
        "d = sys.argv[1]; ca.cert_pem.write_to_path(d + '/ca.pem');"
        "c.cert_chain_pems[0].write_to_path(d + '/cert.pem');"
        "c.private_key_pem.write_to_path(d + '/key.pem')"
    )
    run([str(venv.python), "-c", script, str(where), host])


def workloads(
    venvs: dict[str, Venv], versions: dict[str, str], floor: Path, url: str, quick: bool
) -> list[tuple[str, str, str, list[Row]]]:
    """(key, title, alpn of the server, rows); a row's command gets the URL as is."""
    calls, indexes, in_flight = (200, 20, 64) if not quick else (40, 20, 16)
    clients = [
        (name, driver, cold, label.format(v=versions.get(name, "?")))
        for name, driver, cold, label in PYTHON_CLIENTS
        if name in venvs
    ]

    def py(name: str, script: str, *args: object) -> list[str]:
        return [str(venvs[name].python), str(DRIVERS / script), *[str(a) for a in args]]

    def fl(*args: object) -> list[str]:
        return [str(floor), url, *[str(a) for a in args]]

    out: list[tuple[str, str, str, list[Row]]] = []
    rows = [
        Row(f"{n}-{f}", f"{label} ({f})", py(n, cold, f, url))
        for n, _, cold, label in clients
        for f in ("sync", "async")
    ]
    rows.append(Row("floor", "Rust floor (`once`)", fl("once", 10)))
    rows.append(Row("bare", "bare `python -c pass`", [str(venvs["ours"].python), "-c", "pass"]))
    rows.append(
        Row(
            "bare-asyncio",
            "bare asyncio (`import asyncio; asyncio.run(...)` of an empty coroutine)",
            [str(venvs["ours"].python), "-c", "import asyncio; asyncio.run(asyncio.sleep(0))"],
        )
    )
    out.append(
        (
            "cold",
            "One call, whole process (start, import, TLS handshake, first page)",
            "h2,http/1.1",
            rows,
        )
    )
    rows = [
        Row(f"{n}-{f}", f"{label} ({f})", py(n, d, f, "sequence", url, 20, 10))
        for n, d, _, label in clients
        for f in ("sync", "async")
    ]
    rows.append(Row("floor", "Rust floor", fl("sequence", 20, 10)))
    out.append(
        ("sequence", "20 sequential calls (limit=10) on one new client", "h2,http/1.1", rows)
    )
    rows = [
        Row(f"{n}-{f}", f"{label} ({f})", py(n, d, f, "walk", url, 100, 1))
        for n, d, _, label in clients
        for f in ("sync", "async")
        if f == "sync" or n == "ours"
    ]
    rows.append(Row("floor", "Rust floor", fl("walk", 100, 1)))
    out.append(
        (
            "walk",
            "Walk of 10,000 backups, page size 100 (after one warm-up walk)",
            "h2,http/1.1",
            rows,
        )
    )
    for alpn, key, what in (
        ("h2,http/1.1", "fanout", "server offers h2 and http/1.1"),
        ("http/1.1", "fanout_h1", "server offers http/1.1 only"),
    ):
        rows = [
            Row(
                f"{n}-async",
                f"{label} (async)",
                py(n, d, "async", "fanout", url, calls, indexes, in_flight, 10),
            )
            for n, d, _, label in clients
        ]
        rows.append(Row("floor", "Rust floor", fl("fanout", calls, indexes, in_flight, 10)))
        out.append(
            (
                key,
                f"Fan-out: {calls} calls over {indexes} indexes, {in_flight} in flight, "
                f"new client ({what})",
                alpn,
                rows,
            )
        )
    rows = []
    for n, d, _, label in clients:
        for f in ("sync", "async"):
            rows.append(Row(f"{n}-{f}", f"{label} ({f})", py(n, d, f, "waitfor", url, "@ID", 0.05)))
    rows.append(Row("floor", "Rust floor", fl("waitfor", "@ID", 50)))
    out.append(
        (
            "wait",
            "wait_for_backup through 5 status changes (6 polls, 50 ms apart), new client",
            "h2,http/1.1",
            rows,
        )
    )
    count, per_index = QUICK_PROJECT if quick else (PROJECT_INDEXES, INDEX_BACKUPS)
    cli = str(venvs["ours"].python.parent / "pinecone-backups")
    configured = {
        "PINECONE_API_KEY": common_key(),
        "PINECONE_CONTROLLER_HOST": "@URL",
        "SSL_CERT_FILE": "@CA",
    }
    rows = [
        Row(
            "ours-sync",
            f"pinecone-backups `policy run` (dry run, --concurrency {POLICY_CONCURRENCY})",
            [cli, "policy", "run", str(POLICY_FILE), "--concurrency", str(POLICY_CONCURRENCY)],
            configured,
        ),
        Row(
            "ours-c4-sync",
            "pinecone-backups `policy run` (dry run, default --concurrency 4)",
            [cli, "policy", "run", str(POLICY_FILE)],
            configured,
        ),
    ]
    rows += [
        Row(f"{n}-sync", f"{label}: plain script", py(n, "policy_official.py", url))
        for n, _, _, label in clients
        if n != "ours"
    ]
    out.append(
        (
            "policy",
            f"Policy dry run over {count} indexes and {count * per_index:,} backups, whole "
            "process (`policy run` against a script listing each index's backups in turn)",
            "h2,http/1.1",
            rows,
        )
    )
    return out


def common_key() -> str:
    """The API key every driver sends (``drivers/common.py``'s ``API_KEY``)."""
    return "bench-key"


def policy_problem(
    row: Row, output: dict[str, object], counted: dict[str, int], size: tuple[int, int]
) -> str:
    """Why a run of the policy workload did not do the whole job (empty: it did): the indexes
    listed (at the server: a ``GET /indexes``) and every backup fetched (a listing of each
    index's backups, or the pages of the project's ``GET /backups`` at 100 a page), and, for the
    script, every backup read."""
    indexes, backups = size
    listings = min(indexes, -(-backups // 100))
    if counted.get("index_list_requests", 0) < 1 or counted.get("list_requests", 0) < listings:
        return (
            f"{row.label}: {counted.get('index_list_requests')} index lists and "
            f"{counted.get('list_requests')} backup lists, for {indexes} indexes"
        )
    if "backups" in output and output["backups"] != backups:
        return f"{row.label}: read {output['backups']} backups of {backups}"
    return ""


def measure_setting(
    rtt_ms: int,
    rounds: int,
    network: Network,
    binaries: env.Binaries,
    venvs: dict[str, Venv],
    versions: dict[str, str],
    tls: Path,
    backups: int,
    quick: bool,
) -> dict[str, object]:
    network.set_rtt(rtt_ms)
    results: dict[str, object] = {}
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PINECONE_")}
    environment["BENCH_CA_CERTS"] = str(tls / "ca.pem")
    project = QUICK_PROJECT if quick else (PROJECT_INDEXES, INDEX_BACKUPS)
    servers: dict[str, NetServer] = {}
    try:
        for alpn in ("h2,http/1.1", "http/1.1"):
            servers[alpn] = NetServer(
                binaries.server,
                network,
                tls,
                rtt_ms,
                alpn,
                backups,
                WORK / f"net-server-{rtt_ms}-{alpn.replace('/', '')}.log",
                project if alpn == "h2,http/1.1" else None,
            )
        for key, title, alpn, rows in workloads(venvs, versions, binaries.floor, "@URL", quick):
            server = servers[alpn]
            say(f"{rtt_ms} ms: {title}: {len(rows)} entries x {rounds} rounds")
            runs: dict[str, list[dict[str, object]]] = {r.key: [] for r in rows}
            errors: list[str] = []
            for round_ in range(-1 if key in WHOLE_PROCESS else 0, rounds):
                shift = max(round_, 0) % len(rows)
                for row in rows[shift:] + rows[:shift]:
                    command = [
                        (
                            f"wait-{rtt_ms}-{row.key}-{round_}-{time.time_ns()}"
                            if a == "@ID"
                            else server.url
                            if a == "@URL"
                            else a
                        )
                        for a in row.command
                    ]
                    extra = {
                        name: value.replace("@URL", server.url).replace("@CA", str(tls / "ca.pem"))
                        for name, value in row.env.items()
                    }
                    server.stats()  # reset
                    started = time.perf_counter()
                    done = subprocess.run(
                        [*network.client_prefix, *command],
                        capture_output=True,
                        text=True,
                        timeout=300,
                        env={**environment, **extra},
                    )
                    wall = time.perf_counter() - started
                    counted = server.stats()
                    if done.returncode != 0:
                        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
                        errors.append(f"{row.label}: {tail}")
                        say(f"  failed: {row.label}: {tail}")
                        continue
                    lines = done.stdout.strip().splitlines()
                    try:
                        output = json.loads(lines[-1]) if lines else {}
                    except ValueError:  # a command's own output (policy run's plan)
                        output = {}
                    if not isinstance(output, dict):
                        output = {}
                    problem = (
                        policy_problem(row, output, counted, (project[0], project[0] * project[1]))
                        if key == "policy"
                        else ""
                    )
                    if problem:
                        errors.append(problem)
                        say(f"  failed: {problem}")
                        continue
                    if round_ < 0:
                        continue
                    seconds = output.get("seconds", wall)
                    if isinstance(seconds, list):
                        seconds = statistics.median(seconds)
                    runs[row.key].append(
                        {
                            "round": round_,
                            "seconds": seconds,
                            "wall": wall,
                            "counted": counted,
                            "polls": output.get("polls"),
                        }
                    )
            results[key] = {
                "title": title,
                "alpn": alpn,
                "rows": [{"key": r.key, "label": r.label, "command": r.command} for r in rows],
                "runs": runs,
                "errors": errors,
                "summary": {k: summarize(v, key) for k, v in runs.items() if v},
            }
            if key == "policy":
                results[key]["project"] = {  # type: ignore[index]
                    "indexes": project[0],
                    "backups": project[0] * project[1],
                }
                results[key]["pairs"] = {  # type: ignore[index]
                    r.key: paired(runs[r.key], runs.get("official-latest-sync", []))
                    for r in rows
                    if r.key.startswith("ours")
                }
    finally:
        for server in servers.values():
            server.stop()
    return results


def paired(runs: list[dict[str, object]], references: list[dict[str, object]]) -> dict[str, object]:
    """The wall time of each run over its round's reference run (pair by pair), and the median
    of those ratios."""
    by_round = {r["round"]: float(r["wall"]) for r in references}  # type: ignore[arg-type]
    ratios = [
        float(r["wall"]) / by_round[r["round"]]  # type: ignore[arg-type]
        for r in runs
        if r["round"] in by_round and by_round[r["round"]]
    ]
    return {"ratios": ratios, "median": statistics.median(ratios) if ratios else None}


def round_trips(counted: dict[str, int]) -> int | None:
    """The round trips a run waited for one after the other, as the server counted them: two
    per round of connections (TCP, then TLS 1.3), one per round of requests."""
    if "request_rounds" not in counted:
        return None  # a run of an older server
    return 2 * int(counted["connection_rounds"]) + int(counted["request_rounds"])


def summarize(runs: list[dict[str, object]], key: str) -> dict[str, object]:
    """Median time (the process's wall time for ``cold`` and ``policy``) and the counts of the
    median run."""
    metric = "wall" if key in WHOLE_PROCESS else "seconds"
    values = [float(r[metric]) for r in runs]  # type: ignore[arg-type]
    median = statistics.median(values)
    middle = min(runs, key=lambda r: abs(float(r[metric]) - median))  # type: ignore[arg-type]
    return {
        "ms": median * 1000,
        "min_ms": min(values) * 1000,
        "counted": middle["counted"],
        "polls": middle.get("polls"),
        "n": len(values),
    }


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def targets(settings: dict[str, object]) -> list[str]:
    """The issue's targets at 20 ms, each judged on the medians of this run (table rows)."""
    results = settings.get("20")  # JSON keys are strings
    if not isinstance(results, dict):
        return []

    def ms(workload: str, key: str) -> float | None:
        summary = results.get(workload, {}).get("summary", {}).get(key)
        return summary["ms"] if summary else None

    def handshakes(workload: str, key: str) -> int | None:
        summary = results.get(workload, {}).get("summary", {}).get(key)
        if not summary:
            return None
        counted = summary["counted"]
        return int(counted["tls_full"]) + int(counted["tls_resumed"])

    def row(name: str, goal: str, measured: str, met: bool | None) -> str:
        status = "not measured" if met is None else "**met**" if met else "**not met**"
        return f"| {name} | {goal} | {measured} | {status} |"

    out = ["| target (20 ms round trip, TLS) | goal | measured | status |", "|---|---|---|---|"]
    fan, fan_official = ms("fanout", "ours-async"), ms("fanout", "official-latest-async")
    ours_hs, official_hs = (
        handshakes("fanout", "ours-async"),
        handshakes("fanout", "official-latest-async"),
    )
    speedup = ratio(fan_official, fan)
    out.append(
        row(
            "Fan-out, 200 calls, 64 in flight (async)",
            "at least 3x the official async client's throughput",
            f"{speedup:.1f}x its throughput" if speedup else "n/a",
            None if speedup is None else speedup >= 3,
        )
    )
    out.append(
        row(
            "Fan-out: TLS handshakes",
            "no more than the official async client makes",
            f"{ours_hs} against its {official_hs}" if ours_hs is not None else "n/a",
            None if ours_hs is None or official_hs is None else ours_hs <= official_hs,
        )
    )
    for flavour in ("sync", "async"):
        share = ratio(ms("cold", f"ours-{flavour}"), ms("cold", f"official-latest-{flavour}"))
        out.append(
            row(
                f"One call, whole process ({flavour})",
                f"less than half the official SDK's ({flavour})",
                f"{share:.2f}x its wall time" if share else "n/a",
                None if share is None else share < 0.5,
            )
        )
    policy = results.get("policy", {})
    pair = policy.get("pairs", {}).get("ours-sync", {}).get("median")
    summaries = policy.get("summary", {})

    size = policy.get(
        "project", {"indexes": PROJECT_INDEXES, "backups": PROJECT_INDEXES * INDEX_BACKUPS}
    )

    def trips(key: str) -> str:
        summary = summaries.get(key)
        if not summary:
            return "n/a"
        found = round_trips(summary["counted"])
        return (
            f"{summary['ms'] / 1000:.2f} s, {summary['counted']['requests']:,} requests, "
            f"{'n/a' if found is None else f'{found:,}'} round trips"
        )

    out.append(
        row(
            f"Policy dry run, {size['indexes']} indexes, {size['backups']:,} backups "
            "(whole process)",
            "at most 1/10 of the wall time of a plain script with the official SDK listing "
            "each index's backups in turn",
            (
                f"{pair:.3f}x its wall time ({1 / pair:.1f}x faster), pair by pair; "
                f"`policy run` {trips('ours-sync')}; the script "
                f"{trips('official-latest-sync')} (medians)"
            )
            if pair
            else "n/a",
            None if pair is None else pair <= POLICY_TARGET,
        )
    )
    for flavour in ("sync", "async"):
        over = ratio(ms("walk", f"ours-{flavour}"), ms("walk", "floor"))
        out.append(
            row(
                f"Walk of 10,000 backups ({flavour})",
                "within 1.1x the floor",
                f"{over:.2f}x the floor" if over else "n/a",
                None if over is None else over <= 1.1,
            )
        )
    return out


def render(data: dict[str, object]) -> str:
    """The section of BENCHMARKS.md (between the markers)."""
    meta = data["meta"]
    assert isinstance(meta, dict)
    lines = [BEGIN, "", "## Over TLS with a real round trip (`./bench/run --network`)", ""]
    lines += [
        f"Run {meta['date']}, git {meta['git']}, command `{meta['command']}`, "
        f"{meta['rounds']} rounds per entry (cold start: one discarded round, then "
        f"{meta['rounds']}), entries interleaved and rotated. Network: **{meta['network']}**.",
        "",
    ]
    for note in meta["notes"]:
        lines.append(f"- {note}")
    lines += [
        "",
        "Method. `bench-net-server` (rustls, hyper; HTTP/2 or HTTP/1.1 as ALPN decides) serves "
        "the loopback benchmark's catalog over TLS with a certificate from a local `trustme` CA, "
        "which each client is told to trust as its users would (`ca_certs=` here, the official "
        "SDK's `ssl_ca_certs=`, the floor's `Config::ca_certs_pem`). The server runs in the "
        "network namespace `pbbench-srv`, the clients in `pbbench-cli`, joined by a veth pair "
        "whose addresses exist in those namespaces only. The round trip comes from `tc netem` "
        "(half on each veth end) when the kernel has it; this machine's kernel has no netem, so "
        "`bench-net-server --rtt-ms` adds it: each accepted connection waits one round trip "
        "before its first byte is read (the TCP handshake a client pays before it can send), "
        "and every chunk waits half a round trip in each direction. That is a fixed "
        "propagation delay, order kept, with no bandwidth limit and no TCP slow start, so "
        "large responses cost one round trip here where a real path may cost more. "
        "Timer granularity adds up to ~1 ms per direction (visible in the 2 ms setting). "
        "Each entry is a fresh process; times are from the client's construction (whole "
        "process for the cold start and the policy dry run). Counted at the server for every "
        "run and shown for the median run: TCP connections (`conn`), TLS handshakes "
        "full/resumed (`tls`), ALPN (`h2`/`h1` connections), requests (`req`), most "
        "connections open at once (`open`), and the round trips the client waited for one "
        "after the other (`rt`): the server groups requests into rounds (a request that "
        "arrives at least 0.9 of a round trip after the first of the current round starts a "
        "new one: a request sent once the answer to another came arrives a round trip after "
        "it, so requests sent one after the other each count, and requests in flight "
        "together once; a pipeline that keeps requests in flight without waves counts its "
        "duration in round trips) and connections the same way; "
        "`rt` is 2 per round of connections (TCP, then TLS 1.3; every handshake here was TLS "
        "1.3) plus 1 per round of requests.",
        "",
        "The policy dry run: the server also holds a project of "
        f"{PROJECT_INDEXES} indexes (`bench-prj-000`...) with {INDEX_BACKUPS} backups each, "
        "10,000 in all, dated from the server's start (index i's newest is i % 48 hours old, "
        "then one a day), and answers `GET /indexes`, each index's backups, `GET /backups` "
        "and `GET /restore-jobs` (none). `pinecone-backups policy run "
        "bench/drivers/policy.toml` (a dry run: it lists the indexes, each governed index's "
        "backups, the restore jobs, plans the creates and the retention deletes and prints "
        "the plan, one line per action) runs as its users run it, configured from "
        "`PINECONE_API_KEY`, `PINECONE_CONTROLLER_HOST` and `SSL_CERT_FILE`, with "
        f"`--concurrency {POLICY_CONCURRENCY}` and with the default 4; against it, "
        "`bench/drivers/policy_official.py`, a plain script with the official SDK that lists "
        "the indexes, then each index's backups in turn (`list_backups(index_name=..., "
        "limit=100)`, every page, every id read). Every run is checked at the server (one "
        "index list, a backup list per index) and the script's count of backups. The target "
        "is judged pair by pair: each round's `policy run` wall time over the same round's "
        "script's, the median of those ratios.",
        "",
    ]
    settings = data["settings"]
    assert isinstance(settings, dict)
    goals = targets(settings)
    if goals:
        lines += [
            "### Targets",
            "",
            *goals,
            "",
            "Ratios of the medians below, but the policy dry run's: pair by pair (see the method).",
            "",
        ]
    for rtt, results in settings.items():
        lines += [f"### {rtt} ms round trip", ""]
        for workload in results.values():
            summary = workload["summary"]
            floor = summary.get("floor", {}).get("ms")
            official = {k: v["ms"] for k, v in summary.items() if k.startswith("official-latest")}
            lines += [
                f"**{workload['title']}**",
                "",
                "| client | median ms | x floor | x official 10.2 | conn | tls full/resumed "
                "| h2/h1 | req | open | rt |",
                "|---|---:|---:|---:|---:|---|---|---:|---:|---:|",
            ]
            for row in workload["rows"]:
                s = summary.get(row["key"])
                if not s:
                    lines.append(f"| {row['label']} | failed | | | | | | | | |")
                    continue
                c = s["counted"]
                flavour = row["key"].rsplit("-", 1)[-1]
                off = official.get(f"official-latest-{flavour}") or official.get(
                    "official-latest-async"
                )
                rf, ro = ratio(s["ms"], floor), ratio(s["ms"], off)
                lines.append(
                    f"| {row['label']} | {s['ms']:,.1f} | {f'{rf:.2f}x' if rf else ''} | "
                    f"{f'{ro:.2f}x' if ro and not row['key'].startswith('official-latest') else ''}"
                    f" | {c['connections']} | {c['tls_full']}/{c['tls_resumed']} | "
                    f"{c['h2']}/{c['http11']} | {c['requests']} | {c['max_open']} | "
                    f"{'' if round_trips(c) is None else round_trips(c)} |"
                )
            for key, pair in workload.get("pairs", {}).items():
                if pair.get("median"):
                    label = next(r["label"] for r in workload["rows"] if r["key"] == key)
                    each = ", ".join(f"{value:.3f}" for value in pair["ratios"])
                    lines.append("")
                    lines.append(
                        f"{label} over the official {official_version(data)} script, pair by "
                        f"pair: **{pair['median']:.3f}x** its wall time (rounds: {each})."
                    )
            if workload["errors"]:
                lines.append("")
                lines.append(
                    f"Failed runs: {len(workload['errors'])} (first: {workload['errors'][0][:200]})"
                )
            lines.append("")
    lines += [f"![network benchmark]({data['chart']})", "", END]
    return "\n".join(lines) + "\n"


def official_version(data: dict[str, object]) -> str:
    meta = data.get("meta")
    versions = meta.get("versions", {}) if isinstance(meta, dict) else {}
    return str(versions.get("official-latest", "latest"))


def write_section(markdown_path: Path, section: str) -> None:
    text = markdown_path.read_text() if markdown_path.exists() else ""
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + section + text[text.index(END) + len(END) + 1 :]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    markdown_path.write_text(text)


def main(options: argparse.Namespace) -> int:
    quick = bool(getattr(options, "quick", False))
    rounds = getattr(options, "rounds", None) or (1 if quick else 5)
    output = Path(options.output).resolve()
    wheel = getattr(options, "wheel", None)
    started = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)
    try:
        binaries = env.build_binaries(release=True, server="bench-net-server")
        venvs: dict[str, Venv] = {}
        if wheel:
            w = Path(wheel).resolve()
            venvs["ours"] = env.ensure_venv(
                "ours",
                {"wheel": w.name, "size": w.stat().st_size, "python": sys.version},
                [str(w)],
                w,
            )
        else:
            venvs["ours"] = env.setup_ours()
        venvs["official-latest"] = env.setup_official("official-latest", "pinecone")
        venvs["official-2025-10"] = env.setup_official(
            "official-2025-10", f"pinecone=={env.OFFICIAL_2025_10}"
        )
        venvs["report"] = env.ensure_venv(
            "report", {"requirements": ["matplotlib"], "python": sys.version}, ["matplotlib"]
        )
        tls_venv = env.ensure_venv(
            "tls", {"requirements": ["trustme"], "python": sys.version}, ["trustme"]
        )
    except SetupError as failure:
        say(f"setup failed: {failure}")
        return 2
    versions = {}
    for name in ("ours", "official-latest", "official-2025-10"):
        info = run(
            [
                str(venvs[name].python),
                str(DRIVERS / ("ours.py" if name == "ours" else "official.py")),
                "sync",
                "info",
            ]
        )
        versions[name] = json.loads(info.stdout.strip().splitlines()[-1])["version"]
    network = setup()
    say(f"network: {network.mode}" + "".join(f"\n    {n}" for n in network.notes))
    settings: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="pbbench-tls-") as directory:
        tls = Path(directory)
        os.chmod(tls, 0o755)
        make_tls(tls_venv, tls, network.host)
        try:
            for rtt in (20, 2):
                settings[str(rtt)] = measure_setting(
                    rtt,
                    rounds,
                    network,
                    binaries,
                    venvs,
                    versions,
                    tls,
                    1000 if quick else 10_000,
                    quick,
                )
        finally:
            teardown()
    git = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=env.REPO, capture_output=True, text=True
    ).stdout.strip()
    data: dict[str, object] = {
        "meta": {
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "git": git + " (with local changes)",
            "command": "./bench/run --network"
            + (" --quick" if quick else "")
            + (" --wheel WHEEL" if wheel else ""),
            "rounds": rounds,
            "network": network.mode,
            "notes": network.notes,
            "versions": versions,
            "duration_seconds": round(time.perf_counter() - started, 1),
        },
        "settings": settings,
        "chart": "network.png",
    }
    output.mkdir(parents=True, exist_ok=True)
    json_path = output / "network.json"
    json_path.write_text(json.dumps(data, indent=1) + "\n")
    drawn = subprocess.run(
        [
            str(venvs["report"].python),
            str(BENCH / "network_chart.py"),
            str(json_path),
            str(output / "network.png"),
        ],
        capture_output=True,
        text=True,
    )
    if drawn.returncode != 0:
        say(f"the chart failed:\n{drawn.stderr}")
    write_section(output / "BENCHMARKS.md", render(data))
    errors = sum(len(w["errors"]) for s in settings.values() for w in s.values())  # type: ignore
    say(
        f"wrote {json_path}, network.png and the network section of BENCHMARKS.md in "
        f"{time.perf_counter() - started:.0f} s" + (f" ({errors} failed runs)" if errors else "")
    )
    return 1 if errors else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--output", type=Path, default=BENCH)
    parser.add_argument("--wheel")
    sys.exit(main(parser.parse_args()))
