#!/usr/bin/env bash
# The main job of ./run.sh: the deploy journey (og-lab journey). It starts the all-in-one lab with a coordinator, one
# repository and 4 computers whose partitions are files with real filesystems, defines the classroom and the image
# through the coordinator's HTTP API, captures pc01's ext4 partition 1 into the repository, shows the incorporated
# image's info line, deploys it by unicast to pc02-pc04 (pc04's cache is too small: direct path), verifies every
# restored partition (e2fsck clean, files identical to pc01's), prints the table and exits 0 (non-zero on a failure).
# With --virtual [--computers N] [--link-mbit M] [--repo-link-mbit R] the same journey runs on a virtual classroom
# (network namespaces, shaped links) and also prints the deploy's physical limit and the measured ratio.
# Expects the build in artifacts/ (scripts/bootstrap.sh).
set -euo pipefail
set -m   # background jobs keep SIGINT (non-interactive shells would start them with SIGINT ignored)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lab_dll="$root/artifacts/bin/OgActors.Lab/release/og-lab.dll"
[ -f "$lab_dll" ] || { echo "main-job: $lab_dll is missing; run scripts/bootstrap.sh first." >&2; exit 1; }

data="$(mktemp -d "${TMPDIR:-/tmp}/ogactors-journey.XXXXXX")"
journey_pid=""
status=0
cleanup() {
  if [ -n "$journey_pid" ] && kill -0 "$journey_pid" 2>/dev/null; then kill -TERM "$journey_pid" 2>/dev/null || true; wait "$journey_pid" 2>/dev/null || true; fi
  # A failed journey keeps its data dir (partition files, DIR/lab.log) for a look; a successful one leaves nothing.
  if [ "$status" -eq 0 ]; then rm -rf "$data"; else echo "main-job: the journey's files and the nodes' log are in $data" >&2; fi
}
trap cleanup EXIT
trap 'status=130; exit 130' INT TERM

echo "== The deploy journey: capture on pc01, incorporate in repo1, deploy to the other computers"
dotnet "$lab_dll" journey --data "$data" "$@" &
journey_pid=$!
wait "$journey_pid" || status=$?
journey_pid=""
[ "$status" -eq 0 ] && echo "== Done" || echo "main-job: the journey failed (exit $status)." >&2
exit "$status"
