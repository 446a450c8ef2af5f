using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Cache;

/// <summary>
/// The cache decision, as a pure function of what the repository and the cache hold (OpenGnsys's
/// <c>ogUpdateCacheIsNecesary</c> + <c>updateCache</c>'s size checks + <c>deployImage</c>'s fallback, made explicit):
/// <list type="number">
/// <item>no cache → restore directly by unicast (updateCache is refused);</item>
/// <item>cached copy identical to the repository's — same size and same <c>.full.sum</c> (MD5 of the whole file, which
/// names the repository's revision; never the last-MiB <c>.sum</c>, which a new revision can share) → restore from the
/// cache, nothing is downloaded (the job still re-reads the cached file and checks that MD5 before writing);</item>
/// <item>the image larger than the cache's total size, or than what is free in it (counting the space the stale
/// copy and a partial copy of the same image give back) → restore directly by unicast, with that reason;</item>
/// <item>otherwise (not cached, or cached with other content) → update the cache, then restore from it.</item>
/// </list>
/// </summary>
public static class CachePolicy
{
    public static CacheDecision Decide(SessionKind kind, TransferMethod method, RepositoryImageFacts repository, CacheFacts? cache)
    {
        if (kind is not (SessionKind.Restore or SessionKind.DeployImage or SessionKind.UpdateCache))
            throw new ArgumentException($"A {kind} job does not go through the cache check.", nameof(kind));
        var cacheOnly = kind == SessionKind.UpdateCache;
        var image = repository.Name;

        if (cache is null || cache.CapacityBytes <= 0)
            return cacheOnly
                ? new CacheDecision(CachePath.Refused, $"This computer has no cache to update with {image}.")
                : new CacheDecision(CachePath.DirectUnicast, "This computer has no cache; restoring directly from the repository by unicast.");

        var (sumName, wanted, held) = (".full.sum", repository.FullSum, cache.Cached?.FullSum);
        var identical = cache.Cached is not null && wanted.Length > 0 && string.Equals(wanted, held, StringComparison.OrdinalIgnoreCase)
                        && cache.Cached.SizeBytes == repository.SizeBytes;
        if (identical)
            return cacheOnly
                ? new CacheDecision(CachePath.AlreadyCached, $"The cached copy of {image} is identical to the repository's ({sumName} {wanted}); nothing to download.")
                : new CacheDecision(CachePath.FromCache, $"The cached copy of {image} is identical to the repository's ({sumName} {wanted}); restoring from the cache without downloading.");

        if (repository.SizeBytes > cache.CapacityBytes)
            return TooBig($"{image} ({Size(repository.SizeBytes)}) is larger than the whole cache ({Size(cache.CapacityBytes)})");
        var reclaimable = (cache.Cached?.SizeBytes ?? 0) + cache.PartialBytes + cache.StalePartialBytes;
        if (repository.SizeBytes > cache.FreeBytes + reclaimable)
            return TooBig($"{image} ({Size(repository.SizeBytes)}) is larger than the free space of the cache ({Size(cache.FreeBytes + reclaimable)})");

        var why = cache.Cached is not null
            ? $"The cached copy of {image} differs from the repository's ({sumName} {held} instead of {wanted}); it is replaced"
            : cache.PartialBytes > 0
                ? $"{image} is partly in the cache ({Size(cache.HeldPartialBytes ?? cache.PartialBytes)} of {Size(repository.SizeBytes)}); the download resumes"
                : $"{image} is not in the cache; it is downloaded";
        return cacheOnly
            ? new CacheDecision(CachePath.UpdateCacheOnly, why + ".")
            : new CacheDecision(CachePath.UpdateCacheThenRestore, why + ", then restored from the cache.");

        CacheDecision TooBig(string what) => cacheOnly
            ? new CacheDecision(CachePath.Refused, what + "; the cache cannot be updated.")
            : new CacheDecision(CachePath.DirectUnicast, what + "; restoring directly from the repository by unicast.");
    }

    /// <summary>Bytes as people read them: 3.2 GiB, 512 MiB, 12 KiB.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.#} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes} bytes",
    };
}
