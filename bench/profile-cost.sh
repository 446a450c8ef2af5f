#!/usr/bin/env bash
# The cost of reading a software profile (ogctl profile read IMG: restore to a sparse scratch file with the restore
# pipeline, then debugfs/dumpe2fs, then delete) against the image's deep verification (ogctl image info IMG --verify),
# which every image already goes through before it is ready; .NET start-up included on both sides. The image: an ext4
# partclone+lzop image of a SIZE_MIB filesystem filled to about two thirds (half random, half text) plus this machine's
# os-release and dpkg database.
# Usage: bench/profile-cost.sh [SIZE_MIB=1024] [RUNS=3]   (env WORK=dir keeps the files there)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-3}"
work="${WORK:-$(mktemp -d /tmp/og-bench-profile.XXXXXX)}"
mkdir -p "$work"
[ -n "${WORK:-}" ] || trap 'rm -rf "$work"' EXIT

dotnet build "$root/src/Ctl/OgActors.Ctl.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
ogctl=(dotnet "$root/artifacts/bin/OgActors.Ctl/release/ogctl.dll")

img="$work/ext4.pcl.lzo"
if [ ! -f "$img" ]; then
  c="$work/content"
  mkdir -p "$c/data" "$c/etc" "$c/usr/lib" "$c/var/lib/dpkg" "$c/boot"
  cp "$(readlink -f /etc/os-release)" "$c/usr/lib/os-release" && ln -s ../usr/lib/os-release "$c/etc/os-release"
  cp /var/lib/dpkg/status "$c/var/lib/dpkg/status"
  head -c 8M /dev/urandom > "$c/boot/vmlinuz-6.1.0-18-amd64"
  fill_mib=$(( size_mib * 2 / 3 ))
  for i in $(seq 0 $(( fill_mib / 64 - 1 ))); do
    if [ $(( i % 2 )) -eq 0 ]; then head -c 64M /dev/urandom > "$c/data/random$i.bin"
    else (yes "line $i of a text file that compresses the way logs and sources do" || true) | head -c 64M > "$c/data/text$i.txt"; fi
  done
  truncate -s "${size_mib}M" "$work/ext4.fs"
  mkfs.ext4 -q -F -d "$c" "$work/ext4.fs"
  rm -rf "$c"
  partclone.extfs -c -s "$work/ext4.fs" -o - -L /dev/null -q -f 0 2>/dev/null | lzop -c > "$img"
  rm -f "$work/ext4.fs"
fi
cat "$img" > /dev/null   # both sides start from the page cache
mkdir -p "$work/scratch"

. "$root/bench/timing.sh"   # timed, median, best

rm -f "$work"/*.times "$work"/*.inproc
for i in $(seq "$runs"); do
  echo "run $i/$runs"
  timed verify "${ogctl[@]}" image info "$img" --verify
  timed profile "${ogctl[@]}" profile read "$img" --scratch "$work/scratch"
  [ -z "$(ls -A "$work/scratch")" ] || { echo "profile-cost: the scratch directory was not emptied" >&2; exit 1; }
done
line=$("${ogctl[@]}" profile read "$img" --scratch "$work/scratch" | head -1)

stored_mib=$(( $(stat -c %s "$img") / 1024 / 1024 ))
echo
echo "image: ${size_mib} MiB ext4, ${stored_mib} MiB lzop file; profile: $line; $runs runs each, $(nproc) CPUs"
for stat in median best; do
  pw=$(cut -d' ' -f1 "$work/profile.times" | $stat); vw=$(cut -d' ' -f1 "$work/verify.times" | $stat)
  pc=$(cut -d' ' -f2 "$work/profile.times" | $stat); vc=$(cut -d' ' -f2 "$work/verify.times" | $stat)
  pi=$($stat < "$work/profile.inproc")
  awk -v stat="$stat" -v pw="$pw" -v vw="$vw" -v pc="$pc" -v vc="$vc" -v pi="$pi" 'BEGIN {
    printf "%-6s profile: %6.2fs wall (%.2fs in process), %5.2fs cpu | verify: %6.2fs wall, %5.2fs cpu | profile / verification = %.2f\n",
      stat, pw, pi, pc, vw, vc, pw / vw }'
done
echo "(the machine is shared; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
