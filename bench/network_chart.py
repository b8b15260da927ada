"""The chart of the network benchmark: ``python network_chart.py NETWORK.json OUT.png``
(run by ``bench/run --network`` in the ``report`` venv). Time relative to the floor, per
workload and client, one panel per round trip; lower is better."""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

with open(sys.argv[1]) as file:
    data = json.load(file)
settings = data["settings"]
clients = [
    ("ours-sync", "pinecone-backups (sync)"),
    ("ours-async", "pinecone-backups (async)"),
    ("official-latest-sync", "official latest (sync)"),
    ("official-latest-async", "official latest (async)"),
    ("official-2025-10-sync", "official 9.1.0 (sync)"),
    ("official-2025-10-async", "official 9.1.0 (async)"),
]
fig, axes = plt.subplots(len(settings), 1, figsize=(11, 4 * len(settings)), squeeze=False)
for axis, (rtt, results) in zip(axes[:, 0], settings.items(), strict=True):
    # the workloads with a floor (the policy dry run has none: its numbers are in the tables)
    keys = [key for key in results if "floor" in results[key]["summary"]]
    width = 0.8 / len(clients)
    for i, (client, label) in enumerate(clients):
        values = []
        for key in keys:
            summary = results[key]["summary"]
            floor = summary.get("floor", {}).get("ms")
            mine = summary.get(client, {}).get("ms")
            values.append(mine / floor if mine and floor else 0)
        axis.bar([k + i * width for k in range(len(keys))], values, width, label=label)
    axis.axhline(1, color="black", linewidth=0.8)
    axis.set_xticks([k + 0.4 - width / 2 for k in range(len(keys))])
    axis.set_xticklabels(keys)
    axis.set_ylabel("time / Rust floor")
    axis.set_title(f"TLS, {rtt} ms round trip (lower is better; 0: not run)")
axes[0, 0].legend(fontsize=8, ncol=3)
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=90)
