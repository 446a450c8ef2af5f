#!/usr/bin/env bash
# The README's main command. Installs what is missing, builds, then:
#   ./run.sh                                  runs the main job on the embedded defaults
#   ./run.sh lab --data DIR [--computers N]   starts the all-in-one lab in the foreground (Ctrl-C stops it)
#   ./run.sh lab --coordinators 2 --journal postgresql [--computers N]
#                                             the same with several coordinators on one PostgreSQL journal
#   ./run.sh lab --virtual [--computers N] [--link-mbit M] [--repo-link-mbit R] [--data DIR]
#                                             the virtual classroom (network namespaces; needs root and iproute2)
#   ./run.sh journey [--virtual] [--computers N] [--protocol unicast|multicast|master|torrent] [--p2p-mode peer|leecher] [--link-mbit M]
#                                             the main job, on the loopback lab or on a virtual classroom
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
./scripts/bootstrap.sh
lab_dll="$root/artifacts/bin/OgActors.Lab/release/og-lab.dll"
case "${1:-}" in
  lab) shift
       # Several coordinators share a PostgreSQL journal: start the local server as test.sh does (scripts/postgres.sh).
       if [[ " $* " == *" --journal postgresql "* && -z "${OG_JOURNAL_CONNECTION:-}" ]]; then
         OG_JOURNAL_CONNECTION="$(./scripts/postgres.sh)"; export OG_JOURNAL_CONNECTION
       fi
       exec dotnet "$lab_dll" lab "$@" ;;
  journey) shift; dotnet "$lab_dll" journey --check-options "$@" || exit $?; exec ./scripts/main-job.sh "$@" ;;
  "")  exec ./scripts/main-job.sh ;;
  *)   echo "run.sh: unknown command '$1'; use no argument for the main job, 'journey [--virtual ...]', or 'lab [--virtual] --data DIR [--computers N]'." >&2; exit 2 ;;
esac
