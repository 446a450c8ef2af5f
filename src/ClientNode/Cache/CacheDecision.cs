namespace OgActors.ClientNode.Cache;

/// <summary>The path a deploy, restore or cache update takes on one computer.</summary>
public enum CachePath
{
    /// <summary>The cached copy is the repository's: restore from it, nothing is downloaded.</summary>
    FromCache,
    /// <summary>Fetch the image into the cache (new, changed, or resuming a partial copy), then restore from the cache.</summary>
    UpdateCacheThenRestore,
    /// <summary>updateCache mode: fetch the image into the cache and stop there.</summary>
    UpdateCacheOnly,
    /// <summary>updateCache mode: the cached copy is already the repository's; nothing to do.</summary>
    AlreadyCached,
    /// <summary>Restore straight from the repository by unicast (no cache, or the image does not fit it).</summary>
    DirectUnicast,
    /// <summary>The job cannot be done at all (updateCache without a cache, or with one too small).</summary>
    Refused,
}

/// <summary>What the cache check chose and why; the reason is one sentence an operator reads in the session's events.</summary>
public sealed record CacheDecision(CachePath Path, string Reason)
{
    /// <summary>The short name of the path, as reported in JobStarted and the session table.</summary>
    public string PathName => Path switch
    {
        CachePath.FromCache => "cache",
        CachePath.UpdateCacheThenRestore => "update cache + restore",
        CachePath.UpdateCacheOnly => "update cache",
        CachePath.AlreadyCached => "already cached",
        CachePath.DirectUnicast => "direct unicast",
        CachePath.Refused => "refused",
        _ => Path.ToString(),
    };

    public bool Downloads => Path is CachePath.UpdateCacheThenRestore or CachePath.UpdateCacheOnly;

    public bool Restores => Path is CachePath.FromCache or CachePath.UpdateCacheThenRestore or CachePath.DirectUnicast;
}
