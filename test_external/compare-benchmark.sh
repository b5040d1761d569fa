#!/usr/bin/env bash
# Compares the results of `bun run bench` with a baseline, row by row, on each
# row's ratio to the floor measured in the same run (benchmarks/floors.ts):
#
#   ./compare-benchmark.sh results.json benchmarks/baseline.json 20
#
# Prints a table (row, floor, baseline, now, change %). Exit status: 0 when no
# row's floor ratio dropped by more than the given percent, 1 when one did, 2
# on bad input (arguments, a missing or malformed file, rows missing, results
# of another setup). The comparison is benchmarks/compare-benchmark.ts, run
# with the Bun of this directory's node_modules (npm ci), or bun on the PATH.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ -x "$HERE/node_modules/.bin/bun" ]]; then
  BUN="$HERE/node_modules/.bin/bun"
elif command -v bun >/dev/null; then
  BUN="$(command -v bun)"
else
  echo "compare-benchmark: bun not found: run npm ci in $HERE" >&2
  exit 2
fi
exec "$BUN" "$HERE/benchmarks/compare-benchmark.ts" "$@"
