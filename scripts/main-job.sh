#!/usr/bin/env bash
# The main job of ./run.sh until the deploy journey exists: start the all-in-one lab with 3 computers on a temporary
# data dir, wait until it is ready, show the cluster and the registered computers with ogctl, stop it cleanly.
# Expects the build in artifacts/ (scripts/bootstrap.sh).
set -euo pipefail
set -m   # background jobs keep SIGINT (non-interactive shells would start them with SIGINT ignored)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lab_dll="$root/artifacts/bin/OgActors.Lab/release/og-lab.dll"
[ -f "$lab_dll" ] || { echo "main-job: $lab_dll is missing; run scripts/bootstrap.sh first." >&2; exit 1; }

data="$(mktemp -d "${TMPDIR:-/tmp}/ogactors-lab.XXXXXX")"
log="$data/lab.log"
lab_pid=""
cleanup() {
  if [ -n "$lab_pid" ] && kill -0 "$lab_pid" 2>/dev/null; then kill -TERM "$lab_pid" 2>/dev/null || true; wait "$lab_pid" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

echo "== Starting the all-in-one lab (coordinator, repository, 3 computers) in $data"
started=$(date +%s%N)
dotnet "$lab_dll" lab --data "$data" --computers 3 >"$log" 2>&1 &
lab_pid=$!

export OG_LAB="$data"
ready=""
for _ in $(seq 1 600); do
  if ! kill -0 "$lab_pid" 2>/dev/null; then
    echo "main-job: the lab exited before it was ready; its log:" >&2; tail -40 "$log" >&2; exit 1
  fi
  if [ -f "$data/lab.json" ] && "$root/ogctl" cluster show --json >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.1
done
[ -n "$ready" ] || { echo "main-job: the lab was not ready within 60 s; its log:" >&2; tail -40 "$log" >&2; exit 1; }
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "== Lab ready in $((elapsed_ms / 1000)).$(( (elapsed_ms % 1000) / 100 )) s (API $(sed -n 's/.*"apiUrl": "\(.*\)".*/\1/p' "$data/lab.json"))"

echo
echo "\$ ogctl cluster show"
"$root/ogctl" cluster show
echo
echo "\$ ogctl computer list"
"$root/ogctl" computer list
echo

echo "== Stopping the lab (Ctrl-C)"
kill -INT "$lab_pid"
status=0
wait "$lab_pid" || status=$?
lab_pid=""
if [ "$status" -ne 0 ]; then echo "main-job: the lab exited with status $status; its log:" >&2; tail -40 "$log" >&2; exit 1; fi
grep -E "^og-lab: (stopping|stopped)" "$log" || true
echo "== Done"
