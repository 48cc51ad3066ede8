#!/usr/bin/env python3
"""Medians of several bench/run.sh results (bench/target/results-*.md), row by row.

    python3 bench/medians.py bench/target/results-*.md            # a markdown table
    python3 bench/medians.py --tsv bench/target/results-*.md > bench/baseline.tsv

A run's figures on this 2-core machine vary by 15-60 % (the load generator shares the cores, the host is shared):
compare medians of three runs or more, never two single runs. Rows a run marked "figure disturbed" are left out.
The JMH rows ("jmh <benchmark> <provider>") are taken from each file's JMH table.
"""
import re
import statistics
import sys


def rows(path):
    """(name, req/s, p99 ms, server CPU ms/req) of each measured row of one results file."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 13 and re.fullmatch(r"[0-9.]+", cells[1]) and "figure disturbed" not in cells[-1]:
                yield cells[0], float(cells[1]), number(cells[3]), number(cells[5])
            elif len(cells) == 4 and cells[1] in ("accp", "bouncycastle", "jdk", "conscrypt") and re.fullmatch(r"[0-9.]+", cells[2]):
                yield f"jmh {cells[0]} {cells[1]}", float(cells[2]), None, None


def number(cell):
    return float(cell) if re.fullmatch(r"[0-9.]+", cell) else None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main(args):
    tsv = "--tsv" in args
    files = [a for a in args if a != "--tsv"]
    if not files:
        sys.exit("usage: medians.py [--tsv] RESULTS.md...")
    figures = {}
    for path in files:
        for name, rate, p99, cpu in rows(path):
            figures.setdefault(name, []).append((rate, p99, cpu))
    fmt = lambda v, d: "-" if v is None else f"{v:.{d}f}"
    if tsv:
        print(f"# medians of {len(files)} bench/run.sh results: " + " ".join(p.rsplit("/", 1)[-1] for p in files))
        print("# scenario\treq/s\tp99 ms\tserver CPU ms/req\truns")
    else:
        print(f"Medians of {len(files)} runs.\n")
        print("| scenario | req/s | p99 ms | server CPU ms/req | runs | req/s of each run |")
        print("|---|---:|---:|---:|---:|---|")
    for name, values in figures.items():
        rate, p99, cpu = (median([v[i] for v in values]) for i in range(3))
        if tsv:
            print(f"{name}\t{fmt(rate, 1)}\t{fmt(p99, 2)}\t{fmt(cpu, 2)}\t{len(values)}")
        else:
            each = ", ".join(f"{v[0]:,.0f}" for v in values)
            print(f"| {name} | {rate:,.0f} | {fmt(p99, 2)} | {fmt(cpu, 2)} | {len(values)} | {each} |")


if __name__ == "__main__":
    main(sys.argv[1:])
