using System.Text;

namespace OgActors.Imaging.Tests.Pipelines;

/// <summary>
/// Small real filesystems made by the real tools at test time (mkfs.ext4 -d, mkfs.ntfs + ntfscp, mkfs.vfat), in sparse
/// files whose free space reads as zeros, so a restored partition must equal its source byte for byte.
/// (Pipelines-local helper; the lead may merge it with tests/Imaging.Tests/Fixtures.)
/// </summary>
internal static class FilesystemFixtures
{
    public const int MiB = 1024 * 1024;

    /// <summary>Writes a few files (random, text, nested) into <paramref name="folder"/> and returns their relative paths.</summary>
    public static IReadOnlyList<string> WriteSampleFiles(string folder, int randomBytes = 3 * MiB, int seed = 42)
    {
        Directory.CreateDirectory(Path.Combine(folder, "docs", "deep"));
        var random = new Random(seed);
        var noise = new byte[randomBytes];
        random.NextBytes(noise);
        File.WriteAllBytes(Path.Combine(folder, "noise.bin"), noise);
        var text = new StringBuilder();
        for (var i = 0; i < 40_000; i++) text.Append("line ").Append(i).Append(" of the classroom image, computer pc").Append(i % 30).Append('\n');
        File.WriteAllText(Path.Combine(folder, "docs", "readme.txt"), text.ToString());
        File.WriteAllText(Path.Combine(folder, "docs", "deep", "hostname"), "pc01\n");
        return ["noise.bin", "docs/readme.txt", "docs/deep/hostname"];
    }

    public static string MakeExt4(string path, string sourceFolder, int sizeMiB = 32)
    {
        using (var file = File.Create(path)) file.SetLength((long)sizeMiB * MiB);
        Shell.Run("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", "-d", sourceFolder, path);
        return path;
    }

    public static string MakeNtfs(string path, string sourceFolder, IReadOnlyList<string> files, int sizeMiB = 32)
    {
        using (var file = File.Create(path)) file.SetLength((long)sizeMiB * MiB);
        Shell.Run("mkfs.ntfs", "-F", "-Q", "-q", path);
        foreach (var relative in files.Where(f => !f.Contains('/')))
            Shell.Run("ntfscp", path, Path.Combine(sourceFolder, relative), "/" + relative);
        return path;
    }

    public static string MakeFat(string path, int sizeMiB = 32)
    {
        using (var file = File.Create(path)) file.SetLength((long)sizeMiB * MiB);
        Shell.Run("mkfs.vfat", "-n", "OGTEST", path);
        return path;
    }

    /// <summary>A zero-filled file to restore onto.</summary>
    public static string MakeEmptyPartition(string path, long bytes)
    {
        using var file = File.Create(path);
        file.SetLength(bytes);
        return path;
    }

    public static bool SameBytes(string a, string b)
    {
        using var x = File.OpenRead(a);
        using var y = File.OpenRead(b);
        if (x.Length != y.Length) return false;
        var bx = new byte[MiB];
        var by = new byte[MiB];
        while (true)
        {
            var n = x.ReadAtLeast(bx, bx.Length, throwOnEndOfStream: false);
            var m = y.ReadAtLeast(by, by.Length, throwOnEndOfStream: false);
            if (n != m || !bx.AsSpan(0, n).SequenceEqual(by.AsSpan(0, m))) return false;
            if (n == 0) return true;
        }
    }
}
