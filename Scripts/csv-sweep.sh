#!/usr/bin/env bash
# The big sweep of the CSV reader's float parsing against strtof (see Scripts/csv-sweep.c):
# each round is 16384 numbers through the row parser with every scanner and through
# hb_csv_parse_f32. 100 rounds (about 8 million comparisons) take a few seconds.
#
#   bash Scripts/csv-sweep.sh [rounds] [extra C flags, e.g. -fsanitize=address,undefined]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-100}
shift || true
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc=${CC:-clang}
# The reader and the one variant choice it dispatches through (dispatch.c).
"$cc" -std=c11 -O2 -g "$@" -Iinclude -ISources/CHebbianSys/include Scripts/csv-sweep.c \
  Sources/CHebbianSys/csv*.c Sources/CHebbian/dispatch.c -lm -o "$out/csv-sweep"
"$out/csv-sweep" "$rounds"
