using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using OgActors.Imaging.Inspection;

namespace OgActors.Bench;

/// <summary>
/// Inspection time per kind of image (issue 3 target: under 10 ms in process). The images are made in GlobalSetup by
/// the real tools: a 256 MiB ext4 with 64 MiB of files → partclone (plain and each compressor), a split set, ntfsclone,
/// partimage (through a loop device), a raw dd image and a Clonezilla directory. bzip2 at -1 and at its default -9 (900 kB
/// blocks: the whole first block's symbols must be decoded before its first byte; its first block here is random file data).
/// `dotnet run -c Release --project bench/Bench -- --filter '*InspectionBenchmarks*'`
/// </summary>
[MemoryDiagnoser]
public class InspectionBenchmarks
{
    private string _root = "";

    [ParamsSource(nameof(Kinds))]
    public string Image { get; set; } = "";

    public static IEnumerable<string> Kinds =>
    [
        "sda1.pcl", "sda1.pcl.lzo", "sda1.pcl.gz", "sda1.pcl.zst", "sda1.pcl.xz", "sda1.pcl.lz4", "sda1.pcl.bz2", "sda1.pcl.9.bz2",
        "split/sda1.pcl.zst.aa", "ntfs.ntfsclone.gz", "ext3.partimage.000.gz", "sda1.dd-img.lzo", "clonezilla",
    ];

    [GlobalSetup]
    public void Setup()
    {
        _root = Root;
        if (!File.Exists(Path.Combine(_root, "ready"))) Make(_root);
    }

    [Benchmark]
    public int Inspect() => ImageInspector.Inspect(Path.Combine(_root, Image)).Count;

    /// <summary>The images, made once in /tmp/og-inspection-bench (delete the folder to remake them).</summary>
    internal static string Root => Path.Combine(Path.GetTempPath(), "og-inspection-bench");

    internal static void Make(string root)
    {
        Directory.CreateDirectory(root);
        Sh($$"""
            cd {{root}}
            mkdir -p content split clonezilla
            head -c 33554432 /dev/urandom > content/random.bin
            { yes "OgActors inspection benchmark line" || true; } | head -c 33554432 > content/text.txt
            truncate -s 256M ext4.img && mkfs.ext4 -q -F -d content ext4.img
            partclone.extfs -c -s ext4.img -O sda1.pcl -L pc.log -q -f 0 -a1 >/dev/null 2>&1
            lzop -c sda1.pcl > sda1.pcl.lzo; pigz -c sda1.pcl > sda1.pcl.gz; zstd -q -T0 -c sda1.pcl > sda1.pcl.zst
            xz -T0 -1 -c sda1.pcl > sda1.pcl.xz; lz4 -q -c sda1.pcl > sda1.pcl.lz4; bzip2 -1 -c sda1.pcl > sda1.pcl.bz2; bzip2 -9 -c sda1.pcl > sda1.pcl.9.bz2
            split -a 2 -b 4000000 sda1.pcl.zst split/sda1.pcl.zst.
            lzop -c ext4.img > sda1.dd-img.lzo
            truncate -s 64M ntfs.img && mkntfs -F -Q -q ntfs.img && ntfsclone --save-image -O - ntfs.img 2>/dev/null | gzip -c > ntfs.ntfsclone.gz
            truncate -s 64M ext3.img && mkfs.ext3 -q -F -d content ext3.img 2>/dev/null || mkfs.ext3 -q -F ext3.img
            LOOP=$(losetup -f --show ext3.img); partimage -z0 -b -d -o -B gui=no save $LOOP ext3.partimage >/dev/null 2>&1 || true; losetup -d $LOOP
            gzip -c ext3.partimage.000 > ext3.partimage.000.gz
            echo sda > clonezilla/disk; echo "sda1 sda2" > clonezilla/parts
            cp sda1.pcl.zst clonezilla/sda1.ext4-ptcl-img.zst; cp ntfs.ntfsclone.gz clonezilla/sda2.ntfs-img.gz
            rm -f ext4.img ntfs.img ext3.img pc.log; rm -rf content; touch ready
            """);
    }

    private static void Sh(string script)
    {
        using var p = Process.Start(new ProcessStartInfo("/bin/bash", ["-c", "set -eu\n" + script]) { UseShellExecute = false })!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"making the benchmark images failed (exit {p.ExitCode})");
    }
}

/// <summary>What the restore pipeline and the repository do with the first MiB of a network stream.</summary>
[MemoryDiagnoser]
public class InspectHeadBenchmarks
{
    private byte[] _head = [];
    private long _size;

    [Params("sda1.pcl.zst", "sda1.pcl.lzo")]
    public string Image { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        if (!File.Exists(Path.Combine(InspectionBenchmarks.Root, "ready"))) InspectionBenchmarks.Make(InspectionBenchmarks.Root);
        var bytes = File.ReadAllBytes(Path.Combine(InspectionBenchmarks.Root, Image));
        _size = bytes.Length;
        _head = bytes.AsSpan(0, Math.Min(bytes.Length, 1 << 20)).ToArray();
    }

    [Benchmark]
    public long InspectHead() => ImageInspector.InspectHead(_head, _size).UsedBlocks;
}
