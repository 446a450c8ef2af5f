#!/usr/bin/env bash
# Deploy on the virtual classroom against the wire's physical limit, by method, for N target computers:
# og-lab journey --virtual with N+1 computers (pc01 is captured, the N others receive), every link shaped with tbf.
# The network phase (updateCache: the image into every cache) is timed against the limit and reported as a ratio
# (1.00 = the wire is full), and beside it time(N)/time(1) of the same method (unicast ideally grows as N once the
# repository link is the bottleneck; multicast ideally stays 1.00). The restore from the caches is reported beside
# (on 2 cores, many computers decompressing at once are CPU-bound, not network-bound). Needs root and iproute2.
#   unicast:   limit = max(N × image bytes × 8 / repository link rate, image bytes × 8 / one computer's link rate)
#   multicast: limit = wire bytes × 8 / the slower of the repository's and a computer's link, where the wire bytes
#              count udpcast's 1456-byte blocks with their 58 header bytes (udpcast 16, UDP 8, IPv4 20, Ethernet 14;
#              src/Lab/Journey/MulticastWire.cs)
#   torrent:   limit = the largest of: image bytes × 8 / one computer's link rate (each receives the whole image through
#              its own link), image bytes × 8 / the repository's link rate (it sends every byte once), and N × image bytes
#              × 8 / (repository's rate + N × a computer's rate) (the N copies uploaded by all together;
#              src/Lab/Journey/TorrentLimit.cs) in peer mode (computers share while downloading); in leecher mode
#              (they do not) unicast's limit. Run in each of P2P_MODES, with the repository's upload beside: its
#              link's tx_bytes / image bytes (ideally 1 in peer mode, N in leecher mode; every method prints it).
#   bench/deploy-vs-limit.sh [--methods unicast,multicast,torrent]
#   COUNTS="1 4 8" MCAST_COUNTS="1 4 8 16" TORRENT_COUNTS="1 4 8 16" P2P_MODES="peer leecher" IMAGE_MIB=100 LINK_MBIT=200 REPO_LINK_MBIT=200 bench/deploy-vs-limit.sh
set -euo pipefail
METHODS=unicast
while [ $# -gt 0 ]; do
  case "$1" in
    --methods) [ $# -ge 2 ] || { echo "deploy-vs-limit: --methods needs a list such as unicast,multicast,torrent." >&2; exit 2; }; METHODS="$2"; shift 2 ;;
    *) echo "deploy-vs-limit: unknown option '$1'; use [--methods unicast,multicast,torrent]." >&2; exit 2 ;;
  esac
done
IFS=',' read -r -a methods <<< "$METHODS"
for m in "${methods[@]}"; do
  case "$m" in unicast|multicast|torrent) ;; *) echo "deploy-vs-limit: unknown method '$m'; use unicast, multicast and/or torrent." >&2; exit 2 ;; esac
done
P2P_MODES=${P2P_MODES:-"peer leecher"}
for mode in $P2P_MODES; do
  case "$mode" in peer|leecher) ;; *) echo "deploy-vs-limit: unknown P2P mode '$mode'; use peer and/or leecher." >&2; exit 2 ;; esac
done
COUNTS=${COUNTS:-"1 4 8"}
MCAST_COUNTS=${MCAST_COUNTS:-"1 4 8 16"}
TORRENT_COUNTS=${TORRENT_COUNTS:-"1 4 8 16"}
IMAGE_MIB=${IMAGE_MIB:-100}
LINK_MBIT=${LINK_MBIT:-200}
REPO_LINK_MBIT=${REPO_LINK_MBIT:-$LINK_MBIT}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAB="$ROOT/artifacts/bin/OgActors.Lab/release/og-lab.dll"
[ -f "$LAB" ] || { echo "deploy-vs-limit: $LAB is missing; run scripts/bootstrap.sh first." >&2; exit 1; }
work=$(mktemp -d /tmp/og-deploy-limit.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$ROOT/bench/timing.sh"

printf '%-15s %-4s %12s %10s %10s %8s %9s %10s %10s %9s %6s\n' method N image-bytes limit-s network-s ratio t/t1 restore-s journey-s repo-up/i load
# Each method runs as one or more variants: torrent once per P2P mode (torrent-peer, torrent-leecher).
variants=()
for method in "${methods[@]}"; do
  if [ "$method" = torrent ]; then for mode in $P2P_MODES; do variants+=("torrent-$mode"); done; else variants+=("$method"); fi
done
for variant in "${variants[@]}"; do
  method=${variant%%-*}
  extra=()
  counts=$COUNTS
  case "$variant" in
    multicast) counts=$MCAST_COUNTS ;;
    torrent-*) counts=$TORRENT_COUNTS; extra=(--p2p-mode "${variant#torrent-}") ;;
  esac
  first=""
  for n in $counts; do
    data="$work/$variant-$n"
    if ! timed "journey-$variant-$n" dotnet "$LAB" journey --virtual --protocol "$method" "${extra[@]}" --computers $((n + 1)) --image-mib "$IMAGE_MIB" \
        --link-mbit "$LINK_MBIT" --repo-link-mbit "$REPO_LINK_MBIT" --data "$data" --keep; then
      echo "deploy-vs-limit: the $variant journey with $n computer(s) failed:" >&2; tail -3 "$work/run.out" >&2
      grep -h "og-lab:" "$work/run.out" >&2 || true
      # the work directory goes with this script: keep the nodes' log where the message can point
      kept="/tmp/og-deploy-limit-$variant-$n"
      cp "$work/run.out" "$kept.out"
      rm -rf "$kept.logs"; mkdir -p "$kept.logs"
      cp "$data"/lab.log "$data"/logs/*.log "$kept.logs/" 2>/dev/null || true
      echo "deploy-vs-limit: the journey's output and the nodes' logs are kept in $kept.out and $kept.logs/" >&2
      exit 1
    fi
    wall=$(cut -d' ' -f1 < "$work/journey-$variant-$n.times")
    line=$(python3 - "$data/journey.json" "$variant" "$n" "$wall" "${first:-0}" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["limit"]
first = float(sys.argv[5]) or r["seconds"]
up = r.get("repositorySentBytes", 0) / r["imageBytes"] if r.get("repositorySentBytes") else float("nan")
print(f'{sys.argv[2]:<15} {sys.argv[3]:<4} {r["imageBytes"]:>12,} {r["limitSeconds"]:>10.2f} {r["seconds"]:>10.2f} {r["ratio"]:>8.3f} {r["seconds"] / first:>9.2f} {r["restoreSeconds"]:>10.2f} {float(sys.argv[4]):>10.1f} {up:>9.2f} {r.get("loadAverage", 0):>6.1f} {r["seconds"]}')
PY
)
    echo "${line% *}"
    [ -n "$first" ] || first=${line##* }
    rm -rf "$data"
  done
done
echo "(links: $LINK_MBIT Mbit/s per computer, $REPO_LINK_MBIT Mbit/s for the repository; ratio = network phase / limit; t/t1 = network phase with N computers / with 1;"
echo " repo-up/i = bytes the repository's link sent during the network phase (its interface counter) / image bytes; load = the host's 1-minute load average after the network phase)"
