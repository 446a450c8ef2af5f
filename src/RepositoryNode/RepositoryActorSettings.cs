namespace OgActors.RepositoryNode;

/// <summary>
/// What the RepositoryActor needs: the repository's name, images directory and unicast address (from the host's
/// og.repository settings), and how it incorporates and announces (og.repository.incorporation, og.repository.announce).
/// </summary>
public sealed record RepositoryActorSettings
{
    /// <summary>The repository's name in the cluster (unique).</summary>
    public string Name { get; init; } = Environment.MachineName;

    /// <summary>The images directory: NAME.img files at its root and in OU sub-folders one level deep.</summary>
    public string ImagesDirectory { get; init; } = "/opt/opengnsys/images";

    /// <summary>The base URL of this node's unicast HTTP service, as computers reach it (e.g. http://10.0.0.5:8070).</summary>
    public string HttpAddress { get; init; } = "http://127.0.0.1:8070";

    /// <summary>
    /// The unicast address as bound, when only known after the web host started (port 0 in the lab); wins over
    /// <see cref="HttpAddress"/> in announcements.
    /// </summary>
    public Func<string>? HttpAddressResolver { get; init; }

    /// <summary>The tracker announce URL written into every .torrent.</summary>
    public string AnnounceUrl { get; init; } = "http://127.0.0.1:6969/announce";

    /// <summary>A computer's cache registered as a repository: it serves images but is never assigned to computers.</summary>
    public bool IsComputerCache { get; init; }

    /// <summary>How long NAME.img must keep the same size and time before it is read (a file still growing waits).</summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Full rescan of the images directory, for whatever the file-system watcher missed.</summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Re-announcement to coordinators even when nothing changed.</summary>
    public TimeSpan AnnounceInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Images inspected and hashed at once. Default: 2 (hashing is disk-bound; more only thrashes one disk).</summary>
    public int MaxConcurrentIncorporations { get; init; } = 2;

    /// <summary>
    /// On start, images recalled from an unchanged NAME.img.info.json are served at once and also verified again in
    /// the background (one read each, within <see cref="MaxConcurrentIncorporations"/>); one that no longer verifies,
    /// or whose full MD5 changed, goes to Error. Default off: an unchanged identity (size, mtime, ctime, inode) is trusted.
    /// </summary>
    public bool ReverifyOnStart { get; init; }
}

public static class RepositoryActorSettingsHocon
{
    /// <summary>
    /// Reads the incorporation and announcement keys of <c>og.repository</c> (all optional; defaults above):
    /// <c>announce-url</c>, <c>computer-cache</c>, <c>settle-time</c>, <c>rescan-interval</c>, <c>announce-interval</c>,
    /// <c>max-concurrent-incorporations</c>, <c>reverify-on-start</c>. Name, images directory and HTTP address come from the host's settings.
    /// </summary>
    public static RepositoryActorSettings From(Akka.Configuration.Config config, string name, string imagesDirectory, string httpAddress)
    {
        var defaults = new RepositoryActorSettings();
        var section = config.GetConfig("og.repository");
        if (section is null || section.IsEmpty)
            return defaults with { Name = name, ImagesDirectory = imagesDirectory, HttpAddress = httpAddress };
        return new RepositoryActorSettings
        {
            Name = name,
            ImagesDirectory = imagesDirectory,
            HttpAddress = httpAddress,
            AnnounceUrl = section.GetString("announce-url", defaults.AnnounceUrl),
            IsComputerCache = section.GetBoolean("computer-cache", defaults.IsComputerCache),
            SettleTime = section.GetTimeSpan("settle-time", defaults.SettleTime),
            RescanInterval = section.GetTimeSpan("rescan-interval", defaults.RescanInterval),
            AnnounceInterval = section.GetTimeSpan("announce-interval", defaults.AnnounceInterval),
            MaxConcurrentIncorporations = section.GetInt("max-concurrent-incorporations", defaults.MaxConcurrentIncorporations),
            ReverifyOnStart = section.GetBoolean("reverify-on-start", defaults.ReverifyOnStart),
        };
    }
}
