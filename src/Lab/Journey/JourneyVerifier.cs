using System.Security.Cryptography;

namespace OgActors.Lab.Journey;

/// <summary>
/// Checks a restored ext4 partition file against the model's: <c>e2fsck -fn</c> clean, and every file extracted with
/// <c>debugfs -R "rdump / DIR"</c> has the same relative path and SHA-256 as the model's.
/// </summary>
public static class JourneyVerifier
{
    public static async Task<IReadOnlyDictionary<string, string>> ChecksumsAsync(string partitionFile, string workDir, CancellationToken cancel)
    {
        var dir = Path.Combine(workDir, Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(partitionFile))!) + "-rdump");
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Directory.CreateDirectory(dir);
        var output = await JourneyTools.CheckedAsync("debugfs", ["-R", $"rdump / {dir}", partitionFile], cancel);
        var sums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(file);
            var relative = Path.GetRelativePath(dir, file);
            sums[relative] = info.LinkTarget is { } target ? "link:" + target : Convert.ToHexString(await SHA256.HashDataAsync(File.OpenRead(file), cancel));
        }
        Directory.Delete(dir, true);
        if (sums.Count == 0) throw new JourneyException($"debugfs found no files in {partitionFile}: {JourneyTools.LastLine(output)}");
        return sums;
    }

    /// <summary>Null when the partition is clean and holds the model's files; otherwise one sentence saying what differs.</summary>
    public static async Task<string?> VerifyAsync(string partitionFile, IReadOnlyDictionary<string, string> expected, string workDir, CancellationToken cancel)
    {
        var fsck = await JourneyTools.RunAsync("e2fsck", ["-fn", partitionFile], cancel);
        if (fsck.ExitCode != 0) return $"e2fsck -fn reports problems (exit {fsck.ExitCode}): {JourneyTools.LastLine(fsck.Output)}";
        var actual = await ChecksumsAsync(partitionFile, workDir, cancel);
        var missing = expected.Keys.Where(k => !actual.ContainsKey(k)).ToList();
        if (missing.Count > 0) return $"{missing.Count} file(s) missing, e.g. {missing[0]}.";
        var extra = actual.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        if (extra.Count > 0) return $"{extra.Count} unexpected file(s), e.g. {extra[0]}.";
        var different = expected.Where(e => actual[e.Key] != e.Value).Select(e => e.Key).ToList();
        if (different.Count > 0) return $"{different.Count} file(s) differ from the model's, e.g. {different[0]}.";
        return null;
    }
}
