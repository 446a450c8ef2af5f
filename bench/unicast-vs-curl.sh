#!/usr/bin/env bash
# Unicast throughput: a repository node's GET (Kestrel, bench/UnicastBench = RepositoryActor + unicast endpoints)
# beside a plain static file server (python3 -m http.server) serving the very same file, both fetched with curl
# to /dev/null over 127.0.0.1; plus `cat FILE > /dev/null` as the ceiling (page cache). Reports MB/s and ratios.
#   SIZE_MB=512 RUNS=5 bench/unicast-vs-curl.sh
set -euo pipefail
SIZE_MB=${SIZE_MB:-512}
RUNS=${RUNS:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/og-unicast-bench.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do timeout 15 tail --pid="$p" -f /dev/null 2>/dev/null || kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
best_rate() { # URL → best MB/s of RUNS downloads
  local best=0 r
  for _ in $(seq "$RUNS"); do
    r=$(curl -s -o /dev/null -w '%{speed_download}' "$1")
    best=$(python3 -c "print(max($best, $r/1e6))")
  done
  echo "$best"
}

echo "== making a ${SIZE_MB} MiB image with the real tools (ext4 of random data | partclone.extfs | lzop -1)"
mkdir -p "$WORK/content" "$WORK/images"
head -c "$((SIZE_MB))M" /dev/urandom > "$WORK/content/random.bin"
truncate -s "$((SIZE_MB + SIZE_MB / 8 + 32))M" "$WORK/fs.ext4"
mkfs.ext4 -q -F -d "$WORK/content" "$WORK/fs.ext4"
rm -rf "$WORK/content"
partclone.extfs -c -s "$WORK/fs.ext4" -o - -L /dev/null 2>/dev/null | lzop -1 -c > "$WORK/images/.bench.img.copying"
rm -f "$WORK/fs.ext4"
mv "$WORK/images/.bench.img.copying" "$WORK/images/bench.img"
SIZE=$(stat -c %s "$WORK/images/bench.img")

echo "== building and starting the repository's unicast service"
dotnet build "$ROOT/bench/UnicastBench" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
OURS_PORT=$(free_port)
dotnet "$ROOT/artifacts/bin/OgActors.UnicastBench/release/og-unicast-bench.dll" "$WORK/images" "$OURS_PORT" > "$WORK/ours.log" 2>&1 &
PIDS+=($!)
START=$(date +%s.%N)
until grep -q '^ready' "$WORK/ours.log"; do
  kill -0 "${PIDS[0]}" 2>/dev/null || { cat "$WORK/ours.log"; exit 1; }
  sleep 0.2
done
INCORPORATED=$(python3 -c "print(round($(date +%s.%N) - $START, 2))")

PY_PORT=$(free_port)
python3 -m http.server "$PY_PORT" --bind 127.0.0.1 --directory "$WORK/images" >/dev/null 2>&1 &
PIDS+=($!)
until curl -sf -o /dev/null -r 0-0 "http://127.0.0.1:$PY_PORT/bench.img"; do sleep 0.1; done

# Same file, same client; warm the page cache first so both read from memory.
cat "$WORK/images/bench.img" > /dev/null
CAT_START=$(date +%s.%N); cat "$WORK/images/bench.img" > /dev/null; CAT_END=$(date +%s.%N)
CAT=$(python3 -c "print($SIZE / 1e6 / ($CAT_END - $CAT_START))")
# Correctness first: our bytes are the file's bytes, ETag is its MD5.
test "$(curl -s "http://127.0.0.1:$OURS_PORT/images/bench.img" | md5sum | cut -d' ' -f1)" = "$(md5sum < "$WORK/images/bench.img" | cut -d' ' -f1)"
OURS=$(best_rate "http://127.0.0.1:$OURS_PORT/images/bench.img")
PY=$(best_rate "http://127.0.0.1:$PY_PORT/bench.img")

python3 - "$SIZE" "$RUNS" "$OURS" "$PY" "$CAT" "$INCORPORATED" <<'PY'
import sys
size, runs, ours, py, cat, inc = int(sys.argv[1]), sys.argv[2], *map(float, sys.argv[3:])
print(f"file: {size/1e6:.0f} MB, best of {runs} curl downloads to /dev/null over 127.0.0.1")
print(f"{'server':<42}{'MB/s':>10}{'ratio':>9}")
print(f"{'og repository unicast GET (Kestrel)':<42}{ours:>10.0f}{1:>9.2f}")
print(f"{'python3 -m http.server (static files)':<42}{py:>10.0f}{py/ours:>9.2f}")
print(f"{'cat FILE > /dev/null (page cache ceiling)':<42}{cat:>10.0f}{cat/ours:>9.2f}")
print(f"ours / python3 http.server = {ours/py:.2f}x; ours / cat = {ours/cat:.2f}")
print(f"incorporation (inspect + .sum/.full.sum/.torrent in one pass) of the file after start: {inc:.1f} s")
PY
