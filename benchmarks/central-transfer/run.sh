#!/usr/bin/env bash
# Cross-region transfer benchmark: what crosses to the central region for one generated workload (1,000 purchases,
# 100 stock adjustments, 50 skus in two edge regions), ours (InventoryStreamForwarder: coalesced compact records)
# vs naive forwarding (one Kinesis record per raw DynamoDB stream record, holding its NEW_AND_OLD_IMAGES JSON), in
# one run against its own moto. The central aggregates of every variant must be identical and equal to the edge
# tables; exits non-zero if they differ or naive / ours < 20x. Not a test; TransferRatioIT is its small CI twin.
# About 5-8 minutes on 2 cores (moto is the slow part).
#
# Usage: benchmarks/central-transfer/run.sh
# Env:   JAVA_HOME=JDK 25; SEED=20261123 SKUS=50 ADJUSTMENTS=100 PURCHASES=1000; SINGLE=true (also run ours with
#        one stream record per forwarder batch: a quiet store, no coalescing)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
WORK=${WORK:-/tmp/central-transfer-bench}
mkdir -p "$WORK"

if ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
  echo "need JDK 25+ at JAVA_HOME ($JAVA_HOME)" >&2; exit 1
fi
command -v moto_server >/dev/null || { echo 'moto_server not found: pip install "moto[server]==5.2.1"' >&2; exit 1; }

cd "$ROOT"
# upstream modules (shared-model, inventory-table, devices-table, local-aws, local-runtime, test-support) come from ~/.m2: ./mvnw -B install -DskipTests
./mvnw -B -q -o -pl central-pipeline test-compile
./mvnw -B -q -o -pl central-pipeline dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null
CP=central-pipeline/target/test-classes:central-pipeline/target/classes:$(cat "$WORK/classpath.txt")
# The entry point lives here, not in the module's tests; it uses the test fixture TransferMeasurement.
rm -rf "$WORK/classes" && mkdir -p "$WORK/classes"
"$JAVA_HOME/bin/javac" -d "$WORK/classes" --release 25 -cp "$CP" "$HERE/TransferBenchmark.java"
CP=$WORK/classes:$CP

echo "load before run: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores; moto $(pip show moto 2>/dev/null | awk '/^Version/ {print $2}')" >&2
"$JAVA_HOME/bin/java" -Daws.cborEnabled=false \
  -Dseed="${SEED:-20261123}" -Dskus="${SKUS:-50}" -Dadjustments="${ADJUSTMENTS:-100}" -Dpurchases="${PURCHASES:-1000}" \
  -DsingleRecordBatches="${SINGLE:-true}" \
  -cp "$CP" com.edgeinventory.central.handler.TransferBenchmark 2> >(grep --line-buffered -v '^\[provision\]' >&2)
