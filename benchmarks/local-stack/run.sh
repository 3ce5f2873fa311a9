#!/usr/bin/env bash
# Local stack benchmark (not a test): the whole Docker-free local system (LocalSystem: moto, edges eu-west-1 and
# us-east-1, central us-east-2, every trigger wired, HTTP APIs on local ports) under one-shot sales.
#   Throughput: open-loop POST /v1/sales at each offered rate (RATES) for STEP seconds; achieved purchases/s,
#               latency p50/p90/p99, errors, and where the CPU went (moto, function runtime JVMs, this JVM, other
#               processes) as shares of the cores' wall time.
#   Freshness:  with FRESH_RATE purchases/s in the background, a probe per edge sells 1 unit of a sku nobody else
#               sells and polls the central analytics API every POLL_MS until that edge's 'sold' shows it;
#               purchase acknowledged -> visible, p50/p90/p99/max over SAMPLES probes. Target p99 < 2 s.
# Exits non-zero on errors in the freshness run. About 6-8 minutes on 2 cores.
#
# Prerequisite: the function jars and the runtime interface client: ./mvnw -B package -DskipTests
# Usage: benchmarks/local-stack/run.sh
# Env:   JAVA_HOME=JDK 25  RATES=5,10,20,40  STEP=30  FRESH_RATE=4  SAMPLES=120  POLL_MS=20  SEED=20261127
#        DRAIN=60 (max wait for the pipeline after a step)  FRESH_MAX=300 (max seconds of probing)
#        WORK=/tmp/local-stack-bench (the stack's log: stack.log)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
WORK=${WORK:-/tmp/local-stack-bench}
mkdir -p "$WORK"

if ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
  echo "need JDK 25+ at JAVA_HOME ($JAVA_HOME)" >&2; exit 1
fi
command -v moto_server >/dev/null || { echo 'moto_server not found: pip install "moto[server]==5.2.1"' >&2; exit 1; }
for jar in inventory-functions retail-functions central-pipeline; do
  [ -f "$ROOT/$jar/target/$jar.jar" ] || { echo "missing $jar/target/$jar.jar: run ./mvnw -B package -DskipTests" >&2; exit 1; }
done
[ -d "$ROOT/local-runtime/target/ric" ] || { echo "missing local-runtime/target/ric: run ./mvnw -B package -DskipTests" >&2; exit 1; }

cd "$ROOT"
# The benchmark runs on edge-cli's jar and its runtime class path (what bin/edge-inventory runs).
./mvnw -B -q -o -Dmaven.test.skip=true -pl edge-cli -am package
# A snapshot of the jars: other builds in this working tree may rebuild them while we run.
rm -rf "$WORK/lib" "$WORK/classes" && mkdir -p "$WORK/lib" "$WORK/classes"
cp edge-cli/target/edge-cli.jar edge-cli/target/lib/*.jar "$WORK/lib/"
"$JAVA_HOME/bin/javac" -d "$WORK/classes" --release 25 -cp "$WORK/lib/*" "$HERE/LocalStackBenchmark.java"
CP=$WORK/classes:$WORK/lib/*

echo "load before run: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores; moto $(pip show moto 2>/dev/null | awk '/^Version/ {print $2}')" >&2
exec "$JAVA_HOME/bin/java" -Daws.cborEnabled=false -Dedge.ric.dir="$ROOT/local-runtime/target/ric" -Drepo.root="$ROOT" -Dwork="$WORK" \
  -Drates="${RATES:-5,10,20,40}" -DstepSeconds="${STEP:-30}" -DfreshRate="${FRESH_RATE:-4}" \
  -Dsamples="${SAMPLES:-120}" -DpollMillis="${POLL_MS:-20}" -Dseed="${SEED:-20261127}" \
  -DdrainSeconds="${DRAIN:-60}" -DfreshMaxSeconds="${FRESH_MAX:-300}" \
  -cp "$CP" com.edgeinventory.benchmarks.LocalStackBenchmark
