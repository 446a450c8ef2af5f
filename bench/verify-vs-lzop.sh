#!/usr/bin/env bash
# Deep verification (ogctl image info IMG --verify: our LZO decoder + the partclone structure walk with every block
# CRC, .NET start-up included) against the bare decompressor, `lzop -dc IMG > /dev/null`, on an ext4 partclone+lzop
# image of a SIZE_MIB filesystem filled to about two thirds with files (half random, half text).
# It also times one repository incorporation of the same file (bench/IncorporationBench: inspect, deep verification,
# .sum/.full.sum/.torrent and the info sidecar, from one read of the file) beside verification alone.
# Usage: bench/verify-vs-lzop.sh [SIZE_MIB=1024] [RUNS=3]   (env WORK=dir keeps the files there; SIZE_MIB=512 gives
# a lzop file of about 200 MB)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-3}"
work="${WORK:-$(mktemp -d /tmp/og-bench-verify.XXXXXX)}"
mkdir -p "$work"
[ -n "${WORK:-}" ] || trap 'rm -rf "$work"' EXIT

dotnet build "$root/src/Ctl/OgActors.Ctl.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
ogctl=(dotnet "$root/artifacts/bin/OgActors.Ctl/release/ogctl.dll")
dotnet build "$root/bench/IncorporationBench" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
incorporate=(dotnet "$root/artifacts/bin/OgActors.IncorporationBench/release/og-incorporation-bench.dll")

img="$work/ext4.pcl.lzo"
if [ ! -f "$img" ]; then
  mkdir -p "$work/content"
  fill_mib=$(( size_mib * 2 / 3 ))
  for i in $(seq 0 $(( fill_mib / 64 - 1 ))); do
    if [ $(( i % 2 )) -eq 0 ]; then head -c 64M /dev/urandom > "$work/content/random$i.bin"
    else (yes "line $i of a text file that compresses the way logs and sources do" || true) | head -c 64M > "$work/content/text$i.txt"; fi
  done
  truncate -s "${size_mib}M" "$work/ext4.fs"
  mkfs.ext4 -q -F -d "$work/content" "$work/ext4.fs"
  rm -rf "$work/content"
  partclone.extfs -c -s "$work/ext4.fs" -o - -L /dev/null -q -f 0 2>/dev/null | lzop -c > "$img"
  rm -f "$work/ext4.fs"
fi
cat "$img" > /dev/null   # both sides start from the page cache

. "$root/bench/timing.sh"   # timed, median, best

rm -f "$work"/*.times "$work"/*.inproc
for i in $(seq "$runs"); do
  echo "run $i/$runs"
  timed ours "${ogctl[@]}" image info "$img" --verify
  timed lzop bash -c "lzop -dc '$img' > /dev/null"
  mkdir -p "$work/repo" && ln -f "$img" "$work/repo/bench.img" 2>/dev/null || cp "$img" "$work/repo/bench.img"
  timed incorporate "${incorporate[@]}" "$work/repo" bench
done

stored_mib=$(( $(stat -c %s "$img") / 1024 / 1024 ))
decoded_mib=$(( $(lzop -dc "$img" | wc -c) / 1024 / 1024 ))
echo
echo "image: ${size_mib} MiB ext4, ${decoded_mib} MiB partclone stream, ${stored_mib} MiB lzop file; $runs runs each, $(nproc) CPUs"
for stat in median best; do
  ow=$(cut -d' ' -f1 "$work/ours.times" | $stat); lw=$(cut -d' ' -f1 "$work/lzop.times" | $stat)
  oc=$(cut -d' ' -f2 "$work/ours.times" | $stat); lc=$(cut -d' ' -f2 "$work/lzop.times" | $stat)
  awk -v stat="$stat" -v ow="$ow" -v lw="$lw" -v oc="$oc" -v lc="$lc" -v mib="$decoded_mib" 'BEGIN {
    printf "%-6s verify: %6.2fs wall (%5.0f MiB/s decoded), %5.2fs cpu | lzop -dc: %6.2fs wall (%5.0f MiB/s), %5.2fs cpu | verification is %.2fx the bare decompressor (goal >= 0.9)\n",
      stat, ow, mib / ow, oc, lw, mib / lw, lc, lw / ow }'
done
for stat in median best; do
  iw=$(cut -d' ' -f1 "$work/incorporate.times" | $stat); ii=$($stat < "$work/incorporate.inproc"); ow=$(cut -d' ' -f1 "$work/ours.times" | $stat)
  awk -v stat="$stat" -v iw="$iw" -v ii="$ii" -v ow="$ow" -v mib="$stored_mib" 'BEGIN {
    printf "%-6s incorporation: %6.2fs wall (%.2fs in process, %5.0f MiB/s of file) = %.2fx verification alone\n", stat, iw, ii, mib / ii, iw / ow }'
done
echo "(the machine is shared; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
