#!/usr/bin/env bash
# The README's performance table, from one run on this machine: CSV reading against pandas,
# the IMU regime (d = 6, k = 3), the DRAM roofline and the board footprint, each next to its
# goal.
#
#   bash Scripts/performance.sh            # needs python3 with pandas, pyarrow and numpy
#
# Sizes come from out/<arch>/ (run `bash Scripts/cross-build.sh all` first; rows are left
# out when a binary is missing) and the demo's true peak RSS from out/host/hebbian
# (`bash Scripts/footprint.sh`).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product hebbian >/dev/null
bin="$(swift build -c release --show-bin-path)/hebbian"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4"; }
# "met" when value <= goal (or >= for higher-is-better), else the ratio.
# A figure a contender could not give (no pandas or pyarrow, say) is "not measured".
verdict() { awk -v v="$1" -v g="$2" -v hi="${3:-0}" 'BEGIN {
  if (v == "" || g == "" || v + 0 <= 0 || g + 0 <= 0) { print "not measured" }
  else if (hi) { print (v >= g ? "met" : sprintf("not met (%.2fx short)", g / v)) }
  else    { print (v <= g ? "met" : sprintf("not met (%.2fx over)", v / g)) } }'; }

bash Scripts/csv-bench.sh 1000000 3 > "$tmp/csv.txt"
e2e=$(awk '/^hebbian pca \(csv\)/ { sub("s", "", $5); print $5 }' "$tmp/csv.txt")
pandas=$(awk '/^pandas.read_csv  / { sub("s", "", $3); print $3 }' "$tmp/csv.txt")
mbs=$(sed -n 's/^cpu: .*≈ \([0-9]*\) MB\/s$/\1/p' "$tmp/csv.txt")

"$bin" bench --dim 6 --components 3 --rule gha > "$tmp/imu.txt"
kernel=$(awk '$1 == "gha" && $2 == "avx2" || $1 == "gha" && $2 == "neon" { print $3 }' "$tmp/imu.txt")
peak=$(awk '$1 == "gha" && ($2 == "avx2" || $2 == "neon") { print $5 }' "$tmp/imu.txt")
# The same kernel timed in a C loop around it (bench's last column): its own cost per update,
# the figure the driver and `pca` are held against.
ckernel=$(awk '$1 == "gha" && ($2 == "avx2" || $2 == "neon") { print $7 }' "$tmp/imu.txt")
# The step's dependency chain with W in registers (AVX2 only), timed in the same round-robin.
chain=$(awk '$1 == "gha" && $2 == "avx2" { print $8 }' "$tmp/imu.txt")
block=$(sed -n 's/^block gha: \([0-9.]*\) ns\/sample.*/\1/p' "$tmp/imu.txt")
"$bin" demo --samples 1000000 --save-stream "$tmp/imu.f32" >/dev/null 2>&1
"$bin" pca --input "$tmp/imu.f32" --dim 6 --components 3 --rule gha --center > "$tmp/pca.txt"
pca=$(sed -n 's/^time .*(\([0-9.]*\) ns\/sample in updates)$/\1/p' "$tmp/pca.txt")

# A pipe against the file it carries: the learning pass of each (the summary's `time`), the
# medians of 5 rounds taken in turn, `pca` on CPU 1 and `cat` on CPU 0 (Scripts/pipe-bench.sh).
HEBBIAN="$bin" bash Scripts/pipe-bench.sh 1000000 5 > "$tmp/pipe.txt"
file_s=$(sed -n 's/^csv pass file best [0-9.]* s median \([0-9.]*\) s .*/\1/p' "$tmp/pipe.txt")
pipe_s=$(sed -n 's/^csv pass .* pipe best [0-9.]* s median \([0-9.]*\) s .*/\1/p' "$tmp/pipe.txt")
pipe_spread=$(sed -n 's/^csv pass .* one round \([0-9.]*-[0-9.]*x\)$/\1/p' "$tmp/pipe.txt")
latency=$(python3 Scripts/live-latency.py "$bin" | sed -n 's/.*latency median \([0-9.]*\) ms.*/\1/p')

# d = 1024, k = 32 (ldw = d, the 4 KiB-row path) against a plain C loop, and d = 256, k = 16,
# in one process (AVX2 only).
if grep -qw avx2 /proc/cpuinfo; then bash Scripts/plain-loop.sh > "$tmp/plain.txt"; fi
"$bin" bench --roofline --rule gha > "$tmp/roof.txt"
roof=$(sed -n 's/^roofline gha .*: \([0-9]*\) % of the reference$/\1/p' "$tmp/roof.txt")

echo "One run: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) CPUs, $(date -u +%Y-%m-%d)"
echo
row "measure" "value" "goal" "result"
row "---" "---:" "---" "---"
row "CSV: \`pca\` end to end on 1M IMU rows, CPU s (pandas.read_csv parse alone: $pandas s)" \
  "$e2e" "< pandas" "$(verdict "$e2e" "$pandas")"
row "CSV parsing inside \`pca\`, MB/s of CSV (CPU time: end to end minus the f32 run)" "$mbs" \
  "≥ 1000" "$(verdict "$mbs" 1000 1)"
row "IMU: \`bench\` gha step d=6 k=3, ns/update ($peak % of peak)" "$kernel" "≥ 6 % of peak" \
  "$(verdict "$peak" 6 1)"
if [ -n "$chain" ]; then
  row "IMU: the GHA step's dependency chain, W in registers, ns/update" "$chain" "" ""
  ratio=$(awk -v a="$ckernel" -v b="$chain" 'BEGIN { printf "%.2f", a / b }')
  row "IMU: the same kernel in a C loop, ns/update (x the chain)" "$ckernel (${ratio}x)" \
    "≤ 1.4x" "$(verdict "$ratio" 1.4)"
else
  row "IMU: the same kernel in a C loop, ns/update" "$ckernel" "" ""
fi
row "IMU: block update, ns/sample (x the kernel in a C loop)" \
  "$block ($(awk -v a="$block" -v b="$ckernel" 'BEGIN { printf "%.2f", a / b }')x)" "" ""
row "IMU: \`pca --center\` on f32, ns/sample in updates (x the kernel in a C loop)" \
  "$pca ($(awk -v a="$pca" -v b="$ckernel" 'BEGIN { printf "%.2f", a / b }')x)" "≤ 1.5x" \
  "$(verdict "$(awk -v a="$pca" -v b="$ckernel" 'BEGIN { print a / b }')" 1.5)"
pipe=$(awk -v a="$pipe_s" -v b="$file_s" 'BEGIN { printf "%.2f", a / b }')
row "Pipe: \`cat FILE\` piped to \`pca --input -\` against \`--input FILE\`, learning pass, medians of 5 rounds (CSV, 1M rows; one round: $pipe_spread)" \
  "$pipe_s s / $file_s s = ${pipe}x" "≤ 1.2x" "$(verdict "$pipe" 1.2)"
row "Live pipe at 100 Hz: median line-to-answer latency, ms" "$latency" "≤ 1" \
  "$(verdict "$latency" 1)"
row "Roofline: gha with W ≥ 4x LLC, % of the reference (best of copy loops, read + in-place pass)" \
  "$roof" "80–100" "$(awk -v v="$roof" 'BEGIN { if (v > 100) print "not met: over the reference, which was then no bound"; else print "" }' | grep . || verdict "$roof" 80 1)"
if [ -s "$tmp/plain.txt" ]; then
  read -r fast1024 peak1024 < <(awk '$1 == 1024 && $3 == 32 { sub("x", "", $8); print $8, $10 }' "$tmp/plain.txt")
  peak256=$(awk '$1 == 256 && $3 == 16 { print $10 }' "$tmp/plain.txt")
  row "d=1024 k=32 gha (ldw=d) vs a plain clang -O3 -march=native -ffast-math loop, same run" \
    "${fast1024}x" "≥ 1.3x" "$(verdict "$fast1024" 1.3 1)"
  row "d=1024 k=32 gha, % of FMA peak (same run)" "$peak1024" "≥ 50" "$(verdict "$peak1024" 50 1)"
  row "d=256 k=16 gha, % of FMA peak (C harness, 64-byte aligned W)" "$peak256" "≥ 60" \
    "$(verdict "$peak256" 60 1)"
fi
for f in out/{aarch64,armv7}/{board-pca,board-monitor,hebbian-board,hebbian}; do
  [ -f "$f" ] || continue
  case $f in
    */board-*) goal=102400 ;;
    */hebbian-board) goal=460800 ;;
    *) goal=768000 ;;
  esac
  row "Footprint: stripped \`$f\`, bytes" "$(stat -c %s "$f")" "≤ $goal" \
    "$(verdict "$(stat -c %s "$f")" "$goal")"
done
if [ -x out/host/hebbian ]; then
  /usr/bin/time -f %M -o "$tmp/rss" out/host/hebbian demo >/dev/null 2>&1
  row "Footprint: \`demo\` peak RSS, Embedded x86_64 native, KiB" "$(cat "$tmp/rss")" "≤ 3072" \
    "$(verdict "$(cat "$tmp/rss")" 3072)"
fi
