#!/usr/bin/env bash
# Inspection time per image: ours (ImageInspector, in process and as a one-shot process) beside the OpenGnsys way
# (ogGetImageInfo: `file`, then `<compressor> -dc IMG | head -n 40 > head`, then `partclone.info head`).
# Makes its own images with the real tools in a temp dir (an ext4 filesystem of SIZE_MIB filled with DATA_MIB of
# files, captured by partclone.extfs and compressed with each compressor), prints a table and the ratios.
# Usage: bench/inspect-vs-opengnsys.sh [SIZE_MIB=1024] [DATA_MIB=300] [RUNS=20]
set -euo pipefail
SIZE_MIB=${1:-1024}; DATA_MIB=${2:-300}; RUNS=${3:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/og-inspect-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

echo "# making images in $WORK (ext4 ${SIZE_MIB} MiB, ${DATA_MIB} MiB of files)" >&2
mkdir -p "$WORK/content"
head -c $((DATA_MIB * 1024 * 1024 / 2)) /dev/urandom > "$WORK/content/random.bin"
{ yes "OgActors inspection benchmark line" || true; } | head -c $((DATA_MIB * 1024 * 1024 / 2)) > "$WORK/content/text.txt"
truncate -s ${SIZE_MIB}M "$WORK/ext4.img"
mkfs.ext4 -q -F -d "$WORK/content" "$WORK/ext4.img"
partclone.extfs -c -s "$WORK/ext4.img" -O "$WORK/sda1.pcl" -L "$WORK/pc.log" -q -f 0 -a1 >/dev/null 2>&1
lzop -c "$WORK/sda1.pcl" > "$WORK/sda1.pcl.lzo"
pigz -c "$WORK/sda1.pcl" > "$WORK/sda1.pcl.gz"
zstd -q -T0 -c "$WORK/sda1.pcl" > "$WORK/sda1.pcl.zst"
xz -T0 -1 -c "$WORK/sda1.pcl" > "$WORK/sda1.pcl.xz"
lz4 -q -c "$WORK/sda1.pcl" > "$WORK/sda1.pcl.lz4"
bzip2 -1 -c "$WORK/sda1.pcl" > "$WORK/sda1.pcl.bz2"
bzip2 -9 -c "$WORK/sda1.pcl" > "$WORK/sda1.pcl.9.bz2"     # bzip2's default: 900 kB blocks, the hardest head to reach
IMAGES=(sda1.pcl sda1.pcl.lzo sda1.pcl.gz sda1.pcl.zst sda1.pcl.xz sda1.pcl.lz4 sda1.pcl.bz2 sda1.pcl.9.bz2)

# A small runner around ImageInspector (ogctl's Program.cs is wired by the console's owner).
mkdir -p "$WORK/runner"
cat > "$WORK/runner/Runner.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable><InvariantGlobalization>true</InvariantGlobalization></PropertyGroup>
  <ItemGroup><ProjectReference Include="$ROOT/src/Ctl/OgActors.Ctl.csproj" /></ItemGroup>
</Project>
XML
cat > "$WORK/runner/Program.cs" <<'CS'
using System.Diagnostics;
using OgActors.Ctl.Commands;
using OgActors.Imaging.Inspection;
// "once PATH": print the OpenGnsys line (a one-shot process, like `ogctl image info`).
// "loop RUNS PATH...": mean in-process microseconds per Inspect after one warm-up.
if (args[0] == "once") return ImageInfoCommand.Run(args[1], false, Console.Out, Console.Error);
int runs = int.Parse(args[1]);
foreach (var path in args.Skip(2))
{
    ImageInspector.Inspect(path);
    var sw = Stopwatch.StartNew();
    for (int i = 0; i < runs; i++) ImageInspector.Inspect(path);
    Console.WriteLine($"{path} {sw.Elapsed.TotalMicroseconds / runs:F0}");
}
return 0;
CS
dotnet build "$WORK/runner" -c Release -nologo -v quiet -clp:ErrorsOnly -o "$WORK/runner/out" >&2
RUNNER="$WORK/runner/out/Runner.dll"

ms() { # mean wall milliseconds of a shell command over RUNS runs
  local start end
  start=$(date +%s%N)
  for ((i = 0; i < RUNS; i++)); do eval "$1" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  echo "scale=2; ($end - $start) / $RUNS / 1000000" | bc
}

opengnsys() { # ogGetImageInfo's steps for one image (Image.lib:921-1007), with the external tools
  local img=$1 comp
  comp=$(file "$img" | awk '{print $2}')
  case "$comp" in
    gzip|lzop|bzip2|XZ|LZ4|Zstandard) ;;
    *) comp=cat ;;
  esac
  case "$comp" in XZ) comp=xz ;; LZ4) comp=lz4 ;; Zstandard) comp=zstd ;; esac
  if [ "$comp" = cat ]; then head -n 40 "$img" > "$WORK/infohead"; else $comp -dc "$img" 2>/dev/null | head -n 40 > "$WORK/infohead"; fi
  LC_ALL=C partclone.info "$WORK/infohead" 2>&1 | grep -q size
}
export -f opengnsys; export WORK

declare -A INPROC
while read -r path us; do INPROC[$(basename "$path")]=$us; done < <(cd "$WORK" && dotnet "$RUNNER" loop 200 "${IMAGES[@]/#/$WORK/}")

printf '%-14s %12s %-30s %12s %12s %12s %10s %10s\n' image stored_bytes ogline ours_us ours_proc_ms og_ms ratio_inproc ratio_proc
for img in "${IMAGES[@]}"; do
  line=$(dotnet "$RUNNER" once "$WORK/$img")
  ours_proc=$(ms "dotnet $RUNNER once $WORK/$img")
  og=$(ms "opengnsys $WORK/$img")
  us=${INPROC[$img]}
  printf '%-14s %12s %-30s %12s %12s %12s %10s %10s\n' "$img" "$(stat -c %s "$WORK/$img")" "$line" "$us" "$ours_proc" "$og" \
    "$(echo "scale=1; $og * 1000 / $us" | bc)x" "$(echo "scale=2; $og / $ours_proc" | bc)x"
done
echo "# ours_us: in-process mean per inspection (200 runs); ours_proc_ms: one-shot process incl. .NET start-up;" >&2
echo "# og_ms: OpenGnsys way (file + decompress head + partclone.info); ratios = og / ours (higher = ours faster)." >&2
