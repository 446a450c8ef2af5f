#!/usr/bin/env bash
# Capture and restore throughput: OgActors' CapturePipeline/RestorePipeline (through bench/Bench's runner, .NET start-up,
# blkid and the e2fsck -n check included; the restore learns the image format with ImageInspector) against the bare
# shell pipeline, on the same ext4 filesystem image.
#   shell capture:  partclone.extfs -c -s FS -o - | lzop -c > IMG
#   shell restore:  lzop -dc IMG | partclone.extfs -r -s - -O TARGET
# Usage: bench/capture-restore-vs-shell.sh [SIZE_MIB=1024] [RUNS=3]   (env WORK=dir keeps the files there)
# Runs alternate ours/shell; the report gives median wall time, median CPU (user+sys) and throughput ratios.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-3}"
work="${WORK:-$(mktemp -d /tmp/og-bench-capture.XXXXXX)}"
mkdir -p "$work"
[ -n "${WORK:-}" ] || trap 'rm -rf "$work"' EXIT

dotnet build "$root/bench/Bench" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
runner=(dotnet "$root/artifacts/bin/OgActors.Bench/release/OgActors.Bench.dll")

fs="$work/fs.img"
if [ ! -f "$fs" ]; then
  echo "making a ${size_mib} MiB ext4 filesystem about 80% full of /usr files (text and binaries)..."
  budget=$(( size_mib * 1024 * 1024 * 78 / 100 ))
  rm -rf "$work/data" && mkdir -p "$work/data"
  find /usr/share /usr/lib -xdev -type f -size -32M -printf '%s\t%p\n' 2>/dev/null | sort -t$'\t' -k2 \
    | awk -F'\t' -v b="$budget" '{ s += $1; if (s <= b) print $2 }' > "$work/files.txt"
  tar -cf - -T "$work/files.txt" 2>/dev/null | tar -xf - -C "$work/data"
  truncate -s "${size_mib}M" "$fs"
  mkfs.ext4 -q -F -d "$work/data" "$fs"
  rm -rf "$work/data"
fi
e2fsck -n "$fs" 2>/dev/null | tail -1
cat "$fs" > /dev/null   # both sides start from the page cache

. "$root/bench/timing.sh"   # timed, median, best

rm -f "$work"/*.times "$work"/*.inproc
truncate -s "${size_mib}M" "$work/target.img"
for i in $(seq "$runs"); do
  echo "run $i/$runs"
  timed ours-capture "${runner[@]}" run-capture "$fs" "$work/ours.img" partclone lzop
  timed shell-capture bash -c "partclone.extfs -c -s '$fs' -o - 2>/dev/null | lzop -c > '$work/shell.img'"
  timed ours-restore "${runner[@]}" run-restore "$work/ours.img" "$work/target.img"   # format from ImageInspector
  timed shell-restore bash -c "lzop -dc '$work/shell.img' | partclone.extfs -r -s - -O '$work/target.img' 2>/dev/null"
done

# the last restore was the shell's: restore ours once more and check it is the same filesystem
"${runner[@]}" run-restore "$work/ours.img" "$work/target.img" >/dev/null
e2fsck -fn "$work/target.img" >/dev/null 2>&1 && cmp -s "$work/target.img" "$fs" && verdict="identical to the source, fsck clean" || verdict="DIFFERENT from the source"
image_bytes=$(stat -c %s "$work/ours.img")

echo
echo "filesystem ${size_mib} MiB, image $(( image_bytes / 1048576 )) MiB (lzop), $runs runs each; restored target: $verdict"
printf "%-16s %10s %10s %8s %10s %10s %8s\n" "" "ours wall" "shell wall" "speed" "ours cpu" "shell cpu" "cpu"
for op in capture restore; do
  for stat in median best; do
    ow=$(cut -d' ' -f1 "$work/ours-$op.times" | $stat); sw=$(cut -d' ' -f1 "$work/shell-$op.times" | $stat)
    oc=$(cut -d' ' -f2 "$work/ours-$op.times" | $stat); sc=$(cut -d' ' -f2 "$work/shell-$op.times" | $stat)
    awk -v op="$op ($stat)" -v ow="$ow" -v sw="$sw" -v oc="$oc" -v sc="$sc" 'BEGIN {
      printf "%-16s %9.2fs %9.2fs %7.1f%% %9.2fs %9.2fs %7.1f%%\n", op, ow, sw, 100 * sw / ow, oc, sc, 100 * sc / oc }'
  done
done
for op in capture restore; do
  oi=$(median < "$work/ours-$op.inproc"); sw=$(cut -d' ' -f1 "$work/shell-$op.times" | median)
  awk -v op="$op" -v oi="$oi" -v sw="$sw" 'BEGIN { printf "%-16s %9.2fs in-process (no .NET start-up, as inside a running node): %.1f%% of the shell speed\n", op " (median)", oi, 100 * sw / oi }'
done
echo "speed = our throughput as a % of the shell's (shell wall / ours wall); cpu = shell cpu / ours cpu. Target: >= 95%."
echo "(the machine is shared: compare medians and bests; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
