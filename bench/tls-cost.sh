#!/usr/bin/env bash
# The cost of mutual TLS on Akka.Remote: messages per second between two nodes, and the remoting of a session over
# 1,000 simulated computers (a job out, 7 replies back from each), on plain TCP and with the product's TLS; prints the ratio.
# Then the cost of signed job orders: signing and checking one order, and the session with RunJobs on plain TCP, with TLS,
# and with TLS signed by the coordinator and checked by each computer (ratios TLS+signed/TLS and TLS+signed/plain).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dotnet build bench/Bench -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet artifacts/bin/OgActors.Bench/release/OgActors.Bench.dll tls-cost "$@"
