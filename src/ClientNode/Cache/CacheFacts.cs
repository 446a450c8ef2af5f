namespace OgActors.ClientNode.Cache;

/// <summary>The repository's copy of an image, as its unicast service describes it (size, and its sidecar sums).</summary>
public sealed record RepositoryImageFacts(string Name, long SizeBytes, string Sum, string FullSum);

/// <summary>
/// A computer's cache at the moment of the check: its capacity, its free space (already bounded by the real disk),
/// the whole cached copy of the image if any, the bytes of a partial copy of the repository's version left by an
/// interrupted download (it resumes), and the bytes of a partial copy of another version (it is thrown away).
/// <paramref name="HeldPartialBytes"/>: the bytes of the partial copy a download can keep, when that is not its length —
/// a torrent's partial copy holds the pieces aria2's control file records, written at their offsets in any order.
/// </summary>
public sealed record CacheFacts(long CapacityBytes, long FreeBytes, CachedImage? Cached, long PartialBytes, long StalePartialBytes = 0,
    long? HeldPartialBytes = null)
{
    public static CacheFacts Of(ImageCache cache, RepositoryImageFacts repository)
    {
        var partial = cache.PartialBytes(repository.Name);
        var current = string.Equals(cache.PartialVersion(repository.Name), repository.FullSum, StringComparison.OrdinalIgnoreCase);
        var aria2 = current && partial > 0 ? Imaging.Torrent.Aria2ControlFile.Read(cache.PartialPath(repository.Name) + ".aria2") : null;
        return new CacheFacts(cache.CapacityBytes, cache.FreeBytes, cache.Find(repository.Name), current ? partial : 0, current ? 0 : partial,
            aria2?.BytesHeld);
    }
}
