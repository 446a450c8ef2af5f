using OgActors.Imaging.Hashing;
using OgActors.Imaging.Sidecars;

namespace OgActors.ClientNode.Cache;

/// <summary>
/// A computer's image cache: a directory (in production the mounted CACHE partition) with a configured capacity,
/// bounded by the real free space of the disk under it. It holds whole images (<c>NAME.img</c> with its
/// <c>.sum</c>/<c>.full.sum</c>) and, while one is being fetched, its partial copy <c>NAME.img.part</c>, which is
/// never taken for an image and from which an interrupted download resumes; beside it <c>NAME.img.part.full.sum</c> (the version
/// it is of) and <c>NAME.img.part.job</c> (the job it belongs to and its attempts' time, <see cref="Cache.PartialAttempts"/>).
/// </summary>
public sealed class ImageCache
{
    public const string ImageExtension = ".img";
    public const string PartialExtension = ".img.part";

    public ImageCache(string directory, long capacityBytes)
    {
        if (string.IsNullOrWhiteSpace(directory)) throw new ArgumentException("The cache needs a directory.", nameof(directory));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        Directory = System.IO.Path.GetFullPath(directory);
        CapacityBytes = capacityBytes;
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>The configured size of the cache (OpenGnsys: the size of the CACHE partition).</summary>
    public long CapacityBytes { get; }

    public string ImagePath(string name) => System.IO.Path.Combine(Directory, name + ImageExtension);

    public string PartialPath(string name) => System.IO.Path.Combine(Directory, name + PartialExtension);

    /// <summary>Bytes the cache's files take now (images, sums and partial copies).</summary>
    public long UsedBytes => new DirectoryInfo(Directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    /// <summary>What can still be written: the capacity left, and never more than the disk under the cache really has free.</summary>
    public long FreeBytes => Math.Max(0, Math.Min(CapacityBytes - UsedBytes, DiskFreeBytes()));

    private long DiskFreeBytes()
    {
        try { return new DriveInfo(Directory).AvailableFreeSpace; }
        catch (ArgumentException) { return new DriveInfo(System.IO.Path.GetPathRoot(Directory)!).AvailableFreeSpace; }
    }

    /// <summary>Bytes already fetched of <paramref name="name"/> (its partial copy), 0 when none.</summary>
    public long PartialBytes(string name) => new FileInfo(PartialPath(name)) is { Exists: true } f ? f.Length : 0;

    /// <summary>The whole cached copy of <paramref name="name"/>, or null when the cache has none (or only a partial one).</summary>
    public CachedImage? Find(string name)
    {
        var image = new FileInfo(ImagePath(name));
        if (!image.Exists) return null;
        var sum = SidecarWriter.ReadChecksum(image.FullName + SidecarWriter.SumExtension);
        var fullSum = SidecarWriter.ReadChecksum(image.FullName + SidecarWriter.FullSumExtension);
        // A copy without its sums was never committed (or was tampered with): it is not trusted.
        return sum is null || fullSum is null ? null : new CachedImage(name, image.FullName, image.Length, sum, fullSum);
    }

    /// <summary>Every whole image in the cache, by name.</summary>
    public IReadOnlyList<CachedImage> Contents() =>
        [.. new DirectoryInfo(Directory).EnumerateFiles("*" + ImageExtension)
            .Select(f => Find(System.IO.Path.GetFileNameWithoutExtension(f.Name)))
            .OfType<CachedImage>()
            .OrderBy(i => i.Name, StringComparer.Ordinal)];

    /// <summary>Removes the cached copy of <paramref name="name"/> with its sums (not its partial copy).</summary>
    public void Remove(string name)
    {
        var image = ImagePath(name);
        foreach (var file in new[] { image + SidecarWriter.SumExtension, image + SidecarWriter.FullSumExtension, image })
            File.Delete(file);
    }

    /// <summary>
    /// Re-reads the whole cached copy of <paramref name="name"/> (one pass) and checks its MD5 against
    /// <paramref name="expectedFullSum"/>; a copy that fails is deleted with its sums and a <see cref="CacheVerificationException"/>
    /// says so. Returns the time the read took (the cost reported in the job).
    /// </summary>
    public async Task<TimeSpan> VerifyAsync(string name, string expectedFullSum, CancellationToken cancellationToken = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string actual;
        await using (var file = new FileStream(ImagePath(name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous))
            actual = Convert.ToHexStringLower(await System.Security.Cryptography.MD5.HashDataAsync(file, cancellationToken));
        if (!string.Equals(actual, expectedFullSum, StringComparison.OrdinalIgnoreCase))
        {
            Remove(name);
            throw new CacheVerificationException(
                $"The cached copy of {name} has MD5 {actual}, not the repository's {expectedFullSum.ToLowerInvariant()}; it was deleted.");
        }
        return clock.Elapsed;
    }

    /// <summary>The file recording which version (full MD5 of the repository's copy) the partial copy of <paramref name="name"/> is of.</summary>
    public string PartialVersionPath(string name) => PartialPath(name) + SidecarWriter.FullSumExtension;

    /// <summary>The full MD5 of the version the partial copy of <paramref name="name"/> is being fetched from, or null when unknown.</summary>
    public string? PartialVersion(string name) => SidecarWriter.ReadChecksum(PartialVersionPath(name));

    /// <summary>Starts a partial copy of <paramref name="name"/> from scratch, recording the version it is of.</summary>
    public void BeginPartial(string name, string fullSum)
    {
        RemovePartial(name);
        File.WriteAllText(PartialVersionPath(name), fullSum.ToLowerInvariant() + "\n");
    }

    /// <summary>Removes the partial copy of <paramref name="name"/>.</summary>
    public void RemovePartial(string name)
    {
        File.Delete(PartialPath(name));
        File.Delete(PartialVersionPath(name));
        File.Delete(PartialAttemptsPath(name));
    }

    /// <summary>The file recording which job the partial copy of <paramref name="name"/> belongs to and what its attempts cost (<see cref="Cache.PartialAttempts"/>).</summary>
    public string PartialAttemptsPath(string name) => PartialPath(name) + ".job";

    /// <summary>The job and attempts of the partial copy of <paramref name="name"/>, or null when none is recorded.</summary>
    public PartialAttempts? PartialAttempts(string name) =>
        File.Exists(PartialAttemptsPath(name)) ? Cache.PartialAttempts.Parse(File.ReadAllText(PartialAttemptsPath(name))) : null;

    /// <summary>Records <paramref name="attempts"/> beside the partial copy (written whole, then renamed: a kill never leaves half a record).</summary>
    public void WritePartialAttempts(string name, PartialAttempts attempts)
    {
        var path = PartialAttemptsPath(name);
        File.WriteAllText(path + ".tmp", attempts.Format());
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Starts the accounting of one attempt of <paramref name="job"/> (SESSION/COMPUTER) at the partial copy of <paramref name="name"/>, resumed from <paramref name="resumedFrom"/> bytes.</summary>
    public AttemptTracker BeginAttempt(string name, string job, long resumedFrom) => new(this, name, job, resumedFrom);

    /// <summary>
    /// Turns a complete partial copy into the cached image: hashes it in one pass, refuses it (and deletes it) when
    /// its full MD5 is not <paramref name="expectedFullSum"/>, otherwise writes its sums and renames it to NAME.img,
    /// replacing any older copy. Returns the committed image.
    /// </summary>
    public async Task<CachedImage> CommitAsync(string name, string expectedFullSum, CancellationToken cancellationToken = default)
    {
        var digests = await SinglePassHasher.HashFileAsync(PartialPath(name), cancellationToken: cancellationToken);
        return await CommitAsync(name, expectedFullSum, digests.FullMd5Hex, digests.TailMd5Hex, digests.Size, cancellationToken);
    }

    /// <summary>
    /// As <see cref="CommitAsync(string, string, CancellationToken)"/>, for a copy whose full MD5 the download computed
    /// over the very bytes it wrote into the partial copy (<paramref name="writtenFullMd5"/>): the same refusal, without a
    /// second read of the whole file after the last byte arrived (only its last MiB is read, for the tail sum).
    /// </summary>
    public async Task<CachedImage> CommitHashedAsync(string name, string expectedFullSum, string writtenFullMd5, CancellationToken cancellationToken = default)
    {
        var partial = PartialPath(name);
        long size;
        string tail;
        await using (var file = new FileStream(partial, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous))
        {
            size = file.Length;
            file.Position = Math.Max(0, size - SinglePassHasher.SumTailLength);
            tail = Convert.ToHexStringLower(await System.Security.Cryptography.MD5.HashDataAsync(file, cancellationToken));
        }
        return await CommitAsync(name, expectedFullSum, writtenFullMd5.ToLowerInvariant(), tail, size, cancellationToken);
    }

    private async Task<CachedImage> CommitAsync(string name, string expectedFullSum, string fullMd5, string tailMd5, long size, CancellationToken cancellationToken)
    {
        var partial = PartialPath(name);
        if (!string.Equals(fullMd5, expectedFullSum, StringComparison.OrdinalIgnoreCase))
        {
            RemovePartial(name);
            throw new CacheVerificationException(
                $"The copy of {name} fetched into the cache has MD5 {fullMd5}, not the repository's {expectedFullSum.ToLowerInvariant()}; it was deleted.");
        }
        Remove(name);
        var image = ImagePath(name);
        await File.WriteAllTextAsync(image + SidecarWriter.SumExtension, tailMd5 + "\n", cancellationToken);
        await File.WriteAllTextAsync(image + SidecarWriter.FullSumExtension, fullMd5 + "\n", cancellationToken);
        File.Move(partial, image);
        File.Delete(PartialVersionPath(name));
        File.Delete(PartialAttemptsPath(name));
        return new CachedImage(name, image, size, tailMd5, fullMd5);
    }
}
