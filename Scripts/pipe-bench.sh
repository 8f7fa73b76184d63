#!/usr/bin/env bash
# A pipe against the file it carries: `cat FILE | hebbian pca --input -` against
# `hebbian pca --input FILE`, on the 1M-row IMU stream of `hebbian demo` (CSV, and f32), in
# rounds (each input once per round, in turn) so that a machine whose load drifts treats
# them alike.
#
#   bash Scripts/pipe-bench.sh [rows] [rounds]      # HEBBIAN=path: another binary
#
# `pca` runs pinned to CPU 1 and `cat` to CPU 0 (when there are two). Two figures per run:
#   pass  the summary's `time` line: the learning pass, reading included, wall clock (what
#         the pipe's writer costs the reader shows here: time spent waiting for it)
#   cpu   user + system seconds of the `pca` process alone (at d = 6 a file's run reads the
#         file once, as the pipe's does: the summary's figures come from the learning pass)
# Prints the best and the median of each, the ratio of the medians and the spread of the
# ratio within a round; the load average before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
rounds=${2:-7}
. Scripts/imu-files.sh
HEBBIAN=$bin
pin=() wpin=()
if command -v taskset >/dev/null && [ "$(nproc)" -gt 1 ]; then pin=(taskset -c 1) wpin=(taskset -c 0); fi
TIMEFORMAT='%3U %3S'
# One run: "pass-seconds cpu-seconds". Bash's `time` reports on stderr; the summary is stdout.
one() {
  local out
  out=$({ time "${pin[@]}" "$HEBBIAN" pca "$@" --components 3 --quiet >"$dir/summary"; } 2>&1)
  echo "$(sed -n 's/^time *\([0-9.]*\) s .*/\1/p' "$dir/summary") $(echo "$out" | awk '{ print $1 + $2 }')"
}
col() { awk -v c="$1" '{ print $c }' "$dir/runs" | sort -g; }
median() { awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "rows $rows, $rounds rounds; $(uptime | sed 's/.*load/load/')"
for fmt in csv f32; do
  dim=()
  [ $fmt = f32 ] && dim=(--dim 6)
  : > "$dir/runs"
  for _ in $(seq "$rounds"); do
    f=$(one --input "$dir/imu.$fmt" "${dim[@]}")
    p=$("${wpin[@]}" cat "$dir/imu.$fmt" | one --input - --format "$fmt" "${dim[@]}")
    # Columns: file pass, file cpu, pipe pass, pipe cpu, pass ratio, cpu ratio.
    echo "$f $p" | awk '{ print $1, $2, $3, $4, $3 / $1, $4 / $2 }' >> "$dir/runs"
  done
  for what in pass cpu; do
    a=1 b=3 r=5
    [ $what = cpu ] && a=2 b=4 r=6
    fm=$(col $a | median) pm=$(col $b | median)
    printf '%s %-4s file best %s s median %s s | pipe best %s s median %s s | medians %.2fx; one round %.2f-%.2fx\n' \
      "$fmt" "$what" "$(col $a | head -1)" "$fm" "$(col $b | head -1)" "$pm" \
      "$(awk -v x="$pm" -v y="$fm" 'BEGIN { print x / y }')" "$(col $r | head -1)" "$(col $r | tail -1)"
  done
done
echo "after: $(uptime | sed 's/.*load/load/')"
