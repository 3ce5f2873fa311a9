#!/usr/bin/env bash
# moto's cost per purchase as purchases pile up (a benchmark, not a test): 10,000 one-shot sales in batches of 1,000
# through the production TransactionHandler (one TransactWriteItems each: product level, purchase, idempotency
# record) against moto started with each version of our wrapper, serialized_moto_server.py, one after the other in
# one run: "before" (the wrapper at BEFORE_REF: whole-table deep copy per transaction) then "after" (this working
# tree's). Prints per batch: seconds, moto's VmRSS and CPU seconds, this JVM's CPU seconds and the load average;
# then the Markdown table for docs/benchmarks.md.
# Harness: MotoTransactionsBenchmark in retail-functions' test sources. Then steady.py (beside this file): the same
# two wrappers under transactions and reads that add no data, RSS per round. About 7-10 minutes on 2 cores (the
# "before" variant stops at MAX_BATCH_SECONDS per batch or MAX_RSS_MB).
#
# Usage: benchmarks/moto-transactions/run.sh
# Env:   JAVA_HOME=JDK 25  PURCHASES=10000 BATCH=1000 SKUS=10 WARMUP=50  MAX_BATCH_SECONDS=180 MAX_RSS_MB=4000
#        BEFORE_REF=20f8b3b1490c (the last commit of main's wrapper before the undo log)  VARIANTS=before,after
#        WORK=/tmp/moto-transactions-bench (moto logs, classpath)  STEADY=true (run steady.py; ITEMS, TXNS, ROUNDS)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH=$JAVA_HOME/bin:$PATH
WORK=${WORK:-/tmp/moto-transactions-bench}
BEFORE_REF=${BEFORE_REF:-20f8b3b1490c}
WRAPPER=local-aws/src/main/resources/com/edgeinventory/local/moto/serialized_moto_server.py
mkdir -p "$WORK"

if ! java -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
  echo "need JDK 25+ at JAVA_HOME ($JAVA_HOME)" >&2; exit 1
fi
command -v moto_server >/dev/null || { echo 'moto_server not found: pip install "moto[server]==5.2.1"' >&2; exit 1; }

cd "$ROOT"
git show "$BEFORE_REF:$WRAPPER" >"$WORK/before.py"
cp "$WRAPPER" "$WORK/after.py"
# The reactor compiles the upstream modules into their target/ folders (nothing is installed in ~/.m2); the last
# module, retail-functions, writes the classpath file last.
./mvnw -B -q -o -pl retail-functions -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null
CP=retail-functions/target/test-classes:retail-functions/target/classes:$(cat "$WORK/classpath.txt")
# The harness lives here, not in the module's tests (package com.edgeinventory.retail.handler: it drives the handler).
rm -rf "$WORK/classes" && mkdir -p "$WORK/classes"
javac -d "$WORK/classes" --release 25 -cp "$CP" "$HERE/MotoTransactionsBenchmark.java"
CP=$WORK/classes:$CP

VARIANT_ARGS=
for v in $(echo "${VARIANTS:-before,after}" | tr , ' '); do VARIANT_ARGS="$VARIANT_ARGS${VARIANT_ARGS:+,}$v=$WORK/$v.py"; done

echo "load before run: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores; moto $(pip show moto 2>/dev/null | awk '/^Version/ {print $2}'); before = $BEFORE_REF:$WRAPPER" >&2
java -Dvariants="$VARIANT_ARGS" -Dpurchases="${PURCHASES:-10000}" -Dbatch="${BATCH:-1000}" -Dskus="${SKUS:-10}" \
  -Dwarmup="${WARMUP:-50}" -DmaxBatchSeconds="${MAX_BATCH_SECONDS:-180}" -DmaxRssMb="${MAX_RSS_MB:-4000}" \
  -Dwork="$WORK" -Drepo.root="$ROOT" \
  -cp "$CP" com.edgeinventory.retail.handler.MotoTransactionsBenchmark 2> >(grep --line-buffered -v '^\[provision\]' >&2)
if [ "${STEADY:-true}" = true ]; then
  PYTHON=$(dirname "$(command -v moto_server)")/python3
  [ -x "$PYTHON" ] || PYTHON=python3
  "$PYTHON" "$HERE/steady.py" $(echo "$VARIANT_ARGS" | tr , ' ')
fi
