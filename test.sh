#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, starts a local PostgreSQL, runs every test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
./scripts/bootstrap.sh
export OG_TEST_POSTGRES="$(./scripts/postgres.sh)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# One project's tests into its log (minimal verbosity: each failed test with its message, then one summary line).
run() {
  local proj="tests/$1.Tests/OgActors.$1.Tests.csproj"
  [ -f "$proj" ] || { echo "missing $proj" >"$logs/$1.log"; return; }
  local start=$SECONDS
  dotnet test "$proj" -c Release --no-build -nologo >"$logs/$1.log" 2>&1 || true
  echo "($1 tests: $((SECONDS - start)) s)" >>"$logs/$1.log"
}

passed=0; failed=0; skipped=0; status=0
# A project's output, and its counts added to the totals.
report() {
  local log="$logs/$1.log"
  echo "== $1 tests"
  grep -vE "^\s*$|^Test run for|^A total of|matched the specified pattern" "$log" || true
  local summary
  summary=$(grep -E "(Passed|Failed)!\s+- Failed:" "$log" | tail -1 || true)
  if [ -z "$summary" ]; then echo "test.sh: $1 tests did not run (see above)"; status=1; return; fi
  local f p s
  f=$(sed -E 's/.*Failed:\s+([0-9]+).*/\1/' <<<"$summary"); p=$(sed -E 's/.*Passed:\s+([0-9]+).*/\1/' <<<"$summary"); s=$(sed -E 's/.*Skipped:\s+([0-9]+).*/\1/' <<<"$summary")
  passed=$((passed+p)); failed=$((failed+f)); skipped=$((skipped+s))
  [ "$f" -eq 0 ] || status=1
}

# The single-process projects in two lanes side by side (most of their time is actors and tools waiting, and neither
# lane uses namespaces or fixed ports); then the multi-node and end-to-end tests, alone.
echo "== unit tests: Coordinator and Repository beside Messages, Imaging and ClientNode"
( run Coordinator; run Repository ) &
lane=$!
run Messages; run Imaging; run ClientNode
wait "$lane"
for project in Messages Imaging Coordinator Repository ClientNode; do report "$project"; done
for project in Cluster EndToEnd; do
  run "$project"
  report "$project"
done
echo
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
