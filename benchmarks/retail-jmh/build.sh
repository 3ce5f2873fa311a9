#!/usr/bin/env bash
# Builds target/retail-benchmarks.jar. It bundles retail-functions (and inventory-table, shared-model) as installed
# in ~/.m2: reinstalls those modules first when their sources are newer than the installed jars. Waits while
# another Maven build is running (a parallel `-pl retail-functions` build could otherwise swap jars mid-build).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cd "$ROOT"
while [ "$(ps aux | grep -c '[m]vn')" != 0 ]; do echo "waiting for a running Maven build" >&2; sleep 5; done
M2=$HOME/.m2/repository/com/edgeinventory
for m in shared-model inventory-table retail-functions; do
  jar=$M2/$m/1.0.0-SNAPSHOT/$m-1.0.0-SNAPSHOT.jar
  if [ ! -f "$jar" ] || [ -n "$(find "$m/src/main" "$m/pom.xml" -newer "$jar" -print -quit)" ]; then
    echo "installing $m (sources newer than $jar)" >&2
    ./mvnw -B -q -pl "$m" install -DskipTests
  fi
done
./mvnw -B -q -f "$HERE/pom.xml" package
