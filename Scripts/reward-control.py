#!/usr/bin/env python3
"""Reward-modulated STDP (Izhikevich 2007) against its non-contingent control, over seeds.

`hebbian stdp reward --seed S` runs the distal-reward experiment and then the control with
dopamine at the same mean rate but unrelated to the pairings. This script reads both
summaries and reports input 0's final weight (fraction of w_max) and the mean of the others,
contingent and non-contingent, with the count of seeds where input 0 ends above 0.5 w_max.

usage: Scripts/reward-control.py [--bin .build/release/hebbian] [--seeds 10] [--eta 0.1]
"""
import argparse
import re
import subprocess


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default=".build/release/hebbian")
    p.add_argument("--seeds", type=int, default=10)
    p.add_argument("--eta", default="0.1")
    args = p.parse_args()
    rows = []
    for s in range(1, args.seeds + 1):
        err = subprocess.run(
            ["nice", "-n", "10", args.bin, "stdp", "reward", "--seed", str(s), "--eta", args.eta],
            check=True, capture_output=True, text=True).stderr
        a = re.search(r"rewarded synapse: ([0-9.]+) of w_max; others: ([0-9.]+)", err)
        b = re.search(r"input 0: ([0-9.]+) of w_max; others: ([0-9.]+)", err)
        rows.append((float(a.group(1)), float(a.group(2)), float(b.group(1)), float(b.group(2))))
        print(f"seed {s}: contingent input 0 {rows[-1][0]:.3f}, others {rows[-1][1]:.3f}; "
              f"non-contingent input 0 {rows[-1][2]:.3f}, others {rows[-1][3]:.3f}")
    n = len(rows)
    mean = [sum(r[k] for r in rows) / n for k in range(4)]
    print(f"mean over {n} seeds (eta {args.eta}): contingent input 0 {mean[0]:.3f} "
          f"(> 0.5 w_max in {sum(r[0] > 0.5 for r in rows)}/{n}), others {mean[1]:.3f}; "
          f"non-contingent input 0 {mean[2]:.3f} (> 0.5 w_max in {sum(r[2] > 0.5 for r in rows)}/{n}), "
          f"others {mean[3]:.3f}")


if __name__ == "__main__":
    main()
