"""The benchmark harness, end to end: ``bench/run --quick`` writes its report, chart and JSON.

A quick run builds the bench binaries (debug) if needed, takes this package from the test
suite's own Python, skips the clients whose venvs a full run has not created, and installs
nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WORKLOADS = {"warm_10", "warm_100", "walk", "cold", "memory", "concurrency"}
DECODE_ENTRIES = (
    "ours-decode-2025-10",
    "ours-decode-2025-10-again",
    "ours-decode-2026-07",
    "ours-call-2025-10",
    "ours-call-2026-07",
)


@pytest.mark.bench
@pytest.mark.timeout(900)  # the first run on a fresh checkout compiles the bench crate
def test_quick_run_writes_report_chart_and_json(tmp_path: Path) -> None:
    done = subprocess.run(
        ["bash", str(REPO / "bench" / "run"), "--quick", "--output", str(tmp_path)],
        cwd=REPO,
        env={**os.environ, "BENCH_PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=880,
    )
    assert done.returncode == 0, done.stderr[-5000:]

    assert (tmp_path / "benchmarks.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    report = (tmp_path / "BENCHMARKS.md").read_text()
    rows = [line for line in report.splitlines() if line.startswith("| ")]
    for label in ("pinecone-backups (sync)", "pinecone-backups (async)", "Rust floor"):
        assert any(row.startswith(f"| {label} |") for row in rows), f"no row for {label}"
    assert "## Targets" in report

    data = json.loads((tmp_path / "benchmarks.json").read_text())
    expected = {"meta", "capacity", "clients", "workloads", "packages", "targets", "chart"}
    assert expected <= data.keys()
    assert data["meta"]["mode"] == "quick"
    assert data["capacity"]["limit_10"] > 0 and data["capacity"]["limit_100"] > 0
    assert set(data["workloads"]) == {"placement", "latency", "decode", *WORKLOADS}
    latency = data["workloads"]["latency"]["summary"]
    assert latency["ours-sync-t8"]["rounds"] >= 1 and latency["ours-sync-t1"]["rounds"] >= 1
    for key, workload in data["workloads"].items():
        assert workload["errors"] == [], key
        if key in ("latency", "decode"):
            continue
        summary = workload["summary"]
        for entry in ("ours-sync", "ours-async", "floor") if key in WORKLOADS else ("floor",):
            found = summary.get(entry) or summary.get(f"{entry}-t8")
            assert found and found["rounds"] >= 1, (key, entry)
    assert {t["status"] for t in data["targets"]} <= {"met", "not met", "not measured"}
    assert len(data["targets"]) == 14
    # The async targets are judged on ratios computed in the run, not left unmeasured.
    measured = {t["name"]: t for t in data["targets"]}
    for name in (
        "Async warm call, limit=10 (p50)",
        "Full walk of the index, page size 100 (async)",
    ):
        assert measured[name]["status"] in {"met", "not met"}, measured[name]
    assert data["workloads"]["warm_10"]["summary"]["ours-async"]["p50_us_x_sync"] > 0
    # tomli is declared for Python 3.10 only (to read policy files): 0 anywhere newer.
    assert data["packages"]["ours"]["dependencies"] == (1 if sys.version_info < (3, 11) else 0)

    # Workload 7: each API version's page decoded (2025-10 twice, the A/A control) and each
    # version's whole call, in the same run; the target judged on the pair-by-pair ratio.
    decode = data["workloads"]["decode"]["summary"]
    for entry in DECODE_ENTRIES:
        assert decode[entry]["rounds"] >= 1, entry
    assert decode["ours-decode-2026-07"]["bytes"] > 0 and decode["ours-decode-2025-10"]["bytes"] > 0
    ratios = data["decode_over_2025_10"]
    for entry in ("ours-decode-2025-10-again", "ours-decode-2026-07", "ours-call-2026-07"):
        assert ratios[entry]["p50_us"] > 0 and ratios[entry]["min_us"] > 0, entry
    decoding = measured["Decoding a page of 100 backups, API 2026-07 (`BackupList.from_json`, p50)"]
    assert decoding["status"] in {"met", "not met"}, decoding
    assert "A/A control" in decoding["measured"]
    assert "### 7. Decoding a page of 100 backups per API version" in report


@pytest.mark.parametrize(
    ("requirement", "applies"),
    [
        ("tomli>=1.1 ; python_full_version < '3.11'", sys.version_info < (3, 11)),
        ('tomli>=1.1; python_version < "3.11"', sys.version_info < (3, 11)),
        ("x ; python_version >= '3.8' and python_version < '99'", True),
        ("pandas>=2 ; extra == 'pandas'", False),
        ("plain>=1", True),
        ("other ; sys_platform == 'win32'", True),  # a marker it cannot read is counted
    ],
)
def test_quick_runs_count_the_dependencies_this_python_installs(
    requirement: str, applies: bool
) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("environments", REPO / "bench/environments.py")
    assert spec is not None and spec.loader is not None
    environments = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("environments", environments)  # its dataclasses look it up
    spec.loader.exec_module(environments)
    assert environments._marker_applies(requirement) is applies
