#!/usr/bin/env bash
# Thumbnail benchmark: ImageProcessor (JDK ImageIO + java2d) vs vipsthumbnail on one 24 MP JPEG.
# Not a test. Usage: benchmarks/thumbnails/run.sh   (env: N=5, WORK=/tmp/thumbnail-bench, JAVA_HOME=JDK 25,
#   SRC=directory of the image package sources to compile, default this checkout's)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SRC=${SRC:-$ROOT/inventory-functions/src/main/java/com/edgeinventory/inventory/service/image}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
N=${N:-5}
XMX=${XMX:-700m}
WORK=${WORK:-/tmp/thumbnail-bench}
IMG=$WORK/photo-24mp.jpg
OUT=$WORK/out

if ! "$JAVA" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
  echo "need JDK 25+ at JAVA_HOME ($JAVA_HOME)" >&2; exit 1
fi
if ! command -v vipsthumbnail >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libvips-tools >/dev/null
fi
if [ ! -x /usr/bin/time ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
fi

mkdir -p "$WORK" "$OUT"
rm -rf "$WORK/classes" && mkdir -p "$WORK/classes"
"$JAVA_HOME/bin/javac" -d "$WORK/classes" --release 25 "$SRC"/*.java "$HERE/ThumbnailBench.java"
rm -f "$WORK/bench.jar" && "$JAVA_HOME/bin/jar" --create --file "$WORK/bench.jar" -C "$WORK/classes" .
CP=$WORK/bench.jar

[ -f "$IMG" ] || "$JAVA" -Xmx2g -cp "$CP" ThumbnailBench generate "$IMG"
echo "input: $(stat -c %s "$IMG") bytes"

# JDK 25 AOT cache (JEP 483/514/515): one training run, then -XX:AOTCache. Optional variant, as a Lambda could ship it.
rm -f "$WORK/bench.aot"
"$JAVA" -Xmx$XMX -XX:AOTCacheOutput="$WORK/bench.aot" -cp "$CP" ThumbnailBench run "$IMG" "$OUT" >/dev/null 2>"$WORK/aot-train.log" || true
AOT_FLAGS=()
[ -f "$WORK/bench.aot" ] && AOT_FLAGS=(-XX:AOTCache="$WORK/bench.aot")

now() { date +%s%N; }
rss_mb() { awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$1"; }
kv() { awk -F= -v k="$1" '$1==k {print $2}' "$2"; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }
minimum() { sort -g | head -1; }
declare -A S   # series name -> space-separated values

add() { S[$1]="${S[$1]:-} $2"; }

ours() { # $1 = label, rest = extra JVM flags
  local label=$1; shift
  local t0 t1
  t0=$(now)
  /usr/bin/time -v -o "$WORK/time.txt" "$JAVA" -Xmx$XMX "$@" -cp "$CP" ThumbnailBench run "$IMG" "$OUT" >"$WORK/ours.txt"
  t1=$(now)
  add "${label}_wall" "$(( (t1 - t0) / 1000000 ))"
  add "${label}_rss" "$(rss_mb "$WORK/time.txt")"
  add "${label}_inproc" "$(kv inproc_ms "$WORK/ours.txt")"
  add "${label}_heap" "$(kv peak_heap_mb "$WORK/ours.txt")"
}

vips_one() { # $1 = size; prints wall ms, records rss
  local t0 t1
  t0=$(now)
  /usr/bin/time -v -o "$WORK/time-v$1.txt" vipsthumbnail "$IMG" -s "$1" -o "$OUT/vips_$1.jpg[Q=85]"
  t1=$(now)
  echo $(( (t1 - t0) / 1000000 ))
}

for i in $(seq 1 "$N"); do
  ours ours
  [ ${#AOT_FLAGS[@]} -gt 0 ] && ours aot "${AOT_FLAGS[@]}"
  a=$(vips_one 512); b=$(vips_one 128)
  add vips_wall $((a + b))
  add vips512_wall "$a"
  add vips_rss "$(printf '%s\n%s\n' "$(rss_mb "$WORK/time-v512.txt")" "$(rss_mb "$WORK/time-v128.txt")" | sort -g | tail -1)"
  echo "rep $i: ours ${S[ours_wall]##* } ms (in-process ${S[ours_inproc]##* }), vips pair $((a + b)) ms" >&2
done

# Steady state (a warm Lambda container): later calls in one JVM.
"$JAVA" -Xmx$XMX -cp "$CP" ThumbnailBench run "$IMG" "$OUT" 10 >"$WORK/warm.txt"
# Small-heap sanity runs: must succeed.
heap_check() { if "$JAVA" -Xmx"$1" -cp "$CP" ThumbnailBench run "$IMG" "$OUT" >"$WORK/small.txt" 2>&1; then echo "ok (peak heap $(kv peak_heap_mb "$WORK/small.txt") MB)"; else echo "FAILED"; fi; }
H256=$(heap_check 256m); H128=$(heap_check 128m); H64=$(heap_check 64m)

m() { tr ' ' '\n' <<<"${S[$1]}" | grep -v '^$' | median; }
mn() { tr ' ' '\n' <<<"${S[$1]}" | grep -v '^$' | minimum; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
VM=$(m vips_wall)

echo
echo "### Thumbnails (128 + 512 long side) from one 6000x4000 JPEG ($(( $(stat -c %s "$IMG") / 1024 )) KiB, q0.9), N=$N"
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $("$JAVA" -version 2>&1 | head -1); $(vipsthumbnail --version); ours at -Xmx$XMX"
echo
echo "| Measurement | median ms | min ms | peak RSS MB (median) | peak heap MB | ours / vips (median) |"
echo "|---|---:|---:|---:|---:|---:|"
echo "| ours, whole process (fresh JVM) | $(m ours_wall) | $(mn ours_wall) | $(m ours_rss) | $(m ours_heap) | $(ratio "$(m ours_wall)" "$VM") |"
echo "| ours, in-process first call (decode + 2 thumbnails, JVM start excluded) | $(m ours_inproc) | $(mn ours_inproc) | | | $(ratio "$(m ours_inproc)" "$VM") |"
if [ ${#AOT_FLAGS[@]} -gt 0 ]; then
echo "| ours + JDK AOT cache, whole process | $(m aot_wall) | $(mn aot_wall) | $(m aot_rss) | $(m aot_heap) | $(ratio "$(m aot_wall)" "$VM") |"
echo "| ours + JDK AOT cache, in-process first call | $(m aot_inproc) | $(mn aot_inproc) | | | $(ratio "$(m aot_inproc)" "$VM") |"
fi
echo "| ours, in-process warm (median/min of 10 later calls, 1 JVM) | $(kv warm_median_ms "$WORK/warm.txt") | $(kv warm_min_ms "$WORK/warm.txt") | | | $(ratio "$(kv warm_median_ms "$WORK/warm.txt")" "$VM") |"
echo "| vipsthumbnail, both sizes (2 processes) | $VM | $(mn vips_wall) | $(m vips_rss) | | 1.00 |"
echo "| vipsthumbnail, 512 only (1 process) | $(m vips512_wall) | $(mn vips512_wall) | | | |"
echo
echo "Small heaps: -Xmx256m $H256; -Xmx128m $H128; -Xmx64m $H64"
echo "Reproduce: N=$N benchmarks/thumbnails/run.sh   (outputs in $OUT)"
