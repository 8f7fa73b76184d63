#!/usr/bin/env bash
# Builds the libFuzzer targets (with AddressSanitizer) and runs each for a bounded time on its
# seed corpus in Tests/Fuzz/corpus/<target>. Any crash fails the script.
#
#   bash Scripts/fuzz.sh [seconds-per-target] [target ...]
#
# Targets: modelfile (checkpoint loader), options (every command's option table; the
# budgeted commands also run), samples
# (CSV/f32 reader), library (every public type's checked API with random shapes, rates and
# float bit patterns). A crash, a case over 20 s or over 1 GiB fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=${*:-$(ls Tests/Fuzz/*Fuzz.swift | sed -E 's#.*/(.*)Fuzz\.swift#\1#' | tr 'A-Z' 'a-z')}

# Absolute: the options target works in its own scratch folder, and libFuzzer writes the
# corpus and artifacts by these paths.
out=$PWD/.build-fuzz
mkdir -p "$out"
# Lifetimes: OwnedBuffer's span properties; -package-name: the library's package declarations,
# used by the CLI targets too.
san=(-sanitize=fuzzer,address -parse-as-library -wmo -O -g -use-ld=lld
     -enable-experimental-feature Lifetimes -package-name swift_hebbian)
cflags=(-std=c11 -O1 -g -fsanitize=address,fuzzer-no-link -Iinclude -ISources/CHebbianSys/include)

objs=()
for f in $(find Sources/CHebbian Sources/CHebbianSys -name '*.c' | LC_ALL=C sort); do
  o="$out/$(echo "$f" | tr / _).o"
  clang "${cflags[@]}" -c "$f" -o "$o"
  objs+=("$o")
done
swiftc "${san[@]}" -I include -module-name Hebbian -emit-module -emit-module-path "$out/Hebbian.swiftmodule" \
  -c $(find Sources/Hebbian -name '*.swift' | LC_ALL=C sort) -o "$out/Hebbian.o"
swiftc "${san[@]}" -I include -I "$out" -module-name HebbianExperiments -emit-module \
  -emit-module-path "$out/HebbianExperiments.swiftmodule" \
  -c $(find Sources/HebbianExperiments -name '*.swift' | LC_ALL=C sort) -o "$out/HebbianExperiments.o"

for t in $targets; do
  src=""
  for f in Tests/Fuzz/*Fuzz.swift; do
    b=$(basename "$f" Fuzz.swift)
    if [ "$(echo "$b" | tr 'A-Z' 'a-z')" = "$t" ]; then src=$f; fi
  done
  [ -n "$src" ] || { echo "no fuzz target '$t'" >&2; exit 2; }
  if grep -q '^import Hebbian' "$src"; then
    # Library target: the fuzz file is its own module on top of Hebbian.
    swiftc "${san[@]}" -I include -I "$out" -module-name Fuzz_$t "$src" "$out/Hebbian.o" "$out/HebbianExperiments.o" "${objs[@]}" \
      -lm -o "$out/fuzz-$t"
  else
    # CLI target: compiled into the CLI's module (it tests internal types), without its @main.
    cli=$(find Sources/hebbian-cli -name '*.swift' ! -name Entry.swift | LC_ALL=C sort)
    # Run from the build folder: swiftc leaves the module's side files in the working directory.
    top=$PWD
    abs() { for f in "$@"; do echo "$top/$f"; done; }
    (cd "$out" && swiftc "${san[@]}" -I "$top/include" -I "$top/Sources/CHebbianSys/include" -I . \
      -module-name HebbianCLI $(abs $cli "$src") Hebbian.o HebbianExperiments.o $(for o in "${objs[@]}"; do basename "$o"; done) \
      -lm -o "fuzz-$t")
  fi
  corpus="$out/corpus-$t"
  rm -rf "$corpus"; mkdir -p "$corpus"
  # Crash artifacts of earlier runs: drop those that no longer crash (fixed since); the
  # others still fail this run below.
  for c in "$out"/crash-"$t"-*; do
    [ -e "$c" ] || continue
    if SWIFT_BACKTRACE=enable=no "$out/fuzz-$t" "$c" >/dev/null 2>&1; then rm -f "$c"; fi
  done
  cp Tests/Fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
  echo "=== fuzz $t for ${seconds}s"
  # Swift's backtracer and libFuzzer's signal handler deadlock on a crash: libFuzzer reports.
  # Per case: at most 20 s and 1 GiB (the options target runs commands under a lowered work
  # budget, so any case near either limit is a bug).
  SWIFT_BACKTRACE=enable=no "$out/fuzz-$t" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=1024 -timeout=20 -print_final_stats=1 \
    -artifact_prefix="$out/crash-$t-" "$corpus" 2>&1 | grep -E "^(#[0-9]+ *DONE|Done|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)" || true
  rm -rf /dev/shm/hebbian-fuzz-options-* /tmp/hebbian-fuzz-options-* 2>/dev/null || true
  # libFuzzer exits non-zero on a crash; rerun status through PIPESTATUS.
  if ls "$out"/crash-"$t"-* >/dev/null 2>&1; then
    echo "fuzz $t: crash found:"; ls "$out"/crash-"$t"-*; exit 1
  fi
done
echo "fuzz: no crashes"
