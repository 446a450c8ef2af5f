using System.Security.Cryptography;

namespace OgActors.Lab.Journey;

/// <summary>
/// The journey's computers and their partition files: pc01 gets a populated ext4 partition 1 (<c>mkfs.ext4 -d</c> over a
/// few hundred files of varied content) and an NTFS partition 2 (<c>mkfs.ntfs -F -Q</c>); pc02–pc04 get empty partition
/// files; pc04's cache is too small for the image so it restores directly from the repository.
/// </summary>
public static class JourneyPartitions
{
    public const long MiB = 1024 * 1024;
    public const long Partition1Size = 128 * MiB;
    public const long Partition2Size = 32 * MiB;
    public const long CacheCapacity = 1024 * MiB;
    public const long SmallCacheCapacity = 1 * MiB;
    public const string Model = "pc01";
    public static readonly IReadOnlyList<string> Targets = ["pc02", "pc03", "pc04"];
    public const string DirectComputer = "pc04";

    public static LabComputer Computer(int index) => Computer(index, 0, true);

    /// <summary>A journey computer whose partition 1 holds <paramref name="extraMiB"/> of incompressible data more; with
    /// <paramref name="directPc04"/> pc04's cache is too small (the loopback journey's direct path).</summary>
    public static LabComputer Computer(int index, int extraMiB, bool directPc04)
    {
        var name = $"pc{index:00}";
        var part1 = Partition1Size + extraMiB * MiB * 11 / 10;
        var cache = Math.Max(CacheCapacity, 2 * part1);
        return new LabComputer(name, [part1, Partition2Size], directPc04 && name == DirectComputer ? SmallCacheCapacity : cache);
    }

    /// <summary>Formats pc01's partition files in place (before the lab starts, which keeps existing contents).</summary>
    public static async Task<(string ContentDir, int Files, long Bytes)> PrepareModelAsync(string labDir, CancellationToken cancel, int extraMiB = 0)
    {
        var files = LabComputerFiles.Prepare(labDir, Computer(1, extraMiB, extraMiB == 0));
        var content = Path.Combine(labDir, "journey", "content");
        if (Directory.Exists(content)) Directory.Delete(content, true);
        var (count, bytes) = WriteContent(content);
        // Incompressible bulk (random bytes) so the image is as large as asked and the link, not start-up, dominates.
        var bulk = Path.Combine(content, "bulk");
        Directory.CreateDirectory(bulk);
        var chunk = new byte[8 * MiB];
        for (var left = extraMiB * MiB; left > 0; left -= chunk.Length)
        {
            RandomNumberGenerator.Fill(chunk);
            File.WriteAllBytes(Path.Combine(bulk, $"random{count:0000}.bin"), left >= chunk.Length ? chunk : chunk[..(int)left]);
            count++;
            bytes += Math.Min(left, chunk.Length);
        }
        var part1 = files.Partitions[0].File;
        var part2 = files.Partitions[1].File;
        JourneyProfile.AddModelSoftware(content); // issue 17: an OS and packages for the repository to read
        await JourneyTools.CheckedAsync("mkfs.ext4", ["-q", "-F", "-L", "journey", "-d", content, part1], cancel);
        await JourneyTools.CheckedAsync("mkfs.ntfs", ["-F", "-Q", "-q", "-L", "journey-data", part2], cancel);
        return (content, count, bytes);
    }

    /// <summary>A few hundred files in nested folders: text, zeros, random bytes, repeated patterns (about 12 MiB).</summary>
    private static (int Files, long Bytes) WriteContent(string root)
    {
        var random = new Random(6);
        var count = 0;
        long bytes = 0;
        for (var d = 0; d < 12; d++)
        {
            var dir = Path.Combine(root, $"dir{d:00}", d % 3 == 0 ? "nested/deeper" : "sub");
            Directory.CreateDirectory(dir);
            for (var f = 0; f < 25; f++)
            {
                var size = (f % 5) switch { 0 => random.Next(10, 2_000), 1 => random.Next(4_096, 40_000), 2 => random.Next(40_000, 120_000), 3 => 0, _ => random.Next(1, 512) * 37 };
                var data = new byte[size];
                switch ((d + f) % 4)
                {
                    case 0: RandomNumberGenerator.Fill(data); break;
                    case 1: for (var i = 0; i < size; i++) data[i] = (byte)"OpenGnsys lab image line\n"[i % 25]; break;
                    case 2: random.NextBytes(data); Array.Clear(data, 0, size / 2); break;
                    default: for (var i = 0; i < size; i++) data[i] = (byte)(i * 7 + d); break;
                }
                File.WriteAllBytes(Path.Combine(dir, $"file{f:000}.{((f % 3) switch { 0 => "txt", 1 => "bin", _ => "dat" })}"), data);
                count++;
                bytes += size;
            }
        }
        // A few large files so the image is some MiB.
        var big = Path.Combine(root, "big");
        Directory.CreateDirectory(big);
        for (var b = 0; b < 4; b++)
        {
            var data = new byte[2 * MiB];
            if (b % 2 == 0) RandomNumberGenerator.Fill(data); else for (var i = 0; i < data.Length; i++) data[i] = (byte)(i / 4096 + b);
            File.WriteAllBytes(Path.Combine(big, $"blob{b}.bin"), data);
            count++;
            bytes += data.Length;
        }
        File.CreateSymbolicLink(Path.Combine(root, "link-to-big"), "big/blob0.bin");
        return (count, bytes);
    }
}
