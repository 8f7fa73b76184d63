#!/usr/bin/env bash
# The novelty monitor on SKAB (Skoltech Anomaly Benchmark) with its leaderboard protocol:
#
#   bash Scripts/skab.sh PATH-TO-SKAB-CHECKOUT [--tune]
#
# Builds the release binary, then Scripts/skab.py streams each of the 34 labelled runs through
# `hebbian monitor` (learning and calibrating online on the run's first 400 rows) and prints
# F1, FAR and MAR overall and per folder beside the leaderboard. SKAB's data is GPL-3.0: it is
# read from the checkout given and never copied into this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 PATH-TO-SKAB-CHECKOUT [--tune]" >&2; exit 2; }
swift build -c release --product hebbian >/dev/null
python3 Scripts/skab.py .build/release/hebbian "$@"
