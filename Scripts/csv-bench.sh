#!/usr/bin/env bash
# CSV reading speed of `hebbian pca` against pandas, pyarrow and numpy, in one run on the
# same file: the 6-axis IMU stream of `hebbian demo` (1M rows, about 63 MB).
#
#   bash Scripts/csv-bench.sh [rows] [repeats]
#
# Prints the best of `repeats` wall times and MB/s (file bytes / time) for:
#   hebbian pca            end to end: read + parse + learn (--center, 3 components) + exit
#   hebbian pca (f32)      the same stream as raw float32: learning without CSV parsing
#   pandas.read_csv        C engine (one thread)
#   pandas (pyarrow)       engine="pyarrow"
#   pyarrow.csv            one thread, and all threads
#   numpy.loadtxt          (skipped above 200k rows unless NUMPY_ROWS=all: it is slow)
# Needs python3 with pandas, pyarrow and numpy (pip install pandas pyarrow).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
repeats=${2:-3}

swift build -c release --product hebbian >/dev/null
bin="$(swift build -c release --show-bin-path)/hebbian"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" demo --samples "$rows" --save-stream "$dir/imu.csv" >/dev/null 2>&1
"$bin" demo --samples "$rows" --save-stream "$dir/imu.f32" >/dev/null 2>&1

python3 - "$bin" "$dir" "$rows" "$repeats" <<'EOF'
import os, subprocess, sys, time
bin, dir, rows, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
csv, f32 = os.path.join(dir, "imu.csv"), os.path.join(dir, "imu.f32")
size = os.path.getsize(csv)

def best(fn):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)

def hebbian(path, *extra):
    def run():
        subprocess.run([bin, "pca", "--input", path, "--dim", "6", "--components", "3",
                        "--center", "--quiet", *extra], check=True, stdout=subprocess.DEVNULL)
    return run

results = []
def row(name, seconds, note=""):
    results.append((name, seconds, note))
    print(f"{name:28s} {seconds:8.3f} s {size / seconds / 1e6:9.0f} MB/s  {note}", flush=True)

print(f"file: {rows} rows, {size / 1e6:.1f} MB; best of {repeats}; {os.cpu_count()} CPUs")
row("hebbian pca (csv)", best(hebbian(csv)), "end to end, one core, parse + learn")
learn = best(hebbian(f32))
row("hebbian pca (f32)", learn, "the same stream as float32: learning alone")
try:
    import pandas as pd, pyarrow, pyarrow.csv as pacsv, numpy as np
except ImportError as e:
    sys.exit(f"skipping the Python readers: {e} (pip install pandas pyarrow)")
row("pandas.read_csv", best(lambda: pd.read_csv(csv)), f"pandas {pd.__version__}, C engine")
row("pandas.read_csv pyarrow", best(lambda: pd.read_csv(csv, engine="pyarrow")),
    "engine=pyarrow")
one = pacsv.ReadOptions(use_threads=False)
row("pyarrow.csv 1 thread", best(lambda: pacsv.read_csv(csv, read_options=one)),
    f"pyarrow {pyarrow.__version__}")
row("pyarrow.csv threads", best(lambda: pacsv.read_csv(csv)), "all cores")
if rows <= 200000 or os.environ.get("NUMPY_ROWS") == "all":
    row("numpy.loadtxt", best(lambda: np.loadtxt(csv, delimiter=",", skiprows=1, dtype=np.float32)),
        f"numpy {np.__version__}")
else:
    n = 100000
    with open(csv) as f, open(os.path.join(dir, "head.csv"), "w") as g:
        for i, line in enumerate(f):
            if i > n: break
            g.write(line)
    t = best(lambda: np.loadtxt(os.path.join(dir, "head.csv"), delimiter=",", skiprows=1,
                                dtype=np.float32))
    row("numpy.loadtxt", t * rows / n, f"numpy {np.__version__}, {n} rows scaled to {rows}")
pandas = results[2][1]
e2e = results[0][1]
print(f"\nhebbian pca end to end: {e2e:.3f} s vs pandas.read_csv parse alone: {pandas:.3f} s "
      f"({'faster' if e2e < pandas else 'slower'}); CSV parsing in hebbian ≈ {max(e2e - learn, 1e-9):.3f} s "
      f"≈ {size / max(e2e - learn, 1e-9) / 1e6:.0f} MB/s")
EOF
