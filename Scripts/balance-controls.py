#!/usr/bin/env python3
"""Detailed balance (Vogels et al. 2011) against its controls, over modulation depths and seeds.

For each modulation depth (the s.d. of the shared group rate signals; 0 = no shared signal)
and seed, runs `hebbian stdp balance --modulation M --seed S` and reads from its stderr:
  - the E/I tuning correlation across groups after learning (what plasticity learns);
  - the E/I current correlation over the last quarter of learning;
  - the frozen-weight controls on fresh inputs: learned inhibition, uniform inhibition and
    group-shuffled learned inhibition, each at the learned mean weight and rescaled to the
    learned output rate.
Prints mean +- 95 % t-interval over the seeds, and the paired differences learned - uniform
and learned - shuffled at matched rate.

usage: Scripts/balance-controls.py [--bin .build/release/hebbian] [--seeds 5]
                                   [--modulations 0,0.25,0.5,1] [--seconds 200]
Seeded: rerunning reproduces every number.
"""
import argparse
import math
import re
import subprocess

T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
       9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 19: 2.093}


def interval(xs):
    n = len(xs)
    m = sum(xs) / n
    if n < 2:
        return m, float("nan")
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1))
    t = T95[max(k for k in T95 if k <= n - 1)]
    return m, t * sd / math.sqrt(n)


def run(binary, modulation, seed, seconds):
    err = subprocess.run(
        ["nice", "-n", "10", binary, "stdp", "balance", "--modulation", str(modulation),
         "--seed", str(seed), "--seconds", str(seconds)],
        check=True, capture_output=True, text=True).stderr
    out = {}
    out["tuning"] = float(re.search(r"E/I tuning correlation across groups: (-?[0-9.]+)",
                                    err).group(1))
    m = re.search(r"last [0-9]+ s: rate ([0-9.]+) Hz .*E/I current correlation (-?[0-9.]+)", err)
    out["rate_learning"], out["corr_learning"] = float(m.group(1)), float(m.group(2))
    for name in ["learned", "uniform, same mean", "uniform, same rate",
                 "group-shuffled, same mean", "group-shuffled, same rate"]:
        m = re.search(r"^  " + re.escape(name) + r" +([0-9.]+) +([0-9.]+) +([0-9.]+) +(-?[0-9.]+)",
                      err, re.M)
        out[name] = {"scale": float(m.group(1)), "weight": float(m.group(2)),
                     "rate": float(m.group(3)), "corr": float(m.group(4))}
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default=".build/release/hebbian")
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--modulations", default="0,0.25,0.5,1")
    p.add_argument("--seconds", type=float, default=200)
    args = p.parse_args()
    mods = [float(x) for x in args.modulations.split(",")]
    print(f"# stdp balance, {args.seeds} seeds, {args.seconds:g} s of learning; "
          "controls with the weights frozen on fresh inputs (the last quarter's length); "
          "mean +- 95 % t-interval")
    print(f"{'mod':>5} {'tuning corr':>16} {'learning: rate, corr':>24} "
          f"{'frozen learned':>22} {'uniform same rate':>18} {'shuffled same rate':>18} "
          f"{'learned-uniform':>16} {'learned-shuffled':>17}")
    for mod in mods:
        rs = [run(args.bin, mod, s, args.seconds) for s in range(1, args.seeds + 1)]

        def fmt(xs, d=3):
            m, h = interval(xs)
            return f"{m:.{d}f}+-{h:.{d}f}"

        learned = [r["learned"]["corr"] for r in rs]
        uni = [r["uniform, same rate"]["corr"] for r in rs]
        shu = [r["group-shuffled, same rate"]["corr"] for r in rs]
        print(f"{mod:>5} {fmt([r['tuning'] for r in rs]):>16} "
              f"{fmt([r['rate_learning'] for r in rs], 2) + ' Hz, ' + fmt([r['corr_learning'] for r in rs]):>24} "
              f"{fmt([r['learned']['rate'] for r in rs], 2) + ' Hz, ' + fmt(learned):>22} "
              f"{fmt(uni):>18} {fmt(shu):>18} "
              f"{fmt([a - b for a, b in zip(learned, uni)]):>16} "
              f"{fmt([a - b for a, b in zip(learned, shu)]):>17}")


if __name__ == "__main__":
    main()
