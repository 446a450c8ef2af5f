using OgActors.Imaging.Processes;

namespace OgActors.Imaging.Profiles;

/// <summary>
/// The profile of an NTFS filesystem image, with ntfs-3g's tools and no mount: volume facts (<c>ntfsinfo -m</c>),
/// the top-level entries (<c>ntfsls</c>), and — when <c>Windows\System32\config\SOFTWARE</c> exists — Windows'
/// edition, version, build and installed programs from that hive (<c>ntfscat</c> to a scratch file, read by
/// <see cref="WindowsHive"/>, deleted after).
/// </summary>
internal static class NtfsProfileReader
{
    public const string SoftwareHive = "/Windows/System32/config/SOFTWARE";

    public static async Task ReadAsync(string filesystemImage, string scratchDirectory, ProfileBuilder profile, CancellationToken ct)
    {
        var info = await ProfileTool.RunAsync("ntfsinfo", ["-m", "-f", filesystemImage], ct);
        if (info.ExitCode != 0)
        {
            profile.CannotRead("filesystem", $"ntfsinfo cannot open the NTFS volume: {LastLine(info.StandardError)}.");
            return;
        }
        var fields = info.Text.Split('\n').Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim()).ToDictionary(g => g.Key, g => g.First()[1].Trim());
        if (fields.GetValueOrDefault("Volume Name") is { Length: > 0 } label) profile.Facts["label"] = label;
        if (fields.GetValueOrDefault("Volume Version") is { } version) profile.Facts["ntfs-version"] = version;
        if (long.TryParse(fields.GetValueOrDefault("Cluster Size"), out var cluster)
            && long.TryParse(fields.GetValueOrDefault("Volume Size in Clusters"), out var clusters))
        {
            profile.Facts["cluster-size"] = cluster.ToString();
            profile.FilesystemBytes = cluster * clusters;
        }

        var list = await ProfileTool.RunAsync("ntfsls", ["-F", "-f", filesystemImage], ct);
        if (list.ExitCode == 0)
            profile.TopLevel.AddRange(list.Text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).Order(StringComparer.Ordinal));

        var hive = Path.Combine(scratchDirectory, $".og-profile-hive-{Guid.NewGuid():N}.tmp");
        try
        {
            try
            {
                await ToolPipeline.RunFilesAsync([new ToolCommand("ntfscat", "-f", filesystemImage, SoftwareHive)], null, hive, null, ct);
            }
            catch (ToolFailedException)
            {
                profile.CannotRead("operating system", $"there is no {SoftwareHive} in this NTFS volume (not a Windows system volume).");
                return;
            }
            if (!ToolLocator.IsInstalled("hivexget"))
            {
                profile.CannotRead("operating system", "the SOFTWARE hive is there, but hivexget (libhivex-bin) is not installed on this repository.");
                return;
            }
            await WindowsHive.ReadAsync(hive, profile, ct);
        }
        finally
        {
            File.Delete(hive);
        }
    }

    internal static string LastLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0)?.TrimEnd('.') ?? "no message";
}
