namespace OgActors.Imaging.Profiles;

/// <summary>
/// The profile of a FAT filesystem image: its label and serial (<c>minfo</c>/<c>mdir</c> of mtools, reading the
/// image file directly) and its top-level entries. A FAT volume (an EFI system partition, a data disk) has no
/// installed-software database; that is recorded, not guessed.
/// </summary>
internal static class FatProfileReader
{
    private static readonly Dictionary<string, string> Mtools = new() { ["MTOOLS_SKIP_CHECK"] = "1" };

    public static async Task ReadAsync(string filesystemImage, ProfileBuilder profile, CancellationToken ct)
    {
        if (!Processes.ToolLocator.IsInstalled("mdir"))
        {
            profile.CannotRead("filesystem", "mtools (mdir) is not installed on this repository.");
            return;
        }
        var dir = await ProfileTool.RunAsync("mdir", ["-a", "-i", filesystemImage, "::/"], ct, Mtools);
        if (dir.ExitCode != 0)
        {
            profile.CannotRead("filesystem", $"mdir cannot read the FAT volume: {NtfsProfileReader.LastLine(dir.StandardError)}.");
            return;
        }
        foreach (var line in dir.Text.Split('\n'))
        {
            if (line.StartsWith(" Volume in drive", StringComparison.Ordinal) && line.IndexOf(" is ", StringComparison.Ordinal) is var at and > 0)
                profile.Facts["label"] = line[(at + 4)..].Trim();
            if (line.StartsWith(" Volume Serial Number is ", StringComparison.Ordinal))
                profile.Facts["serial"] = line[" Volume Serial Number is ".Length..].Trim();
        }
        var bare = await ProfileTool.RunAsync("mdir", ["-a", "-b", "-i", filesystemImage, "::/"], ct, Mtools);
        profile.TopLevel.AddRange(bare.Text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("::/", StringComparison.Ordinal))
            .Select(l => l[3..]).Where(l => l.Length > 0).Order(StringComparer.Ordinal));
        var info = await ProfileTool.RunAsync("minfo", ["-i", filesystemImage, "::"], ct, Mtools);
        foreach (var line in info.Text.Split('\n'))
            if (line.StartsWith("big size:", StringComparison.Ordinal) && long.TryParse(line["big size:".Length..].Trim().Split(' ')[0], out var sectors))
                profile.FilesystemBytes = sectors * 512;
        profile.CannotRead("software", "a FAT volume has no installed-software database; only its label and top-level entries are recorded.");
    }
}
