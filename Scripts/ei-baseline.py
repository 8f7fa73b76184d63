#!/usr/bin/env python3
"""The E/I network against its control, the signed Tsodyks-Feigel'man covariance network.

For each coding level f, size N and seed, runs

    hebbian capacity --model ei --dim N --coding-level f --seed S --trials T --noise 0 \
        --search K --from A --to B --step D

which searches the E/I coefficients and, with the same budget, pattern sets, probes and
criterion, the threshold of the covariance network W = (xi - f)(xi - f)^T / N: fixed
(`covariance`) and following the activity (`cov-activity`). It then prints alpha_c (90 % of
the probes started at their pattern end with Pearson overlap >= 0.9) and the area under the
retrieved curve for each. Over the seeds this script reports the mean with a 95 % t-interval,
and the paired difference E/I minus each baseline (same seed = same patterns).

usage: Scripts/ei-baseline.py [--bin PATH] [--seeds 10] [--sizes 400,800] [--levels 0.1,0.05]
                              [--search 20] [--trials 2] [--jobs 2] [--raw FILE]
Rerunning with the same options reproduces the numbers exactly (every run is seeded).
"""
import argparse
import math
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed

# Load grids per coding level: wide enough that every model's curve falls to zero.
GRIDS = {0.1: (0.05, 0.7, 0.05), 0.05: (0.1, 1.3, 0.1), 0.02: (0.2, 4.0, 0.2)}
MODELS = ["ei", "covariance", "cov-activity"]

# Two-sided 95 % Student t quantiles by degrees of freedom.
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
       9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
       19: 2.093, 24: 2.064, 29: 2.045}


def t95(df):
    keys = sorted(k for k in T95 if k <= df)
    return T95[keys[-1]] if keys else float("nan")


def interval(xs):
    # A run whose curve is never bracketed (alpha_c below the grid or above it) is left out.
    xs = [x for x in xs if not math.isnan(x)]
    n = len(xs)
    if n == 0:
        return float("nan"), float("nan")
    mean = sum(xs) / n
    if n < 2:
        return mean, float("nan")
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1))
    return mean, t95(n - 1) * sd / math.sqrt(n)


def run(binary, f, n, seed, search, trials):
    a, b, d = GRIDS[f]
    cmd = ["nice", "-n", "10", binary, "capacity", "--model", "ei", "--dim", str(n),
           "--coding-level", str(f), "--seed", str(seed), "--trials", str(trials),
           "--noise", "0", "--search", str(search), "--from", str(a), "--to", str(b),
           "--step", str(d), "--quiet"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    line = [l for l in out.splitlines() if l.startswith("E/I against")][0]
    # The fraction retrieved at the largest load, to check that the grid reaches the end of
    # every curve (the area, and a crossing, are only complete if it is near 0).
    last = {}
    for row in out.splitlines():
        cols = row.split()
        if len(cols) == 7 and cols[0] in MODELS:
            last[cols[0]] = float(cols[3])
    result = {}
    for name, alpha, area in re.findall(r"([a-z-]+) ([0-9.]+|not bracketed) \(area ([0-9.]+)\)",
                                        line):
        result[name] = (float(alpha) if alpha != "not bracketed" else float("nan"),
                        float(area), last[name])
    return f, n, seed, result


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default=".build/release/hebbian")
    p.add_argument("--seeds", type=int, default=10)
    p.add_argument("--sizes", default="400,800")
    p.add_argument("--levels", default="0.1,0.05")
    p.add_argument("--search", type=int, default=20)
    p.add_argument("--trials", type=int, default=2)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--raw", default=None, help="append one line per run to this file")
    p.add_argument("--from-raw", default=None,
                   help="summarise the runs recorded in this --raw file instead of running")
    args = p.parse_args()
    levels = [float(x) for x in args.levels.split(",")]
    sizes = [int(x) for x in args.sizes.split(",")]
    results = {}
    if args.from_raw:
        for line in open(args.from_raw):
            m = re.match(r"f=(\S+) N=(\d+) seed=(\d+) (.*)", line)
            r = {k: (float(a), float(b), float(c) if c else float("nan"))
                 for k, a, b, c in re.findall(
                     r"([a-z-]+):alpha=([^,\s]+),area=([^,\s]+)(?:,last=(\S+))?", m.group(4))}
            results[(float(m.group(1)), int(m.group(2)), int(m.group(3)))] = r
        levels = sorted({k[0] for k in results}, reverse=True)
        sizes = sorted({k[1] for k in results})
        summarise(results, levels, sizes, args)
        return
    jobs = [(f, n, s) for f in levels for n in sizes for s in range(1, args.seeds + 1)]
    raw = open(args.raw, "a") if args.raw else None
    with ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run, args.bin, f, n, s, args.search, args.trials)
                   for f, n, s in jobs]
        # Recorded as each run ends, so that an interrupted run keeps what it finished.
        for fut in as_completed(futures):
            f, n, s, r = fut.result()
            results[(f, n, s)] = r
            line = f"f={f} N={n} seed={s} " + " ".join(
                f"{m}:alpha={r[m][0]:.4f},area={r[m][1]:.4f},last={r[m][2]:.3f}" for m in MODELS)
            print(line, file=sys.stderr, flush=True)
            if raw:
                print(line, file=raw, flush=True)
    summarise(results, levels, sizes, args)


def summarise(results, levels, sizes, args):
    print(f"# seeds 1..{args.seeds} (those run: column 'seeds'), search budget {args.search}, "
          f"{args.trials} pattern sequences x 20 probes per load; mean +- 95 % t-interval")
    print("# alpha_c: the load where fewer than 90 % are retrieved (runs whose curve starts "
          "below 90 % at the smallest load are left out, their count shown); area: the area "
          "under the retrieved curve (the search's score, defined for every run)")
    print("# last: the largest fraction retrieved at the grid's largest load over the seeds "
          "(near 0: the grid reaches the end of the curve)")
    print(f"{'f':>5} {'N':>5} {'seeds':>5} {'model':>13} {'alpha_c':>22} {'area':>16} "
          f"{'ei - model, alpha_c':>20} {'ei - model, area':>18} {'last':>5}")
    for f in levels:
        for n in sizes:
            rs = [results[(f, n, s)] for s in range(1, args.seeds + 1) if (f, n, s) in results]
            if not rs:
                continue
            for m in MODELS:
                alphas = [r[m][0] for r in rs]
                areas = [r[m][1] for r in rs]
                am, ai = interval(alphas)
                rm, ri = interval(areas)
                ok = sum(not math.isnan(a) for a in alphas)
                count = "" if ok == len(rs) else f" ({ok}/{len(rs)})"
                diff = area = ""
                if m != "ei":
                    dm, di = interval([r["ei"][0] - r[m][0] for r in rs])
                    diff = f"{dm:+.3f} +- {di:.3f}"
                    dm, di = interval([r["ei"][1] - r[m][1] for r in rs])
                    area = f"{dm:+.3f} +- {di:.3f}"
                cell = f"{am:.3f} +- {ai:.3f}{count}"
                lasts = [r[m][2] for r in rs if not math.isnan(r[m][2])]
                last = f"{max(lasts):.3f}" if lasts else "-"
                print(f"{f:>5} {n:>5} {len(rs):>5} {m:>13} {cell:>22} {rm:>8.3f} +- {ri:.3f} "
                      f"{diff:>20} {area:>18} {last:>5}")


if __name__ == "__main__":
    main()
