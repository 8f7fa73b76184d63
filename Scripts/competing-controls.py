#!/usr/bin/env python3
"""Competing hidden units (Krotov & Hopfield 2019) against random features, with power.

For each readout power n (ReLU(W v)^n), unsupervised epoch count and seed, runs
`hebbian competing --tuned-readout --power n --epochs E --seed S` on the generated bars
(each seed draws its own training and held-out images) and reads the held-out accuracies of
the raw, random-feature and learned-feature readouts (each standardised, its rate tuned on a
validation fifth of the training rows) and the convergence summary (units carrying the data
and their largest |p-norm - 1|). Reports mean +- 95 % t-interval over seeds and the paired
difference learned - random.

usage: Scripts/competing-controls.py [--bin .build/release/hebbian] [--seeds 10]
                                     [--powers 1,3] [--epochs 40,200] [extra competing options]
"""
import argparse
import math
import re
import subprocess

T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
       9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 19: 2.093}


def interval(xs):
    n = len(xs)
    m = sum(xs) / n
    if n < 2:
        return m, float("nan")
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1))
    return m, T95[max(k for k in T95 if k <= n - 1)] * sd / math.sqrt(n)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default=".build/release/hebbian")
    p.add_argument("--seeds", type=int, default=10)
    p.add_argument("--powers", default="1,3")
    p.add_argument("--epochs", default="40,200")
    args, extra = p.parse_known_args()
    print(f"# hebbian competing --tuned-readout {' '.join(extra)}, {args.seeds} seeds; "
          "held-out accuracy %, mean +- 95 % t-interval")
    print(f"{'power':>5} {'epochs':>6} {'raw':>12} {'random':>12} {'learned':>12} "
          f"{'learned - random':>17} {'carrying units':>15} {'max |p-norm - 1|':>17}")
    for power in [int(x) for x in args.powers.split(",")]:
        for epochs in [int(x) for x in args.epochs.split(",")]:
            raw, rnd, lrn, carry, dev = [], [], [], [], []
            hidden = None
            for s in range(1, args.seeds + 1):
                out = subprocess.run(
                    ["nice", "-n", "10", args.bin, "competing", "--tuned-readout", "--power",
                     str(power), "--epochs", str(epochs), "--seed", str(s), "--quiet"] + extra,
                    check=True, capture_output=True, text=True).stdout
                m = re.search(r"hidden units: (\d+),.*; (\d+) carry the data, their max "
                              r"\|p-norm - 1\| = ([0-9.e+-]+)", out)
                hidden = int(m.group(1))
                carry.append(int(m.group(2)))
                dev.append(float(m.group(3)))
                acc = {k: float(v) for k, v in
                       re.findall(r"^(raw|random|learned) +\d+ +([0-9.]+)%", out, re.M)}
                raw.append(acc["raw"])
                rnd.append(acc["random"])
                lrn.append(acc["learned"])

            def fmt(xs, d=1):
                m, h = interval(xs)
                return f"{m:.{d}f}+-{h:.{d}f}"
            print(f"{power:>5} {epochs:>6} {fmt(raw):>12} {fmt(rnd):>12} {fmt(lrn):>12} "
                  f"{fmt([a - b for a, b in zip(lrn, rnd)]):>17} "
                  f"{fmt(carry) + '/' + str(hidden):>15} {max(dev):>17.2e}")


if __name__ == "__main__":
    main()
