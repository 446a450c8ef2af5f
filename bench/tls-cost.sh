#!/usr/bin/env bash
# The cost of mutual TLS on Akka.Remote: messages per second between two nodes, and the remoting of a session over
# 1,000 simulated computers (a job out, 7 replies back from each), on plain TCP and with the product's TLS; prints the ratio.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dotnet build bench/Bench -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet artifacts/bin/OgActors.Bench/release/OgActors.Bench.dll tls-cost "$@"
