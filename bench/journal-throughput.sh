#!/usr/bin/env bash
# The journal against issue 16's goals, on SQLite and on PostgreSQL (scripts/postgres.sh starts the server test.sh uses):
# a campus history (default 10,000 sessions, 1,011,416 events) written through the real journal plugin, then the whole
# audit timeline replayed (goal >= 50,000 events/s), streams read back by persistence id, a coordinator node's read side
# started cold and warm (GET /api/sessions over the 10,000 sessions: goal < 200 ms), and restore sessions over 1,000
# (goal: completed < 1 s) and 10,000 simulated computers.
# Usage: bench/journal-throughput.sh [sqlite|postgresql|both] [--sessions N] [--computers K] [--phases history,audit,replay,read-side,sessions]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
journals="${1:-both}"
[[ $# -gt 0 ]] && shift
case "$journals" in
  both) journals="sqlite postgresql" ;;
  sqlite|postgresql) ;;
  *) echo "The journal must be sqlite, postgresql or both, not '$journals'." >&2; exit 2 ;;
esac
dotnet build bench/Bench -c Release -nologo -v quiet -clp:ErrorsOnly
for journal in $journals; do
  if [[ $journal == postgresql && -z "${OG_TEST_POSTGRES:-}" ]]; then OG_TEST_POSTGRES="$(./scripts/postgres.sh)"; export OG_TEST_POSTGRES; fi
  echo "== $journal"
  dotnet artifacts/bin/OgActors.Bench/release/OgActors.Bench.dll journal-throughput --journal "$journal" "$@"
done
