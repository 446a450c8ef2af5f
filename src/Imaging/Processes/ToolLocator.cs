namespace OgActors.Imaging.Processes;

/// <summary>Finds programs on PATH (plus the sbin folders, where partclone and e2fsprogs live).</summary>
public static class ToolLocator
{
    private static readonly string[] ExtraFolders = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

    public static string? Find(string program)
    {
        if (program.Contains('/')) return File.Exists(program) ? program : null;
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraFolders);
        return folders.Select(folder => Path.Combine(folder, program)).FirstOrDefault(File.Exists);
    }

    public static bool IsInstalled(string program) => Find(program) is not null;

    /// <summary>The full path of <paramref name="program"/>, or a <see cref="ToolFailedException"/> saying it is not installed.</summary>
    public static string Require(string program) =>
        Find(program) ?? throw new ToolFailedException(program, 127, $"{program} is not installed (it is not on PATH).", "");
}
