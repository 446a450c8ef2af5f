namespace OgActors.Lab;

/// <summary>
/// Where the lab keeps its data when no --data is given: <c>.lab/</c> in the source tree the binary was built from,
/// else <c>$XDG_STATE_HOME/ogactors/lab</c> (<c>~/.local/state/ogactors/lab</c>). ogctl looks in the same place.
/// </summary>
public static class LabDirectory
{
    public static string Default()
    {
        var env = Environment.GetEnvironmentVariable("OG_LAB");
        if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OgActors.sln"))) return Path.Combine(dir.FullName, ".lab");
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (string.IsNullOrWhiteSpace(state)) state = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(state, "ogactors", "lab");
    }
}
