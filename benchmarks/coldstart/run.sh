#!/usr/bin/env bash
# Cold-start benchmark (not a test): a fresh JVM until ProductUploadHandler has processed one product.json
# event, and until TransactionHandler has answered add item + checkout for a new clientId, against moto, side by side with the SDK floor (DynamoDbClient build + one PutItem), with url-connection
# and CRT HTTP clients, and with JDK 25 AOT caches (-XX:AOTCacheOutput / -XX:AOTCache).
#
# Usage: benchmarks/coldstart/run.sh
# Env:   N=10 (measured rounds)  WORK=/tmp/coldstart-bench  JAVA_HOME=JDK 25  REBUILD=1 (force the function jar)
#
# Every round runs every variant once, in a rotated order (interleaved, so load from other processes hits all
# variants alike). "ready" = launch until the main prints that the work is done (PutItem returned / handleRequest
# returned): the cold start as Lambda sees it. "exit" = launch until the process has exited (adds JVM shutdown).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
JAVA=$JAVA_HOME/bin/java
N=${N:-10}
WORK=${WORK:-/tmp/coldstart-bench}
REGION=eu-west-1
TABLE=edge-inventory-dev-inventory
BUCKET=edge-inventory-dev-uploads-123456789012-$REGION
PRODUCT=products/TR-RUN-42-BLU/product.json
# The same JVM flags for every variant: template.yaml's Globals.
TOOL_OPTS="-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
PKG=com.edgeinventory.bench.coldstart

if ! "$JAVA" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
  echo "need JDK 25+ at JAVA_HOME ($JAVA_HOME)" >&2; exit 1
fi
command -v moto_server >/dev/null || { echo 'moto_server not on PATH: pip install "moto[server]==5.2.1"' >&2; exit 1; }
command -v aws >/dev/null || { echo "the aws CLI is needed to upload the sample product.json" >&2; exit 1; }

# --- build -------------------------------------------------------------------------------------------------
FN_JAR=$ROOT/inventory-functions/target/inventory-functions.jar
RT_JAR=$ROOT/retail-functions/target/retail-functions.jar
cd "$ROOT"
# Another engineer's Maven build could swap jars under us: wait until none runs.
while [ "$(ps aux | grep -c '[m]vn')" != 0 ]; do echo "waiting for a running Maven build" >&2; sleep 5; done
if [ ! -f "$FN_JAR" ] || [ ! -f "$HOME/.m2/repository/com/edgeinventory/shared-model/1.0.0-SNAPSHOT/shared-model-1.0.0-SNAPSHOT.jar" ]; then
  echo "building all modules once (install -DskipTests)" >&2
  ./mvnw -B -q install -DskipTests
elif [ "${REBUILD:-0}" = 1 ] || [ -n "$(find inventory-functions/src/main inventory-functions/pom.xml -newer "$FN_JAR" -print -quit)" ]; then
  echo "rebuilding inventory-functions.jar" >&2
  ./mvnw -B -q -pl inventory-functions install -DskipTests
fi
if [ "${REBUILD:-0}" = 1 ] || [ ! -f "$RT_JAR" ] || [ -n "$(find retail-functions/src/main retail-functions/pom.xml inventory-table/src/main -newer "$RT_JAR" -print -quit)" ]; then
  echo "rebuilding retail-functions.jar" >&2
  ./mvnw -B -q -pl inventory-table,retail-functions install -DskipTests
fi
./mvnw -B -q -f "$HERE/pom.xml" package
# Private copies: a concurrent build cannot swap a jar mid-run, and the AOT caches stay valid (they check the
# classpath's paths and modification times).
rm -rf "$WORK" && mkdir -p "$WORK/jars" "$WORK/logs"
cp "$HERE/target/floor-url.jar" "$HERE/target/floor-crt.jar" "$FN_JAR" "$RT_JAR" "$WORK/jars/"
cp "$HERE"/target/coldstart-bench-*.jar "$WORK/jars/coldstart-bench.jar"
J=$WORK/jars

# --- local AWS ---------------------------------------------------------------------------------------------
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ENDPOINT=http://127.0.0.1:$PORT
moto_server -H 127.0.0.1 -p "$PORT" >"$WORK/logs/moto.log" 2>&1 &
MOTO_PID=$!
cleanup() { kill "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "$ENDPOINT" && break; sleep 0.1; done
"$ROOT/bin/edge-inventory" provision --endpoint "$ENDPOINT" >"$WORK/logs/provision.log" 2>&1 \
  || { cat "$WORK/logs/provision.log" >&2; exit 1; }
AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=$REGION \
  aws --endpoint-url "$ENDPOINT" s3 cp --only-show-errors "$ROOT/events/sample/$PRODUCT" "s3://$BUCKET/$PRODUCT"
# The product every checkout run buys one of: the inventory item layout (InventoryTable), enough stock for all runs.
CHECKOUT_SKU=BENCH-CHECKOUT-1
AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=$REGION aws --endpoint-url "$ENDPOINT" \
  dynamodb put-item --table-name "$TABLE" --item '{"pk":{"S":"SKU#'$CHECKOUT_SKU'"},"sk":{"S":"PRODUCT"},
  "sku":{"S":"'$CHECKOUT_SKU'"},"name":{"S":"Trail Runner 42"},"category":{"S":"running-shoes"},
  "priceAmount":{"S":"89.90"},"currency":{"S":"EUR"},"size":{"S":"42"},"color":{"S":"blue"},"styleId":{"S":"TR-RUN"},
  "available":{"N":"1000000"},"reserved":{"N":"0"},"sold":{"N":"0"},"deleted":{"BOOL":false},"version":{"N":"1"},
  "updatedAt":{"S":"2026-11-27T08:00:00Z"}}'

# The Lambda-like environment: only what the function declares and Lambda sets, nothing from this shell.
jvm() {
  env -i PATH="$PATH" HOME="$HOME" LANG=en_US.UTF-8 TZ=:UTC \
    AWS_REGION=$REGION AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_ENDPOINT_URL="$ENDPOINT" \
    INVENTORY_TABLE=$TABLE UPLOAD_BUCKET=$BUCKET MAX_IMAGE_BYTES=41943040 THUMBNAIL_SIZES=128,512 \
    STATE_TABLE=edge-inventory-dev-retail-state IDEMPOTENCY_TABLE=edge-inventory-dev-idempotency \
    PURCHASES_TABLE=edge-inventory-dev-purchases CUSTOMERS_TABLE=edge-inventory-dev-customers \
    DEVICES_TABLE=edge-inventory-dev-devices TRANSACTION_IDLE_SECONDS=900 \
    JAVA_TOOL_OPTIONS="$TOOL_OPTS" "$JAVA" --enable-native-access=ALL-UNNAMED "$@"
}

# A fresh, growing S3 sequencer per handler run, so every run takes the same path (conditional UpdateItem
# that succeeds) instead of "stale event, ignored".
SEQN=0
next_seq() { SEQN=$((SEQN + 1)); printf -v SEQ '%018X' $((0x65A3F0C1B2D30000 + SEQN)); }

# variant name -> java arguments (after the common flags); "@SEQ" is replaced by $SEQ (call next_seq first).
declare -A ARGS=(
  [floor_url]="-cp $J/floor-url.jar $PKG.Floor url $TABLE"
  [floor_crt]="-cp $J/floor-crt.jar $PKG.Floor crt $TABLE"
  [handler]="-cp $J/coldstart-bench.jar:$J/inventory-functions.jar $PKG.HandlerColdStart $BUCKET @SEQ"
  [checkout]="-cp $J/coldstart-bench.jar:$J/retail-functions.jar $PKG.CheckoutColdStart $CHECKOUT_SKU cs-@SEQ"
)
declare -A AOT_OF
AOT_OF=([floor_url_aot]=floor_url [floor_crt_aot]=floor_crt [handler_aot]=handler [checkout_aot]=checkout)
VARIANTS=(floor_url floor_crt handler checkout floor_url_aot floor_crt_aot handler_aot checkout_aot)

args_of() { # $1 variant -> prints the JVM arguments, one per line
  local v=$1 base extra=()
  if [ -n "${AOT_OF[$v]:-}" ]; then base=${AOT_OF[$v]}; extra=(-XX:AOTCache="$WORK/$base.aot"); else base=$v; fi
  [ ${#extra[@]} -eq 0 ] || printf '%s\n' "${extra[@]}"
  printf '%s\n' ${ARGS[$base]//@SEQ/$SEQ}
}

declare -A READY EXIT INIT EVENT INVOKE ADDMS COMS
RECORD=1
run_one() { # $1 variant [$2... extra JVM flags]; records ready/exit ms unless RECORD=0
  local v=$1; shift
  next_seq
  local -a a; mapfile -t a < <(args_of "$v")
  local t0 t1 out done_ms
  t0=$(date +%s%N)
  out=$(jvm "$@" "${a[@]}" 2>>"$WORK/logs/$v.err") || { echo "$v failed: $out" >&2; tail -20 "$WORK/logs/$v.err" >&2; exit 1; }
  t1=$(date +%s%N)
  done_ms=$(sed -n 's/.*done_epoch_ms=\([0-9]*\).*/\1/p' <<<"$out" | tail -1)
  [ -n "$done_ms" ] || { echo "$v printed no done_epoch_ms: $out" >&2; exit 1; }
  if [[ $v == handler* ]] && ! grep -q 'outcome=APPLIED' <<<"$out"; then echo "$v: not APPLIED: $out" >&2; exit 1; fi
  if [[ $v == checkout* ]] && ! grep -q 'outcome=CHECKED_OUT' <<<"$out"; then echo "$v: not CHECKED_OUT: $out" >&2; exit 1; fi
  [ "$RECORD" = 1 ] || return 0
  READY[$v]="${READY[$v]:-} $((done_ms - t0 / 1000000))"
  EXIT[$v]="${EXIT[$v]:-} $(((t1 - t0) / 1000000))"
  if [[ $v == handler* ]]; then
    INIT[$v]="${INIT[$v]:-} $(sed -n 's/.* init_ms=\([0-9]*\).*/\1/p' <<<"$out")"
    EVENT[$v]="${EVENT[$v]:-} $(sed -n 's/.* event_ms=\([0-9]*\).*/\1/p' <<<"$out")"
    INVOKE[$v]="${INVOKE[$v]:-} $(sed -n 's/.* invoke_ms=\([0-9]*\).*/\1/p' <<<"$out")"
  fi
  if [[ $v == checkout* ]]; then
    INIT[$v]="${INIT[$v]:-} $(sed -n 's/.* init_ms=\([0-9]*\).*/\1/p' <<<"$out")"
    ADDMS[$v]="${ADDMS[$v]:-} $(sed -n 's/.* add_ms=\([0-9]*\).*/\1/p' <<<"$out")"
    COMS[$v]="${COMS[$v]:-} $(sed -n 's/.* checkout_ms=\([0-9]*\).*/\1/p' <<<"$out")"
  fi
}

# --- AOT caches: one training run each (JDK 25 one-step: -XX:AOTCacheOutput) -----------------------------------
for base in floor_url floor_crt handler checkout; do
  next_seq
  mapfile -t a < <(args_of "$base")
  jvm -XX:AOTCacheOutput="$WORK/$base.aot" "${a[@]}" >"$WORK/logs/$base.train.out" 2>"$WORK/logs/$base.train.err" \
    || { echo "AOT training of $base failed" >&2; tail -20 "$WORK/logs/$base.train.err" >&2; exit 1; }
  [ -f "$WORK/$base.aot" ] || { echo "no AOT cache written for $base" >&2; tail -20 "$WORK/logs/$base.train.err" >&2; exit 1; }
done

# --- warm-up (page cache, moto's first requests; the first handler run creates the item), not measured -------
for v in "${VARIANTS[@]}"; do run_one "$v"; done
for v in "${VARIANTS[@]}"; do READY[$v]=""; EXIT[$v]=""; INIT[$v]=""; EVENT[$v]=""; INVOKE[$v]=""; ADDMS[$v]=""; COMS[$v]=""; done

# --- measured, interleaved rounds --------------------------------------------------------------------------
NV=${#VARIANTS[@]}
for i in $(seq 1 "$N"); do
  for k in $(seq 0 $((NV - 1))); do run_one "${VARIANTS[$(((i + k) % NV))]}"; done
  printf 'round %d/%d:' "$i" "$N" >&2
  for v in "${VARIANTS[@]}"; do printf ' %s=%s' "$v" "${READY[$v]##* }" >&2; done
  echo >&2
done

# --- classes loaded: one extra run per variant -------------------------------------------------------------
declare -A CLASSES SHARED AWT
RECORD=0
for v in "${VARIANTS[@]}"; do
  run_one "$v" -Xlog:class+load:file="$WORK/logs/$v.classes.txt"
  CLASSES[$v]=$(grep -c 'class,load' "$WORK/logs/$v.classes.txt")
  SHARED[$v]=$(grep -c 'source: shared objects file' "$WORK/logs/$v.classes.txt" || true)
  AWT[$v]=$(grep -cE '\] (java\.awt|javax\.imageio|sun\.awt|sun\.java2d)\.' "$WORK/logs/$v.classes.txt" || true)
done

# --- report ------------------------------------------------------------------------------------------------
vals() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g; }
median() { vals "$1" | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.0f\n", (a[NR/2]+a[NR/2+1])/2}'; }
minimum() { vals "$1" | head -1; }
p90() { vals "$1" | awk '{a[NR]=$1} END {i=int(NR*0.9); if (i<NR*0.9) i++; print a[i]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
paired() { # median over rounds of series $1 / series $2 (same round)
  paste <(tr ' ' '\n' <<<"$1" | grep -v '^$') <(tr ' ' '\n' <<<"$2" | grep -v '^$') \
    | awk '{print $1/$2}' | sort -g | awk '{a[NR]=$1} END {if (NR%2) m=a[(NR+1)/2]; else m=(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'
}
declare -A LABEL=(
  [floor_url]="floor, url-connection" [floor_crt]="floor, AWS CRT" [handler]="handler (url-connection)"
  [checkout]="checkout: TransactionHandler, add item + checkout" [checkout_aot]="checkout + AOT cache"
  [floor_url_aot]="floor, url-connection + AOT cache" [floor_crt_aot]="floor, AWS CRT + AOT cache"
  [handler_aot]="handler + AOT cache"
)
F=${READY[floor_url]}
FM=$(median "$F")

echo
echo "### Cold start: fresh JVM until one event is processed, against moto (N=$N interleaved rounds)"
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load before run $(cut -d' ' -f1-3 /proc/loadavg); $("$JAVA" -version 2>&1 | sed -n 2p); JAVA_TOOL_OPTIONS=\"$TOOL_OPTS\" for all"
echo
echo "| Variant | ready median ms | min | p90 | exit median ms | classes loaded (from CDS/AOT) | / floor url (medians) | / floor url (paired median) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for v in "${VARIANTS[@]}"; do
  r=${READY[$v]}
  echo "| ${LABEL[$v]} | $(median "$r") | $(minimum "$r") | $(p90 "$r") | $(median "${EXIT[$v]}") | ${CLASSES[$v]} (${SHARED[$v]}) | $(ratio "$(median "$r")" "$FM") | $(paired "$r" "$F") |"
done
echo
echo "Handler split, in Lambda's order (median ms): init (constructor) $(median "${INIT[handler]}"), S3Event built $(median "${EVENT[handler]}"), first handleRequest $(median "${INVOKE[handler]}"); with AOT cache: $(median "${INIT[handler_aot]}"), $(median "${EVENT[handler_aot]}"), $(median "${INVOKE[handler_aot]}")."
echo "java.awt / javax.imageio / sun.awt / sun.java2d classes loaded by the handler for a product.json event: ${AWT[handler]} (AOT: ${AWT[handler_aot]})."
echo "Checkout split (median ms): init (constructor) $(median "${INIT[checkout]}"), add item $(median "${ADDMS[checkout]}"), checkout $(median "${COMS[checkout]}"); with AOT cache: $(median "${INIT[checkout_aot]}"), $(median "${ADDMS[checkout_aot]}"), $(median "${COMS[checkout_aot]}")."
echo "AOT cache sizes: $(for b in floor_url floor_crt handler checkout; do printf '%s %s MB; ' "$b" "$(( $(stat -c %s "$WORK/$b.aot") / 1048576 ))"; done)"
echo "Targets: handler <= 1.0x floor(url): $(ratio "$(median "${READY[handler]}")" "$FM")x; handler + AOT <= 0.5x floor(url): $(ratio "$(median "${READY[handler_aot]}")" "$FM")x; checkout $(ratio "$(median "${READY[checkout]}")" "$FM")x, checkout + AOT $(ratio "$(median "${READY[checkout_aot]}")" "$FM")x floor(url)."
echo "Reproduce: N=$N benchmarks/coldstart/run.sh   (logs and class lists in $WORK/logs)"
