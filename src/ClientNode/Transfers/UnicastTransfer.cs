using System.Net;
using System.Security.Cryptography;
using OgActors.ClientNode.Cache;
using OgActors.Imaging.Compression;
using OgActors.Imaging.Inspection;
using OgActors.Imaging.Pipelines;
using OgActors.Imaging.Progress;
using OgActors.Imaging.Streams;
using OgActors.Messages.Sessions;

namespace OgActors.ClientNode.Transfers;

/// <summary>
/// Unicast from a repository's HTTP service.
/// <para>Cache update: GET into <c>NAME.img.part</c> in the cache; a partial copy left by an interrupted download (the
/// job cancelled, the computer killed) is resumed with <c>Range</c> from its length, on condition that the repository still
/// has the same version (<c>If-Range</c> = its full MD5; otherwise the whole new file comes and the partial copy is
/// overwritten). The copy is hashed as it is written (a resumed copy's kept part read once first), refused unless its MD5
/// is the repository's <c>.full.sum</c>, and only then renamed to <c>NAME.img</c> with its own sums. The job's earlier attempts at the same partial copy (same session, same
/// computer) are accounted by <see cref="AttemptTracker"/>: their bytes and time add up into the job's.</para>
/// <para>Direct restore: the GET's body is the restore pipeline's input (decompressor → restore tool), no temporary file;
/// the pipeline refuses before writing when the partition is smaller than the image needs.</para>
/// <para>Fail-over (<see cref="TransferRequest.Failover"/>): a response that breaks off, stalls or cannot be had because the
/// repository went away (<see cref="RepositoryLostException"/>, read through <see cref="RepositoryBodyStream"/>) does not end
/// the job while another repository holds the same content: a cache update goes on in the same partial copy and the same
/// running MD5 from the byte where it stopped (Range on the alternate); a direct restore streams the whole image again
/// from the alternate into the pipeline (a restore tool cannot resume mid-stream). The result is verified against the full
/// sum as always.</para>
/// </summary>
public sealed class UnicastTransfer : ITransferPath
{
    private const int BufferSize = 1 << 20;

    public TransferMethod Method => TransferMethod.Unicast;

    public async Task<CacheUpdateResult> UpdateCacheAsync(TransferRequest request, ImageCache cache,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var image = request.Image;
        var partial = cache.PartialPath(image.Name);
        var resumedFrom = cache.PartialBytes(image.Name);
        // A partial copy resumes only when it is of the repository's current version (recorded beside it when it began).
        if (resumedFrom == 0 || resumedFrom > image.SizeBytes
            || !string.Equals(cache.PartialVersion(image.Name), image.FullSum, StringComparison.OrdinalIgnoreCase))
        {
            cache.BeginPartial(image.Name, image.FullSum);
            resumedFrom = 0;
        }
        var meter = new ProgressMeter(progress, image.SizeBytes, resumedFrom);
        var attempt = cache.BeginAttempt(image.Name, request.Job, resumedFrom); // this job's earlier attempts' bytes and time
        long fetched = 0;
        IncrementalHash? md5 = null;

        if (resumedFrom < image.SizeBytes)
        try
        {
            var source = request.Repository;
            var stall = request.Failover?.StallTimeout ?? DefaultStallTimeout;
            HttpResponseMessage response;
            try
            {
                response = await source.GetImageAsync(image.Name, resumedFrom, image.FullSum, cancellationToken, stall);
                if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                {
                    // The partial copy does not fit the repository's file any more: start over.
                    response.Dispose();
                    cache.BeginPartial(image.Name, image.FullSum);
                    resumedFrom = 0;
                    attempt.StartedOver();
                    response = await source.GetImageAsync(image.Name, 0, image.FullSum, cancellationToken, stall);
                }
                // 200 instead of 206: the repository's copy changed (If-Range failed) or it ignored the range: take it whole.
                if (response.StatusCode == HttpStatusCode.OK && resumedFrom > 0) { resumedFrom = 0; attempt.StartedOver(); }
            }
            catch (RepositoryLostException lost) when (request.Failover is { } failover && !cancellationToken.IsCancellationRequested)
            {
                // Gone between the cache check and the first byte: the same content from another repository, from the partial copy's end.
                (source, response) = await failover.ResumeAsync(image.Name, resumedFrom, lost, resumes: true, cancellationToken);
            }
            await using var file = new FileStream(partial, resumedFrom > 0 ? FileMode.Open : FileMode.Create, FileAccess.ReadWrite,
                FileShare.Read, 1, FileOptions.Asynchronous);
            file.SetLength(resumedFrom);
            // The full MD5 is computed over the bytes as they are written (the kept part of a resumed copy read once
            // first), so the commit's check needs no second read of the whole file after the last byte arrived.
            md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var buffer = new byte[BufferSize];
            if (resumedFrom > 0)
            {
                file.Position = 0;
                int kept;
                while (file.Position < resumedFrom && (kept = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, resumedFrom - file.Position)), cancellationToken)) > 0)
                    md5.AppendData(buffer, 0, kept);
            }
            file.Position = resumedFrom;
            var position = resumedFrom;
            while (true)
            {
                try
                {
                    using (response)
                    {
                        await using var body = await RepositoryBodyStream.OpenAsync(response, source.Repository, image.Name, position,
                            image.SizeBytes - position, stall, cancellationToken);
                        int read;
                        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                        {
                            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                            md5.AppendData(buffer, 0, read);
                            fetched += read;
                            position += read;
                            meter.Report(position);
                            attempt.Checkpoint(meter.Elapsed);
                        }
                    }
                    break;
                }
                catch (RepositoryLostException lost) when (request.Failover is { } failover && !cancellationToken.IsCancellationRequested)
                {
                    // The repository went away mid-download: what arrived stays in the partial copy (and in the running MD5);
                    // the rest comes from another repository holding the same content, from exactly here (Range).
                    await file.FlushAsync(cancellationToken);
                    attempt.Checkpoint(meter.Elapsed, force: true);
                    (source, response) = await failover.ResumeAsync(image.Name, position, lost, resumes: true, cancellationToken);
                }
            }
            await file.FlushAsync(cancellationToken);
            if (file.Length != image.SizeBytes)
                throw new RepositoryException(
                    $"The download of {image.Name} from repository {source.Repository} broke off at {file.Length} of {image.SizeBytes} bytes; it resumes from there next time.");
        }
        finally { attempt.Checkpoint(meter.Elapsed, force: true); } // however this attempt ends, its time is the job's
        meter.Report(image.SizeBytes, force: true);
        CachedImage committed;
        using (md5)
            committed = md5 is null
                ? await cache.CommitAsync(image.Name, image.FullSum, cancellationToken) // nothing was left to fetch: one read of the copy
                : await cache.CommitHashedAsync(image.Name, image.FullSum, Convert.ToHexStringLower(md5.GetHashAndReset()), cancellationToken);
        return new CacheUpdateResult(committed, resumedFrom, fetched, meter.Elapsed, attempt.EarlierBytes, attempt.EarlierDuration, attempt.Attempt);
    }

    public async Task<RestoreResult> RestoreDirectAsync(TransferRequest request, string targetPartition,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var image = request.Image;
        var source = request.Repository;
        var stall = request.Failover?.StallTimeout ?? DefaultStallTimeout;
        HttpResponseMessage response;
        try
        {
            response = await source.GetImageAsync(image.Name, 0, image.FullSum, cancellationToken, stall);
        }
        catch (RepositoryLostException lost) when (request.Failover is { } failover && !cancellationToken.IsCancellationRequested)
        {
            (source, response) = await failover.ResumeAsync(image.Name, 0, lost, resumes: false, cancellationToken);
        }
        while (true)
        {
            RepositoryBodyStream? body = null;
            try
            {
                using (response)
                {
                    body = await RepositoryBodyStream.OpenAsync(response, source.Repository, image.Name, 0, image.SizeBytes, stall, cancellationToken);
                    await using (body)
                        return await RestoreStreamAsync(body, image, targetPartition, progress, cancellationToken);
                }
            }
            catch (Exception e) when (request.Failover is { } failover && !cancellationToken.IsCancellationRequested
                                      && (body?.Lost ?? Jobs.JobFailure.Unwrap(e) as RepositoryLostException) is { } lost)
            {
                // The repository went away mid-stream (whatever the restore tools made of their input ending). A partition
                // restore cannot resume mid-stream: the whole image streams again from another repository with the same content.
                (source, response) = await failover.ResumeAsync(image.Name, body?.Count ?? 0, lost, resumes: false, cancellationToken);
            }
        }
    }

    /// <summary>How long a download may wait for its next byte when the job sets no fail-over (<see cref="RepositoryFailover.StallTimeout"/>).</summary>
    public static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>One stream of the image into the restore pipeline, its size checked first and every byte hashed against the full sum.</summary>
    private static async Task<RestoreResult> RestoreStreamAsync(Stream body, RepositoryImageFacts image, string targetPartition,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        // The head tells the format and the size the image needs; the partition is checked before a byte is written to it.
        var head = new byte[(int)Math.Min(RestorePipeline.InspectedHeadLength, image.SizeBytes)];
        await body.ReadExactlyAsync(head, cancellationToken);
        var format = ImageInspector.InspectHead(head, image.SizeBytes) with { StoredSize = image.SizeBytes };
        TargetCheck.EnsureFits(format, targetPartition, image.Name);
        await using var whole = new PrefixedStream(head, body, leaveOpen: true);
        // Every byte fed to the tools is hashed: the partition holds the image only if what streamed is its full sum
        // (a link or proxy that alters bytes, or a file changed under an open response, is caught even when the tools
        // cannot notice, e.g. a raw image).
        var hashed = new HashingReadStream(whole, image.SizeBytes);
        var restored = await RestorePipeline.RestoreAsync(hashed, format, targetPartition, progress, cancellationToken);
        await hashed.DrainAsync(cancellationToken); // a restore tool may stop before the image's last bytes
        if (hashed.Count != image.SizeBytes)
            throw new StreamedContentException(
                $"The repository's response for {image.Name} ended at {hashed.Count} of {image.SizeBytes} bytes; the partition's content is unknown.");
        var sum = hashed.Md5Hex();
        if (!string.Equals(sum, image.FullSum, StringComparison.OrdinalIgnoreCase))
            throw new StreamedContentException(
                $"The bytes streamed for {image.Name} have MD5 {sum}, not the image's full sum {image.FullSum.ToLowerInvariant()}; the partition's content is unknown.");
        return restored with { StreamedFullSum = sum };
    }
}
