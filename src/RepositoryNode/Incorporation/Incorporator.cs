using OgActors.Imaging.Inspection;
using OgActors.Imaging.Progress;
using OgActors.Imaging.Sidecars;
using OgActors.Imaging.Verification;
using OgActors.Messages.Repositories;
using OgActors.RepositoryNode.Catalog;

namespace OgActors.RepositoryNode.Incorporation;

/// <summary>What incorporating one version of NAME.img came to.</summary>
public abstract record IncorporationOutcome(ImageKey Key, FileStamp Stamp)
{
    public sealed record Incorporated(ImageKey Key, FileStamp Stamp, ImageFileInfo Info, ImageSums Sums) : IncorporationOutcome(Key, Stamp);
    public sealed record Rejected(ImageKey Key, FileStamp Stamp, string Reason) : IncorporationOutcome(Key, Stamp);
}

/// <summary>
/// The work of OpenGnsys's torrent-creator, for one image, without the cron: lock, delete stale sidecars, inspect,
/// verify the whole stream (<see cref="ImageVerifier"/>) while .sum/.full.sum/.torrent are computed, write them and the
/// info sidecar only when it verified, unlock. At most
/// <see cref="RepositoryActorSettings.MaxConcurrentIncorporations"/> images are read at once.
/// An image that cannot be understood gets NAME.img.error (one sentence) and is otherwise left untouched.
/// </summary>
public sealed class Incorporator(RepositoryActorSettings settings, IProgress<(ImageKey, TransferProgress)>? progress = null)
{
    private readonly SemaphoreSlim _readers = new(Math.Max(1, settings.MaxConcurrentIncorporations));

    public async Task<IncorporationOutcome> IncorporateAsync(ImageKey key, FileStamp stamp, CancellationToken ct)
    {
        await _readers.WaitAsync(ct);
        var files = new ImageFiles(settings.ImagesDirectory, key);
        try
        {
            await File.WriteAllTextAsync(files.Lock, "incorporating\n", ct);
            foreach (var stale in files.Derived) File.Delete(stale);

            PartitionImageInfo inspected;
            try
            {
                var found = ImageInspector.Inspect(files.Image);
                inspected = found.Count == 1
                    ? found[0]
                    : throw new ImageFormatException($"{Path.GetFileName(files.Image)} holds {found.Count} partition images; import it to split them.");
            }
            catch (ImageFormatException e)
            {
                await File.WriteAllTextAsync(files.Error, e.Message + "\n", ct);
                return new IncorporationOutcome.Rejected(key, stamp, e.Message);
            }

            // Deep verification and the sums read the same file at the same time (the second reader is served from the
            // page cache); nothing is written beside the image unless the whole stream verified.
            var perImage = progress is null ? null : new Progress<TransferProgress>(p => progress.Report((key, p)));
            var verification = Task.Factory.StartNew(() => ImageVerifier.VerifyFile(files.Image, perImage, ct), ct,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var hashing = SidecarWriter.ComputeAsync(files.Image, settings.AnnounceUrl, null, ct);
            try
            {
                await verification;
            }
            catch (ImageFormatException e)
            {
                try { await hashing; } catch (Exception) { /* the verdict is the verifier's */ }
                await File.WriteAllTextAsync(files.Error, e.Message + "\n", ct);
                return new IncorporationOutcome.Rejected(key, stamp, e.Message);
            }
            var sidecars = await hashing;
            await SidecarWriter.WriteAsync(files.Image, sidecars, ct);

            var info = new ImageFileInfo(inspected.ToolName, inspected.Compressor.ToString().ToUpperInvariant(),
                inspected.Filesystem, inspected.RequiredSizeKiB, inspected.UsedBytes, inspected.OgLine);
            var sums = new ImageSums(sidecars.Sum, sidecars.FullSum, sidecars.InfoHash);
            await InfoSidecar.WriteAsync(files.Info, new InfoSidecar(key.Name, stamp.Size, stamp.ModifiedAt, info,
                sums.Sum, sums.FullSum, sums.InfoHash, DateTimeOffset.UtcNow, InfoSidecar.Serialize(inspected)), ct);
            return new IncorporationOutcome.Incorporated(key, stamp, info, sums);
        }
        finally
        {
            File.Delete(files.Lock);
            _readers.Release();
        }
    }

    /// <summary>
    /// Earlier work still valid for this version of the file (a restart, a rescan): the info sidecar and all
    /// OpenGnsys sidecars present for the same size and time, or an error sidecar newer than the file.
    /// </summary>
    public IncorporationOutcome? Recall(ImageKey key, FileStamp stamp)
    {
        var files = new ImageFiles(settings.ImagesDirectory, key);
        var info = InfoSidecar.TryRead(files.Info);
        if (info is not null && info.Size == stamp.Size && info.ModifiedAt == stamp.ModifiedAt
            && File.Exists(files.Sum) && File.Exists(files.FullSum) && File.Exists(files.Torrent))
            return new IncorporationOutcome.Incorporated(key, stamp, info.Info, new ImageSums(info.Sum, info.FullSum, info.InfoHash));
        var error = new FileInfo(files.Error);
        if (error.Exists && error.LastWriteTimeUtc >= stamp.ModifiedAt.UtcDateTime)
            return new IncorporationOutcome.Rejected(key, stamp, File.ReadAllText(files.Error).Trim());
        return null;
    }
}
