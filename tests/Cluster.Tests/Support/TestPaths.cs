namespace OgActors.Cluster.Tests.Support;

public static class TestPaths
{
    /// <summary>The repository root (where OgActors.sln is).</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OgActors.sln"))) return dir.FullName;
        throw new InvalidOperationException("OgActors.sln not found above the test binaries.");
    }

    public static string TempDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"og-{prefix}-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>HOCON every test node gets: every message really serialized, as on the wire.</summary>
    public const string Strict = "akka.actor.serialize-messages = on\nakka.loglevel = WARNING";
}
