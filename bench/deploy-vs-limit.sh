#!/usr/bin/env bash
# Unicast deploy on the virtual classroom against the wire's physical limit, for N = 1, 4, 8 target computers:
# og-lab journey --virtual with N+1 computers (pc01 is captured, the N others receive), every link shaped with tbf.
# The network phase (updateCache: the image into every cache) is timed against the limit
#   max(N × image bytes × 8 / repository link rate, image bytes × 8 / one computer's link rate)
# and reported as a ratio (1.00 = the wire is full); the restore from the caches is reported beside it (on 2 cores,
# many computers decompressing at once are CPU-bound, not network-bound). Needs root and iproute2.
#   COUNTS="1 4 8" IMAGE_MIB=100 LINK_MBIT=200 REPO_LINK_MBIT=200 bench/deploy-vs-limit.sh
set -euo pipefail
COUNTS=${COUNTS:-"1 4 8"}
IMAGE_MIB=${IMAGE_MIB:-100}
LINK_MBIT=${LINK_MBIT:-200}
REPO_LINK_MBIT=${REPO_LINK_MBIT:-$LINK_MBIT}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAB="$ROOT/artifacts/bin/OgActors.Lab/release/og-lab.dll"
[ -f "$LAB" ] || { echo "deploy-vs-limit: $LAB is missing; run scripts/bootstrap.sh first." >&2; exit 1; }
work=$(mktemp -d /tmp/og-deploy-limit.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$ROOT/bench/timing.sh"

printf '%-4s %12s %10s %10s %8s %10s %10s\n' N image-bytes limit-s network-s ratio restore-s journey-s
for n in $COUNTS; do
  data="$work/n$n"
  timed "journey-$n" dotnet "$LAB" journey --virtual --computers $((n + 1)) --image-mib "$IMAGE_MIB" \
    --link-mbit "$LINK_MBIT" --repo-link-mbit "$REPO_LINK_MBIT" --data "$data" --keep \
    || { echo "deploy-vs-limit: the journey with $n computer(s) failed:" >&2; tail -5 "$work/run.out" >&2; exit 1; }
  wall=$(cut -d' ' -f1 < "$work/journey-$n.times")
  python3 - "$data/journey.json" "$n" "$wall" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["limit"]
print(f'{sys.argv[2]:<4} {r["imageBytes"]:>12,} {r["limitSeconds"]:>10.2f} {r["seconds"]:>10.2f} {r["ratio"]:>8.3f} {r["restoreSeconds"]:>10.2f} {float(sys.argv[3]):>10.1f}')
PY
  rm -rf "$data"
done
echo "(links: $LINK_MBIT Mbit/s per computer, $REPO_LINK_MBIT Mbit/s for the repository; ratio = network phase / limit)"
