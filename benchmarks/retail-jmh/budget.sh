#!/usr/bin/env bash
# DynamoDB request budget per retail operation (a benchmark, not a test): starts its own moto, provisions the
# template's tables, runs com.edgeinventory.bench.retail.RequestBudget (the production TransactionHandler with the
# project's DynamoDbRequestCounter) and prints the Markdown table for docs/benchmarks.md.
#
# Usage: benchmarks/retail-jmh/budget.sh        Env: JAVA_HOME=JDK 25  WORK=/tmp/retail-budget
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
WORK=${WORK:-/tmp/retail-budget}
REGION=eu-west-1
command -v moto_server >/dev/null || { echo 'moto_server not on PATH: pip install "moto[server]==5.2.1"' >&2; exit 1; }

"$HERE/build.sh"
rm -rf "$WORK" && mkdir -p "$WORK"
cp "$HERE/target/retail-benchmarks.jar" "$WORK/"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ENDPOINT=http://127.0.0.1:$PORT
moto_server -H 127.0.0.1 -p "$PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
cleanup() { kill "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "$ENDPOINT" && break; sleep 0.1; done
"$ROOT/bin/edge-inventory" provision --endpoint "$ENDPOINT" >"$WORK/provision.log" 2>&1 \
  || { cat "$WORK/provision.log" >&2; exit 1; }

env -i PATH="$PATH" HOME="$HOME" LANG=en_US.UTF-8 \
  AWS_REGION=$REGION AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_ENDPOINT_URL="$ENDPOINT" \
  INVENTORY_TABLE=edge-inventory-dev-inventory STATE_TABLE=edge-inventory-dev-retail-state \
  IDEMPOTENCY_TABLE=edge-inventory-dev-idempotency PURCHASES_TABLE=edge-inventory-dev-purchases \
  CUSTOMERS_TABLE=edge-inventory-dev-customers \
  "$JAVA_HOME/bin/java" -cp "$WORK/retail-benchmarks.jar" com.edgeinventory.bench.retail.RequestBudget
echo "moto $(pip show moto 2>/dev/null | sed -n 's/^Version: //p'); reproduce: benchmarks/retail-jmh/budget.sh"
