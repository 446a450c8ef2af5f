#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, starts a local PostgreSQL, runs every test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
./scripts/bootstrap.sh
export OG_TEST_POSTGRES="$(./scripts/postgres.sh)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

passed=0; failed=0; skipped=0; status=0
# Fast unit tests first, then multi-node and end-to-end tests (never in parallel with each other).
for project in Messages Imaging Coordinator Repository ClientNode Cluster EndToEnd; do
  proj="tests/$project.Tests/OgActors.$project.Tests.csproj"
  [ -f "$proj" ] || continue
  log=$(mktemp)
  echo "== $project tests"
  # Minimal verbosity prints each failed test with its message, and one "Passed!/Failed!  - Failed: N, Passed: N" line.
  dotnet test "$proj" -c Release --no-build -nologo 2>&1 | tee "$log" | grep -vE "^\s*$|^Test run for|^A total of|matched the specified pattern" || true
  summary=$(grep -E "(Passed|Failed)!\s+- Failed:" "$log" | tail -1 || true)
  if [ -z "$summary" ]; then echo "test.sh: $project tests did not run (see above)"; tail -40 "$log"; status=1; continue; fi
  f=$(sed -E 's/.*Failed:\s+([0-9]+).*/\1/' <<<"$summary"); p=$(sed -E 's/.*Passed:\s+([0-9]+).*/\1/' <<<"$summary"); s=$(sed -E 's/.*Skipped:\s+([0-9]+).*/\1/' <<<"$summary")
  passed=$((passed+p)); failed=$((failed+f)); skipped=$((skipped+s))
  [ "$f" -eq 0 ] || status=1
  rm -f "$log"
done
echo
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
