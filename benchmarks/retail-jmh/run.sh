#!/usr/bin/env bash
# Warm handler overhead (JMH, a benchmark, not a test): AddItemBenchmark.handlerPath (event JSON -> handleRequest
# with warm caches, SDK against a stub HTTP client -> response JSON) vs AddItemBenchmark.baseline (the same event
# JSON in, a same-size response out), in one JMH run. Target: handlerPath <= 3x baseline. About 2 minutes.
#
# Usage: benchmarks/retail-jmh/run.sh [extra JMH args, e.g. -prof gc]
# Env:   JAVA_HOME=JDK 25  JMH="-f 1 -wi 3 -i 5 -w 5s -r 5s" (defaults)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
"$HERE/build.sh"
JAR=$(mktemp -d)/retail-benchmarks.jar
cp "$HERE/target/retail-benchmarks.jar" "$JAR"
OUT=$(mktemp)
echo "load before run: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores" >&2
"$JAVA_HOME/bin/java" -jar "$JAR" AddItemBenchmark ${JMH:--f 1 -wi 3 -i 5 -w 5s -r 5s} -tu us -bm avgt "$@" | tee "$OUT" >&2
awk '/^AddItemBenchmark\.(baseline|handlerPath) / {s[$1]=$4; e[$1]=$6}
     END {b=s["AddItemBenchmark.baseline"]; h=s["AddItemBenchmark.handlerPath"];
          printf "\n| Benchmark | µs/op | ± error (99.9%%) |\n|---|---:|---:|\n";
          printf "| A: handler path (event JSON -> handleRequest, warm -> response JSON) | %s | %s |\n", h, e["AddItemBenchmark.handlerPath"];
          printf "| B: baseline (event JSON -> same-size response JSON) | %s | %s |\n", b, e["AddItemBenchmark.baseline"];
          printf "\nA / B = %.1fx (target <= 3x)\n", h / b}' "$OUT"
