#!/usr/bin/env bash
# The library's AVX2 GHA step against a plain C loop, in one process (x86_64 with AVX2), after
# the IMU regime's kernel and block driver against the GHA step's dependency chain:
#
#   bash Scripts/plain-loop.sh
#
# The kernels are compiled as SwiftPM's release build compiles them (clang -O2, per-function
# AVX2), the plain loop (Scripts/plain-gha.c) with clang -O3 -march=native, as written and with
# -ffast-math (without it clang keeps the dot products' sums scalar). Prints ns per step, the
# library's speed-up over each and its fraction of the FMA peak measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/kernel-objects.sh
clang -O3 -march=native -DPLAIN_GHA=plain_gha -c Scripts/plain-gha.c -o "$work/plain.o"
clang -O3 -march=native -ffast-math -DPLAIN_GHA=plain_gha_fast -c Scripts/plain-gha.c \
  -o "$work/plain-fast.o"
clang -O2 -Iinclude -o "$work/plain-loop" Scripts/plain-loop.c "$work"/*.o -lm
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(date -u +%Y-%m-%d)"
if command -v taskset >/dev/null; then taskset -c 1 "$work/plain-loop"; else "$work/plain-loop"; fi
