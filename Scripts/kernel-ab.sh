#!/usr/bin/env bash
# Times the AVX2 kernels of this tree against those of another revision, in one process:
#
#   bash Scripts/kernel-ab.sh [REV]      (default: the previous commit)
#
# Both trees' kernels are compiled as SwiftPM's release build compiles them (clang -O2), their
# symbols renamed old_hb_* and new_hb_*, and linked into Scripts/kernel-ab.c, which alternates
# the two on the same buffers. Separate processes (or `hebbian bench` runs) on a shared VM
# differ by up to 1.7x between identical binaries; interleaved in one process they agree to a
# few per cent, which is the resolution a refactoring's "no kernel slower" needs.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-HEAD~1}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/old" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add -q --detach "$work/old" "$rev"

objects() { # tree prefix
  mkdir -p "$work/$2"
  for f in $(find "$1/Sources/CHebbian" -name '*.c'); do
    clang -O2 -fno-omit-frame-pointer -fPIC -std=c11 -I"$1/include" -I"$1/Sources/CHebbian" \
      -c "$f" -o "$work/$2/$(echo "$f" | tr / _).o"
  done
  ld -r -o "$work/$2-all.o" "$work/$2"/*.o
  nm "$work/$2-all.o" | awk -v p="$2" '$2 ~ /[TDBR]/ && $3 ~ /^hb_/ { print $3, p "_" $3 }' \
    > "$work/$2.map"
  objcopy --redefine-syms="$work/$2.map" "$work/$2-all.o" "$work/$2.o"
}
objects "$work/old" old
objects "$PWD" new
clang -O2 -Iinclude -o "$work/ab" Scripts/kernel-ab.c "$work/old.o" "$work/new.o" -lm
echo "old: $(git rev-parse --short "$rev"), new: this tree"
if command -v taskset >/dev/null; then taskset -c 1 "$work/ab"; else "$work/ab"; fi
