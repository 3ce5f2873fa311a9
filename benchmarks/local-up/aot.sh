#!/usr/bin/env bash
# Cold start of every function in the local stack, plain vs the per-function AOT cache, alternated in one run:
# `up --warm` initialises one environment of each of the 20 functions (2 edges + central) in parallel before
# ready and prints how long that took. The first run with the cache trains it (record, assembled at stop).
# Usage: N=3 benchmarks/local-up/aot.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-3}
CACHE=$(mktemp -d)
"$ROOT/bin/edge-inventory" help >/dev/null
warm() {
  local out; out=$(mktemp)
  EDGE_INVENTORY_AOT_CACHE=$1 EDGE_INVENTORY_NO_BUILD=1 "$ROOT/bin/edge-inventory" up --port 0 --warm \
    >"$out" 2>"$out.err" &
  local pid=$!
  for _ in $(seq 1 1800); do grep -q 'Ctrl-C stops it.' "$out" && break; sleep 0.1; done
  local line; line=$(grep -o 'initialised in [0-9]* ms' "$out.err" | grep -o '[0-9]*' || echo "?")
  kill -TERM "$pid"; wait "$pid" || true
  rm -f "$out" "$out.err"
  echo "$line"
}
echo "training the cache: $(warm "$CACHE") ms (plain start + record)"
echo "caches: $(ls "$CACHE" | grep -c '\.aot$')"
for i in $(seq 1 "$N"); do
  echo "run $i: 20 environments initialised, plain $(warm off) ms, AOT cache $(warm "$CACHE") ms"
done
rm -rf "$CACHE"
