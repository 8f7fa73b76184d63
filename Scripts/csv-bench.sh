#!/usr/bin/env bash
# CSV reading speed of `hebbian pca` against pandas, pyarrow and numpy, in one run on the
# same file: the 6-axis IMU stream of `hebbian demo` (1M rows, about 63 MB).
#
#   bash Scripts/csv-bench.sh [rows] [repeats]      # HEBBIAN=path: another binary
#
# Every contender runs pinned to one core (taskset -c 1 when there is one), in rounds (each
# runs once per round) so that a machine whose load drifts treats them alike. Prints the best
# wall time and the best CPU time (user + system) of `repeats` rounds, and MB/s (file bytes /
# wall time) for:
#   hebbian pca            end to end: read + parse + learn (--center, 3 components) + exit
#                          (one parse: at d <= 16 the summary's measured variances come from
#                          the moments of the learning pass, not from a second reading)
#   hebbian pca (f32)      the same stream as raw float32: learning without CSV parsing
# and the CSV parsing inside `pca` as the difference of the two (end to end minus the f32
# run), in MB of CSV per second.
#   pandas.read_csv        C engine
#   pandas (pyarrow)       engine="pyarrow"
#   pyarrow.csv            use_threads=False
#   numpy.loadtxt          (100k rows scaled, unless NUMPY_ROWS=all: it is slow)
# Needs python3 with pandas, pyarrow and numpy (pip install pandas pyarrow).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
repeats=${2:-5}

. Scripts/imu-files.sh
pin=()
if command -v taskset >/dev/null && [ "$(nproc)" -gt 1 ]; then pin=(taskset -c 1); fi

"${pin[@]}" python3 - "$bin" "$dir" "$rows" "$repeats" <<'EOF_PY'
import os, platform, subprocess, sys, time
bin, dir, rows, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
csv, f32 = os.path.join(dir, "imu.csv"), os.path.join(dir, "imu.f32")
size = os.path.getsize(csv)

def machine():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()

def hebbian(path):
    """Wall and CPU seconds of one run (the child's rusage)."""
    argv = [bin, "pca", "--input", path, "--dim", "6", "--components", "3", "--center", "--quiet"]
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, use = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        sys.exit(f"hebbian failed: {status}")
    return wall, use.ru_utime + use.ru_stime

def inprocess(fn):
    def run():
        t, c = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - t, time.process_time() - c
    return run

contenders = [
    ("hebbian pca (csv)", lambda: hebbian(csv), "end to end: parse + learn"),
    ("hebbian pca (f32)", lambda: hebbian(f32), "the same stream as float32: learning alone"),
]
try:
    import pandas as pd, pyarrow, pyarrow.csv as pacsv, numpy as np
    one = pacsv.ReadOptions(use_threads=False)
    contenders += [
        ("pandas.read_csv", inprocess(lambda: pd.read_csv(csv)), f"pandas {pd.__version__}, C engine"),
        ("pandas.read_csv pyarrow", inprocess(lambda: pd.read_csv(csv, engine="pyarrow")),
         "engine=pyarrow"),
        ("pyarrow.csv", inprocess(lambda: pacsv.read_csv(csv, read_options=one)),
         f"pyarrow {pyarrow.__version__}, use_threads=False"),
    ]
    scale = 1.0
    head = csv
    if rows > 200000 and os.environ.get("NUMPY_ROWS") != "all":
        n = 100000
        head = os.path.join(dir, "head.csv")
        with open(csv) as f, open(head, "w") as g:
            for i, line in enumerate(f):
                if i > n: break
                g.write(line)
        scale = rows / n
    def loadtxt():
        np.loadtxt(head, delimiter=",", skiprows=1, dtype=np.float32)
    run = inprocess(loadtxt)
    contenders.append(("numpy.loadtxt", lambda: tuple(scale * v for v in run()),
                       f"numpy {np.__version__}" + (f", {n} rows scaled to {rows}" if scale != 1 else "")))
except ImportError as e:
    print(f"skipping the Python readers: {e} (pip install pandas pyarrow)")

best = {name: (float("inf"), float("inf")) for name, _, _ in contenders}
for _ in range(repeats):
    for name, fn, _ in contenders:
        wall, cpu = fn()
        b = best[name]
        best[name] = (min(b[0], wall), min(b[1], cpu))

print(f"file: {rows} rows, {size / 1e6:.1f} MB; best of {repeats} rounds; {machine()}, "
      f"{os.cpu_count()} CPUs, pinned to one: {'yes' if len(os.sched_getaffinity(0)) == 1 else 'no'}; "
      f"load average {os.getloadavg()[0]:.1f}")
print(f"{'':26s} {'wall':>8s} {'cpu':>8s} {'MB/s':>7s}")
for name, _, note in contenders:
    wall, cpu = best[name]
    print(f"{name:26s} {wall:7.3f}s {cpu:7.3f}s {size / wall / 1e6:7.0f}  {note}")
if "pandas.read_csv" in best:
    e2e, learn, pandas = best["hebbian pca (csv)"], best["hebbian pca (f32)"], best["pandas.read_csv"]
    for i, what in enumerate(["wall", "cpu"]):
        print(f"\n{what}: hebbian pca end to end {e2e[i]:.3f} s vs pandas.read_csv parse alone "
              f"{pandas[i]:.3f} s: {pandas[i] / e2e[i]:.2f}x ({'faster' if e2e[i] < pandas[i] else 'slower'}); "
              f"CSV parsing in hebbian (end to end minus the f32 run) ≈ {max(e2e[i] - learn[i], 1e-9):.3f} s "
              f"≈ {size / max(e2e[i] - learn[i], 1e-9) / 1e6:.0f} MB/s", end="")
    print()
EOF_PY
