#!/usr/bin/env bash
# Runs every shell, C, Swift and Python block of README.md and the DocC articles and compares
# the figures their text quotes with what the run printed (Scripts/check-docs.py says how).
#
#   bash Scripts/check-docs.sh                 every document; blocks marked slow are not run
#   bash Scripts/check-docs.sh --full          the slow blocks too
#   bash Scripts/check-docs.sh --self-check    shows that a broken block of each kind fails
# Needs python3 with numpy (the README's numpy example) and a C compiler.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 Scripts/check-docs.py "$@"
