#!/usr/bin/env python3
"""Convergence of `hebbian stdp competitive` (Song, Miller & Abbott 2000) with simulated time.

Runs the default configuration (1000 inputs at 10 Hz) for each duration and seed, from
scratch, and reports the fraction of weights below 0.1 g_max and above 0.9 g_max, the mean
weight (from the 20-bin histogram on stdout) and the output rate over the last 10 s, as
mean +- 95 % t-interval over the seeds. Converged means these stop moving with the duration.

usage: Scripts/song-convergence.py [--bin .build/release/hebbian] [--seeds 5]
                                   [--durations 200,500,1000,2000,4000]
"""
import argparse
import math
import re
import subprocess

T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}


def interval(xs):
    n = len(xs)
    m = sum(xs) / n
    if n < 2:
        return m, float("nan")
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1))
    return m, T95[min(n - 1, 9)] * sd / math.sqrt(n)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default=".build/release/hebbian")
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--durations", default="200,500,1000,2000,4000")
    args = p.parse_args()
    print(f"# stdp competitive, defaults, {args.seeds} seeds; mean +- 95 % t-interval")
    print(f"{'seconds':>8} {'% < 0.1 g_max':>16} {'% > 0.9 g_max':>16} {'mean w/g_max':>16} "
          f"{'rate Hz':>14}")
    for t in [int(x) for x in args.durations.split(",")]:
        lows, highs, means, rates = [], [], [], []
        for s in range(1, args.seeds + 1):
            r = subprocess.run(
                ["nice", "-n", "10", args.bin, "stdp", "competitive", "--seconds", str(t),
                 "--seed", str(s), "--quiet"], check=True, capture_output=True, text=True)
            m = re.search(r"< 0.1 g_max: ([0-9.]+) %, > 0.9 g_max: ([0-9.]+) %.*\(last [0-9]+ s\) "
                          r"([0-9.]+) Hz", r.stderr)
            lows.append(float(m.group(1)))
            highs.append(float(m.group(2)))
            rates.append(float(m.group(3)))
            total = weighted = 0.0
            for line in r.stdout.splitlines()[1:]:
                x, c = line.split(",")
                total += float(c)
                weighted += float(x) * float(c)
            means.append(weighted / total)
        cells = []
        for xs, d in ((lows, 1), (highs, 1), (means, 3), (rates, 2)):
            m, h = interval(xs)
            cells.append(f"{m:.{d}f} +- {h:.{d}f}")
        print(f"{t:>8} " + " ".join(f"{c:>16}" for c in cells))


if __name__ == "__main__":
    main()
