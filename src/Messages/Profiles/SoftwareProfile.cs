namespace OgActors.Messages.Profiles;

/// <summary>One installed package (dpkg) or program (Windows Uninstall key) of a profile.</summary>
[Manifest("profile.package")]
public sealed record SoftwarePackage(string Name, string Version, string State = "installed") : IOgMessage;

/// <summary>Something a profile could not read, and why (one sentence).</summary>
[Manifest("profile.gap")]
public sealed record ProfileGap(string What, string Why) : IOgMessage;

/// <summary>
/// The software profile of one content (full sum) of an image: what the filesystem inside it holds, as read by its
/// repository (<paramref name="Source"/> "read"), never guessed. <paramref name="Revision"/> is the image's revision of
/// that content (0 until the image entity records it); <paramref name="PackageSource"/> is "dpkg", "windows" or "".
/// </summary>
[Manifest("profile.software")]
public sealed record SoftwareProfile(
    string Canonical,
    string Repository,
    string Folder,
    string FullSum,
    int Revision,
    string Filesystem,
    string OperatingSystem,
    string Version,
    string OsId,
    IReadOnlyList<string> Kernels,
    string PackageSource,
    IReadOnlyList<SoftwarePackage> Packages,
    IReadOnlyDictionary<string, string> Facts,
    IReadOnlyList<string> TopLevel,
    IReadOnlyList<ProfileGap> Unreadable,
    long FilesystemBytes,
    long ImageBytes,
    double ExtractionSeconds,
    DateTimeOffset ReadAt,
    string Source = "read") : IOgMessage
{
    public int InstalledCount => Packages.Count(p => p.State == "installed");

    /// <summary>"Debian GNU/Linux 12, 412 packages".</summary>
    public string Line
    {
        get
        {
            var name = OperatingSystem.Length == 0 ? $"unknown OS ({(Filesystem.Length == 0 ? "unknown filesystem" : Filesystem)})"
                : Version.Length == 0 || OperatingSystem.Contains(Version, StringComparison.Ordinal) ? OperatingSystem : $"{OperatingSystem} {Version}";
            return PackageSource switch
            {
                "dpkg" or "rpm" => $"{name}, {InstalledCount} packages",
                "windows" => $"{name}, {InstalledCount} programs",
                _ => name,
            };
        }
    }
}

/// <summary>What <c>image list</c> / <c>image show</c> print of an image's profile (its current revision's, when read).</summary>
[Manifest("profile.summary")]
public sealed record ProfileSummary(int Revision, string OperatingSystem, string Version, int Packages, string Line, string Status) : IOgMessage;

/// <summary>One package whose version differs between two profiles; <paramref name="Upgraded"/> when To orders after From (dpkg's rules).</summary>
[Manifest("profile.upgrade")]
public sealed record PackageChange(string Name, string From, string To, bool Upgraded) : IOgMessage;

/// <summary>
/// The difference between two profiles (<paramref name="From"/> → <paramref name="To"/>, each "IMAGE revision N"):
/// packages only in To, only in From, and in both with another version (upgraded or downgraded).
/// </summary>
[Manifest("profile.diff")]
public sealed record ProfileDiff(
    string From, string To, string FromLine, string ToLine,
    IReadOnlyList<SoftwarePackage> Added, IReadOnlyList<SoftwarePackage> Removed, IReadOnlyList<PackageChange> Changed) : IOgMessage
{
    /// <summary>Compares the installed packages (by name) of two profiles.</summary>
    public static ProfileDiff Between(string from, SoftwareProfile a, string to, SoftwareProfile b)
    {
        static Dictionary<string, SoftwarePackage> Index(SoftwareProfile p) =>
            p.Packages.Where(x => x.State == "installed").GroupBy(x => x.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var (left, right) = (Index(a), Index(b));
        return new ProfileDiff(from, to, a.Line, b.Line,
            [.. right.Values.Where(p => !left.ContainsKey(p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal)],
            [.. left.Values.Where(p => !right.ContainsKey(p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal)],
            [.. left.Values.Where(p => right.TryGetValue(p.Name, out var q) && q.Version != p.Version).OrderBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => new PackageChange(p.Name, p.Version, right[p.Name].Version, PackageVersion.Compare(right[p.Name].Version, p.Version) > 0))]);
    }
}
