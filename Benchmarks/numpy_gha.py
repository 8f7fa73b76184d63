#!/usr/bin/env python3
"""The per-sample numpy loop for the same online-PCA updates the fused kernels do.

    GHA       y = W x;  W += eta (y x^T - tril(y y^T) W)
    subspace  y = W x;  W += eta y (x - W^T y)^T

float32 throughout, one sample per iteration, single-threaded BLAS (OPENBLAS_NUM_THREADS=1 is
set before numpy loads unless the caller set it). Prints one line per shape:

    gha d=256 k=8 ns/update=12345.6

Usage: python3 numpy_gha.py [--rule gha|subspace|all] [--shapes 256x8,1024x32] [--seconds S]
The reported time is the median of 5 repetitions of S/5 seconds each.
"""
import argparse
import os

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import time  # noqa: E402

import numpy as np  # noqa: E402

ETA = np.float32(1e-3)


def gha_step(W, x):
    y = W @ x
    W += ETA * (np.outer(y, x) - np.tril(np.outer(y, y)) @ W)
    return y


def subspace_step(W, x):
    y = W @ x
    W += ETA * np.outer(y, x - W.T @ y)
    return y


def measure(step, d, k, seconds, reps=5):
    rng = np.random.default_rng(d * 131 + k)
    W = (rng.standard_normal((k, d)) / np.sqrt(d)).astype(np.float32)
    x = rng.standard_normal(d).astype(np.float32)
    x /= np.linalg.norm(x)
    budget = seconds / reps * 1e9
    for _ in range(10):
        step(W, x)
    results = []
    for _ in range(reps):
        n = 0
        t0 = time.perf_counter_ns()
        while True:
            for _ in range(10):
                step(W, x)
            n += 10
            elapsed = time.perf_counter_ns() - t0
            if elapsed >= budget:
                break
        results.append(elapsed / n)
    results.sort()
    return results[len(results) // 2]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rule", default="all", choices=["gha", "subspace", "all"])
    p.add_argument("--shapes", default="16x1,64x8,256x8,256x32,1024x32",
                   help="comma-separated DxK list")
    p.add_argument("--seconds", type=float, default=0.5)
    a = p.parse_args()
    rules = ["gha", "subspace"] if a.rule == "all" else [a.rule]
    for shape in a.shapes.split(","):
        d, k = (int(v) for v in shape.lower().split("x"))
        for rule in rules:
            step = gha_step if rule == "gha" else subspace_step
            ns = measure(step, d, k, a.seconds)
            print(f"{rule} d={d} k={k} ns/update={ns:.1f}", flush=True)


if __name__ == "__main__":
    main()
