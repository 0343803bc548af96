#!/usr/bin/env python3
"""Plots `sluice-bench judge --csv FILE` as docs/judge-error-rates.png: wrong verdicts against
the canary's traffic, one panel per scenario, one line per judge.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install matplotlib
    swift run -c release sluice-bench judge --runs 2000 --csv /tmp/judge.csv
    /tmp/venv/bin/python scripts/plot-judge.py /tmp/judge.csv docs/judge-error-rates.png
"""
import csv
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(source, target):
    rows = list(csv.DictReader(open(source)))
    scenarios = []
    for r in rows:
        if r["scenario"] not in scenarios:
            scenarios.append(r["scenario"])
    judges = []
    for r in rows:
        if r["judge"] not in judges:
            judges.append(r["judge"])
    series = defaultdict(list)
    for r in rows:
        series[(r["scenario"], r["judge"])].append((float(r["rate"]), 100 * float(r["false_verdicts"])))
    columns = 4
    lines = (len(scenarios) + columns - 1) // columns
    fig, axes = plt.subplots(lines, columns, figsize=(4.2 * columns, 3.4 * lines), squeeze=False)
    for i, scenario in enumerate(scenarios):
        ax = axes[i // columns][i % columns]
        should_pass = next(r["should_pass"] for r in rows if r["scenario"] == scenario) == "1"
        for judge in judges:
            points = sorted(series[(scenario, judge)])
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=judge.split(" (")[0])
        ax.set_xscale("log")
        ax.set_title(scenario, fontsize=9)
        ax.set_xlabel("canary requests/s")
        ax.set_ylabel(("false rollbacks" if should_pass else "false promotions") + " (%)")
        ax.set_ylim(-2, 102)
        ax.grid(True, alpha=0.3)
    for j in range(len(scenarios), lines * columns):
        axes[j // columns][j % columns].axis("off")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(judges), fontsize=9)
    fig.suptitle("Wrong verdicts by judge and canary traffic (sluice-bench judge)", fontsize=11)
    fig.tight_layout(rect=(0, 0.06, 1, 0.96))
    fig.savefig(target, dpi=110)
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
