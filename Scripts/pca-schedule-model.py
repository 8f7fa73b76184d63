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
defaults: Oja on digits 1.44e-01, GHA on digits with k = 4 4.32e-02, as the binary). Similarity
matching, FSM and CCIPCA are not modelled.

--schedule KIND:C:T0, repeatable: inverse (alpha = C/(T0 + t), the library's) or power
(alpha = C/(T0 + t)^(3/4)), or ramp:C:T0:CHI:T1, an inverse schedule whose constant grows
from C to CHI on the time scale T1 (c_t = C + (CHI - C) t/(t + T1): a guessed horizon, the
one-pass sets being a few thousand samples long); default: the rule's default, power
0.35:10 (Oja), inverse 12:10 (subspace), 8:10 (GHA). --gap-oracle KAPPA instead gives the
inverse schedule C = KAPPA/g, g = 1 - lambda_(k+1)/lambda_k the true relative eigengap below
the k-th component (a quantity the learner cannot see): what tracking one more component
could buy.
--average A also reports the Polyak-Ruppert average of W with weight min(1, A/t).
--adapt KIND:LO:GAMMA:B:BMIN, repeatable, scales each row's rate by a drift-to-noise
diagnostic of its own steps into [LO, 1] (class Adapt: snr, thr, cos), the horizon-free
candidates; each is run with every --schedule.
--pair C2 runs a second learner with C2/(T0 + t) beside each and reports, start by start,
the one whose running residual |xc - W'y|^2 (measured before each step, weight
max(1/t, 1/500)) is smaller: two learners and a choice by held-out fit.
--warm B:ITERS[:KAPPA] takes no steps for the first B samples, then sets W from their
covariance about the running mean (ITERS subspace iterations from the start, or its exact top-k
eigenvectors when ITERS is 0) and its output powers from them, and runs the rule on from
there; with KAPPA the schedule's C becomes KAPPA/g, g = 1 - lambda_(k+1)/lambda_k of that
covariance.
--passes N runs the other protocol of pca-reference.py instead (N passes over the
standardised NAME.csv from the CLI's default initial weights, against the loop's best of 15
schedules run for N passes; one start, so the ratios are one run's, unless --starts N adds
the starts of --seed 1 ... N-1, each against the same loop).
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

DEFAULTS = {"oja": ("power", 0.35, 10.0), "subspace": ("inverse", 12.0, 10.0),
            "gha": ("inverse", 8.0, 10.0)}


RAMP = [8.0, 3000.0]  # ramp's (c_hi, T1), set from --schedule ramp:C:T0:CHI:T1


def alpha(kind, c, t0, t_before):
    u = t0 + t_before
    if kind == "ramp":
        c_hi, t1 = RAMP
        return (c + (c_hi - c) * t_before / (t_before + t1)) / u
    return c / u if kind == "inverse" else c / u ** 0.75


WARM = [0, 0, 0]  # (B, iterations, kappa): --warm B:ITERS[:KAPPA]


def warm_start(buf, mean, w, iters):
    """Rows of W from the first B samples: subspace iteration on their covariance (about the
    running mean at B) from the start W, or its exact top eigenvectors when iters is 0."""
    xc = buf - mean
    c = xc.T @ xc / len(buf)
    out = []
    for wi in w:
        if iters == 0:
            vals, vecs = np.linalg.eigh(c)
            q = vecs[:, np.argsort(vals)[::-1][: wi.shape[0]]]
        else:
            q = wi.T
            for _ in range(iters):
                q, _ = np.linalg.qr(c @ q)
        out.append(q.T)
    return np.stack(out), np.stack([np.sum((w_ @ xc.T) ** 2, -1) / len(buf) for w_ in out])


def learner(x, k, rule, starts, schedule, average=None, passes=1, adapt=None):
    """The learner's final W for every start (seeds, k, d), its average with weight
    min(1, average/t) when average is given, and the running mean (weight max(1/t, 1/500))
    of each start's residual |xc - W'y|^2 before the step; adapt (an Adapt) scales each row's
    rate by its drift-to-noise diagnostic."""
    n, d = x.shape
    kind, c, t0 = schedule
    w = np.stack(starts).copy()
    diag = adapt.state(len(starts), k, d) if adapt else None
    resid = np.zeros(len(starts))
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
            if WARM[0] and t <= WARM[0]:
                if t == WARM[0]:
                    w, power = warm_start(x[:t], mean, w, int(WARM[1]))
                    if WARM[2]:
                        xb = x[:t] - mean
                        ev = np.sort(np.linalg.eigvalsh(xb.T @ xb / t))[::-1]
                        gap = max(1 - ev[k] / ev[k - 1], 1e-3) if k < d else 1.0
                        c = WARM[2] / gap
                    p_in = np.mean(np.sum((x[:t] - mean) ** 2, -1))
                continue
            y = w @ xc
            r = xc - np.einsum("...i,...id->...d", y, w)
            resid += max(1.0 / t, 2e-3) * (np.sum(r * r, -1) - resid)
            if p >= 1e-30:
                s = np.maximum(power, p_in / d)
                a_t = alpha(kind, c, t0, t - 1)
                if adapt:
                    a_t = a_t * adapt.scale(diag, t)
                eta = np.minimum(np.where(s > 0, a_t / s, 1 / p), 1 / p)
                yy = (y[..., :, None] * y[..., None, :]) * lower
                u = y[..., :, None] * xc - yy @ w
                w += eta[..., None] * u
                if adapt:
                    adapt.observe(diag, u, t)
            else:
                y = 0 * y
            power += beta * (y * y - power)
            if average:
                wa += min(1.0, average / t) * (w - wa)
    return w, wa, resid


class Adapt:
    """A drift-to-noise diagnostic per row that scales the schedule's rate into [lo, 1].

    u_t = y_i e_i is row i's step direction (the step is eta_i u_t). snr: m, an average of u
    with weight b_t = max(B/t, bmin), and v, the same average of |u|^2; R = |m|^2 / (v b/(2-b))
    is about 1 when the steps are noise around a stationary point and grows with a consistent
    drift; scale = clip(lo R^gamma, lo, 1). thr: the same R, scale 1 where R >= gamma, else
    lo. cos: the average (weight b_t) of the cosine of successive steps, scale =
    clip(lo + (1 - lo) cos/gamma, lo, 1). The rate of sample t uses the diagnostic of the
    steps before it."""

    def __init__(self, spec):
        f = spec.split(":")
        self.kind, self.lo, self.gamma, self.b, self.bmin = f[0], *map(float, f[1:5])

    def state(self, seeds, k, d):
        return {"m": np.zeros((seeds, k, d)), "v": np.zeros((seeds, k)),
                "prev": np.zeros((seeds, k, d)), "cos": np.zeros((seeds, k)), "n": 0}

    def weight(self, t):
        return max(self.b / t, self.bmin)

    def scale(self, st, t):
        if st["n"] < 2:
            return 1.0
        if self.kind == "cos":
            return np.clip(self.lo + (1 - self.lo) * st["cos"] / self.gamma, self.lo, 1.0)
        b = min(1.0, self.weight(t))
        r = np.sum(st["m"] ** 2, axis=-1) / np.maximum(st["v"] * b / (2 - b), 1e-300)
        if self.kind == "thr":
            return np.where(r >= self.gamma, 1.0, self.lo)
        return np.clip(self.lo * np.maximum(r, 1e-12) ** self.gamma, self.lo, 1.0)

    def observe(self, st, u, t):
        b = min(1.0, self.weight(t))
        if self.kind == "cos":
            nu = np.sqrt(np.sum(u * u, -1) * np.sum(st["prev"] ** 2, -1))
            cs = np.where(nu > 0, np.sum(u * st["prev"], -1) / np.maximum(nu, 1e-300), 0)
            st["cos"] += b * (cs - st["cos"]) if st["n"] >= 1 else 0
            st["prev"] = u.copy()
        else:
            st["m"] += b * (u - st["m"])
            st["v"] += b * (np.sum(u * u, -1) - st["v"])
        st["n"] += 1


def errors(w, v):
    return [ref.subspace_error(wi, v) if np.all(np.isfinite(wi)) else 2.0 for wi in w]


def ratios(errs, loop):
    """Median ratio and worst ratio, seed by seed, as pca-reference.py --one-pass."""
    r = [e / l if l > 0 else float("inf") for e, l in zip(errs, loop)]
    return f"{np.median(r):.2f} | {max(r):.2f}"


def stream_errors(a, scheds):
    """The IMU check of the article: the model on a demo stream, error against its truth."""
    x = np.fromfile(a.stream[0], dtype="<f4").astype(np.float64).reshape(-1, 6)
    v = np.fromfile(a.stream[1], dtype="<f4").astype(np.float64).reshape(-1, 6)
    k = 1 if a.rule == "oja" else 3
    with tempfile.TemporaryDirectory() as tmp:
        start = ref.learner_start(a.hebbian, 6, k, int(a.stream[2]), tmp)
    for sched, spec in [(r, sp) for r in scheds for sp in a.adapt or [None]]:
        w, _, _ = learner(x, k, a.rule, [start], sched, adapt=Adapt(spec) if spec else None)
        tag = f"{sched[0]} {sched[1]:.3g}:{sched[2]:g}" + (f" {spec}" if spec else "")
        print(f"{a.stream[0]} {a.rule} {tag}: {errors(w, v[:k])[0]:.3g}", flush=True)


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
    ap.add_argument("--starts", type=int, default=1,
                    help="with --passes: the CLI's default start and --seed 1 ... N-1")
    ap.add_argument("--adapt", action="append", default=[], metavar="KIND:LO:GAMMA:B:BMIN",
                    help="scale the rate by a drift-to-noise diagnostic (class Adapt)")
    ap.add_argument("--pair", type=float, metavar="C2",
                    help="run the inverse schedule C2/(T0 + t) beside each and keep, start by "
                    "start, the one whose running residual before the step is smaller")
    ap.add_argument("--stream", nargs=3, metavar=("STREAM", "TRUTH", "SEED"),
                    help="instead: one f32 stream of `hebbian demo --save-stream` (d = 6, k = 3) "
                    "against its --save-truth, from the learner's start for --seed SEED")
    ap.add_argument("--warm", metavar="B:ITERS",
                    help="no steps for the first B samples, then W from their covariance "
                    "(ITERS subspace iterations from the start; 0: exact eigenvectors)")
    a = ap.parse_args()
    if a.warm:
        WARM[: len(a.warm.split(":"))] = map(float, a.warm.split(":"))
    scheds = [(s.split(":")[0], float(s.split(":")[1]), float(s.split(":")[2]))
              for s in a.schedule] or [DEFAULTS[a.rule]]
    ramps = [s.split(":")[3:5] for s in a.schedule if s.startswith("ramp:")]
    if len(ramps) > 1:
        ap.error("one ramp schedule a run")
    if ramps:
        RAMP[:] = map(float, ramps[0])
    if a.stream:
        return stream_errors(a, scheds)
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
                    starts = [ref.learner_start(a.hebbian, x.shape[1], k, s, tmp)
                              for s in [None] + list(range(1, a.starts))]
                    ref.PASSES = a.passes
                    best, label = ref.best_loop(x, k, (a.rule,), vals[0], v)
                    loop = [best] * len(starts)
                runs = scheds
                if a.gap_oracle is not None:
                    runs = [("inverse", a.gap_oracle / (1 - vals[k] / vals[k - 1]), 10.0)]
                for (kind, c, t0), spec in [(r, sp) for r in runs for sp in a.adapt or [None]]:
                    w, wa, resid = learner(x, k, a.rule, starts, (kind, c, t0), a.average,
                                           a.passes, Adapt(spec) if spec else None)
                    if a.pair:
                        w2, _, resid2 = learner(x, k, a.rule, starts, ("inverse", a.pair, t0),
                                                passes=a.passes)
                        w = np.where((resid2 < resid)[:, None, None], w2, w)
                    err = errors(w, v)
                    tag = f"{kind} {c:.3g}:{t0:g}" + (f" {spec}" if spec else "")
                    tag += f" or inverse {a.pair:g}:{t0:g}" if a.pair else ""
                    row = (f"| {name} | {k} | {tag} | {np.median(err):.2e} | "
                           f"{np.median(loop):.2e} ({label}) | {ratios(err, loop)}")
                    if a.average:
                        erra = errors(wa, v)
                        row += f" | {np.median(erra):.2e} | {ratios(erra, loop)}"
                    print(row + " |", flush=True)


if __name__ == "__main__":
    main()
