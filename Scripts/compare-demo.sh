#!/usr/bin/env bash
# Compares the subspace-error column of two `hebbian demo` tables (host vs board build).
# Float reassociation differs between AVX2, NEON and scalar bodies, so errors that converged
# to ~1e-7 differ in their digits; a row agrees when both errors are below 1e-4 (converged)
# or they are within a factor of 2. Exits 1 on any disagreement or missing row.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 host-demo.txt board-demo.txt" >&2; exit 2; }
awk '
  FNR == NR && $3 ~ /^[0-9]+$/ && NF == 6 { host[$1] = $4; next }
  $3 ~ /^[0-9]+$/ && NF == 6 {
    seen[$1] = 1
    if (!($1 in host)) { printf "%-12s missing on the host\n", $1; bad = 1; next }
    a = host[$1] + 0; b = $4 + 0
    ok = (a < 1e-4 && b < 1e-4) || (a > 0 && b > 0 && a / b < 2 && b / a < 2)
    printf "%-12s host %s  board %s  %s\n", $1, host[$1], $4, ok ? "agree" : "DIFFER"
    if (!ok) bad = 1
  }
  END {
    for (r in host) if (!(r in seen)) { printf "%-12s missing on the board\n", r; bad = 1 }
    exit bad
  }' "$1" "$2"
