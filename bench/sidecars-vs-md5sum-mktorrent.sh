#!/usr/bin/env bash
# Sidecar generation (.sum, .full.sum, .torrent): OgActors' SidecarWriter (one read pass, MD5 and SHA-1 pieces hashed
# in parallel; through bench/Bench's runner, .NET start-up included) against OpenGnsys's way, one after the other:
#   tail -c1M IMG | md5sum > IMG.sum; md5sum IMG > IMG.full.sum; mktorrent -l 22 -p -a URL -o IMG.torrent IMG
# Usage: bench/sidecars-vs-md5sum-mktorrent.sh [SIZE_MIB=1024] [RUNS=3]   (env WORK=dir keeps the files there)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-3}"
work="${WORK:-$(mktemp -d /tmp/og-bench-sidecars.XXXXXX)}"
mkdir -p "$work"
[ -n "${WORK:-}" ] || trap 'rm -rf "$work"' EXIT
announce="http://127.0.0.1:6969/announce"

dotnet build "$root/bench/Bench" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
runner=(dotnet "$root/artifacts/bin/OgActors.Bench/release/OgActors.Bench.dll")

mkdir -p "$work/ours" "$work/shell"
img="$work/image.img"
[ -f "$img" ] || head -c "$(( size_mib * 1024 * 1024 ))" /dev/urandom > "$img"
ln -f "$img" "$work/ours/image.img"; ln -f "$img" "$work/shell/image.img"
cat "$img" > /dev/null   # both sides start from the page cache

. "$root/bench/timing.sh"   # timed, median, best

rm -f "$work"/*.times "$work"/*.inproc
s="$work/shell/image.img"
for i in $(seq "$runs"); do
  echo "run $i/$runs"
  timed ours "${runner[@]}" run-sidecars "$work/ours/image.img" "$announce"
  rm -f "$s.torrent"
  timed shell bash -c "tail -c1M '$s' | md5sum -b | cut -d' ' -f1 > '$s.sum'; md5sum -b '$s' | cut -d' ' -f1 > '$s.full.sum'; mktorrent -l 22 -p -a '$announce' -o '$s.torrent' '$s' >/dev/null"
done

same() { [ "$(cat "$work/ours/image.img.$1")" = "$(cat "$s.$1")" ] && echo same || echo DIFFERENT; }
hash_of() { aria2c -S "$1" | sed -n 's/^Info Hash: //p'; }
echo
echo "file ${size_mib} MiB, $runs runs each, $(nproc) CPUs (mktorrent uses all of them by default)"
echo ".sum $(same sum), .full.sum $(same full.sum), info-hash ours $(hash_of "$work/ours/image.img.torrent") vs mktorrent $(hash_of "$s.torrent")"
for stat in median best; do
  ow=$(cut -d' ' -f1 "$work/ours.times" | $stat); sw=$(cut -d' ' -f1 "$work/shell.times" | $stat)
  oc=$(cut -d' ' -f2 "$work/ours.times" | $stat); sc=$(cut -d' ' -f2 "$work/shell.times" | $stat)
  awk -v stat="$stat" -v ow="$ow" -v sw="$sw" -v oc="$oc" -v sc="$sc" -v mib="$size_mib" 'BEGIN {
    printf "%-6s ours:  %6.2fs wall (%5.0f MiB/s), %5.2fs cpu | shell: %6.2fs wall (%5.0f MiB/s), %5.2fs cpu | ours is %.2fx the speed (target > 1)\n",
      stat, ow, mib / ow, oc, sw, mib / sw, sc, sw / ow }'
done
oi=$(median < "$work/ours.inproc"); sw=$(cut -d' ' -f1 "$work/shell.times" | median)
awk -v oi="$oi" -v sw="$sw" 'BEGIN { printf "median ours in-process (no .NET start-up, as inside a running node): %.2fs, %.2fx the speed\n", oi, sw / oi }'
echo "(the machine is shared: the single pass only wins when a second core is free; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
