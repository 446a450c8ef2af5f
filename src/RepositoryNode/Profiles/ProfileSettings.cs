namespace OgActors.RepositoryNode.Profiles;

/// <summary>
/// How a repository reads software profiles (<c>og.repository.profiles</c>): on or off, how many images at once, and
/// where the scratch copies go ("" = the images directory, whose filesystem holds the images anyway).
/// </summary>
public sealed record ProfileSettings
{
    public bool Enabled { get; init; } = true;

    /// <summary>Extractions at once. Default 1: each restores a whole image to a scratch file (CPU and disk bound).</summary>
    public int MaxConcurrent { get; init; } = 1;

    /// <summary>The directory of the scratch files; "" = the images directory.</summary>
    public string ScratchDirectory { get; init; } = "";

    /// <summary>Reads <c>og.repository.profiles.{enabled, max-concurrent, scratch-dir}</c>, every key optional.</summary>
    public static ProfileSettings From(Akka.Configuration.Config? config)
    {
        var defaults = new ProfileSettings();
        var section = config?.GetConfig("og.repository.profiles");
        if (section is null || section.IsEmpty) return defaults;
        return new ProfileSettings
        {
            Enabled = section.GetBoolean("enabled", defaults.Enabled),
            MaxConcurrent = Math.Max(1, section.GetInt("max-concurrent", defaults.MaxConcurrent)),
            ScratchDirectory = section.GetString("scratch-dir", defaults.ScratchDirectory) ?? "",
        };
    }
}
