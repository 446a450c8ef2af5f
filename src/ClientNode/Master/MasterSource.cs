using OgActors.ClientNode.Cache;
using OgActors.ClientNode.Transfers;
using OgActors.Imaging.Formats;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Progress;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Master;

/// <summary>The master cannot serve what the session asks (no such partition, image not in its cache, dirty filesystem): one sentence.</summary>
public sealed class CloneRefusedException(string message) : Exception(message);

/// <summary>
/// What a master serves, once ready: the stream's name (the identity header's image), the file it reads (an image in its
/// cache) or the partition it captures live, and what receivers check their partition against (tool, compressor,
/// filesystem, required size), with the stream's full sum (images) or identity token (live capture).
/// </summary>
public sealed record MasterSource(
    string Name, string? FilePath, string? Device, string Tool, string Compressor, string Filesystem, long RequiredBytes,
    string StreamSum, long StreamSize, int Revision, string Description, string Note)
{
    public bool Live => Device is not null;

    /// <summary>
    /// Gets the source of <paramref name="spec"/> ready on the master <paramref name="computer"/>: PART checks the partition
    /// (it exists, has a filesystem, its checker finds it clean); IMG-CACHE verifies the cached copy (one full MD5 read);
    /// IMG-REPO fetches the image into the cache by unicast (resumable, verified against the full sum; a verified copy of the
    /// same content already there is used as it is), then inspects the image's head.
    /// </summary>
    public static async Task<MasterSource> PrepareAsync(string computer, JobSpec spec, IReadOnlyDictionary<int, string> partitions,
        ImageCache? cache, Func<RepositoryClient?> repository, Compressor compressor, string job, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var source = spec.Source ?? throw new CloneRefusedException("The session names no source for the master.");
        switch (source.Kind)
        {
            case CloneSourceKind.Partition:
            {
                if (!partitions.TryGetValue(source.Partition, out var device))
                    throw new CloneRefusedException($"The master {computer} has no partition {source.Partition}.");
                var fs = await Partition.DetectFilesystemAsync(device, cancellationToken)
                    ?? throw new CloneRefusedException($"No filesystem was found on the master {computer}'s partition {source.Partition}; it cannot be cloned.");
                await FilesystemCheck.EnsureCleanAsync(fs, device, cancellationToken);
                var size = Partition.SizeOf(device);
                return new MasterSource($"{computer}-part{source.Partition}", null, device, CloneTool.Partclone.ToString().ToUpperInvariant(),
                    compressor.ToString().ToUpperInvariant(), fs, size, Guid.NewGuid().ToString("N"), 0, 0,
                    $"{computer}'s partition {source.Partition} ({fs}, {CachePolicy.Size(size)}) captured live by partclone.{fs} | {compressor.ToString().ToLowerInvariant()}", "");
            }
            case CloneSourceKind.CacheImage:
            {
                if (cache is null) throw new CloneRefusedException($"The master {computer} has no cache, so no image {source.Image} to serve.");
                var cached = cache.Find(source.Image)
                    ?? throw new CloneRefusedException($"Image {source.Image} is not in the master {computer}'s cache; serve it with IMG-REPO:{source.Image} (fetched from the repository first) or update the master's cache.");
                try { await cache.VerifyAsync(source.Image, cached.FullSum, cancellationToken); }
                catch (CacheVerificationException bad) { throw new CloneRefusedException($"The master {computer}'s cached copy failed its check: {bad.Message}"); }
                return FromFile(computer, cached, 0, $"image {source.Image} from {computer}'s cache", "Cached copy verified (full MD5).");
            }
            default:
            {
                if (cache is null) throw new CloneRefusedException($"The master {computer} has no cache to fetch image {source.Image} into.");
                var repo = repository() ?? throw new CloneRefusedException($"The master {computer} does not know where repository {spec.Repository} is.");
                var facts = await repo.DescribeAsync(source.Image, cancellationToken);
                var note = "";
                if (cache.Find(source.Image) is { } have && string.Equals(have.FullSum, facts.FullSum, StringComparison.OrdinalIgnoreCase))
                {
                    try
                    {
                        await cache.VerifyAsync(source.Image, facts.FullSum, cancellationToken);
                        note = "Already in the master's cache (full MD5 verified); the repository sent nothing.";
                    }
                    catch (CacheVerificationException) { } // deleted: fetched below
                }
                if (note.Length == 0)
                {
                    var request = new TransferRequest(spec with { Method = TransferMethod.Unicast, Image = source.Image }, facts, repo, job);
                    var update = await new UnicastTransfer().UpdateCacheAsync(request, cache, progress, cancellationToken);
                    note = update.ResumedFrom > 0
                        ? $"Fetched from repository {spec.Repository} by unicast, resumed at {CachePolicy.Size(update.ResumedFrom)} ({CachePolicy.Size(update.BytesFetched)} now); full sum verified."
                        : $"Fetched {CachePolicy.Size(update.BytesFetched)} from repository {spec.Repository} by unicast; full sum verified.";
                }
                var cached = cache.Find(source.Image) ?? throw new CloneRefusedException($"Image {source.Image} is not in the master {computer}'s cache after the fetch.");
                return FromFile(computer, cached, spec.ImageRevision, $"image {source.Image} (fetched by {computer} from repository {spec.Repository})", note);
            }
        }
    }

    private static MasterSource FromFile(string computer, CachedImage image, int revision, string description, string note)
    {
        var head = new byte[(int)Math.Min(RestorePipeline.InspectedHeadLength, image.SizeBytes)];
        using (var file = File.OpenRead(image.Path)) file.ReadExactly(head);
        PartitionImageInfo format;
        try { format = ImageInspector.InspectHead(head, image.SizeBytes); }
        catch (ImageFormatException e) { throw new CloneRefusedException($"The master {computer}'s copy of {image.Name} is not a partition image it can serve: {e.Message}"); }
        return new MasterSource(image.Name, image.Path, null, format.ToolName, format.Compressor.ToString().ToUpperInvariant(), format.Filesystem,
            format.DeviceSizeBytes, image.FullSum, image.SizeBytes, revision, $"{description} ({format.OgLine})", note);
    }
}
