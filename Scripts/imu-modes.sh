#!/usr/bin/env bash
# The IMU regime's two speeds against the reorder window the core gives the thread
# (Scripts/imu-modes.c): the kernel in a C loop, its chain and the block driver at d = 6,
# k = 3, in short slices, each labelled "full" or "half" window by a pointer-chase probe, and
# the sample pool at PLACEMENTS page offsets taken in turn:
#
#   bash Scripts/imu-modes.sh [SECONDS [PLACEMENTS [trace]]]   (default 4 s, 64 placements)
#
# With `trace` every slice is printed, in order: placement, kernel, chain and driver ns, the
# two chases' ns and the window state.
# The kernels are compiled as SwiftPM's release build compiles them (clang -O2, per-function
# AVX2). x86_64 with AVX2 only; pinned to CPU 1 when taskset is there.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/kernel-objects.sh
clang -O2 -Iinclude -o "$work/imu-modes" Scripts/imu-modes.c "$work"/*.o -lm
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg)"
run=("$work/imu-modes" "${1:-4}" "${2:-64}" ${3:+"$3"})
if command -v taskset >/dev/null; then taskset -c 1 "${run[@]}"; else "${run[@]}"; fi
