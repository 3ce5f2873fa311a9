#!/usr/bin/env bash
# `up` to ready (2 edges + central), after the build, alternated in one run:
#   default       every SnapStart function published (init + beforeCheckpoint, snapshot kept) before ready,
#                 with the AOT caches trained (as from the second run after a build on);
#   default, no AOT cache (EDGE_INVENTORY_AOT_CACHE=off): as the first run after a build, before any training;
#   --warm        also one restored environment of every function before ready (provisioned concurrency).
# Ready = the "Ctrl-C stops it." line. Prints one line per run and the medians.
# Usage: N=3 benchmarks/local-up/run.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-3}
"$ROOT/bin/edge-inventory" help >/dev/null   # builds the jars first if needed
measure() {
  local flags=$1 aot=$2 out start
  out=$(mktemp)
  start=$(date +%s%N)
  EDGE_INVENTORY_AOT_CACHE=$aot EDGE_INVENTORY_NO_BUILD=1 "$ROOT/bin/edge-inventory" up --port 0 $flags \
    >"$out" 2>"$out.err" &
  local pid=$!
  for _ in $(seq 1 1200); do
    if grep -q 'Ctrl-C stops it.' "$out"; then break; fi
    sleep 0.1
  done
  local end; end=$(date +%s%N)
  local detail; detail=$(grep -o 'snapstart: .* in [0-9]* ms\|warm: .* in [0-9]* ms' "$out.err" | tr '\n' ';' || true)
  kill -TERM "$pid"; wait "$pid" || true   # as Ctrl-C: up stops cleanly (a background job ignores SIGINT)
  rm -f "$out" "$out.err"
  echo "$(( (end - start) / 1000000 )) $detail"
}
AOT_DIR=${EDGE_INVENTORY_AOT_CACHE:-$HOME/.cache/edge-inventory/aot}
measure "" "$AOT_DIR" >/dev/null   # trains the caches of these jars if they are not yet
cached=() plain=() warm=()
for i in $(seq 1 "$N"); do
  c=$(measure "" "$AOT_DIR"); p=$(measure "" off); w=$(measure "--warm" "$AOT_DIR")
  echo "run $i: up→ready ${c%% *} ms (${c#* }); no AOT cache ${p%% *} ms (${p#* }); --warm ${w%% *} ms (${w#* })"
  cached+=("${c%% *}"); plain+=("${p%% *}"); warm+=("${w%% *}")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median: up→ready $(median "${cached[@]}") ms, no AOT cache $(median "${plain[@]}") ms, --warm $(median "${warm[@]}") ms"
