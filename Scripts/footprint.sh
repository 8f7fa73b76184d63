#!/usr/bin/env bash
# Footprint of the Embedded Swift builds: stripped sizes, true peak RSS and what the binaries
# are made of.
#
#   bash Scripts/footprint.sh [--no-build]
#
# Builds (Scripts/cross-build.sh) the Embedded Swift `hebbian` and `board-pca` for this
# x86_64 Linux host (the toolchain's embedded x86_64-unknown-linux-gnu target) and for
# aarch64, then
#   - peak RSS of the host binaries, run natively (/usr/bin/time: the kernel's maxrss, no
#     emulator included): `hebbian demo` (200 000 samples, six rules) and `board-pca` on the
#     same 200 000-sample stream;
#   - the demo's resident KiB per mapping (the program, libc, libm, the loader, anonymous
#     memory), beside a C program calling the same libm functions;
#   - stripped sizes, and per binary the bytes by origin (symbol sizes from nm on the
#     unstripped binary; out/<arch>/*.map is the linker map with every section kept);
#   - whether the Unicode data tables were linked (String comparison and hashing pull them).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != --no-build ]; then
  bash Scripts/cross-build.sh host --no-footprint
  bash Scripts/cross-build.sh aarch64 --no-footprint
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rss() { /usr/bin/time -f %M -o "$tmp/rss" "$@" >/dev/null 2>&1; cat "$tmp/rss"; }
echo
echo "peak RSS on this host, native (Embedded Swift x86_64 binaries, KiB):"
out/host/hebbian demo --save-stream "$tmp/imu.f32" >"$tmp/demo.txt" 2>/dev/null
printf '  hebbian info                      %6s\n' "$(rss out/host/hebbian info </dev/null)"
printf '  hebbian demo (200 000 x 6 rules)  %6s\n' "$(rss out/host/hebbian demo </dev/null)"
printf '  board-pca < 200 000 x 6 f32       %6s\n' "$(rss out/host/board-pca <"$tmp/imu.f32")"
n=$(out/host/board-pca <"$tmp/imu.f32" | wc -c)
[ "$n" = $((200000 * 3 * 4)) ] || { echo "board-pca wrote $n bytes, expected 2400000" >&2; exit 1; }
# Its rows are `pca --project`'s: each sample's outputs from the step that learned it.
out/host/hebbian pca --input "$tmp/imu.f32" --dim 6 --components 3 --center --quiet \
  --project "$tmp/y.f32" >/dev/null
out/host/board-pca <"$tmp/imu.f32" | cmp -s - "$tmp/y.f32" ||
  { echo "board-pca's rows differ from hebbian pca --project" >&2; exit 1; }
if command -v qemu-aarch64 >/dev/null && [ -x out/aarch64/board-pca ]; then
  n=$(head -c 240000 "$tmp/imu.f32" | qemu-aarch64 -L /usr/aarch64-linux-gnu out/aarch64/board-pca | wc -c)
  [ "$n" = $((10000 * 3 * 4)) ] || { echo "aarch64 board-pca wrote $n bytes" >&2; exit 1; }
fi

# Where the demo's resident pages are, from /proc/PID/smaps of a run stopped mid-stream, beside
# a C program that calls the same libm functions: file-backed pages come in 64 KiB at a time
# (the kernel maps the cached pages around each fault), so a mapped file's share grows with
# its size, not with what runs.
echo
echo "resident KiB by mapping, hebbian demo stopped after 1 s, and a C program using libm:"
smaps() {
  awk -v bin="$2" '/^[0-9a-f]+-[0-9a-f]+ /{ m = $6 == "" ? "anonymous" : $6
                        if (m == bin) m = "program"
                        sub(/.*\//, "", m) }
       /^Rss:/ { r[m] += $2; t += $2 }
       END { for (m in r) if (r[m] > 0) printf "  %-24s %6d\n", m, r[m] | "sort -k2 -n -r"
             close("sort -k2 -n -r"); printf "  %-24s %6d\n", "total", t }' "/proc/$1/smaps"
}
out/host/hebbian demo --samples 100000000 >/dev/null 2>&1 &
pid=$!
sleep 1
kill -STOP $pid
echo " hebbian demo:"
smaps $pid "$PWD/out/host/hebbian"
{ kill -KILL $pid; wait $pid; } 2>/dev/null || true
cat > "$tmp/m.c" <<'C'
#include <math.h>
#include <signal.h>
#include <stdio.h>
int main(int argc, char **argv) {
  volatile double x = argc;
  printf("%g\n", sin(x) + cos(x) + log(x + 1) + sqrt(x) + exp(x) + pow(x, 1.5));
  fflush(stdout);
  raise(SIGSTOP);
  return 0;
}
C
gcc -O2 -fno-builtin -o "$tmp/m" "$tmp/m.c" -lm
"$tmp/m" >/dev/null &
pid=$!
while ! grep -q '^State:.*T' "/proc/$pid/status"; do sleep 0.1; done
echo " C: sin, cos, log, sqrt, exp, pow and printf:"
smaps $pid "$tmp/m"
{ kill -KILL $pid; wait $pid; } 2>/dev/null || true

echo
echo "stripped bytes and their origin (symbol sizes of the unstripped binary, bytes):"
printf '%-8s %-13s %9s %9s %9s %9s %9s %9s %9s\n' arch binary stripped "CLI" "library" \
  "stdlib" "C" "unicode" "other"
for arch in host aarch64; do
  case $arch in host) nm=nm ;; aarch64) nm=aarch64-linux-gnu-nm ;; esac
  for bin in hebbian hebbian-board board-pca; do
    f=out/$arch/$bin
    [ -f "$f" ] || continue
    "$nm" -S "$f.debug" | python3 -c '
import sys
cat = {"CLI": 0, "library": 0, "stdlib": 0, "C": 0, "unicode": 0, "other": 0}
for line in sys.stdin:
    p = line.split()
    if len(p) < 4 or p[2] in "bBuU": continue      # no size, or bss: not in the file
    n, s = int(p[1], 16), p[3]
    if "swift_stdlib" in s or "Unicode" in s or "unicode" in s: cat["unicode"] += n
    elif s.startswith("$e10HebbianCLI") or s.startswith("$e8BoardPCA"): cat["CLI"] += n
    elif s.startswith("$e7Hebbian"): cat["library"] += n
    elif s.startswith("$e"): cat["stdlib"] += n
    elif s.startswith("hb_") or "__scalar" in s or "__avx2" in s or "__neon" in s: cat["C"] += n
    else: cat["other"] += n
print(" ".join("%9d" % v for v in cat.values()))' >"$tmp/cat"
    printf '%-8s %-13s %9s %s\n' "$arch" "$bin" "$(stat -c %s "$f")" "$(cat "$tmp/cat")"
  done
done
echo "(CLI: the program's own Swift code; library: module Hebbian; stdlib: Embedded Swift"
echo " standard library code specialised into the binary; C: the kernels and the libc layer;"
echo " unicode: the normalisation and grapheme tables and their lookups; other: unnamed"
echo " local C statics, crt, PLT. Code without a symbol size is not counted, so columns sum"
echo " to less than the stripped size.)"
for arch in host aarch64; do
  for bin in hebbian hebbian-board board-pca; do
    m=out/$arch/$bin.map
    [ -f "$m" ] || continue
    if grep -q 'libswiftUnicodeDataTables\.a(' "$m"; then
      echo "$arch $bin: Unicode data tables linked"
    else
      echo "$arch $bin: no Unicode data tables"
    fi
  done
done
