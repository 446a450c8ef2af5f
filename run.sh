#!/usr/bin/env bash
# The README's main command. Installs what is missing, builds, then:
#   ./run.sh                                  runs the main job on the embedded defaults
#   ./run.sh lab --data DIR [--computers N]   starts the all-in-one lab in the foreground (Ctrl-C stops it)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
./scripts/bootstrap.sh
lab_dll="$root/artifacts/bin/OgActors.Lab/release/og-lab.dll"
case "${1:-}" in
  lab) shift; exec dotnet "$lab_dll" lab "$@" ;;
  "")  exec ./scripts/main-job.sh ;;
  *)   echo "run.sh: unknown command '$1'; use no argument for the main job, or 'lab --data DIR [--computers N]'." >&2; exit 2 ;;
esac
