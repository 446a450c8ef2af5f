#!/usr/bin/env bash
# One coordinator, one restore session over 1,000 simulated computers: time to dispatch every job and collect every
# outcome (events persisted on the real SQLite journal), and the replay of the session's events from the journal.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dotnet build bench/Bench -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet artifacts/bin/OgActors.Bench/release/OgActors.Bench.dll --filter '*SessionScale*' --join
