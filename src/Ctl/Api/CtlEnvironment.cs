namespace OgActors.Ctl.Api;

/// <summary>What ogctl reads from its surroundings: environment variables, the default lab directory, and where it writes.</summary>
public sealed record CtlEnvironment(Func<string, string?> Variable, string LabDir, TextWriter Out, TextWriter Error, bool Interactive)
{
    public static CtlEnvironment FromProcess() => new(
        Environment.GetEnvironmentVariable, DefaultLabDir(Environment.GetEnvironmentVariable), Console.Out, Console.Error,
        !Console.IsOutputRedirected);

    /// <summary>Same rule as the lab: OG_LAB, else .lab/ in the source tree of this build, else $XDG_STATE_HOME/ogactors/lab.</summary>
    public static string DefaultLabDir(Func<string, string?> variable)
    {
        var env = variable("OG_LAB");
        if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OgActors.sln"))) return Path.Combine(dir.FullName, ".lab");
        var state = variable("XDG_STATE_HOME");
        if (string.IsNullOrWhiteSpace(state)) state = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(state, "ogactors", "lab");
    }
}
