#!/usr/bin/env bash
# Installs what OgActors needs on a Debian machine that has only the .NET SDK, then builds the solution.
# Idempotent: installs only what is missing. Used by ./run.sh and ./test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The real tools the product drives: clone tools, compressors, transfer engines, filesystems, the CI database.
packages=(partclone ntfs-3g partimage udpcast lzop pigz zstd xz-utils bzip2 lz4 aria2 opentracker mktorrent
          e2fsprogs dosfstools postgresql iproute2 util-linux file
          libhivex-bin mtools    # software profiles: Windows hives (hivexget, hivexsh), FAT listings (mdir, minfo)
          nginx)                 # bench/unicast-vs-nginx.sh only: the static file server we compare with (never started as a service)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  # No package may start its service (nginx's default site would listen on 0.0.0.0:80): policy-rc.d refuses, then goes.
  policy=/usr/sbin/policy-rc.d; made_policy=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' | $sudo_cmd tee "$policy" >/dev/null; $sudo_cmd chmod +x "$policy"; made_policy=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ "$made_policy" = 1 ]; then $sudo_cmd rm -f "$policy"; fi
fi

command -v dotnet >/dev/null || { echo "bootstrap: the .NET SDK (dotnet) is required and was not found on PATH." >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ "${OG_SKIP_BUILD:-0}" != 1 ]; then
  echo "bootstrap: building OgActors.sln"
  dotnet build "$root/OgActors.sln" -c Release -nologo -v quiet -clp:ErrorsOnly
fi
