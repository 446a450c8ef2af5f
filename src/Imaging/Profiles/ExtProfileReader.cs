namespace OgActors.Imaging.Profiles;

/// <summary>
/// The profile of an ext2/3/4 filesystem image: <c>/etc/os-release</c> (else <c>/usr/lib/os-release</c>), the kernels
/// in <c>/boot</c>, dpkg's database (or where an RPM database is), the top-level directories and the superblock's
/// label, UUID and sizes (<c>dumpe2fs -h</c>). All read with e2fsprogs, no mount.
/// </summary>
internal static class ExtProfileReader
{
    private static readonly string[] KernelPrefixes = ["vmlinuz-", "vmlinux-", "kernel-"];

    private static readonly string[] RpmDatabases =
        ["/var/lib/rpm/rpmdb.sqlite", "/var/lib/rpm/Packages", "/var/lib/rpm/Packages.db", "/usr/lib/sysimage/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/Packages"];

    public static async Task ReadAsync(string filesystemImage, ProfileBuilder profile, CancellationToken ct)
    {
        var fs = new DebugFs(filesystemImage);
        if (await fs.OpenProblemAsync(ct) is { } problem)
        {
            profile.CannotRead("filesystem", $"debugfs cannot open the {profile.Filesystem} filesystem: {problem}.");
            return;
        }
        await SuperblockAsync(filesystemImage, profile, ct);
        if (await fs.ListAsync("/", ct) is { } top)
            profile.TopLevel.AddRange(top.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => e.IsDirectory ? e.Name + "/" : e.Name));

        await OperatingSystemAsync(fs, profile, ct);
        await KernelsAsync(fs, profile, ct);
        await PackagesAsync(fs, profile, ct);
    }

    private static async Task SuperblockAsync(string image, ProfileBuilder profile, CancellationToken ct)
    {
        var output = await ProfileTool.RunAsync("dumpe2fs", ["-h", image], ct);
        if (output.ExitCode != 0) { profile.CannotRead("superblock", $"dumpe2fs -h failed: {output.StandardError.Trim().Split('\n')[^1]}"); return; }
        var fields = output.Text.Split('\n').Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim()).ToDictionary(g => g.Key, g => g.First()[1].Trim());
        if (fields.GetValueOrDefault("Filesystem volume name") is { } label && label != "<none>") profile.Facts["label"] = label;
        if (fields.GetValueOrDefault("Filesystem UUID") is { } uuid) profile.Facts["uuid"] = uuid;
        if (long.TryParse(fields.GetValueOrDefault("Block count"), out var blocks) && long.TryParse(fields.GetValueOrDefault("Block size"), out var size))
        {
            profile.FilesystemBytes = blocks * size;
            if (long.TryParse(fields.GetValueOrDefault("Free blocks"), out var free)) profile.Facts["used-bytes"] = ((blocks - free) * size).ToString();
        }
        if (fields.GetValueOrDefault("Filesystem features") is { } features) profile.Facts["features"] = features;
    }

    private static async Task OperatingSystemAsync(DebugFs fs, ProfileBuilder profile, CancellationToken ct)
    {
        foreach (var candidate in new[] { "/etc/os-release", "/usr/lib/os-release" })
        {
            if (await fs.ResolveAsync(candidate, ct) is not { Node.IsDirectory: false } found) continue;
            var text = (await fs.CatAsync(found.Path, ct)).Text;
            var fields = OsRelease.Parse(text);
            if (!fields.ContainsKey("NAME") && !fields.ContainsKey("ID"))
            {
                profile.CannotRead("operating system", $"{candidate} has neither NAME nor ID.");
                return;
            }
            profile.OperatingSystem = fields.GetValueOrDefault("NAME") ?? fields["ID"];
            profile.Version = fields.GetValueOrDefault("VERSION_ID") ?? fields.GetValueOrDefault("VERSION") ?? "";
            profile.OsId = fields.GetValueOrDefault("ID") ?? "";
            if (fields.GetValueOrDefault("PRETTY_NAME") is { } pretty) profile.Facts["pretty-name"] = pretty;
            profile.Facts["os-release"] = found.Path;
            if (!fields.ContainsKey("VERSION_ID") && !fields.ContainsKey("VERSION"))
                profile.CannotRead("operating system version", $"{candidate} has no VERSION_ID (a rolling release?).");
            return;
        }
        profile.CannotRead("operating system", "neither /etc/os-release nor /usr/lib/os-release exists in this filesystem.");
    }

    private static async Task KernelsAsync(DebugFs fs, ProfileBuilder profile, CancellationToken ct)
    {
        var boot = await fs.ResolveAsync("/boot", ct);
        if (boot is not { Node.IsDirectory: true })
        {
            profile.CannotRead("kernels", "this filesystem has no /boot directory (the kernels may be on another partition).");
            return;
        }
        var entries = await fs.ListAsync(boot.Value.Path, ct) ?? [];
        foreach (var e in entries.Where(e => !e.IsDirectory).OrderBy(e => e.Name, StringComparer.Ordinal))
            if (KernelPrefixes.FirstOrDefault(p => e.Name.StartsWith(p, StringComparison.Ordinal)) is { } prefix)
                profile.Kernels.Add(e.Name[prefix.Length..]);
            else if (e.Name is "vmlinuz" or "vmlinux" && !e.IsSymlink)
                profile.Kernels.Add(e.Name);
        if (profile.Kernels.Count == 0)
            profile.CannotRead("kernels", "/boot holds no vmlinuz-* (the kernels may be on another partition mounted there).");
    }

    private static async Task PackagesAsync(DebugFs fs, ProfileBuilder profile, CancellationToken ct)
    {
        if (await fs.ResolveAsync("/var/lib/dpkg/status", ct) is { Node.IsDirectory: false } status)
        {
            var output = await fs.CatAsync(status.Path, ct);
            if (output.StandardOutput.Length < status.Node.Size)
            {
                profile.CannotRead("packages", $"/var/lib/dpkg/status could not be read whole ({output.StandardOutput.Length} of {status.Node.Size} bytes).");
                return;
            }
            profile.PackageSource = "dpkg";
            profile.Software.AddRange(DpkgStatus.Parse(output.Text));
            return;
        }
        foreach (var rpm in RpmDatabases)
            if (await fs.StatAsync(rpm, ct) is not null)
            {
                profile.Facts["rpm-database"] = rpm;
                profile.CannotRead("packages", $"an RPM database is at {rpm}, but this repository does not read RPM databases (rpm is not installed), so no package is listed.");
                return;
            }
        profile.CannotRead("packages", "there is no package database in this filesystem (no /var/lib/dpkg/status, no RPM database).");
    }
}
