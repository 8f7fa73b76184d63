#!/usr/bin/env bash
# Kill -9 a checkpointing `hebbian pca` run again and again, resume it each time, and check
# that the final components, model and --project rows are byte-identical to one
# uninterrupted run, for every rule; then the same for `hebbian monitor` (the saved monitor
# byte-identical, and the rows the last resumed run wrote equal to the uninterrupted run's
# last rows). The binary is given as a command, so the same check runs the release build on the
# host and the board builds under qemu-user:
#
#   bash Scripts/kill-resume.sh .build/release/hebbian
#   bash Scripts/kill-resume.sh qemu-aarch64 -L /usr/aarch64-linux-gnu out/aarch64/hebbian
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 HEBBIAN-COMMAND..." >&2; exit 2; }
bin=("$@")
tmp=$(mktemp -d)
trap '[ "${HEBBIAN_KEEP_TMP:-0}" = 1 ] || rm -rf "$tmp"' EXIT
samples=${HEBBIAN_KILL_SAMPLES:-60000}
kills=${HEBBIAN_KILLS:-4}
"${bin[@]}" demo --samples "$samples" --save-stream "$tmp/s.f32" >/dev/null
seed=1
for rule in oja subspace gha similarity fsm ccipca; do
  k=3; [ $rule = oja ] && k=1
  args=(pca --input "$tmp/s.f32" --dim 6 --components $k --rule $rule --center --passes 2
        --checkpoint-every 2000 --quiet)
  "${bin[@]}" "${args[@]}" --checkpoint "$tmp/ref.ckpt" --save-components "$tmp/ref.f32" \
    --save-model "$tmp/ref.hbm" --project "$tmp/ref.csv" >/dev/null
  # How long an uninterrupted run takes, so the kills land inside the run on any build.
  start=$(date +%s%N)
  "${bin[@]}" "${args[@]}" --checkpoint "$tmp/time.ckpt" >/dev/null
  span=$(( ($(date +%s%N) - start) / 1000 ))  # microseconds
  rm -f "$tmp/run.ckpt" "$tmp/run.f32" "$tmp/run.hbm" "$tmp/run.csv"
  done_=0
  # Outputs and the end checkpoint are committed together at the very end, the checkpoint
  # last: a run killed after that leaves an end checkpoint, and resuming it is refused with
  # "nothing left to learn" (exit 1) while its outputs are complete.
  launch() {
    local extra=(); [ -s "$tmp/run.ckpt" ] && extra=(--resume "$tmp/run.ckpt")
    "${bin[@]}" "${args[@]}" --checkpoint "$tmp/run.ckpt" "${extra[@]}" \
      --save-components "$tmp/run.f32" --save-model "$tmp/run.hbm" --project "$tmp/run.csv" \
      >/dev/null 2>"$tmp/err" &
    pid=$!
  }
  finished() {  # status of an exited run: 0 done, 1 failed
    if [ "$1" = 0 ] || grep -q "nothing left to learn" "$tmp/err"; then return 0; fi
    cat "$tmp/err"; return 1
  }
  for ((i = 0; i < kills; i++)); do
    launch
    # A seeded fraction (20–60 %) of the uninterrupted run's time.
    seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
    frac=$(( 20 + seed % 41 ))
    sleep "$(awk -v u="$span" -v f="$frac" 'BEGIN { printf "%.6f", u * f / 100 / 1e6 }')"
    if kill -9 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
    else
      status=0; wait "$pid" || status=$?
      finished $status || { echo "$rule: run failed"; exit 1; }
      done_=1
      break
    fi
  done
  if [ $done_ = 0 ]; then
    launch
    status=0; wait "$pid" || status=$?
    finished $status || { echo "$rule: run failed"; exit 1; }
  fi
  cmp -s "$tmp/ref.f32" "$tmp/run.f32" || { echo "$rule: components differ after kill/resume"; exit 1; }
  cmp -s "$tmp/ref.hbm" "$tmp/run.hbm" || { echo "$rule: model differs after kill/resume"; exit 1; }
  cmp -s "$tmp/ref.csv" "$tmp/run.csv" || { echo "$rule: projection differs after kill/resume"; exit 1; }
  left=$(find "$tmp" -name '*.tmp' | wc -l)
  echo "$rule: byte-identical after kill -9 and resume ($kills kills in a ${span} us run; $left stray temporaries)"
done

# The monitor: learn, calibrate, then detect with adaptation, killed during detection.
args=(monitor --input "$tmp/s.f32" --dim 6 --quiet)
shape=(--learn 4000 --calibrate 4000 --components 3 --lags 2 --adapt)
"${bin[@]}" "${args[@]}" "${shape[@]}" --save-model "$tmp/mref.hbm" --output "$tmp/mref.csv"
start=$(date +%s%N)
"${bin[@]}" "${args[@]}" "${shape[@]}" --output /dev/null
span=$(( ($(date +%s%N) - start) / 1000 ))
rm -f "$tmp/m.ckpt"
for ((i = 0; i <= kills; i++)); do
  extra=("${shape[@]}"); [ -s "$tmp/m.ckpt" ] && extra=(--resume "$tmp/m.ckpt")
  "${bin[@]}" "${args[@]}" "${extra[@]}" --checkpoint "$tmp/m.ckpt" --checkpoint-every 2000 \
    --save-model "$tmp/mrun.hbm" --output "$tmp/mrun.csv" 2>"$tmp/err" &
  pid=$!
  if [ $i -lt $kills ]; then
    seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
    sleep "$(awk -v u="$span" -v f=$(( 20 + seed % 41 )) 'BEGIN { printf "%.6f", u * f / 100 / 1e6 }')"
    kill -9 "$pid" 2>/dev/null || true
  fi
  status=0; wait "$pid" 2>/dev/null || status=$?
  if [ $status = 0 ]; then break; fi
  if [ $i = $kills ]; then cat "$tmp/err"; echo "monitor: the last resumed run failed"; exit 1; fi
done
cmp -s "$tmp/mref.hbm" "$tmp/mrun.hbm" || { echo "monitor: saved monitor differs after kill/resume"; exit 1; }
rows=$(( $(wc -l < "$tmp/mrun.csv") - 1 ))
diff <(tail -n +2 "$tmp/mrun.csv") <(tail -n "$rows" "$tmp/mref.csv") >/dev/null \
  || { echo "monitor: the resumed rows differ from the uninterrupted run's"; exit 1; }
echo "monitor: byte-identical after kill -9 and resume ($kills kills in a ${span} us run; last run wrote $rows rows)"
