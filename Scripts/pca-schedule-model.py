#!/usr/bin/env python3
"""Candidate PCA schedules measured without rebuilding: a float64 model of the learner.

    python3 Scripts/export-datasets.py /tmp/datasets
    swift build -c release --product hebbian
    python3 Scripts/pca-schedule-model.py /tmp/datasets --rule gha --sets digits \\
        --schedule power:0.35:10

It runs the one-pass protocol of `pca-reference.py --one-pass` (raw data, one pass, 10 seeds,
the loop from the learner's own initial weights, the loop's best of 77 schedules) on a numpy
model of the C driver of Oja, subspace and GHA (include/hebbian/hb_pca.h): running mean,
input power P, running output powers <y_i^2> (weight max(1/t, 1e-3)), row rates
eta_i = min(alpha / max(<y_i^2>, P/d), 1/|xc|^2), the rule's step. In float64, so it is not
bit-identical to the learner, but it reproduces its figures to the printed digits (the
defaults: Oja on digits 1.84e-01, GHA on digits with k = 4 4.32e-02, as the binary). Similarity
matching, FSM and CCIPCA are not modelled.

--schedule KIND:C:T0, repeatable: inverse (alpha = C/(T0 + t), the library's) or power
(alpha = C/(T0 + t)^(3/4)); default: the rule's default, inverse 3:100 (Oja), 12:10
(subspace), 8:10 (GHA). --gap-oracle KAPPA instead gives the inverse schedule
C = KAPPA/g, g = 1 - lambda_(k+1)/lambda_k the true relative eigengap below the k-th
component (a quantity the learner cannot see): what tracking one more component could buy.
--average A also reports the Polyak-Ruppert average of W with weight min(1, A/t).
--passes N runs the other protocol of pca-reference.py instead (N passes over the
standardised NAME.csv from the CLI's default initial weights, against the loop's best of 15
schedules run for N passes; one start, so the ratios are one run's).
"""
import argparse
import importlib.util
import os
import tempfile

import numpy as np

_spec = importlib.util.spec_from_file_location(
    "pca_reference", os.path.join(os.path.dirname(os.path.abspath(__file__)), "pca-reference.py"))
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)

DEFAULTS = {"oja": ("inverse", 3.0, 100.0), "subspace": ("inverse", 12.0, 10.0),
            "gha": ("inverse", 8.0, 10.0)}


def alpha(kind, c, t0, t_before):
    u = t0 + t_before
    return c / u if kind == "inverse" else c / u ** 0.75


def learner(x, k, rule, starts, schedule, average=None, passes=1):
    """The learner's final W for every start (seeds, k, d), and its average with weight
    min(1, average/t) when average is given."""
    n, d = x.shape
    kind, c, t0 = schedule
    w = np.stack(starts).copy()
    wa = w.copy()
    lower = np.tril(np.ones((k, k))) if rule == "gha" else np.ones((k, k))
    mean, p_in, power = np.zeros(d), 0.0, np.zeros((len(starts), k))
    with np.errstate(all="ignore"):
        for t in range(1, passes * n + 1):
            mean += (x[(t - 1) % n] - mean) / t
            xc = x[(t - 1) % n] - mean
            p = xc @ xc
            beta = max(1.0 / t, 1e-3)
            p_in += beta * (p - p_in)
            y = w @ xc
            if p >= 1e-30:
                s = np.maximum(power, p_in / d)
                eta = np.minimum(np.where(s > 0, alpha(kind, c, t0, t - 1) / s, 1 / p), 1 / p)
                yy = (y[..., :, None] * y[..., None, :]) * lower
                w += eta[..., None] * (y[..., :, None] * xc - yy @ w)
            else:
                y = 0 * y
            power += beta * (y * y - power)
            if average:
                wa += min(1.0, average / t) * (w - wa)
    return w, wa


def errors(w, v):
    return [ref.subspace_error(wi, v) if np.all(np.isfinite(wi)) else 2.0 for wi in w]


def ratios(errs, loop):
    """Median ratio and worst ratio, seed by seed, as pca-reference.py --one-pass."""
    r = [e / l if l > 0 else float("inf") for e, l in zip(errs, loop)]
    return f"{np.median(r):.2f} | {max(r):.2f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir")
    ap.add_argument("--hebbian", default=".build/release/hebbian")
    ap.add_argument("--rule", default="gha", choices=("oja", "subspace", "gha"))
    ap.add_argument("--sets", default=",".join(s for s, _ in ref.SETS))
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--schedule", action="append", default=[], metavar="KIND:C:T0")
    ap.add_argument("--gap-oracle", type=float, metavar="KAPPA")
    ap.add_argument("--average", type=float, metavar="A")
    ap.add_argument("--passes", type=int, default=1)
    a = ap.parse_args()
    scheds = [(s.split(":")[0], float(s.split(":")[1]), float(s.split(":")[2]))
              for s in a.schedule] or [DEFAULTS[a.rule]]
    print("| data | k | schedule | model (median) | loop (median) | median ratio | worst ratio |"
          + (" averaged (median) | median ratio | worst ratio |" if a.average else ""))
    print("|---|---|---|---|---|---|---|" + ("---|---|---|" if a.average else ""))
    with tempfile.TemporaryDirectory() as tmp:
        for name, ks in ref.SETS:
            if name not in a.sets.split(","):
                continue
            raw = "-raw" if a.passes == 1 else ""
            x = ref.load_csv(os.path.join(a.data_dir, name + raw + ".csv"))
            for k in ks:
                if (a.rule == "oja") != (k == 1):
                    continue
                vals, v = ref.top_eigenvectors(x, k)
                if a.passes == 1:
                    starts = [ref.learner_start(a.hebbian, x.shape[1], k, s, tmp)
                              for s in range(1, a.seeds + 1)]
                    loop, label = ref.best_one_pass_loop(x, k, (a.rule,), vals[0], v, starts)
                else:
                    starts = [ref.learner_start(a.hebbian, x.shape[1], k, None, tmp)]
                    ref.PASSES = a.passes
                    best, label = ref.best_loop(x, k, (a.rule,), vals[0], v)
                    loop = [best]
                runs = scheds
                if a.gap_oracle is not None:
                    runs = [("inverse", a.gap_oracle / (1 - vals[k] / vals[k - 1]), 10.0)]
                for kind, c, t0 in runs:
                    w, wa = learner(x, k, a.rule, starts, (kind, c, t0), a.average, a.passes)
                    err = errors(w, v)
                    row = (f"| {name} | {k} | {kind} {c:.3g}:{t0:g} | {np.median(err):.2e} | "
                           f"{np.median(loop):.2e} ({label}) | {ratios(err, loop)}")
                    if a.average:
                        erra = errors(wa, v)
                        row += f" | {np.median(erra):.2e} | {ratios(erra, loop)}"
                    print(row + " |", flush=True)


if __name__ == "__main__":
    main()
