#!/usr/bin/env python3
"""alpha_c of the Hebbian Hopfield network with its uncertainty, from N = 500 upwards.

Compiles Scripts/hopfield-alpha.c (the overlap form: no N x N matrix, so N = 8000 fits) and
runs, for each N, TRIALS independent pattern sequences with PROBES probes per load (the
protocol of `hebbian capacity --model hopfield`: start at the stored pattern, asynchronous
updates to a fixed point, retrieved when m >= 0.9). Reports per N:
  - the retrieval-fraction curve R(alpha) pooled over the trials, with the standard error
    over trials;
  - alpha_c at the 90 % and 50 % levels (linear interpolation of the pooled curve), with a
    95 % interval from a bootstrap over the trials;
  - the mean overlap of the retrieved states at the grid load just below alpha_c(90 %)
    (replica-symmetric theory: m = 0.967 at alpha_c).
Then the fit alpha_c(N) = a + b / sqrt(N) for both levels, weighted by the bootstrap
variances, with a 95 % bootstrap interval for a (every trial set resampled together).
With --cli, the project's own command runs at the smaller sizes on the same grid, for
comparison (pooled over its --trials; different random numbers).

usage: Scripts/hopfield-alpha.py [--sizes 500,1000,2000,4000,8000] [--trials 10]
                                 [--probes 20] [--from 0.11] [--to 0.19] [--step 0.005]
                                 [--cli 500,1000] [--bin .build/release/hebbian] [--seed 1]
Seeded: rerunning with the same options reproduces every number.
"""
import argparse
import math
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def crossing(loads, r, level):
    if not r or r[0] < level:
        return float("nan")
    for k in range(1, len(r)):
        if r[k] < level:
            t = (r[k - 1] - level) / (r[k - 1] - r[k])
            return loads[k - 1] + t * (loads[k] - loads[k - 1])
    return float("nan")


def pooled(trial_rows, loads):
    """Pooled retrieval fraction per load over a list of trials (dicts load -> (ret, k))."""
    out = []
    for a in loads:
        ret = sum(t[a][0] for t in trial_rows)
        tot = sum(t[a][1] for t in trial_rows)
        out.append(ret / tot)
    return out


def percentile(xs, q):
    xs = sorted(x for x in xs if not math.isnan(x))
    if not xs:
        return float("nan")
    i = q * (len(xs) - 1)
    lo, hi = int(math.floor(i)), int(math.ceil(i))
    return xs[lo] + (xs[hi] - xs[lo]) * (i - lo)


def fit(ns, alphas, weights):
    """Weighted least squares alpha = a + b / sqrt(N)."""
    sw = sx = sy = sxx = sxy = 0.0
    for n, y, w in zip(ns, alphas, weights):
        x = 1 / math.sqrt(n)
        sw += w
        sx += w * x
        sy += w * y
        sxx += w * x * x
        sxy += w * x * y
    det = sw * sxx - sx * sx
    b = (sw * sxy - sx * sy) / det
    return (sy - b * sx) / sw, b


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="500,1000,2000,4000,8000")
    p.add_argument("--trials", type=int, default=10)
    p.add_argument("--probes", type=int, default=20)
    p.add_argument("--from", dest="lo", type=float, default=0.11)
    p.add_argument("--to", dest="hi", type=float, default=0.19)
    p.add_argument("--step", type=float, default=0.005)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--boot", type=int, default=2000)
    p.add_argument("--cli", default="", help="sizes at which to run `hebbian capacity` too")
    p.add_argument("--bin", default=".build/release/hebbian")
    args = p.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    count = int(round((args.hi - args.lo) / args.step)) + 1
    grid = [round(args.lo + k * args.step, 6) for k in range(count)]

    exe = os.path.join(tempfile.gettempdir(), "hopfield-alpha-%d" % os.getpid())
    subprocess.run(["cc", "-O3", "-o", exe, os.path.join(HERE, "hopfield-alpha.c")], check=True)
    data = {}  # N -> list of trials, each {load: (retrieved, probes, mean m retrieved)}
    for n in sizes:
        out = subprocess.run(
            ["nice", "-n", "10", exe, str(n), str(args.trials), str(args.probes),
             str(args.seed + n)] + [str(a) for a in grid],
            check=True, capture_output=True, text=True).stdout
        trials = {}
        loads = []
        for line in out.splitlines():
            _, t, load, _, ret, k, _, mret = line.split()
            load = float(load)
            trials.setdefault(int(t), {})[load] = (int(ret), int(k), float(mret))
            if load not in loads:
                loads.append(load)
        data[n] = (loads, [trials[t] for t in sorted(trials)])
        print(f"# N = {n} done", file=sys.stderr, flush=True)
    os.remove(exe)

    rng = random.Random(args.seed)
    print(f"# Hebbian Hopfield network, {args.trials} pattern sequences x {args.probes} probes "
          f"per load; R = fraction started at their pattern ending with m >= 0.9")
    print("# retrieval curves: R(alpha) pooled over the trials +- standard error over trials")
    header = "alpha  " + " ".join(f"{'N=' + str(n):>14}" for n in sizes)
    print(header)
    for i in range(count):
        cells = []
        for n in sizes:
            loads, trials = data[n]
            a = loads[i]
            fr = [t[a][0] / t[a][1] for t in trials]
            mean = sum(fr) / len(fr)
            se = (math.sqrt(sum((x - mean) ** 2 for x in fr) / (len(fr) - 1) / len(fr))
                  if len(fr) > 1 else float("nan"))
            cells.append(f"{mean:6.3f} +- {se:5.3f}")
        # The grid load; each N stores round(alpha N) patterns, so its exact load differs
        # slightly (the crossings below use the exact loads).
        print(f"{grid[i]:.3f}  " + " ".join(f"{c:>14}" for c in cells))

    print()
    print(f"{'N':>6} {'alpha_c (90 %)':>24} {'half-retrieval (50 %)':>24} "
          f"{'m retrieved just below alpha_c':>32}")
    boots = {n: {0.9: [], 0.5: []} for n in sizes}
    point = {}
    for n in sizes:
        loads, trials = data[n]
        r = pooled(trials, loads)
        point[n] = {lv: crossing(loads, r, lv) for lv in (0.9, 0.5)}
        for _ in range(args.boot):
            sample = [trials[rng.randrange(len(trials))] for _ in trials]
            rb = pooled(sample, loads)
            for lv in (0.9, 0.5):
                boots[n][lv].append(crossing(loads, rb, lv))
        below = [a for a in loads if a < point[n][0.9]]
        mtxt = "n/a"
        if below:
            a = below[-1]
            num = sum(t[a][0] * t[a][2] for t in trials)
            den = sum(t[a][0] for t in trials)
            if den:
                mtxt = f"{num / den:.4f} at alpha = {a:.3f}"
        cells = []
        for lv in (0.9, 0.5):
            lo, hi = percentile(boots[n][lv], 0.025), percentile(boots[n][lv], 0.975)
            cells.append(f"{point[n][lv]:.4f} [{lo:.4f}, {hi:.4f}]")
        print(f"{n:>6} {cells[0]:>24} {cells[1]:>24} {mtxt:>32}")

    print()
    for lv, name in ((0.9, "alpha_c (90 %)"), (0.5, "half-retrieval load (50 %)")):
        ns = [n for n in sizes if not math.isnan(point[n][lv])]
        if len(ns) < 2:
            print(f"{name}: fewer than two bracketed sizes")
            continue
        var = []
        for n in ns:
            xs = [x for x in boots[n][lv] if not math.isnan(x)]
            m = sum(xs) / len(xs)
            var.append(max(sum((x - m) ** 2 for x in xs) / (len(xs) - 1), 1e-8))
        w = [1 / v for v in var]
        a, b = fit(ns, [point[n][lv] for n in ns], w)
        fits = []
        for k in range(args.boot):
            ys = [boots[n][lv][k] for n in ns]
            if any(math.isnan(y) for y in ys):
                continue
            fits.append(fit(ns, ys, w)[0])
        print(f"{name} extrapolated to N -> inf: {a:.4f} "
              f"[{percentile(fits, 0.025):.4f}, {percentile(fits, 0.975):.4f}] "
              f"(weighted least squares a + b/sqrt(N), b = {b:+.3f}, N = "
              f"{','.join(map(str, ns))}; 95 % bootstrap over trials)")
    print("literature: simulations 0.145 +- 0.009; replica-symmetric theory 0.1379, one-step "
          "RSB 0.1382; m = 0.967 at alpha_c (RS)")

    if args.cli:
        print()
        print("# the project's own command on the same grid "
              f"(--trials {args.trials} --probes {args.probes} --noise 0)")
        for n in [int(x) for x in args.cli.split(",")]:
            out = subprocess.run(
                ["nice", "-n", "10", args.bin, "capacity", "--model", "hopfield", "--dim", str(n),
                 "--from", str(args.lo), "--to", str(args.hi), "--step", str(args.step),
                 "--noise", "0", "--trials", str(args.trials), "--probes", str(args.probes),
                 "--seed", str(args.seed), "--quiet"],
                check=True, capture_output=True, text=True).stdout
            for line in out.splitlines():
                if line.startswith("hopfield: alpha_c"):
                    print(f"N = {n}: {line}")


if __name__ == "__main__":
    main()
