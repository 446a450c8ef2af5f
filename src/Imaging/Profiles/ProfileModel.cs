namespace OgActors.Imaging.Profiles;

/// <summary>One installed package (dpkg, RPM) or program (Windows "Uninstall" key): name, version, state.</summary>
public sealed record InstalledSoftware(string Name, string Version, string State = "installed");

/// <summary>Something the profile could not read, and why (one sentence). Never replaced by a guess.</summary>
public sealed record Unreadable(string What, string Why);

/// <summary>
/// What was read from the filesystem inside one image: the operating system (from <c>os-release</c> or the Windows
/// SOFTWARE hive), kernels, installed software, facts of the volume (label, version, top-level entries, …) and what
/// could not be read. <see cref="PackageSource"/> says where <see cref="Software"/> came from ("dpkg", "windows", "" = none).
/// </summary>
public sealed record ReadProfile(
    string Filesystem,
    string OperatingSystem,
    string Version,
    string OsId,
    IReadOnlyList<string> Kernels,
    string PackageSource,
    IReadOnlyList<InstalledSoftware> Software,
    IReadOnlyDictionary<string, string> Facts,
    IReadOnlyList<string> TopLevel,
    IReadOnlyList<Unreadable> Unreadable,
    long FilesystemBytes,
    TimeSpan Elapsed)
{
    /// <summary>"Debian GNU/Linux 12 (bookworm), 412 packages" — the profile in one line.</summary>
    public string Line => ProfileLine.Of(OperatingSystem, Version, PackageSource, Software.Count(s => s.State == "installed"), Filesystem);
}

public static class ProfileLine
{
    public static string Of(string os, string version, string source, int installed, string filesystem)
    {
        var name = os.Length == 0 ? $"unknown OS ({(filesystem.Length == 0 ? "unknown filesystem" : filesystem)})"
            : version.Length == 0 || os.Contains(version, StringComparison.Ordinal) ? os : $"{os} {version}";
        return source switch
        {
            "dpkg" or "rpm" => $"{name}, {installed} packages",
            "windows" => $"{name}, {installed} programs",
            _ => name,
        };
    }
}

/// <summary>Collects a profile's parts while the readers run.</summary>
internal sealed class ProfileBuilder(string filesystem)
{
    public string Filesystem { get; } = filesystem;
    public string OperatingSystem { get; set; } = "";
    public string Version { get; set; } = "";
    public string OsId { get; set; } = "";
    public List<string> Kernels { get; } = [];
    public string PackageSource { get; set; } = "";
    public List<InstalledSoftware> Software { get; } = [];
    public SortedDictionary<string, string> Facts { get; } = new(StringComparer.Ordinal);
    public List<string> TopLevel { get; } = [];
    public List<Unreadable> Unreadable { get; } = [];
    public long FilesystemBytes { get; set; }

    public void CannotRead(string what, string why) => Unreadable.Add(new Unreadable(what, why));

    public ReadProfile Build(TimeSpan elapsed) => new(Filesystem, OperatingSystem, Version, OsId, [.. Kernels], PackageSource,
        [.. Software.OrderBy(s => s.Name, StringComparer.Ordinal)], new Dictionary<string, string>(Facts), [.. TopLevel],
        [.. Unreadable], FilesystemBytes, elapsed);
}
