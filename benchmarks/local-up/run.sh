#!/usr/bin/env bash
# `up` to ready (2 edges + central), cold (default) and --warm, alternated in one run, after the build.
# Ready = the "Ctrl-C stops it." line. Prints one line per run and the medians.
# Usage: N=3 benchmarks/local-up/run.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-3}
"$ROOT/bin/edge-inventory" help >/dev/null   # builds the jars first if needed
measure() {
  local flags=$1 out start line
  out=$(mktemp)
  start=$(date +%s%N)
  EDGE_INVENTORY_NO_BUILD=1 "$ROOT/bin/edge-inventory" up --port 0 $flags >"$out" 2>"$out.err" &
  local pid=$!
  for _ in $(seq 1 1200); do
    if grep -q 'Ctrl-C stops it.' "$out"; then break; fi
    sleep 0.1
  done
  local end; end=$(date +%s%N)
  local warmline; warmline=$(grep -o 'warm: .*' "$out.err" || true)
  kill -TERM "$pid"; wait "$pid" || true   # as Ctrl-C: up stops cleanly (a background job ignores SIGINT)
  rm -f "$out" "$out.err"
  echo "$(( (end - start) / 1000000 )) $warmline"
}
cold=() warm=()
for i in $(seq 1 "$N"); do
  c=$(measure ""); w=$(measure "--warm")
  echo "run $i: cold up→ready ${c%% *} ms; --warm up→ready ${w%% *} ms (${w#* })"
  cold+=("${c%% *}"); warm+=("${w%% *}")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median: cold $(median "${cold[@]}") ms, --warm $(median "${warm[@]}") ms"
