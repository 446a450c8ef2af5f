using OgActors.Imaging.Profiles;
using OgActors.Messages.Profiles;

namespace OgActors.RepositoryNode.Profiles;

/// <summary>Imaging's <see cref="ReadProfile"/> as the cluster's <see cref="SoftwareProfile"/>.</summary>
public static class ProfileConversion
{
    public static SoftwareProfile ToMessage(this ReadProfile read, string canonical, string repository, string folder, string fullSum, long imageBytes) =>
        new(canonical, repository, folder, fullSum.ToLowerInvariant(), 0, read.Filesystem, read.OperatingSystem, read.Version, read.OsId,
            [.. read.Kernels], read.PackageSource, [.. read.Software.Select(s => new SoftwarePackage(s.Name, s.Version, s.State))],
            new Dictionary<string, string>(read.Facts), [.. read.TopLevel], [.. read.Unreadable.Select(u => new ProfileGap(u.What, u.Why))],
            read.FilesystemBytes, imageBytes, Math.Round(read.Elapsed.TotalSeconds, 3), DateTimeOffset.UtcNow);
}
