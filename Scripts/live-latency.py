#!/usr/bin/env python3
"""Line-to-answer latency of `hebbian pca --input - --project -` on a live pipe.

    python3 Scripts/live-latency.py HEBBIAN-BINARY [--rate HZ] [--samples N]

Writes one 6-value CSV line at a time to the learner's stdin at the given rate (100 Hz by
default, an IMU's), and times each line from its write to the arrival of its projection row
on stdout. Prints the median, 90th percentile and worst latency in milliseconds. The pipe
is the case where the reader must not wait to fill a block: each row is learned as soon as
it has arrived.
"""
import argparse
import os
import random
import select
import statistics
import subprocess
import time

parser = argparse.ArgumentParser()
parser.add_argument("binary")
parser.add_argument("--rate", type=float, default=100.0)
parser.add_argument("--samples", type=int, default=500)
args = parser.parse_args()

p = subprocess.Popen(
    [args.binary, "pca", "--input", "-", "--components", "2", "--project", "-", "--quiet"],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
out = p.stdout.fileno()
rng = random.Random(1)
latencies = []
pending = b""
period = 1.0 / args.rate
next_at = time.monotonic()
for s in range(args.samples):
    a, b = rng.gauss(0, 1), rng.gauss(0, 1)
    values = [a, b, a + b, a - b, 2 * a, rng.gauss(0, 0.1)]
    line = (",".join("%.6g" % v for v in values) + "\n").encode()
    while time.monotonic() < next_at:
        time.sleep(max(0.0, next_at - time.monotonic()))
    next_at += period
    start = time.monotonic()
    p.stdin.write(line)
    while b"\n" not in pending:
        ready, _, _ = select.select([out], [], [], 5.0)
        if not ready:
            raise SystemExit(f"no answer to sample {s + 1} within 5 s")
        pending += os.read(out, 4096)
    latencies.append((time.monotonic() - start) * 1000)
    pending = pending[pending.index(b"\n") + 1:]
p.stdin.close()
p.wait()
latencies.sort()
n = len(latencies)
print(f"live pipe, {n} samples at {args.rate:g} Hz: line-to-answer latency median "
      f"{statistics.median(latencies):.3f} ms, 90th percentile {latencies[int(0.9 * n)]:.3f} ms, "
      f"worst {latencies[-1]:.3f} ms")
