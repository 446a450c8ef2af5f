namespace OgActors.ClientNode.Cache;

/// <summary>The repository's copy of an image, as its unicast service describes it (size, and its sidecar sums).</summary>
public sealed record RepositoryImageFacts(string Name, long SizeBytes, string Sum, string FullSum);

/// <summary>
/// A computer's cache at the moment of the check: its capacity, its free space (already bounded by the real disk),
/// the whole cached copy of the image if any, and the bytes of a partial copy left by an interrupted download.
/// </summary>
public sealed record CacheFacts(long CapacityBytes, long FreeBytes, CachedImage? Cached, long PartialBytes)
{
    public static CacheFacts Of(ImageCache cache, string image) =>
        new(cache.CapacityBytes, cache.FreeBytes, cache.Find(image), cache.PartialBytes(image));
}
