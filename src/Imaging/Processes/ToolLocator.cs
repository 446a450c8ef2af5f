namespace OgActors.Imaging.Processes;

/// <summary>Finds programs on PATH (plus the sbin folders, where partclone and e2fsprogs live).</summary>
public static class ToolLocator
{
    private static readonly string[] ExtraFolders = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

    /// <summary>PATH with the sbin folders added: the search path given to the tools' shell.</summary>
    public static string SearchPath => string.Join(':', Folders);

    public static string? Find(string program)
    {
        if (program.Contains('/')) return File.Exists(program) ? program : null;
        return Folders.Select(folder => Path.Combine(folder, program)).FirstOrDefault(File.Exists);
    }

    private static IEnumerable<string> Folders =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraFolders).Distinct();

    public static bool IsInstalled(string program) => Find(program) is not null;

    /// <summary>The full path of <paramref name="program"/>, or a <see cref="ToolFailedException"/> saying it is not installed.</summary>
    public static string Require(string program) =>
        Find(program) ?? throw new ToolFailedException(program, 127, $"{program} is not installed (it is not on PATH).", "");
}
