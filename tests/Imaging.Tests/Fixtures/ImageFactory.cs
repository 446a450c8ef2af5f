using OgActors.Imaging.Formats;

namespace OgActors.Imaging.Tests.Fixtures;

/// <summary>How `split` names the volumes of a split image.</summary>
public enum SplitSuffix
{
    /// <summary><c>name.000, name.001 …</c> (`split -d -a 3`, FOG and partimage style).</summary>
    Numeric,
    /// <summary><c>name.aa, name.ab …</c> (`split -a 2`, Clonezilla style).</summary>
    Alphabetic,
}

/// <summary>
/// Makes real filesystems and real images with the real tools in a private temporary directory (deleted on dispose):
/// mkfs.ext2/3/4 -d, mkntfs, mkfs.vfat; partclone.*, ntfsclone, partimage (through a loop device), partclone.imager;
/// every compressor's CLI; `split`; Clonezilla and FOG image directories. Every method returns the path it made.
/// Reusable by any test project: link or copy the Fixtures folder.
/// </summary>
public sealed class ImageFactory : IDisposable
{
    public string Root { get; }

    public ImageFactory(string purpose = "images")
    {
        Root = Path.Combine(Path.GetTempPath(), $"ogactors-{purpose}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(Root);
    }

    /// <summary>A path inside <see cref="Root"/> (sub-directories created as needed).</summary>
    public string PathOf(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>A directory tree to put in a filesystem: text files, a compressible log and incompressible random bytes (deterministic per seed).</summary>
    public string MakeContent(string name, int seed = 1, int randomKiB = 256)
    {
        var dir = PathOf(name);
        Directory.CreateDirectory(Path.Combine(dir, "docs"));
        var rng = new Random(seed);
        File.WriteAllLines(Path.Combine(dir, "docs", "numbers.txt"), Enumerable.Range(0, 20000).Select(i => $"line {i} of seed {seed}"));
        File.WriteAllText(Path.Combine(dir, "hello.txt"), $"hello from fixture {seed}\n");
        var random = new byte[randomKiB * 1024];
        rng.NextBytes(random);
        File.WriteAllBytes(Path.Combine(dir, "random.bin"), random);
        return dir;
    }

    /// <summary>An ext2/3/4 filesystem in a file of <paramref name="sizeMiB"/>, filled from <paramref name="content"/> (`mkfs.extN -d`).</summary>
    public string MakeExt(string name, int sizeMiB = 32, string? content = null, string type = "ext4", int? blockSize = null)
    {
        var path = NewFile(name, sizeMiB);
        var args = new List<string> { "-q", "-F", "-L", "fixture" };
        if (blockSize is { } bs) args.AddRange(["-b", bs.ToString()]);
        if (content is not null) args.AddRange(["-d", content]);
        args.Add(path);
        ToolRunner.Run($"mkfs.{type}", [.. args]);
        return path;
    }

    /// <summary>An NTFS filesystem in a file (`mkntfs -F -Q`).</summary>
    public string MakeNtfs(string name, int sizeMiB = 32)
    {
        var path = NewFile(name, sizeMiB);
        ToolRunner.Run("mkntfs", "-F", "-Q", "-q", "-L", "fixture", path);
        return path;
    }

    /// <summary>A FAT12/16/32 filesystem in a file (`mkfs.vfat -F N`). FAT32 needs at least 33 MiB.</summary>
    public string MakeVfat(string name, int sizeMiB = 40, int fatBits = 32)
    {
        var path = NewFile(name, sizeMiB);
        ToolRunner.Run("mkfs.vfat", "-F", fatBits.ToString(), "-n", "FIXTURE", path);
        return path;
    }

    /// <summary>
    /// A partclone image (format v2, as partclone 0.3.x writes) of <paramref name="device"/>: `partclone.&lt;fs&gt; -c`.
    /// <paramref name="checksum"/> is partclone's -a (0 none, 1 CRC32); <paramref name="blocksPerChecksum"/> its -k.
    /// </summary>
    public string Partclone(string fs, string device, string name, int checksum = 1, int? blocksPerChecksum = null)
    {
        var output = PathOf(name);
        // -f 0: no progress refresh interval; without it every partclone run idles ~2 s before exiting.
        var args = new List<string> { "-c", "-s", device, "-O", output, "-L", output + ".log", "-q", "-f", "0", $"-a{checksum}" };
        if (blocksPerChecksum is { } k) args.Add($"-k{k}");
        ToolRunner.Run($"partclone.{fs}", [.. args]);
        File.Delete(output + ".log");
        return output;
    }

    /// <summary>A raw copy of a partition in partclone's image format with fs "raw" (`partclone.imager -c`).</summary>
    public string PartcloneImager(string device, string name) => Partclone("imager", device, name);

    /// <summary>An ntfsclone special image (`ntfsclone --save-image`).</summary>
    public string Ntfsclone(string device, string name)
    {
        var output = PathOf(name);
        ToolRunner.Run("ntfsclone", "--save-image", "--force", "--overwrite", output, device);
        return output;
    }

    /// <summary>
    /// A partimage 0.6 image of a filesystem file attached to a loop device; returns the first volume (<c>name.000</c>).
    /// <paramref name="compression"/> is partimage's own -z: 0 none, 1 gzip, 2 bzip2 (the whole volume file is compressed).
    /// </summary>
    public string Partimage(string device, string name, int volumeMiB = 0, int compression = 0)
    {
        var output = PathOf(name);
        using var loop = new LoopDevice(device);
        var args = new List<string> { $"-z{compression}", "-b", "-d", "-o", "-B", "gui=no" };
        if (volumeMiB > 0) args.AddRange(["-V", volumeMiB.ToString()]);
        args.AddRange(["save", loop.Device, output]);
        ToolRunner.Run("partimage", [.. args]);
        return output + ".000";
    }

    /// <summary>
    /// Compresses <paramref name="input"/> with the real CLI of <paramref name="compressor"/> (lzop, gzip, pigz, zstd, bzip2, xz, lz4);
    /// <paramref name="options"/> are extra CLI flags (e.g. "-9", "--crc32"). Returns input + suffix unless <paramref name="name"/> is given.
    /// </summary>
    public string Compress(string input, Compressor compressor, string? name = null, bool pigz = false, params string[] options)
    {
        var (exe, suffix) = compressor switch
        {
            Compressor.Gzip => (pigz ? "pigz" : "gzip", ".gz"),
            Compressor.Lzop => ("lzop", ".lzo"),
            Compressor.Zstd => ("zstd", ".zst"),
            Compressor.Bzip2 => ("bzip2", ".bz2"),
            Compressor.Xz => ("xz", ".xz"),
            Compressor.Lz4 => ("lz4", ".lz4"),
            _ => throw new ArgumentOutOfRangeException(nameof(compressor), "nothing to compress with None"),
        };
        var output = name is null ? input + suffix : PathOf(name);
        var flags = string.Join(' ', options.Select(ToolRunner.Q));
        var quiet = compressor is Compressor.Zstd or Compressor.Lz4 ? "-q" : "";
        ToolRunner.Shell($"{exe} {quiet} -c {flags} < {ToolRunner.Q(input)} > {ToolRunner.Q(output)}");
        return output;
    }

    /// <summary>Concatenates files (`cat a b > out`), e.g. two gzip members or two zstd frames into one stream.</summary>
    public string Concatenate(string name, params string[] inputs)
    {
        var output = PathOf(name);
        ToolRunner.Shell($"cat {string.Join(' ', inputs.Select(ToolRunner.Q))} > {ToolRunner.Q(output)}");
        return output;
    }

    /// <summary>Splits <paramref name="input"/> into <paramref name="bytes"/>-sized volumes named <paramref name="prefix"/> + suffix (real `split`); returns them in order.</summary>
    public IReadOnlyList<string> Split(string input, long bytes, SplitSuffix style, string prefix)
    {
        var target = PathOf(prefix);
        if (style == SplitSuffix.Numeric) ToolRunner.Run("split", "-d", "-a", "3", "-b", bytes.ToString(), input, target + ".");
        else ToolRunner.Run("split", "-a", "2", "-b", bytes.ToString(), input, target + ".");
        return Directory.GetFiles(Path.GetDirectoryName(target)!, Path.GetFileName(target) + ".*")
            .Where(f => f.Length == target.Length + (style == SplitSuffix.Numeric ? 4 : 3))
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Truncates a copy of <paramref name="input"/> to <paramref name="bytes"/>.</summary>
    public string TruncatedCopy(string input, long bytes, string name)
    {
        var output = PathOf(name);
        using var src = File.OpenRead(input);
        using var dst = File.Create(output);
        var buffer = new byte[bytes];
        int n = src.ReadAtLeast(buffer, (int)Math.Min(bytes, src.Length), throwOnEndOfStream: false);
        dst.Write(buffer, 0, n);
        return output;
    }

    /// <summary>A copy of <paramref name="input"/> with the byte at <paramref name="offset"/> inverted.</summary>
    public string CorruptedCopy(string input, long offset, string name)
    {
        var output = PathOf(name);
        File.Copy(input, output, overwrite: true);
        using var f = File.Open(output, FileMode.Open, FileAccess.ReadWrite);
        f.Position = offset;
        int b = f.ReadByte();
        f.Position = offset;
        f.WriteByte((byte)~b);
        return output;
    }

    /// <summary>
    /// A Clonezilla image directory: <c>disk</c>, <c>parts</c>, <c>&lt;disk&gt;-pt.sf</c>, <c>clonezilla-img</c>, and each partition's image
    /// files moved in under the names given (e.g. "sda1.ext4-ptcl-img.zst.aa").
    /// </summary>
    public string ClonezillaDirectory(string name, string disk, params (string Partition, IReadOnlyList<(string File, string NameInDir)> Files)[] partitions)
    {
        var dir = PathOf(name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "disk"), disk + "\n");
        File.WriteAllText(Path.Combine(dir, "parts"), string.Join(' ', partitions.Select(p => p.Partition)) + "\n");
        File.WriteAllText(Path.Combine(dir, $"{disk}-pt.sf"), $"label: dos\ndevice: /dev/{disk}\nunit: sectors\n");
        File.WriteAllText(Path.Combine(dir, "clonezilla-img"), "saved by the OgActors test fixture factory\n");
        foreach (var (_, files) in partitions)
            foreach (var (file, inDir) in files) File.Copy(file, Path.Combine(dir, inDir), overwrite: true);
        return dir;
    }

    /// <summary>A FOG image directory: <c>d1.partitions</c> (an sfdisk dump), <c>d1.mbr</c>, and <c>d1pN.img</c> / <c>d1pN.img.000…</c> files as given.</summary>
    public string FogDirectory(string name, params (string File, string NameInDir)[] files)
    {
        var dir = PathOf(name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "d1.partitions"), "label: dos\ndevice: /dev/sda\nunit: sectors\n\n/dev/sda1 : start=2048, size=65536, type=83\n");
        File.WriteAllBytes(Path.Combine(dir, "d1.mbr"), new byte[512]);
        foreach (var (file, inDir) in files) File.Copy(file, Path.Combine(dir, inDir), overwrite: true);
        return dir;
    }

    /// <summary>Writes bytes to a new file.</summary>
    public string Bytes(string name, byte[] content)
    {
        var path = PathOf(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private string NewFile(string name, int sizeMiB)
    {
        var path = PathOf(name);
        using var f = File.Create(path);
        f.SetLength((long)sizeMiB << 20);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
