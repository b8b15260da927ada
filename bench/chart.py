"""Draws ``benchmarks.png`` from ``benchmarks.json``: grouped bars, the ratio to the Rust floor
per workload (group) and client (bar), log scale. Runs in the ``report`` venv (matplotlib).

    python chart.py benchmarks.json benchmarks.png
"""

from __future__ import annotations

import json
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

#: Colour per client family, and a hatch for async.
COLOURS = {
    "ours": "#1b9e77",
    "official-latest": "#d95f02",
    "official-2025-10": "#e6ab02",
    "httpx": "#7570b3",
}


def as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def family(key: str) -> str:
    return key.rsplit("-", 1)[0]


def draw(data: dict[str, object], path: str) -> None:
    chart = data["chart"]
    assert isinstance(chart, dict)
    groups: list[str] = chart["groups"]
    series: list[dict[str, object]] = chart["series"]
    meta = data["meta"]
    assert isinstance(meta, dict)

    fig, ax = plt.subplots(figsize=(13, 6.2), dpi=110)
    width = 0.8 / max(1, len(series))
    for i, one in enumerate(series):
        key = str(one["key"])
        values = as_list(one["values"])
        xs = [g + (i - (len(series) - 1) / 2) * width for g in range(len(groups))]
        heights = [v if isinstance(v, (int, float)) and v > 0 else math.nan for v in values]
        bars = ax.bar(
            xs,
            heights,
            width * 0.92,
            label=str(one["label"]),
            color=COLOURS.get(family(key), "#999999"),
            hatch="//" if key.endswith("-async") else None,
            edgecolor="white" if key.endswith("-async") else None,
            linewidth=0,
        )
        for bar, value in zip(bars, heights, strict=True):
            if not math.isnan(value):
                ax.annotate(
                    f"{value:.3g}",
                    (bar.get_x() + bar.get_width() / 2, value),
                    ha="center",
                    va="bottom",
                    fontsize=6.5,
                    rotation=90,
                    xytext=(0, 2),
                    textcoords="offset points",
                )
    ax.axhline(1.0, color="black", linewidth=1, linestyle="--", label="Rust floor = 1")
    ax.set_yscale("log")
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(groups, fontsize=9)
    ax.set_xlim(-0.5, len(groups) - 0.5)
    ax.set_ylabel("cost relative to the Rust floor (x, log scale; lower is better)")
    machine = meta.get("machine", {})
    assert isinstance(machine, dict)
    quick = " - QUICK RUN, numbers meaningless" if meta.get("mode") == "quick" else ""
    ax.set_title(
        "pinecone-backups vs the official SDK and httpx+orjson: ratio to the Rust floor, "
        f"pair by pair{quick}\n{meta.get('date')}, {machine.get('cpu_model')}, "
        f"{machine.get('cores')} cores (shared VM: ratios, not absolute times)",
        fontsize=10,
    )
    ax.grid(axis="y", which="both", alpha=0.25)
    ax.legend(fontsize=8, ncol=4, loc="upper left", frameon=False)
    known = [v for one in series for v in as_list(one["values"]) if isinstance(v, (int, float))]
    top = max(known, default=10.0)
    ax.set_ylim(0.3, max(10.0, top * 6))
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    with open(sys.argv[1]) as source:
        draw(json.load(source), sys.argv[2])
