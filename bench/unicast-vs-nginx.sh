#!/usr/bin/env bash
# Unicast serving cost (issue 16 item 6): a repository node's unicast GET (Kestrel, bench/UnicastBench = RepositoryActor +
# unicast endpoints) beside nginx (Debian's, sendfile on, 127.0.0.1 only) serving the very same image file to
# CLIENTS concurrent curl downloads (to /dev/null over 127.0.0.1). Reports aggregate throughput and the server's CPU
# seconds per GB served (utime + stime of its processes, from /proc), and the ratios ours / nginx.
#   SIZE_MB=256 CLIENTS=20 RUNS=3 bench/unicast-vs-nginx.sh
set -euo pipefail
SIZE_MB=${SIZE_MB:-256}
CLIENTS=${CLIENTS:-20}
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/og-nginx-bench.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do timeout 15 tail --pid="$p" -f /dev/null 2>/dev/null || kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
command -v nginx >/dev/null || { echo "unicast-vs-nginx: nginx is not installed (scripts/bootstrap.sh installs it)." >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
TICK=$(getconf CLK_TCK)
cpu_of() { # PIDs → CPU seconds (user + system) they have used so far
  local total=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  python3 -c "print($total / $TICK)"
}
run_clients() { # URL → wall seconds for CLIENTS parallel downloads (each checked complete)
  local start end i
  start=$(date +%s.%N)
  for i in $(seq "$CLIENTS"); do curl -sf -o /dev/null -w '%{size_download}\n' "$1" > "$WORK/got.$i" & done
  wait
  end=$(date +%s.%N)
  for i in $(seq "$CLIENTS"); do test "$(cat "$WORK/got.$i")" = "$SIZE" || { echo "download $i of $1 was incomplete" >&2; exit 1; }; done
  python3 -c "print($end - $start)"
}
measure() { # NAME URL PID... → "best_MBps cpu_s_per_GB" over RUNS rounds
  local url=$1; shift
  local best=0 best_cpu=0 r wall c0 c1
  run_clients "$url" >/dev/null # warm up (page cache, JIT)
  for r in $(seq "$RUNS"); do
    c0=$(cpu_of "$@"); wall=$(run_clients "$url"); c1=$(cpu_of "$@")
    read -r best best_cpu < <(python3 -c "
mbps = $CLIENTS * $SIZE / 1e6 / $wall; cpu = ($c1 - $c0) / ($CLIENTS * $SIZE / 1e9)
print(*(f'{mbps} {cpu}' if mbps > $best else '$best $best_cpu').split())")
  done
  echo "$best $best_cpu"
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
chmod 755 "$WORK" "$WORK/images"; chmod 644 "$WORK/images/bench.img" # nginx's workers run as www-data

echo "== starting the repository's unicast service"
dotnet build "$ROOT/bench/UnicastBench" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
OURS_PORT=$(free_port)
dotnet "$ROOT/artifacts/bin/OgActors.UnicastBench/release/og-unicast-bench.dll" "$WORK/images" "$OURS_PORT" > "$WORK/ours.log" 2>&1 &
OURS_PID=$!; PIDS+=("$OURS_PID")
until grep -q '^ready' "$WORK/ours.log"; do kill -0 "$OURS_PID" 2>/dev/null || { cat "$WORK/ours.log"; exit 1; }; sleep 0.2; done

echo "== starting nginx (sendfile on, 127.0.0.1 only, as many workers as cores)"
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy; fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  types { application/octet-stream img; }
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/images; }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NGINX_PID=$!; PIDS+=("$NGINX_PID")
until curl -sf -o /dev/null -r 0-0 "http://127.0.0.1:$NGINX_PORT/bench.img"; do kill -0 "$NGINX_PID" 2>/dev/null || { cat "$WORK/nginx/error.log"; exit 1; }; sleep 0.1; done
NGINX_PIDS=("$NGINX_PID" $(pgrep -P "$NGINX_PID"))

# Same bytes from both (ours: its ETag is the file's MD5).
want=$(md5sum < "$WORK/images/bench.img" | cut -d' ' -f1)
test "$(curl -s "http://127.0.0.1:$OURS_PORT/images/bench.img" | md5sum | cut -d' ' -f1)" = "$want"
test "$(curl -s "http://127.0.0.1:$NGINX_PORT/bench.img" | md5sum | cut -d' ' -f1)" = "$want"

echo "== $CLIENTS concurrent downloads of $((SIZE / 1000000)) MB, best of $RUNS rounds each"
read -r OURS OURS_CPU < <(measure "http://127.0.0.1:$OURS_PORT/images/bench.img" "$OURS_PID")
read -r NGINX NGINX_CPU < <(measure "http://127.0.0.1:$NGINX_PORT/bench.img" "${NGINX_PIDS[@]}")

python3 - "$SIZE" "$CLIENTS" "$RUNS" "$OURS" "$OURS_CPU" "$NGINX" "$NGINX_CPU" "$(nproc)" <<'PY'
import sys
size, clients, runs = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ours, ours_cpu, nginx, nginx_cpu = map(float, sys.argv[4:8])
print(f"file: {size/1e6:.0f} MB; {clients} concurrent curl downloads to /dev/null over 127.0.0.1; best of {runs}; {sys.argv[8]} cores")
print(f"{'server':<40}{'MB/s (all clients)':>20}{'CPU s per GB':>15}")
print(f"{'og repository unicast GET (Kestrel)':<40}{ours:>20.0f}{ours_cpu:>15.2f}")
print(f"{'nginx (sendfile on)':<40}{nginx:>20.0f}{nginx_cpu:>15.2f}")
print(f"throughput ours / nginx = {ours/nginx:.2f}x (goal >= 0.9x); CPU per GB ours / nginx = {ours_cpu/nginx_cpu:.2f}x")
PY
