namespace OgActors.ClientNode.Cache;

/// <summary>The repository's copy of an image, as its unicast service describes it (size, and its sidecar sums).</summary>
public sealed record RepositoryImageFacts(string Name, long SizeBytes, string Sum, string FullSum);

/// <summary>
/// A computer's cache at the moment of the check: its capacity, its free space (already bounded by the real disk),
/// the whole cached copy of the image if any, the bytes of a partial copy of the repository's version left by an
/// interrupted download (it resumes), and the bytes of a partial copy of another version (it is thrown away).
/// </summary>
public sealed record CacheFacts(long CapacityBytes, long FreeBytes, CachedImage? Cached, long PartialBytes, long StalePartialBytes = 0)
{
    public static CacheFacts Of(ImageCache cache, RepositoryImageFacts repository)
    {
        var partial = cache.PartialBytes(repository.Name);
        var current = string.Equals(cache.PartialVersion(repository.Name), repository.FullSum, StringComparison.OrdinalIgnoreCase);
        return new CacheFacts(cache.CapacityBytes, cache.FreeBytes, cache.Find(repository.Name), current ? partial : 0, current ? 0 : partial);
    }
}
